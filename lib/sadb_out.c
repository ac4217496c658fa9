/*
 * Messages about SAs as each kernel writes them, built with the public
 * builder into the engine's scratch buffer.
 *
 * Layouts (validation-and-semantics.md 2.2, pfkey-structs.md 6, and the
 * real Linux replies in reference/linux-vectors):
 *
 *	Linux	"full SA dump": SA, HARD, SOFT, CURRENT, SRC, DST, PROXY,
 *		KEY_AUTH, KEY_ENCRYPT, SA2, NAT-T, SEC_CTX.  Addresses carry
 *		proto 0 and a full prefix; PROXY is the selector source,
 *		0.0.0.0/0 proto 255 when none was given.  EXPIRE: the same
 *		with HARD or SOFT only, without keys.
 *	FreeBSD	key_setdumpsa: SA, SA2, SA_REPLAY, HARD and SOFT when set,
 *		CURRENT, SRC, DST (proto 255, full prefix), keys, NAT-T; the
 *		reserved word holds a reference count (B-FB4), 1 here.
 *		EXPIRE: SA, SA2, SA_REPLAY, CURRENT, HARD or SOFT, SRC, DST,
 *		with the creating request's seq.
 *	illumos	sadb_sa2msg: SA, CURRENT (allocations always 0), HARD, SOFT,
 *		IDLE, SRC, DST as given, inner and NAT-T addresses, keys,
 *		identities, labels, PAIR, KMC, REPLAY_VALUE.  EXPIRE: SA,
 *		CURRENT, HARD or SOFT, SRC, DST, inner addresses.
 */
#include <stdlib.h>

#include "sadb_int.h"

/*
 * FreeBSD key_getmsgbuf_x1: what its ADD/UPDATE replies copy from the
 * request, in this order (keys never).
 */
const unsigned fbsd_x1[FBSD_X1_N] = {
	PFKV2_EXT_SA, PFKV2_EXT_SA2, PFKV2_EXT_ADDRESS_SRC,
	PFKV2_EXT_ADDRESS_DST, PFKV2_EXT_LIFETIME_HARD,
	PFKV2_EXT_LIFETIME_SOFT, PFKV2_EXT_IDENTITY_SRC,
	PFKV2_EXT_IDENTITY_DST, PFKV2_EXT_NAT_T_TYPE, PFKV2_EXT_NAT_T_SPORT,
	PFKV2_EXT_NAT_T_DPORT, PFKV2_EXT_NAT_T_OA, PFKV2_EXT_NAT_T_OAR,
	PFKV2_EXT_NAT_T_FRAG, PFKV2_EXT_NEW_ADDRESS_SRC,
	PFKV2_EXT_NEW_ADDRESS_DST
};

long
out_build(struct pfkv2_sadb *db, emit_fn fn, const void *ctx)
{
	struct pfkv2_builder b;
	size_t need, cap;
	uint8_t *nb;
	long n;
	int rc;

	for (;;) {
		pfkv2_builder_init(&b, db->obuf, db->ocap, db->d);
		db->okeys = 0;
		rc = fn(db, &b, ctx);
		n = pfkv2_builder_finish(&b);
		if (rc == 0 && n >= 0)
			return n;
		need = pfkv2_builder_needed(&b);
		if (db->okeys)
			wipe(db->obuf, db->ocap);
		db->okeys = 0;
		if (errno != EMSGSIZE || need <= db->ocap ||
		    db->ocap >= PFKV2_MSG_MAXLEN)
			return -1;
		cap = db->ocap * 2 > need ? db->ocap * 2 : need;
		if (cap > PFKV2_MSG_MAXLEN)
			cap = PFKV2_MSG_MAXLEN;
		if ((nb = db_alloc(db, cap)) == NULL)
			return -1;
		wipe(db->obuf, db->ocap);
		db_free(db, db->obuf, db->ocap);
		db->obuf = nb;
		db->ocap = cap;
	}
}

void
addr_of(struct pfkv2_address *a, uint8_t family, const uint8_t *ip,
    uint16_t port, uint8_t plen, uint8_t proto)
{
	memset(a, 0, sizeof(*a));
	a->addr.family = family;
	a->addr.port = port;
	memcpy(a->addr.addr, ip, alen(family));
	a->prefixlen = plen;
	a->proto = proto;
}

/* A stored extension back on the wire, as it came. */
static int
put_side(struct pfkv2_builder *b, const struct sa_side *side, unsigned ext)
{
	const uint8_t *e;
	size_t len;

	if ((e = side_ext(side, ext, &len)) == NULL)
		return 0;
	return pfkv2_put_ext_raw(b, ld16(e + 2), e + 4, len - 4);
}

