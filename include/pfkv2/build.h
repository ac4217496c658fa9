/*
 * libpfkv2 - the message builder.
 *
 * Builds a message into a caller's buffer; never allocates, never writes
 * past the buffer.  The base header's length is current after every put.
 * A put that fails leaves the message exactly as it was.  With a NULL
 * buffer the builder only measures.  See pfkv2_builder_init(3).
 *
 *	struct pfkv2_builder b;
 *	pfkv2_builder_init(&b, buf, sizeof(buf), PFKV2_DIALECT_LINUX);
 *	pfkv2_put_msg(&b, PFKV2_MSG_GETSPI, PFKV2_SATYPE_ESP, seq, pid);
 *	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &src);
 *	...
 *	len = pfkv2_builder_finish(&b);
 */
#ifndef PFKV2_BUILD_H
#define PFKV2_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include <pfkv2/ids.h>
#include <pfkv2/types.h>
#include <pfkv2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest message sadb_msg_len can describe (65535 words). */
#define PFKV2_MSG_MAXLEN	(65535u * 8u)

/*
 * Builder state.  Lives wherever the caller likes (the stack is fine);
 * the fields are private and may change, the size will not.
 */
struct pfkv2_builder {
	uint8_t *buf_;
	size_t cap_;
	size_t len_;		/* bytes written */
	size_t need_;		/* bytes the message needs */
	const void *dl_;
	uint64_t present_;	/* canonical extensions put */
	uint8_t state_;
	uint8_t satype_;	/* canonical satype of the header */
	uint16_t reserved16_;
	uint32_t reserved32_;
	void *reserved_[4];
};

/*
 * Start a message in buf (size bytes) for dialect d.  buf may be NULL
 * (with size 0) to measure.  -1 and EINVAL on a bad dialect.
 */
PFKV2_API int pfkv2_builder_init(struct pfkv2_builder *b, void *buf,
    size_t size, enum pfkv2_dialect d);
/* Bytes written so far (a valid message once the header is put). */
PFKV2_API size_t pfkv2_builder_len(const struct pfkv2_builder *b);
/*
 * Bytes the whole message needs, counting puts refused for lack of room:
 * after EMSGSIZE, grow the buffer to this and build again.
 */
PFKV2_API size_t pfkv2_builder_needed(const struct pfkv2_builder *b);
/*
 * Finish: the message length in bytes, or -1 with EMSGSIZE when some put
 * did not fit (see pfkv2_builder_needed()), EINVAL when no header was put.
 */
PFKV2_API long pfkv2_builder_finish(const struct pfkv2_builder *b);

/* The base header; must come first.  type and satype are canonical. */
PFKV2_API int pfkv2_put_msg(struct pfkv2_builder *b, unsigned type,
    unsigned satype, uint32_t seq, uint32_t pid);
/*
 * Set errno (and the reserved word, which illumos replies use for a
 * diagnostic and Linux/FreeBSD replies for a refcount) in the header.
 */
PFKV2_API int pfkv2_set_msg_errno(struct pfkv2_builder *b, uint8_t err,
    uint16_t reserved);

PFKV2_API int pfkv2_put_sa(struct pfkv2_builder *b, const struct pfkv2_sa *sa);
/* ext: LIFETIME_CURRENT/HARD/SOFT/IDLE, LFT_CUR_SW_OFFL/HW_OFFL. */
PFKV2_API int pfkv2_put_lifetime(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_lifetime *lt);
/* ext: any address extension (SRC, DST, PROXY, NAT_T_OA/OAR, NEW_*, ...). */
PFKV2_API int pfkv2_put_address(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_address *a);
/* ext: KEY_AUTH, KEY_ENCRYPT. */
PFKV2_API int pfkv2_put_key(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_key *k);
/* illumos STR_AUTH: a TCP-MD5 password of len bytes. */
PFKV2_API int pfkv2_put_str_auth(struct pfkv2_builder *b, const char *s,
    size_t len);
/* ext: IDENTITY_SRC, IDENTITY_DST. */
PFKV2_API int pfkv2_put_ident(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_ident *id);
/* ext: SENSITIVITY, OUTER_SENS. */
PFKV2_API int pfkv2_put_sens(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_sens *s);
PFKV2_API int pfkv2_put_proposal(struct pfkv2_builder *b, uint8_t replay,
    const struct pfkv2_comb *combs, size_t n);
/* ext: SUPPORTED_AUTH, SUPPORTED_ENCRYPT. */
PFKV2_API int pfkv2_put_supported(struct pfkv2_builder *b, unsigned ext,
    const struct pfkv2_alg *algs, size_t n);
/* min and max in host order, whatever the dialect's wire order. */
PFKV2_API int pfkv2_put_spirange(struct pfkv2_builder *b, uint32_t min,
    uint32_t max);
