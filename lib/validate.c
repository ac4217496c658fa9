/*
 * The ordered checks: every rule in the documented order, so that the
 * first fault found is the one reported, with its offset and extension.
 *
 * parse_ordered() is the parser's structural walk (RFC 2367 section 2, the
 * per-type sizes and bounds the getters rely on), then pfkv2_validate():
 * which extensions a message of this type may and must carry in this
 * direction, field values, and what the dialect's kernel refuses.
 * pfkv2_parse() runs them only when its one pass (pass.h) refuses a
 * message; pfkv2_validate() runs them on a parsed view.  Rules follow
 * shared/reference/validation-and-semantics.md (ids in comments: H =
 * header, W = walk, F = fields).
 */
#include "internal.h"

#define IPPROTO_ESP_	50
#define IPPROTO_AH_	51
#define IPPROTO_COMP_	108

struct vctx {
	const struct pfkv2_view *v;
	const struct dl_dialect *dl;
	bool req;		/* user -> kernel */
	bool rep;		/* kernel -> user */
	bool strict;
	bool dia;		/* dialect level */
	bool known;		/* demand known values (requests, dialect level) */
};

static int chk_eprop_canonical(const uint8_t *e, size_t len, struct fault *f);

/* The checks' reading of the flags for view v. */
static struct vctx
vctx_of(const struct pfkv2_view *v, unsigned flags)
{
	struct vctx c = {
		.v = v, .dl = v_dl(v),
		.req = (flags & PFKV2_V_REQUEST) != 0,
		.rep = (flags & PFKV2_V_REPLY) != 0,
		.strict = (flags & PFKV2_V_STRICT) != 0,
		.dia = (flags & PFKV2_V_DIALECT) != 0,
	};

	c.known = c.req || c.dia;
	return c;
}

static int
flt(struct fault *f, int code, size_t off)
{
	f->code = code;
	f->off = (uint32_t)off;
	return -1;
}

static bool
is_wire(unsigned id)
{
	return PFKV2_IS_WIRE(id);
}

static bool
known(const struct dl_dialect *dl, enum pfkv2_space s, unsigned wire)
{
	return dl_w2c(dl, s, wire) >= 0;
}

static int
chk_sa(const struct vctx *c, const uint8_t *e, struct fault *f)
{
	const struct dl_dialect *dl = c->dl;
	enum pfkv2_space es = c->v->satype == PFKV2_SATYPE_IPCOMP ?
	    PFKV2_SP_CALG : PFKV2_SP_EALG;

	if (!known(dl, PFKV2_SP_SASTATE, e[OFF(sa, sadb_sa_state)]))
		return flt(f, PFKV2_E_SA_STATE, OFF(sa, sadb_sa_state));
	if (!c->known)
		return 0;
	if (!known(dl, PFKV2_SP_AALG, e[OFF(sa, sadb_sa_auth)]))
		return flt(f, PFKV2_E_SA_ALG, OFF(sa, sadb_sa_auth));
	if (!known(dl, es, e[OFF(sa, sadb_sa_encrypt)]))
		return flt(f, PFKV2_E_SA_ALG, OFF(sa, sadb_sa_encrypt));
	return 0;
}

/* The SA's algorithm for a key extension is NULL (a zero-bit key is fine). */
static bool
key_alg_null(const struct vctx *c, unsigned ext)
{
	const uint8_t *sa = c->v->ext_[PFKV2_EXT_SA];

	if ((c->v->present & PFKV2_EXTBIT(PFKV2_EXT_SA)) == 0)
		return false;
	if (ext == PFKV2_EXT_KEY_AUTH)
		return dl_w2c(c->dl, PFKV2_SP_AALG,
		    sa[OFF(sa, sadb_sa_auth)]) == PFKV2_AALG_NULL;
	return dl_w2c(c->dl, PFKV2_SP_EALG,
	    sa[OFF(sa, sadb_sa_encrypt)]) == PFKV2_EALG_NULL;
}

static int
chk_keyval(const struct vctx *c, unsigned ext, const uint8_t *e, size_t len,
    struct fault *f)
{
	unsigned bits = ld16(e + OFF(key, sadb_key_bits));
	size_t n = (bits + 7u) / 8u;

	/* F-KEY: RFC 2367 2.3.4, zero bits MUST be an error. */
	if (bits == 0 && !key_alg_null(c, ext))
		return flt(f, PFKV2_E_KEY_BITS, OFF(key, sadb_key_bits));
	if (c->dia && c->dl->key_exact && pad8(8 + n) != len)
		return flt(f, PFKV2_E_KEY_LONG, 0);
	if (c->dia && c->dl->id == PFKV2_DIALECT_ILLUMOS && c->req && n != 0 &&
	    bytes_zero(e + 8, n))
		return flt(f, PFKV2_E_KEY_ZERO, 8);
	return 0;
}

