/*
 * The SPD: policies, the KAME SPD messages (Linux and FreeBSD), policy
 * lifetimes, and packets presented to the SPD (3.9).
 *
 *	X_SPDADD / X_SPDSETIDX	exclusive: the same selector and direction
 *				give EEXIST;
 *	X_SPDUPDATE		replaces the policy with that selector, or
 *				adds one.  The new policy is built in full
 *				before the old one goes, so a packet always
 *				finds one or the other and a failed update
 *				keeps the old policy (Linux is atomic; the
 *				FreeBSD kernel's window without a policy,
 *				D26/B-FB5, is deliberately not copied);
 *	X_SPDDELETE		by selector and direction (missing: Linux
 *				ENOENT, FreeBSD EINVAL);
 *	X_SPDDELETE2, X_SPDGET	by id (missing: ENOENT; FreeBSD DELETE2
 *				EINVAL);
 *	X_SPDFLUSH, X_SPDDUMP	as for SAs (sadb_dump.c streams the dump).
 *
 * Ids: Linux xfrm_gen_index, a generator stepping by 8 with the xfrm
 * direction (in 0, out 1, fwd 2) in the low bits (the first outbound
 * policy gets 1, as in the vectors); FreeBSD counts from 1.  Linux keeps
 * the id across X_SPDUPDATE, FreeBSD gives a new one.  Lookup order:
 * lower priority value first, then the older policy.
 *
 * Lifetimes: Linux deletes a policy whose hard limit passed and tells
 * nobody (its pfkey notifier sends nothing); FreeBSD reads HARD addtime as
 * the lifetime and usetime as the valid time (strictly greater, like its
 * SA sweep) and sends X_SPDEXPIRE to registered sockets.
 *
 * illumos has no PF_KEY SPD (policy is PF_POLICY's); pfkv2_sadb_policy_add()
 * installs policies directly on every dialect, as the system's policy tool
 * would, without any PF_KEY message.
 */
#include <stdlib.h>

#include "sadb_int.h"

int
spd_init(struct pfkv2_sadb *db)
{
	pool_init(&db->pols, sizeof(struct pol), offsetof(struct pol, id_next));
	return htab_init(db, &db->by_pid, 16);
}

static void
pol_free_parts(struct pfkv2_sadb *db, struct pol *p)
{
	db_free(db, p->reqs, (size_t)p->nreq * sizeof(*p->reqs));
	db_free(db, p->ctx, p->ctx_len);
	p->reqs = NULL;
	p->ctx = NULL;
}

void
spd_destroy(struct pfkv2_sadb *db)
{
	uint32_t i;

	for (i = 0; i < db->pols.hi; i++)
		if (pol_at(db, i)->live)
			pol_free_parts(db, pol_at(db, i));
	pool_destroy(db, &db->pols);
	htab_destroy(db, &db->by_pid);
	db_free(db, db->porder, (size_t)db->cap_porder * sizeof(uint32_t));
	db->porder = NULL;
}

uint32_t
pol_find_id(const struct pfkv2_sadb *db, uint32_t id)
{
	uint32_t i;

	for (i = db->by_pid.b[mix32(id) & db->by_pid.mask]; i != NIL;
	    i = pol_at(db, i)->id_next)
		if (pol_at(db, i)->id == id)
			return i;
	return NIL;
}

static bool
sel_equal(const struct pol *a, const struct pol *b)
{
	return a->family == b->family && a->dir == b->dir &&
	    a->splen == b->splen && a->dplen == b->dplen &&
	    a->proto == b->proto && a->sport == b->sport &&
	    a->dport == b->dport &&
	    memcmp(a->src, b->src, alen(a->family)) == 0 &&
	    memcmp(a->dst, b->dst, alen(a->family)) == 0;
}

uint32_t
pol_find_sel(const struct pfkv2_sadb *db, const struct pol *sel)
{
	uint32_t k;

	for (k = 0; k < db->nporder; k++)
		if (sel_equal(pol_at(db, db->porder[k]), sel))
			return db->porder[k];
	return NIL;
}

