/*
 * REGISTER, ACQUIRE (kernel to user and user to kernel), X_PROMISC, and
 * the algorithms each dialect's kernel reports (3.6, 3.8).
 *
 * Algorithm lists: Linux's is the one a real 6.1 kernel sent
 * (reference/linux-register-reply.txt), in its order.  The FreeBSD and
 * illumos lists are representative (the algorithms of each dialect's
 * table with their standard key sizes; ivlen in bytes on FreeBSD and in
 * bits on illumos), not captures.
 *
 * Acquires: an outbound packet that hits an IPsec policy lacking an SA
 * raises one ACQUIRE per missing template and keeps an acquire record
 * until the key manager answers (GETSPI/ADD/UPDATE with its seq), reports
 * failure, or it times out after opts.larval_lifetime seconds (Linux
 * xfrm_acq_expires, 30 by default).  While the record lives no new
 * ACQUIRE is sent for the same (policy, SA type, addresses).  After a KM
 * failure Linux drops matching packets until the record times out;
 * FreeBSD (key_acqreset) and illumos forget the record so the next
 * packet asks again.
 */
#include "sadb_int.h"

#define A(id, iv, mn, mx)	{ (id), (iv), (mn), (mx), 0, 0 }
#define AI(id, iv, mn, mx, inc, salt)	{ (id), (iv), (mn), (mx), (inc), (salt) }

static const struct pfkv2_alg linux_auth[] = {
	A(PFKV2_AALG_NULL, 0, 0, 0),
	A(PFKV2_AALG_MD5HMAC, 0, 128, 128),
	A(PFKV2_AALG_SHA1HMAC, 0, 160, 160),
	A(PFKV2_AALG_SHA2_256HMAC, 0, 256, 256),
	A(PFKV2_AALG_SHA2_384HMAC, 0, 384, 384),
	A(PFKV2_AALG_SHA2_512HMAC, 0, 512, 512),
	A(PFKV2_AALG_RIPEMD160HMAC, 0, 160, 160),
	A(PFKV2_AALG_AES_XCBC_MAC, 0, 128, 128),
};
static const struct pfkv2_alg linux_enc[] = {
	A(PFKV2_EALG_NULL, 0, 0, 0),
	A(PFKV2_EALG_DESCBC, 8, 64, 64),
	A(PFKV2_EALG_3DESCBC, 8, 192, 192),
	A(PFKV2_EALG_CASTCBC, 8, 40, 128),
	A(PFKV2_EALG_BLOWFISHCBC, 8, 40, 448),
	A(PFKV2_EALG_AESCBC, 8, 128, 256),
	A(PFKV2_EALG_SERPENTCBC, 8, 128, 256),
	A(PFKV2_EALG_CAMELLIACBC, 8, 128, 256),
	A(PFKV2_EALG_TWOFISHCBC, 8, 128, 256),
	A(PFKV2_EALG_AESCTR, 8, 160, 288),
};
static const struct pfkv2_alg freebsd_auth[] = {
	A(PFKV2_AALG_MD5HMAC, 0, 128, 128),
	A(PFKV2_AALG_SHA1HMAC, 0, 160, 160),
	A(PFKV2_AALG_SHA2_256HMAC, 0, 256, 256),
	A(PFKV2_AALG_SHA2_384HMAC, 0, 384, 384),
	A(PFKV2_AALG_SHA2_512HMAC, 0, 512, 512),
	A(PFKV2_AALG_AES_XCBC_MAC, 0, 128, 128),
	A(PFKV2_AALG_AES128GMAC, 0, 160, 160),
	A(PFKV2_AALG_AES192GMAC, 0, 224, 224),
	A(PFKV2_AALG_AES256GMAC, 0, 288, 288),
	A(PFKV2_AALG_NULL, 0, 0, 2048),
	A(PFKV2_AALG_TCP_MD5, 0, 8, 640),
};
static const struct pfkv2_alg freebsd_enc[] = {
	A(PFKV2_EALG_NULL, 0, 0, 2048),
	A(PFKV2_EALG_AESCBC, 16, 128, 256),
	A(PFKV2_EALG_AESCTR, 8, 160, 288),
	A(PFKV2_EALG_AES_GCM_ICV16, 8, 160, 288),
	A(PFKV2_EALG_CAMELLIACBC, 16, 128, 256),
	A(PFKV2_EALG_CHACHA20POLY1305, 8, 288, 288),
	A(PFKV2_EALG_NULL_AES_GMAC, 8, 160, 288),
};
static const struct pfkv2_alg illumos_auth[] = {
	AI(PFKV2_AALG_MD5HMAC, 0, 128, 128, 0, 0),
	AI(PFKV2_AALG_SHA1HMAC, 0, 160, 160, 0, 0),
	AI(PFKV2_AALG_SHA2_256HMAC, 0, 256, 256, 0, 0),
	AI(PFKV2_AALG_SHA2_384HMAC, 0, 384, 384, 0, 0),
	AI(PFKV2_AALG_SHA2_512HMAC, 0, 512, 512, 0, 0),
};
static const struct pfkv2_alg illumos_enc[] = {
	AI(PFKV2_EALG_DESCBC, 64, 64, 64, 0, 0),
	AI(PFKV2_EALG_3DESCBC, 64, 192, 192, 0, 0),
	AI(PFKV2_EALG_BLOWFISHCBC, 64, 32, 448, 8, 0),
	AI(PFKV2_EALG_NULL, 0, 0, 0, 0, 0),
	AI(PFKV2_EALG_AESCBC, 128, 128, 256, 64, 0),
	AI(PFKV2_EALG_AES_CCM_ICV16, 64, 128, 256, 64, 24),
	AI(PFKV2_EALG_AES_GCM_ICV16, 64, 128, 256, 64, 32),
};
static const struct pfkv2_alg illumos_tcpsig[] = {
	AI(PFKV2_AALG_MD5, 0, 8, 640, 8, 0),
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))