static int
chk_prop(const struct vctx *c, const uint8_t *e, size_t len, struct fault *f)
{
	const size_t csz = sizeof(struct pfkv2_sadb_comb);
	size_t rem = (len - 8) % csz, i;
	const uint8_t *q;

	/* B-IL3: illumos ACQUIREs carry a KM cookie inside the proposal. */
	if (rem != 0 && (c->strict ||
	    !(c->dl->id == PFKV2_DIALECT_ILLUMOS && rem == 16)))
		return flt(f, PFKV2_E_PROP_LEN, 0);
	/* Bytes 5..7: reserved, or illumos' ereserved and numecombs (EPROP). */
	if (c->strict && !bytes_zero(e + 5, 3))
		return flt(f, PFKV2_E_RESERVED, 5);
	for (i = 0, q = e + 8; i < (len - 8) / csz; i++, q += csz) {
		size_t o = (size_t)(q - e);

		if (c->known && (!known(c->dl, PFKV2_SP_AALG, q[0]) ||
		    !known(c->dl, PFKV2_SP_EALG, q[1])))
			return flt(f, PFKV2_E_SA_ALG, o);
		if (ld16(q + 4) > ld16(q + 6) || ld16(q + 8) > ld16(q + 10))
			return flt(f, PFKV2_E_ALG_BITS, o + 4);
		if (c->strict && ld32(q + 12) != 0 &&
		    (c->dl->id != PFKV2_DIALECT_ILLUMOS || q[13] != 0 ||
		    ld16(q + 14) != 0))
			return flt(f, PFKV2_E_RESERVED, o + 12);
	}
	return 0;
}

static int
chk_supported(const struct vctx *c, const uint8_t *e, size_t len,
    struct fault *f)
{
	const uint8_t *q;
	size_t o;

	if (c->strict && ld32(e + 4) != 0)
		return flt(f, PFKV2_E_RESERVED, 4);
	for (o = 8; o + 8 <= len; o += 8) {
		q = e + o;
		if (ld16(q + 2) > ld16(q + 4))
			return flt(f, PFKV2_E_ALG_BITS, o + 2);
		if (c->strict && c->dl->id != PFKV2_DIALECT_ILLUMOS &&
		    ld16(q + 6) != 0)
			return flt(f, PFKV2_E_RESERVED, o + 6);
	}
	return 0;
}

static int
chk_spirange(const struct vctx *c, const uint8_t *e, struct fault *f)
{
	uint32_t min, max;

	(void)pfkv2_get_spirange(c->v, &min, &max);
	/* F-SPI: min above max (FreeBSD accepts it; B-FB2). */
	if (min > max && !(c->dia && c->dl->id == PFKV2_DIALECT_FREEBSD))
		return flt(f, PFKV2_E_SPIRANGE, 4);
	if (c->strict && ld32(e + 12) != 0)
		return flt(f, PFKV2_E_RESERVED, 12);
	return 0;
}

static bool
isr_proto_ok(const struct dl_dialect *dl, unsigned proto)
{
	if (proto == IPPROTO_ESP_ || proto == IPPROTO_AH_ ||
	    proto == IPPROTO_COMP_)
		return true;
	/* Linux also takes IPv6 routing and destination options headers. */
	return dl->id == PFKV2_DIALECT_LINUX && (proto == 43 || proto == 60);
}

