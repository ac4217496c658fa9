/*
 * The remaining single-purpose extensions: SPIRANGE, KMPRIVATE, Linux
 * SEC_CTX, illumos KM cookie and EDUMP, FreeBSD IF_HW_OFFL.
 */
#include "build_body.h"

#define SR(field)	offsetof(struct pfkv2_sadb_spirange, field)
#define CX(field)	offsetof(struct pfkv2_sadb_x_sec_ctx, field)
#define KM(field)	offsetof(struct pfkv2_sadb_x_kmc, field)

/* The checked path: every refusal, measuring, overflow. */
static NOINLINE int
put_spirange_checked(struct pfkv2_builder *b, uint32_t min, uint32_t max)
{
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_SPIRANGE, K_SPIRANGE) == -1)
		return -1;
	if ((p = b_reserve(b, PFKV2_EXT_SPIRANGE, 16, &rc)) == NULL)
		return rc;
	spirange_body(b_dl(b), p, min, max);
	return 0;
}

PFKV2_API int
pfkv2_put_spirange(struct pfkv2_builder *b, uint32_t min, uint32_t max)
{
	uint8_t *p;

	if ((p = b_room(b, PFKV2_EXT_SPIRANGE, 16)) != NULL) {
		spirange_body(b_dl(b), p, min, max);
		return 0;
	}
	return put_spirange_checked(b, min, max);
}

PFKV2_API int
pfkv2_get_spirange(const struct pfkv2_view *v, uint32_t *min, uint32_t *max)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_SPIRANGE, K_SPIRANGE, NULL)) == NULL)
		return -1;
	*min = spi_order(v_dl(v), ld32(e + SR(sadb_spirange_min)));
	*max = spi_order(v_dl(v), ld32(e + SR(sadb_spirange_max)));
	return 0;
}

PFKV2_API int
pfkv2_put_kmprivate(struct pfkv2_builder *b, const void *data, size_t len)
{
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_KMPRIVATE, K_KMPRIVATE) == -1)
		return -1;
	if (data == NULL && len != 0) {
		errno = EINVAL;
		return -1;
	}
	if (len > PFKV2_MSG_MAXLEN) {
		errno = ERANGE;
		return -1;
	}
	if ((p = b_reserve(b, PFKV2_EXT_KMPRIVATE, 8 + len, &rc)) == NULL)
		return rc;
	if (len != 0)
		memcpy(p + 8, data, len);
	return 0;
}

/* The private data is opaque; its length is the extension's, padding included. */
PFKV2_API int
pfkv2_get_kmprivate(const struct pfkv2_view *v, const void **data, size_t *len)
{
	const uint8_t *e;
	size_t elen;

	if ((e = v_ext(v, PFKV2_EXT_KMPRIVATE, K_KMPRIVATE, &elen)) == NULL)
		return -1;
	*data = e + 8;
	*len = elen - 8;
	return 0;
}

int
chk_sec_ctx(const uint8_t *e, size_t len, bool strict, struct fault *f)
{
	size_t n = ld16(e + CX(sadb_x_ctx_len)), i;

	/* Linux demands the exact padded length; canonical padding is zero. */
	if (8 + n > len || (strict && pad8(8 + n) != len)) {
		f->code = PFKV2_E_CTX_LEN;
		f->off = CX(sadb_x_ctx_len);
		return -1;
	}
	for (i = 8 + n; strict && i < len; i++)
		if (e[i] != 0) {
			f->code = PFKV2_E_CTX_LEN;
			f->off = (uint32_t)i;
			return -1;
		}
	return 0;
}

PFKV2_API int
pfkv2_put_sec_ctx(struct pfkv2_builder *b, const struct pfkv2_sec_ctx *c)
{
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_SEC_CTX, K_SEC_CTX) == -1)
		return -1;
	if (c == NULL || (c->ctx == NULL && c->len != 0)) {
		errno = EINVAL;
		return -1;
	}
	if ((p = b_reserve(b, PFKV2_EXT_SEC_CTX, 8 + (size_t)c->len, &rc)) ==
	    NULL)
		return rc;
	p[CX(sadb_x_ctx_alg)] = c->alg;
	p[CX(sadb_x_ctx_doi)] = c->doi;
	st16(p + CX(sadb_x_ctx_len), c->len);
	if (c->len != 0)
		memcpy(p + 8, c->ctx, c->len);
	return 0;
}

