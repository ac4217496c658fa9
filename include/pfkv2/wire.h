/*
 * libpfkv2 - byte-exact PF_KEY v2 wire layouts.
 *
 * Our own declarations of every structure RFC 2367 and the Linux, FreeBSD
 * and illumos kernels put on the wire.  The system's <net/pfkeyv2.h> is
 * never included, so a FreeBSD or illumos message can be built and checked
 * on any host.  Field names follow RFC 2367 so that they read familiarly;
 * the struct tags carry our prefix.
 *
 * Every field sits at its natural offset, so the layouts need no packing
 * and are the same on LP64 and ILP32.  All integers are in the host byte
 * order of the machine that talks to the kernel, except SPIs, NAT-T ports,
 * the contents of sockaddrs and the Linux filter addresses, which are in
 * network byte order.  Lengths called "words" are 64-bit words.
 *
 * A message buffer need not be aligned: the library reads and writes these
 * layouts with memcpy.  Callers who cast a buffer to these types must make
 * sure it is 8-byte aligned.
 */
#ifndef PFKV2_WIRE_H
#define PFKV2_WIRE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PFKV2_PF_KEY_V2		2	/* sadb_msg_version */
#define PFKV2_WORD		8	/* bytes in a length unit */

/*
 * sadb_msg: the base header of every message.
 *
 *  0      1      2      3      4             6             8
 *  +------+------+------+------+-------------+-------------+
 *  |vers. | type |errno |satype| len (words) |  reserved   |
 *  +------+------+------+------+-------------+-------------+
 *  |            seq            |            pid            |
 *  +---------------------------+---------------------------+
 */
struct pfkv2_sadb_msg {
	uint8_t  sadb_msg_version;
	uint8_t  sadb_msg_type;
	uint8_t  sadb_msg_errno;
	uint8_t  sadb_msg_satype;
	uint16_t sadb_msg_len;
	uint16_t sadb_msg_reserved;	/* illumos: diagnostic in replies */
	uint32_t sadb_msg_seq;
	uint32_t sadb_msg_pid;
};

/*
 * sadb_ext: the header every extension starts with.
 *
 *  +-------------+-------------+----------------------------+
 *  | len (words) |    type     |   type-specific data ...   |
 *  +-------------+-------------+----------------------------+
 */
struct pfkv2_sadb_ext {
	uint16_t sadb_ext_len;
	uint16_t sadb_ext_type;
};

struct pfkv2_sadb_sa {
	uint16_t sadb_sa_len;
	uint16_t sadb_sa_exttype;
	uint32_t sadb_sa_spi;		/* network order */
	uint8_t  sadb_sa_replay;	/* packets; bytes on FreeBSD */
	uint8_t  sadb_sa_state;
	uint8_t  sadb_sa_auth;
	uint8_t  sadb_sa_encrypt;	/* compression alg for IPCOMP */
	uint32_t sadb_sa_flags;
};

/* Also FreeBSD's LFT_CUR_*_OFFL and illumos' X_LIFETIME_IDLE. */
struct pfkv2_sadb_lifetime {
	uint16_t sadb_lifetime_len;
	uint16_t sadb_lifetime_exttype;
	uint32_t sadb_lifetime_allocations;
	uint64_t sadb_lifetime_bytes;
	uint64_t sadb_lifetime_addtime;
	uint64_t sadb_lifetime_usetime;
};

/* Followed by a sockaddr in the dialect's format, padded to 8 bytes. */
struct pfkv2_sadb_address {
	uint16_t sadb_address_len;
	uint16_t sadb_address_exttype;
	uint8_t  sadb_address_proto;
	uint8_t  sadb_address_prefixlen;
	uint16_t sadb_address_reserved;
};

/* Followed by ceil(bits / 8) key bytes, padded to 8 (illumos STR_AUTH too). */
struct pfkv2_sadb_key {
	uint16_t sadb_key_len;
	uint16_t sadb_key_exttype;
	uint16_t sadb_key_bits;
	uint16_t sadb_key_reserved;
};

