/*
 * A PF_KEY program built on libc alone, as an IKE daemon's kernel
 * interface is: it opens socket(PF_KEY, SOCK_RAW, PF_KEY_V2) and writes
 * and reads Linux PF_KEY v2 messages it builds with its own small
 * structures.  tests/simd/run.sh runs it under libpfkv2-preload against
 * pfkv2-simd.  It deliberately uses nothing of libpfkv2.
 *
 *	simd_client basic [N]	REGISTER, GETSPI, UPDATE, DUMP, X_SPDADD,
 *				X_SPDDUMP, and the socket's behaviour (N
 *				varies the policy, so it can run again)
 *	simd_client short	REGISTER, GETSPI, UPDATE, DUMP only
 *	simd_client listen FILE SPI   create FILE once open, then wait for
 *				another socket's ADD of SPI
 *	simd_client add SPI	ADD an SA with that SPI
 *	simd_client hang FILE	REGISTER, GETSPI, create FILE, sleep
 *	simd_client flood FILE N   write N requests, read nothing, create
 *				FILE, sleep
 *	simd_client malformed	bad requests each get an errno reply, and
 *				the SAD and SPD dumps are the same after
 *	simd_client count	print the number of SAs
 *	simd_client refused	socket() must fail with EPERM
 *	simd_client nodaemon	socket() must fail with EAFNOSUPPORT
 *
 * Exit 0 when every check held, 1 otherwise.
 */
#define _DEFAULT_SOURCE		/* syscall() */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PF_KEY
#define PF_KEY		15
#endif
#define PF_KEY_V2	2

/* Linux <linux/pfkeyv2.h> numbers, restated. */
enum {
	SADB_GETSPI = 1, SADB_UPDATE = 2, SADB_ADD = 3, SADB_REGISTER = 7,
	SADB_DUMP = 10, SADB_X_SPDADD = 14, SADB_X_SPDDUMP = 18
};
enum { SATYPE_UNSPEC = 0, SATYPE_AH = 2, SATYPE_ESP = 3 };
enum {
	EXT_SA = 1, EXT_LIFETIME_HARD = 3, EXT_LIFETIME_SOFT = 4,
	EXT_ADDRESS_SRC = 5, EXT_ADDRESS_DST = 6, EXT_KEY_AUTH = 8,
	EXT_KEY_ENCRYPT = 9, EXT_SUPPORTED_AUTH = 14,
	EXT_SUPPORTED_ENCRYPT = 15, EXT_SPIRANGE = 16, EXT_X_POLICY = 18
};
#define AALG_SHA2_256HMAC	5
#define EALG_AESCBC		12
#define SASTATE_MATURE		1
#define POLICY_IPSEC		2
#define DIR_OUTBOUND		2
#define MODE_TRANSPORT		1
#define LEVEL_REQUIRE		2

/* The wire structures this program needs (Linux layouts, host order). */
struct msg {
	uint8_t version, type, err, satype;
	uint16_t len, reserved;
	uint32_t seq, pid;
};
struct ext {
	uint16_t len, type;
};
struct sa {
	uint32_t spi;		/* network order */
	uint8_t replay, state, auth, encrypt;
	uint32_t flags;
};
struct address {
	uint8_t proto, prefixlen;
	uint16_t reserved;
	struct sockaddr_in sin;
};
struct key {
	uint16_t bits, reserved;
};
struct spirange {
	uint32_t min, max, reserved;
};
struct policy {
	uint16_t type;
	uint8_t dir, reserved;
	uint32_t id, priority;
};
struct isr {
	uint16_t len, proto;
	uint8_t mode, level;
	uint16_t reserved1;
	uint32_t reqid, reserved2;
};

#define MAXMSG		65536
#define TIMEOUT_MS	5000

struct ctx {
	int fd;
	int fails;		/* checks that did not hold */
	uint32_t pid;
	uint32_t seq;
	uint8_t *in;		/* MAXMSG bytes for what is read */
};

/* A message under construction. */
struct mb {
	uint8_t b[1024];
	size_t len;
};

/* Keys written by this program: the daemon's trace must never show them. */
static const uint8_t AUTH_KEY[32] = {
	0x5e, 0xc2, 0x37, 0x91, 0x0b, 0xad, 0xc0, 0xde, 0x71, 0x3a, 0x88,
	0x19, 0xf4, 0x62, 0x2d, 0x0e, 0x93, 0x57, 0xa1, 0x6c, 0x28, 0xbe,
	0x04, 0xd9, 0x7f, 0x45, 0x1b, 0xe6, 0x30, 0x8c, 0x52, 0xfa
};
static const uint8_t ENC_KEY[16] = {
	0xc7, 0x19, 0x6a, 0xe2, 0x4d, 0x83, 0x3f, 0xb0, 0x95, 0x2c, 0xd1,
	0x58, 0x0a, 0xef, 0x66, 0x3b
};