PFKV2_API int pfkv2_put_kmprivate(struct pfkv2_builder *b, const void *data,
    size_t len);
PFKV2_API int pfkv2_put_sa2(struct pfkv2_builder *b,
    const struct pfkv2_sa2 *sa2);
/* The policy and its requests (none unless type is IPSEC). */
PFKV2_API int pfkv2_put_policy(struct pfkv2_builder *b,
    const struct pfkv2_policy *pol, const struct pfkv2_ipsecrequest *reqs,
    size_t n);
PFKV2_API int pfkv2_put_nat_t_type(struct pfkv2_builder *b, uint8_t type);
/* ext: NAT_T_SPORT, NAT_T_DPORT; port in host order. */
PFKV2_API int pfkv2_put_nat_t_port(struct pfkv2_builder *b, unsigned ext,
    uint16_t port);
PFKV2_API int pfkv2_put_nat_t_frag(struct pfkv2_builder *b, uint16_t fraglen);
PFKV2_API int pfkv2_put_sec_ctx(struct pfkv2_builder *b,
    const struct pfkv2_sec_ctx *c);
PFKV2_API int pfkv2_put_kmaddress(struct pfkv2_builder *b,
    const struct pfkv2_kmaddress *k);
PFKV2_API int pfkv2_put_filter(struct pfkv2_builder *b,
    const struct pfkv2_filter *f);
PFKV2_API int pfkv2_put_sa_replay(struct pfkv2_builder *b, uint32_t replay);
PFKV2_API int pfkv2_put_if_hw_offl(struct pfkv2_builder *b,
    const struct pfkv2_if_hw_offl *h);
/* satypes: n canonical SA types (the list is zero-terminated on the wire). */
PFKV2_API int pfkv2_put_ereg(struct pfkv2_builder *b, const uint16_t *satypes,
    size_t n);
PFKV2_API int pfkv2_put_eprop(struct pfkv2_builder *b, uint8_t replay,
    const struct pfkv2_ecomb *ecombs, size_t n);
PFKV2_API int pfkv2_put_kmc(struct pfkv2_builder *b, const struct pfkv2_kmc *k);
/* spi in host order. */
PFKV2_API int pfkv2_put_pair(struct pfkv2_builder *b, uint32_t spi);
PFKV2_API int pfkv2_put_replay_value(struct pfkv2_builder *b,
    const struct pfkv2_replay_value *r);
PFKV2_API int pfkv2_put_edump(struct pfkv2_builder *b, uint64_t timeout);
/* SPIRANGE bounds, host order. */
struct pfkv2_spirange {
	uint32_t min;
	uint32_t max;
};

/*
 * A whole SA or SPD request for pfkv2_build_msg(): the base header's
 * fields and the extensions, written in this order; NULL members are left
 * out.  Every member left unset by an initialiser is zero, which is what
 * reserved_ must be.
 */
struct pfkv2_msg_parts {
	unsigned type;				/* PFKV2_MSG_* */
	unsigned satype;			/* PFKV2_SATYPE_* */
	uint32_t seq;
	uint32_t pid;
	const struct pfkv2_sa *sa;
	const struct pfkv2_sa2 *sa2;
	const struct pfkv2_address *src;
	const struct pfkv2_address *dst;
	const struct pfkv2_address *proxy;
	const struct pfkv2_key *key_encrypt;
	const struct pfkv2_key *key_auth;
	const struct pfkv2_lifetime *hard;
	const struct pfkv2_lifetime *soft;
	const struct pfkv2_spirange *spirange;
	const struct pfkv2_policy *policy;
	const struct pfkv2_ipsecrequest *reqs;	/* nreqs of them */
	size_t nreqs;
	const void *reserved_[2];		/* NULL */
};

/*
 * Build the message m describes into buf (size bytes) for dialect d, in
 * one call: what pfkv2_builder_init(), pfkv2_put_msg(), one put per part
 * and pfkv2_builder_finish() build, byte for byte.  Returns the length;
 * with a NULL buf (size 0), the length it needs.  -1 and errno as those
 * calls would set it (EMSGSIZE: buf is too small).
 */
PFKV2_API long pfkv2_build_msg(void *buf, size_t size, enum pfkv2_dialect d,
    const struct pfkv2_msg_parts *m);

/*
 * Any extension by its wire type, body given as is (len bytes after the
 * 4-byte extension header, zero-padded to 8).  For types this library
 * does not know, or to build deliberately malformed messages in tests.
 */
PFKV2_API int pfkv2_put_ext_raw(struct pfkv2_builder *b, uint16_t wire_type,
    const void *body, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_BUILD_H */
