/*
 * Moving SAs to new addresses (MOBIKE, RFC 4555), the two ways kernels
 * offer it (3.10):
 *
 *	FreeBSD	UPDATE of a MATURE or DYING SA with NEW_ADDRESS_SRC and/or
 *		NEW_ADDRESS_DST: the SA (same SPI, keys and counters) moves
 *		to the new pair, ports dropped, state MATURE.  The kernel
 *		clones it into another SAH and kills the old one; with one
 *		global SPI space the engine can simply re-index it.
 *	Linux	X_MIGRATE <SRC, DST, X_POLICY(dir, (old, new) request
 *		pairs), (KMADDRESS)>: the policy with that selector and
 *		direction has the templates matching each old request
 *		rewritten to the new endpoints, and the SAs of each old
 *		(proto, mode, reqid, endpoints) move to the new endpoints.
 *		The kernel then tells every socket (pfkey_send_migrate).
 *		No policy: ENOENT.  Where the kernel moves the first SA it
 *		finds for an entry, the engine moves every matching SA (the
 *		in and out SAs of a child SA differ in their endpoints, so
 *		each entry still names one SA in practice).
 * Checks come first, then the moves: a refused request changes nothing.
 */
#include <stdlib.h>

#include "sadb_int.h"

/* ---- FreeBSD NEW_ADDRESS ---------------------------------------------- */

int
newaddr_check(struct req *r, const struct sa *s)
{
	struct pfkv2_address a;
	uint8_t fs = s->family, fd = s->family;

	if (s->state != PFKV2_SASTATE_MATURE &&
	    s->state != PFKV2_SASTATE_DYING)
		return EINVAL;
	if (pfkv2_get_address(&r->v, PFKV2_EXT_NEW_ADDRESS_SRC, &a) == 0)
		fs = a.addr.family;
	if (pfkv2_get_address(&r->v, PFKV2_EXT_NEW_ADDRESS_DST, &a) == 0)
		fd = a.addr.family;
	/* key_checksockaddrs: one family for both ends. */
	return fs == fd ? 0 : EINVAL;
}

void
newaddr_apply(struct req *r, uint32_t i)
{
	struct pfkv2_sadb *db = r->db;
	struct sa *s = sa_at(db, i);
	struct pfkv2_address a;

	sa_unlink(db, i);
	if (pfkv2_get_address(&r->v, PFKV2_EXT_NEW_ADDRESS_SRC, &a) == 0) {
		s->family = a.addr.family;
		memcpy(s->src, a.addr.addr, 16);
	}
	if (pfkv2_get_address(&r->v, PFKV2_EXT_NEW_ADDRESS_DST, &a) == 0) {
		s->family = a.addr.family;
		memcpy(s->dst, a.addr.addr, 16);
	}
	s->sport = s->dport = 0;
	s->state = PFKV2_SASTATE_MATURE;
	sa_link(db, i);
	sa_rearm(db, i);
}

/* ---- Linux X_MIGRATE -------------------------------------------------- */

struct move {
	uint32_t sa;
	uint8_t family;
	const uint8_t *src, *dst;
};

static unsigned
satype_of_proto(unsigned p)
{
	return p == 50 ? PFKV2_SATYPE_ESP : p == 51 ? PFKV2_SATYPE_AH :
	    p == 108 ? PFKV2_SATYPE_IPCOMP : 0;
}

static bool
isr_same(const struct pfkv2_ipsecrequest *t,
    const struct pfkv2_ipsecrequest *old)
{
	return t->proto == old->proto && t->mode == old->mode &&
	    (old->reqid == 0 || t->reqid == old->reqid) &&
	    t->src.family == old->src.family &&
	    memcmp(t->src.addr, old->src.addr, alen(old->src.family)) == 0 &&
	    memcmp(t->dst.addr, old->dst.addr, alen(old->dst.family)) == 0;
}

static int
emit_migrate(struct pfkv2_sadb *db, struct pfkv2_builder *b, const void *ctx)
{
	const struct req *r = ctx;
	static const unsigned order[] = {
		PFKV2_EXT_KMADDRESS, PFKV2_EXT_ADDRESS_SRC,
		PFKV2_EXT_ADDRESS_DST, PFKV2_EXT_POLICY
	};
	const uint8_t *e;
	size_t len, i;

	(void)db;
	if (pfkv2_put_msg(b, PFKV2_MSG_X_MIGRATE, PFKV2_SATYPE_UNSPEC, 0, 0) !=
	    0)
		return -1;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if ((e = pfkv2_view_ext(&r->v, order[i], &len)) == NULL)
			continue;
		if (pfkv2_put_ext_raw(b, ld16(e + 2), e + 4, len - 4) != 0)
			return -1;
	}
	return 0;
}

