/*
 * Engine tests: REGISTER, ACQUIRE both ways, X_PROMISC, who receives
 * what (3.8), and the bounded queues (ENOBUFS).
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

static uint64_t
acquires(struct tu_eng *e)
{
	struct pfkv2_sadb_stats st;

	pfkv2_sadb_stats(e->db, &st);
	return st.acquires;
}

/* An outbound transport-mode ESP policy A -> B. */
static uint32_t
policy(struct tu_eng *e, unsigned level)
{
	struct pfkv2_sadb_policy p;
	struct pfkv2_ipsecrequest rq;
	uint32_t id = 0;

	memset(&p, 0, sizeof(p));
	memset(&rq, 0, sizeof(rq));
	p.src.addr = tu_addr(A, 0);
	p.dst.addr = tu_addr(B, 0);
	p.src.prefixlen = p.dst.prefixlen = 32;
	p.src.proto = p.dst.proto = 255;
	p.pol.type = PFKV2_POLICY_IPSEC;
	p.pol.dir = PFKV2_DIR_OUTBOUND;
	p.pol.priority = 10;
	rq.proto = 50;
	rq.mode = PFKV2_MODE_TRANSPORT;
	rq.level = (uint16_t)level;
	p.reqs = &rq;
	p.nreqs = 1;
	assert_int_equal(pfkv2_sadb_policy_add(e->db, &p, &id), 0);
	assert_int_not_equal(id, 0);
	return id;
}

static int
packet(struct tu_eng *e, uint32_t *id)
{
	struct pfkv2_packet k;

	memset(&k, 0, sizeof(k));
	k.src = tu_addr(A, 1234);
	k.dst = tu_addr(B, 80);
	k.proto = 6;
	k.dir = PFKV2_DIR_OUTBOUND;
	k.bytes = 100;
	return pfkv2_sadb_packet(e->db, &k, id);
}

/* Who gets a REGISTER reply, and what it lists. */
static void
test_register(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	size_t i, n;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_register(&e, 1, AH);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_REGISTER, ESP, 0,
		    NULL, NULL), 0);
		tu_expect(&e, 0, PFKV2_MSG_REGISTER, 0, buf, sizeof(buf), &v);
		assert_int_equal(pfkv2_get_supported(&v,
		    PFKV2_EXT_SUPPORTED_ENCRYPT, &n), 0);
		assert_true(n > 0);
		/* Linux/FreeBSD: every registered socket; illumos: ESP's. */
		if (e.d == ILL)
			tu_none(&e, 1);
		else
			tu_expect(&e, 1, PFKV2_MSG_REGISTER, 0, buf,
			    sizeof(buf), &v);
		tu_none(&e, 2);
		/* Twice on one socket: EEXIST (Linux, FreeBSD). */
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_REGISTER, ESP, 0,
		    NULL, NULL), 0);
		tu_expect(&e, 0, PFKV2_MSG_REGISTER, e.d == ILL ? 0 : EEXIST,
		    buf, sizeof(buf), &v);
		tu_drain(&e);
		/* illumos AH answers with its authentication list only. */
		assert_int_equal(tu_simple(&e, 2, PFKV2_MSG_REGISTER, AH, 0,
		    NULL, NULL), 0);
		tu_expect(&e, 2, PFKV2_MSG_REGISTER, 0, buf, sizeof(buf), &v);
		assert_true(tu_has(&v, PFKV2_EXT_SUPPORTED_AUTH));
		assert_int_equal(tu_has(&v, PFKV2_EXT_SUPPORTED_ENCRYPT),
		    e.d != ILL);
		tu_fini(&e);
	}
}

/* REGISTER with satype UNSPEC. */
static void
test_register_unspec(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	uint16_t types[] = { ESP, AH };
	uint8_t req[256];
	struct pfkv2_builder b;
	long n;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_REGISTER, 0, 0,
		    NULL, NULL), 0);
		if (e.d == ILL) {
			/* Extended register needs X_EREG: SATYPE_NEEDED. */
			tu_expect(&e, 0, PFKV2_MSG_REGISTER, EINVAL, buf,
			    sizeof(buf), &v);
			assert_int_equal(pfkv2_view_reserved(&v), 5);
			pfkv2_builder_init(&b, req, sizeof(req), e.d);
			pfkv2_put_msg(&b, PFKV2_MSG_REGISTER, 0, 1, 1000);
			assert_int_equal(pfkv2_put_ereg(&b, types, 2), 0);
			n = pfkv2_builder_finish(&b);
			assert_int_equal(pfkv2_sadb_send(e.ep[0], req,
			    (size_t)n), 0);
			/* One reply per protocol. */
			assert_int_equal(tu_count(&e, 0), 2);
		} else {
			/* The lists, and no registration. */
			tu_expect(&e, 0, PFKV2_MSG_REGISTER, 0, buf,
			    sizeof(buf), &v);
			policy(&e, PFKV2_LEVEL_REQUIRE);
			assert_int_equal(packet(&e, NULL), PFKV2_ACQUIRE);
			tu_none(&e, 0);
		}
		tu_fini(&e);
	}
}

