/*
 * Socket layer tests over a SOCK_SEQPACKET socketpair standing in for the
 * kernel: whole messages of any size, EMSGSIZE with the size needed,
 * reply matching, dump iteration to each dialect's end marker, errno
 * replies, timeouts, the pump hook, and the real PF_KEY open.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pfkv2/pfkv2.h>
#include <pfkv2/sock.h>

static int kern;		/* the "kernel" end of the pair */
static struct pfkv2_sock s;
static uint8_t buf[16384];

static int
setup(void **state)
{
	int sv[2];

	(void)state;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		return -1;
	kern = sv[1];
	return pfkv2_sock_attach(&s, sv[0], 4242, PFKV2_DIALECT_LINUX, NULL,
	    NULL);
}

static int
teardown(void **state)
{
	(void)state;
	pfkv2_sock_close(&s);
	close(kern);
	return 0;
}

/* The kernel sends a message: type, seq, pid, errno, total length. */
static void
ksend(unsigned type, uint32_t seq, uint32_t pid, uint8_t err, size_t len)
{
	static const uint8_t filler[16384];
	uint8_t m[16384];
	struct pfkv2_builder b;

	assert_true(len >= 16 && len % 8 == 0 && len <= sizeof(m));
	assert_int_equal(pfkv2_builder_init(&b, m, sizeof(m),
	    s.dialect), 0);
	assert_int_equal(pfkv2_put_msg(&b, type, PFKV2_SATYPE_ESP, seq, pid),
	    0);
	assert_int_equal(pfkv2_set_msg_errno(&b, err, 0), 0);
	if (len > 16)	/* filler of a type no dialect knows */
		assert_int_equal(pfkv2_put_ext_raw(&b, 250, filler,
		    len - 20), 0);
	assert_int_equal(write(kern, m, len), (ssize_t)len);
}

