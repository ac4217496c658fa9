/*
 * Engine tests: the SA messages (GETSPI, ADD, DELETE, GET, FLUSH, DUMP) on
 * each dialect, success and failure, and the rows of the disagreement
 * matrix (validation-and-semantics.md 5.1) they touch.  UPDATE has its own
 * file (test_sadb_update.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sadbtu.h"

#define C	"192.0.2.3"

static uint8_t buf[70000];

static size_t
nsas(struct tu_eng *e)
{
	struct pfkv2_sadb_stats st;

	assert_int_equal(pfkv2_sadb_stats(e->db, &st), 0);
	return st.sas;
}

/* The key bytes of a reply: absent, zeroed, or the test's fill. */
enum keyseen { K_NONE, K_ZERO, K_REAL };

static enum keyseen
keys_in(const struct pfkv2_view *v)
{
	struct pfkv2_key k;
	const uint8_t *p;
	size_t i;

	if (pfkv2_get_key(v, PFKV2_EXT_KEY_ENCRYPT, &k) != 0 &&
	    pfkv2_get_key(v, PFKV2_EXT_KEY_AUTH, &k) != 0)
		return K_NONE;
	for (p = k.data, i = 0; i < (k.bits + 7u) / 8u; i++)
		if (p[i] != 0)
			return K_REAL;
	return K_ZERO;
}

static void
getspi_msg(struct tu_msg *m, uint32_t seq, uint32_t min, uint32_t max)
{
	memset(m, 0, sizeof(*m));
	m->type = PFKV2_MSG_GETSPI;
	m->satype = ESP;
	m->seq = seq;
	m->pid = 1000;
	m->src = B;
	m->dst = A;
	m->range = true;
	m->rmin = min;
	m->rmax = max;
}

/* GETSPI makes a larval SA that UPDATE makes mature (3.1, 3.2). */
static void
test_getspi_update(void **state)
{
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	struct pfkv2_sadb_stats st;
	struct pfkv2_sa sa;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		getspi_msg(&m, 5, 0x4000, 0x4fff);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, 0, buf, sizeof(buf), &v);
		sa = tu_sa(&v);
		assert_true(sa.spi >= 0x4000 && sa.spi <= 0x4fff);
		assert_int_equal(sa.state, PFKV2_SASTATE_LARVAL);
		/* D18: only illumos tells every socket. */
		if (e.d == ILL)
			tu_expect(&e, 1, PFKV2_MSG_GETSPI, 0, buf, sizeof(buf),
			    NULL);
		else
			tu_none(&e, 1);
		pfkv2_sadb_stats(e.db, &st);
		assert_int_equal(st.sas, 1);
		assert_int_equal(st.larval, 1);
		/* GET of a larval SA: it exists, LARVAL. */
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, sa.spi, B,
		    A), 0);
		tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
		assert_int_equal(tu_sa(&v).state, PFKV2_SASTATE_LARVAL);
		tu_add_msg(&m, ESP, sa.spi, B, A);
		m.type = PFKV2_MSG_UPDATE;
		m.seq = 5;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_UPDATE, 0, buf, sizeof(buf), &v);
		tu_expect(&e, 1, PFKV2_MSG_UPDATE, 0, buf, sizeof(buf), &v);
		pfkv2_sadb_stats(e.db, &st);
		assert_int_equal(st.sas, 1);
		assert_int_equal(st.larval, 0);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, sa.spi, B,
		    A), 0);
		tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
		assert_int_equal(tu_sa(&v).state, PFKV2_SASTATE_MATURE);
		assert_int_equal(tu_sa(&v).auth, PFKV2_AALG_SHA1HMAC);
		assert_int_equal(keys_in(&v), K_REAL);
		tu_fini(&e);
	}
}

