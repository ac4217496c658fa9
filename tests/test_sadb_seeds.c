/*
 * Engine tests: the scenarios of shared/seeds, one test each.
 *
 *	000  illumos bug 8989: an IKE SA rekey moves the child SAs to a new
 *	     KM cookie; IKEv2 cookies may change after being set, IKEv1
 *	     cookies and the KM protocol may not.
 *	001  Linux UPDATE (UPDSA) does not change the keys of a mature SA,
 *	     only of a larval one, and says nothing about it.
 *	002  a CHILD SA rekey updates the policy with X_SPDUPDATE: at no
 *	     instant does a packet find no policy (the FreeBSD race).
 *	003  "Dynamically maintaining SAs": REGISTER and the algorithms,
 *	     ACQUIRE, GETSPI to a larval SA, UPDATE to mature, soft then
 *	     hard EXPIRE making it DYING then DEAD.
 *	004  MOBIKE: an SA moves to new addresses (FreeBSD NEW_ADDRESS_*,
 *	     Linux X_MIGRATE), and SA2 in ACQUIRE names the request.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sadbtu.h"

#define A2	"203.0.113.7"

static uint8_t buf[70000];

static struct pfkv2_kmc
kmc_of(struct tu_eng *e, uint32_t spi, const char *src, const char *dst)
{
	struct pfkv2_view v;
	struct pfkv2_kmc k = { 0, 0 };

	(void)tu_count(e, 3);
	assert_int_equal(tu_simple(e, 3, PFKV2_MSG_GET, ESP, spi, src, dst),
	    0);
	tu_expect(e, 3, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
	pfkv2_get_kmc(&v, &k);
	return k;
}

static int
update_kmc(struct tu_eng *e, unsigned type, uint32_t spi, const char *src,
    const char *dst, uint16_t kmp, uint64_t cookie, uint16_t *diag)
{
	struct tu_msg m;
	struct pfkv2_view v;

	tu_add_msg(&m, ESP, spi, src, dst);
	m.type = type;
	m.abits = m.ebits = 0;
	m.kmc = true;
	m.kmp = kmp;
	m.cookie = cookie;
	(void)tu_count(e, 0);
	assert_int_equal(tu_send(e, 0, &m), 0);
	if (tu_recv(e, 0, buf, sizeof(buf), &v) <= 0)
		fail_msg("no UPDATE reply");
	*diag = pfkv2_view_reserved(&v);
	return buf[2];
}

/* 000: illumos KM cookies across an IKE SA rekey. */
static void
test_seed_kmc_rekey(void **state)
{
	struct tu_eng e;
	struct tu_msg m;
	uint64_t c1 = UINT64_C(0x1122334455667788);
	uint64_t c2 = UINT64_C(0x99aabbccddeeff00);
	uint16_t diag;

	(void)state;
	tu_init(&e, ILL, 0);
	/* A child SA pair made under IKE SA c1 (IKEv2). */
	tu_add_msg(&m, ESP, 0x1001, A, B);
	m.kmc = true;
	m.kmp = PFKV2_KMP_IKEV2;
	m.cookie = c1;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_add_msg(&m, ESP, 0x2001, B, A);
	m.kmc = true;
	m.kmp = PFKV2_KMP_IKEV2;
	m.cookie = c1;
	m.pair = 0x1001;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_drain(&e);
	assert_true(kmc_of(&e, 0x1001, A, B).cookie == c1);
	/* The IKE SA is rekeyed: both halves move to c2 at once. */
	assert_int_equal(update_kmc(&e, PFKV2_MSG_X_UPDATEPAIR, 0x1001, A, B,
	    PFKV2_KMP_IKEV2, c2, &diag), 0);
	assert_true(kmc_of(&e, 0x1001, A, B).cookie == c2);
	assert_true(kmc_of(&e, 0x2001, B, A).cookie == c2);
	/* And again: IKEv2 cookies change any number of times. */
	assert_int_equal(update_kmc(&e, PFKV2_MSG_UPDATE, 0x2001, B, A,
	    PFKV2_KMP_IKEV2, c1, &diag), 0);
	assert_true(kmc_of(&e, 0x2001, B, A).cookie == c1);
	/* The protocol may not change, even with the same cookie. */
	assert_int_equal(update_kmc(&e, PFKV2_MSG_UPDATE, 0x2001, B, A,
	    PFKV2_KMP_IKEV2, 0x1234, &diag), 0);
	assert_int_equal(update_kmc(&e, PFKV2_MSG_UPDATE, 0x2001, B, A,
	    PFKV2_KMP_IKE, 0x1234, &diag), EINVAL);
	assert_int_equal(diag, 49);
	assert_true(kmc_of(&e, 0x2001, B, A).proto == PFKV2_KMP_IKEV2);
	/* An IKEv1 SA: its (32-bit) cookie is fixed once set. */
	tu_add_msg(&m, ESP, 0x3001, A, B);
	m.kmc = true;
	m.kmp = PFKV2_KMP_IKE;
	m.cookie = 5;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_drain(&e);
	assert_true(kmc_of(&e, 0x3001, A, B).cookie == 5);
	assert_int_equal(update_kmc(&e, PFKV2_MSG_UPDATE, 0x3001, A, B,
	    PFKV2_KMP_IKE, 6, &diag), EINVAL);
	assert_int_equal(diag, 50);
	assert_true(kmc_of(&e, 0x3001, A, B).cookie == 5);
	/* The same cookie again is no change: accepted. */
	assert_int_equal(update_kmc(&e, PFKV2_MSG_UPDATE, 0x3001, A, B,
	    PFKV2_KMP_IKE, 5, &diag), 0);
	/* An SA without a cookie may be given one. */
	assert_int_equal(tu_add(&e, 0, ESP, 0x4001, A, B, NULL, NULL), 0);
	assert_int_equal(update_kmc(&e, PFKV2_MSG_UPDATE, 0x4001, A, B,
	    PFKV2_KMP_IKE, 9, &diag), 0);
	assert_true(kmc_of(&e, 0x4001, A, B).cookie == 9);
	tu_fini(&e);
}

