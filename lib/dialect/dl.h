/*
 * Internal: the shape of a dialect table.
 *
 * Each kernel family lives in one file (rfc2367.c, linux.c, freebsd.c,
 * illumos.c) that defines one `const struct dl_dialect`.  Mappings are
 * written once, as X-macro lists of (canonical id, wire value, macro name);
 * the same list expands into the name rows and into the two direct-index
 * arrays the hot path uses, so the three can never disagree.
 */
#ifndef PFKV2_DL_H
#define PFKV2_DL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pfkv2/dialect.h"
#include "pfkv2/ids.h"

/* One named mapping: canonical id <-> wire value. */
struct dl_row {
	uint16_t canon;
	uint16_t wire;
	const char *name;
};

/*
 * One name space of one dialect.  w2c[wire] is canon + 1 (0: unknown wire
 * value); c2w[canon] is wire + 1 (0: the dialect has no such id).  Wire
 * values above 255 do not occur in any supported space.
 */
struct dl_map {
	const struct dl_row *rows;	/* main rows, then aliases */
	uint16_t nrows;
	const uint8_t *w2c;		/* 256 entries */
	const uint16_t *c2w;		/* ncanon entries */
	uint16_t ncanon;
};

/* Layout of the sockaddr inside address extensions. */
enum dl_sockaddr_style {
	DL_SA_LINUX,		/* u16 family (host order), no length byte */
	DL_SA_BSD,		/* u8 sa_len, u8 family */
	DL_SA_ILLUMOS		/* u16 family; sockaddr_in6 is 32 bytes */
};

/* Unit of sadb_sa_replay. */
enum dl_replay_unit {
	DL_REPLAY_PACKETS,
	DL_REPLAY_BYTES		/* KAME: bytes of bitmap, 8 packets each */
};

/* What the kernel does with an extension type it does not know. */
enum dl_unknown_ext {
	DL_UNKNOWN_SKIP,	/* RFC 2367, Linux */
	DL_UNKNOWN_REJECT	/* FreeBSD, illumos */
};

/* Allowed and required extensions of one message type. */
struct dl_msgrule {
	uint64_t allow_in;	/* user -> kernel */
	uint64_t req_in;
	uint64_t allow_out;	/* kernel -> user */
	uint64_t req_out;
	uint8_t flags;		/* DL_MR_* */
};

/*
 * pfkv2_parse() for one dialect (lib/pass.h, instantiated by each
 * dialect's file for its own table), one copy per flag set it is compiled
 * for (the flags argument matters to DL_PASS_ANY only), with the public
 * function's arguments so that it jumps there unchanged; and the engine's
 * request check, the passes alone: 0 valid, -1 "ask the ordered checks".
 */
struct pfkv2_view;
struct pfkv2_diag;
typedef int dl_parse_fn(const void *msg, size_t len, enum pfkv2_dialect d,
    unsigned flags, struct pfkv2_view *v, struct pfkv2_diag *diag);
typedef int dl_kpass_fn(const uint8_t *msg, size_t len,
    struct pfkv2_view *v);
struct pfkv2_msg_parts;
/* pfkv2_build_msg()'s own arguments, so that it jumps with them as given. */
typedef long dl_build_msg_fn(void *buf, size_t size, enum pfkv2_dialect d,
    const struct pfkv2_msg_parts *m);
enum {
	DL_PASS_ANY,		/* any flags */
	DL_PASS_REQUEST,	/* PFKV2_V_ALL | PFKV2_V_REQUEST */
	DL_PASS_REPLY,		/* PFKV2_V_ALL | PFKV2_V_REPLY */
	DL_PASS_KERNEL,		/* V_KERNEL_REQUEST (the engine) */
	DL_PASS_COUNT
};
#define DL_PASS_DECLARE(pfx)						\
	static dl_parse_fn pfx##_parse_request, pfx##_parse_reply,	\
	    pfx##_parse_kernel, pfx##_parse_any;			\
	static dl_kpass_fn pfx##_pass_kernel;				\
	static dl_build_msg_fn pfx##_build_msg
