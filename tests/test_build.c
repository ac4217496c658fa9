/*
 * Builder tests: every extension of every dialect is built and read back
 * with its getter; the builder's guarantees (no write past the buffer, a
 * refused put changes nothing, EMSGSIZE tells the size needed, measuring,
 * ERANGE, ENOTSUP) each have a test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include <pfkv2/pfkv2.h>

#include "internal.h"

static const enum pfkv2_dialect dialects[] = {
	PFKV2_DIALECT_RFC2367, PFKV2_DIALECT_LINUX, PFKV2_DIALECT_FREEBSD,
	PFKV2_DIALECT_ILLUMOS
};
#define NDIALECTS (sizeof(dialects) / sizeof(dialects[0]))

static struct pfkv2_addr
v4(uint8_t last, uint16_t port)
{
	struct pfkv2_addr a = { .family = PFKV2_AF_INET, .port = port };

	a.addr[0] = 192;
	a.addr[2] = 2;
	a.addr[3] = last;
	return a;
}

static struct pfkv2_addr
v6(uint8_t last, uint16_t port)
{
	struct pfkv2_addr a = { .family = PFKV2_AF_INET6, .port = port,
	    .flowinfo = 0, .scope_id = 3 };

	a.addr[0] = 0x20;
	a.addr[1] = 0x01;
	a.addr[2] = 0x0d;
	a.addr[3] = 0xb8;
	a.addr[15] = last;
	return a;
}

/* Getters fill fields, not padding: compare structs only after zeroing. */
#define ZERO(x)	memset(&(x), 0, sizeof(x))

/* Start a message of type/satype for dialect d. */
static void
start(struct pfkv2_builder *b, uint8_t *buf, size_t size,
    enum pfkv2_dialect d, unsigned type, unsigned satype)
{
	assert_int_equal(pfkv2_builder_init(b, buf, size, d), 0);
	assert_int_equal(pfkv2_put_msg(b, type, satype, 7, 4242), 0);
}

/* Finish and parse (structure only) the message in buf. */
static void
reparse(struct pfkv2_builder *b, uint8_t *buf, enum pfkv2_dialect d,
    struct pfkv2_view *v)
{
	struct pfkv2_diag diag;
	long n = pfkv2_builder_finish(b);

	assert_true(n >= 16);
	assert_int_equal(n % 8, 0);
	if (pfkv2_parse(buf, (size_t)n, d, PFKV2_V_STRICT, v, &diag) != 0) {
		char why[200];

		pfkv2_diag_format(&diag, why, sizeof(why));
		fail_msg("dialect %d: %s", d, why);
	}
	assert_int_equal(pfkv2_view_seq(v), 7);
	assert_int_equal(pfkv2_view_pid(v), 4242);
}

/* Either the dialect has ext and the put works, or it is refused ENOTSUP. */
static bool
expect_put(enum pfkv2_dialect d, unsigned ext, int rc)
{
	if (pfkv2_dialect_has_ext(d, ext)) {
		assert_int_equal(rc, 0);
		return true;
	}
	assert_int_equal(rc, -1);
	assert_int_equal(errno, ENOTSUP);
	return false;
}

static void
test_sa_lifetime_key(void **state)
{
	uint8_t buf[512], key[32];
	struct pfkv2_builder b;
	struct pfkv2_view v;
	struct pfkv2_sa sa = { .spi = 0x12345678, .replay = 32,
	    .state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC,
	    .encrypt = PFKV2_EALG_3DESCBC };
	struct pfkv2_sa sa2;
	/* static: padding zero, so assert_memory_equal() compares values. */
	static struct pfkv2_lifetime lt = { 1, 2, 3, 4 };
	struct pfkv2_lifetime lt2;
	struct pfkv2_key k = { key, 256, 0 }, k2;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i + 1);
	for (i = 0; i < NDIALECTS; i++) {
		/* FreeBSD reads the PFS bit as SADB_X_EXT_OLD. */
		sa.flags = dialects[i] == PFKV2_DIALECT_FREEBSD ? 0 :
		    PFKV2_SAFLAG(PFKV2_SAFLAG_PFS);
		start(&b, buf, sizeof(buf), dialects[i], PFKV2_MSG_ADD,
		    PFKV2_SATYPE_ESP);
		assert_int_equal(pfkv2_put_sa(&b, &sa), 0);
		assert_int_equal(pfkv2_put_lifetime(&b,
		    PFKV2_EXT_LIFETIME_HARD, &lt), 0);
		assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &k),
		    0);
		reparse(&b, buf, dialects[i], &v);
		assert_int_equal(pfkv2_get_sa(&v, &sa2), 0);
		assert_int_equal(sa2.spi, sa.spi);
		assert_int_equal(sa2.replay, 32);
		assert_int_equal(sa2.state, PFKV2_SASTATE_MATURE);
		assert_int_equal(sa2.auth, PFKV2_AALG_SHA1HMAC);
		assert_int_equal(sa2.encrypt, PFKV2_EALG_3DESCBC);
		assert_true(sa2.flags == sa.flags);
		assert_int_equal(sa2.flags_raw, 0);
		ZERO(lt2);
		assert_int_equal(pfkv2_get_lifetime(&v, PFKV2_EXT_LIFETIME_HARD,
		    &lt2), 0);
		assert_memory_equal(&lt, &lt2, sizeof(lt));
		assert_int_equal(pfkv2_get_key(&v, PFKV2_EXT_KEY_ENCRYPT, &k2),
		    0);
		assert_int_equal(k2.bits, 256);
		assert_memory_equal(k2.data, key, 32);
		/* The SPI travels in network order. */
		assert_int_equal(buf[16 + 4], 0x12);
	}
}

