/*
 * NAT traversal extensions: NAT_T_TYPE, NAT_T_SPORT/DPORT (ports travel in
 * network order) and FreeBSD's NAT_T_FRAG.  The original-address
 * extensions are addresses (ext_address.c).
 */
#include "internal.h"

static int
put_small(struct pfkv2_builder *b, unsigned ext, unsigned kind, uint16_t v16,
    uint8_t v8)
{
	uint8_t *p;
	int rc;

	if (b_check_ext(b, ext, kind) == -1)
		return -1;
	if ((p = b_reserve(b, ext, 8, &rc)) == NULL)
		return rc;
	if (kind == K_NATT_TYPE)
		p[4] = v8;
	else
		st16(p + 4, v16);
	return 0;
}

PFKV2_API int
pfkv2_put_nat_t_type(struct pfkv2_builder *b, uint8_t type)
{
	return put_small(b, PFKV2_EXT_NAT_T_TYPE, K_NATT_TYPE, 0, type);
}

PFKV2_API int
pfkv2_get_nat_t_type(const struct pfkv2_view *v, uint8_t *type)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_NAT_T_TYPE, K_NATT_TYPE, NULL)) == NULL)
		return -1;
	*type = e[4];
	return 0;
}

PFKV2_API int
pfkv2_put_nat_t_port(struct pfkv2_builder *b, unsigned ext, uint16_t port)
{
	return put_small(b, ext, K_NATT_PORT, be16(port), 0);
}

PFKV2_API int
pfkv2_get_nat_t_port(const struct pfkv2_view *v, unsigned ext, uint16_t *port)
{
	const uint8_t *e;

	if ((e = v_ext(v, ext, K_NATT_PORT, NULL)) == NULL)
		return -1;
	*port = be16(ld16(e + 4));
	return 0;
}

PFKV2_API int
pfkv2_put_nat_t_frag(struct pfkv2_builder *b, uint16_t fraglen)
{
	return put_small(b, PFKV2_EXT_NAT_T_FRAG, K_NATT_FRAG, fraglen, 0);
}

PFKV2_API int
pfkv2_get_nat_t_frag(const struct pfkv2_view *v, uint16_t *fraglen)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_NAT_T_FRAG, K_NATT_FRAG, NULL)) == NULL)
		return -1;
	*fraglen = ld16(e + 4);
	return 0;
}
