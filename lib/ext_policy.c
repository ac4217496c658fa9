/*
 * KAME/Linux X_POLICY with its ipsecrequests.  The request header is 16
 * bytes on Linux and 8 on FreeBSD (16-bit reqid); its length is in bytes
 * and covers the tunnel endpoints (src then dst sockaddr) that follow.
 */
#include "build_body.h"

#define P(field)	offsetof(struct pfkv2_sadb_x_policy, field)
#define RL(field)	offsetof(struct pfkv2_sadb_x_ipsecrequest_linux, field)
#define RK(field)	offsetof(struct pfkv2_sadb_x_ipsecrequest_kame, field)

/*
 * Decode one request at p (rem bytes left in the extension).  Returns its
 * length, or 0 with *code set.
 */
static size_t
isr_decode(const struct dl_dialect *dl, const uint8_t *p, size_t rem,
    struct pfkv2_ipsecrequest *r, bool strict, int *code)
{
	size_t isr = dl->isr_size, rq, n1, n2;

	rq = ld16(p + RL(sadb_x_ipsecrequest_len));
	if (rq < isr || rq > rem || (strict && (rq & 7) != 0)) {
		*code = PFKV2_E_ISR_LEN;
		return 0;
	}
	memset(r, 0, sizeof(*r));
	r->proto = ld16(p + RL(sadb_x_ipsecrequest_proto));
	r->mode = (uint16_t)v_canon(dl, PFKV2_SP_MODE,
	    p[RL(sadb_x_ipsecrequest_mode)]);
	r->level = (uint16_t)v_canon(dl, PFKV2_SP_LEVEL,
	    p[RL(sadb_x_ipsecrequest_level)]);
	if (isr == sizeof(struct pfkv2_sadb_x_ipsecrequest_linux))
		r->reqid = ld32(p + RL(sadb_x_ipsecrequest_reqid));
	else
		r->reqid = ld16(p + RK(sadb_x_ipsecrequest_reqid));
	if (strict && isr == sizeof(struct pfkv2_sadb_x_ipsecrequest_linux) &&
	    (ld16(p + RL(sadb_x_ipsecrequest_reserved1)) != 0 ||
	    ld32(p + RL(sadb_x_ipsecrequest_reserved2)) != 0)) {
		*code = PFKV2_E_RESERVED;
		return 0;
	}
	if (rq == isr)
		return rq;
	/* Tunnel endpoints: two sockaddrs of one family. */
	n1 = addr_decode(dl, p + isr, rq - isr, &r->src, code);
	n2 = n1 == 0 ? 0 : addr_decode(dl, p + isr + n1, rq - isr - n1,
	    &r->dst, code);
	if (n2 == 0 || r->src.family != r->dst.family ||
	    (strict && pad8(isr + n1 + n2) != rq)) {
		*code = PFKV2_E_ISR_ADDR;
		return 0;
	}
	if (strict && (!addr_tail_clean(dl, p + isr, r->src.family) ||
	    !addr_tail_clean(dl, p + isr + n1, r->dst.family) ||
	    !bytes_zero(p + isr + n1 + n2, rq - isr - n1 - n2))) {
		*code = PFKV2_E_ADDR_PADDING;
		return 0;
	}
	return rq;
}

int
chk_policy(const struct dl_dialect *dl, const uint8_t *e, size_t len,
    bool strict, struct fault *f)
{
	struct pfkv2_ipsecrequest r;
	size_t off = sizeof(struct pfkv2_sadb_x_policy), rq;
	int code = 0;

	if (dl->isr_size == 0)
		return 0;
	while (len - off >= dl->isr_size) {
		if ((rq = isr_decode(dl, e + off, len - off, &r, strict,
		    &code)) == 0) {
			f->code = code;
			f->off = (uint32_t)off;
			return -1;
		}
		off += rq;
	}
	/* Linux ignores a tail shorter than a request; canonical form has none. */
	if (strict && off != len) {
		f->code = PFKV2_E_ISR_LEN;
		f->off = (uint32_t)off;
		return -1;
	}
	return 0;
}