/* Followed by a NUL-terminated string, padded to 8. */
struct pfkv2_sadb_ident {
	uint16_t sadb_ident_len;
	uint16_t sadb_ident_exttype;
	uint16_t sadb_ident_type;
	uint16_t sadb_ident_reserved;
	uint64_t sadb_ident_id;
};

/* Followed by sens_len then integ_len 64-bit bitmap words. */
struct pfkv2_sadb_sens {
	uint16_t sadb_sens_len;
	uint16_t sadb_sens_exttype;
	uint32_t sadb_sens_dpd;
	uint8_t  sadb_sens_sens_level;
	uint8_t  sadb_sens_sens_len;
	uint8_t  sadb_sens_integ_level;
	uint8_t  sadb_sens_integ_len;
	uint32_t sadb_sens_reserved;	/* illumos: sadb_x_sens_flags */
};

/*
 * Followed by sadb_comb[] (PROPOSAL) or, on illumos X_EPROP, by
 * numecombs x (sadb_x_ecomb + numalgs x sadb_x_algdesc).
 * Bytes 5..7 are reserved except on illumos, where byte 5 is
 * sadb_x_prop_ereserved and bytes 6..7 sadb_x_prop_numecombs.
 */
struct pfkv2_sadb_prop {
	uint16_t sadb_prop_len;
	uint16_t sadb_prop_exttype;
	uint8_t  sadb_prop_replay;
	uint8_t  sadb_prop_reserved[3];
};

/* illumos spelling of the same 8 bytes. */
struct pfkv2_sadb_x_propbase {
	uint16_t sadb_prop_len;
	uint16_t sadb_prop_exttype;
	uint8_t  sadb_prop_replay;
	uint8_t  sadb_x_prop_ereserved;
	uint16_t sadb_x_prop_numecombs;
};

/*
 * One combination inside PROPOSAL.  illumos (2024) splits the reserved word:
 * byte 12 is sadb_x_comb_encrypt_saltbits, byte 13 sadb_x_comb_reserved.
 */
struct pfkv2_sadb_comb {
	uint8_t  sadb_comb_auth;
	uint8_t  sadb_comb_encrypt;
	uint16_t sadb_comb_flags;
	uint16_t sadb_comb_auth_minbits;
	uint16_t sadb_comb_auth_maxbits;
	uint16_t sadb_comb_encrypt_minbits;
	uint16_t sadb_comb_encrypt_maxbits;
	uint32_t sadb_comb_reserved;
	uint32_t sadb_comb_soft_allocations;
	uint32_t sadb_comb_hard_allocations;
	uint64_t sadb_comb_soft_bytes;
	uint64_t sadb_comb_hard_bytes;
	uint64_t sadb_comb_soft_addtime;
	uint64_t sadb_comb_hard_addtime;
	uint64_t sadb_comb_soft_usetime;
	uint64_t sadb_comb_hard_usetime;
};

/* Followed by sadb_alg[]. */
struct pfkv2_sadb_supported {
	uint16_t sadb_supported_len;
	uint16_t sadb_supported_exttype;
	uint32_t sadb_supported_reserved;
};

/* illumos: byte 6 is sadb_x_alg_increment, byte 7 sadb_x_alg_saltbits. */
struct pfkv2_sadb_alg {
	uint8_t  sadb_alg_id;
	uint8_t  sadb_alg_ivlen;
	uint16_t sadb_alg_minbits;
	uint16_t sadb_alg_maxbits;
	uint16_t sadb_alg_reserved;
};

/* Host order on every kernel but illumos, which reads network order. */
struct pfkv2_sadb_spirange {
	uint16_t sadb_spirange_len;
	uint16_t sadb_spirange_exttype;
	uint32_t sadb_spirange_min;
	uint32_t sadb_spirange_max;
	uint32_t sadb_spirange_reserved;
};

