/*
 * Engine tests: UPDATE on each dialect (3.4): keys on a mature SA (D13),
 * missing lifetimes (D14), a hard lifetime alone (D15), soft above hard
 * (D16), DYING back to MATURE.
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

/* D13: UPDATE of a MATURE SA carrying keys. */
static void
test_update_mature_keys(void **state)
{
	static const int want[3] = { 0, EINVAL, EINVAL };
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	struct pfkv2_key k;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		tu_drain(&e);
		tu_add_msg(&m, ESP, 0x1001, A, B);
		m.type = PFKV2_MSG_UPDATE;
		m.ekey = 0x77;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_UPDATE, want[i], buf, sizeof(buf),
		    &v);
		/* illumos: AKEY_PRESENT (the auth key is checked first). */
		if (e.d == ILL)
			assert_int_equal(pfkv2_view_reserved(&v), 36);
		tu_drain(&e);
		/* The keys did not change anywhere (Linux drops them). */
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, 0x1001, A,
		    B), 0);
		tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
		assert_int_equal(pfkv2_get_key(&v, PFKV2_EXT_KEY_ENCRYPT, &k),
		    0);
		assert_int_equal(((const uint8_t *)k.data)[0], 0x5A);
		tu_fini(&e);
	}
}

static void
get_lft(struct tu_eng *e, uint32_t spi, unsigned ext,
    struct pfkv2_lifetime *lt)
{
	struct pfkv2_view v;

	assert_int_equal(tu_simple(e, 0, PFKV2_MSG_GET, ESP, spi, A, B), 0);
	tu_expect(e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
	memset(lt, 0, sizeof(*lt));
	pfkv2_get_lifetime(&v, ext, lt);
}

/* D14: UPDATE of a MATURE SA without lifetime extensions. */
static void
test_update_no_lifetimes(void **state)
{
	/* Linux: infinite; FreeBSD: reset (MATURE); illumos: kept. */
	static const uint64_t want[3] = { 0, 0, 500 };
	struct pfkv2_lifetime h = { .addtime = 500 }, s = { .addtime = 400 };
	struct pfkv2_lifetime lt;
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, &h, &s), 0);
		tu_drain(&e);
		tu_add_msg(&m, ESP, 0x1001, A, B);
		m.type = PFKV2_MSG_UPDATE;
		if (e.d != LNX)
			m.abits = m.ebits = 0;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_UPDATE, 0, buf, sizeof(buf), &v);
		tu_drain(&e);
		get_lft(&e, 0x1001, PFKV2_EXT_LIFETIME_HARD, &lt);
		assert_int_equal(lt.addtime, want[i]);
		/* And the timer agrees: nothing fires at 500 s but illumos. */
		assert_int_equal(pfkv2_sadb_advance(e.db, 600),
		    e.d == ILL ? 2 : 0);
		tu_fini(&e);
	}
}

/* D14 for FreeBSD: a DYING SA keeps its lifetimes. */
static void
test_update_dying_freebsd(void **state)
{
	struct pfkv2_lifetime h = { .addtime = 500 }, s = { .addtime = 100 };
	struct pfkv2_lifetime lt;
	struct pfkv2_sadb_stats st;
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;

	(void)state;
	tu_init(&e, FBSD, 0);
	assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, &h, &s), 0);
	assert_int_equal(pfkv2_sadb_advance(e.db, 101), 1);
	tu_drain(&e);
	tu_add_msg(&m, ESP, 0x1001, A, B);
	m.type = PFKV2_MSG_UPDATE;
	m.abits = m.ebits = 0;
	pfkv2_sadb_stats(e.db, &st);
	assert_int_equal(st.expires, 1);
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_UPDATE, 0, buf, sizeof(buf), &v);
	tu_drain(&e);
	get_lft(&e, 0x1001, PFKV2_EXT_LIFETIME_HARD, &lt);
	assert_int_equal(lt.addtime, 500);
	/*
	 * DYING became MATURE again, and the soft limit, long passed, fired
	 * again at once: a second soft EXPIRE.
	 */
	pfkv2_sadb_stats(e.db, &st);
	assert_int_equal(st.expires, 2);
	assert_int_equal(pfkv2_sadb_advance(e.db, 0), 0);
	tu_fini(&e);
}

/* D15: UPDATE with HARD bytes 0 and no SOFT. */
static void
test_update_hard_only(void **state)
{
	static const int want[3] = { EINVAL, EINVAL, 0 };
	struct pfkv2_lifetime h = { .addtime = 500, .bytes = 1000 };
	struct pfkv2_lifetime s = { .addtime = 400 }, h2 = { .addtime = 700 };
	struct pfkv2_lifetime lt;
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, &h, &s), 0);
		tu_drain(&e);
		tu_add_msg(&m, ESP, 0x1001, A, B);
		m.type = PFKV2_MSG_UPDATE;
		m.hard = &h2;
		if (e.d != LNX)
			m.abits = m.ebits = 0;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_UPDATE, want[i], buf, sizeof(buf),
		    &v);
		tu_drain(&e);
		get_lft(&e, 0x1001, PFKV2_EXT_LIFETIME_HARD, &lt);
		/* illumos merges: addtime replaced, bytes 0 keeps 1000. */
		assert_int_equal(lt.addtime, e.d == ILL ? 700 : 500);
		assert_int_equal(lt.bytes, 1000);
		tu_fini(&e);
	}
}

/* D16: soft addtime above hard. */
static void
test_soft_above_hard(void **state)
{
	struct pfkv2_lifetime h = { .addtime = 100 }, s = { .addtime = 200 };
	struct tu_eng e;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_register(&e, 0, ESP);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, &h, &s), 0);
		tu_expect(&e, 0, PFKV2_MSG_ADD, e.d == ILL ? EINVAL : 0, buf,
		    sizeof(buf), &v);
		if (e.d == ILL) {
			assert_int_equal(pfkv2_view_reserved(&v), 16);
		} else {
			/* The soft limit never fires: hard comes first. */
			tu_drain(&e);
			assert_int_equal(pfkv2_sadb_advance(e.db, 300), 1);
			tu_expect(&e, 0, PFKV2_MSG_EXPIRE, 0, buf, sizeof(buf),
			    &v);
			assert_true(tu_has(&v, PFKV2_EXT_LIFETIME_HARD));
		}
		tu_fini(&e);
	}
}

/* B-FB7: FreeBSD misses with EINVAL and wants the creator's pid. */
static void
test_update_target(void **state)
{
	static const int miss[3] = { ESRCH, EINVAL, ESRCH };
	static const int other_pid[3] = { 0, EINVAL, 0 };
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		tu_drain(&e);
		tu_add_msg(&m, ESP, 0x1002, A, B);
		m.type = PFKV2_MSG_UPDATE;
		if (e.d != LNX)
			m.abits = m.ebits = 0;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_UPDATE, miss[i], buf, sizeof(buf),
		    &v);
		tu_drain(&e);
		m.spi = 0x1001;
		m.pid = 4321;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_UPDATE, other_pid[i], buf,
		    sizeof(buf), &v);
		tu_fini(&e);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_mature_keys),
		cmocka_unit_test(test_update_no_lifetimes),
		cmocka_unit_test(test_update_dying_freebsd),
		cmocka_unit_test(test_update_hard_only),
		cmocka_unit_test(test_soft_above_hard),
		cmocka_unit_test(test_update_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
