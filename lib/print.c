/*
 * Printing a parsed message in text (print_out.c has what the text and
 * JSON formats share).
 *
 * Text is one header line, then one block per extension in wire order,
 * named by the kernel's macro without "SADB_" and "EXT_" ("X_SA2").
 * Values use the short canonical names (pfkv2_id_name()); anything that
 * has no name prints as its number, so nothing is lost.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

#include "print_int.h"

/* --- text ---------------------------------------------------------------- */

#define ADDR_TEXT	64	/* an IPv6 address, "%", a scope number */

/* A getter failed (it cannot on a parsed view): say so, print nothing. */
static bool
pt_bad(struct pr *p, int rc)
{
	if (rc == -1)
		pr_puts(p, "unreadable\n");
	return rc == -1;
}

/* Flag words: 0, or hex when any bit is set. */
static void
pt_flags(struct pr *p, const char *label, uint32_t f)
{
	if (f == 0)
		pr_printf(p, "%s 0", label);
	else
		pr_printf(p, "%s 0x%" PRIx32, label, f);
}

/* A name, or the number when there is none. */
static void
pt_id(struct pr *p, enum pfkv2_space s, unsigned id)
{
	const char *n = pr_id_name(s, id);

	if (n != NULL)
		pr_puts(p, n);
	else
		pr_printf(p, "%u", PFKV2_WIRE_VALUE(id));
}

static void
pt_addr(struct pr *p, const struct pfkv2_addr *a)
{
	char t[ADDR_TEXT];

	pr_addr_text(a, t, sizeof(t));
	pr_puts(p, t);
}

/* Bytes that come from the wire, quoted; escapes keep the terminal safe. */
static void
pt_quoted(struct pr *p, const void *data, size_t n)
{
	const uint8_t *s = data;
	size_t i, run;

	pr_puts(p, "\"");
	for (i = 0; i < n; i += run) {
		for (run = 0; i + run < n && s[i + run] >= 0x20 &&
		    s[i + run] < 0x7f && s[i + run] != '"' &&
		    s[i + run] != '\\'; run++)
			;
		if (run > 0) {
			pr_write(p, (const char *)s + i, run);
			continue;
		}
		if (s[i] == '"' || s[i] == '\\')
			pr_printf(p, "\\%c", s[i]);
		else
			pr_printf(p, "\\x%02x", s[i]);
		run = 1;
	}
	pr_puts(p, "\"");
}

/* Indented hex dump, 16 bytes a line, for opaque bytes. */
static void
pt_dump(struct pr *p, const uint8_t *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i % 16 == 0)
			pr_printf(p, "%s    %04zx:", i == 0 ? "" : "\n", i);
		pr_printf(p, " %02x", d[i]);
	}
	if (n > 0)
		pr_puts(p, "\n");
}

/* The block's label: the kernel's macro without SADB_ and EXT_. */
static void
pt_label(struct pr *p, unsigned canon, const uint8_t *e)
{
	const char *n = pfkv2_dialect_wire_name(
	    (enum pfkv2_dialect)p->v->dialect, PFKV2_SP_EXT,
	    pfkv2_ext_type(e));

	if (n == NULL) {
		pr_puts(p, "  ");
		pt_id(p, PFKV2_SP_EXT, canon);
		pr_puts(p, ": ");
		return;
	}
	if (strncmp(n, "SADB_", 5) == 0)
		n += 5;
	if (strncmp(n, "EXT_", 4) == 0)
		n += 4;
	else if (strncmp(n, "X_EXT_", 6) == 0) {
		pr_puts(p, "  X_");
		pr_printf(p, "%s: ", n + 6);
		return;
	}
	pr_printf(p, "  %s: ", n);
}

