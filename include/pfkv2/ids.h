/*
 * libpfkv2 - canonical, kernel-independent identifiers.
 *
 * Every number that travels in a PF_KEY message (message type, extension
 * type, SA type, algorithm, ...) means different things on different
 * kernels.  The library never exposes wire numbers as constants: callers
 * use these canonical ids and a dialect (see dialect.h) maps them to and
 * from the wire.  A wire value that a dialect does not know can still be
 * carried as PFKV2_WIRE(v), which every mapping function passes through
 * unchanged.
 */
#ifndef PFKV2_IDS_H
#define PFKV2_IDS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A raw wire value, for numbers no dialect table knows. */
#define PFKV2_WIRE_FLAG		0x8000u
#define PFKV2_WIRE(v)		(PFKV2_WIRE_FLAG | ((unsigned)(v) & 0x7fffu))
#define PFKV2_IS_WIRE(id)	(((unsigned)(id) & PFKV2_WIRE_FLAG) != 0)
#define PFKV2_WIRE_VALUE(id)	((unsigned)(id) & 0x7fffu)

/* The kernels whose PF_KEY dialect the library speaks. */
enum pfkv2_dialect {
	PFKV2_DIALECT_RFC2367 = 0,
	PFKV2_DIALECT_LINUX,
	PFKV2_DIALECT_FREEBSD,
	PFKV2_DIALECT_ILLUMOS,
	PFKV2_DIALECT_COUNT
};

/* Name spaces of the values a dialect maps. */
enum pfkv2_space {
	PFKV2_SP_MSG = 0,	/* sadb_msg_type */
	PFKV2_SP_EXT,		/* sadb_ext_type */
	PFKV2_SP_SATYPE,	/* sadb_msg_satype */
	PFKV2_SP_SASTATE,	/* sadb_sa_state */
	PFKV2_SP_AALG,		/* authentication algorithms */
	PFKV2_SP_EALG,		/* encryption algorithms */
	PFKV2_SP_CALG,		/* compression algorithms (IPCOMP) */
	PFKV2_SP_IDENTTYPE,	/* sadb_ident_type */
	PFKV2_SP_POLICY_TYPE,	/* sadb_x_policy_type */
	PFKV2_SP_POLICY_DIR,	/* sadb_x_policy_dir */
	PFKV2_SP_MODE,		/* sadb_x_sa2_mode, ipsecrequest mode */
	PFKV2_SP_LEVEL,		/* ipsecrequest level */
	PFKV2_SP_KMP,		/* illumos key-management protocol */
	PFKV2_SP_SAFLAG,	/* bits of sadb_sa_flags (canonical id = bit index) */
	PFKV2_SP_DIAG,		/* illumos diagnostic codes */
	PFKV2_SP_COUNT
};

/* Message types. */
enum pfkv2_msg {
	PFKV2_MSG_RESERVED = 0,
	PFKV2_MSG_GETSPI,
	PFKV2_MSG_UPDATE,
	PFKV2_MSG_ADD,
	PFKV2_MSG_DELETE,
	PFKV2_MSG_GET,
	PFKV2_MSG_ACQUIRE,
	PFKV2_MSG_REGISTER,
	PFKV2_MSG_EXPIRE,
	PFKV2_MSG_FLUSH,
	PFKV2_MSG_DUMP,
	PFKV2_MSG_X_PROMISC,
	PFKV2_MSG_X_PCHANGE,
	PFKV2_MSG_X_SPDUPDATE,
	PFKV2_MSG_X_SPDADD,
	PFKV2_MSG_X_SPDDELETE,
	PFKV2_MSG_X_SPDGET,
	PFKV2_MSG_X_SPDACQUIRE,
	PFKV2_MSG_X_SPDDUMP,
	PFKV2_MSG_X_SPDFLUSH,
	PFKV2_MSG_X_SPDSETIDX,
	PFKV2_MSG_X_SPDEXPIRE,
	PFKV2_MSG_X_SPDDELETE2,
	PFKV2_MSG_X_NAT_T_NEW_MAPPING,
	PFKV2_MSG_X_MIGRATE,
	PFKV2_MSG_X_INVERSE_ACQUIRE,
	PFKV2_MSG_X_UPDATEPAIR,
	PFKV2_MSG_X_DELPAIR,
	PFKV2_MSG_X_DELPAIR_STATE,
	PFKV2_MSG_COUNT
};

/*
 * Extension types.  The parsed view is indexed by these, so code reads a
 * Linux, FreeBSD or illumos message alike.  Aliases name the same slot.
 */