static void
test_addresses(void **state)
{
	static const unsigned exts[] = {
		PFKV2_EXT_ADDRESS_SRC, PFKV2_EXT_ADDRESS_DST,
		PFKV2_EXT_ADDRESS_PROXY, PFKV2_EXT_NAT_T_OA,
		PFKV2_EXT_NAT_T_OAR, PFKV2_EXT_NEW_ADDRESS_SRC,
		PFKV2_EXT_NEW_ADDRESS_DST, PFKV2_EXT_ADDRESS_NATT_LOC,
		PFKV2_EXT_ADDRESS_NATT_REM, PFKV2_EXT_ADDRESS_INNER_DST
	};
	uint8_t buf[1024];
	struct pfkv2_builder b;
	struct pfkv2_view v;
	struct pfkv2_address a, a2;
	size_t i, j;
	int fam;

	(void)state;
	for (i = 0; i < NDIALECTS; i++)
		for (fam = 0; fam < 2; fam++) {
			start(&b, buf, sizeof(buf), dialects[i], PFKV2_MSG_ADD,
			    PFKV2_SATYPE_ESP);
			for (j = 0; j < sizeof(exts) / sizeof(exts[0]); j++) {
				memset(&a, 0, sizeof(a));
				a.addr = fam ? v6((uint8_t)j, 500) :
				    v4((uint8_t)j, 4500);
				a.prefixlen = fam ? 64 : 24;
				a.proto = 17;
				expect_put(dialects[i], exts[j],
				    pfkv2_put_address(&b, exts[j], &a));
			}
			reparse(&b, buf, dialects[i], &v);
			for (j = 0; j < sizeof(exts) / sizeof(exts[0]); j++) {
				if (!pfkv2_dialect_has_ext(dialects[i], exts[j]))
					continue;
				assert_int_equal(pfkv2_get_address(&v, exts[j],
				    &a2), 0);
				assert_int_equal(a2.addr.family,
				    fam ? PFKV2_AF_INET6 : PFKV2_AF_INET);
				assert_int_equal(a2.addr.addr[fam ? 15 : 3], j);
				assert_int_equal(a2.addr.port, fam ? 500 : 4500);
				assert_int_equal(a2.prefixlen, fam ? 64 : 24);
				assert_int_equal(a2.proto, 17);
				if (fam)
					assert_int_equal(a2.addr.scope_id, 3);
			}
		}
}

/* The sockaddr layout differs: BSD has sa_len, illumos a 32-byte in6. */
static void
test_sockaddr_layouts(void **state)
{
	uint8_t buf[256];
	struct pfkv2_builder b;
	struct pfkv2_address a = { .addr = { .family = PFKV2_AF_INET6 } };

	(void)state;
	start(&b, buf, sizeof(buf), PFKV2_DIALECT_FREEBSD, PFKV2_MSG_ADD,
	    PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &a), 0);
	assert_int_equal(buf[24], 28);		/* sin6_len */
	assert_int_equal(buf[25], 28);		/* AF_INET6 on FreeBSD */
	assert_int_equal(ld16(buf + 16), 5);	/* 40 bytes */

	start(&b, buf, sizeof(buf), PFKV2_DIALECT_ILLUMOS, PFKV2_MSG_ADD,
	    PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &a), 0);
	assert_int_equal(ld16(buf + 24), 26);	/* AF_INET6 on illumos */
	assert_int_equal(ld16(buf + 16), 5);	/* 8 + 32 bytes */

	start(&b, buf, sizeof(buf), PFKV2_DIALECT_LINUX, PFKV2_MSG_ADD,
	    PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &a), 0);
	assert_int_equal(ld16(buf + 24), 10);	/* AF_INET6 on Linux */
	assert_int_equal(ld16(buf + 16), 5);	/* 8 + 28 padded to 40 */
}

