/*
 * Codec benchmarks on the corpus (bench-corpus/README.md): parse with
 * strict validation, build four requests from their field values, and
 * the floors beside them (a framing-only walk, a memcpy).
 *
 *	bench_codec [-n ITERATIONS] [-r REPEATS] [-q [-w WORKLOAD] [-m MSG]] DATADIR
 *
 * Prints ns per message (median of repeats, with min and max).  With -q it
 * runs the workloads ITERATIONS times without timing, for callgrind: the
 * instruction count per message is the difference of two run lengths
 * divided by the difference of message counts (bench/run.sh does that).
 * Selecting one workload with -w NAME lets callgrind count it alone, and
 * -m NAME one message of it (e.g. -w build -m add_esp_v6).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pfkv2/pfkv2.h>

#define MAXMSG	1024

struct msg {
	const char *name;
	uint8_t buf[MAXMSG];
	size_t len;
	unsigned flags;
};

static struct msg corpus[] = {
	{ "add_esp_v4", { 0 }, 0, PFKV2_V_REQUEST },
	{ "add_esp_v6", { 0 }, 0, PFKV2_V_REQUEST },
	{ "getspi_v4", { 0 }, 0, PFKV2_V_REQUEST },
	{ "register_reply", { 0 }, 0, PFKV2_V_REPLY },
	{ "acquire_v4", { 0 }, 0, PFKV2_V_REPLY },
	{ "spdadd_v4", { 0 }, 0, PFKV2_V_REQUEST },
	{ "dump_reply_v4", { 0 }, 0, PFKV2_V_REPLY },
};
#define NCORPUS (sizeof(corpus) / sizeof(corpus[0]))

/* Keeps results alive so the compiler cannot drop the work. */
static volatile uint64_t sink;

static void
load(const char *dir)
{
	char path[4096];
	FILE *f;
	size_t i;

	for (i = 0; i < NCORPUS; i++) {
		snprintf(path, sizeof(path), "%s/%s.bin", dir, corpus[i].name);
		if ((f = fopen(path, "rb")) == NULL) {
			perror(path);
			exit(1);
		}
		corpus[i].len = fread(corpus[i].buf, 1, MAXMSG, f);
		fclose(f);
	}
}

/*
 * Each workload runs its own loop over one message (which >= 0) or the
 * mix (which < 0, every message in turn), so that the harness around the
 * measured call is a few instructions: the loop, the arguments, the
 * result kept in sink.
 */
#define WORKLOAD(name, nmsgs, msgvar, body)				\
static void								\
name(long which, long iters)						\
{									\
	long i;								\
	size_t msgvar;							\
									\
	if (which >= 0) {						\
		msgvar = (size_t)which;					\
		for (i = 0; i < iters; i++) {				\
			body;						\
		}							\
		return;							\
	}								\
	for (i = 0; i < iters; i++)					\
		for (msgvar = 0; msgvar < (nmsgs); msgvar++) {		\
			body;						\
		}							\
}

/* Full parse and strict validation, as a daemon would check input. */
static inline void
parse_one(const struct msg *m)
{
	struct pfkv2_view v;

	if (pfkv2_parse(m->buf, m->len, PFKV2_DIALECT_LINUX,
	    PFKV2_V_ALL | m->flags, &v, NULL) != 0)
		abort();
	sink += v.present;
}

WORKLOAD(w_parse, NCORPUS, k, parse_one(&corpus[k]))

/*
 * The same parse through a parse cache, as a daemon would keep one: each
 * message comes in NVAR variants that differ where daemons' messages
 * differ (seq, pid, SPI, addresses, ports, keys, lifetimes, reqids), so
 * that the cache must recognise a shape, not a message it has seen.
 */
#define NVAR	4
static struct msg variant[NCORPUS][NVAR];
static struct pfkv2_parse_cache pcache;

/* Add j to the 32-bit word at p (any alignment). */
static void
bump32(uint8_t *p, uint32_t j)
{
	uint32_t w;

	memcpy(&w, p, 4);
	w += j * 0x01010101u;
	memcpy(p, &w, 4);
}

