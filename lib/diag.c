/*
 * Diagnostics: text for every code, and filling struct pfkv2_diag with the
 * extension that holds the fault and the errno the dialect's kernel would
 * have answered.
 */
#include <stdio.h>

#include "internal.h"

struct code_text {
	int code;
	const char *name;
	const char *text;
	int kerr;		/* errno most kernels answer */
};

#define CT(c, t, k)	{ c, #c, t, k }

static const struct code_text codes[] = {
	CT(PFKV2_OK, "no error", 0),
	CT(PFKV2_E_SHORT, "message shorter than the 16-byte base header",
	    EINVAL),
	CT(PFKV2_E_MSG_LEN, "sadb_msg_len does not match the message size",
	    EINVAL),
	CT(PFKV2_E_VERSION, "sadb_msg_version is not PF_KEY_V2", EINVAL),
	CT(PFKV2_E_MSG_RESERVED, "sadb_msg_reserved is not zero in a request",
	    EINVAL),
	CT(PFKV2_E_MSG_TYPE, "unknown or reserved message type", EINVAL),
	CT(PFKV2_E_MSG_NO_HANDLER,
	    "the kernel does not take this message in this direction",
	    EOPNOTSUPP),
	CT(PFKV2_E_MSG_ERRNO, "sadb_msg_errno is set in a request", EINVAL),
	CT(PFKV2_E_SATYPE, "SA type unknown or wrong for this message", EINVAL),
	CT(PFKV2_E_TOO_BIG, "message larger than the kernel accepts", ENOBUFS),
	CT(PFKV2_E_EXT_TRUNC, "fewer than 4 bytes left for an extension header",
	    EINVAL),
	CT(PFKV2_E_EXT_LEN_ZERO, "extension length is zero", EINVAL),
	CT(PFKV2_E_EXT_OVERRUN, "extension runs past the end of the message",
	    EINVAL),
	CT(PFKV2_E_EXT_TYPE_ZERO, "extension type is zero (reserved)", EINVAL),
	CT(PFKV2_E_EXT_UNKNOWN, "extension type unknown to this dialect",
	    EINVAL),
	CT(PFKV2_E_EXT_DUP, "extension type appears twice", EINVAL),
	CT(PFKV2_E_EXT_SIZE, "extension length wrong for its type", EINVAL),
	CT(PFKV2_E_RESERVED, "a reserved field is not zero", EINVAL),
	CT(PFKV2_E_SA_STATE, "unknown SA state", EINVAL),
	CT(PFKV2_E_SA_ALG, "unknown algorithm", EINVAL),
	CT(PFKV2_E_ADDR_FAMILY, "unknown address family", EINVAL),
	CT(PFKV2_E_ADDR_LEN, "sockaddr length disagrees with the extension",
	    EINVAL),
	CT(PFKV2_E_ADDR_PREFIX, "prefix length longer than the address",
	    EINVAL),
	CT(PFKV2_E_ADDR_PADDING, "sin_zero or sockaddr padding is not zero",
	    EINVAL),
	CT(PFKV2_E_KEY_BITS, "key length is zero bits", EINVAL),
	CT(PFKV2_E_KEY_SHORT, "key extension too short for its bit count",
	    EINVAL),
	CT(PFKV2_E_KEY_LONG, "key extension longer than its bit count needs",
	    EINVAL),
	CT(PFKV2_E_KEY_ZERO, "key is all zero bytes", EINVAL),
	CT(PFKV2_E_IDENT_NUL, "identity string is not NUL-terminated", EINVAL),
	CT(PFKV2_E_IDENT_PAD, "identity string padded beyond one word",
	    EINVAL),
	CT(PFKV2_E_IDENT_TYPE, "unknown identity type", EINVAL),
	CT(PFKV2_E_SENS_LEN, "sensitivity bitmap lengths disagree with the "
	    "extension", EINVAL),
	CT(PFKV2_E_PROP_LEN, "proposal is not a whole number of combinations",
	    EINVAL),
	CT(PFKV2_E_ALG_BITS, "minimum key bits above maximum", EINVAL),
	CT(PFKV2_E_SPIRANGE, "SPI range minimum above maximum", EINVAL),
	CT(PFKV2_E_POLICY_TYPE, "policy type unknown or refused", EINVAL),
	CT(PFKV2_E_POLICY_DIR, "policy direction unknown or refused", EINVAL),
	CT(PFKV2_E_ISR_LEN, "ipsecrequest length bad", EINVAL),
	CT(PFKV2_E_ISR_PROTO, "ipsecrequest protocol is not AH, ESP or IPCOMP",
	    EINVAL),
	CT(PFKV2_E_ISR_MODE, "ipsecrequest mode unknown or any", EINVAL),
	CT(PFKV2_E_ISR_LEVEL, "ipsecrequest level unknown", EINVAL),
	CT(PFKV2_E_ISR_ADDR, "ipsecrequest tunnel endpoints malformed", EINVAL),
	CT(PFKV2_E_ISR_COUNT, "no ipsecrequest, too many, or unpaired", EINVAL),
	CT(PFKV2_E_MODE, "unknown IPsec mode", EINVAL),
	CT(PFKV2_E_NATT_TYPE, "NAT-T encapsulation type refused", EINVAL),
	CT(PFKV2_E_NATT_PORT, "NAT-T port is zero", EINVAL),
	CT(PFKV2_E_CTX_LEN, "security context length disagrees with the "
	    "extension", EINVAL),
	CT(PFKV2_E_FILTER, "filter family or prefix length bad", EINVAL),
	CT(PFKV2_E_REPLAY, "replay window or counter out of range", EINVAL),
	CT(PFKV2_E_KMC, "key-management cookie protocol or value bad", EINVAL),
	CT(PFKV2_E_EREG, "extended register list bad", EINVAL),
	CT(PFKV2_E_EPROP, "extended proposal runs past its extension", EINVAL),
	CT(PFKV2_E_PAIR, "pair SPI is zero", EINVAL),
	CT(PFKV2_E_EXT_NOT_ALLOWED, "extension not allowed in this message",
	    EINVAL),
	CT(PFKV2_E_EXT_MISSING, "required extension missing", EINVAL),
	CT(PFKV2_E_ADDR_MISMATCH, "source and destination families differ",
	    EINVAL),
	CT(PFKV2_E_PROTO_MISMATCH, "source and destination protocols differ",
	    EINVAL),
	CT(PFKV2_E_KEY_MISSING, "the SA type needs a key that is missing",
	    EINVAL),
	CT(PFKV2_E_KEY_PRESENT, "a key the SA type forbids", EINVAL),
	CT(PFKV2_E_LIFETIME_PAIR, "hard lifetime without soft, or soft without "
	    "hard", EINVAL),
	CT(PFKV2_E_LIFETIME_ORDER, "soft lifetime above hard lifetime", EINVAL),
	CT(PFKV2_E_SA_STATE_MSG, "SA state wrong for this message", EINVAL),
	CT(PFKV2_E_ALG_MISMATCH, "algorithm wrong for the SA type", EINVAL),
};

