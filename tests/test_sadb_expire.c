/*
 * Engine tests: soft and hard lifetimes by time since add, time since
 * first use, bytes and allocations, with each dialect's boundaries (3.7,
 * D24) and audience (D20); larval timeouts; time order.
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

static struct pfkv2_addr
dst(void)
{
	return tu_addr(B, 0);
}

static unsigned
state_of(struct tu_eng *e, uint32_t spi)
{
	struct pfkv2_view v;

	(void)tu_count(e, 3);
	assert_int_equal(tu_simple(e, 3, PFKV2_MSG_GET, ESP, spi, A, B), 0);
	if (tu_recv(e, 3, buf, sizeof(buf), &v) <= 0)
		fail_msg("no GET reply");
	if (buf[2] != 0)
		return PFKV2_SASTATE_DEAD;	/* gone */
	return tu_sa(&v).state;
}

/* The EXPIRE on endpoint 0: soft or hard, and its header. */
static void
expect_expire(struct tu_eng *e, bool hard, uint32_t spi)
{
	struct pfkv2_view v;
	struct pfkv2_key k;

	tu_expect(e, 0, PFKV2_MSG_EXPIRE, 0, buf, sizeof(buf), &v);
	assert_int_equal(tu_sa(&v).spi, spi);
	assert_int_equal(tu_sa(&v).state, hard ? PFKV2_SASTATE_DEAD :
	    PFKV2_SASTATE_DYING);
	assert_int_equal(tu_has(&v, PFKV2_EXT_LIFETIME_HARD), hard);
	assert_int_equal(tu_has(&v, PFKV2_EXT_LIFETIME_SOFT), !hard);
	assert_true(tu_has(&v, PFKV2_EXT_LIFETIME_CURRENT));
	assert_int_equal(pfkv2_get_key(&v, PFKV2_EXT_KEY_ENCRYPT, &k), -1);
	assert_int_equal(pfkv2_view_pid(&v), 0);
	/* FreeBSD: the seq of the request that made the SA (tu_add: spi). */
	assert_int_equal(pfkv2_view_seq(&v), e->d == FBSD ? spi : 0);
}

/* Soft then hard by time since add; boundaries and audience. */
static void
test_addtime(void **state)
{
	struct pfkv2_lifetime h = { .addtime = 100 }, s = { .addtime = 60 };
	struct tu_eng e;
	uint64_t x;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		x = e.d == FBSD;	/* FreeBSD: strictly later */
		tu_register(&e, 0, ESP);
		assert_int_equal(tu_add(&e, 1, ESP, 0x100, A, B, &h, &s), 0);
		tu_drain(&e);
		assert_int_equal(pfkv2_sadb_advance(e.db, 59 + x), 0);
		assert_int_equal(state_of(&e, 0x100), PFKV2_SASTATE_MATURE);
		assert_int_equal(pfkv2_sadb_advance(e.db, 1), 1);
		expect_expire(&e, false, 0x100);
		/* D20: registered only on Linux and FreeBSD. */
		if (e.d == ILL)
			tu_expect(&e, 1, PFKV2_MSG_EXPIRE, 0, buf, sizeof(buf),
			    NULL);
		else
			tu_none(&e, 1);
		assert_int_equal(state_of(&e, 0x100), PFKV2_SASTATE_DYING);
		assert_int_equal(pfkv2_sadb_advance(e.db, 39), 0);
		assert_int_equal(pfkv2_sadb_advance(e.db, 1), 1);
		expect_expire(&e, true, 0x100);
		assert_int_equal(state_of(&e, 0x100), PFKV2_SASTATE_DEAD);
		assert_int_equal(pfkv2_sadb_now(e.db), 1000 + 100 + x);
		tu_fini(&e);
	}
}

