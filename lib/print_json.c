/*
 * Printing a parsed message as one JSON object:
 *
 *	{"dialect":"linux","type":"ADD","satype":"esp",...,
 *	 "extensions":[{"type":"SA","spi":4097,...},...]}
 *
 * Member names follow the fields of types.h.  Values that have a
 * canonical name are strings ("esp", "tunnel"), others are numbers, so a
 * value the library does not know still comes through.  Key bytes are a
 * hex string only with PFKV2_PRINT_KEYS, "hidden" otherwise.  Strings
 * from the wire are escaped; bytes that are not UTF-8 become U+FFFD so
 * the output is always valid JSON.
 */
#include <inttypes.h>

#include "print_int.h"

/* --- members and punctuation --------------------------------------------- */

static void
pj_sep(struct pr *p)
{
	if (!p->first)
		pr_puts(p, ",");
	p->first = false;
}

/* Start a member; names are ours, plain ASCII, no escaping needed. */
static void
pj_key(struct pr *p, const char *key)
{
	pj_sep(p);
	pr_printf(p, "\"%s\":", key);
}

/* Open an object or array ('{' or '['), as a member when key is given. */
static void
pj_open(struct pr *p, const char *key, char c)
{
	if (key != NULL)
		pj_key(p, key);
	else
		pj_sep(p);
	pr_write(p, &c, 1);
	p->first = true;
}

static void
pj_close(struct pr *p, char c)
{
	pr_write(p, &c, 1);
	p->first = false;
}

/* Length of the valid UTF-8 sequence at s, 0 when it is not one. */
static size_t
utf8_len(const uint8_t *s, size_t n)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1fu;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0fu;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07u;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3fu);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

static void
pj_string(struct pr *p, const void *data, size_t n)
{
	const uint8_t *s = data;
	size_t i, k;

	pr_puts(p, "\"");
	for (i = 0; i < n; i += k) {
		k = utf8_len(s + i, n - i);
		if (k == 0) {
			pr_puts(p, "\\ufffd");
			k = 1;
		} else if (s[i] == '"' || s[i] == '\\')
			pr_printf(p, "\\%c", s[i]);
		else if (s[i] == '\n')
			pr_puts(p, "\\n");
		else if (s[i] == '\t')
			pr_puts(p, "\\t");
		else if (s[i] < 0x20 || s[i] == 0x7f)
			pr_printf(p, "\\u%04x", s[i]);
		else
			pr_write(p, (const char *)s + i, k);
	}
	pr_puts(p, "\"");
}

static void
pj_str(struct pr *p, const char *key, const char *s)
{
	pj_key(p, key);
	pj_string(p, s, strlen(s));
}

static void
pj_u(struct pr *p, const char *key, uint64_t v)
{
	pj_key(p, key);
	pr_printf(p, "%" PRIu64, v);
}

/* A canonical name as a string, or the number when it has none. */
static void
pj_idval(struct pr *p, enum pfkv2_space s, unsigned id)
{
	const char *n = pr_id_name(s, id);

	if (n != NULL)
		pj_string(p, n, strlen(n));
	else
		pr_printf(p, "%u", PFKV2_WIRE_VALUE(id));
}

static void
pj_id(struct pr *p, const char *key, enum pfkv2_space s, unsigned id)
{
	pj_key(p, key);
	pj_idval(p, s, id);
}

static void
pj_hex(struct pr *p, const char *key, const void *data, size_t n)
{
	pj_key(p, key);
	pr_puts(p, "\"");
	pr_hex(p, data, n);
	pr_puts(p, "\"");
}

static void
pj_null(struct pr *p, const char *key)
{
	pj_key(p, key);
	pr_puts(p, "null");
}