/* ---- linking ---------------------------------------------------------- */

/* Room for one more policy everywhere: nothing can fail after this. */
static int
pol_reserve(struct pfkv2_sadb *db)
{
	uint32_t *b, i, m, h, nc;
	struct pol *p;

	if (htab_grow_needed(&db->by_pid)) {
		if ((b = htab_realloc(db, &db->by_pid)) == NULL)
			return -1;
		m = db->by_pid.mask * 2 + 1;
		for (i = 0; i < db->pols.hi; i++) {
			p = pol_at(db, i);
			if (!p->live)
				continue;
			h = mix32(p->id) & m;
			p->id_next = b[h];
			b[h] = i;
		}
		htab_destroy(db, &db->by_pid);
		db->by_pid.b = b;
		db->by_pid.mask = m;
	}
	if (db->nporder == db->cap_porder) {
		nc = db->cap_porder ? db->cap_porder * 2 : 16;
		b = db_realloc(db, db->porder, db->cap_porder * sizeof(*b),
		    nc * sizeof(*b));
		if (b == NULL)
			return -1;
		db->porder = b;
		db->cap_porder = nc;
	}
	return heap_reserve(db, 1);
}

static uint32_t
new_id(struct pfkv2_sadb *db, uint8_t dir)
{
	uint32_t id;

	for (;;) {
		if (db->d == PFKV2_DIALECT_LINUX) {
			id = db->pol_gen | (uint32_t)(dir > 0 ? dir - 1 : 0);
			db->pol_gen += 8;
		} else {
			id = ++db->pol_gen;
		}
		if (id != 0 && pol_find_id(db, id) == NIL)
			return id;
	}
}

static uint64_t
pdue(uint64_t base, uint64_t limit, uint64_t extra)
{
	if (limit == 0 || base + limit < base)
		return T_NEVER;
	return base + limit + extra;
}

void
pol_rearm(struct pfkv2_sadb *db, uint32_t i)
{
	struct pol *p = pol_at(db, i);
	uint64_t x = db->d == PFKV2_DIALECT_FREEBSD, a, u;

	a = pdue(p->created, p->hard.addtime, x);
	u = pdue(p->lastuse, p->hard.usetime, x);
	p->deadline = a < u ? a : u;
	heap_set(db, TM_POL | i, p->deadline);
}

static void
pol_link(struct pfkv2_sadb *db, uint32_t i)
{
	struct pol *p = pol_at(db, i);
	uint32_t h = mix32(p->id) & db->by_pid.mask, k;
	const struct pol *q;

	p->id_next = db->by_pid.b[h];
	db->by_pid.b[h] = i;
	db->by_pid.n++;
	p->live = 1;
	/* After every policy of the same or a better priority. */
	for (k = db->nporder; k > 0; k--) {
		q = pol_at(db, db->porder[k - 1]);
		if (q->priority < p->priority || (q->priority == p->priority &&
		    q->order < p->order))
			break;
		db->porder[k] = db->porder[k - 1];
	}
	db->porder[k] = i;
	db->nporder++;
	pol_rearm(db, i);
}

static void
pol_unlink_free(struct pfkv2_sadb *db, uint32_t i)
{
	struct pol *p = pol_at(db, i);
	uint32_t *pp, k;

	for (pp = &db->by_pid.b[mix32(p->id) & db->by_pid.mask]; *pp != i;
	    pp = &pol_at(db, *pp)->id_next)
		;
	*pp = p->id_next;
	db->by_pid.n--;
	for (k = 0; k < db->nporder && db->porder[k] != i; k++)
		;
	memmove(db->porder + k, db->porder + k + 1,
	    (db->nporder - k - 1) * sizeof(uint32_t));
	db->nporder--;
	heap_remove(db, &p->heap_pos);
	pol_free_parts(db, p);
	pool_put(db, &db->pols, i);
}