/* Vary message k's free fields for variant j, using the view to find them. */
static void
make_variant(size_t k, uint32_t j)
{
	static const unsigned addrs[] = { PFKV2_EXT_ADDRESS_SRC,
	    PFKV2_EXT_ADDRESS_DST };
	static const unsigned lifes[] = { PFKV2_EXT_LIFETIME_CURRENT,
	    PFKV2_EXT_LIFETIME_HARD, PFKV2_EXT_LIFETIME_SOFT };
	static const unsigned keys[] = { PFKV2_EXT_KEY_AUTH,
	    PFKV2_EXT_KEY_ENCRYPT };
	struct msg *m = &variant[k][j];
	struct pfkv2_view v;
	uint8_t *e;
	size_t i, n;

	*m = corpus[k];
	if (pfkv2_parse(m->buf, m->len, PFKV2_DIALECT_LINUX,
	    PFKV2_V_ALL | m->flags, &v, NULL) != 0)
		abort();
	bump32(m->buf + 8, j);				/* seq */
	bump32(m->buf + 12, j);				/* pid */
	if ((e = (uint8_t *)pfkv2_view_ext(&v, PFKV2_EXT_SA, &n)) != NULL)
		bump32(e + 4, j);			/* spi */
	if ((e = (uint8_t *)pfkv2_view_ext(&v, PFKV2_EXT_SA2, &n)) != NULL)
		bump32(e + 12, j);			/* reqid */
	for (i = 0; i < 2; i++)
		if ((e = (uint8_t *)pfkv2_view_ext(&v, addrs[i], &n)) != NULL) {
			e[10] ^= (uint8_t)j;		/* port */
			e[n == 24 ? 15 : 31] ^= (uint8_t)j;	/* address */
		}
	for (i = 0; i < 3; i++)
		if ((e = (uint8_t *)pfkv2_view_ext(&v, lifes[i], &n)) != NULL)
			bump32(e + 16, j);		/* addtime */
	for (i = 0; i < 2; i++)
		if ((e = (uint8_t *)pfkv2_view_ext(&v, keys[i], &n)) != NULL)
			e[8] ^= (uint8_t)(17 * j);	/* key material */
	if ((e = (uint8_t *)pfkv2_view_ext(&v, PFKV2_EXT_PROPOSAL, &n)) !=
	    NULL)
		for (i = 8; i + 72 <= n; i += 72)
			bump32(e + i + 32, j);		/* soft addtime */
	if (pfkv2_parse(m->buf, m->len, PFKV2_DIALECT_LINUX,
	    PFKV2_V_ALL | m->flags, &v, NULL) != 0 ||
	    (j != 0 && memcmp(m->buf, corpus[k].buf, m->len) == 0)) {
		fprintf(stderr, "variant %u of %s\n", (unsigned)j, m->name);
		exit(1);
	}
}

static inline void
parse_cached_one(const struct msg *m)
{
	struct pfkv2_view v;

	if (pfkv2_parse_cached(&pcache, m->buf, m->len, PFKV2_V_ALL | m->flags,
	    &v, NULL) != 0)
		abort();
	sink += v.present;
}

WORKLOAD(w_parse_cached, NCORPUS, k,
    parse_cached_one(&variant[k][(size_t)i % NVAR]))

/* The floor: walk the extension headers and nothing else. */
static inline void
walk_one(const struct msg *m)
{
	const uint8_t *p = m->buf;
	size_t off = 16, n = 0;
	uint16_t elen;

	while (off + 4 <= m->len) {
		memcpy(&elen, p + off, 2);
		if (elen == 0)
			abort();
		off += (size_t)elen * 8;
		n++;
	}
	sink += n;
}

WORKLOAD(w_walk, NCORPUS, k, walk_one(&corpus[k]))

static uint8_t copybuf[MAXMSG];

static inline void
memcpy_one(const struct msg *m)
{
	volatile uint8_t *d = copybuf;

	memcpy(copybuf, m->buf, m->len);
	sink += d[0];
}

WORKLOAD(w_memcpy, NCORPUS, k, memcpy_one(&corpus[k]))

/* Field values of the corpus requests. */
static const uint8_t ekey4[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
	0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static uint8_t akey4[20], ekey6[32], akey6[32];

static struct pfkv2_address
a4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t plen)
{
	struct pfkv2_address x = { .addr = { .family = PFKV2_AF_INET },
	    .prefixlen = plen, .proto = 255 };

	x.addr.addr[0] = a;
	x.addr.addr[1] = b;
	x.addr.addr[2] = c;
	x.addr.addr[3] = d;
	return x;
}

static struct pfkv2_address
a6(uint8_t b5, uint8_t last)
{
	struct pfkv2_address x = { .addr = { .family = PFKV2_AF_INET6 },
	    .prefixlen = 128, .proto = 255 };

	x.addr.addr[0] = 0x20;
	x.addr.addr[1] = 0x01;
	x.addr.addr[2] = 0x0d;
	x.addr.addr[3] = 0xb8;
	x.addr.addr[5] = b5;
	x.addr.addr[15] = last;
	return x;
}

