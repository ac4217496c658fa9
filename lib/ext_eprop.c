/*
 * illumos extended register (X_EREG) and extended proposal (X_EPROP):
 * numecombs x (sadb_x_ecomb + numalgs x sadb_x_algdesc).
 */
#include "internal.h"

#define ECOMB_SIZE	sizeof(struct pfkv2_sadb_x_ecomb)
#define ALGD_SIZE	sizeof(struct pfkv2_sadb_x_algdesc)
#define EC(field)	offsetof(struct pfkv2_sadb_x_ecomb, field)
#define AD(field)	offsetof(struct pfkv2_sadb_x_algdesc, field)
#define PB(field)	offsetof(struct pfkv2_sadb_x_propbase, field)

int
chk_ereg(const uint8_t *e, size_t len, struct fault *f)
{
	if (memchr(e + 4, 0, len - 4) == NULL) {
		f->code = PFKV2_E_EREG;
		f->off = 4;
		return -1;
	}
	return 0;
}

PFKV2_API int
pfkv2_put_ereg(struct pfkv2_builder *b, const uint16_t *satypes, size_t n)
{
	unsigned w;
	uint8_t *p;
	size_t i;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_EREG, K_EREG) == -1)
		return -1;
	if (satypes == NULL && n != 0) {
		errno = EINVAL;
		return -1;
	}
	if (n > PFKV2_MSG_MAXLEN) {
		errno = ERANGE;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (b_map(b, PFKV2_SP_SATYPE, satypes[i], &w) == -1)
			return -1;
		if (w == 0 || w > 255) {	/* 0 would end the list */
			errno = ERANGE;
			return -1;
		}
	}
	if ((p = b_reserve(b, PFKV2_EXT_EREG, 4 + n + 1, &rc)) == NULL)
		return rc;
	for (i = 0; i < n; i++) {
		(void)b_map(b, PFKV2_SP_SATYPE, satypes[i], &w);
		p[4 + i] = (uint8_t)w;
	}
	return 0;
}

PFKV2_API int
pfkv2_get_ereg(const struct pfkv2_view *v, uint16_t *satypes, size_t max,
    size_t *n)
{
	const uint8_t *e;
	size_t len, i;

	if ((e = v_ext(v, PFKV2_EXT_EREG, K_EREG, &len)) == NULL)
		return -1;
	for (i = 0; 4 + i < len && e[4 + i] != 0; i++)
		if (i < max)
			satypes[i] = (uint16_t)v_canon(v_dl(v),
			    PFKV2_SP_SATYPE, e[4 + i]);
	*n = i;
	return 0;
}

static size_t
ecomb_bytes(const uint8_t *ec)
{
	return ECOMB_SIZE + (size_t)ec[EC(sadb_x_ecomb_numalgs)] * ALGD_SIZE;
}

int
chk_eprop(const uint8_t *e, size_t len, struct fault *f)
{
	size_t off = 8, n = ld16(e + PB(sadb_x_prop_numecombs)), i;

	for (i = 0; i < n; i++) {
		/* Blame the count when it promises more than is there. */
		if (len - off < ECOMB_SIZE) {
			f->code = PFKV2_E_EPROP;
			f->off = PB(sadb_x_prop_numecombs);
			return -1;
		}
		if (len - off < ecomb_bytes(e + off)) {
			f->code = PFKV2_E_EPROP;
			f->off = (uint32_t)off + EC(sadb_x_ecomb_numalgs);
			return -1;
		}
		off += ecomb_bytes(e + off);
	}
	return 0;
}

static enum pfkv2_space
algtype_space(unsigned algtype)
{
	return algtype == 1 ? PFKV2_SP_AALG :
	    algtype == 2 ? PFKV2_SP_EALG : PFKV2_SP_CALG;
}

/* Algorithm types 1..3 name a space; others (NONE) carry the raw value. */
static bool
algtype_known(unsigned algtype)
{
	return algtype >= 1 && algtype <= 3;
}

