/*
 * One test per validation rule: a message that breaks the rule is refused
 * with the rule's code, at the byte offset of the fault, naming the
 * extension.  Rule ids (H, W, F, D) refer to
 * shared/reference/validation-and-semantics.md.
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
#include "testutil.h"

#define REQ	(PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_REQUEST)
#define REP	(PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_REPLY)
#define STRICT	(REQ | PFKV2_V_STRICT)

/* Offsets in the ADD message that mk_add() builds (IPv4, no lifetimes). */
#define O_SA	16
#define O_SRC	32
#define O_DST	56
#define O_KA	80
#define O_KE	112
#define ADD_LEN	136

static uint8_t buf[4096];

static const uint8_t akey[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
	14, 15, 16, 17, 18, 19, 20 };
static const uint8_t ekey[16] = { 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
	0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50 };

static struct pfkv2_address
addr4(uint8_t last)
{
	struct pfkv2_address a = { .addr = { .family = PFKV2_AF_INET },
	    .prefixlen = 32 };

	a.addr.addr[0] = 192;
	a.addr.addr[2] = 2;
	a.addr.addr[3] = last;
	return a;
}

/* The SHA-1 ADD of the Linux captures, in any dialect. */
static size_t
mk_add(enum pfkv2_dialect d, unsigned satype)
{
	struct pfkv2_builder b;
	struct pfkv2_sa sa = { .spi = 0x1001, .replay = 32,
	    .state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC,
	    .encrypt = satype == PFKV2_SATYPE_AH ? PFKV2_EALG_NONE :
	    PFKV2_EALG_3DESCBC };
	struct pfkv2_address s = addr4(1), t = addr4(2);
	struct pfkv2_key ka = { akey, 160, 0 }, ke = { ekey, 128, 0 };

	memset(buf, 0, sizeof(buf));
	assert_int_equal(pfkv2_builder_init(&b, buf, sizeof(buf), d), 0);
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_ADD, satype, 2, 118), 0);
	assert_int_equal(pfkv2_put_sa(&b, &sa), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &s), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &t), 0);
	assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &ka), 0);
	assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &ke), 0);
	assert_int_equal(pfkv2_builder_finish(&b), ADD_LEN);
	return ADD_LEN;
}

/* Start any message; the caller adds extensions and finishes. */
static void
mk(struct pfkv2_builder *b, enum pfkv2_dialect d, unsigned type,
    unsigned satype)
{
	memset(buf, 0, sizeof(buf));
	assert_int_equal(pfkv2_builder_init(b, buf, sizeof(buf), d), 0);
	assert_int_equal(pfkv2_put_msg(b, type, satype, 5, 118), 0);
}

static size_t
fin(struct pfkv2_builder *b)
{
	long n = pfkv2_builder_finish(b);

	assert_true(n > 0);
	return (size_t)n;
}

static void
ok(size_t len, enum pfkv2_dialect d, unsigned flags)
{
	struct pfkv2_view v;
	struct pfkv2_diag diag;
	char why[256];

	if (pfkv2_parse(buf, len, d, flags, &v, &diag) != 0) {
		pfkv2_diag_format(&diag, why, sizeof(why));
		fail_msg("expected valid: %s", why);
	}
}

/* Refused with code at offset, naming ext (0: base header). */
static struct pfkv2_diag
bad(size_t len, enum pfkv2_dialect d, unsigned flags, int code, size_t off,
    unsigned ext)
{
	struct pfkv2_view v;
	struct pfkv2_diag diag;
	char why[256];

	errno = 0;
	assert_int_equal(pfkv2_parse(buf, len, d, flags, &v, &diag), -1);
	assert_int_equal(errno, EBADMSG);
	pfkv2_diag_format(&diag, why, sizeof(why));
	if (diag.code != code || diag.offset != off || diag.ext != ext)
		fail_msg("want %s at %zu ext %u, got %s", pfkv2_code_name(code),
		    off, ext, why);
	assert_int_equal(diag.error, EBADMSG);
	assert_int_equal(diag.dialect, d);
	return diag;
}

/* H1, H2 (and W1, which H2 makes unreachable: lengths are in words). */
static void
test_header_lengths(void **state)
{
	struct pfkv2_diag d;
	size_t n;

	(void)state;
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	ok(n, PFKV2_DIALECT_LINUX, STRICT);
	d = bad(15, PFKV2_DIALECT_LINUX, 0, PFKV2_E_SHORT, 0, 0);
	assert_int_equal(d.kernel_errno, EMSGSIZE);
	/* D1: trailing bytes past msg_len. */
	d = bad(n + 8, PFKV2_DIALECT_LINUX, 0, PFKV2_E_MSG_LEN, 4, 0);
	assert_int_equal(d.kernel_errno, EMSGSIZE);
	d = bad(n - 2, PFKV2_DIALECT_FREEBSD, 0, PFKV2_E_MSG_LEN, 4, 0);
	assert_int_equal(d.kernel_errno, EINVAL);
	/* D1 on Linux: 1..7 stray bytes pass write() and fail with EINVAL. */
	d = bad(n + 4, PFKV2_DIALECT_LINUX, 0, PFKV2_E_MSG_LEN, 4, 0);
	assert_int_equal(d.kernel_errno, EINVAL);
	st16(buf + 4, 0);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_MSG_LEN, 4, 0);
}

