/*
 * Builder tests: every extension of every dialect is built and read back
 * with its getter; the builder's guarantees (no write past the buffer, a
 * refused put changes nothing, EMSGSIZE tells the size needed, measuring,
 * ERANGE, ENOTSUP) each have a test.  pfkv2_build_msg() is held to the
 * single puts it stands for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pfkv2/pfkv2.h>

#include "internal.h"

#include "buildref.h"

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

/* --- pfkv2_build_msg() ---------------------------------------------------- */

/*
 * pfkv2_build_msg() is defined as the builder's own calls, one put per
 * part.  Every test below builds each message both ways, into buffers
 * filled with different garbage, and wants one answer: return, errno,
 * bytes, and nothing written past the message or the buffer.
 */
#define SLACK	64				/* canary bytes */
#define BM_CAP	(PFKV2_MSG_MAXLEN + SLACK)	/* the most room a test claims */
static uint8_t bm_a[BM_CAP + SLACK], bm_b[BM_CAP + SLACK];
static uint8_t keymat[8192 + 64];	/* a 65535-bit key from any offset < 64 */
static char bm_ctx[160];		/* what is being built, for failures */

#define DM(d)	(1u << (d))
#define D_RFC	DM(PFKV2_DIALECT_RFC2367)
#define D_LNX	DM(PFKV2_DIALECT_LINUX)
#define D_FBSD	DM(PFKV2_DIALECT_FREEBSD)
#define D_ILL	DM(PFKV2_DIALECT_ILLUMOS)
#define D_KAME	(D_LNX | D_FBSD)
#define D_ALL	(D_RFC | D_KAME | D_ILL)

static void
bm_setup(void)
{
	size_t i;

	for (i = 0; i < sizeof(keymat); i++)
		keymat[i] = (uint8_t)(i * 31 + 7);
}


/* Garbage; two seeds that differ mod 256 differ at every offset. */
static void
bm_fill(uint8_t *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 0x9d);
}

/* The first offset in [from, to) that no longer holds the garbage, or to. */
static size_t
bm_touched(const uint8_t *p, size_t from, size_t to, unsigned seed)
{
	for (; from < to; from++)
		if (p[from] != (uint8_t)(seed + from * 0x9d))
			break;
	return from;
}

/*
 * Build m for d both ways into size bytes (NULL when nobuf) prefilled
 * with garbage seeds ga and gb (made to differ).  Asserts the same
 * return, errno (when -1) and bytes (when it built), and that neither
 * wrote past the message or past size.  Returns the answer, with its
 * errno (0 on success) in *err.
 */
static long
both_ways(enum pfkv2_dialect d, const struct pfkv2_msg_parts *m, bool nobuf,
    size_t size, unsigned ga, unsigned gb, int *err)
{
	size_t room = size < BM_CAP ? size : BM_CAP, used, at;
	long ra, rb;
	int ea, eb;

	if (!nobuf && size > BM_CAP)
		fail_msg("%s: size %zu is more than the test has", bm_ctx,
		    size);
	if ((ga & 0xff) == (gb & 0xff))
		gb = ga + 1;
	bm_fill(bm_a, room + SLACK, ga);
	bm_fill(bm_b, room + SLACK, gb);
	errno = 0;
	ra = pfkv2_build_msg(nobuf ? NULL : bm_a, size, d, m);
	ea = errno;
	errno = 0;
	rb = tu_build_msg_ref(nobuf ? NULL : bm_b, size, d, m);
	eb = errno;
	if (ra != rb || (ra == -1 && ea != eb))
		fail_msg("%s, dialect %d, size %zu%s: pfkv2_build_msg %ld "
		    "(errno %d), single puts %ld (errno %d)", bm_ctx, (int)d,
		    size, nobuf ? " (NULL)" : "", ra, ea, rb, eb);
	if (ra == -1 && ea == 0)
		fail_msg("%s, dialect %d: -1 without errno", bm_ctx, (int)d);
	if (ra == 0 || ra < -1)
		fail_msg("%s, dialect %d: returned %ld", bm_ctx, (int)d, ra);
	used = nobuf ? 0 : ra > 0 ? (size_t)ra : room;
	if (used > room)
		fail_msg("%s, dialect %d: %zu bytes built in %zu", bm_ctx,
		    (int)d, used, room);
	if (!nobuf && ra > 0 && memcmp(bm_a, bm_b, used) != 0) {
		for (at = 0; bm_a[at] == bm_b[at]; at++)
			continue;
		fail_msg("%s, dialect %d, size %zu: byte %zu of %ld is %#x, "
		    "the single puts write %#x", bm_ctx, (int)d, size, at, ra,
		    bm_a[at], bm_b[at]);
	}
	if ((at = bm_touched(bm_a, used, room + SLACK, ga)) != room + SLACK)
		fail_msg("%s, dialect %d, size %zu%s: pfkv2_build_msg (%ld) "
		    "wrote byte %zu", bm_ctx, (int)d, size,
		    nobuf ? " (NULL)" : "", ra, at);
	if ((at = bm_touched(bm_b, used, room + SLACK, gb)) != room + SLACK)
		fail_msg("%s, dialect %d, size %zu: the single puts (%ld) "
		    "wrote byte %zu", bm_ctx, (int)d, size, rb, at);
	*err = ra == -1 ? ea : 0;
	return ra;
}

#define BM_V4(a, b, c, e)						\
	{ .family = PFKV2_AF_INET, .addr = { a, b, c, e } }
#define BM_V6(last)							\
	{ .family = PFKV2_AF_INET6,					\
	    .addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = last } }

static const struct pfkv2_address bm_src4 = {
	.addr = BM_V4(192, 0, 2, 1), .prefixlen = 32, .proto = 255
};
static const struct pfkv2_address bm_dst4 = {
	.addr = { .family = PFKV2_AF_INET, .port = 4500,
	    .addr = { 198, 51, 100, 7 } },
	.prefixlen = 24, .proto = 17
};
/* Odd in every field, with bytes and IPv6 fields that IPv4 ignores. */
static const struct pfkv2_address bm_odd4 = {
	.addr = { .family = PFKV2_AF_INET, .reserved_ = 0x77, .port = 65535,
	    .flowinfo = 1, .scope_id = 2,
	    .addr = { 10, 1, 2, 3, 0xff, 0xfe, [15] = 0xfd } },
	.prefixlen = 0, .proto = 0, .reserved = 0xbeef
};
static const struct pfkv2_address bm_proxy4 = {
	.addr = BM_V4(10, 0, 0, 0), .prefixlen = 8, .proto = 255
};
static const struct pfkv2_address bm_src6 = {
	.addr = { .family = PFKV2_AF_INET6, .port = 500, .flowinfo = 0x12345,
	    .scope_id = 3, .addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } },
	.prefixlen = 128, .proto = 6
};
static const struct pfkv2_address bm_dst6 = {
	.addr = { .family = PFKV2_AF_INET6, .port = 4501,
	    .addr = { 0x20, 0x01, 0x0d, 0xb8, [8] = 0xfe, [15] = 2 } },
	.prefixlen = 64, .proto = 58, .reserved = 1
};
static const struct pfkv2_address bm_proxy6 = {
	.addr = { .family = PFKV2_AF_INET6, .flowinfo = 0xfffff,
	    .scope_id = 0xffffffff, .addr = { 0xfe, 0x80, [15] = 9 } },
	.prefixlen = 0, .proto = 255
};

#define BM_KEY(bits)	{ keymat, bits, 0 }
static const struct pfkv2_key bm_k0null = { NULL, 0, 0 }, bm_k0 = BM_KEY(0),
    bm_k1 = BM_KEY(1), bm_k3 = BM_KEY(3), bm_k7 = BM_KEY(7),
    bm_k9 = BM_KEY(9), bm_k64 = BM_KEY(64), bm_k104 = BM_KEY(104),
    bm_k128 = BM_KEY(128), bm_k160 = BM_KEY(160), bm_k192 = BM_KEY(192),
    bm_k256 = BM_KEY(256), bm_k288 = BM_KEY(288), bm_k512 = BM_KEY(512),
    bm_kmax = BM_KEY(65535),
    /* illumos IV bits in reserved, key material at an odd address */
    bm_kiv = { keymat + 1, 160, 32 };

static const struct pfkv2_sa bm_sa_esp = { .spi = 0x12345678, .replay = 32,
	.state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC,
	.encrypt = PFKV2_EALG_3DESCBC };
static const struct pfkv2_sa bm_sa_aes = { .spi = 0xdeadbeef, .replay = 64,
	.state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA2_256HMAC,
	.encrypt = PFKV2_EALG_AESCBC };