static bool
lft_set(const struct lft *l, uint32_t alloc)
{
	return alloc != 0 || l->bytes != 0 || l->addtime != 0 ||
	    l->usetime != 0;
}

int
put_lft(struct pfkv2_builder *b, unsigned ext, const struct lft *l,
    uint32_t alloc)
{
	struct pfkv2_lifetime lt = {
		.allocations = alloc, .bytes = l->bytes,
		.addtime = l->addtime, .usetime = l->usetime
	};

	return pfkv2_put_lifetime(b, ext, &lt);
}

/*
 * HARD and SOFT as what (OUT_*) asks: all, or only the limits that are
 * set (the BSD and illumos kernels leave out a lifetime of zeros).
 */
static int
put_limits(struct pfkv2_builder *b, const struct sa *s, unsigned what,
    bool all)
{
	if ((what & OUT_HARD) && (all || lft_set(&s->hard, s->hard_alloc)) &&
	    put_lft(b, PFKV2_EXT_LIFETIME_HARD, &s->hard, s->hard_alloc) != 0)
		return -1;
	if ((what & OUT_SOFT) && (all || lft_set(&s->soft, s->soft_alloc)) &&
	    put_lft(b, PFKV2_EXT_LIFETIME_SOFT, &s->soft, s->soft_alloc) != 0)
		return -1;
	return 0;
}

static int
put_cur(struct pfkv2_sadb *db, struct pfkv2_builder *b, const struct sa *s)
{
	struct pfkv2_lifetime lt = {
		.allocations = db->d == PFKV2_DIALECT_ILLUMOS ? 0 :
		    s->cur_alloc,
		.bytes = s->cur_bytes, .addtime = s->addtime,
		.usetime = (s->fl & SAF_USED) ? s->usetime : 0
	};

	return pfkv2_put_lifetime(b, PFKV2_EXT_LIFETIME_CURRENT, &lt);
}

static int
put_keys(struct pfkv2_sadb *db, struct pfkv2_builder *b, const struct sa *s)
{
	struct pfkv2_key k;

	if (db->o.flags & PFKV2_SADB_NO_KEYS)
		return 0;
	if (s->abits != 0) {
		k.data = s->keys;
		k.bits = s->abits;
		k.reserved = 0;
		db->okeys = 1;
		if (pfkv2_put_key(b, PFKV2_EXT_KEY_AUTH, &k) != 0)
			return -1;
	}
	if (s->ebits != 0) {
		k.data = sa_ekey(s);
		k.bits = s->ebits;
		k.reserved = 0;
		db->okeys = 1;
		if (pfkv2_put_key(b, PFKV2_EXT_KEY_ENCRYPT, &k) != 0)
			return -1;
	}
	if (db->d == PFKV2_DIALECT_ILLUMOS &&
	    side_ext(s->side, PFKV2_EXT_STR_AUTH, NULL) != NULL) {
		db->okeys = 1;
		return put_side(b, s->side, PFKV2_EXT_STR_AUTH);
	}
	return 0;
}

static int
put_sa_ext(struct pfkv2_builder *b, const struct sa *s, uint8_t state)
{
	struct pfkv2_sa sa = {
		.spi = s->spi, .replay = s->replay, .state = state,
		.auth = s->auth, .encrypt = s->encrypt, .flags = 0,
		.flags_raw = s->wflags
	};

	return pfkv2_put_sa(b, &sa);
}

/* SRC and DST as this dialect reports an SA's addresses. */
static int
put_sd(struct pfkv2_sadb *db, struct pfkv2_builder *b, const struct sa *s)
{
	struct pfkv2_address a;
	uint8_t full = fullplen(s->family);

	switch (db->d) {
	case PFKV2_DIALECT_LINUX:
		addr_of(&a, s->family, s->src, 0, full, 0);
		if (pfkv2_put_address(b, PFKV2_EXT_ADDRESS_SRC, &a) != 0)
			return -1;
		addr_of(&a, s->family, s->dst, 0, full, 0);
		return pfkv2_put_address(b, PFKV2_EXT_ADDRESS_DST, &a);
	case PFKV2_DIALECT_FREEBSD:
		addr_of(&a, s->family, s->src, 0, full, 255);
		if (pfkv2_put_address(b, PFKV2_EXT_ADDRESS_SRC, &a) != 0)
			return -1;
		addr_of(&a, s->family, s->dst, 0, full, 255);
		return pfkv2_put_address(b, PFKV2_EXT_ADDRESS_DST, &a);
	default:
		addr_of(&a, s->family, s->src, s->sport, s->splen, s->sproto);
		if (pfkv2_put_address(b, PFKV2_EXT_ADDRESS_SRC, &a) != 0)
			return -1;
		addr_of(&a, s->family, s->dst, s->dport, s->dplen, s->dproto);
		return pfkv2_put_address(b, PFKV2_EXT_ADDRESS_DST, &a);
	}
}