static int
chk_policyval(const struct vctx *c, const uint8_t *e, struct fault *f)
{
	const struct dl_dialect *dl = c->dl;
	struct pfkv2_ipsecrequest r;
	struct pfkv2_iter it;
	struct pfkv2_policy pol;
	size_t off = sizeof(struct pfkv2_sadb_x_policy);
	unsigned n = 0;
	int rc;

	(void)pfkv2_get_policy(c->v, &pol);
	if ((c->known && is_wire(pol.type)) ||
	    (c->strict && ld16(e + 4) > 0x7fff))
		return flt(f, PFKV2_E_POLICY_TYPE, 4);
	if (c->known && (is_wire(pol.dir) || pol.dir == PFKV2_DIR_INVALID))
		return flt(f, PFKV2_E_POLICY_DIR, 6);
	if (c->strict && dl->id != PFKV2_DIALECT_FREEBSD && e[7] != 0)
		return flt(f, PFKV2_E_RESERVED, 7);
	if (c->dia && c->req) {
		/* F-POL: Linux takes types up to IPSEC, dirs 1..3. */
		if (pol.type > PFKV2_POLICY_IPSEC)
			return flt(f, PFKV2_E_POLICY_TYPE, 4);
		if (dl->id == PFKV2_DIALECT_FREEBSD && pol.dir == PFKV2_DIR_FWD)
			return flt(f, PFKV2_E_POLICY_DIR, 6);
		if (pol.dir == PFKV2_DIR_ANY &&
		    c->v->type != PFKV2_MSG_X_MIGRATE &&
		    c->v->type != PFKV2_MSG_X_SPDGET &&
		    c->v->type != PFKV2_MSG_X_SPDDELETE2)
			return flt(f, PFKV2_E_POLICY_DIR, 6);
	}
	if (pol.type != PFKV2_POLICY_IPSEC)
		return 0;
	for (rc = pfkv2_ipsecrequest_first(c->v, &it, &r); rc == 1;
	    rc = pfkv2_ipsecrequest_next(&it, &r)) {
		if (c->known) {
			if (!isr_proto_ok(dl, r.proto))
				return flt(f, PFKV2_E_ISR_PROTO, off + 2);
			if (is_wire(r.mode) || r.mode == PFKV2_MODE_ANY)
				return flt(f, PFKV2_E_ISR_MODE, off + 4);
			if (is_wire(r.level))
				return flt(f, PFKV2_E_ISR_LEVEL, off + 5);
			if (r.mode == PFKV2_MODE_TUNNEL && r.src.family == 0 &&
			    c->req)
				return flt(f, PFKV2_E_ISR_ADDR, off);
		}
		off = (size_t)(it.p_ - e);
		n++;
	}
	if (c->dia && c->req) {
		/* FreeBSD's key_spdadd() wants a request; GET/DELETE2 read the id. */
		if ((n == 0 && dl->id == PFKV2_DIALECT_FREEBSD &&
		    (c->v->type == PFKV2_MSG_X_SPDADD ||
		    c->v->type == PFKV2_MSG_X_SPDUPDATE ||
		    c->v->type == PFKV2_MSG_X_SPDSETIDX)) ||
		    (dl->isr_max != 0 && n > dl->isr_max) ||
		    (c->v->type == PFKV2_MSG_X_MIGRATE && n % 2 != 0))
			return flt(f, PFKV2_E_ISR_COUNT, 16);
	}
	return 0;
}

static int
chk_filter(const struct vctx *c, const uint8_t *e, struct fault *f)
{
	unsigned fam = ld16(e + OFF(x_filter, sadb_x_filter_family)), max;

	if (fam == c->dl->af_inet)
		max = 32;
	else if (fam == c->dl->af_inet6)
		max = 128;
	else
		return flt(f, PFKV2_E_FILTER, OFF(x_filter, sadb_x_filter_family));
	/* Linux refuses prefixes of 128 and more, even for IPv6. */
	if (c->dia && c->dl->id == PFKV2_DIALECT_LINUX && max > 127)
		max = 127;
	if (e[OFF(x_filter, sadb_x_filter_splen)] > max ||
	    e[OFF(x_filter, sadb_x_filter_dplen)] > max)
		return flt(f, PFKV2_E_FILTER, OFF(x_filter, sadb_x_filter_splen));
	/* Canonical: an IPv4 filter leaves the other 12 address bytes zero. */
	if (c->strict && max <= 32 &&
	    (!bytes_zero(e + OFF(x_filter, sadb_x_filter_saddr) + 4, 12) ||
	    !bytes_zero(e + OFF(x_filter, sadb_x_filter_daddr) + 4, 12)))
		return flt(f, PFKV2_E_RESERVED, OFF(x_filter,
		    sadb_x_filter_saddr) + 4);
	return 0;
}

int
chk_values(const struct pfkv2_view *v, unsigned ext, unsigned flags,
    struct fault *f)
{
	struct vctx c = vctx_of(v, flags);
	const uint8_t *e = v->ext_[ext];
	size_t len = (size_t)ld16(e) * PFKV2_WORD;

