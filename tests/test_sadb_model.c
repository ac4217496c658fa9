/*
 * Engine tests: a model-based randomized test.  120,000 random operations
 * (40,000 per dialect; seeded, so every run is the same) go to the engine
 * and to a simple reference model (an array of SAs); after each one the
 * engine's invariants are checked (pfkv2_sadb_check) and the engine is
 * compared with the model: the errno of the reply, the number of SAs and
 * larval SAs, the EXPIREs sent, the SA a GET returns, and periodically the
 * whole DUMP.
 *
 * The model restates the rules the engine implements: each dialect's SPI
 * namespace (D25), its expiry boundaries (D24: FreeBSD strictly later),
 * what UPDATE does to lifetimes and states (D14, 3.4), larval timeouts,
 * hard before soft.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sadbtu.h"

#define OPS	40000
#define MAXSA	512
#define SPI0	0x100
#define NSPI	48
#define SRC	"192.0.2.1"

static const char *const dsts[2] = { "192.0.2.2", "192.0.2.3" };
static const unsigned types[2] = { PFKV2_SATYPE_AH, PFKV2_SATYPE_ESP };

struct msa {
	bool live;
	unsigned satype;
	uint32_t spi;
	unsigned dst;
	unsigned state;
	uint64_t add;
	uint64_t hadd, sadd, hbytes, sbytes;
	uint64_t bytes;
};

struct model {
	enum pfkv2_dialect d;
	uint64_t now;
	uint64_t expires;
	struct msa sa[MAXSA];
	uint64_t rng;
};

static uint8_t buf[70000];

static uint32_t
rnd(struct model *m, uint32_t n)
{
	m->rng = m->rng * UINT64_C(6364136223846793005) +
	    UINT64_C(1442695040888963407);
	return (uint32_t)(m->rng >> 33) % n;
}

static struct msa *
find(struct model *m, unsigned satype, uint32_t spi, unsigned dst)
{
	size_t i;

	for (i = 0; i < MAXSA; i++) {
		struct msa *s = &m->sa[i];

		if (!s->live || s->spi != spi)
			continue;
		if (m->d == FBSD || (s->satype == satype && s->dst == dst))
			return s;
	}
	return NULL;
}

/* The SA a DELETE/GET/charge names, with FreeBSD's saidx check. */
static struct msa *
named(struct model *m, unsigned satype, uint32_t spi, unsigned dst)
{
	struct msa *s = find(m, satype, spi, dst);

	if (s != NULL && (s->satype != satype || s->dst != dst))
		return NULL;
	return s;
}

static struct msa *
slot(struct model *m)
{
	size_t i;

	for (i = 0; i < MAXSA; i++)
		if (!m->sa[i].live)
			return &m->sa[i];
	fail_msg("model full");
	return &m->sa[0];
}

static size_t
count(const struct model *m, bool larval)
{
	size_t i, n = 0;

	for (i = 0; i < MAXSA; i++)
		if (m->sa[i].live && (!larval ||
		    m->sa[i].state == PFKV2_SASTATE_LARVAL))
			n++;
	return n;
}

static uint64_t
due(const struct model *m, uint64_t base, uint64_t lim)
{
	return lim == 0 ? UINT64_MAX : base + lim + (m->d == FBSD);
}

static bool
over(const struct model *m, uint64_t v, uint64_t lim)
{
	return lim != 0 && (m->d == FBSD ? v > lim : v >= lim);
}

/* What is due at the clock's value now (after an UPDATE). */
static void
settle(struct model *m, struct msa *s)
{
	if (over(m, s->bytes, s->hbytes)) {
		s->live = false;
		m->expires++;
		return;
	}
	if (s->state == PFKV2_SASTATE_MATURE && over(m, s->bytes, s->sbytes)) {
		s->state = PFKV2_SASTATE_DYING;
		m->expires++;
	}
	if (due(m, s->add, s->hadd) <= m->now) {
		s->live = false;
		m->expires++;
		return;
	}
	if (s->state == PFKV2_SASTATE_MATURE &&
	    due(m, s->add, s->sadd) <= m->now) {
		s->state = PFKV2_SASTATE_DYING;
		m->expires++;
	}
}

