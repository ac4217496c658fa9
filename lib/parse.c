/*
 * The parser: one pass over the message that fills the view and applies
 * every structural rule (RFC 2367 section 2, and the per-type sizes and
 * bounds the getters rely on).  Message- and dialect-level rules run in
 * validate.c when asked for.
 */
#include "internal.h"

/* Sizes per canonical extension; `exact` lengths are enforced when strict. */
const struct ext_info pfkv2_ext_info[PFKV2_EXT_COUNT] = {
	[PFKV2_EXT_SA]			= { K_SA, 16, true },
	[PFKV2_EXT_LIFETIME_CURRENT]	= { K_LIFETIME, 32, true },
	[PFKV2_EXT_LIFETIME_HARD]	= { K_LIFETIME, 32, true },
	[PFKV2_EXT_LIFETIME_SOFT]	= { K_LIFETIME, 32, true },
	[PFKV2_EXT_ADDRESS_SRC]		= { K_ADDRESS, 8, false },
	[PFKV2_EXT_ADDRESS_DST]		= { K_ADDRESS, 8, false },
	[PFKV2_EXT_ADDRESS_PROXY]	= { K_ADDRESS, 8, false },
	[PFKV2_EXT_KEY_AUTH]		= { K_KEY, 8, false },
	[PFKV2_EXT_KEY_ENCRYPT]		= { K_KEY, 8, false },
	[PFKV2_EXT_IDENTITY_SRC]	= { K_IDENT, 16, false },
	[PFKV2_EXT_IDENTITY_DST]	= { K_IDENT, 16, false },
	[PFKV2_EXT_SENSITIVITY]		= { K_SENS, 16, false },
	[PFKV2_EXT_PROPOSAL]		= { K_PROP, 8, false },
	[PFKV2_EXT_SUPPORTED_AUTH]	= { K_SUPPORTED, 8, false },
	[PFKV2_EXT_SUPPORTED_ENCRYPT]	= { K_SUPPORTED, 8, false },
	[PFKV2_EXT_SPIRANGE]		= { K_SPIRANGE, 16, true },
	[PFKV2_EXT_KMPRIVATE]		= { K_KMPRIVATE, 8, false },
	[PFKV2_EXT_POLICY]		= { K_POLICY, 16, false },
	[PFKV2_EXT_SA2]			= { K_SA2, 16, true },
	[PFKV2_EXT_NAT_T_TYPE]		= { K_NATT_TYPE, 8, true },
	[PFKV2_EXT_NAT_T_SPORT]		= { K_NATT_PORT, 8, true },
	[PFKV2_EXT_NAT_T_DPORT]		= { K_NATT_PORT, 8, true },
	[PFKV2_EXT_NAT_T_OA]		= { K_ADDRESS, 8, false },
	[PFKV2_EXT_NAT_T_OAR]		= { K_ADDRESS, 8, false },
	[PFKV2_EXT_NAT_T_FRAG]		= { K_NATT_FRAG, 8, true },
	[PFKV2_EXT_SEC_CTX]		= { K_SEC_CTX, 8, false },
	[PFKV2_EXT_KMADDRESS]		= { K_KMADDRESS, 8, false },
	[PFKV2_EXT_FILTER]		= { K_FILTER, 40, true },
	[PFKV2_EXT_SA_REPLAY]		= { K_SA_REPLAY, 8, true },
	[PFKV2_EXT_NEW_ADDRESS_SRC]	= { K_ADDRESS, 8, false },
	[PFKV2_EXT_NEW_ADDRESS_DST]	= { K_ADDRESS, 8, false },
	[PFKV2_EXT_LFT_CUR_SW_OFFL]	= { K_LIFETIME, 32, true },
	[PFKV2_EXT_LFT_CUR_HW_OFFL]	= { K_LIFETIME, 32, true },
	[PFKV2_EXT_IF_HW_OFFL]		= { K_IF_HW_OFFL, 40, true },
	[PFKV2_EXT_EREG]		= { K_EREG, 8, false },
	[PFKV2_EXT_EPROP]		= { K_EPROP, 8, false },
	[PFKV2_EXT_KMC]			= { K_KMC, 16, true },
	[PFKV2_EXT_ADDRESS_NATT_LOC]	= { K_ADDRESS, 8, false },
	[PFKV2_EXT_ADDRESS_NATT_REM]	= { K_ADDRESS, 8, false },
	[PFKV2_EXT_ADDRESS_INNER_DST]	= { K_ADDRESS, 8, false },
	[PFKV2_EXT_PAIR]		= { K_PAIR, 8, true },
	[PFKV2_EXT_REPLAY_VALUE]	= { K_REPLAY_CTR, 16, true },
	[PFKV2_EXT_EDUMP]		= { K_EDUMP, 16, true },
	[PFKV2_EXT_LIFETIME_IDLE]	= { K_LIFETIME, 32, true },
	[PFKV2_EXT_OUTER_SENS]		= { K_SENS, 16, false },
	[PFKV2_EXT_STR_AUTH]		= { K_KEY, 8, false },
};

unsigned
v_canon(const struct dl_dialect *dl, enum pfkv2_space s, unsigned wire)
{
	int c = dl_w2c(dl, s, wire);

	return c < 0 ? PFKV2_WIRE(wire) : (unsigned)c;
}