/* The members of an address: family, addr, port (and IPv6 extras). */
static void
pj_addr_members(struct pr *p, const struct pfkv2_addr *a)
{
	char t[64];

	pj_str(p, "family", a->family == PFKV2_AF_INET ? "inet" :
	    a->family == PFKV2_AF_INET6 ? "inet6" : "none");
	if (a->family == 0)
		return;
	pfkv2_addr_format(a, t, sizeof(t));
	pj_str(p, "addr", t);
	pj_u(p, "port", a->port);
	if (a->family == PFKV2_AF_INET6) {
		pj_u(p, "flowinfo", a->flowinfo);
		pj_u(p, "scope_id", a->scope_id);
	}
}

/* An address as an object member, null when there is none. */
static void
pj_addr(struct pr *p, const char *key, const struct pfkv2_addr *a)
{
	if (a->family == 0) {
		pj_null(p, key);
		return;
	}
	pj_open(p, key, '{');
	pj_addr_members(p, a);
	pj_close(p, '}');
}

/* --- the extensions ------------------------------------------------------ */

static void
pj_sa(struct pr *p, const uint8_t *e)
{
	struct pfkv2_sa sa;
	unsigned f;

	if (pfkv2_get_sa(p->v, &sa) == -1)
		return;
	pj_u(p, "spi", sa.spi);
	pj_u(p, "replay", sa.replay);
	pj_id(p, "state", PFKV2_SP_SASTATE, sa.state);
	pj_id(p, "auth", PFKV2_SP_AALG, sa.auth);
	pj_id(p, "encrypt", pr_encrypt_space(p->v->satype), sa.encrypt);
	pj_u(p, "flags", ld32(e + OFF(sa, sadb_sa_flags)));
	pj_open(p, "flag_names", '[');
	for (f = 0; f < PFKV2_SAFLAG_COUNT; f++)
		if (sa.flags & PFKV2_SAFLAG(f)) {
			pj_sep(p);
			pj_idval(p, PFKV2_SP_SAFLAG, f);
		}
	pj_close(p, ']');
	pj_u(p, "flags_unknown", sa.flags_raw);
}

static void
pj_lifetime_members(struct pr *p, const struct pfkv2_lifetime *lt)
{
	pj_u(p, "allocations", lt->allocations);
	pj_u(p, "bytes", lt->bytes);
	pj_u(p, "addtime", lt->addtime);
	pj_u(p, "usetime", lt->usetime);
}

static void
pj_key_ext(struct pr *p, unsigned ext)
{
	struct pfkv2_key k;
	const char *s;
	size_t n;

	if (ext == PFKV2_EXT_STR_AUTH) {
		if (pfkv2_get_str_auth(p->v, &s, &n) == -1)
			return;
		pj_u(p, "len", n);
		pj_key(p, "password");
		if (p->flags & PFKV2_PRINT_KEYS)
			pj_string(p, s, n);
		else
			pr_puts(p, "\"hidden\"");
		return;
	}
	if (pfkv2_get_key(p->v, ext, &k) == -1)
		return;
	pj_u(p, "bits", k.bits);
	pj_u(p, "reserved", k.reserved);
	if (p->flags & PFKV2_PRINT_KEYS)
		pj_hex(p, "key", k.data, (k.bits + 7u) / 8u);
	else
		pj_str(p, "key", "hidden");
}

static void
pj_bitmap(struct pr *p, const char *key, const uint8_t *words, size_t n)
{
	size_t i;

	/* Hex strings: 64-bit words do not survive a JSON number. */
	pj_open(p, key, '[');
	for (i = 0; i < n; i++) {
		pj_sep(p);
		pr_printf(p, "\"%016" PRIx64 "\"", ld64(words + 8 * i));
	}
	pj_close(p, ']');
}

