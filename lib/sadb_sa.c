/*
 * The SA store: records in a pool, three chained hash indexes threaded
 * through the records (SPI namespace, (satype, src, dst), larval sequence
 * number), key storage and the side record of rare extensions.
 *
 * The SPI namespace is the dialect's (validation-and-semantics.md 3.2):
 * FreeBSD keeps one global SPI space, so its index is keyed by the SPI
 * alone; Linux keys it by (daddr, proto, SPI) and illumos by (dst, SPI) in
 * each protocol's own database, which is the same key.
 */
#include <stdlib.h>

#include "sadb_int.h"

static void key_slab_destroy(struct pfkv2_sadb *db);

/* The pair index's key, (satype, src, dst); fmix64() in sadb_inline.h. */
static inline uint32_t
hash_pair(unsigned satype, uint8_t family, const uint8_t *src,
    const uint8_t *dst)
{
	return fmix64((ip_word(family, src) << 32 | satype << 8 | family) ^
	    ip_word(family, dst) * UINT64_C(0x9e3779b97f4a7c15));
}

int
sa_store_init(struct pfkv2_sadb *db)
{
	pool_init(&db->sas, sizeof(struct sa), offsetof(struct sa, spi_next));
	if (htab_init(db, &db->by_spi, 64) != 0 ||
	    htab_init(db, &db->by_pair, 64) != 0 ||
	    htab_init(db, &db->by_seq, 16) != 0)
		return -1;
	return 0;
}

void
sa_store_destroy(struct pfkv2_sadb *db)
{
	uint32_t i;
	struct sa *s;

	for (i = 0; i < db->sas.hi; i++) {
		s = sa_at(db, i);
		if (s->fl & SAF_LIVE) {
			sa_free_keys(db, s);
			side_free(db, s->side);
			s->side = NULL;
		}
	}
	pool_destroy(db, &db->sas);
	key_slab_destroy(db);
	htab_destroy(db, &db->by_spi);
	htab_destroy(db, &db->by_pair);
	htab_destroy(db, &db->by_seq);
}

/* Rebuild the SPI and pair indexes over buckets twice as many. */
static int
rehash_main(struct pfkv2_sadb *db)
{
	uint32_t *bs, *bp, i, ms, mp, h;
	struct sa *s;

	bs = htab_realloc(db, &db->by_spi);
	if (bs == NULL)
		return -1;
	bp = htab_realloc(db, &db->by_pair);
	if (bp == NULL) {
		db_free(db, bs, ((size_t)db->by_spi.mask + 1) * 2 *
		    sizeof(uint32_t));
		return -1;
	}
	ms = db->by_spi.mask * 2 + 1;
	mp = db->by_pair.mask * 2 + 1;
	for (i = 0; i < db->sas.hi; i++) {
		s = sa_at(db, i);
		if (!(s->fl & SAF_LIVE))
			continue;
		h = hash_spi(db, s->satype, s->spi, s->family, s->dst) & ms;
		s->spi_next = bs[h];
		bs[h] = i;
		h = hash_pair(s->satype, s->family, s->src, s->dst) & mp;
		s->pair_next = bp[h];
		bp[h] = i;
	}
	htab_destroy(db, &db->by_spi);
	htab_destroy(db, &db->by_pair);
	db->by_spi.b = bs;
	db->by_spi.mask = ms;
	db->by_pair.b = bp;
	db->by_pair.mask = mp;
	return 0;
}

static int
rehash_seq(struct pfkv2_sadb *db)
{
	uint32_t *b, i, m, h;
	struct sa *s;

	if ((b = htab_realloc(db, &db->by_seq)) == NULL)
		return -1;
	m = db->by_seq.mask * 2 + 1;
	for (i = 0; i < db->sas.hi; i++) {
		s = sa_at(db, i);
		if ((s->fl & (SAF_LIVE | SAF_SEQIDX)) !=
		    (SAF_LIVE | SAF_SEQIDX))
			continue;
		h = mix32(s->seq) & m;
		s->seq_next = b[h];
		b[h] = i;
	}
	htab_destroy(db, &db->by_seq);
	db->by_seq.b = b;
	db->by_seq.mask = m;
	return 0;
}

