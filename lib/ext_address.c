/*
 * Address extensions: sadb_address (SRC, DST, PROXY, NAT_T_OA/OAR,
 * NEW_ADDRESS_*, illumos inner and NAT-T addresses), Linux kmaddress and
 * the Linux DUMP filter.  put, get and the structural check side by side.
 */
#include "build_body.h"

int
chk_address(const struct dl_dialect *dl, const uint8_t *e, size_t len,
    bool strict, struct fault *f)
{
	struct pfkv2_addr a;
	size_t n;
	int code = 0;

	n = addr_decode(dl, e + 8, len - 8, &a, &code);
	if (n == 0) {
		f->code = code == PFKV2_E_ADDR_FAMILY ? code : PFKV2_E_ADDR_LEN;
		f->off = code == PFKV2_E_ADDR_FAMILY ? 8 : 0;
		return -1;
	}
	/* Every kernel wants exactly one padded sockaddr. */
	if (pad8(8 + n) != len) {
		f->code = PFKV2_E_ADDR_LEN;
		f->off = 0;
		return -1;
	}
	if (e[OFF(address, sadb_address_prefixlen)] > max_prefix(a.family)) {
		f->code = PFKV2_E_ADDR_PREFIX;
		f->off = OFF(address, sadb_address_prefixlen);
		return -1;
	}
	if (!strict)
		return 0;
	if (ld16(e + OFF(address, sadb_address_reserved)) != 0) {
		f->code = PFKV2_E_RESERVED;
		f->off = OFF(address, sadb_address_reserved);
		return -1;
	}
	if (!addr_tail_clean(dl, e + 8, a.family) || !bytes_zero(e + 8 + n,
	    len - 8 - n)) {
		f->code = PFKV2_E_ADDR_PADDING;
		f->off = 8;
		return -1;
	}
	return 0;
}

/* The checked path: every refusal, measuring, overflow. */
static NOINLINE int
put_address_checked(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_address *a)
{
	uint8_t *p;
	size_t n;
	int rc;

	if (b_check_ext(b, ext, K_ADDRESS) == -1)
		return -1;
	if (a == NULL || (n = addr_wire_len(b_dl(b), a->addr.family)) == 0) {
		errno = EINVAL;
		return -1;
	}
	if (a->prefixlen > max_prefix(a->addr.family)) {
		errno = ERANGE;
		return -1;
	}
	if ((p = b_reserve(b, ext, 8 + n, &rc)) == NULL)
		return rc;
	address_body(b_dl(b), p, pad8(8 + n), a);
	return 0;
}

PFKV2_API int
pfkv2_put_address(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_address *a)
{
	const struct dl_dialect *dl = b_dl(b);
	uint8_t *p;
	size_t z;

	if (a != NULL && b_kind(ext, K_ADDRESS) &&
	    (z = address_size(dl, a)) != 0 &&
	    (p = b_room(b, ext, z)) != NULL) {
		address_body(dl, p, z, a);
		return 0;
	}
	return put_address_checked(b, ext, a);
}

PFKV2_API int
pfkv2_get_address(const struct pfkv2_view *v, unsigned ext,
    struct pfkv2_address *out)
{
	const uint8_t *e;
	size_t len;
	int code;

	if ((e = v_ext(v, ext, K_ADDRESS, &len)) == NULL)
		return -1;
	if (addr_decode(v_dl(v), e + 8, len - 8, &out->addr, &code) == 0) {
		errno = EBADMSG;	/* cannot happen on a parsed view */
		return -1;
	}
	out->proto = e[OFF(address, sadb_address_proto)];
	out->prefixlen = e[OFF(address, sadb_address_prefixlen)];
	out->reserved = ld16(e + OFF(address, sadb_address_reserved));
	return 0;
}

/* kmaddress: local then remote sockaddr, back to back, padded as a pair. */
int
chk_kmaddress(const struct dl_dialect *dl, const uint8_t *e, size_t len,
    bool strict, struct fault *f)
{
	struct pfkv2_addr a, b;
	size_t n1, n2;
	int code = 0;

	n1 = addr_decode(dl, e + 8, len - 8, &a, &code);
	n2 = n1 == 0 ? 0 : addr_decode(dl, e + 8 + n1, len - 8 - n1, &b,
	    &code);
	if (n2 == 0) {
		f->code = code;
		f->off = 8;
		return -1;
	}
	if (pad8(8 + n1 + n2) != len || a.family != b.family) {
		f->code = PFKV2_E_ADDR_LEN;
		f->off = 0;
		return -1;
	}
	if (strict && (!addr_tail_clean(dl, e + 8, a.family) ||
	    !addr_tail_clean(dl, e + 8 + n1, b.family) ||
	    !bytes_zero(e + 8 + n1 + n2, len - 8 - n1 - n2))) {
		f->code = PFKV2_E_ADDR_PADDING;
		f->off = 8;
		return -1;
	}
	return 0;
}