/* H3, H4, H5, H6, H8 and a message with no handler. */
static void
test_header_fields(void **state)
{
	size_t n;

	(void)state;
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	buf[0] = 1;				/* D3 */
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_VERSION, 0, 0);
	ok(n, PFKV2_DIALECT_LINUX, 0);		/* structure alone is fine */
	buf[0] = 2;
	st16(buf + 6, 1);			/* D4 */
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_MSG_RESERVED, 6, 0);
	ok(n, PFKV2_DIALECT_LINUX, PFKV2_V_MESSAGE); /* replies: refcounts */
	n = mk_add(PFKV2_DIALECT_FREEBSD, PFKV2_SATYPE_ESP);
	st16(buf + 6, 1);
	ok(n, PFKV2_DIALECT_FREEBSD, REQ);	/* FreeBSD does not check */
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	buf[1] = 0;
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_MSG_TYPE, 1, 0);
	buf[1] = 77;
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_MSG_TYPE, 1, 0);
	buf[1] = 3;
	buf[2] = 5;
	bad(n, PFKV2_DIALECT_LINUX, STRICT, PFKV2_E_MSG_ERRNO, 2, 0);
	buf[2] = 0;
	buf[3] = 0;				/* ADD needs an SA type */
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_SATYPE, 3, 0);
	buf[3] = 99;
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_SATYPE, 3, 0);
	buf[3] = 3;
	buf[1] = 8;				/* user EXPIRE: no handler */
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_MSG_NO_HANDLER, 1, 0);
}

/* H9 / D28: FreeBSD takes at most 2048 bytes. */
static void
test_too_big(void **state)
{
	struct pfkv2_builder b;
	uint8_t priv[2100] = { 0 };
	size_t n;

	(void)state;
	mk(&b, PFKV2_DIALECT_FREEBSD, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_ext_raw(&b, 17, priv, sizeof(priv)), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_FREEBSD, REQ, PFKV2_E_TOO_BIG, 4, 0);
}

/* W2, W3, W4, W6, W11. */
static void
test_walk(void **state)
{
	size_t n;

	(void)state;
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	st16(buf + O_SRC, 0);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_EXT_LEN_ZERO, O_SRC,
	    PFKV2_EXT_ADDRESS_SRC);
	st16(buf + O_SRC, 200);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_EXT_OVERRUN, O_SRC,
	    PFKV2_EXT_ADDRESS_SRC);
	st16(buf + O_SRC, 3);
	st16(buf + O_SRC + 2, 0);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_EXT_TYPE_ZERO, O_SRC + 2, 0);
	st16(buf + O_SRC + 2, 6);		/* a second ADDRESS_DST */
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_EXT_DUP, O_DST,
	    PFKV2_EXT_ADDRESS_DST);
	st16(buf + O_SRC + 2, 5);
	/* An SA of one word: shorter than sadb_sa. */
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	st16(buf + O_SA, 1);
	st16(buf + O_SA + 8, 1);		/* re-frame the rest as one ext */
	st16(buf + O_SA + 10, 60);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_EXT_SIZE, O_SA,
	    PFKV2_EXT_SA);
}

/* W5 / D2: unknown types are skipped (RFC, Linux) or refused. */
static void
test_unknown_ext(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_view v;
	struct pfkv2_diag d;
	char line[160];
	size_t n;

	(void)state;
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_FLUSH, PFKV2_SATYPE_UNSPEC);
	assert_int_equal(pfkv2_put_ext_raw(&b, 60, "x", 1), 0);
	n = fin(&b);
	assert_int_equal(pfkv2_parse(buf, n, PFKV2_DIALECT_LINUX, REQ, &v,
	    NULL), 0);
	assert_int_equal(v.nunknown, 1);
	assert_int_equal(v.unknown_off, 16);
	d = bad(n, PFKV2_DIALECT_LINUX, STRICT, PFKV2_E_EXT_UNKNOWN, 18, 0);
	pfkv2_diag_format(&d, line, sizeof(line));
	assert_string_equal(line, "offset 18, extension unknown (60): "
	    "extension type unknown to this dialect");
	bad(n, PFKV2_DIALECT_FREEBSD, REQ, PFKV2_E_EXT_UNKNOWN, 18, 0);
	bad(n, PFKV2_DIALECT_ILLUMOS, REQ, PFKV2_E_EXT_UNKNOWN, 18, 0);
	ok(n, PFKV2_DIALECT_FREEBSD, 0);
	/* A strict validate on a lax view finds it too. */
	assert_int_equal(pfkv2_parse(buf, n, PFKV2_DIALECT_LINUX, 0, &v, NULL),
	    0);
	assert_int_equal(pfkv2_validate(&v, PFKV2_V_STRICT, NULL), -1);
}

/* W7, W8: allowed and required extensions per message and direction. */
static void
test_ext_sets(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_diag d;
	size_t n;

	(void)state;
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_spirange(&b, 1, 2), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_EXT_NOT_ALLOWED, 16,
	    PFKV2_EXT_SPIRANGE);
	/* Missing extensions are named; the offset is the header. */
	mk(&b, PFKV2_DIALECT_ILLUMOS, PFKV2_MSG_GETSPI, PFKV2_SATYPE_ESP);
	n = fin(&b);
	d = bad(n, PFKV2_DIALECT_ILLUMOS, REQ, PFKV2_E_EXT_MISSING, 0,
	    PFKV2_EXT_ADDRESS_SRC);
	assert_int_equal(d.kernel_diag, 18);	/* MISSING_SRC */
	/* A base-only error reply is fine in any message. */
	n = tu_load_hex("linux-vectors/sadb_add_eexist_reply.hex", buf,
	    sizeof(buf));
	ok(n, PFKV2_DIALECT_LINUX, REP);
	bad(n, PFKV2_DIALECT_LINUX, PFKV2_V_MESSAGE | PFKV2_V_REQUEST,
	    PFKV2_E_EXT_MISSING, 0, PFKV2_EXT_SA);
}

