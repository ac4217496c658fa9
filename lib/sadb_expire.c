/*
 * Lifetimes: the timer heap, soft and hard expiry by time since add, time
 * since first use, bytes and allocations, the larval timeout, and the
 * clock (validation-and-semantics.md 3.1 and 3.7).
 *
 * One binary min-heap holds every SA, policy and pending acquire that has
 * a future time event, keyed by that object's next deadline; advancing the
 * clock pops what fell due, in time order, so the cost is O(log n) per
 * event and nothing per idle SA.  Counters are checked when they change
 * (pfkv2_sadb_charge, a packet, an UPDATE of the limits).
 *
 * Boundaries per dialect (3.7, D24):
 *	Linux	time: now >= add + limit; bytes/packets: >= limit; the
 *		allocation limits count packets;
 *	FreeBSD	strictly greater (a 1 Hz sweep of now - created > limit, so
 *		a time limit fires one second later); allocation limits are
 *		not enforced;
 *	illumos	time: expire time <= now; bytes >= limit; allocation limits
 *		are kept but not enforced.
 * Hard is checked before soft, and a soft expiry fires once (MATURE to
 * DYING).  A hard expiry sends EXPIRE and removes the SA (illumos keeps a
 * DEAD SA until its ager reaps it; the engine reaps at once).  A larval SA
 * that times out goes silently.  EXPIRE goes to registered sockets on
 * Linux and FreeBSD, to all on illumos (D20).
 */
#include "sadb_int.h"

/* ---- the heap --------------------------------------------------------- */

/*
 * The heap position of an entry (its deadline: ent_deadline(),
 * sadb_inline.h).  Inline, SAs first: every ADD and DELETE moves an SA in
 * the heap, a level costing one of each.
 */
static inline uint32_t *
ent_pos(struct pfkv2_sadb *db, uint32_t ent)
{
	uint32_t i = ent & TM_IDX;

	switch (ent & TM_TAG) {
	case TM_SA:
		return &sa_at(db, i)->heap_pos;
	case TM_POL:
		return &pol_at(db, i)->heap_pos;
	default:
		return &((struct acq *)pool_at(&db->acqs, i))->heap_pos;
	}
}

/* Order by deadline, then by entry, so that runs are deterministic. */
static bool
before(const struct pfkv2_sadb *db, uint32_t a, uint32_t b)
{
	uint64_t da = ent_deadline(db, a), dbb = ent_deadline(db, b);

	return da < dbb || (da == dbb && a < b);
}

static inline void
place(struct pfkv2_sadb *db, uint32_t pos, uint32_t ent)
{
	db->heap[pos] = ent;
	*ent_pos(db, ent) = pos;
}

/*
 * Move ent, whose deadline is d, up from the hole at pos to its place
 * (before() with ent's side known: an insert costs one deadline read per
 * level).
 */
static ALWAYS_INLINE void
sift_up(struct pfkv2_sadb *db, uint32_t pos, uint32_t ent, uint64_t d)
{
	uint32_t parent, pe;
	uint64_t pd;

	while (pos > 0) {
		parent = (pos - 1) / 2;
		pe = db->heap[parent];
		pd = ent_deadline(db, pe);
		if (!(d < pd || (d == pd && ent < pe)))
			break;
		place(db, pos, pe);
		pos = parent;
	}
	place(db, pos, ent);
}

static void
sift_down(struct pfkv2_sadb *db, uint32_t pos)
{
	uint32_t ent = db->heap[pos], c;

	for (;;) {
		c = 2 * pos + 1;
		if (c >= db->nheap)
			break;
		if (c + 1 < db->nheap && before(db, db->heap[c + 1],
		    db->heap[c]))
			c++;
		if (!before(db, db->heap[c], ent))
			break;
		place(db, pos, db->heap[c]);
		pos = c;
	}
	place(db, pos, ent);
}

/* heap_reserve() when the heap must grow. */
int
heap_grow(struct pfkv2_sadb *db, uint32_t more)
{
	uint64_t need = (uint64_t)db->sas.count + db->pols.count +
	    db->acqs.count + more;
	uint32_t nc;
	uint32_t *h;

	if (need <= db->cap_heap)
		return 0;
	if (need > TM_IDX) {
		errno = ENOMEM;
		return -1;
	}
	nc = db->cap_heap ? db->cap_heap : 64;
	while (nc < need)
		nc *= 2;
	h = db_realloc(db, db->heap, (size_t)db->cap_heap * sizeof(*h),
	    (size_t)nc * sizeof(*h));
	if (h == NULL)
		return -1;
	db->heap = h;
	db->cap_heap = nc;
	return 0;
}

void
heap_destroy(struct pfkv2_sadb *db)
{
	db_free(db, db->heap, (size_t)db->cap_heap * sizeof(*db->heap));
	db->heap = NULL;
	db->nheap = db->cap_heap = 0;
}