/* Structural checks that depend on the kind of extension. */
static int
check_kind(const struct dl_dialect *dl, unsigned kind, const uint8_t *e,
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

PFKV2_API int
pfkv2_parse(const void *buf, size_t len, enum pfkv2_dialect d, unsigned flags,
    struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	const struct dl_dialect *dl = pfkv2_dl_get(d);
	const uint8_t *msg = buf, *e;
	struct fault f;
	uint64_t present = 0;
	size_t off, elen;
	unsigned etype, c, wlen;
	bool strict = (flags & PFKV2_V_STRICT) != 0;
	bool reject_unknown = strict || ((flags & PFKV2_V_DIALECT) != 0 &&
	    dl != NULL && dl->unknown_ext == DL_UNKNOWN_REJECT);

	if (dl == NULL || v == NULL || (buf == NULL && len != 0)) {
		errno = EINVAL;
		return -1;
	}
	if (len < sizeof(struct pfkv2_sadb_msg))
		return fail(diag, dl, msg, len, PFKV2_E_SHORT, 0);
	wlen = ld16(msg + OFF(msg, sadb_msg_len));
	if ((size_t)wlen * PFKV2_WORD != len)
		return fail(diag, dl, msg, len, PFKV2_E_MSG_LEN,
		    OFF(msg, sadb_msg_len));

	v->msg_ = msg;
	v->len_ = (uint32_t)len;
	v->dl_ = dl;
	v->dialect = (uint16_t)d;
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
		if (check_kind(dl, pfkv2_ext_info[c].kind, e, elen, strict,
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
		if (check_kind(dl, pfkv2_ext_info[c].kind, v->ext_[c], elen,
		    true, f) != 0) {
			f->off += (uint32_t)(v->ext_[c] - v->msg_);
			return -1;
		}
	}
	return 0;
}

/* View accessors. */

PFKV2_API const void *
pfkv2_view_msg(const struct pfkv2_view *v)
{
	return v->msg_;
}

PFKV2_API size_t
pfkv2_view_len(const struct pfkv2_view *v)
{
	return v->len_;
}

PFKV2_API uint8_t
pfkv2_view_errno(const struct pfkv2_view *v)
{
	return v->msg_[OFF(msg, sadb_msg_errno)];
}

PFKV2_API uint32_t
pfkv2_view_seq(const struct pfkv2_view *v)
{
	return ld32(v->msg_ + OFF(msg, sadb_msg_seq));
}

PFKV2_API uint32_t
pfkv2_view_pid(const struct pfkv2_view *v)
{
	return ld32(v->msg_ + OFF(msg, sadb_msg_pid));
}

PFKV2_API uint16_t
pfkv2_view_reserved(const struct pfkv2_view *v)
{
	return ld16(v->msg_ + OFF(msg, sadb_msg_reserved));
}

PFKV2_API bool
pfkv2_view_has(const struct pfkv2_view *v, unsigned ext)
{
	return ext < PFKV2_EXT_COUNT && (v->present & PFKV2_EXTBIT(ext)) != 0;
}

PFKV2_API const void *
pfkv2_view_ext(const struct pfkv2_view *v, unsigned ext, size_t *len)
{
	if (!pfkv2_view_has(v, ext))
		return NULL;
	if (len != NULL)
		*len = (size_t)ld16(v->ext_[ext]) * PFKV2_WORD;
	return v->ext_[ext];
}

/*
 * The extension ext if present and of the given kind; for getters.  NULL
 * with errno EINVAL (wrong kind) or ENOENT (absent).
 */
const uint8_t *
v_ext(const struct pfkv2_view *v, unsigned ext, unsigned kind, size_t *len)
{
	if (ext >= PFKV2_EXT_COUNT || pfkv2_ext_info[ext].kind != kind) {
		errno = EINVAL;
		return NULL;
	}
	if ((v->present & PFKV2_EXTBIT(ext)) == 0) {
		errno = ENOENT;
		return NULL;
	}
	if (len != NULL)
		*len = (size_t)ld16(v->ext_[ext]) * PFKV2_WORD;
	return v->ext_[ext];
}

/* Raw extension walking. */

PFKV2_API const void *
pfkv2_ext_first(const void *msg, size_t len)
{
	return pfkv2_ext_next(msg, len, NULL);
}

PFKV2_API const void *
pfkv2_ext_next(const void *msg, size_t len, const void *ext)
{
	const uint8_t *m = msg, *e = ext;
	size_t off, elen;

	if (m == NULL || len < sizeof(struct pfkv2_sadb_msg))
		return NULL;
	if (e == NULL)
		off = sizeof(struct pfkv2_sadb_msg);
	else {
		if (e < m + sizeof(struct pfkv2_sadb_msg) || e >= m + len)
			return NULL;
		off = (size_t)(e - m) + (size_t)ld16(e) * PFKV2_WORD;
	}
	if (off >= len || len - off < sizeof(struct pfkv2_sadb_ext))
		return NULL;
	elen = (size_t)ld16(m + off) * PFKV2_WORD;
	if (elen == 0 || elen > len - off)
		return NULL;
	return m + off;
}

PFKV2_API uint16_t
pfkv2_ext_type(const void *ext)
{
	return ld16((const uint8_t *)ext + 2);
}

PFKV2_API size_t
pfkv2_ext_bytes(const void *ext)
{
	return (size_t)ld16((const uint8_t *)ext) * PFKV2_WORD;
}
