/*
 * Engine tests of the fast paths behind the messages: the Linux SA
 * message written from a template (lib/sadb_linux.c) must be the bytes
 * the builder makes (emit_sa()) for every SA and every way it is
 * reported, or decline; freed key blocks are wiped; recycled queue nodes
 * carry every message intact.  These tests reach into the engine
 * (sadb_int.h) to call both writers side by side.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sadbtu.h"
#include "sadb_int.h"

static uint8_t buf[70000], fast[70000];

/* What an SA of the test is made of. */
struct shape {
	unsigned satype;
	const char *src, *dst;
	uint16_t auth, enc, abits, ebits;
	uint8_t replay;
	uint32_t flags_raw;
	uint16_t mode;
	uint32_t reqid;
	bool natt, proxy;
	uint16_t ctx;		/* bytes of security context, 0: none */
	bool lifetimes;
};

static const struct shape shapes[] = {
	{ PFKV2_SATYPE_ESP, "10.0.0.1", "10.0.0.2", PFKV2_AALG_SHA1HMAC,
	    PFKV2_EALG_AESCBC, 160, 128, 32, 0, PFKV2_MODE_TUNNEL, 7,
	    false, false, 0, true },
	{ PFKV2_SATYPE_ESP, "2001:db8::1", "2001:db8::2",
	    PFKV2_AALG_SHA2_256HMAC, PFKV2_EALG_AESCBC, 256, 256, 64, 0x40,
	    PFKV2_MODE_TRANSPORT, 0, false, false, 0, true },
	{ PFKV2_SATYPE_AH, "10.0.0.1", "10.0.0.3", PFKV2_AALG_MD5HMAC, 0,
	    128, 0, 4, 0, 0, 0, false, false, 0, false },
	{ PFKV2_SATYPE_ESP, "10.0.0.1", "10.0.0.4", PFKV2_AALG_NONE,
	    PFKV2_EALG_AESCBC, 0, 160 + 3, 0, 0, PFKV2_MODE_BEET, 1,
	    false, false, 0, true },
	{ PFKV2_SATYPE_ESP, "10.0.0.1", "10.0.0.5", PFKV2_AALG_SHA1HMAC,
	    PFKV2_EALG_AESCBC, 160, 128, 32, 0, PFKV2_MODE_TUNNEL, 0,
	    true, false, 0, true },
	{ PFKV2_SATYPE_ESP, "2001:db8::1", "2001:db8::6", PFKV2_AALG_SHA1HMAC,
	    PFKV2_EALG_AESCBC, 160, 128, 32, 0, 0, 0, true, false, 12,
	    true },
	/* Too long for a recycled queue node: written in db->obuf. */
	{ PFKV2_SATYPE_ESP, "2001:db8::1", "2001:db8::9",
	    PFKV2_AALG_SHA2_512HMAC, PFKV2_EALG_AESCBC, 512, 256, 32, 0,
	    PFKV2_MODE_TUNNEL, 9, true, false, 300, true },
	{ PFKV2_SATYPE_ESP, "10.0.0.1", "10.0.0.7", PFKV2_AALG_SHA1HMAC,
	    PFKV2_EALG_AESCBC, 160, 128, 32, 0, 0, 0, false, true, 0,
	    true },
	{ PFKV2_SATYPE_IPCOMP, "10.0.0.1", "10.0.0.8", 0,
	    PFKV2_CALG_DEFLATE, 0, 0, 0, 0, PFKV2_MODE_TUNNEL, 3,
	    false, false, 0, false },
};

