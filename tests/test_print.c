/*
 * Printer tests: every fixture prints as text and as well-formed JSON,
 * pfkv2_snprint() keeps snprintf's promises, keys stay hidden unless
 * asked for, a failing writer stops the printer, and every kind of
 * extension of every dialect shows up in the output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <pfkv2/pfkv2.h>
#include <pfkv2/print.h>
#include <pfkv2/print_stdio.h>

#include "testutil.h"

#define OUT_MAX	16384

static const struct {
	const char *file;
	bool hex;
} fixtures[] = {
	{ "corpus/acquire_v4.bin", false },
	{ "corpus/add_esp_v4.bin", false },
	{ "corpus/add_esp_v6.bin", false },
	{ "corpus/dump_reply_v4.bin", false },
	{ "corpus/getspi_v4.bin", false },
	{ "corpus/register_reply.bin", false },
	{ "corpus/spdadd_v4.bin", false },
	{ "linux-vectors/sadb_add_eexist_reply.hex", true },
	{ "linux-vectors/sadb_add_sha1_reply.hex", true },
	{ "linux-vectors/sadb_add_sha1_request.hex", true },
	{ "linux-vectors/sadb_add_sha256_reply.hex", true },
	{ "linux-vectors/sadb_add_sha256_request.hex", true },
	{ "linux-vectors/sadb_dump_reply_1.hex", true },
	{ "linux-vectors/sadb_dump_reply_2.hex", true },
	{ "linux-vectors/sadb_register_reply.hex", true },
	{ "linux-vectors/sadb_register_request.hex", true },
	{ "linux-vectors/sadb_x_spdadd_reply.hex", true },
	{ "linux-vectors/sadb_x_spdadd_request.hex", true },
	{ "linux-vectors/sadb_x_spddump_reply_1.hex", true },
};
#define NFIXTURES	(sizeof(fixtures) / sizeof(fixtures[0]))

/* --- a small JSON syntax checker ------------------------------------------ */

static bool j_value(const char **p, int depth);

static void
j_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static bool
j_string(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	int i;

	if (*s++ != '"')
		return false;
	for (;;) {
		if (*s == '"') {
			*p = (const char *)s + 1;
			return true;
		}
		if (*s < 0x20)		/* control character, or the end */
			return false;
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				for (i = 1; i <= 4; i++)
					if (strchr("0123456789abcdefABCDEF",
					    s[i]) == NULL || s[i] == '\0')
						return false;
				s += 4;
			} else if (*s == '\0' || strchr("\"\\/bfnrt", *s) ==
			    NULL)
				return false;
		}
		s++;
	}
}

static bool
j_digits(const char **p)
{
	const char *s = *p;

	while (**p >= '0' && **p <= '9')
		(*p)++;
	return *p != s;
}

static bool
j_number(const char **p)
{
	if (**p == '-')
		(*p)++;
	if (**p == '0')
		(*p)++;
	else if (!j_digits(p))
		return false;
	if (**p == '.') {
		(*p)++;
		if (!j_digits(p))
			return false;
	}
	if (**p == 'e' || **p == 'E') {
		(*p)++;
		if (**p == '+' || **p == '-')
			(*p)++;
		if (!j_digits(p))
			return false;
	}
	return true;
}

static bool
j_literal(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

/* Members of an object (close '}') or elements of an array (close ']'). */
static bool
j_items(const char **p, int depth, char close)
{
	j_ws(p);
	if (**p == close) {
		(*p)++;
		return true;
	}
	for (;;) {
		j_ws(p);
		if (close == '}') {
			if (!j_string(p))
				return false;
			j_ws(p);
			if (*(*p)++ != ':')
				return false;
		}
		if (!j_value(p, depth + 1))
			return false;
		j_ws(p);
		if (**p == ',') {
			(*p)++;
			continue;
		}
		if (**p != close)
			return false;
		(*p)++;
		return true;
	}
}

static bool
j_value(const char **p, int depth)
{
	if (depth > 64)
		return false;
	j_ws(p);
	switch (**p) {
	case '{':
		(*p)++;
		return j_items(p, depth, '}');
	case '[':
		(*p)++;
		return j_items(p, depth, ']');
	case '"':
		return j_string(p);
	case 't':
		return j_literal(p, "true");
	case 'f':
		return j_literal(p, "false");
	case 'n':
		return j_literal(p, "null");
	default:
		return j_number(p);
	}
}

/* One JSON value, then only white space. */
static bool
json_ok(const char *s)
{
	const char *p = s;

	if (!j_value(&p, 0))
		return false;
	j_ws(&p);
	return *p == '\0';
}

/* --- helpers -------------------------------------------------------------- */

static size_t
load(size_t i, uint8_t *buf, size_t size)
{
	return fixtures[i].hex ? tu_load_hex(fixtures[i].file, buf, size) :
	    tu_load(fixtures[i].file, buf, size);
}

/* Print v into out (which must be big enough) and return the length. */
static size_t
print_to(const struct pfkv2_view *v, unsigned flags, char *out)
{
	int n = pfkv2_snprint(out, OUT_MAX, v, flags);

	assert_true(n > 0);
	assert_true(n < OUT_MAX);
	assert_int_equal(strlen(out), (size_t)n);
	return (size_t)n;
}

static void
expect(const char *out, const char *what)
{
	if (strstr(out, what) == NULL) {
		fprintf(stderr, "missing \"%s\" in:\n%s\n", what, out);
		fail();
	}
}

static void
hexstr(const void *data, size_t n, char *out)
{
	const uint8_t *d = data;
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
	out[2 * n] = '\0';
}

/* --- the tests ------------------------------------------------------------ */

static void
test_json_checker(void **state)
{
	(void)state;
	assert_true(json_ok("{\"a\":[1,-2.5e3,\"x\\n\\u00e9\",true,null],"
	    "\"b\":{}}\n"));
	assert_false(json_ok("{\"a\":1,}"));
	assert_false(json_ok("{\"a\":[1}"));
	assert_false(json_ok("{\"a\":\"\x01\"}"));
	assert_false(json_ok("{\"a\":\"\\q\"}"));
	assert_false(json_ok("{\"a\":01}"));
	assert_false(json_ok("{} {}"));
}

static void
test_fixtures(void **state)
{
	static uint8_t msg[65536];
	static char out[OUT_MAX];
	struct pfkv2_view v;
	size_t i, len;

	(void)state;
	for (i = 0; i < NFIXTURES; i++) {
		len = load(i, msg, sizeof(msg));
		assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0,
		    &v, NULL), 0);

		print_to(&v, 0, out);
		assert_memory_equal(out, "SADB_", 5);
		expect(out, "(linux)");
		assert_int_equal(out[strlen(out) - 1], '\n');

		print_to(&v, PFKV2_PRINT_KEYS, out);

		print_to(&v, PFKV2_PRINT_JSON, out);
		if (!json_ok(out)) {
			fprintf(stderr, "%s: bad JSON:\n%s\n", fixtures[i].file,
			    out);
			fail();
		}
		expect(out, "\"dialect\":\"linux\"");
		print_to(&v, PFKV2_PRINT_JSON | PFKV2_PRINT_KEYS, out);
		assert_true(json_ok(out));
	}
}