void
supported_algs(const struct pfkv2_sadb *db, unsigned satype,
    struct alglist *auth, struct alglist *enc)
{
	auth->n = enc->n = 0;
	auth->a = enc->a = NULL;
	switch (db->d) {
	case PFKV2_DIALECT_LINUX:
		/* compose_sadb_supported sends both lists for every type. */
		auth->a = linux_auth, auth->n = N(linux_auth);
		enc->a = linux_enc, enc->n = N(linux_enc);
		break;
	case PFKV2_DIALECT_FREEBSD:
		auth->a = freebsd_auth, auth->n = N(freebsd_auth);
		enc->a = freebsd_enc, enc->n = N(freebsd_enc);
		break;
	default:
		/* Passed down to AH or ESP: each answers for itself. */
		if (satype == PFKV2_SATYPE_TCPSIGNATURE) {
			auth->a = illumos_tcpsig, auth->n = N(illumos_tcpsig);
			break;
		}
		auth->a = illumos_auth, auth->n = N(illumos_auth);
		if (satype == PFKV2_SATYPE_ESP)
			enc->a = illumos_enc, enc->n = N(illumos_enc);
		break;
	}
}

/* ---- REGISTER --------------------------------------------------------- */

struct regmsg {
	unsigned satype;
	uint32_t seq, pid;
};

static int
emit_register(struct pfkv2_sadb *db, struct pfkv2_builder *b,
    const void *ctx)
{
	const struct regmsg *m = ctx;
	struct alglist au, en;

	supported_algs(db, m->satype, &au, &en);
	if (pfkv2_put_msg(b, PFKV2_MSG_REGISTER, m->satype, m->seq, m->pid) !=
	    0)
		return -1;
	/* Each list is left out when it would be empty (3.6). */
	if (au.n != 0 && pfkv2_put_supported(b, PFKV2_EXT_SUPPORTED_AUTH,
	    au.a, au.n) != 0)
		return -1;
	if (en.n != 0 && pfkv2_put_supported(b, PFKV2_EXT_SUPPORTED_ENCRYPT,
	    en.a, en.n) != 0)
		return -1;
	return 0;
}

static int
register_reply(struct req *r, unsigned satype, enum target to)
{
	struct regmsg m = { satype, r->seq, r->pid };
	long n;

	if ((n = out_build(r->db, emit_register, &m)) < 0)
		return ENOBUFS;
	deliver(r->db, r->ep, to, satype, r->db->obuf, (size_t)n);
	return 0;
}

static bool
illumos_consumer(unsigned satype)
{
	return satype == PFKV2_SATYPE_AH || satype == PFKV2_SATYPE_ESP ||
	    satype == PFKV2_SATYPE_TCPSIGNATURE;
}

