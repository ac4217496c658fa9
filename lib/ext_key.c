/*
 * Key extensions: KEY_AUTH, KEY_ENCRYPT, and illumos STR_AUTH (the same
 * layout carrying a TCP-MD5 password).
 */
#include "build_body.h"

int
chk_key(const struct dl_dialect *dl, const uint8_t *e, size_t len,
    bool strict, struct fault *f)
{
	size_t need = key_bytes(ld16(e + OFF(key, sadb_key_bits)));
	size_t i;

	/* The 2018 Linux fix: bits must not promise more than is there. */
	if (need > len - 8) {
		f->code = PFKV2_E_KEY_SHORT;
		f->off = OFF(key, sadb_key_bits);
		return -1;
	}
	if (!strict)
		return 0;
	if (pad8(8 + need) != len) {
		f->code = PFKV2_E_KEY_LONG;
		f->off = 0;
		return -1;
	}
	/* illumos uses the reserved word for IV bits. */
	if (dl->id != PFKV2_DIALECT_ILLUMOS &&
	    ld16(e + OFF(key, sadb_key_reserved)) != 0) {
		f->code = PFKV2_E_RESERVED;
		f->off = OFF(key, sadb_key_reserved);
		return -1;
	}
	for (i = 8 + need; i < len; i++)
		if (e[i] != 0) {
			f->code = PFKV2_E_KEY_LONG;
			f->off = (uint32_t)i;
			return -1;
		}
	return 0;
}

/* The checked path: every refusal, measuring, overflow. */
static NOINLINE int
put_keylike_checked(struct pfkv2_builder *b, unsigned ext, const void *data,
    unsigned bits, uint16_t reserved)
{
	size_t n = key_bytes(bits);
	uint8_t *p;
	int rc;

	if (b_check_ext(b, ext, K_KEY) == -1)
		return -1;
	if (data == NULL && n != 0) {
		errno = EINVAL;
		return -1;
	}
	if (bits > UINT16_MAX) {
		errno = ERANGE;
		return -1;
	}
	if ((p = b_reserve(b, ext, 8 + n, &rc)) == NULL)
		return rc;
	key_body(p, pad8(8 + n), data, n, bits, reserved);
	return 0;
}

static ALWAYS_INLINE int
put_keylike(struct pfkv2_builder *b, unsigned ext, const void *data,
    unsigned bits, uint16_t reserved)
{
	size_t z;
	uint8_t *p;

	if (bits <= UINT16_MAX && b_kind(ext, K_KEY) &&
	    (z = key_size(data, bits)) != 0 &&
	    (p = b_room(b, ext, z)) != NULL) {
		key_body(p, z, data, key_bytes(bits), bits, reserved);
		return 0;
	}
	return put_keylike_checked(b, ext, data, bits, reserved);
}

PFKV2_API int
pfkv2_put_key(struct pfkv2_builder *b, unsigned ext, const struct pfkv2_key *k)
{
	if (k == NULL || ext == PFKV2_EXT_STR_AUTH) {
		errno = EINVAL;
		return -1;
	}
	return put_keylike(b, ext, k->data, k->bits, k->reserved);
}

PFKV2_API int
pfkv2_get_key(const struct pfkv2_view *v, unsigned ext, struct pfkv2_key *out)
{
	const uint8_t *e;

	if ((e = v_ext(v, ext, K_KEY, NULL)) == NULL)
		return -1;
	out->bits = ld16(e + OFF(key, sadb_key_bits));
	out->reserved = ld16(e + OFF(key, sadb_key_reserved));
	out->data = e + 8;
	return 0;
}

PFKV2_API int
pfkv2_put_str_auth(struct pfkv2_builder *b, const char *s, size_t len)
{
	if (len > UINT16_MAX / 8) {
		errno = ERANGE;
		return -1;
	}
	return put_keylike(b, PFKV2_EXT_STR_AUTH, s, (unsigned)len * 8, 0);
}

PFKV2_API int
pfkv2_get_str_auth(const struct pfkv2_view *v, const char **s, size_t *len)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_STR_AUTH, K_KEY, NULL)) == NULL)
		return -1;
	*s = (const char *)(e + 8);
	*len = key_bytes(ld16(e + OFF(key, sadb_key_bits)));
	return 0;
}