/* Needs a struct ctx *c in scope. */
#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FAIL %s:%d: ", __func__, __LINE__);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		c->fails++;						\
	}								\
} while (0)

static void
mb_start(struct mb *m, uint8_t type, uint8_t satype, uint32_t seq,
    uint32_t pid)
{
	struct msg h;

	memset(m, 0, sizeof(*m));
	memset(&h, 0, sizeof(h));
	h.version = PF_KEY_V2;
	h.type = type;
	h.satype = satype;
	h.seq = seq;
	h.pid = pid;
	memcpy(m->b, &h, sizeof(h));
	m->len = sizeof(h);
}

/* An extension: header, body, zero padding to 8 bytes. */
static void
mb_ext(struct mb *m, uint16_t type, const void *body, size_t n)
{
	struct ext e;
	size_t total = (sizeof(e) + n + 7) / 8 * 8;

	if (m->len + total > sizeof(m->b))
		abort();
	e.len = (uint16_t)(total / 8);
	e.type = type;
	memcpy(m->b + m->len, &e, sizeof(e));
	memcpy(m->b + m->len + sizeof(e), body, n);
	m->len += total;
}

static size_t
mb_finish(struct mb *m)
{
	uint16_t words = (uint16_t)(m->len / 8);

	memcpy(m->b + offsetof(struct msg, len), &words, sizeof(words));
	return m->len;
}

static void
mb_addr(struct mb *m, uint16_t type, const char *ip, uint8_t plen,
    uint8_t proto)
{
	struct address a;

	memset(&a, 0, sizeof(a));
	a.proto = proto;
	a.prefixlen = plen;
	a.sin.sin_family = AF_INET;
	inet_pton(AF_INET, ip, &a.sin.sin_addr);
	mb_ext(m, type, &a, sizeof(a));
}

static void
mb_key(struct mb *m, uint16_t type, const uint8_t *k, size_t n)
{
	uint8_t body[4 + 64];
	struct key h = { (uint16_t)(n * 8), 0 };

	memcpy(body, &h, sizeof(h));
	memcpy(body + sizeof(h), k, n);
	mb_ext(m, type, body, sizeof(h) + n);
}

/*
 * sadb_lifetime's 64-bit fields are 8-aligned in the extension, so they
 * sit at body offsets 4, 12 and 20.
 */
static void
mb_lifetime(struct mb *m, uint16_t type, uint64_t addtime)
{
	uint8_t body[28];

	memset(body, 0, sizeof(body));
	memcpy(body + 12, &addtime, sizeof(addtime));
	mb_ext(m, type, body, sizeof(body));
}

static void
mb_sa(struct mb *m, uint32_t spi, uint8_t state, uint8_t auth, uint8_t enc)
{
	struct sa sa = { htonl(spi), 32, state, auth, enc, 0 };

	mb_ext(m, EXT_SA, &sa, sizeof(sa));
}

/* Extension type in a received message, or NULL; *n: its body length. */
static const uint8_t *
find_ext(const uint8_t *msg, size_t len, uint16_t type, size_t *n)
{
	size_t off = sizeof(struct msg);
	struct ext e;

	while (off + sizeof(e) <= len) {
		memcpy(&e, msg + off, sizeof(e));
		if (e.len == 0 || off + (size_t)e.len * 8 > len)
			return NULL;
		if (e.type == type) {
			if (n != NULL)
				*n = (size_t)e.len * 8 - sizeof(e);
			return msg + off + sizeof(e);
		}
		off += (size_t)e.len * 8;
	}
	return NULL;
}

static struct msg
header(const uint8_t *m)
{
	struct msg h;

	memcpy(&h, m, sizeof(h));
	return h;
}

static int
pfkey_open(struct ctx *c)
{
	c->fd = socket(PF_KEY, SOCK_RAW, PF_KEY_V2);
	if (c->fd < 0) {
		fprintf(stderr, "socket(PF_KEY): %s\n", strerror(errno));
		return -1;
	}
	c->pid = (uint32_t)getpid();
	return 0;
}

static int
send_msg(struct ctx *c, const void *m, size_t len)
{
	ssize_t n = write(c->fd, m, len);

	if (n != (ssize_t)len) {
		fprintf(stderr, "write: %s\n", n < 0 ? strerror(errno) :
		    "short");
		c->fails++;
		return -1;
	}
	return 0;
}