/* illumos extended REGISTER: satype UNSPEC with the X_EREG list. */
static int
register_ext(struct req *r)
{
	uint16_t types[PFKV2_SATYPE_COUNT];
	size_t n, i;
	uint32_t bits = 0;
	int err;

	if (pfkv2_get_ereg(&r->v, types, PFKV2_SATYPE_COUNT, &n) != 0)
		return r->kdiag = 5, EINVAL;
	if (r->ep->reg != 0 && !r->ep->ereg)
		return EBUSY;
	if (n > PFKV2_SATYPE_COUNT)
		return EINVAL;
	for (i = 0; i < n; i++) {
		if (!illumos_consumer(types[i]))
			return r->kdiag = 4, EINVAL;
		bits |= 1u << types[i];
	}
	r->ep->ereg = 1;
	r->ep->reg |= bits;
	for (i = 0; i < n; i++)
		if ((err = register_reply(r, types[i], TO_REG)) != 0)
			return err;
	return 0;
}

int
h_register(struct req *r)
{
	struct pfkv2_sadb_ep *ep = r->ep;

	if (r->db->d == PFKV2_DIALECT_ILLUMOS) {
		if (r->satype == PFKV2_SATYPE_UNSPEC)
			return register_ext(r);
		if (!illumos_consumer(r->satype))
			return r->kdiag = 4, EINVAL;
		ep->reg |= 1u << r->satype;
		return register_reply(r, r->satype, TO_REG);
	}
	/* Linux and FreeBSD: UNSPEC only asks for the lists. */
	if (r->satype != PFKV2_SATYPE_UNSPEC) {
		if (r->satype >= 32)
			return EINVAL;
		if (ep->reg & (1u << r->satype))
			return EEXIST;
		ep->reg |= 1u << r->satype;
	}
	return register_reply(r, r->satype, TO_REG_ONE);
}

/* ---- X_PROMISC (control form) ----------------------------------------- */

int
h_promisc(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	unsigned on = r->msg[OFF(msg, sadb_msg_satype)];

	/* Linux and FreeBSD take 0 and 1 only; illumos any non-zero. */
	if (db->d != PFKV2_DIALECT_ILLUMOS && on > 1)
		return EINVAL;
	db->npromisc = db->npromisc - r->ep->promisc + (on != 0);
	r->ep->promisc = on != 0;
	memcpy(db->obuf, r->msg, 16);
	db->obuf[OFF(msg, sadb_msg_errno)] = 0;
	db->okeys = 0;
	/* Echoed to all (Linux, FreeBSD); to the sender on illumos (ours). */
	deliver(db, r->ep, db->d == PFKV2_DIALECT_ILLUMOS ? TO_ONE : TO_ALL,
	    0, db->obuf, 16);
	return 0;
}

/* ---- acquire records -------------------------------------------------- */

static struct acq *
acq_at(const struct pfkv2_sadb *db, uint32_t i)
{
	return (struct acq *)pool_at(&db->acqs, i);
}

int
acq_store_init(struct pfkv2_sadb *db)
{
	pool_init(&db->acqs, sizeof(struct acq), offsetof(struct acq, next));
	return htab_init(db, &db->by_aseq, 16);
}

void
acq_store_destroy(struct pfkv2_sadb *db)
{
	pool_destroy(db, &db->acqs);
	htab_destroy(db, &db->by_aseq);
}

static uint32_t
acq_by_seq(const struct pfkv2_sadb *db, uint32_t seq)
{
	uint32_t i;

	for (i = db->by_aseq.b[mix32(seq) & db->by_aseq.mask]; i != NIL;
	    i = acq_at(db, i)->next)
		if (acq_at(db, i)->seq == seq)
			return i;
	return NIL;
}

static void
acq_free(struct pfkv2_sadb *db, uint32_t i)
{
	struct acq *a = acq_at(db, i);
	uint32_t *pp;

	for (pp = &db->by_aseq.b[mix32(a->seq) & db->by_aseq.mask]; *pp != i;
	    pp = &acq_at(db, *pp)->next)
		;
	*pp = a->next;
	db->by_aseq.n--;
	heap_remove(db, &a->heap_pos);
	pool_put(db, &db->acqs, i);
}

void
acq_timeout(struct pfkv2_sadb *db, uint32_t i)
{
	acq_free(db, i);
}

