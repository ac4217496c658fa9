/*
 * The parser.  pfkv2_parse() makes one pass over the message (lib/pass.h,
 * compiled into each dialect's table): it fills the view and applies,
 * extension by extension, every rule the flags ask for (structure,
 * canonical form, field values), then the message-level rules on what it
 * gathered.  The pass only answers "every rule holds"; when it does not
 * (or meets a case it leaves to them), the ordered checks of validate.c
 * run to find the first fault in the documented order and name it.  A
 * valid message costs one pass; an invalid one a second, precise pass, so
 * diagnostics never depend on the pass.
 */
#include "internal.h"

unsigned
v_canon(const struct dl_dialect *dl, enum pfkv2_space s, unsigned wire)
{
	int c = dl_w2c(dl, s, wire);

	return c < 0 ? PFKV2_WIRE(wire) : (unsigned)c;
}

/* Structural checks that depend on the kind of extension. */
int
chk_kind(const struct dl_dialect *dl, unsigned kind, const uint8_t *e,
    size_t len, bool strict, struct fault *f)
{
	switch (kind) {
	case K_ADDRESS:
		return chk_address(dl, e, len, strict, f);
	case K_KEY:
		return chk_key(dl, e, len, strict, f);
	case K_IDENT:
		return chk_ident(e, len, strict, f);
	case K_SENS:
		return chk_sens(e, len, strict, f);
	case K_POLICY:
		return chk_policy(dl, e, len, strict, f);
	case K_SEC_CTX:
		return chk_sec_ctx(e, len, strict, f);
	case K_KMADDRESS:
		return chk_kmaddress(dl, e, len, strict, f);
	case K_EREG:
		return chk_ereg(e, len, f);
	case K_EPROP:
		return chk_eprop(e, len, f);
	default:
		return 0;
	}
}

/* The copy of the pass for each combination of the flags that matter. */
static const uint8_t pass_of_flags[PFKV2_V_ALL | PFKV2_V_REQUEST |
    PFKV2_V_REPLY | 1u] = {
	[PFKV2_V_ALL | PFKV2_V_REQUEST] = DL_PASS_REQUEST,
	[PFKV2_V_ALL | PFKV2_V_REPLY] = DL_PASS_REPLY,
	[V_KERNEL_REQUEST] = DL_PASS_KERNEL,
	/* The others: DL_PASS_ANY (0).  Other bits are ignored by every rule. */
};

PFKV2_API int
pfkv2_parse(const void *buf, size_t len, enum pfkv2_dialect d, unsigned flags,
    struct pfkv2_view *v, struct pfkv2_diag *diag)
{
	if ((unsigned)d >= PFKV2_DIALECT_COUNT || v == NULL ||
	    (buf == NULL && len != 0)) {
		errno = EINVAL;
		return -1;
	}
	return pfkv2_dl_tables[d]->parse[pass_of_flags[flags &
	    (PFKV2_V_ALL | PFKV2_V_REQUEST | PFKV2_V_REPLY)]](buf, len, d,
	    flags, v, diag);
}

/*
 * The canonical-form checks for a view parsed without PFKV2_V_STRICT.
 * Offsets in *f are from the start of the message.
 */
int
parse_strict_exts(const struct pfkv2_view *v, struct fault *f, unsigned *ext)
{
	const struct dl_dialect *dl = v_dl(v);
	size_t elen;
	unsigned c;

	for (c = 1; c < PFKV2_EXT_COUNT; c++) {
		if ((v->present & PFKV2_EXTBIT(c)) == 0)
			continue;
		*ext = c;
		elen = (size_t)ld16(v->ext_[c]) * PFKV2_WORD;
		if (pfkv2_ext_info[c].exact && elen != pfkv2_ext_info[c].min) {
			f->code = PFKV2_E_EXT_SIZE;
			f->off = (uint32_t)(v->ext_[c] - v->msg_);
			return -1;
		}
		if (chk_kind(dl, pfkv2_ext_info[c].kind, v->ext_[c], elen,
		    true, f) != 0) {
			f->off += (uint32_t)(v->ext_[c] - v->msg_);
			return -1;
		}
	}
	return 0;
}
