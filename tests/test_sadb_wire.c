/*
 * Engine tests: what each kernel does with odd bytes, the rows of the
 * disagreement matrix (validation-and-semantics.md 5.1) decided at write()
 * or in the extension walk: D1 trailing junk, D2 an unknown extension, D3
 * version 1, D4 reserved set, D5 a foreign pid, D7 ports in SA addresses,
 * D8/D9 key extensions longer or shorter than their bits, D10 an all-zero
 * key, D28 a 3000-byte message, D32 an identity without its NUL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sadbtu.h"

static uint8_t buf[70000], req[8192];

/* Outcome of one write: the call's errno, or the reply's. */
struct outcome {
	int wr;		/* errno of pfkv2_sadb_send, 0: accepted */
	int reply;	/* errno in the reply, -1: no reply */
	uint16_t diag;
};

static struct outcome
try(struct tu_eng *e, const uint8_t *m, size_t n)
{
	struct outcome o = { 0, -1, 0 };
	long r;

	(void)tu_drain(e);
	if (pfkv2_sadb_send(e->ep[0], m, n) != 0) {
		o.wr = errno;
		return o;
	}
	r = pfkv2_sadb_recv(e->ep[0], buf, sizeof(buf));
	if (r >= 16) {
		o.reply = buf[2];
		o.diag = (uint16_t)(buf[6] | buf[7] << 8);
	}
	return o;
}

static size_t
add_req(struct tu_eng *e, uint32_t spi)
{
	struct tu_msg m;

	tu_add_msg(&m, ESP, spi, A, B);
	return tu_build(e->d, &m, req, sizeof(req));
}

/* Append a raw extension to the message in req (len updated). */
static size_t
append(size_t n, uint16_t type, const void *body, size_t len)
{
	size_t total = (4 + len + 7) & ~(size_t)7;

	memset(req + n, 0, total);
	req[n] = (uint8_t)(total / 8);
	req[n + 1] = (uint8_t)(total / 8 >> 8);
	req[n + 2] = (uint8_t)type;
	req[n + 3] = (uint8_t)(type >> 8);
	memcpy(req + n + 4, body, len);
	n += total;
	req[4] = (uint8_t)(n / 8);
	req[5] = (uint8_t)(n / 8 >> 8);
	return n;
}

static void
test_d1_trailing_junk(void **state)
{
	struct tu_eng e;
	struct outcome o;
	size_t i, n;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		n = add_req(&e, 0x100);
		memset(req + n, 0xee, 4);
		o = try(&e, req, n + 4);
		switch (e.d) {
		case LNX:
			assert_int_equal(o.wr, 0);
			assert_int_equal(o.reply, EINVAL);
			break;
		case FBSD:
			assert_int_equal(o.wr, EINVAL);
			break;
		default:
			assert_int_equal(o.reply, EMSGSIZE);
			break;
		}
		tu_fini(&e);
	}
}

static void
test_d2_unknown_ext(void **state)
{
	static const uint8_t body[4];
	struct tu_eng e;
	struct outcome o;
	size_t i, n;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		n = append(add_req(&e, 0x100), 60, body, sizeof(body));
		o = try(&e, req, n);
		switch (e.d) {
		case LNX:
			assert_int_equal(o.reply, 0);	/* skipped */
			break;
		case FBSD:
			assert_int_equal(o.wr, EINVAL);	/* key_align */
			break;
		default:
			assert_int_equal(o.reply, EINVAL);
			assert_int_equal(o.diag, 2);	/* UNKNOWN_EXT */
			break;
		}
		tu_fini(&e);
	}
}

static void
test_d3_d4_d5_header(void **state)
{
	struct tu_eng e;
	struct outcome o;
	size_t i, n;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		/* D3: version 1. */
		n = add_req(&e, 0x100);
		req[0] = 1;
		o = try(&e, req, n);
		if (e.d == LNX)
			assert_int_equal(o.wr, EINVAL);
		else
			assert_int_equal(o.reply, e.d == FBSD ? EINVAL : 0);
		/* D4: sadb_msg_reserved 1. */
		n = add_req(&e, 0x200);
		req[6] = 1;
		o = try(&e, req, n);
		if (e.d == LNX)
			assert_int_equal(o.wr, EINVAL);
		else
			assert_int_equal(o.reply, 0);
		/* D5: a pid that is not the socket's: accepted, echoed. */
		n = add_req(&e, 0x300);
		req[12] = 0x42;
		o = try(&e, req, n);
		assert_int_equal(o.reply, 0);
		assert_int_equal(buf[12], 0x42);
		tu_fini(&e);
	}
}

