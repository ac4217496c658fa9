/*
 * What the builder writes after an extension's header, for the puts
 * pfkv2_build_msg()'s fast path (lib/build_msg.h) also writes itself: one
 * definition for both, so that the two cannot build different bytes.
 * Each writes every byte it owns; nothing is zeroed beforehand.
 */
#ifndef PFKV2_BUILD_BODY_H
#define PFKV2_BUILD_BODY_H

#include "internal.h"

/*
 * The base header, every byte.  wtype and wsatype are wire values plus
 * bias (0, or 1 for the dialect tables' own values, which are wire + 1).
 */
static ALWAYS_INLINE void
put_header(uint8_t *p, unsigned wtype, unsigned wsatype, unsigned bias,
    uint32_t seq, uint32_t pid)
{
	/* version, type, errno, satype */
	st32(p, mem4(PFKV2_PF_KEY_V2, wtype, 0, wsatype) -
	    mem4(0, bias, 0, bias));
	/* len (the header alone), reserved */
	st32(p + OFF(msg, sadb_msg_len), mem_u16_pair(2, 0));
	st32(p + OFF(msg, sadb_msg_seq), seq);
	st32(p + OFF(msg, sadb_msg_pid), pid);
}

/* The algorithm space of sadb_sa_encrypt depends on the SA type. */
static inline enum pfkv2_space
encrypt_space(unsigned satype)
{
	return satype == PFKV2_SATYPE_IPCOMP ? PFKV2_SP_CALG : PFKV2_SP_EALG;
}

/*
 * SA: state, auth and enc are wire values plus bias (as put_header()),
 * flags a wire value.
 */
static ALWAYS_INLINE void
sa_body(uint8_t *p, const struct pfkv2_sa *sa, unsigned state, unsigned auth,
    unsigned enc, unsigned bias, uint32_t flags)
{
	st32(p + OFF(sa, sadb_sa_spi), be32(sa->spi));
	/* replay, state, auth, encrypt */
	st32(p + OFF(sa, sadb_sa_replay), mem4(sa->replay, state, auth, enc) -
	    mem4(0, bias, bias, bias));
	st32(p + OFF(sa, sadb_sa_flags), flags | sa->flags_raw);
}

/* X_SA2: mode is the wire value. */
static ALWAYS_INLINE void
sa2_body(uint8_t *p, const struct pfkv2_sa2 *sa2, unsigned mode)
{
	/* mode, reserved1, reserved2 */
	st32(p + OFF(x_sa2, sadb_x_sa2_mode), mem4(mode & 255, 0, 0, 0));
	/* sequence and reqid, host order, side by side in both. */
	memcpy(p + OFF(x_sa2, sadb_x_sa2_sequence),
	    (const uint8_t *)sa2 + offsetof(struct pfkv2_sa2, sequence), 8);
}
_Static_assert(offsetof(struct pfkv2_sa2, reqid) ==
    offsetof(struct pfkv2_sa2, sequence) + 4 &&
    offsetof(struct pfkv2_sadb_x_sa2, sadb_x_sa2_reqid) ==
    offsetof(struct pfkv2_sadb_x_sa2, sadb_x_sa2_sequence) + 4,
    "sa2_body() copies sequence and reqid as one");

/* LIFETIME_* (and every extension of the lifetime layout). */
static ALWAYS_INLINE void
lifetime_body(uint8_t *p, const struct pfkv2_lifetime *lt)
{
	st32(p + OFF(lifetime, sadb_lifetime_allocations), lt->allocations);
	st64(p + OFF(lifetime, sadb_lifetime_bytes), lt->bytes);
	st64(p + OFF(lifetime, sadb_lifetime_addtime), lt->addtime);
	st64(p + OFF(lifetime, sadb_lifetime_usetime), lt->usetime);
}

/* The longest prefix an address of that family (PFKV2_AF_*) takes. */
static inline unsigned
max_prefix(unsigned family)
{
	return family == PFKV2_AF_INET ? 32 : 128;
}

/*
 * An address extension's bytes (a sockaddr, padded), or 0 when its put
 * refuses it (family, prefix length).
 */
static ALWAYS_INLINE size_t
address_size(const struct dl_dialect *dl, const struct pfkv2_address *a)
{
	size_t n = addr_wire_len(dl, a->addr.family);

	return n != 0 && a->prefixlen <= max_prefix(a->addr.family) ?
	    pad8(8 + n) : 0;
}

/* An address extension's own fields, after its header. */
static ALWAYS_INLINE void
address_fields(uint8_t *p, const struct pfkv2_address *a)
{
	p[OFF(address, sadb_address_proto)] = a->proto;
	p[OFF(address, sadb_address_prefixlen)] = a->prefixlen;
	st16(p + OFF(address, sadb_address_reserved), a->reserved);
}