static long
advance(struct model *m, uint64_t dt)
{
	uint64_t to = m->now + dt, hd, sd;
	long n = 0;
	size_t i;

	for (i = 0; i < MAXSA; i++) {
		struct msa *s = &m->sa[i];

		if (!s->live)
			continue;
		if (s->state == PFKV2_SASTATE_LARVAL) {
			if (due(m, s->add, 30) <= to)
				s->live = false;
			continue;
		}
		hd = due(m, s->add, s->hadd);
		sd = s->state == PFKV2_SASTATE_MATURE ?
		    due(m, s->add, s->sadd) : UINT64_MAX;
		if (sd < hd && sd <= to) {
			s->state = PFKV2_SASTATE_DYING;
			n++;
		}
		if (hd <= to) {
			s->live = false;
			n++;
		}
	}
	m->now = to;
	m->expires += (uint64_t)n;
	return n;
}

/* Random limits: none, or hard with soft at most hard. */
static void
limits(struct model *m, struct pfkv2_lifetime *h, struct pfkv2_lifetime *s)
{
	memset(h, 0, sizeof(*h));
	memset(s, 0, sizeof(*s));
	h->addtime = 1 + rnd(m, 60);
	s->addtime = 1 + rnd(m, (uint32_t)h->addtime);
	if (rnd(m, 2)) {
		h->bytes = 100 + rnd(m, 900);
		s->bytes = 1 + rnd(m, (uint32_t)h->bytes);
	}
}

static int
reply_errno(struct tu_eng *e, unsigned type)
{
	struct pfkv2_view v;
	long n = tu_recv(e, 0, buf, sizeof(buf), &v);

	if (n <= 0)
		fail_msg("no reply to message type %u", type);
	if (v.type != type)
		fail_msg("reply of type %u to type %u", v.type, type);
	return buf[2];
}

static void
op_add(struct tu_eng *e, struct model *m)
{
	struct pfkv2_lifetime h, s;
	unsigned t = types[rnd(m, 2)], d = rnd(m, 2);
	uint32_t spi = SPI0 + rnd(m, NSPI);
	bool lft = rnd(m, 3) != 0;
	struct msa *x = find(m, t, spi, d);
	int err;

	limits(m, &h, &s);
	assert_int_equal(tu_add(e, 0, t, spi, SRC, dsts[d], lft ? &h : NULL,
	    lft ? &s : NULL), 0);
	err = reply_errno(e, PFKV2_MSG_ADD);
	assert_int_equal(err, x != NULL ? EEXIST : 0);
	if (x != NULL)
		return;
	x = slot(m);
	memset(x, 0, sizeof(*x));
	x->live = true;
	x->satype = t;
	x->spi = spi;
	x->dst = d;
	x->state = PFKV2_SASTATE_MATURE;
	x->add = m->now;
	if (lft) {
		x->hadd = h.addtime;
		x->sadd = s.addtime;
		x->hbytes = h.bytes;
		x->sbytes = s.bytes;
	}
}

static void
op_getspi(struct tu_eng *e, struct model *m, uint32_t seq)
{
	unsigned t = types[rnd(m, 2)], d = rnd(m, 2);
	uint32_t lo = SPI0 + rnd(m, NSPI), hi = lo + rnd(m, 3), spi;
	struct tu_msg msg;
	struct pfkv2_view v;
	bool free = false;
	struct msa *x;

	for (spi = lo; spi <= hi; spi++)
		free |= find(m, t, spi, d) == NULL;
	memset(&msg, 0, sizeof(msg));
	msg.type = PFKV2_MSG_GETSPI;
	msg.satype = t;
	msg.seq = seq;
	msg.pid = 1000;
	msg.src = SRC;
	msg.dst = dsts[d];
	msg.range = true;
	msg.rmin = lo;
	msg.rmax = hi;
	assert_int_equal(tu_send(e, 0, &msg), 0);
	assert_true(tu_recv(e, 0, buf, sizeof(buf), &v) > 0);
	if (!free) {
		assert_int_equal(buf[2], m->d == LNX ? ENOENT : EEXIST);
		return;
	}
	assert_int_equal(buf[2], 0);
	spi = tu_sa(&v).spi;
	assert_true(spi >= lo && spi <= hi);
	assert_null(find(m, t, spi, d));
	x = slot(m);
	memset(x, 0, sizeof(*x));
	x->live = true;
	x->satype = t;
	x->spi = spi;
	x->dst = d;
	x->state = PFKV2_SASTATE_LARVAL;
	x->add = m->now;
}

