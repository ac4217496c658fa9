/*
 * The parse cache: pfkv2_parse_cached() must answer exactly what
 * pfkv2_parse() answers (return value, errno, view, diagnostic) for every
 * input, whatever the cache learned before; and it must recognise a shape
 * it learned when only the fields daemons vary have changed.
 *
 * The messages come from the parse fuzzer's seed corpus (every dialect,
 * many flag sets) and the benchmark corpus.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pfkv2/pfkv2.h>

#include "../fuzz/fuzz.h"
#include "testutil.h"

#define MAXSEEDS	512
#define MAXLEN		4096

struct seed {
	uint8_t sel;
	uint8_t msg[MAXLEN];
	size_t len;
};

static struct seed *seeds;
static size_t nseeds;

/* Every direction, with and without each of the other flags. */
static const unsigned flag_sets[] = {
	0, PFKV2_V_MESSAGE, PFKV2_V_STRICT, PFKV2_V_MESSAGE | PFKV2_V_DIALECT,
	PFKV2_V_ALL, PFKV2_V_ALL | PFKV2_V_REQUEST, PFKV2_V_ALL | PFKV2_V_REPLY,
	PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_REQUEST,
	PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_REPLY,
	PFKV2_V_MESSAGE | PFKV2_V_REQUEST, PFKV2_V_STRICT | PFKV2_V_REPLY,
};
#define NFLAGS	(sizeof(flag_sets) / sizeof(flag_sets[0]))

static int
load_seeds(void **state)
{
	const char *top = getenv("top_srcdir");
	char dir[4096], path[8192];
	struct dirent *de;
	DIR *dp;
	FILE *f;
	size_t n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/fuzz/corpus/parse",
	    top != NULL ? top : ".");
	if ((dp = opendir(dir)) == NULL) {
		perror(dir);
		return -1;
	}
	seeds = calloc(MAXSEEDS, sizeof(*seeds));
	if (seeds == NULL)
		return -1;
	while ((de = readdir(dp)) != NULL && nseeds < MAXSEEDS) {
		uint8_t tmp[MAXLEN + 1];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		n = fread(tmp, 1, sizeof(tmp), f);
		fclose(f);
		if (n < 1 || n > MAXLEN)
			continue;
		seeds[nseeds].sel = tmp[0];
		memcpy(seeds[nseeds].msg, tmp + 1, n - 1);
		seeds[nseeds].len = n - 1;
		nseeds++;
	}
	closedir(dp);
	return nseeds > 0 ? 0 : -1;
}

static int
free_seeds(void **state)
{
	(void)state;
	free(seeds);
	return 0;
}

static uint64_t
hits_of(const struct pfkv2_parse_cache *c)
{
	uint64_t h, m;

	assert_int_equal(pfkv2_parse_cache_stats(c, &h, &m), 0);
	return h;
}

/*
 * Parse msg both ways and require the same answer: return value, errno,
 * diagnostic, and the view (every field a caller or getter reads).
 * Returns pfkv2_parse()'s answer.
 */
static int
same_answer(struct pfkv2_parse_cache *c, const uint8_t *msg, size_t len,
    enum pfkv2_dialect d, unsigned flags)
{
	struct pfkv2_view v1, v2;
	struct pfkv2_diag d1, d2;
	int r1, r2, e1, e2;
	unsigned x;

