/*
 * pfkv2-dump: list the security associations (or with -P the security
 * policies), in the spirit of setkey -D and setkey -DP.
 *
 *	pfkv2-dump [-P] [--json] [--show-keys] [--sim] [--dialect NAME]
 *
 * The dump is read to its end whatever its size; if the kernel's receive
 * queue overflowed on the way (ENOBUFS) the program says so and fails
 * rather than print part of the table.
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

struct ctx {
	enum pfkv2_dialect dialect;
	int json;
	int keys;
};

static int
pump(void *db)
{
	return pfkv2_sadb_pump(db, 0) == -1 ? -1 : 0;
}

static const char *
name(enum pfkv2_space sp, unsigned id)
{
	const char *n = pfkv2_id_name(sp, id);

	return n != NULL ? n : "?";
}

static void
print_pair(const struct pfkv2_view *v, const char *sep)
{
	struct pfkv2_address s, d;
	char a[64], b[64];

	if (pfkv2_get_address(v, PFKV2_EXT_ADDRESS_SRC, &s) == 0 &&
	    pfkv2_get_address(v, PFKV2_EXT_ADDRESS_DST, &d) == 0) {
		pfkv2_addr_format(&s.addr, a, sizeof(a));
		pfkv2_addr_format(&d.addr, b, sizeof(b));
		printf("%s%s%s\n", a, sep, b);
	}
}

static void
print_key(const struct pfkv2_view *v, unsigned ext, const char *tag,
    unsigned alg, enum pfkv2_space sp, int show)
{
	struct pfkv2_key k;
	size_t i;

	if (pfkv2_get_key(v, ext, &k) == -1)
		return;
	printf("\t%s: %s ", tag, name(sp, alg));
	if (!show)
		printf("(%u bits)\n", k.bits);
	else {
		for (i = 0; i < (k.bits + 7u) / 8u; i++)
			printf("%02x", ((const uint8_t *)k.data)[i]);
		printf("\n");
	}
}

/* One SA, setkey -D style. */
static void
print_sa(const struct pfkv2_view *v, const struct ctx *c)
{
	struct pfkv2_sa sa;
	struct pfkv2_sa2 sa2 = { 0 };
	struct pfkv2_lifetime cur = { 0 }, hard = { 0 }, soft = { 0 };

	if (pfkv2_get_sa(v, &sa) == -1)
		return;
	(void)pfkv2_get_sa2(v, &sa2);
	(void)pfkv2_get_lifetime(v, PFKV2_EXT_LIFETIME_CURRENT, &cur);
	(void)pfkv2_get_lifetime(v, PFKV2_EXT_LIFETIME_HARD, &hard);
	(void)pfkv2_get_lifetime(v, PFKV2_EXT_LIFETIME_SOFT, &soft);
	print_pair(v, " ");
	printf("\t%s mode=%s spi=%u(0x%08x) reqid=%u\n",
	    name(PFKV2_SP_SATYPE, v->satype), name(PFKV2_SP_MODE, sa2.mode),
	    sa.spi, sa.spi, sa2.reqid);
	print_key(v, PFKV2_EXT_KEY_ENCRYPT, "E", sa.encrypt,
	    v->satype == PFKV2_SATYPE_IPCOMP ? PFKV2_SP_CALG : PFKV2_SP_EALG,
	    c->keys);
	print_key(v, PFKV2_EXT_KEY_AUTH, "A", sa.auth, PFKV2_SP_AALG, c->keys);
	printf("\treplay=%u flags=0x%08llx state=%s\n", sa.replay,
	    (unsigned long long)sa.flags, name(PFKV2_SP_SASTATE, sa.state));
	printf("\tcreated: %llu\tcurrent bytes: %llu\tallocated: %u\n",
	    (unsigned long long)cur.addtime, (unsigned long long)cur.bytes,
	    cur.allocations);
	printf("\thard: %llus %lluB\tsoft: %llus %lluB\n",
	    (unsigned long long)hard.addtime, (unsigned long long)hard.bytes,
	    (unsigned long long)soft.addtime, (unsigned long long)soft.bytes);
	printf("\tsadb_seq=%u pid=%u\n", pfkv2_view_seq(v), pfkv2_view_pid(v));
}

