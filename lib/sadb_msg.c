/*
 * The SA messages GETSPI, ADD, DELETE, GET and FLUSH (UPDATE, DUMP and the
 * others have their own files).
 *
 * Every handler checks everything before it changes anything, so a failed
 * request leaves the database as it was; allocations that could fail are
 * made (or reserved) before the first change.
 */
#include "sadb_int.h"

/* ---- GETSPI ----------------------------------------------------------- */

static bool
spi_free(const struct pfkv2_sadb *db, unsigned satype, uint32_t spi,
    uint8_t family, const uint8_t *dst)
{
	return spi != 0 && sa_find(db, satype, spi, family, dst) == NIL;
}

/*
 * A free SPI in [min, max]: random tries, then (small ranges) a scan from
 * a random start, so a range with one free SPI always finds it.  FreeBSD
 * takes min > max and draws modulo the wrapped span (B-FB2, D11).
 */
static int
pick_spi(struct pfkv2_sadb *db, unsigned satype, uint8_t family,
    const uint8_t *dst, uint32_t min, uint32_t max, uint32_t *out)
{
	uint32_t span = max - min + 1u, spi, t;

	if (min == max) {
		if (!spi_free(db, satype, min, family, dst))
			return -1;
		*out = min;
		return 0;
	}
	for (t = 0; t < 64; t++) {
		spi = min + (span != 0 ? db_random(db) % span : db_random(db));
		if (spi_free(db, satype, spi, family, dst)) {
			*out = spi;
			return 0;
		}
	}
	if (span == 0 || span > 65536)
		return -1;
	for (spi = db_random(db) % span, t = 0; t < span; t++) {
		if (spi_free(db, satype, min + (spi + t) % span, family, dst)) {
			*out = min + (spi + t) % span;
			return 0;
		}
	}
	return -1;
}

/* FreeBSD and illumos GETSPI replies: <base, SA(spi), SRC, DST>. */
static int
emit_getspi_short(struct pfkv2_sadb *db, struct pfkv2_builder *b,
    const void *ctx)
{
	const struct req *r = ((const struct req *const *)ctx)[0];
	const struct sa *s = ((const struct sa *const *)ctx)[1];
	struct pfkv2_sa sa = { .spi = s->spi, .state = PFKV2_SASTATE_LARVAL };
	static const unsigned sd[] = {
		PFKV2_EXT_ADDRESS_SRC, PFKV2_EXT_ADDRESS_DST
	};
	const void *e;
	size_t len, i;

	(void)db;
	if (pfkv2_put_msg(b, PFKV2_MSG_GETSPI, s->satype, s->seq, r->pid) != 0 ||
	    pfkv2_put_sa(b, &sa) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		e = pfkv2_view_ext(&r->v, sd[i], &len);
		if (pfkv2_put_ext_raw(b, ld16((const uint8_t *)e + 2),
		    (const uint8_t *)e + 4, len - 4) != 0)
			return -1;
	}
	return 0;
}

static int
getspi_reply(struct req *r, uint32_t i)
{
	struct pfkv2_sadb *db = r->db;
	const struct sa *s = sa_at(db, i);
	struct sa_msg m = {
		.sa = s, .type = PFKV2_MSG_GETSPI, .seq = r->seq,
		.pid = r->pid, .what = OUT_HARD | OUT_SOFT,
		.state = PFKV2_SASTATE_LARVAL
	};
	const void *ctx[2] = { r, s };
	long n;

	if (db->d == PFKV2_DIALECT_LINUX)
		n = out_sa(db, &m);
	else
		n = out_build(db, emit_getspi_short, ctx);
	if (n < 0)
		return ENOBUFS;
	deliver(db, r->ep, db->d == PFKV2_DIALECT_ILLUMOS ? TO_ALL : TO_ONE,
	    r->satype, db->obuf, (size_t)n);
	return 0;
}