static const struct pfkv2_sa bm_sa_null = { .spi = 0xffffffff, .replay = 255,
	.state = PFKV2_SASTATE_DYING, .auth = PFKV2_AALG_NONE,
	.encrypt = PFKV2_EALG_NULL };
static const struct pfkv2_sa bm_sa_des = { .spi = 0, .replay = 0,
	.state = PFKV2_SASTATE_LARVAL, .auth = PFKV2_AALG_MD5HMAC,
	.encrypt = PFKV2_EALG_DESCBC };
static const struct pfkv2_sa bm_sa_ah = { .spi = 0x1000, .replay = 16,
	.state = PFKV2_SASTATE_DEAD, .auth = PFKV2_AALG_SHA1HMAC };
static const struct pfkv2_sa bm_sa_ah512 = { .spi = 0x1001, .replay = 4,
	.state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA2_512HMAC };
/* IPCOMP: the CPI, and a compression algorithm in encrypt. */
static const struct pfkv2_sa bm_sa_deflate = { .spi = 0x4242,
	.state = PFKV2_SASTATE_MATURE, .encrypt = PFKV2_CALG_DEFLATE };
static const struct pfkv2_sa bm_sa_lzjh = { .spi = 0x4243,
	.state = PFKV2_SASTATE_MATURE, .encrypt = PFKV2_CALG_LZJH };
static const struct pfkv2_sa bm_sa_pfs = { .spi = 7, .replay = 32,
	.state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC,
	.encrypt = PFKV2_EALG_3DESCBC,
	.flags = PFKV2_SAFLAG(PFKV2_SAFLAG_PFS) };
static const struct pfkv2_sa bm_sa_raw = { .spi = 8, .replay = 32,
	.state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC,
	.encrypt = PFKV2_EALG_3DESCBC, .flags_raw = 0x80000000u };
static const struct pfkv2_sa bm_sa_pfsraw = { .spi = 9, .replay = 32,
	.state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_MD5HMAC,
	.encrypt = PFKV2_EALG_3DESCBC,
	.flags = PFKV2_SAFLAG(PFKV2_SAFLAG_PFS), .flags_raw = 0x0100 };
static const struct pfkv2_sa bm_sa_fbsd = { .spi = 10, .replay = 8,
	.state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC,
	.encrypt = PFKV2_EALG_3DESCBC,
	.flags = PFKV2_SAFLAG(PFKV2_SAFLAG_ESN) |
	    PFKV2_SAFLAG(PFKV2_SAFLAG_CYCSEQ) |
	    PFKV2_SAFLAG(PFKV2_SAFLAG_PZERO) };
static const struct pfkv2_sa bm_sa_lnx = { .spi = 11, .replay = 32,
	.state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC,
	.encrypt = PFKV2_EALG_3DESCBC,
	.flags = PFKV2_SAFLAG(PFKV2_SAFLAG_NOECN) |
	    PFKV2_SAFLAG(PFKV2_SAFLAG_DECAP_DSCP) |
	    PFKV2_SAFLAG(PFKV2_SAFLAG_NOPMTUDISC), .flags_raw = 0x10000 };
static const struct pfkv2_sa bm_sa_ill = { .spi = 12, .replay = 32,
	.state = PFKV2_SASTATE_ACTIVE_ELSEWHERE, .auth = PFKV2_AALG_SHA1HMAC,
	.encrypt = PFKV2_EALG_3DESCBC,
	.flags = PFKV2_SAFLAG(PFKV2_SAFLAG_NATTED) |
	    PFKV2_SAFLAG(PFKV2_SAFLAG_INBOUND) |
	    PFKV2_SAFLAG(PFKV2_SAFLAG_USED) };
/* Raw wire values, each within a byte. */
static const struct pfkv2_sa bm_sa_wire = { .spi = 13, .replay = 1,
	.state = PFKV2_WIRE(9), .auth = PFKV2_WIRE(250),
	.encrypt = PFKV2_WIRE(199), .flags_raw = 0xffffffffu };

static const struct pfkv2_sa2 bm_sa2_tun = { PFKV2_MODE_TUNNEL, 77, 1234 };
static const struct pfkv2_sa2 bm_sa2_any = { PFKV2_MODE_ANY, 0, 0 };
static const struct pfkv2_sa2 bm_sa2_tr = { PFKV2_MODE_TRANSPORT, UINT32_MAX,
	UINT32_MAX };

static const struct pfkv2_lifetime bm_lt_hard = { 0, 1u << 30, 86400, 0 };
static const struct pfkv2_lifetime bm_lt_soft = { 0, 1u << 29, 72000, 0 };
static const struct pfkv2_lifetime bm_lt_max = { UINT32_MAX, UINT64_MAX,
	UINT64_MAX, UINT64_MAX };
static const struct pfkv2_lifetime bm_lt_zero = { 0, 0, 0, 0 };

static const struct pfkv2_spirange bm_sr = { 0x100, 0x0fffffff };
static const struct pfkv2_spirange bm_sr_all = { 0, UINT32_MAX };
static const struct pfkv2_spirange bm_sr_one = { 0x01020304, 0x01020304 };

static const struct pfkv2_policy bm_pol_discard = { PFKV2_POLICY_DISCARD,
	PFKV2_DIR_INBOUND, 0, 0, 0 };
static const struct pfkv2_policy bm_pol_out = { PFKV2_POLICY_IPSEC,
	PFKV2_DIR_OUTBOUND, 0, 5, 100 };
static const struct pfkv2_policy bm_pol_in = { PFKV2_POLICY_IPSEC,
	PFKV2_DIR_INBOUND, 0, UINT32_MAX, 0x80000000u };
static const struct pfkv2_policy bm_pol_fwd = { PFKV2_POLICY_IPSEC,
	PFKV2_DIR_FWD, 0, 1, 2 };
static const struct pfkv2_policy bm_pol_scope = { PFKV2_POLICY_IPSEC,
	PFKV2_DIR_OUTBOUND, 2, 9, 9 };
/* A raw policy type wider than a byte: the field is 16 bits. */
static const struct pfkv2_policy bm_pol_wire = { PFKV2_WIRE(300),
	PFKV2_DIR_OUTBOUND, 0, 3, 4 };
static const struct pfkv2_policy bm_pol_bypass = { PFKV2_POLICY_BYPASS,
	PFKV2_DIR_ANY, 0, 42, 0 };

static const struct pfkv2_ipsecrequest bm_req_tr[1] = {
	{ .proto = 50, .mode = PFKV2_MODE_TRANSPORT,
	    .level = PFKV2_LEVEL_REQUIRE },
};
static const struct pfkv2_ipsecrequest bm_req_v4[2] = {
	{ .proto = 50, .mode = PFKV2_MODE_TUNNEL, .level = PFKV2_LEVEL_UNIQUE,
	    .reqid = 7, .src = BM_V4(192, 0, 2, 1),
	    .dst = BM_V4(192, 0, 2, 2) },
	{ .proto = 51, .mode = PFKV2_MODE_TRANSPORT, .level = PFKV2_LEVEL_USE,
	    .reqid = 8 },
};
static const struct pfkv2_ipsecrequest bm_req_v6[2] = {
	{ .proto = 50, .mode = PFKV2_MODE_TUNNEL,
	    .level = PFKV2_LEVEL_REQUIRE, .reqid = 9,
	    .src = BM_V6(1), .dst = BM_V6(2) },
	{ .proto = 108, .mode = PFKV2_MODE_TUNNEL,
	    .level = PFKV2_LEVEL_DEFAULT, .reqid = 65535,
	    .src = BM_V4(10, 0, 0, 1), .dst = BM_V4(10, 0, 0, 2) },
};
static const struct pfkv2_ipsecrequest bm_req_bigid[1] = {
	{ .proto = 50, .mode = PFKV2_MODE_TUNNEL, .level = PFKV2_LEVEL_UNIQUE,
	    .reqid = 70000, .src = BM_V6(3), .dst = BM_V6(4) },
};

#define ESP	PFKV2_SATYPE_ESP
#define AH	PFKV2_SATYPE_AH
#define IPCOMP	PFKV2_SATYPE_IPCOMP
#define UNSPEC	PFKV2_SATYPE_UNSPEC

