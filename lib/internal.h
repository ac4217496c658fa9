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

struct ext_info {
	uint8_t kind;		/* enum ext_kind */
	uint8_t min;		/* smallest length in bytes */
	bool exact;		/* the length is always exactly min */
};

extern const struct ext_info pfkv2_ext_info[PFKV2_EXT_COUNT];

/* Where a check found a fault. */
struct fault {
	int code;
	uint32_t off;		/* offset in the message */
};

/* Sockaddr codec for a dialect (lib/addr.c). */
size_t addr_wire_len(const struct dl_dialect *dl, unsigned family);
/*
 * Decode the sockaddr at p (at most room bytes).  Returns its length on the
 * wire, or 0 with *code set when it is malformed.
 */
size_t addr_decode(const struct dl_dialect *dl, const uint8_t *p, size_t room,
    struct pfkv2_addr *a, int *code);
/* Whether the bytes of the sockaddr at p that no getter returns are zero. */
bool addr_tail_clean(const struct dl_dialect *dl, const uint8_t *p,
    unsigned family);
/* Encode a into p (addr_wire_len() bytes, zeroed first by the caller). */
int addr_encode(const struct dl_dialect *dl, uint8_t *p,
    const struct pfkv2_addr *a);

/* Builder internals (lib/build.c). */
uint8_t *b_reserve(struct pfkv2_builder *b, unsigned ext, size_t size,
    int *rc);
int b_check_ext(struct pfkv2_builder *b, unsigned ext, unsigned kind);
const struct dl_dialect *b_dl(const struct pfkv2_builder *b);
int b_map(const struct pfkv2_builder *b, enum pfkv2_space s, unsigned id,
    unsigned *wire);

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

/* Canonical-form structure checks on an already parsed view (parse.c). */
int parse_strict_exts(const struct pfkv2_view *v, struct fault *f,
    unsigned *ext);

/* Message-level checks of one extension's field values (lib/validate.c). */
int chk_values(const struct pfkv2_view *v, unsigned ext, unsigned flags,
    struct fault *f);

/* Fill a diag (lib/diag.c). */
void diag_set(struct pfkv2_diag *d, const struct dl_dialect *dl,
    const uint8_t *msg, size_t len, int code, uint32_t off, unsigned ext);

#endif /* PFKV2_INTERNAL_H */
