/*
 * Engine benchmarks: ADD, GET and DELETE through the message interface
 * (build the request beforehand, then send it, let the engine parse, act
 * and queue the reply, receive the reply), with N SAs already installed.
 *
 *	bench_sadb [-d DIALECT] [-k K] [-r REPEATS] N
 *	bench_sadb -c add|get|delete [-d DIALECT] [-k K] N
 *
 * The first form prints ns per operation (median, min, max) and the
 * engine's bytes per SA.  The second runs K operations of one kind under
 * callgrind's instrumentation switch (valgrind --tool=callgrind
 * --instr-atstart=no): only those K operations are counted, so filling the
 * database costs nothing in the count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pfkv2/pfkv2.h>
#include <pfkv2/sadb.h>

#ifdef HAVE_VALGRIND_CALLGRIND_H
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

#define SLOT	256		/* bytes per prebuilt request */
#define PID	100

static enum pfkv2_dialect dialect = PFKV2_DIALECT_LINUX;
static uint8_t akey[20], ekey[16], reply[4096];

/* SA number i: SPI 0x1000 + i to a destination derived from i. */
static size_t
build(unsigned type, uint32_t i, uint8_t *m)
{
	struct pfkv2_builder b;
	struct pfkv2_address s = { .addr = { .family = PFKV2_AF_INET },
	    .prefixlen = 32 }, d = s;
	struct pfkv2_sa sa = { .spi = 0x1000 + i, .replay = 32,
	    .state = PFKV2_SASTATE_MATURE, .auth = PFKV2_AALG_SHA1HMAC,
	    .encrypt = PFKV2_EALG_AESCBC };
	struct pfkv2_key ka = { akey, 160, 0 }, ke = { ekey, 128, 0 };
	struct pfkv2_lifetime h = { 0, 1u << 30, 3600, 0 };
	struct pfkv2_lifetime so = { 0, 1u << 29, 3000, 0 };
	struct pfkv2_sa2 sa2 = { PFKV2_MODE_TUNNEL, 0, 1 };

	s.addr.addr[0] = 10;
	s.addr.addr[3] = 1;
	d.addr.addr[0] = 10;
	d.addr.addr[1] = (uint8_t)(i >> 16);
	d.addr.addr[2] = (uint8_t)(i >> 8);
	d.addr.addr[3] = (uint8_t)i;
	pfkv2_builder_init(&b, m, SLOT, dialect);
	pfkv2_put_msg(&b, type, PFKV2_SATYPE_ESP, i + 1, PID);
	pfkv2_put_sa(&b, &sa);
	if (type == PFKV2_MSG_ADD) {
		pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_HARD, &h);
		pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_SOFT, &so);
	}
	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &s);
	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &d);
	if (type == PFKV2_MSG_ADD) {
		pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &ka);
		pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &ke);
		if (dialect != PFKV2_DIALECT_ILLUMOS)
			pfkv2_put_sa2(&b, &sa2);
	}
	return (size_t)pfkv2_builder_finish(&b);
}

/* One request and its answer (and any broadcast copies we get). */
static void
exchange(struct pfkv2_sadb_ep *ep, const uint8_t *m)
{
	size_t len = (size_t)(m[4] | m[5] << 8) * 8;

	if (pfkv2_sadb_send(ep, m, len) != 0 ||
	    pfkv2_sadb_recv(ep, reply, sizeof(reply)) <= 0 || reply[2] != 0) {
		fprintf(stderr, "bench_sadb: request failed (errno %u)\n",
		    reply[2]);
		exit(1);
	}
	while (pfkv2_sadb_pending(ep) != 0)
		(void)pfkv2_sadb_recv(ep, reply, sizeof(reply));
}