/* Representative requests, and the dialects whose single puts build them. */
static const struct bm_case {
	const char *name;
	unsigned ok;
	struct pfkv2_msg_parts m;
} bm_cases[] = {
	{ "ADD ESP v4, 3DES/SHA1, hard and soft", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 1, 4242, .sa = &bm_sa_esp, .src = &bm_src4,
	    .dst = &bm_dst4, .key_encrypt = &bm_k192, .key_auth = &bm_k160,
	    .hard = &bm_lt_hard, .soft = &bm_lt_soft } },
	{ "UPDATE ESP v6 with proxy, AES/SHA-256", D_KAME | D_ILL,
	    { PFKV2_MSG_UPDATE, ESP, 2, 1, .sa = &bm_sa_aes, .src = &bm_src6,
	    .dst = &bm_dst6, .proxy = &bm_proxy6, .key_encrypt = &bm_k256,
	    .key_auth = &bm_k256, .hard = &bm_lt_hard } },
	{ "ADD ESP with SA2, v6, proxy, both lifetimes", D_KAME,
	    { PFKV2_MSG_ADD, ESP, 3, 2, .sa = &bm_sa_esp, .sa2 = &bm_sa2_tun,
	    .src = &bm_src6, .dst = &bm_dst6, .proxy = &bm_proxy6,
	    .key_encrypt = &bm_k128, .key_auth = &bm_k256,
	    .hard = &bm_lt_hard, .soft = &bm_lt_soft } },
	{ "ADD ESP-NULL, NULL 0-bit key and a 1-bit key", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 4, 3, .sa = &bm_sa_null, .src = &bm_src4,
	    .dst = &bm_dst4, .key_encrypt = &bm_k0null,
	    .key_auth = &bm_k1 } },
	{ "ADD ESP, 0-bit key with data and a 3-bit key", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 5, 4, .sa = &bm_sa_des, .src = &bm_src4,
	    .dst = &bm_dst4, .key_encrypt = &bm_k0, .key_auth = &bm_k3 } },
	{ "ADD ESP, 7- and 9-bit keys", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 6, 5, .sa = &bm_sa_des, .src = &bm_src6,
	    .dst = &bm_dst6, .key_encrypt = &bm_k7, .key_auth = &bm_k9 } },
	{ "ADD ESP, 20- and 36-byte keys", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 7, 6, .sa = &bm_sa_esp, .src = &bm_src4,
	    .dst = &bm_dst4, .key_encrypt = &bm_k288, .key_auth = &bm_k160,
	    .soft = &bm_lt_soft } },
	{ "ADD ESP, 13-byte and 64-bit keys", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 8, 7, .sa = &bm_sa_esp, .src = &bm_src4,
	    .dst = &bm_dst6, .key_encrypt = &bm_k104, .key_auth = &bm_k64 } },
	{ "ADD ESP, 512-bit keys, SHA-512", D_KAME | D_ILL,
	    { PFKV2_MSG_ADD, ESP, 9, 8, .sa = &bm_sa_ah512, .src = &bm_src6,
	    .dst = &bm_dst6, .key_encrypt = &bm_k512, .key_auth = &bm_k512 } },
	{ "ADD ESP, 65535-bit key", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 10, 9, .sa = &bm_sa_esp, .src = &bm_src4,
	    .dst = &bm_dst4, .key_encrypt = &bm_kmax, .key_auth = &bm_k7,
	    .hard = &bm_lt_max } },
	{ "ADD ESP, key with IV bits at an odd address", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 11, 10, .sa = &bm_sa_esp, .src = &bm_src4,
	    .dst = &bm_dst4, .key_encrypt = &bm_kiv, .key_auth = &bm_k160 } },
	{ "ADD ESP, extreme lifetimes, seq and pid", D_ALL,
	    { PFKV2_MSG_ADD, ESP, UINT32_MAX, UINT32_MAX, .sa = &bm_sa_null,
	    .src = &bm_src4, .dst = &bm_dst4, .hard = &bm_lt_max,
	    .soft = &bm_lt_zero } },
	{ "ADD ESP, odd v4 addresses (ports, prefix 0, reserved)", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 12, 11, .sa = &bm_sa_esp, .src = &bm_odd4,
	    .dst = &bm_dst4, .proxy = &bm_proxy4, .key_encrypt = &bm_k192,
	    .key_auth = &bm_k160 } },
	{ "GETSPI ESP with SA2, v4, SPI range", D_KAME,
	    { PFKV2_MSG_GETSPI, ESP, 13, 12, .sa2 = &bm_sa2_tun,
	    .src = &bm_src4, .dst = &bm_dst4, .spirange = &bm_sr } },
	{ "GETSPI ESP with SA2 mode any, v6, full range", D_KAME,
	    { PFKV2_MSG_GETSPI, ESP, 14, 13, .sa2 = &bm_sa2_any,
	    .src = &bm_src6, .dst = &bm_dst6, .spirange = &bm_sr_all } },
	{ "GETSPI ESP v6, full range", D_ALL,
	    { PFKV2_MSG_GETSPI, ESP, 15, 14, .src = &bm_src6, .dst = &bm_dst6,
	    .spirange = &bm_sr_all } },
	{ "GETSPI AH, one-SPI range", D_ALL,
	    { PFKV2_MSG_GETSPI, AH, 16, 15, .src = &bm_src4, .dst = &bm_dst4,
	    .spirange = &bm_sr_one } },
	{ "X_SPDADD discard, no requests, hard lifetime", D_KAME,
	    { PFKV2_MSG_X_SPDADD, UNSPEC, 17, 16, .src = &bm_proxy4,
	    .dst = &bm_dst4, .hard = &bm_lt_hard,
	    .policy = &bm_pol_discard } },
	{ "X_SPDADD IPsec, one transport request", D_KAME,
	    { PFKV2_MSG_X_SPDADD, UNSPEC, 18, 17, .src = &bm_src4,
	    .dst = &bm_dst4, .hard = &bm_lt_hard, .policy = &bm_pol_out,
	    .reqs = bm_req_tr, .nreqs = 1 } },
	{ "X_SPDADD IPsec, two requests, v4 tunnel endpoints", D_KAME,
	    { PFKV2_MSG_X_SPDADD, UNSPEC, 19, 18, .src = &bm_proxy4,
	    .dst = &bm_dst4, .policy = &bm_pol_out, .reqs = bm_req_v4,
	    .nreqs = 2 } },
	{ "X_SPDUPDATE IPsec, v6 and v4 tunnel endpoints", D_KAME,
	    { PFKV2_MSG_X_SPDUPDATE, UNSPEC, 20, 19, .src = &bm_src6,
	    .dst = &bm_dst6, .hard = &bm_lt_max, .policy = &bm_pol_in,
	    .reqs = bm_req_v6, .nreqs = 2 } },
	{ "X_SPDADD forward policy", D_LNX,
	    { PFKV2_MSG_X_SPDADD, UNSPEC, 21, 20, .src = &bm_src4,
	    .dst = &bm_dst4, .policy = &bm_pol_fwd, .reqs = bm_req_v4,
	    .nreqs = 2 } },
	{ "X_SPDADD with a policy scope", D_FBSD,
	    { PFKV2_MSG_X_SPDADD, UNSPEC, 22, 21, .src = &bm_src4,
	    .dst = &bm_dst4, .policy = &bm_pol_scope, .reqs = bm_req_tr,
	    .nreqs = 1 } },
	{ "X_SPDADD, 32-bit request id", D_LNX,
	    { PFKV2_MSG_X_SPDADD, UNSPEC, 23, 22, .src = &bm_src6,
	    .dst = &bm_dst6, .policy = &bm_pol_out, .reqs = bm_req_bigid,
	    .nreqs = 1 } },
	{ "X_SPDADD, raw 16-bit policy type", D_KAME,
	    { PFKV2_MSG_X_SPDADD, UNSPEC, 24, 23, .src = &bm_src4,
	    .dst = &bm_dst4, .policy = &bm_pol_wire } },
	{ "X_SPDDELETE bypass, reqs given with nreqs 0", D_KAME,
	    { PFKV2_MSG_X_SPDDELETE, UNSPEC, 25, 24, .src = &bm_src4,
	    .dst = &bm_dst4, .policy = &bm_pol_bypass, .reqs = bm_req_v4 } },
	{ "ADD AH v6, SHA1", D_ALL,
	    { PFKV2_MSG_ADD, AH, 26, 25, .sa = &bm_sa_ah, .src = &bm_src6,
	    .dst = &bm_dst6, .key_auth = &bm_k160, .hard = &bm_lt_hard } },
	{ "ADD AH, SHA-512", D_KAME | D_ILL,
	    { PFKV2_MSG_ADD, AH, 27, 26, .sa = &bm_sa_ah512, .src = &bm_src4,
	    .dst = &bm_dst4, .key_auth = &bm_k512 } },
	{ "ADD IPCOMP deflate", D_KAME,
	    { PFKV2_MSG_ADD, IPCOMP, 28, 27, .sa = &bm_sa_deflate,
	    .sa2 = &bm_sa2_tr, .src = &bm_src4, .dst = &bm_dst4 } },
	{ "ADD IPCOMP LZJH", D_LNX,
	    { PFKV2_MSG_ADD, IPCOMP, 29, 28, .sa = &bm_sa_lzjh,
	    .src = &bm_src6, .dst = &bm_dst6 } },
	{ "ADD ESP with a compression id (read as an EALG)", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 30, 29, .sa = &bm_sa_deflate,
	    .src = &bm_src4, .dst = &bm_dst4 } },
	{ "ADD ESP, PFS", D_RFC | D_LNX | D_ILL,
	    { PFKV2_MSG_ADD, ESP, 31, 30, .sa = &bm_sa_pfs, .src = &bm_src4,
	    .dst = &bm_dst4, .key_encrypt = &bm_k192, .key_auth = &bm_k160 } },
	{ "ADD ESP, raw flag bits only", D_ALL,
	    { PFKV2_MSG_ADD, ESP, 32, 31, .sa = &bm_sa_raw, .src = &bm_src4,
	    .dst = &bm_dst4, .key_encrypt = &bm_k192, .key_auth = &bm_k160 } },
	{ "ADD ESP, PFS and raw bits", D_RFC | D_LNX | D_ILL,
	    { PFKV2_MSG_ADD, ESP, 33, 32, .sa = &bm_sa_pfsraw,
	    .src = &bm_src4, .dst = &bm_dst4 } },
	{ "ADD ESP, FreeBSD flags", D_FBSD,
	    { PFKV2_MSG_ADD, ESP, 34, 33, .sa = &bm_sa_fbsd, .src = &bm_src4,
	    .dst = &bm_dst4, .key_encrypt = &bm_k192 } },
	{ "ADD ESP, Linux flags", D_LNX,
	    { PFKV2_MSG_ADD, ESP, 35, 34, .sa = &bm_sa_lnx, .src = &bm_src4,
	    .dst = &bm_dst4, .key_encrypt = &bm_k192 } },
	{ "ADD ESP, illumos flags and state", D_ILL,
	    { PFKV2_MSG_ADD, ESP, 36, 35, .sa = &bm_sa_ill, .src = &bm_src6,
	    .dst = &bm_dst6, .key_encrypt = &bm_k192 } },
	{ "raw wire ids: type, satype, state, algorithms", D_ALL,
	    { PFKV2_WIRE(3), PFKV2_WIRE(3), 37, 36, .sa = &bm_sa_wire,
	    .src = &bm_src4, .dst = &bm_dst4, .key_auth = &bm_k160 } },
	{ "raw satype 9 (IPCOMP on KAME) with LZJH", D_LNX | D_ILL,
	    { PFKV2_MSG_ADD, PFKV2_WIRE(9), 38, 37, .sa = &bm_sa_lzjh,
	    .src = &bm_src4, .dst = &bm_dst4 } },
	{ "DELETE ESP: SA and addresses", D_ALL,
	    { PFKV2_MSG_DELETE, ESP, 39, 38, .sa = &bm_sa_esp,
	    .src = &bm_src4, .dst = &bm_dst4 } },
	{ "FLUSH: the header alone", D_ALL,
	    { .type = PFKV2_MSG_FLUSH, .satype = UNSPEC, .seq = 40,
	    .pid = 39 } },
	{ "X_SPDADD with every part", D_KAME,
	    { PFKV2_MSG_X_SPDADD, UNSPEC, 41, 40, .sa = &bm_sa_esp,
	    .sa2 = &bm_sa2_tun, .src = &bm_src6, .dst = &bm_dst6,
	    .proxy = &bm_proxy4, .key_encrypt = &bm_k288,
	    .key_auth = &bm_k1, .hard = &bm_lt_hard, .soft = &bm_lt_soft,
	    .spirange = &bm_sr, .policy = &bm_pol_out, .reqs = bm_req_v6,
	    .nreqs = 2 } },
	{ "ADD ESP, every part but the policy", D_KAME,
	    { PFKV2_MSG_ADD, ESP, 42, 41, .sa = &bm_sa_aes,
	    .sa2 = &bm_sa2_tr, .src = &bm_odd4, .dst = &bm_dst4,
	    .proxy = &bm_proxy6, .key_encrypt = &bm_k256,
	    .key_auth = &bm_k512, .hard = &bm_lt_zero, .soft = &bm_lt_max,
	    .spirange = &bm_sr_one } },
};
#define NCASES	(sizeof(bm_cases) / sizeof(bm_cases[0]))