static void
test_ident_sens(void **state)
{
	uint8_t buf[512];
	uint64_t bits[3] = { 1, 2, 3 };
	struct pfkv2_builder b;
	struct pfkv2_view v;
	struct pfkv2_ident id = { PFKV2_IDENTTYPE_FQDN, 99, "vpn.example",
	    11 }, id2;
	struct pfkv2_sens s = { .dpd = 1, .sens_level = 2, .sens_len = 2,
	    .integ_level = 3, .integ_len = 1, .sens_bitmap = bits,
	    .integ_bitmap = bits + 2 }, s2;
	size_t i;

	(void)state;
	for (i = 0; i < NDIALECTS; i++) {
		start(&b, buf, sizeof(buf), dialects[i], PFKV2_MSG_ADD,
		    PFKV2_SATYPE_ESP);
		assert_int_equal(pfkv2_put_ident(&b, PFKV2_EXT_IDENTITY_SRC,
		    &id), 0);
		assert_int_equal(pfkv2_put_sens(&b, PFKV2_EXT_SENSITIVITY, &s),
		    0);
		expect_put(dialects[i], PFKV2_EXT_OUTER_SENS,
		    pfkv2_put_sens(&b, PFKV2_EXT_OUTER_SENS, &s));
		reparse(&b, buf, dialects[i], &v);
		assert_int_equal(pfkv2_get_ident(&v, PFKV2_EXT_IDENTITY_SRC,
		    &id2), 0);
		assert_int_equal(id2.type, PFKV2_IDENTTYPE_FQDN);
		assert_int_equal(id2.id, 99);
		assert_int_equal(id2.len, 11);
		assert_string_equal(id2.str, "vpn.example");
		assert_int_equal(pfkv2_get_sens(&v, PFKV2_EXT_SENSITIVITY, &s2),
		    0);
		assert_int_equal(s2.sens_len, 2);
		assert_int_equal(s2.integ_len, 1);
		assert_memory_equal(s2.sens_bitmap, bits, 16);
		assert_memory_equal(s2.integ_bitmap, bits + 2, 8);
	}
}

static void
test_proposal_supported(void **state)
{
	uint8_t buf[1024];
	struct pfkv2_builder b;
	struct pfkv2_view v;
	static struct pfkv2_comb c[2] = {
		{ .auth = PFKV2_AALG_SHA1HMAC, .encrypt = PFKV2_EALG_3DESCBC,
		    .auth_minbits = 160, .auth_maxbits = 160,
		    .encrypt_minbits = 128, .encrypt_maxbits = 256,
		    .hard_addtime = 86400, .soft_addtime = 72000 },
		{ .auth = PFKV2_AALG_MD5HMAC, .encrypt = PFKV2_EALG_3DESCBC,
		    .hard_bytes = 1u << 30 },
	}, c2;
	static struct pfkv2_alg a[2] = {
		{ .id = PFKV2_AALG_SHA1HMAC, .minbits = 160, .maxbits = 160 },
		{ .id = PFKV2_AALG_MD5HMAC, .ivlen = 0, .minbits = 128,
		    .maxbits = 128 },
	}, a2;
	uint8_t replay;
	size_t i, n;

	(void)state;
	for (i = 0; i < NDIALECTS; i++) {
		start(&b, buf, sizeof(buf), dialects[i], PFKV2_MSG_ACQUIRE,
		    PFKV2_SATYPE_ESP);
		assert_int_equal(pfkv2_put_proposal(&b, 32, c, 2), 0);
		assert_int_equal(pfkv2_put_supported(&b,
		    PFKV2_EXT_SUPPORTED_AUTH, a, 2), 0);
		reparse(&b, buf, dialects[i], &v);
		assert_int_equal(pfkv2_get_proposal(&v, &replay, &n), 0);
		assert_int_equal(replay, 32);
		assert_int_equal(n, 2);
		ZERO(c2);
		assert_int_equal(pfkv2_get_comb(&v, 0, &c2), 0);
		assert_memory_equal(&c2, &c[0], sizeof(c2));
		ZERO(c2);
		assert_int_equal(pfkv2_get_comb(&v, 1, &c2), 0);
		assert_memory_equal(&c2, &c[1], sizeof(c2));
		assert_int_equal(pfkv2_get_supported(&v,
		    PFKV2_EXT_SUPPORTED_AUTH, &n), 0);
		assert_int_equal(n, 2);
		ZERO(a2);
		assert_int_equal(pfkv2_get_alg(&v, PFKV2_EXT_SUPPORTED_AUTH, 1,
		    &a2), 0);
		assert_memory_equal(&a2, &a[1], sizeof(a2));
	}
	/* Salt bits exist only on illumos. */
	c[0].saltbits = 32;
	start(&b, buf, sizeof(buf), PFKV2_DIALECT_LINUX, PFKV2_MSG_ACQUIRE,
	    PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_proposal(&b, 32, c, 2), -1);
	assert_int_equal(errno, ENOTSUP);
	start(&b, buf, sizeof(buf), PFKV2_DIALECT_ILLUMOS, PFKV2_MSG_ACQUIRE,
	    PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_proposal(&b, 32, c, 2), 0);
	reparse(&b, buf, PFKV2_DIALECT_ILLUMOS, &v);
	assert_int_equal(pfkv2_get_comb(&v, 0, &c2), 0);
	assert_int_equal(c2.saltbits, 32);
}

