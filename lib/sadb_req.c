/*
 * Reading requests and answering errors: the typed fields the handlers
 * share, an SA record filled from an ADD/UPDATE, the satype and key checks
 * every SA message makes, and req_error(), which answers a failed request
 * as the dialect's kernel does (validation-and-semantics.md section 0,
 * D27):
 *	Linux	a base-only reply with the errno, to the sender;
 *	FreeBSD	the whole request echoed with the errno, to the sender;
 *	illumos	a base-only reply with the errno and the diagnostic in
 *		sadb_msg_reserved, to every socket for GETSPI, UPDATE, ADD,
 *		DELETE and FLUSH, to the sender otherwise.
 */
#include "sadb_int.h"

/* ---- errors ----------------------------------------------------------- */

static bool
illumos_err_to_all(unsigned type)
{
	return type == PFKV2_MSG_GETSPI || type == PFKV2_MSG_UPDATE ||
	    type == PFKV2_MSG_ADD || type == PFKV2_MSG_DELETE ||
	    type == PFKV2_MSG_FLUSH || type == PFKV2_MSG_EXPIRE ||
	    type == PFKV2_MSG_X_UPDATEPAIR || type == PFKV2_MSG_X_DELPAIR;
}

/* Zero the key bytes of a message in place (FreeBSD echo, NO_KEYS). */
static bool
zero_keys(struct pfkv2_sadb *db, uint8_t *m, size_t len)
{
	const void *e;
	int c;
	bool any = false;

	PFKV2_EXT_FOREACH(e, m, len) {
		c = dl_w2c(db->dl, PFKV2_SP_EXT,
		    pfkv2_ext_type(e));
		if (c == PFKV2_EXT_KEY_AUTH || c == PFKV2_EXT_KEY_ENCRYPT) {
			any = true;
			if (db->o.flags & PFKV2_SADB_NO_KEYS)
				memset((uint8_t *)e + 8, 0,
				    pfkv2_ext_bytes(e) - 8);
		}
	}
	return any && !(db->o.flags & PFKV2_SADB_NO_KEYS);
}

int
req_error(struct req *r, int err, uint16_t kdiag)
{
	struct pfkv2_sadb *db = r->db;
	unsigned type;
	int c;

	/* Linux maps values that do not fit the byte to EINVAL. */
	if (err <= 0 || err > 255)
		err = EINVAL;
	/* FreeBSD refuses requests over 2048 bytes at write(): they fit. */
	if (db->d == PFKV2_DIALECT_FREEBSD && r->len <= db->ocap) {
		/* B-FB6: the whole request comes back, keys included. */
		memcpy(db->obuf, r->msg, r->len);
		db->obuf[OFF(msg, sadb_msg_errno)] = (uint8_t)err;
		db->okeys = zero_keys(db, db->obuf, r->len);
		deliver(db, r->ep, TO_ONE, r->satype, db->obuf, r->len);
		return 0;
	}
	memcpy(db->obuf, r->msg, 16);
	db->obuf[OFF(msg, sadb_msg_errno)] = (uint8_t)err;
	st16(db->obuf + OFF(msg, sadb_msg_len), 2);
	st16(db->obuf + OFF(msg, sadb_msg_reserved),
	    db->d == PFKV2_DIALECT_ILLUMOS ? kdiag : 0);
	db->okeys = 0;
	c = dl_w2c(db->dl, PFKV2_SP_MSG, r->msg[1]);
	type = c < 0 ? 0 : (unsigned)c;
	deliver(db, r->ep, db->d == PFKV2_DIALECT_ILLUMOS &&
	    illumos_err_to_all(type) ? TO_ALL : TO_ONE, r->satype, db->obuf,
	    16);
	return 0;
}

/* ---- helpers shared by the SA handlers -------------------------------- */

/*
 * The hot messages read the SA extension straight from its wire layout:
 * the flags stay the wire bits they are stored as, which saves two
 * conversions per message.
 */