/* A packet on a policy without an SA raises ACQUIRE (D29). */
static void
test_acquire(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	struct pfkv2_policy pol;
	uint32_t id, pid;
	size_t i, ncombs;
	uint8_t replay;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_register(&e, 0, ESP);
		tu_register(&e, 1, AH);
		id = policy(&e, PFKV2_LEVEL_REQUIRE);
		assert_int_equal(packet(&e, &pid), PFKV2_ACQUIRE);
		assert_int_equal(pid, id);
		tu_expect(&e, 0, PFKV2_MSG_ACQUIRE, 0, buf, sizeof(buf), &v);
		assert_int_not_equal(pfkv2_view_seq(&v), 0);
		assert_int_equal(pfkv2_view_pid(&v), 0);
		assert_int_equal(v.satype, ESP);
		assert_true(tu_has(&v, PFKV2_EXT_ADDRESS_SRC));
		assert_true(tu_has(&v, PFKV2_EXT_ADDRESS_DST));
		assert_int_equal(pfkv2_get_proposal(&v, &replay, &ncombs), 0);
		assert_true(ncombs > 0);
		if (e.d != ILL) {
			assert_int_equal(pfkv2_get_policy(&v, &pol), 0);
			assert_int_equal(pol.id, id);
			assert_int_equal(pol.dir, PFKV2_DIR_OUTBOUND);
		}
		/* D29: registered for AH only. */
		if (e.d == ILL)
			tu_none(&e, 1);
		else
			tu_expect(&e, 1, PFKV2_MSG_ACQUIRE, 0, buf,
			    sizeof(buf), &v);
		tu_none(&e, 2);
		assert_int_equal(acquires(&e), 1);
		/* Pending: no second ACQUIRE. */
		assert_int_equal(packet(&e, NULL), PFKV2_ACQUIRE);
		assert_int_equal(acquires(&e), 1);
		tu_none(&e, 0);
		/* It times out; the next packet asks again. */
		pfkv2_sadb_advance(e.db, 31);
		assert_int_equal(packet(&e, NULL), PFKV2_ACQUIRE);
		assert_int_equal(acquires(&e), 2);
		tu_fini(&e);
	}
}

/* The key manager answers the ACQUIRE: GETSPI/UPDATE with its seq. */
static void
test_acquire_answered(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	struct tu_msg m;
	uint32_t seq, spi;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_register(&e, 0, ESP);
		policy(&e, PFKV2_LEVEL_REQUIRE);
		assert_int_equal(packet(&e, NULL), PFKV2_ACQUIRE);
		tu_expect(&e, 0, PFKV2_MSG_ACQUIRE, 0, buf, sizeof(buf), &v);
		seq = pfkv2_view_seq(&v);
		/* The outbound SA: GETSPI at the peer is elsewhere; ADD. */
		memset(&m, 0, sizeof(m));
		m.type = PFKV2_MSG_GETSPI;
		m.satype = ESP;
		m.seq = seq;
		m.pid = 1000;
		m.src = A;
		m.dst = B;
		m.range = true;
		m.rmin = 0x100;
		m.rmax = 0xffff;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, 0, buf, sizeof(buf), &v);
		spi = tu_sa(&v).spi;
		tu_drain(&e);
		tu_add_msg(&m, ESP, spi, A, B);
		m.type = PFKV2_MSG_UPDATE;
		m.seq = seq;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_UPDATE, 0, buf, sizeof(buf), &v);
		tu_drain(&e);
		assert_int_equal(packet(&e, NULL), PFKV2_PROTECTED);
		assert_int_equal(acquires(&e), 1);
		tu_fini(&e);
	}
}

/* D6: the key manager reports failure with a base-only ACQUIRE. */
static void
test_acquire_failure(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	struct tu_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_register(&e, 0, ESP);
		policy(&e, PFKV2_LEVEL_REQUIRE);
		assert_int_equal(packet(&e, NULL), PFKV2_ACQUIRE);
		tu_expect(&e, 0, PFKV2_MSG_ACQUIRE, 0, buf, sizeof(buf), &v);
		memset(&m, 0, sizeof(m));
		m.type = PFKV2_MSG_ACQUIRE;
		m.satype = ESP;
		m.seq = pfkv2_view_seq(&v);
		m.pid = 1000;
		m.err = ENOENT;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		/* No reply anywhere. */
		assert_int_equal(tu_drain(&e), 0);
		if (e.d == LNX) {
			/* The acquire is in error: drop, do not ask. */
			assert_int_equal(packet(&e, NULL), PFKV2_DISCARD);
			assert_int_equal(acquires(&e), 1);
			pfkv2_sadb_advance(e.db, 31);
		}
		assert_int_equal(packet(&e, NULL), PFKV2_ACQUIRE);
		assert_int_equal(acquires(&e), 2);
		tu_fini(&e);
	}
}