static void
pj_sens(struct pr *p, unsigned ext)
{
	struct pfkv2_sens s;

	if (pfkv2_get_sens(p->v, ext, &s) == -1)
		return;
	pj_u(p, "dpd", s.dpd);
	pj_u(p, "sens_level", s.sens_level);
	pj_u(p, "sens_len", s.sens_len);
	pj_u(p, "integ_level", s.integ_level);
	pj_u(p, "integ_len", s.integ_len);
	pj_u(p, "flags", s.flags);
	pj_bitmap(p, "sens_bitmap", s.sens_bitmap, s.sens_len);
	pj_bitmap(p, "integ_bitmap", s.integ_bitmap, s.integ_len);
}

static void
pj_limits(struct pr *p, uint32_t sa, uint32_t ha, uint64_t sb, uint64_t hb,
    uint64_t sad, uint64_t had, uint64_t su, uint64_t hu)
{
	pj_u(p, "soft_allocations", sa);
	pj_u(p, "hard_allocations", ha);
	pj_u(p, "soft_bytes", sb);
	pj_u(p, "hard_bytes", hb);
	pj_u(p, "soft_addtime", sad);
	pj_u(p, "hard_addtime", had);
	pj_u(p, "soft_usetime", su);
	pj_u(p, "hard_usetime", hu);
}

static void
pj_proposal(struct pr *p)
{
	struct pfkv2_comb c;
	uint8_t replay;
	size_t n, i;

	if (pfkv2_get_proposal(p->v, &replay, &n) == -1)
		return;
	pj_u(p, "replay", replay);
	pj_open(p, "combs", '[');
	for (i = 0; i < n && pfkv2_get_comb(p->v, i, &c) == 0; i++) {
		pj_open(p, NULL, '{');
		pj_id(p, "auth", PFKV2_SP_AALG, c.auth);
		pj_id(p, "encrypt", PFKV2_SP_EALG, c.encrypt);
		pj_u(p, "flags", c.flags);
		pj_u(p, "auth_minbits", c.auth_minbits);
		pj_u(p, "auth_maxbits", c.auth_maxbits);
		pj_u(p, "encrypt_minbits", c.encrypt_minbits);
		pj_u(p, "encrypt_maxbits", c.encrypt_maxbits);
		pj_u(p, "saltbits", c.saltbits);
		pj_limits(p, c.soft_allocations, c.hard_allocations,
		    c.soft_bytes, c.hard_bytes, c.soft_addtime, c.hard_addtime,
		    c.soft_usetime, c.hard_usetime);
		pj_close(p, '}');
	}
	pj_close(p, ']');
}

static void
pj_supported(struct pr *p, unsigned ext)
{
	enum pfkv2_space s = ext == PFKV2_EXT_SUPPORTED_AUTH ?
	    PFKV2_SP_AALG : PFKV2_SP_EALG;
	struct pfkv2_alg a;
	size_t n, i;

	if (pfkv2_get_supported(p->v, ext, &n) == -1)
		return;
	pj_open(p, "algs", '[');
	for (i = 0; i < n && pfkv2_get_alg(p->v, ext, i, &a) == 0; i++) {
		pj_open(p, NULL, '{');
		pj_id(p, "id", s, a.id);
		pj_u(p, "ivlen", a.ivlen);
		pj_u(p, "minbits", a.minbits);
		pj_u(p, "maxbits", a.maxbits);
		pj_u(p, "increment", a.increment);
		pj_u(p, "saltbits", a.saltbits);
		pj_close(p, '}');
	}
	pj_close(p, ']');
}