/* Time since first use: nothing until traffic. */
static void
test_usetime(void **state)
{
	struct pfkv2_lifetime h = { .usetime = 50 }, s = { .usetime = 20 };
	struct pfkv2_addr d = dst();
	struct pfkv2_view v;
	struct pfkv2_lifetime cur;
	struct tu_eng e;
	uint64_t x;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		x = e.d == FBSD;
		tu_register(&e, 0, ESP);
		assert_int_equal(tu_add(&e, 1, ESP, 0x100, A, B, &h, &s), 0);
		tu_drain(&e);
		assert_int_equal(pfkv2_sadb_advance(e.db, 1000), 0);
		assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d, 10, 1),
		    0);
		/* CURRENT usetime is the first use. */
		(void)tu_count(&e, 3);
		assert_int_equal(tu_simple(&e, 3, PFKV2_MSG_GET, ESP, 0x100, A,
		    B), 0);
		tu_expect(&e, 3, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
		assert_int_equal(pfkv2_get_lifetime(&v,
		    PFKV2_EXT_LIFETIME_CURRENT, &cur), 0);
		assert_int_equal(cur.usetime, 2000);
		assert_int_equal(cur.bytes, 10);
		pfkv2_sadb_advance(e.db, 5);
		assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d, 10, 1),
		    0);
		assert_int_equal(pfkv2_sadb_advance(e.db, 14 + x), 0);
		assert_int_equal(pfkv2_sadb_advance(e.db, 1), 1);
		expect_expire(&e, false, 0x100);
		assert_int_equal(pfkv2_sadb_advance(e.db, 30), 1);
		expect_expire(&e, true, 0x100);
		tu_fini(&e);
	}
}

/* D24: the hard byte limit, exactly reached and passed. */
static void
test_bytes(void **state)
{
	struct pfkv2_lifetime h = { .bytes = 1000 }, s = { .bytes = 500 };
	struct pfkv2_addr d = dst();
	struct tu_eng e;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_register(&e, 0, ESP);
		assert_int_equal(tu_add(&e, 1, ESP, 0x100, A, B, &h, &s), 0);
		tu_drain(&e);
		assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d, 499, 1),
		    0);
		tu_none(&e, 0);
		assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d, 1, 1),
		    0);
		if (e.d == FBSD) {
			tu_none(&e, 0);
			assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d,
			    1, 1), 0);
		}
		expect_expire(&e, false, 0x100);
		/* Exactly the hard limit. */
		assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d,
		    e.d == FBSD ? 499 : 500, 1), 0);
		if (e.d == FBSD) {
			tu_none(&e, 0);
			assert_int_equal(state_of(&e, 0x100),
			    PFKV2_SASTATE_DYING);
			assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d,
			    1, 1), 0);
		}
		expect_expire(&e, true, 0x100);
		/* Gone: no more traffic on it. */
		assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d, 1, 1),
		    -1);
		assert_int_equal(errno, ESRCH);
		tu_fini(&e);
	}
}

/* Allocations: Linux counts packets against them; the others do not. */
static void
test_allocations(void **state)
{
	struct pfkv2_lifetime h = { .allocations = 3 };
	struct pfkv2_lifetime s = { .allocations = 2 };
	struct pfkv2_addr d = dst();
	struct pfkv2_view v;
	struct pfkv2_lifetime cur;
	struct tu_eng e;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_register(&e, 0, ESP);
		assert_int_equal(tu_add(&e, 1, ESP, 0x100, A, B, &h, &s), 0);
		tu_drain(&e);
		assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d, 1, 2),
		    0);
		if (e.d == LNX)
			expect_expire(&e, false, 0x100);
		tu_none(&e, 0);
		assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d, 1, 1),
		    0);
		if (e.d == LNX) {
			expect_expire(&e, true, 0x100);
		} else {
			tu_none(&e, 0);
			/* illumos reports no allocations at all. */
			assert_int_equal(tu_simple(&e, 3, PFKV2_MSG_GET, ESP,
			    0x100, A, B), 0);
			tu_expect(&e, 3, PFKV2_MSG_GET, 0, buf, sizeof(buf),
			    &v);
			pfkv2_get_lifetime(&v, PFKV2_EXT_LIFETIME_CURRENT,
			    &cur);
			assert_int_equal(cur.allocations, e.d == ILL ? 0 : 3);
		}
		tu_fini(&e);
	}
}