int
h_getspi(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	uint8_t family = 0, src[16], dst[16];
	uint32_t min = 0x100, max = 0x0fffffff, spi, i;
	struct pfkv2_sa2 sa2 = { 0, 0, 0 };
	struct pfkv2_kmc k;
	struct sa *s;
	int err;

	if ((err = satype_check(r)) != 0)
		return err;
	req_addr(r, PFKV2_EXT_ADDRESS_SRC, &family, src, NULL);
	req_addr(r, PFKV2_EXT_ADDRESS_DST, &family, dst, NULL);
	pfkv2_get_spirange(&r->v, &min, &max);
	/* Linux: a GETSPI repeated with the acquire's seq gets its SPI. */
	if (db->d == PFKV2_DIALECT_LINUX && r->seq != 0 &&
	    (i = sa_find_larval_seq(db, r->seq, r->satype, family, dst)) !=
	    NIL)
		return getspi_reply(r, i);
	if (min > max && db->d != PFKV2_DIALECT_FREEBSD)
		return EINVAL;
	if (pick_spi(db, r->satype, family, dst, min, max, &spi) != 0)
		return db->d == PFKV2_DIALECT_LINUX ? ENOENT : EEXIST;
	if (sa_reserve(db, 1) != 0 || (i = sa_new(db)) == NIL)
		return ENOMEM;
	s = sa_at(db, i);
	s->spi = spi;
	s->satype = (uint8_t)r->satype;
	s->state = PFKV2_SASTATE_LARVAL;
	sa_addrs(r, s);
	s->seq = r->seq;
	s->pid = r->pid;
	s->addtime = db->now;
	pfkv2_get_sa2(&r->v, &sa2);
	s->mode = default_mode(db, sa2.mode);
	s->reqid = sa2.reqid;
	if (pfkv2_get_kmc(&r->v, &k) == 0 && (k.proto != 0 || k.cookie != 0)) {
		if (side_build(db, NULL, NULL, 0, 0, true, &s->side) != 0) {
			sa_destroy(db, i);
			return ENOMEM;
		}
		s->side->kmc_proto = k.proto;
		s->side->kmc_cookie = k.proto == PFKV2_KMP_IKEV2 ? k.cookie :
		    (uint32_t)k.cookie;
	}
	sa_link(db, i);
	sa_rearm(db, i);
	if (db->d == PFKV2_DIALECT_FREEBSD)
		acq_answered(db, r, s);
	return getspi_reply(r, i);
}

/* ---- ADD -------------------------------------------------------------- */

/* Reply to ADD/UPDATE as the dialect does. */
int add_reply(struct req *r, uint32_t i, uint8_t state);

int
add_reply(struct req *r, uint32_t i, uint8_t state)
{
	struct pfkv2_sadb *db = r->db;
	struct built out = { NULL, 0 };
	long n;

	if (db->d == PFKV2_DIALECT_LINUX) {
		struct sa_msg m = {
			.sa = sa_at(db, i), .type = r->type, .seq = r->seq,
			.pid = r->pid, .what = OUT_KEYS | OUT_HARD | OUT_SOFT,
			.state = state
		};

		if (out_sa_msg(db, &m, &out) != 0)
			return ENOBUFS;
	} else {
		struct echo x = { .v = &r->v };

		if (db->d == PFKV2_DIALECT_FREEBSD) {
			x.order = fbsd_x1;
			x.norder = FBSD_X1_N;
		}
		if ((n = out_build(db, emit_echo, &x)) < 0)
			return ENOBUFS;
		out.len = (size_t)n;
	}
	deliver_built(db, r->ep, TO_ALL, r->satype, &out);
	return 0;
}

int
h_add(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	uint32_t spi = req_spi(r);
	const struct pfkv2_address *da = req_address(r, PFKV2_EXT_ADDRESS_DST);
	struct pfkv2_kmc k;
	struct sa_side *pside = NULL;
	uint8_t family = da->addr.family;
	const uint8_t *dst = da->addr.addr;
	uint32_t i, j, pair, partner = NIL;
	struct sa *s;
	int err;

	if ((err = satype_check(r)) != 0)
		return err;
	if (spi == 0)
		return EINVAL;
	/* illumos checks the keys first; FreeBSD finds the SPI first. */
	if (db->d == PFKV2_DIALECT_ILLUMOS && (err = keys_needed(r)) != 0)
		return err;
	if (sa_find(db, r->satype, spi, family, dst) != NIL)
		return EEXIST;
	if (db->d == PFKV2_DIALECT_FREEBSD && (err = keys_needed(r)) != 0)
		return err;
	if (db->d == PFKV2_DIALECT_ILLUMOS) {
		if (pfkv2_get_kmc(&r->v, &k) == 0 && k.proto == 0 &&
		    k.cookie != 0)
			return r->kdiag = 50, EINVAL;
		if (pfkv2_get_pair(&r->v, &pair) == 0) {
			struct sa tmp;

			memset(&tmp, 0, sizeof(tmp));
			sa_addrs(r, &tmp);
			tmp.spi = spi;
			tmp.satype = (uint8_t)r->satype;
			if ((err = pair_check(db, &tmp, pair, NIL, &partner,
			    &r->kdiag)) != 0)
				return err;
			if (side_build(db, sa_at(db, partner)->side, NULL, 0,
			    UINT64_MAX, true, &pside) != 0)
				return ENOMEM;
		}
	}
	if (sa_reserve(db, 1) != 0 || (i = sa_new(db)) == NIL) {
		side_free(db, pside);
		return ENOMEM;
	}
	s = sa_at(db, i);
	if (sa_fill(r, s) != 0) {
		sa_destroy(db, i);
		side_free(db, pside);
		return ENOMEM;
	}
	sa_link(db, i);
	sa_rearm(db, i);
	if (pside != NULL) {
		pside->pair_spi = s->spi;
		side_free(db, sa_at(db, partner)->side);
		sa_at(db, partner)->side = pside;
	}
	/* Linux: the ADD ends the larval (ACQ) state of the same acquire. */
	if (db->d == PFKV2_DIALECT_LINUX && r->seq != 0 &&
	    (j = sa_find_larval_seq(db, r->seq, r->satype, family, dst)) !=
	    NIL && j != i)
		sa_remove(db, j);
	acq_answered(db, r, s);
	return add_reply(r, i, PFKV2_SASTATE_MATURE);
}