static void
pj_policy(struct pr *p)
{
	struct pfkv2_ipsecrequest r;
	struct pfkv2_policy pol;
	struct pfkv2_iter it;
	int rc;

	if (pfkv2_get_policy(p->v, &pol) == -1)
		return;
	pj_id(p, "policy_type", PFKV2_SP_POLICY_TYPE, pol.type);
	pj_id(p, "dir", PFKV2_SP_POLICY_DIR, pol.dir);
	pj_u(p, "scope", pol.scope);
	pj_u(p, "id", pol.id);
	pj_u(p, "priority", pol.priority);
	pj_open(p, "requests", '[');
	for (rc = pfkv2_ipsecrequest_first(p->v, &it, &r); rc == 1;
	    rc = pfkv2_ipsecrequest_next(&it, &r)) {
		pj_open(p, NULL, '{');
		pj_u(p, "proto", r.proto);
		pj_id(p, "mode", PFKV2_SP_MODE, r.mode);
		pj_id(p, "level", PFKV2_SP_LEVEL, r.level);
		pj_u(p, "reqid", r.reqid);
		pj_addr(p, "src", &r.src);
		pj_addr(p, "dst", &r.dst);
		pj_close(p, '}');
	}
	pj_close(p, ']');
}

static void
pj_eprop(struct pr *p)
{
	struct pfkv2_algdesc ad;
	struct pfkv2_ecomb ec;
	struct pfkv2_iter it;
	const char *tn;
	uint8_t replay;
	size_t n, i;
	int rc;

	if (pfkv2_get_eprop(p->v, &replay, &n) == -1)
		return;
	pj_u(p, "replay", replay);
	pj_open(p, "ecombs", '[');
	for (rc = pfkv2_ecomb_first(p->v, &it, &ec); rc == 1;
	    rc = pfkv2_ecomb_next(&it, &ec)) {
		pj_open(p, NULL, '{');
		pj_u(p, "flags", ec.flags);
		pj_limits(p, ec.soft_allocations, ec.hard_allocations,
		    ec.soft_bytes, ec.hard_bytes, ec.soft_addtime,
		    ec.hard_addtime, ec.soft_usetime, ec.hard_usetime);
		pj_open(p, "algs", '[');
		for (i = 0; i < ec.numalgs &&
		    pfkv2_ecomb_alg(&it, i, &ad) == 0; i++) {
			pj_open(p, NULL, '{');
			pj_id(p, "satype", PFKV2_SP_SATYPE, ad.satype);
			if ((tn = pr_algtype_name(ad.algtype)) != NULL)
				pj_str(p, "algtype", tn);
			else
				pj_u(p, "algtype", ad.algtype);
			pj_id(p, "alg", ad.algtype == 1 ? PFKV2_SP_AALG :
			    ad.algtype == 2 ? PFKV2_SP_EALG : PFKV2_SP_CALG,
			    ad.alg);
			pj_u(p, "saltbits", ad.saltbits);
			pj_u(p, "minbits", ad.minbits);
			pj_u(p, "maxbits", ad.maxbits);
			pj_close(p, '}');
		}
		pj_close(p, ']');
		pj_close(p, '}');
	}
	pj_close(p, ']');
}

static void
pj_ereg(struct pr *p, const uint8_t *e, size_t len)
{
	size_t i, n;

	if (pfkv2_get_ereg(p->v, NULL, 0, &n) == -1)
		return;
	pj_open(p, "satypes", '[');
	for (i = 0; i < n && 4 + i < len; i++) {
		pj_sep(p);
		pj_idval(p, PFKV2_SP_SATYPE, v_canon(v_dl(p->v),
		    PFKV2_SP_SATYPE, e[4 + i]));
	}
	pj_close(p, ']');
}