int
pol_set_reqs(struct pfkv2_sadb *db, struct pol *p,
    const struct pfkv2_ipsecrequest *reqs, size_t n)
{
	struct pfkv2_ipsecrequest *r = NULL;

	if (n > 255) {
		errno = EINVAL;
		return -1;
	}
	if (n != 0) {
		if ((r = db_alloc(db, n * sizeof(*r))) == NULL)
			return -1;
		memcpy(r, reqs, n * sizeof(*r));
	}
	db_free(db, p->reqs, (size_t)p->nreq * sizeof(*p->reqs));
	p->reqs = r;
	p->nreq = (uint8_t)n;
	return 0;
}

/* ---- from messages ---------------------------------------------------- */

int
pol_sel_from(const struct req *r, struct pol *p)
{
	struct pfkv2_address s, d;
	struct pfkv2_policy pol;

	if (pfkv2_get_address(&r->v, PFKV2_EXT_ADDRESS_SRC, &s) != 0 ||
	    pfkv2_get_address(&r->v, PFKV2_EXT_ADDRESS_DST, &d) != 0 ||
	    pfkv2_get_policy(&r->v, &pol) != 0)
		return EINVAL;
	p->family = s.addr.family;
	memcpy(p->src, s.addr.addr, 16);
	memcpy(p->dst, d.addr.addr, 16);
	p->splen = s.prefixlen;
	p->dplen = d.prefixlen;
	/* 0 and 255 (IPSEC_ULPROTO_ANY) both mean any protocol. */
	p->proto = s.proto == 0 ? 255 : s.proto;
	p->sport = s.addr.port;
	p->dport = d.addr.port;
	p->dir = (uint8_t)pol.dir;
	p->type = (uint8_t)pol.type;
	p->priority = pol.priority;
	p->scope = pol.scope;
	return 0;
}

/* A complete policy from an X_SPDADD/UPDATE/SETIDX request, unlinked. */
static int
pol_build(struct req *r, uint32_t *out)
{
	struct pfkv2_sadb *db = r->db;
	struct pfkv2_ipsecrequest rq[256];
	struct pfkv2_lifetime lt;
	struct pfkv2_iter it;
	const uint8_t *ctx;
	size_t n = 0, clen;
	uint32_t i;
	struct pol *p;
	int rc;

	for (rc = pfkv2_ipsecrequest_first(&r->v, &it, &rq[0]);
	    rc == 1 && n < 255; rc = pfkv2_ipsecrequest_next(&it, &rq[n]))
		n++;
	if (rc == 1)
		return EINVAL;
	if (pol_reserve(db) != 0 || (i = pool_get(db, &db->pols)) == NIL)
		return ENOMEM;
	p = pol_at(db, i);
	p->heap_pos = NIL;
	pol_sel_from(r, p);
	if (pol_set_reqs(db, p, rq, n) != 0)
		goto nomem;
	if (pfkv2_get_lifetime(&r->v, PFKV2_EXT_LIFETIME_HARD, &lt) == 0) {
		p->hard.bytes = lt.bytes;
		p->hard.addtime = lt.addtime;
		p->hard.usetime = lt.usetime;
		p->hard_alloc = lt.allocations;
	}
	if (pfkv2_get_lifetime(&r->v, PFKV2_EXT_LIFETIME_SOFT, &lt) == 0) {
		p->soft.bytes = lt.bytes;
		p->soft.addtime = lt.addtime;
		p->soft.usetime = lt.usetime;
		p->soft_alloc = lt.allocations;
	}
	if ((ctx = pfkv2_view_ext(&r->v, PFKV2_EXT_SEC_CTX, &clen)) != NULL) {
		if ((p->ctx = db_alloc(db, clen)) == NULL)
			goto nomem;
		memcpy(p->ctx, ctx, clen);
		p->ctx_len = (uint16_t)clen;
	}
	p->created = p->lastuse = db->now;
	p->order = ++db->pol_order;
	*out = i;
	return 0;
nomem:
	pol_free_parts(db, p);
	pool_put(db, &db->pols, i);
	return ENOMEM;
}

