/*
 * Parser tests on real messages: the benchmark corpus and the captures of
 * a Linux 6.1 kernel.  Each must parse and validate in the Linux dialect;
 * requests must rebuild byte for byte; the typed getters must return the
 * values the files were made from.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include <pfkv2/pfkv2.h>

#include "rebuild.h"
#include "testutil.h"

#define REQ	(PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_STRICT | PFKV2_V_REQUEST)
#define REP	(PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_REPLY)

struct fixture {
	const char *file;
	bool hex;
	unsigned flags;
	unsigned type;		/* canonical message type */
	uint64_t exts;		/* extensions expected */
};

#define B(e)	PFKV2_EXTBIT(PFKV2_EXT_##e)

static const struct fixture fixtures[] = {
	{ "corpus/add_esp_v4.bin", false, REQ, PFKV2_MSG_ADD,
	    B(SA) | B(LIFETIME_HARD) | B(LIFETIME_SOFT) | B(ADDRESS_SRC) |
	    B(ADDRESS_DST) | B(KEY_AUTH) | B(KEY_ENCRYPT) | B(SA2) },
	{ "corpus/add_esp_v6.bin", false, REQ, PFKV2_MSG_ADD,
	    B(SA) | B(LIFETIME_HARD) | B(LIFETIME_SOFT) | B(ADDRESS_SRC) |
	    B(ADDRESS_DST) | B(KEY_AUTH) | B(KEY_ENCRYPT) | B(SA2) },
	{ "corpus/getspi_v4.bin", false, REQ, PFKV2_MSG_GETSPI,
	    B(SA2) | B(ADDRESS_SRC) | B(ADDRESS_DST) | B(SPIRANGE) },
	{ "corpus/spdadd_v4.bin", false, REQ, PFKV2_MSG_X_SPDADD,
	    B(ADDRESS_SRC) | B(ADDRESS_DST) | B(LIFETIME_HARD) | B(POLICY) },
	{ "corpus/register_reply.bin", false, REP, PFKV2_MSG_REGISTER,
	    B(SUPPORTED_AUTH) | B(SUPPORTED_ENCRYPT) },
	{ "corpus/acquire_v4.bin", false, REP, PFKV2_MSG_ACQUIRE,
	    B(ADDRESS_SRC) | B(ADDRESS_DST) | B(POLICY) | B(PROPOSAL) },
	{ "corpus/dump_reply_v4.bin", false, REP, PFKV2_MSG_DUMP,
	    B(SA) | B(LIFETIME_HARD) | B(LIFETIME_SOFT) |
	    B(LIFETIME_CURRENT) | B(ADDRESS_SRC) | B(ADDRESS_DST) |
	    B(KEY_AUTH) | B(KEY_ENCRYPT) | B(SA2) },
	{ "linux-vectors/sadb_register_request.hex", true, REQ,
	    PFKV2_MSG_REGISTER, 0 },
	{ "linux-vectors/sadb_register_reply.hex", true, REP,
	    PFKV2_MSG_REGISTER, B(SUPPORTED_AUTH) | B(SUPPORTED_ENCRYPT) },
	{ "linux-vectors/sadb_add_sha1_request.hex", true, REQ, PFKV2_MSG_ADD,
	    B(SA) | B(ADDRESS_SRC) | B(ADDRESS_DST) | B(KEY_AUTH) |
	    B(KEY_ENCRYPT) },
	{ "linux-vectors/sadb_add_sha256_request.hex", true, REQ,
	    PFKV2_MSG_ADD, B(SA) | B(ADDRESS_SRC) | B(ADDRESS_DST) |
	    B(KEY_AUTH) | B(KEY_ENCRYPT) },
	{ "linux-vectors/sadb_add_sha1_reply.hex", true, REP, PFKV2_MSG_ADD,
	    B(SA) | B(LIFETIME_HARD) | B(LIFETIME_SOFT) |
	    B(LIFETIME_CURRENT) | B(ADDRESS_SRC) | B(ADDRESS_DST) |
	    B(ADDRESS_PROXY) | B(KEY_AUTH) | B(KEY_ENCRYPT) | B(SA2) },
	{ "linux-vectors/sadb_add_sha256_reply.hex", true, REP, PFKV2_MSG_ADD,
	    B(SA) | B(LIFETIME_HARD) | B(LIFETIME_SOFT) |
	    B(LIFETIME_CURRENT) | B(ADDRESS_SRC) | B(ADDRESS_DST) |
	    B(ADDRESS_PROXY) | B(KEY_AUTH) | B(KEY_ENCRYPT) | B(SA2) },
	{ "linux-vectors/sadb_add_eexist_reply.hex", true, REP, PFKV2_MSG_ADD,
	    0 },
	{ "linux-vectors/sadb_dump_reply_1.hex", true, REP, PFKV2_MSG_DUMP,
	    B(SA) | B(LIFETIME_HARD) | B(LIFETIME_SOFT) |
	    B(LIFETIME_CURRENT) | B(ADDRESS_SRC) | B(ADDRESS_DST) |
	    B(ADDRESS_PROXY) | B(KEY_AUTH) | B(KEY_ENCRYPT) | B(SA2) },
	{ "linux-vectors/sadb_dump_reply_2.hex", true, REP, PFKV2_MSG_DUMP,
	    B(SA) | B(LIFETIME_HARD) | B(LIFETIME_SOFT) |
	    B(LIFETIME_CURRENT) | B(ADDRESS_SRC) | B(ADDRESS_DST) |
	    B(ADDRESS_PROXY) | B(KEY_AUTH) | B(KEY_ENCRYPT) | B(SA2) },
	{ "linux-vectors/sadb_x_spdadd_request.hex", true, REQ,
	    PFKV2_MSG_X_SPDADD, B(ADDRESS_SRC) | B(ADDRESS_DST) | B(POLICY) },
	{ "linux-vectors/sadb_x_spdadd_reply.hex", true, REP,
	    PFKV2_MSG_X_SPDADD, B(ADDRESS_SRC) | B(ADDRESS_DST) |
	    B(LIFETIME_HARD) | B(LIFETIME_SOFT) | B(LIFETIME_CURRENT) |
	    B(POLICY) },
	{ "linux-vectors/sadb_x_spddump_reply_1.hex", true, REP,
	    PFKV2_MSG_X_SPDDUMP, B(ADDRESS_SRC) | B(ADDRESS_DST) |
	    B(LIFETIME_HARD) | B(LIFETIME_SOFT) | B(LIFETIME_CURRENT) |
	    B(POLICY) },
};

