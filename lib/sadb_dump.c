/*
 * DUMP and X_SPDDUMP, streamed.
 *
 * A dump never exists in memory as a whole.  The endpoint keeps a cursor
 * into the SA (or policy) pool and one built message held back; messages
 * are queued while the endpoint's queue has room, and the rest follows as
 * the reader drains it (pfkv2_sadb_recv, or the fake kernel's pump).  The
 * held message is what lets the last one carry the end marker: it is sent
 * only once the next match is known (or known not to exist), as Linux's
 * pfkey_dump holds one skb back.
 *
 * This is Linux's resumable dump.  FreeBSD and illumos build their dumps
 * in one go and drop what does not fit the socket; the engine streams on
 * every dialect instead, so that dumps of a million SAs complete, and a
 * DUMP while the endpoint's previous dump is still streaming is EBUSY on
 * every dialect (Linux's answer).
 *
 * End markers (D22) and sequence numbers:
 *	Linux	seq 1, 2, ... and 0 on the last; empty: ENOENT;
 *	FreeBSD	seq counts down to 0 on the last; empty: ENOENT;
 *	illumos	every message carries the request's seq, then a base-only
 *		echo of the request ends the dump (errno 0).
 * Records are visited from the highest pool index down, which is newest
 * first while nothing was deleted (the order of the Linux vectors).
 */
#include "sadb_int.h"

static bool
in_prefix(uint8_t family, const uint8_t *a, const struct pfkv2_addr *p,
    unsigned plen)
{
	unsigned n, rem;

	if (plen > (unsigned)(alen(family) * 8))
		plen = (unsigned)alen(family) * 8;
	n = plen / 8;
	rem = plen % 8;
	if (memcmp(a, p->addr, n) != 0)
		return false;
	if (rem == 0)
		return true;
	return ((a[n] ^ p->addr[n]) & (uint8_t)(0xff00u >> rem)) == 0;
}

static bool
sa_matches(const struct pfkv2_sadb_ep *ep, const struct sa *s)
{
	const struct dumpcur *c = &ep->dump;
	uint64_t last;

	if (!(s->fl & SAF_LIVE) || (c->satype != 0 && s->satype != c->satype))
		return false;
	if (c->has_filter && (s->family != c->filter.src.family ||
	    !in_prefix(s->family, s->src, &c->filter.src, c->filter.splen) ||
	    !in_prefix(s->family, s->dst, &c->filter.dst, c->filter.dplen)))
		return false;
	if (c->edump != 0) {
		/* illumos X_EDUMP: only SAs used within the timeout. */
		if (!(s->fl & SAF_USED))
			return false;
		last = s->addtime + s->lastuse;
		if (ep->db->now - last > c->edump)
			return false;
	}
	return true;
}

/* The highest matching index below dump.pos, NIL when none. */
static uint32_t
next_match(const struct pfkv2_sadb_ep *ep)
{
	const struct pfkv2_sadb *db = ep->db;
	uint32_t i = ep->dump.pos;

	while (i-- > 0) {
		if (ep->dump.kind == DUMP_SA) {
			if (i < db->sas.hi && sa_matches(ep, sa_at(db, i)))
				return i;
		} else if (i < db->pols.hi && pol_at(db, i)->live) {
			return i;
		}
	}
	return NIL;
}

/* Build record i as the held message (seq patched when it is sent). */
static int
hold(struct pfkv2_sadb_ep *ep, uint32_t i)
{
	struct pfkv2_sadb *db = ep->db;
	const uint8_t *h = ep->dump.hdr;
	struct sa_msg sm;
	struct pol_msg pm;
	struct built out;
	long n;

	if (ep->dump.kind == DUMP_SA) {
		sm.sa = sa_at(db, i);
		sm.type = PFKV2_MSG_DUMP;
		sm.seq = ld32(h + OFF(msg, sadb_msg_seq));
		sm.pid = ld32(h + OFF(msg, sadb_msg_pid));
		sm.what = OUT_KEYS | OUT_HARD | OUT_SOFT;
		sm.state = sm.sa->state;
		if (out_sa_msg(db, &sm, &out) != 0)
			return -1;
		/* Written in a node of its own: that node is the held one. */
		if (out.node != NULL) {
			ep->dump.held = out.node;
			ep->dump.pos = i;
			return 0;
		}
		n = (long)out.len;
	} else {
		pm.p = pol_at(db, i);
		pm.type = PFKV2_MSG_X_SPDDUMP;
		pm.seq = 0;
		pm.pid = ld32(h + OFF(msg, sadb_msg_pid));
		n = out_build(db, emit_pol, &pm);
	}
	if (n < 0)
		return -1;
	ep->dump.held = qmsg_new(db, db->obuf, (size_t)n, db->okeys);
	if (db->okeys)
		wipe(db->obuf, (size_t)n);
	db->okeys = 0;
	if (ep->dump.held == NULL)
		return -1;
	ep->dump.pos = i;
	return 0;
}