/* D17 and CVE-2025-39965: ranges that run out, and SPI 0 never given. */
static void
test_getspi_exhausted(void **state)
{
	static const int want[3] = { ENOENT, EEXIST, EEXIST };
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x500, B, A, NULL, NULL), 0);
		tu_drain(&e);
		getspi_msg(&m, 1, 0x500, 0x500);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, want[i], buf, sizeof(buf),
		    &v);
		/* A range holding 0 and one free SPI: that SPI, then none. */
		getspi_msg(&m, 2, 0, 1);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, 0, buf, sizeof(buf), &v);
		assert_int_equal(tu_sa(&v).spi, 1);
		tu_drain(&e);
		getspi_msg(&m, 3, 0, 1);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, want[i], buf, sizeof(buf),
		    &v);
		getspi_msg(&m, 4, 0, 0);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, want[i], buf, sizeof(buf),
		    &v);
		assert_int_equal(nsas(&e), 2);
		tu_fini(&e);
	}
}

/* Linux gives a repeated GETSPI with the same seq the same SPI. */
static void
test_getspi_same_seq(void **state)
{
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	uint32_t first;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		getspi_msg(&m, 9, 0x100, 0xfffffff);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, 0, buf, sizeof(buf), &v);
		first = tu_sa(&v).spi;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, 0, buf, sizeof(buf), &v);
		if (e.d == LNX) {
			assert_int_equal(tu_sa(&v).spi, first);
			assert_int_equal(nsas(&e), 1);
		} else {
			assert_int_not_equal(tu_sa(&v).spi, first);
			assert_int_equal(nsas(&e), 2);
		}
		tu_fini(&e);
	}
}

/* SPIs come from the seed: the same seed, the same SPIs. */
static void
test_getspi_seed(void **state)
{
	struct pfkv2_sadb_opts o;
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	uint32_t spi[3];
	unsigned k;

	(void)state;
	for (k = 0; k < 3; k++) {
		pfkv2_sadb_opts_init(&o, LNX);
		o.seed = k < 2 ? 42 : 43;
		tu_init_opts(&e, &o);
		getspi_msg(&m, 1, 0x100, 0xfffffff);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, 0, buf, sizeof(buf), &v);
		spi[k] = tu_sa(&v).spi;
		tu_fini(&e);
	}
	assert_int_equal(spi[0], spi[1]);
	assert_int_not_equal(spi[0], spi[2]);
}

/* D11: an inverted range. */
static void
test_getspi_inverted(void **state)
{
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		getspi_msg(&m, 1, 0x200, 0x100);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, e.d == FBSD ? 0 : EINVAL,
		    buf, sizeof(buf), &v);
		if (e.d == FBSD)
			assert_int_not_equal(tu_sa(&v).spi, 0);
		tu_fini(&e);
	}
}

/* ADD, GET, DELETE; who hears, and with which keys (D21). */
static void
test_add_get_delete(void **state)
{
	/* ADD/DELETE broadcasts carry keys on Linux only (zeroed: illumos). */
	static const enum keyseen add_keys[3] = { K_REAL, K_NONE, K_ZERO };
	struct tu_eng e;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		tu_expect(&e, 0, PFKV2_MSG_ADD, 0, buf, sizeof(buf), &v);
		assert_int_equal(keys_in(&v), add_keys[i]);
		assert_int_equal(tu_sa(&v).spi, 0x1001);
		tu_expect(&e, 3, PFKV2_MSG_ADD, 0, buf, sizeof(buf), &v);
		tu_drain(&e);
		/* GET: the sender alone, keys on every dialect. */
		assert_int_equal(tu_simple(&e, 1, PFKV2_MSG_GET, ESP, 0x1001, A,
		    B), 0);
		tu_expect(&e, 1, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
		assert_int_equal(keys_in(&v), K_REAL);
		assert_true(tu_has(&v, PFKV2_EXT_LIFETIME_CURRENT));
		tu_none(&e, 0);
		tu_none(&e, 2);
		/* DELETE: everyone. */
		assert_int_equal(tu_simple(&e, 1, PFKV2_MSG_DELETE, ESP, 0x1001,
		    A, B), 0);
		tu_expect(&e, 2, PFKV2_MSG_DELETE, 0, buf, sizeof(buf), &v);
		assert_int_equal(keys_in(&v), e.d == LNX ? K_REAL : K_NONE);
		assert_int_equal(nsas(&e), 0);
		tu_drain(&e);
		assert_int_equal(tu_simple(&e, 1, PFKV2_MSG_GET, ESP, 0x1001, A,
		    B), 0);
		tu_expect(&e, 1, PFKV2_MSG_GET, ESRCH, buf, sizeof(buf), &v);
		assert_int_equal(tu_simple(&e, 1, PFKV2_MSG_DELETE, ESP, 0x1001,
		    A, B), 0);
		tu_expect(&e, 1, PFKV2_MSG_DELETE, ESRCH, buf, sizeof(buf),
		    &v);
		if (e.d == ILL) {
			/* illumos: the SA_NOTFOUND diagnostic, to everyone. */
			assert_int_equal(pfkv2_view_reserved(&v), 78);
			tu_expect(&e, 0, PFKV2_MSG_DELETE, ESRCH, buf,
			    sizeof(buf), &v);
		}
		tu_fini(&e);
	}
}

