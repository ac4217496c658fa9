/*
 * The PF_KEY socket: whole messages of any size (peek the header, then
 * read exactly what it announces), replies matched by type, sequence and
 * pid, dumps followed to the dialect's end marker, EINTR retried, queue
 * overflow (ENOBUFS) reported as such.
 */
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "pfkv2/sock.h"

#define HDR	sizeof(struct pfkv2_sadb_msg)

PFKV2_API int
pfkv2_sock_attach(struct pfkv2_sock *s, int fd, uint32_t pid,
    enum pfkv2_dialect d, pfkv2_pump_fn pump, void *pump_arg)
{
	if (s == NULL || fd < 0 || pfkv2_dl_get(d) == NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->pid = pid;
	s->dialect = d;
	s->pump = pump;
	s->pump_arg = pump_arg;
	s->timeout_ms = -1;
	return 0;
}

PFKV2_API int
pfkv2_sock_open(struct pfkv2_sock *s, enum pfkv2_dialect d)
{
	int fd;

	if (s == NULL || pfkv2_dl_get(d) == NULL) {
		errno = EINVAL;
		return -1;
	}
#ifdef PF_KEY
	fd = socket(PF_KEY, SOCK_RAW, PFKV2_PF_KEY_V2);
#else
	errno = EAFNOSUPPORT;
	fd = -1;
#endif
	if (fd == -1)
		return -1;
	return pfkv2_sock_attach(s, fd, (uint32_t)getpid(), d, NULL, NULL);
}

PFKV2_API int
pfkv2_sock_close(struct pfkv2_sock *s)
{
	int fd = s->fd;

	s->fd = -1;
	return fd < 0 ? 0 : close(fd);
}

PFKV2_API uint32_t
pfkv2_sock_next_seq(struct pfkv2_sock *s)
{
	if (++s->seq == 0)
		s->seq = 1;
	return s->seq;
}

PFKV2_API int
pfkv2_sock_set_rcvbuf(struct pfkv2_sock *s, int bytes)
{
	return setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

PFKV2_API int
pfkv2_sock_send(struct pfkv2_sock *s, const void *msg, size_t len)
{
	ssize_t n;

	if (s->pump != NULL && s->pump(s->pump_arg) == -1)
		return -1;
	do
		n = write(s->fd, msg, len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EIO;	/* a datagram socket never writes part */
		return -1;
	}
	/* Let an in-process peer answer at once. */
	if (s->pump != NULL && s->pump(s->pump_arg) == -1)
		return -1;
	return 0;
}

/* Wait until a message can be read, pumping an in-process peer. */
static int
wait_input(struct pfkv2_sock *s)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	int left = s->timeout_ms, slice, r;

	for (;;) {
		if (s->pump != NULL && s->pump(s->pump_arg) == -1)
			return -1;
		/* With a pump, look again often: the peer answers when pumped. */
		slice = s->pump == NULL ? left : (left < 0 || left > 10 ? 10 :
		    left);
		r = poll(&p, 1, slice);
		if (r > 0)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
		if (r == 0 && left >= 0) {
			if ((left -= slice) <= 0) {
				errno = EAGAIN;
				return -1;
			}
		}
	}
}

PFKV2_API long
pfkv2_sock_recv(struct pfkv2_sock *s, void *buf, size_t size, size_t *needed)
{
	uint8_t hdr[HDR];
	ssize_t n;
	size_t len;

	if (buf == NULL && size != 0) {
		errno = EINVAL;
		return -1;
	}
	for (;;) {
		if (wait_input(s) == -1)
			return -1;
		n = recv(s->fd, hdr, sizeof(hdr), MSG_PEEK);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		break;
	}
	if (n == -1)
		return -1;	/* ENOBUFS: the kernel dropped messages */
	if (n == 0) {
		errno = ECONNRESET;
		return -1;
	}
	len = n < (ssize_t)HDR ? 0 : (size_t)ld16(hdr + 4) * PFKV2_WORD;
	if (len < HDR) {
		/* Not a message we can size: take it off the queue. */
		(void)recv(s->fd, hdr, sizeof(hdr), 0);
		errno = EBADMSG;
		return -1;
	}
	if (needed != NULL)
		*needed = len;
	if (len > size) {
		errno = EMSGSIZE;
		return -1;
	}
	do
		n = recv(s->fd, buf, len, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EBADMSG;
		return -1;
	}
	return (long)n;
}

static unsigned
wire_type(const struct pfkv2_sock *s, unsigned type)
{
	int w = pfkv2_dialect_to_wire(s->dialect, PFKV2_SP_MSG, type);

	return w < 0 ? 0 : (unsigned)w;
}

PFKV2_API long
pfkv2_sock_reply(struct pfkv2_sock *s, unsigned type, uint32_t seq, void *buf,
    size_t size, size_t *needed, pfkv2_msg_fn other, void *arg)
{
	unsigned wt = wire_type(s, type);
	const uint8_t *m = buf;
	long n;

	for (;;) {
		if ((n = pfkv2_sock_recv(s, buf, size, needed)) == -1)
			return -1;
		if (m[OFF(msg, sadb_msg_type)] == wt &&
		    ld32(m + OFF(msg, sadb_msg_seq)) == seq &&
		    ld32(m + OFF(msg, sadb_msg_pid)) == s->pid)
			return n;
		if (other != NULL && other(buf, (size_t)n, arg) == -1)
			return -1;
	}
}

PFKV2_API long
pfkv2_sock_dump(struct pfkv2_sock *s, unsigned type, unsigned satype,
    void *buf, size_t size, pfkv2_msg_fn fn, void *arg)
{
	struct pfkv2_builder b;
	const uint8_t *m = buf;
	unsigned wt = wire_type(s, type);
	uint32_t seq = pfkv2_sock_next_seq(s);
	long n, count = 0;
	bool illumos = s->dialect == PFKV2_DIALECT_ILLUMOS;
	uint8_t req[HDR];

	if (pfkv2_builder_init(&b, req, sizeof(req), s->dialect) == -1 ||
	    pfkv2_put_msg(&b, type, satype, seq, s->pid) == -1 ||
	    pfkv2_sock_send(s, req, HDR) == -1)
		return -1;
	for (;;) {
		if ((n = pfkv2_sock_recv(s, buf, size, NULL)) == -1)
			return -1;
		/* Broadcasts from others may interleave: skip them. */
		if (m[OFF(msg, sadb_msg_type)] != wt ||
		    ld32(m + OFF(msg, sadb_msg_pid)) != s->pid)
			continue;
		if (m[OFF(msg, sadb_msg_errno)] != 0) {
			errno = m[OFF(msg, sadb_msg_errno)];
			return -1;
		}
		/* illumos ends with a bare echo of the request. */
		if (illumos && n == (long)HDR)
			return count;
		count++;
		if (fn != NULL && fn(buf, (size_t)n, arg) == -1)
			return -1;
		/* Linux, FreeBSD and the RFC: the last answer has seq 0. */
		if (!illumos && ld32(m + OFF(msg, sadb_msg_seq)) == 0)
			return count;
	}
}
