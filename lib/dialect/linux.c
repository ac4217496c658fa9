/*
 * libpfkv2 - the Linux dialect (net/key/af_key.c, uapi pfkeyv2.h and
 * ipsec.h).
 *
 * Numbers come from the reference TSV (platform "linux", checked against
 * linux-libc-dev 6.1); message rules from pfkey-structs.md section 6.2 and
 * validation-and-semantics.md section 2.2.  The real captures in
 * reference/linux-vectors and the Linux requests of the benchmark corpus
 * must pass these rules (tests/test_dialect.c checks that).
 */
#include "dl.h"
#include "pfkv2/dialect.h"

DL_PASS_DECLARE(dl_linux);

#define LINUX_MSG(X)							\
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
	X(PFKV2_MSG_X_SPDDELETE2,	22, "SADB_X_SPDDELETE2")	\
	X(PFKV2_MSG_X_NAT_T_NEW_MAPPING, 23, "SADB_X_NAT_T_NEW_MAPPING") \
	X(PFKV2_MSG_X_MIGRATE,		24, "SADB_X_MIGRATE")

#define LINUX_EXT(X)							\
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
	X(PFKV2_EXT_NAT_T_OA,		23, "SADB_X_EXT_NAT_T_OA")	\
	X(PFKV2_EXT_SEC_CTX,		24, "SADB_X_EXT_SEC_CTX")	\
	X(PFKV2_EXT_KMADDRESS,		25, "SADB_X_EXT_KMADDRESS")	\
	X(PFKV2_EXT_FILTER,		26, "SADB_X_EXT_FILTER")

#define LINUX_SATYPE(X)							\
	X(PFKV2_SATYPE_UNSPEC,		0, "SADB_SATYPE_UNSPEC")	\
	X(PFKV2_SATYPE_AH,		2, "SADB_SATYPE_AH")		\
	X(PFKV2_SATYPE_ESP,		3, "SADB_SATYPE_ESP")		\
	X(PFKV2_SATYPE_RSVP,		5, "SADB_SATYPE_RSVP")		\
	X(PFKV2_SATYPE_OSPFV2,		6, "SADB_SATYPE_OSPFV2")	\
	X(PFKV2_SATYPE_RIPV2,		7, "SADB_SATYPE_RIPV2")		\
	X(PFKV2_SATYPE_MIP,		8, "SADB_SATYPE_MIP")		\
	X(PFKV2_SATYPE_IPCOMP,		9, "SADB_X_SATYPE_IPCOMP")

#define LINUX_SASTATE(X)						\
	X(PFKV2_SASTATE_LARVAL,		0, "SADB_SASTATE_LARVAL")	\
	X(PFKV2_SASTATE_MATURE,		1, "SADB_SASTATE_MATURE")	\
	X(PFKV2_SASTATE_DYING,		2, "SADB_SASTATE_DYING")	\
	X(PFKV2_SASTATE_DEAD,		3, "SADB_SASTATE_DEAD")

#define LINUX_AALG(X)							\
	X(PFKV2_AALG_NONE,		0,   "SADB_AALG_NONE")		\
	X(PFKV2_AALG_MD5HMAC,		2,   "SADB_AALG_MD5HMAC")	\
	X(PFKV2_AALG_SHA1HMAC,		3,   "SADB_AALG_SHA1HMAC")	\
	X(PFKV2_AALG_SHA2_256HMAC,	5,   "SADB_X_AALG_SHA2_256HMAC") \
	X(PFKV2_AALG_SHA2_384HMAC,	6,   "SADB_X_AALG_SHA2_384HMAC") \
	X(PFKV2_AALG_SHA2_512HMAC,	7,   "SADB_X_AALG_SHA2_512HMAC") \
	X(PFKV2_AALG_RIPEMD160HMAC,	8,   "SADB_X_AALG_RIPEMD160HMAC") \
	X(PFKV2_AALG_AES_XCBC_MAC,	9,   "SADB_X_AALG_AES_XCBC_MAC") \
	X(PFKV2_AALG_SM3_256HMAC,	10,  "SADB_X_AALG_SM3_256HMAC")	\
	X(PFKV2_AALG_NULL,		251, "SADB_X_AALG_NULL")

