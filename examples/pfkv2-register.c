/*
 * pfkv2-register: register with the key engine for one SA type and print
 * the algorithms it supports, as a key-management daemon does at start.
 *
 *	pfkv2-register [-t ah|esp|ipcomp] [--sim] [--dialect linux|freebsd|illumos]
 *
 * With --sim the request goes to the library's reference engine instead of
 * the kernel (for hosts without PF_KEY, such as Linux without af_key).
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
#include <pfkv2/sadb.h>

static int
pump(void *db)
{
	return pfkv2_sadb_pump(db, 0) == -1 ? -1 : 0;
}

static void
print_header(const struct pfkv2_view *v)
{
	printf("SADB Message %s, errno %u, satype %s, seq %u, pid %u\n",
	    pfkv2_id_name(PFKV2_SP_MSG, v->type), pfkv2_view_errno(v),
	    pfkv2_id_name(PFKV2_SP_SATYPE, v->satype), pfkv2_view_seq(v),
	    pfkv2_view_pid(v));
}

static void
print_algs(const struct pfkv2_view *v, unsigned ext, const char *what)
{
	enum pfkv2_space sp = ext == PFKV2_EXT_SUPPORTED_AUTH ?
	    PFKV2_SP_AALG : PFKV2_SP_EALG;
	struct pfkv2_alg a;
	const char *name;
	size_t i, n;

	if (pfkv2_get_supported(v, ext, &n) == -1)
		return;
	printf(" Supported %s algorithms:\n", what);
	for (i = 0; i < n && pfkv2_get_alg(v, ext, i, &a) == 0; i++) {
		name = pfkv2_id_name(sp, a.id);
		if (name != NULL)
			printf("  %s", name);
		else
			printf("  #%u", PFKV2_WIRE_VALUE(a.id));
		printf(" ivlen %u bits %u-%u\n", a.ivlen, a.minbits,
		    a.maxbits);
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sim", no_argument, NULL, 's' },
		{ "dialect", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pfkv2_sadb *db = NULL;
	struct pfkv2_sadb_opts so;
	struct pfkv2_builder b;
	struct pfkv2_sock s;
	struct pfkv2_view v;
	uint8_t req[16], reply[65536];
	int c, dialect = PFKV2_DIALECT_LINUX, sim = 0, satype;
	uint32_t seq;
	long n;

	satype = PFKV2_SATYPE_ESP;
	while ((c = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if ((satype = pfkv2_id_from_name(PFKV2_SP_SATYPE,
			    optarg)) == -1) {
				fprintf(stderr, "pfkv2-register: unknown SA "
				    "type %s\n", optarg);
				return 2;
			}
			break;
		case 's':
			sim = 1;
			break;
		case 'd':
			if ((dialect = pfkv2_dialect_from_name(optarg)) == -1) {
				fprintf(stderr, "pfkv2-register: unknown "
				    "dialect %s\n", optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: pfkv2-register [-t ah|esp|"
			    "ipcomp] [--sim] [--dialect NAME]\n");
			return c == 'h' ? 0 : 2;
		}
	}

	if (sim) {
		pfkv2_sadb_opts_init(&so, dialect);
		if ((db = pfkv2_sadb_new(&so)) == NULL ||
		    pfkv2_sock_attach(&s, pfkv2_sadb_fd(db, (uint32_t)getpid()),
		    (uint32_t)getpid(), dialect, pump, db) == -1) {
			perror("pfkv2-register: engine");
			return 1;
		}
	} else if (pfkv2_sock_open(&s, dialect) == -1) {
		perror("pfkv2-register: socket(PF_KEY)");
		if (errno == EAFNOSUPPORT)
			fprintf(stderr, "this kernel has no PF_KEY; "
			    "try --sim to use the reference engine\n");
		return 1;
	}

	seq = pfkv2_sock_next_seq(&s);
	pfkv2_builder_init(&b, req, sizeof(req), dialect);
	if (pfkv2_put_msg(&b, PFKV2_MSG_REGISTER, (unsigned)satype, seq,
	    s.pid) == -1) {
		perror("pfkv2-register: SA type");
		return 1;
	}
	pfkv2_parse(req, sizeof(req), dialect, 0, &v, NULL);
	printf("Sending register message:\n");
	print_header(&v);
	if (pfkv2_sock_send(&s, req, sizeof(req)) == -1 ||
	    (n = pfkv2_sock_reply(&s, PFKV2_MSG_REGISTER, seq, reply,
	    sizeof(reply), NULL, NULL, NULL)) == -1) {
		perror("pfkv2-register");
		return 1;
	}
	if (pfkv2_parse(reply, (size_t)n, dialect, 0, &v, NULL) == -1) {
		perror("pfkv2-register: reply");
		return 1;
	}
	printf("\nReply returned:\n");
	print_header(&v);
	print_algs(&v, PFKV2_EXT_SUPPORTED_AUTH, "authentication");
	print_algs(&v, PFKV2_EXT_SUPPORTED_ENCRYPT, "encryption");
	pfkv2_sock_close(&s);
	pfkv2_sadb_free(db);
	return pfkv2_view_errno(&v) == 0 ? 0 : 1;
}
