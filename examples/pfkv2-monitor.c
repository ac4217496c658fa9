/*
 * pfkv2-monitor: a promiscuous PF_KEY listener that prints every message
 * as it comes, like setkey -x.
 *
 *	pfkv2-monitor [--json] [--count N] [--sim] [--dialect NAME]
 *
 * --count N exits after N messages.  With --sim the monitor watches the
 * library's reference engine while a scripted key manager adds an SA, lets
 * it expire and deletes another, so there is something to see.
 *
 * This example is placed in the public domain.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pfkv2/pfkv2.h>
#include <pfkv2/print_stdio.h>
#include <pfkv2/sadb.h>

static int
pump(void *db)
{
	return pfkv2_sadb_pump(db, 0) == -1 ? -1 : 0;
}

/* Print one message; FreeBSD wraps promiscuous copies in X_PROMISC. */
static void
print_msg(const uint8_t *m, size_t len, enum pfkv2_dialect d, unsigned flags)
{
	struct pfkv2_view v;
	struct pfkv2_diag diag;
	char why[160];

	if (pfkv2_parse(m, len, d, 0, &v, &diag) == -1) {
		pfkv2_diag_format(&diag, why, sizeof(why));
		printf("malformed message (%zu bytes): %s\n", len, why);
		return;
	}
	if (v.type == PFKV2_MSG_X_PROMISC && len > 16) {
		print_msg(m + 16, len - 16, d, flags);
		return;
	}
	pfkv2_fprint(stdout, &v, flags);
	fflush(stdout);
}

/* --sim: a key manager on another endpoint gives the monitor work. */
static void
scripted_peer(struct pfkv2_sadb *db, enum pfkv2_dialect d)
{
	static const uint8_t ekey[16] = "0123456789abcdef";
	struct pfkv2_sadb_ep *ep = pfkv2_sadb_open(db, 4000);
	struct pfkv2_address src = { .prefixlen = 32, .proto = 255 };
	struct pfkv2_address dst = { .prefixlen = 32, .proto = 255 };
	struct pfkv2_lifetime hard = { 0, 0, 60, 0 }, soft = { 0, 0, 50, 0 };
	struct pfkv2_key k = { ekey, 128, 0 };
	struct pfkv2_sa sa = { .spi = 0x2001, .replay = 32,
	    .state = PFKV2_SASTATE_MATURE, .encrypt = PFKV2_EALG_AESCBC };
	struct pfkv2_builder b;
	uint8_t m[512];

	if (ep == NULL)
		return;
	pfkv2_addr_parse(&src.addr, "192.0.2.1", 0);
	pfkv2_addr_parse(&dst.addr, "192.0.2.2", 0);
	pfkv2_builder_init(&b, m, sizeof(m), d);
	pfkv2_put_msg(&b, PFKV2_MSG_REGISTER, PFKV2_SATYPE_ESP, 1, 4000);
	pfkv2_sadb_send(ep, m, (size_t)pfkv2_builder_finish(&b));
	pfkv2_builder_init(&b, m, sizeof(m), d);
	pfkv2_put_msg(&b, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP, 2, 4000);
	pfkv2_put_sa(&b, &sa);
	pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_HARD, &hard);
	pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_SOFT, &soft);
	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &src);
	pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &dst);
	pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &k);
	pfkv2_sadb_send(ep, m, (size_t)pfkv2_builder_finish(&b));
	pfkv2_sadb_advance(db, 61);		/* soft, then hard expiry */
	pfkv2_builder_init(&b, m, sizeof(m), d);
	pfkv2_put_msg(&b, PFKV2_MSG_FLUSH, PFKV2_SATYPE_UNSPEC, 3, 4000);
	pfkv2_sadb_send(ep, m, (size_t)pfkv2_builder_finish(&b));
	pfkv2_sadb_close(ep);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "sim", no_argument, NULL, 's' },
		{ "dialect", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static uint8_t buf[65536];
	struct pfkv2_sadb *db = NULL;
	struct pfkv2_sadb_opts so;
	struct pfkv2_builder b;
	struct pfkv2_sock s;
	enum pfkv2_dialect d = PFKV2_DIALECT_LINUX;
	unsigned flags = 0;
	long count = -1, seen = 0, n;
	int ch, sim = 0;
	uint8_t req[16];

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			flags |= PFKV2_PRINT_JSON;
			break;
		case 'c':
			count = atol(optarg);
			break;
		case 's':
			sim = 1;
			break;
		case 'd':
			if ((ch = pfkv2_dialect_from_name(optarg)) == -1) {
				fprintf(stderr, "pfkv2-monitor: unknown "
				    "dialect %s\n", optarg);
				return 2;
			}
			d = (enum pfkv2_dialect)ch;
			break;
		default:
			fprintf(stderr, "usage: pfkv2-monitor [--json] "
			    "[--count N] [--sim] [--dialect NAME]\n");
			return ch == 'h' ? 0 : 2;
		}
	}

	if (sim) {
		pfkv2_sadb_opts_init(&so, d);
		if ((db = pfkv2_sadb_new(&so)) == NULL ||
		    pfkv2_sock_attach(&s, pfkv2_sadb_fd(db, (uint32_t)getpid()),
		    (uint32_t)getpid(), d, pump, db) == -1) {
			perror("pfkv2-monitor: engine");
			return 1;
		}
		s.timeout_ms = 200;	/* the script ends; so do we */
	} else if (pfkv2_sock_open(&s, d) == -1) {
		perror("pfkv2-monitor: socket(PF_KEY)");
		if (errno == EAFNOSUPPORT)
			fprintf(stderr, "this kernel has no PF_KEY; "
			    "try --sim to use the reference engine\n");
		return 1;
	}

	/* X_PROMISC with satype 1 turns promiscuous mode on. */
	pfkv2_builder_init(&b, req, sizeof(req), d);
	pfkv2_put_msg(&b, PFKV2_MSG_X_PROMISC, PFKV2_WIRE(1),
	    pfkv2_sock_next_seq(&s), s.pid);
	if (pfkv2_sock_send(&s, req, sizeof(req)) == -1) {
		perror("pfkv2-monitor: X_PROMISC");
		return 1;
	}
	if (sim)
		scripted_peer(db, d);

	while (count < 0 || seen < count) {
		n = pfkv2_sock_recv(&s, buf, sizeof(buf), NULL);
		if (n == -1 && errno == ENOBUFS) {
			fprintf(stderr, "pfkv2-monitor: messages were lost "
			    "(receive queue overflow)\n");
			continue;
		}
		if (n == -1 && errno == EAGAIN && sim)
			break;
		if (n == -1) {
			perror("pfkv2-monitor");
			return 1;
		}
		print_msg(buf, (size_t)n, d, flags);
		seen++;
	}
	pfkv2_sock_close(&s);
	pfkv2_sadb_free(db);
	return 0;
}
