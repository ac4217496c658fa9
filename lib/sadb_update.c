/*
 * UPDATE (and illumos X_UPDATEPAIR): what each kernel lets an UPDATE
 * change (validation-and-semantics.md 3.4).
 *
 *	LARVAL target: the SA is built anew from the request, as ADD would
 *	(Linux replaces the ACQ state wholesale; FreeBSD and illumos take
 *	the full ADD set and want the keys the SA type needs).
 *
 *	MATURE or DYING target:
 *	Linux	keys must be present (the request is parsed as a whole
 *		state) and are silently discarded (D13); the lifetime limits
 *		are replaced as a whole, a missing one meaning none (D14);
 *		NAT-T may change ports only between like encapsulations;
 *		DYING becomes MATURE.  The UPDSA notification describes the
 *		request, not the installed SA (3.4: the kernel notifies with
 *		its temporary state, which it has marked DEAD).
 *	FreeBSD	keys are refused (EINVAL); HARD and SOFT come together; with
 *		neither, a MATURE SA loses its limits and a DYING one keeps
 *		them; NEW_ADDRESS_* move the SA (MOBIKE, sadb_migrate.c);
 *		NAT-T needs all three extensions, and an SA using NAT-T needs
 *		them in every UPDATE (B-FB9); DYING becomes MATURE.
 *	illumos	keys are refused (AKEY/EKEY_PRESENT); lifetimes merge field
 *		by field (0 keeps), soft clamped to hard; the KM cookie
 *		follows the cookie rules (sadb_illumos.c); X_PAIR may pair a
 *		yet unpaired SA; REPLAY_VALUE is refused; a DYING SA stays
 *		DYING.
 *
 * Everything is checked and every allocation made before the first change.
 */
#include "sadb_int.h"

int add_reply(struct req *r, uint32_t i, uint8_t state);

/* A prepared change to one mature SA. */
struct upd {
	uint32_t i;
	struct lft hard, soft;
	uint32_t hard_alloc, soft_alloc;
	bool set_lft;
	bool to_mature;
	bool new_side;
	bool newaddr;
	struct sa_side *side;		/* replacement when new_side */
	uint32_t partner;		/* illumos X_PAIR partner, NIL */
	struct sa_side *pside;		/* its replacement side */
	struct pfkv2_kmc kmc;
	bool set_kmc;
};

static bool
has(const struct req *r, unsigned e)
{
	return pfkv2_view_has(&r->v, e);
}

#define E_NATT3	(DL_B(NAT_T_TYPE) | DL_B(NAT_T_SPORT) | DL_B(NAT_T_DPORT))
#define E_NATT_FB (E_NATT3 | DL_B(NAT_T_OA) | DL_B(NAT_T_OAR) | \
		   DL_B(NAT_T_FRAG))

static void
upd_discard(struct pfkv2_sadb *db, struct upd *u)
{
	side_free(db, u->side);
	side_free(db, u->pside);
	u->side = u->pside = NULL;
}

static void
req_lft(const struct req *r, unsigned e, struct lft *l, uint32_t *alloc)
{
	struct pfkv2_lifetime lt;

	memset(&lt, 0, sizeof(lt));
	pfkv2_get_lifetime(&r->v, e, &lt);
	l->bytes = lt.bytes;
	l->addtime = lt.addtime;
	l->usetime = lt.usetime;
	*alloc = lt.allocations;
}

/* illumos: non-zero fields replace, zero keeps (D15). */
static void
merge_lft(const struct req *r, unsigned e, struct lft *l, uint32_t *alloc)
{
	struct pfkv2_lifetime lt;

	if (pfkv2_get_lifetime(&r->v, e, &lt) != 0)
		return;
	if (lt.allocations)
		*alloc = lt.allocations;
	if (lt.bytes)
		l->bytes = lt.bytes;
	if (lt.addtime)
		l->addtime = lt.addtime;
	if (lt.usetime)
		l->usetime = lt.usetime;
}

static uint64_t
clamp(uint64_t soft, uint64_t hard)
{
	return hard != 0 && soft > hard ? hard : soft;
}

static int
prep_linux(struct req *r, const struct sa *s, struct upd *u)
{
	struct pfkv2_sadb *db = r->db;
	const uint8_t *old, *neu;
	bool rq = has(r, PFKV2_EXT_NAT_T_TYPE);

	if (((s->fl & SAF_NATT) != 0) != rq)
		return EINVAL;
	if (rq) {
		old = side_ext(s->side, PFKV2_EXT_NAT_T_TYPE, NULL);
		neu = pfkv2_view_ext(&r->v, PFKV2_EXT_NAT_T_TYPE, NULL);
		if (old == NULL || old[4] != neu[4])
			return EINVAL;
		if (side_build(db, s->side, &r->v, E_NATT3, UINT64_MAX, false,
		    &u->side) != 0)
			return ENOMEM;
		u->new_side = true;
	}
	req_lft(r, PFKV2_EXT_LIFETIME_HARD, &u->hard, &u->hard_alloc);
	req_lft(r, PFKV2_EXT_LIFETIME_SOFT, &u->soft, &u->soft_alloc);
	u->set_lft = true;
	u->to_mature = true;
	return 0;
}

