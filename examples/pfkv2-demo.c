/*
 * pfkv2-demo: a key manager's life in a minute, against the library's
 * reference engine (no kernel PF_KEY needed).  It registers for ESP,
 * reserves an SPI with GETSPI, completes the larval SA with UPDATE, dumps
 * the database, then advances the engine's clock through the soft and the
 * hard lifetime and prints the EXPIRE messages the engine sends.
 *
 *	pfkv2-demo [--dialect linux|freebsd|illumos] [--json]
 *
 * This example is placed in the public domain.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pfkv2/pfkv2.h>
#include <pfkv2/print_stdio.h>
#include <pfkv2/sadb.h>

#define PID	4242

static struct pfkv2_sadb *db;
static struct pfkv2_sock s;
static enum pfkv2_dialect dialect = PFKV2_DIALECT_LINUX;
static unsigned print_flags;
static uint8_t out[4096], in[65536];

static int
pump(void *arg)
{
	return pfkv2_sadb_pump(arg, 0) == -1 ? -1 : 0;
}

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static void
show(const char *title, const void *msg, size_t len)
{
	struct pfkv2_view v;

	printf("%s\n", title);
	if (pfkv2_parse(msg, len, dialect, 0, &v, NULL) == -1)
		die("parse");
	pfkv2_fprint(stdout, &v, print_flags);
	printf("\n");
}

/* Send the message built in b and show the reply to it. */
static void
exchange(struct pfkv2_builder *b, unsigned type, uint32_t seq,
    struct pfkv2_view *v)
{
	long n = pfkv2_builder_finish(b);

	if (n < 0)
		die("build");
	show("-> request", out, (size_t)n);
	if (pfkv2_sock_send(&s, out, (size_t)n) == -1 ||
	    (n = pfkv2_sock_reply(&s, type, seq, in, sizeof(in), NULL, NULL,
	    NULL)) == -1)
		die("exchange");
	show("<- reply", in, (size_t)n);
	if (pfkv2_parse(in, (size_t)n, dialect, 0, v, NULL) == -1)
		die("reply");
	if (pfkv2_view_errno(v) != 0) {
		errno = pfkv2_view_errno(v);
		die("the engine refused the request");
	}
}

static uint32_t
start(struct pfkv2_builder *b, unsigned type)
{
	uint32_t seq = pfkv2_sock_next_seq(&s);

	pfkv2_builder_init(b, out, sizeof(out), dialect);
	pfkv2_put_msg(b, type, PFKV2_SATYPE_ESP, seq, PID);
	return seq;
}

static void
put_addresses(struct pfkv2_builder *b)
{
	struct pfkv2_address src = { .prefixlen = 32, .proto = 255 };
	struct pfkv2_address dst = { .prefixlen = 32, .proto = 255 };

	pfkv2_addr_parse(&src.addr, "192.0.2.1", 0);
	pfkv2_addr_parse(&dst.addr, "198.51.100.7", 0);
	pfkv2_put_address(b, PFKV2_EXT_ADDRESS_SRC, &src);
	pfkv2_put_address(b, PFKV2_EXT_ADDRESS_DST, &dst);
}

static int
show_dumped(const void *msg, size_t len, void *arg)
{
	(void)arg;
	show("<- dump", msg, len);
	return 0;
}

/* Print whatever the engine queued for us (EXPIRE messages). */
static void
drain(const char *title)
{
	long n;

	s.timeout_ms = 0;
	while ((n = pfkv2_sock_recv(&s, in, sizeof(in), NULL)) > 0)
		show(title, in, (size_t)n);
	s.timeout_ms = -1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dialect", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	static const uint8_t akey[20] = "demo-auth-key-160bit";
	static const uint8_t ekey[16] = "demo-aes128-key!";
	struct pfkv2_sadb_opts so;
	struct pfkv2_builder b;
	struct pfkv2_view v;
	struct pfkv2_sa sa;
	struct pfkv2_key ka = { akey, 160, 0 }, ke = { ekey, 128, 0 };
	struct pfkv2_lifetime soft = { 0, 0, 20, 0 }, hard = { 0, 0, 30, 0 };
	uint32_t seq;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			print_flags = PFKV2_PRINT_JSON;
		else if (c != 'd' || (c = pfkv2_dialect_from_name(optarg)) < 0) {
			fprintf(stderr, "usage: pfkv2-demo [--dialect NAME] "
			    "[--json]\n");
			return 2;
		} else
			dialect = (enum pfkv2_dialect)c;
	}

	pfkv2_sadb_opts_init(&so, dialect);
	so.start_time = 1000;
	if ((db = pfkv2_sadb_new(&so)) == NULL ||
	    pfkv2_sock_attach(&s, pfkv2_sadb_fd(db, PID), PID, dialect, pump,
	    db) == -1)
		die("engine");
	printf("== the %s engine; our socket is pid %u\n\n",
	    pfkv2_dialect_name(dialect), PID);

	printf("== 1. REGISTER for ESP: which algorithms may we use?\n");
	seq = start(&b, PFKV2_MSG_REGISTER);
	exchange(&b, PFKV2_MSG_REGISTER, seq, &v);

	printf("== 2. GETSPI: the engine reserves an SPI (a larval SA)\n");
	seq = start(&b, PFKV2_MSG_GETSPI);
	put_addresses(&b);
	pfkv2_put_spirange(&b, 0x100, 0x0fffffff);
	exchange(&b, PFKV2_MSG_GETSPI, seq, &v);
	if (pfkv2_get_sa(&v, &sa) == -1)
		die("GETSPI reply without SA");

	printf("== 3. UPDATE: keys and lifetimes make the SA mature\n");
	sa.state = PFKV2_SASTATE_MATURE;
	sa.replay = 32;
	sa.auth = PFKV2_AALG_SHA1HMAC;
	sa.encrypt = PFKV2_EALG_AESCBC;
	seq = start(&b, PFKV2_MSG_UPDATE);
	pfkv2_put_sa(&b, &sa);
	pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_HARD, &hard);
	pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_SOFT, &soft);
	put_addresses(&b);
	pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &ka);
	pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &ke);
	exchange(&b, PFKV2_MSG_UPDATE, seq, &v);
	drain("<- broadcast");

	printf("== 4. DUMP: the database now\n");
	if (pfkv2_sock_dump(&s, PFKV2_MSG_DUMP, PFKV2_SATYPE_ESP, in,
	    sizeof(in), show_dumped, NULL) == -1)
		die("dump");

	printf("== 5. 25 seconds later: the soft lifetime (20 s) expires\n");
	pfkv2_sadb_advance(db, 25);
	drain("<- EXPIRE (soft: the SA is dying)");

	printf("== 6. 10 seconds more: the hard lifetime (30 s) expires\n");
	pfkv2_sadb_advance(db, 10);
	drain("<- EXPIRE (hard: the SA is dead)");

	pfkv2_sock_close(&s);
	pfkv2_sadb_free(db);
	return 0;
}
