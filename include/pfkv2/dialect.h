/*
 * libpfkv2 - dialects: each kernel's numbering and layout choices.
 *
 * See pfkv2_dialect(3) and pfkv2-dialects(7).
 */
#ifndef PFKV2_DIALECT_H
#define PFKV2_DIALECT_H

#include <stdbool.h>
#include <stdint.h>

#include <pfkv2/ids.h>
#include <pfkv2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Facts about a dialect that callers may need (read-only). */
struct pfkv2_dialect_info {
	const char *name;		/* "linux", "freebsd", "illumos", "rfc2367" */
	int pf_key;			/* the kernel's PF_KEY number */
	unsigned af_inet;		/* the kernel's AF_INET */
	unsigned af_inet6;		/* the kernel's AF_INET6 */
	unsigned sin6_len;		/* bytes of its sockaddr_in6 */
	unsigned ipsecrequest_len;	/* sadb_x_ipsecrequest header, 0: none */
	bool replay_in_bytes;		/* sadb_sa_replay counts bitmap bytes */
	bool spirange_network_order;	/* sadb_spirange min/max byte order */
	bool skips_unknown_ext;		/* unknown extensions ignored, not refused */
	unsigned ext_max;		/* SADB_EXT_MAX */
	unsigned msg_max;		/* SADB_MAX */
	unsigned long revision;		/* PFKEYV2_REVISION */
	unsigned long max_msg;		/* largest request accepted, 0: no limit */
};

/* Dialect by name ("linux", ...); -1 and EINVAL when unknown. */
PFKV2_API int pfkv2_dialect_from_name(const char *name);
/* Name of a dialect, NULL when out of range. */
PFKV2_API const char *pfkv2_dialect_name(enum pfkv2_dialect d);
/* Facts about a dialect, NULL (EINVAL) when out of range. */
PFKV2_API const struct pfkv2_dialect_info *
pfkv2_dialect_info(enum pfkv2_dialect d);

/*
 * Canonical id -> wire value.  PFKV2_WIRE(v) passes v through.  Returns -1
 * with ENOTSUP when the dialect has no such value, EINVAL on bad arguments.
 */
PFKV2_API int pfkv2_dialect_to_wire(enum pfkv2_dialect d, enum pfkv2_space s,
    unsigned id);
/*
 * Wire value -> canonical id.  A value the dialect does not know comes back
 * as PFKV2_WIRE(wire), so nothing is lost.  -1 (EINVAL) on bad arguments.
 */
PFKV2_API int pfkv2_dialect_from_wire(enum pfkv2_dialect d, enum pfkv2_space s,
    unsigned wire);
/* The kernel's macro name of a wire value ("SADB_X_EXT_SA2"), or NULL. */
PFKV2_API const char *pfkv2_dialect_wire_name(enum pfkv2_dialect d,
    enum pfkv2_space s, unsigned wire);
/*
 * Look a kernel macro name up ("SADB_X_AALG_SHA2_256HMAC"): its space and
 * wire value.  0 on success, -1 with ENOENT when the dialect has no such name.
 */
PFKV2_API int pfkv2_dialect_lookup(enum pfkv2_dialect d, const char *name,
    enum pfkv2_space *s, unsigned *wire);
/* Whether the dialect defines a canonical extension. */
PFKV2_API bool pfkv2_dialect_has_ext(enum pfkv2_dialect d, unsigned ext);

/*
 * Canonical SA flags (PFKV2_SAFLAG(x) bits) -> the dialect's sadb_sa_flags.
 * -1 with ENOTSUP when a flag has no bit in this dialect.
 */
PFKV2_API int pfkv2_dialect_flags_to_wire(enum pfkv2_dialect d, uint64_t flags,
    uint32_t *wire);
/* The reverse; bits the dialect does not name are returned in *unknown. */
PFKV2_API uint64_t pfkv2_dialect_flags_from_wire(enum pfkv2_dialect d,
    uint32_t wire, uint32_t *unknown);

/*
 * Short, kernel-independent name of a canonical id ("ADD", "ADDRESS_SRC",
 * "esp", "aes-cbc", "tunnel"), or NULL.
 */
PFKV2_API const char *pfkv2_id_name(enum pfkv2_space s, unsigned id);
/* The reverse of pfkv2_id_name(); -1 (ENOENT) when unknown. */
PFKV2_API int pfkv2_id_from_name(enum pfkv2_space s, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_DIALECT_H */