/* 001: Linux UPDATE keeps a mature SA's keys, says nothing. */
static void
test_seed_updsa_keys(void **state)
{
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	struct pfkv2_key k;
	uint32_t spi;

	(void)state;
	tu_init(&e, LNX, 0);
	memset(&m, 0, sizeof(m));
	m.type = PFKV2_MSG_GETSPI;
	m.satype = ESP;
	m.seq = 3;
	m.src = B;
	m.dst = A;
	m.range = true;
	m.rmin = 0x100;
	m.rmax = 0x10000;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_GETSPI, 0, buf, sizeof(buf), &v);
	spi = tu_sa(&v).spi;
	/* Larval: the keys are taken. */
	tu_add_msg(&m, ESP, spi, B, A);
	m.type = PFKV2_MSG_UPDATE;
	m.ekey = 0x11;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_UPDATE, 0, buf, sizeof(buf), &v);
	/* Mature: new keys are accepted without error and ignored. */
	m.ekey = 0x22;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_UPDATE, 0, buf, sizeof(buf), &v);
	/* The notification tells of the request (its keys, state DEAD). */
	assert_int_equal(pfkv2_get_key(&v, PFKV2_EXT_KEY_ENCRYPT, &k), 0);
	assert_int_equal(((const uint8_t *)k.data)[0], 0x22);
	assert_int_equal(tu_sa(&v).state, PFKV2_SASTATE_DEAD);
	tu_drain(&e);
	assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, spi, B, A), 0);
	tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_get_key(&v, PFKV2_EXT_KEY_ENCRYPT, &k), 0);
	assert_int_equal(((const uint8_t *)k.data)[0], 0x11);
	assert_int_equal(tu_sa(&v).state, PFKV2_SASTATE_MATURE);
	tu_fini(&e);
}

static int
out_packet(struct tu_eng *e, const char *src, const char *dst)
{
	struct pfkv2_packet k;

	memset(&k, 0, sizeof(k));
	k.src = tu_addr(src, 0);
	k.dst = tu_addr(dst, 0);
	k.proto = 6;
	k.dir = PFKV2_DIR_OUTBOUND;
	k.bytes = 100;
	return pfkv2_sadb_packet(e->db, &k, NULL);
}

