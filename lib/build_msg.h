/*
 * pfkv2_build_msg()'s fast path, written once and compiled by each
 * dialect's table file for its own table, after lib/pass.h (it reads the
 * same PASS_DL and PASS_PFX): every extension's wire type, each name
 * table and each sockaddr head is then a constant in the code.
 *
 * It takes the message when each part would take its single put's fast
 * path (and so succeed) and the whole message fits, writing each part
 * with the body its single put writes (lib/build_body.h), so that the
 * bytes are theirs.  Anything else goes to build_msg_puts(), which
 * decides the answer (and writes the message again from the start).
 */
#ifndef PASS_DL
#error "define PASS_DL and PASS_PFX before including build_msg.h"
#endif

#include "build_body.h"

#define PASS_CAT2(a, b)	a##_##b
#define PASS_CAT(a, b)	PASS_CAT2(a, b)
#define PASS_FN(n)	PASS_CAT(PASS_PFX, n)

/* Whether the dialect has extension c, and its wire type (constants). */
#define BM_HAS(c)	(PASS_DL.map[PFKV2_SP_EXT].c2w[c] != 0)
#define BM_W(c)		(PASS_DL.map[PFKV2_SP_EXT].c2w[c] - 1u)

/*
 * The table's own value for canonical id in space s: the wire value plus
 * one; 0 when the dialect has none, when id is past the table, or when it
 * is a wire value given as such (PFKV2_WIRE(), whose range checks belong
 * to the single put: ncanon is below PFKV2_WIRE's bit).  Every wire value
 * of every table fits a byte (test_dialect's table integrity test), so a
 * value that is not 0 is one that a field of one byte takes;
 * put_header(), sa_body() and isr_head() take the bias off a whole word.
 */
#define BM_RAW(s, id)							\
	((id) < PASS_DL.map[s].ncanon ? (unsigned)PASS_DL.map[s].c2w[id] : 0u)

/*
 * Room.  Rather than test it before every extension, the fast path takes
 * only a buffer that holds every extension of constant size at its
 * longest (BM_FIXED): the keys, whose sizes are known only from the parts,
 * each test that they fit with whatever may still follow them (BM_TAIL),
 * and each request of the policy its own.  A smaller buffer is the
 * builder's, which answers the same, only slower.  No message of the fast
 * path comes near PFKV2_MSG_MAXLEN (two keys of 65535 bits are 16 KB, and
 * it takes at most BM_REQS requests), so the buffer's size is the only
 * bound.
 */
#define BM_ADDR_MAX							\
	pad8(8 + (PASS_DL.sin6_len > 16 ? PASS_DL.sin6_len : 16u))
#define BM_TAIL								\
	(2 * sizeof(struct pfkv2_sadb_lifetime) +			\
	    sizeof(struct pfkv2_sadb_spirange) +			\
	    sizeof(struct pfkv2_sadb_x_policy))
/* Requests the fast path takes: 64 of 80 bytes at most are 5 KB. */
#define BM_REQS		64u
#define BM_FIXED							\
	(sizeof(struct pfkv2_sadb_msg) + sizeof(struct pfkv2_sadb_sa) +	\
	    sizeof(struct pfkv2_sadb_x_sa2) + 3 * BM_ADDR_MAX + BM_TAIL)

/*
 * The policy and its requests at p (the last part), then the message's
 * length.  Apart from the rest so that the loop's registers are its own:
 * the parts before it need no saved register.  policy_bytes()'s checks,
 * each request written as checked, its endpoints one family at a time
 * (isr_size() and isr_body()).  BM_TAIL held room for the policy's own
 * 16 bytes; each request tests its own.  Like every part here it reads
 * the tables' own values (BM_RAW()) rather than calling policy_check()
 * and isr_check(): map_wire8()'s test for a wire value given as such cost
 * 7 instructions on spdadd_v4 (measured); test_build and fuzz_build hold
 * the two to the same answers.
 */