static void
test_whole_messages(void **state)
{
	size_t need = 0;

	(void)state;
	ksend(PFKV2_MSG_ADD, 1, 4242, 0, 8000);
	/* A small buffer is told the size and the message stays queued. */
	assert_int_equal(pfkv2_sock_recv(&s, buf, 4096, &need), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(need, 8000);
	assert_int_equal(pfkv2_sock_recv(&s, buf, sizeof(buf), &need), 8000);
	assert_int_equal(buf[1], 3);
}

static void
test_bad_and_closed(void **state)
{
	uint8_t junk[16] = { 2, 3, 0, 3, 0, 0 };	/* msg_len 0 */

	(void)state;
	assert_int_equal(write(kern, junk, sizeof(junk)), 16);
	assert_int_equal(pfkv2_sock_recv(&s, buf, sizeof(buf), NULL), -1);
	assert_int_equal(errno, EBADMSG);
	/* The bad one is gone; the next message reads normally. */
	ksend(PFKV2_MSG_FLUSH, 2, 4242, 0, 16);
	assert_int_equal(pfkv2_sock_recv(&s, buf, sizeof(buf), NULL), 16);
	s.timeout_ms = 30;
	assert_int_equal(pfkv2_sock_recv(&s, buf, sizeof(buf), NULL), -1);
	assert_int_equal(errno, EAGAIN);
	close(kern);
	kern = -1;
	assert_int_equal(pfkv2_sock_recv(&s, buf, sizeof(buf), NULL), -1);
	assert_int_equal(errno, ECONNRESET);
}

static int others;

static int
count_other(const void *msg, size_t len, void *arg)
{
	(void)msg;
	(void)len;
	(void)arg;
	others++;
	return 0;
}

static void
test_reply_matching(void **state)
{
	(void)state;
	others = 0;
	ksend(PFKV2_MSG_ADD, 7, 999, 0, 16);		/* someone else's */
	ksend(PFKV2_MSG_ADD, 6, 4242, 0, 24);		/* our older request */
	ksend(PFKV2_MSG_GET, 7, 4242, 0, 32);		/* other type */
	ksend(PFKV2_MSG_ADD, 7, 4242, EEXIST, 16);	/* the reply */
	assert_int_equal(pfkv2_sock_reply(&s, PFKV2_MSG_ADD, 7, buf,
	    sizeof(buf), NULL, count_other, NULL), 16);
	assert_int_equal(buf[2], EEXIST);
	assert_int_equal(others, 3);
}

static int dumped;

static int
count_dump(const void *msg, size_t len, void *arg)
{
	(void)msg;
	(void)arg;
	assert_true(len >= 16);
	dumped++;
	return 0;
}

static void
test_dump_linux(void **state)
{
	(void)state;
	dumped = 0;
	ksend(PFKV2_MSG_DUMP, 3, 4242, 0, 64);
	ksend(PFKV2_MSG_ADD, 0, 1, 0, 16);		/* a broadcast */
	ksend(PFKV2_MSG_DUMP, 2, 4242, 0, 64);
	ksend(PFKV2_MSG_DUMP, 1, 4242, 0, 64);
	ksend(PFKV2_MSG_DUMP, 0, 4242, 0, 64);		/* the last one */
	ksend(PFKV2_MSG_DUMP, 9, 4242, 0, 64);		/* not read */
	assert_int_equal(pfkv2_sock_dump(&s, PFKV2_MSG_DUMP, PFKV2_SATYPE_ESP,
	    buf, sizeof(buf), count_dump, NULL), 4);
	assert_int_equal(dumped, 4);
	/* The request went out as a bare DUMP header. */
	assert_int_equal(read(kern, buf, sizeof(buf)), 16);
	assert_int_equal(buf[1], 10);
	/* An empty table: ENOENT. */
	ksend(PFKV2_MSG_X_SPDDUMP, 0, 4242, ENOENT, 16);
	assert_int_equal(pfkv2_sock_dump(&s, PFKV2_MSG_X_SPDDUMP,
	    PFKV2_SATYPE_UNSPEC, buf, sizeof(buf), count_dump, NULL), -1);
	assert_int_equal(errno, ENOENT);
}

static void
test_dump_illumos(void **state)
{
	(void)state;
	s.dialect = PFKV2_DIALECT_ILLUMOS;
	dumped = 0;
	ksend(PFKV2_MSG_DUMP, 5, 4242, 0, 40);
	ksend(PFKV2_MSG_DUMP, 5, 4242, 0, 40);
	ksend(PFKV2_MSG_DUMP, 5, 4242, 0, 16);		/* bare echo: the end */
	assert_int_equal(pfkv2_sock_dump(&s, PFKV2_MSG_DUMP, PFKV2_SATYPE_ESP,
	    buf, sizeof(buf), count_dump, NULL), 2);
	assert_int_equal(dumped, 2);
}

/* The pump answers in-process, as the engine does for its descriptor. */
static int
pump_reply(void *arg)
{
	int *pending = arg;

	if (*pending) {
		*pending = 0;
		ksend(PFKV2_MSG_REGISTER, 1, 4242, 0, 16);
	}
	return 0;
}

static void
test_pump(void **state)
{
	int pending = 1;

	(void)state;
	s.pump = pump_reply;
	s.pump_arg = &pending;
	assert_int_equal(pfkv2_sock_reply(&s, PFKV2_MSG_REGISTER, 1, buf,
	    sizeof(buf), NULL, NULL, NULL), 16);
	assert_int_equal(pending, 0);
}

/* This host may have no PF_KEY at all; then the error says so. */
static void
test_open_kernel(void **state)
{
	struct pfkv2_sock k;

	(void)state;
	if (pfkv2_sock_open(&k, PFKV2_DIALECT_LINUX) == 0) {
		assert_true(k.fd >= 0);
		assert_int_equal(pfkv2_sock_close(&k), 0);
	} else
		assert_true(errno == EAFNOSUPPORT || errno == EPERM ||
		    errno == EACCES || errno == EPROTONOSUPPORT);
	assert_int_equal(pfkv2_sock_open(&k, PFKV2_DIALECT_COUNT), -1);
	assert_int_equal(errno, EINVAL);
}

static void
test_seq(void **state)
{
	(void)state;
	s.seq = UINT32_MAX;
	assert_int_equal(pfkv2_sock_next_seq(&s), 1);
	assert_int_equal(pfkv2_sock_next_seq(&s), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole_messages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_and_closed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reply_matching, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dump_linux, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dump_illumos, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seq, setup, teardown),
		cmocka_unit_test(test_open_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
