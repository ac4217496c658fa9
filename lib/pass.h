/*
 * The parser's one pass, written once and instantiated by each dialect's
 * table file (lib/dialect/<name>.c) for its own table:
 *
 *	#define PASS_DL		pfkv2_dl_linux	   the table, defined above
 *	#define PASS_EXT_LIST	LINUX_EXT	   its extension X-list
 *	#define PASS_PFX	linux		   names linux_pass_request ...
 *	#include "../pass.h"
 *
 * Each instance sees its table as a constant, so every fact of the
 * dialect (sockaddr heads, w2c tables, rules) folds into the code, and it
 * dispatches on the wire extension type with one case per row of the
 * X-list, each case compiled for its canonical id.  Four copies per
 * dialect fold the flags a daemon and the engine use (DL_PASS_*).
 *
 * The pass only answers "every rule the flags ask for holds" (0, with the
 * view complete) or "let the ordered checks decide" (-1): it may refuse
 * more than lib/validate.c does, never accept what it refuses, and must
 * leave the view as it would.  Any refusal reruns parse_ordered(), which
 * names the first fault; fuzz_parse and test_validate compare the two.
 */
#ifndef PASS_DL
#error "define PASS_DL, PASS_EXT_LIST and PASS_PFX before including pass.h"
#endif

#include "internal.h"

#define PASS_CAT2(a, b)	a##_##b
#define PASS_CAT(a, b)	PASS_CAT2(a, b)
#define PASS_FN(n)	PASS_CAT(PASS_PFX, n)

#ifndef PFKV2_PASS_H_ONCE
#define PFKV2_PASS_H_ONCE

/* What the flags ask for; constants in the specialised copies. */
struct pass {
	const struct dl_dialect *dl;
	unsigned flags;		/* as given (REQUEST, REPLY for the message) */
	unsigned vflags;	/* as the field checks see them */
	bool strict;		/* canonical form */
	bool vals;		/* field values: MESSAGE, DIALECT or STRICT */
	bool known;		/* values must be known to the dialect */
	bool dia;		/* what the dialect's kernel refuses */
	bool req;		/* a request, as the field checks see it */
};

/* What a check found: P_BAD and P_OK are also false and true. */
enum { P_BAD, P_OK, P_COLD /* ok; run chk_values() after the walk */ };

static ALWAYS_INLINE struct pass
pass_init(const struct dl_dialect *dl, unsigned flags)
{
	struct pass p;

	p.dl = dl;
	p.flags = flags;
	p.strict = (flags & PFKV2_V_STRICT) != 0;
	p.dia = (flags & PFKV2_V_DIALECT) != 0;
	p.vals = (flags & PFKV2_V_ALL) != 0;
	/* Without MESSAGE/DIALECT the field checks ignore the direction. */
	p.vflags = (flags & (PFKV2_V_MESSAGE | PFKV2_V_DIALECT)) != 0 ? flags :
	    flags & ~(PFKV2_V_REQUEST | PFKV2_V_REPLY);
	p.req = (p.vflags & PFKV2_V_REQUEST) != 0;
	p.known = p.req || p.dia;
	return p;
}

/* The view's header fields, as the ordered checks fill them. */
static ALWAYS_INLINE void
pass_view_head(const struct dl_dialect *dl, const uint8_t *msg, size_t len,
    struct pfkv2_view *v)
{
	/* Every dialect maps MSG and SATYPE: no NULL tables here. */
	unsigned t = dl->map[PFKV2_SP_MSG].w2c[msg[OFF(msg, sadb_msg_type)]];
	unsigned st =
	    dl->map[PFKV2_SP_SATYPE].w2c[msg[OFF(msg, sadb_msg_satype)]];

	v->msg_ = msg;
	v->len_ = (uint32_t)len;
	v->dl_ = dl;
	v->dialect = (uint16_t)dl->id;
	v->type = (uint16_t)(t != 0 ? t - 1 :
	    PFKV2_WIRE(msg[OFF(msg, sadb_msg_type)]));
	v->satype = (uint16_t)(st != 0 ? st - 1 :
	    PFKV2_WIRE(msg[OFF(msg, sadb_msg_satype)]));
	v->nunknown = 0;
	v->unknown_off = 0;
}

