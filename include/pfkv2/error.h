/*
 * libpfkv2 - errors and diagnostics.
 *
 * Failing calls return -1 and set errno (EINVAL, EMSGSIZE, EBADMSG,
 * ENOTSUP, ERANGE, ...).  Parsing and validation also fill an optional
 * struct pfkv2_diag that says exactly what was wrong and where.
 * See pfkv2_strerror(3).
 */
#ifndef PFKV2_ERROR_H
#define PFKV2_ERROR_H

#include <stddef.h>
#include <stdint.h>

#include <pfkv2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Diagnostic codes, grouped in ranges: 1xx base header, 2xx extension walk
 * and sizes, 3xx extension fields, 4xx message level (which extensions,
 * combinations of values), 5xx dialect level (what a given kernel accepts).
 */
enum pfkv2_code {
	PFKV2_OK = 0,

	/* Base header. */
	PFKV2_E_SHORT = 100,		/* fewer than 16 bytes */
	PFKV2_E_MSG_LEN,		/* sadb_msg_len * 8 != bytes given */
	PFKV2_E_VERSION,		/* sadb_msg_version != 2 */
	PFKV2_E_MSG_RESERVED,		/* sadb_msg_reserved != 0 in a request */
	PFKV2_E_MSG_TYPE,		/* type 0 or unknown to the dialect */
	PFKV2_E_MSG_NO_HANDLER,		/* the kernel takes no such request */
	PFKV2_E_MSG_ERRNO,		/* errno set in a request */
	PFKV2_E_SATYPE,			/* satype unknown or wrong for message */
	PFKV2_E_TOO_BIG,		/* larger than the kernel accepts */

	/* Extension walk and per-type sizes. */
	PFKV2_E_EXT_TRUNC = 200,	/* fewer than 4 bytes left for a header */
	PFKV2_E_EXT_LEN_ZERO,		/* sadb_ext_len == 0 */
	PFKV2_E_EXT_OVERRUN,		/* extension runs past the message */
	PFKV2_E_EXT_TYPE_ZERO,		/* sadb_ext_type == 0 */
	PFKV2_E_EXT_UNKNOWN,		/* type unknown to the dialect */
	PFKV2_E_EXT_DUP,		/* type seen twice */
	PFKV2_E_EXT_SIZE,		/* wrong length for its type */

	/* Extension fields. */
	PFKV2_E_RESERVED = 300,		/* a reserved field is not zero */
	PFKV2_E_SA_STATE,		/* unknown SA state */
	PFKV2_E_SA_ALG,			/* unknown algorithm */
	PFKV2_E_ADDR_FAMILY,		/* unknown address family */
	PFKV2_E_ADDR_LEN,		/* sockaddr length disagrees */
	PFKV2_E_ADDR_PREFIX,		/* prefix longer than the address */
	PFKV2_E_ADDR_PADDING,		/* sin_zero / padding not zero */
	PFKV2_E_KEY_BITS,		/* key bits zero */
	PFKV2_E_KEY_SHORT,		/* extension too short for its bits */
	PFKV2_E_KEY_LONG,		/* extension longer than its bits need */
	PFKV2_E_KEY_ZERO,		/* all-zero key */
	PFKV2_E_IDENT_NUL,		/* identity string not NUL-terminated */
	PFKV2_E_IDENT_PAD,		/* identity padded beyond one word */
	PFKV2_E_IDENT_TYPE,		/* unknown identity type */
	PFKV2_E_SENS_LEN,		/* bitmap lengths disagree */
	PFKV2_E_PROP_LEN,		/* proposal not a whole number of combs */
	PFKV2_E_ALG_BITS,		/* min bits above max bits */
	PFKV2_E_SPIRANGE,		/* min above max */
	PFKV2_E_POLICY_TYPE,		/* unknown policy type */
	PFKV2_E_POLICY_DIR,		/* unknown or refused direction */
	PFKV2_E_ISR_LEN,		/* ipsecrequest length bad */
	PFKV2_E_ISR_PROTO,		/* ipsecrequest protocol not AH/ESP/IPCOMP */
	PFKV2_E_ISR_MODE,		/* ipsecrequest mode bad */
	PFKV2_E_ISR_LEVEL,		/* ipsecrequest level bad */
	PFKV2_E_ISR_ADDR,		/* tunnel endpoints malformed */
	PFKV2_E_ISR_COUNT,		/* no request, or too many */
	PFKV2_E_MODE,			/* unknown mode in sa2 */
	PFKV2_E_NATT_TYPE,		/* bad NAT-T encapsulation type */
	PFKV2_E_NATT_PORT,		/* NAT-T port zero */
	PFKV2_E_CTX_LEN,		/* security context length disagrees */
	PFKV2_E_FILTER,			/* filter family or prefix bad */
	PFKV2_E_REPLAY,			/* replay window or counter bad */
	PFKV2_E_KMC,			/* key-management cookie bad */
	PFKV2_E_EREG,			/* extended register list bad */
	PFKV2_E_EPROP,			/* extended proposal malformed */
	PFKV2_E_PAIR,			/* pair SPI zero */

	/* Message level. */
	PFKV2_E_EXT_NOT_ALLOWED = 400,	/* extension not allowed here */
	PFKV2_E_EXT_MISSING,		/* required extension missing */
	PFKV2_E_ADDR_MISMATCH,		/* src and dst families differ */
	PFKV2_E_PROTO_MISMATCH,		/* src and dst upper protocols differ */
	PFKV2_E_KEY_MISSING,		/* satype needs a key that is absent */
	PFKV2_E_KEY_PRESENT,		/* key where the satype forbids one */
	PFKV2_E_LIFETIME_PAIR,		/* hard without soft or soft without hard */
	PFKV2_E_LIFETIME_ORDER,		/* soft limit above hard limit */
	PFKV2_E_SA_STATE_MSG,		/* SA state wrong for the message */
	PFKV2_E_ALG_MISMATCH,		/* algorithm wrong for the satype */

	PFKV2_E_MAX
};

/* Where and why a message was refused. */
struct pfkv2_diag {
	int code;		/* enum pfkv2_code */
	int error;		/* errno the call set (EBADMSG, ...) */
	int kernel_errno;	/* errno the dialect's kernel would answer */
	uint32_t offset;	/* byte offset of the fault in the message */
	uint16_t ext_wire;	/* wire type of the extension, 0: base header */
	uint16_t ext;		/* canonical extension id, 0: none */
	uint16_t msg_type;	/* wire message type, when known */
	uint16_t dialect;	/* enum pfkv2_dialect */
	uint16_t kernel_diag;	/* illumos SADB_X_DIAGNOSTIC_*, 0: none */
	uint16_t reserved_[3];
};

/* Text of a diagnostic code ("extension runs past the message"). */
PFKV2_API const char *pfkv2_strerror(int code);
/* Symbolic name of a code ("PFKV2_E_EXT_OVERRUN"), NULL when unknown. */
PFKV2_API const char *pfkv2_code_name(int code);
/*
 * One line describing a diagnostic: "offset 24, extension ADDRESS_SRC (5):
 * sockaddr length disagrees with the extension".  Returns what snprintf
 * would (the length the whole line needs).
 */
PFKV2_API int pfkv2_diag_format(const struct pfkv2_diag *d, char *buf,
    size_t size);

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_ERROR_H */
