/*
 * The engine's lifecycle, clock and counters, and the small services every
 * other engine file uses: accounted allocation, key wiping, the seeded
 * random source, record pools and hash tables.
 */
#include <stdlib.h>

#include "sadb_int.h"

/*
 * Allocation goes through these so that pfkv2_sadb_stats().mem is exact:
 * it counts the bytes asked for (not the allocator's overhead).
 */
void *
db_alloc(struct pfkv2_sadb *db, size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	db->mem += n;
	return p;
}

void *
db_zalloc(struct pfkv2_sadb *db, size_t n)
{
	void *p = calloc(1, n);

	if (p == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	db->mem += n;
	return p;
}

void *
db_realloc(struct pfkv2_sadb *db, void *p, size_t old, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	db->mem = db->mem - old + n;
	return q;
}

void
db_free(struct pfkv2_sadb *db, void *p, size_t n)
{
	if (p == NULL)
		return;
	db->mem -= n;
	free(p);
}

/* xorshift64*: small, fast and deterministic from the seed. */
uint32_t
db_random(struct pfkv2_sadb *db)
{
	uint64_t x = db->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	db->rng = x;
	return (uint32_t)((x * UINT64_C(0x2545F4914F6CDD1D)) >> 32);
}

/* ---- pools ------------------------------------------------------------ */

int
pool_init(struct pool *p, uint32_t size, uint32_t link_off)
{
	memset(p, 0, sizeof(*p));
	p->size = size;
	p->link_off = link_off;
	p->free_head = NIL;
	return 0;
}

uint32_t
pool_get(struct pfkv2_sadb *db, struct pool *p)
{
	uint32_t i;
	uint8_t *r;

	/*
	 * A record on the free list is zero (pool_put() cleared it) but for
	 * the link: handing it out again clears that word, not the record.
	 * A record never handed out is cleared here.
	 */
	if (p->free_head != NIL) {
		i = p->free_head;
		r = pool_at(p, i);
		memcpy(&p->free_head, r + p->link_off, sizeof(uint32_t));
		memset(r + p->link_off, 0, sizeof(uint32_t));
	} else {
		if (p->hi >= TM_IDX) {
			errno = ENOMEM;
			return NIL;
		}
		if ((p->hi >> POOL_SHIFT) >= p->nchunks) {
			if (p->nchunks == p->cap_chunks) {
				uint32_t nc = p->cap_chunks ? p->cap_chunks * 2 :
				    16;
				uint8_t **c = db_realloc(db, p->chunks,
				    p->cap_chunks * sizeof(*c),
				    nc * sizeof(*c));

				if (c == NULL)
					return NIL;
				p->chunks = c;
				p->cap_chunks = nc;
			}
			p->chunks[p->nchunks] = db_alloc(db,
			    (size_t)p->size * POOL_CHUNK);
			if (p->chunks[p->nchunks] == NULL)
				return NIL;
			p->nchunks++;
		}
		i = p->hi++;
		memset(pool_at(p, i), 0, p->size);
	}
	p->count++;
	return i;
}

void
pool_put(struct pfkv2_sadb *db, struct pool *p, uint32_t i)
{
	uint8_t *r = pool_at(p, i);

	(void)db;
	memset(r, 0, p->size);
	memcpy(r + p->link_off, &p->free_head, sizeof(uint32_t));
	p->free_head = i;
	p->count--;
}

void
pool_destroy(struct pfkv2_sadb *db, struct pool *p)
{
	uint32_t c;

	for (c = 0; c < p->nchunks; c++)
		db_free(db, p->chunks[c], (size_t)p->size * POOL_CHUNK);
	db_free(db, p->chunks, p->cap_chunks * sizeof(*p->chunks));
	memset(p, 0, sizeof(*p));
	p->free_head = NIL;
}

/* ---- hash tables ------------------------------------------------------ */

int
htab_init(struct pfkv2_sadb *db, struct htab *h, uint32_t buckets)
{
	h->b = db_alloc(db, buckets * sizeof(uint32_t));
	if (h->b == NULL)
		return -1;
	memset(h->b, 0xff, buckets * sizeof(uint32_t));
	h->mask = buckets - 1;
	h->n = 0;
	return 0;
}

void
htab_destroy(struct pfkv2_sadb *db, struct htab *h)
{
	db_free(db, h->b, ((size_t)h->mask + 1) * sizeof(uint32_t));
	h->b = NULL;
}

/* Grow at load 1: chains stay short on average. */
int
htab_grow_needed(const struct htab *h)
{
	return h->n >= h->mask + 1;
}

/*
 * A doubled, empty bucket array for h (the caller rehashes into it and
 * installs it with the new mask), NULL with ENOMEM.
 */
uint32_t *
htab_realloc(struct pfkv2_sadb *db, struct htab *h)
{
	size_t nb = ((size_t)h->mask + 1) * 2;
	uint32_t *b;

	if (nb > UINT32_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	b = db_alloc(db, nb * sizeof(uint32_t));
	if (b != NULL)
		memset(b, 0xff, nb * sizeof(uint32_t));
	return b;
}

/* ---- lifecycle -------------------------------------------------------- */

PFKV2_API void
pfkv2_sadb_opts_init(struct pfkv2_sadb_opts *o, enum pfkv2_dialect d)
{
	if (o == NULL)
		return;
	memset(o, 0, sizeof(*o));
	o->dialect = d;
	o->seed = 1;
	o->rcvbuf = 212992;	/* Linux net.core.rmem_default */
	o->larval_lifetime = 30;
}

PFKV2_API struct pfkv2_sadb *
pfkv2_sadb_new(const struct pfkv2_sadb_opts *o)
{
	struct pfkv2_sadb *db;

	if (o == NULL || (o->dialect != PFKV2_DIALECT_LINUX &&
	    o->dialect != PFKV2_DIALECT_FREEBSD &&
	    o->dialect != PFKV2_DIALECT_ILLUMOS) ||
	    (o->flags & ~PFKV2_SADB_NO_KEYS) != 0) {
		errno = EINVAL;
		return NULL;
	}
	db = calloc(1, sizeof(*db));
	if (db == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	db->mem = sizeof(*db);
	db->o = *o;
	if (db->o.rcvbuf == 0)
		db->o.rcvbuf = 212992;
	if (db->o.larval_lifetime == 0)
		db->o.larval_lifetime = 30;
	db->d = o->dialect;
	db->dl = pfkv2_dl_get(db->d);
	db->now = o->start_time;
	/* splitmix64 of the seed: any seed, 0 included, gives a good state. */
	db->rng = (uint64_t)o->seed + UINT64_C(0x9E3779B97F4A7C15);
	db->rng = (db->rng ^ (db->rng >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	db->rng = (db->rng ^ (db->rng >> 27)) * UINT64_C(0x94D049BB133111EB);
	db->rng ^= db->rng >> 31;
	if (db->rng == 0)
		db->rng = 1;
	db->ocap = 65536;
	if ((db->obuf = db_alloc(db, db->ocap)) == NULL ||
	    sa_store_init(db) != 0 || spd_init(db) != 0 ||
	    acq_store_init(db) != 0) {
		pfkv2_sadb_free(db);
		errno = ENOMEM;
		return NULL;
	}
	if (db->d == PFKV2_DIALECT_LINUX)
		linux_tmpl_init(db);
	return db;
}

PFKV2_API void
pfkv2_sadb_free(struct pfkv2_sadb *db)
{
	if (db == NULL)
		return;
	fd_close_all(db);
	while (db->eps != NULL)
		ep_destroy(db->eps);
	qmsg_cache_free(db);
	sa_store_destroy(db);
	spd_destroy(db);
	acq_store_destroy(db);
	heap_destroy(db);
	if (db->obuf != NULL)
		wipe(db->obuf, db->ocap);
	db_free(db, db->obuf, db->ocap);
	if (db->ibuf != NULL)
		wipe(db->ibuf, db->icap);
	db_free(db, db->ibuf, db->icap);
	free(db);
}

PFKV2_API uint64_t
pfkv2_sadb_now(const struct pfkv2_sadb *db)
{
	return db != NULL ? db->now : 0;
}

PFKV2_API int
pfkv2_sadb_stats(const struct pfkv2_sadb *db, struct pfkv2_sadb_stats *st)
{
	const struct pfkv2_sadb_ep *ep;

	if (db == NULL || st == NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->sas = db->sas.count;
	st->larval = db->nlarval;
	st->policies = db->pols.count;
	st->endpoints = db->neps;
	st->mem = db->mem;
	st->key_mem = db->key_mem;
	st->expires = db->expires;
	st->acquires = db->acquires;
	st->dropped = db->dropped;
	for (ep = db->eps; ep != NULL; ep = ep->next)
		st->dropped += ep->dropped;
	return 0;
}