/* Address extensions; size is the extension's (address_size()). */
static ALWAYS_INLINE void
address_body(const struct dl_dialect *dl, uint8_t *p, size_t size,
    const struct pfkv2_address *a)
{
	address_fields(p, a);
	st64(p + size - 8, 0);		/* padding, then the sockaddr over it */
	addr_encode(dl, p + 8, &a->addr);
}

/* Bytes of key material behind a bit count. */
static inline size_t
key_bytes(unsigned bits)
{
	return ((size_t)bits + 7u) / 8u;
}

/*
 * A key extension's bytes, or 0 when its put refuses it (no data for a
 * key of some bits).
 */
static ALWAYS_INLINE size_t
key_size(const void *data, unsigned bits)
{
	return data != NULL || bits == 0 ? pad8(8 + key_bytes(bits)) : 0;
}

/*
 * n key bytes from s to d by words (the last one overlapping), since keys
 * are short and their length is not a constant: a call to memcpy() costs
 * more than the copy.  Reads and writes only [s, s + n) and [d, d + n).
 */
static ALWAYS_INLINE void
key_copy(uint8_t *d, const uint8_t *s, size_t n)
{
	size_t i;

	if (n - 16 <= 16) {		/* 128 to 256 bits: most keys */
		uint64_t x0 = ld64(s), x1 = ld64(s + 8);
		uint64_t y0 = ld64(s + n - 16), y1 = ld64(s + n - 8);

		st64(d, x0);
		st64(d + 8, x1);
		st64(d + n - 16, y0);
		st64(d + n - 8, y1);
	} else if (n - 8 < 8) {		/* 64 to 120 bits */
		uint64_t x = ld64(s), y = ld64(s + n - 8);

		st64(d, x);
		st64(d + n - 8, y);
	} else if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8)
			st64(d + i, ld64(s + i));
		st64(d + n - 8, ld64(s + n - 8));
	} else if (n >= 4) {
		st32(d, ld32(s));
		st32(d + n - 4, ld32(s + n - 4));
	} else {
		for (i = 0; i < n; i++)
			d[i] = s[i];
	}
}

/* KEY_*; size is the extension's, n the key's bytes (key_bytes()). */
static ALWAYS_INLINE void
key_body(uint8_t *p, size_t size, const void *data, size_t n, unsigned bits,
    uint16_t reserved)
{
	st16(p + OFF(key, sadb_key_bits), (uint16_t)bits);
	st16(p + OFF(key, sadb_key_reserved), reserved);
	if (n % 8 != 0)
		st64(p + size - 8, 0);	/* padding, then the key over it */
	key_copy(p + 8, data, n);
}

/* illumos reads the range in network order, everyone else in host order. */
static inline uint32_t
spi_order(const struct dl_dialect *dl, uint32_t x)
{
	return dl->spirange_net_order ? be32(x) : x;
}

/* SPIRANGE; min and max in host order. */
static ALWAYS_INLINE void
spirange_body(const struct dl_dialect *dl, uint8_t *p, uint32_t min,
    uint32_t max)
{
	st32(p + OFF(spirange, sadb_spirange_min), spi_order(dl, min));
	st32(p + OFF(spirange, sadb_spirange_max), spi_order(dl, max));
	st32(p + OFF(spirange, sadb_spirange_reserved), 0);
}

/* Wire bytes of one ipsecrequest, or 0 when it cannot be expressed. */
static ALWAYS_INLINE size_t
isr_size(const struct dl_dialect *dl, const struct pfkv2_ipsecrequest *r)
{
	size_t n1, n2;

	if (r->src.family == 0 && r->dst.family == 0)
		return dl->isr_size;
	n1 = addr_wire_len(dl, r->src.family);
	n2 = addr_wire_len(dl, r->dst.family);
	if (n1 == 0 || n2 == 0 || r->src.family != r->dst.family)
		return 0;
	return pad8(dl->isr_size + n1 + n2);
}

/*
 * The fast-path checks of X_POLICY's own fields: true with the wire type
 * (byte-sized) and dir when they map and the put would take them.
 */
static ALWAYS_INLINE bool
policy_check(const struct dl_dialect *dl, const struct pfkv2_policy *pol,
    const struct pfkv2_ipsecrequest *reqs, size_t n, int *type, int *dir)
{
	const struct dl_map *m = dl->map;

	return pol != NULL && (reqs != NULL || n == 0) &&
	    (*type = map_wire8(&m[PFKV2_SP_POLICY_TYPE], pol->type)) >= 0 &&
	    (*dir = map_wire8(&m[PFKV2_SP_POLICY_DIR], pol->dir)) >= 0 &&
	    (pol->scope == 0 || dl->id == PFKV2_DIALECT_FREEBSD);
}

/*
 * The fast-path checks of one ipsecrequest: its bytes (isr_size()) with
 * its wire mode and level, or 0 when the put would not take it.
 */