#define LINUX_EALG(X)							\
	X(PFKV2_EALG_NONE,		0,   "SADB_EALG_NONE")		\
	X(PFKV2_EALG_DESCBC,		2,   "SADB_EALG_DESCBC")	\
	X(PFKV2_EALG_3DESCBC,		3,   "SADB_EALG_3DESCBC")	\
	X(PFKV2_EALG_CASTCBC,		6,   "SADB_X_EALG_CASTCBC")	\
	X(PFKV2_EALG_BLOWFISHCBC,	7,   "SADB_X_EALG_BLOWFISHCBC")	\
	X(PFKV2_EALG_NULL,		11,  "SADB_EALG_NULL")		\
	X(PFKV2_EALG_AESCBC,		12,  "SADB_X_EALG_AESCBC")	\
	X(PFKV2_EALG_AESCTR,		13,  "SADB_X_EALG_AESCTR")	\
	X(PFKV2_EALG_AES_CCM_ICV8,	14,  "SADB_X_EALG_AES_CCM_ICV8") \
	X(PFKV2_EALG_AES_CCM_ICV12,	15,  "SADB_X_EALG_AES_CCM_ICV12") \
	X(PFKV2_EALG_AES_CCM_ICV16,	16,  "SADB_X_EALG_AES_CCM_ICV16") \
	X(PFKV2_EALG_AES_GCM_ICV8,	18,  "SADB_X_EALG_AES_GCM_ICV8") \
	X(PFKV2_EALG_AES_GCM_ICV12,	19,  "SADB_X_EALG_AES_GCM_ICV12") \
	X(PFKV2_EALG_AES_GCM_ICV16,	20,  "SADB_X_EALG_AES_GCM_ICV16") \
	X(PFKV2_EALG_CAMELLIACBC,	22,  "SADB_X_EALG_CAMELLIACBC")	\
	X(PFKV2_EALG_NULL_AES_GMAC,	23,  "SADB_X_EALG_NULL_AES_GMAC") \
	X(PFKV2_EALG_SM4CBC,		24,  "SADB_X_EALG_SM4CBC")	\
	X(PFKV2_EALG_SERPENTCBC,	252, "SADB_X_EALG_SERPENTCBC")	\
	X(PFKV2_EALG_TWOFISHCBC,	253, "SADB_X_EALG_TWOFISHCBC")

/* IPCOMP: the CALG id travels in sadb_sa_encrypt. */
#define LINUX_CALG(X)							\
	X(PFKV2_CALG_NONE,		0, "SADB_X_CALG_NONE")		\
	X(PFKV2_CALG_OUI,		1, "SADB_X_CALG_OUI")		\
	X(PFKV2_CALG_DEFLATE,		2, "SADB_X_CALG_DEFLATE")	\
	X(PFKV2_CALG_LZS,		3, "SADB_X_CALG_LZS")		\
	X(PFKV2_CALG_LZJH,		4, "SADB_X_CALG_LZJH")

#define LINUX_IDENTTYPE(X)						\
	X(PFKV2_IDENTTYPE_RESERVED,	0, "SADB_IDENTTYPE_RESERVED")	\
	X(PFKV2_IDENTTYPE_PREFIX,	1, "SADB_IDENTTYPE_PREFIX")	\
	X(PFKV2_IDENTTYPE_FQDN,		2, "SADB_IDENTTYPE_FQDN")	\
	X(PFKV2_IDENTTYPE_USERFQDN,	3, "SADB_IDENTTYPE_USERFQDN")

#define LINUX_POLICY_TYPE(X)						\
	X(PFKV2_POLICY_DISCARD,		0, "IPSEC_POLICY_DISCARD")	\
	X(PFKV2_POLICY_NONE,		1, "IPSEC_POLICY_NONE")		\
	X(PFKV2_POLICY_IPSEC,		2, "IPSEC_POLICY_IPSEC")	\
	X(PFKV2_POLICY_ENTRUST,		3, "IPSEC_POLICY_ENTRUST")	\
	X(PFKV2_POLICY_BYPASS,		4, "IPSEC_POLICY_BYPASS")