static void
pt_header(struct pr *p)
{
	const struct pfkv2_view *v = p->v;
	const uint8_t *m = pfkv2_view_msg(v);
	const char *name = pfkv2_dialect_wire_name(
	    (enum pfkv2_dialect)v->dialect, PFKV2_SP_MSG, m[1]);
	const char *en;
	unsigned err = pfkv2_view_errno(v), res = pfkv2_view_reserved(v);
	int diag;

	if (name != NULL)
		pr_puts(p, name);
	else
		pr_printf(p, "message type %u", m[1]);
	pr_printf(p, " (%s) satype ",
	    pfkv2_dialect_name((enum pfkv2_dialect)v->dialect));
	pt_id(p, PFKV2_SP_SATYPE, v->satype);
	if (m[0] != PFKV2_PF_KEY_V2)
		pr_printf(p, " version %u", m[0]);
	pr_printf(p, " len %zu seq %" PRIu32 " pid %" PRIu32 " errno %u",
	    pfkv2_view_len(v), pfkv2_view_seq(v), pfkv2_view_pid(v), err);
	if ((en = pr_errno_name(v->dialect, err)) != NULL)
		pr_printf(p, " (%s)", en);
	/* illumos error replies carry a diagnostic in the reserved word. */
	if (v->dialect == PFKV2_DIALECT_ILLUMOS && err != 0) {
		diag = pfkv2_dialect_from_wire(PFKV2_DIALECT_ILLUMOS,
		    PFKV2_SP_DIAG, res);
		en = diag < 0 ? NULL : pr_id_name(PFKV2_SP_DIAG, (unsigned)diag);
		if (en != NULL)
			pr_printf(p, " diagnostic %s (%u)", en, res);
		else
			pr_printf(p, " diagnostic %u", res);
	} else if (res != 0)
		pr_printf(p, " reserved %u", res);
	pr_puts(p, "\n");
}

static void
pt_sa(struct pr *p, const uint8_t *e)
{
	const struct pfkv2_dialect_info *di =
	    pfkv2_dialect_info((enum pfkv2_dialect)p->v->dialect);
	struct pfkv2_sa sa;
	uint32_t wire = ld32(e + OFF(sa, sadb_sa_flags));
	const char *sep = " (";
	unsigned f;

	if (pt_bad(p, pfkv2_get_sa(p->v, &sa)))
		return;
	pr_printf(p, "spi 0x%08" PRIx32 " replay %u", sa.spi, sa.replay);
	if (di != NULL && di->replay_in_bytes && sa.replay != 0)
		pr_printf(p, " (%u packets)", sa.replay * 8u);
	pr_puts(p, " state ");
	pt_id(p, PFKV2_SP_SASTATE, sa.state);
	pr_puts(p, " auth ");
	pt_id(p, PFKV2_SP_AALG, sa.auth);
	pr_puts(p, " encrypt ");
	pt_id(p, pr_encrypt_space(p->v->satype), sa.encrypt);
	if (wire == 0) {
		pr_puts(p, " flags 0\n");
		return;
	}
	pr_printf(p, " flags 0x%" PRIx32, wire);
	for (f = 0; f < PFKV2_SAFLAG_COUNT; f++)
		if (sa.flags & PFKV2_SAFLAG(f)) {
			pr_puts(p, sep);
			pt_id(p, PFKV2_SP_SAFLAG, f);
			sep = ",";
		}
	if (sa.flags_raw != 0)
		pr_printf(p, "%sunknown 0x%" PRIx32, sep, sa.flags_raw);
	pr_puts(p, ")\n");
}

static void
pt_lifetime(struct pr *p, unsigned ext)
{
	struct pfkv2_lifetime lt;

	if (pt_bad(p, pfkv2_get_lifetime(p->v, ext, &lt)))
		return;
	pr_printf(p, "allocations %" PRIu32 " bytes %" PRIu64 " addtime %"
	    PRIu64 " usetime %" PRIu64 "\n", lt.allocations, lt.bytes,
	    lt.addtime, lt.usetime);
}

static void
pt_proto(struct pr *p, unsigned proto)
{
	const char *n = pr_proto_name(proto);

	if (n != NULL)
		pr_puts(p, n);
	else
		pr_printf(p, "%u", proto);
}

