/*
 * Linux's "full SA dump" message (emit_linux() in sadb_out.c) from a
 * template: the reply to ADD, GET, DELETE and GETSPI and every DUMP
 * record of the Linux dialect; and out_sa_msg(), which writes it straight
 * into the queue node that will carry it.
 *
 * The builder checks, maps and accounts for every extension it puts,
 * about 1,100 instructions for the ten of an ESP SA.  But the message's
 * first seven extensions (SA, HARD, SOFT, CURRENT, SRC, DST, PROXY) have
 * one layout per address family, and most of their bytes (extension
 * headers, sockaddr heads, prefix lengths, protocols, padding, the
 * 0.0.0.0/0 PROXY) are the same for every SA.  linux_tmpl_init() has the
 * builder write them once per engine and family; linux_sa_msg() takes
 * those bytes from that template, stores the values that vary, and
 * appends the keys, SA2 and any stored NAT-T and security-context
 * extensions.  The values are mapped to the wire through byte tables
 * made at the same time.
 *
 * Only the common shape takes this path: HARD and SOFT both reported, no
 * stored PROXY, an IPv4 or IPv6 SA, values the dialect can map, a
 * message that fits.  Anything else (EXPIRE, selectors, ...) returns -1
 * and goes to the builder, which also decides every error.  So the bytes
 * are the builder's by construction; test_sadb_out compares the two on
 * SAs of every shape and test_sadb_vectors compares with real kernel
 * captures.
 */
#include "sadb_int.h"

/* Offsets in the template (pfkey-structs.md 6; emit_linux()'s order). */
#define T_SA		16
#define T_HARD		32
#define T_SOFT		64
#define T_CUR		96
#define T_SRC		128
#define T_ADDR4		12	/* sin_addr in an address extension */
#define T_ADDR6		16	/* sin6_addr */

static size_t
addr_ext_size(uint8_t family)
{
	/* Linux's sockaddr_in6 is 28 bytes, padded with the header to 40. */
	return family == PFKV2_AF_INET6 ? 40 : 24;
}

/* The name spaces of the values linux_sa_msg() maps, LX_* order. */
static const enum pfkv2_space lx_space[LX_NSPACE] = {
	PFKV2_SP_MSG, PFKV2_SP_SATYPE, PFKV2_SP_SASTATE, PFKV2_SP_AALG,
	PFKV2_SP_EALG, PFKV2_SP_CALG, PFKV2_SP_MODE
};

/*
 * The wire byte of every 8-bit canonical id in those spaces, LX_NONE
 * where the dialect has none: one load per value instead of a bounds
 * test and the c2w table's +1.  false if a wire value does not fit.
 */
static bool
wire_tables(struct pfkv2_sadb *db)
{
	const struct dl_map *m;
	unsigned t, id;

	for (t = 0; t < LX_NSPACE; t++) {
		m = &db->dl->map[lx_space[t]];
		for (id = 0; id < 256; id++) {
			db->lx_wire[t][id] = LX_NONE;
			if (m->c2w == NULL || id >= m->ncanon ||
			    m->c2w[id] == 0)
				continue;
			if (m->c2w[id] - 1 >= LX_NONE)
				return false;
			db->lx_wire[t][id] = (uint8_t)(m->c2w[id] - 1);
		}
	}
	return db->dl->map[PFKV2_SP_EXT].c2w != NULL;
}

/* The template of a family is laid out as the offsets above say. */
static bool
tmpl_layout(const struct pfkv2_sadb *db, const uint8_t *t, size_t asz)
{
	static const struct {
		unsigned ext;
		size_t off, mul, size;
	} want[] = {
		{ PFKV2_EXT_SA, T_SA, 0, 16 },
		{ PFKV2_EXT_LIFETIME_HARD, T_HARD, 0, 32 },
		{ PFKV2_EXT_LIFETIME_SOFT, T_SOFT, 0, 32 },
		{ PFKV2_EXT_LIFETIME_CURRENT, T_CUR, 0, 32 },
		{ PFKV2_EXT_ADDRESS_SRC, T_SRC, 0, 0 },
		{ PFKV2_EXT_ADDRESS_DST, T_SRC, 1, 0 },
		{ PFKV2_EXT_ADDRESS_PROXY, T_SRC, 2, 0 },
	};
	const uint16_t *xw = db->dl->map[PFKV2_SP_EXT].c2w;
	const uint8_t *e;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		e = t + want[i].off + want[i].mul * asz;
		if (ld16(e + 2) != xw[want[i].ext] - 1u ||
		    (size_t)ld16(e) * PFKV2_WORD !=
		    (want[i].size != 0 ? want[i].size : asz))
			return false;
	}
	return true;
}

