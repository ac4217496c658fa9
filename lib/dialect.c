/*
 * libpfkv2 - the public face of the dialect tables (one file per kernel
 * in lib/dialect): canonical id <-> wire value, kernel macro names, SA
 * flag words and the per-dialect facts.
 *
 * Everything here only reads const tables: no allocation, no global
 * mutable state, safe from any thread.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "pfkv2/dialect.h"
#include "dialect/dl.h"

/* Defined next to each table (lib/dialect/<name>.c). */

/* In enum pfkv2_dialect order. */
const struct dl_dialect *const pfkv2_dl_tables[PFKV2_DIALECT_COUNT] = {
	&pfkv2_dl_rfc2367,
	&pfkv2_dl_linux,
	&pfkv2_dl_freebsd,
	&pfkv2_dl_illumos,
};

static const struct pfkv2_dialect_info *const dl_infos[PFKV2_DIALECT_COUNT] = {
	&pfkv2_dl_rfc2367_info,
	&pfkv2_dl_linux_info,
	&pfkv2_dl_freebsd_info,
	&pfkv2_dl_illumos_info,
};

/* Canonical ids are 15-bit tokens; PFKV2_WIRE() sets bit 15. */
#define ID_LIMIT	0x10000u

/* The table and the map of one space, or NULL with EINVAL. */
static const struct dl_map *
dl_space(enum pfkv2_dialect d, enum pfkv2_space s)
{
	const struct dl_dialect *dl;

	if ((dl = pfkv2_dl_get(d)) == NULL || (unsigned)s >= PFKV2_SP_COUNT) {
		errno = EINVAL;
		return NULL;
	}
	return &dl->map[s];
}

/* ASCII only, so the result never depends on the locale. */
static int
ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static bool
ascii_caseeq(const char *a, const char *b)
{
	while (*a != '\0' && ascii_lower((unsigned char)*a) ==
	    ascii_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

PFKV2_API int
pfkv2_dialect_from_name(const char *name)
{
	unsigned d;

	if (name != NULL) {
		for (d = 0; d < PFKV2_DIALECT_COUNT; d++)
			if (ascii_caseeq(name, pfkv2_dl_tables[d]->name))
				return (int)d;
	}
	errno = EINVAL;
	return -1;
}

PFKV2_API const char *
pfkv2_dialect_name(enum pfkv2_dialect d)
{
	const struct dl_dialect *dl = pfkv2_dl_get(d);

	return dl != NULL ? dl->name : NULL;
}

PFKV2_API const struct pfkv2_dialect_info *
pfkv2_dialect_info(enum pfkv2_dialect d)
{
	if ((unsigned)d >= PFKV2_DIALECT_COUNT) {
		errno = EINVAL;
		return NULL;
	}
	return dl_infos[d];
}

PFKV2_API int
pfkv2_dialect_to_wire(enum pfkv2_dialect d, enum pfkv2_space s, unsigned id)
{
	const struct dl_map *m;

	if ((m = dl_space(d, s)) == NULL)
		return -1;
	if (id >= ID_LIMIT) {
		errno = EINVAL;
		return -1;
	}
	if (PFKV2_IS_WIRE(id))
		return (int)PFKV2_WIRE_VALUE(id);
	if (id >= m->ncanon || m->c2w == NULL || m->c2w[id] == 0) {
		errno = ENOTSUP;
		return -1;
	}
	return m->c2w[id] - 1;
}

PFKV2_API int
pfkv2_dialect_from_wire(enum pfkv2_dialect d, enum pfkv2_space s,
    unsigned wire)
{
	const struct dl_map *m;

	if ((m = dl_space(d, s)) == NULL)
		return -1;
	/* PFKV2_WIRE() keeps 15 bits; a larger value would be lost. */
	if (wire > PFKV2_WIRE_VALUE(~0u)) {
		errno = EINVAL;
		return -1;
	}
	if (wire <= 255 && m->w2c != NULL && m->w2c[wire] != 0)
		return m->w2c[wire] - 1;
	return (int)PFKV2_WIRE(wire);
}

PFKV2_API const char *
pfkv2_dialect_wire_name(enum pfkv2_dialect d, enum pfkv2_space s,
    unsigned wire)
{
	const struct dl_dialect *dl = pfkv2_dl_get(d);
	const struct dl_map *m;
	unsigned i;

	if (dl == NULL || (unsigned)s >= PFKV2_SP_COUNT)
		return NULL;
	m = &dl->map[s];
	/* Main rows come before aliases, so the first hit is the main name. */
	for (i = 0; i < m->nrows; i++)
		if (m->rows[i].wire == wire)
			return m->rows[i].name;
	return NULL;
}

PFKV2_API int
pfkv2_dialect_lookup(enum pfkv2_dialect d, const char *name,
    enum pfkv2_space *s, unsigned *wire)
{
	const struct dl_dialect *dl = pfkv2_dl_get(d);
	const struct dl_map *m;
	unsigned sp, i;

	if (dl == NULL || name == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (sp = 0; sp < PFKV2_SP_COUNT; sp++) {
		m = &dl->map[sp];
		for (i = 0; i < m->nrows; i++) {
			if (strcmp(m->rows[i].name, name) != 0)
				continue;
			if (s != NULL)
				*s = (enum pfkv2_space)sp;
			if (wire != NULL)
				*wire = m->rows[i].wire;
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

PFKV2_API bool
pfkv2_dialect_has_ext(enum pfkv2_dialect d, unsigned ext)
{
	const struct dl_dialect *dl = pfkv2_dl_get(d);

	if (dl == NULL || ext >= PFKV2_EXT_COUNT)
		return false;
	return (dl->ext_mask & PFKV2_EXTBIT(ext)) != 0;
}

PFKV2_API int
pfkv2_dialect_flags_to_wire(enum pfkv2_dialect d, uint64_t flags,
    uint32_t *wire)
{
	const struct dl_dialect *dl = pfkv2_dl_get(d);
	uint32_t out = 0;
	unsigned f;
	int bit;

	if (dl == NULL || wire == NULL) {
		errno = EINVAL;
		return -1;
	}
	/* Lowest set bit first, as a loop over all 64 would meet them. */
	for (; flags != 0; flags &= flags - 1) {
		f = (unsigned)__builtin_ctzll(flags);
		/* Every canonical flag sits on one of the 32 wire bits. */
		if ((bit = dl_c2w(dl, PFKV2_SP_SAFLAG, f)) < 0 || bit > 31) {
			errno = ENOTSUP;
			return -1;
		}
		out |= UINT32_C(1) << bit;
	}
	*wire = out;
	return 0;
}

PFKV2_API uint64_t
pfkv2_dialect_flags_from_wire(enum pfkv2_dialect d, uint32_t wire,
    uint32_t *unknown)
{
	const struct dl_dialect *dl = pfkv2_dl_get(d);
	uint64_t out = 0;
	uint32_t rest = 0;
	unsigned b;
	int c;

	if (dl == NULL) {
		/* Nothing can be named: report every bit as unknown. */
		errno = EINVAL;
		if (unknown != NULL)
			*unknown = wire;
		return 0;
	}
	for (b = 0; b < 32; b++) {
		if ((wire & (UINT32_C(1) << b)) == 0)
			continue;
		if ((c = dl_w2c(dl, PFKV2_SP_SAFLAG, b)) < 0 || c > 63)
			rest |= UINT32_C(1) << b;
		else
			out |= UINT64_C(1) << c;
	}
	if (unknown != NULL)
		*unknown = rest;
	return out;
}
