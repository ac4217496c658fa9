/*
 * sadb-fake-kernel: a key manager's PF_KEY conversation with the reference
 * engine through an ordinary descriptor.  The "daemon" half only write()s
 * requests and read()s answers, as it would on a real PF_KEY socket; the
 * "kernel" half is pfkv2_sadb_pump(), called between them (a real daemon
 * would call it from its poll loop, or run it in a thread of its own).
 *
 *	sadb-fake-kernel [linux|freebsd|illumos]
 *
 * It registers for ESP, asks for an SPI (a larval SA), completes the SA
 * with UPDATE, dumps the SA database, then moves the engine's clock past
 * the SA's soft and hard lifetimes and reads the EXPIRE messages.  Every
 * message read is printed (keys hidden).
 *
 * This example is placed in the public domain.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pfkv2/pfkv2.h>

static enum pfkv2_dialect dialect = PFKV2_DIALECT_LINUX;
static uint8_t msg[65536];

/* Write one request, as a daemon writes to its PF_KEY socket. */
static void
send_req(int fd, struct pfkv2_builder *b)
{
	long n = pfkv2_builder_finish(b);

	if (n < 0 || write(fd, msg, (size_t)n) != n) {
		perror("write");
		exit(1);
	}
}

/* Read and print one message; 0 when none came within a second. */
static long
read_one(int fd, struct pfkv2_sadb *db, struct pfkv2_view *v)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char text[8192];
	ssize_t n;

	/* The kernel's turn: answer what was written, send what is due. */
	if (pfkv2_sadb_pump(db, 0) < 0) {
		perror("pfkv2_sadb_pump");
		exit(1);
	}
	if (poll(&p, 1, 1000) != 1)
		return 0;
	if ((n = read(fd, msg, sizeof(msg))) < 16) {
		perror("read");
		exit(1);
	}
	if (pfkv2_parse(msg, (size_t)n, dialect, 0, v, NULL) != 0) {
		printf("<%zd bytes that do not parse>\n", n);
		return (long)n;
	}
	pfkv2_snprint(text, sizeof(text), v, 0);
	printf("%s\n", text);
	return (long)n;
}

static void
put_addrs(struct pfkv2_builder *b, const char *src, const char *dst)
{
	struct pfkv2_address a;

	memset(&a, 0, sizeof(a));
	pfkv2_addr_parse(&a.addr, src, 0);
	a.prefixlen = 32;
	pfkv2_put_address(b, PFKV2_EXT_ADDRESS_SRC, &a);
	pfkv2_addr_parse(&a.addr, dst, 0);
	pfkv2_put_address(b, PFKV2_EXT_ADDRESS_DST, &a);
}

int
main(int argc, char **argv)
{
	static const uint8_t akey[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	static const uint8_t ekey[16] = { 0x41, 0x42, 0x43, 0x44 };
	struct pfkv2_sadb_opts o;
	struct pfkv2_sadb *db;
	struct pfkv2_builder b;
	struct pfkv2_view v;
	struct pfkv2_sa sa;
	struct pfkv2_key k;
	struct pfkv2_lifetime hard = { .addtime = 3600 };
	struct pfkv2_lifetime soft = { .addtime = 3000 };
	uint32_t pid = (uint32_t)getpid(), spi;
	int fd;

	if (argc > 1 && (dialect = pfkv2_dialect_from_name(argv[1])) < 0) {
		fprintf(stderr, "usage: sadb-fake-kernel "
		    "[linux|freebsd|illumos]\n");
		return 2;
	}
	pfkv2_sadb_opts_init(&o, dialect);
	o.start_time = 1700000000;
	if ((db = pfkv2_sadb_new(&o)) == NULL) {
		perror("pfkv2_sadb_new");
		return 1;
	}
	if ((fd = pfkv2_sadb_fd(db, pid)) < 0) {
		perror("pfkv2_sadb_fd");
		return 1;
	}

	printf("-- REGISTER for ESP\n");
	pfkv2_builder_init(&b, msg, sizeof(msg), dialect);
	pfkv2_put_msg(&b, PFKV2_MSG_REGISTER, PFKV2_SATYPE_ESP, 1, pid);
	send_req(fd, &b);
	read_one(fd, db, &v);

	printf("-- GETSPI: a larval SA\n");
	pfkv2_builder_init(&b, msg, sizeof(msg), dialect);
	pfkv2_put_msg(&b, PFKV2_MSG_GETSPI, PFKV2_SATYPE_ESP, 2, pid);
	put_addrs(&b, "192.0.2.2", "192.0.2.1");
	pfkv2_put_spirange(&b, 0x1000, 0x1fff);
	send_req(fd, &b);
	if (read_one(fd, db, &v) == 0 || pfkv2_get_sa(&v, &sa) != 0) {
		fprintf(stderr, "no SPI\n");
		return 1;
	}
	spi = sa.spi;

	printf("-- UPDATE: the SA becomes mature\n");
	pfkv2_builder_init(&b, msg, sizeof(msg), dialect);
	pfkv2_put_msg(&b, PFKV2_MSG_UPDATE, PFKV2_SATYPE_ESP, 2, pid);
	memset(&sa, 0, sizeof(sa));
	sa.spi = spi;
	sa.replay = 4;
	sa.state = PFKV2_SASTATE_MATURE;
	sa.auth = PFKV2_AALG_SHA1HMAC;
	sa.encrypt = PFKV2_EALG_AESCBC;
	pfkv2_put_sa(&b, &sa);
	pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_HARD, &hard);
	pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_SOFT, &soft);
	put_addrs(&b, "192.0.2.2", "192.0.2.1");
	k.data = akey;
	k.bits = 160;
	k.reserved = 0;
	pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &k);
	k.data = ekey;
	k.bits = 128;
	pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &k);
	send_req(fd, &b);
	read_one(fd, db, &v);

	printf("-- DUMP\n");
	pfkv2_builder_init(&b, msg, sizeof(msg), dialect);
	pfkv2_put_msg(&b, PFKV2_MSG_DUMP, PFKV2_SATYPE_UNSPEC, 3, pid);
	send_req(fd, &b);
	/* Linux/FreeBSD end on seq 0, illumos with a bare header. */
	while (read_one(fd, db, &v) > 16 && !(dialect !=
	    PFKV2_DIALECT_ILLUMOS && pfkv2_view_seq(&v) == 0))
		;

	printf("-- the clock moves 3000 s: soft EXPIRE\n");
	pfkv2_sadb_advance(db, 3001);
	read_one(fd, db, &v);
	printf("-- and 600 s more: hard EXPIRE\n");
	pfkv2_sadb_advance(db, 600);
	read_one(fd, db, &v);

	close(fd);
	pfkv2_sadb_free(db);
	return 0;
}
