/*
 * Conformance against a real Linux kernel (run inside linux-pfkey-vm):
 * every Linux-dialect request the builder makes must be accepted, and
 * every message the kernel sends must parse and validate in the Linux
 * dialect.  Prints one line per check:
 *	PASS name | FAIL name: why | REFUSED request errno N (text)
 * and "ALG auth NAME" / "ALG enc NAME" for the REGISTER reply, so the
 * caller can compare pfkv2-register's output with what the kernel sent.
 *
 *	conformance [--add SPI]	(--add: only add one SA, for the monitor test)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pfkv2/pfkv2.h>

#define D	PFKV2_DIALECT_LINUX
#define VALID	(PFKV2_V_MESSAGE | PFKV2_V_DIALECT | PFKV2_V_REPLY)

static struct pfkv2_sock s;
static uint8_t reply[65536];
static int failures, seen;

static const uint8_t akey[20] = "authkey-0123456789ab";
static const uint8_t ekey[16] = "enckey-012345678";

static void
fail(const char *name, const char *why)
{
	printf("FAIL %s: %s\n", name, why);
	failures++;
}

/* Every kernel message must validate in the Linux dialect. */
static int
check_msg(const void *msg, size_t len, void *arg)
{
	struct pfkv2_view v;
	struct pfkv2_diag d;
	char why[200], name[64];

	(void)arg;
	seen++;
	if (pfkv2_parse(msg, len, D, VALID, &v, &d) == 0)
		return 0;
	pfkv2_diag_format(&d, why, sizeof(why));
	snprintf(name, sizeof(name), "validate %s",
	    pfkv2_dialect_wire_name(D, PFKV2_SP_MSG,
	    ((const uint8_t *)msg)[1]) ? pfkv2_dialect_wire_name(D,
	    PFKV2_SP_MSG, ((const uint8_t *)msg)[1]) : "?");
	fail(name, why);
	return 0;
}

/* Send a built request and wait for its reply; 0 when errno is 0. */
static int
request(const char *name, struct pfkv2_builder *b, unsigned type,
    uint32_t seq, struct pfkv2_view *out)
{
	struct pfkv2_view v;
	long n, len = pfkv2_builder_finish(b);

	if (len < 0) {
		fail(name, "builder refused the request");
		return -1;
	}
	if (pfkv2_sock_send(&s, reply + 32768, (size_t)len) == -1) {
		printf("REFUSED %s write errno %d (%s)\n", name, errno,
		    strerror(errno));
		failures++;
		return -1;
	}
	n = pfkv2_sock_reply(&s, type, seq, reply, 32768, NULL, check_msg,
	    NULL);
	if (n < 0) {
		fail(name, strerror(errno));
		return -1;
	}
	check_msg(reply, (size_t)n, NULL);
	if (pfkv2_parse(reply, (size_t)n, D, 0, &v, NULL) == -1) {
		fail(name, "reply does not parse");
		return -1;
	}
	if (pfkv2_view_errno(&v) != 0) {
		printf("REFUSED %s errno %d (%s)\n", name, pfkv2_view_errno(&v),
		    strerror(pfkv2_view_errno(&v)));
		failures++;
		return -1;
	}
	if (out != NULL)
		*out = v;
	printf("PASS %s\n", name);
	return 0;
}

/* Start a request in the second half of reply[] (the send buffer). */
static uint32_t
start(struct pfkv2_builder *b, unsigned type, unsigned satype)
{
	uint32_t seq = pfkv2_sock_next_seq(&s);

	pfkv2_builder_init(b, reply + 32768, 32768, D);
	pfkv2_put_msg(b, type, satype, seq, s.pid);
	return seq;
}

static void
put_pair(struct pfkv2_builder *b, uint8_t proto)
{
	struct pfkv2_address src = { .prefixlen = 32, .proto = proto };
	struct pfkv2_address dst = { .prefixlen = 32, .proto = proto };

	pfkv2_addr_parse(&src.addr, "192.0.2.1", 0);
	pfkv2_addr_parse(&dst.addr, "192.0.2.2", 0);
	pfkv2_put_address(b, PFKV2_EXT_ADDRESS_SRC, &src);
	pfkv2_put_address(b, PFKV2_EXT_ADDRESS_DST, &dst);
}