/* The next message, waiting up to ms; its length, 0 on timeout. */
static ssize_t
next_msg(struct ctx *c, int ms)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	n = recv(c->fd, c->in, MAXMSG, 0);
	if (n < 0)
		fprintf(stderr, "recv: %s\n", strerror(errno));
	return n < 0 ? -1 : n;
}

/*
 * The reply to our request (type, seq) in c->in: other traffic (other
 * sockets' broadcasts) is skipped.  Its length, or 0.
 */
static ssize_t
reply(struct ctx *c, uint8_t type, uint32_t seq)
{
	struct msg h;
	ssize_t n;

	while ((n = next_msg(c, TIMEOUT_MS)) > 0) {
		h = header(c->in);
		if (h.type == type && h.seq == seq && h.pid == c->pid)
			return n;
	}
	fprintf(stderr, "no reply to message type %u seq %u\n", type, seq);
	c->fails++;
	return 0;
}

/*
 * A dump: every message of type up to the one with seq 0.  Appended to
 * out (when not NULL) as they came; returns how many, -1 on error.
 */
static int
dump(struct ctx *c, uint8_t type, uint8_t satype, uint32_t seq,
    uint8_t *out, size_t *outlen, size_t outcap)
{
	struct mb m;
	struct msg h;
	ssize_t n;
	int count = 0;

	mb_start(&m, type, satype, seq, c->pid);
	if (send_msg(c, m.b, mb_finish(&m)) != 0)
		return -1;
	while ((n = next_msg(c, TIMEOUT_MS)) > 0) {
		h = header(c->in);
		if (h.type != type || h.pid != c->pid)
			continue;
		if (h.err == ENOENT)
			return 0;		/* nothing to dump */
		if (h.err != 0) {
			fprintf(stderr, "dump type %u: errno %u\n", type,
			    h.err);
			return -1;
		}
		if (out != NULL && *outlen + (size_t)n <= outcap) {
			memcpy(out + *outlen, c->in, (size_t)n);
			*outlen += (size_t)n;
		}
		count++;
		if (h.seq == 0)
			return count;
	}
	fprintf(stderr, "dump type %u: no end\n", type);
	return -1;
}

static int
sockopt_int(int fd, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, name, &v, &len) != 0)
		return -1;
	return v;
}

/* The descriptor looks and behaves like a PF_KEY socket. */
static void
check_socket(struct ctx *c)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd, big = 1 << 20, fl;
	char b[16];

	CHECK(sockopt_int(c->fd, SO_DOMAIN) == PF_KEY, "SO_DOMAIN");
	CHECK(sockopt_int(c->fd, SO_TYPE) == SOCK_RAW, "SO_TYPE");
	CHECK(sockopt_int(c->fd, SO_PROTOCOL) == PF_KEY_V2, "SO_PROTOCOL");
	CHECK(getsockname(c->fd, (struct sockaddr *)&ss, &sl) == -1 &&
	    errno == EOPNOTSUPP, "getsockname must fail as on Linux PF_KEY");
	CHECK(shutdown(c->fd, SHUT_RDWR) == -1 && errno == EOPNOTSUPP,
	    "shutdown must fail as on Linux PF_KEY");
	CHECK(setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &big,
	    sizeof(big)) == 0, "SO_RCVBUF: %s", strerror(errno));
	/* Duplicates are PF_KEY sockets too, and closing one keeps c->fd. */
	fd = dup(c->fd);
	CHECK(fd >= 0 && sockopt_int(fd, SO_DOMAIN) == PF_KEY, "dup");
	close(fd);
	fd = fcntl(c->fd, F_DUPFD_CLOEXEC, 100);
	CHECK(fd >= 100 && sockopt_int(fd, SO_TYPE) == SOCK_RAW,
	    "F_DUPFD_CLOEXEC");
	CHECK(dup2(c->fd, fd) == fd && sockopt_int(fd, SO_PROTOCOL) ==
	    PF_KEY_V2, "dup2");
	close(fd);
	CHECK(sockopt_int(c->fd, SO_DOMAIN) == PF_KEY, "after close(dup)");
	/*
	 * A number closed behind the shim's back and reused for something
	 * else is not taken for PF_KEY.
	 */
	fd = dup(c->fd);
	CHECK(fd >= 0 && syscall(SYS_close, fd) == 0, "raw close");
	fl = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(fl == fd && sockopt_int(fl, SO_DOMAIN) == AF_INET,
	    "a reused number (%d, %d) is AF_INET", fd, fl);
	close(fl);
	/* The kernel's checks. */
	CHECK(socket(PF_KEY, SOCK_DGRAM, PF_KEY_V2) == -1 &&
	    errno == ESOCKTNOSUPPORT, "SOCK_DGRAM");
	CHECK(socket(PF_KEY, SOCK_RAW, 1) == -1 && errno == EPROTONOSUPPORT,
	    "protocol 1");
	/* SOCK_NONBLOCK and SOCK_CLOEXEC are honoured. */
	fd = socket(PF_KEY, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    PF_KEY_V2);
	CHECK(fd >= 0, "SOCK_NONBLOCK: %s", strerror(errno));
	if (fd >= 0) {
		fl = fcntl(fd, F_GETFD);
		CHECK(fl >= 0 && (fl & FD_CLOEXEC), "FD_CLOEXEC");
		CHECK(recv(fd, b, sizeof(b), 0) == -1 && (errno == EAGAIN ||
		    errno == EWOULDBLOCK), "non-blocking recv");
		close(fd);
	}
}