static int
prep_freebsd(struct req *r, const struct sa *s, struct upd *u)
{
	struct pfkv2_sadb *db = r->db;
	bool natt = has(r, PFKV2_EXT_NAT_T_TYPE) ||
	    has(r, PFKV2_EXT_NAT_T_SPORT) || has(r, PFKV2_EXT_NAT_T_DPORT);
	bool na = has(r, PFKV2_EXT_NEW_ADDRESS_SRC) ||
	    has(r, PFKV2_EXT_NEW_ADDRESS_DST);
	int err;

	if (has(r, PFKV2_EXT_KEY_AUTH) || has(r, PFKV2_EXT_KEY_ENCRYPT))
		return EINVAL;
	if ((s->fl & SAF_NATT) && !natt)
		return EINVAL;
	if (natt && !na && (s->satype != PFKV2_SATYPE_ESP ||
	    !has(r, PFKV2_EXT_NAT_T_TYPE) || !has(r, PFKV2_EXT_NAT_T_SPORT) ||
	    !has(r, PFKV2_EXT_NAT_T_DPORT)))
		return EINVAL;
	if (na) {
		if ((err = newaddr_check(r, s)) != 0)
			return err;
		u->newaddr = true;
	}
	if (natt) {
		if (side_build(db, s->side, &r->v, E_NATT_FB,
		    ~E_NATT_FB, false, &u->side) != 0)
			return ENOMEM;
		u->new_side = true;
	}
	u->hard = s->hard;
	u->soft = s->soft;
	u->hard_alloc = s->hard_alloc;
	u->soft_alloc = s->soft_alloc;
	if (has(r, PFKV2_EXT_LIFETIME_HARD) ||
	    s->state == PFKV2_SASTATE_MATURE) {
		req_lft(r, PFKV2_EXT_LIFETIME_HARD, &u->hard, &u->hard_alloc);
		req_lft(r, PFKV2_EXT_LIFETIME_SOFT, &u->soft, &u->soft_alloc);
	}
	u->set_lft = true;
	u->to_mature = true;
	return 0;
}

static int
prep_illumos(struct req *r, uint32_t i, const struct sa *s, struct upd *u)
{
	struct pfkv2_sadb *db = r->db;
	uint32_t pair;
	int err;

	if (has(r, PFKV2_EXT_KEY_AUTH))
		return r->kdiag = 36, EINVAL;
	if (has(r, PFKV2_EXT_KEY_ENCRYPT))
		return r->kdiag = 37, EINVAL;
	if (has(r, PFKV2_EXT_REPLAY_VALUE))
		return r->kdiag = 43, EINVAL;
	if (pfkv2_get_kmc(&r->v, &u->kmc) == 0 &&
	    (u->kmc.proto != 0 || u->kmc.cookie != 0)) {
		if ((err = kmc_check(db, s, &u->kmc, &r->kdiag)) != 0)
			return err;
		u->set_kmc = true;
		if (u->kmc.proto != PFKV2_KMP_IKEV2)
			u->kmc.cookie = (uint32_t)u->kmc.cookie;
	}
	u->partner = NIL;
	if (pfkv2_get_pair(&r->v, &pair) == 0) {
		if ((err = pair_check(db, s, pair, i, &u->partner,
		    &r->kdiag)) != 0)
			return err;
		if (side_build(db, sa_at(db, u->partner)->side, NULL, 0,
		    UINT64_MAX, true, &u->pside) != 0)
			return ENOMEM;
		u->pside->pair_spi = s->spi;
	}
	if (u->set_kmc || u->partner != NIL ||
	    has(r, PFKV2_EXT_LIFETIME_IDLE)) {
		if (side_build(db, s->side, &r->v, DL_B(LIFETIME_IDLE),
		    UINT64_MAX, true, &u->side) != 0)
			return ENOMEM;
		u->new_side = true;
		if (u->set_kmc) {
			u->side->kmc_proto = u->kmc.proto;
			u->side->kmc_cookie = u->kmc.cookie;
		}
		if (u->partner != NIL)
			u->side->pair_spi = pair;
	}
	u->hard = s->hard;
	u->soft = s->soft;
	u->hard_alloc = s->hard_alloc;
	u->soft_alloc = s->soft_alloc;
	merge_lft(r, PFKV2_EXT_LIFETIME_HARD, &u->hard, &u->hard_alloc);
	merge_lft(r, PFKV2_EXT_LIFETIME_SOFT, &u->soft, &u->soft_alloc);
	u->soft.bytes = clamp(u->soft.bytes, u->hard.bytes);
	u->soft.addtime = clamp(u->soft.addtime, u->hard.addtime);
	u->soft.usetime = clamp(u->soft.usetime, u->hard.usetime);
	u->soft_alloc = (uint32_t)clamp(u->soft_alloc, u->hard_alloc);
	u->set_lft = true;
	return 0;
}

