/*
 * Engine tests: illumos SA pairs (X_PAIR, X_UPDATEPAIR, X_DELPAIR) and
 * their diagnostics (3.11, appendix A), the extended ACQUIRE, and the
 * illumos-only answers the codec's table leaves to the engine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sadbtu.h"

static uint8_t buf[70000];

static int
add_paired(struct tu_eng *e, uint32_t spi, const char *src, const char *dst,
    uint32_t pair, uint16_t *diag)
{
	struct tu_msg m;
	struct pfkv2_view v;

	tu_add_msg(&m, ESP, spi, src, dst);
	m.pair = pair;
	(void)tu_count(e, 0);
	assert_int_equal(tu_send(e, 0, &m), 0);
	assert_true(tu_recv(e, 0, buf, sizeof(buf), &v) > 0);
	*diag = pfkv2_view_reserved(&v);
	return buf[2];
}

static size_t
nsas(struct tu_eng *e)
{
	struct pfkv2_sadb_stats st;

	pfkv2_sadb_stats(e->db, &st);
	return st.sas;
}

static uint32_t
pair_of(struct tu_eng *e, uint32_t spi, const char *src, const char *dst)
{
	struct pfkv2_view v;
	uint32_t p = 0;

	(void)tu_count(e, 3);
	assert_int_equal(tu_simple(e, 3, PFKV2_MSG_GET, ESP, spi, src, dst),
	    0);
	tu_expect(e, 3, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
	pfkv2_get_pair(&v, &p);
	return p;
}

static void
test_pairs(void **state)
{
	struct pfkv2_lifetime h = { .addtime = 100 }, s = { .addtime = 50 };
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	uint16_t diag;

	(void)state;
	tu_init(&e, ILL, 0);
	assert_int_equal(add_paired(&e, 0x1001, A, B, 0, &diag), 0);
	/* The pair's SPI: not 0 (codec), not its own, the partner exists. */
	assert_int_equal(add_paired(&e, 0x2001, B, A, 0x2001, &diag), EINVAL);
	assert_int_equal(diag, 73);
	assert_int_equal(add_paired(&e, 0x2001, B, A, 0x9999, &diag), EINVAL);
	assert_int_equal(diag, 73);
	assert_int_equal(nsas(&e), 1);
	assert_int_equal(add_paired(&e, 0x2001, B, A, 0x1001, &diag), 0);
	assert_int_equal(pair_of(&e, 0x2001, B, A), 0x1001);
	assert_int_equal(pair_of(&e, 0x1001, A, B), 0x2001);
	/* A third SA may not pair with a paired one. */
	assert_int_equal(add_paired(&e, 0x3001, B, A, 0x1001, &diag), EINVAL);
	assert_int_equal(diag, 75);
	/* X_UPDATEPAIR: lifetimes on both halves. */
	tu_add_msg(&m, ESP, 0x1001, A, B);
	m.type = PFKV2_MSG_X_UPDATEPAIR;
	m.abits = m.ebits = 0;
	m.hard = &h;
	m.soft = &s;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_X_UPDATEPAIR, 0, buf, sizeof(buf), &v);
	tu_drain(&e);
	/* Paired SAs expire together: two hard EXPIREs at 100 s. */
	assert_int_equal(pfkv2_sadb_advance(e.db, 50), 2);
	assert_int_equal(pfkv2_sadb_advance(e.db, 50), 2);
	assert_int_equal(nsas(&e), 0);
	tu_drain(&e);
	/* X_DELPAIR deletes both; without a pair it is PAIR_SA_NOTFOUND. */
	assert_int_equal(add_paired(&e, 0x1001, A, B, 0, &diag), 0);
	assert_int_equal(add_paired(&e, 0x2001, B, A, 0x1001, &diag), 0);
	assert_int_equal(add_paired(&e, 0x3001, A, B, 0, &diag), 0);
	assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_X_DELPAIR, ESP, 0x3001, A,
	    B), 0);
	tu_expect(&e, 0, PFKV2_MSG_X_DELPAIR, ESRCH, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_view_reserved(&v), 76);
	tu_drain(&e);
	assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_X_DELPAIR, ESP, 0x2001, B,
	    A), 0);
	tu_expect(&e, 1, PFKV2_MSG_X_DELPAIR, 0, buf, sizeof(buf), &v);
	assert_int_equal(nsas(&e), 1);
	/* Deleting one half leaves the other unpaired. */
	assert_int_equal(add_paired(&e, 0x4001, B, A, 0x3001, &diag), 0);
	assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DELETE, ESP, 0x4001, B, A),
	    0);
	assert_int_equal(pair_of(&e, 0x3001, A, B), 0);
	tu_fini(&e);
}