static size_t
load(const struct fixture *fx, uint8_t *buf, size_t size)
{
	return fx->hex ? tu_load_hex(fx->file, buf, size) :
	    tu_load(fx->file, buf, size);
}

/* Every fixture parses, validates in its direction, and has its extensions. */
static void
test_fixtures_validate(void **state)
{
	uint8_t buf[4096];
	struct pfkv2_view v;
	struct pfkv2_diag d;
	char why[256];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		n = load(&fixtures[i], buf, sizeof(buf));
		assert_true(n >= 16);
		if (pfkv2_parse(buf, n, PFKV2_DIALECT_LINUX, fixtures[i].flags,
		    &v, &d) != 0) {
			pfkv2_diag_format(&d, why, sizeof(why));
			fail_msg("%s: %s", fixtures[i].file, why);
		}
		assert_int_equal(d.code, PFKV2_OK);
		assert_int_equal(v.type, fixtures[i].type);
		assert_true(v.present == fixtures[i].exts);
		assert_int_equal(v.nunknown, 0);
	}
}

/* Requests rebuild through getters and puts, byte for byte. */
static void
test_requests_rebuild(void **state)
{
	uint8_t buf[4096], out[4096];
	struct pfkv2_view v;
	size_t i, n;
	long m;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		n = load(&fixtures[i], buf, sizeof(buf));
		assert_int_equal(pfkv2_parse(buf, n, PFKV2_DIALECT_LINUX, 0, &v,
		    NULL), 0);
		m = tu_rebuild(&v, out, sizeof(out));
		if (m != (long)n || memcmp(buf, out, n) != 0) {
			tu_diff(buf, n, out, m < 0 ? 0 : (size_t)m);
			fail_msg("%s does not rebuild", fixtures[i].file);
		}
	}
}

