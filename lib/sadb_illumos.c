/*
 * illumos: key-management cookies and SA pairs (3.11).
 *
 * KM cookie (SADB_X_EXT_KM_COOKIE) rules, as the 2018 tests (bug 8989)
 * show them:
 *	- an SA without a cookie (kmp 0, cookie 0) may be given one;
 *	- after that the KM protocol may not change (DUPLICATE_KMP), even
 *	  with the same cookie;
 *	- the cookie may not change (DUPLICATE_KMC) unless the protocol is
 *	  IKEv2, whose cookie (the local IKE SPI) changes on every IKE SA
 *	  rekey and may be replaced any number of times;
 *	- the SA's pair is held to the same rules;
 *	- IKEv1 and KINK cookies are 32 bits: the upper half is dropped.
 *
 * Pairs (X_PAIR): the partner is the SA with the pair SPI going the other
 * way (its destination is this SA's source).  SPI 0 or the SA's own SPI,
 * a missing, DYING or DEAD partner give PAIR_INAPPROPRIATE; an SA already
 * paired gives PAIR_ALREADY.  Deleting one half unpairs the other;
 * X_DELPAIR deletes both, X_UPDATEPAIR updates both (sadb_update.c), and
 * paired SAs hard-expire together (sadb_expire.c).  The engine does not
 * model illumos's separate inbound and outbound tables (an SA whose
 * direction is unknown is one SA here, not two twins).
 */
#include "sadb_int.h"

#define DIAG_PAIR_INAPPROPRIATE	73
#define DIAG_PAIR_ALREADY	75
#define DIAG_PAIR_SA_NOTFOUND	76
#define DIAG_DUPLICATE_KMP	49
#define DIAG_DUPLICATE_KMC	50
#define DIAG_SA_NOTFOUND	78

uint32_t
sa_pair_of(const struct pfkv2_sadb *db, uint32_t i)
{
	const struct sa *s = sa_at(db, i);
	uint32_t j;

	if (s->side == NULL || s->side->pair_spi == 0)
		return NIL;
	j = sa_find(db, s->satype, s->side->pair_spi, s->family, s->src);
	if (j == NIL || j == i)
		return NIL;
	return j;
}

/* One SA's cookie against the requested one. */
static int
kmc_one(const struct sa *s, const struct pfkv2_kmc *k, uint16_t *kdiag)
{
	uint32_t proto = s->side != NULL ? s->side->kmc_proto : 0;
	uint64_t cookie = s->side != NULL ? s->side->kmc_cookie : 0;
	uint64_t want = k->proto == PFKV2_KMP_IKEV2 ? k->cookie :
	    (uint32_t)k->cookie;

	if (proto == 0 && cookie == 0)
		return 0;
	if (k->proto != proto) {
		*kdiag = DIAG_DUPLICATE_KMP;
		return EINVAL;
	}
	if (want != cookie && proto != PFKV2_KMP_IKEV2) {
		*kdiag = DIAG_DUPLICATE_KMC;
		return EINVAL;
	}
	return 0;
}

int
kmc_check(const struct pfkv2_sadb *db, const struct sa *s,
    const struct pfkv2_kmc *k, uint16_t *kdiag)
{
	uint32_t i, p;
	int err;

	if ((err = kmc_one(s, k, kdiag)) != 0)
		return err;
	/* s is a record of the pool: find its index to reach the pair. */
	if (s->side == NULL || s->side->pair_spi == 0)
		return 0;
	i = sa_find(db, s->satype, s->spi, s->family, s->dst);
	if (i == NIL || (p = sa_pair_of(db, i)) == NIL)
		return 0;
	return kmc_one(sa_at(db, p), k, kdiag);
}

int
pair_check(const struct pfkv2_sadb *db, const struct sa *s,
    uint32_t pair_spi, uint32_t self, uint32_t *partner, uint16_t *kdiag)
{
	const struct sa *t;
	uint32_t j;

	if (pair_spi == 0 || pair_spi == s->spi) {
		*kdiag = DIAG_PAIR_INAPPROPRIATE;
		return EINVAL;
	}
	if (self != NIL && s->side != NULL && s->side->pair_spi != 0) {
		*kdiag = DIAG_PAIR_ALREADY;
		return EINVAL;
	}
	j = sa_find(db, s->satype, pair_spi, s->family, s->src);
	if (j == NIL || j == self) {
		*kdiag = DIAG_PAIR_INAPPROPRIATE;
		return EINVAL;
	}
	t = sa_at(db, j);
	if (t->state == PFKV2_SASTATE_DYING || t->state == PFKV2_SASTATE_DEAD) {
		*kdiag = DIAG_PAIR_INAPPROPRIATE;
		return EINVAL;
	}
	if (t->side != NULL && t->side->pair_spi != 0) {
		*kdiag = DIAG_PAIR_ALREADY;
		return EINVAL;
	}
	*partner = j;
	return 0;
}

void
pair_unlink(struct pfkv2_sadb *db, uint32_t i)
{
	uint32_t p = sa_pair_of(db, i);

	if (p != NIL && sa_at(db, p)->side != NULL)
		sa_at(db, p)->side->pair_spi = 0;
}

/* X_DELPAIR: delete an SA and its pair. */
int
h_delpair(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	const struct pfkv2_sa *sa = req_sa(r);
	struct echo x = { .v = &r->v };
	uint8_t family = 0, sf = 0, src[16], dst[16];
	uint32_t i, p;
	const struct sa *s;
	long n;
	int err;

	if ((err = satype_check(r)) != 0)
		return err;
	req_addr(r, PFKV2_EXT_ADDRESS_DST, &family, dst, NULL);
	i = sa_find(db, r->satype, sa->spi, family, dst);
	if (i == NIL)
		return r->kdiag = DIAG_SA_NOTFOUND, ESRCH;
	s = sa_at(db, i);
	if (req_addr(r, PFKV2_EXT_ADDRESS_SRC, &sf, src, NULL) == 0 &&
	    (sf != s->family || memcmp(src, s->src, alen(sf)) != 0))
		return r->kdiag = DIAG_SA_NOTFOUND, ESRCH;
	if ((p = sa_pair_of(db, i)) == NIL)
		return r->kdiag = DIAG_PAIR_SA_NOTFOUND, ESRCH;
	if ((n = out_build(db, emit_echo, &x)) < 0)
		return ENOBUFS;
	sa_destroy(db, p);
	sa_destroy(db, i);
	deliver(db, r->ep, TO_ALL, r->satype, db->obuf, (size_t)n);
	return 0;
}