PFKV2_API int
pfkv2_put_kmaddress(struct pfkv2_builder *b, const struct pfkv2_kmaddress *k)
{
	size_t n1, n2;
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_KMADDRESS, K_KMADDRESS) == -1)
		return -1;
	if (k == NULL || (n1 = addr_wire_len(b_dl(b), k->local.family)) == 0 ||
	    (n2 = addr_wire_len(b_dl(b), k->remote.family)) == 0 ||
	    k->local.family != k->remote.family) {
		errno = EINVAL;
		return -1;
	}
	if ((p = b_reserve(b, PFKV2_EXT_KMADDRESS, 8 + n1 + n2, &rc)) == NULL)
		return rc;
	st32(p + OFF(x_kmaddress, sadb_x_kmaddress_reserved), k->reserved);
	addr_encode(b_dl(b), p + 8, &k->local);
	addr_encode(b_dl(b), p + 8 + n1, &k->remote);
	return 0;
}

PFKV2_API int
pfkv2_get_kmaddress(const struct pfkv2_view *v, struct pfkv2_kmaddress *out)
{
	const uint8_t *e;
	size_t len, n;
	int code;

	if ((e = v_ext(v, PFKV2_EXT_KMADDRESS, K_KMADDRESS, &len)) == NULL)
		return -1;
	n = addr_decode(v_dl(v), e + 8, len - 8, &out->local, &code);
	if (n == 0 || addr_decode(v_dl(v), e + 8 + n, len - 8 - n,
	    &out->remote, &code) == 0) {
		errno = EBADMSG;
		return -1;
	}
	out->reserved = ld32(e + OFF(x_kmaddress, sadb_x_kmaddress_reserved));
	return 0;
}

/* The filter's family field uses the dialect's AF_* numbers. */
PFKV2_API int
pfkv2_put_filter(struct pfkv2_builder *b, const struct pfkv2_filter *fl)
{
	const struct dl_dialect *dl = b_dl(b);
	size_t alen;
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_FILTER, K_FILTER) == -1)
		return -1;
	if (fl == NULL || (fl->src.family != PFKV2_AF_INET &&
	    fl->src.family != PFKV2_AF_INET6)) {
		errno = EINVAL;
		return -1;
	}
	if (fl->splen > max_prefix(fl->src.family) ||
	    fl->dplen > max_prefix(fl->src.family)) {
		errno = ERANGE;
		return -1;
	}
	alen = fl->src.family == PFKV2_AF_INET ? 4 : 16;
	if ((p = b_reserve(b, PFKV2_EXT_FILTER, 40, &rc)) == NULL)
		return rc;
	memcpy(p + OFF(x_filter, sadb_x_filter_saddr), fl->src.addr, alen);
	memcpy(p + OFF(x_filter, sadb_x_filter_daddr), fl->dst.addr, alen);
	st16(p + OFF(x_filter, sadb_x_filter_family),
	    (uint16_t)(fl->src.family == PFKV2_AF_INET ? dl->af_inet :
	    dl->af_inet6));
	p[OFF(x_filter, sadb_x_filter_splen)] = fl->splen;
	p[OFF(x_filter, sadb_x_filter_dplen)] = fl->dplen;
	return 0;
}

PFKV2_API int
pfkv2_get_filter(const struct pfkv2_view *v, struct pfkv2_filter *out)
{
	const struct dl_dialect *dl = v_dl(v);
	const uint8_t *e;
	unsigned fam;
	size_t alen;

	if ((e = v_ext(v, PFKV2_EXT_FILTER, K_FILTER, NULL)) == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	fam = ld16(e + OFF(x_filter, sadb_x_filter_family));
	if (fam == dl->af_inet)
		out->src.family = PFKV2_AF_INET;
	else if (fam == dl->af_inet6)
		out->src.family = PFKV2_AF_INET6;
	out->dst.family = out->src.family;
	alen = out->src.family == PFKV2_AF_INET ? 4 : 16;
	memcpy(out->src.addr, e + OFF(x_filter, sadb_x_filter_saddr), alen);
	memcpy(out->dst.addr, e + OFF(x_filter, sadb_x_filter_daddr), alen);
	out->splen = e[OFF(x_filter, sadb_x_filter_splen)];
	out->dplen = e[OFF(x_filter, sadb_x_filter_dplen)];
	return 0;
}