static void
bm_name(const struct bm_case *c, enum pfkv2_dialect d)
{
	snprintf(bm_ctx, sizeof(bm_ctx), "\"%s\" on %s", c->name,
	    pfkv2_dialect_name(d));
}

/*
 * Every table message in every dialect: the bytes of the single puts,
 * whichever garbage is where, and built exactly where the puts build it.
 */
static void
test_build_msg_table(void **state)
{
	const struct bm_case *c;
	size_t i, k;
	long n, n2;
	int err, err2;

	(void)state;
	bm_setup();
	for (k = 0; k < NCASES; k++)
		for (i = 0; i < NDIALECTS; i++) {
			c = &bm_cases[k];
			bm_name(c, dialects[i]);
			n = both_ways(dialects[i], &c->m, false, BM_CAP, 0x11,
			    0xee, &err);
			n2 = both_ways(dialects[i], &c->m, false,
			    PFKV2_MSG_MAXLEN, 0xee, 0x11, &err2);
			assert_int_equal(n, n2);
			assert_int_equal(err, err2);
			if ((n > 0) != ((c->ok & DM(dialects[i])) != 0))
				fail_msg("%s: %ld, errno %d", bm_ctx, n, err);
		}
}

/* Measuring (NULL, 0) answers as the real build does, so does room to spare. */
static void
test_build_msg_measure(void **state)
{
	const struct bm_case *c;
	size_t i, k;
	long n, m;
	int err, merr;

	(void)state;
	bm_setup();
	for (k = 0; k < NCASES; k++)
		for (i = 0; i < NDIALECTS; i++) {
			c = &bm_cases[k];
			bm_name(c, dialects[i]);
			n = both_ways(dialects[i], &c->m, false, BM_CAP, 1, 2,
			    &err);
			m = both_ways(dialects[i], &c->m, true, 0, 3, 4, &merr);
			assert_int_equal(m, n);
			assert_int_equal(merr, err);
			if (n <= 0)
				continue;
			/* Exactly the room it needs, and a little more. */
			assert_int_equal(both_ways(dialects[i], &c->m, false,
			    (size_t)n, 5, 6, &err), n);
			assert_int_equal(both_ways(dialects[i], &c->m, false,
			    (size_t)n + 7, 7, 8, &err), n);
		}
}

/* Every size short of the message: EMSGSIZE both ways, nothing past it. */
static void
test_build_msg_too_small(void **state)
{
	const struct bm_case *c;
	size_t i, k, size;
	long n;
	int err;

	(void)state;
	bm_setup();
	for (k = 0; k < NCASES; k++)
		for (i = 0; i < NDIALECTS; i++) {
			c = &bm_cases[k];
			bm_name(c, dialects[i]);
			n = both_ways(dialects[i], &c->m, false, BM_CAP, 9, 10,
			    &err);
			for (size = 0; n > 0 && size < (size_t)n; size++) {
				assert_int_equal(both_ways(dialects[i], &c->m,
				    false, size, (unsigned)size,
				    (unsigned)size + 128, &err), -1);
				assert_int_equal(err, EMSGSIZE);
			}
			/*
			 * Every room from just enough up: the fast path takes
			 * only a buffer with room for every part of constant
			 * size at its longest, and leaves smaller ones to the
			 * builder; both must build the same message.
			 */
			for (size = (size_t)n; n > 0 && size < (size_t)n + 400;
			    size++)
				assert_int_equal(both_ways(dialects[i], &c->m,
				    false, size, (unsigned)size,
				    (unsigned)size + 7, &err), n);
		}
}