static NOINLINE long
PASS_FN(build_msg_policy)(uint8_t *restrict buf, size_t size, uint8_t *p,
    const struct pfkv2_msg_parts *m)
{
	const struct dl_dialect *dl = &PASS_DL;
	const struct pfkv2_policy *pol = m->policy;
	const struct pfkv2_ipsecrequest *r = m->reqs;
	const size_t isr = PASS_DL.isr_size;
	/* Each family's request, tunnel endpoints included. */
	const size_t rq4 = pad8(isr + 2 * 16);
	const size_t rq6 = pad8(isr + 2 * (size_t)PASS_DL.sin6_len);
	uint8_t *const lim = buf + size;
	uint8_t *q = p + sizeof(struct pfkv2_sadb_x_policy);
	size_t n = m->nreqs, z;
	unsigned f, t1, t2;

	if (!BM_HAS(PFKV2_EXT_POLICY) || n > BM_REQS ||
	    (t1 = BM_RAW(PFKV2_SP_POLICY_TYPE, pol->type)) == 0 ||
	    (t2 = BM_RAW(PFKV2_SP_POLICY_DIR, pol->dir)) == 0 ||
	    (pol->scope != 0 && dl->id != PFKV2_DIALECT_FREEBSD))
		goto slow;
	/* Its own fields first, so that they are not kept across the loop. */
	policy_head(p, t1 - 1u, t2 - 1u, pol);
	if (n != 0 && r == NULL)
		goto slow;
	/* Each request checked, then written one family at a time. */
	for (; n != 0; n--, r++) {
		if ((t1 = BM_RAW(PFKV2_SP_MODE, r->mode)) == 0 ||
		    (t2 = BM_RAW(PFKV2_SP_LEVEL, r->level)) == 0 ||
		    (isr == 8 && r->reqid > UINT16_MAX) ||
		    (f = r->src.family) != r->dst.family)
			goto slow;
		if (LIKELY(f == PFKV2_AF_INET)) {
			if ((size_t)(lim - q) < rq4)
				goto slow;
			isr_head(dl, q, rq4, r, t1, t2, 1);
			addr_encode4(dl, q + isr, &r->src);
			addr_encode4(dl, q + isr + 16, &r->dst);
			q += rq4;
		} else if (f == 0) {
			if ((size_t)(lim - q) < isr)
				goto slow;
			isr_head(dl, q, isr, r, t1, t2, 1);
			q += isr;
		} else if (f == PFKV2_AF_INET6) {
			if ((size_t)(lim - q) < rq6)
				goto slow;
			if (isr + 2 * (size_t)PASS_DL.sin6_len < rq6)
				st64(q + rq6 - 8, 0);
			isr_head(dl, q, rq6, r, t1, t2, 1);
			addr_encode6(dl, q + isr, &r->src);
			addr_encode6(dl, q + isr + PASS_DL.sin6_len, &r->dst);
			q += rq6;
		} else
			goto slow;
	}
	ext_head_word(p, (size_t)(q - p), BM_W(PFKV2_EXT_POLICY));
	z = (size_t)(q - buf);
	st16(buf + OFF(msg, sadb_msg_len), (uint16_t)(z / PFKV2_WORD));
	return (long)z;
slow:
	return build_msg_puts(buf, size, dl->id, m);
}