static void
pt_address(struct pr *p, unsigned ext)
{
	struct pfkv2_address a;

	if (pt_bad(p, pfkv2_get_address(p->v, ext, &a)))
		return;
	pt_addr(p, &a.addr);
	pr_printf(p, "/%u", a.prefixlen);
	if (a.addr.port != 0)
		pr_printf(p, " port %u", a.addr.port);
	pr_puts(p, " proto ");
	pt_proto(p, a.proto);
	if (a.addr.flowinfo != 0)
		pr_printf(p, " flowinfo 0x%" PRIx32, a.addr.flowinfo);
	if (a.reserved != 0)
		pr_printf(p, " reserved %u", a.reserved);
	pr_puts(p, "\n");
}

static void
pt_key(struct pr *p, unsigned ext)
{
	struct pfkv2_key k;
	const char *s;
	size_t n;

	if (ext == PFKV2_EXT_STR_AUTH) {
		if (pt_bad(p, pfkv2_get_str_auth(p->v, &s, &n)))
			return;
		pr_printf(p, "%zu bytes ", n);
		if (p->flags & PFKV2_PRINT_KEYS)
			pt_quoted(p, s, n);
		else
			pr_puts(p, "[hidden]");
		pr_puts(p, "\n");
		return;
	}
	if (pt_bad(p, pfkv2_get_key(p->v, ext, &k)))
		return;
	pr_printf(p, "%u bits ", k.bits);
	if (p->flags & PFKV2_PRINT_KEYS) {
		pr_puts(p, "0x");
		pr_hex(p, k.data, (k.bits + 7u) / 8u);
	} else
		pr_puts(p, "[hidden]");
	if (k.reserved != 0)
		pr_printf(p, " reserved %u", k.reserved);
	pr_puts(p, "\n");
}

static void
pt_ident(struct pr *p, unsigned ext)
{
	struct pfkv2_ident id;

	if (pt_bad(p, pfkv2_get_ident(p->v, ext, &id)))
		return;
	pr_puts(p, "type ");
	pt_id(p, PFKV2_SP_IDENTTYPE, id.type);
	pr_printf(p, " id %" PRIu64, id.id);
	if (id.str != NULL) {
		pr_puts(p, " ");
		pt_quoted(p, id.str, id.len);
	}
	pr_puts(p, "\n");
}

static void
pt_bitmap(struct pr *p, const char *what, const uint8_t *words, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	pr_printf(p, "    %s bitmap:", what);
	for (i = 0; i < n; i++)
		pr_printf(p, " %016" PRIx64, ld64(words + 8 * i));
	pr_puts(p, "\n");
}

static void
pt_sens(struct pr *p, unsigned ext)
{
	struct pfkv2_sens s;

	if (pt_bad(p, pfkv2_get_sens(p->v, ext, &s)))
		return;
	pr_printf(p, "dpd %" PRIu32 " sens_level %u sens_len %u integ_level %u"
	    " integ_len %u", s.dpd, s.sens_level, s.sens_len, s.integ_level,
	    s.integ_len);
	pt_flags(p, " flags", s.flags);
	pr_puts(p, "\n");
	pt_bitmap(p, "sensitivity", s.sens_bitmap, s.sens_len);
	pt_bitmap(p, "integrity", s.integ_bitmap, s.integ_len);
}

/* Lifetimes of a proposal's combination, soft/hard side by side. */
static void
pt_limits(struct pr *p, uint32_t sa, uint32_t ha, uint64_t sb, uint64_t hb,
    uint64_t sad, uint64_t had, uint64_t su, uint64_t hu)
{
	pr_printf(p, " soft/hard allocations %" PRIu32 "/%" PRIu32, sa, ha);
	pr_printf(p, " bytes %" PRIu64 "/%" PRIu64, sb, hb);
	pr_printf(p, " addtime %" PRIu64 "/%" PRIu64, sad, had);
	pr_printf(p, " usetime %" PRIu64 "/%" PRIu64, su, hu);
}

