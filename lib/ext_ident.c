/*
 * Identity and sensitivity extensions: IDENTITY_SRC/DST, SENSITIVITY and
 * illumos OUTER_SENS.
 */
#include "internal.h"

int
chk_ident(const uint8_t *e, size_t len, bool strict, struct fault *f)
{
	size_t room = len - 16, n;
	size_t i;

	if (!strict)
		return 0;
	if (ld16(e + OFF(ident, sadb_ident_reserved)) != 0) {
		f->code = PFKV2_E_RESERVED;
		f->off = OFF(ident, sadb_ident_reserved);
		return -1;
	}
	if (room == 0)
		return 0;
	n = strnlen((const char *)e + 16, room);
	if (n == room) {
		f->code = PFKV2_E_IDENT_NUL;
		f->off = (uint32_t)(len - 1);
		return -1;
	}
	if (pad8(n + 1) != room) {
		f->code = PFKV2_E_IDENT_PAD;
		f->off = 0;
		return -1;
	}
	for (i = 16 + n; i < len; i++)
		if (e[i] != 0) {
			f->code = PFKV2_E_IDENT_PAD;
			f->off = (uint32_t)i;
			return -1;
		}
	return 0;
}

PFKV2_API int
pfkv2_put_ident(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_ident *id)
{
	unsigned type;
	size_t n;
	uint8_t *p;
	int rc;

	if (b_check_ext(b, ext, K_IDENT) == -1)
		return -1;
	if (id == NULL || (id->str == NULL && id->len != 0)) {
		errno = EINVAL;
		return -1;
	}
	if (b_map(b, PFKV2_SP_IDENTTYPE, id->type, &type) == -1)
		return -1;
	if (type > UINT16_MAX || id->len > PFKV2_MSG_MAXLEN) {
		errno = ERANGE;
		return -1;
	}
	n = id->str == NULL ? 0 : id->len + 1;
	if ((p = b_reserve(b, ext, 16 + n, &rc)) == NULL)
		return rc;
	st16(p + OFF(ident, sadb_ident_type), (uint16_t)type);
	st64(p + OFF(ident, sadb_ident_id), id->id);
	if (id->len != 0)
		memcpy(p + 16, id->str, id->len);
	return 0;
}

PFKV2_API int
pfkv2_get_ident(const struct pfkv2_view *v, unsigned ext,
    struct pfkv2_ident *out)
{
	const uint8_t *e;
	size_t len;

	if ((e = v_ext(v, ext, K_IDENT, &len)) == NULL)
		return -1;
	out->type = (uint16_t)v_canon(v_dl(v), PFKV2_SP_IDENTTYPE,
	    ld16(e + OFF(ident, sadb_ident_type)));
	out->id = ld64(e + OFF(ident, sadb_ident_id));
	if (len > 16) {
		out->str = (const char *)e + 16;
		out->len = strnlen(out->str, len - 16);
	} else {
		out->str = NULL;
		out->len = 0;
	}
	return 0;
}

static size_t
sens_bytes(const uint8_t *e)
{
	return 16 + ((size_t)e[OFF(sens, sadb_sens_sens_len)] +
	    e[OFF(sens, sadb_sens_integ_len)]) * 8;
}

int
chk_sens(const uint8_t *e, size_t len, bool strict, struct fault *f)
{
	size_t need = sens_bytes(e);

	if (need > len || (strict && need != len)) {
		f->code = PFKV2_E_SENS_LEN;
		f->off = OFF(sens, sadb_sens_sens_len);
		return -1;
	}
	return 0;
}

PFKV2_API int
pfkv2_put_sens(struct pfkv2_builder *b, unsigned ext, const struct pfkv2_sens *s)
{
	size_t ns, ni;
	uint8_t *p;
	int rc;

	if (b_check_ext(b, ext, K_SENS) == -1)
		return -1;
	if (s == NULL || (s->sens_len != 0 && s->sens_bitmap == NULL) ||
	    (s->integ_len != 0 && s->integ_bitmap == NULL)) {
		errno = EINVAL;
		return -1;
	}
	ns = (size_t)s->sens_len * 8;
	ni = (size_t)s->integ_len * 8;
	if ((p = b_reserve(b, ext, 16 + ns + ni, &rc)) == NULL)
		return rc;
	st32(p + OFF(sens, sadb_sens_dpd), s->dpd);
	p[OFF(sens, sadb_sens_sens_level)] = s->sens_level;
	p[OFF(sens, sadb_sens_sens_len)] = s->sens_len;
	p[OFF(sens, sadb_sens_integ_level)] = s->integ_level;
	p[OFF(sens, sadb_sens_integ_len)] = s->integ_len;
	st32(p + OFF(sens, sadb_sens_reserved), s->flags);
	if (ns != 0)
		memcpy(p + 16, s->sens_bitmap, ns);
	if (ni != 0)
		memcpy(p + 16 + ns, s->integ_bitmap, ni);
	return 0;
}

PFKV2_API int
pfkv2_get_sens(const struct pfkv2_view *v, unsigned ext, struct pfkv2_sens *out)
{
	const uint8_t *e;

	if ((e = v_ext(v, ext, K_SENS, NULL)) == NULL)
		return -1;
	out->dpd = ld32(e + OFF(sens, sadb_sens_dpd));
	out->sens_level = e[OFF(sens, sadb_sens_sens_level)];
	out->sens_len = e[OFF(sens, sadb_sens_sens_len)];
	out->integ_level = e[OFF(sens, sadb_sens_integ_level)];
	out->integ_len = e[OFF(sens, sadb_sens_integ_len)];
	out->flags = ld32(e + OFF(sens, sadb_sens_reserved));
	out->sens_bitmap = e + 16;
	out->integ_bitmap = e + 16 + (size_t)out->sens_len * 8;
	return 0;
}