/* F-SA. */
static void
test_sa_fields(void **state)
{
	size_t n;

	(void)state;
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	buf[O_SA + 9] = 9;
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_SA_STATE, O_SA + 9,
	    PFKV2_EXT_SA);
	buf[O_SA + 9] = 1;
	buf[O_SA + 10] = 200;
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_SA_ALG, O_SA + 10,
	    PFKV2_EXT_SA);
	ok(n, PFKV2_DIALECT_LINUX, PFKV2_V_MESSAGE);	/* a newer kernel's */
	buf[O_SA + 10] = 3;
	buf[O_SA + 11] = 200;
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_SA_ALG, O_SA + 11,
	    PFKV2_EXT_SA);
	/* D12: LARVAL in ADD is refused by illumos (and the RFC), not Linux. */
	n = mk_add(PFKV2_DIALECT_ILLUMOS, PFKV2_SATYPE_ESP);
	buf[O_SA + 9] = 0;
	bad(n, PFKV2_DIALECT_ILLUMOS, REQ, PFKV2_E_SA_STATE_MSG, O_SA + 9,
	    PFKV2_EXT_SA);
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	buf[O_SA + 9] = 0;
	ok(n, PFKV2_DIALECT_LINUX, REQ);
	/* FreeBSD: AH with an encryption algorithm (checked before keys). */
	n = mk_add(PFKV2_DIALECT_FREEBSD, PFKV2_SATYPE_AH);
	buf[O_SA + 11] = 3;
	bad(n, PFKV2_DIALECT_FREEBSD, REQ, PFKV2_E_ALG_MISMATCH, O_SA + 11,
	    PFKV2_EXT_SA);
	ok(n, PFKV2_DIALECT_FREEBSD, 0);
}

/* F-ADDR. */
static void
test_address_fields(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_address s = addr4(1), t = addr4(2);
	size_t n;

	(void)state;
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	st16(buf + O_SRC + 8, 99);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_ADDR_FAMILY, O_SRC + 8,
	    PFKV2_EXT_ADDRESS_SRC);
	st16(buf + O_SRC + 8, 2);
	buf[O_SRC + 5] = 33;
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_ADDR_PREFIX, O_SRC + 5,
	    PFKV2_EXT_ADDRESS_SRC);
	buf[O_SRC + 5] = 32;
	buf[O_SRC + 8 + 10] = 1;		/* D7: sin_zero */
	ok(n, PFKV2_DIALECT_LINUX, REQ);
	bad(n, PFKV2_DIALECT_LINUX, STRICT, PFKV2_E_ADDR_PADDING, O_SRC + 8,
	    PFKV2_EXT_ADDRESS_SRC);
	buf[O_SRC + 8 + 10] = 0;
	buf[O_SRC + 6] = 1;
	bad(n, PFKV2_DIALECT_LINUX, STRICT, PFKV2_E_RESERVED, O_SRC + 6,
	    PFKV2_EXT_ADDRESS_SRC);
	buf[O_SRC + 6] = 0;
	/* An IPv4 sockaddr in a 4-word extension (Linux wants exactly 3). */
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_X_SPDDELETE, 0);
	assert_int_equal(pfkv2_put_ext_raw(&b, 5,
	    "\0\040\0\0\002\0\0\0\300\0\002\001\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
	    28), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_ADDR_LEN, 16,
	    PFKV2_EXT_ADDRESS_SRC);
	/* An address extension too short to hold the family (2017 fix). */
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_X_SPDDELETE, 0);
	assert_int_equal(pfkv2_put_ext_raw(&b, 5, "\0\040\0", 4), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_ADDR_LEN, 16,
	    PFKV2_EXT_ADDRESS_SRC);
	/* Source and destination families differ. */
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_DELETE, PFKV2_SATYPE_ESP);
	t.addr.family = PFKV2_AF_INET6;
	assert_int_equal(pfkv2_put_sa(&b, &(struct pfkv2_sa){ .spi = 1,
	    .state = PFKV2_SASTATE_MATURE }), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &s), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &t), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_ADDR_MISMATCH, 64,
	    PFKV2_EXT_ADDRESS_DST);
	/* FreeBSD: the upper protocols must agree. */
	n = mk_add(PFKV2_DIALECT_FREEBSD, PFKV2_SATYPE_ESP);
	buf[O_DST + 4] = 6;
	bad(n, PFKV2_DIALECT_FREEBSD, REQ, PFKV2_E_PROTO_MISMATCH, O_DST + 4,
	    PFKV2_EXT_ADDRESS_DST);
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	buf[O_DST + 4] = 6;
	ok(n, PFKV2_DIALECT_LINUX, REQ);	/* Linux does not compare */
}