static void
pt_proposal(struct pr *p)
{
	struct pfkv2_comb c;
	uint8_t replay;
	size_t n, i;

	if (pt_bad(p, pfkv2_get_proposal(p->v, &replay, &n)))
		return;
	pr_printf(p, "replay %u, %zu combination%s\n", replay, n,
	    n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		if (pfkv2_get_comb(p->v, i, &c) == -1)
			break;
		pr_printf(p, "    comb %zu: auth ", i + 1);
		pt_id(p, PFKV2_SP_AALG, c.auth);
		pr_printf(p, " %u-%u encrypt ", c.auth_minbits, c.auth_maxbits);
		pt_id(p, PFKV2_SP_EALG, c.encrypt);
		pr_printf(p, " %u-%u", c.encrypt_minbits, c.encrypt_maxbits);
		pt_flags(p, " flags", c.flags);
		if (c.saltbits != 0)
			pr_printf(p, " saltbits %u", c.saltbits);
		pt_limits(p, c.soft_allocations, c.hard_allocations,
		    c.soft_bytes, c.hard_bytes, c.soft_addtime, c.hard_addtime,
		    c.soft_usetime, c.hard_usetime);
		pr_puts(p, "\n");
	}
}

static void
pt_supported(struct pr *p, unsigned ext)
{
	enum pfkv2_space s = ext == PFKV2_EXT_SUPPORTED_AUTH ?
	    PFKV2_SP_AALG : PFKV2_SP_EALG;
	struct pfkv2_alg a;
	size_t n, i;

	if (pt_bad(p, pfkv2_get_supported(p->v, ext, &n)))
		return;
	pr_printf(p, "%zu algorithm%s\n", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		if (pfkv2_get_alg(p->v, ext, i, &a) == -1)
			break;
		pr_puts(p, "    ");
		pt_id(p, s, a.id);
		pr_printf(p, " ivlen %u bits %u-%u", a.ivlen, a.minbits,
		    a.maxbits);
		/* illumos uses the reserved word for these. */
		if (p->v->dialect == PFKV2_DIALECT_ILLUMOS)
			pr_printf(p, " increment %u saltbits %u", a.increment,
			    a.saltbits);
		pr_puts(p, "\n");
	}
}

/* "esp/tunnel/192.0.2.1-192.0.2.2/require", as setkey(8) writes it. */
static void
pt_request(struct pr *p, const struct pfkv2_ipsecrequest *r)
{
	pr_puts(p, "    request: ");
	pt_proto(p, r->proto);
	pr_puts(p, "/");
	pt_id(p, PFKV2_SP_MODE, r->mode);
	pr_puts(p, "/");
	if (r->src.family != 0 || r->dst.family != 0) {
		pt_addr(p, &r->src);
		if (r->src.port != 0)
			pr_printf(p, "[%u]", r->src.port);
		pr_puts(p, "-");
		pt_addr(p, &r->dst);
		if (r->dst.port != 0)
			pr_printf(p, "[%u]", r->dst.port);
	}
	pr_puts(p, "/");
	pt_id(p, PFKV2_SP_LEVEL, r->level);
	pr_printf(p, " reqid %" PRIu32 "\n", r->reqid);
}

static void
pt_policy(struct pr *p)
{
	struct pfkv2_ipsecrequest r;
	struct pfkv2_policy pol;
	struct pfkv2_iter it;
	int rc;

	if (pt_bad(p, pfkv2_get_policy(p->v, &pol)))
		return;
	pr_puts(p, "type ");
	pt_id(p, PFKV2_SP_POLICY_TYPE, pol.type);
	pr_puts(p, " dir ");
	pt_id(p, PFKV2_SP_POLICY_DIR, pol.dir);
	pr_printf(p, " id %" PRIu32 " priority %" PRIu32, pol.id,
	    pol.priority);
	if (p->v->dialect == PFKV2_DIALECT_FREEBSD)
		pr_printf(p, " scope %u", pol.scope);
	pr_puts(p, "\n");
	for (rc = pfkv2_ipsecrequest_first(p->v, &it, &r); rc == 1;
	    rc = pfkv2_ipsecrequest_next(&it, &r))
		pt_request(p, &r);
	if (rc == -1)
		pr_puts(p, "    request: malformed\n");
}

