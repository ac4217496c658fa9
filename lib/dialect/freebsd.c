/*
 * libpfkv2 - the FreeBSD dialect (sys/net/pfkeyv2.h, sys/netipsec/ipsec.h,
 * sys/netipsec/key.c).  KAME numbering with FreeBSD's later additions:
 * SA_REPLAY (26), MOBIKE NEW_ADDRESS_SRC/DST (27/28) and the FreeBSD 15
 * offload extensions (29-31).
 *
 * Numbers come from the reference TSV (platform "freebsd"); message rules
 * from pfkey-structs.md section 6.3 and validation-and-semantics.md
 * section 2.2.
 */
#include "dl.h"
#include "pfkv2/dialect.h"

DL_PASS_DECLARE(dl_freebsd);

#define FREEBSD_MSG(X)							\
	X(PFKV2_MSG_RESERVED,		0,  "SADB_RESERVED")		\
	X(PFKV2_MSG_GETSPI,		1,  "SADB_GETSPI")		\
	X(PFKV2_MSG_UPDATE,		2,  "SADB_UPDATE")		\
	X(PFKV2_MSG_ADD,		3,  "SADB_ADD")			\
	X(PFKV2_MSG_DELETE,		4,  "SADB_DELETE")		\
	X(PFKV2_MSG_GET,		5,  "SADB_GET")			\
	X(PFKV2_MSG_ACQUIRE,		6,  "SADB_ACQUIRE")		\
	X(PFKV2_MSG_REGISTER,		7,  "SADB_REGISTER")		\
	X(PFKV2_MSG_EXPIRE,		8,  "SADB_EXPIRE")		\
	X(PFKV2_MSG_FLUSH,		9,  "SADB_FLUSH")		\
	X(PFKV2_MSG_DUMP,		10, "SADB_DUMP")		\
	X(PFKV2_MSG_X_PROMISC,		11, "SADB_X_PROMISC")		\
	X(PFKV2_MSG_X_PCHANGE,		12, "SADB_X_PCHANGE")		\
	X(PFKV2_MSG_X_SPDUPDATE,	13, "SADB_X_SPDUPDATE")		\
	X(PFKV2_MSG_X_SPDADD,		14, "SADB_X_SPDADD")		\
	X(PFKV2_MSG_X_SPDDELETE,	15, "SADB_X_SPDDELETE")		\
	X(PFKV2_MSG_X_SPDGET,		16, "SADB_X_SPDGET")		\
	X(PFKV2_MSG_X_SPDACQUIRE,	17, "SADB_X_SPDACQUIRE")	\
	X(PFKV2_MSG_X_SPDDUMP,		18, "SADB_X_SPDDUMP")		\
	X(PFKV2_MSG_X_SPDFLUSH,		19, "SADB_X_SPDFLUSH")		\
	X(PFKV2_MSG_X_SPDSETIDX,	20, "SADB_X_SPDSETIDX")		\
	X(PFKV2_MSG_X_SPDEXPIRE,	21, "SADB_X_SPDEXPIRE")		\
	X(PFKV2_MSG_X_SPDDELETE2,	22, "SADB_X_SPDDELETE2")

