/*
 * libpfkv2 - host-order descriptions of extension contents.
 *
 * The builder takes these and the getters fill them, so one struct serves
 * both directions.  Ids are canonical (ids.h); integers are host order,
 * SPIs and ports included; pointers point into the caller's buffers.
 */
#ifndef PFKV2_TYPES_H
#define PFKV2_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include <pfkv2/ids.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An address, independent of any kernel's sockaddr layout. */
struct pfkv2_addr {
	uint8_t  family;	/* PFKV2_AF_INET, PFKV2_AF_INET6, 0: none */
	uint8_t  reserved_;
	uint16_t port;		/* host order */
	uint32_t flowinfo;	/* IPv6 */
	uint32_t scope_id;	/* IPv6 */
	uint8_t  addr[16];	/* network order; IPv4 uses the first 4 */
};

/* ADDRESS_* extensions (and NAT_T_OA, NEW_ADDRESS_*, illumos inner/NAT). */
struct pfkv2_address {
	struct pfkv2_addr addr;
	uint8_t prefixlen;
	uint8_t proto;		/* upper-layer protocol, 255: any */
	uint16_t reserved;
};

/* SA extension. */
struct pfkv2_sa {
	uint32_t spi;		/* host order */
	uint8_t  replay;	/* the dialect's unit (packets or bytes) */
	uint16_t state;		/* PFKV2_SASTATE_* */
	uint16_t auth;		/* PFKV2_AALG_* */
	uint16_t encrypt;	/* PFKV2_EALG_*, PFKV2_CALG_* for IPCOMP */
	uint64_t flags;		/* PFKV2_SAFLAG(x) bits */
	uint32_t flags_raw;	/* wire flag bits no canonical flag names */
};

/* LIFETIME_* extensions (and illumos IDLE, FreeBSD offload counters). */
struct pfkv2_lifetime {
	uint32_t allocations;
	uint64_t bytes;
	uint64_t addtime;
	uint64_t usetime;
};

/* KEY_AUTH, KEY_ENCRYPT. */
struct pfkv2_key {
	const void *data;	/* ceil(bits / 8) bytes */
	uint16_t bits;
	uint16_t reserved;	/* illumos: IV bits appended to the key */
};

/* IDENTITY_SRC, IDENTITY_DST. */
struct pfkv2_ident {
	uint16_t type;		/* PFKV2_IDENTTYPE_* */
	uint64_t id;
	const char *str;	/* NULL: no string */
	size_t len;		/* string bytes without the NUL */
};

/* SENSITIVITY, illumos OUTER_SENS. */
struct pfkv2_sens {
	uint32_t dpd;
	uint8_t  sens_level;
	uint8_t  sens_len;	/* words of sensitivity bitmap */
	uint8_t  integ_level;
	uint8_t  integ_len;	/* words of integrity bitmap */
	uint32_t flags;		/* illumos sadb_x_sens_flags */
	const void *sens_bitmap;	/* sens_len host-order words */
	const void *integ_bitmap;	/* integ_len host-order words */
};

/* One combination of PROPOSAL. */
struct pfkv2_comb {
	uint16_t auth;		/* PFKV2_AALG_* */
	uint16_t encrypt;	/* PFKV2_EALG_* */
	uint16_t flags;
	uint16_t auth_minbits;
	uint16_t auth_maxbits;
	uint16_t encrypt_minbits;
	uint16_t encrypt_maxbits;
	uint8_t  saltbits;	/* illumos */
	uint32_t soft_allocations;
	uint32_t hard_allocations;
	uint64_t soft_bytes;
	uint64_t hard_bytes;
	uint64_t soft_addtime;
	uint64_t hard_addtime;
	uint64_t soft_usetime;
	uint64_t hard_usetime;
};

/* One algorithm of SUPPORTED_AUTH / SUPPORTED_ENCRYPT. */
struct pfkv2_alg {
	uint16_t id;		/* PFKV2_AALG_* or PFKV2_EALG_* */
	uint8_t  ivlen;
	uint16_t minbits;
	uint16_t maxbits;
	uint8_t  increment;	/* illumos */
	uint8_t  saltbits;	/* illumos */
};

/* X_SA2. */
struct pfkv2_sa2 {
	uint16_t mode;		/* PFKV2_MODE_* */
	uint32_t sequence;
	uint32_t reqid;
};

/* X_POLICY header. */
struct pfkv2_policy {
	uint16_t type;		/* PFKV2_POLICY_* */
	uint16_t dir;		/* PFKV2_DIR_* */
	uint8_t  scope;		/* FreeBSD policy scope; 0 elsewhere */
	uint32_t id;
	uint32_t priority;
};

/* One request of X_POLICY (type IPSEC). */
struct pfkv2_ipsecrequest {
	uint16_t proto;		/* IP protocol: 50 ESP, 51 AH, 108 IPCOMP */
	uint16_t mode;		/* PFKV2_MODE_* */
	uint16_t level;		/* PFKV2_LEVEL_* */
	uint32_t reqid;
	struct pfkv2_addr src;	/* tunnel endpoints; family 0: none */
	struct pfkv2_addr dst;
};

/* X_SEC_CTX (Linux). */
struct pfkv2_sec_ctx {
	uint8_t alg;
	uint8_t doi;
	uint16_t len;		/* bytes of context */
	const void *ctx;
};

/* X_KMADDRESS (Linux). */
struct pfkv2_kmaddress {
	struct pfkv2_addr local;
	struct pfkv2_addr remote;
	uint32_t reserved;
};

/* X_FILTER (Linux DUMP filter). */
struct pfkv2_filter {
	struct pfkv2_addr src;	/* family of src gives the filter's family */
	struct pfkv2_addr dst;
	uint8_t splen;
	uint8_t dplen;
};

/* FreeBSD X_IF_HW_OFFL. */
struct pfkv2_if_hw_offl {
	uint32_t flags;
	char ifname[32];	/* NUL-padded */
};

/* illumos extended proposal: one algorithm descriptor. */
struct pfkv2_algdesc {
	uint16_t satype;	/* PFKV2_SATYPE_* */
	uint8_t  algtype;	/* 1 auth, 2 crypt, 3 compress */
	uint16_t alg;		/* canonical, in the space algtype names */
	uint8_t  saltbits;
	uint16_t minbits;
	uint16_t maxbits;
};

/* illumos extended combination with its descriptors. */
struct pfkv2_ecomb {
	uint16_t flags;
	uint32_t soft_allocations;
	uint32_t hard_allocations;
	uint64_t soft_bytes;
	uint64_t hard_bytes;
	uint64_t soft_addtime;
	uint64_t hard_addtime;
	uint64_t soft_usetime;
	uint64_t hard_usetime;
	uint8_t numalgs;
	const struct pfkv2_algdesc *algs;	/* builder input only */
};

/* illumos key-management cookie. */
struct pfkv2_kmc {
	uint16_t proto;		/* PFKV2_KMP_* */
	uint64_t cookie;	/* IKEv1 and KINK: must fit in 32 bits */
};

/* illumos initial replay counter. */
struct pfkv2_replay_value {
	uint32_t replay32;
	uint64_t replay64;
};

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_TYPES_H */