/* A larval SA times out silently. */
static void
test_larval_timeout(void **state)
{
	struct pfkv2_sadb_stats st;
	struct tu_eng e;
	struct tu_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_register(&e, 0, ESP);
		memset(&m, 0, sizeof(m));
		m.type = PFKV2_MSG_GETSPI;
		m.satype = ESP;
		m.seq = 1;
		m.src = A;
		m.dst = B;
		m.range = true;
		m.rmin = 0x100;
		m.rmax = 0x1000;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_drain(&e);
		assert_int_equal(pfkv2_sadb_advance(e.db, 29), 0);
		pfkv2_sadb_stats(e.db, &st);
		assert_int_equal(st.larval, 1);
		pfkv2_sadb_advance(e.db, e.d == FBSD ? 2 : 1);
		pfkv2_sadb_stats(e.db, &st);
		assert_int_equal(st.larval, 0);
		assert_int_equal(st.sas, 0);
		assert_int_equal(tu_drain(&e), 0);
		tu_fini(&e);
	}
}

/* Many SAs: their EXPIREs come in time order, one heap pop each. */
static void
test_time_order(void **state)
{
	struct pfkv2_lifetime h, s;
	struct pfkv2_view v;
	struct tu_eng e;
	uint32_t spi, last = 0, k, n = 0;

	(void)state;
	tu_init(&e, LNX, 0);
	tu_register(&e, 0, ESP);
	for (k = 0; k < 200; k++) {
		/* Deadlines scattered: 1 + (k * 37) % 200 seconds. */
		memset(&h, 0, sizeof(h));
		memset(&s, 0, sizeof(s));
		h.addtime = 1 + (k * 37) % 200;
		s.addtime = h.addtime;	/* equal: hard wins, soft never */
		assert_int_equal(tu_add(&e, 1, ESP, 0x1000 + k, A, B, &h, &s),
		    0);
	}
	tu_drain(&e);
	assert_int_equal(pfkv2_sadb_advance(e.db, 1000), 200);
	while (tu_recv(&e, 0, buf, sizeof(buf), &v) > 0) {
		assert_int_equal(v.type, PFKV2_MSG_EXPIRE);
		assert_true(tu_has(&v, PFKV2_EXT_LIFETIME_HARD));
		spi = tu_sa(&v).spi - 0x1000;
		k = 1 + (spi * 37) % 200;
		assert_true(k > last);
		last = k;
		n++;
	}
	assert_int_equal(n, 200);
	tu_fini(&e);
}

/* Charging what is not there, or not usable. */
static void
test_charge_errors(void **state)
{
	struct pfkv2_addr d = dst(), bad;
	struct tu_eng e;
	struct tu_msg m;

	(void)state;
	tu_init(&e, FBSD, 0);
	assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x100, &d, 1, 1), -1);
	assert_int_equal(errno, ESRCH);
	memset(&m, 0, sizeof(m));
	m.type = PFKV2_MSG_GETSPI;
	m.satype = ESP;
	m.src = A;
	m.dst = B;
	m.range = true;
	m.rmin = m.rmax = 0x200;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	/* A larval SA carries no traffic. */
	assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x200, &d, 1, 1), -1);
	assert_int_equal(errno, ESRCH);
	/* FreeBSD finds by SPI alone, but the rest must agree. */
	assert_int_equal(tu_add(&e, 0, ESP, 0x300, A, B, NULL, NULL), 0);
	bad = tu_addr(A, 0);
	assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x300, &bad, 1, 1), -1);
	assert_int_equal(pfkv2_sadb_charge(e.db, PFKV2_SATYPE_AH, 0x300, &d, 1,
	    1), -1);
	assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x300, &d, 1, 1), 0);
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x300, &bad, 1, 1), -1);
	assert_int_equal(errno, EINVAL);
	tu_drain(&e);
	tu_fini(&e);
}

/* The clock only moves forward, and saturates. */
static void
test_clock(void **state)
{
	struct tu_eng e;

	(void)state;
	tu_init(&e, ILL, 0);
	assert_int_equal(pfkv2_sadb_now(e.db), 1000);
	assert_int_equal(pfkv2_sadb_advance(e.db, 5), 0);
	assert_int_equal(pfkv2_sadb_now(e.db), 1005);
	assert_int_equal(pfkv2_sadb_advance(e.db, UINT64_MAX), 0);
	assert_true(pfkv2_sadb_now(e.db) > 1005);
	tu_fini(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addtime),
		cmocka_unit_test(test_usetime),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_allocations),
		cmocka_unit_test(test_larval_timeout),
		cmocka_unit_test(test_time_order),
		cmocka_unit_test(test_charge_errors),
		cmocka_unit_test(test_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
