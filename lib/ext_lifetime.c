/*
 * Lifetime extensions: CURRENT, HARD, SOFT, and the same layout under
 * illumos LIFETIME_IDLE and FreeBSD's offload counters.
 */
#include "build_body.h"

/* The checked path: every refusal, measuring, overflow. */
static NOINLINE int
put_lifetime_checked(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_lifetime *lt)
{
	uint8_t *p;
	int rc;

	if (b_check_ext(b, ext, K_LIFETIME) == -1)
		return -1;
	if (lt == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((p = b_reserve(b, ext, 32, &rc)) == NULL)
		return rc;
	lifetime_body(p, lt);
	return 0;
}

PFKV2_API int
pfkv2_put_lifetime(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_lifetime *lt)
{
	uint8_t *p;

	if (lt != NULL && b_kind(ext, K_LIFETIME) &&
	    (p = b_room(b, ext, 32)) != NULL) {
		lifetime_body(p, lt);
		return 0;
	}
	return put_lifetime_checked(b, ext, lt);
}

PFKV2_API int
pfkv2_get_lifetime(const struct pfkv2_view *v, unsigned ext,
    struct pfkv2_lifetime *out)
{
	const uint8_t *e;

	if ((e = v_ext(v, ext, K_LIFETIME, NULL)) == NULL)
		return -1;
	out->allocations = ld32(e + OFF(lifetime, sadb_lifetime_allocations));
	out->bytes = ld64(e + OFF(lifetime, sadb_lifetime_bytes));
	out->addtime = ld64(e + OFF(lifetime, sadb_lifetime_addtime));
	out->usetime = ld64(e + OFF(lifetime, sadb_lifetime_usetime));
	return 0;
}