static void
test_header_details(void **state)
{
	uint8_t msg[512];
	char out[OUT_MAX];
	struct pfkv2_view v;
	size_t len;

	(void)state;
	len = tu_load_hex("linux-vectors/sadb_add_eexist_reply.hex", msg,
	    sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);
	print_to(&v, 0, out);
	assert_string_equal(out, "SADB_ADD (linux) satype esp len 16 seq 2 "
	    "pid 121 errno 17 (EEXIST)\n");
	print_to(&v, PFKV2_PRINT_JSON, out);
	expect(out, "\"type\":\"ADD\",\"satype\":\"esp\"");
	expect(out, "\"errno\":17,\"errno_name\":\"EEXIST\"");
	expect(out, "\"extensions\":[]");

	/* Linux puts the policy's refcount in the reserved word. */
	len = tu_load_hex("linux-vectors/sadb_x_spdadd_reply.hex", msg,
	    sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);
	print_to(&v, 0, out);
	expect(out, "SADB_X_SPDADD (linux) satype unspec len 192 seq 5");
	expect(out, " reserved 3\n");
	expect(out, "  X_POLICY: type ipsec dir out id 1 priority 0\n"
	    "    request: esp/transport//require reqid 0\n");
}

static void
test_corpus_content(void **state)
{
	uint8_t msg[1024];
	char out[OUT_MAX];
	struct pfkv2_view v;
	size_t len;

	(void)state;
	len = tu_load("corpus/spdadd_v4.bin", msg, sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);
	print_to(&v, 0, out);
	expect(out, "request: esp/tunnel/192.0.2.1-198.51.100.7/require");
	expect(out, "request: ah/tunnel/203.0.113.1-203.0.113.9/unique");
	expect(out, "  ADDRESS_SRC: 10.1.0.0/16 proto any\n");

	len = tu_load("corpus/acquire_v4.bin", msg, sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);
	print_to(&v, 0, out);
	expect(out, "PROPOSAL: replay 32, 6 combinations\n");
	expect(out, "comb 1: auth hmac-sha1 160-160 encrypt aes-cbc 128-256");

	len = tu_load("corpus/getspi_v4.bin", msg, sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);
	print_to(&v, 0, out);
	expect(out, "  SPIRANGE: min 0x00000100 max 0x0fffffff\n");

	len = tu_load("corpus/add_esp_v6.bin", msg, sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);
	print_to(&v, 0, out);
	expect(out, "ADDRESS_SRC: 2001:db8::1/128 proto any\n");
	expect(out, "X_SA2: mode tunnel");
	print_to(&v, PFKV2_PRINT_JSON, out);
	expect(out, "\"family\":\"inet6\",\"addr\":\"2001:db8::1\"");
}

static void
test_snprint_truncation(void **state)
{
	uint8_t msg[1024];
	char full[OUT_MAX], buf[OUT_MAX + 16];
	struct pfkv2_view v;
	size_t len, size, flags;
	int n;

	(void)state;
	len = tu_load("corpus/acquire_v4.bin", msg, sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);
	for (flags = 0; flags <= PFKV2_PRINT_JSON; flags += PFKV2_PRINT_JSON) {
		n = pfkv2_snprint(NULL, 0, &v, (unsigned)flags);
		assert_true(n > 300);	/* longer than the internal buffer */
		assert_int_equal(print_to(&v, (unsigned)flags, full),
		    (size_t)n);
		for (size = 0; size <= (size_t)n + 2; size++) {
			memset(buf, 0x5a, sizeof(buf));
			assert_int_equal(pfkv2_snprint(size == 0 ? NULL : buf,
			    size, &v, (unsigned)flags), n);
			if (size > 0) {
				len = size - 1 < (size_t)n ? size - 1 :
				    (size_t)n;
				assert_memory_equal(buf, full, len);
				assert_int_equal(buf[len], '\0');
			}
			/* Nothing written past size. */
			assert_int_equal(buf[size], 0x5a);
			assert_int_equal(buf[size + 15], 0x5a);
		}
	}
	/* size 0 with a buffer: nothing written at all. */
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(pfkv2_snprint(buf, 0, &v, 0), n = pfkv2_snprint(NULL,
	    0, &v, 0));
	assert_int_equal(buf[0], 0x5a);
}

