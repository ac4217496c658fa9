/*
 * libpfkv2 - parsing, validation and typed access.
 *
 * pfkv2_parse() walks a message once and fills a view: for each canonical
 * extension a pointer into the caller's buffer.  Nothing is copied and
 * nothing is allocated; the buffer must outlive the view.  The walk always
 * checks structure (header, lengths, duplicates, per-type sizes, field
 * bounds needed for safe access); flags ask for more.  See pfkv2_parse(3).
 */
#ifndef PFKV2_PARSE_H
#define PFKV2_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pfkv2/error.h>
#include <pfkv2/ids.h>
#include <pfkv2/types.h>
#include <pfkv2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Validation flags for pfkv2_parse() and pfkv2_validate(). */
#define PFKV2_V_MESSAGE	0x0001u	/* required/allowed extensions, field values */
#define PFKV2_V_DIALECT	0x0002u	/* what the dialect's kernel accepts (+MESSAGE) */
#define PFKV2_V_STRICT	0x0004u	/* unknown extensions, reserved fields, padding */
#define PFKV2_V_REQUEST	0x0010u	/* direction: user to kernel */
#define PFKV2_V_REPLY	0x0020u	/* direction: kernel to user */
#define PFKV2_V_ALL	(PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_STRICT)

/*
 * The parsed view.  type, satype, present, nunknown, unknown_off and
 * dialect may be read directly; the fields ending in an underscore are
 * private (read extensions through the functions below).
 */
struct pfkv2_view {
	const uint8_t *msg_;
	uint32_t len_;
	uint16_t type;		/* canonical message type (or PFKV2_WIRE(v)) */
	uint16_t satype;	/* canonical SA type (or PFKV2_WIRE(v)) */
	uint64_t present;	/* PFKV2_EXTBIT(e) for each extension seen */
	const void *dl_;
	uint16_t nunknown;	/* extensions of unknown type, skipped */
	uint16_t dialect;
	uint32_t unknown_off;	/* offset of the first of them */
	uint32_t reserved_[4];
	const uint8_t *ext_[PFKV2_EXT_COUNT];
};

/*
 * Parse len bytes at buf as a message of dialect d.  0 on success; -1 with
 * EBADMSG (the message is malformed or refused by the checks asked for)
 * or EINVAL (bad arguments), and *diag (if not NULL) says why.
 */
PFKV2_API int pfkv2_parse(const void *buf, size_t len, enum pfkv2_dialect d,
    unsigned flags, struct pfkv2_view *v, struct pfkv2_diag *diag);
/*
 * A parse cache for one dialect (pfkv2_parse_cached(3)): it remembers the
 * shapes of the messages it accepted (up to 16 shapes of at most 1024
 * bytes), so that a later message of the same shape is accepted by
 * comparing words.  The answer, the view and the diagnostic are always
 * pfkv2_parse()'s.  Initialise it with pfkv2_parse_cache_init(); use one
 * cache per thread.
 */
#define PFKV2_PARSE_CACHE_SIZE	20480
struct pfkv2_parse_cache {
	uint64_t opaque_[PFKV2_PARSE_CACHE_SIZE / 8];
};

PFKV2_API int pfkv2_parse_cache_init(struct pfkv2_parse_cache *c,
    enum pfkv2_dialect d);
PFKV2_API int pfkv2_parse_cached(struct pfkv2_parse_cache *c,
    const void *buf, size_t len, unsigned flags, struct pfkv2_view *v,
    struct pfkv2_diag *diag);
/* Calls answered from the cache, and by the full parse. */
PFKV2_API int pfkv2_parse_cache_stats(const struct pfkv2_parse_cache *c,
    uint64_t *hits, uint64_t *misses);

/*
 * Run the message- and dialect-level checks on a parsed view (what
 * pfkv2_parse() does when given those flags).
 */
PFKV2_API int pfkv2_validate(const struct pfkv2_view *v, unsigned flags,
    struct pfkv2_diag *diag);

/* Header fields, host order. */
/* The message bytes (an aligned caller buffer may be cast to wire.h types). */
PFKV2_API const void *pfkv2_view_msg(const struct pfkv2_view *v);
PFKV2_API size_t pfkv2_view_len(const struct pfkv2_view *v);
PFKV2_API uint8_t pfkv2_view_errno(const struct pfkv2_view *v);
PFKV2_API uint32_t pfkv2_view_seq(const struct pfkv2_view *v);
PFKV2_API uint32_t pfkv2_view_pid(const struct pfkv2_view *v);
PFKV2_API uint16_t pfkv2_view_reserved(const struct pfkv2_view *v);
PFKV2_API bool pfkv2_view_has(const struct pfkv2_view *v, unsigned ext);
/* The raw extension (header included) and its length in bytes, or NULL. */
PFKV2_API const void *pfkv2_view_ext(const struct pfkv2_view *v, unsigned ext,
    size_t *len);

/*
 * Typed getters.  Each returns 0 and fills *out, or -1 with ENOENT when the
 * extension is absent (EINVAL for an ext that is not of that kind).
 */
PFKV2_API int pfkv2_get_sa(const struct pfkv2_view *v, struct pfkv2_sa *out);
PFKV2_API int pfkv2_get_lifetime(const struct pfkv2_view *v, unsigned ext,
    struct pfkv2_lifetime *out);
PFKV2_API int pfkv2_get_address(const struct pfkv2_view *v, unsigned ext,
    struct pfkv2_address *out);
PFKV2_API int pfkv2_get_key(const struct pfkv2_view *v, unsigned ext,
    struct pfkv2_key *out);
PFKV2_API int pfkv2_get_str_auth(const struct pfkv2_view *v, const char **s,
    size_t *len);