/* ---- DELETE and GET --------------------------------------------------- */

/*
 * The SA a DELETE/GET names: Linux looks up (dst, SPI, proto) and ignores
 * SRC (D30); FreeBSD finds the SPI and then wants proto, src and dst to
 * agree; illumos matches SRC when it is given.
 */
static int
find_named(struct req *r, uint32_t *out)
{
	struct pfkv2_sadb *db = r->db;
	const struct pfkv2_address *da, *sa;
	uint8_t family;
	uint32_t i;
	const struct sa *s;

	if ((da = req_address(r, PFKV2_EXT_ADDRESS_DST)) == NULL)
		return r->kdiag = 19, EINVAL;
	family = da->addr.family;
	i = sa_find(db, r->satype, req_spi(r), family, da->addr.addr);
	if (i == NIL)
		return r->kdiag = 78, ESRCH;
	/* Linux does not look at SRC at all. */
	if (db->d != PFKV2_DIALECT_LINUX) {
		s = sa_at(db, i);
		sa = req_address(r, PFKV2_EXT_ADDRESS_SRC);
		if (s->satype != r->satype || s->family != family ||
		    !ip_eq(s->dst, da->addr.addr, family) ||
		    (sa != NULL && (sa->addr.family != family ||
		    !ip_eq(s->src, sa->addr.addr, family))))
			return r->kdiag = 78, ESRCH;
	}
	*out = i;
	return 0;
}

static int
delete_one(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	uint32_t i;
	struct sa_msg m;
	struct echo x = { .v = &r->v };
	struct built out = { NULL, 0 };
	long n;
	int err;

	if ((err = find_named(r, &i)) != 0)
		return err;
	if (db->d == PFKV2_DIALECT_LINUX) {
		/* DELSA notification: the SA as it was, keys and all. */
		m.sa = sa_at(db, i);
		m.type = PFKV2_MSG_DELETE;
		m.seq = r->seq;
		m.pid = r->pid;
		m.what = OUT_KEYS | OUT_HARD | OUT_SOFT;
		m.state = PFKV2_SASTATE_DEAD;
		if (out_sa_msg(db, &m, &out) != 0)
			return ENOBUFS;
	} else {
		if (db->d == PFKV2_DIALECT_FREEBSD)
			x.only = DL_B(SA) | DL_B(ADDRESS_SRC) |
			    DL_B(ADDRESS_DST);
		if ((n = out_build(db, emit_echo, &x)) < 0)
			return ENOBUFS;
		out.len = (size_t)n;
	}
	sa_remove(db, i);
	deliver_built(db, r->ep, TO_ALL, r->satype, &out);
	return 0;
}

/* What a DELETE without an SA extension names (delete_many()). */
struct purge {
	unsigned satype;
	bool hs, hd;		/* SRC, DST given */
	uint8_t sf, df, src[16], dst[16];
	struct pfkv2_kmc k;	/* illumos: only SAs of this cookie */
};

static bool
purge_match(const struct pfkv2_sadb *db, const struct sa *s,
    const struct purge *m)
{
	if (!(s->fl & SAF_LIVE) || s->satype != m->satype ||
	    (m->hs && (s->family != m->sf ||
	    memcmp(s->src, m->src, alen(m->sf)) != 0)) ||
	    (m->hd && (s->family != m->df ||
	    memcmp(s->dst, m->dst, alen(m->df)) != 0)))
		return false;
	return !(db->d == PFKV2_DIALECT_ILLUMOS &&
	    (s->state == PFKV2_SASTATE_LARVAL || (m->k.proto != 0 &&
	    (s->side == NULL || s->side->kmc_proto != m->k.proto ||
	    s->side->kmc_cookie != m->k.cookie))));
}