static void
spdupdate(struct tu_eng *e, uint32_t reqid)
{
	struct pfkv2_ipsecrequest rq;
	struct tu_msg m;

	memset(&rq, 0, sizeof(rq));
	rq.proto = 50;
	rq.mode = PFKV2_MODE_TRANSPORT;
	rq.level = PFKV2_LEVEL_UNIQUE;
	rq.reqid = reqid;
	memset(&m, 0, sizeof(m));
	m.type = PFKV2_MSG_X_SPDUPDATE;
	m.seq = reqid;
	m.pid = 1000;
	m.src = A;
	m.dst = B;
	m.proto = 255;
	m.pol = true;
	m.policy.type = PFKV2_POLICY_IPSEC;
	m.policy.dir = PFKV2_DIR_OUTBOUND;
	m.reqs = &rq;
	m.nreqs = 1;
	assert_int_equal(tu_send(e, 0, &m), 0);
}

static void
add_child(struct tu_eng *e, uint32_t spi, uint32_t reqid)
{
	struct tu_msg m;

	tu_add_msg(&m, ESP, spi, A, B);
	m.sa2 = true;
	m.mode = PFKV2_MODE_TRANSPORT;
	m.reqid = reqid;
	assert_int_equal(tu_send(e, 0, &m), 0);
}

/* 002: a CHILD SA rekey with X_SPDUPDATE; traffic never falls through. */
static void
test_seed_child_rekey(void **state)
{
	static const enum pfkv2_dialect kame[2] = { LNX, FBSD };
	struct tu_eng e;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		tu_init(&e, kame[i], 0);
		add_child(&e, 0x1001, 1);
		spdupdate(&e, 1);
		assert_int_equal(out_packet(&e, A, B), PFKV2_PROTECTED);
		/* Rekey: the new SA, the policy to it, the old SA away. */
		add_child(&e, 0x1002, 2);
		assert_int_equal(out_packet(&e, A, B), PFKV2_PROTECTED);
		spdupdate(&e, 2);
		assert_int_equal(out_packet(&e, A, B), PFKV2_PROTECTED);
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DELETE, ESP,
		    0x1001, A, B), 0);
		assert_int_equal(out_packet(&e, A, B), PFKV2_PROTECTED);
		tu_drain(&e);
		/* The traffic went to the new SA. */
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, 0x1002, A,
		    B), 0);
		{
			struct pfkv2_view v;
			struct pfkv2_lifetime cur;

			tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf),
			    &v);
			pfkv2_get_lifetime(&v, PFKV2_EXT_LIFETIME_CURRENT,
			    &cur);
			assert_int_equal(cur.bytes, 200);
		}
		tu_fini(&e);
	}
}