PFKV2_API int pfkv2_get_ident(const struct pfkv2_view *v, unsigned ext,
    struct pfkv2_ident *out);
PFKV2_API int pfkv2_get_sens(const struct pfkv2_view *v, unsigned ext,
    struct pfkv2_sens *out);
/* Number of combinations (and the replay byte); then one by index. */
PFKV2_API int pfkv2_get_proposal(const struct pfkv2_view *v, uint8_t *replay,
    size_t *ncombs);
PFKV2_API int pfkv2_get_comb(const struct pfkv2_view *v, size_t i,
    struct pfkv2_comb *out);
PFKV2_API int pfkv2_get_supported(const struct pfkv2_view *v, unsigned ext,
    size_t *nalgs);
PFKV2_API int pfkv2_get_alg(const struct pfkv2_view *v, unsigned ext, size_t i,
    struct pfkv2_alg *out);
PFKV2_API int pfkv2_get_spirange(const struct pfkv2_view *v, uint32_t *min,
    uint32_t *max);
PFKV2_API int pfkv2_get_kmprivate(const struct pfkv2_view *v,
    const void **data, size_t *len);
PFKV2_API int pfkv2_get_sa2(const struct pfkv2_view *v, struct pfkv2_sa2 *out);
PFKV2_API int pfkv2_get_policy(const struct pfkv2_view *v,
    struct pfkv2_policy *out);
PFKV2_API int pfkv2_get_nat_t_type(const struct pfkv2_view *v, uint8_t *type);
PFKV2_API int pfkv2_get_nat_t_port(const struct pfkv2_view *v, unsigned ext,
    uint16_t *port);
PFKV2_API int pfkv2_get_nat_t_frag(const struct pfkv2_view *v,
    uint16_t *fraglen);
PFKV2_API int pfkv2_get_sec_ctx(const struct pfkv2_view *v,
    struct pfkv2_sec_ctx *out);
PFKV2_API int pfkv2_get_kmaddress(const struct pfkv2_view *v,
    struct pfkv2_kmaddress *out);
PFKV2_API int pfkv2_get_filter(const struct pfkv2_view *v,
    struct pfkv2_filter *out);
PFKV2_API int pfkv2_get_sa_replay(const struct pfkv2_view *v, uint32_t *replay);
PFKV2_API int pfkv2_get_if_hw_offl(const struct pfkv2_view *v,
    struct pfkv2_if_hw_offl *out);
/* Up to max canonical satypes into satypes[]; *n gets how many there are. */
PFKV2_API int pfkv2_get_ereg(const struct pfkv2_view *v, uint16_t *satypes,
    size_t max, size_t *n);
PFKV2_API int pfkv2_get_kmc(const struct pfkv2_view *v, struct pfkv2_kmc *out);
PFKV2_API int pfkv2_get_pair(const struct pfkv2_view *v, uint32_t *spi);
PFKV2_API int pfkv2_get_replay_value(const struct pfkv2_view *v,
    struct pfkv2_replay_value *out);
PFKV2_API int pfkv2_get_edump(const struct pfkv2_view *v, uint64_t *timeout);

/*
 * Iterator over the variable parts: ipsecrequests of X_POLICY and the
 * extended combinations (with their descriptors) of illumos X_EPROP.
 */
struct pfkv2_iter {
	const uint8_t *p_;
	const uint8_t *end_;
	const void *dl_;
	uint32_t count_;
	uint32_t reserved_[3];
};

/* ipsecrequests: 1 with *out filled, 0 at the end. */
PFKV2_API int pfkv2_ipsecrequest_first(const struct pfkv2_view *v,
    struct pfkv2_iter *it, struct pfkv2_ipsecrequest *out);
PFKV2_API int pfkv2_ipsecrequest_next(struct pfkv2_iter *it,
    struct pfkv2_ipsecrequest *out);

/* X_EPROP: the replay byte and number of ecombs, then iterate. */
PFKV2_API int pfkv2_get_eprop(const struct pfkv2_view *v, uint8_t *replay,
    size_t *n);
/* 1 with *out filled (out->algs NULL) and it positioned at its algdescs. */
PFKV2_API int pfkv2_ecomb_first(const struct pfkv2_view *v,
    struct pfkv2_iter *it, struct pfkv2_ecomb *out);
PFKV2_API int pfkv2_ecomb_next(struct pfkv2_iter *it, struct pfkv2_ecomb *out);
/* Descriptor i (< out->numalgs) of the ecomb the iterator is on. */
PFKV2_API int pfkv2_ecomb_alg(const struct pfkv2_iter *it, size_t i,
    struct pfkv2_algdesc *out);

/*
 * The lowest level: walk extension headers of a raw message without a view.
 * pfkv2_ext_first() returns the first extension after the base header (or
 * NULL), pfkv2_ext_next() the one after ext, or NULL at the end or when a
 * header is truncated, zero-length or runs past the message.  Read the
 * header through pfkv2_ext_type() and pfkv2_ext_bytes(): the extension
 * need not be aligned.
 */
PFKV2_API const void *pfkv2_ext_first(const void *msg, size_t len);
PFKV2_API const void *pfkv2_ext_next(const void *msg, size_t len,
    const void *ext);
/* Wire type and length in bytes of an extension header. */
PFKV2_API uint16_t pfkv2_ext_type(const void *ext);
PFKV2_API size_t pfkv2_ext_bytes(const void *ext);

#define PFKV2_EXT_FOREACH(e, msg, len)					\
	for ((e) = pfkv2_ext_first((msg), (len)); (e) != NULL;		\
	    (e) = pfkv2_ext_next((msg), (len), (e)))

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_PARSE_H */
