/*
 * Engine tests: the SPD.  The KAME SPD messages on Linux and FreeBSD
 * (3.9: ids, EEXIST, missing policies, DUMP, FLUSH, lifetimes, D31), the
 * atomic X_SPDUPDATE (D26), and packets presented to the SPD on every
 * dialect (policies installed directly where PF_KEY has no SPD).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sadbtu.h"

#define GA	"198.51.100.1"
#define GB	"198.51.100.2"

static const enum pfkv2_dialect kame[2] = { LNX, FBSD };
static uint8_t buf[70000];

static struct pfkv2_ipsecrequest
esp_transport(void)
{
	struct pfkv2_ipsecrequest rq;

	memset(&rq, 0, sizeof(rq));
	rq.proto = 50;
	rq.mode = PFKV2_MODE_TRANSPORT;
	rq.level = PFKV2_LEVEL_REQUIRE;
	return rq;
}

static void
spd_msg(struct tu_msg *m, unsigned type, unsigned dir, uint32_t prio,
    const struct pfkv2_ipsecrequest *rq)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->seq = 5;
	m->pid = 1000;
	m->src = A;
	m->dst = B;
	m->proto = 255;
	m->pol = true;
	m->policy.type = rq != NULL ? PFKV2_POLICY_IPSEC :
	    PFKV2_POLICY_DISCARD;
	m->policy.dir = (uint16_t)dir;
	m->policy.priority = prio;
	m->reqs = rq;
	m->nreqs = rq != NULL ? 1 : 0;
}

static int
packet_dir(struct tu_eng *e, unsigned dir, uint32_t *id)
{
	struct pfkv2_packet k;

	memset(&k, 0, sizeof(k));
	k.src = tu_addr(dir == PFKV2_DIR_INBOUND ? B : A, 1234);
	k.dst = tu_addr(dir == PFKV2_DIR_INBOUND ? A : B, 80);
	k.proto = 17;
	k.dir = (uint8_t)dir;
	k.bytes = 64;
	return pfkv2_sadb_packet(e->db, &k, id);
}

static uint32_t
policy_id(const struct pfkv2_view *v)
{
	struct pfkv2_policy p;

	assert_int_equal(pfkv2_get_policy(v, &p), 0);
	return p.id;
}

static void
by_id(struct tu_eng *e, unsigned type, uint32_t id)
{
	struct tu_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.seq = 6;
	m.pid = 1000;
	m.pol = true;
	/*
	 * Type DISCARD: the codec refuses, for FreeBSD, an IPSEC policy
	 * without requests in any message but X_SPDDELETE.
	 */
	m.policy.type = PFKV2_POLICY_DISCARD;
	m.policy.dir = PFKV2_DIR_OUTBOUND;
	m.policy.id = id;
	assert_int_equal(tu_send(e, 0, &m), 0);
}