enum pfkv2_ext {
	PFKV2_EXT_RESERVED = 0,
	PFKV2_EXT_SA,
	PFKV2_EXT_LIFETIME_CURRENT,
	PFKV2_EXT_LIFETIME_HARD,
	PFKV2_EXT_LIFETIME_SOFT,
	PFKV2_EXT_ADDRESS_SRC,
	PFKV2_EXT_ADDRESS_DST,
	PFKV2_EXT_ADDRESS_PROXY,	/* illumos: inner (tunnel) source */
	PFKV2_EXT_KEY_AUTH,
	PFKV2_EXT_KEY_ENCRYPT,
	PFKV2_EXT_IDENTITY_SRC,
	PFKV2_EXT_IDENTITY_DST,
	PFKV2_EXT_SENSITIVITY,
	PFKV2_EXT_PROPOSAL,
	PFKV2_EXT_SUPPORTED_AUTH,
	PFKV2_EXT_SUPPORTED_ENCRYPT,
	PFKV2_EXT_SPIRANGE,
	PFKV2_EXT_KMPRIVATE,		/* KAME/Linux */
	PFKV2_EXT_POLICY,		/* KAME/Linux sadb_x_policy */
	PFKV2_EXT_SA2,			/* KAME/Linux sadb_x_sa2 */
	PFKV2_EXT_NAT_T_TYPE,
	PFKV2_EXT_NAT_T_SPORT,
	PFKV2_EXT_NAT_T_DPORT,
	PFKV2_EXT_NAT_T_OA,		/* FreeBSD: NAT_T_OAI */
	PFKV2_EXT_NAT_T_OAR,		/* FreeBSD */
	PFKV2_EXT_NAT_T_FRAG,		/* FreeBSD */
	PFKV2_EXT_SEC_CTX,		/* Linux */
	PFKV2_EXT_KMADDRESS,		/* Linux */
	PFKV2_EXT_FILTER,		/* Linux */
	PFKV2_EXT_SA_REPLAY,		/* FreeBSD */
	PFKV2_EXT_NEW_ADDRESS_SRC,	/* FreeBSD (MOBIKE) */
	PFKV2_EXT_NEW_ADDRESS_DST,	/* FreeBSD (MOBIKE) */
	PFKV2_EXT_LFT_CUR_SW_OFFL,	/* FreeBSD 15 */
	PFKV2_EXT_LFT_CUR_HW_OFFL,	/* FreeBSD 15 */
	PFKV2_EXT_IF_HW_OFFL,		/* FreeBSD 15 */
	PFKV2_EXT_EREG,			/* illumos */
	PFKV2_EXT_EPROP,		/* illumos */
	PFKV2_EXT_KMC,			/* illumos key-management cookie */
	PFKV2_EXT_ADDRESS_NATT_LOC,	/* illumos */
	PFKV2_EXT_ADDRESS_NATT_REM,	/* illumos */
	PFKV2_EXT_ADDRESS_INNER_DST,	/* illumos */
	PFKV2_EXT_PAIR,			/* illumos */
	PFKV2_EXT_REPLAY_VALUE,		/* illumos */
	PFKV2_EXT_EDUMP,		/* illumos */
	PFKV2_EXT_LIFETIME_IDLE,	/* illumos */
	PFKV2_EXT_OUTER_SENS,		/* illumos */
	PFKV2_EXT_STR_AUTH,		/* illumos */
	PFKV2_EXT_COUNT
};
#define PFKV2_EXT_ADDRESS_INNER_SRC	PFKV2_EXT_ADDRESS_PROXY
#define PFKV2_EXT_NAT_T_OAI		PFKV2_EXT_NAT_T_OA

/* Bit for a canonical extension id in a presence mask. */
#define PFKV2_EXTBIT(e)		(UINT64_C(1) << (e))

/* SA types. */
enum pfkv2_satype {
	PFKV2_SATYPE_UNSPEC = 0,
	PFKV2_SATYPE_AH,
	PFKV2_SATYPE_ESP,
	PFKV2_SATYPE_RSVP,
	PFKV2_SATYPE_OSPFV2,
	PFKV2_SATYPE_RIPV2,
	PFKV2_SATYPE_MIP,
	PFKV2_SATYPE_IPCOMP,
	PFKV2_SATYPE_POLICY,		/* FreeBSD, obsolete */
	PFKV2_SATYPE_TCPSIGNATURE,	/* RFC 2385 (FreeBSD, illumos) */
	PFKV2_SATYPE_COUNT
};