static void
pt_ereg(struct pr *p, const uint8_t *e, size_t len)
{
	size_t i, n = 0;

	/* The getter counts; the list itself is read in place (any length). */
	if (pt_bad(p, pfkv2_get_ereg(p->v, NULL, 0, &n)))
		return;
	pr_printf(p, "%zu satype%s", n, n == 1 ? "" : "s");
	for (i = 0; i < n && 4 + i < len; i++) {
		pr_puts(p, " ");
		pt_id(p, PFKV2_SP_SATYPE, v_canon(v_dl(p->v),
		    PFKV2_SP_SATYPE, e[4 + i]));
	}
	pr_puts(p, "\n");
}

static void
pt_eprop(struct pr *p)
{
	struct pfkv2_algdesc ad;
	struct pfkv2_ecomb ec;
	struct pfkv2_iter it;
	const char *tn;
	uint8_t replay;
	size_t n, i, k = 0;
	int rc;

	if (pt_bad(p, pfkv2_get_eprop(p->v, &replay, &n)))
		return;
	pr_printf(p, "replay %u, %zu extended combination%s\n", replay, n,
	    n == 1 ? "" : "s");
	for (rc = pfkv2_ecomb_first(p->v, &it, &ec); rc == 1;
	    rc = pfkv2_ecomb_next(&it, &ec)) {
		pr_printf(p, "    ecomb %zu:", ++k);
		pt_flags(p, " flags", ec.flags);
		pt_limits(p, ec.soft_allocations, ec.hard_allocations,
		    ec.soft_bytes, ec.hard_bytes, ec.soft_addtime,
		    ec.hard_addtime, ec.soft_usetime, ec.hard_usetime);
		pr_printf(p, ", %u algorithm%s\n", ec.numalgs,
		    ec.numalgs == 1 ? "" : "s");
		for (i = 0; i < ec.numalgs; i++) {
			if (pfkv2_ecomb_alg(&it, i, &ad) == -1)
				break;
			pr_puts(p, "      ");
			pt_id(p, PFKV2_SP_SATYPE, ad.satype);
			if ((tn = pr_algtype_name(ad.algtype)) != NULL)
				pr_printf(p, " %s ", tn);
			else
				pr_printf(p, " algtype %u ", ad.algtype);
			pt_id(p, ad.algtype == 1 ? PFKV2_SP_AALG :
			    ad.algtype == 2 ? PFKV2_SP_EALG : PFKV2_SP_CALG,
			    ad.alg);
			pr_printf(p, " bits %u-%u saltbits %u\n", ad.minbits,
			    ad.maxbits, ad.saltbits);
		}
	}
	if (rc == -1)
		pr_puts(p, "    ecomb: malformed\n");
}