static int
acq_grow(struct pfkv2_sadb *db)
{
	uint32_t *b, i, m, h;
	struct acq *a;

	if (!htab_grow_needed(&db->by_aseq))
		return 0;
	if ((b = htab_realloc(db, &db->by_aseq)) == NULL)
		return -1;
	m = db->by_aseq.mask * 2 + 1;
	for (i = 0; i < db->acqs.hi; i++) {
		a = acq_at(db, i);
		if (!a->live)
			continue;
		h = mix32(a->seq) & m;
		a->next = b[h];
		b[h] = i;
	}
	htab_destroy(db, &db->by_aseq);
	db->by_aseq.b = b;
	db->by_aseq.mask = m;
	return 0;
}

static uint32_t
acq_new(struct pfkv2_sadb *db, uint32_t policy, unsigned satype,
    uint8_t family, const uint8_t *src, const uint8_t *dst)
{
	uint32_t i, h;
	struct acq *a;

	if (acq_grow(db) != 0 || heap_reserve(db, 1) != 0 ||
	    (i = pool_get(db, &db->acqs)) == NIL)
		return NIL;
	a = acq_at(db, i);
	/* get_acqseq(): never 0. */
	if (++db->acq_seq == 0)
		db->acq_seq = 1;
	a->seq = db->acq_seq;
	a->policy = policy;
	a->satype = (uint8_t)satype;
	a->family = family;
	memcpy(a->src, src, 16);
	memcpy(a->dst, dst, 16);
	a->live = 1;
	a->heap_pos = NIL;
	h = mix32(a->seq) & db->by_aseq.mask;
	a->next = db->by_aseq.b[h];
	db->by_aseq.b[h] = i;
	db->by_aseq.n++;
	a->deadline = db->now + db->o.larval_lifetime;
	heap_set(db, TM_ACQ | i, a->deadline);
	return i;
}

void
acq_answered(struct pfkv2_sadb *db, const struct req *r, const struct sa *s)
{
	uint32_t i;
	const struct acq *a;

	if (db->acqs.count == 0)
		return;
	if (r->seq != 0) {
		if ((i = acq_by_seq(db, r->seq)) == NIL)
			return;
		a = acq_at(db, i);
		/* Linux: proto and daddr must agree with the acquire. */
		if (db->d == PFKV2_DIALECT_LINUX && (a->satype != s->satype ||
		    a->family != s->family ||
		    memcmp(a->dst, s->dst, alen(s->family)) != 0))
			return;
		/*
		 * FreeBSD key_acqdone only ages the record out (its next
		 * sweep, within a second); until then packets do not ask
		 * again.
		 */
		if (db->d == PFKV2_DIALECT_FREEBSD) {
			acq_at(db, i)->deadline = db->now + 1;
			heap_set(db, TM_ACQ | i, db->now + 1);
			return;
		}
		acq_free(db, i);
		return;
	}
	if (db->d != PFKV2_DIALECT_LINUX)
		return;
	/* Linux without a seq: the acquire for these endpoints, if any. */
	for (i = 0; i < db->acqs.hi; i++) {
		a = acq_at(db, i);
		if (a->live && a->satype == s->satype && a->family == s->family &&
		    memcmp(a->dst, s->dst, alen(s->family)) == 0 &&
		    memcmp(a->src, s->src, alen(s->family)) == 0 &&
		    (a->reqid == 0 || a->reqid == s->reqid)) {
			acq_free(db, i);
			return;
		}
	}
}

/* ---- kernel ACQUIRE --------------------------------------------------- */

struct acqmsg {
	const struct pol *p;
	const struct acq *a;
	bool ext;		/* illumos extended form */
};

#define MAXCOMBS	128

/* The kernel's proposal for an SA type (3.6). */
static size_t
make_combs(const struct pfkv2_sadb *db, unsigned satype,
    struct pfkv2_comb *c)
{
	struct alglist au, en;
	size_t n = 0, i, j;