static void
test_keys_hidden(void **state)
{
	uint8_t msg[1024];
	char out[OUT_MAX], ahex[256], ehex[256];
	struct pfkv2_view v;
	struct pfkv2_key ka, ke;
	size_t len;

	(void)state;
	len = tu_load("corpus/add_esp_v4.bin", msg, sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);
	assert_int_equal(pfkv2_get_key(&v, PFKV2_EXT_KEY_AUTH, &ka), 0);
	assert_int_equal(pfkv2_get_key(&v, PFKV2_EXT_KEY_ENCRYPT, &ke), 0);
	hexstr(ka.data, ka.bits / 8u, ahex);
	hexstr(ke.data, ke.bits / 8u, ehex);

	print_to(&v, 0, out);
	assert_null(strstr(out, ahex));
	assert_null(strstr(out, ehex));
	expect(out, "KEY_AUTH: 160 bits [hidden]\n");
	expect(out, "KEY_ENCRYPT: 128 bits [hidden]\n");
	print_to(&v, PFKV2_PRINT_JSON, out);
	assert_null(strstr(out, ahex));
	assert_null(strstr(out, ehex));
	expect(out, "\"type\":\"KEY_AUTH\",\"bits\":160,\"reserved\":0,"
	    "\"key\":\"hidden\"");

	print_to(&v, PFKV2_PRINT_KEYS, out);
	expect(out, ahex);
	expect(out, ehex);
	assert_null(strstr(out, "hidden"));
	print_to(&v, PFKV2_PRINT_JSON | PFKV2_PRINT_KEYS, out);
	expect(out, ahex);
	expect(out, ehex);
	assert_null(strstr(out, "hidden"));
}

struct failer {
	int calls;		/* writes seen */
	int fail_at;		/* the write that fails */
	size_t bytes;
};

static int
fail_write(void *arg, const char *s, size_t n)
{
	struct failer *f = arg;

	(void)s;
	assert_true(n > 0);
	if (++f->calls == f->fail_at) {
		errno = ENOSPC;
		return -1;
	}
	assert_true(f->calls < f->fail_at);	/* never called again */
	f->bytes += n;
	return 0;
}

static void
test_writer_stops(void **state)
{
	uint8_t msg[1024];
	struct pfkv2_view v;
	struct failer f;
	size_t len;
	int total, k;

	(void)state;
	len = tu_load("corpus/acquire_v4.bin", msg, sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);

	/* A writer that never fails sees every byte. */
	memset(&f, 0, sizeof(f));
	f.fail_at = 1000000;
	assert_int_equal(pfkv2_print(&v, 0, fail_write, &f), 0);
	total = f.calls;
	assert_true(total > 1);
	assert_int_equal(f.bytes, (size_t)pfkv2_snprint(NULL, 0, &v, 0));

	for (k = 1; k <= total; k++) {
		memset(&f, 0, sizeof(f));
		f.fail_at = k;
		errno = 0;
		assert_int_equal(pfkv2_print(&v, PFKV2_PRINT_JSON * (k & 1u),
		    fail_write, &f), -1);
		assert_int_equal(errno, ENOSPC);
		assert_int_equal(f.calls, k);
	}
}