PFKV2_API int
pfkv2_get_sec_ctx(const struct pfkv2_view *v, struct pfkv2_sec_ctx *out)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_SEC_CTX, K_SEC_CTX, NULL)) == NULL)
		return -1;
	out->alg = e[CX(sadb_x_ctx_alg)];
	out->doi = e[CX(sadb_x_ctx_doi)];
	out->len = ld16(e + CX(sadb_x_ctx_len));
	out->ctx = e + 8;
	return 0;
}

/*
 * The cookie occupies bytes 8..15: a host-order 64-bit value for IKEv2,
 * the low-address 32-bit word (reserved word zero) for the others.
 */
PFKV2_API int
pfkv2_put_kmc(struct pfkv2_builder *b, const struct pfkv2_kmc *k)
{
	unsigned proto;
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_KMC, K_KMC) == -1)
		return -1;
	if (k == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (b_map(b, PFKV2_SP_KMP, k->proto, &proto) == -1)
		return -1;
	if (k->proto != PFKV2_KMP_IKEV2 && k->cookie > UINT32_MAX) {
		errno = ERANGE;
		return -1;
	}
	if ((p = b_reserve(b, PFKV2_EXT_KMC, 16, &rc)) == NULL)
		return rc;
	st32(p + KM(sadb_x_kmc_proto), proto);
	if (k->proto == PFKV2_KMP_IKEV2)
		st64(p + KM(sadb_x_kmc_cookie), k->cookie);
	else
		st32(p + KM(sadb_x_kmc_cookie), (uint32_t)k->cookie);
	return 0;
}

PFKV2_API int
pfkv2_get_kmc(const struct pfkv2_view *v, struct pfkv2_kmc *out)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_KMC, K_KMC, NULL)) == NULL)
		return -1;
	out->proto = (uint16_t)v_canon(v_dl(v), PFKV2_SP_KMP,
	    ld32(e + KM(sadb_x_kmc_proto)));
	if (out->proto == PFKV2_KMP_IKEV2)
		out->cookie = ld64(e + KM(sadb_x_kmc_cookie));
	else
		out->cookie = ld32(e + KM(sadb_x_kmc_cookie));
	return 0;
}

PFKV2_API int
pfkv2_put_edump(struct pfkv2_builder *b, uint64_t timeout)
{
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_EDUMP, K_EDUMP) == -1)
		return -1;
	if ((p = b_reserve(b, PFKV2_EXT_EDUMP, 16, &rc)) == NULL)
		return rc;
	st64(p + offsetof(struct pfkv2_sadb_x_edump, sadb_x_edump_timeout),
	    timeout);
	return 0;
}

PFKV2_API int
pfkv2_get_edump(const struct pfkv2_view *v, uint64_t *timeout)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_EDUMP, K_EDUMP, NULL)) == NULL)
		return -1;
	*timeout = ld64(e + offsetof(struct pfkv2_sadb_x_edump,
	    sadb_x_edump_timeout));
	return 0;
}

PFKV2_API int
pfkv2_put_if_hw_offl(struct pfkv2_builder *b, const struct pfkv2_if_hw_offl *h)
{
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_IF_HW_OFFL, K_IF_HW_OFFL) == -1)
		return -1;
	if (h == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((p = b_reserve(b, PFKV2_EXT_IF_HW_OFFL, 40, &rc)) == NULL)
		return rc;
	st32(p + 4, h->flags);
	memcpy(p + 8, h->ifname, PFKV2_IF_HW_OFFL_NAMELEN);
	return 0;
}

PFKV2_API int
pfkv2_get_if_hw_offl(const struct pfkv2_view *v, struct pfkv2_if_hw_offl *out)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_IF_HW_OFFL, K_IF_HW_OFFL, NULL)) == NULL)
		return -1;
	out->flags = ld32(e + 4);
	memcpy(out->ifname, e + 8, PFKV2_IF_HW_OFFL_NAMELEN);
	return 0;
}
