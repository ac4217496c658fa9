/*
 * Internal declarations shared by the library's files.  Nothing here is
 * exported.
 */
#ifndef PFKV2_INTERNAL_H
#define PFKV2_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pfkv2/pfkv2.h"
#include "dialect/dl.h"

/*
 * ALWAYS_INLINE: into every caller.  The parser's one pass is written once
 * and instantiated for the common validation flags, so that each copy has
 * its flag tests folded away (pass.h).  NOINLINE keeps rare paths out of
 * a hot loop's registers.  LIKELY() lays the usual case out straight.
 */
#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE	inline __attribute__((always_inline))
#define NOINLINE	__attribute__((noinline))
#define LIKELY(x)	__builtin_expect(!!(x), 1)
#else
#define ALWAYS_INLINE	inline
#define NOINLINE
#define LIKELY(x)	(x)
#endif

/*
 * REFETCH(obj): what was stored in obj is read back from memory after
 * this point.  Said after a hot loop, it frees the registers that would
 * otherwise keep values from before the loop alive through it.  Only a
 * hint: without it the code is the same, only slower.
 */
#if defined(__GNUC__) || defined(__clang__)
#define REFETCH(obj)	__asm__ volatile("" : "+m"(obj))
#else
#define REFETCH(obj)	((void)0)
#endif

/*
 * Unaligned, alias-safe loads and stores.  A message buffer may sit at any
 * address; memcpy compiles to a plain move where the CPU allows it.
 */
static inline uint16_t ld16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t ld32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t ld64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void st16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void st32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void st64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Network-order conversions without <arpa/inet.h> in the codec. */
static inline uint16_t be16(uint16_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v;
#else
	return (uint16_t)((v >> 8) | (v << 8));
#endif
}

static inline uint32_t be32(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v;
#else
	return __builtin_bswap32(v);
#endif
}

/*
 * The 32-bit word whose four bytes in memory are b0 to b3, each shifted
 * into place and added (not or-ed), so that a bias added to some bytes
 * can be taken off the whole word by one subtraction of mem4() of the
 * biases: a byte that is 256 before it carries, and the carry is taken
 * back.
 */
static inline uint32_t mem4(uint32_t b0, uint32_t b1, uint32_t b2, uint32_t b3)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (b0 << 24) + (b1 << 16) + (b2 << 8) + b3;
#else
	return b0 + (b1 << 8) + (b2 << 16) + (b3 << 24);
#endif
}

/* The 32-bit word whose memory is a then b, both 16-bit host order. */
static inline uint32_t mem_u16_pair(uint16_t a, uint16_t b)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (uint32_t)a << 16 | b;
#else
	return (uint32_t)b << 16 | a;
#endif
}

static inline size_t pad8(size_t n)
{
	return (n + 7u) & ~(size_t)7u;
}

#define OFF(type, field)	offsetof(struct pfkv2_sadb_##type, field)

/* The shape of each canonical extension, independent of dialect. */
enum ext_kind {
	K_NONE = 0,
	K_SA, K_LIFETIME, K_ADDRESS, K_KEY, K_IDENT, K_SENS, K_PROP,
	K_SUPPORTED, K_SPIRANGE, K_KMPRIVATE, K_POLICY, K_SA2, K_NATT_TYPE,
	K_NATT_PORT, K_NATT_FRAG, K_SEC_CTX, K_KMADDRESS, K_FILTER,
	K_SA_REPLAY, K_IF_HW_OFFL, K_EREG, K_EPROP, K_KMC, K_PAIR,
	K_REPLAY_CTR, K_EDUMP
};

/* Aligned to 4 bytes so that the parser indexes it with one scaled load. */
struct ext_info {
	_Alignas(4) uint8_t kind;	/* enum ext_kind */
	uint8_t min;		/* smallest length in bytes */
	bool exact;		/* the length is always exactly min */
};

extern const struct ext_info pfkv2_ext_info[PFKV2_EXT_COUNT];

/* Where a check found a fault. */
struct fault {
	int code;
	uint32_t off;		/* offset in the message */
};

/* Whether the n bytes at p are all zero (padding, reserved fields). */
static inline bool
bytes_zero(const uint8_t *p, size_t n)
{
	while (n-- > 0)
		if (*p++ != 0)
			return false;
	return true;
}

/* Sockaddr codec for a dialect (lib/addr.c). */
/* Bytes of a sockaddr of that family (PFKV2_AF_*), 0 for none. */
static inline size_t
addr_wire_len(const struct dl_dialect *dl, unsigned family)
{
	return family == PFKV2_AF_INET ? 16 :
	    family == PFKV2_AF_INET6 ? dl->sin6_len : 0;
}
/*
 * Decode the sockaddr at p (at most room bytes).  Returns its length on the
 * wire, or 0 with *code set when it is malformed.
 */
size_t addr_decode(const struct dl_dialect *dl, const uint8_t *p, size_t room,
    struct pfkv2_addr *a, int *code);