void
dump_cancel(struct pfkv2_sadb_ep *ep)
{
	qmsg_free(ep->db, ep->dump.held);
	ep->dump.held = NULL;
	ep->dump.kind = DUMP_NONE;
}

static uint32_t
seq_for(const struct pfkv2_sadb_ep *ep, bool last)
{
	const struct dumpcur *c = &ep->dump;

	switch (ep->db->d) {
	case PFKV2_DIALECT_LINUX:
		return last ? 0 : c->count + 1;
	case PFKV2_DIALECT_FREEBSD:
		if (last)
			return 0;
		return c->total > c->count + 1 ? c->total - c->count - 1 : 1;
	default:
		return ld32(c->hdr + OFF(msg, sadb_msg_seq));
	}
}

/* illumos: the dump ends with the request's header, errno 0. */
static void
trailer(struct pfkv2_sadb_ep *ep)
{
	struct pfkv2_sadb *db = ep->db;

	memcpy(db->obuf, ep->dump.hdr, 16);
	st16(db->obuf + OFF(msg, sadb_msg_len), 2);
	db->obuf[OFF(msg, sadb_msg_errno)] = 0;
	db->okeys = 0;
	deliver(db, ep, TO_ONE, ep->dump.satype, db->obuf, 16);
}

void
dump_fill(struct pfkv2_sadb_ep *ep)
{
	struct pfkv2_sadb *db = ep->db;
	struct qmsg *m;
	struct built b;
	uint32_t nxt;
	bool last;

	/* Only what fits whole: a dump message is never dropped. */
	while (ep->dump.kind != DUMP_NONE && ep->dump.held != NULL &&
	    (ep->qhead == NULL ||
	    ep->qbytes + ep->dump.held->len <= db->o.rcvbuf)) {
		m = ep->dump.held;
		ep->dump.held = NULL;
		nxt = next_match(ep);
		last = nxt == NIL;
		st32(m->data + OFF(msg, sadb_msg_seq), seq_for(ep, last));
		b.node = m;
		b.len = m->len;
		deliver_built(db, ep, TO_ONE, 0, &b);
		ep->dump.count++;
		if (last || hold(ep, nxt) != 0) {
			/* Out of memory ends the dump early, as ENOBUFS would. */
			if (!last)
				ep->dropped++, ep->overflow = 1;
			if (db->d == PFKV2_DIALECT_ILLUMOS)
				trailer(ep);
			dump_cancel(ep);
		}
	}
}

static int
dump_start(struct req *r, uint8_t kind, uint8_t satype, uint32_t total)
{
	struct pfkv2_sadb_ep *ep = r->ep;
	struct dumpcur *c = &ep->dump;
	uint32_t first;

	c->kind = kind;
	c->satype = satype;
	c->count = 0;
	c->total = total;
	c->pos = kind == DUMP_SA ? r->db->sas.hi : r->db->pols.hi;
	c->held = NULL;
	memcpy(c->hdr, r->msg, 16);
	if ((first = next_match(ep)) == NIL) {
		c->kind = DUMP_NONE;
		if (r->db->d != PFKV2_DIALECT_ILLUMOS)
			return ENOENT;
		trailer(ep);
		return 0;
	}
	if (hold(ep, first) != 0) {
		dump_cancel(ep);
		return ENOMEM;
	}
	dump_fill(ep);
	return 0;
}

int
h_dump(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	struct dumpcur *c = &r->ep->dump;
	uint64_t t;
	int err;

	if (c->kind != DUMP_NONE)
		return EBUSY;
	if (r->satype != PFKV2_SATYPE_UNSPEC && (err = satype_check(r)) != 0)
		return err;
	memset(&c->filter, 0, sizeof(c->filter));
	c->has_filter = pfkv2_get_filter(&r->v, &c->filter) == 0;
	c->edump = pfkv2_get_edump(&r->v, &t) == 0 ? t : 0;
	return dump_start(r, DUMP_SA, (uint8_t)r->satype,
	    r->satype != 0 ? db->per_satype[r->satype] : db->sas.count);
}

int
spd_dump(struct req *r)
{
	struct dumpcur *c = &r->ep->dump;

	if (c->kind != DUMP_NONE)
		return EBUSY;
	c->has_filter = 0;
	c->edump = 0;
	return dump_start(r, DUMP_SPD, 0, r->db->pols.count);
}