static void
test_spirange_orders(void **state)
{
	uint8_t buf[256];
	struct pfkv2_builder b;
	struct pfkv2_view v;
	uint32_t min, max;
	size_t i;

	(void)state;
	for (i = 0; i < NDIALECTS; i++) {
		start(&b, buf, sizeof(buf), dialects[i], PFKV2_MSG_GETSPI,
		    PFKV2_SATYPE_ESP);
		assert_int_equal(pfkv2_put_spirange(&b, 0x100, 0x0fffffff), 0);
		reparse(&b, buf, dialects[i], &v);
		assert_int_equal(pfkv2_get_spirange(&v, &min, &max), 0);
		assert_int_equal(min, 0x100);
		assert_int_equal(max, 0x0fffffff);
		/* illumos reads the range in network order (B-IL1). */
		if (dialects[i] == PFKV2_DIALECT_ILLUMOS)
			assert_int_equal(buf[16 + 4 + 2], 0x01);
		else
			assert_int_equal(ld32(buf + 16 + 4), 0x100);
	}
}

static void
test_kame_linux_extensions(void **state)
{
	uint8_t buf[1024], priv[5] = { 1, 2, 3, 4, 5 };
	struct pfkv2_builder b;
	struct pfkv2_view v;
	static struct pfkv2_sa2 sa2 = { PFKV2_MODE_TUNNEL, 77, 1234 };
	struct pfkv2_sa2 sa2b;
	const void *data;
	uint16_t port;
	uint8_t type;
	size_t i, n;

	(void)state;
	for (i = 0; i < NDIALECTS; i++) {
		enum pfkv2_dialect d = dialects[i];

		start(&b, buf, sizeof(buf), d, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP);
		expect_put(d, PFKV2_EXT_SA2, pfkv2_put_sa2(&b, &sa2));
		expect_put(d, PFKV2_EXT_KMPRIVATE,
		    pfkv2_put_kmprivate(&b, priv, sizeof(priv)));
		expect_put(d, PFKV2_EXT_NAT_T_TYPE,
		    pfkv2_put_nat_t_type(&b, 2));
		expect_put(d, PFKV2_EXT_NAT_T_SPORT,
		    pfkv2_put_nat_t_port(&b, PFKV2_EXT_NAT_T_SPORT, 4500));
		expect_put(d, PFKV2_EXT_NAT_T_DPORT,
		    pfkv2_put_nat_t_port(&b, PFKV2_EXT_NAT_T_DPORT, 4501));
		expect_put(d, PFKV2_EXT_NAT_T_FRAG,
		    pfkv2_put_nat_t_frag(&b, 1400));
		expect_put(d, PFKV2_EXT_SA_REPLAY,
		    pfkv2_put_sa_replay(&b, 1u << 20));
		reparse(&b, buf, d, &v);
		if (pfkv2_dialect_has_ext(d, PFKV2_EXT_SA2)) {
			ZERO(sa2b);
			assert_int_equal(pfkv2_get_sa2(&v, &sa2b), 0);
			assert_memory_equal(&sa2, &sa2b, sizeof(sa2));
		}
		if (pfkv2_dialect_has_ext(d, PFKV2_EXT_KMPRIVATE)) {
			assert_int_equal(pfkv2_get_kmprivate(&v, &data, &n), 0);
			assert_int_equal(n, 8);		/* padded */
			assert_memory_equal(data, priv, 5);
		}
		if (pfkv2_dialect_has_ext(d, PFKV2_EXT_NAT_T_DPORT)) {
			assert_int_equal(pfkv2_get_nat_t_type(&v, &type), 0);
			assert_int_equal(type, 2);
			assert_int_equal(pfkv2_get_nat_t_port(&v,
			    PFKV2_EXT_NAT_T_DPORT, &port), 0);
			assert_int_equal(port, 4501);
		}
		if (pfkv2_dialect_has_ext(d, PFKV2_EXT_NAT_T_FRAG)) {
			assert_int_equal(pfkv2_get_nat_t_frag(&v, &port), 0);
			assert_int_equal(port, 1400);
		}
		if (pfkv2_dialect_has_ext(d, PFKV2_EXT_SA_REPLAY)) {
			uint32_t r;

			assert_int_equal(pfkv2_get_sa_replay(&v, &r), 0);
			assert_int_equal(r, 1u << 20);
		}
	}
}