void
linux_tmpl_init(struct pfkv2_sadb *db)
{
	static const uint8_t fam[2] = { PFKV2_AF_INET, PFKV2_AF_INET6 };
	struct sa s;
	struct sa_msg m;
	size_t head;
	long n;
	int f;

	db->lx_ok = 0;
	if (!wire_tables(db))
		return;
	for (f = 0; f < 2; f++) {
		memset(&s, 0, sizeof(s));
		s.satype = PFKV2_SATYPE_ESP;
		s.mode = PFKV2_MODE_TRANSPORT;
		s.family = fam[f];
		m.sa = &s;
		m.type = PFKV2_MSG_GET;
		m.seq = m.pid = 0;
		m.what = OUT_HARD | OUT_SOFT;
		m.state = PFKV2_SASTATE_MATURE;
		head = T_SRC + 3 * addr_ext_size(fam[f]);
		n = out_build(db, emit_sa, &m);
		if (n < (long)head || head > sizeof(db->lx_tmpl[f]) ||
		    !tmpl_layout(db, db->obuf, addr_ext_size(fam[f])))
			return;
		memcpy(db->lx_tmpl[f], db->obuf, head);
	}
	db->lx_ok = 1;
}

static inline void
lifetime(uint8_t *p, uint32_t alloc, uint64_t bytes, uint64_t addtime,
    uint64_t usetime)
{
	st32(p + OFF(lifetime, sadb_lifetime_allocations), alloc);
	st64(p + OFF(lifetime, sadb_lifetime_bytes), bytes);
	st64(p + OFF(lifetime, sadb_lifetime_addtime), addtime);
	st64(p + OFF(lifetime, sadb_lifetime_usetime), usetime);
}

static inline size_t
key_ext_size(unsigned bits)
{
	return pad8(8u + (bits + 7u) / 8u);
}

/*
 * pfkv2_put_key()'s bytes: bits, reserved 0, the key, zero padding.  The
 * SA keeps each key zero-padded to a word (key_pad()): whole words here.
 */
static uint8_t *
put_key(uint8_t *p, const uint16_t *xw, unsigned ext, unsigned bits,
    const uint8_t *key)
{
	size_t size = key_ext_size(bits), i;

	ext_head(p, size, xw[ext] - 1u);
	st16(p + OFF(key, sadb_key_bits), (uint16_t)bits);
	st16(p + OFF(key, sadb_key_reserved), 0);
	for (i = 8; i < size; i += 8)
		st64(p + i, ld64(key + i - 8));
	return p + size;
}

/* A stored extension as it came (put_side()). */
static uint8_t *
put_raw(uint8_t *p, const struct sa_side *side, unsigned ext)
{
	const uint8_t *e;
	size_t len;

	if ((e = side_ext(side, ext, &len)) == NULL)
		return p;
	memcpy(p, e, len);
	return p + len;
}