/* F-KEY, D8, D9, D10. */
static void
test_key_fields(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_diag d;
	size_t n;

	(void)state;
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	st16(buf + O_KE + 4, 0);
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_KEY_BITS, O_KE + 4,
	    PFKV2_EXT_KEY_ENCRYPT);
	st16(buf + O_KE + 4, 256);		/* D9: more bits than bytes */
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_KEY_SHORT, O_KE + 4,
	    PFKV2_EXT_KEY_ENCRYPT);
	st16(buf + O_KE + 4, 64);		/* D8: longer than bits need */
	ok(n, PFKV2_DIALECT_LINUX, REQ);
	bad(n, PFKV2_DIALECT_LINUX, STRICT, PFKV2_E_KEY_LONG, O_KE,
	    PFKV2_EXT_KEY_ENCRYPT);
	n = mk_add(PFKV2_DIALECT_ILLUMOS, PFKV2_SATYPE_ESP);
	st16(buf + O_KE + 4, 64);
	bad(n, PFKV2_DIALECT_ILLUMOS, REQ, PFKV2_E_KEY_LONG, O_KE,
	    PFKV2_EXT_KEY_ENCRYPT);
	n = mk_add(PFKV2_DIALECT_ILLUMOS, PFKV2_SATYPE_ESP);
	memset(buf + O_KE + 8, 0, 16);		/* D10 */
	bad(n, PFKV2_DIALECT_ILLUMOS, REQ, PFKV2_E_KEY_ZERO, O_KE + 8,
	    PFKV2_EXT_KEY_ENCRYPT);
	ok(n, PFKV2_DIALECT_LINUX, 0);
	/* Linux: ESP without KEY_ENCRYPT. */
	n = mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	st16(buf + 4, (uint16_t)(O_KE / 8));
	d = bad(O_KE, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_KEY_MISSING, 0,
	    PFKV2_EXT_KEY_ENCRYPT);
	(void)d;
	/* FreeBSD: AH with KEY_ENCRYPT. */
	mk(&b, PFKV2_DIALECT_FREEBSD, PFKV2_MSG_ADD, PFKV2_SATYPE_AH);
	assert_int_equal(pfkv2_put_sa(&b, &(struct pfkv2_sa){ .spi = 1,
	    .state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC }), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC,
	    &(struct pfkv2_address){ .addr = addr4(1).addr }), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST,
	    &(struct pfkv2_address){ .addr = addr4(2).addr }), 0);
	assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH,
	    &(struct pfkv2_key){ akey, 160, 0 }), 0);
	assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT,
	    &(struct pfkv2_key){ ekey, 128, 0 }), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_FREEBSD, REQ, PFKV2_E_KEY_PRESENT, 112,
	    PFKV2_EXT_KEY_ENCRYPT);
}

/* F-ID, D32; F-SENS. */
static void
test_ident_sens_fields(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_ident id = { PFKV2_IDENTTYPE_FQDN, 0, "abcdefg", 7 };
	uint64_t bits[2] = { 0 };
	size_t n;

	(void)state;
	mk(&b, PFKV2_DIALECT_ILLUMOS, PFKV2_MSG_X_INVERSE_ACQUIRE, 0);
	assert_int_equal(pfkv2_put_ident(&b, PFKV2_EXT_IDENTITY_SRC, &id), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC,
	    &(struct pfkv2_address){ .addr = addr4(1).addr }), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST,
	    &(struct pfkv2_address){ .addr = addr4(2).addr }), 0);
	n = fin(&b);
	ok(n, PFKV2_DIALECT_ILLUMOS, PFKV2_V_STRICT);
	buf[16 + 16 + 7] = 'h';			/* no NUL left */
	bad(n, PFKV2_DIALECT_ILLUMOS, PFKV2_V_STRICT, PFKV2_E_IDENT_NUL,
	    16 + 23, PFKV2_EXT_IDENTITY_SRC);
	ok(n, PFKV2_DIALECT_ILLUMOS, 0);	/* illumos fixes it up */
	buf[16 + 16 + 7] = 0;
	buf[16 + 4] = 99;
	bad(n, PFKV2_DIALECT_ILLUMOS, PFKV2_V_MESSAGE | PFKV2_V_DIALECT,
	    PFKV2_E_IDENT_TYPE, 16 + 4, PFKV2_EXT_IDENTITY_SRC);
	/* "ab" padded to two words instead of one. */
	id.str = "ab";
	id.len = 2;
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_ext_raw(&b, 10,
	    "\002\0\0\0\0\0\0\0\0\0\0\0ab\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
	    28), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_LINUX, PFKV2_V_STRICT, PFKV2_E_IDENT_PAD, 16,
	    PFKV2_EXT_IDENTITY_SRC);
	/* Sensitivity bitmaps longer than the extension. */
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_sens(&b, PFKV2_EXT_SENSITIVITY,
	    &(struct pfkv2_sens){ .sens_len = 2, .sens_bitmap = bits }), 0);
	n = fin(&b);
	buf[16 + 11] = 1;			/* integ_len */
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_SENS_LEN, 16 + 9,
	    PFKV2_EXT_SENSITIVITY);
}