	memset(&v1, 0x5a, sizeof(v1));
	memset(&v2, 0x5a, sizeof(v2));
	memset(&d1, 0x5a, sizeof(d1));
	memset(&d2, 0x5a, sizeof(d2));
	errno = 0;
	r1 = pfkv2_parse(msg, len, d, flags, &v1, &d1);
	e1 = errno;
	errno = 0;
	r2 = pfkv2_parse_cached(c, msg, len, flags, &v2, &d2);
	e2 = errno;
	if (r1 != r2 || (r1 != 0 && e1 != e2) ||
	    memcmp(&d1, &d2, sizeof(d1)) != 0) {
		print_error("dialect %d flags %#x len %zu: parse %d (%d, code "
		    "%d at %u), cached %d (%d, code %d at %u)\n", (int)d, flags,
		    len, r1, e1, d1.code, d1.offset, r2, e2, d2.code,
		    d2.offset);
		fail();
	}
	if (r1 != 0)
		return r1;
	assert_ptr_equal(v1.msg_, v2.msg_);
	assert_int_equal(v1.len_, v2.len_);
	assert_int_equal(v1.type, v2.type);
	assert_int_equal(v1.satype, v2.satype);
	assert_int_equal(v1.present, v2.present);
	assert_ptr_equal(v1.dl_, v2.dl_);
	assert_int_equal(v1.nunknown, v2.nunknown);
	assert_int_equal(v1.dialect, v2.dialect);
	assert_int_equal(v1.unknown_off, v2.unknown_off);
	assert_memory_equal(v1.reserved_, v2.reserved_, sizeof(v1.reserved_));
	for (x = 0; x < PFKV2_EXT_COUNT; x++)
		if (v1.present & PFKV2_EXTBIT(x))
			assert_ptr_equal(v1.ext_[x], v2.ext_[x]);
	return 0;
}

/*
 * Every seed in every dialect under every flag set: the same answer on
 * the first call (a miss) and the second (a hit when it was accepted).
 */
static void
test_seeds_every_dialect_and_flags(void **state)
{
	struct pfkv2_parse_cache *c = malloc(sizeof(*c));
	uint64_t h;
	size_t i, f;
	unsigned d;
	int accepted = 0, hits = 0;

	(void)state;
	assert_non_null(c);
	for (d = 0; d < PFKV2_DIALECT_COUNT; d++) {
		assert_int_equal(pfkv2_parse_cache_init(c,
		    (enum pfkv2_dialect)d), 0);
		for (i = 0; i < nseeds; i++)
			for (f = 0; f < NFLAGS; f++) {
				const struct seed *s = &seeds[i];

				if (same_answer(c, s->msg, s->len,
				    (enum pfkv2_dialect)d, flag_sets[f]) != 0)
					continue;
				accepted++;
				h = hits_of(c);
				(void)same_answer(c, s->msg, s->len,
				    (enum pfkv2_dialect)d, flag_sets[f]);
				/* Just learned: the second call is a hit. */
				if (s->len <= 1024 && hits_of(c) == h + 1)
					hits++;
				else if (s->len <= 1024 && s->len >= 16)
					print_message("no hit: seed %zu\n", i);
			}
	}
	/* Not a vacuous test: most seeds parse under some flags. */
	assert_true(accepted > 1000);
	assert_true(hits > accepted * 9 / 10);
	free(c);
}

/*
 * Each accepted seed under its own selector, learned, then each of its
 * bytes changed in three ways: the same answer as the full parse each
 * time, whether the byte is compared or free.
 */
static void
test_every_byte_changed(void **state)
{
	static const uint8_t flips[] = { 0x01, 0x80, 0xff };
	struct pfkv2_parse_cache *c = malloc(sizeof(*c));
	uint8_t m[MAXLEN];
	size_t i, j, k;
	long changed = 0;
	uint64_t h0;

	(void)state;
	assert_non_null(c);
	for (i = 0; i < nseeds; i++) {
		const struct seed *s = &seeds[i];
		enum pfkv2_dialect d = fuzz_dialect(s->sel);
		unsigned flags = fuzz_flags(s->sel);

		assert_int_equal(pfkv2_parse_cache_init(c, d), 0);
		if (same_answer(c, s->msg, s->len, d, flags) != 0)
			continue;
		h0 = hits_of(c);
		for (j = 0; j < s->len; j++)
			for (k = 0; k < sizeof(flips); k++) {
				memcpy(m, s->msg, s->len);
				m[j] ^= flips[k];
				(void)same_answer(c, m, s->len, d, flags);
				/* The original again: still known. */
				(void)same_answer(c, s->msg, s->len, d, flags);
				changed++;
			}
		/* Every second call was the learned message itself. */
		if (s->len >= 16 && s->len <= 1024)
			assert_true(hits_of(c) - h0 >= (uint64_t)s->len * 3);
	}
	assert_true(changed > 10000);
	free(c);
}