	switch (pfkv2_ext_info[ext].kind) {
	case K_SA:
		return chk_sa(&c, e, f);
	case K_KEY:
		/* A password's length is whole bytes and its reserved word 0. */
		if (c.strict && ext == PFKV2_EXT_STR_AUTH &&
		    ld16(e + OFF(key, sadb_key_bits)) % 8 != 0)
			return flt(f, PFKV2_E_KEY_BITS, OFF(key, sadb_key_bits));
		if (c.strict && ext == PFKV2_EXT_STR_AUTH &&
		    ld16(e + OFF(key, sadb_key_reserved)) != 0)
			return flt(f, PFKV2_E_RESERVED,
			    OFF(key, sadb_key_reserved));
		return chk_keyval(&c, ext, e, len, f);
	case K_IDENT:
		if ((c.known && !known(c.dl, PFKV2_SP_IDENTTYPE,
		    ld16(e + OFF(ident, sadb_ident_type)))) || (c.strict &&
		    ld16(e + OFF(ident, sadb_ident_type)) > 0x7fff))
			return flt(f, PFKV2_E_IDENT_TYPE, 4);
		return 0;
	case K_KMPRIVATE:
		if (c.strict && ld32(e + 4) != 0)
			return flt(f, PFKV2_E_RESERVED, 4);
		return 0;
	case K_NATT_FRAG:
		if (c.strict && ld16(e + 6) != 0)
			return flt(f, PFKV2_E_RESERVED, 6);
		return 0;
	case K_EPROP:
		return c.strict ? chk_eprop_canonical(e, len, f) : 0;
	case K_PROP:
		return chk_prop(&c, e, len, f);
	case K_SUPPORTED:
		return chk_supported(&c, e, len, f);
	case K_SPIRANGE:
		return chk_spirange(&c, e, f);
	case K_POLICY:
		return chk_policyval(&c, e, f);
	case K_SA2:
		if (c.known && !known(c.dl, PFKV2_SP_MODE, e[4]))
			return flt(f, PFKV2_E_MODE, 4);
		if (c.strict && (e[5] != 0 || ld16(e + 6) != 0))
			return flt(f, PFKV2_E_RESERVED, 5);
		return 0;
	case K_NATT_TYPE:
		/* F-NATT: FreeBSD knows only UDP_ENCAP_ESPINUDP. */
		if (c.dia && c.dl->id == PFKV2_DIALECT_FREEBSD && e[4] != 2)
			return flt(f, PFKV2_E_NATT_TYPE, 4);
		if (c.strict && !bytes_zero(e + 5, 3))
			return flt(f, PFKV2_E_RESERVED, 5);
		return 0;
	case K_NATT_PORT:
		if (c.dia && c.dl->id == PFKV2_DIALECT_FREEBSD &&
		    ld16(e + 4) == 0)
			return flt(f, PFKV2_E_NATT_PORT, 4);
		if (c.strict && ld16(e + 6) != 0)
			return flt(f, PFKV2_E_RESERVED, 6);
		return 0;
	case K_SEC_CTX:
		/* F-CTX: Linux caps the context at a page. */
		if (c.dia && c.dl->id == PFKV2_DIALECT_LINUX &&
		    ld16(e + 6) > 4096)
			return flt(f, PFKV2_E_CTX_LEN, 6);
		return 0;
	case K_FILTER:
		return chk_filter(&c, e, f);
	case K_SA_REPLAY:
		if (c.dia && ld32(e + 4) > UINT32_MAX - 32)
			return flt(f, PFKV2_E_REPLAY, 4);
		return 0;
	case K_REPLAY_CTR:
		if (c.dia && ld32(e + 4) == 0 && ld64(e + 8) != 0)
			return flt(f, PFKV2_E_REPLAY, 4);
		return 0;
	case K_KMC:
		if ((c.known && !known(c.dl, PFKV2_SP_KMP, ld32(e + 4))) ||
		    (c.strict && ld32(e + 4) > 0x7fff))
			return flt(f, PFKV2_E_KMC, 4);
		/* F-KMC: IKEv1 uses only the 32-bit view. */
		if (c.strict && dl_w2c(c.dl, PFKV2_SP_KMP, ld32(e + 4)) !=
		    PFKV2_KMP_IKEV2 && ld32(e + 12) != 0)
			return flt(f, PFKV2_E_KMC, 12);
		return 0;
	case K_PAIR:
		if (ld32(e + 4) == 0)
			return flt(f, PFKV2_E_PAIR, 4);
		return 0;
	case K_EREG: {
		size_t i;

		for (i = 4; i < len && e[i] != 0; i++)
			if (c.known && !known(c.dl, PFKV2_SP_SATYPE, e[i]))
				return flt(f, PFKV2_E_EREG, i);
		/* Canonical: the list, its NUL, zero padding to one word. */
		if (c.strict && (pad8(i + 1) != len || !bytes_zero(e + i, len - i)))
			return flt(f, PFKV2_E_EREG, i);
		return 0;
	}
	case K_EDUMP:
		if (c.strict && ld32(e + 4) != 0)
			return flt(f, PFKV2_E_RESERVED, 4);
		return 0;
	default:
		return 0;
	}
}

/*
 * Canonical X_EPROP: reserved bytes zero and nothing after the last
 * extended combination.
 */