#define FREEBSD_EXT(X)							\
	X(PFKV2_EXT_RESERVED,		0,  "SADB_EXT_RESERVED")	\
	X(PFKV2_EXT_SA,			1,  "SADB_EXT_SA")		\
	X(PFKV2_EXT_LIFETIME_CURRENT,	2,  "SADB_EXT_LIFETIME_CURRENT") \
	X(PFKV2_EXT_LIFETIME_HARD,	3,  "SADB_EXT_LIFETIME_HARD")	\
	X(PFKV2_EXT_LIFETIME_SOFT,	4,  "SADB_EXT_LIFETIME_SOFT")	\
	X(PFKV2_EXT_ADDRESS_SRC,	5,  "SADB_EXT_ADDRESS_SRC")	\
	X(PFKV2_EXT_ADDRESS_DST,	6,  "SADB_EXT_ADDRESS_DST")	\
	X(PFKV2_EXT_ADDRESS_PROXY,	7,  "SADB_EXT_ADDRESS_PROXY")	\
	X(PFKV2_EXT_KEY_AUTH,		8,  "SADB_EXT_KEY_AUTH")	\
	X(PFKV2_EXT_KEY_ENCRYPT,	9,  "SADB_EXT_KEY_ENCRYPT")	\
	X(PFKV2_EXT_IDENTITY_SRC,	10, "SADB_EXT_IDENTITY_SRC")	\
	X(PFKV2_EXT_IDENTITY_DST,	11, "SADB_EXT_IDENTITY_DST")	\
	X(PFKV2_EXT_SENSITIVITY,	12, "SADB_EXT_SENSITIVITY")	\
	X(PFKV2_EXT_PROPOSAL,		13, "SADB_EXT_PROPOSAL")	\
	X(PFKV2_EXT_SUPPORTED_AUTH,	14, "SADB_EXT_SUPPORTED_AUTH")	\
	X(PFKV2_EXT_SUPPORTED_ENCRYPT,	15, "SADB_EXT_SUPPORTED_ENCRYPT") \
	X(PFKV2_EXT_SPIRANGE,		16, "SADB_EXT_SPIRANGE")	\
	X(PFKV2_EXT_KMPRIVATE,		17, "SADB_X_EXT_KMPRIVATE")	\
	X(PFKV2_EXT_POLICY,		18, "SADB_X_EXT_POLICY")	\
	X(PFKV2_EXT_SA2,		19, "SADB_X_EXT_SA2")		\
	X(PFKV2_EXT_NAT_T_TYPE,		20, "SADB_X_EXT_NAT_T_TYPE")	\
	X(PFKV2_EXT_NAT_T_SPORT,	21, "SADB_X_EXT_NAT_T_SPORT")	\
	X(PFKV2_EXT_NAT_T_DPORT,	22, "SADB_X_EXT_NAT_T_DPORT")	\
	X(PFKV2_EXT_NAT_T_OAI,		23, "SADB_X_EXT_NAT_T_OAI")	\
	X(PFKV2_EXT_NAT_T_OAR,		24, "SADB_X_EXT_NAT_T_OAR")	\
	X(PFKV2_EXT_NAT_T_FRAG,		25, "SADB_X_EXT_NAT_T_FRAG")	\
	X(PFKV2_EXT_SA_REPLAY,		26, "SADB_X_EXT_SA_REPLAY")	\
	X(PFKV2_EXT_NEW_ADDRESS_SRC,	27, "SADB_X_EXT_NEW_ADDRESS_SRC") \
	X(PFKV2_EXT_NEW_ADDRESS_DST,	28, "SADB_X_EXT_NEW_ADDRESS_DST") \
	X(PFKV2_EXT_LFT_CUR_SW_OFFL,	29, "SADB_X_EXT_LFT_CUR_SW_OFFL") \
	X(PFKV2_EXT_LFT_CUR_HW_OFFL,	30, "SADB_X_EXT_LFT_CUR_HW_OFFL") \
	X(PFKV2_EXT_IF_HW_OFFL,		31, "SADB_X_EXT_IF_HW_OFFL")

/* The header keeps NAT_T_OA as a deprecated name for NAT_T_OAI. */
#define FREEBSD_EXT_ALIAS(X)						\
	X(PFKV2_EXT_NAT_T_OAI,		23, "SADB_X_EXT_NAT_T_OA")

/* POLICY (10) is obsolete ("do not reuse"); kept for decoding. */
#define FREEBSD_SATYPE(X)						\
	X(PFKV2_SATYPE_UNSPEC,		0,  "SADB_SATYPE_UNSPEC")	\
	X(PFKV2_SATYPE_AH,		2,  "SADB_SATYPE_AH")		\
	X(PFKV2_SATYPE_ESP,		3,  "SADB_SATYPE_ESP")		\
	X(PFKV2_SATYPE_RSVP,		5,  "SADB_SATYPE_RSVP")		\
	X(PFKV2_SATYPE_OSPFV2,		6,  "SADB_SATYPE_OSPFV2")	\
	X(PFKV2_SATYPE_RIPV2,		7,  "SADB_SATYPE_RIPV2")	\
	X(PFKV2_SATYPE_MIP,		8,  "SADB_SATYPE_MIP")		\
	X(PFKV2_SATYPE_IPCOMP,		9,  "SADB_X_SATYPE_IPCOMP")	\
	X(PFKV2_SATYPE_POLICY,		10, "SADB_X_SATYPE_POLICY")	\
	X(PFKV2_SATYPE_TCPSIGNATURE,	11, "SADB_X_SATYPE_TCPSIGNATURE")

#define FREEBSD_SASTATE(X)						\
	X(PFKV2_SASTATE_LARVAL,		0, "SADB_SASTATE_LARVAL")	\
	X(PFKV2_SASTATE_MATURE,		1, "SADB_SASTATE_MATURE")	\
	X(PFKV2_SASTATE_DYING,		2, "SADB_SASTATE_DYING")	\
	X(PFKV2_SASTATE_DEAD,		3, "SADB_SASTATE_DEAD")