static void
add(struct tu_eng *e, const struct shape *s, uint32_t spi)
{
	struct pfkv2_builder b;
	struct pfkv2_sa sa = { .spi = spi, .replay = s->replay,
	    .state = PFKV2_SASTATE_MATURE, .auth = s->auth, .encrypt = s->enc,
	    .flags_raw = s->flags_raw };
	struct pfkv2_lifetime h = { 5, 1u << 30, 3600, 7200 };
	struct pfkv2_lifetime so = { 4, 1u << 29, 3000, 6000 };
	struct pfkv2_address a;
	struct pfkv2_sa2 sa2 = { s->mode, 0, s->reqid };
	static const uint8_t kbytes[64] = { 0x11, 0x22, 0x33, 0x44, 0x55,
	    0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x10,
	    0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xa9, 0xba };
	struct pfkv2_key k;
	static char text[300];
	struct pfkv2_sec_ctx ctx = { 1, 1, s->ctx, text };
	long n;

	assert_int_equal(pfkv2_builder_init(&b, buf, sizeof(buf), e->d), 0);
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_ADD, s->satype, spi,
	    1000), 0);
	assert_int_equal(pfkv2_put_sa(&b, &sa), 0);
	if (s->lifetimes) {
		assert_int_equal(pfkv2_put_lifetime(&b,
		    PFKV2_EXT_LIFETIME_HARD, &h), 0);
		assert_int_equal(pfkv2_put_lifetime(&b,
		    PFKV2_EXT_LIFETIME_SOFT, &so), 0);
	}
	memset(&a, 0, sizeof(a));
	a.addr = tu_addr(s->src, 500);
	a.prefixlen = a.addr.family == PFKV2_AF_INET ? 32 : 128;
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &a), 0);
	a.addr = tu_addr(s->dst, 4500);
	assert_int_equal(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &a), 0);
	if (s->proxy) {
		a.addr = tu_addr(s->src, 0);
		a.prefixlen = 24;
		a.proto = 17;
		assert_int_equal(pfkv2_put_address(&b,
		    PFKV2_EXT_ADDRESS_PROXY, &a), 0);
	}
	if (s->abits != 0) {
		k.data = kbytes;
		k.bits = s->abits;
		k.reserved = 0;
		assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &k), 0);
	}
	if (s->ebits != 0) {
		k.data = kbytes + 3;
		k.bits = s->ebits;
		k.reserved = 0;
		assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &k),
		    0);
	}
	if (s->mode != 0 || s->reqid != 0)
		assert_int_equal(pfkv2_put_sa2(&b, &sa2), 0);
	if (s->natt) {
		assert_int_equal(pfkv2_put_nat_t_type(&b, 2), 0);
		assert_int_equal(pfkv2_put_nat_t_port(&b,
		    PFKV2_EXT_NAT_T_SPORT, 4500), 0);
		assert_int_equal(pfkv2_put_nat_t_port(&b,
		    PFKV2_EXT_NAT_T_DPORT, 4501), 0);
	}
	memset(text, 'c', sizeof(text));
	if (s->ctx != 0)
		assert_int_equal(pfkv2_put_sec_ctx(&b, &ctx), 0);
	n = pfkv2_builder_finish(&b);
	assert_true(n > 0);
	assert_int_equal(pfkv2_sadb_send(e->ep[0], buf, (size_t)n), 0);
	n = pfkv2_sadb_recv(e->ep[0], buf, sizeof(buf));
	assert_true(n >= 16);
	assert_int_equal(buf[2], 0);
	(void)tu_drain(e);
}

/* Each way an SA is reported (what, the type, the state reported). */
static const struct {
	unsigned type, what;
	uint8_t state;
} ways[] = {
	{ PFKV2_MSG_GET, OUT_KEYS | OUT_HARD | OUT_SOFT, 0xff },
	{ PFKV2_MSG_DUMP, OUT_KEYS | OUT_HARD | OUT_SOFT, 0xff },
	{ PFKV2_MSG_ADD, OUT_KEYS | OUT_HARD | OUT_SOFT,
	    PFKV2_SASTATE_MATURE },
	{ PFKV2_MSG_DELETE, OUT_KEYS | OUT_HARD | OUT_SOFT,
	    PFKV2_SASTATE_DEAD },
	{ PFKV2_MSG_GETSPI, OUT_HARD | OUT_SOFT, PFKV2_SASTATE_LARVAL },
	{ PFKV2_MSG_EXPIRE, OUT_EXPIRE | OUT_HARD, PFKV2_SASTATE_DEAD },
	{ PFKV2_MSG_EXPIRE, OUT_EXPIRE | OUT_SOFT, PFKV2_SASTATE_DYING },
};