static void
test_bad_args(void **state)
{
	uint8_t msg[1024];
	char buf[64];
	struct pfkv2_view v, zero;
	struct failer f;
	size_t len;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.fail_at = 1000000;
	memset(&zero, 0, sizeof(zero));
	len = tu_load("corpus/getspi_v4.bin", msg, sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);

	errno = 0;
	assert_int_equal(pfkv2_print(NULL, 0, fail_write, &f), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_print(&v, 0, NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_print(&v, 0x80, fail_write, &f), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_print(&zero, 0, fail_write, &f), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_snprint(NULL, 10, &v, 0), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_snprint(buf, sizeof(buf), NULL, 0), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_fprint(NULL, &v, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(f.calls, 0);
}

static void
test_fprint(void **state)
{
	uint8_t msg[1024];
	char want[OUT_MAX], got[OUT_MAX];
	struct pfkv2_view v;
	size_t len, n;
	FILE *f;

	(void)state;
	len = tu_load("corpus/register_reply.bin", msg, sizeof(msg));
	assert_int_equal(pfkv2_parse(msg, len, PFKV2_DIALECT_LINUX, 0, &v,
	    NULL), 0);
	n = print_to(&v, PFKV2_PRINT_JSON, want);
	assert_non_null(f = tmpfile());
	assert_int_equal(pfkv2_fprint(f, &v, PFKV2_PRINT_JSON), 0);
	rewind(f);
	assert_int_equal(fread(got, 1, sizeof(got), f), n);
	assert_memory_equal(got, want, n);
	fclose(f);
}

/* --- every kind of extension, built for each dialect ---------------------- */

static struct pfkv2_addr
addr(const char *text, uint16_t port)
{
	struct pfkv2_addr a;

	assert_int_equal(pfkv2_addr_parse(&a, text, port), 0);
	return a;
}

static struct pfkv2_address
address(const char *text, uint16_t port, uint8_t prefixlen, uint8_t proto)
{
	struct pfkv2_address a;

	memset(&a, 0, sizeof(a));
	a.addr = addr(text, port);
	a.prefixlen = prefixlen;
	a.proto = proto;
	return a;
}

/* Parse a built message (structure only) and print it both ways. */
static void
print_built(const uint8_t *msg, long len, enum pfkv2_dialect d,
    unsigned flags, char *text, char *json)
{
	struct pfkv2_view v;
	struct pfkv2_diag diag;

	assert_true(len > 0);
	if (pfkv2_parse(msg, (size_t)len, d, 0, &v, &diag) != 0) {
		pfkv2_diag_format(&diag, text, OUT_MAX);
		fprintf(stderr, "parse: %s\n", text);
		fail();
	}
	print_to(&v, flags, text);
	print_to(&v, flags | PFKV2_PRINT_JSON, json);
	if (!json_ok(json)) {
		fprintf(stderr, "bad JSON:\n%s\n", json);
		fail();
	}
}

static void
test_illumos_exts(void **state)
{
	static const struct pfkv2_algdesc algs1[] = {
		{ PFKV2_SATYPE_ESP, 1, PFKV2_AALG_SHA1HMAC, 0, 160, 160 },
		{ PFKV2_SATYPE_ESP, 2, PFKV2_EALG_AESCBC, 0, 128, 256 },
	};
	static const struct pfkv2_algdesc algs2[] = {
		{ PFKV2_SATYPE_ESP, 2, PFKV2_EALG_AES_GCM_ICV16, 32, 128, 256 },
	};
	static const uint16_t satypes[] = { PFKV2_SATYPE_ESP, PFKV2_SATYPE_AH };
	static const uint64_t sbits[] = { 0xff }, ibits[] = { 0x1, 0x2 };
	static const char pw[] = "pa\"ss\\w\x01rd";
	static const uint8_t akey[16] = { 0xde, 0xad, 0xbe, 0xef };
	struct pfkv2_ecomb ec[2];
	struct pfkv2_builder b;
	struct pfkv2_sa sa;
	struct pfkv2_kmc kmc = { PFKV2_KMP_IKEV2, 0x0102030405060708u };
	struct pfkv2_replay_value rv = { 1000, 0x100000000u };
	struct pfkv2_lifetime idle = { 1, 2, 3, 4 };
	struct pfkv2_sens sens;
	struct pfkv2_ident id;
	struct pfkv2_alg alg = { PFKV2_AALG_SHA2_256HMAC, 0, 256, 512, 8, 0 };
	struct pfkv2_key key = { akey, 128, 64 };
	struct pfkv2_address a;
	uint8_t msg[4096];
	char text[OUT_MAX], json[OUT_MAX];

	(void)state;
	assert_int_equal(pfkv2_builder_init(&b, msg, sizeof(msg),
	    PFKV2_DIALECT_ILLUMOS), 0);
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP,
	    77, 1234), 0);
	assert_int_equal(pfkv2_set_msg_errno(&b, 3, 78), 0);
	memset(&sa, 0, sizeof(sa));
	sa.spi = 0x12345678;
	sa.replay = 64;
	sa.state = PFKV2_SASTATE_MATURE;
	sa.auth = PFKV2_AALG_SHA2_256HMAC;
	sa.encrypt = PFKV2_EALG_AES_GCM_ICV16;
	sa.flags = PFKV2_SAFLAG(PFKV2_SAFLAG_NATTED) |
	    PFKV2_SAFLAG(PFKV2_SAFLAG_PAIRED);
	assert_int_equal(pfkv2_put_sa(&b, &sa), 0);
	assert_int_equal(pfkv2_put_kmc(&b, &kmc), 0);
	memset(ec, 0, sizeof(ec));
	ec[0].flags = 1;
	ec[0].soft_addtime = 100;
	ec[0].hard_addtime = 200;
	ec[0].numalgs = 2;
	ec[0].algs = algs1;
	ec[1].numalgs = 1;
	ec[1].algs = algs2;
	assert_int_equal(pfkv2_put_eprop(&b, 32, ec, 2), 0);
	assert_int_equal(pfkv2_put_pair(&b, 0x87654321u), 0);
	assert_int_equal(pfkv2_put_replay_value(&b, &rv), 0);
	assert_int_equal(pfkv2_put_edump(&b, 3600), 0);
	assert_int_equal(pfkv2_put_str_auth(&b, pw, strlen(pw)), 0);
	assert_int_equal(pfkv2_put_ereg(&b, satypes, 2), 0);
	a = address("10.0.0.1", 4500, 32, 17);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_NATT_LOC, &a),
	    0);
	a = address("198.51.100.9", 4501, 32, 17);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_NATT_REM, &a),
	    0);
	a = address("2001:db8::", 0, 32, 255);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_INNER_DST,
	    &a), 0);
	a = address("172.16.0.0", 0, 12, 6);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_INNER_SRC,
	    &a), 0);
	assert_int_equal(pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_IDLE,
	    &idle), 0);
	memset(&sens, 0, sizeof(sens));
	sens.dpd = 1;
	sens.sens_level = 2;
	sens.sens_len = 1;
	sens.sens_bitmap = sbits;
	sens.integ_level = 3;
	sens.integ_len = 2;
	sens.integ_bitmap = ibits;
	sens.flags = 4;
	assert_int_equal(pfkv2_put_sens(&b, PFKV2_EXT_OUTER_SENS, &sens), 0);
	sens.integ_len = 0;
	sens.flags = 0;
	assert_int_equal(pfkv2_put_sens(&b, PFKV2_EXT_SENSITIVITY, &sens), 0);
	memset(&id, 0, sizeof(id));
	id.type = PFKV2_IDENTTYPE_FQDN;
	id.str = "host.example";
	id.len = strlen(id.str);
	assert_int_equal(pfkv2_put_ident(&b, PFKV2_EXT_IDENTITY_SRC, &id), 0);
	id.type = PFKV2_IDENTTYPE_KEY_ID;
	id.id = 42;
	id.str = NULL;
	id.len = 0;
	assert_int_equal(pfkv2_put_ident(&b, PFKV2_EXT_IDENTITY_DST, &id), 0);
	assert_int_equal(pfkv2_put_supported(&b, PFKV2_EXT_SUPPORTED_AUTH,
	    &alg, 1), 0);
	assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &key), 0);
	print_built(msg, pfkv2_builder_finish(&b), PFKV2_DIALECT_ILLUMOS, 0,
	    text, json);

	expect(text, "SADB_ADD (illumos) satype esp len ");
	expect(text, " errno 3 (ESRCH) diagnostic SA_NOTFOUND (78)\n");
	expect(text, "  SA: spi 0x12345678 replay 64 state mature auth "
	    "hmac-sha256 encrypt aes-gcm-16 flags 0x");
	expect(text, " (natted,paired)\n");
	expect(text, "  X_KM_COOKIE: proto ikev2 cookie 0x102030405060708\n");
	expect(text, "  X_EPROP: replay 32, 2 extended combinations\n");
	expect(text, "    ecomb 1: flags 0x1 soft/hard allocations 0/0 bytes "
	    "0/0 addtime 100/200 usetime 0/0, 2 algorithms\n");
	expect(text, "      esp auth hmac-sha1 bits 160-160 saltbits 0\n");
	expect(text, "      esp encrypt aes-gcm-16 bits 128-256 saltbits 32\n");
	expect(text, "  X_PAIR: spi 0x87654321\n");
	expect(text, "  X_REPLAY_VALUE: replay32 1000 replay64 4294967296\n");
	expect(text, "  X_EDUMP: timeout 3600\n");
	expect(text, "  X_STR_AUTH: 10 bytes [hidden]\n");
	expect(text, "  X_EREG: 2 satypes esp ah\n");
	expect(text, "  X_ADDRESS_NATT_LOC: 10.0.0.1/32 port 4500 proto udp\n");
	expect(text, "  X_ADDRESS_NATT_REM: 198.51.100.9/32 port 4501");
	expect(text, "  X_ADDRESS_INNER_DST: 2001:db8::/32 proto any\n");
	expect(text, "  X_ADDRESS_INNER_SRC: 172.16.0.0/12 proto tcp\n");
	expect(text, "  X_LIFETIME_IDLE: allocations 1 bytes 2 addtime 3 "
	    "usetime 4\n");
	expect(text, "  X_OUTER_SENS: dpd 1 sens_level 2 sens_len 1 "
	    "integ_level 3 integ_len 2 flags 0x4\n"
	    "    sensitivity bitmap: 00000000000000ff\n"
	    "    integrity bitmap: 0000000000000001 0000000000000002\n");
	expect(text, "  SENSITIVITY: dpd 1 ");
	expect(text, "  IDENTITY_SRC: type fqdn id 0 \"host.example\"\n");
	expect(text, "  IDENTITY_DST: type key-id id 42\n");
	expect(text, "  SUPPORTED_AUTH: 1 algorithm\n"
	    "    hmac-sha256 ivlen 0 bits 256-512 increment 8 saltbits 0\n");
	expect(text, "  KEY_AUTH: 128 bits [hidden] reserved 64\n");
	assert_null(strstr(text, "deadbeef"));
	assert_null(strstr(text, "pa\\\"ss"));

	expect(json, "\"dialect\":\"illumos\"");
	expect(json, "\"errno\":3,\"errno_name\":\"ESRCH\",\"reserved\":78,"
	    "\"diagnostic\":\"SA_NOTFOUND\"");
	expect(json, "\"flag_names\":[\"natted\",\"paired\"]");
	expect(json, "{\"type\":\"KMC\",\"proto\":\"ikev2\","
	    "\"cookie\":72623859790382856}");
	expect(json, "\"algs\":[{\"satype\":\"esp\",\"algtype\":\"auth\","
	    "\"alg\":\"hmac-sha1\",\"saltbits\":0,\"minbits\":160,"
	    "\"maxbits\":160}");
	expect(json, "{\"type\":\"PAIR\",\"spi\":2271560481}");
	expect(json, "{\"type\":\"REPLAY_VALUE\",\"replay32\":1000,"
	    "\"replay64\":4294967296}");
	expect(json, "{\"type\":\"EDUMP\",\"timeout\":3600}");
	expect(json, "{\"type\":\"STR_AUTH\",\"len\":10,"
	    "\"password\":\"hidden\"}");
	expect(json, "{\"type\":\"EREG\",\"satypes\":[\"esp\",\"ah\"]}");
	expect(json, "\"integ_bitmap\":[\"0000000000000001\","
	    "\"0000000000000002\"]");
	expect(json, "{\"type\":\"IDENTITY_DST\",\"ident_type\":\"key-id\","
	    "\"id\":42,\"string\":null}");
	expect(json, "\"increment\":8");

	/* With keys: the password, escaped, and the key bytes. */
	print_built(msg, pfkv2_builder_finish(&b), PFKV2_DIALECT_ILLUMOS,
	    PFKV2_PRINT_KEYS, text, json);
	expect(text, "  X_STR_AUTH: 10 bytes \"pa\\\"ss\\\\w\\x01rd\"\n");
	expect(text, "  KEY_AUTH: 128 bits 0xdeadbeef000000000000000000000000 "
	    "reserved 64\n");
	expect(json, "\"password\":\"pa\\\"ss\\\\w\\u0001rd\"");
	expect(json, "\"key\":\"deadbeef000000000000000000000000\"");
}