/* A valid ADD for d, with SA2 where d has it. */
static void
bm_base(struct tu_msg_store *x, enum pfkv2_dialect d)
{
	memset(x, 0, sizeof(*x));
	x->sa = bm_sa_esp;
	x->sa2 = bm_sa2_tun;
	x->src = bm_src4;
	x->dst = bm_dst4;
	x->proxy = bm_proxy6;
	x->ke = bm_k192;
	x->ka = bm_k160;
	x->hard = bm_lt_hard;
	x->soft = bm_lt_soft;
	x->sr = bm_sr;
	x->pol = bm_pol_out;
	memcpy(x->req, bm_req_v4, sizeof(bm_req_v4));
	x->m.type = PFKV2_MSG_ADD;
	x->m.satype = ESP;
	x->m.seq = 99;
	x->m.pid = 100;
	x->m.sa = &x->sa;
	if (pfkv2_dialect_has_ext(d, PFKV2_EXT_SA2))
		x->m.sa2 = &x->sa2;
	x->m.src = &x->src;
	x->m.dst = &x->dst;
	x->m.proxy = &x->proxy;
	x->m.key_encrypt = &x->ke;
	x->m.key_auth = &x->ka;
	x->m.hard = &x->hard;
	x->m.soft = &x->soft;
	x->m.spirange = &x->sr;
}

/* Make x an X_SPDADD: addresses, a lifetime, the policy, two requests. */
static void
bm_spd(struct tu_msg_store *x)
{
	x->m.type = PFKV2_MSG_X_SPDADD;
	x->m.satype = UNSPEC;
	x->m.sa = NULL;
	x->m.sa2 = NULL;
	x->m.key_encrypt = x->m.key_auth = NULL;
	x->m.spirange = NULL;
	x->m.policy = &x->pol;
	x->m.reqs = x->req;
	x->m.nreqs = 2;
}

/* The first id of space s below n that d has no number for, else n. */
static unsigned
missing_id(enum pfkv2_dialect d, enum pfkv2_space s, unsigned n)
{
	unsigned id;

	for (id = 0; id < n; id++)
		if (pfkv2_dialect_to_wire(d, s, id) == -1)
			return id;
	return n;
}

/* The first canonical SA flag d cannot express, else one past them all. */
static uint64_t
missing_flag(enum pfkv2_dialect d)
{
	uint32_t w;
	unsigned f;

	for (f = 0; f < PFKV2_SAFLAG_COUNT; f++)
		if (pfkv2_dialect_flags_to_wire(d, PFKV2_SAFLAG(f), &w) == -1)
			break;
	return PFKV2_SAFLAG(f);
}

/*
 * Refusal number c of a valid message x for d: spoils x and returns the
 * errno the single puts must give (0: it builds after all), -1 past the
 * last case.
 */
static int
bm_spoil(struct tu_msg_store *x, enum pfkv2_dialect d, unsigned c,
    const char **what)
{
	bool kame = pfkv2_dialect_has_ext(d, PFKV2_EXT_POLICY);
	int nokame = ENOTSUP;	/* SA2 and X_POLICY off KAME */

	switch (c) {
	case 0:
		*what = "an authentication algorithm the dialect lacks";
		x->sa.auth = (uint16_t)missing_id(d, PFKV2_SP_AALG,
		    PFKV2_AALG_COUNT);
		return ENOTSUP;
	case 1:
		*what = "an encryption algorithm the dialect lacks";
		x->sa.encrypt = (uint16_t)missing_id(d, PFKV2_SP_EALG,
		    PFKV2_EALG_COUNT);
		return ENOTSUP;
	case 2:
		*what = "IPCOMP with a compression algorithm it lacks";
		x->m.satype = IPCOMP;
		x->sa.auth = PFKV2_AALG_NONE;
		x->sa.encrypt = (uint16_t)missing_id(d, PFKV2_SP_CALG,
		    PFKV2_CALG_COUNT);
		return ENOTSUP;
	case 3:
		*what = "IPCOMP with an id only the EALG space has";
		x->m.satype = IPCOMP;
		x->sa.encrypt = PFKV2_EALG_AESCBC;
		return ENOTSUP;
	case 4:
		*what = "state one past the last";
		x->sa.state = PFKV2_SASTATE_COUNT;
		return ENOTSUP;
	case 5:
		*what = "state 0x7fff";
		x->sa.state = 0x7fff;
		return ENOTSUP;
	case 6:
		*what = "a state the dialect lacks";
		x->sa.state = (uint16_t)missing_id(d, PFKV2_SP_SASTATE,
		    PFKV2_SASTATE_COUNT);
		return ENOTSUP;
	case 7:
		*what = "raw state 256";
		x->sa.state = PFKV2_WIRE(256);
		return ERANGE;
	case 8:
		*what = "raw auth 0x7fff";
		x->sa.auth = PFKV2_WIRE(0x7fff);
		return ERANGE;
	case 9:
		*what = "raw encrypt 300";
		x->sa.encrypt = PFKV2_WIRE(300);
		return ERANGE;
	case 10:
		*what = "an SA flag the dialect cannot express";
		x->sa.flags = missing_flag(d);
		return ENOTSUP;
	case 11:
		*what = "SA flag bit 63";
		x->sa.flags = PFKV2_SAFLAG(63) | PFKV2_SAFLAG(PFKV2_SAFLAG_PFS);
		return ENOTSUP;
	case 12:
		*what = "SA2 mode one past the last";
		x->m.sa2 = &x->sa2;
		x->sa2.mode = PFKV2_MODE_COUNT;
		return ENOTSUP;
	case 13:
		*what = "an SA2 mode the dialect lacks";
		x->m.sa2 = &x->sa2;
		x->sa2.mode = (uint16_t)missing_id(d, PFKV2_SP_MODE,
		    PFKV2_MODE_COUNT);
		return ENOTSUP;
	case 14:
		*what = "raw SA2 mode 256";
		x->m.sa2 = &x->sa2;
		x->sa2.mode = PFKV2_WIRE(256);
		return kame ? ERANGE : nokame;
	case 15:
		*what = "IPv4 prefix 33";
		x->src.prefixlen = 33;
		return ERANGE;
	case 16:
		*what = "IPv6 prefix 129";
		x->dst = bm_dst6;
		x->dst.prefixlen = 129;
		return ERANGE;
	case 17:
		*what = "proxy prefix 255";
		x->proxy.prefixlen = 255;
		return ERANGE;
	case 18:
		*what = "source family 0";
		x->src.addr.family = 0;
		return EINVAL;
	case 19:
		*what = "destination family 5";
		x->dst.addr.family = 5;
		return EINVAL;
	case 20:
		*what = "proxy family 255";
		x->proxy.addr.family = 255;
		return EINVAL;
	case 21:
		*what = "encryption key without data";
		x->ke.data = NULL;
		x->ke.bits = 8;
		return EINVAL;
	case 22:
		*what = "1-bit authentication key without data";
		x->ka.data = NULL;
		x->ka.bits = 1;
		return EINVAL;
	case 23:
		*what = "a message type the dialect lacks";
		x->m.type = missing_id(d, PFKV2_SP_MSG, PFKV2_MSG_COUNT);
		return ENOTSUP;
	case 24:
		*what = "raw message type 256";
		x->m.type = PFKV2_WIRE(256);
		return ERANGE;
	case 25:
		*what = "message type one past the last";
		x->m.type = PFKV2_MSG_COUNT;
		return ENOTSUP;
	case 26:
		*what = "an SA type the dialect lacks";
		x->m.satype = missing_id(d, PFKV2_SP_SATYPE,
		    PFKV2_SATYPE_COUNT);
		return ENOTSUP;
	case 27:
		*what = "raw SA type 300";
		x->m.satype = PFKV2_WIRE(300);
		return ERANGE;
	case 28:
		*what = "a policy direction the dialect lacks";
		bm_spd(x);
		x->pol.dir = (uint16_t)missing_id(d, PFKV2_SP_POLICY_DIR,
		    PFKV2_DIR_COUNT);
		return ENOTSUP;
	case 29:
		*what = "raw policy direction 256";
		bm_spd(x);
		x->pol.dir = PFKV2_WIRE(256);
		return kame ? ERANGE : nokame;
	case 30:
		*what = "policy type one past the last";
		bm_spd(x);
		x->pol.type = PFKV2_POLICY_TYPE_COUNT;
		return ENOTSUP;
	case 31:
		*what = "a policy scope";
		bm_spd(x);
		x->pol.scope = 1;
		return d == PFKV2_DIALECT_FREEBSD ? 0 : ENOTSUP;
	case 32:
		*what = "request mode one past the last";
		bm_spd(x);
		x->req[1].mode = PFKV2_MODE_COUNT;
		return ENOTSUP;
	case 33:
		*what = "request level one past the last";
		bm_spd(x);
		x->req[0].level = PFKV2_LEVEL_COUNT;
		return ENOTSUP;
	case 34:
		*what = "raw request level 300";
		bm_spd(x);
		x->req[1].level = PFKV2_WIRE(300);
		return kame ? ERANGE : nokame;
	case 35:
		*what = "request id 70000";
		bm_spd(x);
		x->req[1].reqid = 70000;
		return d == PFKV2_DIALECT_FREEBSD ? ERANGE :
		    d == PFKV2_DIALECT_LINUX ? 0 : nokame;
	case 36:
		*what = "tunnel endpoints of two families";
		bm_spd(x);
		x->req[0].dst = bm_src6.addr;
		return kame ? EINVAL : nokame;
	case 37:
		*what = "a tunnel source alone";
		bm_spd(x);
		x->req[1].src = bm_src6.addr;
		return kame ? EINVAL : nokame;
	case 38:
		*what = "tunnel endpoints of family 7";
		bm_spd(x);
		x->req[0].src.family = x->req[0].dst.family = 7;
		return kame ? EINVAL : nokame;
	case 39:
		*what = "two requests at NULL";
		bm_spd(x);
		x->m.reqs = NULL;
		return kame ? EINVAL : nokame;
	case 40:
		*what = "bad state, then a long prefix: the state's";
		x->sa.state = PFKV2_SASTATE_COUNT;
		x->src.prefixlen = 40;
		return ENOTSUP;
	case 41:
		*what = "long prefix, then a key without data: the prefix's";
		x->src.prefixlen = 40;
		x->ke.data = NULL;
		return ERANGE;
	case 42:
		*what = "key without data, then a bad policy: the key's";
		x->ka.data = NULL;
		x->m.policy = &x->pol;
		x->pol.dir = PFKV2_DIR_COUNT;
		return EINVAL;
	case 43:
		*what = "requests without a policy (nreqs 0)";
		x->m.reqs = x->req;
		return EINVAL;
	case 44:
		*what = "nreqs without a policy (reqs NULL)";
		x->m.nreqs = 1;
		return EINVAL;
	case 45:
		*what = "requests and nreqs without a policy";
		x->m.reqs = x->req;
		x->m.nreqs = 2;
		return EINVAL;
	case 46:
		*what = "reserved_[0] set";
		x->m.reserved_[0] = x;
		return EINVAL;
	case 47:
		*what = "reserved_[1] set";
		x->m.reserved_[1] = "";
		return EINVAL;
	case 48:
		*what = "reserved_ set and a bad SA: reserved_ first";
		x->m.reserved_[0] = x;
		x->sa.state = PFKV2_SASTATE_COUNT;
		return EINVAL;
	case 49:
		*what = "a bad SA, then requests without a policy: the SA's";
		x->sa.state = PFKV2_SASTATE_COUNT;
		x->m.reqs = x->req;
		x->m.nreqs = 1;
		return ENOTSUP;
	case 50:
		*what = "a refused last part after parts that fit";
		x->m.soft = NULL;
		x->m.spirange = NULL;
		x->hard.allocations = 1;
		x->m.policy = &x->pol;
		x->pol.type = PFKV2_WIRE(0x7fff);
		x->pol.dir = PFKV2_WIRE(0x7fff);
		return kame ? ERANGE : nokame;
	default:
		return -1;
	}
}