/* FreeBSD spells the SHA-2 HMACs without the HMAC suffix. */
#define FREEBSD_AALG(X)							\
	X(PFKV2_AALG_NONE,		0,   "SADB_AALG_NONE")		\
	X(PFKV2_AALG_MD5HMAC,		2,   "SADB_AALG_MD5HMAC")	\
	X(PFKV2_AALG_SHA1HMAC,		3,   "SADB_AALG_SHA1HMAC")	\
	X(PFKV2_AALG_SHA2_256HMAC,	5,   "SADB_X_AALG_SHA2_256")	\
	X(PFKV2_AALG_SHA2_384HMAC,	6,   "SADB_X_AALG_SHA2_384")	\
	X(PFKV2_AALG_SHA2_512HMAC,	7,   "SADB_X_AALG_SHA2_512")	\
	X(PFKV2_AALG_RIPEMD160HMAC,	8,   "SADB_X_AALG_RIPEMD160HMAC") \
	X(PFKV2_AALG_AES_XCBC_MAC,	9,   "SADB_X_AALG_AES_XCBC_MAC") \
	X(PFKV2_AALG_AES128GMAC,	11,  "SADB_X_AALG_AES128GMAC")	\
	X(PFKV2_AALG_AES192GMAC,	12,  "SADB_X_AALG_AES192GMAC")	\
	X(PFKV2_AALG_AES256GMAC,	13,  "SADB_X_AALG_AES256GMAC")	\
	X(PFKV2_AALG_CHACHA20POLY1305,	14,  "SADB_X_AALG_CHACHA20POLY1305") \
	X(PFKV2_AALG_MD5,		249, "SADB_X_AALG_MD5")		\
	X(PFKV2_AALG_SHA,		250, "SADB_X_AALG_SHA")		\
	X(PFKV2_AALG_NULL,		251, "SADB_X_AALG_NULL")	\
	X(PFKV2_AALG_TCP_MD5,		252, "SADB_X_AALG_TCP_MD5")

/*
 * AES-CTR is 13 today (250 in the 2012 header); SKIPJACK 249 is gone from
 * the current header but kept so that old kernels decode.  AESGMAC (23) is
 * RFC 4543 ENCR_NULL_AUTH_AES_GMAC, Linux's NULL_AES_GMAC.
 */
#define FREEBSD_EALG(X)							\
	X(PFKV2_EALG_NONE,		0,   "SADB_EALG_NONE")		\
	X(PFKV2_EALG_DESCBC,		2,   "SADB_EALG_DESCBC")	\
	X(PFKV2_EALG_3DESCBC,		3,   "SADB_EALG_3DESCBC")	\
	X(PFKV2_EALG_CASTCBC,		6,   "SADB_X_EALG_CAST128CBC")	\
	X(PFKV2_EALG_BLOWFISHCBC,	7,   "SADB_X_EALG_BLOWFISHCBC")	\
	X(PFKV2_EALG_NULL,		11,  "SADB_EALG_NULL")		\
	X(PFKV2_EALG_AESCBC,		12,  "SADB_X_EALG_AES")		\
	X(PFKV2_EALG_AESCTR,		13,  "SADB_X_EALG_AESCTR")	\
	X(PFKV2_EALG_CHACHA20POLY1305,	15,  "SADB_X_EALG_CHACHA20POLY1305") \
	X(PFKV2_EALG_AES_GCM_ICV8,	18,  "SADB_X_EALG_AESGCM8")	\
	X(PFKV2_EALG_AES_GCM_ICV12,	19,  "SADB_X_EALG_AESGCM12")	\
	X(PFKV2_EALG_AES_GCM_ICV16,	20,  "SADB_X_EALG_AESGCM16")	\
	X(PFKV2_EALG_CAMELLIACBC,	22,  "SADB_X_EALG_CAMELLIACBC")	\
	X(PFKV2_EALG_NULL_AES_GMAC,	23,  "SADB_X_EALG_AESGMAC")	\
	X(PFKV2_EALG_SKIPJACK,		249, "SADB_X_EALG_SKIPJACK")

#define FREEBSD_EALG_ALIAS(X)						\
	X(PFKV2_EALG_AESCBC,		12,  "SADB_X_EALG_AESCBC")	\
	X(PFKV2_EALG_AESCBC,		12,  "SADB_X_EALG_RIJNDAELCBC")

#define FREEBSD_CALG(X)							\
	X(PFKV2_CALG_NONE,		0, "SADB_X_CALG_NONE")		\
	X(PFKV2_CALG_OUI,		1, "SADB_X_CALG_OUI")		\
	X(PFKV2_CALG_DEFLATE,		2, "SADB_X_CALG_DEFLATE")	\
	X(PFKV2_CALG_LZS,		3, "SADB_X_CALG_LZS")