/* KAME/Linux: opaque key-manager data follows. */
struct pfkv2_sadb_x_kmprivate {
	uint16_t sadb_x_kmprivate_len;
	uint16_t sadb_x_kmprivate_exttype;
	uint32_t sadb_x_kmprivate_reserved;
};

struct pfkv2_sadb_x_sa2 {
	uint16_t sadb_x_sa2_len;
	uint16_t sadb_x_sa2_exttype;
	uint8_t  sadb_x_sa2_mode;
	uint8_t  sadb_x_sa2_reserved1;
	uint16_t sadb_x_sa2_reserved2;
	uint32_t sadb_x_sa2_sequence;
	uint32_t sadb_x_sa2_reqid;
};

/*
 * Followed (type IPSEC) by ipsecrequests.  Byte 7 is reserved on Linux and
 * the policy scope on FreeBSD; bytes 12..15 the priority (FreeBSD: the
 * ifindex when the scope is IFNET).
 */
struct pfkv2_sadb_x_policy {
	uint16_t sadb_x_policy_len;
	uint16_t sadb_x_policy_exttype;
	uint16_t sadb_x_policy_type;
	uint8_t  sadb_x_policy_dir;
	uint8_t  sadb_x_policy_reserved;	/* FreeBSD: scope */
	uint32_t sadb_x_policy_id;
	uint32_t sadb_x_policy_priority;
};

/*
 * One request inside X_POLICY, Linux form (16 bytes).  The length is in
 * BYTES and covers the tunnel endpoints (src then dst sockaddr) that follow.
 */
struct pfkv2_sadb_x_ipsecrequest_linux {
	uint16_t sadb_x_ipsecrequest_len;
	uint16_t sadb_x_ipsecrequest_proto;
	uint8_t  sadb_x_ipsecrequest_mode;
	uint8_t  sadb_x_ipsecrequest_level;
	uint16_t sadb_x_ipsecrequest_reserved1;
	uint32_t sadb_x_ipsecrequest_reqid;
	uint32_t sadb_x_ipsecrequest_reserved2;
};

/* The KAME form (FreeBSD, 8 bytes): a 16-bit reqid, no reserved words. */
struct pfkv2_sadb_x_ipsecrequest_kame {
	uint16_t sadb_x_ipsecrequest_len;
	uint16_t sadb_x_ipsecrequest_proto;
	uint8_t  sadb_x_ipsecrequest_mode;
	uint8_t  sadb_x_ipsecrequest_level;
	uint16_t sadb_x_ipsecrequest_reqid;
};

struct pfkv2_sadb_x_nat_t_type {
	uint16_t sadb_x_nat_t_type_len;
	uint16_t sadb_x_nat_t_type_exttype;
	uint8_t  sadb_x_nat_t_type_type;
	uint8_t  sadb_x_nat_t_type_reserved[3];
};

struct pfkv2_sadb_x_nat_t_port {
	uint16_t sadb_x_nat_t_port_len;
	uint16_t sadb_x_nat_t_port_exttype;
	uint16_t sadb_x_nat_t_port_port;	/* network order */
	uint16_t sadb_x_nat_t_port_reserved;
};

/* FreeBSD. */
struct pfkv2_sadb_x_nat_t_frag {
	uint16_t sadb_x_nat_t_frag_len;
	uint16_t sadb_x_nat_t_frag_exttype;
	uint16_t sadb_x_nat_t_frag_fraglen;
	uint16_t sadb_x_nat_t_frag_reserved;
};

/* Linux: followed by ctx_len bytes of context string, padded to 8. */
struct pfkv2_sadb_x_sec_ctx {
	uint16_t sadb_x_sec_len;
	uint16_t sadb_x_sec_exttype;
	uint8_t  sadb_x_ctx_alg;
	uint8_t  sadb_x_ctx_doi;
	uint16_t sadb_x_ctx_len;
};