static int
chk_eprop_canonical(const uint8_t *e, size_t len, struct fault *f)
{
	size_t off = 8, n = ld16(e + 6), i;

	if (e[5] != 0)
		return flt(f, PFKV2_E_RESERVED, 5);
	for (i = 0; i < n; i++) {
		if (e[off + 1] != 0 || ld32(e + off + 4) != 0)
			return flt(f, PFKV2_E_RESERVED, off + 1);
		off += sizeof(struct pfkv2_sadb_x_ecomb) +
		    (size_t)e[off] * sizeof(struct pfkv2_sadb_x_algdesc);
	}
	return off == len ? 0 : flt(f, PFKV2_E_EPROP, off);
}

/* Offset of the extension with the lowest address among mask. */
static size_t
first_of(const struct pfkv2_view *v, uint64_t mask, unsigned *which)
{
	size_t best = SIZE_MAX, o;
	unsigned e;

	for (e = 0; e < PFKV2_EXT_COUNT; e++) {
		if ((mask & PFKV2_EXTBIT(e)) == 0)
			continue;
		o = (size_t)(v->ext_[e] - v->msg_);
		if (o < best) {
			best = o;
			*which = e;
		}
	}
	return best;
}

/* Index of the lowest set bit of m (m is not 0). */
static unsigned
lowest_bit(uint64_t m)
{
	unsigned e = 0;

	while ((m & (UINT64_C(1) << e)) == 0)
		e++;
	return e;
}

/* Cross-extension rules for SA messages (ADD, UPDATE, ...). */
static int
chk_sa_msg(const struct vctx *c, struct fault *f, unsigned *ext)
{
	const struct pfkv2_view *v = c->v;
	const struct dl_dialect *dl = c->dl;
	bool addupd = v->type == PFKV2_MSG_ADD || v->type == PFKV2_MSG_UPDATE;
	struct pfkv2_lifetime h, s;
	uint64_t p = v->present;
	const uint8_t *sa;
	unsigned state;

	if (!addupd || !c->req || !c->dia)
		return 0;
	/* F-SA: FreeBSD refuses AH with a cipher and IPCOMP with an auth. */
	if (dl->id == PFKV2_DIALECT_FREEBSD && (p & PFKV2_EXTBIT(PFKV2_EXT_SA))) {
		sa = v->ext_[PFKV2_EXT_SA];
		*ext = PFKV2_EXT_SA;
		if (v->satype == PFKV2_SATYPE_AH &&
		    sa[OFF(sa, sadb_sa_encrypt)] != 0)
			return flt(f, PFKV2_E_ALG_MISMATCH, (size_t)(sa -
			    v->msg_) + OFF(sa, sadb_sa_encrypt));
		if (v->satype == PFKV2_SATYPE_IPCOMP &&
		    sa[OFF(sa, sadb_sa_auth)] != 0)
			return flt(f, PFKV2_E_ALG_MISMATCH, (size_t)(sa -
			    v->msg_) + OFF(sa, sadb_sa_auth));
	}
	/* Linux needs the satype's key even on UPDATE; illumos on ADD. */
	if ((dl->id == PFKV2_DIALECT_LINUX || (dl->id ==
	    PFKV2_DIALECT_ILLUMOS && v->type == PFKV2_MSG_ADD))) {
		*ext = v->satype == PFKV2_SATYPE_AH ? PFKV2_EXT_KEY_AUTH :
		    PFKV2_EXT_KEY_ENCRYPT;
		if ((v->satype == PFKV2_SATYPE_AH ||
		    v->satype == PFKV2_SATYPE_ESP) &&
		    (p & PFKV2_EXTBIT(*ext)) == 0)
			return flt(f, PFKV2_E_KEY_MISSING, 0);
	}
	if (v->satype == PFKV2_SATYPE_AH && dl->id != PFKV2_DIALECT_LINUX &&
	    (p & PFKV2_EXTBIT(PFKV2_EXT_KEY_ENCRYPT)) != 0) {
		*ext = PFKV2_EXT_KEY_ENCRYPT;
		return flt(f, PFKV2_E_KEY_PRESENT,
		    (size_t)(v->ext_[*ext] - v->msg_));
	}
	/* Linux and FreeBSD: hard and soft lifetimes come together. */
	if (dl->hs_lifetime_pair &&
	    ((p >> PFKV2_EXT_LIFETIME_HARD) & 1) !=
	    ((p >> PFKV2_EXT_LIFETIME_SOFT) & 1)) {
		*ext = (p & PFKV2_EXTBIT(PFKV2_EXT_LIFETIME_HARD)) ?
		    PFKV2_EXT_LIFETIME_HARD : PFKV2_EXT_LIFETIME_SOFT;
		return flt(f, PFKV2_E_LIFETIME_PAIR,
		    (size_t)(v->ext_[*ext] - v->msg_));
	}
	/* illumos refuses a soft limit above the hard one (D16). */
	if (dl->id == PFKV2_DIALECT_ILLUMOS &&
	    pfkv2_get_lifetime(v, PFKV2_EXT_LIFETIME_HARD, &h) == 0 &&
	    pfkv2_get_lifetime(v, PFKV2_EXT_LIFETIME_SOFT, &s) == 0 &&
	    ((h.allocations && s.allocations > h.allocations) ||
	    (h.bytes && s.bytes > h.bytes) ||
	    (h.addtime && s.addtime > h.addtime) ||
	    (h.usetime && s.usetime > h.usetime))) {
		*ext = PFKV2_EXT_LIFETIME_SOFT;
		return flt(f, PFKV2_E_LIFETIME_ORDER,
		    (size_t)(v->ext_[*ext] - v->msg_));
	}
	/* RFC 2367 and illumos: ADD and UPDATE carry a MATURE SA (D12). */
	if ((p & PFKV2_EXTBIT(PFKV2_EXT_SA)) &&
	    (dl->id == PFKV2_DIALECT_RFC2367 ||
	    dl->id == PFKV2_DIALECT_ILLUMOS)) {
		sa = v->ext_[PFKV2_EXT_SA];
		state = (unsigned)dl_w2c(dl, PFKV2_SP_SASTATE,
		    sa[OFF(sa, sadb_sa_state)]);
		if (state != PFKV2_SASTATE_MATURE &&
		    state != PFKV2_SASTATE_ACTIVE_ELSEWHERE) {
			*ext = PFKV2_EXT_SA;
			return flt(f, PFKV2_E_SA_STATE_MSG,
			    (size_t)(sa - v->msg_) + OFF(sa, sadb_sa_state));
		}
	}
	return 0;
}