/* ACQUIRE written by a user-level consumer. */
static void
test_acquire_user(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	struct pfkv2_builder b;
	struct pfkv2_comb c;
	struct pfkv2_address a;
	uint8_t req[1024];
	long n;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_register(&e, 1, ESP);
		pfkv2_builder_init(&b, req, sizeof(req), e.d);
		pfkv2_put_msg(&b, PFKV2_MSG_ACQUIRE, ESP, 9, 1000);
		memset(&a, 0, sizeof(a));
		a.addr = tu_addr(A, 0);
		a.prefixlen = 32;
		a.proto = 255;
		pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &a);
		a.addr = tu_addr(B, 0);
		pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &a);
		memset(&c, 0, sizeof(c));
		c.auth = PFKV2_AALG_SHA1HMAC;
		c.encrypt = PFKV2_EALG_AESCBC;
		pfkv2_put_proposal(&b, 32, &c, 1);
		n = pfkv2_builder_finish(&b);
		assert_int_equal(pfkv2_sadb_send(e.ep[0], req, (size_t)n), 0);
		switch (e.d) {
		case LNX:
			/* Only the base-only failure form is taken. */
			tu_expect(&e, 0, PFKV2_MSG_ACQUIRE, EOPNOTSUPP, buf,
			    sizeof(buf), &v);
			tu_none(&e, 1);
			break;
		case FBSD:
			/* The kernel sends its own ACQUIRE to the registered. */
			tu_none(&e, 0);
			tu_expect(&e, 1, PFKV2_MSG_ACQUIRE, 0, buf,
			    sizeof(buf), &v);
			assert_int_not_equal(pfkv2_view_seq(&v), 9);
			/* An SA for those addresses already: EEXIST. */
			assert_int_equal(tu_add(&e, 0, ESP, 0x333, A, B, NULL,
			    NULL), 0);
			tu_drain(&e);
			assert_int_equal(pfkv2_sadb_send(e.ep[0], req,
			    (size_t)n), 0);
			tu_expect(&e, 0, PFKV2_MSG_ACQUIRE, EEXIST, buf,
			    sizeof(buf), &v);
			break;
		default:
			/* Passed up to the registered sockets as it came. */
			tu_expect(&e, 1, PFKV2_MSG_ACQUIRE, 0, buf,
			    sizeof(buf), &v);
			assert_int_equal(pfkv2_view_seq(&v), 9);
			assert_memory_equal(buf, req, (size_t)n);
			break;
		}
		tu_fini(&e);
	}
}

/* X_PROMISC: the control form and what promiscuous sockets see. */
static void
test_promisc(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	uint8_t req[16];
	long n;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		memset(req, 0, sizeof(req));
		req[0] = 2;
		req[1] = 11;
		req[3] = 2;	/* neither 0 nor 1 */
		req[4] = 2;
		assert_int_equal(pfkv2_sadb_send(e.ep[2], req, 16), 0);
		tu_expect(&e, 2, PFKV2_MSG_X_PROMISC, e.d == ILL ? 0 : EINVAL,
		    buf, sizeof(buf), NULL);
		tu_drain(&e);
		req[3] = 1;
		assert_int_equal(pfkv2_sadb_send(e.ep[2], req, 16), 0);
		tu_drain(&e);
		/* A GET answered to endpoint 0: endpoint 2 looks on. */
		assert_int_equal(tu_add(&e, 0, ESP, 0x1001, A, B, NULL, NULL),
		    0);
		tu_drain(&e);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, 0x1001, A,
		    B), 0);
		tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
		tu_none(&e, 1);
		switch (e.d) {
		case LNX:
			/* The request as written, then the reply. */
			tu_expect(&e, 2, PFKV2_MSG_GET, 0, buf, sizeof(buf),
			    &v);
			assert_int_equal(pfkv2_view_len(&v), 80);
			tu_expect(&e, 2, PFKV2_MSG_GET, 0, buf, sizeof(buf),
			    &v);
			assert_true(tu_has(&v, PFKV2_EXT_KEY_ENCRYPT));
			break;
		case FBSD:
			/* The reply, wrapped in an X_PROMISC header. */
			n = tu_recv(&e, 2, buf, sizeof(buf), NULL);
			assert_true(n > 32);
			assert_int_equal(buf[1], 11);		/* X_PROMISC */
			assert_int_equal(buf[4] * 8, n);
			assert_int_equal(buf[16 + 1], 5);	/* SADB_GET */
			assert_int_equal(pfkv2_parse(buf + 16, (size_t)n - 16,
			    e.d, 0, &v, NULL), 0);
			assert_true(tu_has(&v, PFKV2_EXT_KEY_ENCRYPT));
			break;
		default:
			tu_expect(&e, 2, PFKV2_MSG_GET, 0, buf, sizeof(buf),
			    &v);
			break;
		}
		tu_none(&e, 2);
		/* A broadcast: Linux and FreeBSD give the promiscuous two. */
		assert_int_equal(tu_add(&e, 0, ESP, 0x1002, A, B, NULL, NULL),
		    0);
		assert_int_equal(tu_count(&e, 2), e.d == LNX ? 3 :
		    e.d == FBSD ? 2 : 1);
		tu_fini(&e);
	}
}