static void
do_register(struct ctx *c)
{
	struct mb m;
	struct msgio {
		uint8_t b[16];
	} small;
	struct iovec iov = { &small, sizeof(small) };
	struct msghdr mh;
	struct msg h;
	ssize_t n, peek;
	size_t na = 0, ne = 0;
	uint32_t seq = ++c->seq;

	mb_start(&m, SADB_REGISTER, SATYPE_ESP, seq, c->pid);
	if (send_msg(c, m.b, mb_finish(&m)) != 0)
		return;
	/* Peeking: the header, then the whole length with MSG_TRUNC. */
	{
		struct pollfd p = { .fd = c->fd, .events = POLLIN };

		CHECK(poll(&p, 1, TIMEOUT_MS) == 1, "REGISTER: no reply");
	}
	peek = recv(c->fd, small.b, 16, MSG_PEEK);
	h = header(small.b);
	CHECK(peek == 16, "MSG_PEEK of 16 bytes gave %zd", peek);
	n = recv(c->fd, small.b, 8, MSG_PEEK | MSG_TRUNC);
	CHECK(n == (ssize_t)h.len * 8, "MSG_PEEK|MSG_TRUNC gave %zd, header "
	    "says %u", n, h.len * 8u);
	if ((n = reply(c, SADB_REGISTER, seq)) <= 0)
		return;
	h = header(c->in);
	CHECK(h.err == 0, "REGISTER: errno %u", h.err);
	CHECK(find_ext(c->in, (size_t)n, EXT_SUPPORTED_AUTH, &na) != NULL &&
	    find_ext(c->in, (size_t)n, EXT_SUPPORTED_ENCRYPT, &ne) != NULL,
	    "REGISTER: no SUPPORTED extensions");
	/* sadb_supported: 4 reserved bytes, then 8 per algorithm. */
	printf("REGISTER esp: ok, %zu auth and %zu encrypt algorithms\n",
	    na >= 4 ? (na - 4) / 8 : 0, ne >= 4 ? (ne - 4) / 8 : 0);

	/*
	 * A short read truncates the message and drops its rest.  (AH: a
	 * second REGISTER for ESP would be EEXIST, a bare header.)
	 */
	mb_start(&m, SADB_REGISTER, SATYPE_AH, ++c->seq, c->pid);
	if (send_msg(c, m.b, mb_finish(&m)) != 0)
		return;
	{
		struct pollfd p = { .fd = c->fd, .events = POLLIN };

		(void)poll(&p, 1, TIMEOUT_MS);
	}
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	n = recvmsg(c->fd, &mh, 0);
	CHECK(n == 16 && (mh.msg_flags & MSG_TRUNC), "truncating recvmsg: "
	    "%zd, flags %#x", n, (unsigned)mh.msg_flags);
	n = next_msg(c, 200);
	CHECK(n == 0, "the rest of a truncated message was readable");
}

static uint32_t
do_getspi(struct ctx *c, const char *src, const char *dst)
{
	struct mb m;
	struct spirange r = { 0x1000, 0x1fff, 0 };
	struct sa sa;
	const uint8_t *p;
	uint32_t seq = ++c->seq, spi;
	ssize_t n;

	mb_start(&m, SADB_GETSPI, SATYPE_ESP, seq, c->pid);
	mb_addr(&m, EXT_ADDRESS_SRC, src, 32, 0);
	mb_addr(&m, EXT_ADDRESS_DST, dst, 32, 0);
	mb_ext(&m, EXT_SPIRANGE, &r, sizeof(r));
	if (send_msg(c, m.b, mb_finish(&m)) != 0 ||
	    (n = reply(c, SADB_GETSPI, seq)) <= 0)
		return 0;
	CHECK(header(c->in).err == 0, "GETSPI: errno %u", header(c->in).err);
	p = find_ext(c->in, (size_t)n, EXT_SA, NULL);
	CHECK(p != NULL, "GETSPI: no SA in the reply");
	if (p == NULL)
		return 0;
	memcpy(&sa, p, sizeof(sa));
	spi = ntohl(sa.spi);
	CHECK(spi >= r.min && spi <= r.max, "GETSPI: spi %#x out of range",
	    spi);
	printf("GETSPI esp %s -> %s: ok, spi 0x%08x\n", src, dst, spi);
	return spi;
}