/* SRC and DST must agree in family (F-ADDR), and on FreeBSD in protocol. */
static int
chk_addr_pair(const struct vctx *c, struct fault *f, unsigned *ext)
{
	const struct pfkv2_view *v = c->v;
	struct pfkv2_address s, d;
	static const uint8_t any6[16];

	if (pfkv2_get_address(v, PFKV2_EXT_ADDRESS_SRC, &s) != 0 ||
	    pfkv2_get_address(v, PFKV2_EXT_ADDRESS_DST, &d) != 0)
		return 0;
	*ext = PFKV2_EXT_ADDRESS_DST;
	if (s.addr.family != d.addr.family &&
	    !(c->dl->id == PFKV2_DIALECT_ILLUMOS &&
	    s.addr.family == PFKV2_AF_INET6 &&
	    memcmp(s.addr.addr, any6, 16) == 0))
		return flt(f, PFKV2_E_ADDR_MISMATCH,
		    (size_t)(v->ext_[*ext] - v->msg_) + 8);
	if (c->dia && c->req && c->dl->id == PFKV2_DIALECT_FREEBSD &&
	    s.proto != d.proto)
		return flt(f, PFKV2_E_PROTO_MISMATCH,
		    (size_t)(v->ext_[*ext] - v->msg_) +
		    OFF(address, sadb_address_proto));
	return 0;
}

/* The cross-extension rules of SA messages, for the one pass (pass.h). */
int
chk_sa_rules(const struct pfkv2_view *v, unsigned flags, struct fault *f,
    unsigned *ext)
{
	struct vctx c = vctx_of(v, flags);

	return chk_sa_msg(&c, f, ext);
}

static int
vfail(struct pfkv2_diag *diag, const struct pfkv2_view *v, int code,
    size_t off, unsigned ext)
{
	diag_set(diag, v_dl(v), v->msg_, v->len_, code, (uint32_t)off, ext);
	errno = EBADMSG;
	return -1;
}

PFKV2_API int
pfkv2_validate(const struct pfkv2_view *v, unsigned flags,
    struct pfkv2_diag *diag)
{
	const struct dl_dialect *dl;
	const struct dl_msgrule *r;
	const uint8_t *m;
	struct vctx c;
	struct fault f;
	uint64_t allow, need, bad;
	unsigned e = 0;
	bool msgl, errrep;

	if (v == NULL || v->dl_ == NULL) {
		errno = EINVAL;
		return -1;
	}
	dl = v_dl(v);
	m = v->msg_;
	c = vctx_of(v, flags);
	msgl = (flags & (PFKV2_V_MESSAGE | PFKV2_V_DIALECT)) != 0;
	errrep = m[OFF(msg, sadb_msg_errno)] != 0 && !c.req;

