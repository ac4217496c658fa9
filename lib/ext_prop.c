/*
 * Algorithm lists: PROPOSAL with its combinations and SUPPORTED_AUTH /
 * SUPPORTED_ENCRYPT with their algorithms.
 */
#include "internal.h"

#define COMB_SIZE	sizeof(struct pfkv2_sadb_comb)
#define ALG_SIZE	sizeof(struct pfkv2_sadb_alg)
#define C(field)	offsetof(struct pfkv2_sadb_comb, field)
#define A(field)	offsetof(struct pfkv2_sadb_alg, field)

static bool
is_illumos(const struct dl_dialect *dl)
{
	return dl->id == PFKV2_DIALECT_ILLUMOS;
}

PFKV2_API int
pfkv2_put_proposal(struct pfkv2_builder *b, uint8_t replay,
    const struct pfkv2_comb *combs, size_t n)
{
	unsigned auth, enc;
	const struct pfkv2_comb *c;
	uint8_t *p, *q;
	size_t i;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_PROPOSAL, K_PROP) == -1)
		return -1;
	if (combs == NULL && n != 0) {
		errno = EINVAL;
		return -1;
	}
	if (n > (PFKV2_MSG_MAXLEN - 8) / COMB_SIZE) {
		errno = ERANGE;
		return -1;
	}
	/* Check every mapping first: a refused put must leave no trace. */
	for (i = 0; i < n; i++) {
		c = &combs[i];
		if (b_map(b, PFKV2_SP_AALG, c->auth, &auth) == -1 ||
		    b_map(b, PFKV2_SP_EALG, c->encrypt, &enc) == -1)
			return -1;
		if (auth > 255 || enc > 255) {
			errno = ERANGE;
			return -1;
		}
		if (c->saltbits != 0 && !is_illumos(b_dl(b))) {
			errno = ENOTSUP;
			return -1;
		}
	}
	if ((p = b_reserve(b, PFKV2_EXT_PROPOSAL, 8 + n * COMB_SIZE, &rc)) ==
	    NULL)
		return rc;
	p[OFF(prop, sadb_prop_replay)] = replay;
	for (i = 0, q = p + 8; i < n; i++, q += COMB_SIZE) {
		c = &combs[i];
		(void)b_map(b, PFKV2_SP_AALG, c->auth, &auth);
		(void)b_map(b, PFKV2_SP_EALG, c->encrypt, &enc);
		q[C(sadb_comb_auth)] = (uint8_t)auth;
		q[C(sadb_comb_encrypt)] = (uint8_t)enc;
		st16(q + C(sadb_comb_flags), c->flags);
		st16(q + C(sadb_comb_auth_minbits), c->auth_minbits);
		st16(q + C(sadb_comb_auth_maxbits), c->auth_maxbits);
		st16(q + C(sadb_comb_encrypt_minbits), c->encrypt_minbits);
		st16(q + C(sadb_comb_encrypt_maxbits), c->encrypt_maxbits);
		q[C(sadb_comb_reserved)] = c->saltbits;
		st32(q + C(sadb_comb_soft_allocations), c->soft_allocations);
		st32(q + C(sadb_comb_hard_allocations), c->hard_allocations);
		st64(q + C(sadb_comb_soft_bytes), c->soft_bytes);
		st64(q + C(sadb_comb_hard_bytes), c->hard_bytes);
		st64(q + C(sadb_comb_soft_addtime), c->soft_addtime);
		st64(q + C(sadb_comb_hard_addtime), c->hard_addtime);
		st64(q + C(sadb_comb_soft_usetime), c->soft_usetime);
		st64(q + C(sadb_comb_hard_usetime), c->hard_usetime);
	}
	return 0;
}

PFKV2_API int
pfkv2_get_proposal(const struct pfkv2_view *v, uint8_t *replay, size_t *ncombs)
{
	const uint8_t *e;
	size_t len;

	if ((e = v_ext(v, PFKV2_EXT_PROPOSAL, K_PROP, &len)) == NULL)
		return -1;
	if (replay != NULL)
		*replay = e[OFF(prop, sadb_prop_replay)];
	if (ncombs != NULL)
		*ncombs = (len - 8) / COMB_SIZE;
	return 0;
}