#define FREEBSD_IDENTTYPE(X)						\
	X(PFKV2_IDENTTYPE_RESERVED,	0, "SADB_IDENTTYPE_RESERVED")	\
	X(PFKV2_IDENTTYPE_PREFIX,	1, "SADB_IDENTTYPE_PREFIX")	\
	X(PFKV2_IDENTTYPE_FQDN,		2, "SADB_IDENTTYPE_FQDN")	\
	X(PFKV2_IDENTTYPE_USERFQDN,	3, "SADB_IDENTTYPE_USERFQDN")	\
	X(PFKV2_IDENTTYPE_ADDR,		4, "SADB_X_IDENTTYPE_ADDR")

#define FREEBSD_POLICY_TYPE(X)						\
	X(PFKV2_POLICY_DISCARD,		0, "IPSEC_POLICY_DISCARD")	\
	X(PFKV2_POLICY_NONE,		1, "IPSEC_POLICY_NONE")		\
	X(PFKV2_POLICY_IPSEC,		2, "IPSEC_POLICY_IPSEC")	\
	X(PFKV2_POLICY_ENTRUST,		3, "IPSEC_POLICY_ENTRUST")	\
	X(PFKV2_POLICY_BYPASS,		4, "IPSEC_POLICY_BYPASS")

/* No FWD; INVALID is 4 (Linux: 5). */
#define FREEBSD_POLICY_DIR(X)						\
	X(PFKV2_DIR_ANY,		0, "IPSEC_DIR_ANY")		\
	X(PFKV2_DIR_INBOUND,		1, "IPSEC_DIR_INBOUND")		\
	X(PFKV2_DIR_OUTBOUND,		2, "IPSEC_DIR_OUTBOUND")	\
	X(PFKV2_DIR_INVALID,		4, "IPSEC_DIR_INVALID")

/* Mode 3 is TCPMD5 here, BEET on Linux. */
#define FREEBSD_MODE(X)							\
	X(PFKV2_MODE_ANY,		0, "IPSEC_MODE_ANY")		\
	X(PFKV2_MODE_TRANSPORT,		1, "IPSEC_MODE_TRANSPORT")	\
	X(PFKV2_MODE_TUNNEL,		2, "IPSEC_MODE_TUNNEL")		\
	X(PFKV2_MODE_TCPMD5,		3, "IPSEC_MODE_TCPMD5")

#define FREEBSD_LEVEL(X)						\
	X(PFKV2_LEVEL_DEFAULT,		0, "IPSEC_LEVEL_DEFAULT")	\
	X(PFKV2_LEVEL_USE,		1, "IPSEC_LEVEL_USE")		\
	X(PFKV2_LEVEL_REQUIRE,		2, "IPSEC_LEVEL_REQUIRE")	\
	X(PFKV2_LEVEL_UNIQUE,		3, "IPSEC_LEVEL_UNIQUE")

/*
 * Wire value = bit index in sadb_sa_flags.  The KAME SADB_X_EXT_* bits
 * (IV4B 0x10 ... PZERO 0x200) live in the same word.  Bit 0 is named both
 * SADB_SAFLAGS_PFS and SADB_X_EXT_OLD, and key_setsaval() reads it as OLD
 * (RFC 1827 AH/ESP): the kernel wins, so canonical PFS has no FreeBSD bit
 * and asking for it is refused instead of silently changing the format.
 * The pad mode constants PSEQ (0) and PMASK (PRAND|PZERO) are not bits.
 */
#define FREEBSD_SAFLAG(X)						\
	X(PFKV2_SAFLAG_OLD,		0,  "SADB_X_EXT_OLD")		\
	X(PFKV2_SAFLAG_IV4B,		4,  "SADB_X_EXT_IV4B")		\
	X(PFKV2_SAFLAG_DERIV,		5,  "SADB_X_EXT_DERIV")		\
	X(PFKV2_SAFLAG_CYCSEQ,		6,  "SADB_X_EXT_CYCSEQ")	\
	X(PFKV2_SAFLAG_RAWCPI,		7,  "SADB_X_EXT_RAWCPI")	\
	X(PFKV2_SAFLAG_PRAND,		8,  "SADB_X_EXT_PRAND")		\
	X(PFKV2_SAFLAG_PZERO,		9,  "SADB_X_EXT_PZERO")		\
	X(PFKV2_SAFLAG_ESN,		10, "SADB_X_SAFLAGS_ESN")