static int
map_algdesc(const struct pfkv2_builder *b, const struct pfkv2_algdesc *a,
    unsigned *satype, unsigned *alg)
{
	if (b_map(b, PFKV2_SP_SATYPE, a->satype, satype) == -1)
		return -1;
	if (algtype_known(a->algtype)) {
		if (b_map(b, algtype_space(a->algtype), a->alg, alg) == -1)
			return -1;
	} else
		*alg = PFKV2_IS_WIRE(a->alg) ? PFKV2_WIRE_VALUE(a->alg) : a->alg;
	if (*satype > 255 || *alg > 255) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

PFKV2_API int
pfkv2_put_eprop(struct pfkv2_builder *b, uint8_t replay,
    const struct pfkv2_ecomb *ecombs, size_t n)
{
	const struct pfkv2_ecomb *c;
	size_t total = 8, i, j;
	unsigned satype, alg;
	uint8_t *p, *q;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_EPROP, K_EPROP) == -1)
		return -1;
	if ((ecombs == NULL && n != 0)) {
		errno = EINVAL;
		return -1;
	}
	if (n > UINT16_MAX) {
		errno = ERANGE;
		return -1;
	}
	for (i = 0; i < n; i++) {
		c = &ecombs[i];
		if (c->algs == NULL && c->numalgs != 0) {
			errno = EINVAL;
			return -1;
		}
		for (j = 0; j < c->numalgs; j++)
			if (map_algdesc(b, &c->algs[j], &satype, &alg) == -1)
				return -1;
		total += ECOMB_SIZE + (size_t)c->numalgs * ALGD_SIZE;
		if (total > PFKV2_MSG_MAXLEN) {
			errno = ERANGE;
			return -1;
		}
	}
	if ((p = b_reserve(b, PFKV2_EXT_EPROP, total, &rc)) == NULL)
		return rc;
	p[PB(sadb_prop_replay)] = replay;
	st16(p + PB(sadb_x_prop_numecombs), (uint16_t)n);
	for (i = 0, q = p + 8; i < n; i++) {
		c = &ecombs[i];
		q[EC(sadb_x_ecomb_numalgs)] = c->numalgs;
		st16(q + EC(sadb_x_ecomb_flags), c->flags);
		st32(q + EC(sadb_x_ecomb_soft_allocations), c->soft_allocations);
		st32(q + EC(sadb_x_ecomb_hard_allocations), c->hard_allocations);
		st64(q + EC(sadb_x_ecomb_soft_bytes), c->soft_bytes);
		st64(q + EC(sadb_x_ecomb_hard_bytes), c->hard_bytes);
		st64(q + EC(sadb_x_ecomb_soft_addtime), c->soft_addtime);
		st64(q + EC(sadb_x_ecomb_hard_addtime), c->hard_addtime);
		st64(q + EC(sadb_x_ecomb_soft_usetime), c->soft_usetime);
		st64(q + EC(sadb_x_ecomb_hard_usetime), c->hard_usetime);
		q += ECOMB_SIZE;
		for (j = 0; j < c->numalgs; j++, q += ALGD_SIZE) {
			(void)map_algdesc(b, &c->algs[j], &satype, &alg);
			q[AD(sadb_x_algdesc_satype)] = (uint8_t)satype;
			q[AD(sadb_x_algdesc_algtype)] = c->algs[j].algtype;
			q[AD(sadb_x_algdesc_alg)] = (uint8_t)alg;
			q[AD(sadb_x_algdesc_saltbits)] = c->algs[j].saltbits;
			st16(q + AD(sadb_x_algdesc_minbits), c->algs[j].minbits);
			st16(q + AD(sadb_x_algdesc_maxbits), c->algs[j].maxbits);
		}
	}
	return 0;
}

PFKV2_API int
pfkv2_get_eprop(const struct pfkv2_view *v, uint8_t *replay, size_t *n)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_EPROP, K_EPROP, NULL)) == NULL)
		return -1;
	if (replay != NULL)
		*replay = e[PB(sadb_prop_replay)];
	if (n != NULL)
		*n = ld16(e + PB(sadb_x_prop_numecombs));
	return 0;
}

/*
 * The iterator sits on the current ecomb (p_); reserved_[0] holds how many
 * there are, count_ how many were handed out.
 */
PFKV2_API int
pfkv2_ecomb_first(const struct pfkv2_view *v, struct pfkv2_iter *it,
    struct pfkv2_ecomb *out)
{
	const uint8_t *e;
	size_t len;

	if ((e = v_ext(v, PFKV2_EXT_EPROP, K_EPROP, &len)) == NULL)
		return -1;
	memset(it, 0, sizeof(*it));
	it->p_ = e + 8;
	it->end_ = e + len;
	it->dl_ = v->dl_;
	it->reserved_[0] = ld16(e + PB(sadb_x_prop_numecombs));
	return pfkv2_ecomb_next(it, out);
}

PFKV2_API int
pfkv2_ecomb_next(struct pfkv2_iter *it, struct pfkv2_ecomb *out)
{
	const uint8_t *q;

	if (it->count_ >= it->reserved_[0])
		return 0;
	if (it->count_ > 0)
		it->p_ += ecomb_bytes(it->p_);
	q = it->p_;
	if ((size_t)(it->end_ - q) < ECOMB_SIZE ||
	    (size_t)(it->end_ - q) < ecomb_bytes(q)) {
		errno = EBADMSG;
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->numalgs = q[EC(sadb_x_ecomb_numalgs)];
	out->flags = ld16(q + EC(sadb_x_ecomb_flags));
	out->soft_allocations = ld32(q + EC(sadb_x_ecomb_soft_allocations));
	out->hard_allocations = ld32(q + EC(sadb_x_ecomb_hard_allocations));
	out->soft_bytes = ld64(q + EC(sadb_x_ecomb_soft_bytes));
	out->hard_bytes = ld64(q + EC(sadb_x_ecomb_hard_bytes));
	out->soft_addtime = ld64(q + EC(sadb_x_ecomb_soft_addtime));
	out->hard_addtime = ld64(q + EC(sadb_x_ecomb_hard_addtime));
	out->soft_usetime = ld64(q + EC(sadb_x_ecomb_soft_usetime));
	out->hard_usetime = ld64(q + EC(sadb_x_ecomb_hard_usetime));
	it->count_++;
	return 1;
}

PFKV2_API int
pfkv2_ecomb_alg(const struct pfkv2_iter *it, size_t i, struct pfkv2_algdesc *out)
{
	const struct dl_dialect *dl = it->dl_;
	const uint8_t *q;

	if (it->count_ == 0 || i >= it->p_[EC(sadb_x_ecomb_numalgs)]) {
		errno = ENOENT;
		return -1;
	}
	q = it->p_ + ECOMB_SIZE + i * ALGD_SIZE;
	out->satype = (uint16_t)v_canon(dl, PFKV2_SP_SATYPE,
	    q[AD(sadb_x_algdesc_satype)]);
	out->algtype = q[AD(sadb_x_algdesc_algtype)];
	out->alg = (uint16_t)(algtype_known(out->algtype) ? v_canon(dl,
	    algtype_space(out->algtype), q[AD(sadb_x_algdesc_alg)]) :
	    PFKV2_WIRE(q[AD(sadb_x_algdesc_alg)]));
	out->saltbits = q[AD(sadb_x_algdesc_saltbits)];
	out->minbits = ld16(q + AD(sadb_x_algdesc_minbits));
	out->maxbits = ld16(q + AD(sadb_x_algdesc_maxbits));
	return 0;
}
