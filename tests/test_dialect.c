/*
 * Tests for the dialect tables (lib/dialect), lib/dialect.c and
 * lib/names.c.
 *
 * The tables are checked against the reference constants
 * (shared/reference/pfkey-constants.tsv, path in $PFKV2_TSV) in both
 * directions: every TSV row of the four dialects maps to the same number,
 * and every table row is a TSV row.  TSV rows that are not table entries
 * sit in an explicit skip list, so a new TSV row fails until someone
 * decides what it is.  The message rules are checked against the real
 * Linux captures and the Linux messages of the benchmark corpus, found in
 * $PFKV2_DATA/{linux-vectors,corpus} or else in $PFKV2_SHARED (default
 * "../shared")/{reference/linux-vectors,bench-corpus}.
 *
 * Exit status 77 (skip) when the TSV cannot be opened.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfkv2/dialect.h"
#include "pfkv2/wire.h"
#include "dialect/dl.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define DIAG_COUNT	256

/* ------------------------------------------------------------------ */
/* The reference TSV: platform, group, name, value, note. */

#define TSV_MAX_ROWS	2048

struct tsv_row {
	char platform[16];
	char group[24];
	char name[64];
	long long value;
};

static struct tsv_row tsv[TSV_MAX_ROWS];
static size_t ntsv;

static void
copy_field(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* 0 when loaded, -1 when the file cannot be opened or read. */
static int
tsv_load(const char *path)
{
	char line[1024], *field[5], *p;
	FILE *f;
	int i;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		p = line;
		for (i = 0; i < 5; i++) {
			field[i] = p;
			if ((p = strchr(p, '\t')) == NULL)
				break;
			*p++ = '\0';
		}
		if (i < 3 || strcmp(field[0], "platform") == 0)
			continue;
		if (ntsv == TSV_MAX_ROWS)
			break;
		copy_field(tsv[ntsv].platform, sizeof(tsv[ntsv].platform),
		    field[0]);
		copy_field(tsv[ntsv].group, sizeof(tsv[ntsv].group), field[1]);
		copy_field(tsv[ntsv].name, sizeof(tsv[ntsv].name), field[2]);
		tsv[ntsv].value = strtoll(field[3], NULL, 0);
		ntsv++;
	}
	fclose(f);
	return ntsv > 0 ? 0 : -1;
}

static const struct tsv_row *
tsv_find(const char *platform, const char *name)
{
	size_t i;

	for (i = 0; i < ntsv; i++)
		if (strcmp(tsv[i].platform, platform) == 0 &&
		    strcmp(tsv[i].name, name) == 0)
			return &tsv[i];
	return NULL;
}

/* TSV group of each space. */
static const struct {
	const char *group;
	enum pfkv2_space space;
} group_space[] = {
	{ "msg_type", PFKV2_SP_MSG },
	{ "ext_type", PFKV2_SP_EXT },
	{ "satype", PFKV2_SP_SATYPE },
	{ "sa_state", PFKV2_SP_SASTATE },
	{ "aalg", PFKV2_SP_AALG },
	{ "ealg", PFKV2_SP_EALG },
	{ "calg", PFKV2_SP_CALG },
	{ "identtype", PFKV2_SP_IDENTTYPE },
	{ "policy_type", PFKV2_SP_POLICY_TYPE },
	{ "policy_dir", PFKV2_SP_POLICY_DIR },
	{ "ipsec_mode", PFKV2_SP_MODE },
	{ "ipsec_level", PFKV2_SP_LEVEL },
	{ "kmp", PFKV2_SP_KMP },
	{ "sa_flag", PFKV2_SP_SAFLAG },
	{ "diagnostic", PFKV2_SP_DIAG },
};

/* -1 for groups that are not a space (misc, ipsec_proto). */
static int
group_to_space(const char *group)
{
	size_t i;

	for (i = 0; i < NELEM(group_space); i++)
		if (strcmp(group_space[i].group, group) == 0)
			return (int)group_space[i].space;
	return -1;
}

/* Bit index of a single-bit mask, -1 otherwise. */
static int
bit_index(long long v)
{
	int b;

	for (b = 0; b < 32; b++)
		if (v == (1LL << b))
			return b;
	return -1;
}

/*
 * TSV rows of the four dialects that are deliberately not table entries
 * nor dialect_info fields.  Every entry must match a TSV row (a stale
 * entry fails too).
 */
struct skip {
	const char *platform;
	const char *name;
	const char *why;
};

#define BOUND	"validation bound, not a value"
#define PROTO	"IP protocol/port wildcard, not a dialect value"

static const struct skip skips[] = {
	/* rfc2367 */
	{ "rfc2367", "SADB_KEY_FLAGS_MAX", "Appendix D sample, a mask" },
	{ "rfc2367", "SADB_AALG_MAX", BOUND },
	{ "rfc2367", "SADB_EALG_MAX", BOUND },
	{ "rfc2367", "SADB_IDENTTYPE_MAX", BOUND },
	{ "rfc2367", "SADB_SASTATE_MAX", BOUND },
	{ "rfc2367", "SADB_SATYPE_MAX", BOUND },
	/* linux */
	{ "linux", "SADB_AALG_MAX", BOUND },
	{ "linux", "SADB_EALG_MAX", BOUND },
	{ "linux", "SADB_IDENTTYPE_MAX", BOUND },
	{ "linux", "SADB_SASTATE_MAX", BOUND },
	{ "linux", "SADB_SATYPE_MAX", BOUND },
	{ "linux", "SADB_X_CALG_MAX", BOUND },
	{ "linux", "IPSEC_DIR_MAX", BOUND },
	{ "linux", "IPSEC_REPLAYWSIZE", "kernel replay default" },
	{ "linux", "IPSEC_MANUAL_REQID_MAX", "reqid range (validator)" },
	{ "linux", "IPSEC_PORT_ANY", PROTO },
	{ "linux", "IPSEC_PROTO_ANY", PROTO },
	{ "linux", "IPSEC_ULPROTO_ANY", PROTO },
	/* freebsd */
	{ "freebsd", "SADB_AALG_MAX", BOUND },
	{ "freebsd", "SADB_EALG_MAX", BOUND },
	{ "freebsd", "SADB_IDENTTYPE_MAX", BOUND },
	{ "freebsd", "SADB_SASTATE_MAX", BOUND },
	{ "freebsd", "SADB_SATYPE_MAX", BOUND },
	{ "freebsd", "SADB_X_CALG_MAX", BOUND },
	{ "freebsd", "IPSEC_DIR_MAX", BOUND },
	{ "freebsd", "SADB_KEY_FLAGS_MAX", "mask of settable sa flags" },
	{ "freebsd", "IPSEC_REPLAYWSIZE", "kernel replay default" },
	{ "freebsd", "IPSEC_MANUAL_REQID_MAX", "reqid range (validator)" },
	{ "freebsd", "PFKEY_SPI_SIZE", "size of an SPI" },
	{ "freebsd", "PFKEY_SOFT_LIFETIME_RATE", "kernel percentage" },
	{ "freebsd", "IPSEC_POLICYSCOPE_ANY", "sadb_x_policy_scope field" },
	{ "freebsd", "IPSEC_POLICYSCOPE_GLOBAL", "sadb_x_policy_scope" },
	{ "freebsd", "IPSEC_POLICYSCOPE_IFNET", "sadb_x_policy_scope" },
	{ "freebsd", "IPSEC_POLICYSCOPE_PCB", "sadb_x_policy_scope" },
	{ "freebsd", "SADB_X_LIFETIME_ALLOCATIONS", "kernel array index" },
	{ "freebsd", "SADB_X_LIFETIME_BYTES", "kernel array index" },
	{ "freebsd", "SADB_X_LIFETIME_ADDTIME", "kernel array index" },
	{ "freebsd", "SADB_X_LIFETIME_USETIME", "kernel array index" },
	{ "freebsd", "SADB_X_EXT_NONE", "flags value 0, not a bit" },
	{ "freebsd", "SADB_X_EXT_PSEQ", "pad mode 0, not a bit" },
	{ "freebsd", "SADB_X_EXT_PMASK", "PRAND|PZERO mask" },
	{ "freebsd", "IPSEC_PORT_ANY", PROTO },
	{ "freebsd", "IPSEC_PROTO_ANY", PROTO },
	{ "freebsd", "IPSEC_ULPROTO_ANY", PROTO },
	/* illumos */
	{ "illumos", "SADB_AALG_MAX", BOUND },
	{ "illumos", "SADB_EALG_MAX", BOUND },
	{ "illumos", "SADB_IDENTTYPE_MAX", BOUND },
	{ "illumos", "SADB_SASTATE_MAX", BOUND },
	{ "illumos", "SADB_SATYPE_MAX", BOUND },
	{ "illumos", "SADB_X_KMP_MAX", BOUND },
	{ "illumos", "SADB_X_DIAGNOSTIC_MAX", BOUND },
	{ "illumos", "SADB_DPD_MAX", BOUND },
	{ "illumos", "SADB_X_ALGTYPE_MAX", BOUND },
	{ "illumos", "SADB_DPD_NONE", "sadb_sens_dpd field" },
	{ "illumos", "SADB_X_ALGTYPE_NONE", "sadb_x_algdesc_algtype field" },
	{ "illumos", "SADB_X_ALGTYPE_AUTH", "sadb_x_algdesc_algtype field" },
	{ "illumos", "SADB_X_ALGTYPE_CRYPT", "sadb_x_algdesc_algtype" },
	{ "illumos", "SADB_X_ALGTYPE_COMPRESS", "sadb_x_algdesc_algtype" },
	{ "illumos", "SADB_X_SENS_IMPLICIT", "sadb_x_sens_flags bit" },
	{ "illumos", "SADB_X_SENS_UNLABELED", "sadb_x_sens_flags bit" },
	{ "illumos", "AF_POLICY", "PF_POLICY socket, not PF_KEY" },
	{ "illumos", "TCPSIG_MD5_KEY_LEN", "key length limit" },
	{ "illumos", "SADB_X_SAFLAGS_KRES", "KRES1|KRES2 mask" },
	{ "illumos", "SADB_X_DIAGNOSTIC_PRESET", "-1, kernel internal" },
};