/* Mask of the last n bytes of a little- or big-endian word in memory. */
static ALWAYS_INLINE uint64_t
tail_mask(size_t n)
{
	static const uint8_t m[8][8] = {
		{ 0, 0, 0, 0, 0, 0, 0, 0 },
		{ 0, 0, 0, 0, 0, 0, 0, 0xff },
		{ 0, 0, 0, 0, 0, 0, 0xff, 0xff },
		{ 0, 0, 0, 0, 0, 0xff, 0xff, 0xff },
		{ 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff },
		{ 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};

	return ld64(m[n]);
}

/* Whether the n (< 8) bytes before end are zero; end - 8 is readable. */
static ALWAYS_INLINE bool
zero_before(const uint8_t *end, size_t n)
{
	return (ld64(end - 8) & tail_mask(n)) == 0;
}

/* Whether an 8-bit wire value has a name in the map (empty maps: none). */
static ALWAYS_INLINE bool
known8(const struct dl_map *m, uint8_t w)
{
	return m->w2c != NULL && m->w2c[w] != 0;
}

/* A fixed-size extension: exactly n bytes, or at least n when lax. */
static ALWAYS_INLINE bool
size_ok(const struct pass *p, size_t len, size_t n)
{
	return len == n || (!p->strict && len > n);
}

/*
 * The sockaddr at s (room bytes): its length on the wire, or 0 when it is
 * not an AF_INET/AF_INET6 sockaddr of the dialect (addr_decode()).
 */
static ALWAYS_INLINE size_t
sa_bytes(const struct dl_dialect *dl, const uint8_t *s, size_t room)
{
	size_t n;

	if (room < 2)
		return 0;
	if (ld16(s) == dl->sa_head4)
		n = 16;
	else if (ld16(s) == dl->sa_head6)
		n = dl->sin6_len;
	else
		return 0;
	return n <= room ? n : 0;
}

/*
 * Canonical sockaddr of n bytes: what no getter returns is zero (sin_zero;
 * illumos' source-id word after the 28 bytes of a sockaddr_in6).
 */
static ALWAYS_INLINE bool
sa_tail_zero(const uint8_t *s, size_t n)
{
	if (n == 16)
		return ld64(s + 8) == 0;
	return n <= 28 || bytes_zero(s + 28, n - 28);
}

/*
 * ADDRESS_*: one sockaddr padded to the word, prefix within the address;
 * canonically reserved, sin_zero and padding zero (chk_address()).  Both
 * sockaddr_in6 sizes (28, 32) pad to 40 bytes with the header, and bytes
 * 36..39 are either padding or illumos' extra word.
 */
static ALWAYS_INLINE bool
pass_address(const struct pass *p, const uint8_t *e, size_t len)
{
	uint16_t head = len >= 16 ? ld16(e + 8) : 0;

	if (head == p->dl->sa_head4)
		return len == 24 && e[5] <= 32 && (!p->strict ||
		    (ld16(e + 6) == 0 && ld64(e + 16) == 0));
	if (head == p->dl->sa_head6)
		return len == 40 && pad8(8u + p->dl->sin6_len) == 40 &&
		    e[5] <= 128 && (!p->strict ||
		    (ld16(e + 6) == 0 && ld32(e + 36) == 0));
	return false;
}

/*
 * KEY_*: bits within the extension; canonically no more words than the
 * bits need, zero padding, reserved zero (illumos: IV bits) (chk_key()).
 * The value rules of a zero-bit key, of illumos and of STR_AUTH depend
 * on other extensions or are rare: those keys get chk_values() (P_COLD).
 */
static ALWAYS_INLINE int
pass_key(const struct pass *p, unsigned ext, const uint8_t *e, size_t len)
{
	unsigned bits = ld16(e + OFF(key, sadb_key_bits));
	size_t need = (bits + 7u) / 8u;
	bool illumos = p->dl->id == PFKV2_DIALECT_ILLUMOS;

	/* Strictly, the length is exact, which bounds the bits too. */
	if (!p->strict && need > len - 8)
		return P_BAD;
	if (p->strict && (pad8(8 + need) != len ||
	    (!illumos && ld16(e + OFF(key, sadb_key_reserved)) != 0) ||
	    !zero_before(e + len, len - 8 - need)))
		return P_BAD;
	if (!p->vals)
		return P_OK;
	if (p->dia && p->dl->key_exact && pad8(8 + need) != len)
		return P_BAD;
	return bits == 0 || ext == PFKV2_EXT_STR_AUTH || illumos ? P_COLD :
	    P_OK;
}

/* SA: state known; algorithms known when values must be (chk_sa()). */
static ALWAYS_INLINE bool
pass_sa(const struct pass *p, const uint8_t *e, size_t len,
    enum pfkv2_space enc)
{
	const struct dl_map *m = p->dl->map;

	if (!size_ok(p, len, 16))
		return false;
	if (!p->vals)
		return true;
	/* Each space's table by name, so that each lookup is constant. */
	return known8(&m[PFKV2_SP_SASTATE], e[OFF(sa, sadb_sa_state)]) &&
	    (!p->known || (known8(&m[PFKV2_SP_AALG], e[OFF(sa, sadb_sa_auth)]) &&
	    (enc == PFKV2_SP_CALG ?
	    known8(&m[PFKV2_SP_CALG], e[OFF(sa, sadb_sa_encrypt)]) :
	    known8(&m[PFKV2_SP_EALG], e[OFF(sa, sadb_sa_encrypt)]))));
}

/* X_SA2: mode known; reserved bytes zero. */
static ALWAYS_INLINE bool
pass_sa2(const struct pass *p, const uint8_t *e, size_t len)
{
	if (!size_ok(p, len, 16))
		return false;
	if (!p->vals)
		return true;
	return (!p->known || known8(&p->dl->map[PFKV2_SP_MODE], e[4])) &&
	    (!p->strict || (e[5] == 0 && ld16(e + 6) == 0));
}

/* SPIRANGE: min <= max (FreeBSD's kernel takes either); reserved zero. */
static ALWAYS_INLINE bool
pass_spirange(const struct pass *p, const uint8_t *e, size_t len)
{
	uint32_t min, max;

	if (!size_ok(p, len, 16))
		return false;
	if (!p->vals)
		return true;
	min = ld32(e + 4);
	max = ld32(e + 8);
	if (p->dl->spirange_net_order) {
		min = be32(min);
		max = be32(max);
	}
	return (min <= max || (p->dia && p->dl->id == PFKV2_DIALECT_FREEBSD)) &&
	    (!p->strict || ld32(e + 12) == 0);
}

/* SUPPORTED_*: min bits <= max bits; reserved zero (illumos uses it). */
static ALWAYS_INLINE bool
pass_supported(const struct pass *p, const uint8_t *e, size_t len)
{
	const uint8_t *q, *end = e + len;

	if (!p->vals)
		return true;
	if (p->strict && ld32(e + 4) != 0)
		return false;
	if (p->strict && p->dl->id != PFKV2_DIALECT_ILLUMOS) {
		for (q = e + 8; q < end; q += 8)
			if (ld16(q + 2) > ld16(q + 4) || ld16(q + 6) != 0)
				return false;
	} else {
		for (q = e + 8; q < end; q += 8)
			if (ld16(q + 2) > ld16(q + 4))
				return false;
	}
	return true;
}

/*
 * PROPOSAL: whole combinations (illumos ACQUIREs may end in a 16-byte
 * cookie when lax); algorithms known; min bits <= max bits; reserved
 * zero (illumos: byte 12 is salt bits) (chk_prop()).
 */
static ALWAYS_INLINE bool
pass_prop(const struct pass *p, const uint8_t *e, size_t len)
{
	static const uint8_t rsv_all[4] = { 0xff, 0xff, 0xff, 0xff };
	static const uint8_t rsv_illumos[4] = { 0, 0xff, 0xff, 0xff };
	const struct dl_dialect *dl = p->dl;
	const uint8_t *aalg = dl->map[PFKV2_SP_AALG].w2c;
	const uint8_t *ealg = dl->map[PFKV2_SP_EALG].w2c;
	const size_t csz = sizeof(struct pfkv2_sadb_comb);
	bool illumos = dl->id == PFKV2_DIALECT_ILLUMOS;
	uint32_t rsv = p->strict ? ld32(illumos ? rsv_illumos : rsv_all) : 0;
	const uint8_t *q, *end;
	size_t rem = (len - 8) % csz;

	if (!p->vals)
		return true;
	if (rem != 0 && (p->strict || !(illumos && rem == 16)))
		return false;
	if (p->strict && (e[5] | e[6] | e[7]) != 0)
		return false;
	if (p->known && (aalg == NULL || ealg == NULL))
		return false;
	for (q = e + 8, end = e + len - rem; q < end; q += csz) {
		if (p->known && (aalg[q[0]] == 0 || ealg[q[1]] == 0))
			return false;
		if (ld16(q + 4) > ld16(q + 6) || ld16(q + 8) > ld16(q + 10) ||
		    (ld32(q + 12) & rsv) != 0)
			return false;
	}
	return true;
}

/* v_canon() inline: canonical id of a wire value, or PFKV2_WIRE(wire). */
static ALWAYS_INLINE unsigned
canon_of(const struct dl_dialect *dl, enum pfkv2_space s, unsigned wire)
{
	const uint8_t *w2c = dl->map[s].w2c;

	return wire <= 255 && w2c != NULL && w2c[wire] != 0 ?
	    w2c[wire] - 1u : PFKV2_WIRE(wire);
}

/* Protocols an ipsecrequest may name (isr_proto_ok() in validate.c). */
static ALWAYS_INLINE bool
isr_proto(const struct dl_dialect *dl, unsigned proto)
{
	return proto == 50 || proto == 51 || proto == 108 ||
	    (dl->id == PFKV2_DIALECT_LINUX && (proto == 43 || proto == 60));
}

/*
 * X_POLICY with 16-byte ipsecrequests (Linux; the KAME form is cold):
 * chk_policy() and chk_policyval() in one loop.  type is the message's.
 */
static ALWAYS_INLINE bool
pass_policy(const struct pass *p, unsigned type, const uint8_t *e,
    size_t len)
{
	const struct dl_dialect *dl = p->dl;
	const uint8_t *q;
	size_t off, rq, n1, n2, rest;
	unsigned ptype, pdir, mode, n = 0;
	bool ipsec;

	if (len < 16)
		return false;
	ptype = canon_of(dl, PFKV2_SP_POLICY_TYPE, ld16(e + 4));
	pdir = canon_of(dl, PFKV2_SP_POLICY_DIR, e[6]);
	if (p->vals) {
		if ((p->known && PFKV2_IS_WIRE(ptype)) ||
		    (p->strict && ld16(e + 4) > 0x7fff))
			return false;
		if (p->known && (PFKV2_IS_WIRE(pdir) ||
		    pdir == PFKV2_DIR_INVALID))
			return false;
		if (p->strict && dl->id != PFKV2_DIALECT_FREEBSD && e[7] != 0)
			return false;
		if (p->dia && p->req && (ptype > PFKV2_POLICY_IPSEC ||
		    (dl->id == PFKV2_DIALECT_FREEBSD && pdir == PFKV2_DIR_FWD) ||
		    (pdir == PFKV2_DIR_ANY && type != PFKV2_MSG_X_MIGRATE &&
		    type != PFKV2_MSG_X_SPDGET && type != PFKV2_MSG_X_SPDDELETE2)))
			return false;
	}
	ipsec = p->vals && p->known && ptype == PFKV2_POLICY_IPSEC;
	for (off = 16; len - off >= 16; off += rq) {
		q = e + off;
		rq = ld16(q);
		if (rq < 16 || rq > len - off || (p->strict && (rq & 7) != 0))
			return false;
		if (p->strict && (ld16(q + 6) != 0 || ld32(q + 12) != 0))
			return false;
		if (rq > 16) {
			/* Tunnel endpoints: two sockaddrs of one family. */
			if ((n1 = sa_bytes(dl, q + 16, rq - 16)) == 0 ||
			    (n2 = sa_bytes(dl, q + 16 + n1, rq - 16 - n1)) == 0 ||
			    ld16(q + 16) != ld16(q + 16 + n1))
				return false;
			rest = rq - 16 - n1 - n2;
			if (p->strict && (rest >= 8 ||
			    !sa_tail_zero(q + 16, n1) ||
			    !sa_tail_zero(q + 16 + n1, n2) ||
			    (rest != 0 && !zero_before(q + rq, rest))))
				return false;
		}
		if (ipsec) {
			mode = canon_of(dl, PFKV2_SP_MODE, q[4]);
			if (!isr_proto(dl, ld16(q + 2)) ||
			    PFKV2_IS_WIRE(mode) || mode == PFKV2_MODE_ANY ||
			    !known8(&dl->map[PFKV2_SP_LEVEL], q[5]) ||
			    (mode == PFKV2_MODE_TUNNEL && rq == 16 && p->req))
				return false;
		}
		n++;
	}
	if (p->strict && off != len)
		return false;
	/*
	 * At most isr_max requests, MIGRATE takes them in pairs, and a
	 * FreeBSD policy being installed needs one.
	 */
	return !(p->dia && p->req && ipsec &&
	    ((dl->isr_max != 0 && n > dl->isr_max) ||
	    (type == PFKV2_MSG_X_MIGRATE && n % 2 != 0) ||
	    (n == 0 && dl->id == PFKV2_DIALECT_FREEBSD &&
	    (type == PFKV2_MSG_X_SPDADD || type == PFKV2_MSG_X_SPDUPDATE ||
	    type == PFKV2_MSG_X_SPDSETIDX))));
}

/*
 * The cross-extension rules of ADD/UPDATE requests (chk_sa_msg()).  Linux
 * has two: the satype's key is there, and HARD and SOFT come together.
 */
static ALWAYS_INLINE bool
pass_sa_rules(const struct pass *p, const struct pfkv2_view *v)
{
	const uint64_t hard = PFKV2_EXTBIT(PFKV2_EXT_LIFETIME_HARD);
	const uint64_t soft = PFKV2_EXTBIT(PFKV2_EXT_LIFETIME_SOFT);
	uint64_t pr = v->present, key;
	struct fault f;
	unsigned e;

	if (p->dl->id != PFKV2_DIALECT_LINUX || !p->dl->hs_lifetime_pair)
		return chk_sa_rules(v, p->flags, &f, &e) == 0;
	key = v->satype == PFKV2_SATYPE_AH ?
	    PFKV2_EXTBIT(PFKV2_EXT_KEY_AUTH) : v->satype == PFKV2_SATYPE_ESP ?
	    PFKV2_EXTBIT(PFKV2_EXT_KEY_ENCRYPT) : 0;
	return (pr & key) == key && ((pr & hard) != 0) == ((pr & soft) != 0);
}

/*
 * The base header and the message-level rules (pfkv2_validate() up to
 * its field loop), on the view the walk filled.  clean (a constant): the
 * caller saw errno 0 and known types, so those tests fold away.
 */
static ALWAYS_INLINE bool
pass_message(const struct pass *p, const struct pfkv2_view *v, bool clean)
{
	const struct dl_dialect *dl = p->dl;
	const uint8_t *m = v->msg_, *s, *d;
	const struct dl_msgrule *r;
	const uint64_t sd = PFKV2_EXTBIT(PFKV2_EXT_ADDRESS_SRC) |
	    PFKV2_EXTBIT(PFKV2_EXT_ADDRESS_DST);
	uint64_t allow, need;
	bool req = (p->flags & PFKV2_V_REQUEST) != 0;
	bool rep = (p->flags & PFKV2_V_REPLY) != 0;
	bool msgl = (p->flags & (PFKV2_V_MESSAGE | PFKV2_V_DIALECT)) != 0;
	uint8_t err = clean ? 0 : m[OFF(msg, sadb_msg_errno)];

	/* H3 .. H9. */
	if (m[OFF(msg, sadb_msg_version)] != PFKV2_PF_KEY_V2)
		return false;
	if (req && (p->strict || (p->dia && dl->id == PFKV2_DIALECT_LINUX)) &&
	    ld16(m + OFF(msg, sadb_msg_reserved)) != 0)
		return false;
	if (req && p->strict && err != 0 && v->type != PFKV2_MSG_ACQUIRE)
		return false;
	if (req && p->dia && dl->max_msg != 0 && v->len_ > dl->max_msg)
		return false;
	if (!msgl)
		return true;
	if (!clean && (PFKV2_IS_WIRE(v->type) ||
	    v->type == PFKV2_MSG_RESERVED || PFKV2_IS_WIRE(v->satype)))
		return false;
	r = &dl->rules[v->type];
	if ((req && (r->flags & DL_MR_NO_IN)) ||
	    (rep && (r->flags & DL_MR_NO_OUT)) ||
	    (req && (r->flags & DL_MR_SATYPE) &&
	    v->satype == PFKV2_SATYPE_UNSPEC))
		return false;
	/* W7, W8; not for error replies and the KM-failure ACQUIRE. */
	if (err == 0 || (req && v->type != PFKV2_MSG_ACQUIRE)) {
		allow = req ? r->allow_in : rep ? r->allow_out :
		    r->allow_in | r->allow_out;
		need = req ? r->req_in : rep ? r->req_out :
		    r->req_in & r->req_out;
		if ((v->present & ~allow) != 0 || (need & ~v->present) != 0)
			return false;
	}
	/*
	 * F-ADDR: one family (both sockaddrs passed pass_address(), so equal
	 * heads mean equal families); illumos' v6-any source is left to the
	 * ordered checks.  FreeBSD requests: one upper protocol.
	 */
	if ((v->present & sd) == sd) {
		s = v->ext_[PFKV2_EXT_ADDRESS_SRC];
		d = v->ext_[PFKV2_EXT_ADDRESS_DST];
		if (ld16(s + 8) != ld16(d + 8) || (p->dia && req &&
		    dl->id == PFKV2_DIALECT_FREEBSD &&
		    s[OFF(address, sadb_address_proto)] !=
		    d[OFF(address, sadb_address_proto)]))
			return false;
	}
	return !((v->type == PFKV2_MSG_ADD || v->type == PFKV2_MSG_UPDATE) &&
	    req && p->dia && !pass_sa_rules(p, v));
}

/*
 * The checks of the extensions the walk does not inline, by kind: the
 * ordered checks' own functions; their values after the walk (P_COLD).
 */
static ALWAYS_INLINE int
pass_other(const struct pass *p, unsigned c, const uint8_t *e, size_t len)
{
	const struct ext_info *info = &pfkv2_ext_info[c];
	struct fault f;

	/* Canonical RESERVED: wire type 0 (refused), or never seen. */
	if (info->kind == K_NONE)
		return P_BAD;
	return len >= info->min && !(p->strict && info->exact &&
	    len != info->min) && chk_kind(p->dl, info->kind, e, len,
	    p->strict, &f) == 0 ? P_COLD : P_BAD;
}

#endif /* PFKV2_PASS_H_ONCE */

/* pass_other() out of line, once per dialect. */
static NOINLINE int
PASS_FN(pass_other)(unsigned flags, unsigned c, const uint8_t *e, size_t len)
{
	const struct pass p = pass_init(&PASS_DL, flags);

	return pass_other(&p, c, e, len);
}

/* The extensions the hot pass takes (all but the last inline kinds). */
static ALWAYS_INLINE bool
pass_is_hot(const struct pass *p, unsigned c)
{
	switch (c) {
	case PFKV2_EXT_SA:
	case PFKV2_EXT_LIFETIME_CURRENT:
	case PFKV2_EXT_LIFETIME_HARD:
	case PFKV2_EXT_LIFETIME_SOFT:
	case PFKV2_EXT_ADDRESS_SRC:
	case PFKV2_EXT_ADDRESS_DST:
	case PFKV2_EXT_ADDRESS_PROXY:
	case PFKV2_EXT_KEY_AUTH:
	case PFKV2_EXT_KEY_ENCRYPT:
	case PFKV2_EXT_SA2:
	case PFKV2_EXT_SPIRANGE:
	case PFKV2_EXT_SUPPORTED_AUTH:
	case PFKV2_EXT_SUPPORTED_ENCRYPT:
	case PFKV2_EXT_PROPOSAL:
		return true;
	case PFKV2_EXT_POLICY:
		return p->dl->isr_size == 16;
	default:
		return false;
	}
}

/*
 * One extension of canonical id c (a constant in each case of the walk):
 * the duplicate test, the view's pointer, the checks of its kind.  For
 * the hot pass (hot, a constant too) an extension it does not take is
 * P_COLD before anything is written, so that its copy never calls.
 */
static ALWAYS_INLINE int
PASS_FN(pass_ext)(const struct pass *p, struct pfkv2_view *v, unsigned c,
    const uint8_t *e, size_t len, uint64_t *present, bool hot)
{
	const uint64_t bit = PFKV2_EXTBIT(c);

	if (hot && !pass_is_hot(p, c))
		return P_COLD;
	if (c == PFKV2_EXT_RESERVED || (*present & bit))
		return P_BAD;
	*present |= bit;
	v->ext_[c] = e;
	switch (c) {
	case PFKV2_EXT_SA:
		return pass_sa(p, e, len, v->satype == PFKV2_SATYPE_IPCOMP ?
		    PFKV2_SP_CALG : PFKV2_SP_EALG);
	case PFKV2_EXT_LIFETIME_CURRENT:
	case PFKV2_EXT_LIFETIME_HARD:
	case PFKV2_EXT_LIFETIME_SOFT:
		return size_ok(p, len, 32);
	case PFKV2_EXT_ADDRESS_SRC:
	case PFKV2_EXT_ADDRESS_DST:
	case PFKV2_EXT_ADDRESS_PROXY:
		return pass_address(p, e, len);
	case PFKV2_EXT_KEY_AUTH:
	case PFKV2_EXT_KEY_ENCRYPT:
		return pass_key(p, c, e, len);
	case PFKV2_EXT_SA2:
		return pass_sa2(p, e, len);
	case PFKV2_EXT_SPIRANGE:
		return pass_spirange(p, e, len);
	case PFKV2_EXT_SUPPORTED_AUTH:
	case PFKV2_EXT_SUPPORTED_ENCRYPT:
		return pass_supported(p, e, len);
	case PFKV2_EXT_PROPOSAL:
		return pass_prop(p, e, len);
	case PFKV2_EXT_POLICY:
		if (p->dl->isr_size == 16)
			return pass_policy(p, v->type, e, len);
		return PASS_FN(pass_other)(p->flags, c, e, len);
	default:
		return PASS_FN(pass_other)(p->flags, c, e, len);
	}
}

/* One case of the walk per row of the dialect's extension list. */
#define PASS_CASE(c, w, n)						\
	case (w):							\
		r = PASS_FN(pass_ext)(&p, v, (c), e, elen, &present,	\
		    false);						\
		if (r != P_OK) {					\
			if (r == P_BAD)					\
				return -1;				\
			cold |= PFKV2_EXTBIT(c);			\
		}							\
		break;

/*
 * One pass over a message whose arguments were checked: 0 when every
 * rule the flags ask for holds (the view is complete), -1 when the
 * ordered checks must decide.
 */
static ALWAYS_INLINE int
PASS_FN(pass_run)(const uint8_t *msg, size_t len, unsigned flags,
    struct pfkv2_view *v)
{
	const struct dl_dialect *dl = &PASS_DL;
	const struct pass p = pass_init(dl, flags);
	const uint8_t *e;
	struct fault f;
	uint64_t present = 0, cold = 0;
	size_t rem, elen;
	int r;

	if (len < sizeof(struct pfkv2_sadb_msg) ||
	    (size_t)ld16(msg + OFF(msg, sadb_msg_len)) * PFKV2_WORD != len)
		return -1;
	pass_view_head(dl, msg, len, v);

	/*
	 * len and every extension length are whole words, so at least 8
	 * bytes remain at each header: no truncated header to test for.
	 */
	e = msg + sizeof(struct pfkv2_sadb_msg);
	for (rem = len - sizeof(struct pfkv2_sadb_msg); rem != 0;
	    e += elen, rem -= elen) {
		elen = (size_t)ld16(e) * PFKV2_WORD;
		/* Zero length, or past the end (elen - 1 wraps for 0). */
		if (elen - 1 >= rem)
			return -1;
		switch (ld16(e + 2)) {
		PASS_EXT_LIST(PASS_CASE)
		default:
			/* Unknown types are skipped (RFC 2367 2.3) unless
			 * the flags refuse them. */
			if (p.strict || (p.dia &&
			    dl->unknown_ext == DL_UNKNOWN_REJECT))
				return -1;
			if (v->nunknown++ == 0)
				v->unknown_off = (uint32_t)(e - msg);
			break;
		}
	}
	v->present = present;
	v->reserved_[0] = p.strict;	/* canonical-form checks done */
	if (!p.vals)
		return 0;
	if (!pass_message(&p, v, false))
		return -1;
	for (; cold != 0; cold &= cold - 1)
		if (chk_values(v, (unsigned)__builtin_ctzll(cold), p.vflags,
		    &f) != 0)
			return -1;
	return 0;
}

#undef PASS_CASE

/*
 * The hot pass: the same rules as pass_run() for the extensions and
 * messages a daemon exchanges every day, with no calls (what it does not
 * take it hands back) and the flags constant.  0: every rule holds and
 * the view is complete; -1: a rule fails (the ordered checks name it);
 * -2: something it leaves to pass_run() (a rare extension, an unknown
 * type, an error reply, a value rule that needs the whole view).
 * v->msg_ and v->len_ are set first, whatever it answers.
 */

/*
 * The extension that usually follows c: the other half of the pairs
 * every kernel and daemon writes side by side (SRC and DST, HARD and SOFT,
 * the two keys in either order, the two SUPPORTED lists), or RESERVED.
 */
static ALWAYS_INLINE unsigned
pass_partner(unsigned c)
{
	switch (c) {
	case PFKV2_EXT_ADDRESS_SRC:
		return PFKV2_EXT_ADDRESS_DST;
	case PFKV2_EXT_LIFETIME_HARD:
		return PFKV2_EXT_LIFETIME_SOFT;
	case PFKV2_EXT_KEY_AUTH:
		return PFKV2_EXT_KEY_ENCRYPT;
	case PFKV2_EXT_KEY_ENCRYPT:
		return PFKV2_EXT_KEY_AUTH;
	case PFKV2_EXT_SUPPORTED_AUTH:
		return PFKV2_EXT_SUPPORTED_ENCRYPT;
	default:
		return PFKV2_EXT_RESERVED;
	}
}

/*
 * Extension c at e, and when the next one is its partner, that one too
 * without going back through the walk's dispatch: *len grows to cover
 * both.  rem is what is left of the message from e.
 */
static ALWAYS_INLINE int
PASS_FN(hot_ext)(const struct pass *p, struct pfkv2_view *v, unsigned c,
    const uint8_t *e, size_t *len, size_t rem, uint64_t *present)
{
	const unsigned pc = pass_partner(c);
	const uint16_t *c2w = p->dl->map[PFKV2_SP_EXT].c2w;
	const uint8_t *n = e + *len;
	size_t nlen;
	int r;

	r = PASS_FN(pass_ext)(p, v, c, e, *len, present, true);
	if (r != P_OK || pc == PFKV2_EXT_RESERVED || c2w[c] == 0 ||
	    c2w[pc] == 0 || *len == rem || ld16(n + 2) != c2w[pc] - 1u)
		return r;
	nlen = (size_t)ld16(n) * PFKV2_WORD;
	if (nlen - 1 >= rem - *len)
		return P_BAD;
	*len += nlen;
	return PASS_FN(pass_ext)(p, v, pc, n, nlen, present, true);
}

#define PASS_HOT_CASE(c, w, n)						\
	case (w):							\
		r = PASS_FN(hot_ext)(&p, v, (c), e, &elen, rem, &present); \
		if (r != P_OK)						\
			return r == P_BAD ? -1 : -2;			\
		break;

/*
 * The walk of the hot pass over the extensions after the base header:
 * 0 with v->present set, -1 or -2 as hot_run().
 */
static ALWAYS_INLINE int
PASS_FN(hot_walk)(const uint8_t *e, size_t rem, unsigned flags,
    struct pfkv2_view *v)
{
	const struct pass p = pass_init(&PASS_DL, flags);
	uint64_t present = 0;
	size_t elen;
	int r;

	for (; rem != 0; e += elen, rem -= elen) {
		elen = (size_t)ld16(e) * PFKV2_WORD;
		if (elen - 1 >= rem)
			return -1;
		switch (ld16(e + 2)) {
		PASS_EXT_LIST(PASS_HOT_CASE)
		default:
			return p.strict ? -1 : -2;
		}
	}
	v->present = present;
	return 0;
}

/* The hot pass: the base header, the walk, the message-level rules. */
static ALWAYS_INLINE int
PASS_FN(hot_run)(const uint8_t *msg, size_t len, unsigned flags,
    struct pfkv2_view *v)
{
	const struct pass p = pass_init(&PASS_DL, flags);
	int r;

	pass_view_head(&PASS_DL, msg, len, v);
	/* Unknown or RESERVED types, error replies: the full pass. */
	if (PFKV2_IS_WIRE(v->type) || v->type == PFKV2_MSG_RESERVED ||
	    PFKV2_IS_WIRE(v->satype) || msg[OFF(msg, sadb_msg_errno)] != 0)
		return -2;
	if ((r = PASS_FN(hot_walk)(msg + sizeof(struct pfkv2_sadb_msg),
	    len - sizeof(struct pfkv2_sadb_msg), flags, v)) != 0)
		return r;
	REFETCH(*v);	/* the header fields: not kept through the walk */
	/* Set where the ordered checks set it, so that views agree. */
	v->reserved_[0] = p.strict;	/* canonical-form checks done */
	return pass_message(&p, v, true) ? 0 : -1;
}

#undef PASS_HOT_CASE

/* The full pass for any flags, then the ordered checks. */
static NOINLINE int
PASS_FN(parse_full)(const uint8_t *msg, size_t len, unsigned flags,
    struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	if (PASS_FN(pass_run)(msg, len, flags, v) != 0)
		return parse_ordered(msg, len, &PASS_DL, flags, v, diag);
	return diag == NULL ? 0 : parse_ok(diag, v);
}

/* After the hot pass: the full pass (r == -2), or the ordered checks. */
static NOINLINE int
PASS_FN(parse_cold)(struct pfkv2_view *v, unsigned flags,
    struct pfkv2_diag *diag, int r)
{
	if (r == -2)
		return PASS_FN(parse_full)(v->msg_, v->len_, flags, v, diag);
	return parse_ordered(v->msg_, v->len_, &PASS_DL, flags, v, diag);
}

/*
 * pfkv2_parse() for one flag set: the hot pass, and when it does not
 * accept, what decides (tail calls).  A macro, so that each copy is its
 * own function, which saves its registers once for header, walk and rules.
 */
#define PASS_ENTRY(name, FLAGS)						\
static NOINLINE int							\
PASS_FN(name)(const void *buf, size_t len, enum pfkv2_dialect dlid,	\
    unsigned flags, struct pfkv2_view *v, struct pfkv2_diag *diag)	\
{									\
	const uint8_t *msg = buf;					\
	int r;								\
									\
	(void)dlid;							\
	(void)flags;							\
	if (len < sizeof(struct pfkv2_sadb_msg) || len > 0xffff * 8u ||	\
	    (size_t)ld16(msg + OFF(msg, sadb_msg_len)) * PFKV2_WORD != len) \
		return parse_ordered(msg, len, &PASS_DL, (FLAGS), v, diag); \
	if ((r = PASS_FN(hot_run)(msg, len, (FLAGS), v)) != 0)		\
		return PASS_FN(parse_cold)(v, (FLAGS), diag, r);	\
	return diag == NULL ? 0 : parse_ok(diag, v);			\
}

PASS_ENTRY(parse_request, PFKV2_V_ALL | PFKV2_V_REQUEST)
PASS_ENTRY(parse_reply, PFKV2_V_ALL | PFKV2_V_REPLY)
PASS_ENTRY(parse_kernel, V_KERNEL_REQUEST)

#undef PASS_ENTRY

static NOINLINE int
PASS_FN(parse_any)(const void *buf, size_t len, enum pfkv2_dialect dlid,
    unsigned flags, struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	(void)dlid;
	return PASS_FN(parse_full)(buf, len, flags, v, diag);
}

/* The hot pass of the engine's request check, as a function of its own. */
static NOINLINE int
PASS_FN(kernel_hot)(const uint8_t *msg, size_t len, struct pfkv2_view *v)
{
	return PASS_FN(hot_run)(msg, len, V_KERNEL_REQUEST, v);
}

/* The engine's request check: the passes alone, no diagnostic. */
static NOINLINE int
PASS_FN(pass_kernel)(const uint8_t *msg, size_t len, struct pfkv2_view *v)
{
	int r;

	if (len < sizeof(struct pfkv2_sadb_msg) || len > 0xffff * 8u ||
	    (size_t)ld16(msg + OFF(msg, sadb_msg_len)) * PFKV2_WORD != len)
		return -1;
	r = PASS_FN(kernel_hot)(msg, len, v);
	if (r == -2)
		r = PASS_FN(pass_run)(msg, len, V_KERNEL_REQUEST, v);
	return r == 0 ? 0 : -1;
}

#undef PASS_FN
#undef PASS_CAT
#undef PASS_CAT2