static void
test_freebsd_exts(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_sa sa;
	struct pfkv2_sa2 sa2 = { PFKV2_MODE_TUNNEL, 9, 7 };
	struct pfkv2_lifetime sw = { 5, 6, 7, 8 }, hw = { 9, 10, 11, 12 };
	struct pfkv2_if_hw_offl ifh;
	struct pfkv2_policy pol;
	struct pfkv2_ipsecrequest req;
	struct pfkv2_address a;
	uint8_t msg[4096];
	char text[OUT_MAX], json[OUT_MAX];

	(void)state;
	assert_int_equal(pfkv2_builder_init(&b, msg, sizeof(msg),
	    PFKV2_DIALECT_FREEBSD), 0);
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_UPDATE, PFKV2_SATYPE_ESP,
	    5, 99), 0);
	memset(&sa, 0, sizeof(sa));
	sa.spi = 0xc0ffee;
	sa.replay = 4;
	sa.state = PFKV2_SASTATE_MATURE;
	sa.auth = PFKV2_AALG_SHA2_512HMAC;
	sa.encrypt = PFKV2_EALG_AESCTR;
	sa.flags = PFKV2_SAFLAG(PFKV2_SAFLAG_ESN);
	assert_int_equal(pfkv2_put_sa(&b, &sa), 0);
	assert_int_equal(pfkv2_put_sa2(&b, &sa2), 0);
	assert_int_equal(pfkv2_put_nat_t_type(&b, 2), 0);
	assert_int_equal(pfkv2_put_nat_t_port(&b, PFKV2_EXT_NAT_T_SPORT, 4500),
	    0);
	assert_int_equal(pfkv2_put_nat_t_port(&b, PFKV2_EXT_NAT_T_DPORT, 4501),
	    0);
	a = address("192.0.2.10", 0, 32, 255);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_NAT_T_OAI, &a), 0);
	a = address("192.0.2.11", 0, 32, 255);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_NAT_T_OAR, &a), 0);
	assert_int_equal(pfkv2_put_nat_t_frag(&b, 552), 0);
	assert_int_equal(pfkv2_put_sa_replay(&b, 1024), 0);
	a = address("fe80::1", 500, 128, 17);
	a.addr.scope_id = 3;
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_NEW_ADDRESS_SRC, &a),
	    0);
	a = address("2001:db8::77", 4500, 128, 17);
	a.addr.flowinfo = 0x12345;
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_NEW_ADDRESS_DST, &a),
	    0);
	assert_int_equal(pfkv2_put_lifetime(&b, PFKV2_EXT_LFT_CUR_SW_OFFL,
	    &sw), 0);
	assert_int_equal(pfkv2_put_lifetime(&b, PFKV2_EXT_LFT_CUR_HW_OFFL,
	    &hw), 0);
	memset(&ifh, 0, sizeof(ifh));
	ifh.flags = 1;
	strcpy(ifh.ifname, "mce0");
	assert_int_equal(pfkv2_put_if_hw_offl(&b, &ifh), 0);
	memset(&pol, 0, sizeof(pol));
	pol.type = PFKV2_POLICY_IPSEC;
	pol.dir = PFKV2_DIR_INBOUND;
	pol.scope = 2;
	pol.id = 17;
	pol.priority = 100;
	memset(&req, 0, sizeof(req));
	req.proto = 50;
	req.mode = PFKV2_MODE_TRANSPORT;
	req.level = PFKV2_LEVEL_USE;
	req.reqid = 3;
	assert_int_equal(pfkv2_put_policy(&b, &pol, &req, 1), 0);
	print_built(msg, pfkv2_builder_finish(&b), PFKV2_DIALECT_FREEBSD, 0,
	    text, json);

	expect(text, "SADB_UPDATE (freebsd) satype esp len ");
	expect(text, "  SA: spi 0x00c0ffee replay 4 (32 packets) state mature "
	    "auth hmac-sha512 encrypt aes-ctr flags 0x");
	expect(text, " (esn)\n");
	expect(text, "  X_SA2: mode tunnel sequence 9 reqid 7\n");
	expect(text, "  X_NAT_T_TYPE: type 2 (esp-in-udp)\n");
	expect(text, "  X_NAT_T_SPORT: port 4500\n");
	expect(text, "  X_NAT_T_DPORT: port 4501\n");
	expect(text, "  X_NAT_T_OAI: 192.0.2.10/32 proto any\n");
	expect(text, "  X_NAT_T_OAR: 192.0.2.11/32 proto any\n");
	expect(text, "  X_NAT_T_FRAG: fraglen 552\n");
	expect(text, "  X_SA_REPLAY: replay 1024\n");
	expect(text, "  X_NEW_ADDRESS_SRC: fe80::1%3/128 port 500 proto udp\n");
	expect(text, "  X_NEW_ADDRESS_DST: 2001:db8::77/128 port 4500 proto udp "
	    "flowinfo 0x12345\n");
	expect(text, "  X_LFT_CUR_SW_OFFL: allocations 5 bytes 6 addtime 7 "
	    "usetime 8\n");
	expect(text, "  X_LFT_CUR_HW_OFFL: allocations 9 bytes 10 ");
	expect(text, "  X_IF_HW_OFFL: flags 0x1 ifname \"mce0\"\n");
	expect(text, "  X_POLICY: type ipsec dir in id 17 priority 100 "
	    "scope 2\n    request: esp/transport//use reqid 3\n");

	expect(json, "\"dialect\":\"freebsd\",\"type\":\"UPDATE\"");
	expect(json, "{\"type\":\"NAT_T_TYPE\",\"encap\":2}");
	expect(json, "{\"type\":\"NAT_T_FRAG\",\"fraglen\":552}");
	expect(json, "{\"type\":\"SA_REPLAY\",\"replay\":1024}");
	expect(json, "{\"type\":\"NEW_ADDRESS_SRC\",\"family\":\"inet6\","
	    "\"addr\":\"fe80::1\",\"port\":500,\"flowinfo\":0,\"scope_id\":3,"
	    "\"prefixlen\":128,\"proto\":17,\"reserved\":0}");
	expect(json, "{\"type\":\"IF_HW_OFFL\",\"flags\":1,\"ifname\":\"mce0\"}");
	expect(json, "\"policy_type\":\"ipsec\",\"dir\":\"in\",\"scope\":2");
	expect(json, "\"requests\":[{\"proto\":50,\"mode\":\"transport\","
	    "\"level\":\"use\",\"reqid\":3,\"src\":null,\"dst\":null}]");
}