PFKV2_API int
pfkv2_get_comb(const struct pfkv2_view *v, size_t i, struct pfkv2_comb *out)
{
	const struct dl_dialect *dl = v_dl(v);
	const uint8_t *e, *q;
	size_t len;

	if ((e = v_ext(v, PFKV2_EXT_PROPOSAL, K_PROP, &len)) == NULL)
		return -1;
	if (i >= (len - 8) / COMB_SIZE) {
		errno = ENOENT;
		return -1;
	}
	q = e + 8 + i * COMB_SIZE;
	out->auth = (uint16_t)v_canon(dl, PFKV2_SP_AALG, q[C(sadb_comb_auth)]);
	out->encrypt = (uint16_t)v_canon(dl, PFKV2_SP_EALG,
	    q[C(sadb_comb_encrypt)]);
	out->flags = ld16(q + C(sadb_comb_flags));
	out->auth_minbits = ld16(q + C(sadb_comb_auth_minbits));
	out->auth_maxbits = ld16(q + C(sadb_comb_auth_maxbits));
	out->encrypt_minbits = ld16(q + C(sadb_comb_encrypt_minbits));
	out->encrypt_maxbits = ld16(q + C(sadb_comb_encrypt_maxbits));
	out->saltbits = is_illumos(dl) ? q[C(sadb_comb_reserved)] : 0;
	out->soft_allocations = ld32(q + C(sadb_comb_soft_allocations));
	out->hard_allocations = ld32(q + C(sadb_comb_hard_allocations));
	out->soft_bytes = ld64(q + C(sadb_comb_soft_bytes));
	out->hard_bytes = ld64(q + C(sadb_comb_hard_bytes));
	out->soft_addtime = ld64(q + C(sadb_comb_soft_addtime));
	out->hard_addtime = ld64(q + C(sadb_comb_hard_addtime));
	out->soft_usetime = ld64(q + C(sadb_comb_soft_usetime));
	out->hard_usetime = ld64(q + C(sadb_comb_hard_usetime));
	return 0;
}

static enum pfkv2_space
alg_space(unsigned ext)
{
	return ext == PFKV2_EXT_SUPPORTED_AUTH ? PFKV2_SP_AALG : PFKV2_SP_EALG;
}

PFKV2_API int
pfkv2_put_supported(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_alg *algs, size_t n)
{
	unsigned id;
	uint8_t *p, *q;
	size_t i;
	int rc;

	if (b_check_ext(b, ext, K_SUPPORTED) == -1)
		return -1;
	if (algs == NULL && n != 0) {
		errno = EINVAL;
		return -1;
	}
	if (n > (PFKV2_MSG_MAXLEN - 8) / ALG_SIZE) {
		errno = ERANGE;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (b_map(b, alg_space(ext), algs[i].id, &id) == -1)
			return -1;
		if (id > 255) {
			errno = ERANGE;
			return -1;
		}
		if ((algs[i].increment | algs[i].saltbits) != 0 &&
		    !is_illumos(b_dl(b))) {
			errno = ENOTSUP;
			return -1;
		}
	}
	if ((p = b_reserve(b, ext, 8 + n * ALG_SIZE, &rc)) == NULL)
		return rc;
	for (i = 0, q = p + 8; i < n; i++, q += ALG_SIZE) {
		(void)b_map(b, alg_space(ext), algs[i].id, &id);
		q[A(sadb_alg_id)] = (uint8_t)id;
		q[A(sadb_alg_ivlen)] = algs[i].ivlen;
		st16(q + A(sadb_alg_minbits), algs[i].minbits);
		st16(q + A(sadb_alg_maxbits), algs[i].maxbits);
		q[A(sadb_alg_reserved)] = algs[i].increment;
		q[A(sadb_alg_reserved) + 1] = algs[i].saltbits;
	}
	return 0;
}

PFKV2_API int
pfkv2_get_supported(const struct pfkv2_view *v, unsigned ext, size_t *nalgs)
{
	size_t len;

	if (v_ext(v, ext, K_SUPPORTED, &len) == NULL)
		return -1;
	*nalgs = (len - 8) / ALG_SIZE;
	return 0;
}

PFKV2_API int
pfkv2_get_alg(const struct pfkv2_view *v, unsigned ext, size_t i,
    struct pfkv2_alg *out)
{
	const uint8_t *e, *q;
	size_t len;

	if ((e = v_ext(v, ext, K_SUPPORTED, &len)) == NULL)
		return -1;
	if (i >= (len - 8) / ALG_SIZE) {
		errno = ENOENT;
		return -1;
	}
	q = e + 8 + i * ALG_SIZE;
	out->id = (uint16_t)v_canon(v_dl(v), alg_space(ext), q[A(sadb_alg_id)]);
	out->ivlen = q[A(sadb_alg_ivlen)];
	out->minbits = ld16(q + A(sadb_alg_minbits));
	out->maxbits = ld16(q + A(sadb_alg_maxbits));
	out->increment = is_illumos(v_dl(v)) ? q[A(sadb_alg_reserved)] : 0;
	out->saltbits = is_illumos(v_dl(v)) ? q[A(sadb_alg_reserved) + 1] : 0;
	return 0;
}