static uint8_t out[MAXMSG];

/*
 * The field values of the four requests, filled once by setup_build():
 * what a daemon has at hand when it builds, so that the timed loop runs
 * the builder calls alone.
 */
static struct add_in {
	struct pfkv2_sa sa;
	struct pfkv2_sa2 sa2;
	struct pfkv2_address src, dst;
	struct pfkv2_key ke, ka;
	struct pfkv2_lifetime hard, soft;
} add_in[2];

static struct getspi_in {
	struct pfkv2_sa2 sa2;
	struct pfkv2_address src, dst;
} getspi_in;

static struct spdadd_in {
	struct pfkv2_address src, dst;
	struct pfkv2_lifetime hard;
	struct pfkv2_policy pol;
	struct pfkv2_ipsecrequest req[2];
} spdadd_in;

static void
setup_build(void)
{
	struct add_in *a;
	int v6;

	for (v6 = 0; v6 < 2; v6++) {
		a = &add_in[v6];
		a->sa = (struct pfkv2_sa){ .spi = v6 ? 0x11223344 : 0x0a0b0c0d,
		    .replay = v6 ? 64 : 32, .state = PFKV2_SASTATE_LARVAL,
		    .auth = v6 ? PFKV2_AALG_SHA2_256HMAC : PFKV2_AALG_SHA1HMAC,
		    .encrypt = PFKV2_EALG_AESCBC };
		a->sa2 = (struct pfkv2_sa2){ PFKV2_MODE_TUNNEL, 0,
		    v6 ? 16386 : 16385 };
		a->src = v6 ? a6(0, 1) : a4(192, 0, 2, 1, 32);
		a->dst = v6 ? a6(1, 7) : a4(198, 51, 100, 7, 32);
		a->ke = (struct pfkv2_key){ v6 ? ekey6 : ekey4,
		    v6 ? 256 : 128, 0 };
		a->ka = (struct pfkv2_key){ v6 ? akey6 : akey4,
		    v6 ? 256 : 160, 0 };
		a->hard = (struct pfkv2_lifetime){ 0, 0, v6 ? 28800 : 3600, 0 };
		a->soft = (struct pfkv2_lifetime){ 0, 0, v6 ? 23040 : 2880, 0 };
	}
	getspi_in.sa2 = (struct pfkv2_sa2){ PFKV2_MODE_TUNNEL, 0, 16385 };
	getspi_in.src = a4(198, 51, 100, 7, 32);
	getspi_in.dst = a4(192, 0, 2, 1, 32);
	spdadd_in.src = a4(10, 1, 0, 0, 16);
	spdadd_in.dst = a4(10, 2, 0, 0, 16);
	spdadd_in.pol = (struct pfkv2_policy){ PFKV2_POLICY_IPSEC,
	    PFKV2_DIR_OUTBOUND, 0, 0, 0x80000000u };
	spdadd_in.req[0] = (struct pfkv2_ipsecrequest){ .proto = 50,
	    .mode = PFKV2_MODE_TUNNEL, .level = PFKV2_LEVEL_REQUIRE,
	    .reqid = 0, .src = a4(192, 0, 2, 1, 0).addr,
	    .dst = a4(198, 51, 100, 7, 0).addr };
	spdadd_in.req[1] = (struct pfkv2_ipsecrequest){ .proto = 51,
	    .mode = PFKV2_MODE_TUNNEL, .level = PFKV2_LEVEL_UNIQUE,
	    .reqid = 16386, .src = a4(203, 0, 113, 1, 0).addr,
	    .dst = a4(203, 0, 113, 9, 0).addr };
}

static long
b_add(int v6)
{
	const struct add_in *a = &add_in[v6];
	struct pfkv2_builder b;

	pfkv2_builder_init(&b, out, sizeof(out), PFKV2_DIALECT_LINUX);
	pfkv2_put_msg(&b, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP, v6 ? 8 : 7, 4242);
	pfkv2_put_sa(&b, &a->sa);
	pfkv2_put_sa2(&b, &a->sa2);
	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &a->src);
	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &a->dst);
	pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &a->ke);
	pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &a->ka);
	pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_HARD, &a->hard);
	pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_SOFT, &a->soft);
	return pfkv2_builder_finish(&b);
}