/* FWD is Linux-only; INVALID is 5 here, 4 on the BSDs. */
#define LINUX_POLICY_DIR(X)						\
	X(PFKV2_DIR_ANY,		0, "IPSEC_DIR_ANY")		\
	X(PFKV2_DIR_INBOUND,		1, "IPSEC_DIR_INBOUND")		\
	X(PFKV2_DIR_OUTBOUND,		2, "IPSEC_DIR_OUTBOUND")	\
	X(PFKV2_DIR_FWD,		3, "IPSEC_DIR_FWD")		\
	X(PFKV2_DIR_INVALID,		5, "IPSEC_DIR_INVALID")

/* IPTFS only in recent ipsec.h (not 6.1); decoding it is harmless. */
#define LINUX_MODE(X)							\
	X(PFKV2_MODE_ANY,		0, "IPSEC_MODE_ANY")		\
	X(PFKV2_MODE_TRANSPORT,		1, "IPSEC_MODE_TRANSPORT")	\
	X(PFKV2_MODE_TUNNEL,		2, "IPSEC_MODE_TUNNEL")		\
	X(PFKV2_MODE_BEET,		3, "IPSEC_MODE_BEET")		\
	X(PFKV2_MODE_IPTFS,		4, "IPSEC_MODE_IPTFS")

#define LINUX_LEVEL(X)							\
	X(PFKV2_LEVEL_DEFAULT,		0, "IPSEC_LEVEL_DEFAULT")	\
	X(PFKV2_LEVEL_USE,		1, "IPSEC_LEVEL_USE")		\
	X(PFKV2_LEVEL_REQUIRE,		2, "IPSEC_LEVEL_REQUIRE")	\
	X(PFKV2_LEVEL_UNIQUE,		3, "IPSEC_LEVEL_UNIQUE")

/* Wire value = bit index in sadb_sa_flags (0x20000000 is bit 29). */
#define LINUX_SAFLAG(X)							\
	X(PFKV2_SAFLAG_PFS,		0,  "SADB_SAFLAGS_PFS")		\
	X(PFKV2_SAFLAG_NOPMTUDISC,	29, "SADB_SAFLAGS_NOPMTUDISC")	\
	X(PFKV2_SAFLAG_DECAP_DSCP,	30, "SADB_SAFLAGS_DECAP_DSCP")	\
	X(PFKV2_SAFLAG_NOECN,		31, "SADB_SAFLAGS_NOECN")

DL_MAP_DEF(linux_msg, LINUX_MSG, DL_NOALIAS, PFKV2_MSG_COUNT);
DL_MAP_DEF(linux_ext, LINUX_EXT, DL_NOALIAS, PFKV2_EXT_COUNT);
DL_MAP_DEF(linux_satype, LINUX_SATYPE, DL_NOALIAS, PFKV2_SATYPE_COUNT);
DL_MAP_DEF(linux_sastate, LINUX_SASTATE, DL_NOALIAS, PFKV2_SASTATE_COUNT);
DL_MAP_DEF(linux_aalg, LINUX_AALG, DL_NOALIAS, PFKV2_AALG_COUNT);
DL_MAP_DEF(linux_ealg, LINUX_EALG, DL_NOALIAS, PFKV2_EALG_COUNT);
DL_MAP_DEF(linux_calg, LINUX_CALG, DL_NOALIAS, PFKV2_CALG_COUNT);
DL_MAP_DEF(linux_ident, LINUX_IDENTTYPE, DL_NOALIAS, PFKV2_IDENTTYPE_COUNT);
DL_MAP_DEF(linux_ptype, LINUX_POLICY_TYPE, DL_NOALIAS,
    PFKV2_POLICY_TYPE_COUNT);