	supported_algs(db, satype, &au, &en);
	if (satype == PFKV2_SATYPE_IPCOMP)
		return 0;
	for (i = 0; i < (satype == PFKV2_SATYPE_ESP ? en.n : 1); i++) {
		if (satype == PFKV2_SATYPE_ESP && db->d ==
		    PFKV2_DIALECT_FREEBSD && en.a[i].maxbits < 256)
			continue;	/* esp_keymin */
		for (j = 0; j < au.n && n < MAXCOMBS; j++) {
			if (db->d == PFKV2_DIALECT_FREEBSD &&
			    (au.a[j].minbits < 128 ||
			    au.a[j].id > PFKV2_AALG_SHA2_512HMAC))
				continue;	/* ah_keymin, HMACs only */
			memset(&c[n], 0, sizeof(c[n]));
			c[n].auth = au.a[j].id;
			c[n].auth_minbits = au.a[j].minbits;
			c[n].auth_maxbits = au.a[j].maxbits;
			if (satype == PFKV2_SATYPE_ESP) {
				c[n].encrypt = en.a[i].id;
				c[n].encrypt_minbits = en.a[i].minbits;
				c[n].encrypt_maxbits = en.a[i].maxbits;
			}
			if (db->d == PFKV2_DIALECT_LINUX) {
				c[n].hard_addtime = 86400;
				c[n].soft_addtime = 72000;
				c[n].hard_usetime = 28800;
				c[n].soft_usetime = 25200;
			} else if (db->d == PFKV2_DIALECT_FREEBSD) {
				/* B-FB3: the 80 % fields come out 0. */
				c[n].hard_addtime = 86400;
			}
			n++;
		}
	}
	return n;
}

static int
emit_acquire(struct pfkv2_sadb *db, struct pfkv2_builder *b, const void *ctx)
{
	const struct acqmsg *m = ctx;
	const struct acq *a = m->a;
	struct pfkv2_comb combs[MAXCOMBS];
	struct pfkv2_algdesc ad[MAXCOMBS][2];
	struct pfkv2_ecomb ec[MAXCOMBS];
	struct pfkv2_address sa;
	struct pfkv2_policy pol;
	struct pfkv2_sa2 sa2;
	uint8_t full = fullplen(a->family);
	size_t n, i;

	n = make_combs(db, a->satype, combs);
	if (pfkv2_put_msg(b, PFKV2_MSG_ACQUIRE, m->ext ? PFKV2_SATYPE_UNSPEC :
	    a->satype, a->seq, 0) != 0)
		return -1;
	addr_of(&sa, a->family, a->src, 0, full,
	    db->d == PFKV2_DIALECT_FREEBSD ? 255 : 0);
	if (pfkv2_put_address(b, PFKV2_EXT_ADDRESS_SRC, &sa) != 0)
		return -1;
	memcpy(sa.addr.addr, a->dst, 16);
	if (pfkv2_put_address(b, PFKV2_EXT_ADDRESS_DST, &sa) != 0)
		return -1;
	if (db->d != PFKV2_DIALECT_ILLUMOS && m->p != NULL) {
		memset(&pol, 0, sizeof(pol));
		pol.type = PFKV2_POLICY_IPSEC;
		pol.dir = db->d == PFKV2_DIALECT_LINUX ? PFKV2_DIR_OUTBOUND :
		    m->p->dir;
		pol.id = m->p->id;
		pol.priority = m->p->priority;
		if (pfkv2_put_policy(b, &pol, NULL, 0) != 0)
			return -1;
	}
	if (db->d == PFKV2_DIALECT_FREEBSD && a->reqid != 0) {
		sa2.mode = a->mode;
		sa2.sequence = 0;
		sa2.reqid = a->reqid;
		if (pfkv2_put_sa2(b, &sa2) != 0)
			return -1;
	}
	if (n == 0)
		return 0;
	if (!m->ext)
		return pfkv2_put_proposal(b, 32, combs, n);
	for (i = 0; i < n; i++) {
		memset(&ec[i], 0, sizeof(ec[i]));
		memset(ad[i], 0, sizeof(ad[i]));
		ad[i][0].satype = a->satype;
		ad[i][0].algtype = 1;
		ad[i][0].alg = combs[i].auth;
		ad[i][0].minbits = combs[i].auth_minbits;
		ad[i][0].maxbits = combs[i].auth_maxbits;
		ad[i][1].satype = a->satype;
		ad[i][1].algtype = 2;
		ad[i][1].alg = combs[i].encrypt;
		ad[i][1].minbits = combs[i].encrypt_minbits;
		ad[i][1].maxbits = combs[i].encrypt_maxbits;
		ec[i].numalgs = a->satype == PFKV2_SATYPE_ESP ? 2 : 1;
		ec[i].algs = ad[i];
	}
	return pfkv2_put_eprop(b, 32, ec, n);
}