static void
test_policy(void **state)
{
	uint8_t buf[1024];
	struct pfkv2_builder b;
	struct pfkv2_view v;
	static struct pfkv2_policy pol = { PFKV2_POLICY_IPSEC,
	    PFKV2_DIR_OUTBOUND, 0, 5, 100 }, pol2;
	static struct pfkv2_ipsecrequest r[3] = {
		{ .proto = 50, .mode = PFKV2_MODE_TUNNEL,
		    .level = PFKV2_LEVEL_REQUIRE, .reqid = 7 },
		{ .proto = 51, .mode = PFKV2_MODE_TRANSPORT,
		    .level = PFKV2_LEVEL_USE, .reqid = 8 },
		{ .proto = 50, .mode = PFKV2_MODE_TUNNEL,
		    .level = PFKV2_LEVEL_UNIQUE, .reqid = 9 },
	}, r2;
	struct pfkv2_iter it;
	size_t i, k;
	int rc;

	(void)state;
	r[0].src = v4(1, 0);
	r[0].dst = v4(2, 0);
	r[2].src = v6(1, 0);
	r[2].dst = v6(2, 0);
	for (i = 0; i < NDIALECTS; i++) {
		enum pfkv2_dialect d = dialects[i];

		start(&b, buf, sizeof(buf), d, PFKV2_MSG_ADD,
		    PFKV2_SATYPE_UNSPEC);
		if (!expect_put(d, PFKV2_EXT_POLICY,
		    pfkv2_put_policy(&b, &pol, r, 3)))
			continue;
		reparse(&b, buf, d, &v);
		ZERO(pol2);
		assert_int_equal(pfkv2_get_policy(&v, &pol2), 0);
		assert_memory_equal(&pol, &pol2, sizeof(pol));
		ZERO(r2);
		for (k = 0, rc = pfkv2_ipsecrequest_first(&v, &it, &r2);
		    rc == 1; rc = pfkv2_ipsecrequest_next(&it, &r2), k++) {
			assert_memory_equal(&r2, &r[k], sizeof(r2));
			ZERO(r2);
		}
		assert_int_equal(rc, 0);
		assert_int_equal(k, 3);
	}
	/* FreeBSD requests carry a 16-bit reqid. */
	r[1].reqid = 70000;
	start(&b, buf, sizeof(buf), PFKV2_DIALECT_FREEBSD, PFKV2_MSG_X_SPDADD,
	    PFKV2_SATYPE_UNSPEC);
	assert_int_equal(pfkv2_put_policy(&b, &pol, r, 3), -1);
	assert_int_equal(errno, ERANGE);
	start(&b, buf, sizeof(buf), PFKV2_DIALECT_LINUX, PFKV2_MSG_X_SPDADD,
	    PFKV2_SATYPE_UNSPEC);
	assert_int_equal(pfkv2_put_policy(&b, &pol, r, 3), 0);
	/* Endpoints of two families in one request are refused. */
	r[0].dst = v6(2, 0);
	start(&b, buf, sizeof(buf), PFKV2_DIALECT_LINUX, PFKV2_MSG_X_SPDADD,
	    PFKV2_SATYPE_UNSPEC);
	assert_int_equal(pfkv2_put_policy(&b, &pol, r, 1), -1);
	assert_int_equal(errno, EINVAL);
	/* Policy scope is FreeBSD's alone. */
	pol.scope = 2;
	assert_int_equal(pfkv2_put_policy(&b, &pol, NULL, 0), -1);
	assert_int_equal(errno, ENOTSUP);
}

static void
test_linux_only(void **state)
{
	uint8_t buf[1024];
	struct pfkv2_builder b;
	struct pfkv2_view v;
	struct pfkv2_sec_ctx cx = { 1, 1, 17, "system_u:object_r" }, cx2;
	struct pfkv2_kmaddress km = { v6(1, 0), v6(2, 0), 0 }, km2;
	struct pfkv2_filter fl = { v4(0, 0), v4(0, 0), 24, 16 }, fl2;
	size_t i;

	(void)state;
	for (i = 0; i < NDIALECTS; i++) {
		enum pfkv2_dialect d = dialects[i];

		start(&b, buf, sizeof(buf), d, PFKV2_MSG_DUMP,
		    PFKV2_SATYPE_ESP);
		expect_put(d, PFKV2_EXT_SEC_CTX, pfkv2_put_sec_ctx(&b, &cx));
		expect_put(d, PFKV2_EXT_KMADDRESS,
		    pfkv2_put_kmaddress(&b, &km));
		expect_put(d, PFKV2_EXT_FILTER, pfkv2_put_filter(&b, &fl));
		reparse(&b, buf, d, &v);
		if (d != PFKV2_DIALECT_LINUX)
			continue;
		assert_int_equal(pfkv2_get_sec_ctx(&v, &cx2), 0);
		assert_int_equal(cx2.len, 17);
		assert_memory_equal(cx2.ctx, cx.ctx, 17);
		ZERO(km2);
		assert_int_equal(pfkv2_get_kmaddress(&v, &km2), 0);
		assert_memory_equal(&km2, &km, sizeof(km));
		assert_int_equal(pfkv2_get_filter(&v, &fl2), 0);
		assert_int_equal(fl2.splen, 24);
		assert_int_equal(fl2.dplen, 16);
		assert_int_equal(fl2.src.family, PFKV2_AF_INET);
	}
}

