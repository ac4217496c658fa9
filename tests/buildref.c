/*
 * What pfkv2_build_msg() must answer, written from its contract with the
 * public calls alone: init, the header, one put per non-NULL part in the
 * documented order, finish.  test_build and fuzz_build compare the
 * library's fast path with it.
 */
#include <errno.h>
#include <stddef.h>

#include <pfkv2/pfkv2.h>

#include "buildref.h"

/* Stop at a put refused for a reason other than room. */
#define REF_PUT(call)							\
	do {								\
		if ((call) == -1 && errno != EMSGSIZE)			\
			return -1;					\
	} while (0)

long
tu_build_msg_ref(void *buf, size_t size, enum pfkv2_dialect d,
    const struct pfkv2_msg_parts *m)
{
	struct pfkv2_builder b;

	if (m == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (pfkv2_builder_init(&b, buf, size, d) == -1)
		return -1;
	if (m->reserved_[0] != NULL || m->reserved_[1] != NULL) {
		errno = EINVAL;
		return -1;
	}
	REF_PUT(pfkv2_put_msg(&b, m->type, m->satype, m->seq, m->pid));
	if (m->sa != NULL)
		REF_PUT(pfkv2_put_sa(&b, m->sa));
	if (m->sa2 != NULL)
		REF_PUT(pfkv2_put_sa2(&b, m->sa2));
	if (m->src != NULL)
		REF_PUT(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, m->src));
	if (m->dst != NULL)
		REF_PUT(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, m->dst));
	if (m->proxy != NULL)
		REF_PUT(pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_PROXY,
		    m->proxy));
	if (m->key_encrypt != NULL)
		REF_PUT(pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT,
		    m->key_encrypt));
	if (m->key_auth != NULL)
		REF_PUT(pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, m->key_auth));
	if (m->hard != NULL)
		REF_PUT(pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_HARD,
		    m->hard));
	if (m->soft != NULL)
		REF_PUT(pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_SOFT,
		    m->soft));
	if (m->spirange != NULL)
		REF_PUT(pfkv2_put_spirange(&b, m->spirange->min,
		    m->spirange->max));
	if (m->policy != NULL)
		REF_PUT(pfkv2_put_policy(&b, m->policy, m->reqs, m->nreqs));
	else if (m->reqs != NULL || m->nreqs != 0) {
		errno = EINVAL;
		return -1;
	}
	return pfkv2_builder_finish(&b);
}

#undef REF_PUT