/* Extensions of a few fixed fields. */
static void
pj_small(struct pr *p, unsigned kind, unsigned ext)
{
	struct pfkv2_if_hw_offl hw;
	struct pfkv2_replay_value rv;
	struct pfkv2_kmc kmc;
	struct pfkv2_sa2 sa2;
	uint32_t a, b;
	uint64_t t;
	uint16_t port;
	uint8_t type;

	switch (kind) {
	case K_SPIRANGE:
		if (pfkv2_get_spirange(p->v, &a, &b) == 0) {
			pj_u(p, "min", a);
			pj_u(p, "max", b);
		}
		break;
	case K_SA2:
		if (pfkv2_get_sa2(p->v, &sa2) == 0) {
			pj_id(p, "mode", PFKV2_SP_MODE, sa2.mode);
			pj_u(p, "sequence", sa2.sequence);
			pj_u(p, "reqid", sa2.reqid);
		}
		break;
	case K_NATT_TYPE:
		if (pfkv2_get_nat_t_type(p->v, &type) == 0)
			pj_u(p, "encap", type);
		break;
	case K_NATT_PORT:
		if (pfkv2_get_nat_t_port(p->v, ext, &port) == 0)
			pj_u(p, "port", port);
		break;
	case K_NATT_FRAG:
		if (pfkv2_get_nat_t_frag(p->v, &port) == 0)
			pj_u(p, "fraglen", port);
		break;
	case K_SA_REPLAY:
		if (pfkv2_get_sa_replay(p->v, &a) == 0)
			pj_u(p, "replay", a);
		break;
	case K_IF_HW_OFFL:
		if (pfkv2_get_if_hw_offl(p->v, &hw) == 0) {
			pj_u(p, "flags", hw.flags);
			pj_key(p, "ifname");
			pj_string(p, hw.ifname, strnlen(hw.ifname,
			    sizeof(hw.ifname)));
		}
		break;
	case K_KMC:
		if (pfkv2_get_kmc(p->v, &kmc) == 0) {
			pj_id(p, "proto", PFKV2_SP_KMP, kmc.proto);
			pj_u(p, "cookie", kmc.cookie);
		}
		break;
	case K_PAIR:
		if (pfkv2_get_pair(p->v, &a) == 0)
			pj_u(p, "spi", a);
		break;
	case K_REPLAY_CTR:
		if (pfkv2_get_replay_value(p->v, &rv) == 0) {
			pj_u(p, "replay32", rv.replay32);
			pj_u(p, "replay64", rv.replay64);
		}
		break;
	case K_EDUMP:
		if (pfkv2_get_edump(p->v, &t) == 0)
			pj_u(p, "timeout", t);
		break;
	}
}

/* Extensions that carry addresses, strings or opaque bytes. */
static void
pj_other(struct pr *p, unsigned kind, unsigned ext)
{
	struct pfkv2_address a;
	struct pfkv2_ident id;
	struct pfkv2_sec_ctx ctx;
	struct pfkv2_kmaddress km;
	struct pfkv2_filter fl;
	struct pfkv2_lifetime lt;
	const void *d;
	size_t n;

	switch (kind) {
	case K_LIFETIME:
		if (pfkv2_get_lifetime(p->v, ext, &lt) == 0)
			pj_lifetime_members(p, &lt);
		break;
	case K_ADDRESS:
		if (pfkv2_get_address(p->v, ext, &a) == 0) {
			pj_addr_members(p, &a.addr);
			pj_u(p, "prefixlen", a.prefixlen);
			pj_u(p, "proto", a.proto);
			pj_u(p, "reserved", a.reserved);
		}
		break;
	case K_IDENT:
		if (pfkv2_get_ident(p->v, ext, &id) == 0) {
			pj_id(p, "ident_type", PFKV2_SP_IDENTTYPE, id.type);
			pj_u(p, "id", id.id);
			if (id.str != NULL) {
				pj_key(p, "string");
				pj_string(p, id.str, id.len);
			} else
				pj_null(p, "string");
		}
		break;
	case K_KMPRIVATE:
		if (pfkv2_get_kmprivate(p->v, &d, &n) == 0) {
			pj_u(p, "len", n);
			pj_hex(p, "data", d, n);
		}
		break;
	case K_SEC_CTX:
		if (pfkv2_get_sec_ctx(p->v, &ctx) == 0) {
			pj_u(p, "alg", ctx.alg);
			pj_u(p, "doi", ctx.doi);
			pj_u(p, "len", ctx.len);
			/* A label is text; its trailing NUL is not. */
			n = ctx.len;
			while (n > 0 && ((const uint8_t *)ctx.ctx)[n - 1] == 0)
				n--;
			pj_key(p, "ctx");
			pj_string(p, ctx.ctx, n);
		}
		break;
	case K_KMADDRESS:
		if (pfkv2_get_kmaddress(p->v, &km) == 0) {
			pj_addr(p, "local", &km.local);
			pj_addr(p, "remote", &km.remote);
			pj_u(p, "reserved", km.reserved);
		}
		break;
	case K_FILTER:
		if (pfkv2_get_filter(p->v, &fl) == 0) {
			pj_addr(p, "src", &fl.src);
			pj_addr(p, "dst", &fl.dst);
			pj_u(p, "splen", fl.splen);
			pj_u(p, "dplen", fl.dplen);
		}
		break;
	default:
		pj_small(p, kind, ext);
		break;
	}
}

