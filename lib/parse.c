/*
 * The parser.  pfkv2_parse() makes one pass over the message: it fills the
 * view and applies, extension by extension, every rule the flags ask for
 * (structure, canonical form, field values), then the message-level rules
 * on what it gathered.  The pass only answers "every rule holds"; when it
 * does not (or meets a case it leaves to them), the ordered checks of
 * validate.c run to find the first fault in the documented order and name
 * it.  A valid message costs one pass; an invalid one a second, precise
 * pass, so diagnostics never depend on this file.
 *
 * What this file must guarantee is soundness: it may refuse more than the
 * ordered checks (they decide then), never accept what they refuse, and
 * leave the view as they would.  fuzz_parse compares the two on every
 * input it runs, test_validate on mutations of the corpus.
 */
#include "internal.h"

unsigned
v_canon(const struct dl_dialect *dl, enum pfkv2_space s, unsigned wire)
{
	int c = dl_w2c(dl, s, wire);

	return c < 0 ? PFKV2_WIRE(wire) : (unsigned)c;
}

/* Structural checks that depend on the kind of extension. */
int
chk_kind(const struct dl_dialect *dl, unsigned kind, const uint8_t *e,
    size_t len, bool strict, struct fault *f)
{
	switch (kind) {
	case K_ADDRESS:
		return chk_address(dl, e, len, strict, f);
	case K_KEY:
		return chk_key(dl, e, len, strict, f);
	case K_IDENT:
		return chk_ident(e, len, strict, f);
	case K_SENS:
		return chk_sens(e, len, strict, f);
	case K_POLICY:
		return chk_policy(dl, e, len, strict, f);
	case K_SEC_CTX:
		return chk_sec_ctx(e, len, strict, f);
	case K_KMADDRESS:
		return chk_kmaddress(dl, e, len, strict, f);
	case K_EREG:
		return chk_ereg(e, len, f);
	case K_EPROP:
		return chk_eprop(e, len, f);
	default:
		return 0;
	}
}

/*
 * The one pass.
 *
 * Each check below is the conjunction of what parse_ordered() and
 * pfkv2_validate() demand of that extension kind, written for speed:
 * wide loads, per-dialect facts (dl->sa_head4/6, the w2c tables), no
 * decoding into structs.  Rarely seen kinds ("cold") are checked with the
 * ordered checks' own functions: chk_kind() during the walk, chk_values()
 * once the view is complete.  Everything is ALWAYS_INLINE so that
 * parse_strict_request() and its siblings instantiate the pass for
 * constant flags, with the flag tests folded away.
 */

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

