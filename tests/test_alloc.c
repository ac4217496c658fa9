/*
 * The codec never allocates: malloc, calloc, realloc and free are replaced
 * by counting versions, and building, parsing, validating, printing and
 * formatting diagnostics over the corpus must leave every counter at zero.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <pfkv2/pfkv2.h>

#include "rebuild.h"
#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__)
#define NO_INTERPOSE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_INTERPOSE 1
#endif
#endif

/* volatile: the compiler assumes malloc touches no globals of ours. */
static volatile int counting;
static volatile unsigned long calls;

#ifndef NO_INTERPOSE
/* glibc's own entry points, so the replacements can forward. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

void *
malloc(size_t n)
{
	calls += counting;
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t m)
{
	calls += counting;
	return __libc_calloc(n, m);
}

void *
realloc(void *p, size_t n)
{
	calls += counting;
	return __libc_realloc(p, n);
}

void
free(void *p)
{
	calls += counting;
	__libc_free(p);
}
#endif

static const char *const corpus[] = {
	"corpus/add_esp_v4.bin", "corpus/add_esp_v6.bin",
	"corpus/getspi_v4.bin", "corpus/register_reply.bin",
	"corpus/acquire_v4.bin", "corpus/spdadd_v4.bin",
	"corpus/dump_reply_v4.bin",
};

static void
test_no_allocation(void **state)
{
	static uint8_t msgs[7][1024], out[1024];
	static char big[16384];
	size_t lens[7], i;
	struct pfkv2_view v;
	struct pfkv2_diag d;
	char text[256];
	int dialect;

	(void)state;
	for (i = 0; i < 7; i++)
		lens[i] = tu_load(corpus[i], msgs[i], sizeof(msgs[i]));

	/* Prove the counter works before trusting a zero. */
	counting = 1;
	{
		/* volatile: the compiler may not elide the pair. */
		void *volatile p = malloc(16);

		free(p);
	}
	counting = 0;
#ifndef NO_INTERPOSE
	assert_int_equal(calls, 2);
#endif
	calls = 0;

	counting = 1;
	for (i = 0; i < 7; i++) {
		assert_int_equal(pfkv2_parse(msgs[i], lens[i],
		    PFKV2_DIALECT_LINUX, PFKV2_V_MESSAGE | PFKV2_V_DIALECT, &v,
		    &d), 0);
		assert_true(tu_rebuild(&v, out, sizeof(out)) > 0);
		pfkv2_diag_format(&d, text, sizeof(text));
		/* Printing, text and JSON, keys shown or not. */
		assert_true(pfkv2_snprint(big, sizeof(big), &v, 0) > 0);
		assert_true(pfkv2_snprint(big, sizeof(big), &v,
		    PFKV2_PRINT_JSON | PFKV2_PRINT_KEYS) > 0);
		/* Every dialect's tables, and the failure paths. */
		for (dialect = 0; dialect < PFKV2_DIALECT_COUNT; dialect++)
			(void)pfkv2_parse(msgs[i], lens[i] - 8,
			    (enum pfkv2_dialect)dialect, PFKV2_V_ALL, &v, &d);
		pfkv2_diag_format(&d, text, sizeof(text));
	}
	/* The one-call builder: its fast path, measuring, the builder's. */
	{
		struct pfkv2_sa sa;
		struct pfkv2_sa2 sa2;
		struct pfkv2_address src, dst;
		struct pfkv2_key ke, ka;
		struct pfkv2_lifetime hard, soft;
		struct pfkv2_msg_parts m = { .type = PFKV2_MSG_ADD,
		    .satype = PFKV2_SATYPE_ESP, .sa = &sa, .sa2 = &sa2,
		    .src = &src, .dst = &dst, .key_encrypt = &ke,
		    .key_auth = &ka, .hard = &hard, .soft = &soft };

		assert_int_equal(pfkv2_parse(msgs[0], lens[0],
		    PFKV2_DIALECT_LINUX, PFKV2_V_ALL, &v, NULL), 0);
		assert_int_equal(pfkv2_get_sa(&v, &sa) |
		    pfkv2_get_sa2(&v, &sa2) |
		    pfkv2_get_address(&v, PFKV2_EXT_ADDRESS_SRC, &src) |
		    pfkv2_get_address(&v, PFKV2_EXT_ADDRESS_DST, &dst) |
		    pfkv2_get_key(&v, PFKV2_EXT_KEY_ENCRYPT, &ke) |
		    pfkv2_get_key(&v, PFKV2_EXT_KEY_AUTH, &ka) |
		    pfkv2_get_lifetime(&v, PFKV2_EXT_LIFETIME_HARD, &hard) |
		    pfkv2_get_lifetime(&v, PFKV2_EXT_LIFETIME_SOFT, &soft), 0);
		assert_int_equal(pfkv2_build_msg(out, sizeof(out),
		    PFKV2_DIALECT_LINUX, &m), (long)lens[0]);
		assert_int_equal(pfkv2_build_msg(NULL, 0, PFKV2_DIALECT_LINUX,
		    &m), (long)lens[0]);
		assert_int_equal(pfkv2_build_msg(out, 40, PFKV2_DIALECT_LINUX,
		    &m), -1);
		assert_int_equal(errno, EMSGSIZE);
	}
	/* The parse cache: a miss (learned), a hit, a refusal. */
	{
		static struct pfkv2_parse_cache c;

		assert_int_equal(pfkv2_parse_cache_init(&c,
		    PFKV2_DIALECT_LINUX), 0);
		for (i = 0; i < 7; i++) {
			assert_int_equal(pfkv2_parse_cached(&c, msgs[i],
			    lens[i], PFKV2_V_MESSAGE, &v, &d), 0);
			assert_int_equal(pfkv2_parse_cached(&c, msgs[i],
			    lens[i], PFKV2_V_MESSAGE, &v, &d), 0);
			assert_int_equal(pfkv2_parse_cached(&c, msgs[i],
			    lens[i] - 8, PFKV2_V_MESSAGE, &v, &d), -1);
		}
	}
	counting = 0;
	assert_int_equal(calls, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_allocation),
	};

#ifdef NO_INTERPOSE
	/* The sanitizer owns malloc here; the plain build runs this test. */
	return 77;
#endif
	return cmocka_run_group_tests(tests, NULL, NULL);
}