/* Linux: followed by the local then the remote sockaddr, padded to 8. */
struct pfkv2_sadb_x_kmaddress {
	uint16_t sadb_x_kmaddress_len;
	uint16_t sadb_x_kmaddress_exttype;
	uint32_t sadb_x_kmaddress_reserved;
};

/* Linux DUMP filter; addresses in network order. */
struct pfkv2_sadb_x_filter {
	uint16_t sadb_x_filter_len;
	uint16_t sadb_x_filter_exttype;
	uint32_t sadb_x_filter_saddr[4];
	uint32_t sadb_x_filter_daddr[4];
	uint16_t sadb_x_filter_family;
	uint8_t  sadb_x_filter_splen;
	uint8_t  sadb_x_filter_dplen;
};

/* FreeBSD: replay window in packets. */
struct pfkv2_sadb_x_sa_replay {
	uint16_t sadb_x_sa_replay_len;
	uint16_t sadb_x_sa_replay_exttype;
	uint32_t sadb_x_sa_replay_replay;
};

/* FreeBSD 15 hardware offload interface. */
#define PFKV2_IF_HW_OFFL_NAMELEN 32
struct pfkv2_sadb_x_if_hw_offl {
	uint16_t sadb_x_if_hw_offl_len;
	uint16_t sadb_x_if_hw_offl_exttype;
	uint32_t sadb_x_if_hw_offl_flags;
	uint8_t  sadb_x_if_hw_offl_if[PFKV2_IF_HW_OFFL_NAMELEN];
};

/* illumos extended register: a zero-terminated list of SA types. */
struct pfkv2_sadb_x_ereg {
	uint16_t sadb_x_ereg_len;
	uint16_t sadb_x_ereg_exttype;
	uint8_t  sadb_x_ereg_satypes[4];
};

/* illumos extended combination (inside X_EPROP), followed by algdescs. */
struct pfkv2_sadb_x_ecomb {
	uint8_t  sadb_x_ecomb_numalgs;
	uint8_t  sadb_x_ecomb_reserved;
	uint16_t sadb_x_ecomb_flags;
	uint32_t sadb_x_ecomb_reserved2;
	uint32_t sadb_x_ecomb_soft_allocations;
	uint32_t sadb_x_ecomb_hard_allocations;
	uint64_t sadb_x_ecomb_soft_bytes;
	uint64_t sadb_x_ecomb_hard_bytes;
	uint64_t sadb_x_ecomb_soft_addtime;
	uint64_t sadb_x_ecomb_hard_addtime;
	uint64_t sadb_x_ecomb_soft_usetime;
	uint64_t sadb_x_ecomb_hard_usetime;
};

struct pfkv2_sadb_x_algdesc {
	uint8_t  sadb_x_algdesc_satype;
	uint8_t  sadb_x_algdesc_algtype;
	uint8_t  sadb_x_algdesc_alg;
	uint8_t  sadb_x_algdesc_saltbits;
	uint16_t sadb_x_algdesc_minbits;
	uint16_t sadb_x_algdesc_maxbits;
};

/*
 * illumos key-management cookie.  Bytes 8..15 are also a host-order
 * 64-bit cookie (IKEv2); IKEv1 uses the low 32-bit view with the
 * reserved word zero.
 */
struct pfkv2_sadb_x_kmc {
	uint16_t sadb_x_kmc_len;
	uint16_t sadb_x_kmc_exttype;
	uint32_t sadb_x_kmc_proto;
	uint32_t sadb_x_kmc_cookie;
	uint32_t sadb_x_kmc_reserved;
};

/* illumos. */
struct pfkv2_sadb_x_pair {
	uint16_t sadb_x_pair_len;
	uint16_t sadb_x_pair_exttype;
	uint32_t sadb_x_pair_spi;		/* network order */
};

/* illumos initial replay counter. */
struct pfkv2_sadb_x_replay_ctr {
	uint16_t sadb_x_rc_len;
	uint16_t sadb_x_rc_exttype;
	uint32_t sadb_x_rc_replay32;
	uint64_t sadb_x_rc_replay64;
};