static int
skip_find(const char *platform, const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(skips); i++)
		if (strcmp(skips[i].platform, platform) == 0 &&
		    strcmp(skips[i].name, name) == 0)
			return (int)i;
	return -1;
}

/*
 * Table rows that are allowed to be missing from the TSV.  None today;
 * add { dialect, name, why } here with a reason when a table gains a value
 * the TSV does not have yet.
 */
static const struct skip table_only[] = {
	{ NULL, NULL, NULL },
};

static bool
table_only_find(const char *platform, const char *name)
{
	size_t i;

	for (i = 0; table_only[i].name != NULL; i++)
		if (strcmp(table_only[i].platform, platform) == 0 &&
		    strcmp(table_only[i].name, name) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Helpers. */

static const enum pfkv2_dialect all_dialects[] = {
	PFKV2_DIALECT_RFC2367, PFKV2_DIALECT_LINUX, PFKV2_DIALECT_FREEBSD,
	PFKV2_DIALECT_ILLUMOS,
};

/* Number of canonical ids of each space. */
static unsigned
space_count(enum pfkv2_space s)
{
	switch (s) {
	case PFKV2_SP_MSG:		return PFKV2_MSG_COUNT;
	case PFKV2_SP_EXT:		return PFKV2_EXT_COUNT;
	case PFKV2_SP_SATYPE:		return PFKV2_SATYPE_COUNT;
	case PFKV2_SP_SASTATE:		return PFKV2_SASTATE_COUNT;
	case PFKV2_SP_AALG:		return PFKV2_AALG_COUNT;
	case PFKV2_SP_EALG:		return PFKV2_EALG_COUNT;
	case PFKV2_SP_CALG:		return PFKV2_CALG_COUNT;
	case PFKV2_SP_IDENTTYPE:	return PFKV2_IDENTTYPE_COUNT;
	case PFKV2_SP_POLICY_TYPE:	return PFKV2_POLICY_TYPE_COUNT;
	case PFKV2_SP_POLICY_DIR:	return PFKV2_DIR_COUNT;
	case PFKV2_SP_MODE:		return PFKV2_MODE_COUNT;
	case PFKV2_SP_LEVEL:		return PFKV2_LEVEL_COUNT;
	case PFKV2_SP_KMP:		return PFKV2_KMP_COUNT;
	case PFKV2_SP_SAFLAG:		return PFKV2_SAFLAG_COUNT;
	case PFKV2_SP_DIAG:		return DIAG_COUNT;
	case PFKV2_SP_COUNT:		break;
	}
	return 0;
}

/* Main rows come first; a row is an alias when an earlier one has its wire. */
static bool
row_is_alias(const struct dl_map *m, unsigned i)
{
	unsigned j;

	for (j = 0; j < i; j++)
		if (m->rows[j].wire == m->rows[i].wire)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* TSV -> tables. */

/* A row of a mapped group: lookup, from_wire, to_wire and wire_name. */
static int
check_mapped_row(enum pfkv2_dialect d, const struct tsv_row *r,
    enum pfkv2_space want)
{
	enum pfkv2_space s;
	const char *wn;
	unsigned wire, w2;
	long long expect = r->value;
	int canon;

	if (want == PFKV2_SP_SAFLAG && (expect = bit_index(r->value)) < 0) {
		print_error("%s %s: 0x%llx is not a single bit\n",
		    r->platform, r->name, r->value);
		return 1;
	}
	if (pfkv2_dialect_lookup(d, r->name, &s, &wire) != 0) {
		print_error("%s %s (%s %lld): not in the table\n",
		    r->platform, r->name, r->group, r->value);
		return 1;
	}
	if (s != want || (long long)wire != expect) {
		print_error("%s %s: table says space %d wire %u, TSV %s %lld\n",
		    r->platform, r->name, (int)s, wire, r->group, expect);
		return 1;
	}
	canon = pfkv2_dialect_from_wire(d, s, wire);
	if (canon < 0 || PFKV2_IS_WIRE((unsigned)canon)) {
		print_error("%s %s: from_wire(%u) has no canonical id\n",
		    r->platform, r->name, wire);
		return 1;
	}
	if (pfkv2_dialect_to_wire(d, s, (unsigned)canon) != (int)wire) {
		print_error("%s %s: to_wire(from_wire(%u)) differs\n",
		    r->platform, r->name, wire);
		return 1;
	}
	wn = pfkv2_dialect_wire_name(d, s, wire);
	if (wn == NULL || pfkv2_dialect_lookup(d, wn, &s, &w2) != 0 ||
	    s != want || w2 != wire) {
		print_error("%s %s: wire_name(%u) = %s does not agree\n",
		    r->platform, r->name, wire, wn != NULL ? wn : "NULL");
		return 1;
	}
	return 0;
}

/* A misc row that is a dialect_info fact (or PF_KEY_V2). */
static int
check_info_row(enum pfkv2_dialect d, const struct tsv_row *r, bool *handled)
{
	const struct pfkv2_dialect_info *in = pfkv2_dialect_info(d);
	long long got;

	*handled = true;
	if (strcmp(r->name, "PF_KEY") == 0 || strcmp(r->name, "AF_KEY") == 0 ||
	    strcmp(r->name, "pseudo_AF_KEY") == 0)
		got = in->pf_key;
	else if (strcmp(r->name, "AF_INET") == 0)
		got = in->af_inet;
	else if (strcmp(r->name, "AF_INET6") == 0)
		got = in->af_inet6;
	else if (strcmp(r->name, "SADB_EXT_MAX") == 0)
		got = in->ext_max;
	else if (strcmp(r->name, "SADB_MAX") == 0)
		got = in->msg_max;
	else if (strcmp(r->name, "PFKEYV2_REVISION") == 0)
		got = (long long)in->revision;
	else if (strcmp(r->name, "PF_KEY_V2") == 0)
		got = PFKV2_PF_KEY_V2;
	else {
		*handled = false;
		return 0;
	}
	if (got != r->value) {
		print_error("%s %s: dialect says %lld, TSV %lld\n",
		    r->platform, r->name, got, r->value);
		return 1;
	}
	return 0;
}

static void
test_tsv_rows_map(void **state)
{
	bool skip_used[NELEM(skips)] = { false };
	const struct tsv_row *r;
	enum pfkv2_space s;
	unsigned wire, checked = 0;
	bool handled;
	size_t i;
	int d, sp, k, bad = 0;

	(void)state;
	for (i = 0; i < ntsv; i++) {
		r = &tsv[i];
		if ((d = pfkv2_dialect_from_name(r->platform)) < 0)
			continue;	/* macos, netbsd, openbsd */
		if ((k = skip_find(r->platform, r->name)) >= 0) {
			skip_used[k] = true;
			continue;
		}
		checked++;
		if ((sp = group_to_space(r->group)) >= 0) {
			bad += check_mapped_row((enum pfkv2_dialect)d, r,
			    (enum pfkv2_space)sp);
			continue;
		}
		if (strcmp(r->group, "misc") != 0 &&
		    strcmp(r->group, "ipsec_proto") != 0) {
			print_error("%s %s: unknown group %s\n", r->platform,
			    r->name, r->group);
			bad++;
			continue;
		}
		bad += check_info_row((enum pfkv2_dialect)d, r, &handled);
		if (handled)
			continue;
		/* FreeBSD lists its KAME sadb_sa_flags bits under misc. */
		if (pfkv2_dialect_lookup((enum pfkv2_dialect)d, r->name, &s,
		    &wire) == 0 && s == PFKV2_SP_SAFLAG) {
			bad += check_mapped_row((enum pfkv2_dialect)d, r, s);
			continue;
		}
		print_error("%s %s (%s %lld): neither mapped nor skipped\n",
		    r->platform, r->name, r->group, r->value);
		bad++;
	}
	for (i = 0; i < NELEM(skips); i++) {
		if (!skip_used[i]) {
			print_error("skip list: %s %s matches no TSV row\n",
			    skips[i].platform, skips[i].name);
			bad++;
		}
	}
	assert_true(checked > 300);
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* Tables -> TSV. */

static void
test_table_rows_in_tsv(void **state)
{
	const struct dl_dialect *dl;
	const struct dl_map *m;
	const struct tsv_row *r;
	unsigned s, i, n = 0;
	long long expect;
	size_t d;
	int bad = 0, sp;

	(void)state;
	for (d = 0; d < NELEM(all_dialects); d++) {
		dl = pfkv2_dl_get(all_dialects[d]);
		assert_non_null(dl);
		for (s = 0; s < PFKV2_SP_COUNT; s++) {
			m = &dl->map[s];
			for (i = 0; i < m->nrows; i++, n++) {
				if ((r = tsv_find(dl->name,
				    m->rows[i].name)) == NULL) {
					if (table_only_find(dl->name,
					    m->rows[i].name))
						continue;
					print_error("%s %s: not in the TSV\n",
					    dl->name, m->rows[i].name);
					bad++;
					continue;
				}
				sp = group_to_space(r->group);
				expect = r->value;
				if (s == PFKV2_SP_SAFLAG) {
					expect = bit_index(r->value);
					if (sp < 0 && strcmp(r->group, "misc")
					    == 0)
						sp = PFKV2_SP_SAFLAG;
				}
				if (sp != (int)s ||
				    expect != (long long)m->rows[i].wire) {
					print_error("%s %s: table space %u "
					    "wire %u, TSV %s %lld\n", dl->name,
					    m->rows[i].name, s,
					    m->rows[i].wire, r->group,
					    r->value);
					bad++;
				}
			}
		}
	}
	assert_true(n > 300);
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* Table structure. */

/* How many rows of a dialect, in any space, carry this macro name. */
static unsigned
name_count(const struct dl_dialect *dl, const char *name)
{
	unsigned s, i, n = 0;

	for (s = 0; s < PFKV2_SP_COUNT; s++)
		for (i = 0; i < dl->map[s].nrows; i++)
			if (strcmp(dl->map[s].rows[i].name, name) == 0)
				n++;
	return n;
}

static void
test_table_integrity(void **state)
{
	const struct dl_dialect *dl;
	const struct dl_map *m;
	const struct dl_row *row;
	enum pfkv2_space s2;
	unsigned s, i, w2, maxw;
	uint64_t mask;
	size_t d;

	(void)state;
	for (d = 0; d < NELEM(all_dialects); d++) {
		dl = pfkv2_dl_get(all_dialects[d]);
		assert_non_null(dl);
		assert_int_equal(dl->id, all_dialects[d]);
		assert_non_null(dl->rules);
		for (s = 0; s < PFKV2_SP_COUNT; s++) {
			m = &dl->map[s];
			if (m->nrows == 0) {
				assert_null(m->rows);
				assert_null(m->w2c);
				assert_null(m->c2w);
				continue;
			}
			assert_int_equal(m->ncanon,
			    space_count((enum pfkv2_space)s));
			for (i = 0; i < m->nrows; i++) {
				row = &m->rows[i];
				assert_true(row->wire <= 255);
				assert_true(row->canon < m->ncanon);
				/* Aliases and main rows alike map both ways. */
				assert_int_equal(m->w2c[row->wire],
				    row->canon + 1);
				assert_int_equal(m->c2w[row->canon],
				    row->wire + 1);
				if (s == PFKV2_SP_SAFLAG)
					assert_true(row->wire < 32);
				if (s == PFKV2_SP_DIAG)
					assert_int_equal(row->canon, row->wire);
				/* Macro names are unique within a dialect. */
				assert_int_equal(pfkv2_dialect_lookup(dl->id,
				    row->name, &s2, &w2), 0);
				assert_int_equal(s2, s);
				assert_int_equal(w2, row->wire);
				if (row_is_alias(m, i))
					assert_string_not_equal(
					    pfkv2_dialect_wire_name(dl->id,
					    (enum pfkv2_space)s, row->wire),
					    row->name);
				else
					assert_string_equal(
					    pfkv2_dialect_wire_name(dl->id,
					    (enum pfkv2_space)s, row->wire),
					    row->name);
			}
		}
		/* SADB_MAX / SADB_EXT_MAX are the highest numbers known. */
		for (maxw = 0, i = 0; i < dl->map[PFKV2_SP_MSG].nrows; i++)
			if (dl->map[PFKV2_SP_MSG].rows[i].wire > maxw)
				maxw = dl->map[PFKV2_SP_MSG].rows[i].wire;
		assert_int_equal(maxw, dl->msg_max);
		for (maxw = 0, i = 0; i < dl->map[PFKV2_SP_EXT].nrows; i++)
			if (dl->map[PFKV2_SP_EXT].rows[i].wire > maxw)
				maxw = dl->map[PFKV2_SP_EXT].rows[i].wire;
		assert_int_equal(maxw, dl->ext_max);
		/* ext_mask: every mapped extension but RESERVED. */
		for (mask = 0, i = 1; i < PFKV2_EXT_COUNT; i++) {
			if (dl_c2w(dl, PFKV2_SP_EXT, i) >= 0)
				mask |= PFKV2_EXTBIT(i);
			assert_int_equal(pfkv2_dialect_has_ext(dl->id, i),
			    dl_c2w(dl, PFKV2_SP_EXT, i) >= 0);
		}
		assert_int_equal(mask, dl->ext_mask);
		assert_false(pfkv2_dialect_has_ext(dl->id,
		    PFKV2_EXT_RESERVED));
	}
	/* No macro name means two different things in one dialect. */
	for (d = 0; d < NELEM(all_dialects); d++) {
		dl = pfkv2_dl_get(all_dialects[d]);
		for (s = 0; s < PFKV2_SP_COUNT; s++)
			for (i = 0; i < dl->map[s].nrows; i++)
				assert_int_equal(name_count(dl,
				    dl->map[s].rows[i].name), 1);
	}
}

/* ------------------------------------------------------------------ */
/* Round trips. */

static void
test_roundtrip_canonical(void **state)
{
	unsigned s, id, n, mains, i;
	size_t d;
	int w, c;

	(void)state;
	for (d = 0; d < NELEM(all_dialects); d++) {
		const struct dl_dialect *dl = pfkv2_dl_get(all_dialects[d]);

		for (s = 0; s < PFKV2_SP_COUNT; s++) {
			const struct dl_map *m = &dl->map[s];

			for (n = 0, id = 0; id < space_count(s); id++) {
				errno = 0;
				w = pfkv2_dialect_to_wire(dl->id, s, id);
				if (w < 0) {
					assert_int_equal(errno, ENOTSUP);
					continue;
				}
				n++;
				c = pfkv2_dialect_from_wire(dl->id, s,
				    (unsigned)w);
				assert_int_equal(c, id);
				assert_non_null(pfkv2_dialect_wire_name(
				    dl->id, s, (unsigned)w));
			}
			for (mains = 0, i = 0; i < m->nrows; i++)
				if (!row_is_alias(m, i))
					mains++;
			assert_int_equal(n, mains);
			/* One past the last id is never mapped. */
			errno = 0;
			assert_int_equal(pfkv2_dialect_to_wire(dl->id, s,
			    space_count(s)), -1);
			assert_int_equal(errno, ENOTSUP);
		}
	}
}

static void
test_roundtrip_wire(void **state)
{
	unsigned s, w;
	size_t d;
	int c;

	(void)state;
	for (d = 0; d < NELEM(all_dialects); d++) {
		enum pfkv2_dialect dd = all_dialects[d];

		for (s = 0; s < PFKV2_SP_COUNT; s++) {
			for (w = 0; w < 1024; w++) {
				c = pfkv2_dialect_from_wire(dd, s, w);
				assert_true(c >= 0);
				if (PFKV2_IS_WIRE((unsigned)c)) {
					assert_int_equal(c, PFKV2_WIRE(w));
					assert_null(pfkv2_dialect_wire_name(dd,
					    s, w));
					continue;
				}
				assert_true(w <= 255);
				assert_int_equal(pfkv2_dialect_to_wire(dd, s,
				    (unsigned)c), w);
				assert_non_null(pfkv2_dialect_wire_name(dd, s,
				    w));
			}
		}
	}
}

static void
test_wire_passthrough(void **state)
{
	static const unsigned vals[] = { 0, 1, 19, 200, 255, 256, 0x7fff };
	unsigned s, i;
	size_t d;

	(void)state;
	for (d = 0; d < NELEM(all_dialects); d++) {
		for (s = 0; s < PFKV2_SP_COUNT; s++) {
			for (i = 0; i < NELEM(vals); i++)
				assert_int_equal(pfkv2_dialect_to_wire(
				    all_dialects[d], s, PFKV2_WIRE(vals[i])),
				    vals[i]);
		}
	}
	/* Unknown wire values come back as raw tokens, then go out again. */
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_EXT, 27), PFKV2_WIRE(27));
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_EXT, PFKV2_WIRE(27)), 27);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_POLICY_DIR, 1), PFKV2_WIRE(1));
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_MSG, 0x7fff), PFKV2_WIRE(0x7fff));
}