/*
 * Everything that could fail when `more` SAs are linked is done here, so
 * that a request can reserve first and then change the database without
 * a failure half way (timer heap room included).
 */
int
sa_reserve_slow(struct pfkv2_sadb *db, uint32_t more)
{
	while ((uint64_t)db->by_spi.n + more > (uint64_t)db->by_spi.mask + 1)
		if (rehash_main(db) != 0)
			return -1;
	while ((uint64_t)db->by_seq.n + more > (uint64_t)db->by_seq.mask + 1)
		if (rehash_seq(db) != 0)
			return -1;
	return heap_reserve(db, more);
}

uint32_t
sa_new(struct pfkv2_sadb *db)
{
	uint32_t i = pool_get(db, &db->sas);
	struct sa *s;

	if (i == NIL)
		return NIL;
	s = sa_at(db, i);
	s->heap_pos = NIL;
	s->spi_next = s->pair_next = s->seq_next = NIL;
	s->deadline = T_NEVER;
	return i;
}

void
sa_seq_index(struct pfkv2_sadb *db, uint32_t i)
{
	struct sa *s = sa_at(db, i);
	uint32_t h;

	if ((s->fl & SAF_SEQIDX) || s->seq == 0 ||
	    s->state != PFKV2_SASTATE_LARVAL)
		return;
	h = mix32(s->seq) & db->by_seq.mask;
	s->seq_next = db->by_seq.b[h];
	db->by_seq.b[h] = i;
	db->by_seq.n++;
	s->fl |= SAF_SEQIDX;
}

void
sa_seq_unindex(struct pfkv2_sadb *db, uint32_t i)
{
	struct sa *s = sa_at(db, i);
	uint32_t *pp;

	if (!(s->fl & SAF_SEQIDX))
		return;
	for (pp = &db->by_seq.b[mix32(s->seq) & db->by_seq.mask]; *pp != i;
	    pp = &sa_at(db, *pp)->seq_next)
		;
	*pp = s->seq_next;
	s->seq_next = NIL;
	db->by_seq.n--;
	s->fl &= (uint8_t)~SAF_SEQIDX;
}

void
sa_link(struct pfkv2_sadb *db, uint32_t i)
{
	struct sa *s = sa_at(db, i);
	uint32_t h;

	h = hash_spi(db, s->satype, s->spi, s->family, s->dst) &
	    db->by_spi.mask;
	s->spi_next = db->by_spi.b[h];
	db->by_spi.b[h] = i;
	db->by_spi.n++;
	h = hash_pair(s->satype, s->family, s->src, s->dst) &
	    db->by_pair.mask;
	s->pair_next = db->by_pair.b[h];
	db->by_pair.b[h] = i;
	db->by_pair.n++;
	s->fl |= SAF_LIVE;
	db->per_satype[s->satype]++;
	if (s->state == PFKV2_SASTATE_LARVAL) {
		db->nlarval++;
		sa_seq_index(db, i);
	}
}

void
sa_unlink(struct pfkv2_sadb *db, uint32_t i)
{
	struct sa *s = sa_at(db, i);
	uint32_t *pp;

	if (!(s->fl & SAF_LIVE))
		return;
	for (pp = &db->by_spi.b[hash_spi(db, s->satype, s->spi, s->family,
	    s->dst) & db->by_spi.mask]; *pp != i;
	    pp = &sa_at(db, *pp)->spi_next)
		;
	*pp = s->spi_next;
	db->by_spi.n--;
	for (pp = &db->by_pair.b[hash_pair(s->satype, s->family, s->src,
	    s->dst) & db->by_pair.mask]; *pp != i;
	    pp = &sa_at(db, *pp)->pair_next)
		;
	*pp = s->pair_next;
	db->by_pair.n--;
	sa_seq_unindex(db, i);
	heap_remove(db, &s->heap_pos);
	db->per_satype[s->satype]--;
	if (s->state == PFKV2_SASTATE_LARVAL)
		db->nlarval--;
	s->spi_next = s->pair_next = NIL;
	s->fl &= (uint8_t)~SAF_LIVE;
}

void
sa_destroy(struct pfkv2_sadb *db, uint32_t i)
{
	struct sa *s = sa_at(db, i);

	sa_unlink(db, i);
	sa_free_keys(db, s);
	side_free(db, s->side);
	s->side = NULL;
	pool_put(db, &db->sas, i);
}