static void
test_freebsd_only(void **state)
{
	uint8_t buf[512];
	struct pfkv2_builder b;
	struct pfkv2_view v;
	struct pfkv2_if_hw_offl h = { 1, "mce0" }, h2;
	size_t i;

	(void)state;
	for (i = 0; i < NDIALECTS; i++) {
		enum pfkv2_dialect d = dialects[i];
		struct pfkv2_lifetime lt = { 9, 8, 7, 6 };

		start(&b, buf, sizeof(buf), d, PFKV2_MSG_GET, PFKV2_SATYPE_ESP);
		expect_put(d, PFKV2_EXT_IF_HW_OFFL,
		    pfkv2_put_if_hw_offl(&b, &h));
		expect_put(d, PFKV2_EXT_LFT_CUR_SW_OFFL,
		    pfkv2_put_lifetime(&b, PFKV2_EXT_LFT_CUR_SW_OFFL, &lt));
		reparse(&b, buf, d, &v);
		if (d != PFKV2_DIALECT_FREEBSD)
			continue;
		assert_int_equal(pfkv2_get_if_hw_offl(&v, &h2), 0);
		assert_string_equal(h2.ifname, "mce0");
		assert_int_equal(h2.flags, 1);
	}
}

static void
test_illumos_only(void **state)
{
	uint8_t buf[1024];
	struct pfkv2_builder b;
	struct pfkv2_view v;
	struct pfkv2_kmc kmc = { PFKV2_KMP_IKEV2, UINT64_C(0x1122334455667788) };
	struct pfkv2_kmc kmc2;
	/* Set field by field below: assert_memory_equal() sees padding too. */
	struct pfkv2_replay_value rv, rv2;
	/* Copied from static data, so that padding is zero for
	 * assert_memory_equal(). */
	static const struct pfkv2_algdesc ad_init[2] = {
		{ PFKV2_SATYPE_ESP, 2, PFKV2_EALG_AESCBC, 0, 128, 256 },
		{ PFKV2_SATYPE_ESP, 1, PFKV2_AALG_SHA1HMAC, 0, 160, 160 },
	};
	struct pfkv2_algdesc ad[2], ad2;
	struct pfkv2_ecomb ec = { .flags = 1, .hard_addtime = 3600,
	    .numalgs = 2, .algs = ad }, ec2;
	uint16_t satypes[2] = { PFKV2_SATYPE_AH, PFKV2_SATYPE_ESP }, st[4];
	struct pfkv2_iter it;
	const char *pw;
	uint64_t t;
	uint32_t spi;
	uint8_t replay;
	size_t i, n;

	(void)state;
	memcpy(ad, ad_init, sizeof(ad));
	ZERO(rv);
	rv.replay32 = 5;
	rv.replay64 = 6;
	for (i = 0; i < NDIALECTS; i++) {
		enum pfkv2_dialect d = dialects[i];

		start(&b, buf, sizeof(buf), d, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP);
		expect_put(d, PFKV2_EXT_KMC, pfkv2_put_kmc(&b, &kmc));
		expect_put(d, PFKV2_EXT_PAIR, pfkv2_put_pair(&b, 0xabcdef));
		expect_put(d, PFKV2_EXT_REPLAY_VALUE,
		    pfkv2_put_replay_value(&b, &rv));
		expect_put(d, PFKV2_EXT_EDUMP, pfkv2_put_edump(&b, 60));
		expect_put(d, PFKV2_EXT_EREG, pfkv2_put_ereg(&b, satypes, 2));
		expect_put(d, PFKV2_EXT_EPROP, pfkv2_put_eprop(&b, 64, &ec, 1));
		expect_put(d, PFKV2_EXT_STR_AUTH,
		    pfkv2_put_str_auth(&b, "secret", 6));
		reparse(&b, buf, d, &v);
		if (d != PFKV2_DIALECT_ILLUMOS)
			continue;
		assert_int_equal(pfkv2_get_kmc(&v, &kmc2), 0);
		assert_int_equal(kmc2.proto, PFKV2_KMP_IKEV2);
		assert_true(kmc2.cookie == kmc.cookie);
		assert_int_equal(pfkv2_get_pair(&v, &spi), 0);
		assert_int_equal(spi, 0xabcdef);
		ZERO(rv2);
		assert_int_equal(pfkv2_get_replay_value(&v, &rv2), 0);
		assert_memory_equal(&rv, &rv2, sizeof(rv));
		assert_int_equal(pfkv2_get_edump(&v, &t), 0);
		assert_int_equal(t, 60);
		assert_int_equal(pfkv2_get_ereg(&v, st, 4, &n), 0);
		assert_int_equal(n, 2);
		assert_int_equal(st[1], PFKV2_SATYPE_ESP);
		assert_int_equal(pfkv2_get_eprop(&v, &replay, &n), 0);
		assert_int_equal(replay, 64);
		assert_int_equal(n, 1);
		assert_int_equal(pfkv2_ecomb_first(&v, &it, &ec2), 1);
		assert_int_equal(ec2.numalgs, 2);
		assert_int_equal(ec2.hard_addtime, 3600);
		ZERO(ad2);
		assert_int_equal(pfkv2_ecomb_alg(&it, 1, &ad2), 0);
		assert_memory_equal(&ad2, &ad[1], sizeof(ad2));
		assert_int_equal(pfkv2_ecomb_alg(&it, 2, &ad2), -1);
		assert_int_equal(pfkv2_ecomb_next(&it, &ec2), 0);
		assert_int_equal(pfkv2_get_str_auth(&v, &pw, &n), 0);
		assert_int_equal(n, 6);
		assert_memory_equal(pw, "secret", 6);
	}
	/*
	 * Fuzz finding: a descriptor of algorithm type 0 (NONE) names no
	 * space; its value travels raw and round-trips.
	 */
	ad[0].algtype = 0;
	ad[0].alg = PFKV2_WIRE(9);
	ec.numalgs = 1;
	start(&b, buf, sizeof(buf), PFKV2_DIALECT_ILLUMOS, PFKV2_MSG_ACQUIRE,
	    PFKV2_SATYPE_UNSPEC);
	assert_int_equal(pfkv2_put_eprop(&b, 0, &ec, 1), 0);
	reparse(&b, buf, PFKV2_DIALECT_ILLUMOS, &v);
	assert_int_equal(pfkv2_ecomb_first(&v, &it, &ec2), 1);
	assert_int_equal(pfkv2_ecomb_alg(&it, 0, &ad2), 0);
	assert_int_equal(ad2.algtype, 0);
	assert_int_equal(ad2.alg, PFKV2_WIRE(9));
	assert_int_equal(buf[16 + 8 + 64 + 2], 9);

	/* An IKEv1 cookie is 32 bits. */
	start(&b, buf, sizeof(buf), PFKV2_DIALECT_ILLUMOS, PFKV2_MSG_ADD,
	    PFKV2_SATYPE_ESP);
	kmc.proto = PFKV2_KMP_IKE;
	assert_int_equal(pfkv2_put_kmc(&b, &kmc), -1);
	assert_int_equal(errno, ERANGE);
	kmc.cookie = 0x55667788;
	assert_int_equal(pfkv2_put_kmc(&b, &kmc), 0);
	reparse(&b, buf, PFKV2_DIALECT_ILLUMOS, &v);
	assert_int_equal(pfkv2_get_kmc(&v, &kmc2), 0);
	assert_int_equal(kmc2.proto, PFKV2_KMP_IKE);
	assert_int_equal(kmc2.cookie, 0x55667788);
	assert_int_equal(ld32(buf + 16 + 12), 0);	/* reserved half */
}

