/*
 * Inline helpers of the engine's hot path (included by sadb_int.h, whose
 * declarations they use): what every ADD, GET and DELETE calls, where a
 * call would cost as much as the work.  Each has its slow or rare part
 * out of line, in the file named beside it.
 */
#ifndef PFKV2_SADB_INLINE_H
#define PFKV2_SADB_INLINE_H

/* ---- sadb_expire.c: the timer heap ----------------------------------- */

/* The deadline of a heap entry (also what pfkv2_sadb_check() verifies). */
static inline uint64_t
ent_deadline(const struct pfkv2_sadb *db, uint32_t ent)
{
	uint32_t i = ent & TM_IDX;

	switch (ent & TM_TAG) {
	case TM_SA:
		return sa_at(db, i)->deadline;
	case TM_POL:
		return pol_at(db, i)->deadline;
	default:
		return ((const struct acq *)pool_at(&db->acqs, i))->deadline;
	}
}

/* ---- sadb_ep.c: queue nodes and delivery ------------------------------ */

/* A recycled node (QNODE_DATA bytes, cached), NULL when none waits. */
static inline struct qmsg *
qnode_take(struct pfkv2_sadb *db)
{
	struct qmsg *m = db->qfree;

	if (m != NULL) {
		db->qfree = m->next;
		db->nqfree--;
		m->next = NULL;
		m->len = 0;
		m->keys = 0;
	}
	return m;
}

/* A message of len bytes fits ep's queue (an empty queue takes one). */
static inline bool
fits(const struct pfkv2_sadb_ep *ep, size_t len)
{
	return ep->qhead == NULL || ep->qbytes + len <= ep->db->o.rcvbuf;
}

/* Queue node m on ep, or count it dropped when it does not fit. */
static inline void
ep_enqueue_node(struct pfkv2_sadb_ep *ep, struct qmsg *m)
{
	if (!fits(ep, m->len)) {
		ep_drop_node(ep, m);
		return;
	}
	if (ep->qtail != NULL)
		ep->qtail->next = m;
	else
		ep->qhead = m;
	ep->qtail = m;
	ep->qbytes += m->len;
}

/*
 * What nearly every message comes to: no socket is promiscuous and the
 * sender is the one target (its reply, or a broadcast while it is the
 * only socket).
 */
static inline bool
sole_target(const struct pfkv2_sadb *db, const struct pfkv2_sadb_ep *from,
    enum target to)
{
	return db->npromisc == 0 && from != NULL && (to == TO_ONE ||
	    (db->neps == 1 && (to == TO_ALL || to == TO_REG_ONE)));
}

/* deliver() of a built message; the node, if any, is consumed. */
static inline void
deliver_built(struct pfkv2_sadb *db, struct pfkv2_sadb_ep *from,
    enum target to, unsigned satype, const struct built *b)
{
	if (b->node != NULL && sole_target(db, from, to))
		ep_enqueue_node(from, b->node);
	else
		deliver_built_slow(db, from, to, satype, b);
}

/* ---- sadb_req.c: reading requests ------------------------------------ */

/*
 * The readers every SA message calls, inline (sadb_req.c has the rest):
 * they read the validated request in place.
 */

/* v_canon() of an 8-bit wire value. */
static inline uint16_t
canon8(const struct dl_map *m, uint8_t w)
{
	return (uint16_t)(m->w2c != NULL && m->w2c[w] != 0 ? m->w2c[w] - 1u :
	    PFKV2_WIRE(w));
}

/* The SPI alone (0: no SA extension), for the lookups of DELETE and GET. */
static inline uint32_t
req_spi(const struct req *r)
{
	if (r->got & REQ_SA)
		return r->sa.spi;
	if (!(r->v.present & PFKV2_EXTBIT(PFKV2_EXT_SA)))
		return 0;
	return be32(ld32(r->v.ext_[PFKV2_EXT_SA] + OFF(sa, sadb_sa_spi)));
}

/*
 * pfkv2_get_address() on a validated request: its sockaddr starts with
 * one of the dialect's two heads (length byte and family on the BSDs),
 * which the validation checked along with the extension's length.  false
 * for anything else, which the getter then decodes.
 */
static inline bool
addr_read(const struct dl_dialect *dl, const uint8_t *e,
    struct pfkv2_address *a)
{
	const uint8_t *sa = e + 8;
	uint16_t head = ld16(sa);

	memset(a, 0, sizeof(*a));
	if (head == dl->sa_head4) {
		a->addr.family = PFKV2_AF_INET;
		memcpy(a->addr.addr, sa + 4, 4);
	} else if (head == dl->sa_head6) {
		a->addr.family = PFKV2_AF_INET6;
		a->addr.flowinfo = be32(ld32(sa + 4));
		memcpy(a->addr.addr, sa + 8, 16);
		a->addr.scope_id = ld32(sa + 24);
	} else
		return false;
	a->addr.port = be16(ld16(sa + 2));
	a->proto = e[OFF(address, sadb_address_proto)];
	a->prefixlen = e[OFF(address, sadb_address_prefixlen)];
	a->reserved = ld16(e + OFF(address, sadb_address_reserved));
	return true;
}