uint32_t
sa_find_pair(const struct pfkv2_sadb *db, unsigned satype, uint8_t family,
    const uint8_t *src, const uint8_t *dst, uint32_t after)
{
	uint32_t i;
	const struct sa *s;

	if (after == NIL)
		i = db->by_pair.b[hash_pair(satype, family, src, dst) &
		    db->by_pair.mask];
	else
		i = sa_at(db, after)->pair_next;
	for (; i != NIL; i = s->pair_next) {
		s = sa_at(db, i);
		if (s->satype == satype && s->family == family &&
		    ip_eq(s->src, src, family) && ip_eq(s->dst, dst, family))
			return i;
	}
	return NIL;
}

uint32_t
sa_find_larval_seq(const struct pfkv2_sadb *db, uint32_t seq, unsigned satype,
    uint8_t family, const uint8_t *dst)
{
	uint32_t i;
	const struct sa *s;

	if (db->by_seq.n == 0)
		return NIL;
	for (i = db->by_seq.b[mix32(seq) & db->by_seq.mask]; i != NIL;
	    i = s->seq_next) {
		s = sa_at(db, i);
		if (s->seq == seq && s->satype == satype &&
		    s->family == family && ip_eq(s->dst, dst, family))
			return i;
	}
	return NIL;
}

/* ---- keys ------------------------------------------------------------- */

/* The link word at the start of a free block or a chunk. */
static uint8_t *
link_of(const uint8_t *p)
{
	uint8_t *next;

	memcpy(&next, p, sizeof(next));
	return next;
}

static void
set_link(uint8_t *p, uint8_t *next)
{
	memcpy(p, &next, sizeof(next));
}

/*
 * An ADD and a DELETE used to cost a malloc() and a free() for the keys,
 * about a tenth of the whole message.  Blocks of a size class cost a few
 * instructions either way.  The chunks are counted in .mem; the padding
 * of each key to a word (key_pad(), at most 7 bytes) counts as memory
 * beyond the key bytes, and key_mem stays the key bytes themselves.  A
 * free block holds the next one's address in its first word: blocks are
 * at least KEY_GRAIN bytes and their key bytes are wiped before that.
 * Blocks freed stay in the slab for the next keys of their class.
 */
static uint8_t *
key_alloc(struct pfkv2_sadb *db, size_t n)
{
	struct keyslab *k = &db->keys;
	size_t c = (n - 1) / KEY_GRAIN, size = (c + 1) * KEY_GRAIN;
	uint8_t *p;

	if (n > KEY_SLAB_MAX)
		return db_alloc(db, n);
	if ((p = k->free[c]) != NULL) {
		k->free[c] = link_of(p);
		return p;
	}
	if (k->left < size) {
		if ((p = db_alloc(db, KEY_CHUNK)) == NULL)
			return NULL;
		set_link(p, k->chunks);
		k->chunks = p;
		k->cur = p + KEY_GRAIN;
		k->left = KEY_CHUNK - KEY_GRAIN;
	}
	p = k->cur;
	k->cur += size;
	k->left -= size;
	return p;
}

static void
key_release(struct pfkv2_sadb *db, uint8_t *p, size_t n)
{
	struct keyslab *k = &db->keys;
	size_t c = (n - 1) / KEY_GRAIN;

	wipe(p, n);
	if (n > KEY_SLAB_MAX) {
		db_free(db, p, n);
		return;
	}
	set_link(p, k->free[c]);
	k->free[c] = p;
}

/* Every SA's keys were released first: the chunks hold no key bytes. */
static void
key_slab_destroy(struct pfkv2_sadb *db)
{
	uint8_t *p, *next;

	for (p = db->keys.chunks; p != NULL; p = next) {
		next = link_of(p);
		db_free(db, p, KEY_CHUNK);
	}
	memset(&db->keys, 0, sizeof(db->keys));
}

/* The key bytes themselves (what key_mem counts). */
static size_t
key_bytes(const struct sa *s)
{
	return (size_t)(s->abits + 7u) / 8u + (size_t)(s->ebits + 7u) / 8u;
}