/*
 * Each refusal the single puts make, in every dialect: the same errno
 * with room, measuring, and at every size short of room (a refusal
 * outranks lack of room), and EINVAL for a NULL buffer with a size.
 */
static void
test_build_msg_refusals(void **state)
{
	struct tu_msg_store x;
	const char *what = "";
	enum pfkv2_dialect d;
	size_t i, size;
	unsigned c;
	long n;
	int want, err;

	(void)state;
	bm_setup();
	for (i = 0; i < NDIALECTS; i++)
		for (c = 0;; c++) {
			d = dialects[i];
			bm_base(&x, d);
			if ((want = bm_spoil(&x, d, c, &what)) == -1)
				break;
			snprintf(bm_ctx, sizeof(bm_ctx),
			    "refusal %u (%s) on %s", c, what,
			    pfkv2_dialect_name(d));
			n = both_ways(d, &x.m, false, BM_CAP, 0x21, 0x43, &err);
			if (want == 0 ? n <= 0 : n != -1 || err != want)
				fail_msg("%s: %ld, errno %d, expected errno %d",
				    bm_ctx, n, err, want);
			assert_int_equal(both_ways(d, &x.m, true, 0, 1, 2,
			    &err), n);
			assert_int_equal(err, want);
			for (size = 0; size < 512; size++) {
				n = both_ways(d, &x.m, false, size,
				    (unsigned)size, (unsigned)~size, &err);
				if (want != 0) {
					assert_int_equal(n, -1);
					assert_int_equal(err, want);
				}
			}
			assert_int_equal(both_ways(d, &x.m, true, 16, 1, 2,
			    &err), -1);
			assert_int_equal(err, EINVAL);
		}
}

/*
 * The rules of the call itself: m NULL, a bad dialect, buf NULL with a
 * size; whatever the parts, with or without room.
 */
static void
test_build_msg_misuse(void **state)
{
	static const enum pfkv2_dialect bad[] = {
		PFKV2_DIALECT_COUNT, (enum pfkv2_dialect)7,
		(enum pfkv2_dialect)-1
	};
	static const size_t sizes[] = { 1, 16, 4096, PFKV2_MSG_MAXLEN,
		SIZE_MAX };
	struct tu_msg_store x;
	size_t i, k;
	int err;

	(void)state;
	bm_setup();
	snprintf(bm_ctx, sizeof(bm_ctx), "misuse");
	for (i = 0; i < NDIALECTS; i++) {
		bm_base(&x, dialects[i]);
		assert_int_equal(both_ways(dialects[i], NULL, false, BM_CAP, 1,
		    2, &err), -1);
		assert_int_equal(err, EINVAL);
		assert_int_equal(both_ways(dialects[i], NULL, true, 0, 1, 2,
		    &err), -1);
		assert_int_equal(err, EINVAL);
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			assert_int_equal(both_ways(dialects[i], &x.m, true,
			    sizes[k], 1, 2, &err), -1);
			assert_int_equal(err, EINVAL);
		}
		/* A buffer of 0 bytes is no misuse: it is too small. */
		assert_int_equal(both_ways(dialects[i], &x.m, false, 0, 1, 2,
		    &err), -1);
		assert_int_equal(err, EMSGSIZE);
	}
	bm_base(&x, PFKV2_DIALECT_LINUX);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(both_ways(bad[i], &x.m, false, BM_CAP, 1, 2,
		    &err), -1);
		assert_int_equal(err, EINVAL);
		assert_int_equal(both_ways(bad[i], &x.m, true, 0, 1, 2, &err),
		    -1);
		assert_int_equal(err, EINVAL);
		assert_int_equal(both_ways(bad[i], NULL, false, 8, 1, 2, &err),
		    -1);
		assert_int_equal(err, EINVAL);
	}
}

/*
 * At PFKV2_MSG_MAXLEN: a message of exactly that length builds, one
 * word more is ERANGE both ways, with room, measuring, or short of room.
 */
static void
test_build_msg_maxlen(void **state)
{
	static struct pfkv2_ipsecrequest reqs[8200];
	static const enum pfkv2_dialect kame[] = {
		PFKV2_DIALECT_LINUX, PFKV2_DIALECT_FREEBSD
	};
	struct pfkv2_key k = { keymat, 0, 0 };
	struct pfkv2_msg_parts m = { .type = PFKV2_MSG_X_SPDADD,
	    .satype = UNSPEC, .seq = 1, .pid = 2, .key_auth = &k,
	    .policy = &bm_pol_out, .reqs = reqs };
	size_t i, base, per, n, rem;
	int err;

	(void)state;
	bm_setup();
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		reqs[i] = bm_req_v6[0];
		reqs[i].reqid = (uint32_t)i;
		reqs[i].src.addr[14] = (uint8_t)(i >> 8);
		reqs[i].dst.addr[14] = (uint8_t)i;
	}
	for (i = 0; i < 2; i++) {
		snprintf(bm_ctx, sizeof(bm_ctx), "PFKV2_MSG_MAXLEN on %s",
		    pfkv2_dialect_name(kame[i]));
		k.bits = 0;
		m.nreqs = 0;
		base = (size_t)tu_build_msg_ref(NULL, 0, kame[i], &m);
		m.nreqs = 1;
		per = (size_t)tu_build_msg_ref(NULL, 0, kame[i], &m) - base;
		n = (PFKV2_MSG_MAXLEN - base) / per;
		rem = PFKV2_MSG_MAXLEN - base - n * per;
		assert_true(n < sizeof(reqs) / sizeof(reqs[0]));
		m.nreqs = n;
		k.bits = (uint16_t)(rem * 8);
		assert_int_equal(both_ways(kame[i], &m, false, PFKV2_MSG_MAXLEN,
		    1, 2, &err), PFKV2_MSG_MAXLEN);
		assert_int_equal(both_ways(kame[i], &m, false, BM_CAP, 3, 4,
		    &err), PFKV2_MSG_MAXLEN);
		assert_int_equal(both_ways(kame[i], &m, true, 0, 5, 6, &err),
		    PFKV2_MSG_MAXLEN);
		assert_int_equal(both_ways(kame[i], &m, false,
		    PFKV2_MSG_MAXLEN - 1, 7, 8, &err), -1);
		assert_int_equal(err, EMSGSIZE);
		/* One bit more of key is one word more of message. */
		k.bits++;
		assert_int_equal(both_ways(kame[i], &m, false, BM_CAP, 9, 10,
		    &err), -1);
		assert_int_equal(err, ERANGE);
		assert_int_equal(both_ways(kame[i], &m, true, 0, 11, 12, &err),
		    -1);
		assert_int_equal(err, ERANGE);
		assert_int_equal(both_ways(kame[i], &m, false, 100, 13, 14,
		    &err), -1);
		assert_int_equal(err, ERANGE);
		/* One request more. */
		k.bits = 0;
		m.nreqs = n + 1;
		assert_int_equal(both_ways(kame[i], &m, false, BM_CAP, 15, 16,
		    &err), -1);
		assert_int_equal(err, ERANGE);
	}
}