/*
 * Both writers on every live SA, every way: the fast one declines or
 * gives the builder's bytes and says whether they hold keys.  Returns
 * how often it did not decline.
 */
static unsigned
compare_all(struct pfkv2_sadb *db)
{
	struct sa_msg m;
	uint32_t i;
	size_t w;
	long nb, nf;
	bool keys;
	unsigned taken = 0;

	for (i = 0; i < db->sas.hi; i++) {
		if (!(sa_at(db, i)->fl & SAF_LIVE))
			continue;
		for (w = 0; w < sizeof(ways) / sizeof(ways[0]); w++) {
			m.sa = sa_at(db, i);
			m.type = ways[w].type;
			m.seq = 0x01020304u + i;
			m.pid = 0x0a0b0c0du;
			m.what = ways[w].what;
			m.state = ways[w].state != 0xff ? ways[w].state :
			    m.sa->state;
			nb = out_build(db, emit_sa, &m);
			assert_true(nb > 0);
			keys = db->okeys != 0;
			memcpy(buf, db->obuf, (size_t)nb);
			wipe(db->obuf, (size_t)nb);
			db->okeys = 0;
			nf = linux_sa_msg(db, &m, fast, sizeof(fast));
			if (nf < 0) {
				assert_int_equal(db->okeys, 0);
				continue;
			}
			taken++;
			assert_int_equal(nf, nb);
			assert_memory_equal(fast, buf, (size_t)nb);
			assert_int_equal(db->okeys != 0, keys);
			/* Too small a buffer: declined, nothing claimed. */
			db->okeys = 0;
			assert_int_equal(linux_sa_msg(db, &m, fast,
			    (size_t)nb - 8), -1);
			assert_int_equal(db->okeys, 0);
		}
	}
	return taken;
}

static void
test_writer_matches_builder(void **state)
{
	static const uint32_t flags[2] = { 0, PFKV2_SADB_NO_KEYS };
	struct tu_eng e;
	struct pfkv2_addr dst;
	size_t s, f;
	unsigned taken;

	(void)state;
	for (f = 0; f < 2; f++) {
		tu_init(&e, PFKV2_DIALECT_LINUX, flags[f]);
		assert_int_equal(e.db->lx_ok, 1);
		for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
			add(&e, &shapes[s], 0x1000 + (uint32_t)s);
		/* A larval SA, and one that has seen traffic. */
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GETSPI,
		    PFKV2_SATYPE_ESP, 0, "10.0.1.1", "10.0.1.2"), 0);
		dst = tu_addr("10.0.0.2", 0);
		assert_int_equal(pfkv2_sadb_charge(e.db, PFKV2_SATYPE_ESP,
		    0x1000, &dst, 1234, 3), 0);
		assert_true(pfkv2_sadb_advance(e.db, 10) >= 0);
		(void)tu_drain(&e);
		taken = compare_all(e.db);
		/*
		 * Every shape but the one with a PROXY, GET to GETSPI: the
		 * common shapes must take the fast path.
		 */
		assert_true(taken >= 5 * (sizeof(shapes) /
		    sizeof(shapes[0])));
		tu_fini(&e);
	}
}