/* F-PROP, F-SUPP, B-IL3. */
static void
test_prop_supp_fields(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_comb c = { .auth = PFKV2_AALG_SHA1HMAC,
	    .encrypt = PFKV2_EALG_3DESCBC, .auth_minbits = 160,
	    .auth_maxbits = 160, .encrypt_minbits = 192,
	    .encrypt_maxbits = 192 };
	struct pfkv2_alg a = { .id = PFKV2_AALG_SHA1HMAC, .minbits = 160,
	    .maxbits = 160 };
	uint8_t raw[8 + 72 + 16];
	size_t n;

	(void)state;
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_ACQUIRE, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_proposal(&b, 32, &c, 1), 0);
	n = fin(&b);
	st16(buf + 16 + 8 + 4, 200);		/* auth min above max */
	bad(n, PFKV2_DIALECT_LINUX, PFKV2_V_MESSAGE, PFKV2_E_ALG_BITS,
	    16 + 8 + 4, PFKV2_EXT_PROPOSAL);
	/* A proposal with a partial combination (Linux 015c44d7bff3). */
	memset(raw, 0, sizeof(raw));
	raw[0] = 32;
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_ACQUIRE, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_ext_raw(&b, 13, raw, 4 + 72 + 16), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_LINUX, PFKV2_V_MESSAGE, PFKV2_E_PROP_LEN, 16,
	    PFKV2_EXT_PROPOSAL);
	/* ... which is how illumos carries a KM cookie in ACQUIRE. */
	ok(n, PFKV2_DIALECT_ILLUMOS, PFKV2_V_MESSAGE);
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_REGISTER, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_supported(&b, PFKV2_EXT_SUPPORTED_AUTH, &a,
	    1), 0);
	n = fin(&b);
	ok(n, PFKV2_DIALECT_LINUX, REP | PFKV2_V_STRICT);
	st16(buf + 16 + 8 + 2, 512);
	bad(n, PFKV2_DIALECT_LINUX, REP, PFKV2_E_ALG_BITS, 16 + 8 + 2,
	    PFKV2_EXT_SUPPORTED_AUTH);
	st16(buf + 16 + 8 + 2, 160);
	st16(buf + 16 + 8 + 6, 1);
	bad(n, PFKV2_DIALECT_LINUX, REP | PFKV2_V_STRICT, PFKV2_E_RESERVED,
	    16 + 8 + 6, PFKV2_EXT_SUPPORTED_AUTH);
	ok(n, PFKV2_DIALECT_ILLUMOS, PFKV2_V_STRICT);	/* increment/salt */
}

/* F-SPI, D11. */
static void
test_spirange(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_address s = addr4(1), t = addr4(2);
	size_t n;
	int d;

	(void)state;
	for (d = PFKV2_DIALECT_LINUX; d <= PFKV2_DIALECT_ILLUMOS; d++) {
		mk(&b, d, PFKV2_MSG_GETSPI, PFKV2_SATYPE_ESP);
		assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC,
		    &s), 0);
		assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST,
		    &t), 0);
		assert_int_equal(pfkv2_put_spirange(&b, 0x200, 0x100), 0);
		n = fin(&b);
		if (d == PFKV2_DIALECT_FREEBSD)
			ok(n, d, REQ);		/* B-FB2 */
		else
			bad(n, d, REQ, PFKV2_E_SPIRANGE, 16 + 48 + 4,
			    PFKV2_EXT_SPIRANGE);
	}
}

/* F-POL: the policy and its requests; Linux 2017 ipsecrequest fixes. */
static void
test_policy_fields(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_address s = addr4(1), t = addr4(2);
	struct pfkv2_policy pol = { PFKV2_POLICY_IPSEC, PFKV2_DIR_OUTBOUND,
	    0, 0, 0 };
	struct pfkv2_ipsecrequest r[7] = {
		{ .proto = 50, .mode = PFKV2_MODE_TUNNEL,
		    .level = PFKV2_LEVEL_REQUIRE },
	};
	size_t n, i, po = 16 + 48;	/* X_POLICY after SRC and DST */

	(void)state;
	r[0].src = s.addr;
	r[0].dst = t.addr;
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_X_SPDADD, 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &s), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &t), 0);
	assert_int_equal(pfkv2_put_policy(&b, &pol, r, 1), 0);
	n = fin(&b);
	ok(n, PFKV2_DIALECT_LINUX, STRICT);
	st16(buf + po + 4, 9);
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_POLICY_TYPE, po + 4,
	    PFKV2_EXT_POLICY);
	st16(buf + po + 4, 2);
	buf[po + 6] = 3;			/* D31: FWD */
	ok(n, PFKV2_DIALECT_LINUX, REQ);
	buf[po + 6] = 0;
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_POLICY_DIR, po + 6,
	    PFKV2_EXT_POLICY);
	buf[po + 6] = 2;
	st16(buf + po + 16 + 2, 17);		/* UDP is no IPsec protocol */
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_ISR_PROTO, po + 16 + 2,
	    PFKV2_EXT_POLICY);
	st16(buf + po + 16 + 2, 50);
	buf[po + 16 + 4] = 0;
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_ISR_MODE, po + 16 + 4,
	    PFKV2_EXT_POLICY);
	buf[po + 16 + 4] = 2;
	buf[po + 16 + 5] = 9;
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_ISR_LEVEL, po + 16 + 5,
	    PFKV2_EXT_POLICY);
	buf[po + 16 + 5] = 2;
	st16(buf + po + 16, 0);			/* rq_len 0, 8, too long */
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_ISR_LEN, po + 16,
	    PFKV2_EXT_POLICY);
	st16(buf + po + 16, 8);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_ISR_LEN, po + 16,
	    PFKV2_EXT_POLICY);
	st16(buf + po + 16, 56);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_ISR_LEN, po + 16,
	    PFKV2_EXT_POLICY);
	st16(buf + po + 16, 48);
	/* Fuzz finding: canonical form wants sin_zero of endpoints zero. */
	buf[po + 32 + 10] = 0x7f;
	ok(n, PFKV2_DIALECT_LINUX, REQ);
	bad(n, PFKV2_DIALECT_LINUX, STRICT, PFKV2_E_ADDR_PADDING, po + 16,
	    PFKV2_EXT_POLICY);
	buf[po + 32 + 10] = 0;
	st16(buf + po + 32 + 16, 10);		/* mixed families (CVE-2026-31515) */
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_ISR_ADDR, po + 16,
	    PFKV2_EXT_POLICY);
	/* Tunnel mode without endpoints. */
	r[0].src.family = r[0].dst.family = 0;
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_X_SPDADD, 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &s), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &t), 0);
	assert_int_equal(pfkv2_put_policy(&b, &pol, r, 1), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_ISR_ADDR, po + 16,
	    PFKV2_EXT_POLICY);
	/* Linux takes six requests, not seven (XFRM_MAX_DEPTH). */
	for (i = 0; i < 7; i++)
		r[i] = (struct pfkv2_ipsecrequest){ .proto = 50,
		    .mode = PFKV2_MODE_TRANSPORT,
		    .level = PFKV2_LEVEL_REQUIRE };
	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_X_SPDADD, 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &s), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &t), 0);
	assert_int_equal(pfkv2_put_policy(&b, &pol, r, 7), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_LINUX, REQ, PFKV2_E_ISR_COUNT, po + 16,
	    PFKV2_EXT_POLICY);
	/* FreeBSD: FWD refused, and an IPSEC policy needs a request. */
	mk(&b, PFKV2_DIALECT_FREEBSD, PFKV2_MSG_X_SPDADD, 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &s), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &t), 0);
	assert_int_equal(pfkv2_put_policy(&b, &pol, NULL, 0), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_FREEBSD, REQ, PFKV2_E_ISR_COUNT, po + 16,
	    PFKV2_EXT_POLICY);
	buf[po + 6] = 3;
	bad(n, PFKV2_DIALECT_FREEBSD, REQ, PFKV2_E_POLICY_DIR, po + 6,
	    PFKV2_EXT_POLICY);
	/* X_SPDGET and X_SPDDELETE2 only read the policy id (engine finding). */
	mk(&b, PFKV2_DIALECT_FREEBSD, PFKV2_MSG_X_SPDGET, 0);
	pol.id = 7;
	assert_int_equal(pfkv2_put_policy(&b, &pol, NULL, 0), 0);
	n = fin(&b);
	ok(n, PFKV2_DIALECT_FREEBSD, REQ);
}