/* D7: ports in an SA's addresses: kept by illumos only. */
static void
test_d7_ports(void **state)
{
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	struct pfkv2_address a;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_add_msg(&m, ESP, 0x100, A, B);
		m.sport = 500;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_ADD, 0, buf, sizeof(buf), &v);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, 0x100, A,
		    B), 0);
		tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
		assert_int_equal(pfkv2_get_address(&v, PFKV2_EXT_ADDRESS_SRC,
		    &a), 0);
		assert_int_equal(a.addr.port, e.d == ILL ? 500 : 0);
		tu_fini(&e);
	}
}

/* D8, D9, D10: keys longer or shorter than their bits, all zero. */
static void
test_d8_d9_d10_keys(void **state)
{
	struct tu_eng e;
	struct tu_msg m;
	struct outcome o;
	uint8_t key[4 + 40];
	size_t i, n;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		/* D8: 128 bits in 24 bytes. */
		tu_add_msg(&m, ESP, 0x100, A, B);
		m.ebits = 0;
		n = tu_build(e.d, &m, req, sizeof(req));
		memset(key, 0x5a, sizeof(key));
		key[0] = 128;
		key[1] = 0;
		key[2] = key[3] = 0;
		n = append(n, 9, key, 4 + 24);
		o = try(&e, req, n);
		assert_int_equal(o.wr, 0);
		assert_int_equal(o.reply, e.d == ILL ? EINVAL : 0);
		/* D9: 256 bits in 16 bytes. */
		tu_add_msg(&m, ESP, 0x200, A, B);
		m.ebits = 0;
		n = tu_build(e.d, &m, req, sizeof(req));
		key[0] = 0;
		key[1] = 1;
		n = append(n, 9, key, 4 + 16);
		o = try(&e, req, n);
		/*
		 * FreeBSD takes it and reads the key from past the extension
		 * (B-FB1); the engine will not copy a read overrun and
		 * refuses it as the extension walk's fault (write EINVAL).
		 */
		if (e.d == FBSD)
			assert_int_equal(o.wr, EINVAL);
		else
			assert_int_equal(o.reply, EINVAL);
		/* D10: an all-zero key of the right length. */
		tu_add_msg(&m, ESP, 0x300, A, B);
		m.ebits = 0;
		n = tu_build(e.d, &m, req, sizeof(req));
		memset(key, 0, sizeof(key));
		key[0] = 128;
		n = append(n, 9, key, 4 + 16);
		o = try(&e, req, n);
		assert_int_equal(o.reply, e.d == ILL ? EINVAL : 0);
		tu_fini(&e);
	}
}

/* D28: a valid 3000-byte message (a long identity). */
static void
test_d28_big(void **state)
{
	static char fqdn[2900];
	struct tu_eng e;
	struct tu_msg m;
	struct outcome o;
	size_t i, n;

	(void)state;
	memset(fqdn, 'a', sizeof(fqdn) - 1);
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_add_msg(&m, ESP, 0x100, A, B);
		m.ident_src = fqdn;
		n = tu_build(e.d, &m, req, sizeof(req));
		assert_true(n > 2048 && n < 3200);
		o = try(&e, req, n);
		if (e.d == FBSD) {
			assert_int_equal(o.wr, ENOBUFS);
		} else {
			assert_int_equal(o.wr, 0);
			assert_int_equal(o.reply, 0);
		}
		tu_fini(&e);
	}
}

/* D32: an identity whose string fills its extension, no NUL. */
static void
test_d32_ident_nul(void **state)
{
	struct tu_eng e;
	struct outcome o;
	uint8_t id[12 + 8];
	size_t i, n;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		n = add_req(&e, 0x100);
		memset(id, 0, sizeof(id));
		/* type FQDN (2 everywhere), id 0, then "abcdefgh". */
		id[0] = 2;
		memcpy(id + 12, "abcdefgh", 8);
		n = append(n, 10, id, sizeof(id));
		o = try(&e, req, n);
		/* Linux and FreeBSD ignore it; illumos fixes the byte. */
		assert_int_equal(o.wr, 0);
		assert_int_equal(o.reply, 0);
		tu_fini(&e);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_d1_trailing_junk),
		cmocka_unit_test(test_d2_unknown_ext),
		cmocka_unit_test(test_d3_d4_d5_header),
		cmocka_unit_test(test_d7_ports),
		cmocka_unit_test(test_d8_d9_d10_keys),
		cmocka_unit_test(test_d28_big),
		cmocka_unit_test(test_d32_ident_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