/* The data form of X_PROMISC: a message passed on to every socket. */
static void
test_promisc_data(void **state)
{
	struct tu_eng e;
	uint8_t req[48];
	long n;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		memset(req, 0, sizeof(req));
		req[0] = 2;
		req[1] = 11;
		req[4] = 4;		/* 32 bytes: header + a FLUSH header */
		req[16] = 2;
		req[17] = 9;
		req[20] = 2;
		req[24] = 0x55;		/* its seq */
		assert_int_equal(pfkv2_sadb_send(e.ep[0], req, 32), 0);
		n = tu_recv(&e, 1, buf, sizeof(buf), NULL);
		switch (e.d) {
		case LNX:
			/* Not parsed: the whole message, to everyone. */
			assert_int_equal(n, 32);
			assert_memory_equal(buf, req, 32);
			break;
		case FBSD:
			/* The inner message, to everyone. */
			assert_int_equal(n, 16);
			assert_memory_equal(buf, req + 16, 16);
			break;
		default:
			assert_int_equal(n, 0);
			tu_expect(&e, 0, PFKV2_MSG_X_PROMISC, EINVAL, buf,
			    sizeof(buf), NULL);
			break;
		}
		tu_fini(&e);
	}
}

/* A full queue drops, counts, and reports ENOBUFS once. */
static void
test_overflow(void **state)
{
	struct pfkv2_sadb_opts o;
	struct pfkv2_sadb_stats st;
	struct tu_eng e;
	uint32_t spi;
	long n;
	unsigned got = 0, nobufs = 0;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		pfkv2_sadb_opts_init(&o, tu_dialects[i]);
		o.rcvbuf = 1024;
		tu_init_opts(&e, &o);
		for (spi = 0x100; spi < 0x100 + 40; spi++)
			assert_int_equal(tu_add(&e, 0, ESP, spi, A, B, NULL,
			    NULL), 0);
		assert_true(pfkv2_sadb_dropped(e.ep[1]) > 0);
		got = nobufs = 0;
		while ((n = tu_recv(&e, 1, buf, sizeof(buf), NULL)) != 0) {
			if (n < 0) {
				assert_int_equal(got, 0);
				nobufs++;
			} else {
				got++;
			}
		}
		assert_int_equal(nobufs, 1);
		assert_int_equal(got + pfkv2_sadb_dropped(e.ep[1]), 40);
		pfkv2_sadb_stats(e.db, &st);
		assert_true(st.dropped >= pfkv2_sadb_dropped(e.ep[1]));
		/* After the report, a fresh message comes through. */
		assert_int_equal(tu_simple(&e, 1, PFKV2_MSG_GET, ESP, 0x100, A,
		    B), 0);
		tu_expect(&e, 1, PFKV2_MSG_GET, 0, buf, sizeof(buf), NULL);
		tu_fini(&e);
	}
}

/* A message too big for the caller's buffer stays queued. */
static void
test_recv_small_buffer(void **state)
{
	struct tu_eng e;
	uint8_t small[16];

	(void)state;
	tu_init(&e, LNX, 0);
	assert_int_equal(tu_add(&e, 0, ESP, 0x100, A, B, NULL, NULL), 0);
	assert_int_equal(pfkv2_sadb_recv(e.ep[0], small, sizeof(small)), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_true(pfkv2_sadb_pending(e.ep[0]) > sizeof(small));
	assert_true(pfkv2_sadb_recv(e.ep[0], buf, sizeof(buf)) > 16);
	assert_int_equal(pfkv2_sadb_recv(e.ep[0], buf, sizeof(buf)), -1);
	assert_int_equal(errno, EAGAIN);
	tu_fini(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_register_unspec),
		cmocka_unit_test(test_acquire),
		cmocka_unit_test(test_acquire_answered),
		cmocka_unit_test(test_acquire_failure),
		cmocka_unit_test(test_acquire_user),
		cmocka_unit_test(test_promisc),
		cmocka_unit_test(test_promisc_data),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_recv_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