/* ADDRESS_SRC or _DST of the request, decoded once; NULL: absent. */
static inline const struct pfkv2_address *
req_address(struct req *r, unsigned e)
{
	struct pfkv2_address *a;
	uint8_t have;

	if (e == PFKV2_EXT_ADDRESS_SRC)
		a = &r->src, have = REQ_SRC;
	else if (e == PFKV2_EXT_ADDRESS_DST)
		a = &r->dst, have = REQ_DST;
	else
		return NULL;
	if (r->got & have)
		return a;
	if (!(r->v.present & PFKV2_EXTBIT(e)) ||
	    (!addr_read(r->db->dl, r->v.ext_[e], a) &&
	    pfkv2_get_address(&r->v, e, a) != 0))
		return NULL;
	r->got |= have;
	return a;
}

/*
 * The satype is one the dialect keeps SAs for (0 or errno): ESP and AH in
 * every dialect, the others as satype_check_slow() says.
 */
static inline int
satype_check(struct req *r)
{
	if (r->satype == PFKV2_SATYPE_ESP || r->satype == PFKV2_SATYPE_AH)
		return 0;
	return satype_check_slow(r);
}

/* ---- sadb_sa.c: the SPI index ---------------------------------------- */

/* FreeBSD keeps one SPI space for every SA (sadb_sa.c's header comment). */
static inline bool
spi_global(const struct pfkv2_sadb *db)
{
	return db->d == PFKV2_DIALECT_FREEBSD;
}

/*
 * Hashes: the key folded into 64 bits, then one multiply-xorshift round
 * (the finaliser of MurmurHash3, halved), whose low bits (the bucket)
 * depend on every bit of the key.  About a dozen instructions for an
 * IPv4 key where a 32-bit mix per field cost three times that.
 */
static inline uint32_t
fmix64(uint64_t x)
{
	x ^= x >> 32;
	x *= UINT64_C(0xd6e8feb86659fd93);
	x ^= x >> 32;
	return (uint32_t)x;
}

/* An address folded into 64 bits (IPv4: its 32). */
static inline uint64_t
ip_word(uint8_t family, const uint8_t *ip)
{
	if (family != PFKV2_AF_INET6)
		return ld32(ip);
	return ld64(ip) * UINT64_C(0x9e3779b97f4a7c15) ^ ld64(ip + 8);
}

/* The SPI index's key: (SPI, satype, dst), or the SPI alone (FreeBSD). */
static inline uint32_t
hash_spi(const struct pfkv2_sadb *db, unsigned satype, uint32_t spi,
    uint8_t family, const uint8_t *dst)
{
	if (spi_global(db))
		return fmix64(spi);
	return fmix64(((uint64_t)spi << 32 | satype << 8 | family) ^
	    ip_word(family, dst));
}

static inline bool
ns_match(const struct pfkv2_sadb *db, const struct sa *s, unsigned satype,
    uint32_t spi, uint8_t family, const uint8_t *dst)
{
	if (s->spi != spi)
		return false;
	if (spi_global(db))
		return true;
	return s->satype == satype && s->family == family &&
	    ip_eq(s->dst, dst, family);
}

/* Lookup in the dialect's SPI namespace (NIL: none). */
static inline uint32_t
sa_find(const struct pfkv2_sadb *db, unsigned satype, uint32_t spi,
    uint8_t family, const uint8_t *dst)
{
	uint32_t i;
	const struct sa *s;

	for (i = db->by_spi.b[hash_spi(db, satype, spi, family, dst) &
	    db->by_spi.mask]; i != NIL; i = s->spi_next) {
		s = sa_at(db, i);
		if (ns_match(db, s, satype, spi, family, dst))
			return i;
	}
	return NIL;
}

/* ---- sadb_sa.c, sadb_expire.c: room for a new SA --------------------- */

/*
 * The heap never needs to grow when an entry is placed: room for every
 * SA, policy and acquire record is reserved when the record is made
 * (0, or -1 with ENOMEM).
 */
static inline int
heap_reserve(struct pfkv2_sadb *db, uint32_t more)
{
	if ((uint64_t)db->sas.count + db->pols.count + db->acqs.count + more <=
	    db->cap_heap)
		return 0;
	return heap_grow(db, more);
}

/*
 * Reserve index and heap capacity so that inserting `more` SAs cannot
 * fail (0, or -1 with ENOMEM); inline, as nearly always there is room.
 */
static inline int
sa_reserve(struct pfkv2_sadb *db, uint32_t more)
{
	if ((uint64_t)db->by_spi.n + more <= (uint64_t)db->by_spi.mask + 1 &&
	    (uint64_t)db->by_seq.n + more <= (uint64_t)db->by_seq.mask + 1)
		return heap_reserve(db, more);
	return sa_reserve_slow(db, more);
}

#endif /* PFKV2_SADB_INLINE_H */