/* Bytes of the stored extensions put after SA2. */
static size_t
tail_size(const struct sa_side *side)
{
	static const unsigned tail[] = {
		PFKV2_EXT_NAT_T_TYPE, PFKV2_EXT_NAT_T_SPORT,
		PFKV2_EXT_NAT_T_DPORT, PFKV2_EXT_SEC_CTX
	};
	size_t i, len, n = 0;

	for (i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		if (side_ext(side, tail[i], &len) != NULL)
			n += len;
	return n;
}

/* linux_sa_msg(), inline in out_sa_msg(): the path of every reply. */
static ALWAYS_INLINE long
lx_write(struct pfkv2_sadb *db, const struct sa_msg *m, uint8_t *buf,
    size_t cap)
{
	const uint16_t *xw = db->dl->map[PFKV2_SP_EXT].c2w;
	const struct sa *s = m->sa;
	bool v6 = s->family == PFKV2_AF_INET6;
	const uint8_t *t = db->lx_tmpl[v6];
	bool keys = (m->what & OUT_KEYS) &&
	    !(db->o.flags & PFKV2_SADB_NO_KEYS);
	size_t asz = addr_ext_size(s->family), head = T_SRC + 3 * asz;
	size_t total;
	unsigned type, satype, state, auth, enc, mode;
	uint8_t *p = buf;

	db->okeys = 0;
	if (!db->lx_ok || (m->what & (OUT_HARD | OUT_SOFT)) !=
	    (OUT_HARD | OUT_SOFT) || (!v6 && s->family != PFKV2_AF_INET) ||
	    (s->side != NULL &&
	    side_ext(s->side, PFKV2_EXT_ADDRESS_PROXY, NULL) != NULL))
		return -1;
	if (m->type > 255)	/* the tables cover 8-bit ids */
		return -1;
	type = db->lx_wire[LX_MSG][m->type];
	satype = db->lx_wire[LX_SATYPE][s->satype];
	state = db->lx_wire[LX_SASTATE][m->state];
	auth = db->lx_wire[LX_AALG][s->auth];
	enc = db->lx_wire[s->satype == PFKV2_SATYPE_IPCOMP ? LX_CALG :
	    LX_EALG][s->encrypt];
	mode = db->lx_wire[LX_MODE][s->mode];
	if (type == LX_NONE || satype == LX_NONE || state == LX_NONE ||
	    auth == LX_NONE || enc == LX_NONE || mode == LX_NONE)
		return -1;
	total = head + 16;
	if (keys && s->abits != 0)
		total += key_ext_size(s->abits);
	if (keys && s->ebits != 0)
		total += key_ext_size(s->ebits);
	if (s->side != NULL)
		total += tail_size(s->side);
	if (total > cap)
		return -1;

	/*
	 * SA .. PROXY: from the template what every SA shares (the base
	 * header's constant bytes, the extension headers, the addresses but
	 * for their IPs, PROXY), then what differs from SA to SA.  Only the
	 * bytes not written below are copied.
	 */
	st64(p, ld64(t));
	st32(p + T_SA, ld32(t + T_SA));
	st32(p + T_HARD, ld32(t + T_HARD));
	st32(p + T_SOFT, ld32(t + T_SOFT));
	st32(p + T_CUR, ld32(t + T_CUR));
	if (v6)
		memcpy(p + T_SRC, t + T_SRC, 3 * 40);
	else
		memcpy(p + T_SRC, t + T_SRC, 3 * 24);
	p[OFF(msg, sadb_msg_type)] = (uint8_t)type;
	p[OFF(msg, sadb_msg_satype)] = (uint8_t)satype;
	st16(p + OFF(msg, sadb_msg_len), (uint16_t)(total / PFKV2_WORD));
	st32(p + OFF(msg, sadb_msg_seq), m->seq);
	st32(p + OFF(msg, sadb_msg_pid), m->pid);
	st32(p + T_SA + OFF(sa, sadb_sa_spi), be32(s->spi));
	p[T_SA + OFF(sa, sadb_sa_replay)] = s->replay;
	p[T_SA + OFF(sa, sadb_sa_state)] = (uint8_t)state;
	p[T_SA + OFF(sa, sadb_sa_auth)] = (uint8_t)auth;
	p[T_SA + OFF(sa, sadb_sa_encrypt)] = (uint8_t)enc;
	st32(p + T_SA + OFF(sa, sadb_sa_flags), s->wflags);
	lifetime(p + T_HARD, s->hard_alloc, s->hard.bytes, s->hard.addtime,
	    s->hard.usetime);
	lifetime(p + T_SOFT, s->soft_alloc, s->soft.bytes, s->soft.addtime,
	    s->soft.usetime);
	lifetime(p + T_CUR, s->cur_alloc, s->cur_bytes, s->addtime,
	    (s->fl & SAF_USED) ? s->usetime : 0);
	if (v6) {
		memcpy(p + T_SRC + T_ADDR6, s->src, 16);
		memcpy(p + T_SRC + asz + T_ADDR6, s->dst, 16);
	} else {
		memcpy(p + T_SRC + T_ADDR4, s->src, 4);
		memcpy(p + T_SRC + asz + T_ADDR4, s->dst, 4);
	}
	p += head;

	if (keys && s->abits != 0) {
		db->okeys = 1;
		p = put_key(p, xw, PFKV2_EXT_KEY_AUTH, s->abits, s->keys);
	}
	if (keys && s->ebits != 0) {
		db->okeys = 1;
		p = put_key(p, xw, PFKV2_EXT_KEY_ENCRYPT, s->ebits,
		    sa_ekey(s));
	}
	ext_head(p, 16, xw[PFKV2_EXT_SA2] - 1u);
	p[OFF(x_sa2, sadb_x_sa2_mode)] = (uint8_t)mode;
	p[OFF(x_sa2, sadb_x_sa2_reserved1)] = 0;
	st16(p + OFF(x_sa2, sadb_x_sa2_reserved2), 0);
	st32(p + OFF(x_sa2, sadb_x_sa2_sequence), 0);
	st32(p + OFF(x_sa2, sadb_x_sa2_reqid), s->reqid);
	p += 16;
	if (s->side != NULL) {
		p = put_raw(p, s->side, PFKV2_EXT_NAT_T_TYPE);
		p = put_raw(p, s->side, PFKV2_EXT_NAT_T_SPORT);
		p = put_raw(p, s->side, PFKV2_EXT_NAT_T_DPORT);
		put_raw(p, s->side, PFKV2_EXT_SEC_CTX);
	}
	return (long)total;
}

long
linux_sa_msg(struct pfkv2_sadb *db, const struct sa_msg *m, uint8_t *buf,
    size_t cap)
{
	return lx_write(db, m, buf, cap);
}

/*
 * Written in the node that will be queued, a message is neither copied
 * out of db->obuf nor wiped there afterwards.
 */
int
out_sa_msg(struct pfkv2_sadb *db, const struct sa_msg *m, struct built *out)
{
	struct qmsg *q;
	long n;

	if (db->d == PFKV2_DIALECT_LINUX && ((q = qnode_take(db)) != NULL ||
	    (q = qmsg_new(db, NULL, QNODE_DATA, false)) != NULL)) {
		if ((n = lx_write(db, m, q->data, QNODE_DATA)) >= 0) {
			q->len = (uint32_t)n;
			q->keys = db->okeys;
			db->okeys = 0;
			out->node = q;
			out->len = (size_t)n;
			return 0;
		}
		qmsg_free(db, q);
	}
	if ((n = out_sa(db, m)) < 0)
		return -1;
	out->node = NULL;
	out->len = (size_t)n;
	return 0;
}