/* The replies through the interface are the builder's too. */
static void
test_replies(void **state)
{
	struct tu_eng e;
	struct sa_msg m;
	struct tu_msg q;
	struct pfkv2_addr dst;
	long n, nb;
	size_t s;

	(void)state;
	tu_init(&e, PFKV2_DIALECT_LINUX, 0);
	for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		add(&e, &shapes[s], 0x2000 + (uint32_t)s);
		memset(&q, 0, sizeof(q));
		q.type = PFKV2_MSG_GET;
		q.satype = shapes[s].satype;
		q.sa = true;
		q.spi = 0x2000 + (uint32_t)s;
		q.src = shapes[s].src;
		q.dst = shapes[s].dst;
		assert_int_equal(tu_send(&e, 0, &q), 0);
		n = pfkv2_sadb_recv(e.ep[0], fast, sizeof(fast));
		assert_true(n > 16);
		dst = tu_addr(shapes[s].dst, 0);
		m.sa = sa_at(e.db, sa_find(e.db, shapes[s].satype,
		    0x2000 + (uint32_t)s, dst.family, dst.addr));
		m.type = PFKV2_MSG_GET;
		m.seq = 0;
		m.pid = 0;
		m.what = OUT_KEYS | OUT_HARD | OUT_SOFT;
		m.state = m.sa->state;
		nb = out_build(e.db, emit_sa, &m);
		assert_int_equal(n, nb);
		assert_memory_equal(fast, e.db->obuf, (size_t)nb);
		wipe(e.db->obuf, (size_t)nb);
		e.db->okeys = 0;
		(void)tu_drain(&e);
	}
	tu_fini(&e);
}

/* A freed key block keeps nothing of the key but the free-list link. */
static void
test_key_blocks_wiped(void **state)
{
	struct tu_eng e;
	const struct sa *sa;
	const uint8_t *k;
	size_t n, i;
	uint32_t idx;

	(void)state;
	tu_init(&e, PFKV2_DIALECT_LINUX, 0);
	add(&e, &shapes[0], 0x3000);
	add(&e, &shapes[1], 0x3001);
	idx = sa_find(e.db, PFKV2_SATYPE_ESP, 0x3000, PFKV2_AF_INET,
	    tu_addr("10.0.0.2", 0).addr);
	assert_true(idx != NIL);
	sa = sa_at(e.db, idx);
	k = sa->keys;
	n = (sa->abits + 7u) / 8u + (sa->ebits + 7u) / 8u;
	assert_int_equal(e.db->key_mem, n + 32 + 32);
	assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_DELETE, PFKV2_SATYPE_ESP,
	    0x3000, "10.0.0.1", "10.0.0.2"), 0);
	(void)tu_drain(&e);
	assert_int_equal(e.db->key_mem, 32 + 32);
	/* Still the engine's chunk: the bytes after the link are zero. */
	for (i = sizeof(void *); i < n; i++)
		assert_int_equal(k[i], 0);
	/* The block is reused for the next key set of its class. */
	add(&e, &shapes[0], 0x3002);
	idx = sa_find(e.db, PFKV2_SATYPE_ESP, 0x3002, PFKV2_AF_INET,
	    tu_addr("10.0.0.2", 0).addr);
	assert_ptr_equal(sa_at(e.db, idx)->keys, k);
	tu_fini(&e);
}

/* More messages queued than nodes are kept: all come out intact. */
static void
test_node_recycling(void **state)
{
	struct tu_eng e;
	struct pfkv2_view v;
	unsigned i, n = 3 * QFREE_MAX;
	long r;

	(void)state;
	tu_init(&e, PFKV2_DIALECT_LINUX, 0);
	for (i = 0; i < n; i++)
		add(&e, &shapes[i % 2], 0x4000 + i);
	for (i = 0; i < n; i++)
		assert_int_equal(tu_simple(&e, 0, PFKV2_MSG_GET,
		    PFKV2_SATYPE_ESP, 0x4000 + i, shapes[i % 2].src,
		    shapes[i % 2].dst), 0);
	for (i = 0; i < n; i++) {
		r = tu_recv(&e, 0, buf, sizeof(buf), &v);
		assert_true(r > 0);
		assert_int_equal(tu_sa(&v).spi, 0x4000 + i);
	}
	tu_none(&e, 0);
	assert_true(e.db->nqfree <= QFREE_MAX);
	tu_fini(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer_matches_builder),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_key_blocks_wiped),
		cmocka_unit_test(test_node_recycling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