/* X_SPDADD, GET, DELETE2, DELETE, DUMP, FLUSH; ids per dialect. */
static void
test_spd_messages(void **state)
{
	struct pfkv2_ipsecrequest rq = esp_transport();
	struct pfkv2_sadb_stats st;
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	uint32_t out, in;
	size_t i;
	long n;

	(void)state;
	for (i = 0; i < 2; i++) {
		tu_init(&e, kame[i], 0);
		spd_msg(&m, PFKV2_MSG_X_SPDADD, PFKV2_DIR_OUTBOUND, 0, &rq);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDADD, 0, buf, sizeof(buf), &v);
		out = policy_id(&v);
		tu_expect(&e, 1, PFKV2_MSG_X_SPDADD, 0, buf, sizeof(buf), &v);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDADD, EEXIST, buf, sizeof(buf),
		    &v);
		tu_drain(&e);
		spd_msg(&m, PFKV2_MSG_X_SPDADD, PFKV2_DIR_INBOUND, 0, &rq);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDADD, 0, buf, sizeof(buf), &v);
		in = policy_id(&v);
		/* Linux: a generator stepping by 8, the direction below. */
		assert_int_equal(out, e.d == LNX ? 1 : 1);
		assert_int_equal(in, e.d == LNX ? 8 : 2);
		tu_drain(&e);
		by_id(&e, PFKV2_MSG_X_SPDGET, out);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDGET, 0, buf, sizeof(buf), &v);
		assert_int_equal(policy_id(&v), out);
		assert_int_equal(pfkv2_view_seq(&v), e.d == FBSD ? 0 : 6);
		tu_none(&e, 1);
		by_id(&e, PFKV2_MSG_X_SPDGET, 1000);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDGET, ENOENT, buf, sizeof(buf),
		    &v);
		/* DUMP: both, the last with seq 0. */
		memset(&m, 0, sizeof(m));
		m.type = PFKV2_MSG_X_SPDDUMP;
		m.pid = 1000;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDDUMP, 0, buf, sizeof(buf), &v);
		assert_int_not_equal(pfkv2_view_seq(&v), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDDUMP, 0, buf, sizeof(buf), &v);
		assert_int_equal(pfkv2_view_seq(&v), 0);
		tu_none(&e, 0);
		by_id(&e, PFKV2_MSG_X_SPDDELETE2, out);
		tu_expect(&e, 1, PFKV2_MSG_X_SPDDELETE2, 0, buf, sizeof(buf),
		    &v);
		tu_drain(&e);
		by_id(&e, PFKV2_MSG_X_SPDDELETE2, out);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDDELETE2,
		    e.d == FBSD ? EINVAL : ENOENT, buf, sizeof(buf), &v);
		/* By selector: the inbound one; then it is missing. */
		spd_msg(&m, PFKV2_MSG_X_SPDDELETE, PFKV2_DIR_INBOUND, 0, NULL);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDDELETE, 0, buf, sizeof(buf),
		    &v);
		assert_int_equal(policy_id(&v), in);
		tu_drain(&e);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDDELETE,
		    e.d == FBSD ? EINVAL : ENOENT, buf, sizeof(buf), &v);
		/* Empty: DUMP is ENOENT. */
		memset(&m, 0, sizeof(m));
		m.type = PFKV2_MSG_X_SPDDUMP;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDDUMP, ENOENT, buf, sizeof(buf),
		    &v);
		/* FLUSH. */
		spd_msg(&m, PFKV2_MSG_X_SPDADD, PFKV2_DIR_OUTBOUND, 0, &rq);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_drain(&e);
		memset(&m, 0, sizeof(m));
		m.type = PFKV2_MSG_X_SPDFLUSH;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 1, PFKV2_MSG_X_SPDFLUSH, 0, buf, sizeof(buf),
		    &v);
		pfkv2_sadb_stats(e.db, &st);
		assert_int_equal(st.policies, 0);
		n = (long)tu_count(&e, 0);
		assert_int_equal(n, e.d == LNX ? 2 : 1);
		tu_fini(&e);
	}
}

/* D31: a forwarding policy. */
static void
test_fwd(void **state)
{
	struct pfkv2_ipsecrequest rq = esp_transport();
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		tu_init(&e, kame[i], 0);
		/* FreeBSD names no forwarding direction: wire value 3. */
		spd_msg(&m, PFKV2_MSG_X_SPDADD, e.d == LNX ? PFKV2_DIR_FWD :
		    PFKV2_WIRE(3), 0, &rq);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDADD, e.d == LNX ? 0 : EINVAL,
		    buf, sizeof(buf), &v);
		/* Linux: the xfrm direction (fwd 2) in the id's low bits. */
		if (e.d == LNX)
			assert_int_equal(policy_id(&v), 2);
		tu_fini(&e);
	}
}

/* D26: X_SPDUPDATE never leaves a packet without a policy. */
static void
test_spdupdate_atomic(void **state)
{
	struct pfkv2_ipsecrequest rq = esp_transport(), bad;
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	uint32_t first, id;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < 2; i++) {
		tu_init(&e, kame[i], 0);
		/* Update of nothing adds. */
		spd_msg(&m, PFKV2_MSG_X_SPDUPDATE, PFKV2_DIR_OUTBOUND, 5, NULL);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDUPDATE, 0, buf, sizeof(buf),
		    &v);
		first = policy_id(&v);
		tu_drain(&e);
		for (k = 0; k < 10; k++) {
			spd_msg(&m, PFKV2_MSG_X_SPDUPDATE, PFKV2_DIR_OUTBOUND,
			    (uint32_t)k, k % 2 ? NULL : &rq);
			assert_int_equal(tu_send(&e, 0, &m), 0);
			tu_expect(&e, 0, PFKV2_MSG_X_SPDUPDATE, 0, buf,
			    sizeof(buf), &v);
			/* Linux keeps the id, FreeBSD gives another. */
			if (e.d == LNX)
				assert_int_equal(policy_id(&v), first);
			else
				assert_int_not_equal(policy_id(&v), first);
			tu_drain(&e);
			assert_int_not_equal(packet_dir(&e, PFKV2_DIR_OUTBOUND,
			    &id), PFKV2_PASS);
			assert_int_equal(id, policy_id(&v));
		}
		/* A refused update keeps the old policy. */
		bad = rq;
		bad.proto = 47;
		spd_msg(&m, PFKV2_MSG_X_SPDUPDATE, PFKV2_DIR_OUTBOUND, 1, &bad);
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_X_SPDUPDATE, e.d == FBSD ?
		    EPROTONOSUPPORT : EINVAL, buf, sizeof(buf), &v);
		assert_int_equal(packet_dir(&e, PFKV2_DIR_OUTBOUND, NULL),
		    PFKV2_DISCARD);
		tu_fini(&e);
	}
}