#define MAXPAIRS	16

int
h_migrate(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	struct pfkv2_ipsecrequest rq[2 * MAXPAIRS], *tmpl = NULL;
	struct pfkv2_iter it;
	struct pol sel;
	struct pol *p;
	struct move *mv = NULL;
	size_t nrq = 0, nmv = 0, cap = 0, k, j;
	uint32_t pi, i;
	unsigned satype;
	const struct sa *s;
	long n;
	int rc, err = 0;

	memset(&sel, 0, sizeof(sel));
	if (pol_sel_from(r, &sel) != 0)
		return EINVAL;
	if (sel.dir == PFKV2_DIR_ANY || sel.dir >= PFKV2_DIR_INVALID)
		return EINVAL;
	for (rc = pfkv2_ipsecrequest_first(&r->v, &it, &rq[0]);
	    rc == 1 && nrq < 2 * MAXPAIRS;
	    rc = pfkv2_ipsecrequest_next(&it, &rq[nrq]))
		nrq++;
	if (rc == 1 || nrq == 0 || nrq % 2 != 0)
		return EINVAL;
	for (k = 0; k < nrq; k++)
		if (rq[k].src.family == 0 || rq[k].dst.family == 0 ||
		    rq[k].src.family != rq[k].dst.family ||
		    satype_of_proto(rq[k].proto) == 0)
			return EINVAL;
	if ((pi = pol_find_sel(db, &sel)) == NIL)
		return ENOENT;
	p = pol_at(db, pi);
	/* The SAs to move, each checked against its new SPI key. */
	for (k = 0; k < nrq; k += 2) {
		satype = satype_of_proto(rq[k].proto);
		for (i = sa_find_pair(db, satype, rq[k].src.family,
		    rq[k].src.addr, rq[k].dst.addr, NIL); i != NIL;
		    i = sa_find_pair(db, satype, rq[k].src.family,
		    rq[k].src.addr, rq[k].dst.addr, i)) {
			s = sa_at(db, i);
			if ((rq[k].reqid != 0 && s->reqid != rq[k].reqid) ||
			    (s->mode != PFKV2_MODE_ANY &&
			    s->mode != rq[k].mode))
				continue;
			j = sa_find(db, satype, s->spi, rq[k + 1].dst.family,
			    rq[k + 1].dst.addr);
			if (j != NIL && j != i) {
				err = EEXIST;
				goto out;
			}
			if (nmv == cap) {
				struct move *nm;

				cap = cap ? cap * 2 : 8;
				if ((nm = realloc(mv, cap * sizeof(*nm))) ==
				    NULL) {
					err = ENOMEM;
					goto out;
				}
				mv = nm;
			}
			mv[nmv].sa = i;
			mv[nmv].family = rq[k + 1].src.family;
			mv[nmv].src = rq[k + 1].src.addr;
			mv[nmv].dst = rq[k + 1].dst.addr;
			nmv++;
		}
	}
	/* The policy's new templates. */
	if (p->nreq != 0) {
		if ((tmpl = malloc(p->nreq * sizeof(*tmpl))) == NULL) {
			err = ENOMEM;
			goto out;
		}
		memcpy(tmpl, p->reqs, p->nreq * sizeof(*tmpl));
		for (j = 0; j < p->nreq; j++)
			for (k = 0; k < nrq; k += 2)
				if (isr_same(&tmpl[j], &rq[k])) {
					tmpl[j].src = rq[k + 1].src;
					tmpl[j].dst = rq[k + 1].dst;
					break;
				}
	}
	if ((n = out_build(db, emit_migrate, r)) < 0) {
		err = ENOBUFS;
		goto out;
	}
	if (tmpl != NULL && pol_set_reqs(db, p, tmpl, p->nreq) != 0) {
		err = ENOMEM;
		goto out;
	}
	for (k = 0; k < nmv; k++) {
		struct sa *t = sa_at(db, mv[k].sa);

		sa_unlink(db, mv[k].sa);
		t->family = mv[k].family;
		memcpy(t->src, mv[k].src, 16);
		memcpy(t->dst, mv[k].dst, 16);
		sa_link(db, mv[k].sa);
		sa_rearm(db, mv[k].sa);
	}
	deliver(db, r->ep, TO_ALL, 0, db->obuf, (size_t)n);
out:
	free(tmpl);
	free(mv);
	return err;
}