/*
 * Policies of 0 to 80 requests, tunnel and transport, in every dialect:
 * the fast path takes a bounded number of requests and leaves more to the
 * builder, and the two must agree on either side of the bound.
 */
static void
test_build_msg_many_requests(void **state)
{
	static struct pfkv2_ipsecrequest reqs[80];
	struct pfkv2_msg_parts m = { .type = PFKV2_MSG_X_SPDADD,
	    .satype = UNSPEC, .seq = 1, .pid = 2, .src = &bm_src4,
	    .dst = &bm_dst4, .policy = &bm_pol_out, .reqs = reqs };
	size_t i, k, built = 0;
	long need;
	int err;

	(void)state;
	bm_setup();
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		reqs[i] = i % 3 == 2 ? bm_req_tr[0] : bm_req_v4[i % 2];
		reqs[i].reqid = (uint32_t)i + 1;
	}
	for (k = 0; k < NDIALECTS; k++)
		for (i = 0; i <= sizeof(reqs) / sizeof(reqs[0]); i++) {
			snprintf(bm_ctx, sizeof(bm_ctx), "%zu requests", i);
			m.nreqs = i;
			need = both_ways(dialects[k], &m, true, 0, 1, 2, &err);
			if (need == -1)
				continue;	/* no policy here */
			assert_int_equal(both_ways(dialects[k], &m, false,
			    BM_CAP, 3, 4, &err), need);
			assert_int_equal(both_ways(dialects[k], &m, false,
			    (size_t)need, 5, 6, &err), need);
			assert_int_equal(both_ways(dialects[k], &m, false,
			    (size_t)need - 1, 7, 8, &err), -1);
			assert_int_equal(err, EMSGSIZE);
			built++;
		}
	/* Linux and FreeBSD take every count (each has 81 of them). */
	assert_true(built >= 2 * 81);
}

/* The random test's stream: xorshift64*, a fixed seed, so failures repeat. */
static uint64_t bm_rng;
/* Whether this iteration may draw invalid values; half do not, or few build. */
static bool bm_wild;

static uint32_t
rnd(void)
{
	bm_rng ^= bm_rng >> 12;
	bm_rng ^= bm_rng << 25;
	bm_rng ^= bm_rng >> 27;
	return (uint32_t)((bm_rng * UINT64_C(0x2545f4914f6cdd1d)) >> 32);
}

static unsigned
rnd_below(unsigned n)
{
	return rnd() % n;
}

#define ONE_IN(n)	(rnd_below(n) == 0)
/* Rarely, and only in a wild iteration. */
#define WILD(n)		(bm_wild && ONE_IN(n))

/*
 * An id of space s: mostly one d maps, sometimes any id up to a few past
 * the last, now and then a raw wire value, which may not fit a byte.
 */
static unsigned
rnd_id(enum pfkv2_dialect d, enum pfkv2_space s, unsigned count)
{
	unsigned id = 0, tries;

	if (WILD(16))
		return PFKV2_WIRE(ONE_IN(2) ? rnd_below(256) : rnd());
	if (WILD(8))
		return rnd_below(count + 3);
	for (tries = 0; tries < 32; tries++)
		if (pfkv2_dialect_to_wire(d, s, id = rnd_below(count)) >= 0)
			break;
	return id;
}

/* Mostly flags d has (or none), sometimes any bits. */
static uint64_t
rnd_flags(enum pfkv2_dialect d)
{
	uint64_t f = 0;
	uint32_t w;
	unsigned i;

	switch (rnd_below(8)) {
	case 0:
		if (bm_wild)
			return (uint64_t)rnd() << 32 | rnd();
		/* FALLTHROUGH */
	case 1:
		if (bm_wild)
			return PFKV2_SAFLAG(rnd_below(PFKV2_SAFLAG_COUNT + 4));
		/* FALLTHROUGH */
	case 2:
	case 3:
		for (i = 0; i < PFKV2_SAFLAG_COUNT; i++)
			if (ONE_IN(3) && pfkv2_dialect_flags_to_wire(d,
			    PFKV2_SAFLAG(i), &w) == 0)
				f |= PFKV2_SAFLAG(i);
		return f;
	default:
		return 0;
	}
}

/* Mostly IPv4 or IPv6, sometimes no family or a wrong one. */
static void
rnd_addr(struct pfkv2_addr *a)
{
	unsigned i;

	memset(a, 0, sizeof(*a));
	if (WILD(8))
		a->family = ONE_IN(2) ? 0 : (uint8_t)rnd();
	else
		a->family = ONE_IN(2) ? PFKV2_AF_INET : PFKV2_AF_INET6;
	a->port = ONE_IN(2) ? 0 : (uint16_t)rnd();
	a->flowinfo = ONE_IN(2) ? 0 : rnd();
	a->scope_id = ONE_IN(2) ? 0 : rnd();
	if (ONE_IN(8))
		a->reserved_ = (uint8_t)rnd();
	for (i = 0; i < 16; i++)
		a->addr[i] = (uint8_t)rnd();
}

static void
rnd_address(struct pfkv2_address *a)
{
	rnd_addr(&a->addr);
	a->prefixlen = (uint8_t)(WILD(8) ? rnd() :
	    rnd_below(a->addr.family == PFKV2_AF_INET ? 33 : 129));
	a->proto = (uint8_t)rnd();
	a->reserved = ONE_IN(4) ? (uint16_t)rnd() : 0;
}

static void
rnd_key(struct pfkv2_key *k)
{
	static const uint16_t bits[] = { 0, 1, 2, 3, 5, 7, 8, 9, 63, 64, 104,
	    128, 160, 192, 256, 288, 384, 512 };

	k->bits = ONE_IN(32) ? (uint16_t)rnd() :
	    bits[rnd_below(sizeof(bits) / sizeof(bits[0]))];
	k->data = WILD(16) ? NULL : keymat + rnd_below(64);
	k->reserved = ONE_IN(4) ? (uint16_t)rnd() : 0;
}

static void
rnd_sa(struct pfkv2_sa *sa, enum pfkv2_dialect d, unsigned satype)
{
	/* Now and then the other algorithm space: the ids overlap. */
	bool calg = (satype == IPCOMP) != WILD(8);

	sa->spi = rnd();
	sa->replay = (uint8_t)rnd();
	sa->state = (uint16_t)rnd_id(d, PFKV2_SP_SASTATE, PFKV2_SASTATE_COUNT);
	sa->auth = (uint16_t)rnd_id(d, PFKV2_SP_AALG, PFKV2_AALG_COUNT);
	sa->encrypt = (uint16_t)(calg ?
	    rnd_id(d, PFKV2_SP_CALG, PFKV2_CALG_COUNT) :
	    rnd_id(d, PFKV2_SP_EALG, PFKV2_EALG_COUNT));
	sa->flags = rnd_flags(d);
	sa->flags_raw = ONE_IN(4) ? rnd() : 0;
}