void
sa_free_keys(struct pfkv2_sadb *db, struct sa *s)
{
	if (s->keys != NULL) {
		key_release(db, s->keys, key_pad(s->abits) +
		    key_pad(s->ebits));
		db->key_mem -= key_bytes(s);
	}
	s->keys = NULL;
	s->abits = s->ebits = 0;
}

int
sa_set_keys(struct pfkv2_sadb *db, struct sa *s, unsigned abits,
    const uint8_t *a, unsigned ebits, const uint8_t *e)
{
	size_t na = (abits + 7u) / 8u, ne = (ebits + 7u) / 8u;
	size_t pa = key_pad(abits), pe = key_pad(ebits);
	uint8_t *k = NULL;

	if (pa + pe != 0) {
		if ((k = key_alloc(db, pa + pe)) == NULL)
			return -1;
		/* Zero the last word of each, then the key over it. */
		if (na) {
			st64(k + pa - 8, 0);
			memcpy(k, a, na);
		}
		if (ne) {
			st64(k + pa + pe - 8, 0);
			memcpy(k + pa, e, ne);
		}
		db->key_mem += na + ne;
	}
	if (s->keys != NULL)
		sa_free_keys(db, s);
	s->keys = k;
	s->abits = (uint16_t)abits;
	s->ebits = (uint16_t)ebits;
	return 0;
}

/* ---- side records ----------------------------------------------------- */

void
side_free(struct pfkv2_sadb *db, struct sa_side *side)
{
	size_t n;

	if (side == NULL)
		return;
	n = sizeof(*side) + side->nraw;
	wipe(side, n);
	db_free(db, side, n);
}

const uint8_t *
side_ext(const struct sa_side *side, unsigned ext, size_t *len)
{
	const uint8_t *p, *end;
	uint64_t m;
	unsigned e;
	size_t n;

	if (side == NULL || !(side->mask & PFKV2_EXTBIT(ext)))
		return NULL;
	/* Stored in ascending canonical order: skip the ones before ext. */
	p = side->raw;
	end = side->raw + side->nraw;
	for (m = side->mask, e = 0; p < end; e++) {
		if (!(m & PFKV2_EXTBIT(e)))
			continue;
		n = (size_t)ld16(p) * PFKV2_WORD;
		if (e == ext) {
			if (len != NULL)
				*len = n;
			return p;
		}
		p += n;
	}
	return NULL;
}

int
side_build(struct pfkv2_sadb *db, const struct sa_side *old,
    const struct pfkv2_view *v, uint64_t mask, uint64_t keep, bool force,
    struct sa_side **out)
{
	const uint8_t *src[PFKV2_EXT_COUNT];
	size_t len[PFKV2_EXT_COUNT], total = 0, l;
	uint64_t have = 0;
	struct sa_side *s;
	unsigned e;
	uint8_t *p;

	for (e = 1; e < PFKV2_EXT_COUNT; e++) {
		if (!(mask & PFKV2_EXTBIT(e)))
			continue;
		src[e] = NULL;
		if (v != NULL && pfkv2_view_has(v, e))
			src[e] = pfkv2_view_ext(v, e, &l);
		else if ((keep & PFKV2_EXTBIT(e)) &&
		    (src[e] = side_ext(old, e, &l)) == NULL)
			continue;
		if (src[e] == NULL)
			continue;
		len[e] = l;
		total += l;
		have |= PFKV2_EXTBIT(e);
	}
	*out = NULL;
	if (have == 0 && !force && (old == NULL || (old->kmc_proto == 0 &&
	    old->kmc_cookie == 0 && old->pair_spi == 0)))
		return 0;
	if ((s = db_zalloc(db, sizeof(*s) + total)) == NULL)
		return -1;
	if (old != NULL) {
		s->kmc_cookie = old->kmc_cookie;
		s->kmc_proto = old->kmc_proto;
		s->pair_spi = old->pair_spi;
	}
	s->mask = have;
	s->nraw = (uint32_t)total;
	for (e = 1, p = s->raw; e < PFKV2_EXT_COUNT; e++) {
		if (!(have & PFKV2_EXTBIT(e)))
			continue;
		memcpy(p, src[e], len[e]);
		p += len[e];
	}
	*out = s;
	return 0;
}