/* F-SA2, F-NATT, F-CTX, F-REPLAY, F-KMC, X_FILTER, pair, ereg, eprop. */
static void
test_small_extensions(void **state)
{
	struct pfkv2_builder b;
	size_t n;

	(void)state;
	/* FreeBSD UPDATE: SA 16, SA2 32, SRC 48, DST 72, NAT-T 96, 104, 112. */
	mk(&b, PFKV2_DIALECT_FREEBSD, PFKV2_MSG_UPDATE, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_sa(&b, &(struct pfkv2_sa){ .spi = 1,
	    .state = PFKV2_SASTATE_MATURE }), 0);
	assert_int_equal(pfkv2_put_sa2(&b, &(struct pfkv2_sa2){
	    PFKV2_MODE_TRANSPORT, 0, 0 }), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC,
	    &(struct pfkv2_address){ .addr = addr4(1).addr }), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST,
	    &(struct pfkv2_address){ .addr = addr4(2).addr }), 0);
	assert_int_equal(pfkv2_put_nat_t_type(&b, 1), 0);
	assert_int_equal(pfkv2_put_nat_t_port(&b, PFKV2_EXT_NAT_T_SPORT, 0),
	    0);
	assert_int_equal(pfkv2_put_sa_replay(&b, UINT32_MAX), 0);
	n = fin(&b);
	buf[32 + 4] = 9;
	bad(n, PFKV2_DIALECT_FREEBSD, PFKV2_V_MESSAGE | PFKV2_V_REQUEST,
	    PFKV2_E_MODE, 32 + 4, PFKV2_EXT_SA2);
	buf[32 + 4] = 1;
	bad(n, PFKV2_DIALECT_FREEBSD, REQ, PFKV2_E_NATT_TYPE, 96 + 4,
	    PFKV2_EXT_NAT_T_TYPE);
	buf[96 + 4] = 2;
	bad(n, PFKV2_DIALECT_FREEBSD, REQ, PFKV2_E_NATT_PORT, 104 + 4,
	    PFKV2_EXT_NAT_T_SPORT);
	st16(buf + 104 + 4, 4500);
	bad(n, PFKV2_DIALECT_FREEBSD, REQ, PFKV2_E_REPLAY, 112 + 4,
	    PFKV2_EXT_SA_REPLAY);
	st32(buf + 112 + 4, 64);
	ok(n, PFKV2_DIALECT_FREEBSD, REQ);

	mk(&b, PFKV2_DIALECT_LINUX, PFKV2_MSG_DUMP, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_sec_ctx(&b, &(struct pfkv2_sec_ctx){ 1, 1,
	    3, "abc" }), 0);
	assert_int_equal(pfkv2_put_filter(&b, &(struct pfkv2_filter){
	    .src = addr4(0).addr, .dst = addr4(0).addr, .splen = 8 }), 0);
	n = fin(&b);
	ok(n, PFKV2_DIALECT_LINUX, PFKV2_V_STRICT);
	st16(buf + 16 + 6, 9);
	bad(n, PFKV2_DIALECT_LINUX, 0, PFKV2_E_CTX_LEN, 16 + 6,
	    PFKV2_EXT_SEC_CTX);
	st16(buf + 16 + 6, 3);
	buf[32 + 38] = 200;			/* 2018: filter prefix check */
	bad(n, PFKV2_DIALECT_LINUX, PFKV2_V_MESSAGE, PFKV2_E_FILTER, 32 + 38,
	    PFKV2_EXT_FILTER);

	/* illumos UPDATE: SA 16, SRC 32, DST 56, KMC 80, PAIR 96, RV 104. */
	mk(&b, PFKV2_DIALECT_ILLUMOS, PFKV2_MSG_UPDATE, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_sa(&b, &(struct pfkv2_sa){ .spi = 1,
	    .state = PFKV2_SASTATE_MATURE }), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC,
	    &(struct pfkv2_address){ .addr = addr4(1).addr }), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST,
	    &(struct pfkv2_address){ .addr = addr4(2).addr }), 0);
	assert_int_equal(pfkv2_put_kmc(&b, &(struct pfkv2_kmc){
	    PFKV2_KMP_IKE, 7 }), 0);
	assert_int_equal(pfkv2_put_pair(&b, 5), 0);
	assert_int_equal(pfkv2_put_replay_value(&b,
	    &(struct pfkv2_replay_value){ 0, 9 }), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_ILLUMOS, REQ, PFKV2_E_REPLAY, 104 + 4,
	    PFKV2_EXT_REPLAY_VALUE);
	st32(buf + 104 + 4, 1);
	ok(n, PFKV2_DIALECT_ILLUMOS, STRICT);
	st32(buf + 80 + 12, 1);			/* IKEv1 upper half */
	bad(n, PFKV2_DIALECT_ILLUMOS, STRICT, PFKV2_E_KMC, 80 + 12,
	    PFKV2_EXT_KMC);
	st32(buf + 80 + 12, 0);
	st32(buf + 80 + 4, 9);
	bad(n, PFKV2_DIALECT_ILLUMOS, REQ, PFKV2_E_KMC, 80 + 4,
	    PFKV2_EXT_KMC);
	st32(buf + 80 + 4, 1);
	st32(buf + 96 + 4, 0);
	bad(n, PFKV2_DIALECT_ILLUMOS, REQ, PFKV2_E_PAIR, 96 + 4,
	    PFKV2_EXT_PAIR);

	mk(&b, PFKV2_DIALECT_ILLUMOS, PFKV2_MSG_REGISTER, PFKV2_SATYPE_UNSPEC);
	assert_int_equal(pfkv2_put_ext_raw(&b, 17, "\002\003\004\005", 4), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_ILLUMOS, 0, PFKV2_E_EREG, 16 + 4,
	    PFKV2_EXT_EREG);
	mk(&b, PFKV2_DIALECT_ILLUMOS, PFKV2_MSG_ACQUIRE, PFKV2_SATYPE_UNSPEC);
	assert_int_equal(pfkv2_put_eprop(&b, 0, NULL, 0), 0);
	n = fin(&b);
	st16(buf + 16 + 6, 1);			/* one ecomb that is not there */
	bad(n, PFKV2_DIALECT_ILLUMOS, 0, PFKV2_E_EPROP, 16 + 6,
	    PFKV2_EXT_EPROP);
}