DL_MAP_DEF(linux_pdir, LINUX_POLICY_DIR, DL_NOALIAS, PFKV2_DIR_COUNT);
DL_MAP_DEF(linux_mode, LINUX_MODE, DL_NOALIAS, PFKV2_MODE_COUNT);
DL_MAP_DEF(linux_level, LINUX_LEVEL, DL_NOALIAS, PFKV2_LEVEL_COUNT);
DL_MAP_DEF(linux_saflag, LINUX_SAFLAG, DL_NOALIAS, PFKV2_SAFLAG_COUNT);

/* The canonical extensions this kernel knows (RESERVED is not one). */
#define LINUX_EXTBIT(c, w, n)	| PFKV2_EXTBIT(c)
#define LINUX_EXT_MASK							\
	((0 LINUX_EXT(LINUX_EXTBIT)) & ~PFKV2_EXTBIT(PFKV2_EXT_RESERVED))

/* Extension groups used by the rules below. */
#define E_SD	(DL_B(ADDRESS_SRC) | DL_B(ADDRESS_DST))
#define E_LHS	(DL_B(LIFETIME_HARD) | DL_B(LIFETIME_SOFT))
#define E_LHSC	(E_LHS | DL_B(LIFETIME_CURRENT))
#define E_KEYS	(DL_B(KEY_AUTH) | DL_B(KEY_ENCRYPT))
#define E_IDS	(DL_B(IDENTITY_SRC) | DL_B(IDENTITY_DST))
#define E_NATT	(DL_B(NAT_T_TYPE) | DL_B(NAT_T_SPORT) | DL_B(NAT_T_DPORT))

/*
 * What ADD/UPDATE may carry (pfkey_msg2xfrm_state): the keys the satype
 * needs are checked by the validator, IDENTITY/SENSITIVITY are ignored.
 */
#define E_SA_IN								\
	(DL_B(SA) | E_LHS | E_SD | DL_B(ADDRESS_PROXY) | E_KEYS | E_IDS | \
	 DL_B(SENSITIVITY) | DL_B(SA2) | E_NATT | DL_B(NAT_T_OA) |	\
	 DL_B(SEC_CTX))

/*
 * "Full SA dump" (__pfkey_xfrm_state2msg): SA, lifetimes, addresses,
 * optional PROXY, keys (not in EXPIRE), SA2, NAT-T and security context.
 * CURRENT and SA2 are always added.  NAT_T_OA is never emitted today but
 * is allowed so that a newer kernel adding it does not break parsing.
 */
#define E_SADUMP							\
	(DL_B(SA) | E_LHSC | E_SD | DL_B(ADDRESS_PROXY) | E_KEYS |	\
	 DL_B(SA2) | E_NATT | DL_B(NAT_T_OA) | DL_B(SEC_CTX))
#define E_SADUMP_REQ	(DL_B(SA) | DL_B(LIFETIME_CURRENT) | E_SD | DL_B(SA2))

/* Policy dump (pfkey_xfrm_policy2msg): all three lifetimes always. */
#define E_SPDUMP	(E_SD | E_LHSC | DL_B(POLICY) | DL_B(SEC_CTX))
#define E_SPDUMP_REQ	(E_SD | E_LHSC | DL_B(POLICY))