/* ---- policy messages -------------------------------------------------- */

static int
put_pol_addrs(struct pfkv2_builder *b, const struct pol *p)
{
	struct pfkv2_address a;

	addr_of(&a, p->family, p->src, p->sport, p->splen, p->proto);
	if (pfkv2_put_address(b, PFKV2_EXT_ADDRESS_SRC, &a) != 0)
		return -1;
	addr_of(&a, p->family, p->dst, p->dport, p->dplen, p->proto);
	return pfkv2_put_address(b, PFKV2_EXT_ADDRESS_DST, &a);
}

static int
put_pol_ext(struct pfkv2_builder *b, const struct pol *p)
{
	struct pfkv2_policy pol = {
		.type = p->type, .dir = p->dir, .scope = p->scope,
		.id = p->id, .priority = p->priority
	};

	return pfkv2_put_policy(b, &pol, p->reqs,
	    p->type == PFKV2_POLICY_IPSEC ? p->nreq : 0);
}

static int
put_pcur(struct pfkv2_builder *b, const struct pol *p)
{
	struct pfkv2_lifetime lt = {
		.allocations = (uint32_t)p->cur_packets,
		.bytes = p->cur_bytes, .addtime = p->created,
		.usetime = p->cur_packets != 0 ? p->lastuse : 0
	};

	return pfkv2_put_lifetime(b, PFKV2_EXT_LIFETIME_CURRENT, &lt);
}

int
emit_pol(struct pfkv2_sadb *db, struct pfkv2_builder *b, const void *ctx)
{
	const struct pol_msg *m = ctx;
	const struct pol *p = m->p;
	bool reply = m->type == PFKV2_MSG_X_SPDADD ||
	    m->type == PFKV2_MSG_X_SPDUPDATE ||
	    m->type == PFKV2_MSG_X_SPDSETIDX ||
	    m->type == PFKV2_MSG_X_SPDDELETE;

	if (pfkv2_put_msg(b, m->type, PFKV2_SATYPE_UNSPEC, m->seq, m->pid) != 0)
		return -1;
	if (db->d == PFKV2_DIALECT_LINUX) {
		/* pfkey_xfrm_policy2msg; a reference count in reserved. */
		pfkv2_set_msg_errno(b, 0, m->type == PFKV2_MSG_X_SPDADD ||
		    m->type == PFKV2_MSG_X_SPDUPDATE ? 3 : 2);
		if (put_pol_addrs(b, p) != 0 ||
		    put_lft(b, PFKV2_EXT_LIFETIME_HARD, &p->hard,
		    p->hard_alloc) != 0 ||
		    put_lft(b, PFKV2_EXT_LIFETIME_SOFT, &p->soft,
		    p->soft_alloc) != 0 || put_pcur(b, p) != 0 ||
		    put_pol_ext(b, p) != 0)
			return -1;
		if (p->ctx != NULL && pfkv2_put_ext_raw(b, ld16(p->ctx + 2),
		    p->ctx + 4, p->ctx_len - 4U) != 0)
			return -1;
		return 0;
	}
	/* FreeBSD. */
	pfkv2_set_msg_errno(b, 0, 1);
	if (reply) {
		/* key_spdadd/key_spddelete: X_POLICY, (HARD), SRC, DST. */
		if (put_pol_ext(b, p) != 0 ||
		    (m->type != PFKV2_MSG_X_SPDDELETE &&
		    (p->hard.addtime != 0 || p->hard.usetime != 0) &&
		    put_lft(b, PFKV2_EXT_LIFETIME_HARD, &p->hard, 0) != 0))
			return -1;
		return put_pol_addrs(b, p);
	}
	/* key_setdumpsp: SRC, DST, CURRENT, HARD, X_POLICY. */
	if (put_pol_addrs(b, p) != 0 || put_pcur(b, p) != 0 ||
	    put_lft(b, PFKV2_EXT_LIFETIME_HARD, &p->hard, 0) != 0)
		return -1;
	return put_pol_ext(b, p);
}