static long
b_getspi(void)
{
	struct pfkv2_builder b;

	pfkv2_builder_init(&b, out, sizeof(out), PFKV2_DIALECT_LINUX);
	pfkv2_put_msg(&b, PFKV2_MSG_GETSPI, PFKV2_SATYPE_ESP, 9, 4242);
	pfkv2_put_sa2(&b, &getspi_in.sa2);
	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &getspi_in.src);
	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &getspi_in.dst);
	pfkv2_put_spirange(&b, 0x100, 0x0fffffff);
	return pfkv2_builder_finish(&b);
}

static long
b_spdadd(void)
{
	struct pfkv2_builder b;

	pfkv2_builder_init(&b, out, sizeof(out), PFKV2_DIALECT_LINUX);
	pfkv2_put_msg(&b, PFKV2_MSG_X_SPDADD, PFKV2_SATYPE_UNSPEC, 10, 4242);
	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &spdadd_in.src);
	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &spdadd_in.dst);
	pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_HARD, &spdadd_in.hard);
	pfkv2_put_policy(&b, &spdadd_in.pol, spdadd_in.req, 2);
	return pfkv2_builder_finish(&b);
}

/*
 * The same four requests by pfkv2_build_msg(), one call each: the parts
 * are set in the loop (a daemon fills them per message), the field
 * values they point to are add_in, getspi_in and spdadd_in as above.
 */
static long
m_add(int v6)
{
	const struct add_in *a = &add_in[v6];

	return pfkv2_build_msg(out, sizeof(out), PFKV2_DIALECT_LINUX,
	    &(struct pfkv2_msg_parts){ .type = PFKV2_MSG_ADD,
	    .satype = PFKV2_SATYPE_ESP, .seq = v6 ? 8 : 7, .pid = 4242,
	    .sa = &a->sa, .sa2 = &a->sa2, .src = &a->src, .dst = &a->dst,
	    .key_encrypt = &a->ke, .key_auth = &a->ka, .hard = &a->hard,
	    .soft = &a->soft });
}

static long
m_getspi(void)
{
	static const struct pfkv2_spirange range = { 0x100, 0x0fffffff };

	return pfkv2_build_msg(out, sizeof(out), PFKV2_DIALECT_LINUX,
	    &(struct pfkv2_msg_parts){ .type = PFKV2_MSG_GETSPI,
	    .satype = PFKV2_SATYPE_ESP, .seq = 9, .pid = 4242,
	    .sa2 = &getspi_in.sa2, .src = &getspi_in.src,
	    .dst = &getspi_in.dst, .spirange = &range });
}

static long
m_spdadd(void)
{
	return pfkv2_build_msg(out, sizeof(out), PFKV2_DIALECT_LINUX,
	    &(struct pfkv2_msg_parts){ .type = PFKV2_MSG_X_SPDADD,
	    .satype = PFKV2_SATYPE_UNSPEC, .seq = 10, .pid = 4242,
	    .src = &spdadd_in.src, .dst = &spdadd_in.dst,
	    .hard = &spdadd_in.hard, .policy = &spdadd_in.pol,
	    .reqs = spdadd_in.req, .nreqs = 2 });
}

/* Build mix: add_esp_v4, add_esp_v6, getspi_v4, spdadd_v4. */
static const size_t build_ref[4] = { 0, 1, 2, 5 };

static inline long
build_one(size_t which)
{
	return which == 0 ? b_add(0) : which == 1 ? b_add(1) :
	    which == 2 ? b_getspi() : b_spdadd();
}

WORKLOAD(w_build, 4, k, sink += (uint64_t)build_one(k))

static inline long
build_msg_one(size_t which)
{
	return which == 0 ? m_add(0) : which == 1 ? m_add(1) :
	    which == 2 ? m_getspi() : m_spdadd();
}

WORKLOAD(w_build_msg, 4, k, sink += (uint64_t)build_msg_one(k))

/* Every built message equals its corpus file, pid aside (it is 4242). */
static void
check_build(void)
{
	size_t i;

	for (i = 0; i < 4; i++) {
		const struct msg *m = &corpus[build_ref[i]];

		memset(out, 0xa5, sizeof(out));
		if (build_one(i) != (long)m->len ||
		    memcmp(out, m->buf, m->len) != 0) {
			fprintf(stderr, "built %s differs from the corpus\n",
			    m->name);
			exit(1);
		}
		memset(out, 0x5a, sizeof(out));
		if (build_msg_one(i) != (long)m->len ||
		    memcmp(out, m->buf, m->len) != 0) {
			fprintf(stderr, "pfkv2_build_msg: %s differs from the "
			    "corpus\n", m->name);
			exit(1);
		}
	}
}

