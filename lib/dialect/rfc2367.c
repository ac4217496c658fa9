/*
 * libpfkv2 - the RFC 2367 dialect: the RFC's own numbering (section 3 and
 * the Appendix D sample header), with no vendor extensions beyond the two
 * message numbers Appendix D reserves (X_PROMISC, X_PCHANGE).
 *
 * Numbers come from the reference TSV (platform "rfc2367"); message rules
 * from validation-and-semantics.md section 2.1 and pfkey-structs.md
 * section 6.1.
 *
 * The RFC describes no kernel, so the socket facts are a choice: addresses
 * use the Linux sockaddr layout (16-bit family, no length byte) with
 * AF_INET 2 and AF_INET6 10, and there is no PF_KEY number (0).  Unknown
 * extensions are skipped, as section 2.3 asks.
 */
#include "dl.h"
#include "pfkv2/dialect.h"

DL_PASS_DECLARE(dl_rfc2367);

#define RFC_MSG(X)							\
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
	X(PFKV2_MSG_X_PCHANGE,		12, "SADB_X_PCHANGE")

#define RFC_EXT(X)							\
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
	X(PFKV2_EXT_SPIRANGE,		16, "SADB_EXT_SPIRANGE")

#define RFC_SATYPE(X)							\
	X(PFKV2_SATYPE_UNSPEC,		0, "SADB_SATYPE_UNSPEC")	\
	X(PFKV2_SATYPE_AH,		2, "SADB_SATYPE_AH")		\
	X(PFKV2_SATYPE_ESP,		3, "SADB_SATYPE_ESP")		\
	X(PFKV2_SATYPE_RSVP,		5, "SADB_SATYPE_RSVP")		\
	X(PFKV2_SATYPE_OSPFV2,		6, "SADB_SATYPE_OSPFV2")	\
	X(PFKV2_SATYPE_RIPV2,		7, "SADB_SATYPE_RIPV2")		\
	X(PFKV2_SATYPE_MIP,		8, "SADB_SATYPE_MIP")

#define RFC_SASTATE(X)							\
	X(PFKV2_SASTATE_LARVAL,		0, "SADB_SASTATE_LARVAL")	\
	X(PFKV2_SASTATE_MATURE,		1, "SADB_SASTATE_MATURE")	\
	X(PFKV2_SASTATE_DYING,		2, "SADB_SASTATE_DYING")	\
	X(PFKV2_SASTATE_DEAD,		3, "SADB_SASTATE_DEAD")

#define RFC_AALG(X)							\
	X(PFKV2_AALG_NONE,		0, "SADB_AALG_NONE")		\
	X(PFKV2_AALG_MD5HMAC,		2, "SADB_AALG_MD5HMAC")		\
	X(PFKV2_AALG_SHA1HMAC,		3, "SADB_AALG_SHA1HMAC")

#define RFC_EALG(X)							\
	X(PFKV2_EALG_NONE,		0,  "SADB_EALG_NONE")		\
	X(PFKV2_EALG_DESCBC,		2,  "SADB_EALG_DESCBC")		\
	X(PFKV2_EALG_3DESCBC,		3,  "SADB_EALG_3DESCBC")	\
	X(PFKV2_EALG_NULL,		11, "SADB_EALG_NULL")

#define RFC_IDENTTYPE(X)						\
	X(PFKV2_IDENTTYPE_RESERVED,	0, "SADB_IDENTTYPE_RESERVED")	\
	X(PFKV2_IDENTTYPE_PREFIX,	1, "SADB_IDENTTYPE_PREFIX")	\
	X(PFKV2_IDENTTYPE_FQDN,		2, "SADB_IDENTTYPE_FQDN")	\
	X(PFKV2_IDENTTYPE_USERFQDN,	3, "SADB_IDENTTYPE_USERFQDN")

/* Wire value = bit index in sadb_sa_flags. */
#define RFC_SAFLAG(X)							\
	X(PFKV2_SAFLAG_PFS,		0, "SADB_SAFLAGS_PFS")

DL_MAP_DEF(rfc_msg, RFC_MSG, DL_NOALIAS, PFKV2_MSG_COUNT);
DL_MAP_DEF(rfc_ext, RFC_EXT, DL_NOALIAS, PFKV2_EXT_COUNT);
DL_MAP_DEF(rfc_satype, RFC_SATYPE, DL_NOALIAS, PFKV2_SATYPE_COUNT);
DL_MAP_DEF(rfc_sastate, RFC_SASTATE, DL_NOALIAS, PFKV2_SASTATE_COUNT);
DL_MAP_DEF(rfc_aalg, RFC_AALG, DL_NOALIAS, PFKV2_AALG_COUNT);
DL_MAP_DEF(rfc_ealg, RFC_EALG, DL_NOALIAS, PFKV2_EALG_COUNT);
DL_MAP_DEF(rfc_ident, RFC_IDENTTYPE, DL_NOALIAS, PFKV2_IDENTTYPE_COUNT);
DL_MAP_DEF(rfc_saflag, RFC_SAFLAG, DL_NOALIAS, PFKV2_SAFLAG_COUNT);