/* 003: REGISTER, ACQUIRE, GETSPI, UPDATE, soft and hard EXPIRE. */
static void
test_seed_dynamic(void **state)
{
	struct pfkv2_lifetime h = { .addtime = 3600 }, s = { .addtime = 3000 };
	struct pfkv2_ipsecrequest rq;
	struct pfkv2_sadb_policy p;
	struct pfkv2_alg alg;
	struct pfkv2_view v;
	struct tu_eng e;
	struct tu_msg m;
	uint32_t seq, spi;
	size_t i, n, k;
	bool aes;

	(void)state;
	for (i = 0; i < 3; i++) {
		tu_init(&e, tu_dialects[i], 0);
		/* The daemon registers and reads the algorithms. */
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_REGISTER, ESP, 0,
		    NULL, NULL), 0);
		tu_expect(&e, 0, PFKV2_MSG_REGISTER, 0, buf, sizeof(buf), &v);
		assert_int_equal(pfkv2_get_supported(&v,
		    PFKV2_EXT_SUPPORTED_ENCRYPT, &n), 0);
		for (aes = false, k = 0; k < n; k++) {
			assert_int_equal(pfkv2_get_alg(&v,
			    PFKV2_EXT_SUPPORTED_ENCRYPT, k, &alg), 0);
			aes |= alg.id == PFKV2_EALG_AESCBC;
		}
		assert_true(aes);
		/* Traffic needs an SA: ACQUIRE. */
		memset(&p, 0, sizeof(p));
		memset(&rq, 0, sizeof(rq));
		p.src.addr = tu_addr(A, 0);
		p.dst.addr = tu_addr(B, 0);
		p.src.prefixlen = p.dst.prefixlen = 32;
		p.pol.type = PFKV2_POLICY_IPSEC;
		p.pol.dir = PFKV2_DIR_OUTBOUND;
		rq.proto = 50;
		rq.mode = PFKV2_MODE_TRANSPORT;
		rq.level = PFKV2_LEVEL_REQUIRE;
		p.reqs = &rq;
		p.nreqs = 1;
		assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, NULL), 0);
		assert_int_equal(out_packet(&e, A, B), PFKV2_ACQUIRE);
		tu_expect(&e, 0, PFKV2_MSG_ACQUIRE, 0, buf, sizeof(buf), &v);
		seq = pfkv2_view_seq(&v);
		/* GETSPI: a larval SA (the peer makes it, here us). */
		memset(&m, 0, sizeof(m));
		m.type = PFKV2_MSG_GETSPI;
		m.satype = ESP;
		m.seq = seq;
		m.pid = 1000;
		m.src = A;
		m.dst = B;
		m.range = true;
		m.rmin = 0x100;
		m.rmax = 0xfffff;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_GETSPI, 0, buf, sizeof(buf), &v);
		spi = tu_sa(&v).spi;
		assert_int_equal(out_packet(&e, A, B), PFKV2_ACQUIRE);
		/* UPDATE: mature, with lifetimes. */
		tu_add_msg(&m, ESP, spi, A, B);
		m.type = PFKV2_MSG_UPDATE;
		m.seq = seq;
		m.hard = &h;
		m.soft = &s;
		assert_int_equal(tu_send(&e, 0, &m), 0);
		tu_expect(&e, 0, PFKV2_MSG_UPDATE, 0, buf, sizeof(buf), &v);
		tu_drain(&e);
		assert_int_equal(out_packet(&e, A, B), PFKV2_PROTECTED);
		/* Soft: DYING, still usable; hard: DEAD and gone. */
		assert_int_equal(pfkv2_sadb_advance(e.db, 3001), 1);
		tu_expect(&e, 0, PFKV2_MSG_EXPIRE, 0, buf, sizeof(buf), &v);
		assert_int_equal(tu_sa(&v).state, PFKV2_SASTATE_DYING);
		assert_int_equal(out_packet(&e, A, B), PFKV2_PROTECTED);
		assert_int_equal(pfkv2_sadb_advance(e.db, 600), 1);
		tu_expect(&e, 0, PFKV2_MSG_EXPIRE, 0, buf, sizeof(buf), &v);
		assert_int_equal(tu_sa(&v).state, PFKV2_SASTATE_DEAD);
		assert_int_equal(out_packet(&e, A, B), PFKV2_ACQUIRE);
		tu_drain(&e);
		tu_fini(&e);
	}
}