/* ------------------------------------------------------------------ */
/* Errors. */

static void
test_errors(void **state)
{
	const enum pfkv2_dialect bad_d[] = {
		PFKV2_DIALECT_COUNT, (enum pfkv2_dialect)-1,
		(enum pfkv2_dialect)1000,
	};
	enum pfkv2_space s;
	uint32_t w32, unk;
	unsigned wire;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad_d); i++) {
		errno = 0;
		assert_int_equal(pfkv2_dialect_to_wire(bad_d[i], PFKV2_SP_MSG,
		    PFKV2_MSG_ADD), -1);
		assert_int_equal(errno, EINVAL);
		errno = 0;
		assert_int_equal(pfkv2_dialect_from_wire(bad_d[i],
		    PFKV2_SP_MSG, 3), -1);
		assert_int_equal(errno, EINVAL);
		errno = 0;
		assert_null(pfkv2_dialect_info(bad_d[i]));
		assert_int_equal(errno, EINVAL);
		errno = 0;
		assert_int_equal(pfkv2_dialect_lookup(bad_d[i], "SADB_ADD",
		    &s, &wire), -1);
		assert_int_equal(errno, EINVAL);
		errno = 0;
		assert_int_equal(pfkv2_dialect_flags_to_wire(bad_d[i], 1,
		    &w32), -1);
		assert_int_equal(errno, EINVAL);
		unk = 0;
		assert_int_equal(pfkv2_dialect_flags_from_wire(bad_d[i], 5,
		    &unk), 0);
		assert_int_equal(unk, 5);
		assert_null(pfkv2_dialect_name(bad_d[i]));
		assert_null(pfkv2_dialect_wire_name(bad_d[i], PFKV2_SP_MSG,
		    3));
		assert_false(pfkv2_dialect_has_ext(bad_d[i], PFKV2_EXT_SA));
		assert_null(pfkv2_dl_get(bad_d[i]));
	}
	/* Bad space. */
	errno = 0;
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_COUNT, 0), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    (enum pfkv2_space)-1, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_null(pfkv2_dialect_wire_name(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_COUNT, 0));
	/* Values no id or wire token can be. */
	errno = 0;
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_MSG, 0x10000), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_EXT, 0x8000), -1);
	assert_int_equal(errno, EINVAL);
	/* Ids the dialect does not have. */
	errno = 0;
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_EXT, PFKV2_EXT_KMC), -1);
	assert_int_equal(errno, ENOTSUP);
	errno = 0;
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_EXT, PFKV2_EXT_POLICY), -1);
	assert_int_equal(errno, ENOTSUP);
	errno = 0;
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_RFC2367,
	    PFKV2_SP_MSG, PFKV2_MSG_X_SPDADD), -1);
	assert_int_equal(errno, ENOTSUP);
	errno = 0;
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_MODE, PFKV2_MODE_TUNNEL), -1);
	assert_int_equal(errno, ENOTSUP);
	errno = 0;
	/* FreeBSD reads bit 0 as OLD, so canonical PFS has no bit there. */
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_SAFLAG, PFKV2_SAFLAG_PFS), -1);
	assert_int_equal(errno, ENOTSUP);
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_SAFLAG, PFKV2_SAFLAG_OLD), 0);
	/* Names. */
	errno = 0;
	assert_int_equal(pfkv2_dialect_lookup(PFKV2_DIALECT_LINUX,
	    "SADB_X_EXT_KM_COOKIE", &s, &wire), -1);
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(pfkv2_dialect_lookup(PFKV2_DIALECT_LINUX, NULL,
	    &s, &wire), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfkv2_dialect_lookup(PFKV2_DIALECT_LINUX,
	    "SADB_X_EXT_SA2", NULL, NULL), 0);
	errno = 0;
	assert_int_equal(pfkv2_dialect_from_name("plan9"), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_dialect_from_name(NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_dialect_flags_to_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SAFLAG(PFKV2_SAFLAG_PFS), NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_false(pfkv2_dialect_has_ext(PFKV2_DIALECT_LINUX,
	    PFKV2_EXT_COUNT));
	assert_false(pfkv2_dialect_has_ext(PFKV2_DIALECT_LINUX,
	    PFKV2_WIRE(1)));
}

/* ------------------------------------------------------------------ */
/* Facts and the collisions of pfkey-structs.md section 9. */

static void
test_dialect_facts(void **state)
{
	const struct pfkv2_dialect_info *in;
	const struct dl_dialect *dl;
	size_t d;

	(void)state;
	for (d = 0; d < NELEM(all_dialects); d++) {
		dl = pfkv2_dl_get(all_dialects[d]);
		in = pfkv2_dialect_info(all_dialects[d]);
		assert_non_null(in);
		assert_string_equal(in->name, dl->name);
		assert_string_equal(pfkv2_dialect_name(dl->id), dl->name);
		assert_int_equal(pfkv2_dialect_from_name(dl->name), dl->id);
		assert_int_equal(in->pf_key, dl->pf_key);
		assert_int_equal(in->af_inet, dl->af_inet);
		assert_int_equal(in->af_inet6, dl->af_inet6);
		assert_int_equal(in->sin6_len, dl->sin6_len);
		assert_int_equal(in->ipsecrequest_len, dl->isr_size);
		assert_int_equal(in->replay_in_bytes,
		    dl->replay_unit == DL_REPLAY_BYTES);
		assert_int_equal(in->spirange_network_order,
		    dl->spirange_net_order);
		assert_int_equal(in->skips_unknown_ext,
		    dl->unknown_ext == DL_UNKNOWN_SKIP);
		assert_int_equal(in->ext_max, dl->ext_max);
		assert_int_equal(in->msg_max, dl->msg_max);
		assert_int_equal(in->revision, dl->revision);
		assert_int_equal(in->max_msg, dl->max_msg);
	}
	assert_int_equal(pfkv2_dialect_from_name("Linux"),
	    PFKV2_DIALECT_LINUX);
	assert_int_equal(pfkv2_dialect_from_name("FREEBSD"),
	    PFKV2_DIALECT_FREEBSD);

	/* Socket and layout facts. */
	in = pfkv2_dialect_info(PFKV2_DIALECT_ILLUMOS);
	assert_int_equal(in->af_inet6, 26);
	assert_int_equal(in->sin6_len, 32);
	assert_int_equal(in->revision, 200109);
	assert_true(in->spirange_network_order);
	assert_int_equal(in->ipsecrequest_len, 0);
	in = pfkv2_dialect_info(PFKV2_DIALECT_LINUX);
	assert_int_equal(in->pf_key, 15);
	assert_int_equal(in->af_inet6, 10);
	assert_int_equal(in->ipsecrequest_len, 16);
	assert_true(in->skips_unknown_ext);
	in = pfkv2_dialect_info(PFKV2_DIALECT_FREEBSD);
	assert_int_equal(in->af_inet6, 28);
	assert_int_equal(in->ipsecrequest_len, 8);
	assert_true(in->replay_in_bytes);
	assert_false(in->skips_unknown_ext);
	assert_int_equal(in->max_msg, 2048);

	dl = pfkv2_dl_get(PFKV2_DIALECT_LINUX);
	assert_int_equal(dl->sockaddr_style, DL_SA_LINUX);
	assert_true(dl->hs_lifetime_pair);
	assert_int_equal(dl->isr_max, 6);
	dl = pfkv2_dl_get(PFKV2_DIALECT_FREEBSD);
	assert_int_equal(dl->sockaddr_style, DL_SA_BSD);
	assert_true(dl->hs_lifetime_pair);
	assert_int_equal(dl->isr_max, 4);
	dl = pfkv2_dl_get(PFKV2_DIALECT_ILLUMOS);
	assert_int_equal(dl->sockaddr_style, DL_SA_ILLUMOS);
	assert_true(dl->key_exact);
	assert_int_equal(dl->unknown_ext, DL_UNKNOWN_REJECT);
	dl = pfkv2_dl_get(PFKV2_DIALECT_RFC2367);
	assert_int_equal(dl->unknown_ext, DL_UNKNOWN_SKIP);
	assert_false(dl->key_exact);
}

/*
 * The parser recognises a sockaddr by its first two bytes (dl->sa_head4,
 * sa_head6): they must be what the dialect's layout puts there, and tell
 * the families apart.  Extension and request sizes assume that both
 * sockaddr_in6 sizes pad to 40 bytes with an 8-byte header.
 */
static void
test_sockaddr_heads(void **state)
{
	const struct dl_dialect *dl;
	uint8_t h4[2], h6[2];
	size_t d;

	(void)state;
	for (d = 0; d < NELEM(all_dialects); d++) {
		dl = pfkv2_dl_get(all_dialects[d]);
		memcpy(h4, &dl->sa_head4, 2);
		memcpy(h6, &dl->sa_head6, 2);
		if (dl->sockaddr_style == DL_SA_BSD) {
			assert_int_equal(h4[0], 16);
			assert_int_equal(h4[1], dl->af_inet);
			assert_int_equal(h6[0], dl->sin6_len);
			assert_int_equal(h6[1], dl->af_inet6);
		} else {
			assert_int_equal(dl->sa_head4, dl->af_inet);
			assert_int_equal(dl->sa_head6, dl->af_inet6);
		}
		assert_true(dl->sa_head4 != 0 && dl->sa_head6 != 0);
		assert_true(dl->sa_head4 != dl->sa_head6);
		assert_int_equal((8u + dl->sin6_len + 7u) / 8u * 8u, 40);
	}
}

static void
test_collisions(void **state)
{
	enum pfkv2_space s;
	unsigned wire;

	(void)state;
	/* Extension 19: SA2 on Linux/FreeBSD, the KM cookie on illumos. */
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_EXT, 19), PFKV2_EXT_SA2);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_EXT, 19), PFKV2_EXT_SA2);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_EXT, 19), PFKV2_EXT_KMC);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_RFC2367,
	    PFKV2_SP_EXT, 19), PFKV2_WIRE(19));
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_EXT, PFKV2_EXT_KMC), 19);
	/* 23..26 mean four different things. */
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_EXT, 24), PFKV2_EXT_SEC_CTX);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_EXT, 24), PFKV2_EXT_NAT_T_OAR);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_EXT, 24), PFKV2_EXT_REPLAY_VALUE);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_EXT, 7), PFKV2_EXT_ADDRESS_INNER_SRC);
	/* Aliases. */
	assert_int_equal(pfkv2_dialect_lookup(PFKV2_DIALECT_FREEBSD,
	    "SADB_X_EXT_NAT_T_OA", &s, &wire), 0);
	assert_int_equal(s, PFKV2_SP_EXT);
	assert_int_equal(wire, 23);
	assert_string_equal(pfkv2_dialect_wire_name(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_EXT, 23), "SADB_X_EXT_NAT_T_OAI");
	assert_int_equal(pfkv2_dialect_lookup(PFKV2_DIALECT_FREEBSD,
	    "SADB_X_EALG_RIJNDAELCBC", &s, &wire), 0);
	assert_int_equal(s, PFKV2_SP_EALG);
	assert_int_equal(wire, 12);
	assert_int_equal(pfkv2_dialect_lookup(PFKV2_DIALECT_ILLUMOS,
	    "SADB_EXT_ADDRESS_PROXY", &s, &wire), 0);
	assert_int_equal(wire, 7);
	assert_int_equal(pfkv2_dialect_lookup(PFKV2_DIALECT_ILLUMOS,
	    "SADB_X_DIAGNOSTIC_BAD_INNER_SRC_AF", &s, &wire), 0);
	assert_int_equal(s, PFKV2_SP_DIAG);
	assert_int_equal(wire, 10);

	/* Message 13: X_SPDUPDATE (KAME) vs X_UPDATEPAIR (illumos). */
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_MSG, 13), PFKV2_MSG_X_SPDUPDATE);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_MSG, 13), PFKV2_MSG_X_SPDUPDATE);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_MSG, 13), PFKV2_MSG_X_UPDATEPAIR);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_MSG, 12), PFKV2_MSG_X_INVERSE_ACQUIRE);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_MSG, 23), PFKV2_WIRE(23));
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_MSG, 23), PFKV2_MSG_X_NAT_T_NEW_MAPPING);

	/* Algorithms. */
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_EALG, PFKV2_EALG_AESCTR), 13);
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_EALG, PFKV2_EALG_AESCTR), 13);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_EALG, 15), PFKV2_EALG_AES_CCM_ICV12);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_EALG, 15), PFKV2_EALG_CHACHA20POLY1305);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_AALG, 10), PFKV2_AALG_SM3_256HMAC);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_AALG, 10), PFKV2_WIRE(10));
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_AALG, 1), PFKV2_AALG_MD5);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_EALG, 23), PFKV2_EALG_NULL_AES_GMAC);

	/* SA types, identity types, modes, directions. */
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_SATYPE, PFKV2_SATYPE_TCPSIGNATURE), 11);
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_SATYPE, PFKV2_SATYPE_TCPSIGNATURE), 4);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_IDENTTYPE, 4), PFKV2_IDENTTYPE_ADDR);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_SP_IDENTTYPE, 4), PFKV2_IDENTTYPE_DN);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_MODE, 3), PFKV2_MODE_BEET);
	assert_int_equal(pfkv2_dialect_from_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_MODE, 3), PFKV2_MODE_TCPMD5);
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SP_POLICY_DIR, PFKV2_DIR_INVALID), 5);
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_POLICY_DIR, PFKV2_DIR_INVALID), 4);
	assert_int_equal(pfkv2_dialect_to_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SP_POLICY_DIR, PFKV2_DIR_FWD), -1);

	/* The extension number space. */
	assert_true(pfkv2_dialect_has_ext(PFKV2_DIALECT_FREEBSD,
	    PFKV2_EXT_NEW_ADDRESS_SRC));
	assert_false(pfkv2_dialect_has_ext(PFKV2_DIALECT_LINUX,
	    PFKV2_EXT_NEW_ADDRESS_SRC));
	assert_true(pfkv2_dialect_has_ext(PFKV2_DIALECT_ILLUMOS,
	    PFKV2_EXT_ADDRESS_PROXY));
	assert_false(pfkv2_dialect_has_ext(PFKV2_DIALECT_RFC2367,
	    PFKV2_EXT_SA2));
}