	/* Structure again, in canonical form (strict was not set at parse). */
	if (c.strict && v->nunknown != 0)
		return vfail(diag, v, PFKV2_E_EXT_UNKNOWN, v->unknown_off + 2,
		    0);
	if (c.dia && c.req && dl->unknown_ext == DL_UNKNOWN_REJECT &&
	    v->nunknown != 0)
		return vfail(diag, v, PFKV2_E_EXT_UNKNOWN, v->unknown_off + 2,
		    0);

	/* H3, H4, H5, H6, H8, H9. */
	if ((msgl || c.strict) && m[OFF(msg, sadb_msg_version)] !=
	    PFKV2_PF_KEY_V2)
		return vfail(diag, v, PFKV2_E_VERSION, 0, 0);
	if (c.req && (c.strict || (c.dia && dl->id == PFKV2_DIALECT_LINUX)) &&
	    ld16(m + OFF(msg, sadb_msg_reserved)) != 0)
		return vfail(diag, v, PFKV2_E_MSG_RESERVED,
		    OFF(msg, sadb_msg_reserved), 0);
	if (c.req && c.strict && m[OFF(msg, sadb_msg_errno)] != 0 &&
	    v->type != PFKV2_MSG_ACQUIRE)
		return vfail(diag, v, PFKV2_E_MSG_ERRNO,
		    OFF(msg, sadb_msg_errno), 0);
	if (c.req && c.dia && dl->max_msg != 0 && v->len_ > dl->max_msg)
		return vfail(diag, v, PFKV2_E_TOO_BIG, OFF(msg, sadb_msg_len),
		    0);
	if (!msgl)
		goto fields;
	if (is_wire(v->type) || v->type == PFKV2_MSG_RESERVED)
		return vfail(diag, v, PFKV2_E_MSG_TYPE, OFF(msg, sadb_msg_type),
		    0);
	r = &dl->rules[v->type];
	if ((c.req && (r->flags & DL_MR_NO_IN)) ||
	    (c.rep && (r->flags & DL_MR_NO_OUT)))
		return vfail(diag, v, PFKV2_E_MSG_NO_HANDLER,
		    OFF(msg, sadb_msg_type), 0);
	if (is_wire(v->satype) || (c.req && (r->flags & DL_MR_SATYPE) &&
	    v->satype == PFKV2_SATYPE_UNSPEC))
		return vfail(diag, v, PFKV2_E_SATYPE,
		    OFF(msg, sadb_msg_satype), 0);

	/*
	 * W7, W8.  Error replies are a bare header (FreeBSD echoes the
	 * request): the sets do not apply to them.  The KM-failure ACQUIRE
	 * (errno set, RFC 2367 3.1.6) is a bare header too.
	 */
	if (!errrep && !(v->type == PFKV2_MSG_ACQUIRE &&
	    m[OFF(msg, sadb_msg_errno)] != 0)) {
		if (c.req) {
			allow = r->allow_in;
			need = r->req_in;
		} else if (c.rep) {
			allow = r->allow_out;
			need = r->req_out;
		} else {
			allow = r->allow_in | r->allow_out;
			need = r->req_in & r->req_out;
		}
		if ((bad = v->present & ~allow) != 0)
			return vfail(diag, v, PFKV2_E_EXT_NOT_ALLOWED,
			    first_of(v, bad, &e), e);
		if ((bad = need & ~v->present) != 0) {
			e = lowest_bit(bad);
			return vfail(diag, v, PFKV2_E_EXT_MISSING, 0, e);
		}
	}
	if (chk_addr_pair(&c, &f, &e) != 0 || chk_sa_msg(&c, &f, &e) != 0)
		return vfail(diag, v, f.code, f.off, e);

fields:
	for (e = 1; e < PFKV2_EXT_COUNT; e++) {
		if ((v->present & PFKV2_EXTBIT(e)) == 0)
			continue;
		if (!msgl && !c.strict)
			break;
		if (chk_values(v, e, msgl ? flags : (flags & ~(PFKV2_V_REQUEST |
		    PFKV2_V_REPLY)), &f) != 0)
			return vfail(diag, v, f.code,
			    (size_t)(v->ext_[e] - m) + f.off, e);
	}
	/* A view parsed without STRICT has not had the canonical-form checks. */
	if (c.strict && v->reserved_[0] == 0 &&
	    parse_strict_exts(v, &f, &e) != 0)
		return vfail(diag, v, f.code, f.off, e);
	if (diag != NULL)
		diag_set(diag, dl, m, v->len_, PFKV2_OK, 0, 0);
	return 0;
}