/* Policy lifetimes: FreeBSD sends X_SPDEXPIRE, Linux drops silently. */
static void
test_policy_lifetime(void **state)
{
	struct pfkv2_ipsecrequest rq = esp_transport();
	struct pfkv2_lifetime h = { .addtime = 100 }, s = { .addtime = 50 };
	struct pfkv2_sadb_stats st;
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		tu_init(&e, kame[i], 0);
		tu_register(&e, 0, ESP);
		spd_msg(&m, PFKV2_MSG_X_SPDADD, PFKV2_DIR_OUTBOUND, 0, &rq);
		m.hard = &h;
		if (e.d == LNX)
			m.soft = &s;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_drain(&e);
		assert_int_equal(pfkv2_sadb_advance(e.db, 99), 0);
		assert_int_equal(pfkv2_sadb_advance(e.db, 1),
		    e.d == LNX ? 1 : 0);
		if (e.d == FBSD) {
			assert_int_equal(pfkv2_sadb_advance(e.db, 1), 1);
			tu_expect(&e, 0, PFKV2_MSG_X_SPDEXPIRE, 0, buf,
			    sizeof(buf), &v);
			tu_none(&e, 1);
		}
		assert_int_equal(tu_drain(&e), 0);
		pfkv2_sadb_stats(e.db, &st);
		assert_int_equal(st.policies, 0);
		assert_int_equal(packet_dir(&e, PFKV2_DIR_OUTBOUND, NULL),
		    PFKV2_PASS);
		tu_fini(&e);
	}
}