/* ld64(tail_masks[n]): the last n bytes of a word, in memory order. */
static const uint8_t tail_masks[8][8] = {
	{ 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 0, 0, 0, 0, 0, 0, 0xff },
	{ 0, 0, 0, 0, 0, 0, 0xff, 0xff },
	{ 0, 0, 0, 0, 0, 0xff, 0xff, 0xff },
	{ 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff },
	{ 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff },
	{ 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	{ 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
};

/* Whether the n (< 8) bytes before end are zero; end - 8 is readable. */
static ALWAYS_INLINE bool
zero_before(const uint8_t *end, size_t n)
{
	return (ld64(end - 8) & ld64(tail_masks[n])) == 0;
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
	size_t i;

	if (n == 16)
		return ld64(s + 8) == 0;
	for (i = 28; i < n; i++)
		if (s[i] != 0)
			return false;
	return true;
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

	if (need > len - 8)
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
	return known8(&m[PFKV2_SP_SASTATE], e[OFF(sa, sadb_sa_state)]) &&
	    (!p->known || (known8(&m[PFKV2_SP_AALG], e[OFF(sa, sadb_sa_auth)]) &&
	    known8(&m[enc], e[OFF(sa, sadb_sa_encrypt)])));
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
	ptype = v_canon(dl, PFKV2_SP_POLICY_TYPE, ld16(e + 4));
	pdir = v_canon(dl, PFKV2_SP_POLICY_DIR, e[6]);
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
			mode = v_canon(dl, PFKV2_SP_MODE, q[4]);
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
 * its field loop), on the view the walk filled.
 */
static ALWAYS_INLINE bool
pass_message(const struct pass *p, const struct pfkv2_view *v)
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
	uint8_t err = m[OFF(msg, sadb_msg_errno)];

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
	if (PFKV2_IS_WIRE(v->type) || v->type == PFKV2_MSG_RESERVED ||
	    PFKV2_IS_WIRE(v->satype))
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

/* The struct pass of a dialect and flags. */
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

/* The checks of one extension, by kind: P_BAD, P_OK or P_COLD. */
static ALWAYS_INLINE int
pass_ext(const struct pass *p, const struct pfkv2_view *v, unsigned c,
    const uint8_t *e, size_t len)
{
	const struct ext_info *info = &pfkv2_ext_info[c];
	struct fault f;

	switch (info->kind) {
	case K_SA:
		return pass_sa(p, e, len, v->satype == PFKV2_SATYPE_IPCOMP ?
		    PFKV2_SP_CALG : PFKV2_SP_EALG);
	case K_LIFETIME:
		return size_ok(p, len, 32);
	case K_ADDRESS:
		return pass_address(p, e, len);
	case K_KEY:
		return pass_key(p, c, e, len);
	case K_SA2:
		return pass_sa2(p, e, len);
	case K_SPIRANGE:
		return pass_spirange(p, e, len);
	case K_SUPPORTED:
		return pass_supported(p, e, len);
	case K_PROP:
		return pass_prop(p, e, len);
	case K_POLICY:
		if (p->dl->isr_size == 16)
			return pass_policy(p, v->type, e, len);
		break;
	case K_NONE:
		/* Canonical RESERVED: wire type 0 (refused), or never seen. */
		return P_BAD;
	default:
		break;
	}
	/* The rest: the ordered checks' functions, values after the walk. */
	return len >= info->min && !(p->strict && info->exact &&
	    len != info->min) && chk_kind(p->dl, info->kind, e, len,
	    p->strict, &f) == 0 ? P_COLD : P_BAD;
}

/* pass_ext() out of line, for the extensions the walk does not inline. */
static NOINLINE int
pass_ext_other(const struct dl_dialect *dl, unsigned flags,
    const struct pfkv2_view *v, unsigned c, const uint8_t *e, size_t len)
{
	const struct pass p = pass_init(dl, flags);

	return pass_ext(&p, v, c, e, len);
}

/*
 * One pass over a message whose arguments were checked: 0 when every
 * rule the flags ask for holds (the view is complete), -1 when the
 * ordered checks must decide.
 */
static ALWAYS_INLINE int
pass_run(const uint8_t *msg, size_t len, const struct dl_dialect *dl,
    unsigned flags, struct pfkv2_view *v)
{
	const struct pass p = pass_init(dl, flags);
	const uint8_t *e, *w2c;
	struct fault f;
	uint64_t present = 0, cold = 0, bit;
	size_t rem, elen;
	unsigned etype, c;
	int r;

	if (len < sizeof(struct pfkv2_sadb_msg) ||
	    (size_t)ld16(msg + OFF(msg, sadb_msg_len)) * PFKV2_WORD != len)
		return -1;
	v->msg_ = msg;
	v->len_ = (uint32_t)len;
	v->dl_ = dl;
	v->dialect = (uint16_t)dl->id;
	/* Every dialect maps MSG, SATYPE and EXT: no NULL tables here. */
	w2c = dl->map[PFKV2_SP_MSG].w2c;
	c = w2c[msg[OFF(msg, sadb_msg_type)]];
	v->type = (uint16_t)(c != 0 ? c - 1 :
	    PFKV2_WIRE(msg[OFF(msg, sadb_msg_type)]));
	w2c = dl->map[PFKV2_SP_SATYPE].w2c;
	c = w2c[msg[OFF(msg, sadb_msg_satype)]];
	v->satype = (uint16_t)(c != 0 ? c - 1 :
	    PFKV2_WIRE(msg[OFF(msg, sadb_msg_satype)]));
	v->nunknown = 0;
	v->unknown_off = 0;

	/*
	 * len and every extension length are whole words, so at least 8
	 * bytes remain at each header: no truncated header to test for.
	 */
	w2c = dl->map[PFKV2_SP_EXT].w2c;
	e = msg + sizeof(struct pfkv2_sadb_msg);
	for (rem = len - sizeof(struct pfkv2_sadb_msg); rem != 0;
	    e += elen, rem -= elen) {
		elen = (size_t)ld16(e) * PFKV2_WORD;
		/* Zero length, or past the end (elen - 1 wraps for 0). */
		if (elen - 1 >= rem)
			return -1;
		etype = ld16(e + 2);
		/* Type 0 (etype - 1 wraps) before anything is written. */
		if (etype - 1u > 254u || w2c[etype] == 0) {
			/* Type 0 is refused; unknown ones are skipped (RFC
			 * 2367 2.3) unless the flags refuse them. */
			if (etype == 0 || p.strict || (p.dia &&
			    dl->unknown_ext == DL_UNKNOWN_REJECT))
				return -1;
			if (v->nunknown++ == 0)
				v->unknown_off = (uint32_t)(e - msg);
			continue;
		}
		c = w2c[etype] - 1u;
		bit = PFKV2_EXTBIT(c);
		if (present & bit)
			return -1;
		present |= bit;
		v->ext_[c] = e;
		/* The common extensions inline, by id; the rest by kind. */
		switch (c) {
		case PFKV2_EXT_SA:
			r = pass_sa(&p, e, elen, v->satype ==
			    PFKV2_SATYPE_IPCOMP ? PFKV2_SP_CALG : PFKV2_SP_EALG);
			break;
		case PFKV2_EXT_LIFETIME_CURRENT:
		case PFKV2_EXT_LIFETIME_HARD:
		case PFKV2_EXT_LIFETIME_SOFT:
			r = size_ok(&p, elen, 32);
			break;
		case PFKV2_EXT_ADDRESS_SRC:
		case PFKV2_EXT_ADDRESS_DST:
		case PFKV2_EXT_ADDRESS_PROXY:
			r = pass_address(&p, e, elen);
			break;
		case PFKV2_EXT_KEY_AUTH:
		case PFKV2_EXT_KEY_ENCRYPT:
			r = pass_key(&p, c, e, elen);
			break;
		case PFKV2_EXT_SA2:
			r = pass_sa2(&p, e, elen);
			break;
		case PFKV2_EXT_SPIRANGE:
			r = pass_spirange(&p, e, elen);
			break;
		case PFKV2_EXT_SUPPORTED_AUTH:
		case PFKV2_EXT_SUPPORTED_ENCRYPT:
			r = pass_supported(&p, e, elen);
			break;
		case PFKV2_EXT_PROPOSAL:
			r = pass_prop(&p, e, elen);
			break;
		case PFKV2_EXT_POLICY:
			if (dl->isr_size == 16) {
				r = pass_policy(&p, v->type, e, elen);
				break;
			}
			/* FALLTHROUGH */
		default:
			r = pass_ext_other(dl, flags, v, c, e, elen);
			break;
		}
		if (r != P_OK) {
			if (r == P_BAD)
				return -1;
			cold |= bit;
		}
	}
	v->present = present;
	v->reserved_[0] = p.strict;	/* canonical-form checks done */
	if (!p.vals)
		return 0;
	if (!pass_message(&p, v))
		return -1;
	for (; cold != 0; cold &= cold - 1)
		if (chk_values(v, (unsigned)__builtin_ctzll(cold), p.vflags,
		    &f) != 0)
			return -1;
	return 0;
}

/*
 * pfkv2_parse() after its argument checks: the pass, and when it does not
 * accept, the ordered checks.
 */
static ALWAYS_INLINE int
parse_run(const uint8_t *msg, size_t len, const struct dl_dialect *dl,
    unsigned flags, struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	if (pass_run(msg, len, dl, flags, v) != 0)
		return parse_ordered(msg, len, dl, flags, v, diag);
	if (diag != NULL)
		diag_set(diag, dl, msg, len, PFKV2_OK, 0, 0);
	return 0;
}

/*
 * Copies for strict validation of requests and of replies (what a daemon
 * asks for), for what a kernel checks of a request (what the engine asks
 * for), and one for any other flags.  Each is a function of its own,
 * so that its walk has the registers to itself.
 */
static NOINLINE int
parse_strict_request(const uint8_t *msg, size_t len,
    const struct dl_dialect *dl, struct pfkv2_view *v,
    struct pfkv2_diag *diag)
{
	return parse_run(msg, len, dl, PFKV2_V_ALL | PFKV2_V_REQUEST, v, diag);
}

static NOINLINE int
parse_strict_reply(const uint8_t *msg, size_t len,
    const struct dl_dialect *dl, struct pfkv2_view *v,
    struct pfkv2_diag *diag)
{
	return parse_run(msg, len, dl, PFKV2_V_ALL | PFKV2_V_REPLY, v, diag);
}

/* What a kernel checks of a request (the engine's flags): all but form. */
#define V_KERNEL_REQUEST (PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_REQUEST)

static NOINLINE int
parse_kernel_request(const uint8_t *msg, size_t len,
    const struct dl_dialect *dl, struct pfkv2_view *v,
    struct pfkv2_diag *diag)
{
	return parse_run(msg, len, dl, V_KERNEL_REQUEST, v, diag);
}

/*
 * The engine's request check (sadb_send.c): the pass alone for
 * V_KERNEL_REQUEST, no argument checks, no diag.  0: every rule holds;
 * -1: the caller runs the ordered checks to learn why (or that it holds).
 */
NOINLINE int
parse_request_pass(const uint8_t *msg, size_t len,
    const struct dl_dialect *dl, struct pfkv2_view *v)
{
	return pass_run(msg, len, dl, V_KERNEL_REQUEST, v);
}

static NOINLINE int
parse_any(const uint8_t *msg, size_t len, const struct dl_dialect *dl,
    unsigned flags, struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	return parse_run(msg, len, dl, flags, v, diag);
}

PFKV2_API int
pfkv2_parse(const void *buf, size_t len, enum pfkv2_dialect d, unsigned flags,
    struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	const struct dl_dialect *dl = pfkv2_dl_get(d);

	if (dl == NULL || v == NULL || (buf == NULL && len != 0)) {
		errno = EINVAL;
		return -1;
	}
	/* Flag bits other than these are ignored by every rule. */
	switch (flags & (PFKV2_V_ALL | PFKV2_V_REQUEST | PFKV2_V_REPLY)) {
	case PFKV2_V_ALL | PFKV2_V_REQUEST:
		return parse_strict_request(buf, len, dl, v, diag);
	case PFKV2_V_ALL | PFKV2_V_REPLY:
		return parse_strict_reply(buf, len, dl, v, diag);
	case V_KERNEL_REQUEST:
		return parse_kernel_request(buf, len, dl, v, diag);
	default:
		return parse_any(buf, len, dl, flags, v, diag);
	}
}

/*
 * The canonical-form checks for a view parsed without PFKV2_V_STRICT.
 * Offsets in *f are from the start of the message.
 */
int
parse_strict_exts(const struct pfkv2_view *v, struct fault *f, unsigned *ext)
{
	const struct dl_dialect *dl = v_dl(v);
	size_t elen;
	unsigned c;

	for (c = 1; c < PFKV2_EXT_COUNT; c++) {
		if ((v->present & PFKV2_EXTBIT(c)) == 0)
			continue;
		*ext = c;
		elen = (size_t)ld16(v->ext_[c]) * PFKV2_WORD;
		if (pfkv2_ext_info[c].exact && elen != pfkv2_ext_info[c].min) {
			f->code = PFKV2_E_EXT_SIZE;
			f->off = (uint32_t)(v->ext_[c] - v->msg_);
			return -1;
		}
		if (chk_kind(dl, pfkv2_ext_info[c].kind, v->ext_[c], elen,
		    true, f) != 0) {
			f->off += (uint32_t)(v->ext_[c] - v->msg_);
			return -1;
		}
	}
	return 0;
}
