/*
 * Engine tests against real kernel bytes: the requests a Linux 6.1 kernel
 * answered (tests/data/linux-vectors, captured by
 * shared/tools/linux-pfkey-vm) are sent to a Linux-dialect engine whose
 * clock reads the kernel's, and the engine must answer with exactly the
 * kernel's bytes: REGISTER (the algorithm list), the ADD notifications
 * (keys, lifetimes, the 0/0 proxy, SA2), the error reply to a duplicate
 * ADD, the DUMP (newest first, seq 1 then 0), X_SPDADD and X_SPDDUMP
 * (policy id 1, the reference count in sadb_msg_reserved).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sadbtu.h"
#include "testutil.h"

/* CURRENT addtime in the captures (the guest's clock). */
#define KTIME	0x6b02c3b7u

static uint8_t req[4096], want[4096], got[70000];

static void
engine(struct tu_eng *e)
{
	struct pfkv2_sadb_opts o;

	pfkv2_sadb_opts_init(&o, PFKV2_DIALECT_LINUX);
	o.start_time = KTIME;
	tu_init_opts(e, &o);
}

static void
send_file(struct tu_eng *e, const char *name)
{
	size_t n = tu_load_hex(name, req, sizeof(req));

	assert_true(n >= 16);
	assert_int_equal(pfkv2_sadb_send(e->ep[0], req, n), 0);
}

static void
expect_file(struct tu_eng *e, unsigned ep, const char *name)
{
	size_t n = tu_load_hex(name, want, sizeof(want));
	long r = pfkv2_sadb_recv(e->ep[ep], got, sizeof(got));

	assert_int_equal(r, (long)n);
	if (memcmp(got, want, n) != 0) {
		tu_diff(got, (size_t)r, want, n);
		fail_msg("%s: the engine's bytes differ from the kernel's", name);
	}
}

static void
test_register(void **state)
{
	struct tu_eng e;

	(void)state;
	engine(&e);
	send_file(&e, "linux-vectors/sadb_register_request.hex");
	expect_file(&e, 0, "linux-vectors/sadb_register_reply.hex");
	tu_none(&e, 1);
	tu_fini(&e);
}

static void
test_add_dump(void **state)
{
	struct tu_eng e;
	size_t n;

	(void)state;
	engine(&e);
	send_file(&e, "linux-vectors/sadb_add_sha1_request.hex");
	expect_file(&e, 0, "linux-vectors/sadb_add_sha1_reply.hex");
	/* The notification reaches every socket, keys and all. */
	expect_file(&e, 1, "linux-vectors/sadb_add_sha1_reply.hex");
	send_file(&e, "linux-vectors/sadb_add_sha256_request.hex");
	expect_file(&e, 0, "linux-vectors/sadb_add_sha256_reply.hex");
	tu_drain(&e);
	/* The same ADD again: EEXIST (the capture came from another pid). */
	n = tu_load_hex("linux-vectors/sadb_add_sha1_request.hex", req,
	    sizeof(req));
	req[12] = 0x79;
	assert_int_equal(pfkv2_sadb_send(e.ep[0], req, n), 0);
	expect_file(&e, 0, "linux-vectors/sadb_add_eexist_reply.hex");
	tu_none(&e, 1);
	/* DUMP of ESP, seq 1 pid 0x76 as the capture's. */
	memset(req, 0, 16);
	req[0] = 2;
	req[1] = 10;
	req[3] = 3;
	req[4] = 2;
	req[8] = 1;
	req[12] = 0x76;
	assert_int_equal(pfkv2_sadb_send(e.ep[0], req, 16), 0);
	expect_file(&e, 0, "linux-vectors/sadb_dump_reply_1.hex");
	expect_file(&e, 0, "linux-vectors/sadb_dump_reply_2.hex");
	tu_none(&e, 0);
	tu_fini(&e);
}

static void
test_spd(void **state)
{
	struct tu_eng e;

	(void)state;
	engine(&e);
	send_file(&e, "linux-vectors/sadb_x_spdadd_request.hex");
	expect_file(&e, 0, "linux-vectors/sadb_x_spdadd_reply.hex");
	memset(req, 0, 16);
	req[0] = 2;
	req[1] = 18;
	req[4] = 2;
	req[12] = 0x76;
	assert_int_equal(pfkv2_sadb_send(e.ep[0], req, 16), 0);
	tu_count(&e, 1);
	expect_file(&e, 0, "linux-vectors/sadb_x_spddump_reply_1.hex");
	tu_fini(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_add_dump),
		cmocka_unit_test(test_spd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
