/*
 * pfkv2_build_msg(): a whole SA or SPD request in one call.  Each
 * dialect's table file compiles a fast path for its own table
 * (lib/build_msg.h) that writes the message when every part would take
 * the single put's fast path; anything else (a refusal, measuring, too
 * small a buffer) is built here by the builder itself, one put per part,
 * which is what defines the answer.
 */
#include "internal.h"

/* Stop at the first put that fails for a reason other than room. */
#define PUT(call)							\
	do {								\
		if ((call) != 0 && errno != EMSGSIZE)			\
			return -1;					\
	} while (0)

/* The reference: the builder's calls, in the order of the parts. */
long
build_msg_puts(void *buf, size_t size, enum pfkv2_dialect d,
    const struct pfkv2_msg_parts *m)
{
	struct pfkv2_builder b;

	if (pfkv2_builder_init(&b, buf, size, d) == -1)
		return -1;
	if (m->reserved_[0] != NULL || m->reserved_[1] != NULL) {
		errno = EINVAL;
		return -1;
	}
	PUT(pfkv2_put_msg(&b, m->type, m->satype, m->seq, m->pid));
	if (m->sa != NULL)
		PUT(pfkv2_put_sa(&b, m->sa));
	if (m->sa2 != NULL)
		PUT(pfkv2_put_sa2(&b, m->sa2));
	if (m->src != NULL)
		PUT(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, m->src));
	if (m->dst != NULL)
		PUT(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, m->dst));
	if (m->proxy != NULL)
		PUT(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_PROXY, m->proxy));
	if (m->key_encrypt != NULL)
		PUT(pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, m->key_encrypt));
	if (m->key_auth != NULL)
		PUT(pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, m->key_auth));
	if (m->hard != NULL)
		PUT(pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_HARD, m->hard));
	if (m->soft != NULL)
		PUT(pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_SOFT, m->soft));
	if (m->spirange != NULL)
		PUT(pfkv2_put_spirange(&b, m->spirange->min,
		    m->spirange->max));
	if (m->policy != NULL)
		PUT(pfkv2_put_policy(&b, m->policy, m->reqs, m->nreqs));
	else if (m->reqs != NULL || m->nreqs != 0) {
		errno = EINVAL;		/* requests without their policy */
		return -1;
	}
	return pfkv2_builder_finish(&b);
}

#undef PUT

PFKV2_API long
pfkv2_build_msg(void *buf, size_t size, enum pfkv2_dialect d,
    const struct pfkv2_msg_parts *m)
{
	const struct dl_dialect *dl;

	if ((unsigned)d >= PFKV2_DIALECT_COUNT || m == NULL) {
		errno = EINVAL;
		return -1;
	}
	dl = pfkv2_dl_tables[d];
	return dl->build_msg(buf, size, d, m);
}