/* 004 on FreeBSD: UPDATE with NEW_ADDRESS_* moves the SA. */
static void
test_seed_mobike_freebsd(void **state)
{
	struct pfkv2_addr old = tu_addr(A, 0), neu = tu_addr(A2, 0);
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;
	struct pfkv2_key k;

	(void)state;
	tu_init(&e, FBSD, 0);
	assert_int_equal(tu_add(&e, 0, ESP, 0x1001, B, A, NULL, NULL), 0);
	tu_drain(&e);
	assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x1001, &old, 10, 1), 0);
	tu_add_msg(&m, ESP, 0x1001, B, A);
	m.type = PFKV2_MSG_UPDATE;
	m.abits = m.ebits = 0;
	m.ndst = A2;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 1, PFKV2_MSG_UPDATE, 0, buf, sizeof(buf), &v);
	assert_true(tu_has(&v, PFKV2_EXT_NEW_ADDRESS_DST));
	tu_drain(&e);
	/* Gone from the old pair, found at the new, keys and counts kept. */
	assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, 0x1001, B, A), 0);
	tu_expect(&e, 0, PFKV2_MSG_GET, ESRCH, buf, sizeof(buf), &v);
	assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, 0x1001, B, A2),
	    0);
	tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_get_key(&v, PFKV2_EXT_KEY_ENCRYPT, &k), 0);
	assert_int_equal(((const uint8_t *)k.data)[0], 0x5A);
	assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x1001, &old, 1, 1), -1);
	assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x1001, &neu, 1, 1), 0);
	/* Families must agree. */
	tu_add_msg(&m, ESP, 0x1001, B, A2);
	m.type = PFKV2_MSG_UPDATE;
	m.abits = m.ebits = 0;
	m.nsrc = "2001:db8::1";
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_UPDATE, EINVAL, buf, sizeof(buf), &v);
	tu_fini(&e);
}

static void
migrate_msg(struct tu_msg *m, struct pfkv2_ipsecrequest *rq,
    const char *nsrc, const char *ndst)
{
	memset(rq, 0, 2 * sizeof(*rq));
	rq[0].proto = 50;
	rq[0].mode = PFKV2_MODE_TUNNEL;
	rq[0].level = PFKV2_LEVEL_REQUIRE;
	rq[0].src = tu_addr(A, 0);
	rq[0].dst = tu_addr(B, 0);
	rq[1] = rq[0];
	rq[1].src = tu_addr(nsrc, 0);
	rq[1].dst = tu_addr(ndst, 0);
	memset(m, 0, sizeof(*m));
	m->type = PFKV2_MSG_X_MIGRATE;
	m->pid = 1000;
	m->src = "10.0.0.0";
	m->dst = "10.1.0.0";
	m->splen = m->dplen = 16;
	m->proto = 255;
	m->pol = true;
	m->policy.type = PFKV2_POLICY_IPSEC;
	m->policy.dir = PFKV2_DIR_OUTBOUND;
	m->reqs = rq;
	m->nreqs = 2;
}

/* 004 on Linux: X_MIGRATE moves the policy's template and the SA. */
static void
test_seed_mobike_linux(void **state)
{
	struct pfkv2_ipsecrequest rq[2], t;
	struct pfkv2_sadb_policy p;
	struct pfkv2_addr neu = tu_addr(A2, 0);
	struct pfkv2_packet k;
	struct tu_eng e;
	struct tu_msg m;
	struct pfkv2_view v;

	(void)state;
	tu_init(&e, LNX, 0);
	memset(&p, 0, sizeof(p));
	memset(&t, 0, sizeof(t));
	p.src.addr = tu_addr("10.0.0.0", 0);
	p.dst.addr = tu_addr("10.1.0.0", 0);
	p.src.prefixlen = p.dst.prefixlen = 16;
	p.pol.type = PFKV2_POLICY_IPSEC;
	p.pol.dir = PFKV2_DIR_OUTBOUND;
	t.proto = 50;
	t.mode = PFKV2_MODE_TUNNEL;
	t.level = PFKV2_LEVEL_REQUIRE;
	t.src = tu_addr(A, 0);
	t.dst = tu_addr(B, 0);
	p.reqs = &t;
	p.nreqs = 1;
	assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, NULL), 0);
	{
		struct tu_msg a;

		tu_add_msg(&a, ESP, 0x1001, A, B);
		a.sa2 = true;
		a.mode = PFKV2_MODE_TUNNEL;
		assert_int_equal(tu_send(&e, 0, &a), 0);
	}
	tu_drain(&e);
	memset(&k, 0, sizeof(k));
	k.src = tu_addr("10.0.0.5", 0);
	k.dst = tu_addr("10.1.0.9", 0);
	k.dir = PFKV2_DIR_OUTBOUND;
	assert_int_equal(pfkv2_sadb_packet(e.db, &k, NULL), PFKV2_PROTECTED);
	/* The local address changes: A -> A2. */
	migrate_msg(&m, rq, A2, B);
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 1, PFKV2_MSG_X_MIGRATE, 0, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_view_seq(&v), 0);
	tu_expect(&e, 0, PFKV2_MSG_X_MIGRATE, 0, buf, sizeof(buf), &v);
	/* Same SPI and keys, new endpoints; the policy uses them. */
	assert_int_equal(pfkv2_sadb_packet(e.db, &k, NULL), PFKV2_PROTECTED);
	assert_int_equal(pfkv2_sadb_charge(e.db, ESP, 0x1001,
	    &rq[1].dst, 1, 1), 0);
	(void)neu;
	assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, 0x1001, A2, B), 0);
	tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
	{
		struct pfkv2_address a;

		pfkv2_get_address(&v, PFKV2_EXT_ADDRESS_SRC, &a);
		assert_memory_equal(a.addr.addr, neu.addr, 4);
	}
	/* The old template no longer matches: migrating it again fails. */
	migrate_msg(&m, rq, A2, B);
	m.policy.dir = PFKV2_DIR_INBOUND;
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_X_MIGRATE, ENOENT, buf, sizeof(buf), &v);
	/* CVE-2026-31515: an IPv4 old and an IPv6 new endpoint. */
	migrate_msg(&m, rq, "2001:db8::7", "2001:db8::8");
	rq[0].src = tu_addr(A2, 0);
	assert_int_equal(tu_send(&e, 0, &m), 0);
	tu_expect(&e, 0, PFKV2_MSG_X_MIGRATE, 0, buf, sizeof(buf), &v);
	tu_drain(&e);
	assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET, ESP, 0x1001,
	    "2001:db8::7", "2001:db8::8"), 0);
	tu_expect(&e, 0, PFKV2_MSG_GET, 0, buf, sizeof(buf), &v);
	tu_fini(&e);
}