static int
prepare(struct req *r, uint32_t i, struct upd *u)
{
	const struct sa *s = sa_at(r->db, i);

	memset(u, 0, sizeof(*u));
	u->i = i;
	u->partner = NIL;
	switch (r->db->d) {
	case PFKV2_DIALECT_LINUX:
		return prep_linux(r, s, u);
	case PFKV2_DIALECT_FREEBSD:
		return prep_freebsd(r, s, u);
	default:
		return prep_illumos(r, i, s, u);
	}
}

static void
commit(struct req *r, struct upd *u)
{
	struct pfkv2_sadb *db = r->db;
	struct sa *s = sa_at(db, u->i);

	if (u->set_lft) {
		s->hard = u->hard;
		s->soft = u->soft;
		s->hard_alloc = u->hard_alloc;
		s->soft_alloc = u->soft_alloc;
	}
	if (u->to_mature && s->state == PFKV2_SASTATE_DYING)
		s->state = PFKV2_SASTATE_MATURE;
	if (u->new_side) {
		side_free(db, s->side);
		s->side = u->side;
		u->side = NULL;
	}
	if (u->partner != NIL) {
		side_free(db, sa_at(db, u->partner)->side);
		sa_at(db, u->partner)->side = u->pside;
		u->pside = NULL;
	}
	if (u->newaddr)
		newaddr_apply(r, u->i);
}

/* A larval SA becomes the SA the request describes. */
static int
update_larval(struct req *r, uint32_t old)
{
	struct pfkv2_sadb *db = r->db;
	uint32_t i;
	int err;

	if (db->d != PFKV2_DIALECT_LINUX && (err = keys_needed(r)) != 0)
		return err;
	if (db->d == PFKV2_DIALECT_FREEBSD &&
	    (has(r, PFKV2_EXT_NEW_ADDRESS_SRC) ||
	    has(r, PFKV2_EXT_NEW_ADDRESS_DST)))
		return EINVAL;
	if (db->d == PFKV2_DIALECT_ILLUMOS) {
		if (has(r, PFKV2_EXT_REPLAY_VALUE))
			return r->kdiag = 43, EINVAL;
		if (has(r, PFKV2_EXT_PAIR))
			return r->kdiag = 73, EINVAL;
	}
	if (sa_reserve(db, 1) != 0 || (i = sa_new(db)) == NIL)
		return ENOMEM;
	if (sa_fill(r, sa_at(db, i)) != 0) {
		sa_destroy(db, i);
		return ENOMEM;
	}
	/* The larval SA's KM cookie carries over unless a new one came. */
	if (db->d == PFKV2_DIALECT_ILLUMOS && sa_at(db, old)->side != NULL &&
	    !has(r, PFKV2_EXT_KMC)) {
		struct sa_side *os = sa_at(db, old)->side, *ns;

		if (side_build(db, sa_at(db, i)->side, NULL, 0, UINT64_MAX,
		    true, &ns) != 0) {
			sa_destroy(db, i);
			return ENOMEM;
		}
		ns->kmc_proto = os->kmc_proto;
		ns->kmc_cookie = os->kmc_cookie;
		side_free(db, sa_at(db, i)->side);
		sa_at(db, i)->side = ns;
	}
	sa_remove(db, old);
	sa_link(db, i);
	acq_answered(db, r, sa_at(db, i));
	err = add_reply(r, i, PFKV2_SASTATE_MATURE);
	sa_rearm(db, i);
	sadb_run_due(db);
	return err;
}

/* Linux's UPDSA notification: the request as a state, marked DEAD. */
static long
linux_notify(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	struct sa t;
	struct sa_msg m;
	long n;

	memset(&t, 0, sizeof(t));
	if (sa_fill(r, &t) != 0) {
		sa_free_keys(db, &t);
		side_free(db, t.side);
		return -1;
	}
	m.sa = &t;
	m.type = PFKV2_MSG_UPDATE;
	m.seq = r->seq;
	m.pid = r->pid;
	m.what = OUT_KEYS | OUT_HARD | OUT_SOFT;
	m.state = PFKV2_SASTATE_DEAD;
	n = out_sa(db, &m);
	sa_free_keys(db, &t);
	side_free(db, t.side);
	return n;
}