static long
PASS_FN(build_msg)(void *vbuf, size_t size, enum pfkv2_dialect d,
    const struct pfkv2_msg_parts *m)
{
	const struct dl_dialect *dl = &PASS_DL;
	const struct pfkv2_sa *sa;
	const struct pfkv2_sa2 *sa2;
	const struct pfkv2_address *a;
	const struct pfkv2_key *k;
	const struct pfkv2_lifetime *lt;
	const struct pfkv2_spirange *sr;
	uint8_t *restrict const buf = vbuf;
	uint8_t *p;
	size_t z, n;
	unsigned t1, t2, t3;

	(void)d;	/* dl->id: a constant frees its register */
	/*
	 * Each part is checked, then written at once; the first one that
	 * its single put would not take on its fast path sends the whole
	 * message to the builder, which writes it again from the start.
	 * Nothing is written past buf + size either way.
	 */
	if (buf == NULL || size < BM_FIXED ||
	    ((uintptr_t)m->reserved_[0] | (uintptr_t)m->reserved_[1]) != 0 ||
	    (t1 = BM_RAW(PFKV2_SP_MSG, m->type)) == 0 ||
	    (t2 = BM_RAW(PFKV2_SP_SATYPE, m->satype)) == 0)
		goto slow;
	put_header(buf, t1, t2, 1, m->seq, m->pid);
	p = buf + sizeof(struct pfkv2_sadb_msg);
	if ((sa = m->sa) != NULL) {
		if (!BM_HAS(PFKV2_EXT_SA) || sa->flags != 0 ||
		    (t1 = BM_RAW(PFKV2_SP_SASTATE, sa->state)) == 0 ||
		    (t2 = BM_RAW(PFKV2_SP_AALG, sa->auth)) == 0 ||
		    /* Each space by name, so that each lookup is constant. */
		    (t3 = encrypt_space(m->satype) == PFKV2_SP_CALG ?
		    BM_RAW(PFKV2_SP_CALG, sa->encrypt) :
		    BM_RAW(PFKV2_SP_EALG, sa->encrypt)) == 0)
			goto slow;
		ext_head_word(p, 16, BM_W(PFKV2_EXT_SA));
		sa_body(p, sa, t1, t2, t3, 1, 0);
		p += 16;
	}
	if ((sa2 = m->sa2) != NULL) {
		if (!BM_HAS(PFKV2_EXT_SA2) ||
		    (t1 = BM_RAW(PFKV2_SP_MODE, sa2->mode)) == 0)
			goto slow;
		ext_head_word(p, 16, BM_W(PFKV2_EXT_SA2));
		sa2_body(p, sa2, t1 - 1u);
		p += 16;
	}
	/* address_size() and address_body(), one family at a time. */
#define BM_ADDRESS(field, c)						\
	if ((a = m->field) != NULL) {					\
		if (!BM_HAS(c))						\
			goto slow;					\
		if (LIKELY(a->addr.family == PFKV2_AF_INET)) {		\
			if (a->prefixlen > 32)				\
				goto slow;				\
			ext_head_word(p, pad8(8 + 16), BM_W(c));		\
			address_fields(p, a);				\
			addr_encode4(dl, p + 8, &a->addr);		\
			p += pad8(8 + 16);				\
		} else if (a->addr.family == PFKV2_AF_INET6) {		\
			if (a->prefixlen > 128)				\
				goto slow;				\
			z = pad8(8 + PASS_DL.sin6_len);			\
			ext_head_word(p, z, BM_W(c));			\
			address_fields(p, a);				\
			if (8u + (size_t)PASS_DL.sin6_len < z)			\
				st64(p + z - 8, 0);			\
			addr_encode6(dl, p + 8, &a->addr);		\
			p += z;						\
		} else							\
			goto slow;					\
	}
	BM_ADDRESS(src, PFKV2_EXT_ADDRESS_SRC)
	BM_ADDRESS(dst, PFKV2_EXT_ADDRESS_DST)
	BM_ADDRESS(proxy, PFKV2_EXT_ADDRESS_PROXY)
#undef BM_ADDRESS
	/* key_size() with data, and room for the key and all after it. */
#define BM_KEY(field, c)						\
	if ((k = m->field) != NULL) {					\
		n = key_bytes(k->bits);					\
		z = pad8(8 + n);					\
		if (!BM_HAS(c) || k->data == NULL ||			\
		    (size_t)(buf + (size - BM_TAIL) - p) < z)		\
			goto slow;					\
		ext_head_word(p, z, BM_W(c));				\
		key_body(p, z, k->data, n, k->bits, k->reserved);	\
		p += z;							\
	}
	BM_KEY(key_encrypt, PFKV2_EXT_KEY_ENCRYPT)
	BM_KEY(key_auth, PFKV2_EXT_KEY_AUTH)
#undef BM_KEY
#define BM_LIFETIME(field, c)						\
	if ((lt = m->field) != NULL) {					\
		if (!BM_HAS(c))						\
			goto slow;					\
		ext_head_word(p, 32, BM_W(c));				\
		lifetime_body(p, lt);					\
		p += 32;						\
	}
	BM_LIFETIME(hard, PFKV2_EXT_LIFETIME_HARD)
	BM_LIFETIME(soft, PFKV2_EXT_LIFETIME_SOFT)
#undef BM_LIFETIME
	if ((sr = m->spirange) != NULL) {
		if (!BM_HAS(PFKV2_EXT_SPIRANGE))
			goto slow;
		ext_head_word(p, 16, BM_W(PFKV2_EXT_SPIRANGE));
		spirange_body(dl, p, sr->min, sr->max);
		p += 16;
	}
	if (m->policy != NULL)
		return PASS_FN(build_msg_policy)(buf, size, p, m);
	if (((uintptr_t)m->reqs | m->nreqs) != 0)
		goto slow;		/* requests without their policy */
	z = (size_t)(p - buf);
	st16(buf + OFF(msg, sadb_msg_len), (uint16_t)(z / PFKV2_WORD));
	return (long)z;
slow:
	return build_msg_puts(buf, size, dl->id, m);
}

#undef BM_HAS
#undef BM_W
#undef BM_ADDR_MAX
#undef BM_TAIL
#undef BM_FIXED
#undef BM_REQS
#undef BM_RAW
#undef PASS_FN
#undef PASS_CAT
#undef PASS_CAT2