/* The canonical extensions the RFC defines (RESERVED is not one). */
#define RFC_EXTBIT(c, w, n)	| PFKV2_EXTBIT(c)
#define RFC_EXT_MASK							\
	((0 RFC_EXT(RFC_EXTBIT)) & ~PFKV2_EXTBIT(PFKV2_EXT_RESERVED))

/* Extension groups used by the rules below. */
#define E_SD	(DL_B(ADDRESS_SRC) | DL_B(ADDRESS_DST))
#define E_LHS	(DL_B(LIFETIME_HARD) | DL_B(LIFETIME_SOFT))
#define E_LHSC	(E_LHS | DL_B(LIFETIME_CURRENT))
#define E_KEYS	(DL_B(KEY_AUTH) | DL_B(KEY_ENCRYPT))
#define E_IDS	(DL_B(IDENTITY_SRC) | DL_B(IDENTITY_DST))

/* A GET-style SA message: keys as the satype needs (validator). */
#define E_SAMSG								\
	(DL_B(SA) | E_LHSC | E_SD | DL_B(ADDRESS_PROXY) | E_KEYS |	\
	 E_IDS | DL_B(SENSITIVITY))

/* ACQUIRE body (kernel or user-level consumer). */
#define E_ACQ								\
	(E_SD | DL_B(ADDRESS_PROXY) | E_IDS | DL_B(SENSITIVITY) |	\
	 DL_B(PROPOSAL))

static const struct dl_msgrule rfc2367_rules[PFKV2_MSG_COUNT] = {
	/* Type 0 is reserved. */
	[PFKV2_MSG_RESERVED] = { .flags = DL_MR_NO_IN | DL_MR_NO_OUT },
	/* 2.1 GETSPI: <base, address(SD), SPIrange>; reply SA(*), SD. */
	[PFKV2_MSG_GETSPI] = {
		.allow_in = E_SD | DL_B(SPIRANGE),
		.req_in = E_SD | DL_B(SPIRANGE),
		.allow_out = DL_B(SA) | E_SD, .req_out = DL_B(SA) | E_SD,
		.flags = DL_MR_SATYPE,
	},
	/* 2.1 UPDATE: lifetime(HSC), proxy, keys, ids, sens; reply no keys. */
	[PFKV2_MSG_UPDATE] = {
		.allow_in = E_SAMSG, .req_in = DL_B(SA) | E_SD,
		.allow_out = E_SAMSG & ~E_KEYS, .req_out = DL_B(SA) | E_SD,
		.flags = DL_MR_SATYPE,
	},
	/*
	 * 2.1 ADD: lifetime(HS) only; reply without keys.  PROXY is allowed
	 * on the reply too (6.1 "as UPDATE").
	 */
	[PFKV2_MSG_ADD] = {
		.allow_in = E_SAMSG & ~DL_B(LIFETIME_CURRENT),
		.req_in = DL_B(SA) | E_SD,
		.allow_out = E_SAMSG & ~(E_KEYS | DL_B(LIFETIME_CURRENT)),
		.req_out = DL_B(SA) | E_SD,
		.flags = DL_MR_SATYPE,
	},
	/* 2.1 DELETE: <base, SA(*), address(SD)> both ways. */
	[PFKV2_MSG_DELETE] = {
		.allow_in = DL_B(SA) | E_SD, .req_in = DL_B(SA) | E_SD,
		.allow_out = DL_B(SA) | E_SD, .req_out = DL_B(SA) | E_SD,
		.flags = DL_MR_SATYPE,
	},
	/* 2.1 GET: <base, SA(*), address(SD)>; reply a full SA message. */
	[PFKV2_MSG_GET] = {
		.allow_in = DL_B(SA) | E_SD, .req_in = DL_B(SA) | E_SD,
		.allow_out = E_SAMSG, .req_out = DL_B(SA) | E_SD,
		.flags = DL_MR_SATYPE,
	},
	/*
	 * 2.1 ACQUIRE: a KM failure is <base> with errno; a user-level
	 * consumer sends the kernel's form.  Kernel: SD and proposal.
	 */
	[PFKV2_MSG_ACQUIRE] = {
		.allow_in = E_ACQ,
		.allow_out = E_ACQ, .req_out = E_SD | DL_B(PROPOSAL),
	},
	/* 2.1 REGISTER: <base>; reply <base, supported>. */
	[PFKV2_MSG_REGISTER] = {
		.allow_out = DL_B(SUPPORTED_AUTH) | DL_B(SUPPORTED_ENCRYPT),
		.flags = DL_MR_BASE_ONLY,
	},
	/* 2.1 EXPIRE: kernel only; lifetime C and one of H/S. */
	[PFKV2_MSG_EXPIRE] = {
		.allow_out = DL_B(SA) | E_LHSC | E_SD,
		.req_out = DL_B(SA) | DL_B(LIFETIME_CURRENT) | E_SD,
		.flags = DL_MR_NO_IN,
	},
	/* 2.1 FLUSH: <base> both ways. */
	[PFKV2_MSG_FLUSH] = { .flags = DL_MR_BASE_ONLY },
	/* 2.1 DUMP: <base>; one GET-style reply per SA, last seq 0. */
	[PFKV2_MSG_DUMP] = {
		.allow_out = E_SAMSG, .req_out = DL_B(SA) | E_SD,
		.flags = DL_MR_BASE_ONLY,
	},
	/*
	 * 2.1 X_PROMISC (Appendix A): control form <base>; the data form
	 * carries a whole message, not extensions.
	 */
	[PFKV2_MSG_X_PROMISC] = { .flags = 0 },
	/* Appendix D reserves the number; no semantics. */
	[PFKV2_MSG_X_PCHANGE] = { .flags = DL_MR_NO_IN | DL_MR_NO_OUT },
};