/* One policy, setkey -DP style. */
static void
print_sp(const struct pfkv2_view *v)
{
	struct pfkv2_policy pol;
	struct pfkv2_ipsecrequest r;
	struct pfkv2_address s;
	struct pfkv2_iter it;
	char a[64], b[64];
	int rc;

	if (pfkv2_get_policy(v, &pol) == -1)
		return;
	print_pair(v, " ");
	if (pfkv2_get_address(v, PFKV2_EXT_ADDRESS_SRC, &s) == 0)
		printf("\tupper-proto %u prefix /%u\n", s.proto, s.prefixlen);
	printf("\t%s %s\n", name(PFKV2_SP_POLICY_DIR, pol.dir),
	    name(PFKV2_SP_POLICY_TYPE, pol.type));
	for (rc = pfkv2_ipsecrequest_first(v, &it, &r); rc == 1;
	    rc = pfkv2_ipsecrequest_next(&it, &r)) {
		a[0] = b[0] = '\0';
		if (r.src.family != 0) {
			pfkv2_addr_format(&r.src, a, sizeof(a));
			pfkv2_addr_format(&r.dst, b, sizeof(b));
		}
		printf("\t%s/%s/%s%s%s/%s reqid %u\n", r.proto == 50 ? "esp" :
		    r.proto == 51 ? "ah" : "ipcomp", name(PFKV2_SP_MODE, r.mode),
		    a, a[0] != '\0' ? "-" : "", b,
		    name(PFKV2_SP_LEVEL, r.level), r.reqid);
	}
	printf("\tspid=%u seq=%u pid=%u\n", pol.id, pfkv2_view_seq(v),
	    pfkv2_view_pid(v));
}

static int
show(const void *msg, size_t len, void *arg)
{
	const struct ctx *c = arg;
	struct pfkv2_view v;

	if (pfkv2_parse(msg, len, c->dialect, 0, &v, NULL) == -1) {
		fprintf(stderr, "pfkv2-dump: skipping a malformed message\n");
		return 0;
	}
	if (c->json)
		return pfkv2_fprint(stdout, &v, PFKV2_PRINT_JSON |
		    (c->keys ? PFKV2_PRINT_KEYS : 0));
	if (pfkv2_view_has(&v, PFKV2_EXT_POLICY))
		print_sp(&v);
	else
		print_sa(&v, c);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "show-keys", no_argument, NULL, 'k' },
		{ "sim", no_argument, NULL, 's' },
		{ "dialect", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static uint8_t buf[65536];
	struct ctx c = { PFKV2_DIALECT_LINUX, 0, 0 };
	struct pfkv2_sadb *db = NULL;
	struct pfkv2_sadb_opts so;
	struct pfkv2_sock s;
	int ch, policies = 0, sim = 0;
	long n;

	while ((ch = getopt_long(argc, argv, "Ph", opts, NULL)) != -1) {
		switch (ch) {
		case 'P':
			policies = 1;
			break;
		case 'j':
			c.json = 1;
			break;
		case 'k':
			c.keys = 1;
			break;
		case 's':
			sim = 1;
			break;
		case 'd':
			if ((ch = pfkv2_dialect_from_name(optarg)) == -1) {
				fprintf(stderr, "pfkv2-dump: unknown dialect "
				    "%s\n", optarg);
				return 2;
			}
			c.dialect = (enum pfkv2_dialect)ch;
			break;
		default:
			fprintf(stderr, "usage: pfkv2-dump [-P] [--json] "
			    "[--show-keys] [--sim] [--dialect NAME]\n");
			return ch == 'h' ? 0 : 2;
		}
	}

	if (sim) {
		pfkv2_sadb_opts_init(&so, c.dialect);
		if ((db = pfkv2_sadb_new(&so)) == NULL ||
		    pfkv2_sock_attach(&s, pfkv2_sadb_fd(db, (uint32_t)getpid()),
		    (uint32_t)getpid(), c.dialect, pump, db) == -1) {
			perror("pfkv2-dump: engine");
			return 1;
		}
	} else if (pfkv2_sock_open(&s, c.dialect) == -1) {
		perror("pfkv2-dump: socket(PF_KEY)");
		if (errno == EAFNOSUPPORT)
			fprintf(stderr, "this kernel has no PF_KEY; "
			    "try --sim to use the reference engine\n");
		return 1;
	}
	n = pfkv2_sock_dump(&s, policies ? PFKV2_MSG_X_SPDDUMP : PFKV2_MSG_DUMP,
	    PFKV2_SATYPE_UNSPEC, buf, sizeof(buf), show, &c);
	if (n == -1 && errno == ENOENT)
		printf(policies ? "No SPD entries.\n" : "No SAD entries.\n");
	else if (n == -1) {
		perror("pfkv2-dump");
		if (errno == ENOBUFS)
			fprintf(stderr, "the dump outgrew the receive queue; "
			    "it is incomplete\n");
		return 1;
	}
	pfkv2_sock_close(&s);
	pfkv2_sadb_free(db);
	return 0;
}