/* Whether the bytes of the sockaddr at p that no getter returns are zero. */
bool addr_tail_clean(const struct dl_dialect *dl, const uint8_t *p,
    unsigned family);
/* An IPv4 sockaddr of a's port and address at p, all 16 bytes. */
static ALWAYS_INLINE void
addr_encode4(const struct dl_dialect *dl, uint8_t *p,
    const struct pfkv2_addr *a)
{
	/* The family (and BSD's length byte): the dialect's sockaddr head. */
	st16(p, dl->sa_head4);
	st16(p + 2, be16(a->port));
	memcpy(p + 4, a->addr, 4);
	st64(p + 8, 0);			/* sin_zero */
}

/* An IPv6 sockaddr at p, all dl->sin6_len bytes. */
static ALWAYS_INLINE void
addr_encode6(const struct dl_dialect *dl, uint8_t *p,
    const struct pfkv2_addr *a)
{
	size_t i;

	st16(p, dl->sa_head6);
	st16(p + 2, be16(a->port));
	st32(p + 4, be32(a->flowinfo));
	memcpy(p + 8, a->addr, 16);
	st32(p + 24, a->scope_id);
	for (i = 28; i < dl->sin6_len; i++)	/* illumos' source-id word */
		p[i] = 0;
}

/*
 * Encode a into p: all addr_wire_len() bytes, padding included.  Inline:
 * every address put runs it.
 */