/* Random changes of up to eight bytes over learned seeds. */
static void
test_random_changes(void **state)
{
	struct pfkv2_parse_cache *c = malloc(4 * sizeof(*c));
	uint8_t m[MAXLEN];
	uint32_t x = 12345;
	size_t i, n, r;
	unsigned d;

	(void)state;
	assert_non_null(c);
	for (d = 0; d < 4; d++)
		assert_int_equal(pfkv2_parse_cache_init(&c[d],
		    (enum pfkv2_dialect)d), 0);
	for (r = 0; r < 20000; r++) {
		const struct seed *s;
		unsigned flags;

		x = x * 1103515245u + 12345u;
		s = &seeds[(x >> 8) % nseeds];
		d = fuzz_dialect(s->sel);
		flags = fuzz_flags(s->sel);
		if (s->len == 0)
			continue;
		(void)same_answer(&c[d], s->msg, s->len,
		    (enum pfkv2_dialect)d, flags);
		memcpy(m, s->msg, s->len);
		x = x * 1103515245u + 12345u;
		for (n = (x >> 16) % 8 + 1, i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			m[(x >> 8) % s->len] = (uint8_t)(x >> 24);
		}
		(void)same_answer(&c[d], m, s->len, (enum pfkv2_dialect)d,
		    flags);
	}
	free(c);
}