static const struct code_text *
find(int code)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return &codes[i];
	return NULL;
}

PFKV2_API const char *
pfkv2_strerror(int code)
{
	const struct code_text *t = find(code);

	return t != NULL ? t->text : "unknown diagnostic code";
}

PFKV2_API const char *
pfkv2_code_name(int code)
{
	const struct code_text *t = find(code);

	return t != NULL ? t->name : NULL;
}

/* The errno a dialect's kernel answers for a code, where it differs. */
static int
kernel_errno(const struct dl_dialect *dl, int code)
{
	const struct code_text *t = find(code);

	switch (dl->id) {
	case PFKV2_DIALECT_LINUX:
		if (code == PFKV2_E_SHORT || code == PFKV2_E_MSG_LEN)
			return EMSGSIZE;
		if (code == PFKV2_E_ISR_COUNT)
			return ELOOP;
		break;
	case PFKV2_DIALECT_FREEBSD:
		if (code == PFKV2_E_ISR_PROTO)
			return EPROTONOSUPPORT;
		if (code == PFKV2_E_ADDR_FAMILY)
			return EAFNOSUPPORT;
		if (code == PFKV2_E_EXT_OVERRUN)
			return ENOBUFS;
		break;
	case PFKV2_DIALECT_ILLUMOS:
		if (code == PFKV2_E_SHORT || code == PFKV2_E_MSG_LEN)
			return EMSGSIZE;
		break;
	default:
		break;
	}
	return t != NULL ? t->kerr : EINVAL;
}

/*
 * illumos SADB_X_DIAGNOSTIC_* numbers for the faults that have one
 * (pfkeyv2.h; the TSV's `diagnostic` group).
 */