static struct msa *
pick(struct model *m)
{
	size_t n = count(m, false), k;
	size_t i;

	if (n == 0)
		return NULL;
	k = rnd(m, (uint32_t)n);
	for (i = 0; i < MAXSA; i++)
		if (m->sa[i].live && k-- == 0)
			return &m->sa[i];
	return NULL;
}

static void
op_update(struct tu_eng *e, struct model *m)
{
	struct pfkv2_lifetime h, s;
	struct tu_msg msg;
	struct msa *x = pick(m);

	if (x == NULL)
		return;
	limits(m, &h, &s);
	tu_add_msg(&msg, x->satype, x->spi, SRC, dsts[x->dst]);
	msg.type = PFKV2_MSG_UPDATE;
	msg.hard = &h;
	msg.soft = &s;
	/* Keys: a larval SA needs them; mature: Linux wants, BSDs refuse. */
	if (x->state != PFKV2_SASTATE_LARVAL && m->d != LNX)
		msg.abits = msg.ebits = 0;
	assert_int_equal(tu_send(e, 0, &msg), 0);
	assert_int_equal(reply_errno(e, PFKV2_MSG_UPDATE), 0);
	if (m->d == ILL && x->state != PFKV2_SASTATE_LARVAL) {
		/* D15: field by field, 0 keeps; soft clamped to hard. */
		x->hadd = h.addtime ? h.addtime : x->hadd;
		x->sadd = s.addtime ? s.addtime : x->sadd;
		x->hbytes = h.bytes ? h.bytes : x->hbytes;
		x->sbytes = s.bytes ? s.bytes : x->sbytes;
		if (x->hadd != 0 && x->sadd > x->hadd)
			x->sadd = x->hadd;
		if (x->hbytes != 0 && x->sbytes > x->hbytes)
			x->sbytes = x->hbytes;
	} else {
		x->hadd = h.addtime;
		x->sadd = s.addtime;
		x->hbytes = h.bytes;
		x->sbytes = s.bytes;
	}
	if (x->state == PFKV2_SASTATE_LARVAL) {
		x->state = PFKV2_SASTATE_MATURE;
		x->add = m->now;
		x->bytes = 0;
		return;
	}
	if (m->d != ILL)
		x->state = PFKV2_SASTATE_MATURE;
	settle(m, x);
}

static void
op_delete_get(struct tu_eng *e, struct model *m, bool del)
{
	unsigned t = types[rnd(m, 2)], d = rnd(m, 2);
	uint32_t spi = SPI0 + rnd(m, NSPI);
	struct msa *x = named(m, t, spi, d);
	struct pfkv2_view v;
	struct pfkv2_lifetime cur, hard;

	assert_int_equal(tu_simple(e, 0, del ? PFKV2_MSG_DELETE :
	    PFKV2_MSG_GET, t, spi, SRC, dsts[d]), 0);
	assert_true(tu_recv(e, 0, buf, sizeof(buf), &v) > 0);
	assert_int_equal(buf[2], x != NULL ? 0 : ESRCH);
	if (x == NULL)
		return;
	if (del) {
		x->live = false;
		return;
	}
	assert_int_equal(tu_sa(&v).state, x->state);
	memset(&hard, 0, sizeof(hard));
	pfkv2_get_lifetime(&v, PFKV2_EXT_LIFETIME_HARD, &hard);
	assert_int_equal(hard.addtime, x->hadd);
	assert_int_equal(pfkv2_get_lifetime(&v, PFKV2_EXT_LIFETIME_CURRENT,
	    &cur), 0);
	assert_int_equal(cur.bytes, x->bytes);
	assert_int_equal(cur.addtime, x->add);
}