/* The small ones: a line each. */
static void
pt_misc(struct pr *p, unsigned kind, unsigned ext)
{
	struct pfkv2_if_hw_offl hw;
	struct pfkv2_replay_value rv;
	struct pfkv2_kmc kmc;
	uint32_t a, b;
	uint64_t t;
	uint16_t port;
	uint8_t type;
	const char *n;

	switch (kind) {
	case K_SPIRANGE:
		if (pt_bad(p, pfkv2_get_spirange(p->v, &a, &b)))
			break;
		pr_printf(p, "min 0x%08" PRIx32 " max 0x%08" PRIx32 "\n", a, b);
		break;
	case K_NATT_TYPE:
		if (pt_bad(p, pfkv2_get_nat_t_type(p->v, &type)))
			break;
		pr_printf(p, "type %u", type);
		if ((n = pr_natt_name(type)) != NULL)
			pr_printf(p, " (%s)", n);
		pr_puts(p, "\n");
		break;
	case K_NATT_PORT:
		if (pt_bad(p, pfkv2_get_nat_t_port(p->v, ext, &port)))
			break;
		pr_printf(p, "port %u\n", port);
		break;
	case K_NATT_FRAG:
		if (pt_bad(p, pfkv2_get_nat_t_frag(p->v, &port)))
			break;
		pr_printf(p, "fraglen %u\n", port);
		break;
	case K_SA_REPLAY:
		if (pt_bad(p, pfkv2_get_sa_replay(p->v, &a)))
			break;
		pr_printf(p, "replay %" PRIu32 "\n", a);
		break;
	case K_IF_HW_OFFL:
		if (pt_bad(p, pfkv2_get_if_hw_offl(p->v, &hw)))
			break;
		pt_flags(p, "flags", hw.flags);
		pr_puts(p, " ifname ");
		pt_quoted(p, hw.ifname, strnlen(hw.ifname, sizeof(hw.ifname)));
		pr_puts(p, "\n");
		break;
	case K_KMC:
		if (pt_bad(p, pfkv2_get_kmc(p->v, &kmc)))
			break;
		pr_puts(p, "proto ");
		pt_id(p, PFKV2_SP_KMP, kmc.proto);
		pr_printf(p, " cookie 0x%" PRIx64 "\n", kmc.cookie);
		break;
	case K_PAIR:
		if (pt_bad(p, pfkv2_get_pair(p->v, &a)))
			break;
		pr_printf(p, "spi 0x%08" PRIx32 "\n", a);
		break;
	case K_REPLAY_CTR:
		if (pt_bad(p, pfkv2_get_replay_value(p->v, &rv)))
			break;
		pr_printf(p, "replay32 %" PRIu32 " replay64 %" PRIu64 "\n",
		    rv.replay32, rv.replay64);
		break;
	case K_EDUMP:
		if (pt_bad(p, pfkv2_get_edump(p->v, &t)))
			break;
		pr_printf(p, "timeout %" PRIu64 "\n", t);
		break;
	}
}

static void
pt_ext(struct pr *p, unsigned canon, const uint8_t *e, size_t len)
{
	struct pfkv2_sa2 sa2;
	struct pfkv2_sec_ctx ctx;
	struct pfkv2_kmaddress km;
	struct pfkv2_filter fl;
	const void *d;
	size_t n;
	unsigned kind = pr_kind(canon);

	if (kind == K_NONE) {
		pr_printf(p, "  unknown extension type %u, %zu bytes\n",
		    pfkv2_ext_type(e), len);
		pt_dump(p, e + 4, len - 4);
		return;
	}
	pt_label(p, canon, e);
	switch (kind) {
	case K_SA:
		pt_sa(p, e);
		break;
	case K_LIFETIME:
		pt_lifetime(p, canon);
		break;
	case K_ADDRESS:
		pt_address(p, canon);
		break;
	case K_KEY:
		pt_key(p, canon);
		break;
	case K_IDENT:
		pt_ident(p, canon);
		break;
	case K_SENS:
		pt_sens(p, canon);
		break;
	case K_PROP:
		pt_proposal(p);
		break;
	case K_SUPPORTED:
		pt_supported(p, canon);
		break;
	case K_KMPRIVATE:
		if (pt_bad(p, pfkv2_get_kmprivate(p->v, &d, &n)))
			break;
		pr_printf(p, "%zu bytes\n", n);
		pt_dump(p, d, n);
		break;
	case K_POLICY:
		pt_policy(p);
		break;
	case K_SA2:
		if (pt_bad(p, pfkv2_get_sa2(p->v, &sa2)))
			break;
		pr_puts(p, "mode ");
		pt_id(p, PFKV2_SP_MODE, sa2.mode);
		pr_printf(p, " sequence %" PRIu32 " reqid %" PRIu32 "\n",
		    sa2.sequence, sa2.reqid);
		break;
	case K_SEC_CTX:
		if (pt_bad(p, pfkv2_get_sec_ctx(p->v, &ctx)))
			break;
		pr_printf(p, "alg %u doi %u len %u ", ctx.alg, ctx.doi,
		    ctx.len);
		/* Labels are text; a trailing NUL is not part of them. */
		n = ctx.len;
		while (n > 0 && ((const uint8_t *)ctx.ctx)[n - 1] == 0)
			n--;
		pt_quoted(p, ctx.ctx, n);
		pr_puts(p, "\n");
		break;
	case K_KMADDRESS:
		if (pt_bad(p, pfkv2_get_kmaddress(p->v, &km)))
			break;
		pr_puts(p, "local ");
		pt_addr(p, &km.local);
		pr_puts(p, " remote ");
		pt_addr(p, &km.remote);
		if (km.reserved != 0)
			pr_printf(p, " reserved %" PRIu32, km.reserved);
		pr_puts(p, "\n");
		break;
	case K_FILTER:
		if (pt_bad(p, pfkv2_get_filter(p->v, &fl)))
			break;
		pr_puts(p, "src ");
		pt_addr(p, &fl.src);
		pr_printf(p, "/%u dst ", fl.splen);
		pt_addr(p, &fl.dst);
		pr_printf(p, "/%u\n", fl.dplen);
		break;
	case K_EREG:
		pt_ereg(p, e, len);
		break;
	case K_EPROP:
		pt_eprop(p);
		break;
	default:
		pt_misc(p, kind, canon);
		break;
	}
}