/* SA states. */
enum pfkv2_sastate {
	PFKV2_SASTATE_LARVAL = 0,
	PFKV2_SASTATE_MATURE,
	PFKV2_SASTATE_DYING,
	PFKV2_SASTATE_DEAD,
	PFKV2_SASTATE_ACTIVE_ELSEWHERE,	/* illumos */
	PFKV2_SASTATE_IDLE,		/* illumos */
	PFKV2_SASTATE_ACTIVE,		/* illumos */
	PFKV2_SASTATE_COUNT
};

/* Authentication algorithms. */
enum pfkv2_aalg {
	PFKV2_AALG_NONE = 0,
	PFKV2_AALG_MD5HMAC,
	PFKV2_AALG_SHA1HMAC,
	PFKV2_AALG_SHA2_256HMAC,
	PFKV2_AALG_SHA2_384HMAC,
	PFKV2_AALG_SHA2_512HMAC,
	PFKV2_AALG_RIPEMD160HMAC,
	PFKV2_AALG_AES_XCBC_MAC,
	PFKV2_AALG_SM3_256HMAC,
	PFKV2_AALG_AES128GMAC,
	PFKV2_AALG_AES192GMAC,
	PFKV2_AALG_AES256GMAC,
	PFKV2_AALG_CHACHA20POLY1305,
	PFKV2_AALG_MD5,			/* keyed MD5 (FreeBSD, illumos TCPSIG) */
	PFKV2_AALG_SHA,			/* keyed SHA (FreeBSD) */
	PFKV2_AALG_NULL,
	PFKV2_AALG_TCP_MD5,		/* FreeBSD TCP-MD5 */
	PFKV2_AALG_COUNT
};

/* Encryption algorithms. */
enum pfkv2_ealg {
	PFKV2_EALG_NONE = 0,
	PFKV2_EALG_DESCBC,
	PFKV2_EALG_3DESCBC,
	PFKV2_EALG_CASTCBC,
	PFKV2_EALG_BLOWFISHCBC,
	PFKV2_EALG_NULL,
	PFKV2_EALG_AESCBC,
	PFKV2_EALG_AESCTR,
	PFKV2_EALG_AES_CCM_ICV8,
	PFKV2_EALG_AES_CCM_ICV12,
	PFKV2_EALG_AES_CCM_ICV16,
	PFKV2_EALG_AES_GCM_ICV8,
	PFKV2_EALG_AES_GCM_ICV12,
	PFKV2_EALG_AES_GCM_ICV16,
	PFKV2_EALG_CAMELLIACBC,
	PFKV2_EALG_NULL_AES_GMAC,
	PFKV2_EALG_SM4CBC,
	PFKV2_EALG_SERPENTCBC,
	PFKV2_EALG_TWOFISHCBC,
	PFKV2_EALG_CHACHA20POLY1305,
	PFKV2_EALG_SKIPJACK,		/* FreeBSD, obsolete */
	PFKV2_EALG_COUNT
};

/* Compression algorithms (carried in sadb_sa_encrypt for IPCOMP SAs). */
enum pfkv2_calg {
	PFKV2_CALG_NONE = 0,
	PFKV2_CALG_OUI,
	PFKV2_CALG_DEFLATE,
	PFKV2_CALG_LZS,
	PFKV2_CALG_LZJH,
	PFKV2_CALG_COUNT
};

/* Identity types. */
enum pfkv2_identtype {
	PFKV2_IDENTTYPE_RESERVED = 0,
	PFKV2_IDENTTYPE_PREFIX,
	PFKV2_IDENTTYPE_FQDN,
	PFKV2_IDENTTYPE_USERFQDN,
	PFKV2_IDENTTYPE_ADDR,		/* FreeBSD X_ADDR */
	PFKV2_IDENTTYPE_DN,		/* illumos */
	PFKV2_IDENTTYPE_GN,		/* illumos */
	PFKV2_IDENTTYPE_KEY_ID,		/* illumos */
	PFKV2_IDENTTYPE_ADDR_RANGE,	/* illumos */
	PFKV2_IDENTTYPE_COUNT
};

/* Policy types (sadb_x_policy_type). */
enum pfkv2_policy_type {
	PFKV2_POLICY_DISCARD = 0,
	PFKV2_POLICY_NONE,
	PFKV2_POLICY_IPSEC,
	PFKV2_POLICY_ENTRUST,
	PFKV2_POLICY_BYPASS,
	PFKV2_POLICY_TYPE_COUNT
};