static void
acq_send(struct pfkv2_sadb *db, const struct pol *p, const struct acq *a)
{
	struct acqmsg m = { p, a, false };
	struct pfkv2_sadb_ep *ep;
	long n;

	db->acquires++;
	if ((n = out_build(db, emit_acquire, &m)) >= 0)
		deliver(db, NULL, TO_REG, a->satype, db->obuf, (size_t)n);
	if (db->d != PFKV2_DIALECT_ILLUMOS)
		return;
	/* illumos extended registrants get the X_EPROP form. */
	for (ep = db->eps; ep != NULL; ep = ep->next)
		if (ep->ereg && (ep->reg & (1u << a->satype)))
			break;
	if (ep == NULL)
		return;
	m.ext = true;
	if ((n = out_build(db, emit_acquire, &m)) < 0)
		return;
	for (ep = db->eps; ep != NULL; ep = ep->next)
		if (ep->ereg && (ep->reg & (1u << a->satype)))
			ep_enqueue(ep, db->obuf, (size_t)n, false);
}

int
acq_raise(struct pfkv2_sadb *db, const struct pol *p,
    const struct pfkv2_ipsecrequest *rq, unsigned satype, uint8_t family,
    const uint8_t *src, const uint8_t *dst, bool *discard)
{
	uint32_t i;
	struct acq *a;
	size_t n = alen(family);

	for (i = 0; i < db->acqs.hi; i++) {
		a = acq_at(db, i);
		if (a->live && a->policy == p->id && a->satype == satype &&
		    a->family == family && memcmp(a->src, src, n) == 0 &&
		    memcmp(a->dst, dst, n) == 0) {
			if (a->failed)
				*discard = true;
			return 0;
		}
	}
	if ((i = acq_new(db, p->id, satype, family, src, dst)) == NIL)
		return -1;
	a = acq_at(db, i);
	a->reqid = rq->reqid;
	a->mode = (uint8_t)rq->mode;
	acq_send(db, p, a);
	return 0;
}

/* ---- ACQUIRE from the key manager ------------------------------------- */

/* FreeBSD user-level ACQUIRE: ask the kernel to send one (key_acquire2). */
static int
acquire_user_freebsd(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	uint8_t fs, fd, src[16], dst[16];
	uint32_t i;

	if (req_addr(r, PFKV2_EXT_ADDRESS_SRC, &fs, src, NULL) != 0 ||
	    req_addr(r, PFKV2_EXT_ADDRESS_DST, &fd, dst, NULL) != 0 ||
	    !pfkv2_view_has(&r->v, PFKV2_EXT_PROPOSAL))
		return EINVAL;
	if (sa_find_pair(db, r->satype, fs, src, dst, NIL) != NIL)
		return EEXIST;
	if ((i = acq_new(db, 0, r->satype, fs, src, dst)) == NIL)
		return ENOMEM;
	acq_send(db, NULL, acq_at(db, i));
	return 0;
}

int
h_acquire(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	uint8_t err = r->msg[OFF(msg, sadb_msg_errno)];
	uint32_t i;

	switch (db->d) {
	case PFKV2_DIALECT_LINUX:
		/* seq 0 or errno 0: nothing to do; no reply either way. */
		if (r->seq != 0 && err != 0 &&
		    (i = acq_by_seq(db, r->seq)) != NIL)
			acq_at(db, i)->failed = 1;
		return 0;
	case PFKV2_DIALECT_FREEBSD:
		if (r->len == 16 && r->seq != 0 && err != 0) {
			if ((i = acq_by_seq(db, r->seq)) != NIL)
				acq_free(db, i);
			return 0;
		}
		return acquire_user_freebsd(r);
	default:
		if (err != 0) {
			if (r->satype == PFKV2_SATYPE_UNSPEC && !r->ep->ereg)
				return EBUSY;
			if ((i = acq_by_seq(db, r->seq)) != NIL)
				acq_free(db, i);
			return 0;
		}
		if (r->satype == PFKV2_SATYPE_UNSPEC)
			return EINVAL;
		/* Passed up to the registered sockets as it came. */
		deliver(db, r->ep, TO_REG, r->satype, r->msg, r->len);
		return 0;
	}
}