/* The SA body ADD and UPDATE share. */
static void
put_sa(struct pfkv2_builder *b, uint32_t spi, unsigned state)
{
	struct pfkv2_sa sa = { .spi = spi, .replay = 32, .state = (uint16_t)state,
	    .auth = PFKV2_AALG_SHA1HMAC, .encrypt = PFKV2_EALG_AESCBC };
	struct pfkv2_lifetime hard = { 0, 0, 3600, 0 }, soft = { 0, 0, 3000, 0 };
	struct pfkv2_key ka = { akey, 160, 0 }, ke = { ekey, 128, 0 };
	struct pfkv2_sa2 sa2 = { PFKV2_MODE_TRANSPORT, 0, 0 };

	pfkv2_put_sa(b, &sa);
	pfkv2_put_lifetime(b, PFKV2_EXT_LIFETIME_HARD, &hard);
	pfkv2_put_lifetime(b, PFKV2_EXT_LIFETIME_SOFT, &soft);
	put_pair(b, 0);
	pfkv2_put_key(b, PFKV2_EXT_KEY_AUTH, &ka);
	pfkv2_put_key(b, PFKV2_EXT_KEY_ENCRYPT, &ke);
	pfkv2_put_sa2(b, &sa2);
}

static int
add_sa(uint32_t spi)
{
	struct pfkv2_builder b;
	uint32_t seq = start(&b, PFKV2_MSG_ADD, PFKV2_SATYPE_ESP);

	put_sa(&b, spi, PFKV2_SASTATE_MATURE);
	return request("ADD", &b, PFKV2_MSG_ADD, seq, NULL);
}

static void
sa_only(const char *name, unsigned type, uint32_t spi)
{
	struct pfkv2_builder b;
	struct pfkv2_sa sa = { .spi = spi, .state = PFKV2_SASTATE_MATURE };
	uint32_t seq = start(&b, type, PFKV2_SATYPE_ESP);

	pfkv2_put_sa(&b, &sa);
	put_pair(&b, 0);
	request(name, &b, type, seq, NULL);
}

static void
policy(const char *name, unsigned type, unsigned dir, unsigned level,
    uint32_t *id)
{
	struct pfkv2_builder b;
	struct pfkv2_policy pol = { PFKV2_POLICY_IPSEC, (uint16_t)dir, 0, 0,
	    0 };
	struct pfkv2_ipsecrequest r = { .proto = 50,
	    .mode = PFKV2_MODE_TRANSPORT, .level = (uint16_t)level };
	struct pfkv2_view v;
	uint32_t seq = start(&b, type, PFKV2_SATYPE_UNSPEC);

	put_pair(&b, 255);
	pfkv2_put_policy(&b, &pol, &r, 1);
	if (request(name, &b, type, seq, &v) == 0 && id != NULL &&
	    pfkv2_get_policy(&v, &pol) == 0)
		*id = pol.id;
}

static void
policy_by_id(const char *name, unsigned type, uint32_t id)
{
	struct pfkv2_builder b;
	struct pfkv2_policy pol = { PFKV2_POLICY_IPSEC, PFKV2_DIR_OUTBOUND, 0,
	    id, 0 };
	uint32_t seq = start(&b, type, PFKV2_SATYPE_UNSPEC);

	pfkv2_put_policy(&b, &pol, NULL, 0);
	request(name, &b, type, seq, NULL);
}

static void
bare(const char *name, unsigned type, unsigned satype)
{
	struct pfkv2_builder b;
	uint32_t seq = start(&b, type, satype);

	request(name, &b, type, seq, NULL);
}

static void
print_algs(const struct pfkv2_view *v, unsigned ext, const char *tag,
    enum pfkv2_space sp)
{
	struct pfkv2_alg a;
	const char *nm;
	size_t i, n;

	if (pfkv2_get_supported(v, ext, &n) == -1)
		return;
	for (i = 0; i < n && pfkv2_get_alg(v, ext, i, &a) == 0; i++) {
		nm = pfkv2_id_name(sp, a.id);
		if (nm != NULL)
			printf("ALG %s %s\n", tag, nm);
		else
			printf("ALG %s #%u\n", tag, PFKV2_WIRE_VALUE(a.id));
	}
}

static int
count_dump(const void *msg, size_t len, void *arg)
{
	(*(long *)arg)++;
	return check_msg(msg, len, NULL);
}