void
heap_remove(struct pfkv2_sadb *db, uint32_t *pos)
{
	uint32_t p = *pos, last;

	if (p == NIL)
		return;
	*pos = NIL;
	last = db->heap[--db->nheap];
	if (p == db->nheap)
		return;
	place(db, p, last);
	if (p > 0 && before(db, last, db->heap[(p - 1) / 2]))
		sift_up(db, p, last, ent_deadline(db, last));
	else
		sift_down(db, p);
}

/* Give the object `ent` the deadline already stored in it. */
void
heap_set(struct pfkv2_sadb *db, uint32_t ent, uint64_t deadline)
{
	uint32_t *pos = ent_pos(db, ent);

	if (deadline == T_NEVER) {
		heap_remove(db, pos);
		return;
	}
	if (*pos == NIL) {
		if (db->nheap >= db->cap_heap && heap_reserve(db, 1) != 0)
			return;	/* cannot happen: room was reserved */
		sift_up(db, db->nheap++, ent, deadline);
		return;
	}
	sift_up(db, *pos, ent, deadline);
	sift_down(db, *pos);
}

/* ---- SA deadlines ----------------------------------------------------- */

static inline uint64_t
due(uint64_t base, uint64_t limit, uint64_t extra)
{
	uint64_t t;

	if (limit == 0)
		return T_NEVER;
	t = base + limit;
	if (t < base || t + extra < t)
		return T_NEVER - 1;
	return t + extra;
}

static uint64_t
min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t
hard_due(const struct pfkv2_sadb *db, const struct sa *s)
{
	uint64_t x = db->d == PFKV2_DIALECT_FREEBSD;
	uint64_t t = due(s->addtime, s->hard.addtime, x);

	if (s->fl & SAF_USED)
		t = min64(t, due(s->usetime, s->hard.usetime, x));
	return t;
}

static inline uint64_t
soft_due(const struct pfkv2_sadb *db, const struct sa *s)
{
	uint64_t x = db->d == PFKV2_DIALECT_FREEBSD;
	uint64_t t;

	if (s->state != PFKV2_SASTATE_MATURE)
		return T_NEVER;
	t = due(s->addtime, s->soft.addtime, x);
	if (s->fl & SAF_USED)
		t = min64(t, due(s->usetime, s->soft.usetime, x));
	return t;
}

uint64_t
sa_deadline(const struct pfkv2_sadb *db, const struct sa *s)
{
	if (s->state == PFKV2_SASTATE_LARVAL)
		return due(s->addtime, db->o.larval_lifetime,
		    db->d == PFKV2_DIALECT_FREEBSD);
	return min64(hard_due(db, s), soft_due(db, s));
}

void
sa_rearm(struct pfkv2_sadb *db, uint32_t i)
{
	struct sa *s = sa_at(db, i);

	s->deadline = sa_deadline(db, s);
	heap_set(db, TM_SA | i, s->deadline);
}

/* ---- expiring --------------------------------------------------------- */

void
sa_expire_msg(struct pfkv2_sadb *db, uint32_t i, bool hard)
{
	const struct sa *s = sa_at(db, i);
	struct sa_msg m = {
		.sa = s, .type = PFKV2_MSG_EXPIRE, .seq = 0, .pid = 0,
		.what = OUT_EXPIRE | (hard ? OUT_HARD : OUT_SOFT),
		.state = hard ? PFKV2_SASTATE_DEAD : PFKV2_SASTATE_DYING
	};
	struct built out;

	/* FreeBSD key_expire: the seq of the request that made the SA. */
	if (db->d == PFKV2_DIALECT_FREEBSD)
		m.seq = s->seq;
	db->expires++;
	db->nexpired++;
	if (out_sa_msg(db, &m, &out) != 0)
		return;
	deliver_built(db, NULL, db->d == PFKV2_DIALECT_ILLUMOS ? TO_ALL :
	    TO_REG, s->satype, &out);
}

static void
expire_hard(struct pfkv2_sadb *db, uint32_t i)
{
	uint32_t p = NIL;

	if (db->d == PFKV2_DIALECT_ILLUMOS)
		p = sa_pair_of(db, i);
	sa_expire_msg(db, i, true);
	sa_remove(db, i);
	/* illumos: paired SAs hard-expire together (age_pair_peer_list). */
	if (p != NIL && (sa_at(db, p)->fl & SAF_LIVE)) {
		sa_expire_msg(db, p, true);
		sa_remove(db, p);
	}
}

static void
expire_soft(struct pfkv2_sadb *db, uint32_t i)
{
	sa_at(db, i)->state = PFKV2_SASTATE_DYING;
	sa_expire_msg(db, i, false);
	sa_rearm(db, i);
}