/*
 * DELETE without an SA extension: FreeBSD deletes every SA from SRC to
 * DST (key_delete_all, D19); illumos purges the non-larval SAs matching
 * what was given (sadb_purge_sa).  FreeBSD answers ESRCH when there was
 * none (the reference is silent; RFC 2367 says ESRCH for a missing SA);
 * an illumos purge that matches nothing still succeeds.
 */
static int
delete_many(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	struct purge m = { .satype = r->satype };
	struct echo x = { .v = &r->v, .only = DL_B(ADDRESS_SRC) |
	    DL_B(ADDRESS_DST) };
	uint32_t i, n = 0;
	long len;

	m.hs = req_addr(r, PFKV2_EXT_ADDRESS_SRC, &m.sf, m.src, NULL) == 0;
	m.hd = req_addr(r, PFKV2_EXT_ADDRESS_DST, &m.df, m.dst, NULL) == 0;
	if (db->d == PFKV2_DIALECT_LINUX)
		return EINVAL;
	if (!m.hs && !m.hd)
		return r->kdiag = 20, EINVAL;
	pfkv2_get_kmc(&r->v, &m.k);
	if (db->d == PFKV2_DIALECT_ILLUMOS)
		x.only = 0;
	if ((len = out_build(db, emit_echo, &x)) < 0)
		return ENOBUFS;
	for (i = 0; i < db->sas.hi; i++)
		n += purge_match(db, sa_at(db, i), &m);
	if (n == 0 && db->d == PFKV2_DIALECT_FREEBSD)
		return ESRCH;
	for (i = 0; i < db->sas.hi; i++)
		if (purge_match(db, sa_at(db, i), &m))
			sa_remove(db, i);
	deliver(db, r->ep, TO_ALL, r->satype, db->obuf, (size_t)len);
	return 0;
}

int
h_delete(struct req *r)
{
	int err;

	if ((err = satype_check(r)) != 0)
		return err;
	if (!pfkv2_view_has(&r->v, PFKV2_EXT_SA))
		return delete_many(r);
	return delete_one(r);
}

int
h_get(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	struct sa_msg m;
	struct built out;
	uint32_t i;
	int err;

	if ((err = satype_check(r)) != 0 || (err = find_named(r, &i)) != 0)
		return err;
	m.sa = sa_at(db, i);
	m.type = PFKV2_MSG_GET;
	m.seq = r->seq;
	m.pid = r->pid;
	m.what = OUT_KEYS | OUT_HARD | OUT_SOFT;
	m.state = m.sa->state;
	if (out_sa_msg(db, &m, &out) != 0)
		return ENOBUFS;
	deliver_built(db, r->ep, TO_ONE, r->satype, &out);
	return 0;
}

/* ---- FLUSH ------------------------------------------------------------ */

int
h_flush(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	uint32_t i, n = 0;
	const struct sa *s;
	int err;

	if (r->satype != PFKV2_SATYPE_UNSPEC && (err = satype_check(r)) != 0)
		return err;
	for (i = 0; i < db->sas.hi; i++) {
		s = sa_at(db, i);
		if (!(s->fl & SAF_LIVE) || (r->satype != PFKV2_SATYPE_UNSPEC &&
		    s->satype != r->satype))
			continue;
		sa_destroy(db, i);
		n++;
	}
	return flush_reply(r, r->satype, n != 0);
}

int
flush_reply(struct req *r, unsigned satype, bool flushed)
{
	struct pfkv2_sadb *db = r->db;

	/* The reply is the request's header (errno 0). */
	memcpy(db->obuf, r->msg, 16);
	st16(db->obuf + OFF(msg, sadb_msg_len), 2);
	db->obuf[OFF(msg, sadb_msg_errno)] = 0;
	st16(db->obuf + OFF(msg, sadb_msg_reserved), 0);
	db->okeys = 0;
	if (db->d == PFKV2_DIALECT_LINUX) {
		/* A unicast answer, then (if anything went) a notification. */
		deliver(db, r->ep, TO_ONE, satype, db->obuf, 16);
		if (flushed)
			deliver(db, r->ep, TO_ALL, satype, db->obuf, 16);
		return 0;
	}
	deliver(db, r->ep, TO_ALL, satype, db->obuf, 16);
	return 0;
}