static int
pol_send(struct req *r, uint32_t i, unsigned type, enum target to)
{
	struct pol_msg m = { pol_at(r->db, i), type, r->seq, r->pid };
	long n;

	/* FreeBSD's X_SPDGET reply has seq 0 (strongSwan relies on it). */
	if (r->db->d == PFKV2_DIALECT_FREEBSD && type == PFKV2_MSG_X_SPDGET)
		m.seq = 0;
	if ((n = out_build(r->db, emit_pol, &m)) < 0)
		return ENOBUFS;
	deliver(r->db, r->ep, to, 0, r->db->obuf, (size_t)n);
	return 0;
}

void
pol_timeout(struct pfkv2_sadb *db, uint32_t i)
{
	struct pol_msg m = { pol_at(db, i), PFKV2_MSG_X_SPDEXPIRE, 0, 0 };
	long n;

	db->nexpired++;
	if (db->d == PFKV2_DIALECT_FREEBSD) {
		db->expires++;
		if ((n = out_build(db, emit_pol, &m)) >= 0)
			deliver(db, NULL, TO_REG, 0, db->obuf, (size_t)n);
	}
	pol_unlink_free(db, i);
}

/* ---- handlers --------------------------------------------------------- */

static int
spd_add(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	uint32_t i, old;
	struct pol *p;
	unsigned out = r->type;
	int err;

	if ((err = pol_build(r, &i)) != 0)
		return err;
	p = pol_at(db, i);
	old = pol_find_sel(db, p);
	if (old != NIL && r->type != PFKV2_MSG_X_SPDUPDATE) {
		pol_free_parts(db, p);
		pool_put(db, &db->pols, i);
		return EEXIST;
	}
	if (old != NIL && db->d == PFKV2_DIALECT_LINUX) {
		p->id = pol_at(db, old)->id;
		p->order = pol_at(db, old)->order;
	}
	/* The new policy is whole before the old one goes (atomic). */
	if (old != NIL)
		pol_unlink_free(db, old);
	if (p->id == 0)
		p->id = new_id(db, p->dir);
	pol_link(db, i);
	/* Linux notifies SETIDX as SPDADD (event2poltype). */
	if (db->d == PFKV2_DIALECT_LINUX && out == PFKV2_MSG_X_SPDSETIDX)
		out = PFKV2_MSG_X_SPDADD;
	return pol_send(r, i, out, TO_ALL);
}

static int
spd_delete(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	struct pol sel;
	uint32_t i;
	int err;

	memset(&sel, 0, sizeof(sel));
	pol_sel_from(r, &sel);
	if ((i = pol_find_sel(db, &sel)) == NIL)
		return db->d == PFKV2_DIALECT_LINUX ? ENOENT : EINVAL;
	if ((err = pol_send(r, i, PFKV2_MSG_X_SPDDELETE, TO_ALL)) != 0)
		return err;
	pol_unlink_free(db, i);
	return 0;
}

static int
spd_byid(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	struct pfkv2_policy pol;
	struct echo x = { .v = &r->v };
	bool del = r->type == PFKV2_MSG_X_SPDDELETE2;
	uint32_t i;
	long n;
	int err;

	pfkv2_get_policy(&r->v, &pol);
	/* Linux: the id's low bits name the direction (xfrm_policy_id2dir). */
	if (db->d == PFKV2_DIALECT_LINUX && (pol.id & 7) >= 3)
		return EINVAL;
	if ((i = pol_find_id(db, pol.id)) == NIL)
		return db->d == PFKV2_DIALECT_FREEBSD && del ? EINVAL : ENOENT;
	if (!del)
		return pol_send(r, i, PFKV2_MSG_X_SPDGET, TO_ONE);
	if (db->d == PFKV2_DIALECT_LINUX) {
		if ((err = pol_send(r, i, PFKV2_MSG_X_SPDDELETE2, TO_ALL)) != 0)
			return err;
	} else {
		if ((n = out_build(db, emit_echo, &x)) < 0)
			return ENOBUFS;
		deliver(db, r->ep, TO_ALL, 0, db->obuf, (size_t)n);
	}
	pol_unlink_free(db, i);
	return 0;
}