/* ------------------------------------------------------------------ */
/* SA flags. */

static void
test_flags(void **state)
{
	const struct dl_dialect *dl;
	uint64_t all, back;
	uint32_t wire, allw, unk;
	unsigned f;
	size_t d;
	int b;

	(void)state;
	for (d = 0; d < NELEM(all_dialects); d++) {
		dl = pfkv2_dl_get(all_dialects[d]);
		all = 0;
		allw = 0;
		for (f = 0; f < 64; f++) {
			errno = 0;
			b = pfkv2_dialect_flags_to_wire(dl->id,
			    UINT64_C(1) << f, &wire);
			if (f >= PFKV2_SAFLAG_COUNT ||
			    dl_c2w(dl, PFKV2_SP_SAFLAG, f) < 0) {
				assert_int_equal(b, -1);
				assert_int_equal(errno, ENOTSUP);
				continue;
			}
			assert_int_equal(b, 0);
			assert_int_equal(wire, UINT32_C(1) <<
			    dl_c2w(dl, PFKV2_SP_SAFLAG, f));
			unk = 0xdead;
			back = pfkv2_dialect_flags_from_wire(dl->id, wire,
			    &unk);
			assert_int_equal(back, UINT64_C(1) << f);
			assert_int_equal(unk, 0);
			all |= UINT64_C(1) << f;
			allw |= wire;
		}
		assert_int_equal(pfkv2_dialect_flags_to_wire(dl->id, all,
		    &wire), 0);
		assert_int_equal(wire, allw);
		assert_int_equal(pfkv2_dialect_flags_from_wire(dl->id, allw,
		    &unk), all);
		assert_int_equal(unk, 0);
		/* Every other bit is reported, not dropped. */
		assert_int_equal(pfkv2_dialect_flags_from_wire(dl->id,
		    0xffffffffu, &unk), all);
		assert_int_equal(unk, ~allw);
		assert_int_equal(pfkv2_dialect_flags_from_wire(dl->id,
		    ~allw, NULL), 0);
		assert_int_equal(pfkv2_dialect_flags_to_wire(dl->id, 0,
		    &wire), 0);
		assert_int_equal(wire, 0);
		/* A failed conversion leaves the output alone. */
		wire = 0x1234;
		assert_int_equal(pfkv2_dialect_flags_to_wire(dl->id,
		    all | (UINT64_C(1) << 63), &wire), -1);
		assert_int_equal(wire, 0x1234);
	}
	/* Known bits per dialect. */
	assert_int_equal(pfkv2_dialect_flags_to_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SAFLAG(PFKV2_SAFLAG_NOPMTUDISC) |
	    PFKV2_SAFLAG(PFKV2_SAFLAG_PFS), &wire), 0);
	assert_int_equal(wire, 0x20000001u);
	assert_int_equal(pfkv2_dialect_flags_to_wire(PFKV2_DIALECT_FREEBSD,
	    PFKV2_SAFLAG(PFKV2_SAFLAG_ESN), &wire), 0);
	assert_int_equal(wire, 0x400u);
	assert_int_equal(pfkv2_dialect_flags_from_wire(PFKV2_DIALECT_ILLUMOS,
	    0x20000002u, &unk), PFKV2_SAFLAG(PFKV2_SAFLAG_AALG1) |
	    PFKV2_SAFLAG(PFKV2_SAFLAG_NOREPLAY));
	/* 0x20000000 is AALG1 on illumos, NOPMTUDISC on Linux. */
	assert_int_equal(pfkv2_dialect_flags_from_wire(PFKV2_DIALECT_LINUX,
	    0x20000000u, &unk), PFKV2_SAFLAG(PFKV2_SAFLAG_NOPMTUDISC));
	/* 0x200: KAME PZERO; nothing on Linux. */
	assert_int_equal(pfkv2_dialect_flags_from_wire(PFKV2_DIALECT_FREEBSD,
	    0x200u, &unk), PFKV2_SAFLAG(PFKV2_SAFLAG_PZERO));
	assert_int_equal(pfkv2_dialect_flags_from_wire(PFKV2_DIALECT_LINUX,
	    0x200u, &unk), 0);
	assert_int_equal(unk, 0x200u);
	errno = 0;
	assert_int_equal(pfkv2_dialect_flags_to_wire(PFKV2_DIALECT_LINUX,
	    PFKV2_SAFLAG(PFKV2_SAFLAG_ESN), &wire), -1);
	assert_int_equal(errno, ENOTSUP);
}