/* The 16-bit word at p (any alignment). */
static unsigned
ld16u(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* Put v at p (any alignment). */
static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/*
 * The benchmark corpus with what daemons vary changed (seq, pid, SPI,
 * reqid, addresses, ports, keys, lifetimes, policy ids): all hits after
 * the first of each shape, and the views point into the new buffers.
 */
static void
test_free_fields_hit(void **state)
{
	static const char *const names[] = { "add_esp_v4", "add_esp_v6",
	    "getspi_v4", "register_reply", "acquire_v4", "spdadd_v4",
	    "dump_reply_v4" };
	static const unsigned dir[] = { PFKV2_V_REQUEST, PFKV2_V_REQUEST,
	    PFKV2_V_REQUEST, PFKV2_V_REPLY, PFKV2_V_REPLY, PFKV2_V_REQUEST,
	    PFKV2_V_REPLY };
	struct pfkv2_parse_cache *c = malloc(sizeof(*c));
	uint8_t m[1024], *e;
	struct pfkv2_view v;
	char rel[64];
	uint64_t h, miss;
	size_t i, len, n, x;
	uint32_t j;
	int r;

	(void)state;
	assert_non_null(c);
	assert_int_equal(pfkv2_parse_cache_init(c, PFKV2_DIALECT_LINUX), 0);
	for (i = 0; i < 7; i++) {
		snprintf(rel, sizeof(rel), "corpus/%s.bin", names[i]);
		len = tu_load(rel, m, sizeof(m));
		assert_int_equal(same_answer(c, m, len, PFKV2_DIALECT_LINUX,
		    PFKV2_V_ALL | dir[i]), 0);
		for (j = 1; j <= 16; j++) {
			assert_int_equal(pfkv2_parse(m, len,
			    PFKV2_DIALECT_LINUX, 0, &v, NULL), 0);
			put32(m + 8, j * 7919u);
			put32(m + 12, j * 104729u);
			if ((e = (uint8_t *)pfkv2_view_ext(&v, PFKV2_EXT_SA,
			    &n)) != NULL)
				put32(e + 4, j * 0x01020304u);
			if ((e = (uint8_t *)pfkv2_view_ext(&v, PFKV2_EXT_SA2,
			    &n)) != NULL)
				put32(e + 12, j);
			for (x = PFKV2_EXT_ADDRESS_SRC;
			    x <= PFKV2_EXT_ADDRESS_DST; x++)
				if ((e = (uint8_t *)pfkv2_view_ext(&v,
				    (unsigned)x, &n)) != NULL) {
					e[10] = (uint8_t)j;	/* port */
					e[n == 24 ? 12 : 16] = (uint8_t)j;
					e[n == 24 ? 15 : 31] ^= 0x5a;
				}
			for (x = PFKV2_EXT_KEY_AUTH; x <= PFKV2_EXT_KEY_ENCRYPT;
			    x++)
				if ((e = (uint8_t *)pfkv2_view_ext(&v,
				    (unsigned)x, &n)) != NULL)
					memset(e + 8, (int)j,
					    (ld16u(e + 4) + 7u) / 8u);
			for (x = PFKV2_EXT_LIFETIME_CURRENT;
			    x <= PFKV2_EXT_LIFETIME_SOFT; x++)
				if ((e = (uint8_t *)pfkv2_view_ext(&v,
				    (unsigned)x, &n)) != NULL)
					memset(e + 4, (int)(j * 3), 28);
			if ((e = (uint8_t *)pfkv2_view_ext(&v,
			    PFKV2_EXT_POLICY, &n)) != NULL) {
				put32(e + 8, j);	/* policy id */
				if (n >= 32)		/* first reqid */
					put32(e + 16 + 8, j);
			}
			if ((e = (uint8_t *)pfkv2_view_ext(&v,
			    PFKV2_EXT_PROPOSAL, &n)) != NULL)
				for (x = 8; x + 72 <= n; x += 72)
					memset(e + x + 16, (int)j, 56);
			h = hits_of(c);
			r = same_answer(c, m, len, PFKV2_DIALECT_LINUX,
			    PFKV2_V_ALL | dir[i]);
			if (r != 0) {
				struct pfkv2_diag dg;
				char line[256];

				(void)pfkv2_parse(m, len, PFKV2_DIALECT_LINUX,
				    PFKV2_V_ALL | dir[i], &v, &dg);
				(void)pfkv2_diag_format(&dg, line,
				    sizeof(line));
				print_error("%s variant %u refused: %s\n",
				    names[i], (unsigned)j, line);
			}
			assert_int_equal(r, 0);
			if (hits_of(c) != h + 1)
				print_error("%s variant %u: not a hit\n",
				    names[i], (unsigned)j);
			assert_int_equal(hits_of(c), h + 1);
		}
	}
	assert_int_equal(pfkv2_parse_cache_stats(c, &h, &miss), 0);
	assert_int_equal(h, 7 * 16);
	assert_int_equal(miss, 7);
	free(c);
}

/*
 * A compared field changed is a miss, even when the message stays valid:
 * an algorithm, a prefix length, a key's length, the flags asked for.
 */
static void
test_compared_fields_miss(void **state)
{
	struct pfkv2_parse_cache *c = malloc(sizeof(*c));
	uint8_t m[1024];
	struct pfkv2_view v;
	const uint8_t *e;
	size_t len, n;
	uint64_t h;

	(void)state;
	assert_non_null(c);
	assert_int_equal(pfkv2_parse_cache_init(c, PFKV2_DIALECT_LINUX), 0);
	len = tu_load("corpus/add_esp_v4.bin", m, sizeof(m));
	assert_int_equal(same_answer(c, m, len, PFKV2_DIALECT_LINUX,
	    PFKV2_V_ALL | PFKV2_V_REQUEST), 0);
	assert_int_equal(pfkv2_parse(m, len, PFKV2_DIALECT_LINUX, 0, &v, NULL),
	    0);
	/* The source's prefix length: still valid, another shape. */
	e = pfkv2_view_ext(&v, PFKV2_EXT_ADDRESS_SRC, &n);
	assert_non_null(e);
	m[e - m + 5] = 24;
	h = hits_of(c);
	assert_int_equal(same_answer(c, m, len, PFKV2_DIALECT_LINUX,
	    PFKV2_V_ALL | PFKV2_V_REQUEST), 0);
	assert_int_equal(hits_of(c), h);
	/* Learned now: a hit. */
	assert_int_equal(same_answer(c, m, len, PFKV2_DIALECT_LINUX,
	    PFKV2_V_ALL | PFKV2_V_REQUEST), 0);
	assert_int_equal(hits_of(c), h + 1);
	/* Other flags: another shape. */
	assert_int_equal(same_answer(c, m, len, PFKV2_DIALECT_LINUX,
	    PFKV2_V_MESSAGE | PFKV2_V_REQUEST), 0);
	assert_int_equal(hits_of(c), h + 1);
	/* A prefix past 32 is refused with the full parse's diagnostic. */
	m[e - m + 5] = 33;
	assert_int_equal(same_answer(c, m, len, PFKV2_DIALECT_LINUX,
	    PFKV2_V_ALL | PFKV2_V_REQUEST), -1);
	assert_int_equal(hits_of(c), h + 1);
	free(c);
}

/*
 * illumos rules read keys (all-zero keys are refused) and lifetimes (soft
 * above hard is refused): there only seq and pid are free.
 */
static void
test_illumos_keys_compared(void **state)
{
	static const uint8_t akey[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	    12, 13, 14, 15, 16, 17, 18, 19, 20 };
	static const uint8_t ekey[16] = { 0x41, 0x42, 0x43, 0x44, 0x45, 0x46,
	    0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50 };
	const unsigned flags = PFKV2_V_ALL | PFKV2_V_REQUEST;
	struct pfkv2_parse_cache *c = malloc(sizeof(*c));
	struct pfkv2_sa sa = { .spi = 0x1001, .replay = 32,
	    .state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC,
	    .encrypt = PFKV2_EALG_AESCBC };
	struct pfkv2_address a = { .addr = { .family = PFKV2_AF_INET,
	    .addr = { 192, 0, 2, 1 } }, .prefixlen = 32 };
	struct pfkv2_address b = { .addr = { .family = PFKV2_AF_INET,
	    .addr = { 192, 0, 2, 2 } }, .prefixlen = 32 };
	struct pfkv2_key ka = { akey, 160, 0 }, ke = { ekey, 128, 0 };
	struct pfkv2_builder bld;
	struct pfkv2_view v;
	uint8_t m[256], *e;
	uint64_t h;
	long len;
	size_t n;

	(void)state;
	assert_non_null(c);
	assert_int_equal(pfkv2_builder_init(&bld, m, sizeof(m),
	    PFKV2_DIALECT_ILLUMOS), 0);
	assert_int_equal(pfkv2_put_msg(&bld, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP,
	    7, 100), 0);
	assert_int_equal(pfkv2_put_sa(&bld, &sa), 0);
	assert_int_equal(pfkv2_put_address(&bld, PFKV2_EXT_ADDRESS_SRC, &a),
	    0);
	assert_int_equal(pfkv2_put_address(&bld, PFKV2_EXT_ADDRESS_DST, &b),
	    0);
	assert_int_equal(pfkv2_put_key(&bld, PFKV2_EXT_KEY_AUTH, &ka), 0);
	assert_int_equal(pfkv2_put_key(&bld, PFKV2_EXT_KEY_ENCRYPT, &ke), 0);
	len = pfkv2_builder_finish(&bld);
	assert_true(len > 0);
	assert_int_equal(pfkv2_parse_cache_init(c, PFKV2_DIALECT_ILLUMOS), 0);
	assert_int_equal(same_answer(c, m, (size_t)len, PFKV2_DIALECT_ILLUMOS,
	    flags), 0);
	/* seq changed: a hit. */
	h = hits_of(c);
	m[9] ^= 0x22;
	assert_int_equal(same_answer(c, m, (size_t)len, PFKV2_DIALECT_ILLUMOS,
	    flags), 0);
	assert_int_equal(hits_of(c), h + 1);
	/* A key byte changed: compared on illumos, a miss. */
	assert_int_equal(pfkv2_parse(m, (size_t)len, PFKV2_DIALECT_ILLUMOS, 0,
	    &v, NULL), 0);
	e = (uint8_t *)pfkv2_view_ext(&v, PFKV2_EXT_KEY_ENCRYPT, &n);
	assert_non_null(e);
	e[8] ^= 0x11;
	assert_int_equal(same_answer(c, m, (size_t)len, PFKV2_DIALECT_ILLUMOS,
	    flags), 0);
	assert_int_equal(hits_of(c), h + 1);
	/* An all-zero key: refused as the full parse refuses it. */
	memset(e + 8, 0, 16);
	assert_int_equal(same_answer(c, m, (size_t)len, PFKV2_DIALECT_ILLUMOS,
	    flags), -1);
	assert_int_equal(hits_of(c), h + 1);
	free(c);
}

/*
 * A message with more compared bytes than a slot holds (a REGISTER reply
 * listing many algorithms): answered right, never remembered.
 */
static void
test_too_dense_to_remember(void **state)
{
	struct pfkv2_parse_cache *c = malloc(sizeof(*c));
	struct pfkv2_alg algs[40];
	struct pfkv2_builder b;
	uint8_t m[1024];
	uint64_t h, miss;
	long len;
	size_t i;

	(void)state;
	assert_non_null(c);
	memset(algs, 0, sizeof(algs));
	for (i = 0; i < 40; i++) {
		algs[i].id = PFKV2_AALG_SHA1HMAC;
		algs[i].minbits = 160;
		algs[i].maxbits = 160;
	}
	assert_int_equal(pfkv2_builder_init(&b, m, sizeof(m),
	    PFKV2_DIALECT_LINUX), 0);
	assert_int_equal(pfkv2_put_msg(&b, PFKV2_MSG_REGISTER,
	    PFKV2_SATYPE_ESP, 1, 0), 0);
	assert_int_equal(pfkv2_put_supported(&b, PFKV2_EXT_SUPPORTED_AUTH,
	    algs, 40), 0);
	assert_int_equal(pfkv2_put_supported(&b, PFKV2_EXT_SUPPORTED_ENCRYPT,
	    algs, 40), 0);
	len = pfkv2_builder_finish(&b);
	assert_true(len > 512 && len <= 1024);
	assert_int_equal(pfkv2_parse_cache_init(c, PFKV2_DIALECT_LINUX), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(same_answer(c, m, (size_t)len,
		    PFKV2_DIALECT_LINUX, PFKV2_V_MESSAGE | PFKV2_V_REPLY), 0);
	assert_int_equal(pfkv2_parse_cache_stats(c, &h, &miss), 0);
	assert_int_equal(h, 0);
	assert_int_equal(miss, 3);
	free(c);
}

/* More shapes than the cache holds: still the full parse's answers. */
static void
test_many_shapes(void **state)
{
	struct pfkv2_parse_cache *c = malloc(sizeof(*c));
	size_t i, r;

	(void)state;
	assert_non_null(c);
	assert_int_equal(pfkv2_parse_cache_init(c, PFKV2_DIALECT_LINUX), 0);
	for (r = 0; r < 3; r++)
		for (i = 0; i < nseeds; i++)
			(void)same_answer(c, seeds[i].msg, seeds[i].len,
			    PFKV2_DIALECT_LINUX, fuzz_flags(seeds[i].sel));
	free(c);
}

/* call returns -1 with errno EINVAL. */
#define FAILS_EINVAL(call)						\
	do {								\
		errno = 0;						\
		assert_int_equal((call), -1);				\
		assert_int_equal(errno, EINVAL);			\
	} while (0)

static void
test_misuse(void **state)
{
	struct pfkv2_parse_cache *c = calloc(1, sizeof(*c));
	uint8_t m[1024];
	struct pfkv2_view v;
	uint64_t h, miss;
	size_t len;

	(void)state;
	assert_non_null(c);
	len = tu_load("corpus/getspi_v4.bin", m, sizeof(m));
	/* Zeroed storage is not a cache yet. */
	FAILS_EINVAL(pfkv2_parse_cached(c, m, len, 0, &v, NULL));
	FAILS_EINVAL(pfkv2_parse_cache_stats(c, &h, &miss));
	FAILS_EINVAL(pfkv2_parse_cache_init(c, PFKV2_DIALECT_COUNT));
	FAILS_EINVAL(pfkv2_parse_cache_init(NULL, PFKV2_DIALECT_LINUX));
	assert_int_equal(pfkv2_parse_cache_init(c, PFKV2_DIALECT_LINUX), 0);
	FAILS_EINVAL(pfkv2_parse_cached(NULL, m, len, 0, &v, NULL));
	FAILS_EINVAL(pfkv2_parse_cached(c, m, len, 0, NULL, NULL));
	FAILS_EINVAL(pfkv2_parse_cached(c, NULL, len, 0, &v, NULL));
	FAILS_EINVAL(pfkv2_parse_cache_stats(NULL, &h, &miss));
	/* Empty and short buffers: the full parse's refusal. */
	(void)same_answer(c, m, 0, PFKV2_DIALECT_LINUX, PFKV2_V_ALL);
	(void)same_answer(c, NULL, 0, PFKV2_DIALECT_LINUX, PFKV2_V_ALL);
	(void)same_answer(c, m, 8, PFKV2_DIALECT_LINUX, PFKV2_V_ALL);
	(void)same_answer(c, m, len - 8, PFKV2_DIALECT_LINUX, PFKV2_V_ALL);
	/* NULL counters are skipped. */
	assert_int_equal(pfkv2_parse_cache_stats(c, NULL, NULL), 0);
	assert_int_equal(pfkv2_parse_cache_stats(c, &h, &miss), 0);
	assert_int_equal(h, 0);
	assert_int_equal(miss, 4);
	free(c);
}

/* The cache needs no alignment beyond the structure's own. */
static void
test_unaligned_storage(void **state)
{
	unsigned char *raw = malloc(sizeof(struct pfkv2_parse_cache) + 8);
	struct pfkv2_parse_cache *c;
	uint8_t m[1024 + 1];
	size_t len;
	uint64_t h;

	(void)state;
	assert_non_null(raw);
	/* 8-aligned but not 16-aligned, and a message at an odd address. */
	c = (struct pfkv2_parse_cache *)(void *)(raw +
	    ((uintptr_t)raw % 16 == 0 ? 8 : 0));
	assert_int_equal(pfkv2_parse_cache_init(c, PFKV2_DIALECT_LINUX), 0);
	len = tu_load("corpus/acquire_v4.bin", m + 1, sizeof(m) - 1);
	assert_int_equal(same_answer(c, m + 1, len, PFKV2_DIALECT_LINUX,
	    PFKV2_V_ALL | PFKV2_V_REPLY), 0);
	assert_int_equal(same_answer(c, m + 1, len, PFKV2_DIALECT_LINUX,
	    PFKV2_V_ALL | PFKV2_V_REPLY), 0);
	assert_int_equal(pfkv2_parse_cache_stats(c, &h, NULL), 0);
	assert_int_equal(h, 1);
	free(raw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeds_every_dialect_and_flags),
		cmocka_unit_test(test_every_byte_changed),
		cmocka_unit_test(test_random_changes),
		cmocka_unit_test(test_free_fields_hit),
		cmocka_unit_test(test_compared_fields_miss),
		cmocka_unit_test(test_illumos_keys_compared),
		cmocka_unit_test(test_too_dense_to_remember),
		cmocka_unit_test(test_many_shapes),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_unaligned_storage),
	};

	return cmocka_run_group_tests(tests, load_seeds, free_seeds);
}
