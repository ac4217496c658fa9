/*
 * Extensions and views: each canonical extension's shape (pfkv2_ext_info,
 * shared by the parser, the ordered checks and the builder), and what a
 * caller reads from a parsed view (the getters of ext_*.c through v_ext())
 * or walks in raw bytes.
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