static int
spd_flush(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	uint32_t n = db->nporder;

	while (db->nporder > 0)
		pol_unlink_free(db, db->porder[db->nporder - 1]);
	return flush_reply(r, 0, n != 0);
}

int
h_spd(struct req *r)
{
	switch (r->type) {
	case PFKV2_MSG_X_SPDADD:
	case PFKV2_MSG_X_SPDUPDATE:
	case PFKV2_MSG_X_SPDSETIDX:
		return spd_add(r);
	case PFKV2_MSG_X_SPDDELETE:
		return spd_delete(r);
	case PFKV2_MSG_X_SPDGET:
	case PFKV2_MSG_X_SPDDELETE2:
		return spd_byid(r);
	case PFKV2_MSG_X_SPDDUMP:
		return spd_dump(r);
	default:
		return spd_flush(r);
	}
}

/* ---- direct installation ---------------------------------------------- */

PFKV2_API int
pfkv2_sadb_policy_add(struct pfkv2_sadb *db,
    const struct pfkv2_sadb_policy *sp, uint32_t *id)
{
	struct pol *p;
	uint32_t i;

	if (db == NULL || sp == NULL || (sp->reqs == NULL && sp->nreqs != 0) ||
	    sp->nreqs > 255 || (sp->src.addr.family != PFKV2_AF_INET &&
	    sp->src.addr.family != PFKV2_AF_INET6) ||
	    sp->src.addr.family != sp->dst.addr.family ||
	    sp->src.prefixlen > fullplen(sp->src.addr.family) ||
	    sp->dst.prefixlen > fullplen(sp->dst.addr.family) ||
	    sp->pol.type >= PFKV2_POLICY_TYPE_COUNT ||
	    sp->pol.dir == PFKV2_DIR_ANY || sp->pol.dir >= PFKV2_DIR_INVALID) {
		errno = EINVAL;
		return -1;
	}
	if (pol_reserve(db) != 0 || (i = pool_get(db, &db->pols)) == NIL)
		return -1;
	p = pol_at(db, i);
	p->heap_pos = NIL;
	p->family = sp->src.addr.family;
	memcpy(p->src, sp->src.addr.addr, 16);
	memcpy(p->dst, sp->dst.addr.addr, 16);
	p->splen = sp->src.prefixlen;
	p->dplen = sp->dst.prefixlen;
	p->proto = sp->src.proto == 0 ? 255 : sp->src.proto;
	p->sport = sp->src.addr.port;
	p->dport = sp->dst.addr.port;
	p->dir = (uint8_t)sp->pol.dir;
	p->type = (uint8_t)sp->pol.type;
	p->priority = sp->pol.priority;
	if (pol_find_sel(db, p) != NIL) {
		pool_put(db, &db->pols, i);
		errno = EEXIST;
		return -1;
	}
	if (pol_set_reqs(db, p, sp->reqs, sp->nreqs) != 0) {
		pool_put(db, &db->pols, i);
		return -1;
	}
	p->created = p->lastuse = db->now;
	p->order = ++db->pol_order;
	p->id = new_id(db, p->dir);
	pol_link(db, i);
	if (id != NULL)
		*id = p->id;
	return 0;
}

PFKV2_API int
pfkv2_sadb_policy_delete(struct pfkv2_sadb *db, uint32_t id)
{
	uint32_t i;

	if (db == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((i = pol_find_id(db, id)) == NIL) {
		errno = ENOENT;
		return -1;
	}
	pol_unlink_free(db, i);
	return 0;
}