/* Policy directions (sadb_x_policy_dir). */
enum pfkv2_policy_dir {
	PFKV2_DIR_ANY = 0,
	PFKV2_DIR_INBOUND,
	PFKV2_DIR_OUTBOUND,
	PFKV2_DIR_FWD,			/* Linux */
	PFKV2_DIR_INVALID,
	PFKV2_DIR_COUNT
};

/* IPsec modes (sadb_x_sa2_mode, sadb_x_ipsecrequest_mode). */
enum pfkv2_mode {
	PFKV2_MODE_ANY = 0,
	PFKV2_MODE_TRANSPORT,
	PFKV2_MODE_TUNNEL,
	PFKV2_MODE_BEET,		/* Linux */
	PFKV2_MODE_IPTFS,		/* Linux, recent */
	PFKV2_MODE_TCPMD5,		/* FreeBSD */
	PFKV2_MODE_COUNT
};

/* IPsec request levels. */
enum pfkv2_level {
	PFKV2_LEVEL_DEFAULT = 0,
	PFKV2_LEVEL_USE,
	PFKV2_LEVEL_REQUIRE,
	PFKV2_LEVEL_UNIQUE,
	PFKV2_LEVEL_COUNT
};

/* Key-management protocols of the illumos KM cookie. */
enum pfkv2_kmp {
	PFKV2_KMP_MANUAL = 0,
	PFKV2_KMP_IKE,			/* IKEv1: 32-bit cookie */
	PFKV2_KMP_KINK,
	PFKV2_KMP_IKEV2,		/* 64-bit cookie, may be changed */
	PFKV2_KMP_COUNT
};

/*
 * SA flags: canonical id = bit index in a uint64_t canonical flag word
 * (PFKV2_SAFLAG(x)).  The dialect maps each to its own bit of the 32-bit
 * sadb_sa_flags.
 */
enum pfkv2_saflag {
	PFKV2_SAFLAG_PFS = 0,
	PFKV2_SAFLAG_NOREPLAY,		/* illumos */
	PFKV2_SAFLAG_NOPMTUDISC,	/* Linux */
	PFKV2_SAFLAG_DECAP_DSCP,	/* Linux */
	PFKV2_SAFLAG_NOECN,		/* Linux */
	PFKV2_SAFLAG_ESN,		/* FreeBSD */
	PFKV2_SAFLAG_OLD,		/* FreeBSD SADB_X_EXT_OLD */
	PFKV2_SAFLAG_IV4B,		/* FreeBSD */
	PFKV2_SAFLAG_DERIV,		/* FreeBSD */
	PFKV2_SAFLAG_CYCSEQ,		/* FreeBSD */
	PFKV2_SAFLAG_RAWCPI,		/* FreeBSD */
	PFKV2_SAFLAG_PRAND,		/* FreeBSD pad mode */
	PFKV2_SAFLAG_PZERO,		/* FreeBSD pad mode */
	PFKV2_SAFLAG_NATTED,		/* illumos */
	PFKV2_SAFLAG_TCPSIG,		/* illumos */
	PFKV2_SAFLAG_INBOUND,		/* illumos */
	PFKV2_SAFLAG_OUTBOUND,		/* illumos */
	PFKV2_SAFLAG_PAIRED,		/* illumos */
	PFKV2_SAFLAG_TUNNEL,		/* illumos */
	PFKV2_SAFLAG_KRES2,		/* illumos */
	PFKV2_SAFLAG_NATT_REM,		/* illumos */
	PFKV2_SAFLAG_NATT_LOC,		/* illumos */
	PFKV2_SAFLAG_KRES1,		/* illumos */
	PFKV2_SAFLAG_KM4,		/* illumos */
	PFKV2_SAFLAG_KM3,		/* illumos */
	PFKV2_SAFLAG_KM2,		/* illumos */
	PFKV2_SAFLAG_KM1,		/* illumos */
	PFKV2_SAFLAG_EALG2,		/* illumos */
	PFKV2_SAFLAG_EALG1,		/* illumos */
	PFKV2_SAFLAG_AALG2,		/* illumos */
	PFKV2_SAFLAG_AALG1,		/* illumos */
	PFKV2_SAFLAG_UNIQUE,		/* illumos */
	PFKV2_SAFLAG_USED,		/* illumos */
	PFKV2_SAFLAG_COUNT
};
#define PFKV2_SAFLAG(f)		(UINT64_C(1) << (f))

/* Address families of struct pfkv2_addr (independent of any kernel's AF_*). */
enum pfkv2_af {
	PFKV2_AF_UNSPEC = 0,
	PFKV2_AF_INET = 4,
	PFKV2_AF_INET6 = 6
};

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_IDS_H */