static void
test_linux_exts(void **state)
{
	static const char label[] = "system_u:object_r:ipsec_spd_t:s0";
	static const uint8_t priv[] = { 0xde, 0xad, 0xbe, 0xef, 0x01 };
	static const uint8_t raw[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct pfkv2_builder b;
	struct pfkv2_sec_ctx ctx;
	struct pfkv2_kmaddress km;
	struct pfkv2_filter fl;
	struct pfkv2_policy pol;
	struct pfkv2_ipsecrequest req[2];
	struct pfkv2_ident id;
	struct pfkv2_comb comb;
	uint8_t msg[4096];
	char text[OUT_MAX], json[OUT_MAX];

	(void)state;
	assert_int_equal(pfkv2_builder_init(&b, msg, sizeof(msg),
	    PFKV2_DIALECT_LINUX), 0);
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_X_MIGRATE,
	    PFKV2_SATYPE_UNSPEC, 1, 2), 0);
	ctx.alg = 1;
	ctx.doi = 1;
	ctx.len = sizeof(label);	/* with its NUL, as Linux sends it */
	ctx.ctx = label;
	assert_int_equal(pfkv2_put_sec_ctx(&b, &ctx), 0);
	memset(&km, 0, sizeof(km));
	km.local = addr("192.0.2.1", 0);
	km.remote = addr("192.0.2.2", 0);
	assert_int_equal(pfkv2_put_kmaddress(&b, &km), 0);
	memset(&fl, 0, sizeof(fl));
	fl.src = addr("10.0.0.0", 0);
	fl.dst = addr("10.1.0.0", 0);
	fl.splen = 8;
	fl.dplen = 16;
	assert_int_equal(pfkv2_put_filter(&b, &fl), 0);
	assert_int_equal(pfkv2_put_kmprivate(&b, priv, sizeof(priv)), 0);
	memset(&pol, 0, sizeof(pol));
	pol.type = PFKV2_POLICY_IPSEC;
	pol.dir = PFKV2_DIR_FWD;
	pol.id = 8;
	memset(req, 0, sizeof(req));
	req[0].proto = 50;
	req[0].mode = PFKV2_MODE_TUNNEL;
	req[0].level = PFKV2_LEVEL_REQUIRE;
	req[0].reqid = 5;
	req[0].src = addr("2001:db8::1", 0);
	req[0].dst = addr("2001:db8::2", 0);
	req[1].proto = 108;
	req[1].mode = PFKV2_MODE_TUNNEL;
	req[1].level = PFKV2_LEVEL_UNIQUE;
	req[1].reqid = 6;
	req[1].src = addr("2001:db8:1::1", 0);
	req[1].dst = addr("2001:db8:1::2", 0);
	assert_int_equal(pfkv2_put_policy(&b, &pol, req, 2), 0);
	memset(&id, 0, sizeof(id));
	id.type = PFKV2_IDENTTYPE_USERFQDN;
	id.str = "a\"b\x01\xff\xc3\xa9";	/* quote, control, bad, é */
	id.len = strlen(id.str);
	assert_int_equal(pfkv2_put_ident(&b, PFKV2_EXT_IDENTITY_SRC, &id), 0);
	memset(&comb, 0, sizeof(comb));
	comb.auth = PFKV2_AALG_SHA1HMAC;
	comb.encrypt = PFKV2_EALG_AESCBC;
	comb.flags = 1;
	comb.hard_bytes = 1000;
	assert_int_equal(pfkv2_put_proposal(&b, 64, &comb, 1), 0);
	assert_int_equal(pfkv2_put_ext_raw(&b, 200, raw, sizeof(raw)), 0);
	print_built(msg, pfkv2_builder_finish(&b), PFKV2_DIALECT_LINUX, 0,
	    text, json);

	expect(text, "SADB_X_MIGRATE (linux) satype unspec len ");
	expect(text, "  X_SEC_CTX: alg 1 doi 1 len 33 "
	    "\"system_u:object_r:ipsec_spd_t:s0\"\n");
	expect(text, "  X_KMADDRESS: local 192.0.2.1 remote 192.0.2.2\n");
	expect(text, "  X_FILTER: src 10.0.0.0/8 dst 10.1.0.0/16\n");
	expect(text, "  X_KMPRIVATE: 8 bytes\n"
	    "    0000: de ad be ef 01 00 00 00\n");
	expect(text, "  X_POLICY: type ipsec dir fwd id 8 priority 0\n"
	    "    request: esp/tunnel/2001:db8::1-2001:db8::2/require reqid 5\n"
	    "    request: ipcomp/tunnel/2001:db8:1::1-2001:db8:1::2/unique "
	    "reqid 6\n");
	expect(text, "  IDENTITY_SRC: type user-fqdn id 0 "
	    "\"a\\\"b\\x01\\xff\\xc3\\xa9\"\n");
	expect(text, "  PROPOSAL: replay 64, 1 combination\n"
	    "    comb 1: auth hmac-sha1 0-0 encrypt aes-cbc 0-0 flags 0x1 "
	    "soft/hard allocations 0/0 bytes 0/1000");
	expect(text, "  unknown extension type 200, 16 bytes\n"
	    "    0000: 01 02 03 04 05 06 07 08 09 00 00 00\n");

	expect(json, "{\"type\":\"SEC_CTX\",\"alg\":1,\"doi\":1,\"len\":33,"
	    "\"ctx\":\"system_u:object_r:ipsec_spd_t:s0\"}");
	expect(json, "{\"type\":\"KMADDRESS\",\"local\":{\"family\":\"inet\","
	    "\"addr\":\"192.0.2.1\",\"port\":0},\"remote\":{");
	expect(json, "{\"type\":\"FILTER\",\"src\":{\"family\":\"inet\","
	    "\"addr\":\"10.0.0.0\",\"port\":0},\"dst\":{");
	expect(json, "\"splen\":8,\"dplen\":16}");
	expect(json, "{\"type\":\"KMPRIVATE\",\"len\":8,"
	    "\"data\":\"deadbeef01000000\"}");
	expect(json, "\"dir\":\"fwd\"");
	expect(json, "\"src\":{\"family\":\"inet6\",\"addr\":\"2001:db8::1\","
	    "\"port\":0,\"flowinfo\":0,\"scope_id\":0}");
	expect(json, "\"string\":\"a\\\"b\\u0001\\ufffd\xc3\xa9\"");
	expect(json, "\"combs\":[{\"auth\":\"hmac-sha1\",\"encrypt\":"
	    "\"aes-cbc\",\"flags\":1");
	expect(json, "{\"type\":200,\"len\":16,"
	    "\"data\":\"010203040506070809000000\"}");
}