static uint8_t *
prebuild(unsigned type, uint32_t first, uint32_t k, uint32_t stride,
    uint32_t n)
{
	uint8_t *m = malloc((size_t)k * SLOT);
	uint32_t i;

	if (m == NULL) {
		perror("bench_sadb");
		exit(1);
	}
	for (i = 0; i < k; i++)
		build(type, stride ? first + (i * stride) % n : first + i,
		    m + (size_t)i * SLOT);
	return m;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
run(struct pfkv2_sadb_ep *ep, const uint8_t *msgs, uint32_t k)
{
	double t0 = now_ns();
	uint32_t i;

	for (i = 0; i < k; i++)
		exchange(ep, msgs + (size_t)i * SLOT);
	return (now_ns() - t0) / k;
}

int
main(int argc, char **argv)
{
	const char *count = NULL;
	uint32_t n, k = 2000, i;
	int repeats = 5, c, r;
	struct pfkv2_sadb_opts o;
	struct pfkv2_sadb *db;
	struct pfkv2_sadb_ep *ep;
	struct pfkv2_sadb_stats st;
	uint8_t m[SLOT], *adds, *gets, *dels;
	double t[3][16];

	while ((c = getopt(argc, argv, "c:d:k:r:")) != -1) {
		switch (c) {
		case 'c':
			count = optarg;
			break;
		case 'd':
			if ((c = pfkv2_dialect_from_name(optarg)) < 0)
				return 2;
			dialect = (enum pfkv2_dialect)c;
			break;
		case 'k':
			k = (uint32_t)atol(optarg);
			break;
		case 'r':
			repeats = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1 || repeats < 1 || repeats > 16 || k == 0) {
		fprintf(stderr, "usage: bench_sadb [-c add|get|delete] [-d "
		    "DIALECT] [-k K] [-r REPEATS] N\n");
		return 2;
	}
	n = (uint32_t)atol(argv[optind]);
	memset(akey, 0x11, sizeof(akey));
	memset(ekey, 0x22, sizeof(ekey));
	pfkv2_sadb_opts_init(&o, dialect);
	if ((db = pfkv2_sadb_new(&o)) == NULL ||
	    (ep = pfkv2_sadb_open(db, PID)) == NULL) {
		perror("bench_sadb");
		return 1;
	}
	for (i = 0; i < n; i++) {
		build(PFKV2_MSG_ADD, i, m);
		exchange(ep, m);
	}
	/* ADDs of new SAs, GETs and DELETEs of installed ones at random. */
	adds = prebuild(PFKV2_MSG_ADD, n, k, 0, 0);
	gets = prebuild(PFKV2_MSG_GET, 0, k, 7919, n);
	dels = prebuild(PFKV2_MSG_DELETE, n, k, 0, 0);

	if (count != NULL) {
		const uint8_t *msgs = strcmp(count, "add") == 0 ? adds :
		    strcmp(count, "get") == 0 ? gets : dels;

		if (msgs == dels)
			run(ep, adds, k);	/* something to delete */
		CALLGRIND_START_INSTRUMENTATION;
		run(ep, msgs, k);
		CALLGRIND_STOP_INSTRUMENTATION;
		pfkv2_sadb_free(db);
		return 0;
	}
	for (r = 0; r < repeats; r++) {
		t[0][r] = run(ep, adds, k);
		t[1][r] = run(ep, gets, k);
		t[2][r] = run(ep, dels, k);
	}
	pfkv2_sadb_stats(db, &st);
	for (c = 0; c < 3; c++)
		qsort(t[c], (size_t)repeats, sizeof(double), cmp);
	printf("%-8u %-8s %9.0f %9.0f %9.0f  %9.0f %9.0f %9.0f  %9.0f %9.0f "
	    "%9.0f  %7.1f\n", n, pfkv2_dialect_name(dialect),
	    t[0][repeats / 2], t[0][0], t[0][repeats - 1],
	    t[1][repeats / 2], t[1][0], t[1][repeats - 1],
	    t[2][repeats / 2], t[2][0], t[2][repeats - 1],
	    st.sas ? (double)(st.mem - st.key_mem) / (double)st.sas : 0.0);
	pfkv2_sadb_free(db);
	free(adds);
	free(gets);
	free(dels);
	return 0;
}