static void
pt_message(struct pr *p)
{
	const uint8_t *e = NULL;
	unsigned canon;
	size_t len;

	pt_header(p);
	while ((e = pr_next_ext(p, e, &canon, &len)) != NULL)
		pt_ext(p, canon, e, len);
}

/* --- the public functions ------------------------------------------------ */

static bool
view_ok(const struct pfkv2_view *v)
{
	return v != NULL && pfkv2_view_msg(v) != NULL &&
	    pfkv2_view_len(v) >= sizeof(struct pfkv2_sadb_msg) &&
	    v->dialect < PFKV2_DIALECT_COUNT;
}

PFKV2_API int
pfkv2_print(const struct pfkv2_view *v, unsigned flags, pfkv2_write_fn w,
    void *arg)
{
	struct pr p;

	if (!view_ok(v) || w == NULL ||
	    (flags & ~(PFKV2_PRINT_KEYS | PFKV2_PRINT_JSON)) != 0) {
		errno = EINVAL;
		return -1;
	}
	p.w = w;
	p.arg = arg;
	p.v = v;
	p.flags = flags;
	p.err = 0;
	p.failed = false;
	p.n = 0;
	if (flags & PFKV2_PRINT_JSON)
		pj_message(&p);
	else
		pt_message(&p);
	pr_flush(&p);
	if (p.failed) {
		errno = p.err;
		return -1;
	}
	return 0;
}

/* snprintf semantics: keep what fits, count everything. */
struct sn {
	char *buf;
	size_t size;
	size_t len;
};

static int
sn_write(void *arg, const char *s, size_t n)
{
	struct sn *sn = arg;
	size_t k = 0;

	if (sn->len + 1 < sn->size) {
		k = sn->size - 1 - sn->len;
		if (k > n)
			k = n;
		memcpy(sn->buf + sn->len, s, k);
	}
	sn->len += n;
	return 0;
}

PFKV2_API int
pfkv2_snprint(char *buf, size_t size, const struct pfkv2_view *v,
    unsigned flags)
{
	struct sn sn = { buf, size, 0 };

	if (buf == NULL && size != 0) {
		errno = EINVAL;
		return -1;
	}
	if (pfkv2_print(v, flags, sn_write, &sn) == -1)
		return -1;
	if (size != 0)
		buf[sn.len < size ? sn.len : size - 1] = '\0';
	if (sn.len > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)sn.len;
}