static void
test_rfc2367(void **state)
{
	struct pfkv2_builder b;
	struct pfkv2_sa sa;
	struct pfkv2_address a;
	uint8_t msg[1024];
	char text[OUT_MAX], json[OUT_MAX];

	(void)state;
	assert_int_equal(pfkv2_builder_init(&b, msg, sizeof(msg),
	    PFKV2_DIALECT_RFC2367), 0);
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_GET, PFKV2_SATYPE_AH, 1,
	    2), 0);
	memset(&sa, 0, sizeof(sa));
	sa.spi = 1;
	sa.state = PFKV2_SASTATE_DYING;
	sa.auth = PFKV2_AALG_MD5HMAC;
	assert_int_equal(pfkv2_put_sa(&b, &sa), 0);
	a = address("192.0.2.1", 0, 0, 0);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &a), 0);
	print_built(msg, pfkv2_builder_finish(&b), PFKV2_DIALECT_RFC2367, 0,
	    text, json);
	expect(text, "SADB_GET (rfc2367) satype ah len 56 seq 1 pid 2 errno 0\n"
	    "  SA: spi 0x00000001 replay 0 state dying auth hmac-md5 "
	    "encrypt none flags 0\n  ADDRESS_DST: 192.0.2.1/0 proto 0\n");
	expect(json, "\"satype\":\"ah\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_checker),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_header_details),
		cmocka_unit_test(test_corpus_content),
		cmocka_unit_test(test_snprint_truncation),
		cmocka_unit_test(test_keys_hidden),
		cmocka_unit_test(test_writer_stops),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_fprint),
		cmocka_unit_test(test_illumos_exts),
		cmocka_unit_test(test_freebsd_exts),
		cmocka_unit_test(test_linux_exts),
		cmocka_unit_test(test_rfc2367),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