/* 004: FreeBSD's ACQUIRE carries SA2 naming the request (reqid). */
static void
test_seed_acquire_sa2(void **state)
{
	struct pfkv2_ipsecrequest rq;
	struct pfkv2_sadb_policy p;
	struct pfkv2_sa2 sa2;
	struct pfkv2_view v;
	struct tu_eng e;

	(void)state;
	tu_init(&e, FBSD, 0);
	tu_register(&e, 0, ESP);
	memset(&p, 0, sizeof(p));
	memset(&rq, 0, sizeof(rq));
	p.src.addr = tu_addr(A, 0);
	p.dst.addr = tu_addr(B, 0);
	p.src.prefixlen = p.dst.prefixlen = 32;
	p.pol.type = PFKV2_POLICY_IPSEC;
	p.pol.dir = PFKV2_DIR_OUTBOUND;
	rq.proto = 50;
	rq.mode = PFKV2_MODE_TRANSPORT;
	rq.level = PFKV2_LEVEL_UNIQUE;
	rq.reqid = 77;
	p.reqs = &rq;
	p.nreqs = 1;
	assert_int_equal(pfkv2_sadb_policy_add(e.db, &p, NULL), 0);
	assert_int_equal(out_packet(&e, A, B), PFKV2_ACQUIRE);
	tu_expect(&e, 0, PFKV2_MSG_ACQUIRE, 0, buf, sizeof(buf), &v);
	assert_int_equal(pfkv2_get_sa2(&v, &sa2), 0);
	assert_int_equal(sa2.reqid, 77);
	/* An SA with another reqid does not serve the unique request. */
	assert_int_equal(tu_add(&e, 1, ESP, 0x1001, A, B, NULL, NULL), 0);
	assert_int_equal(out_packet(&e, A, B), PFKV2_ACQUIRE);
	tu_drain(&e);
	tu_fini(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_kmc_rekey),
		cmocka_unit_test(test_seed_updsa_keys),
		cmocka_unit_test(test_seed_child_rekey),
		cmocka_unit_test(test_seed_dynamic),
		cmocka_unit_test(test_seed_mobike_freebsd),
		cmocka_unit_test(test_seed_mobike_linux),
		cmocka_unit_test(test_seed_acquire_sa2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