DL_MAP_DEF(fbsd_msg, FREEBSD_MSG, DL_NOALIAS, PFKV2_MSG_COUNT);
DL_MAP_DEF(fbsd_ext, FREEBSD_EXT, FREEBSD_EXT_ALIAS, PFKV2_EXT_COUNT);
#define FREEBSD_SAFLAG_ALIAS(X)						\
	X(PFKV2_SAFLAG_OLD,		0,  "SADB_SAFLAGS_PFS")

DL_MAP_DEF(fbsd_satype, FREEBSD_SATYPE, DL_NOALIAS, PFKV2_SATYPE_COUNT);
DL_MAP_DEF(fbsd_sastate, FREEBSD_SASTATE, DL_NOALIAS, PFKV2_SASTATE_COUNT);
DL_MAP_DEF(fbsd_aalg, FREEBSD_AALG, DL_NOALIAS, PFKV2_AALG_COUNT);
DL_MAP_DEF(fbsd_ealg, FREEBSD_EALG, FREEBSD_EALG_ALIAS, PFKV2_EALG_COUNT);
DL_MAP_DEF(fbsd_calg, FREEBSD_CALG, DL_NOALIAS, PFKV2_CALG_COUNT);
DL_MAP_DEF(fbsd_ident, FREEBSD_IDENTTYPE, DL_NOALIAS, PFKV2_IDENTTYPE_COUNT);
DL_MAP_DEF(fbsd_ptype, FREEBSD_POLICY_TYPE, DL_NOALIAS,
    PFKV2_POLICY_TYPE_COUNT);
DL_MAP_DEF(fbsd_pdir, FREEBSD_POLICY_DIR, DL_NOALIAS, PFKV2_DIR_COUNT);
DL_MAP_DEF(fbsd_mode, FREEBSD_MODE, DL_NOALIAS, PFKV2_MODE_COUNT);
DL_MAP_DEF(fbsd_level, FREEBSD_LEVEL, DL_NOALIAS, PFKV2_LEVEL_COUNT);
DL_MAP_DEF(fbsd_saflag, FREEBSD_SAFLAG, FREEBSD_SAFLAG_ALIAS, PFKV2_SAFLAG_COUNT);

/* The canonical extensions this kernel knows (RESERVED is not one). */
#define FREEBSD_EXTBIT(c, w, n)	| PFKV2_EXTBIT(c)
#define FREEBSD_EXT_MASK						\
	((0 FREEBSD_EXT(FREEBSD_EXTBIT)) & ~PFKV2_EXTBIT(PFKV2_EXT_RESERVED))

/* Extension groups used by the rules below. */
#define E_SD	(DL_B(ADDRESS_SRC) | DL_B(ADDRESS_DST))
#define E_LHS	(DL_B(LIFETIME_HARD) | DL_B(LIFETIME_SOFT))
#define E_LHSC	(E_LHS | DL_B(LIFETIME_CURRENT))
#define E_KEYS	(DL_B(KEY_AUTH) | DL_B(KEY_ENCRYPT))
#define E_IDS	(DL_B(IDENTITY_SRC) | DL_B(IDENTITY_DST))
#define E_NATT								\
	(DL_B(NAT_T_TYPE) | DL_B(NAT_T_SPORT) | DL_B(NAT_T_DPORT) |	\
	 DL_B(NAT_T_OAI) | DL_B(NAT_T_OAR) | DL_B(NAT_T_FRAG))
#define E_NEWADDR	(DL_B(NEW_ADDRESS_SRC) | DL_B(NEW_ADDRESS_DST))
#define E_OFFL								\
	(DL_B(LFT_CUR_SW_OFFL) | DL_B(LFT_CUR_HW_OFFL) | DL_B(IF_HW_OFFL))

/*
 * ADD request (key_add/key_setsaval): keys as the satype needs (checked by
 * the validator); identity and sensitivity are accepted and ignored.
 */
#define E_ADD_IN							\
	(DL_B(SA) | DL_B(SA2) | E_LHS | E_SD | DL_B(ADDRESS_PROXY) |	\
	 E_KEYS | E_IDS | DL_B(SENSITIVITY) | E_NATT | DL_B(SA_REPLAY))

/*
 * ADD/UPDATE broadcast (key_getmsgbuf_x1): the request's extensions
 * copied back without keys.
 */
#define E_ADD_OUT							\
	(DL_B(SA) | DL_B(SA2) | E_LHS | E_SD | DL_B(ADDRESS_PROXY) |	\
	 E_IDS | DL_B(SENSITIVITY) | E_NATT | DL_B(SA_REPLAY))

/*
 * GET/DUMP reply (key_setdumpsa order): SA, SA2, SA_REPLAY when the window
 * is over 255 bytes, lifetimes, addresses, keys, NAT-T; the FreeBSD 15
 * offload counters are allowed as well (their key.c was not read).
 */
