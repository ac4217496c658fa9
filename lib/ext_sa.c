/*
 * SA-describing extensions: sadb_sa, KAME/Linux x_sa2, FreeBSD sa_replay,
 * illumos pair and replay counter.  put and get side by side.
 */
#include "build_body.h"

/* The checked path: every refusal, measuring, overflow. */
static NOINLINE int
put_sa_checked(struct pfkv2_builder *b, const struct pfkv2_sa *sa)
{
	unsigned state, auth, enc;
	uint32_t flags = 0;
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_SA, K_SA) == -1)
		return -1;
	if (sa == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (b_map(b, PFKV2_SP_SASTATE, sa->state, &state) == -1 ||
	    b_map(b, PFKV2_SP_AALG, sa->auth, &auth) == -1 ||
	    b_map(b, encrypt_space(b->satype_), sa->encrypt, &enc) == -1 ||
	    pfkv2_dialect_flags_to_wire(b_dl(b)->id, sa->flags, &flags) == -1)
		return -1;
	if (state > 255 || auth > 255 || enc > 255) {
		errno = ERANGE;
		return -1;
	}
	if ((p = b_reserve(b, PFKV2_EXT_SA, 16, &rc)) == NULL)
		return rc;
	sa_body(p, sa, state, auth, enc, 0, flags);
	return 0;
}

PFKV2_API int
pfkv2_put_sa(struct pfkv2_builder *b, const struct pfkv2_sa *sa)
{
	uint32_t flags = 0;
	uint8_t *p;
	int ws, wa, we;

	if (sa != NULL &&
	    (ws = b_wire8(b, PFKV2_SP_SASTATE, sa->state)) >= 0 &&
	    (wa = b_wire8(b, PFKV2_SP_AALG, sa->auth)) >= 0 &&
	    (we = b_wire8(b, encrypt_space(b->satype_), sa->encrypt)) >= 0 &&
	    (sa->flags == 0 || pfkv2_dialect_flags_to_wire(b_dl(b)->id,
	    sa->flags, &flags) == 0) &&
	    (p = b_room(b, PFKV2_EXT_SA, 16)) != NULL) {
		sa_body(p, sa, (unsigned)ws, (unsigned)wa, (unsigned)we, 0,
		    flags);
		return 0;
	}
	return put_sa_checked(b, sa);
}

PFKV2_API int
pfkv2_get_sa(const struct pfkv2_view *v, struct pfkv2_sa *out)
{
	const struct dl_dialect *dl = v_dl(v);
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_SA, K_SA, NULL)) == NULL)
		return -1;
	out->spi = be32(ld32(e + OFF(sa, sadb_sa_spi)));
	out->replay = e[OFF(sa, sadb_sa_replay)];
	out->state = (uint16_t)v_canon(dl, PFKV2_SP_SASTATE,
	    e[OFF(sa, sadb_sa_state)]);
	out->auth = (uint16_t)v_canon(dl, PFKV2_SP_AALG,
	    e[OFF(sa, sadb_sa_auth)]);
	out->encrypt = (uint16_t)v_canon(dl, encrypt_space(v->satype),
	    e[OFF(sa, sadb_sa_encrypt)]);
	out->flags = pfkv2_dialect_flags_from_wire(dl->id,
	    ld32(e + OFF(sa, sadb_sa_flags)), &out->flags_raw);
	return 0;
}

/* The checked path: every refusal, measuring, overflow. */
static NOINLINE int
put_sa2_checked(struct pfkv2_builder *b, const struct pfkv2_sa2 *sa2)
{
	unsigned mode;
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_SA2, K_SA2) == -1)
		return -1;
	if (sa2 == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (b_map(b, PFKV2_SP_MODE, sa2->mode, &mode) == -1)
		return -1;
	if (mode > 255) {
		errno = ERANGE;
		return -1;
	}
	if ((p = b_reserve(b, PFKV2_EXT_SA2, 16, &rc)) == NULL)
		return rc;
	sa2_body(p, sa2, mode);
	return 0;
}

