/*
 * libpfkv2 - short, kernel-independent names of the canonical ids.
 *
 * Messages and extensions keep the RFC/KAME spelling without the SADB_
 * prefixes ("X_SPDADD", "ADDRESS_SRC"); values that setkey(8) and ip-xfrm
 * print use their lower-case words ("esp", "hmac-sha256", "tunnel").
 * The tables are indexed by id, so a missing entry is simply NULL.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "pfkv2/dialect.h"

static const char *const msg_names[PFKV2_MSG_COUNT] = {
	[PFKV2_MSG_RESERVED] = "RESERVED",
	[PFKV2_MSG_GETSPI] = "GETSPI",
	[PFKV2_MSG_UPDATE] = "UPDATE",
	[PFKV2_MSG_ADD] = "ADD",
	[PFKV2_MSG_DELETE] = "DELETE",
	[PFKV2_MSG_GET] = "GET",
	[PFKV2_MSG_ACQUIRE] = "ACQUIRE",
	[PFKV2_MSG_REGISTER] = "REGISTER",
	[PFKV2_MSG_EXPIRE] = "EXPIRE",
	[PFKV2_MSG_FLUSH] = "FLUSH",
	[PFKV2_MSG_DUMP] = "DUMP",
	[PFKV2_MSG_X_PROMISC] = "X_PROMISC",
	[PFKV2_MSG_X_PCHANGE] = "X_PCHANGE",
	[PFKV2_MSG_X_SPDUPDATE] = "X_SPDUPDATE",
	[PFKV2_MSG_X_SPDADD] = "X_SPDADD",
	[PFKV2_MSG_X_SPDDELETE] = "X_SPDDELETE",
	[PFKV2_MSG_X_SPDGET] = "X_SPDGET",
	[PFKV2_MSG_X_SPDACQUIRE] = "X_SPDACQUIRE",
	[PFKV2_MSG_X_SPDDUMP] = "X_SPDDUMP",
	[PFKV2_MSG_X_SPDFLUSH] = "X_SPDFLUSH",
	[PFKV2_MSG_X_SPDSETIDX] = "X_SPDSETIDX",
	[PFKV2_MSG_X_SPDEXPIRE] = "X_SPDEXPIRE",
	[PFKV2_MSG_X_SPDDELETE2] = "X_SPDDELETE2",
	[PFKV2_MSG_X_NAT_T_NEW_MAPPING] = "X_NAT_T_NEW_MAPPING",
	[PFKV2_MSG_X_MIGRATE] = "X_MIGRATE",
	[PFKV2_MSG_X_INVERSE_ACQUIRE] = "X_INVERSE_ACQUIRE",
	[PFKV2_MSG_X_UPDATEPAIR] = "X_UPDATEPAIR",
	[PFKV2_MSG_X_DELPAIR] = "X_DELPAIR",
	[PFKV2_MSG_X_DELPAIR_STATE] = "X_DELPAIR_STATE",
};

static const char *const ext_names[PFKV2_EXT_COUNT] = {
	[PFKV2_EXT_RESERVED] = "RESERVED",
	[PFKV2_EXT_SA] = "SA",
	[PFKV2_EXT_LIFETIME_CURRENT] = "LIFETIME_CURRENT",
	[PFKV2_EXT_LIFETIME_HARD] = "LIFETIME_HARD",
	[PFKV2_EXT_LIFETIME_SOFT] = "LIFETIME_SOFT",
	[PFKV2_EXT_ADDRESS_SRC] = "ADDRESS_SRC",
	[PFKV2_EXT_ADDRESS_DST] = "ADDRESS_DST",
	[PFKV2_EXT_ADDRESS_PROXY] = "ADDRESS_PROXY",
	[PFKV2_EXT_KEY_AUTH] = "KEY_AUTH",
	[PFKV2_EXT_KEY_ENCRYPT] = "KEY_ENCRYPT",
	[PFKV2_EXT_IDENTITY_SRC] = "IDENTITY_SRC",
	[PFKV2_EXT_IDENTITY_DST] = "IDENTITY_DST",
	[PFKV2_EXT_SENSITIVITY] = "SENSITIVITY",
	[PFKV2_EXT_PROPOSAL] = "PROPOSAL",
	[PFKV2_EXT_SUPPORTED_AUTH] = "SUPPORTED_AUTH",
	[PFKV2_EXT_SUPPORTED_ENCRYPT] = "SUPPORTED_ENCRYPT",
	[PFKV2_EXT_SPIRANGE] = "SPIRANGE",
	[PFKV2_EXT_KMPRIVATE] = "KMPRIVATE",
	[PFKV2_EXT_POLICY] = "POLICY",
	[PFKV2_EXT_SA2] = "SA2",
	[PFKV2_EXT_NAT_T_TYPE] = "NAT_T_TYPE",
	[PFKV2_EXT_NAT_T_SPORT] = "NAT_T_SPORT",
	[PFKV2_EXT_NAT_T_DPORT] = "NAT_T_DPORT",
	[PFKV2_EXT_NAT_T_OA] = "NAT_T_OA",
	[PFKV2_EXT_NAT_T_OAR] = "NAT_T_OAR",
	[PFKV2_EXT_NAT_T_FRAG] = "NAT_T_FRAG",
	[PFKV2_EXT_SEC_CTX] = "SEC_CTX",
	[PFKV2_EXT_KMADDRESS] = "KMADDRESS",
	[PFKV2_EXT_FILTER] = "FILTER",
	[PFKV2_EXT_SA_REPLAY] = "SA_REPLAY",
	[PFKV2_EXT_NEW_ADDRESS_SRC] = "NEW_ADDRESS_SRC",
	[PFKV2_EXT_NEW_ADDRESS_DST] = "NEW_ADDRESS_DST",
	[PFKV2_EXT_LFT_CUR_SW_OFFL] = "LFT_CUR_SW_OFFL",
	[PFKV2_EXT_LFT_CUR_HW_OFFL] = "LFT_CUR_HW_OFFL",
	[PFKV2_EXT_IF_HW_OFFL] = "IF_HW_OFFL",
	[PFKV2_EXT_EREG] = "EREG",
	[PFKV2_EXT_EPROP] = "EPROP",
	[PFKV2_EXT_KMC] = "KMC",
	[PFKV2_EXT_ADDRESS_NATT_LOC] = "ADDRESS_NATT_LOC",
	[PFKV2_EXT_ADDRESS_NATT_REM] = "ADDRESS_NATT_REM",
	[PFKV2_EXT_ADDRESS_INNER_DST] = "ADDRESS_INNER_DST",
	[PFKV2_EXT_PAIR] = "PAIR",
	[PFKV2_EXT_REPLAY_VALUE] = "REPLAY_VALUE",
	[PFKV2_EXT_EDUMP] = "EDUMP",
	[PFKV2_EXT_LIFETIME_IDLE] = "LIFETIME_IDLE",
	[PFKV2_EXT_OUTER_SENS] = "OUTER_SENS",
	[PFKV2_EXT_STR_AUTH] = "STR_AUTH",
};

static const char *const satype_names[PFKV2_SATYPE_COUNT] = {
	[PFKV2_SATYPE_UNSPEC] = "unspec",
	[PFKV2_SATYPE_AH] = "ah",
	[PFKV2_SATYPE_ESP] = "esp",
	[PFKV2_SATYPE_RSVP] = "rsvp",
	[PFKV2_SATYPE_OSPFV2] = "ospfv2",
	[PFKV2_SATYPE_RIPV2] = "ripv2",
	[PFKV2_SATYPE_MIP] = "mip",
	[PFKV2_SATYPE_IPCOMP] = "ipcomp",
	[PFKV2_SATYPE_POLICY] = "policy",
	[PFKV2_SATYPE_TCPSIGNATURE] = "tcpsig",
};

static const char *const sastate_names[PFKV2_SASTATE_COUNT] = {
	[PFKV2_SASTATE_LARVAL] = "larval",
	[PFKV2_SASTATE_MATURE] = "mature",
	[PFKV2_SASTATE_DYING] = "dying",
	[PFKV2_SASTATE_DEAD] = "dead",
	[PFKV2_SASTATE_ACTIVE_ELSEWHERE] = "active-elsewhere",
	[PFKV2_SASTATE_IDLE] = "idle",
	[PFKV2_SASTATE_ACTIVE] = "active",
};

static const char *const aalg_names[PFKV2_AALG_COUNT] = {
	[PFKV2_AALG_NONE] = "none",
	[PFKV2_AALG_MD5HMAC] = "hmac-md5",
	[PFKV2_AALG_SHA1HMAC] = "hmac-sha1",
	[PFKV2_AALG_SHA2_256HMAC] = "hmac-sha256",
	[PFKV2_AALG_SHA2_384HMAC] = "hmac-sha384",
	[PFKV2_AALG_SHA2_512HMAC] = "hmac-sha512",
	[PFKV2_AALG_RIPEMD160HMAC] = "hmac-ripemd160",
	[PFKV2_AALG_AES_XCBC_MAC] = "aes-xcbc-mac",
	[PFKV2_AALG_SM3_256HMAC] = "hmac-sm3",
	[PFKV2_AALG_AES128GMAC] = "aes-128-gmac",
	[PFKV2_AALG_AES192GMAC] = "aes-192-gmac",
	[PFKV2_AALG_AES256GMAC] = "aes-256-gmac",
	[PFKV2_AALG_CHACHA20POLY1305] = "chacha20-poly1305",
	[PFKV2_AALG_MD5] = "keyed-md5",
	[PFKV2_AALG_SHA] = "keyed-sha1",
	[PFKV2_AALG_NULL] = "null",
	[PFKV2_AALG_TCP_MD5] = "tcp-md5",
};

static const char *const ealg_names[PFKV2_EALG_COUNT] = {
	[PFKV2_EALG_NONE] = "none",
	[PFKV2_EALG_DESCBC] = "des-cbc",
	[PFKV2_EALG_3DESCBC] = "3des-cbc",
	[PFKV2_EALG_CASTCBC] = "cast128-cbc",
	[PFKV2_EALG_BLOWFISHCBC] = "blowfish-cbc",
	[PFKV2_EALG_NULL] = "null",
	[PFKV2_EALG_AESCBC] = "aes-cbc",
	[PFKV2_EALG_AESCTR] = "aes-ctr",
	[PFKV2_EALG_AES_CCM_ICV8] = "aes-ccm-8",
	[PFKV2_EALG_AES_CCM_ICV12] = "aes-ccm-12",
	[PFKV2_EALG_AES_CCM_ICV16] = "aes-ccm-16",
	[PFKV2_EALG_AES_GCM_ICV8] = "aes-gcm-8",
	[PFKV2_EALG_AES_GCM_ICV12] = "aes-gcm-12",
	[PFKV2_EALG_AES_GCM_ICV16] = "aes-gcm-16",
	[PFKV2_EALG_CAMELLIACBC] = "camellia-cbc",
	[PFKV2_EALG_NULL_AES_GMAC] = "aes-gmac",
	[PFKV2_EALG_SM4CBC] = "sm4-cbc",
	[PFKV2_EALG_SERPENTCBC] = "serpent-cbc",
	[PFKV2_EALG_TWOFISHCBC] = "twofish-cbc",
	[PFKV2_EALG_CHACHA20POLY1305] = "chacha20-poly1305",
	[PFKV2_EALG_SKIPJACK] = "skipjack",
};

static const char *const calg_names[PFKV2_CALG_COUNT] = {
	[PFKV2_CALG_NONE] = "none",
	[PFKV2_CALG_OUI] = "oui",
	[PFKV2_CALG_DEFLATE] = "deflate",
	[PFKV2_CALG_LZS] = "lzs",
	[PFKV2_CALG_LZJH] = "lzjh",
};

static const char *const identtype_names[PFKV2_IDENTTYPE_COUNT] = {
	[PFKV2_IDENTTYPE_RESERVED] = "reserved",
	[PFKV2_IDENTTYPE_PREFIX] = "prefix",
	[PFKV2_IDENTTYPE_FQDN] = "fqdn",
	[PFKV2_IDENTTYPE_USERFQDN] = "user-fqdn",
	[PFKV2_IDENTTYPE_ADDR] = "addr",
	[PFKV2_IDENTTYPE_DN] = "dn",
	[PFKV2_IDENTTYPE_GN] = "gn",
	[PFKV2_IDENTTYPE_KEY_ID] = "key-id",
	[PFKV2_IDENTTYPE_ADDR_RANGE] = "addr-range",
};

static const char *const policy_type_names[PFKV2_POLICY_TYPE_COUNT] = {
	[PFKV2_POLICY_DISCARD] = "discard",
	[PFKV2_POLICY_NONE] = "none",
	[PFKV2_POLICY_IPSEC] = "ipsec",
	[PFKV2_POLICY_ENTRUST] = "entrust",
	[PFKV2_POLICY_BYPASS] = "bypass",
};

static const char *const dir_names[PFKV2_DIR_COUNT] = {
	[PFKV2_DIR_ANY] = "any",
	[PFKV2_DIR_INBOUND] = "in",
	[PFKV2_DIR_OUTBOUND] = "out",
	[PFKV2_DIR_FWD] = "fwd",
	[PFKV2_DIR_INVALID] = "invalid",
};

static const char *const mode_names[PFKV2_MODE_COUNT] = {
	[PFKV2_MODE_ANY] = "any",
	[PFKV2_MODE_TRANSPORT] = "transport",
	[PFKV2_MODE_TUNNEL] = "tunnel",
	[PFKV2_MODE_BEET] = "beet",
	[PFKV2_MODE_IPTFS] = "iptfs",
	[PFKV2_MODE_TCPMD5] = "tcpmd5",
};

static const char *const level_names[PFKV2_LEVEL_COUNT] = {
	[PFKV2_LEVEL_DEFAULT] = "default",
	[PFKV2_LEVEL_USE] = "use",
	[PFKV2_LEVEL_REQUIRE] = "require",
	[PFKV2_LEVEL_UNIQUE] = "unique",
};

static const char *const kmp_names[PFKV2_KMP_COUNT] = {
	[PFKV2_KMP_MANUAL] = "manual",
	[PFKV2_KMP_IKE] = "ike",
	[PFKV2_KMP_KINK] = "kink",
	[PFKV2_KMP_IKEV2] = "ikev2",
};

static const char *const saflag_names[PFKV2_SAFLAG_COUNT] = {
	[PFKV2_SAFLAG_PFS] = "pfs",
	[PFKV2_SAFLAG_NOREPLAY] = "noreplay",
	[PFKV2_SAFLAG_NOPMTUDISC] = "nopmtudisc",
	[PFKV2_SAFLAG_DECAP_DSCP] = "decap-dscp",
	[PFKV2_SAFLAG_NOECN] = "noecn",
	[PFKV2_SAFLAG_ESN] = "esn",
	[PFKV2_SAFLAG_OLD] = "old",
	[PFKV2_SAFLAG_IV4B] = "iv4b",
	[PFKV2_SAFLAG_DERIV] = "deriv",
	[PFKV2_SAFLAG_CYCSEQ] = "cycseq",
	[PFKV2_SAFLAG_RAWCPI] = "rawcpi",
	[PFKV2_SAFLAG_PRAND] = "prand",
	[PFKV2_SAFLAG_PZERO] = "pzero",
	[PFKV2_SAFLAG_NATTED] = "natted",
	[PFKV2_SAFLAG_TCPSIG] = "tcpsig",
	[PFKV2_SAFLAG_INBOUND] = "inbound",
	[PFKV2_SAFLAG_OUTBOUND] = "outbound",
	[PFKV2_SAFLAG_PAIRED] = "paired",
	[PFKV2_SAFLAG_TUNNEL] = "tunnel",
	[PFKV2_SAFLAG_KRES2] = "kres2",
	[PFKV2_SAFLAG_NATT_REM] = "natt-rem",
	[PFKV2_SAFLAG_NATT_LOC] = "natt-loc",
	[PFKV2_SAFLAG_KRES1] = "kres1",
	[PFKV2_SAFLAG_KM4] = "km4",
	[PFKV2_SAFLAG_KM3] = "km3",
	[PFKV2_SAFLAG_KM2] = "km2",
	[PFKV2_SAFLAG_KM1] = "km1",
	[PFKV2_SAFLAG_EALG2] = "ealg2",
	[PFKV2_SAFLAG_EALG1] = "ealg1",
	[PFKV2_SAFLAG_AALG2] = "aalg2",
	[PFKV2_SAFLAG_AALG1] = "aalg1",
	[PFKV2_SAFLAG_UNIQUE] = "unique",
	[PFKV2_SAFLAG_USED] = "used",
};

/*
 * Diagnostic codes: canonical id == the illumos number, named like the
 * illumos macro without SADB_X_DIAGNOSTIC_.  Codes above 86 are unnamed.
 */
