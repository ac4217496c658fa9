/*
 * pfkv2_sadb_check(): the engine's invariants, walked in full.  For tests
 * and fuzzing; O(size of the database).
 *
 * sadb_check_line() returns the source line of the first broken
 * invariant (0 when all hold), which is what a failing test wants to see.
 */
#include "sadb_int.h"

#define CHECK(c)	do { if (!(c)) return __LINE__; } while (0)

int sadb_check_line(const struct pfkv2_sadb *db);

static uint32_t
chain_len(const struct pfkv2_sadb *db, const struct htab *h, size_t link,
    bool sas, int *bad)
{
	uint32_t b, i, n = 0, next;
	const uint8_t *r;

	for (b = 0; b <= h->mask; b++) {
		for (i = h->b[b]; i != NIL; i = next) {
			if (i >= (sas ? db->sas.hi : db->pols.hi) ||
			    ++n > (sas ? db->sas.hi : db->pols.hi)) {
				*bad = 1;
				return n;
			}
			r = sas ? (const uint8_t *)sa_at(db, i) :
			    (const uint8_t *)pol_at(db, i);
			memcpy(&next, r + link, sizeof(next));
		}
	}
	return n;
}

/* Record i of a pool, not in use, is zero but for its free-list link. */
static bool
free_record_zero(const struct pool *p, uint32_t i)
{
	const uint8_t *r = pool_at(p, i);
	uint32_t b;

	for (b = 0; b < p->size; b++)
		if (r[b] != 0 && (b < p->link_off ||
		    b >= p->link_off + sizeof(uint32_t)))
			return false;
	return true;
}

static int
check_sas(const struct pfkv2_sadb *db)
{
	uint32_t i, n = 0, larval = 0, seqidx = 0, per[PFKV2_SATYPE_COUNT];
	const struct sa *s;
	size_t keys = 0;
	int bad = 0;

	memset(per, 0, sizeof(per));
	for (i = 0; i < db->sas.hi; i++) {
		s = sa_at(db, i);
		if (!(s->fl & SAF_LIVE)) {
			/* pool_get() relies on free records being zero. */
			CHECK(free_record_zero(&db->sas, i));
			continue;
		}
		n++;
		CHECK(s->satype < PFKV2_SATYPE_COUNT);
		per[s->satype]++;
		CHECK(s->state == PFKV2_SASTATE_LARVAL ||
		    s->state == PFKV2_SASTATE_MATURE ||
		    s->state == PFKV2_SASTATE_DYING);
		CHECK(s->family == PFKV2_AF_INET ||
		    s->family == PFKV2_AF_INET6);
		CHECK(s->spi != 0);
		if (s->state == PFKV2_SASTATE_LARVAL)
			larval++;
		/* Unique in the dialect's namespace: the index finds it. */
		CHECK(sa_find(db, s->satype, s->spi, s->family, s->dst) == i);
		CHECK(sa_find_pair(db, s->satype, s->family, s->src, s->dst,
		    NIL) != NIL);
		CHECK((s->keys == NULL) == (s->abits == 0 && s->ebits == 0));
		keys += (s->abits + 7u) / 8u + (s->ebits + 7u) / 8u;
		if (s->fl & SAF_SEQIDX) {
			seqidx++;
			CHECK(s->state == PFKV2_SASTATE_LARVAL && s->seq != 0);
			CHECK(sa_find_larval_seq(db, s->seq, s->satype,
			    s->family, s->dst) != NIL);
		} else {
			CHECK(!(s->state == PFKV2_SASTATE_LARVAL &&
			    s->seq != 0));
		}
		/* The timer agrees with the lifetimes. */
		CHECK(s->deadline == sa_deadline(db, s));
		if (s->deadline == T_NEVER)
			CHECK(s->heap_pos == NIL);
		else
			CHECK(s->heap_pos < db->nheap &&
			    db->heap[s->heap_pos] == (TM_SA | i));
		if (db->d == PFKV2_DIALECT_ILLUMOS && sa_pair_of(db, i) != NIL)
			CHECK(sa_at(db, sa_pair_of(db, i))->side != NULL);
	}
	CHECK(n == db->sas.count);
	CHECK(larval == db->nlarval);
	CHECK(keys == db->key_mem);
	CHECK(memcmp(per, db->per_satype, sizeof(per)) == 0);
	CHECK(db->by_spi.n == n && db->by_pair.n == n);
	CHECK(chain_len(db, &db->by_spi, offsetof(struct sa, spi_next), true,
	    &bad) == n && !bad);
	CHECK(chain_len(db, &db->by_pair, offsetof(struct sa, pair_next),
	    true, &bad) == n && !bad);
	CHECK(db->by_seq.n == seqidx);
	CHECK(chain_len(db, &db->by_seq, offsetof(struct sa, seq_next), true,
	    &bad) == seqidx && !bad);
	return 0;
}