PFKV2_API int
pfkv2_put_sa2(struct pfkv2_builder *b, const struct pfkv2_sa2 *sa2)
{
	uint8_t *p;
	int wm;

	if (sa2 != NULL && (wm = b_wire8(b, PFKV2_SP_MODE, sa2->mode)) >= 0 &&
	    (p = b_room(b, PFKV2_EXT_SA2, 16)) != NULL) {
		sa2_body(p, sa2, (unsigned)wm);
		return 0;
	}
	return put_sa2_checked(b, sa2);
}

PFKV2_API int
pfkv2_get_sa2(const struct pfkv2_view *v, struct pfkv2_sa2 *out)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_SA2, K_SA2, NULL)) == NULL)
		return -1;
	out->mode = (uint16_t)v_canon(v_dl(v), PFKV2_SP_MODE,
	    e[OFF(x_sa2, sadb_x_sa2_mode)]);
	out->sequence = ld32(e + OFF(x_sa2, sadb_x_sa2_sequence));
	out->reqid = ld32(e + OFF(x_sa2, sadb_x_sa2_reqid));
	return 0;
}

/* A 4-byte body after the extension header; shared by the tiny ones. */
static int
put_u32_ext(struct pfkv2_builder *b, unsigned ext, unsigned kind, uint32_t x)
{
	uint8_t *p;
	int rc;

	if (b_check_ext(b, ext, kind) == -1)
		return -1;
	if ((p = b_reserve(b, ext, 8, &rc)) == NULL)
		return rc;
	st32(p + 4, x);
	return 0;
}

static int
get_u32_ext(const struct pfkv2_view *v, unsigned ext, unsigned kind,
    uint32_t *x)
{
	const uint8_t *e;

	if ((e = v_ext(v, ext, kind, NULL)) == NULL)
		return -1;
	*x = ld32(e + 4);
	return 0;
}

PFKV2_API int
pfkv2_put_sa_replay(struct pfkv2_builder *b, uint32_t replay)
{
	return put_u32_ext(b, PFKV2_EXT_SA_REPLAY, K_SA_REPLAY, replay);
}

PFKV2_API int
pfkv2_get_sa_replay(const struct pfkv2_view *v, uint32_t *replay)
{
	return get_u32_ext(v, PFKV2_EXT_SA_REPLAY, K_SA_REPLAY, replay);
}

PFKV2_API int
pfkv2_put_pair(struct pfkv2_builder *b, uint32_t spi)
{
	return put_u32_ext(b, PFKV2_EXT_PAIR, K_PAIR, be32(spi));
}

PFKV2_API int
pfkv2_get_pair(const struct pfkv2_view *v, uint32_t *spi)
{
	if (get_u32_ext(v, PFKV2_EXT_PAIR, K_PAIR, spi) == -1)
		return -1;
	*spi = be32(*spi);
	return 0;
}

PFKV2_API int
pfkv2_put_replay_value(struct pfkv2_builder *b,
    const struct pfkv2_replay_value *r)
{
	uint8_t *p;
	int rc;

	if (b_check_ext(b, PFKV2_EXT_REPLAY_VALUE, K_REPLAY_CTR) == -1)
		return -1;
	if (r == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((p = b_reserve(b, PFKV2_EXT_REPLAY_VALUE, 16, &rc)) == NULL)
		return rc;
	st32(p + OFF(x_replay_ctr, sadb_x_rc_replay32), r->replay32);
	st64(p + OFF(x_replay_ctr, sadb_x_rc_replay64), r->replay64);
	return 0;
}

PFKV2_API int
pfkv2_get_replay_value(const struct pfkv2_view *v,
    struct pfkv2_replay_value *out)
{
	const uint8_t *e;

	if ((e = v_ext(v, PFKV2_EXT_REPLAY_VALUE, K_REPLAY_CTR, NULL)) == NULL)
		return -1;
	out->replay32 = ld32(e + OFF(x_replay_ctr, sadb_x_rc_replay32));
	out->replay64 = ld64(e + OFF(x_replay_ctr, sadb_x_rc_replay64));
	return 0;
}