static int
emit_linux(struct pfkv2_sadb *db, struct pfkv2_builder *b,
    const struct sa_msg *m)
{
	const struct sa *s = m->sa;
	struct pfkv2_address a;
	struct pfkv2_sa2 sa2 = { .mode = s->mode, .reqid = s->reqid };
	static const uint8_t zero[16];

	if (put_sa_ext(b, s, m->state) != 0 ||
	    put_limits(b, s, m->what, true) != 0 ||
	    put_cur(db, b, s) != 0 || put_sd(db, b, s) != 0)
		return -1;
	if (side_ext(s->side, PFKV2_EXT_ADDRESS_PROXY, NULL) != NULL) {
		if (put_side(b, s->side, PFKV2_EXT_ADDRESS_PROXY) != 0)
			return -1;
	} else {
		/* No selector given: the kernel reports 0/0, any protocol. */
		addr_of(&a, s->family, zero, 0, 0, 255);
		if (pfkv2_put_address(b, PFKV2_EXT_ADDRESS_PROXY, &a) != 0)
			return -1;
	}
	if ((m->what & OUT_KEYS) && put_keys(db, b, s) != 0)
		return -1;
	if (pfkv2_put_sa2(b, &sa2) != 0 ||
	    put_side(b, s->side, PFKV2_EXT_NAT_T_TYPE) != 0 ||
	    put_side(b, s->side, PFKV2_EXT_NAT_T_SPORT) != 0 ||
	    put_side(b, s->side, PFKV2_EXT_NAT_T_DPORT) != 0 ||
	    put_side(b, s->side, PFKV2_EXT_SEC_CTX) != 0)
		return -1;
	return 0;
}

static int
emit_freebsd(struct pfkv2_sadb *db, struct pfkv2_builder *b,
    const struct sa_msg *m)
{
	const struct sa *s = m->sa;
	struct pfkv2_sa2 sa2 = {
		.mode = s->mode, .sequence = s->cur_alloc, .reqid = s->reqid
	};
	bool exp = (m->what & OUT_EXPIRE) != 0;
	static const unsigned natt[] = {
		PFKV2_EXT_NAT_T_TYPE, PFKV2_EXT_NAT_T_SPORT,
		PFKV2_EXT_NAT_T_DPORT, PFKV2_EXT_NAT_T_OA,
		PFKV2_EXT_NAT_T_OAR, PFKV2_EXT_NAT_T_FRAG
	};
	size_t i;

	if (put_sa_ext(b, s, m->state) != 0 || pfkv2_put_sa2(b, &sa2) != 0 ||
	    put_side(b, s->side, PFKV2_EXT_SA_REPLAY) != 0)
		return -1;
	if (exp && put_cur(db, b, s) != 0)
		return -1;
	if (put_limits(b, s, m->what, exp) != 0)
		return -1;
	if ((!exp && put_cur(db, b, s) != 0) || put_sd(db, b, s) != 0)
		return -1;
	if (exp)
		return 0;
	if ((m->what & OUT_KEYS) && put_keys(db, b, s) != 0)
		return -1;
	for (i = 0; i < sizeof(natt) / sizeof(natt[0]); i++)
		if (put_side(b, s->side, natt[i]) != 0)
			return -1;
	return 0;
}