static int
fail(struct pfkv2_diag *diag, const struct dl_dialect *dl, const uint8_t *msg,
    size_t len, int code, size_t off)
{
	int ext = 0;

	/* Name the extension whose header the walk could not accept. */
	if ((code == PFKV2_E_EXT_LEN_ZERO || code == PFKV2_E_EXT_OVERRUN) &&
	    (ext = dl_w2c(dl, PFKV2_SP_EXT, ld16(msg + off + 2))) < 0)
		ext = 0;
	diag_set(diag, dl, msg, len, code, (uint32_t)off, (unsigned)ext);
	errno = EBADMSG;
	return -1;
}

/*
 * The parser's walk in rule order, then pfkv2_validate() when flags ask
 * for it: what pfkv2_parse() does, one rule at a time.  Arguments were
 * checked by the caller.
 */
int
parse_ordered(const uint8_t *msg, size_t len, const struct dl_dialect *dl,
    unsigned flags, struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	const uint8_t *e;
	struct fault f;
	uint64_t present = 0;
	size_t off, elen;
	unsigned etype, c, wlen;
	bool strict = (flags & PFKV2_V_STRICT) != 0;
	bool reject_unknown = strict || ((flags & PFKV2_V_DIALECT) != 0 &&
	    dl->unknown_ext == DL_UNKNOWN_REJECT);

	if (len < sizeof(struct pfkv2_sadb_msg))
		return fail(diag, dl, msg, len, PFKV2_E_SHORT, 0);
	wlen = ld16(msg + OFF(msg, sadb_msg_len));
	if ((size_t)wlen * PFKV2_WORD != len)
		return fail(diag, dl, msg, len, PFKV2_E_MSG_LEN,
		    OFF(msg, sadb_msg_len));

	v->msg_ = msg;
	v->len_ = (uint32_t)len;
	v->dl_ = dl;
	v->dialect = (uint16_t)dl->id;
	v->type = (uint16_t)v_canon(dl, PFKV2_SP_MSG,
	    msg[OFF(msg, sadb_msg_type)]);
	v->satype = (uint16_t)v_canon(dl, PFKV2_SP_SATYPE,
	    msg[OFF(msg, sadb_msg_satype)]);
	v->nunknown = 0;
	v->unknown_off = 0;

	for (off = sizeof(struct pfkv2_sadb_msg); off < len; off += elen) {
		e = msg + off;
		if (len - off < sizeof(struct pfkv2_sadb_ext))
			return fail(diag, dl, msg, len, PFKV2_E_EXT_TRUNC, off);
		elen = (size_t)ld16(e) * PFKV2_WORD;
		etype = ld16(e + 2);
		if (elen == 0)
			return fail(diag, dl, msg, len, PFKV2_E_EXT_LEN_ZERO,
			    off);
		if (elen > len - off)
			return fail(diag, dl, msg, len, PFKV2_E_EXT_OVERRUN,
			    off);
		if (etype == 0)
			return fail(diag, dl, msg, len, PFKV2_E_EXT_TYPE_ZERO,
			    off + 2);
		if (etype > 255 || dl->map[PFKV2_SP_EXT].w2c[etype] == 0) {
			/* RFC 2367 2.3: unknown extensions are skipped. */
			if (reject_unknown)
				return fail(diag, dl, msg, len,
				    PFKV2_E_EXT_UNKNOWN, off + 2);
			if (v->nunknown++ == 0)
				v->unknown_off = (uint32_t)off;
			continue;
		}
		c = dl->map[PFKV2_SP_EXT].w2c[etype] - 1u;
		if (present & PFKV2_EXTBIT(c))
			return fail(diag, dl, msg, len, PFKV2_E_EXT_DUP, off);
		present |= PFKV2_EXTBIT(c);
		v->ext_[c] = e;
		if (elen < pfkv2_ext_info[c].min ||
		    (strict && pfkv2_ext_info[c].exact &&
		    elen != pfkv2_ext_info[c].min))
			return fail(diag, dl, msg, len, PFKV2_E_EXT_SIZE, off);
		if (chk_kind(dl, pfkv2_ext_info[c].kind, e, elen, strict,
		    &f) != 0)
			return fail(diag, dl, msg, len, f.code, off + f.off);
	}
	v->present = present;
	v->reserved_[0] = strict;	/* canonical-form checks done */

	if (flags & (PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_STRICT))
		return pfkv2_validate(v, flags, diag);
	if (diag != NULL)
		diag_set(diag, dl, msg, len, PFKV2_OK, 0, 0);
	return 0;
}