/* D15, D16: lifetimes in ADD. */
static void
test_lifetimes(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_sa sa = { .spi = 9, .state = PFKV2_SASTATE_MATURE,
	    .auth = PFKV2_AALG_SHA1HMAC, .encrypt = PFKV2_EALG_3DESCBC };
	struct pfkv2_address s = addr4(1), t = addr4(2);
	struct pfkv2_lifetime h = { 0, 0, 100, 0 }, so = { 0, 0, 200, 0 };
	int d;
	size_t n;

	(void)state;
	for (d = PFKV2_DIALECT_LINUX; d <= PFKV2_DIALECT_ILLUMOS; d++) {
		mk(&b, d, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP);
		assert_int_equal(pfkv2_put_sa(&b, &sa), 0);
		assert_int_equal(pfkv2_put_lifetime(&b,
		    PFKV2_EXT_LIFETIME_HARD, &h), 0);
		assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC,
		    &s), 0);
		assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST,
		    &t), 0);
		assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT,
		    &(struct pfkv2_key){ ekey, 128, 0 }), 0);
		n = fin(&b);
		if (d == PFKV2_DIALECT_ILLUMOS)
			ok(n, d, REQ);
		else
			bad(n, d, REQ, PFKV2_E_LIFETIME_PAIR, 32,
			    PFKV2_EXT_LIFETIME_HARD);
	}
	mk(&b, PFKV2_DIALECT_ILLUMOS, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP);
	assert_int_equal(pfkv2_put_sa(&b, &sa), 0);
	assert_int_equal(pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_HARD, &h),
	    0);
	assert_int_equal(pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_SOFT, &so),
	    0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &s), 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &t), 0);
	assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT,
	    &(struct pfkv2_key){ ekey, 128, 0 }), 0);
	n = fin(&b);
	bad(n, PFKV2_DIALECT_ILLUMOS, REQ, PFKV2_E_LIFETIME_ORDER, 64,
	    PFKV2_EXT_LIFETIME_SOFT);
	ok(n, PFKV2_DIALECT_LINUX, REQ);
}

