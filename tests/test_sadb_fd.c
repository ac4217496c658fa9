/*
 * Engine tests: the fake kernel.  A "daemon" that only read()s and
 * write()s a descriptor from pfkv2_sadb_fd() completes REGISTER, GETSPI,
 * UPDATE and DUMP and receives EXPIRE after the clock moves, the test
 * driving pfkv2_sadb_pump() between its writes and reads (issue 3, "Done
 * when").  Also: a dump larger than the socket buffers, write() errors
 * coming back as replies, and a closed descriptor dropping its endpoint.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <pfkv2/pfkv2.h>

#include "sadbtu.h"

static uint8_t buf[70000];

/* read() one message, waiting at most a second for it. */
static long
rd(int fd, struct pfkv2_sadb *db, enum pfkv2_dialect d, struct pfkv2_view *v)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	(void)pfkv2_sadb_pump(db, 0);
	if (poll(&p, 1, 1000) != 1)
		return 0;
	n = read(fd, buf, sizeof(buf));
	assert_true(n >= 16);
	assert_int_equal(pfkv2_parse(buf, (size_t)n, d, 0, v, NULL), 0);
	return (long)n;
}

static void
wr(int fd, struct pfkv2_sadb *db, const struct tu_msg *m, enum pfkv2_dialect d)
{
	uint8_t req[4096];
	size_t n = tu_build(d, m, req, sizeof(req));

	assert_int_equal(write(fd, req, n), (ssize_t)n);
	/* The engine reads, answers and writes back. */
	assert_true(pfkv2_sadb_pump(db, 100) >= 1);
}

static void
test_read_write_flow(void **state)
{
	struct pfkv2_lifetime h = { .addtime = 100 }, s = { .addtime = 60 };
	struct pfkv2_sadb_opts o;
	struct pfkv2_sadb_stats st;
	struct pfkv2_sadb *db;
	struct pfkv2_view v;
	struct tu_msg m;
	uint32_t spi;
	unsigned dumped;
	size_t i;
	int fd;

	(void)state;
	for (i = 0; i < 3; i++) {
		pfkv2_sadb_opts_init(&o, tu_dialects[i]);
		db = pfkv2_sadb_new(&o);
		assert_non_null(db);
		fd = pfkv2_sadb_fd(db, 4242);
		assert_true(fd >= 0);
		/* REGISTER. */
		memset(&m, 0, sizeof(m));
		m.type = PFKV2_MSG_REGISTER;
		m.satype = PFKV2_SATYPE_ESP;
		m.seq = 1;
		m.pid = 4242;
		wr(fd, db, &m, o.dialect);
		assert_true(rd(fd, db, o.dialect, &v) > 16);
		assert_int_equal(v.type, PFKV2_MSG_REGISTER);
		assert_true(pfkv2_view_has(&v, PFKV2_EXT_SUPPORTED_AUTH));
		/* GETSPI. */
		memset(&m, 0, sizeof(m));
		m.type = PFKV2_MSG_GETSPI;
		m.satype = PFKV2_SATYPE_ESP;
		m.seq = 2;
		m.pid = 4242;
		m.src = "192.0.2.2";
		m.dst = "192.0.2.1";
		m.range = true;
		m.rmin = 0x1000;
		m.rmax = 0x1fff;
		wr(fd, db, &m, o.dialect);
		assert_true(rd(fd, db, o.dialect, &v) > 16);
		assert_int_equal(v.type, PFKV2_MSG_GETSPI);
		spi = tu_sa(&v).spi;
		assert_int_equal(tu_sa(&v).state, PFKV2_SASTATE_LARVAL);
		/* UPDATE. */
		tu_add_msg(&m, PFKV2_SATYPE_ESP, spi, "192.0.2.2",
		    "192.0.2.1");
		m.type = PFKV2_MSG_UPDATE;
		m.seq = 2;
		m.pid = 4242;
		m.hard = &h;
		m.soft = &s;
		wr(fd, db, &m, o.dialect);
		assert_true(rd(fd, db, o.dialect, &v) > 16);
		assert_int_equal(v.type, PFKV2_MSG_UPDATE);
		assert_int_equal(buf[2], 0);
		/* DUMP, to the dialect's end marker. */
		memset(&m, 0, sizeof(m));
		m.type = PFKV2_MSG_DUMP;
		m.seq = 3;
		m.pid = 4242;
		wr(fd, db, &m, o.dialect);
		for (dumped = 0;;) {
			assert_true(rd(fd, db, o.dialect, &v) >= 16);
			assert_int_equal(v.type, PFKV2_MSG_DUMP);
			if (buf[2] != 0)
				fail_msg("dialect %zu: DUMP errno %u", i, buf[2]);
			if (pfkv2_view_len(&v) == 16)
				break;		/* illumos: the trailing echo */
			dumped++;
			assert_int_equal(tu_sa(&v).spi, spi);
			if (o.dialect != PFKV2_DIALECT_ILLUMOS &&
			    pfkv2_view_seq(&v) == 0)
				break;
		}
		if (dumped != 1)
			fail_msg("dialect %zu: %u SAs dumped", i, dumped);
		/* The clock moves: soft, then hard EXPIRE. */
		/* FreeBSD fires one second later (strictly greater). */
		assert_int_equal(pfkv2_sadb_advance(db, 60 +
		    (o.dialect == PFKV2_DIALECT_FREEBSD)), 1);
		assert_true(rd(fd, db, o.dialect, &v) > 16);
		assert_int_equal(v.type, PFKV2_MSG_EXPIRE);
		assert_true(pfkv2_view_has(&v, PFKV2_EXT_LIFETIME_SOFT));
		assert_int_equal(pfkv2_sadb_advance(db, 40), 1);
		assert_true(rd(fd, db, o.dialect, &v) > 16);
		assert_int_equal(v.type, PFKV2_MSG_EXPIRE);
		assert_true(pfkv2_view_has(&v, PFKV2_EXT_LIFETIME_HARD));
		/* Closing the descriptor drops the endpoint. */
		close(fd);
		(void)pfkv2_sadb_pump(db, 0);
		pfkv2_sadb_stats(db, &st);
		assert_int_equal(st.endpoints, 0);
		assert_int_equal(pfkv2_sadb_check(db), 0);
		pfkv2_sadb_free(db);
	}
}