static void
put_keys(struct mb *m)
{
	mb_key(m, EXT_KEY_AUTH, AUTH_KEY, sizeof(AUTH_KEY));
	mb_key(m, EXT_KEY_ENCRYPT, ENC_KEY, sizeof(ENC_KEY));
}

static void
do_update(struct ctx *c, uint32_t spi, const char *src, const char *dst)
{
	struct mb m;
	uint32_t seq = ++c->seq;

	mb_start(&m, SADB_UPDATE, SATYPE_ESP, seq, c->pid);
	mb_sa(&m, spi, SASTATE_MATURE, AALG_SHA2_256HMAC, EALG_AESCBC);
	mb_lifetime(&m, EXT_LIFETIME_HARD, 60);
	mb_lifetime(&m, EXT_LIFETIME_SOFT, 50);
	mb_addr(&m, EXT_ADDRESS_SRC, src, 32, 0);
	mb_addr(&m, EXT_ADDRESS_DST, dst, 32, 0);
	put_keys(&m);
	if (send_msg(c, m.b, mb_finish(&m)) != 0 ||
	    reply(c, SADB_UPDATE, seq) <= 0)
		return;
	CHECK(header(c->in).err == 0, "UPDATE: errno %u", header(c->in).err);
	printf("UPDATE spi 0x%08x: ok, hmac-sha256 and aes-cbc, hard "
	    "lifetime 60 s\n", spi);
}

/* DUMP: the SA of spi is there and MATURE. */
static void
do_dump(struct ctx *c, uint32_t spi)
{
	uint8_t *all = malloc(MAXMSG);
	size_t len = 0, off, n;
	const uint8_t *p;
	struct sa sa;
	struct msg h;
	int count, found = 0;

	if (all == NULL)
		abort();
	count = dump(c, SADB_DUMP, SATYPE_UNSPEC, ++c->seq, all, &len,
	    MAXMSG);
	for (off = 0; off < len; off += n) {
		h = header(all + off);
		n = (size_t)h.len * 8;
		p = find_ext(all + off, n, EXT_SA, NULL);
		if (p == NULL)
			continue;
		memcpy(&sa, p, sizeof(sa));
		if (ntohl(sa.spi) == spi && sa.state == SASTATE_MATURE)
			found = 1;
	}
	CHECK(count >= 1 && found, "DUMP: %d SAs, spi 0x%08x %s", count, spi,
	    found ? "found" : "missing");
	printf("DUMP: ok, %d SA(s), spi 0x%08x mature\n", count, spi);
	free(all);
}

static uint32_t
do_spdadd(struct ctx *c, unsigned n)
{
	struct mb m;
	uint8_t body[sizeof(struct policy) + sizeof(struct isr)];
	struct policy pol = { POLICY_IPSEC, DIR_OUTBOUND, 0, 0, 0 };
	struct isr r = { sizeof(struct isr), IPPROTO_ESP, MODE_TRANSPORT,
	    LEVEL_REQUIRE, 0, 0, 0 };
	char dst[32];
	const uint8_t *p;
	uint32_t seq = ++c->seq;
	ssize_t len;

	snprintf(dst, sizeof(dst), "192.0.2.%u", 2 + n % 200);
	mb_start(&m, SADB_X_SPDADD, SATYPE_UNSPEC, seq, c->pid);
	mb_addr(&m, EXT_ADDRESS_SRC, "192.0.2.1", 32, 255);
	mb_addr(&m, EXT_ADDRESS_DST, dst, 32, 255);
	memcpy(body, &pol, sizeof(pol));
	memcpy(body + sizeof(pol), &r, sizeof(r));
	mb_ext(&m, EXT_X_POLICY, body, sizeof(body));
	if (send_msg(c, m.b, mb_finish(&m)) != 0 ||
	    (len = reply(c, SADB_X_SPDADD, seq)) <= 0)
		return 0;
	CHECK(header(c->in).err == 0, "X_SPDADD: errno %u",
	    header(c->in).err);
	p = find_ext(c->in, (size_t)len, EXT_X_POLICY, NULL);
	CHECK(p != NULL, "X_SPDADD: no policy in the reply");
	if (p == NULL)
		return 0;
	memcpy(&pol, p, sizeof(pol));
	CHECK(pol.id != 0, "X_SPDADD: no policy id");
	printf("X_SPDADD 192.0.2.1 -> %s out ipsec esp/transport: ok, "
	    "policy id %u\n", dst, pol.id);
	return pol.id;
}