/* PFKV2_SADB_NO_KEYS: no reply carries key bytes. */
static void
test_no_keys(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	struct tu_msg m;
	long n;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], PFKV2_SADB_NO_KEYS);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, 0x1001, A,
		    B), 0);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DUMP, 0, 0, NULL,
		    NULL), 0);
		/* A failing ADD: FreeBSD echoes the request (D27). */
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		tu_add_msg(&m, ESP, 0x1001, A, B);
		m.type = PFKV2_MSG_DELETE;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		while ((n = tu_recv(&e, 0, buf, sizeof(buf), &v)) > 0)
			assert_int_not_equal(keys_in(&v), K_REAL);
		tu_fini(&e);
	}
}

/* EEXIST, and D25: FreeBSD's one SPI space. */
static void
test_add_collisions(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		tu_drain(&e);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		tu_expect(&e, 0, PFKV2_MSG_ADD, EEXIST, buf, sizeof(buf), &v);
		tu_drain(&e);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, C, NULL, NULL),
		    0);
		tu_expect(&e, 0, PFKV2_MSG_ADD, e.d == FBSD ? EEXIST : 0, buf,
		    sizeof(buf), &v);
		tu_drain(&e);
		/* Another protocol, same SPI and destination. */
		assert_int_equal(tu_add(&e, 0, AH, 0x1001, A, B, NULL, NULL),
		    0);
		tu_expect(&e, 0, PFKV2_MSG_ADD, e.d == FBSD ? EEXIST : 0, buf,
		    sizeof(buf), &v);
		assert_int_equal(nsas(&e), e.d == FBSD ? 1 : 3);
		tu_fini(&e);
	}
}

/* D12: ADD with sadb_sa_state LARVAL (wire 0), as libipsec sends it. */
static void
test_add_state_larval(void **state)
{
	static const int want[3] = { 0, 0, EINVAL };
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	uint8_t req[1024];
	size_t n, i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_add_msg(&m, ESP, 0x1001, A, B);
		n = tu_build(e.d, &m, req, sizeof(req));
		/* The SA extension follows the header: state at byte 25. */
		req[16 + 9] = 0;
		assert_int_equal(pfkv2_sadb_send(e.ep[0], req, n), 0);
		tu_expect(&e, 0, PFKV2_MSG_ADD, want[i], buf, sizeof(buf), &v);
		if (e.d == ILL)
			assert_int_equal(pfkv2_view_reserved(&v), 43);
		assert_int_equal(nsas(&e), want[i] == 0 ? 1 : 0);
		tu_fini(&e);
	}
}

/* D19: DELETE without an SA extension. */
static void
test_delete_without_sa(void **state)
{
	static const int want[3] = { EINVAL, 0, 0 };
	static const size_t left[3] = { 3, 1, 1 };
	struct tu_eng e;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1002, A, B, NULL, NULL),
		    0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1003, A, C, NULL, NULL),
		    0);
		tu_drain(&e);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DELETE, ESP, 0, A,
		    B), 0);
		tu_expect(&e, 0, PFKV2_MSG_DELETE, want[i], buf, sizeof(buf),
		    &v);
		assert_int_equal(nsas(&e), left[i]);
		/* FreeBSD: nothing left between A and B is ESRCH (ours). */
		if (e.d == FBSD) {
			tu_drain(&e);
			assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DELETE, ESP,
			    0, A, B), 0);
			tu_expect(&e, 0, PFKV2_MSG_DELETE, ESRCH, buf,
			    sizeof(buf), &v);
		}
		tu_fini(&e);
	}
}