static void
rnd_policy(struct tu_msg_store *x, enum pfkv2_dialect d)
{
	static const uint16_t protos[] = { 50, 51, 108 };
	struct pfkv2_ipsecrequest *r;
	size_t i;

	x->pol.type = (uint16_t)rnd_id(d, PFKV2_SP_POLICY_TYPE,
	    PFKV2_POLICY_TYPE_COUNT);
	x->pol.dir = (uint16_t)rnd_id(d, PFKV2_SP_POLICY_DIR, PFKV2_DIR_COUNT);
	x->pol.scope = (d == PFKV2_DIALECT_FREEBSD || bm_wild) && ONE_IN(4) ?
	    (uint8_t)rnd() : 0;
	x->pol.id = rnd();
	x->pol.priority = rnd();
	x->m.policy = &x->pol;
	x->m.nreqs = rnd_below(4);
	x->m.reqs = x->m.nreqs == 0 && ONE_IN(2) ? NULL : x->req;
	if (WILD(32))
		x->m.reqs = NULL;
	for (i = 0; i < x->m.nreqs; i++) {
		r = &x->req[i];
		r->proto = ONE_IN(8) ? (uint16_t)rnd() : protos[rnd_below(3)];
		r->mode = (uint16_t)rnd_id(d, PFKV2_SP_MODE, PFKV2_MODE_COUNT);
		r->level = (uint16_t)rnd_id(d, PFKV2_SP_LEVEL,
		    PFKV2_LEVEL_COUNT);
		r->reqid = (d != PFKV2_DIALECT_FREEBSD || bm_wild) &&
		    ONE_IN(4) ? rnd() : rnd_below(65536);
		switch (rnd_below(bm_wild ? 8 : 7)) {
		case 0:
		case 1:
		case 2:
			memset(&r->src, 0, sizeof(r->src));
			memset(&r->dst, 0, sizeof(r->dst));
			break;
		case 7:
			rnd_addr(&r->src);
			rnd_addr(&r->dst);
			break;
		default:
			rnd_addr(&r->src);
			rnd_addr(&r->dst);
			r->dst.family = r->src.family;
		}
	}
}

/* A request of random parts, mostly valid for d. */
static void
rnd_msg(struct tu_msg_store *x, enum pfkv2_dialect d)
{
	static const unsigned types[] = { PFKV2_MSG_GETSPI, PFKV2_MSG_UPDATE,
	    PFKV2_MSG_ADD, PFKV2_MSG_DELETE, PFKV2_MSG_GET, PFKV2_MSG_ACQUIRE,
	    PFKV2_MSG_EXPIRE, PFKV2_MSG_FLUSH, PFKV2_MSG_DUMP,
	    PFKV2_MSG_X_SPDADD, PFKV2_MSG_X_SPDUPDATE, PFKV2_MSG_X_SPDDELETE,
	    PFKV2_MSG_X_SPDGET };
	static const unsigned satypes[] = { ESP, AH, IPCOMP, UNSPEC };
	bool spd, kame = pfkv2_dialect_has_ext(d, PFKV2_EXT_POLICY);
	unsigned tries;

	memset(x, 0, sizeof(*x));
	for (tries = 0; tries < 8; tries++) {
		x->m.type = ONE_IN(8) ? rnd_id(d, PFKV2_SP_MSG,
		    PFKV2_MSG_COUNT) :
		    types[rnd_below(sizeof(types) / sizeof(types[0]))];
		x->m.satype = ONE_IN(8) ? rnd_id(d, PFKV2_SP_SATYPE,
		    PFKV2_SATYPE_COUNT) : satypes[rnd_below(4)];
		if (bm_wild || (pfkv2_dialect_to_wire(d, PFKV2_SP_MSG,
		    x->m.type) >= 0 && pfkv2_dialect_to_wire(d,
		    PFKV2_SP_SATYPE, x->m.satype) >= 0))
			break;
	}
	x->m.seq = rnd();
	x->m.pid = rnd();
	spd = x->m.type >= PFKV2_MSG_X_SPDUPDATE &&
	    x->m.type <= PFKV2_MSG_X_SPDDELETE2;
	if (ONE_IN(2)) {
		rnd_sa(&x->sa, d, x->m.satype);
		x->m.sa = &x->sa;
	}
	if ((kame || bm_wild) && ONE_IN(2)) {
		x->sa2.mode = (uint16_t)rnd_id(d, PFKV2_SP_MODE,
		    PFKV2_MODE_COUNT);
		x->sa2.sequence = rnd();
		x->sa2.reqid = rnd();
		x->m.sa2 = &x->sa2;
	}
	if (!ONE_IN(4)) {
		rnd_address(&x->src);
		x->m.src = &x->src;
	}
	if (!ONE_IN(4)) {
		rnd_address(&x->dst);
		x->m.dst = &x->dst;
	}
	if (ONE_IN(4)) {
		rnd_address(&x->proxy);
		x->m.proxy = &x->proxy;
	}
	if (ONE_IN(2)) {
		rnd_key(&x->ke);
		x->m.key_encrypt = &x->ke;
	}
	if (ONE_IN(2)) {
		rnd_key(&x->ka);
		x->m.key_auth = &x->ka;
	}
	if (ONE_IN(2)) {
		x->hard = (struct pfkv2_lifetime){ rnd(), rnd(),
		    (uint64_t)rnd() << 32 | rnd(), rnd() };
		x->m.hard = &x->hard;
	}
	if (ONE_IN(2)) {
		x->soft = (struct pfkv2_lifetime){ rnd(), rnd(), rnd(),
		    (uint64_t)rnd() << 32 | rnd() };
		x->m.soft = &x->soft;
	}
	if (ONE_IN(3)) {
		x->sr.min = rnd();
		x->sr.max = rnd();
		x->m.spirange = &x->sr;
	}
	if ((kame || bm_wild) && (spd ? !ONE_IN(4) : ONE_IN(8)))
		rnd_policy(x, d);
	else if (WILD(32)) {
		/* Requests without their policy. */
		x->m.reqs = ONE_IN(2) ? x->req : NULL;
		x->m.nreqs = rnd_below(3);
	}
	if (WILD(64))
		x->m.reserved_[rnd_below(2)] = x;
}

#define BM_ITERATIONS	5000

/*
 * Random requests, random dialects (now and then a bad one), random room
 * (too little, exactly enough, more, none): every answer and every byte
 * as the single puts give them.
 */
static void
test_build_msg_random(void **state)
{
	struct tu_msg_store x;
	enum pfkv2_dialect d;
	unsigned it, ga, built = 0, shortof = 0, refused = 0;
	size_t size;
	long need, n;
	bool nobuf;
	int err;

	(void)state;
	bm_setup();
	bm_rng = UINT64_C(0x9e3779b97f4a7c15);
	for (it = 0; it < BM_ITERATIONS; it++) {
		bm_wild = ONE_IN(2);
		d = WILD(32) ? (enum pfkv2_dialect)(PFKV2_DIALECT_COUNT +
		    rnd_below(3)) : dialects[rnd_below(NDIALECTS)];
		rnd_msg(&x, d);
		snprintf(bm_ctx, sizeof(bm_ctx), "random iteration %u", it);
		need = tu_build_msg_ref(NULL, 0, d, &x.m);
		nobuf = false;
		switch (rnd_below(16)) {
		case 0:
		case 1:
			nobuf = true;
			size = 0;
			break;
		case 2:
			nobuf = true;
			size = 1 + rnd_below(1024);
			break;
		case 3:
		case 4:
		case 5:
		case 6:
			size = rnd_below(need > 0 ? (unsigned)need : 512);
			break;
		case 7:
			size = need > 0 ? (size_t)need : 0;
			break;
		case 8:
			size = BM_CAP;
			break;
		default:
			size = (need > 0 ? (size_t)need : 0) + rnd_below(256);
		}
		ga = rnd();
		n = both_ways(d, &x.m, nobuf, size, ga, ga + 1 + rnd_below(255),
		    &err);
		if (n > 0) {
			built++;
			assert_int_equal(both_ways(d, &x.m, true, 0, 1, 2,
			    &err), n);
		} else if (err == EMSGSIZE)
			shortof++;
		else
			refused++;
	}
	/* Each outcome is common enough to be tested. */
	assert_true(built > BM_ITERATIONS / 10);
	assert_true(shortof > BM_ITERATIONS / 20);
	assert_true(refused > BM_ITERATIONS / 20);
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
		cmocka_unit_test(test_build_msg_table),
		cmocka_unit_test(test_build_msg_measure),
		cmocka_unit_test(test_build_msg_too_small),
		cmocka_unit_test(test_build_msg_refusals),
		cmocka_unit_test(test_build_msg_misuse),
		cmocka_unit_test(test_build_msg_maxlen),
		cmocka_unit_test(test_build_msg_many_requests),
		cmocka_unit_test(test_build_msg_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
