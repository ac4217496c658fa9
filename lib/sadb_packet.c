/*
 * Packets presented to the SPD (pfkv2_sadb_packet): the first policy in
 * priority order whose selector and direction match decides.  DISCARD
 * drops, NONE/BYPASS/ENTRUST pass; IPSEC needs an SA for every template
 * (a "use" level template goes without): the SA between the template's
 * tunnel endpoints, or the packet's addresses in transport mode, of the
 * template's protocol, reqid (when set) and mode, MATURE preferred to
 * DYING.  All found: the packet is charged to them (bytes and one packet
 * each, which may fire their limits).  One missing: an outbound packet
 * raises ACQUIRE for it (sadb_reg.c), an inbound one is dropped.
 */
#include "sadb_int.h"

static bool
prefix_has(uint8_t family, const uint8_t *net, unsigned plen,
    const uint8_t *a)
{
	unsigned n, rem;

	if (plen > (unsigned)alen(family) * 8)
		plen = (unsigned)alen(family) * 8;
	n = plen / 8;
	rem = plen % 8;
	if (memcmp(net, a, n) != 0)
		return false;
	return rem == 0 || ((net[n] ^ a[n]) & (uint8_t)(0xff00u >> rem)) == 0;
}

static bool
sel_match(const struct pol *p, const struct pfkv2_packet *k)
{
	return p->dir == k->dir && p->family == k->src.family &&
	    prefix_has(p->family, p->src, p->splen, k->src.addr) &&
	    prefix_has(p->family, p->dst, p->dplen, k->dst.addr) &&
	    (p->proto == 255 || p->proto == k->proto) &&
	    (p->sport == 0 || p->sport == k->src.port) &&
	    (p->dport == 0 || p->dport == k->dst.port);
}

static unsigned
satype_of(unsigned ipproto)
{
	switch (ipproto) {
	case 50:
		return PFKV2_SATYPE_ESP;
	case 51:
		return PFKV2_SATYPE_AH;
	case 108:
		return PFKV2_SATYPE_IPCOMP;
	default:
		return PFKV2_SATYPE_UNSPEC;
	}
}

/* A usable SA for one template: MATURE preferred to DYING. */
static uint32_t
find_usable(const struct pfkv2_sadb *db, const struct pfkv2_ipsecrequest *rq,
    unsigned satype, uint8_t family, const uint8_t *src, const uint8_t *dst)
{
	uint32_t i, dying = NIL;
	const struct sa *s;

	for (i = sa_find_pair(db, satype, family, src, dst, NIL); i != NIL;
	    i = sa_find_pair(db, satype, family, src, dst, i)) {
		s = sa_at(db, i);
		if (rq->reqid != 0 && s->reqid != rq->reqid)
			continue;
		if (s->mode != PFKV2_MODE_ANY && rq->mode != PFKV2_MODE_ANY &&
		    s->mode != rq->mode)
			continue;
		if (s->state == PFKV2_SASTATE_MATURE)
			return i;
		if (s->state == PFKV2_SASTATE_DYING && dying == NIL)
			dying = i;
	}
	return dying;
}

static int
ipsec_verdict(struct pfkv2_sadb *db, struct pol *p,
    const struct pfkv2_packet *k)
{
	uint32_t found[256], nf = 0, j, i;
	const struct pfkv2_ipsecrequest *rq;
	const uint8_t *src, *dst;
	uint8_t family;
	unsigned satype;
	bool missing = false, discard = false;

	for (j = 0; j < p->nreq; j++) {
		rq = &p->reqs[j];
		satype = satype_of(rq->proto);
		if (rq->mode == PFKV2_MODE_TUNNEL && rq->src.family != 0) {
			family = rq->src.family;
			src = rq->src.addr;
			dst = rq->dst.addr;
		} else {
			family = k->src.family;
			src = k->src.addr;
			dst = k->dst.addr;
		}
		i = satype == 0 ? NIL :
		    find_usable(db, rq, satype, family, src, dst);
		if (i != NIL) {
			found[nf++] = i;
			continue;
		}
		if (rq->level == PFKV2_LEVEL_USE)
			continue;
		missing = true;
		/* Only what leaves the host asks for keys. */
		if (k->dir == PFKV2_DIR_INBOUND || satype == 0)
			discard = true;
		else if (acq_raise(db, p, rq, satype, family, src, dst,
		    &discard) != 0)
			discard = true;
	}
	if (missing)
		return discard ? PFKV2_DISCARD : PFKV2_ACQUIRE;
	for (j = 0; j < nf; j++)
		if (sa_at(db, found[j])->fl & SAF_LIVE)
			sa_charge(db, found[j], k->bytes, 1);
	return PFKV2_PROTECTED;
}

PFKV2_API int
pfkv2_sadb_packet(struct pfkv2_sadb *db, const struct pfkv2_packet *pkt,
    uint32_t *policy_id)
{
	struct pol *p = NULL;
	uint32_t k, i = NIL;

	if (db == NULL || pkt == NULL ||
	    (pkt->src.family != PFKV2_AF_INET &&
	    pkt->src.family != PFKV2_AF_INET6) ||
	    pkt->src.family != pkt->dst.family) {
		errno = EINVAL;
		return -1;
	}
	if (policy_id != NULL)
		*policy_id = 0;
	for (k = 0; k < db->nporder; k++) {
		p = pol_at(db, db->porder[k]);
		if (sel_match(p, pkt)) {
			i = db->porder[k];
			break;
		}
	}
	if (i == NIL)
		return PFKV2_PASS;
	if (policy_id != NULL)
		*policy_id = p->id;
	p->cur_bytes += pkt->bytes;
	p->cur_packets++;
	p->lastuse = db->now;
	if (p->hard.usetime != 0)
		pol_rearm(db, i);
	switch (p->type) {
	case PFKV2_POLICY_DISCARD:
		return PFKV2_DISCARD;
	case PFKV2_POLICY_IPSEC:
		return ipsec_verdict(db, p, pkt);
	default:
		return PFKV2_PASS;
	}
}