static uint16_t
illumos_diag(int code, unsigned ext)
{
	/* MISSING_*, DUPLICATE_*, MALFORMED_* run in this extension order. */
	static const unsigned order[] = {
		PFKV2_EXT_ADDRESS_SRC, PFKV2_EXT_ADDRESS_DST, PFKV2_EXT_SA,
		PFKV2_EXT_KEY_ENCRYPT, PFKV2_EXT_KEY_AUTH, PFKV2_EXT_SPIRANGE
	};
	unsigned i, base = 0;

	switch (code) {
	case PFKV2_E_MSG_TYPE:
		return 1;	/* UNKNOWN_MSG */
	case PFKV2_E_EXT_UNKNOWN:
		return 2;	/* UNKNOWN_EXT */
	case PFKV2_E_EXT_TRUNC:
	case PFKV2_E_EXT_LEN_ZERO:
	case PFKV2_E_EXT_OVERRUN:
		return 3;	/* BAD_EXTLEN */
	case PFKV2_E_SATYPE:
		return 4;	/* UNKNOWN_SATYPE */
	case PFKV2_E_ADDR_FAMILY:
		return ext == PFKV2_EXT_ADDRESS_SRC ? 8 :
		    ext == PFKV2_EXT_ADDRESS_DST ? 9 :
		    ext == PFKV2_EXT_ADDRESS_PROXY ? 10 : 0;
	case PFKV2_E_ADDR_MISMATCH:
		return 11;	/* AF_MISMATCH */
	case PFKV2_E_KEY_PRESENT:
		return ext == PFKV2_EXT_KEY_AUTH ? 36 : 37;
	case PFKV2_E_SA_STATE_MSG:
		return 43;	/* BAD_SASTATE */
	case PFKV2_E_PROTO_MISMATCH:
		return 70;
	case PFKV2_E_REPLAY:
		return 81;	/* INVALID_REPLAY */
	case PFKV2_E_KEY_MISSING:
	case PFKV2_E_EXT_MISSING:
		base = 18;
		break;
	case PFKV2_E_EXT_DUP:
		base = 24;
		break;
	case PFKV2_E_EXT_SIZE:
	case PFKV2_E_ADDR_LEN:
	case PFKV2_E_KEY_SHORT:
	case PFKV2_E_KEY_LONG:
	case PFKV2_E_SPIRANGE:
		base = 30;
		break;
	default:
		return 0;
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] == ext)
			return (uint16_t)(base + i);
	return code == PFKV2_E_EXT_MISSING ? 7 : 0;	/* NO_EXT */
}

void
diag_set(struct pfkv2_diag *d, const struct dl_dialect *dl, const uint8_t *msg,
    size_t len, int code, uint32_t off, unsigned ext)
{
	const void *e;
	size_t eoff;
	int c;

	if (d == NULL)
		return;
	memset(d, 0, sizeof(*d));
	d->code = code;
	d->dialect = (uint16_t)dl->id;
	d->offset = off;
	if (code == PFKV2_OK)
		return;
	d->error = EBADMSG;
	d->kernel_errno = kernel_errno(dl, code);
	/*
	 * D1: Linux compares sadb_msg_len with the byte count divided by 8,
	 * so 1 to 7 stray bytes pass write() and fail later with EINVAL.
	 */
	if (code == PFKV2_E_MSG_LEN && dl->id == PFKV2_DIALECT_LINUX &&
	    len >= sizeof(struct pfkv2_sadb_msg) &&
	    (size_t)ld16(msg + OFF(msg, sadb_msg_len)) == len / 8 &&
	    len % 8 != 0)
		d->kernel_errno = EINVAL;
	if (len >= sizeof(struct pfkv2_sadb_msg))
		d->msg_type = msg[OFF(msg, sadb_msg_type)];
	if (ext != 0) {
		/* The fault is an extension's absence or presence as such. */
		c = dl_c2w(dl, PFKV2_SP_EXT, ext);
		d->ext = (uint16_t)ext;
		d->ext_wire = (uint16_t)(c < 0 ? 0 : c);
	}
	/* Otherwise name the extension whose bytes hold the fault. */
	for (e = pfkv2_ext_first(msg, len); e != NULL && ext == 0;
	    e = pfkv2_ext_next(msg, len, e)) {
		eoff = (size_t)((const uint8_t *)e - msg);
		if (off >= eoff && off < eoff + pfkv2_ext_bytes(e)) {
			d->ext_wire = pfkv2_ext_type(e);
			c = dl_w2c(dl, PFKV2_SP_EXT, d->ext_wire);
			d->ext = (uint16_t)(c < 0 ? 0 : c);
			break;
		}
	}
	if (dl->id == PFKV2_DIALECT_ILLUMOS)
		d->kernel_diag = illumos_diag(code, d->ext);
}

PFKV2_API int
pfkv2_diag_format(const struct pfkv2_diag *d, char *buf, size_t size)
{
	const char *en;

	if (d == NULL)
		return snprintf(buf, size, "(no diagnostic)");
	if (d->code == PFKV2_OK)
		return snprintf(buf, size, "valid");
	/* ext 0 with a wire type: a type the dialect does not know. */
	en = d->ext != 0 ? pfkv2_id_name(PFKV2_SP_EXT, d->ext) : "unknown";
	if (d->ext_wire != 0 || d->ext != 0)
		return snprintf(buf, size, "offset %u, extension %s (%u): %s",
		    (unsigned)d->offset, en != NULL ? en : "?",
		    (unsigned)d->ext_wire, pfkv2_strerror(d->code));
	return snprintf(buf, size, "offset %u, %s: %s", (unsigned)d->offset,
	    d->offset < sizeof(struct pfkv2_sadb_msg) ? "base header" :
	    "extension header", pfkv2_strerror(d->code));
}

/* The diag of a message that passed: 0, for the parser to return. */
int
parse_ok(struct pfkv2_diag *d, const struct pfkv2_view *v)
{
	diag_set(d, v_dl(v), v->msg_, v->len_, PFKV2_OK, 0, 0);
	return 0;
}