/* A dump of more than the socket holds arrives whole, in order. */
static void
test_big_dump(void **state)
{
	struct pfkv2_sadb_opts o;
	struct pfkv2_sadb *db;
	struct pfkv2_sadb_ep *ep;
	struct pfkv2_view v;
	struct tu_msg m;
	uint8_t req[1024];
	uint32_t k, got = 0, seq, prev = 0;
	size_t n;
	int fd;

	(void)state;
	pfkv2_sadb_opts_init(&o, PFKV2_DIALECT_LINUX);
	db = pfkv2_sadb_new(&o);
	assert_non_null(db);
	ep = pfkv2_sadb_open(db, 1);
	for (k = 0; k < 5000; k++) {
		tu_add_msg(&m, PFKV2_SATYPE_ESP, 0x10000 + k, "192.0.2.1",
		    "192.0.2.2");
		n = tu_build(o.dialect, &m, req, sizeof(req));
		assert_int_equal(pfkv2_sadb_send(ep, req, n), 0);
		assert_true(pfkv2_sadb_recv(ep, buf, sizeof(buf)) > 0);
	}
	fd = pfkv2_sadb_fd(db, 4242);
	memset(&m, 0, sizeof(m));
	m.type = PFKV2_MSG_DUMP;
	m.pid = 4242;
	wr(fd, db, &m, o.dialect);
	for (;;) {
		assert_true(rd(fd, db, o.dialect, &v) > 16);
		got++;
		seq = pfkv2_view_seq(&v);
		if (seq == 0)
			break;
		assert_int_equal(seq, prev + 1);
		prev = seq;
	}
	assert_int_equal(got, 5000);
	close(fd);
	pfkv2_sadb_free(db);
}

/* What write() would refuse comes back as an errno reply. */
static void
test_write_errors(void **state)
{
	struct pfkv2_sadb_opts o;
	struct pfkv2_sadb *db;
	struct pfkv2_view v;
	uint8_t junk[24];
	int fd;

	(void)state;
	pfkv2_sadb_opts_init(&o, PFKV2_DIALECT_LINUX);
	db = pfkv2_sadb_new(&o);
	fd = pfkv2_sadb_fd(db, 1);
	memset(junk, 0, sizeof(junk));
	junk[0] = 2;
	junk[1] = 5;
	junk[4] = 7;		/* 7 words claimed, 3 written */
	assert_int_equal(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	assert_int_equal(pfkv2_sadb_pump(db, 100), 1);
	assert_int_equal(rd(fd, db, o.dialect, &v), 16);
	assert_int_equal(buf[2], EMSGSIZE);
	assert_int_equal(buf[1], 5);
	/* Nothing waiting: the pump returns without blocking. */
	assert_int_equal(pfkv2_sadb_pump(db, 0), 0);
	close(fd);
	pfkv2_sadb_free(db);
	/* The engine closes its ends when freed: a read sees the end. */
	db = pfkv2_sadb_new(&o);
	fd = pfkv2_sadb_fd(db, 1);
	pfkv2_sadb_free(db);
	assert_int_equal(read(fd, buf, sizeof(buf)), 0);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_write_flow),
		cmocka_unit_test(test_big_dump),
		cmocka_unit_test(test_write_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