const struct pfkv2_sa *
req_sa(struct req *r)
{
	const struct dl_map *m = r->db->dl->map;
	const uint8_t *e;

	if (r->got & REQ_SA)
		return &r->sa;
	if (!(r->v.present & PFKV2_EXTBIT(PFKV2_EXT_SA)))
		return NULL;
	e = r->v.ext_[PFKV2_EXT_SA];
	r->sa.spi = be32(ld32(e + OFF(sa, sadb_sa_spi)));
	r->sa.replay = e[OFF(sa, sadb_sa_replay)];
	r->sa.state = canon8(&m[PFKV2_SP_SASTATE], e[OFF(sa, sadb_sa_state)]);
	r->sa.auth = canon8(&m[PFKV2_SP_AALG], e[OFF(sa, sadb_sa_auth)]);
	r->sa.encrypt = canon8(&m[r->satype == PFKV2_SATYPE_IPCOMP ?
	    PFKV2_SP_CALG : PFKV2_SP_EALG], e[OFF(sa, sadb_sa_encrypt)]);
	r->sa.flags = 0;
	r->sa.flags_raw = ld32(e + OFF(sa, sadb_sa_flags));
	r->got |= REQ_SA;
	return &r->sa;
}

int
req_addr(struct req *r, unsigned e, uint8_t *family, uint8_t *ip,
    uint16_t *port)
{
	const struct pfkv2_address *a = req_address(r, e);

	if (a == NULL)
		return -1;
	*family = a->addr.family;
	memcpy(ip, a->addr.addr, 16);
	if (port != NULL)
		*port = a->addr.port;
	return 0;
}

int
satype_check_slow(struct req *r)
{
	switch (r->satype) {
	case PFKV2_SATYPE_AH:
	case PFKV2_SATYPE_ESP:
		return 0;
	case PFKV2_SATYPE_IPCOMP:
		if (r->db->d != PFKV2_DIALECT_ILLUMOS)
			return 0;
		break;
	case PFKV2_SATYPE_TCPSIGNATURE:
		if (r->db->d != PFKV2_DIALECT_LINUX)
			return 0;
		break;
	case PFKV2_SATYPE_RSVP:
	case PFKV2_SATYPE_OSPFV2:
	case PFKV2_SATYPE_RIPV2:
	case PFKV2_SATYPE_MIP:
		if (r->db->d == PFKV2_DIALECT_FREEBSD)
			return EOPNOTSUPP;
		break;
	default:
		break;
	}
	r->kdiag = r->satype == PFKV2_SATYPE_UNSPEC ? 5 : 4;
	return EINVAL;
}

/* Which rare extensions a dialect's kernel keeps with an SA. */
static uint64_t
side_mask(const struct pfkv2_sadb *db)
{
	switch (db->d) {
	case PFKV2_DIALECT_LINUX:
		return DL_B(ADDRESS_PROXY) | DL_B(NAT_T_TYPE) |
		    DL_B(NAT_T_SPORT) | DL_B(NAT_T_DPORT) | DL_B(NAT_T_OA) |
		    DL_B(SEC_CTX);
	case PFKV2_DIALECT_FREEBSD:
		return DL_B(NAT_T_TYPE) | DL_B(NAT_T_SPORT) |
		    DL_B(NAT_T_DPORT) | DL_B(NAT_T_OA) | DL_B(NAT_T_OAR) |
		    DL_B(NAT_T_FRAG) | DL_B(SA_REPLAY);
	default:
		return DL_B(ADDRESS_INNER_SRC) | DL_B(ADDRESS_INNER_DST) |
		    DL_B(ADDRESS_NATT_LOC) | DL_B(ADDRESS_NATT_REM) |
		    DL_B(IDENTITY_SRC) | DL_B(IDENTITY_DST) |
		    DL_B(SENSITIVITY) | DL_B(OUTER_SENS) |
		    DL_B(REPLAY_VALUE) | DL_B(LIFETIME_IDLE) | DL_B(STR_AUTH);
	}
}