/* D30: DELETE with the right DST and SPI and a wrong SRC. */
static void
test_delete_wrong_src(void **state)
{
	static const int want[3] = { 0, ESRCH, ESRCH };
	struct tu_eng e;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		tu_drain(&e);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DELETE, ESP, 0x1001,
		    C, B), 0);
		tu_expect(&e, 0, PFKV2_MSG_DELETE, want[i], buf, sizeof(buf),
		    &v);
		assert_int_equal(nsas(&e), want[i] == 0 ? 0 : 1);
		tu_fini(&e);
	}
}

/* D27: the shape of an error reply and who gets it. */
static void
test_error_shape(void **state)
{
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	uint8_t req[1024];
	size_t i, n;
	long got;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		tu_drain(&e);
		tu_add_msg(&m, ESP, 0x1001, A, B);
		n = tu_build(e.d, &m, req, sizeof(req));
		assert_int_equal(pfkv2_sadb_send(e.ep[0], req, n), 0);
		got = tu_recv(&e, 0, buf, sizeof(buf), &v);
		assert_int_equal(buf[2], EEXIST);
		if (e.d == FBSD) {
			/* The whole request, keys included, errno set. */
			assert_int_equal(got, (long)n);
			assert_memory_equal(buf + 16, req + 16, n - 16);
			assert_int_equal(keys_in(&v), K_REAL);
			tu_none(&e, 1);
		} else {
			assert_int_equal(got, 16);
			assert_memory_equal(buf + 8, req + 8, 8);
			if (e.d == LNX)
				tu_none(&e, 1);
			else
				tu_expect(&e, 1, PFKV2_MSG_ADD, EEXIST, buf,
				    sizeof(buf), &v);
		}
		tu_fini(&e);
	}
}

/* D23: a replay window of 64. */
static void
test_replay_units(void **state)
{
	static const uint8_t want[3] = { 32, 64, 64 };
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_add_msg(&m, ESP, 0x1001, A, B);
		m.replay = 64;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_drain(&e);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, 0x1001, A,
		    B), 0);
		tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
		assert_int_equal(tu_sa(&v).replay, want[i]);
		tu_fini(&e);
	}
}

/* FLUSH: by type and all; Linux answers the sender, then everyone. */
static void
test_flush(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		assert_int_equal(tu_add(&e, 0, AH, 0x2001, A, B, NULL, NULL),
		    0);
		tu_drain(&e);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_FLUSH, AH, 0, NULL,
		    NULL), 0);
		tu_expect(&e, 0, PFKV2_MSG_FLUSH, 0, buf, sizeof(buf), &v);
		assert_int_equal(tu_count(&e, 0), e.d == LNX ? 1 : 0);
		tu_expect(&e, 1, PFKV2_MSG_FLUSH, 0, buf, sizeof(buf), &v);
		assert_int_equal(nsas(&e), 1);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_FLUSH, 0, 0, NULL,
		    NULL), 0);
		assert_int_equal(nsas(&e), 0);
		tu_drain(&e);
		/* An empty table: Linux answers the sender only. */
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_FLUSH, 0, 0, NULL,
		    NULL), 0);
		tu_expect(&e, 0, PFKV2_MSG_FLUSH, 0, buf, sizeof(buf), &v);
		if (e.d == LNX)
			tu_none(&e, 1);
		else
			tu_expect(&e, 1, PFKV2_MSG_FLUSH, 0, buf, sizeof(buf),
			    &v);
		/* illumos: an extension in FLUSH is NO_EXT. */
		tu_fini(&e);
	}
}