/* A time event of SA i at the clock's current value. */
static void
sa_timer(struct pfkv2_sadb *db, uint32_t i)
{
	struct sa *s = sa_at(db, i);
	uint64_t t = db->now;

	if (s->state == PFKV2_SASTATE_LARVAL) {
		if (sa_deadline(db, s) <= t)
			sa_remove(db, i);
		else
			sa_rearm(db, i);
		return;
	}
	if (hard_due(db, s) <= t)
		expire_hard(db, i);
	else if (soft_due(db, s) <= t)
		expire_soft(db, i);
	else
		sa_rearm(db, i);
}

static bool
over(const struct pfkv2_sadb *db, uint64_t v, uint64_t limit)
{
	if (limit == 0)
		return false;
	return db->d == PFKV2_DIALECT_FREEBSD ? v > limit : v >= limit;
}

void
sa_check_counters(struct pfkv2_sadb *db, uint32_t i)
{
	struct sa *s = sa_at(db, i);
	bool allocs = db->d == PFKV2_DIALECT_LINUX;

	if (!(s->fl & SAF_LIVE) || s->state == PFKV2_SASTATE_LARVAL)
		return;
	if (over(db, s->cur_bytes, s->hard.bytes) ||
	    (allocs && over(db, s->cur_alloc, s->hard_alloc))) {
		expire_hard(db, i);
		return;
	}
	if (s->state == PFKV2_SASTATE_MATURE &&
	    (over(db, s->cur_bytes, s->soft.bytes) ||
	    (allocs && over(db, s->cur_alloc, s->soft_alloc))))
		expire_soft(db, i);
}

void
sa_charge(struct pfkv2_sadb *db, uint32_t i, uint64_t bytes,
    uint32_t packets)
{
	struct sa *s = sa_at(db, i);
	uint64_t since = db->now - s->addtime;

	s->cur_bytes = s->cur_bytes + bytes < s->cur_bytes ? UINT64_MAX :
	    s->cur_bytes + bytes;
	s->cur_alloc = s->cur_alloc + packets < s->cur_alloc ? UINT32_MAX :
	    s->cur_alloc + packets;
	s->lastuse = since > UINT32_MAX ? UINT32_MAX : (uint32_t)since;
	if (!(s->fl & SAF_USED)) {
		s->fl |= SAF_USED;
		s->usetime = db->now;
		sa_rearm(db, i);
	}
	sa_check_counters(db, i);
}

/* ---- the clock -------------------------------------------------------- */

/* Run every time event due at or before `upto`, in time order. */
static void
timer_run(struct pfkv2_sadb *db, uint64_t upto)
{
	uint32_t ent;
	uint64_t t;

	while (db->nheap > 0 && (t = ent_deadline(db, db->heap[0])) <= upto) {
		ent = db->heap[0];
		if (t > db->now)
			db->now = t;
		switch (ent & TM_TAG) {
		case TM_SA:
			sa_timer(db, ent & TM_IDX);
			break;
		case TM_POL:
			pol_timeout(db, ent & TM_IDX);
			break;
		default:
			acq_timeout(db, ent & TM_IDX);
			break;
		}
	}
}

void
sadb_run_due(struct pfkv2_sadb *db)
{
	timer_run(db, db->now);
}

PFKV2_API long
pfkv2_sadb_advance(struct pfkv2_sadb *db, uint64_t seconds)
{
	uint64_t target, before_n;

	if (db == NULL) {
		errno = EINVAL;
		return -1;
	}
	target = db->now + seconds < db->now ? T_NEVER - 1 :
	    db->now + seconds;
	before_n = db->nexpired;
	timer_run(db, target);
	db->now = target;
	return (long)(db->nexpired - before_n);
}

PFKV2_API int
pfkv2_sadb_charge(struct pfkv2_sadb *db, unsigned satype, uint32_t spi,
    const struct pfkv2_addr *dst, uint64_t bytes, uint32_t packets)
{
	uint32_t i;
	const struct sa *s;

	if (db == NULL || dst == NULL || (dst->family != PFKV2_AF_INET &&
	    dst->family != PFKV2_AF_INET6)) {
		errno = EINVAL;
		return -1;
	}
	i = sa_find(db, satype, spi, dst->family, dst->addr);
	if (i == NIL) {
		errno = ESRCH;
		return -1;
	}
	s = sa_at(db, i);
	/* FreeBSD's index is the SPI alone: the rest must agree too. */
	if (s->satype != satype || s->family != dst->family ||
	    memcmp(s->dst, dst->addr, alen(s->family)) != 0 ||
	    (s->state != PFKV2_SASTATE_MATURE &&
	    s->state != PFKV2_SASTATE_DYING)) {
		errno = ESRCH;
		return -1;
	}
	sa_charge(db, i, bytes, packets);
	return 0;
}