int
update_sa(struct req *r, uint32_t i, uint32_t pair)
{
	struct pfkv2_sadb *db = r->db;
	struct upd u, up;
	struct echo x = { .v = &r->v };
	long n;
	int err;

	if (sa_at(db, i)->state == PFKV2_SASTATE_LARVAL && pair == NIL)
		return update_larval(r, i);
	if (sa_at(db, i)->state == PFKV2_SASTATE_LARVAL)
		return r->kdiag = 43, EINVAL;
	memset(&up, 0, sizeof(up));
	if ((err = prepare(r, i, &u)) != 0) {
		upd_discard(db, &u);
		return err;
	}
	if (pair != NIL && (err = prepare(r, pair, &up)) != 0) {
		upd_discard(db, &u);
		upd_discard(db, &up);
		return err;
	}
	/* Build the answer before the change: it describes the request. */
	if (db->d == PFKV2_DIALECT_LINUX) {
		n = linux_notify(r);
	} else {
		if (db->d == PFKV2_DIALECT_FREEBSD) {
			x.order = fbsd_x1;
			x.norder = FBSD_X1_N;
		}
		n = out_build(db, emit_echo, &x);
	}
	if (n < 0) {
		upd_discard(db, &u);
		upd_discard(db, &up);
		return ENOMEM;
	}
	commit(r, &u);
	if (pair != NIL)
		commit(r, &up);
	acq_answered(db, r, sa_at(db, u.i));
	deliver(db, r->ep, TO_ALL, r->satype, db->obuf, (size_t)n);
	sa_rearm(db, u.i);
	sa_check_counters(db, u.i);
	if (pair != NIL && (sa_at(db, pair)->fl & SAF_LIVE)) {
		sa_rearm(db, pair);
		sa_check_counters(db, pair);
	}
	/* New limits may already have passed (Linux checks again). */
	sadb_run_due(db);
	return 0;
}

/*
 * The SA an UPDATE names.  FreeBSD finds the SPI alone (a miss is EINVAL,
 * B-FB7), then wants proto, addresses, a mode other than ANY and a
 * non-zero reqid to agree (ESRCH), and the creator's pid (EINVAL).
 */
static int
find_target(struct req *r, uint32_t *out)
{
	struct pfkv2_sadb *db = r->db;
	const struct pfkv2_sa *sa = req_sa(r);
	struct pfkv2_sa2 sa2 = { 0, 0, 0 };
	uint8_t family = 0, sf = 0, src[16], dst[16];
	const struct sa *s;
	uint32_t i;

	req_addr(r, PFKV2_EXT_ADDRESS_DST, &family, dst, NULL);
	req_addr(r, PFKV2_EXT_ADDRESS_SRC, &sf, src, NULL);
	if ((i = sa_find(db, r->satype, sa->spi, family, dst)) == NIL)
		return r->kdiag = 78,
		    db->d == PFKV2_DIALECT_FREEBSD ? EINVAL : ESRCH;
	s = sa_at(db, i);
	if (db->d == PFKV2_DIALECT_FREEBSD) {
		pfkv2_get_sa2(&r->v, &sa2);
		if (s->satype != r->satype || s->family != family ||
		    memcmp(s->dst, dst, alen(family)) != 0 ||
		    memcmp(s->src, src, alen(family)) != 0 ||
		    (sa2.mode != PFKV2_MODE_ANY && sa2.mode != s->mode) ||
		    (sa2.reqid != 0 && sa2.reqid != s->reqid))
			return ESRCH;
		if (s->pid != r->pid)
			return EINVAL;
	}
	if (db->d == PFKV2_DIALECT_ILLUMOS &&
	    memcmp(s->src, src, alen(family)) != 0)
		return r->kdiag = 78, ESRCH;
	*out = i;
	return 0;
}

int
h_update(struct req *r)
{
	uint32_t i;
	int err;

	if ((err = satype_check(r)) != 0 || (err = find_target(r, &i)) != 0)
		return err;
	return update_sa(r, i, NIL);
}

int
h_updatepair(struct req *r)
{
	uint32_t i, p;
	int err;

	if ((err = satype_check(r)) != 0 || (err = find_target(r, &i)) != 0)
		return err;
	if ((p = sa_pair_of(r->db, i)) == NIL)
		return r->kdiag = 76, ESRCH;
	return update_sa(r, i, p);
}