#define E_SADUMP							\
	(DL_B(SA) | DL_B(SA2) | DL_B(SA_REPLAY) | E_LHSC | E_SD |	\
	 DL_B(ADDRESS_PROXY) | E_KEYS | E_IDS | DL_B(SENSITIVITY) |	\
	 E_NATT | E_OFFL)
#define E_SADUMP_REQ							\
	(DL_B(SA) | DL_B(SA2) | DL_B(LIFETIME_CURRENT) | E_SD)

/* Policy dump (key_setdumpsp): selector, lifetimes CURRENT and HARD. */
#define E_SPDUMP							\
	(E_SD | DL_B(LIFETIME_CURRENT) | DL_B(LIFETIME_HARD) | DL_B(POLICY))

static const struct dl_msgrule freebsd_rules[PFKV2_MSG_COUNT] = {
	/* key_parse refuses type 0; never sent. */
	[PFKV2_MSG_RESERVED] = { .flags = DL_MR_NO_IN | DL_MR_NO_OUT },
	/* 6.3/2.2 GETSPI: SRC+DST, optional SA2/SPIRANGE; reply to one. */
	[PFKV2_MSG_GETSPI] = {
		.allow_in = DL_B(SA2) | E_SD | DL_B(SPIRANGE),
		.req_in = E_SD,
		.allow_out = DL_B(SA) | E_SD, .req_out = DL_B(SA) | E_SD,
		.flags = DL_MR_SATYPE,
	},
	/* 6.3/2.2 UPDATE: as ADD plus NEW_ADDRESS_SRC/DST (MOBIKE). */
	[PFKV2_MSG_UPDATE] = {
		.allow_in = E_ADD_IN | E_NEWADDR,
		.req_in = DL_B(SA) | E_SD,
		.allow_out = E_ADD_OUT | E_NEWADDR,
		.req_out = DL_B(SA) | E_SD,
		.flags = DL_MR_SATYPE,
	},
	/* 6.3/2.2 ADD: SA+SRC+DST; broadcast without keys. */
	[PFKV2_MSG_ADD] = {
		.allow_in = E_ADD_IN, .req_in = DL_B(SA) | E_SD,
		.allow_out = E_ADD_OUT, .req_out = DL_B(SA) | E_SD,
		.flags = DL_MR_SATYPE,
	},
	/* 6.3/2.2 DELETE: SA optional (without it, every SA of the pair). */
	[PFKV2_MSG_DELETE] = {
		.allow_in = DL_B(SA) | E_SD, .req_in = E_SD,
		.allow_out = DL_B(SA) | E_SD, .req_out = E_SD,
		.flags = DL_MR_SATYPE,
	},
	/* 6.3/2.2 GET: SA+SRC+DST; key_setdumpsa reply to the sender. */
	[PFKV2_MSG_GET] = {
		.allow_in = DL_B(SA) | E_SD, .req_in = DL_B(SA) | E_SD,
		.allow_out = E_SADUMP, .req_out = E_SADUMP_REQ,
		.flags = DL_MR_SATYPE,
	},
	/*
	 * 6.3/2.2 ACQUIRE: a base-only error report, or a user-level
	 * ACQUIRE with SRC, DST, PROPOSAL (SA2).  Kernel ACQUIRE: SRC, DST,
	 * X_POLICY when an SP triggered it, SA2 when reqid != 0, PROPOSAL
	 * unless there are no combs.  UNSPEC satype is EINVAL.
	 */
	[PFKV2_MSG_ACQUIRE] = {
		.allow_in = E_SD | DL_B(PROPOSAL) | DL_B(SA2),
		.allow_out = E_SD | DL_B(POLICY) | DL_B(SA2) |
		    DL_B(PROPOSAL),
		.req_out = E_SD,
		.flags = DL_MR_SATYPE,
	},
	/* 6.3/2.2 REGISTER: <base>; each SUPPORTED omitted when empty. */
	[PFKV2_MSG_REGISTER] = {
		.allow_out = DL_B(SUPPORTED_AUTH) | DL_B(SUPPORTED_ENCRYPT),
		.flags = DL_MR_BASE_ONLY,
	},
	/* 6.3/2.2 EXPIRE (key_expire): to registered sockets, no NAT-T. */
	[PFKV2_MSG_EXPIRE] = {
		.allow_out = DL_B(SA) | DL_B(SA2) | DL_B(SA_REPLAY) | E_LHSC |
		    E_SD | E_OFFL,
		.req_out = E_SADUMP_REQ,
		.flags = DL_MR_NO_IN,
	},
	/* 6.3 FLUSH: <base>; broadcast <base>. */
	[PFKV2_MSG_FLUSH] = { .flags = DL_MR_BASE_ONLY },
	/* 6.3 DUMP: <base>; one GET-format message per SA. */
	[PFKV2_MSG_DUMP] = {
		.allow_out = E_SADUMP, .req_out = E_SADUMP_REQ,
		.flags = DL_MR_BASE_ONLY,
	},
	/*
	 * 3.8 X_PROMISC: control form <base>; kernel copies to promiscuous
	 * sockets wrap a whole message after an X_PROMISC header, which the
	 * validator must not walk as extensions.
	 */
	[PFKV2_MSG_X_PROMISC] = { .flags = 0 },
	/* 1.A H5: no handler (EINVAL), never emitted. */
	[PFKV2_MSG_X_PCHANGE] = { .flags = DL_MR_NO_IN | DL_MR_NO_OUT },
	/* 6.3 X_SPDUPDATE/ADD/SETIDX (key_spdadd): reply with the id set. */
	[PFKV2_MSG_X_SPDUPDATE] = {
		.allow_in = E_SD | DL_B(LIFETIME_HARD) | DL_B(POLICY),
		.req_in = E_SD | DL_B(POLICY),
		.allow_out = E_SD | DL_B(LIFETIME_HARD) | DL_B(POLICY),
		.req_out = E_SD | DL_B(POLICY),
	},
	[PFKV2_MSG_X_SPDADD] = {
		.allow_in = E_SD | DL_B(LIFETIME_HARD) | DL_B(POLICY),
		.req_in = E_SD | DL_B(POLICY),
		.allow_out = E_SD | DL_B(LIFETIME_HARD) | DL_B(POLICY),
		.req_out = E_SD | DL_B(POLICY),
	},
	/* 6.3 X_SPDDELETE: selector and X_POLICY (dir). */
	[PFKV2_MSG_X_SPDDELETE] = {
		.allow_in = E_SD | DL_B(POLICY),
		.req_in = E_SD | DL_B(POLICY),
		.allow_out = E_SD | DL_B(POLICY),
		.req_out = E_SD | DL_B(POLICY),
	},
	/* 6.3 X_SPDGET: X_POLICY (id); reply is a policy dump. */
	[PFKV2_MSG_X_SPDGET] = {
		.allow_in = DL_B(POLICY), .req_in = DL_B(POLICY),
		.allow_out = E_SPDUMP, .req_out = E_SD | DL_B(POLICY),
	},
	/* 2.2: kernel only (no handler); key_spdacquire sends <base>. */
	[PFKV2_MSG_X_SPDACQUIRE] = { .flags = DL_MR_NO_IN },
	/* 6.3 X_SPDDUMP: <base> (satype = scope mask); policy dumps. */
	[PFKV2_MSG_X_SPDDUMP] = {
		.allow_out = E_SPDUMP, .req_out = E_SD | DL_B(POLICY),
		.flags = DL_MR_BASE_ONLY,
	},
	/* 2.2 X_SPDFLUSH: any extension gives EINVAL. */
	[PFKV2_MSG_X_SPDFLUSH] = { .flags = DL_MR_BASE_ONLY },
	/* 6.3 X_SPDSETIDX: key_spdadd, reply keeps the request's type. */
	[PFKV2_MSG_X_SPDSETIDX] = {
		.allow_in = E_SD | DL_B(LIFETIME_HARD) | DL_B(POLICY),
		.req_in = E_SD | DL_B(POLICY),
		.allow_out = E_SD | DL_B(LIFETIME_HARD) | DL_B(POLICY),
		.req_out = E_SD | DL_B(POLICY),
	},
	/* 6.3 X_SPDEXPIRE (key_spdexpire): kernel only. */
	[PFKV2_MSG_X_SPDEXPIRE] = {
		.allow_out = E_SPDUMP, .req_out = E_SPDUMP,
		.flags = DL_MR_NO_IN,
	},
	/* 6.3 X_SPDDELETE2: by id; the reply carries at least X_POLICY. */
	[PFKV2_MSG_X_SPDDELETE2] = {
		.allow_in = DL_B(POLICY), .req_in = DL_B(POLICY),
		.allow_out = E_SPDUMP, .req_out = DL_B(POLICY),
	},
};