static int
emit_illumos(struct pfkv2_sadb *db, struct pfkv2_builder *b,
    const struct sa_msg *m)
{
	const struct sa *s = m->sa;
	bool exp = (m->what & OUT_EXPIRE) != 0;
	static const unsigned tail[] = {
		PFKV2_EXT_IDENTITY_SRC, PFKV2_EXT_IDENTITY_DST,
		PFKV2_EXT_SENSITIVITY, PFKV2_EXT_OUTER_SENS
	};
	struct pfkv2_kmc k;
	size_t i;

	if (put_sa_ext(b, s, m->state) != 0 || put_cur(db, b, s) != 0)
		return -1;
	if (put_limits(b, s, m->what, exp) != 0)
		return -1;
	if ((!exp && put_side(b, s->side, PFKV2_EXT_LIFETIME_IDLE) != 0) ||
	    put_sd(db, b, s) != 0 ||
	    put_side(b, s->side, PFKV2_EXT_ADDRESS_INNER_SRC) != 0 ||
	    put_side(b, s->side, PFKV2_EXT_ADDRESS_INNER_DST) != 0)
		return -1;
	if (exp)
		return 0;
	if (put_side(b, s->side, PFKV2_EXT_ADDRESS_NATT_LOC) != 0 ||
	    put_side(b, s->side, PFKV2_EXT_ADDRESS_NATT_REM) != 0)
		return -1;
	if ((m->what & OUT_KEYS) && put_keys(db, b, s) != 0)
		return -1;
	for (i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		if (put_side(b, s->side, tail[i]) != 0)
			return -1;
	if (s->side != NULL && s->side->pair_spi != 0 &&
	    pfkv2_put_pair(b, s->side->pair_spi) != 0)
		return -1;
	if (s->side != NULL &&
	    (s->side->kmc_proto != 0 || s->side->kmc_cookie != 0)) {
		k.proto = (uint16_t)s->side->kmc_proto;
		k.cookie = s->side->kmc_cookie;
		if (pfkv2_put_kmc(b, &k) != 0)
			return -1;
	}
	return put_side(b, s->side, PFKV2_EXT_REPLAY_VALUE);
}

int
emit_sa(struct pfkv2_sadb *db, struct pfkv2_builder *b, const void *ctx)
{
	const struct sa_msg *m = ctx;
	bool exp = (m->what & OUT_EXPIRE) != 0;

	if (pfkv2_put_msg(b, m->type, m->sa->satype, m->seq, m->pid) != 0)
		return -1;
	switch (db->d) {
	case PFKV2_DIALECT_LINUX:
		return emit_linux(db, b, m);
	case PFKV2_DIALECT_FREEBSD:
		/* B-FB4: a reference count in sadb_msg_reserved (nominal). */
		if (m->type != PFKV2_MSG_GETSPI)
			pfkv2_set_msg_errno(b, 0, 1);
		(void)exp;
		return emit_freebsd(db, b, m);
	default:
		return emit_illumos(db, b, m);
	}
}

long
out_sa(struct pfkv2_sadb *db, const struct sa_msg *m)
{
	long n;

	if (db->d == PFKV2_DIALECT_LINUX &&
	    (n = linux_sa_msg(db, m, db->obuf, db->ocap)) >= 0)
		return n;
	return out_build(db, emit_sa, m);
}

static bool
is_key_ext(unsigned e)
{
	return e == PFKV2_EXT_KEY_AUTH || e == PFKV2_EXT_KEY_ENCRYPT ||
	    e == PFKV2_EXT_STR_AUTH;
}

/* Copy one extension of the request; key bytes are zeroed (illumos). */
static int
echo_one(struct pfkv2_builder *b, const uint8_t *e, size_t len, unsigned c,
    uint8_t *base)
{
	size_t at = pfkv2_builder_len(b);

	if (pfkv2_put_ext_raw(b, ld16(e + 2), e + 4, len - 4) != 0)
		return -1;
	if (is_key_ext(c) && len > 8)
		memset(base + at + 8, 0, len - 8);
	return 0;
}

int
emit_echo(struct pfkv2_sadb *db, struct pfkv2_builder *b, const void *ctx)
{
	const struct echo *x = ctx;
	const struct pfkv2_view *v = x->v;
	const uint8_t *msg = pfkv2_view_msg(v);
	const void *e;
	size_t len, i;
	int c;

	if (pfkv2_put_msg(b, v->type, v->satype, pfkv2_view_seq(v),
	    pfkv2_view_pid(v)) != 0)
		return -1;
	if (x->order != NULL) {
		for (i = 0; i < x->norder; i++) {
			if (!pfkv2_view_has(v, x->order[i]))
				continue;
			e = pfkv2_view_ext(v, x->order[i], &len);
			if (echo_one(b, e, len, x->order[i], db->obuf) != 0)
				return -1;
		}
		return 0;
	}
	PFKV2_EXT_FOREACH(e, msg, pfkv2_view_len(v)) {
		c = dl_w2c(db->dl, PFKV2_SP_EXT,
		    pfkv2_ext_type(e));
		if (c < 0 || (x->only != 0 && !(x->only & PFKV2_EXTBIT(c))))
			continue;
		if (echo_one(b, e, pfkv2_ext_bytes(e), (unsigned)c,
		    db->obuf) != 0)
			return -1;
	}
	return 0;
}