static const char *const diag_names[] = {
	"NONE", "UNKNOWN_MSG", "UNKNOWN_EXT", "BAD_EXTLEN",
	"UNKNOWN_SATYPE", "SATYPE_NEEDED", "NO_SADBS", "NO_EXT",
	"BAD_SRC_AF", "BAD_DST_AF", "BAD_PROXY_AF", "AF_MISMATCH",
	"BAD_SRC", "BAD_DST", "ALLOC_HSERR", "BYTES_HSERR",
	"ADDTIME_HSERR", "USETIME_HSERR", "MISSING_SRC", "MISSING_DST",
	"MISSING_SA", "MISSING_EKEY", "MISSING_AKEY", "MISSING_RANGE",
	"DUPLICATE_SRC", "DUPLICATE_DST", "DUPLICATE_SA", "DUPLICATE_EKEY",
	"DUPLICATE_AKEY", "DUPLICATE_RANGE", "MALFORMED_SRC", "MALFORMED_DST",
	"MALFORMED_SA", "MALFORMED_EKEY", "MALFORMED_AKEY", "MALFORMED_RANGE",
	"AKEY_PRESENT", "EKEY_PRESENT", "PROP_PRESENT", "SUPP_PRESENT",
	"BAD_AALG", "BAD_EALG", "BAD_SAFLAGS", "BAD_SASTATE",
	"BAD_AKEYBITS", "BAD_EKEYBITS", "ENCR_NOTSUPP", "WEAK_EKEY",
	"WEAK_AKEY", "DUPLICATE_KMP", "DUPLICATE_KMC", "MISSING_NATT_LOC",
	"MISSING_NATT_REM", "DUPLICATE_NATT_LOC", "DUPLICATE_NATT_REM",
	"MALFORMED_NATT_LOC", "MALFORMED_NATT_REM", "DUPLICATE_NATT_PORTS",
	"MISSING_INNER_SRC", "MISSING_INNER_DST", "DUPLICATE_INNER_SRC",
	"DUPLICATE_INNER_DST", "MALFORMED_INNER_SRC", "MALFORMED_INNER_DST",
	"PREFIX_INNER_SRC", "PREFIX_INNER_DST", "BAD_INNER_DST_AF",
	"INNER_AF_MISMATCH", "BAD_NATT_REM_AF", "BAD_NATT_LOC_AF",
	"PROTO_MISMATCH", "INNER_PROTO_MISMATCH", "DUAL_PORT_SETS",
	"PAIR_INAPPROPRIATE", "PAIR_ADD_MISMATCH", "PAIR_ALREADY",
	"PAIR_SA_NOTFOUND", "BAD_SA_DIRECTION", "SA_NOTFOUND", "SA_EXPIRED",
	"BAD_CTX", "INVALID_REPLAY", "MISSING_LIFETIME", "BAD_LABEL",
	"MISSING_ASTR", "DUPLICATE_ASTR", "MALFORMED_ASTR",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct name_table {
	const char *const *names;
	unsigned count;
};

/* In enum pfkv2_space order. */
static const struct name_table name_tables[PFKV2_SP_COUNT] = {
	[PFKV2_SP_MSG] = { msg_names, NELEM(msg_names) },
	[PFKV2_SP_EXT] = { ext_names, NELEM(ext_names) },
	[PFKV2_SP_SATYPE] = { satype_names, NELEM(satype_names) },
	[PFKV2_SP_SASTATE] = { sastate_names, NELEM(sastate_names) },
	[PFKV2_SP_AALG] = { aalg_names, NELEM(aalg_names) },
	[PFKV2_SP_EALG] = { ealg_names, NELEM(ealg_names) },
	[PFKV2_SP_CALG] = { calg_names, NELEM(calg_names) },
	[PFKV2_SP_IDENTTYPE] = { identtype_names, NELEM(identtype_names) },
	[PFKV2_SP_POLICY_TYPE] = { policy_type_names,
	    NELEM(policy_type_names) },
	[PFKV2_SP_POLICY_DIR] = { dir_names, NELEM(dir_names) },
	[PFKV2_SP_MODE] = { mode_names, NELEM(mode_names) },
	[PFKV2_SP_LEVEL] = { level_names, NELEM(level_names) },
	[PFKV2_SP_KMP] = { kmp_names, NELEM(kmp_names) },
	[PFKV2_SP_SAFLAG] = { saflag_names, NELEM(saflag_names) },
	[PFKV2_SP_DIAG] = { diag_names, NELEM(diag_names) },
};

/* ASCII only, so the result never depends on the locale. */
static bool
name_eq(const char *a, const char *b)
{
	int ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
	} while (ca == cb && ca != '\0');
	return ca == cb;
}

PFKV2_API const char *
pfkv2_id_name(enum pfkv2_space s, unsigned id)
{
	if ((unsigned)s >= PFKV2_SP_COUNT || id >= name_tables[s].count)
		return NULL;
	return name_tables[s].names[id];
}

PFKV2_API int
pfkv2_id_from_name(enum pfkv2_space s, const char *name)
{
	const struct name_table *t;
	unsigned id;

	if ((unsigned)s >= PFKV2_SP_COUNT || name == NULL) {
		errno = EINVAL;
		return -1;
	}
	t = &name_tables[s];
	/* Names are unique per space, and case does not matter. */
	for (id = 0; id < t->count; id++)
		if (t->names[id] != NULL && name_eq(t->names[id], name))
			return (int)id;
	errno = ENOENT;
	return -1;
}