/* illumos answers the engine fills in: MISSING_*, NO_EXT, UNKNOWN_SATYPE. */
static void
test_illumos_diagnostics(void **state)
{
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	struct pfkv2_lifetime c = { .bytes = 1 };

	(void)state;
	tu_init(&e, ILL, 0);
	/* GETSPI without SPIRANGE: MISSING_RANGE, to every socket. */
	memset(&m, 0, sizeof(m));
	m.type = PFKV2_MSG_GETSPI;
	m.satype = ESP;
	m.src = A;
	m.dst = B;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_GETSPI, EINVAL, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_view_reserved(&v), 23);
	tu_expect(&e, 2, PFKV2_MSG_GETSPI, EINVAL, buf, sizeof(buf), &v);
	/* ADD of an AH SA with no key: MISSING_AKEY. */
	tu_add_msg(&m, PFKV2_SATYPE_AH, 0x1001, A, B);
	m.abits = 0;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_ADD, EINVAL, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_view_reserved(&v), 22);
	/* UPDATE with LIFETIME_CURRENT: EOPNOTSUPP, MISSING_LIFETIME. */
	tu_add_msg(&m, ESP, 0x1001, A, B);
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_drain(&e);
	m.type = PFKV2_MSG_UPDATE;
	m.abits = m.ebits = 0;
	m.cur = &c;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_UPDATE, EOPNOTSUPP, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_view_reserved(&v), 82);
	/* An SA type without a consumer: UNKNOWN_SATYPE. */
	tu_drain(&e);
	assert_int_equal(tu_simple(&e, 1, PFKV2_MSG_FLUSH,
	    PFKV2_SATYPE_RSVP, 0, NULL, NULL), 0);
	tu_expect(&e, 1, PFKV2_MSG_FLUSH, EINVAL, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_view_reserved(&v), 4);
	/* GET without a satype: SATYPE_NEEDED, to the sender only. */
	tu_drain(&e);
	assert_int_equal(tu_simple(&e, 1, PFKV2_MSG_GET, 0, 0x1001, A, B), 0);
	tu_expect(&e, 1, PFKV2_MSG_GET, EINVAL, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_view_reserved(&v), 5);
	tu_none(&e, 0);
	/* The user's EXPIRE: EOPNOTSUPP. */
	tu_add_msg(&m, ESP, 0x1001, A, B);
	m.type = PFKV2_MSG_EXPIRE;
	m.abits = m.ebits = 0;
	assert_int_equal(tu_send(&e, 1, &m), 0);
	tu_expect(&e, 1, PFKV2_MSG_EXPIRE, EOPNOTSUPP, buf, sizeof(buf), &v);
	tu_fini(&e);
}

/* Extended registrants get the X_EPROP ACQUIRE. */
static void
test_extended_acquire(void **state)
{
	struct pfkv2_ipsecrequest rq;
	struct pfkv2_sadb_policy p;
	struct pfkv2_builder b;
	struct pfkv2_packet k;
	struct tu_eng e;
	struct pfkv2_view v;
	uint16_t types[] = { ESP };
	uint8_t req[64];
	size_t n;
	uint8_t replay;
	long len;

	(void)state;
	tu_init(&e, ILL, 0);
	pfkv2_builder_init(&b, req, sizeof(req), ILL);
	pfkv2_put_msg(&b, PFKV2_MSG_REGISTER, 0, 1, 1000);
	pfkv2_put_ereg(&b, types, 1);
	len = pfkv2_builder_finish(&b);
	assert_int_equal(pfkv2_sadb_send(e.ep[1], req, (size_t)len), 0);
	tu_register(&e, 0, ESP);
	memset(&p, 0, sizeof(p));
	memset(&rq, 0, sizeof(rq));
	p.src.addr = tu_addr(A, 0);
	p.dst.addr = tu_addr(B, 0);
	p.src.prefixlen = p.dst.prefixlen = 32;
	p.pol.type = PFKV2_POLICY_IPSEC;
	p.pol.dir = PFKV2_DIR_OUTBOUND;
	rq.proto = 50;
	rq.mode = PFKV2_MODE_TRANSPORT;
	p.reqs = &rq;
	p.nreqs = 1;
	assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, NULL), 0);
	memset(&k, 0, sizeof(k));
	k.src = tu_addr(A, 0);
	k.dst = tu_addr(B, 0);
	k.dir = PFKV2_DIR_OUTBOUND;
	assert_int_equal(pfkv2_sadb_packet(e.db, &k, NULL), PFKV2_ACQUIRE);
	tu_expect(&e, 0, PFKV2_MSG_ACQUIRE, 0, buf, sizeof(buf), &v);
	assert_true(tu_has(&v, PFKV2_EXT_PROPOSAL));
	/* The extended registrant: both forms (it is registered for ESP). */
	tu_expect(&e, 1, PFKV2_MSG_ACQUIRE, 0, buf, sizeof(buf), &v);
	tu_expect(&e, 1, PFKV2_MSG_ACQUIRE, 0, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_get_eprop(&v, &replay, &n), 0);
	assert_true(n > 0);
	assert_int_equal(v.satype, PFKV2_SATYPE_UNSPEC);
	/* Registered normally now: extended registration is EBUSY. */
	assert_int_equal(pfkv2_sadb_send(e.ep[0], req, (size_t)len), 0);
	tu_expect(&e, 0, PFKV2_MSG_REGISTER, EBUSY, buf, sizeof(buf), &v);
	tu_fini(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_illumos_diagnostics),
		cmocka_unit_test(test_extended_acquire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