/* Packets: verdicts, priorities, directions, levels, tunnels. */
static void
test_packets(void **state)
{
	struct pfkv2_ipsecrequest rq = esp_transport(), tun;
	struct pfkv2_sadb_policy p;
	struct tu_eng e;
	struct pfkv2_view v;
	uint32_t lo, hi, id, tid;
	struct pfkv2_address a;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		tu_register(&e, 0, ESP);
		assert_int_equal(packet_dir(&e, PFKV2_DIR_OUTBOUND, &id),
		    PFKV2_PASS);
		assert_int_equal(id, 0);
		memset(&p, 0, sizeof(p));
		p.src.addr = tu_addr("192.0.2.0", 0);
		p.dst.addr = tu_addr("192.0.2.0", 0);
		p.src.prefixlen = p.dst.prefixlen = 24;
		p.pol.type = PFKV2_POLICY_DISCARD;
		p.pol.dir = PFKV2_DIR_OUTBOUND;
		p.pol.priority = 100;
		assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, &hi), 0);
		assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, NULL), -1);
		assert_int_equal(errno, EEXIST);
		assert_int_equal(packet_dir(&e, PFKV2_DIR_OUTBOUND, &id),
		    PFKV2_DISCARD);
		assert_int_equal(packet_dir(&e, PFKV2_DIR_INBOUND, &id),
		    PFKV2_PASS);
		/* A more specific one with a better priority wins. */
		p.src.addr = tu_addr(A, 0);
		p.dst.addr = tu_addr(B, 80);
		p.src.prefixlen = p.dst.prefixlen = 32;
		p.src.proto = 17;
		p.pol.type = PFKV2_POLICY_IPSEC;
		p.pol.priority = 10;
		p.reqs = &rq;
		p.nreqs = 1;
		assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, &lo), 0);
		assert_int_equal(packet_dir(&e, PFKV2_DIR_OUTBOUND, &id),
		    PFKV2_ACQUIRE);
		assert_int_equal(id, lo);
		tu_expect(&e, 0, PFKV2_MSG_ACQUIRE, 0, buf, sizeof(buf), &v);
		/* The SA appears: protected, and the SA is charged. */
		assert_int_equal(tu_add(&e, 1, ESP, 0x400, A, B, NULL, NULL),
		    0);
		tu_drain(&e);
		assert_int_equal(packet_dir(&e, PFKV2_DIR_OUTBOUND, &id),
		    PFKV2_PROTECTED);
		assert_int_equal(tu_simple(&e, 1, PFKV2_MSG_GET, ESP, 0x400, A,
		    B), 0);
		tu_expect(&e, 1, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
		{
			struct pfkv2_lifetime cur;

			pfkv2_get_lifetime(&v, PFKV2_EXT_LIFETIME_CURRENT,
			    &cur);
			assert_int_equal(cur.bytes, 64);
		}
		assert_int_equal(pfkv2_sadb_policy_delete(e.db, lo), 0);
		assert_int_equal(pfkv2_sadb_policy_delete(e.db, lo), -1);
		assert_int_equal(errno, ENOENT);
		/* Tunnel mode: the SA is between the gateways. */
		tun = rq;
		tun.mode = PFKV2_MODE_TUNNEL;
		tun.src = tu_addr(GB, 0);
		tun.dst = tu_addr(GA, 0);
		p.reqs = &tun;
		p.src.proto = 0;
		p.src.addr = tu_addr(B, 0);
		p.dst.addr = tu_addr(A, 0);
		p.pol.dir = PFKV2_DIR_INBOUND;
		assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, &tid), 0);
		/* Inbound without its SA: dropped, no ACQUIRE. */
		assert_int_equal(packet_dir(&e, PFKV2_DIR_INBOUND, &id),
		    PFKV2_DISCARD);
		assert_int_equal(id, tid);
		tu_none(&e, 0);
		tun.src = tu_addr(GA, 0);
		tun.dst = tu_addr(GB, 0);
		p.src.addr = tu_addr(A, 0);
		p.dst.addr = tu_addr(B, 0);
		p.pol.dir = PFKV2_DIR_OUTBOUND;
		assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, &tid), 0);
		assert_int_equal(packet_dir(&e, PFKV2_DIR_OUTBOUND, &id),
		    PFKV2_ACQUIRE);
		assert_int_equal(id, tid);
		tu_expect(&e, 0, PFKV2_MSG_ACQUIRE, 0, buf, sizeof(buf), &v);
		assert_int_equal(pfkv2_get_address(&v, PFKV2_EXT_ADDRESS_DST,
		    &a), 0);
		assert_memory_equal(a.addr.addr, tun.dst.addr, 4);
		/* Level "use": goes without the SA. */
		tun.level = PFKV2_LEVEL_USE;
		assert_int_equal(pfkv2_sadb_policy_delete(e.db, tid), 0);
		assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, &tid), 0);
		assert_int_equal(packet_dir(&e, PFKV2_DIR_OUTBOUND, &id),
		    PFKV2_PROTECTED);
		tu_drain(&e);
		tu_fini(&e);
	}
}

/* Bad arguments to the direct calls. */
static void
test_policy_args(void **state)
{
	struct pfkv2_sadb_policy p;
	struct pfkv2_packet k;
	struct tu_eng e;

	(void)state;
	tu_init(&e, ILL, 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, NULL), -1);
	assert_int_equal(errno, EINVAL);
	p.src.addr = tu_addr(A, 0);
	p.dst.addr = tu_addr("2001:db8::1", 0);
	p.pol.dir = PFKV2_DIR_OUTBOUND;
	assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, NULL), -1);
	p.dst.addr = tu_addr(B, 0);
	p.dst.prefixlen = 33;
	assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, NULL), -1);
	memset(&k, 0, sizeof(k));
	assert_int_equal(pfkv2_sadb_packet(e.db, &k, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfkv2_sadb_packet(NULL, &k, NULL), -1);
	tu_fini(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spd_messages),
		cmocka_unit_test(test_fwd),
		cmocka_unit_test(test_spdupdate_atomic),
		cmocka_unit_test(test_policy_lifetime),
		cmocka_unit_test(test_packets),
		cmocka_unit_test(test_policy_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