int
main(int argc, char **argv)
{
	struct pfkv2_builder b;
	struct pfkv2_view v;
	struct pfkv2_sa sa;
	uint32_t seq, spi = 0, id = 0;
	long n = 0;

	if (pfkv2_sock_open(&s, D) == -1) {
		perror("conformance: socket(PF_KEY)");
		return 77;
	}
	s.timeout_ms = 5000;
	pfkv2_sock_set_rcvbuf(&s, 1 << 20);
	if (argc == 3 && strcmp(argv[1], "--add") == 0)
		return add_sa((uint32_t)strtoul(argv[2], NULL, 0)) == 0 ? 0 : 1;

	seq = start(&b, PFKV2_MSG_REGISTER, PFKV2_SATYPE_ESP);
	if (request("REGISTER", &b, PFKV2_MSG_REGISTER, seq, &v) == 0) {
		print_algs(&v, PFKV2_EXT_SUPPORTED_AUTH, "auth", PFKV2_SP_AALG);
		print_algs(&v, PFKV2_EXT_SUPPORTED_ENCRYPT, "enc",
		    PFKV2_SP_EALG);
	}
	bare("FLUSH", PFKV2_MSG_FLUSH, PFKV2_SATYPE_UNSPEC);
	bare("X_SPDFLUSH", PFKV2_MSG_X_SPDFLUSH, PFKV2_SATYPE_UNSPEC);

	/* GETSPI makes a larval SA that UPDATE completes. */
	seq = start(&b, PFKV2_MSG_GETSPI, PFKV2_SATYPE_ESP);
	put_pair(&b, 0);
	pfkv2_put_spirange(&b, 0x1000, 0x1fff);
	if (request("GETSPI", &b, PFKV2_MSG_GETSPI, seq, &v) == 0 &&
	    pfkv2_get_sa(&v, &sa) == 0)
		spi = sa.spi;
	seq = start(&b, PFKV2_MSG_UPDATE, PFKV2_SATYPE_ESP);
	put_sa(&b, spi, PFKV2_SASTATE_MATURE);
	request("UPDATE", &b, PFKV2_MSG_UPDATE, seq, NULL);
	add_sa(0x3001);
	sa_only("GET", PFKV2_MSG_GET, 0x3001);
	n = 0;
	if (pfkv2_sock_dump(&s, PFKV2_MSG_DUMP, PFKV2_SATYPE_UNSPEC, reply,
	    32768, count_dump, &n) == 2)
		printf("PASS DUMP\n");
	else
		fail("DUMP", "expected two SAs");
	sa_only("DELETE", PFKV2_MSG_DELETE, spi);

	policy("X_SPDADD", PFKV2_MSG_X_SPDADD, PFKV2_DIR_OUTBOUND,
	    PFKV2_LEVEL_USE, &id);
	policy("X_SPDUPDATE", PFKV2_MSG_X_SPDUPDATE, PFKV2_DIR_OUTBOUND,
	    PFKV2_LEVEL_REQUIRE, &id);
	policy_by_id("X_SPDGET", PFKV2_MSG_X_SPDGET, id);
	policy("X_SPDADD in", PFKV2_MSG_X_SPDADD, PFKV2_DIR_INBOUND,
	    PFKV2_LEVEL_REQUIRE, NULL);
	policy("X_SPDDELETE", PFKV2_MSG_X_SPDDELETE, PFKV2_DIR_INBOUND,
	    PFKV2_LEVEL_REQUIRE, NULL);
	policy("X_SPDADD fwd", PFKV2_MSG_X_SPDADD, PFKV2_DIR_FWD,
	    PFKV2_LEVEL_REQUIRE, &id);
	policy_by_id("X_SPDDELETE2", PFKV2_MSG_X_SPDDELETE2, id);
	n = 0;
	if (pfkv2_sock_dump(&s, PFKV2_MSG_X_SPDDUMP, PFKV2_SATYPE_UNSPEC,
	    reply, 32768, count_dump, &n) == 1)
		printf("PASS X_SPDDUMP\n");
	else
		fail("X_SPDDUMP", "expected one policy");

	printf("%d kernel messages validated, %d failures\n", seen, failures);
	return failures == 0 ? 0 : 1;
}