static void
do_spddump(struct ctx *c, uint32_t id)
{
	uint8_t *all = malloc(MAXMSG);
	size_t len = 0, off, n;
	const uint8_t *p;
	struct policy pol;
	int count, found = 0;

	if (all == NULL)
		abort();
	count = dump(c, SADB_X_SPDDUMP, SATYPE_UNSPEC, ++c->seq, all, &len,
	    MAXMSG);
	for (off = 0; off < len; off += n) {
		n = (size_t)header(all + off).len * 8;
		if ((p = find_ext(all + off, n, EXT_X_POLICY, NULL)) == NULL)
			continue;
		memcpy(&pol, p, sizeof(pol));
		found = found || pol.id == id;
	}
	CHECK(count >= 1 && found, "X_SPDDUMP: %d policies, id %u %s", count,
	    id, found ? "found" : "missing");
	printf("X_SPDDUMP: ok, %d policy(ies), id %u there\n", count, id);
	free(all);
}

static int
basic(struct ctx *c, unsigned n, int full)
{
	uint32_t spi, id;

	if (pfkey_open(c) != 0)
		return 1;
	if (full)
		check_socket(c);
	do_register(c);
	if ((spi = do_getspi(c, "198.51.100.1", "203.0.113.1")) != 0) {
		do_update(c, spi, "198.51.100.1", "203.0.113.1");
		do_dump(c, spi);
	}
	if (full && (id = do_spdadd(c, n)) != 0)
		do_spddump(c, id);
	close(c->fd);
	return c->fails != 0;
}

static int
touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* Another socket's ADD of spi reaches this one, as on a kernel. */
static int
listen_add(struct ctx *c, const char *ready, uint32_t spi)
{
	const uint8_t *p;
	struct sa sa;
	struct msg h;
	ssize_t n;
	int i;

	if (pfkey_open(c) != 0 || touch(ready) != 0)
		return 1;
	for (i = 0; i < 20; i++) {
		if ((n = next_msg(c, 500)) <= 0)
			continue;
		h = header(c->in);
		p = find_ext(c->in, (size_t)n, EXT_SA, NULL);
		if (h.type != SADB_ADD || h.err != 0 || h.pid == c->pid ||
		    p == NULL)
			continue;
		memcpy(&sa, p, sizeof(sa));
		if (ntohl(sa.spi) == spi) {
			printf("listen: saw the ADD of spi 0x%08x by pid %u\n",
			    spi, h.pid);
			return 0;
		}
	}
	fprintf(stderr, "listen: no ADD of spi 0x%08x\n", spi);
	return 1;
}

static int
add(struct ctx *c, uint32_t spi)
{
	struct mb m;
	uint32_t seq;

	if (pfkey_open(c) != 0)
		return 1;
	seq = ++c->seq;
	mb_start(&m, SADB_ADD, SATYPE_ESP, seq, c->pid);
	mb_sa(&m, spi, SASTATE_MATURE, AALG_SHA2_256HMAC, EALG_AESCBC);
	mb_addr(&m, EXT_ADDRESS_SRC, "198.51.100.2", 32, 0);
	mb_addr(&m, EXT_ADDRESS_DST, "203.0.113.2", 32, 0);
	put_keys(&m);
	if (send_msg(c, m.b, mb_finish(&m)) == 0 && reply(c, SADB_ADD, seq) > 0)
		CHECK(header(c->in).err == 0, "ADD: errno %u",
		    header(c->in).err);
	if (c->fails == 0)
		printf("ADD spi 0x%08x: ok\n", spi);
	close(c->fd);
	return c->fails != 0;
}

/* Leave state behind, then wait to be killed. */
static int
hang(struct ctx *c, const char *ready)
{
	if (pfkey_open(c) != 0)
		return 1;
	do_register(c);
	(void)do_getspi(c, "198.51.100.9", "203.0.113.9");
	if (c->fails != 0 || touch(ready) != 0)
		return 1;
	for (;;)
		pause();
}

/*
 * Write n requests and never read the answers: the daemon must go on
 * serving others, dropping what overflows this socket's queue.
 */