/* illumos dump filter. */
struct pfkv2_sadb_x_edump {
	uint16_t sadb_x_edump_len;
	uint16_t sadb_x_edump_exttype;
	uint32_t sadb_x_edump_reserved;
	uint64_t sadb_x_edump_timeout;
};

/* sockaddr bodies as the kernels lay them out (all network order inside). */
struct pfkv2_wire_sin_bsd {		/* FreeBSD: 16 bytes */
	uint8_t  sin_len;
	uint8_t  sin_family;
	uint16_t sin_port;
	uint8_t  sin_addr[4];
	uint8_t  sin_zero[8];
};

struct pfkv2_wire_sin6_bsd {		/* FreeBSD: 28 bytes */
	uint8_t  sin6_len;
	uint8_t  sin6_family;
	uint16_t sin6_port;
	uint32_t sin6_flowinfo;
	uint8_t  sin6_addr[16];
	uint32_t sin6_scope_id;
};

struct pfkv2_wire_sin {			/* Linux, illumos: 16 bytes */
	uint16_t sin_family;		/* host order */
	uint16_t sin_port;
	uint8_t  sin_addr[4];
	uint8_t  sin_zero[8];
};

struct pfkv2_wire_sin6 {		/* Linux: 28 bytes; illumos: 32 */
	uint16_t sin6_family;		/* host order */
	uint16_t sin6_port;
	uint32_t sin6_flowinfo;
	uint8_t  sin6_addr[16];
	uint32_t sin6_scope_id;
};

#if defined(__cplusplus) && __cplusplus >= 201103L
#define PFKV2_WIRE_ASSERT(c, m) static_assert(c, m)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define PFKV2_WIRE_ASSERT(c, m) _Static_assert(c, m)
#else
#define PFKV2_WIRE_CAT2(a, b) a##b
#define PFKV2_WIRE_CAT(a, b) PFKV2_WIRE_CAT2(a, b)
#define PFKV2_WIRE_ASSERT(c, m) \
	typedef char PFKV2_WIRE_CAT(pfkv2_wire_assert_, __LINE__)[(c) ? 1 : -1]
#endif

PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_msg) == 16, "sadb_msg");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_ext) == 4, "sadb_ext");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_sa) == 16, "sadb_sa");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_lifetime) == 32, "sadb_lifetime");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_address) == 8, "sadb_address");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_key) == 8, "sadb_key");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_ident) == 16, "sadb_ident");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_sens) == 16, "sadb_sens");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_prop) == 8, "sadb_prop");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_propbase) == 8, "propbase");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_comb) == 72, "sadb_comb");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_supported) == 8, "supported");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_alg) == 8, "sadb_alg");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_spirange) == 16, "spirange");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_kmprivate) == 8, "kmprivate");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_sa2) == 16, "x_sa2");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_policy) == 16, "x_policy");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_ipsecrequest_linux) == 16, "isr linux");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_ipsecrequest_kame) == 8, "isr kame");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_nat_t_type) == 8, "nat_t_type");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_nat_t_port) == 8, "nat_t_port");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_nat_t_frag) == 8, "nat_t_frag");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_sec_ctx) == 8, "sec_ctx");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_kmaddress) == 8, "kmaddress");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_filter) == 40, "filter");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_sa_replay) == 8, "sa_replay");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_if_hw_offl) == 40, "if_hw_offl");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_ereg) == 8, "ereg");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_ecomb) == 64, "ecomb");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_algdesc) == 8, "algdesc");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_kmc) == 16, "kmc");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_pair) == 8, "pair");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_replay_ctr) == 16, "replay_ctr");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_sadb_x_edump) == 16, "edump");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_wire_sin_bsd) == 16, "sin bsd");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_wire_sin6_bsd) == 28, "sin6 bsd");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_wire_sin) == 16, "sin");
PFKV2_WIRE_ASSERT(sizeof(struct pfkv2_wire_sin6) == 28, "sin6");

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_WIRE_H */