static const struct dl_msgrule linux_rules[PFKV2_MSG_COUNT] = {
	/* Type 0 is refused by pfkey_get_base_msg and never sent. */
	[PFKV2_MSG_RESERVED] = { .flags = DL_MR_NO_IN | DL_MR_NO_OUT },
	/* 6.2/2.2 GETSPI: SRC+DST; SA2, SPIRANGE optional; larval dump. */
	[PFKV2_MSG_GETSPI] = {
		.allow_in = E_SD | DL_B(SA2) | DL_B(SPIRANGE),
		.req_in = E_SD,
		.allow_out = E_SADUMP, .req_out = E_SADUMP_REQ,
		.flags = DL_MR_SATYPE,
	},
	/* 6.2/2.2 UPDATE: parsed like ADD; CURRENT tolerated (RFC HSC). */
	[PFKV2_MSG_UPDATE] = {
		.allow_in = E_SA_IN | DL_B(LIFETIME_CURRENT),
		.req_in = DL_B(SA) | E_SD,
		.allow_out = E_SADUMP, .req_out = E_SADUMP_REQ,
		.flags = DL_MR_SATYPE,
	},
	/* 6.2/2.2 ADD: SA+SRC+DST; notification to all, keys included. */
	[PFKV2_MSG_ADD] = {
		.allow_in = E_SA_IN, .req_in = DL_B(SA) | E_SD,
		.allow_out = E_SADUMP, .req_out = E_SADUMP_REQ,
		.flags = DL_MR_SATYPE,
	},
	/* 6.2/2.2 DELETE: SA+SRC+DST; DELSA notification is a full dump. */
	[PFKV2_MSG_DELETE] = {
		.allow_in = DL_B(SA) | E_SD, .req_in = DL_B(SA) | E_SD,
		.allow_out = E_SADUMP, .req_out = E_SADUMP_REQ,
		.flags = DL_MR_SATYPE,
	},
	/* 6.2/2.2 GET: SA+SRC+DST; reply is a full dump with keys. */
	[PFKV2_MSG_GET] = {
		.allow_in = DL_B(SA) | E_SD, .req_in = DL_B(SA) | E_SD,
		.allow_out = E_SADUMP, .req_out = E_SADUMP_REQ,
		.flags = DL_MR_SATYPE,
	},
	/*
	 * 6.2/2.2 ACQUIRE: the user may only send <base> with errno (msg_len
	 * must be 2).  Kernel ACQUIRE: SRC, DST, X_POLICY, PROPOSAL (not for
	 * IPCOMP), optional SEC_CTX.
	 */
	[PFKV2_MSG_ACQUIRE] = {
		.allow_out = E_SD | DL_B(POLICY) | DL_B(PROPOSAL) |
		    DL_B(SEC_CTX),
		.req_out = E_SD | DL_B(POLICY),
		.flags = DL_MR_BASE_ONLY,
	},
	/* 6.2/2.2 REGISTER: <base>; each SUPPORTED omitted when empty. */
	[PFKV2_MSG_REGISTER] = {
		.allow_out = DL_B(SUPPORTED_AUTH) | DL_B(SUPPORTED_ENCRYPT),
		.flags = DL_MR_BASE_ONLY,
	},
	/* 6.2/2.2 EXPIRE: no handler; dump without keys, HARD or SOFT. */
	[PFKV2_MSG_EXPIRE] = {
		.allow_out = E_SADUMP & ~E_KEYS, .req_out = E_SADUMP_REQ,
		.flags = DL_MR_NO_IN,
	},
	/* 6.2/2.2 FLUSH: <base> both ways. */
	[PFKV2_MSG_FLUSH] = { .flags = DL_MR_BASE_ONLY },
	/* 6.2/2.2 DUMP: optional X_FILTER (3.19+); one full dump per SA. */
	[PFKV2_MSG_DUMP] = {
		.allow_in = DL_B(FILTER),
		.allow_out = E_SADUMP, .req_out = E_SADUMP_REQ,
	},
	/*
	 * 3.8 X_PROMISC: control form <base>; the data form carries a whole
	 * message after the header, which the validator must not walk as
	 * extensions.  Echoed to all.
	 */
	[PFKV2_MSG_X_PROMISC] = { .flags = 0 },
	/* 6.2: defined, no handler, never emitted. */
	[PFKV2_MSG_X_PCHANGE] = { .flags = DL_MR_NO_IN | DL_MR_NO_OUT },
	/* 6.2 X_SPDUPDATE/ADD/SETIDX (pfkey_spdadd): SRC+DST+POLICY. */
	[PFKV2_MSG_X_SPDUPDATE] = {
		.allow_in = E_SD | E_LHS | DL_B(POLICY) | DL_B(SEC_CTX),
		.req_in = E_SD | DL_B(POLICY),
		.allow_out = E_SPDUMP, .req_out = E_SPDUMP_REQ,
	},
	[PFKV2_MSG_X_SPDADD] = {
		.allow_in = E_SD | E_LHS | DL_B(POLICY) | DL_B(SEC_CTX),
		.req_in = E_SD | DL_B(POLICY),
		.allow_out = E_SPDUMP, .req_out = E_SPDUMP_REQ,
	},
	/* 6.2 X_SPDDELETE: by selector; notification is a policy dump. */
	[PFKV2_MSG_X_SPDDELETE] = {
		.allow_in = E_SD | DL_B(POLICY) | DL_B(SEC_CTX),
		.req_in = E_SD | DL_B(POLICY),
		.allow_out = E_SPDUMP, .req_out = E_SPDUMP_REQ,
	},
	/* 6.2 X_SPDGET (pfkey_spdget): X_POLICY with the id. */
	[PFKV2_MSG_X_SPDGET] = {
		.allow_in = DL_B(POLICY), .req_in = DL_B(POLICY),
		.allow_out = E_SPDUMP, .req_out = E_SPDUMP_REQ,
	},
	/* 6.2: no handler; af_key never emits it. */
	[PFKV2_MSG_X_SPDACQUIRE] = { .flags = DL_MR_NO_IN | DL_MR_NO_OUT },
	/* 6.2 X_SPDDUMP: <base>; one policy dump each, last seq 0. */
	[PFKV2_MSG_X_SPDDUMP] = {
		.allow_out = E_SPDUMP, .req_out = E_SPDUMP_REQ,
		.flags = DL_MR_BASE_ONLY,
	},
	/* 6.2 X_SPDFLUSH: <base>; key_notify_policy_flush sends <base>. */
	[PFKV2_MSG_X_SPDFLUSH] = { .flags = DL_MR_BASE_ONLY },
	/*
	 * 6.2 X_SPDSETIDX: handled as SPDADD, whose notification goes out
	 * as X_SPDADD (event2poltype), so the kernel never emits SETIDX.
	 */
	[PFKV2_MSG_X_SPDSETIDX] = {
		.allow_in = E_SD | E_LHS | DL_B(POLICY) | DL_B(SEC_CTX),
		.req_in = E_SD | DL_B(POLICY),
		.flags = DL_MR_NO_OUT,
	},
	/* No handler, and key_notify_policy_expire sends nothing. */
	[PFKV2_MSG_X_SPDEXPIRE] = { .flags = DL_MR_NO_IN | DL_MR_NO_OUT },
	/* 6.2 X_SPDDELETE2 (pfkey_spdget): by id; DELPOLICY notification. */
	[PFKV2_MSG_X_SPDDELETE2] = {
		.allow_in = DL_B(POLICY), .req_in = DL_B(POLICY),
		.allow_out = E_SPDUMP, .req_out = E_SPDUMP_REQ,
	},
	/* 6.2 X_NAT_T_NEW_MAPPING: kernel to registered sockets only. */
	[PFKV2_MSG_X_NAT_T_NEW_MAPPING] = {
		.allow_out = DL_B(SA) | E_SD | DL_B(NAT_T_SPORT) |
		    DL_B(NAT_T_DPORT),
		.req_out = DL_B(SA) | E_SD | DL_B(NAT_T_SPORT) |
		    DL_B(NAT_T_DPORT),
		.flags = DL_MR_NO_IN,
	},
	/* 6.2 X_MIGRATE: selector + request pairs, optional KMADDRESS. */
	[PFKV2_MSG_X_MIGRATE] = {
		.allow_in = E_SD | DL_B(POLICY) | DL_B(KMADDRESS),
		.req_in = E_SD | DL_B(POLICY),
		.allow_out = E_SD | DL_B(POLICY) | DL_B(KMADDRESS),
		.req_out = E_SD | DL_B(POLICY),
	},
};