static ALWAYS_INLINE int
addr_encode(const struct dl_dialect *dl, uint8_t *p,
    const struct pfkv2_addr *a)
{
	/* Read once: the stores below may alias *a, as far as C knows. */
	const unsigned family = a->family;

	if (family == PFKV2_AF_INET)
		addr_encode4(dl, p, a);
	else if (family == PFKV2_AF_INET6)
		addr_encode6(dl, p, a);
	else {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Builder internals (lib/build.c). */
enum b_state {
	B_FRESH = 0,	/* no header yet */
	B_BUILDING,	/* building */
	B_OVER,		/* a put did not fit: only counting from now on */
	B_MEASURE	/* no buffer: only counting, puts succeed */
};

uint8_t *b_reserve(struct pfkv2_builder *b, unsigned ext, size_t size,
    int *rc);
int b_check_ext(struct pfkv2_builder *b, unsigned ext, unsigned kind);
static inline const struct dl_dialect *
b_dl(const struct pfkv2_builder *b)
{
	return (const struct dl_dialect *)b->dl_;
}
int b_map(const struct pfkv2_builder *b, enum pfkv2_space s, unsigned id,
    unsigned *wire);

/*
 * The puts' fast path.  Each put first tries the case where it cannot
 * fail, with b_room() and b_wire(); anything else (a refusal, measuring,
 * an overflow) goes to its checked path, b_check_ext() and b_reserve(),
 * which decides what to answer.  So the fast path never sets errno and
 * never writes before everything is known to fit.
 */

/* An extension's header: its length in words and its wire type. */
static ALWAYS_INLINE void
ext_head(uint8_t *p, size_t size, unsigned wtype)
{
	st16(p, (uint16_t)(size / PFKV2_WORD));
	st16(p + 2, (uint16_t)wtype);
}

/*
 * The same as one store: an immediate when both are constants.  The
 * builder's paths count fewer instructions with it (measured); the
 * engine's reply writer, whose types come from a table, more.
 */
static ALWAYS_INLINE void
ext_head_word(uint8_t *p, size_t size, unsigned wtype)
{
	st32(p, mem_u16_pair((uint16_t)(size / PFKV2_WORD), (uint16_t)wtype));
}

/*
 * Room for extension ext (the caller checked that it is of its kind) of
 * size bytes, a multiple of 8, when building normally, ext is new and
 * known to the dialect, and it fits (b_init() caps cap_ at the largest
 * message, so this is also b_grow()'s range check).  Writes the
 * extension header and the message length and returns the extension,
 * whose other bytes the caller must all write: nothing is zeroed.  NULL
 * otherwise, having changed nothing.
 */
static ALWAYS_INLINE uint8_t *
b_room(struct pfkv2_builder *b, unsigned ext, size_t size)
{
	const struct dl_dialect *dl = (const struct dl_dialect *)b->dl_;
	uint8_t *const buf = b->buf_;
	const size_t len = b->len_;
	const uint64_t present = b->present_;
	uint16_t w;
	uint8_t *p;

	if (b->state_ != B_BUILDING || (present & PFKV2_EXTBIT(ext)) ||
	    size > b->cap_ - len ||
	    (w = dl->map[PFKV2_SP_EXT].c2w[ext]) == 0)
		return NULL;
	/*
	 * The builder first: a byte store may alias anything, so fields
	 * read after one are read again from memory.
	 */
	b->len_ = b->need_ = len + size;
	b->present_ = present | PFKV2_EXTBIT(ext);
	p = buf + len;
	ext_head_word(p, size, w - 1u);
	st16(buf + offsetof(struct pfkv2_sadb_msg, sadb_msg_len),
	    (uint16_t)((len + size) / PFKV2_WORD));
	return p;
}

/* Whether ext is an extension of that kind (b_check_ext()'s test). */
static ALWAYS_INLINE bool
b_kind(unsigned ext, unsigned kind)
{
	return ext < PFKV2_EXT_COUNT && pfkv2_ext_info[ext].kind == kind;
}

/*
 * A canonical id's 8-bit wire value in map m (b_map() without errno), or
 * -1 when the dialect has none or it does not fit in a byte.
 */
static ALWAYS_INLINE int
map_wire8(const struct dl_map *m, unsigned id)
{
	if (PFKV2_IS_WIRE(id))
		return PFKV2_WIRE_VALUE(id) <= 255 ? (int)PFKV2_WIRE_VALUE(id) :
		    -1;
	if (id >= m->ncanon || m->c2w == NULL || m->c2w[id] == 0)
		return -1;
	return m->c2w[id] - 1;
}

/* map_wire8() in the builder's dialect. */
static ALWAYS_INLINE int
b_wire8(const struct pfkv2_builder *b, enum pfkv2_space s, unsigned id)
{
	return map_wire8(&((const struct dl_dialect *)b->dl_)->map[s], id);
}

/*
 * pfkv2_build_msg() by the builder's calls, one put per part (the
 * reference, and the path for whatever the fast path leaves).
 */
long build_msg_puts(void *buf, size_t size, enum pfkv2_dialect d,
    const struct pfkv2_msg_parts *m);

/* View internals. */
const uint8_t *v_ext(const struct pfkv2_view *v, unsigned ext,
    unsigned kind, size_t *len);
static inline const struct dl_dialect *v_dl(const struct pfkv2_view *v)
{
	return (const struct dl_dialect *)v->dl_;
}
unsigned v_canon(const struct dl_dialect *dl, enum pfkv2_space s,
    unsigned wire);

/*
 * Per-kind structural checks, run by the parser on every extension of that
 * kind (after the minimum size).  They make the getters safe; strict says
 * whether to also demand canonical form (zero padding, exact lengths).
 */
int chk_address(const struct dl_dialect *dl, const uint8_t *e, size_t len,
    bool strict, struct fault *f);
int chk_key(const struct dl_dialect *dl, const uint8_t *e, size_t len,
    bool strict, struct fault *f);
int chk_ident(const uint8_t *e, size_t len, bool strict, struct fault *f);
int chk_sens(const uint8_t *e, size_t len, bool strict, struct fault *f);
int chk_policy(const struct dl_dialect *dl, const uint8_t *e, size_t len,
    bool strict, struct fault *f);
int chk_sec_ctx(const uint8_t *e, size_t len, bool strict, struct fault *f);
int chk_kmaddress(const struct dl_dialect *dl, const uint8_t *e, size_t len,
    bool strict, struct fault *f);
int chk_ereg(const uint8_t *e, size_t len, struct fault *f);
int chk_eprop(const uint8_t *e, size_t len, struct fault *f);

/* The structural check of an extension of that kind (parse.c). */
int chk_kind(const struct dl_dialect *dl, unsigned kind, const uint8_t *e,
    size_t len, bool strict, struct fault *f);
/* Canonical-form structure checks on an already parsed view (parse.c). */
int parse_strict_exts(const struct pfkv2_view *v, struct fault *f,
    unsigned *ext);

/*
 * The ordered checks (lib/validate.c): pfkv2_parse() without its one-pass
 * shortcut, naming the first fault in *diag.
 */
int parse_ordered(const uint8_t *msg, size_t len, const struct dl_dialect *dl,
    unsigned flags, struct pfkv2_view *v, struct pfkv2_diag *diag);
/* What a kernel checks of a request (the engine's flags): all but form. */
#define V_KERNEL_REQUEST (PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_REQUEST)
/*
 * pfkv2_parse() with V_KERNEL_REQUEST, its one pass only: 0 valid, -1
 * "ask the ordered checks" (lib/pass.h).
 */
static inline int
parse_request_pass(const uint8_t *msg, size_t len,
    const struct dl_dialect *dl, struct pfkv2_view *v)
{
	return dl->pass_kernel(msg, len, v);
}
/* Message-level checks of one extension's field values. */
int chk_values(const struct pfkv2_view *v, unsigned ext, unsigned flags,
    struct fault *f);
/* The cross-extension rules of ADD/UPDATE (SA, keys, lifetimes). */
int chk_sa_rules(const struct pfkv2_view *v, unsigned flags, struct fault *f,
    unsigned *ext);

/* Fill a diag (lib/diag.c). */
int parse_ok(struct pfkv2_diag *d, const struct pfkv2_view *v);
void diag_set(struct pfkv2_diag *d, const struct dl_dialect *dl,
    const uint8_t *msg, size_t len, int code, uint32_t off, unsigned ext);

#endif /* PFKV2_INTERNAL_H */