/* D22: how a DUMP ends, and an empty DUMP. */
static void
test_dump_end(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	uint32_t seqs[4];
	size_t i, k;
	long n;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DUMP, 0, 0, NULL,
		    NULL), 0);
		if (e.d == ILL) {
			/* Just the trailer. */
			n = tu_recv(&e, 0, buf, sizeof(buf), &v);
			assert_int_equal(n, 16);
			assert_int_equal(buf[2], 0);
		} else {
			tu_expect(&e, 0, PFKV2_MSG_DUMP, ENOENT, buf,
			    sizeof(buf), &v);
		}
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1002, A, B, NULL, NULL),
		    0);
		assert_int_equal(tu_add(&e, 0, AH, 0x1003, A, B, NULL, NULL),
		    0);
		tu_drain(&e);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DUMP, 0, 0, NULL,
		    NULL), 0);
		for (k = 0; (n = tu_recv(&e, 0, buf, sizeof(buf), &v)) > 0;
		    k++) {
			assert_true(k < 4);
			assert_int_equal(v.type, PFKV2_MSG_DUMP);
			seqs[k] = pfkv2_view_seq(&v);
			if (k < 3)
				assert_int_equal(keys_in(&v), K_REAL);
		}
		tu_none(&e, 1);
		if (e.d == LNX) {
			assert_int_equal(k, 3);
			assert_int_equal(seqs[0], 1);
			assert_int_equal(seqs[1], 2);
			assert_int_equal(seqs[2], 0);
		} else if (e.d == FBSD) {
			assert_int_equal(k, 3);
			assert_int_equal(seqs[0], 2);
			assert_int_equal(seqs[1], 1);
			assert_int_equal(seqs[2], 0);
		} else {
			/* Three SAs with the request's seq, then the echo. */
			assert_int_equal(k, 4);
			assert_int_equal(seqs[0], 77);
			assert_int_equal(seqs[3], 77);
			assert_int_equal(n, 0);
		}
		/* By type: AH alone. */
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DUMP, AH, 0, NULL,
		    NULL), 0);
		assert_int_equal(tu_count(&e, 0), e.d == ILL ? 2 : 1);
		tu_fini(&e);
	}
}

/* A dump larger than the queue streams as the reader drains it. */
static void
test_dump_streams(void **state)
{
	struct pfkv2_sadb_opts o;
	struct tu_eng e;
	struct pfkv2_view v;
	uint32_t spi, seen = 0, busy;
	uint64_t dropped;
	size_t i;
	long n;

	(void)state;
	for (i = 0; i < 3; i++) {
		pfkv2_sadb_opts_init(&o, tu_dialects[i]);
		o.rcvbuf = 2048;
		tu_init_opts(&e, &o);
		for (spi = 0x100; spi < 0x100 + 300; spi++)
			assert_int_equal(tu_add(&e, 1, ESP, spi, A, B, NULL,
			    NULL), 0);
		(void)tu_count(&e, 0);
		dropped = pfkv2_sadb_dropped(e.ep[0]);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DUMP, 0, 0, NULL,
		    NULL), 0);
		/* Never more queued than fits. */
		assert_true(pfkv2_sadb_pending(e.ep[0]) != 0);
		for (seen = 0; (n = tu_recv(&e, 0, buf, sizeof(buf), &v)) > 0;
		    seen++) {
			assert_true(n > 0);
			assert_int_equal(sadb_check_line(e.db), 0);
		}
		assert_int_equal(seen, e.d == ILL ? 301 : 300);
		assert_int_equal(pfkv2_sadb_dropped(e.ep[0]), dropped);
		/*
		 * A second DUMP while one streams is EBUSY (the reply may
		 * find the queue full: then it is dropped and counted), and
		 * the first dump still completes.
		 */
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DUMP, 0, 0, NULL,
		    NULL), 0);
		dropped = pfkv2_sadb_dropped(e.ep[0]);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DUMP, 0, 0, NULL,
		    NULL), 0);
		for (seen = 0, busy = 0; (n = tu_recv(&e, 0, buf, sizeof(buf),
		    &v)) != 0; ) {
			if (n > 0 && buf[2] == EBUSY)
				busy++;
			else if (n > 0)
				seen++;
		}
		assert_int_equal(seen, e.d == ILL ? 301 : 300);
		assert_int_equal(busy + pfkv2_sadb_dropped(e.ep[0]) - dropped,
		    1);
		tu_fini(&e);
	}
}