/*
 * The getters, in place, for the extensions of a validated request that
 * every ADD reads (pfkv2_get_lifetime(), _sa2(), _key() decode through
 * v_ext() and a struct per call).  NULL: absent.
 */
static inline const uint8_t *
req_ext(const struct req *r, unsigned ext)
{
	return (r->v.present & PFKV2_EXTBIT(ext)) ? r->v.ext_[ext] : NULL;
}

static void
lft_from(const struct req *r, unsigned ext, struct lft *l, uint32_t *alloc)
{
	const uint8_t *e = req_ext(r, ext);

	if (e == NULL) {
		memset(l, 0, sizeof(*l));
		*alloc = 0;
		return;
	}
	*alloc = ld32(e + OFF(lifetime, sadb_lifetime_allocations));
	l->bytes = ld64(e + OFF(lifetime, sadb_lifetime_bytes));
	l->addtime = ld64(e + OFF(lifetime, sadb_lifetime_addtime));
	l->usetime = ld64(e + OFF(lifetime, sadb_lifetime_usetime));
}

/* A key extension's bits (0: absent) and its key bytes. */
static unsigned
key_from(const struct req *r, unsigned ext, const uint8_t **data)
{
	const uint8_t *e = req_ext(r, ext);

	if (e == NULL) {
		*data = NULL;
		return 0;
	}
	*data = e + 8;
	return ld16(e + OFF(key, sadb_key_bits));
}

/* Addresses of a request into an SA record, as the dialect keeps them. */
void
sa_addrs(struct req *r, struct sa *s)
{
	const struct pfkv2_address *a;
	bool ports = r->db->d == PFKV2_DIALECT_ILLUMOS;

	if ((a = req_address(r, PFKV2_EXT_ADDRESS_SRC)) != NULL) {
		s->family = a->addr.family;
		memcpy(s->src, a->addr.addr, 16);
		s->sport = ports ? a->addr.port : 0;
		s->sproto = a->proto;
		s->splen = a->prefixlen;
	}
	if ((a = req_address(r, PFKV2_EXT_ADDRESS_DST)) != NULL) {
		s->family = a->addr.family;
		memcpy(s->dst, a->addr.addr, 16);
		s->dport = ports ? a->addr.port : 0;
		s->dproto = a->proto;
		s->dplen = a->prefixlen;
	}
}

uint8_t
default_mode(const struct pfkv2_sadb *db, unsigned mode)
{
	/* Linux stores ANY (and no SA2) as transport, as the vectors show. */
	if (db->d == PFKV2_DIALECT_LINUX && mode == PFKV2_MODE_ANY)
		return PFKV2_MODE_TRANSPORT;
	return (uint8_t)mode;
}