/* Socket facts, shared by the table and the public info. */
#define LINUX_PF_KEY		15
#define LINUX_AF_INET		2
#define LINUX_AF_INET6		10
#define LINUX_SIN6_LEN		28
#define LINUX_ISR_SIZE		16	/* 32-bit reqid at offset 8 */
#define LINUX_EXT_MAX		26	/* 25 before X_FILTER (3.19) */
#define LINUX_MSG_MAX		24
#define LINUX_REVISION		199806

const struct dl_dialect pfkv2_dl_linux = {
	.id = PFKV2_DIALECT_LINUX,
	.name = "linux",
	.map = {
		[PFKV2_SP_MSG] = DL_MAP(linux_msg, PFKV2_MSG_COUNT),
		[PFKV2_SP_EXT] = DL_MAP(linux_ext, PFKV2_EXT_COUNT),
		[PFKV2_SP_SATYPE] = DL_MAP(linux_satype, PFKV2_SATYPE_COUNT),
		[PFKV2_SP_SASTATE] = DL_MAP(linux_sastate,
		    PFKV2_SASTATE_COUNT),
		[PFKV2_SP_AALG] = DL_MAP(linux_aalg, PFKV2_AALG_COUNT),
		[PFKV2_SP_EALG] = DL_MAP(linux_ealg, PFKV2_EALG_COUNT),
		[PFKV2_SP_CALG] = DL_MAP(linux_calg, PFKV2_CALG_COUNT),
		[PFKV2_SP_IDENTTYPE] = DL_MAP(linux_ident,
		    PFKV2_IDENTTYPE_COUNT),
		[PFKV2_SP_POLICY_TYPE] = DL_MAP(linux_ptype,
		    PFKV2_POLICY_TYPE_COUNT),
		[PFKV2_SP_POLICY_DIR] = DL_MAP(linux_pdir, PFKV2_DIR_COUNT),
		[PFKV2_SP_MODE] = DL_MAP(linux_mode, PFKV2_MODE_COUNT),
		[PFKV2_SP_LEVEL] = DL_MAP(linux_level, PFKV2_LEVEL_COUNT),
		[PFKV2_SP_KMP] = DL_EMPTY_MAP,
		[PFKV2_SP_SAFLAG] = DL_MAP(linux_saflag, PFKV2_SAFLAG_COUNT),
		[PFKV2_SP_DIAG] = DL_EMPTY_MAP,
	},
	.ext_mask = LINUX_EXT_MASK,
	.ext_max = LINUX_EXT_MAX,
	.msg_max = LINUX_MSG_MAX,
	.pf_key = LINUX_PF_KEY,
	.af_inet = LINUX_AF_INET,
	.af_inet6 = LINUX_AF_INET6,
	.sockaddr_style = DL_SA_LINUX,
	.sin6_len = LINUX_SIN6_LEN,
	.sa_head4 = DL_SA_HEAD_U16(LINUX_AF_INET),
	.sa_head6 = DL_SA_HEAD_U16(LINUX_AF_INET6),
	.isr_size = LINUX_ISR_SIZE,
	.replay_unit = DL_REPLAY_PACKETS,	/* clamped to 32 */
	.unknown_ext = DL_UNKNOWN_SKIP,		/* types > EXT_MAX skipped */
	.spirange_net_order = false,
	.key_exact = false,			/* longer KEY ext accepted */
	.hs_lifetime_pair = true,		/* HARD and SOFT, or neither */
	.revision = LINUX_REVISION,
	.max_msg = 0,				/* sk_sndbuf bound only */
	/*
	 * parse_ipsecrequest refuses a request once XFRM_MAX_DEPTH (6)
	 * are stored, so six requests fit and the seventh gets ELOOP.
	 */
	.isr_max = 6,
	.rules = linux_rules,
	DL_PASSES(dl_linux),
};

const struct pfkv2_dialect_info pfkv2_dl_linux_info = {
	.name = "linux",
	.pf_key = LINUX_PF_KEY,
	.af_inet = LINUX_AF_INET,
	.af_inet6 = LINUX_AF_INET6,
	.sin6_len = LINUX_SIN6_LEN,
	.ipsecrequest_len = LINUX_ISR_SIZE,
	.replay_in_bytes = false,
	.spirange_network_order = false,
	.skips_unknown_ext = true,
	.ext_max = LINUX_EXT_MAX,
	.msg_max = LINUX_MSG_MAX,
	.revision = LINUX_REVISION,
	.max_msg = 0,
};

/* The one pass, compiled for this table. */
#define PASS_DL		pfkv2_dl_linux
#define PASS_EXT_LIST	LINUX_EXT
#define PASS_PFX	dl_linux
#include "../pass.h"
#include "../build_msg.h"