/* Linux DUMP with X_FILTER: only SAs inside the prefixes. */
static void
test_dump_filter(void **state)
{
	struct tu_eng e;
	struct pfkv2_builder b;
	struct pfkv2_filter f;
	struct pfkv2_view v;
	uint8_t req[256];
	long n;
	unsigned k = 0;

	(void)state;
	tu_init(&e, LNX, 0);
	assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL), 0);
	assert_int_equal(tu_add(&e, 0, ESP, 0x1002, "198.51.100.1", B, NULL,
	    NULL), 0);
	tu_drain(&e);
	memset(&f, 0, sizeof(f));
	f.src = tu_addr("192.0.2.0", 0);
	f.dst = tu_addr("192.0.2.0", 0);
	f.splen = 24;
	f.dplen = 24;
	pfkv2_builder_init(&b, req, sizeof(req), LNX);
	pfkv2_put_msg(&b, PFKV2_MSG_DUMP, 0, 1, 1000);
	assert_int_equal(pfkv2_put_filter(&b, &f), 0);
	n = pfkv2_builder_finish(&b);
	assert_int_equal(pfkv2_sadb_send(e.ep[0], req, (size_t)n), 0);
	while (tu_recv(&e, 0, buf, sizeof(buf), &v) > 0) {
		assert_int_equal(tu_sa(&v).spi, 0x1001);
		k++;
	}
	assert_int_equal(k, 1);
	tu_fini(&e);
}

/* A failed request changes nothing (DUMP before and after). */
static void
test_failure_changes_nothing(void **state)
{
	static uint8_t before[65536], after[65536];
	struct pfkv2_lifetime h = { .addtime = 500 }, s = { .addtime = 400 };
	struct tu_eng e;
	struct tu_msg m;
	size_t i, nb, na, k;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, &h, &s), 0);
		assert_int_equal(tu_add(&e, 0, AH, 0x2001, B, A, NULL, NULL),
		    0);
		tu_drain(&e);
		nb = tu_dump_all(&e, 0, before, sizeof(before));
		for (k = 0; k < 6; k++) {
			tu_add_msg(&m, ESP, 0x1001, A, B);
			switch (k) {
			case 0:		/* exists */
				break;
			case 1:		/* UPDATE of nothing */
				m.type = PFKV2_MSG_UPDATE;
				m.spi = 0x7777;
				break;
			case 2:		/* UPDATE refused (keys on BSD) */
				m.type = PFKV2_MSG_UPDATE;
				m.hard = &h;
				m.soft = NULL;
				break;
			case 3:		/* GETSPI with nothing free */
				memset(&m, 0, sizeof(m));
				getspi_msg(&m, 1, 0x1001, 0x1001);
				m.src = A;
				m.dst = B;
				break;
			case 4:		/* DELETE of nothing */
				m.type = PFKV2_MSG_DELETE;
				m.spi = 0x9999;
				break;
			default:	/* ADD without keys */
				m.spi = 0x3000;
				m.ebits = 0;
				break;
			}
			(void)tu_send(&e, 0, &m);
			tu_drain(&e);
			assert_int_equal(sadb_check_line(e.db), 0);
			if (nsas(&e) != 2)
				fail_msg("dialect %zu case %zu", i, k);
		}
		na = tu_dump_all(&e, 0, after, sizeof(after));
		assert_int_equal(na, nb);
		assert_memory_equal(before, after, nb);
		tu_fini(&e);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_getspi_update),
		cmocka_unit_test(test_getspi_exhausted),
		cmocka_unit_test(test_getspi_same_seq),
		cmocka_unit_test(test_getspi_seed),
		cmocka_unit_test(test_getspi_inverted),
		cmocka_unit_test(test_add_get_delete),
		cmocka_unit_test(test_no_keys),
		cmocka_unit_test(test_add_collisions),
		cmocka_unit_test(test_add_state_larval),
		cmocka_unit_test(test_delete_without_sa),
		cmocka_unit_test(test_delete_wrong_src),
		cmocka_unit_test(test_error_shape),
		cmocka_unit_test(test_replay_units),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_dump_end),
		cmocka_unit_test(test_dump_streams),
		cmocka_unit_test(test_dump_filter),
		cmocka_unit_test(test_failure_changes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