/* The ACQUIRE proposal carries the six combinations of the corpus. */
static void
test_acquire_combs(void **state)
{
	uint8_t buf[1024];
	struct pfkv2_view v;
	struct pfkv2_comb c;
	struct pfkv2_policy pol;
	uint8_t replay;
	size_t n;

	(void)state;
	n = tu_load("corpus/acquire_v4.bin", buf, sizeof(buf));
	assert_int_equal(n, 520);
	assert_int_equal(pfkv2_parse(buf, n, PFKV2_DIALECT_LINUX, REP, &v,
	    NULL), 0);
	assert_int_equal(pfkv2_get_proposal(&v, &replay, &n), 0);
	assert_int_equal(n, 6);
	assert_int_equal(pfkv2_get_comb(&v, 0, &c), 0);
	assert_int_equal(pfkv2_get_comb(&v, 5, &c), 0);
	assert_int_equal(pfkv2_get_comb(&v, 6, &c), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(pfkv2_get_policy(&v, &pol), 0);
	assert_int_equal(pol.dir, PFKV2_DIR_OUTBOUND);
	assert_int_equal(pol.type, PFKV2_POLICY_IPSEC);
}

/* The register reply lists what the file README says. */
static void
test_register_reply(void **state)
{
	uint8_t buf[1024];
	struct pfkv2_view v;
	struct pfkv2_alg a;
	size_t n;

	(void)state;
	n = tu_load_hex("linux-vectors/sadb_register_reply.hex", buf,
	    sizeof(buf));
	assert_int_equal(n, 176);
	assert_int_equal(pfkv2_parse(buf, n, PFKV2_DIALECT_LINUX, REP, &v,
	    NULL), 0);
	assert_int_equal(pfkv2_get_supported(&v, PFKV2_EXT_SUPPORTED_AUTH,
	    &n), 0);
	assert_int_equal(n, 8);
	assert_int_equal(pfkv2_get_alg(&v, PFKV2_EXT_SUPPORTED_AUTH, 0, &a), 0);
	assert_int_equal(a.id, PFKV2_AALG_NULL);
	assert_int_equal(pfkv2_get_alg(&v, PFKV2_EXT_SUPPORTED_AUTH, 2, &a), 0);
	assert_int_equal(a.id, PFKV2_AALG_SHA1HMAC);
	assert_int_equal(a.minbits, 160);
	assert_int_equal(pfkv2_get_supported(&v, PFKV2_EXT_SUPPORTED_ENCRYPT,
	    &n), 0);
	assert_int_equal(n, 10);
	assert_int_equal(pfkv2_get_alg(&v, PFKV2_EXT_SUPPORTED_ENCRYPT, 1, &a),
	    0);
	assert_int_equal(a.id, PFKV2_EALG_DESCBC);
	assert_int_equal(a.ivlen, 8);
}

/* Field values of the SHA-1 ADD request and of the SPD dump. */
static void
test_getters(void **state)
{
	static const uint8_t v4src[4] = { 192, 0, 2, 1 };
	uint8_t buf[1024];
	struct pfkv2_view v;
	struct pfkv2_sa sa;
	struct pfkv2_address a;
	struct pfkv2_key k;
	struct pfkv2_ipsecrequest r;
	struct pfkv2_iter it;
	size_t n;

	(void)state;
	n = tu_load_hex("linux-vectors/sadb_add_sha1_request.hex", buf,
	    sizeof(buf));
	assert_int_equal(pfkv2_parse(buf, n, PFKV2_DIALECT_LINUX, REQ, &v,
	    NULL), 0);
	assert_int_equal(pfkv2_view_seq(&v), 2);
	assert_int_equal(v.satype, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_get_sa(&v, &sa), 0);
	assert_int_equal(sa.spi, 0x1001);
	assert_int_equal(sa.replay, 32);
	assert_int_equal(sa.state, PFKV2_SASTATE_MATURE);
	assert_int_equal(sa.auth, PFKV2_AALG_SHA1HMAC);
	assert_int_equal(sa.encrypt, PFKV2_EALG_AESCBC);
	assert_int_equal(pfkv2_get_address(&v, PFKV2_EXT_ADDRESS_SRC, &a), 0);
	assert_int_equal(a.addr.family, PFKV2_AF_INET);
	assert_memory_equal(a.addr.addr, v4src, 4);
	assert_int_equal(a.prefixlen, 32);
	assert_int_equal(pfkv2_get_key(&v, PFKV2_EXT_KEY_AUTH, &k), 0);
	assert_int_equal(k.bits, 160);
	assert_int_equal(((const uint8_t *)k.data)[0], 1);
	assert_int_equal(((const uint8_t *)k.data)[19], 20);
	assert_int_equal(pfkv2_get_lifetime(&v, PFKV2_EXT_LIFETIME_HARD,
	    &(struct pfkv2_lifetime){ 0 }), -1);
	assert_int_equal(errno, ENOENT);

	n = tu_load_hex("linux-vectors/sadb_x_spddump_reply_1.hex", buf,
	    sizeof(buf));
	assert_int_equal(pfkv2_parse(buf, n, PFKV2_DIALECT_LINUX, REP, &v,
	    NULL), 0);
	assert_int_equal(pfkv2_view_reserved(&v), 2);	/* refcount */
	assert_int_equal(pfkv2_ipsecrequest_first(&v, &it, &r), 1);
	assert_int_equal(r.proto, 50);
	assert_int_equal(r.mode, PFKV2_MODE_TRANSPORT);
	assert_int_equal(r.level, PFKV2_LEVEL_REQUIRE);
	assert_int_equal(r.src.family, 0);
	assert_int_equal(pfkv2_ipsecrequest_next(&it, &r), 0);
}

/* Tunnel endpoints of the corpus SPDADD. */
static void
test_tunnel_requests(void **state)
{
	uint8_t buf[1024];
	struct pfkv2_view v;
	struct pfkv2_ipsecrequest r;
	struct pfkv2_iter it;
	size_t n;
	int count = 0, rc;

	(void)state;
	n = tu_load("corpus/spdadd_v4.bin", buf, sizeof(buf));
	assert_int_equal(pfkv2_parse(buf, n, PFKV2_DIALECT_LINUX, REQ, &v,
	    NULL), 0);
	for (rc = pfkv2_ipsecrequest_first(&v, &it, &r); rc == 1;
	    rc = pfkv2_ipsecrequest_next(&it, &r)) {
		assert_int_equal(r.mode, PFKV2_MODE_TUNNEL);
		assert_int_equal(r.src.family, PFKV2_AF_INET);
		assert_int_equal(r.dst.family, PFKV2_AF_INET);
		count++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(count, 2);
}

/* The raw walker visits every extension and stops on damage. */
static void
test_ext_walk(void **state)
{
	uint8_t buf[1024];
	const void *e;
	size_t n;
	int count = 0;

	(void)state;
	n = tu_load("corpus/add_esp_v4.bin", buf, sizeof(buf));
	PFKV2_EXT_FOREACH(e, buf, n)
		count++;
	assert_int_equal(count, 8);
	/* A zero length in the third extension ends the walk there. */
	e = pfkv2_ext_next(buf, n, pfkv2_ext_first(buf, n));
	memset((uint8_t *)buf + ((const uint8_t *)e - buf), 0, 2);
	count = 0;
	PFKV2_EXT_FOREACH(e, buf, n)
		count++;
	assert_int_equal(count, 1);
	assert_null(pfkv2_ext_first(buf, 8));
	assert_null(pfkv2_ext_first(NULL, 0));
}

/* Misaligned buffers parse alike (the library never casts). */
static void
test_unaligned(void **state)
{
	uint8_t raw[1024 + 3], *buf = raw + 3;
	struct pfkv2_view v;
	struct pfkv2_sa sa;
	size_t n;

	(void)state;
	n = tu_load("corpus/dump_reply_v4.bin", buf, 1024);
	assert_int_equal(pfkv2_parse(buf, n, PFKV2_DIALECT_LINUX, REP, &v,
	    NULL), 0);
	assert_int_equal(pfkv2_get_sa(&v, &sa), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_validate),
		cmocka_unit_test(test_requests_rebuild),
		cmocka_unit_test(test_acquire_combs),
		cmocka_unit_test(test_register_reply),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_tunnel_requests),
		cmocka_unit_test(test_ext_walk),
		cmocka_unit_test(test_unaligned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