static ALWAYS_INLINE size_t
isr_check(const struct dl_dialect *dl, const struct pfkv2_ipsecrequest *r,
    int *mode, int *level)
{
	if ((*mode = map_wire8(&dl->map[PFKV2_SP_MODE], r->mode)) < 0 ||
	    (*level = map_wire8(&dl->map[PFKV2_SP_LEVEL], r->level)) < 0 ||
	    (dl->isr_size == 8 && r->reqid > UINT16_MAX))
		return 0;
	return isr_size(dl, r);
}

/*
 * X_POLICY's fast-path check: the extension's bytes when every field maps
 * and fits, 0 otherwise.  Sets no errno.
 */
static ALWAYS_INLINE size_t
policy_bytes(const struct dl_dialect *dl, const struct pfkv2_policy *pol,
    const struct pfkv2_ipsecrequest *reqs, size_t n, int *type, int *dir)
{
	size_t total = sizeof(struct pfkv2_sadb_x_policy), rq, i;
	int mode, level;

	if (!policy_check(dl, pol, reqs, n, type, dir))
		return 0;
	for (i = 0; i < n; i++)
		if ((rq = isr_check(dl, &reqs[i], &mode, &level)) == 0 ||
		    (total += rq) > PFKV2_MSG_MAXLEN)
			return 0;
	return total;
}

/*
 * An ipsecrequest's own fields at q (its first dl->isr_size bytes); rq is
 * its length, mode and level are wire values plus bias (as put_header()).
 */
static ALWAYS_INLINE void
isr_head(const struct dl_dialect *dl, uint8_t *q, size_t rq,
    const struct pfkv2_ipsecrequest *r, unsigned mode, unsigned level,
    unsigned bias)
{
	const bool kame =
	    dl->isr_size == sizeof(struct pfkv2_sadb_x_ipsecrequest_kame);

	st16(q + OFF(x_ipsecrequest_linux, sadb_x_ipsecrequest_len),
	    (uint16_t)rq);
	st16(q + OFF(x_ipsecrequest_linux, sadb_x_ipsecrequest_proto),
	    r->proto);
	/* mode, level, then KAME's reqid or Linux's reserved1 */
	st32(q + OFF(x_ipsecrequest_linux, sadb_x_ipsecrequest_mode),
	    mem4(mode, level, 0, 0) - mem4(bias, bias, 0, 0) +
	    mem_u16_pair(0, kame ? (uint16_t)r->reqid : 0));
	if (!kame) {
		st32(q + OFF(x_ipsecrequest_linux, sadb_x_ipsecrequest_reqid),
		    r->reqid);
		st32(q + OFF(x_ipsecrequest_linux,
		    sadb_x_ipsecrequest_reserved2), 0);
	}
}

/*
 * One ipsecrequest of rq bytes (isr_size()) at q; mode and level are
 * wire values.
 */
static ALWAYS_INLINE void
isr_body(const struct dl_dialect *dl, uint8_t *q, size_t rq,
    const struct pfkv2_ipsecrequest *r, unsigned mode, unsigned level)
{
	size_t isr = dl->isr_size;

	if (rq > isr)
		st64(q + rq - 8, 0);	/* padding, written over */
	isr_head(dl, q, rq, r, mode, level, 0);
	if (rq > isr) {
		addr_encode(dl, q + isr, &r->src);
		addr_encode(dl, q + isr + addr_wire_len(dl, r->src.family),
		    &r->dst);
	}
}

/* X_POLICY's own fields after its header; type and dir are wire values. */
static ALWAYS_INLINE void
policy_head(uint8_t *p, unsigned type, unsigned dir,
    const struct pfkv2_policy *pol)
{
	st16(p + OFF(x_policy, sadb_x_policy_type), (uint16_t)type);
	p[OFF(x_policy, sadb_x_policy_dir)] = (uint8_t)dir;
	p[OFF(x_policy, sadb_x_policy_reserved)] = pol->scope;
	st32(p + OFF(x_policy, sadb_x_policy_id), pol->id);
	st32(p + OFF(x_policy, sadb_x_policy_priority), pol->priority);
}

/*
 * X_POLICY after its header; type and dir are wire values, and every
 * request passed isr_check() (policy_bytes()), so its mode and level map.
 */
static ALWAYS_INLINE void
policy_body(const struct dl_dialect *dl, uint8_t *p, unsigned type,
    unsigned dir, const struct pfkv2_policy *pol,
    const struct pfkv2_ipsecrequest *reqs, size_t n)
{
	uint8_t *q = p + sizeof(struct pfkv2_sadb_x_policy);
	size_t rq, i;

	policy_head(p, type, dir, pol);
	for (i = 0; i < n; i++, q += rq) {
		rq = isr_size(dl, &reqs[i]);
		isr_body(dl, q, rq, &reqs[i],
		    (unsigned)map_wire8(&dl->map[PFKV2_SP_MODE], reqs[i].mode),
		    (unsigned)map_wire8(&dl->map[PFKV2_SP_LEVEL],
		    reqs[i].level));
	}
}

#endif /* PFKV2_BUILD_BODY_H */