int
sa_fill(struct req *r, struct sa *s)
{
	struct pfkv2_sadb *db = r->db;
	const struct dl_map *map = db->dl->map;
	/* ADD and UPDATE carry an SA extension: read in place. */
	const uint8_t *e = r->v.ext_[PFKV2_EXT_SA];
	const uint8_t *sa2 = req_ext(r, PFKV2_EXT_SA2), *ka, *ke;
	unsigned abits, ebits;
	struct pfkv2_kmc k;
	uint32_t pair;
	uint64_t rare = side_mask(db) & r->v.present;

	s->spi = be32(ld32(e + OFF(sa, sadb_sa_spi)));
	s->satype = (uint8_t)r->satype;
	s->state = PFKV2_SASTATE_MATURE;
	s->auth = (uint8_t)canon8(&map[PFKV2_SP_AALG],
	    e[OFF(sa, sadb_sa_auth)]);
	s->encrypt = (uint8_t)canon8(&map[r->satype == PFKV2_SATYPE_IPCOMP ?
	    PFKV2_SP_CALG : PFKV2_SP_EALG], e[OFF(sa, sadb_sa_encrypt)]);
	s->replay = e[OFF(sa, sadb_sa_replay)];
	/* Linux clamps the window to 32 packets (D23). */
	if (db->d == PFKV2_DIALECT_LINUX && s->replay > 32)
		s->replay = 32;
	s->wflags = ld32(e + OFF(sa, sadb_sa_flags));
	sa_addrs(r, s);
	lft_from(r, PFKV2_EXT_LIFETIME_HARD, &s->hard, &s->hard_alloc);
	lft_from(r, PFKV2_EXT_LIFETIME_SOFT, &s->soft, &s->soft_alloc);
	s->mode = default_mode(db, sa2 == NULL ? PFKV2_MODE_ANY :
	    canon8(&db->dl->map[PFKV2_SP_MODE],
	    sa2[OFF(x_sa2, sadb_x_sa2_mode)]));
	s->reqid = sa2 == NULL ? 0 : ld32(sa2 + OFF(x_sa2, sadb_x_sa2_reqid));
	s->seq = r->seq;
	s->pid = r->pid;
	s->addtime = db->now;
	abits = key_from(r, PFKV2_EXT_KEY_AUTH, &ka);
	ebits = key_from(r, PFKV2_EXT_KEY_ENCRYPT, &ke);
	if (sa_set_keys(db, s, abits, ka, ebits, ke) != 0)
		return -1;
	if (rare == 0 && !(r->v.present & (DL_B(KMC) | DL_B(PAIR))))
		return 0;
	if (side_build(db, NULL, &r->v, rare, 0,
	    pfkv2_view_has(&r->v, PFKV2_EXT_KMC) ||
	    pfkv2_view_has(&r->v, PFKV2_EXT_PAIR), &s->side) != 0)
		return -1;
	if (pfkv2_get_kmc(&r->v, &k) == 0) {
		s->side->kmc_proto = k.proto;
		/* IKEv1 and KINK cookies are 32 bits (ILL-T). */
		s->side->kmc_cookie = k.proto == PFKV2_KMP_IKEV2 ? k.cookie :
		    (uint32_t)k.cookie;
	}
	if (pfkv2_get_pair(&r->v, &pair) == 0)
		s->side->pair_spi = pair;
	if (pfkv2_view_has(&r->v, PFKV2_EXT_NAT_T_TYPE))
		s->fl |= SAF_NATT;
	return 0;
}

/*
 * The keys the SA's algorithms need (FreeBSD key_setsaval, illumos
 * esp_add_sa): AH an authentication key, ESP an encryption key unless the
 * cipher is NULL and an authentication key unless there is no (or a NULL)
 * authenticator.  Linux's own rule is the validator's.
 */
int
keys_needed(struct req *r)
{
	const struct pfkv2_sa *sa = req_sa(r);
	bool ka = pfkv2_view_has(&r->v, PFKV2_EXT_KEY_AUTH);
	bool ke = pfkv2_view_has(&r->v, PFKV2_EXT_KEY_ENCRYPT);

	if (r->satype == PFKV2_SATYPE_AH && !ka)
		return r->kdiag = 22, EINVAL;
	if (r->satype != PFKV2_SATYPE_ESP)
		return 0;
	if (sa->encrypt != PFKV2_EALG_NULL && !ke)
		return r->kdiag = 21, EINVAL;
	if (sa->auth != PFKV2_AALG_NONE && sa->auth != PFKV2_AALG_NULL && !ka)
		return r->kdiag = 22, EINVAL;
	return 0;
}

void
sa_remove(struct pfkv2_sadb *db, uint32_t i)
{
	if (db->d == PFKV2_DIALECT_ILLUMOS)
		pair_unlink(db, i);
	sa_destroy(db, i);
}