/* Socket facts, shared by the table and the public info. */
#define FREEBSD_PF_KEY		27	/* pseudo_AF_KEY */
#define FREEBSD_AF_INET		2
#define FREEBSD_AF_INET6	28
#define FREEBSD_SIN6_LEN	28
#define FREEBSD_ISR_SIZE	8	/* 16-bit reqid at offset 6 */
#define FREEBSD_EXT_MAX		31	/* FreeBSD 15; 28 since r312682 */
#define FREEBSD_MSG_MAX		22
#define FREEBSD_REVISION	199806
#define FREEBSD_MAX_MSG		2048	/* MCLBYTES, else ENOBUFS */

const struct dl_dialect pfkv2_dl_freebsd = {
	.id = PFKV2_DIALECT_FREEBSD,
	.name = "freebsd",
	.map = {
		[PFKV2_SP_MSG] = DL_MAP(fbsd_msg, PFKV2_MSG_COUNT),
		[PFKV2_SP_EXT] = DL_MAP(fbsd_ext, PFKV2_EXT_COUNT),
		[PFKV2_SP_SATYPE] = DL_MAP(fbsd_satype, PFKV2_SATYPE_COUNT),
		[PFKV2_SP_SASTATE] = DL_MAP(fbsd_sastate,
		    PFKV2_SASTATE_COUNT),
		[PFKV2_SP_AALG] = DL_MAP(fbsd_aalg, PFKV2_AALG_COUNT),
		[PFKV2_SP_EALG] = DL_MAP(fbsd_ealg, PFKV2_EALG_COUNT),
		[PFKV2_SP_CALG] = DL_MAP(fbsd_calg, PFKV2_CALG_COUNT),
		[PFKV2_SP_IDENTTYPE] = DL_MAP(fbsd_ident,
		    PFKV2_IDENTTYPE_COUNT),
		[PFKV2_SP_POLICY_TYPE] = DL_MAP(fbsd_ptype,
		    PFKV2_POLICY_TYPE_COUNT),
		[PFKV2_SP_POLICY_DIR] = DL_MAP(fbsd_pdir, PFKV2_DIR_COUNT),
		[PFKV2_SP_MODE] = DL_MAP(fbsd_mode, PFKV2_MODE_COUNT),
		[PFKV2_SP_LEVEL] = DL_MAP(fbsd_level, PFKV2_LEVEL_COUNT),
		[PFKV2_SP_KMP] = DL_EMPTY_MAP,
		[PFKV2_SP_SAFLAG] = DL_MAP(fbsd_saflag, PFKV2_SAFLAG_COUNT),
		[PFKV2_SP_DIAG] = DL_EMPTY_MAP,
	},
	.ext_mask = FREEBSD_EXT_MASK,
	.ext_max = FREEBSD_EXT_MAX,
	.msg_max = FREEBSD_MSG_MAX,
	.pf_key = FREEBSD_PF_KEY,
	.af_inet = FREEBSD_AF_INET,
	.af_inet6 = FREEBSD_AF_INET6,
	.sockaddr_style = DL_SA_BSD,
	.sin6_len = FREEBSD_SIN6_LEN,
	.sa_head4 = DL_SA_HEAD_BSD(16, FREEBSD_AF_INET),
	.sa_head6 = DL_SA_HEAD_BSD(FREEBSD_SIN6_LEN, FREEBSD_AF_INET6),
	.isr_size = FREEBSD_ISR_SIZE,
	.replay_unit = DL_REPLAY_BYTES,		/* KAME: bitmap bytes */
	.unknown_ext = DL_UNKNOWN_REJECT,	/* key_align allow-list */
	.spirange_net_order = false,
	.key_exact = false,			/* bits never checked */
	.hs_lifetime_pair = true,		/* HARD xor SOFT is EINVAL */
	.revision = FREEBSD_REVISION,
	.max_msg = FREEBSD_MAX_MSG,
	/* key_msg2sp: tcount >= IPSEC_MAXREQ (4) refuses the fifth. */
	.isr_max = 4,
	.rules = freebsd_rules,
	DL_PASSES(dl_freebsd),
};

const struct pfkv2_dialect_info pfkv2_dl_freebsd_info = {
	.name = "freebsd",
	.pf_key = FREEBSD_PF_KEY,
	.af_inet = FREEBSD_AF_INET,
	.af_inet6 = FREEBSD_AF_INET6,
	.sin6_len = FREEBSD_SIN6_LEN,
	.ipsecrequest_len = FREEBSD_ISR_SIZE,
	.replay_in_bytes = true,
	.spirange_network_order = false,
	.skips_unknown_ext = false,
	.ext_max = FREEBSD_EXT_MAX,
	.msg_max = FREEBSD_MSG_MAX,
	.revision = FREEBSD_REVISION,
	.max_msg = FREEBSD_MAX_MSG,
};

/* The one pass, compiled for this table. */
#define PASS_DL		pfkv2_dl_freebsd
#define PASS_EXT_LIST	FREEBSD_EXT
#define PASS_PFX	dl_freebsd
#include "../pass.h"
#include "../build_msg.h"