#define DL_PASSES(pfx)							\
	.parse = { pfx##_parse_any, pfx##_parse_request,		\
	    pfx##_parse_reply, pfx##_parse_kernel },			\
	.pass_kernel = pfx##_pass_kernel,				\
	.build_msg = pfx##_build_msg

#define DL_MR_NO_IN	0x01	/* the kernel has no handler: user may not send */
#define DL_MR_NO_OUT	0x02	/* the kernel never emits it */
#define DL_MR_SATYPE	0x04	/* requires a specific satype (not UNSPEC) */
#define DL_MR_BASE_ONLY	0x08	/* request carries no extensions at all */

struct dl_dialect {
	enum pfkv2_dialect id;
	const char *name;		/* "linux" */
	struct dl_map map[PFKV2_SP_COUNT];

	/* Canonical extensions this dialect defines (bit per PFKV2_EXT_*). */
	uint64_t ext_mask;
	/* Highest wire extension type the kernel knows (SADB_EXT_MAX). */
	uint16_t ext_max;
	/* Highest wire message type (SADB_MAX). */
	uint16_t msg_max;

	/* Socket and address facts. */
	int pf_key;			/* PF_KEY / AF_KEY */
	uint16_t af_inet;
	uint16_t af_inet6;
	uint8_t sockaddr_style;		/* enum dl_sockaddr_style */
	uint8_t sin6_len;		/* 28, or 32 on illumos */
	/*
	 * The first two bytes of an AF_INET and an AF_INET6 sockaddr as
	 * ld16() reads them (DL_SA_HEAD_*): the parser recognises a sockaddr
	 * and its length with one compare.  Never 0, never equal.
	 */
	uint16_t sa_head4;
	uint16_t sa_head6;
	uint8_t isr_size;		/* sadb_x_ipsecrequest: 16, 8, 0 (none) */
	uint8_t replay_unit;		/* enum dl_replay_unit */
	uint8_t unknown_ext;		/* enum dl_unknown_ext */
	bool spirange_net_order;	/* illumos */
	bool key_exact;			/* KEY ext must be exactly as long as bits need */
	bool hs_lifetime_pair;		/* HARD and SOFT both or neither (ADD/UPDATE) */
	uint32_t revision;		/* PFKEYV2_REVISION */
	uint32_t max_msg;		/* largest request the kernel takes (0: no limit) */
	uint8_t isr_max;		/* most ipsecrequests in a policy (0: no limit) */

	/* Per canonical message type (PFKV2_MSG_*). */
	const struct dl_msgrule *rules;
	/* The parser, by DL_PASS_*, and the engine's request check. */
	dl_parse_fn *parse[DL_PASS_COUNT];
	dl_kpass_fn *pass_kernel;
	/* pfkv2_build_msg() for this dialect (lib/build_msg.h). */
	dl_build_msg_fn *build_msg;
};

/* sa_head of a sockaddr that starts with a host-order u16 family. */
#define DL_SA_HEAD_U16(fam)	((uint16_t)(fam))
/* sa_head of a BSD sockaddr: the sa_len byte, then the family byte. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define DL_SA_HEAD_BSD(len, fam)	((uint16_t)((len) << 8 | (fam)))
#else
#define DL_SA_HEAD_BSD(len, fam)	((uint16_t)((fam) << 8 | (len)))
#endif

/* The four dialects, in enum pfkv2_dialect order. */
extern const struct dl_dialect pfkv2_dl_rfc2367;
extern const struct dl_dialect pfkv2_dl_linux;
extern const struct dl_dialect pfkv2_dl_freebsd;
extern const struct dl_dialect pfkv2_dl_illumos;

/* Each dialect's public facts, defined beside its tables. */
extern const struct pfkv2_dialect_info pfkv2_dl_rfc2367_info;
extern const struct pfkv2_dialect_info pfkv2_dl_linux_info;
extern const struct pfkv2_dialect_info pfkv2_dl_freebsd_info;
extern const struct pfkv2_dialect_info pfkv2_dl_illumos_info;

/* The four tables, in enum pfkv2_dialect order (lib/dialect.c). */
extern const struct dl_dialect *const pfkv2_dl_tables[PFKV2_DIALECT_COUNT];

/* The table of a dialect, NULL when d is out of range. */
static inline const struct dl_dialect *
pfkv2_dl_get(enum pfkv2_dialect d)
{
	return (unsigned)d < PFKV2_DIALECT_COUNT ? pfkv2_dl_tables[d] : NULL;
}

/* Fast lookups for the codec's hot path (no argument checks). */
static inline int dl_w2c(const struct dl_dialect *dl, enum pfkv2_space s,
    unsigned wire)
{
	const struct dl_map *m = &dl->map[s];
	if (wire > 255 || m->w2c == NULL || m->w2c[wire] == 0)
		return -1;
	return m->w2c[wire] - 1;
}

static inline int dl_c2w(const struct dl_dialect *dl, enum pfkv2_space s,
    unsigned canon)
{
	const struct dl_map *m = &dl->map[s];
	if (canon >= m->ncanon || m->c2w == NULL || m->c2w[canon] == 0)
		return -1;
	return m->c2w[canon] - 1;
}

/*
 * X-macro helpers.  A list is written as
 *	#define LINUX_EXT(X) X(PFKV2_EXT_SA, 1, "SADB_EXT_SA") ...
 * and expanded with DL_ROWS / DL_W2C / DL_C2W.  Aliases (a second macro name
 * for a mapping already listed) go in a separate list that only feeds rows.
 */
#define DL_ROW(c, w, n)	{ (c), (w), (n) },
#define DL_W2C(c, w, n)	[(w)] = (uint8_t)((c) + 1),
#define DL_C2W(c, w, n)	[(c)] = (uint16_t)((w) + 1),

#define DL_MAP_DEF(pfx, LIST, ALIASES, NCANON)				\
	static const struct dl_row pfx##_rows[] = {			\
		LIST(DL_ROW) ALIASES(DL_ROW)				\
	};								\
	static const uint8_t pfx##_w2c[256] = { LIST(DL_W2C) };		\
	static const uint16_t pfx##_c2w[NCANON] = { LIST(DL_C2W) }

#define DL_MAP(pfx, NCANON)						\
	{ pfx##_rows, (uint16_t)(sizeof(pfx##_rows) / sizeof(pfx##_rows[0])), \
	  pfx##_w2c, pfx##_c2w, (NCANON) }

#define DL_NOALIAS(X)
#define DL_EMPTY_MAP { NULL, 0, NULL, NULL, 0 }

#define DL_B(e)	PFKV2_EXTBIT(PFKV2_EXT_##e)

#endif /* PFKV2_DL_H */