static int
flood(struct ctx *c, const char *ready, long n)
{
	struct mb m;
	size_t len;
	long i;

	if (pfkey_open(c) != 0)
		return 1;
	for (i = 0; i < n; i++) {
		mb_start(&m, SADB_REGISTER, SATYPE_ESP, ++c->seq, c->pid);
		len = mb_finish(&m);
		if (send_msg(c, m.b, len) != 0)
			return 1;
	}
	if (touch(ready) != 0)
		return 1;
	for (;;)
		pause();
}

static int
count(struct ctx *c)
{
	int n;

	if (pfkey_open(c) != 0)
		return 1;
	n = dump(c, SADB_DUMP, SATYPE_UNSPEC, ++c->seq, NULL, NULL, 0);
	close(c->fd);
	if (n < 0)
		return 1;
	printf("%d\n", n);
	return 0;
}

/*
 * One bad request: it must get an errno reply (matched by seq, or for a
 * request too short to carry one, by seq 0).
 */
static void
bad(struct ctx *c, const char *what, const uint8_t *m, size_t len,
    uint32_t seq)
{
	struct msg h;
	ssize_t n;

	if (send_msg(c, m, len) != 0)
		return;
	while ((n = next_msg(c, TIMEOUT_MS)) > 0) {
		h = header(c->in);
		if (h.seq == seq && h.err != 0) {
			printf("malformed: %s: errno reply %u (%s)\n", what,
			    h.err, strerror(h.err));
			return;
		}
	}
	CHECK(0, "%s: no errno reply", what);
}

static int
malformed(struct ctx *c)
{
	uint8_t *before = malloc(2 * MAXMSG), *after = malloc(2 * MAXMSG);
	size_t blen = 0, alen = 0;
	struct mb m;
	struct ext e;
	uint32_t seq;
	int i, nb, na;

	if (before == NULL || after == NULL)
		abort();
	if (pfkey_open(c) != 0)
		return 1;
	nb = dump(c, SADB_DUMP, SATYPE_UNSPEC, 77, before, &blen, MAXMSG);
	nb += dump(c, SADB_X_SPDDUMP, SATYPE_UNSPEC, 78, before, &blen,
	    2 * MAXMSG);

	/* Version 3. */
	mb_start(&m, SADB_GETSPI, SATYPE_ESP, seq = ++c->seq, c->pid);
	m.b[0] = 3;
	bad(c, "version 3", m.b, mb_finish(&m), seq);
	/* sadb_msg_len says more than was written. */
	mb_start(&m, SADB_DUMP, SATYPE_UNSPEC, seq = ++c->seq, c->pid);
	mb_finish(&m);
	m.b[4] = 4;
	bad(c, "length disagrees", m.b, 16, seq);
	/* Message type out of range. */
	mb_start(&m, 200, SATYPE_ESP, seq = ++c->seq, c->pid);
	bad(c, "type 200", m.b, mb_finish(&m), seq);
	/* Too short for a header. */
	mb_start(&m, SADB_ADD, SATYPE_ESP, 0, 0);
	bad(c, "8 bytes", m.b, 8, 0);
	/* An extension that runs past the end. */
	mb_start(&m, SADB_ADD, SATYPE_ESP, seq = ++c->seq, c->pid);
	mb_sa(&m, 0x4242, SASTATE_MATURE, AALG_SHA2_256HMAC, EALG_AESCBC);
	mb_addr(&m, EXT_ADDRESS_SRC, "198.51.100.3", 32, 0);
	mb_finish(&m);
	e.len = 40;
	e.type = EXT_ADDRESS_SRC;
	memcpy(m.b + 32, &e, sizeof(e));
	bad(c, "extension overrun", m.b, m.len, seq);
	/* A zero-length extension. */
	mb_start(&m, SADB_ADD, SATYPE_ESP, seq = ++c->seq, c->pid);
	mb_sa(&m, 0x4243, SASTATE_MATURE, AALG_SHA2_256HMAC, EALG_AESCBC);
	mb_finish(&m);
	m.b[16] = 0;
	m.b[17] = 0;
	bad(c, "zero-length extension", m.b, m.len, seq);
	/* ADD without addresses or keys. */
	mb_start(&m, SADB_ADD, SATYPE_ESP, seq = ++c->seq, c->pid);
	mb_sa(&m, 0x4244, SASTATE_MATURE, AALG_SHA2_256HMAC, EALG_AESCBC);
	bad(c, "ADD without addresses", m.b, mb_finish(&m), seq);
	/* UPDATE of an SA that does not exist. */
	mb_start(&m, SADB_UPDATE, SATYPE_ESP, seq = ++c->seq, c->pid);
	mb_sa(&m, 0x0dead, SASTATE_MATURE, AALG_SHA2_256HMAC, EALG_AESCBC);
	mb_addr(&m, EXT_ADDRESS_SRC, "198.51.100.4", 32, 0);
	mb_addr(&m, EXT_ADDRESS_DST, "203.0.113.4", 32, 0);
	put_keys(&m);
	bad(c, "UPDATE of no SA", m.b, mb_finish(&m), seq);
	/* Garbage. */
	for (i = 0; i < 64; i++)
		m.b[i] = (uint8_t)(i * 37 + 11);
	m.b[0] = PF_KEY_V2;
	m.b[1] = SADB_ADD;
	m.b[4] = 8;
	m.b[5] = 0;
	m.b[6] = m.b[7] = 0;
	seq = ++c->seq;
	memcpy(m.b + 8, &seq, sizeof(seq));
	bad(c, "garbage extensions", m.b, 64, seq);

	/*
	 * More than the socket takes (sk_sndbuf - 32 bytes, on a PF_KEY
	 * socket as on this one): write() itself fails with EMSGSIZE.
	 */
	{
		size_t big = 300000;
		uint8_t *p = calloc(1, big);
		uint16_t words = (uint16_t)(big / 8);
		ssize_t w;

		if (p == NULL)
			abort();
		mb_start(&m, SADB_DUMP, SATYPE_UNSPEC, ++c->seq, c->pid);
		memcpy(p, m.b, 16);
		memcpy(p + 4, &words, sizeof(words));
		w = write(c->fd, p, big);
		CHECK(w == -1 && errno == EMSGSIZE, "a %zu-byte write gave "
		    "%zd (%s)", big, w, w < 0 ? strerror(errno) : "");
		if (w == -1 && errno == EMSGSIZE)
			printf("malformed: a %zu-byte write: %s\n", big,
			    strerror(errno));
		free(p);
	}

	na = dump(c, SADB_DUMP, SATYPE_UNSPEC, 77, after, &alen, MAXMSG);
	na += dump(c, SADB_X_SPDDUMP, SATYPE_UNSPEC, 78, after, &alen,
	    2 * MAXMSG);
	CHECK(na == nb && alen == blen && memcmp(before, after, blen) == 0,
	    "the dumps differ: %d messages (%zu bytes) before, %d (%zu) "
	    "after", nb, blen, na, alen);
	if (c->fails == 0)
		printf("malformed: SAD and SPD unchanged (%d messages, %zu "
		    "bytes)\n", na, alen);
	free(before);
	free(after);
	close(c->fd);
	return c->fails != 0;
}