static int
check_pols(const struct pfkv2_sadb *db)
{
	uint32_t i, k, n = 0;
	const struct pol *p, *q;
	int bad = 0;

	for (i = 0; i < db->pols.hi; i++) {
		p = pol_at(db, i);
		if (!p->live) {
			CHECK(free_record_zero(&db->pols, i));
			continue;
		}
		n++;
		CHECK(pol_find_id(db, p->id) == i);
		CHECK(p->reqs != NULL || p->nreq == 0);
		if (p->deadline == T_NEVER)
			CHECK(p->heap_pos == NIL);
		else
			CHECK(p->heap_pos < db->nheap &&
			    db->heap[p->heap_pos] == (TM_POL | i));
	}
	CHECK(n == db->pols.count && n == db->nporder && n == db->by_pid.n);
	CHECK(chain_len(db, &db->by_pid, offsetof(struct pol, id_next), false,
	    &bad) == n && !bad);
	for (k = 0; k < db->nporder; k++) {
		CHECK(db->porder[k] < db->pols.hi);
		p = pol_at(db, db->porder[k]);
		CHECK(p->live);
		if (k == 0)
			continue;
		q = pol_at(db, db->porder[k - 1]);
		CHECK(q->priority < p->priority ||
		    (q->priority == p->priority && q->order < p->order));
	}
	return 0;
}

static int
check_heap(const struct pfkv2_sadb *db)
{
	uint32_t k, ent, i, n = 0;
	const struct acq *a;

	CHECK(db->nheap <= db->cap_heap);
	CHECK(db->cap_heap == 0 || db->cap_heap >= db->sas.count +
	    db->pols.count + db->acqs.count);
	for (k = 0; k < db->nheap; k++) {
		ent = db->heap[k];
		i = ent & TM_IDX;
		switch (ent & TM_TAG) {
		case TM_SA:
			CHECK(i < db->sas.hi && (sa_at(db, i)->fl & SAF_LIVE));
			CHECK(sa_at(db, i)->heap_pos == k);
			break;
		case TM_POL:
			CHECK(i < db->pols.hi && pol_at(db, i)->live);
			CHECK(pol_at(db, i)->heap_pos == k);
			break;
		case TM_ACQ:
			a = pool_at(&db->acqs, i);
			CHECK(i < db->acqs.hi && a->live && a->heap_pos == k);
			break;
		default:
			return __LINE__;
		}
		if (k > 0)
			CHECK(ent_deadline(db, db->heap[(k - 1) / 2]) <=
			    ent_deadline(db, ent));
	}
	for (i = 0; i < db->acqs.hi; i++) {
		a = pool_at(&db->acqs, i);
		if (!a->live) {
			CHECK(free_record_zero(&db->acqs, i));
			continue;
		}
		n++;
		CHECK(a->seq != 0 && a->heap_pos != NIL);
	}
	CHECK(n == db->acqs.count && n == db->by_aseq.n);
	return 0;
}

static int
check_eps(const struct pfkv2_sadb *db)
{
	const struct pfkv2_sadb_ep *ep;
	const struct qmsg *m;
	size_t n = 0, np = 0, bytes;

	for (ep = db->eps; ep != NULL; ep = ep->next) {
		n++;
		np += ep->promisc != 0;
		CHECK(ep->db == db);
		CHECK(ep->next == NULL || ep->next->prev == ep);
		for (bytes = 0, m = ep->qhead; m != NULL; m = m->next) {
			bytes += m->len;
			CHECK(m->next != NULL || m == ep->qtail);
		}
		CHECK(bytes == ep->qbytes);
		CHECK(ep->dump.kind == DUMP_NONE || ep->dump.held != NULL);
	}
	CHECK(n == db->neps && np == db->npromisc);
	return 0;
}

int
sadb_check_line(const struct pfkv2_sadb *db)
{
	int line;

	if ((line = check_sas(db)) != 0 || (line = check_pols(db)) != 0 ||
	    (line = check_heap(db)) != 0 || (line = check_eps(db)) != 0)
		return line;
	return 0;
}

PFKV2_API int
pfkv2_sadb_check(const struct pfkv2_sadb *db)
{
	if (db == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (sadb_check_line(db) != 0) {
		errno = EFAULT;
		return -1;
	}
	return 0;
}