/* The checked path: every refusal, measuring, overflow. */
static NOINLINE int
put_policy_checked(struct pfkv2_builder *b, const struct pfkv2_policy *pol,
    const struct pfkv2_ipsecrequest *reqs, size_t n)
{
	const struct dl_dialect *dl = b_dl(b);
	unsigned type, dir, mode, level;
	size_t total = sizeof(struct pfkv2_sadb_x_policy), rq, i;
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_POLICY, K_POLICY) == -1)
		return -1;
	if (pol == NULL || (reqs == NULL && n != 0)) {
		errno = EINVAL;
		return -1;
	}
	if (b_map(b, PFKV2_SP_POLICY_TYPE, pol->type, &type) == -1 ||
	    b_map(b, PFKV2_SP_POLICY_DIR, pol->dir, &dir) == -1)
		return -1;
	if (type > UINT16_MAX || dir > 255) {
		errno = ERANGE;
		return -1;
	}
	if (pol->scope != 0 && dl->id != PFKV2_DIALECT_FREEBSD) {
		errno = ENOTSUP;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (b_map(b, PFKV2_SP_MODE, reqs[i].mode, &mode) == -1 ||
		    b_map(b, PFKV2_SP_LEVEL, reqs[i].level, &level) == -1)
			return -1;
		if (mode > 255 || level > 255 ||
		    (dl->isr_size == 8 && reqs[i].reqid > UINT16_MAX)) {
			errno = ERANGE;
			return -1;
		}
		if ((rq = isr_size(dl, &reqs[i])) == 0) {
			errno = EINVAL;
			return -1;
		}
		total += rq;
		if (total > PFKV2_MSG_MAXLEN) {
			errno = ERANGE;
			return -1;
		}
	}
	if ((p = b_reserve(b, PFKV2_EXT_POLICY, total, &rc)) == NULL)
		return rc;
	policy_body(b_dl(b), p, type, dir, pol, reqs, n);
	return 0;
}

PFKV2_API int
pfkv2_put_policy(struct pfkv2_builder *b, const struct pfkv2_policy *pol,
    const struct pfkv2_ipsecrequest *reqs, size_t n)
{
	size_t total;
	uint8_t *p;
	int type, dir;

	if ((total = policy_bytes(b_dl(b), pol, reqs, n, &type, &dir)) != 0 &&
	    (p = b_room(b, PFKV2_EXT_POLICY, total)) != NULL) {
		policy_body(b_dl(b), p, (unsigned)type, (unsigned)dir, pol,
		    reqs, n);
		return 0;
	}
	return put_policy_checked(b, pol, reqs, n);
}

PFKV2_API int
pfkv2_get_policy(const struct pfkv2_view *v, struct pfkv2_policy *out)
{
	const struct dl_dialect *dl = v_dl(v);
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_POLICY, K_POLICY, NULL)) == NULL)
		return -1;
	out->type = (uint16_t)v_canon(dl, PFKV2_SP_POLICY_TYPE,
	    ld16(e + P(sadb_x_policy_type)));
	out->dir = (uint16_t)v_canon(dl, PFKV2_SP_POLICY_DIR,
	    e[P(sadb_x_policy_dir)]);
	out->scope = dl->id == PFKV2_DIALECT_FREEBSD ?
	    e[P(sadb_x_policy_reserved)] : 0;
	out->id = ld32(e + P(sadb_x_policy_id));
	out->priority = ld32(e + P(sadb_x_policy_priority));
	return 0;
}

PFKV2_API int
pfkv2_ipsecrequest_first(const struct pfkv2_view *v, struct pfkv2_iter *it,
    struct pfkv2_ipsecrequest *out)
{
	const uint8_t *e;
	size_t len;

	if ((e = v_ext(v, PFKV2_EXT_POLICY, K_POLICY, &len)) == NULL)
		return -1;
	memset(it, 0, sizeof(*it));
	it->p_ = e + sizeof(struct pfkv2_sadb_x_policy);
	it->end_ = e + len;
	it->dl_ = v->dl_;
	return pfkv2_ipsecrequest_next(it, out);
}

PFKV2_API int
pfkv2_ipsecrequest_next(struct pfkv2_iter *it, struct pfkv2_ipsecrequest *out)
{
	const struct dl_dialect *dl = it->dl_;
	size_t rem = (size_t)(it->end_ - it->p_), rq;
	int code;

	if (dl->isr_size == 0 || rem < dl->isr_size)
		return 0;
	if ((rq = isr_decode(dl, it->p_, rem, out, false, &code)) == 0) {
		it->p_ = it->end_;
		errno = EBADMSG;
		return -1;
	}
	it->p_ += rq;
	it->count_++;
	return 1;
}