/* A refused put leaves every byte as it was; the length stays current. */
static void
test_refused_put_unchanged(void **state)
{
	uint8_t buf[64], copy[64];
	struct pfkv2_builder b;
	struct pfkv2_key k = { "0123456789abcdef0123456789abcdef", 256, 0 };
	struct pfkv2_sa sa = { .state = PFKV2_SASTATE_MATURE,
	    .auth = PFKV2_AALG_SM3_256HMAC };

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	start(&b, buf, 56, PFKV2_DIALECT_LINUX, PFKV2_MSG_ADD,
	    PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_spirange(&b, 1, 2), 0);
	assert_int_equal(pfkv2_builder_len(&b), 32);
	assert_int_equal(ld16(buf + 4), 4);
	memcpy(copy, buf, sizeof(buf));
	/* Does not fit (40 bytes into 24 left). */
	assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &k), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_memory_equal(buf, copy, sizeof(buf));
	assert_int_equal(pfkv2_builder_needed(&b), 72);
	assert_int_equal(pfkv2_builder_finish(&b), -1);
	assert_int_equal(errno, EMSGSIZE);
	/* Later puts keep counting and write nothing. */
	assert_int_equal(pfkv2_put_nat_t_type(&b, 2), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_memory_equal(buf, copy, sizeof(buf));
	assert_int_equal(pfkv2_builder_needed(&b), 80);

	/* Unknown to the dialect, out of range, duplicate: nothing written. */
	start(&b, buf, sizeof(buf), PFKV2_DIALECT_FREEBSD, PFKV2_MSG_ADD,
	    PFKV2_SATYPE_ESP);
	memcpy(copy, buf, sizeof(buf));
	assert_int_equal(pfkv2_put_sa(&b, &sa), -1);	/* no SM3 on FreeBSD */
	assert_int_equal(errno, ENOTSUP);
	assert_int_equal(pfkv2_put_kmc(&b, &(struct pfkv2_kmc){ 0, 0 }), -1);
	assert_int_equal(errno, ENOTSUP);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC,
	    &(struct pfkv2_address){ .addr = v4(1, 0), .prefixlen = 33 }), -1);
	assert_int_equal(errno, ERANGE);
	assert_memory_equal(buf, copy, sizeof(buf));
	assert_int_equal(pfkv2_builder_len(&b), 16);
	assert_int_equal(pfkv2_put_nat_t_type(&b, 2), 0);
	assert_int_equal(pfkv2_put_nat_t_type(&b, 2), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfkv2_builder_finish(&b), 24);
}