/* Socket facts, shared by the table and the public info. */
#define RFC_PF_KEY		0	/* no kernel */
#define RFC_AF_INET		2
#define RFC_AF_INET6		10	/* Linux layout, see above */
#define RFC_SIN6_LEN		28
#define RFC_EXT_MAX		16
#define RFC_MSG_MAX		12	/* Appendix D: with X_PROMISC/PCHANGE */
#define RFC_REVISION		199806

const struct dl_dialect pfkv2_dl_rfc2367 = {
	.id = PFKV2_DIALECT_RFC2367,
	.name = "rfc2367",
	.map = {
		[PFKV2_SP_MSG] = DL_MAP(rfc_msg, PFKV2_MSG_COUNT),
		[PFKV2_SP_EXT] = DL_MAP(rfc_ext, PFKV2_EXT_COUNT),
		[PFKV2_SP_SATYPE] = DL_MAP(rfc_satype, PFKV2_SATYPE_COUNT),
		[PFKV2_SP_SASTATE] = DL_MAP(rfc_sastate, PFKV2_SASTATE_COUNT),
		[PFKV2_SP_AALG] = DL_MAP(rfc_aalg, PFKV2_AALG_COUNT),
		[PFKV2_SP_EALG] = DL_MAP(rfc_ealg, PFKV2_EALG_COUNT),
		[PFKV2_SP_CALG] = DL_EMPTY_MAP,
		[PFKV2_SP_IDENTTYPE] = DL_MAP(rfc_ident,
		    PFKV2_IDENTTYPE_COUNT),
		[PFKV2_SP_POLICY_TYPE] = DL_EMPTY_MAP,
		[PFKV2_SP_POLICY_DIR] = DL_EMPTY_MAP,
		[PFKV2_SP_MODE] = DL_EMPTY_MAP,
		[PFKV2_SP_LEVEL] = DL_EMPTY_MAP,
		[PFKV2_SP_KMP] = DL_EMPTY_MAP,
		[PFKV2_SP_SAFLAG] = DL_MAP(rfc_saflag, PFKV2_SAFLAG_COUNT),
		[PFKV2_SP_DIAG] = DL_EMPTY_MAP,
	},
	.ext_mask = RFC_EXT_MASK,
	.ext_max = RFC_EXT_MAX,
	.msg_max = RFC_MSG_MAX,
	.pf_key = RFC_PF_KEY,
	.af_inet = RFC_AF_INET,
	.af_inet6 = RFC_AF_INET6,
	.sockaddr_style = DL_SA_LINUX,
	.sin6_len = RFC_SIN6_LEN,
	.sa_head4 = DL_SA_HEAD_U16(RFC_AF_INET),
	.sa_head6 = DL_SA_HEAD_U16(RFC_AF_INET6),
	.isr_size = 0,				/* no policy extension */
	.replay_unit = DL_REPLAY_PACKETS,	/* "window size" */
	.unknown_ext = DL_UNKNOWN_SKIP,		/* section 2.3: ignore */
	.spirange_net_order = false,
	.key_exact = false,
	.hs_lifetime_pair = false,
	.revision = RFC_REVISION,
	.max_msg = 0,
	.isr_max = 0,
	.rules = rfc2367_rules,
	DL_PASSES(dl_rfc2367),
};

const struct pfkv2_dialect_info pfkv2_dl_rfc2367_info = {
	.name = "rfc2367",
	.pf_key = RFC_PF_KEY,
	.af_inet = RFC_AF_INET,
	.af_inet6 = RFC_AF_INET6,
	.sin6_len = RFC_SIN6_LEN,
	.ipsecrequest_len = 0,
	.replay_in_bytes = false,
	.spirange_network_order = false,
	.skips_unknown_ext = true,
	.ext_max = RFC_EXT_MAX,
	.msg_max = RFC_MSG_MAX,
	.revision = RFC_REVISION,
	.max_msg = 0,
};

/* The one pass, compiled for this table. */
#define PASS_DL		pfkv2_dl_rfc2367
#define PASS_EXT_LIST	RFC_EXT
#define PASS_PFX	dl_rfc2367
#include "../pass.h"
#include "../build_msg.h"