/* ------------------------------------------------------------------ */
/* Canonical names. */

static void
test_names(void **state)
{
	const char *n, *wn;
	char upper[64];
	unsigned s, id, j, named;
	size_t k;

	(void)state;
	for (s = 0; s < PFKV2_SP_COUNT; s++) {
		for (named = 0, id = 0; id < space_count(s); id++) {
			n = pfkv2_id_name(s, id);
			if (s != PFKV2_SP_DIAG)
				assert_non_null(n);
			if (n == NULL)
				continue;
			named++;
			assert_true(n[0] != '\0');
			assert_int_equal(pfkv2_id_from_name(s, n), id);
			/* Case does not matter on the way in. */
			for (k = 0; n[k] != '\0' && k + 1 < sizeof(upper);
			    k++)
				upper[k] = (n[k] >= 'a' && n[k] <= 'z') ?
				    (char)(n[k] - 'a' + 'A') : n[k];
			upper[k] = '\0';
			assert_int_equal(pfkv2_id_from_name(s, upper), id);
			for (j = 0; j < id; j++)
				if (pfkv2_id_name(s, j) != NULL)
					assert_string_not_equal(
					    pfkv2_id_name(s, j), n);
		}
		assert_true(named > 0);
		assert_null(pfkv2_id_name(s, space_count(s)));
		assert_null(pfkv2_id_name(s, PFKV2_WIRE(1)));
		errno = 0;
		assert_int_equal(pfkv2_id_from_name(s, "no-such-thing"), -1);
		assert_int_equal(errno, ENOENT);
	}
	/* Diagnostic names are the illumos macros without the prefix. */
	for (id = 0; id < DIAG_COUNT; id++) {
		wn = pfkv2_dialect_wire_name(PFKV2_DIALECT_ILLUMOS,
		    PFKV2_SP_DIAG, id);
		n = pfkv2_id_name(PFKV2_SP_DIAG, id);
		if (wn == NULL) {
			assert_null(n);
			continue;
		}
		assert_non_null(n);
		assert_string_equal(wn + strlen("SADB_X_DIAGNOSTIC_"), n);
	}
	assert_string_equal(pfkv2_id_name(PFKV2_SP_MSG, PFKV2_MSG_X_SPDADD),
	    "X_SPDADD");
	assert_string_equal(pfkv2_id_name(PFKV2_SP_EXT, PFKV2_EXT_KMC),
	    "KMC");
	assert_string_equal(pfkv2_id_name(PFKV2_SP_SATYPE,
	    PFKV2_SATYPE_TCPSIGNATURE), "tcpsig");
	assert_string_equal(pfkv2_id_name(PFKV2_SP_AALG,
	    PFKV2_AALG_SHA2_256HMAC), "hmac-sha256");
	assert_string_equal(pfkv2_id_name(PFKV2_SP_EALG,
	    PFKV2_EALG_AES_GCM_ICV16), "aes-gcm-16");
	assert_string_equal(pfkv2_id_name(PFKV2_SP_MODE, PFKV2_MODE_TUNNEL),
	    "tunnel");
	assert_string_equal(pfkv2_id_name(PFKV2_SP_POLICY_DIR,
	    PFKV2_DIR_OUTBOUND), "out");
	assert_int_equal(pfkv2_id_from_name(PFKV2_SP_KMP, "IKEv2"),
	    PFKV2_KMP_IKEV2);
	assert_int_equal(pfkv2_id_from_name(PFKV2_SP_EALG, "3DES-CBC"),
	    PFKV2_EALG_3DESCBC);
	assert_null(pfkv2_id_name(PFKV2_SP_COUNT, 0));
	errno = 0;
	assert_int_equal(pfkv2_id_from_name(PFKV2_SP_COUNT, "esp"), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(pfkv2_id_from_name(PFKV2_SP_SATYPE, NULL), -1);
	assert_int_equal(errno, EINVAL);
}

/* ------------------------------------------------------------------ */
/* Message rules. */

static void
test_rules_consistent(void **state)
{
	const struct dl_dialect *dl;
	const struct dl_msgrule *r;
	unsigned m, n;
	size_t d;

	(void)state;
	for (d = 0; d < NELEM(all_dialects); d++) {
		dl = pfkv2_dl_get(all_dialects[d]);
		for (n = 0, m = 0; m < PFKV2_MSG_COUNT; m++) {
			r = &dl->rules[m];
			if (dl_c2w(dl, PFKV2_SP_MSG, m) < 0) {
				/* A message the dialect lacks has no rule. */
				assert_int_equal(r->allow_in | r->req_in |
				    r->allow_out | r->req_out, 0);
				assert_int_equal(r->flags, 0);
				continue;
			}
			n++;
			assert_int_equal(r->req_in & ~r->allow_in, 0);
			assert_int_equal(r->req_out & ~r->allow_out, 0);
			assert_int_equal((r->allow_in | r->allow_out) &
			    ~dl->ext_mask, 0);
			if (r->flags & (DL_MR_NO_IN | DL_MR_BASE_ONLY))
				assert_int_equal(r->allow_in, 0);
			if (r->flags & DL_MR_NO_OUT)
				assert_int_equal(r->allow_out, 0);
			assert_int_equal(r->flags & ~(DL_MR_NO_IN |
			    DL_MR_NO_OUT | DL_MR_SATYPE | DL_MR_BASE_ONLY), 0);
		}
		assert_int_equal(n, dl->map[PFKV2_SP_MSG].nrows);
		/* Every dialect has the RFC core with extensions both ways. */
		r = &dl->rules[PFKV2_MSG_ADD];
		assert_true(r->req_in & PFKV2_EXTBIT(PFKV2_EXT_SA));
		assert_true(r->req_out & PFKV2_EXTBIT(PFKV2_EXT_SA));
		assert_true(dl->rules[PFKV2_MSG_EXPIRE].flags & DL_MR_NO_IN);
		assert_true(dl->rules[PFKV2_MSG_RESERVED].flags &
		    DL_MR_NO_IN);
	}
}

/* Little-endian reads: the captures come from x86-64. */
static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/*
 * The canonical extension mask of one Linux message, or -1 when the
 * message is malformed or carries an extension Linux does not know.
 */
static int
linux_ext_mask(const unsigned char *b, size_t len, unsigned *type,
    unsigned *err, uint64_t *mask)
{
	size_t off, elen;
	int c;

	if (len < 16 || le16(b + 4) * 8u != len)
		return -1;
	*type = b[1];
	*err = b[2];
	*mask = 0;
	for (off = 16; off + 4 <= len; off += elen) {
		elen = le16(b + off) * 8u;
		if (elen < 8 || off + elen > len)
			return -1;
		c = pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX, PFKV2_SP_EXT,
		    le16(b + off + 2));
		if (c < 0 || PFKV2_IS_WIRE((unsigned)c))
			return -1;
		if (*mask & PFKV2_EXTBIT(c))
			return -1;
		*mask |= PFKV2_EXTBIT(c);
	}
	return off == len ? 0 : -1;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read a file, decoding hex when asked; -1 when it cannot be read. */
static long
read_msg(const char *path, bool hex, unsigned char *buf, size_t size)
{
	size_t n = 0;
	FILE *f;
	int c, hi = -1, v;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((c = fgetc(f)) != EOF && n < size) {
		if (!hex) {
			buf[n++] = (unsigned char)c;
			continue;
		}
		if ((v = hexval(c)) < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			buf[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	fclose(f);
	return (long)n;
}

/* Where the captures live: the test data of the tree, or shared/. */
enum msg_dir { DIR_VECTORS, DIR_CORPUS };

static const struct {
	const char *file;
	enum msg_dir dir;
	bool hex;
	bool out;		/* kernel -> user */
} linux_msgs[] = {
	{ "sadb_register_request.hex", DIR_VECTORS, true, false },
	{ "sadb_register_reply.hex", DIR_VECTORS, true, true },
	{ "sadb_add_sha1_request.hex", DIR_VECTORS, true, false },
	{ "sadb_add_sha1_reply.hex", DIR_VECTORS, true, true },
	{ "sadb_add_sha256_request.hex", DIR_VECTORS, true, false },
	{ "sadb_add_sha256_reply.hex", DIR_VECTORS, true, true },
	{ "sadb_add_eexist_reply.hex", DIR_VECTORS, true, true },
	{ "sadb_dump_reply_1.hex", DIR_VECTORS, true, true },
	{ "sadb_dump_reply_2.hex", DIR_VECTORS, true, true },
	{ "sadb_x_spdadd_request.hex", DIR_VECTORS, true, false },
	{ "sadb_x_spdadd_reply.hex", DIR_VECTORS, true, true },
	{ "sadb_x_spddump_reply_1.hex", DIR_VECTORS, true, true },
	{ "add_esp_v4.bin", DIR_CORPUS, false, false },
	{ "add_esp_v6.bin", DIR_CORPUS, false, false },
	{ "getspi_v4.bin", DIR_CORPUS, false, false },
	{ "register_reply.bin", DIR_CORPUS, false, true },
	{ "acquire_v4.bin", DIR_CORPUS, false, true },
	{ "spdadd_v4.bin", DIR_CORPUS, false, false },
	{ "dump_reply_v4.bin", DIR_CORPUS, false, true },
};

/*
 * $PFKV2_DATA/{linux-vectors,corpus} (the build's test data), else
 * $PFKV2_SHARED/{reference/linux-vectors,bench-corpus} with "../shared"
 * as the default.
 */
static void
msg_path(char *path, size_t size, size_t i)
{
	const char *data = getenv("PFKV2_DATA");
	const char *shared = getenv("PFKV2_SHARED");
	bool vec = linux_msgs[i].dir == DIR_VECTORS;

	if (data != NULL)
		snprintf(path, size, "%s/%s/%s", data,
		    vec ? "linux-vectors" : "corpus", linux_msgs[i].file);
	else
		snprintf(path, size, "%s/%s/%s",
		    shared != NULL ? shared : "../shared",
		    vec ? "reference/linux-vectors" : "bench-corpus",
		    linux_msgs[i].file);
}

static void
test_rules_linux_captures(void **state)
{
	const struct dl_dialect *dl = pfkv2_dl_get(PFKV2_DIALECT_LINUX);
	const struct dl_msgrule *r;
	unsigned char buf[8192];
	char path[1024];
	unsigned type, err, found = 0;
	uint64_t mask, allow, req;
	size_t i;
	long len;
	int c, bad = 0;

	(void)state;
	for (i = 0; i < NELEM(linux_msgs); i++) {
		msg_path(path, sizeof(path), i);
		if ((len = read_msg(path, linux_msgs[i].hex, buf,
		    sizeof(buf))) < 0)
			continue;
		found++;
		if (linux_ext_mask(buf, (size_t)len, &type, &err,
		    &mask) != 0) {
			print_error("%s: not a Linux message\n", path);
			bad++;
			continue;
		}
		if (err != 0)
			continue;	/* error replies: base only */
		c = pfkv2_dialect_from_wire(PFKV2_DIALECT_LINUX, PFKV2_SP_MSG,
		    type);
		if (c < 0 || PFKV2_IS_WIRE((unsigned)c)) {
			print_error("%s: unknown message %u\n", path, type);
			bad++;
			continue;
		}
		r = &dl->rules[c];
		if (linux_msgs[i].out) {
			allow = r->allow_out;
			req = r->req_out;
			if (r->flags & DL_MR_NO_OUT)
				allow = req = UINT64_MAX;
		} else {
			allow = r->allow_in;
			req = r->req_in;
			if (r->flags & DL_MR_NO_IN)
				allow = req = UINT64_MAX;
		}
		if ((mask & ~allow) != 0 || (req & ~mask) != 0) {
			print_error("%s (%s): extensions 0x%llx, allowed "
			    "0x%llx, required 0x%llx\n", path,
			    pfkv2_id_name(PFKV2_SP_MSG, (unsigned)c),
			    (unsigned long long)mask,
			    (unsigned long long)allow,
			    (unsigned long long)req);
			bad++;
		}
	}
	if (found == 0)
		skip();
	assert_int_equal(found, NELEM(linux_msgs));
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const char *path = getenv("PFKV2_TSV");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tsv_rows_map),
		cmocka_unit_test(test_table_rows_in_tsv),
		cmocka_unit_test(test_table_integrity),
		cmocka_unit_test(test_roundtrip_canonical),
		cmocka_unit_test(test_roundtrip_wire),
		cmocka_unit_test(test_wire_passthrough),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_dialect_facts),
		cmocka_unit_test(test_sockaddr_heads),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_rules_consistent),
		cmocka_unit_test(test_rules_linux_captures),
	};

	if (path == NULL)
		path = "../shared/reference/pfkey-constants.tsv";
	if (tsv_load(path) != 0) {
		fprintf(stderr, "test_dialect: cannot read %s, skipping\n",
		    path);
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
