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
/* Room for z more bytes at p, or the builder decides. */
#define BM_ROOM(z)	if ((size_t)(end - p) < (z)) goto slow

/*
 * The wire value of canonical id in space s, or -1; a wire value given as
 * such (PFKV2_WIRE()) is -1 too, since its range checks belong to the
 * single put: ncanon is below PFKV2_WIRE's bit.
 */
#define BM_MAP(s, id)							\
	((id) < PASS_DL.map[s].ncanon && PASS_DL.map[s].c2w[id] != 0 ?	\
	    (int)PASS_DL.map[s].c2w[id] - 1 : -1)

static long
PASS_FN(build_msg)(void *vbuf, size_t size, const struct pfkv2_msg_parts *m)
{
	const struct dl_dialect *dl = &PASS_DL;
	const struct pfkv2_sa *sa;
	const struct pfkv2_sa2 *sa2;
	const struct pfkv2_address *a;
	const struct pfkv2_key *k;
	const struct pfkv2_lifetime *lt;
	const struct pfkv2_spirange *sr;
	const struct pfkv2_policy *pol;
	uint8_t *const buf = vbuf, *p, *end;
	size_t z;
	int w1, w2, w3, w4;

	/*
	 * Each part is checked, then written at once; the first one that
	 * its single put would not take on its fast path sends the whole
	 * message to the builder, which writes it again from the start.
	 * Nothing is written past buf + size either way.
	 */
	if (buf == NULL || m->reserved_[0] != NULL || m->reserved_[1] != NULL ||
	    size < sizeof(struct pfkv2_sadb_msg) ||
	    (w1 = BM_MAP(PFKV2_SP_MSG, m->type)) < 0 ||
	    (w2 = BM_MAP(PFKV2_SP_SATYPE, m->satype)) < 0)
		goto slow;
	end = buf + (size < PFKV2_MSG_MAXLEN ? size : PFKV2_MSG_MAXLEN);
	put_header(buf, (unsigned)w1, (unsigned)w2, m->seq, m->pid);
	p = buf + sizeof(struct pfkv2_sadb_msg);
	if ((sa = m->sa) != NULL) {
		if (!BM_HAS(PFKV2_EXT_SA) || sa->flags != 0 ||
		    (w1 = BM_MAP(PFKV2_SP_SASTATE, sa->state)) < 0 ||
		    (w2 = BM_MAP(PFKV2_SP_AALG, sa->auth)) < 0 ||
		    /* Each space by name, so that each lookup is constant. */
		    (w3 = encrypt_space(m->satype) == PFKV2_SP_CALG ?
		    BM_MAP(PFKV2_SP_CALG, sa->encrypt) :
		    BM_MAP(PFKV2_SP_EALG, sa->encrypt)) < 0)
			goto slow;
		BM_ROOM(16);
		ext_head(p, 16, BM_W(PFKV2_EXT_SA));
		sa_body(p, sa, (unsigned)w1, (unsigned)w2, (unsigned)w3, 0);
		p += 16;
	}
	if ((sa2 = m->sa2) != NULL) {
		if (!BM_HAS(PFKV2_EXT_SA2) ||
		    (w1 = BM_MAP(PFKV2_SP_MODE, sa2->mode)) < 0)
			goto slow;
		BM_ROOM(16);
		ext_head(p, 16, BM_W(PFKV2_EXT_SA2));
		sa2_body(p, sa2, (unsigned)w1);
		p += 16;
	}
#define BM_ADDRESS(field, c)						\
	if ((a = m->field) != NULL) {					\
		if (!BM_HAS(c) || (z = address_size(dl, a)) == 0)	\
			goto slow;					\
		BM_ROOM(z);						\
		ext_head(p, z, BM_W(c));				\
		address_body(dl, p, z, a);				\
		p += z;							\
	}
	BM_ADDRESS(src, PFKV2_EXT_ADDRESS_SRC)
	BM_ADDRESS(dst, PFKV2_EXT_ADDRESS_DST)
	BM_ADDRESS(proxy, PFKV2_EXT_ADDRESS_PROXY)
#undef BM_ADDRESS
#define BM_KEY(field, c)						\
	if ((k = m->field) != NULL) {					\
		if (!BM_HAS(c) ||					\
		    (z = key_size(k->data, k->bits)) == 0)		\
			goto slow;					\
		BM_ROOM(z);						\
		ext_head(p, z, BM_W(c));				\
		key_body(p, z, k->data, key_bytes(k->bits), k->bits,	\
		    k->reserved);					\
		p += z;							\
	}
	BM_KEY(key_encrypt, PFKV2_EXT_KEY_ENCRYPT)
	BM_KEY(key_auth, PFKV2_EXT_KEY_AUTH)
#undef BM_KEY
#define BM_LIFETIME(field, c)						\
	if ((lt = m->field) != NULL) {					\
		if (!BM_HAS(c))						\
			goto slow;					\
		BM_ROOM(32);						\
		ext_head(p, 32, BM_W(c));				\
		lifetime_body(p, lt);					\
		p += 32;						\
	}
	BM_LIFETIME(hard, PFKV2_EXT_LIFETIME_HARD)
	BM_LIFETIME(soft, PFKV2_EXT_LIFETIME_SOFT)
#undef BM_LIFETIME
	if ((sr = m->spirange) != NULL) {
		if (!BM_HAS(PFKV2_EXT_SPIRANGE))
			goto slow;
		BM_ROOM(16);
		ext_head(p, 16, BM_W(PFKV2_EXT_SPIRANGE));
		spirange_body(dl, p, sr->min, sr->max);
		p += 16;
	}
	if ((pol = m->policy) != NULL) {
		const struct pfkv2_ipsecrequest *r;
		uint8_t *q = p + sizeof(struct pfkv2_sadb_x_policy);
		size_t rq, i;

		/* policy_bytes()'s checks, each request written as checked. */
		if (!BM_HAS(PFKV2_EXT_POLICY) ||
		    !policy_check(dl, pol, m->reqs, m->nreqs, &w1, &w2))
			goto slow;
		BM_ROOM(sizeof(struct pfkv2_sadb_x_policy));
		/* An index, not an end pointer: reqs may be NULL. */
		for (i = 0; i < m->nreqs; i++, q += rq) {
			r = &m->reqs[i];
			if ((rq = isr_check(dl, r, &w3, &w4)) == 0 ||
			    (size_t)(end - q) < rq)
				goto slow;
			isr_body(dl, q, rq, r, (unsigned)w3, (unsigned)w4);
		}
		z = (size_t)(q - p);
		ext_head(p, z, BM_W(PFKV2_EXT_POLICY));
		policy_head(p, (unsigned)w1, (unsigned)w2, pol);
		p = q;
	} else if (m->reqs != NULL || m->nreqs != 0)
		goto slow;
	z = (size_t)(p - buf);
	st16(buf + OFF(msg, sadb_msg_len), (uint16_t)(z / PFKV2_WORD));
	return (long)z;
slow:
	return build_msg_puts(buf, size, dl->id, m);
}

#undef BM_HAS
#undef BM_W
#undef BM_ROOM
#undef BM_MAP
#undef PASS_FN
#undef PASS_CAT
#undef PASS_CAT2