static void
op_charge(struct tu_eng *e, struct model *m)
{
	struct msa *x = pick(m);
	struct pfkv2_addr d;
	uint64_t b = 1 + rnd(m, 300);

	if (x == NULL)
		return;
	d = tu_addr(dsts[x->dst], 0);
	if (x->state == PFKV2_SASTATE_LARVAL) {
		assert_int_equal(pfkv2_sadb_charge(e->db, x->satype, x->spi, &d,
		    b, 1), -1);
		return;
	}
	assert_int_equal(pfkv2_sadb_charge(e->db, x->satype, x->spi, &d, b,
	    1), 0);
	x->bytes += b;
	if (over(m, x->bytes, x->hbytes)) {
		x->live = false;
		m->expires++;
	} else if (x->state == PFKV2_SASTATE_MATURE &&
	    over(m, x->bytes, x->sbytes)) {
		x->state = PFKV2_SASTATE_DYING;
		m->expires++;
	}
}

/* The DUMP shows exactly the model's SAs. */
static void
compare_dump(struct tu_eng *e, struct model *m)
{
	struct pfkv2_view v;
	struct pfkv2_sa sa;
	struct pfkv2_address a;
	struct msa *x;
	size_t seen = 0;
	unsigned d;
	long n;

	assert_int_equal(tu_simple(e, 0, PFKV2_MSG_DUMP, 0, 0, NULL, NULL), 0);
	while ((n = tu_recv(e, 0, buf, sizeof(buf), &v)) > 0) {
		if (!pfkv2_view_has(&v, PFKV2_EXT_SA))
			continue;	/* ENOENT, or illumos' trailer */
		sa = tu_sa(&v);
		assert_int_equal(pfkv2_get_address(&v, PFKV2_EXT_ADDRESS_DST,
		    &a), 0);
		d = memcmp(a.addr.addr, tu_addr(dsts[1], 0).addr, 4) == 0;
		x = find(m, v.satype, sa.spi, d);
		assert_non_null(x);
		assert_int_equal(x->satype, v.satype);
		assert_int_equal(x->dst, d);
		assert_int_equal(sa.state, x->state);
		seen++;
	}
	assert_int_equal(seen, count(m, false));
}

static void
run(enum pfkv2_dialect d, uint64_t seed)
{
	static struct model m;
	struct pfkv2_sadb_stats st;
	struct tu_eng e;
	uint32_t k, r;
	int line;

	memset(&m, 0, sizeof(m));
	m.d = d;
	m.rng = seed;
	tu_init(&e, d, 0);
	m.now = pfkv2_sadb_now(e.db);
	for (k = 0; k < OPS; k++) {
		r = rnd(&m, 100);
		if (r < 25)
			op_add(&e, &m);
		else if (r < 35)
			op_getspi(&e, &m, k + 1);
		else if (r < 50)
			op_update(&e, &m);
		else if (r < 60)
			op_delete_get(&e, &m, true);
		else if (r < 72)
			op_delete_get(&e, &m, false);
		else if (r < 85)
			op_charge(&e, &m);
		else if (r < 99) {
			uint64_t dt = rnd(&m, 6);
			long want = advance(&m, dt);

			assert_int_equal(pfkv2_sadb_advance(e.db, dt), want);
		} else {
			assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_FLUSH, 0, 0,
			    NULL, NULL), 0);
			memset(m.sa, 0, sizeof(m.sa));
		}
		tu_drain(&e);
		if ((line = sadb_check_line(e.db)) != 0)
			fail_msg("op %u: invariant at sadb_check.c:%d", k, line);
		pfkv2_sadb_stats(e.db, &st);
		if (st.sas != count(&m, false) ||
		    st.larval != count(&m, true) || st.expires != m.expires)
			fail_msg("op %u (%u): engine %zu SAs %zu larval %llu "
			    "expires, model %zu %zu %llu", k, r, st.sas,
			    st.larval, (unsigned long long)st.expires,
			    count(&m, false), count(&m, true),
			    (unsigned long long)m.expires);
		assert_int_equal(pfkv2_sadb_now(e.db), m.now);
		if (k % 1000 == 999)
			compare_dump(&e, &m);
	}
	tu_fini(&e);
}

static void
test_model_linux(void **state)
{
	(void)state;
	run(LNX, 1);
}

static void
test_model_freebsd(void **state)
{
	(void)state;
	run(FBSD, 2);
}

static void
test_model_illumos(void **state)
{
	(void)state;
	run(ILL, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_linux),
		cmocka_unit_test(test_model_freebsd),
		cmocka_unit_test(test_model_illumos),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