/* Measuring with a NULL buffer gives the size the real build takes. */
static void
test_measure(void **state)
{
	uint8_t buf[512];
	struct pfkv2_builder b;
	struct pfkv2_key k = { "0123456789abcdef", 128, 0 };
	long need, got;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(pfkv2_builder_init(&b, pass ? buf : NULL,
		    pass ? sizeof(buf) : 0, PFKV2_DIALECT_LINUX), 0);
		assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_ADD,
		    PFKV2_SATYPE_ESP, 1, 2), 0);
		assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &k), 0);
		assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST,
		    &(struct pfkv2_address){ .addr = v6(1, 0) }), 0);
		if (pass == 0)
			need = pfkv2_builder_finish(&b);
		else
			got = pfkv2_builder_finish(&b);
	}
	assert_int_equal(need, 16 + 24 + 40);
	assert_int_equal(got, need);
}

/* Bad calls: no header, header twice, bad dialect, wrong kind of ext. */
static void
test_misuse(void **state)
{
	uint8_t buf[64];
	struct pfkv2_builder b;
	struct pfkv2_lifetime lt = { 0 };

	(void)state;
	assert_int_equal(pfkv2_builder_init(&b, buf, sizeof(buf),
	    PFKV2_DIALECT_COUNT), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfkv2_builder_init(&b, NULL, 8, PFKV2_DIALECT_LINUX),
	    -1);
	assert_int_equal(pfkv2_builder_init(&b, buf, sizeof(buf),
	    PFKV2_DIALECT_LINUX), 0);
	assert_int_equal(pfkv2_put_nat_t_type(&b, 2), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfkv2_builder_finish(&b), -1);
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_X_UPDATEPAIR, 0, 0, 0), -1);
	assert_int_equal(errno, ENOTSUP);	/* illumos only */
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP,
	    0, 0), 0);
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP,
	    0, 0), -1);
	assert_int_equal(pfkv2_put_lifetime(&b, PFKV2_EXT_SA, &lt), -1);
	assert_int_equal(errno, EINVAL);
	/* A raw value passes through unchanged. */
	assert_int_equal(pfkv2_builder_init(&b, buf, sizeof(buf),
	    PFKV2_DIALECT_LINUX), 0);
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_WIRE(200), PFKV2_WIRE(99), 0,
	    0), 0);
	assert_int_equal(buf[1], 200);
	assert_int_equal(buf[3], 99);
	assert_int_equal(pfkv2_put_ext_raw(&b, 60, "abc", 3), 0);
	/* Fuzz finding: type 0 is reserved and no parser accepts it. */
	assert_int_equal(pfkv2_put_ext_raw(&b, 0, "abc", 3), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfkv2_builder_finish(&b), 24);
	assert_int_equal(ld16(buf + 18), 60);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa_lifetime_key),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_sockaddr_layouts),
		cmocka_unit_test(test_ident_sens),
		cmocka_unit_test(test_proposal_supported),
		cmocka_unit_test(test_spirange_orders),
		cmocka_unit_test(test_kame_linux_extensions),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_linux_only),
		cmocka_unit_test(test_freebsd_only),
		cmocka_unit_test(test_illumos_only),
		cmocka_unit_test(test_refused_put_unchanged),
		cmocka_unit_test(test_measure),
		cmocka_unit_test(test_misuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