struct workload {
	const char *name;
	void (*fn)(long, long);	/* which message (< 0: the mix), iterations */
	size_t nmsgs;		/* messages in one round */
};

static const struct workload workloads[] = {
	{ "parse", w_parse, NCORPUS },
	{ "parse_cached", w_parse_cached, NCORPUS },
	{ "build", w_build, 4 },
	{ "build_msg", w_build_msg, 4 },
	{ "walk", w_walk, NCORPUS },
	{ "memcpy", w_memcpy, NCORPUS },
};
#define NWORK (sizeof(workloads) / sizeof(workloads[0]))

/* The corpus name of message k of a workload. */
static const char *
msg_name(const struct workload *w, size_t k)
{
	return corpus[w->nmsgs == 4 ? build_ref[k] : k].name;
}

/* Run one message of a workload iters times (if the workload has it). */
static void
run_one(const struct workload *w, const char *name, long iters)
{
	size_t k;

	for (k = 0; k < w->nmsgs; k++)
		if (strcmp(name, msg_name(w, k)) == 0)
			w->fn((long)k, iters);
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ns per message of one workload on one message (or the mix: which < 0). */
static void
timeit(const struct workload *w, long which, long iters, int repeats,
    double *med, double *min, double *max)
{
	double t[64];
	int r;

	for (r = 0; r < repeats; r++) {
		double t0 = now_ns();

		w->fn(which, iters);
		t[r] = (now_ns() - t0) / (double)iters /
		    (which >= 0 ? 1.0 : (double)w->nmsgs);
	}
	qsort(t, (size_t)repeats, sizeof(t[0]), cmp_double);
	*med = t[repeats / 2];
	*min = t[0];
	*max = t[repeats - 1];
}

int
main(int argc, char **argv)
{
	long iters = 200000, i;
	int repeats = 11, quiet = 0, c;
	const char *only = NULL, *msg = NULL;
	double med, min, max;
	size_t w, k;

	while ((c = getopt(argc, argv, "n:r:qw:m:")) != -1) {
		switch (c) {
		case 'n':
			iters = atol(optarg);
			break;
		case 'r':
			repeats = atoi(optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'w':
			only = optarg;
			break;
		case 'm':
			msg = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench_codec [-n N] [-r R] [-q] "
			    "[-w WORKLOAD] [-m MSG] DATADIR\n");
			return 2;
		}
	}
	if (optind != argc - 1 || repeats < 1 || repeats > 64) {
		fprintf(stderr, "usage: bench_codec [-n N] [-r R] [-q] "
		    "[-w WORKLOAD] [-m MSG] DATADIR\n");
		return 2;
	}
	load(argv[optind]);
	for (i = 0; i < 20; i++) {
		akey4[i] = (uint8_t)(0xa0 + i);
	}
	for (i = 0; i < 32; i++) {
		ekey6[i] = (uint8_t)(0x10 + i);
		akey6[i] = (uint8_t)(0x30 + i);
	}
	setup_build();
	check_build();
	for (k = 0; k < NCORPUS; k++)
		for (i = 0; i < NVAR; i++)
			make_variant(k, (uint32_t)i);
	if (pfkv2_parse_cache_init(&pcache, PFKV2_DIALECT_LINUX) != 0)
		abort();

	if (quiet) {
		/* For callgrind: run, do not time. */
		for (w = 0; w < NWORK; w++) {
			if (only != NULL && strcmp(only, workloads[w].name) != 0)
				continue;
			if (msg != NULL) {
				run_one(&workloads[w], msg, iters);
				continue;
			}
			workloads[w].fn(-1, iters);
		}
		return 0;
	}
	printf("%-12s %-16s %10s %10s %10s\n", "workload", "message",
	    "ns median", "min", "max");
	for (w = 0; w < NWORK; w++) {
		const struct workload *wl = &workloads[w];

		for (k = 0; k < wl->nmsgs; k++) {
			timeit(wl, (long)k, iters / 4 + 1, repeats, &med, &min,
			    &max);
			printf("%-12s %-16s %10.1f %10.1f %10.1f\n", wl->name,
			    msg_name(wl, k), med, min, max);
		}
		timeit(wl, -1, iters / 4 + 1, repeats, &med, &min, &max);
		printf("%-12s %-16s %10.1f %10.1f %10.1f\n", wl->name, "(mix)",
		    med, min, max);
	}
	return 0;
}
