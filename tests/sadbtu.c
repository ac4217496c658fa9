/* Helpers shared by the engine tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sadbtu.h"

const enum pfkv2_dialect tu_dialects[3] = {
	PFKV2_DIALECT_LINUX, PFKV2_DIALECT_FREEBSD, PFKV2_DIALECT_ILLUMOS
};

void
tu_init_opts(struct tu_eng *e, const struct pfkv2_sadb_opts *o)
{
	unsigned i;

	memset(e, 0, sizeof(*e));
	e->d = o->dialect;
	e->db = pfkv2_sadb_new(o);
	assert_non_null(e->db);
	for (i = 0; i < TU_NEP; i++) {
		e->ep[i] = pfkv2_sadb_open(e->db, 1000 + i);
		assert_non_null(e->ep[i]);
	}
}

void
tu_init(struct tu_eng *e, enum pfkv2_dialect d, uint32_t flags)
{
	struct pfkv2_sadb_opts o;

	pfkv2_sadb_opts_init(&o, d);
	o.flags = flags;
	o.start_time = 1000;
	tu_init_opts(e, &o);
}

void
tu_fini(struct tu_eng *e)
{
	assert_int_equal(sadb_check_line(e->db), 0);
	pfkv2_sadb_free(e->db);
	e->db = NULL;
}

struct pfkv2_addr
tu_addr(const char *text, uint16_t port)
{
	struct pfkv2_addr a;

	assert_int_equal(pfkv2_addr_parse(&a, text, port), 0);
	return a;
}

static void
put_addr(struct pfkv2_builder *b, unsigned ext, const char *text,
    uint16_t port, uint8_t plen, uint8_t proto)
{
	struct pfkv2_address a;

	memset(&a, 0, sizeof(a));
	a.addr = tu_addr(text, port);
	a.prefixlen = plen != 0 ? plen :
	    a.addr.family == PFKV2_AF_INET ? 32 : 128;
	a.proto = proto;
	assert_int_equal(pfkv2_put_address(b, ext, &a), 0);
}

size_t
tu_build(enum pfkv2_dialect d, const struct tu_msg *m, uint8_t *buf,
    size_t cap)
{
	struct pfkv2_builder b;
	struct pfkv2_sa sa;
	struct pfkv2_key k;
	struct pfkv2_sa2 sa2;
	struct pfkv2_kmc kmc;
	struct pfkv2_ident id;
	uint8_t akey[64], ekey[64];
	long n;

	assert_int_equal(pfkv2_builder_init(&b, buf, cap, d), 0);
	assert_int_equal(pfkv2_put_msg(&b, m->type, m->satype, m->seq,
	    m->pid), 0);
	if (m->err != 0)
		pfkv2_set_msg_errno(&b, m->err, 0);
	if (m->sa) {
		memset(&sa, 0, sizeof(sa));
		sa.spi = m->spi;
		sa.state = m->state != 0 ? m->state : PFKV2_SASTATE_MATURE;
		sa.auth = m->auth;
		sa.encrypt = m->enc;
		sa.replay = m->replay;
		sa.flags_raw = m->flags_raw;
		assert_int_equal(pfkv2_put_sa(&b, &sa), 0);
	}
	if (m->hard != NULL)
		assert_int_equal(pfkv2_put_lifetime(&b,
		    PFKV2_EXT_LIFETIME_HARD, m->hard), 0);
	if (m->soft != NULL)
		assert_int_equal(pfkv2_put_lifetime(&b,
		    PFKV2_EXT_LIFETIME_SOFT, m->soft), 0);
	if (m->cur != NULL)
		assert_int_equal(pfkv2_put_lifetime(&b,
		    PFKV2_EXT_LIFETIME_CURRENT, m->cur), 0);
	if (m->src != NULL)
		put_addr(&b, PFKV2_EXT_ADDRESS_SRC, m->src, m->sport, m->splen,
		    m->proto);
	if (m->dst != NULL)
		put_addr(&b, PFKV2_EXT_ADDRESS_DST, m->dst, m->dport, m->dplen,
		    m->proto);
	if (m->abits != 0) {
		memset(akey, m->akey ? m->akey : 0xA5, sizeof(akey));
		k.data = akey;
		k.bits = m->abits;
		k.reserved = 0;
		assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &k), 0);
	}
	if (m->ebits != 0) {
		memset(ekey, m->ekey ? m->ekey : 0x5A, sizeof(ekey));
		k.data = ekey;
		k.bits = m->ebits;
		k.reserved = 0;
		assert_int_equal(pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &k),
		    0);
	}
	if (m->ident_src != NULL) {
		memset(&id, 0, sizeof(id));
		id.type = PFKV2_IDENTTYPE_FQDN;
		id.str = m->ident_src;
		id.len = strlen(m->ident_src);
		assert_int_equal(pfkv2_put_ident(&b, PFKV2_EXT_IDENTITY_SRC,
		    &id), 0);
	}
	if (m->sa2) {
		sa2.mode = m->mode;
		sa2.sequence = 0;
		sa2.reqid = m->reqid;
		assert_int_equal(pfkv2_put_sa2(&b, &sa2), 0);
	}
	if (m->range)
		assert_int_equal(pfkv2_put_spirange(&b, m->rmin, m->rmax), 0);
	if (m->kmc) {
		kmc.proto = m->kmp;
		kmc.cookie = m->cookie;
		assert_int_equal(pfkv2_put_kmc(&b, &kmc), 0);
	}
	if (m->pair != 0)
		assert_int_equal(pfkv2_put_pair(&b, m->pair), 0);
	if (m->nsrc != NULL)
		put_addr(&b, PFKV2_EXT_NEW_ADDRESS_SRC, m->nsrc, 0, 0, m->proto);
	if (m->ndst != NULL)
		put_addr(&b, PFKV2_EXT_NEW_ADDRESS_DST, m->ndst, 0, 0, m->proto);
	if (m->pol)
		assert_int_equal(pfkv2_put_policy(&b, &m->policy, m->reqs,
		    m->nreqs), 0);
	if (m->natt) {
		assert_int_equal(pfkv2_put_nat_t_type(&b, m->natt_type), 0);
		assert_int_equal(pfkv2_put_nat_t_port(&b,
		    PFKV2_EXT_NAT_T_SPORT, m->natt_sport), 0);
		assert_int_equal(pfkv2_put_nat_t_port(&b,
		    PFKV2_EXT_NAT_T_DPORT, m->natt_dport), 0);
	}
	n = pfkv2_builder_finish(&b);
	assert_true(n >= 16);
	return (size_t)n;
}

int
tu_send(struct tu_eng *e, unsigned ep, const struct tu_msg *m)
{
	uint8_t buf[8192];
	size_t n = tu_build(e->d, m, buf, sizeof(buf));

	return pfkv2_sadb_send(e->ep[ep], buf, n);
}

long
tu_recv(struct tu_eng *e, unsigned ep, uint8_t *buf, size_t cap,
    struct pfkv2_view *v)
{
	struct pfkv2_diag d;
	long n = pfkv2_sadb_recv(e->ep[ep], buf, cap);

	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0) {
		assert_int_equal(errno, ENOBUFS);
		return -1;
	}
	if (v != NULL && pfkv2_parse(buf, (size_t)n, e->d, 0, v, &d) != 0) {
		char why[256];

		pfkv2_diag_format(&d, why, sizeof(why));
		fail_msg("engine output does not parse: %s", why);
	}
	return n;
}

void
tu_expect(struct tu_eng *e, unsigned ep, unsigned type, int err,
    uint8_t *buf, size_t cap, struct pfkv2_view *v)
{
	struct pfkv2_view tmp;
	long n = tu_recv(e, ep, buf, cap, v != NULL ? v : &tmp);

	if (n <= 0)
		fail_msg("endpoint %u: expected message type %u errno %d, got "
		    "%s", ep, type, err, n == 0 ? "nothing" : "ENOBUFS");
	if ((v != NULL ? v : &tmp)->type != type || buf[2] != err)
		fail_msg("endpoint %u: expected type %u errno %d, got type %u "
		    "errno %u", ep, type, err, (v != NULL ? v : &tmp)->type,
		    buf[2]);
}

void
tu_none(struct tu_eng *e, unsigned ep)
{
	if (pfkv2_sadb_pending(e->ep[ep]) != 0)
		fail_msg("endpoint %u: unexpected message of %zu bytes", ep,
		    pfkv2_sadb_pending(e->ep[ep]));
}

unsigned
tu_count(struct tu_eng *e, unsigned ep)
{
	uint8_t buf[70000];
	unsigned n = 0;
	long r;

	while ((r = pfkv2_sadb_recv(e->ep[ep], buf, sizeof(buf))) > 0 ||
	    (r < 0 && errno == ENOBUFS))
		if (r > 0)
			n++;
	return n;
}

unsigned
tu_drain(struct tu_eng *e)
{
	unsigned i, n = 0;

	for (i = 0; i < TU_NEP; i++)
		if (e->ep[i] != NULL)
			n += tu_count(e, i);
	return n;
}

void
tu_add_msg(struct tu_msg *m, unsigned satype, uint32_t spi, const char *src,
    const char *dst)
{
	memset(m, 0, sizeof(*m));
	m->type = PFKV2_MSG_ADD;
	m->satype = satype;
	m->seq = spi;
	m->pid = 1000;
	m->sa = true;
	m->spi = spi;
	m->replay = 4;
	m->src = src;
	m->dst = dst;
	if (satype == PFKV2_SATYPE_AH) {
		m->auth = PFKV2_AALG_SHA2_256HMAC;
		m->abits = 256;
	} else if (satype == PFKV2_SATYPE_ESP) {
		m->auth = PFKV2_AALG_SHA1HMAC;
		m->abits = 160;
		m->enc = PFKV2_EALG_AESCBC;
		m->ebits = 128;
	}
}

int
tu_add(struct tu_eng *e, unsigned ep, unsigned satype, uint32_t spi,
    const char *src, const char *dst, const struct pfkv2_lifetime *hard,
    const struct pfkv2_lifetime *soft)
{
	struct tu_msg m;

	tu_add_msg(&m, satype, spi, src, dst);
	m.hard = hard;
	m.soft = soft;
	return tu_send(e, ep, &m);
}

int
tu_simple(struct tu_eng *e, unsigned ep, unsigned type, unsigned satype,
    uint32_t spi, const char *src, const char *dst)
{
	struct tu_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.satype = satype;
	m.seq = 77;
	m.pid = 1000 + ep;
	m.sa = spi != 0;
	m.spi = spi;
	m.src = src;
	m.dst = dst;
	return tu_send(e, ep, &m);
}

size_t
tu_dump_all(struct tu_eng *e, unsigned ep, uint8_t *out, size_t cap)
{
	uint8_t buf[70000];
	struct pfkv2_view v;
	size_t used = 0;
	long n;

	(void)tu_count(e, ep);
	assert_int_equal(tu_simple(e, ep, PFKV2_MSG_DUMP, 0, 0, NULL, NULL),
	    0);
	while ((n = tu_recv(e, ep, buf, sizeof(buf), &v)) > 0) {
		/* Sequence numbers say where a message sits, not what. */
		memset(buf + 8, 0, 4);
		assert_true(used + (size_t)n <= cap);
		memcpy(out + used, buf, (size_t)n);
		used += (size_t)n;
	}
	return used;
}

bool
tu_has(const struct pfkv2_view *v, unsigned ext)
{
	return pfkv2_view_has(v, ext);
}

struct pfkv2_sa
tu_sa(const struct pfkv2_view *v)
{
	struct pfkv2_sa sa;

	memset(&sa, 0, sizeof(sa));
	assert_int_equal(pfkv2_get_sa(v, &sa), 0);
	return sa;
}

void
tu_register(struct tu_eng *e, unsigned ep, unsigned satype)
{
	assert_int_equal(tu_simple(e, ep, PFKV2_MSG_REGISTER, satype, 0, NULL,
	    NULL), 0);
	(void)tu_drain(e);
}