static int
expect_fail(int want)
{
	int fd = socket(PF_KEY, SOCK_RAW, PF_KEY_V2), e = errno;

	if (fd >= 0) {
		fprintf(stderr, "socket(PF_KEY) succeeded; expected %s\n",
		    strerror(want));
		close(fd);
		return 1;
	}
	printf("socket(PF_KEY): %s\n", strerror(e));
	return e == want ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct ctx c;
	const char *mode = argc > 1 ? argv[1] : "";
	int rc;

	memset(&c, 0, sizeof(c));
	c.fd = -1;
	if ((c.in = malloc(MAXMSG)) == NULL)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(mode, "basic") == 0)
		rc = basic(&c, argc > 2 ? (unsigned)atoi(argv[2]) : 0, 1);
	else if (strcmp(mode, "short") == 0)
		rc = basic(&c, 0, 0);
	else if (strcmp(mode, "listen") == 0 && argc == 4)
		rc = listen_add(&c, argv[2], (uint32_t)strtoul(argv[3], NULL,
		    0));
	else if (strcmp(mode, "add") == 0 && argc == 3)
		rc = add(&c, (uint32_t)strtoul(argv[2], NULL, 0));
	else if (strcmp(mode, "hang") == 0 && argc == 3)
		rc = hang(&c, argv[2]);
	else if (strcmp(mode, "flood") == 0 && argc == 4)
		rc = flood(&c, argv[2], atol(argv[3]));
	else if (strcmp(mode, "malformed") == 0)
		rc = malformed(&c);
	else if (strcmp(mode, "count") == 0)
		rc = count(&c);
	else if (strcmp(mode, "refused") == 0)
		rc = expect_fail(EPERM);
	else if (strcmp(mode, "nodaemon") == 0)
		rc = expect_fail(EAFNOSUPPORT);
	else {
		fprintf(stderr, "usage: simd_client basic [N] | short | listen "
		    "FILE SPI | add SPI | hang FILE | flood FILE N | malformed | "
		    "count | "
		    "refused | nodaemon\n");
		rc = 2;
	}
	free(c.in);
	return rc;
}