static void
pj_ext(struct pr *p, unsigned canon, const uint8_t *e, size_t len)
{
	unsigned kind = pr_kind(canon);

	pj_open(p, NULL, '{');
	if (kind == K_NONE) {
		pj_u(p, "type", pfkv2_ext_type(e));
		pj_u(p, "len", len);
		pj_hex(p, "data", e + 4, len - 4);
		pj_close(p, '}');
		return;
	}
	pj_id(p, "type", PFKV2_SP_EXT, canon);
	switch (kind) {
	case K_SA:
		pj_sa(p, e);
		break;
	case K_KEY:
		pj_key_ext(p, canon);
		break;
	case K_SENS:
		pj_sens(p, canon);
		break;
	case K_PROP:
		pj_proposal(p);
		break;
	case K_SUPPORTED:
		pj_supported(p, canon);
		break;
	case K_POLICY:
		pj_policy(p);
		break;
	case K_EREG:
		pj_ereg(p, e, len);
		break;
	case K_EPROP:
		pj_eprop(p);
		break;
	default:
		pj_other(p, kind, canon);
		break;
	}
	pj_close(p, '}');
}

void
pj_message(struct pr *p)
{
	const struct pfkv2_view *v = p->v;
	const uint8_t *m = pfkv2_view_msg(v), *e = NULL;
	unsigned err = pfkv2_view_errno(v), res = pfkv2_view_reserved(v);
	unsigned canon;
	const char *en;
	size_t len;
	int diag;

	p->first = true;
	pj_open(p, NULL, '{');
	pj_str(p, "dialect",
	    pfkv2_dialect_name((enum pfkv2_dialect)v->dialect));
	pj_id(p, "type", PFKV2_SP_MSG, v->type);
	pj_id(p, "satype", PFKV2_SP_SATYPE, v->satype);
	pj_u(p, "version", m[0]);
	pj_u(p, "len", pfkv2_view_len(v));
	pj_u(p, "seq", pfkv2_view_seq(v));
	pj_u(p, "pid", pfkv2_view_pid(v));
	pj_u(p, "errno", err);
	if ((en = pr_errno_name(v->dialect, err)) != NULL)
		pj_str(p, "errno_name", en);
	pj_u(p, "reserved", res);
	/* illumos error replies carry a diagnostic in the reserved word. */
	if (v->dialect == PFKV2_DIALECT_ILLUMOS && err != 0) {
		diag = pfkv2_dialect_from_wire(PFKV2_DIALECT_ILLUMOS,
		    PFKV2_SP_DIAG, res);
		en = diag < 0 ? NULL : pr_id_name(PFKV2_SP_DIAG, (unsigned)diag);
		if (en != NULL)
			pj_str(p, "diagnostic", en);
		else
			pj_u(p, "diagnostic", res);
	}
	pj_open(p, "extensions", '[');
	while ((e = pr_next_ext(p, e, &canon, &len)) != NULL)
		pj_ext(p, canon, e, len);
	pj_close(p, ']');
	pj_close(p, '}');
	pr_puts(p, "\n");
}