/* Every code has a name and a text; a diag formats with its offset. */
static void
test_strings(void **state)
{
	struct pfkv2_diag d;
	char line[256];
	int c, named = 0;

	(void)state;
	for (c = 0; c < PFKV2_E_MAX; c++) {
		if (pfkv2_code_name(c) == NULL)
			continue;
		named++;
		assert_non_null(pfkv2_strerror(c));
		assert_true(strncmp(pfkv2_code_name(c), "PFKV2_", 6) == 0);
	}
	assert_true(named > 60);
	assert_string_equal(pfkv2_strerror(12345), "unknown diagnostic code");
	mk_add(PFKV2_DIALECT_LINUX, PFKV2_SATYPE_ESP);
	st16(buf + O_DST + 8, 77);
	assert_int_equal(pfkv2_parse(buf, ADD_LEN, PFKV2_DIALECT_LINUX, 0,
	    &(struct pfkv2_view){ 0 }, &d), -1);
	pfkv2_diag_format(&d, line, sizeof(line));
	assert_string_equal(line, "offset 64, extension ADDRESS_DST (6): "
	    "unknown address family");
	assert_int_equal(pfkv2_parse(NULL, 1, PFKV2_DIALECT_LINUX, 0,
	    &(struct pfkv2_view){ 0 }, &d), -1);
	assert_int_equal(errno, EINVAL);
}

/*
 * pfkv2_parse() accepts in one pass and otherwise runs the ordered checks
 * (lib/pass.h): whatever the message, it must give what parse_ordered()
 * gives alone, the view and the diagnostic included.  A fixture-driven
 * mutation sweep; the fuzz harness does the same on any input.
 */
static void
same_as_ordered(const uint8_t *m, size_t len, enum pfkv2_dialect d,
    unsigned flags)
{
	struct pfkv2_view v, v2;
	struct pfkv2_diag dg, dg2;
	int rc;

	memset(&v, 0x5a, sizeof(v));
	memset(&v2, 0x5a, sizeof(v2));
	memset(&dg, 0x5a, sizeof(dg));
	memset(&dg2, 0x5a, sizeof(dg2));
	rc = pfkv2_parse(m, len, d, flags, &v, &dg);
	assert_int_equal(parse_ordered(m, len, pfkv2_dl_get(d), flags, &v2,
	    &dg2), rc);
	assert_memory_equal(&v, &v2, sizeof(v));
	assert_memory_equal(&dg, &dg2, sizeof(dg));
}

/*
 * Fuzz finding (regress-ext-type-zero-view): an extension of type 0,
 * which Linux names RESERVED, made the one pass fill the view's slot for
 * it before refusing; the ordered walk refuses it first.
 */
static void
test_ext_type_zero_view(void **state)
{
	static const uint8_t m[24] = {
		0x02, 0x0a, 0x03, 0x77, 0x03, 0x00, 0x03, 0x40,
		0x00, 0x00, 0x66, 0x00, 0x00, 0x40, 0x00, 0x00,
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1b,
	};
	unsigned d;

	(void)state;
	for (d = 0; d < PFKV2_DIALECT_COUNT; d++) {
		same_as_ordered(m, sizeof(m), d, 0);
		same_as_ordered(m, sizeof(m), d, REQ);
		same_as_ordered(m, sizeof(m), d, STRICT);
	}
}

static void
test_one_pass_as_ordered(void **state)
{
	static const char *const files[] = {
		"corpus/add_esp_v4.bin", "corpus/add_esp_v6.bin",
		"corpus/getspi_v4.bin", "corpus/register_reply.bin",
		"corpus/acquire_v4.bin", "corpus/spdadd_v4.bin",
		"corpus/dump_reply_v4.bin",
	};
	static const unsigned flagsets[] = {
		0, PFKV2_V_STRICT, REQ, STRICT, REP, REP | PFKV2_V_STRICT,
		PFKV2_V_MESSAGE, PFKV2_V_DIALECT | PFKV2_V_REPLY,
	};
	static const uint8_t vals[] = { 0x00, 0x01, 0x02, 0x80, 0xff };
	uint8_t m[1024];
	size_t f, len, off, k, fl;
	unsigned d;
	uint8_t keep;

	(void)state;
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		len = tu_load(files[f], m, sizeof(m));
		for (off = 0; off <= len; off++) {
			keep = off < len ? m[off] : 0;
			for (k = 0; k < sizeof(vals); k++) {
				if (off < len)
					m[off] = vals[k];
				for (d = 0; d < PFKV2_DIALECT_COUNT; d++)
					for (fl = 0; fl < sizeof(flagsets) /
					    sizeof(flagsets[0]); fl++)
						same_as_ordered(m, len, d,
						    flagsets[fl]);
				if (off == len)
					break;
			}
			if (off < len)
				m[off] = keep;
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_lengths),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_unknown_ext),
		cmocka_unit_test(test_ext_sets),
		cmocka_unit_test(test_sa_fields),
		cmocka_unit_test(test_address_fields),
		cmocka_unit_test(test_key_fields),
		cmocka_unit_test(test_ident_sens_fields),
		cmocka_unit_test(test_prop_supp_fields),
		cmocka_unit_test(test_spirange),
		cmocka_unit_test(test_policy_fields),
		cmocka_unit_test(test_small_extensions),
		cmocka_unit_test(test_lifetimes),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_ext_type_zero_view),
		cmocka_unit_test(test_one_pass_as_ordered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
