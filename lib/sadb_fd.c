/*
 * The fake kernel: descriptors that behave like PF_KEY sockets of the
 * engine, for daemons that do their own read() and write().
 *
 * pfkv2_sadb_fd() makes an AF_UNIX SOCK_SEQPACKET socketpair (message
 * boundaries are kept, as on a PF_KEY socket), hands one end to the caller
 * and serves the other as an endpoint.  Nothing runs behind the caller's
 * back: the engine has no thread, and the caller drives it with
 * pfkv2_sadb_pump(), typically from the same poll loop as its daemon or,
 * in a test, between the daemon's write() and read():
 *
 *	fd = pfkv2_sadb_fd(db, getpid());
 *	write(fd, request, len);
 *	pfkv2_sadb_pump(db, 0);		reads, answers, writes replies
 *	read(fd, reply, sizeof(reply));
 *
 * pump() first writes out what is queued, waits up to timeout_ms for
 * input, reads every message waiting on any descriptor, hands each to
 * pfkv2_sadb_send(), and writes the answers out as far as the sockets take
 * them (the rest stays queued, and streaming dumps resume as they drain).
 * A peer that closed its end has its endpoint dropped.
 *
 * Two things cannot travel through a socketpair: a write() error (EINVAL,
 * EMSGSIZE, ENOBUFS, which a kernel returns from write itself) comes back
 * instead as a base-only reply with that errno, the request's header
 * copied (zeros where the request was shorter); and an overflow of the
 * endpoint's queue is only counted (pfkv2_sadb_dropped), not reported.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sadb_int.h"

#define SOCKBUF		(1024 * 1024)

static void
set_flags(int fd, bool nonblock)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFD)) != -1)
		(void)fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
	if (nonblock && (fl = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

PFKV2_API int
pfkv2_sadb_fd(struct pfkv2_sadb *db, uint32_t pid)
{
	struct pfkv2_sadb_ep *ep;
	int sv[2], sz = SOCKBUF, e;

	if (db == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
		return -1;
	set_flags(sv[0], false);
	set_flags(sv[1], true);
	/* Room for the largest PF_KEY message in one piece (best effort). */
	(void)setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	(void)setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	(void)setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	(void)setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if ((ep = pfkv2_sadb_open(db, pid)) == NULL) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		errno = e;
		return -1;
	}
	ep->fd = sv[1];
	return sv[0];
}

void
fd_close_all(struct pfkv2_sadb *db)
{
	struct pfkv2_sadb_ep *ep, *next;

	for (ep = db->eps; ep != NULL; ep = next) {
		next = ep->next;
		if (ep->fd >= 0)
			ep_destroy(ep);
	}
}

/* Write queued messages out; false when the peer is gone. */
static bool
flush(struct pfkv2_sadb_ep *ep)
{
	ssize_t n;

	/* An overflow cannot be reported through the socket. */
	ep->overflow = 0;
	while (ep->qhead != NULL) {
		n = send(ep->fd, ep->qhead->data, ep->qhead->len,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS || errno == EINTR;
		ep_pop(ep);
		if (ep->dump.kind != DUMP_NONE)
			dump_fill(ep);
	}
	return true;
}

/* What write() would have failed with, as a reply. */
static void
write_error(struct pfkv2_sadb_ep *ep, const uint8_t *m, size_t len, int err)
{
	uint8_t h[16];

	memset(h, 0, sizeof(h));
	memcpy(h, m, len < 16 ? len : 16);
	h[OFF(msg, sadb_msg_errno)] = (uint8_t)(err > 0 && err < 256 ? err :
	    EINVAL);
	st16(h + OFF(msg, sadb_msg_len), 2);
	ep_enqueue(ep, h, 16, false);
}

/* Read and answer everything waiting; false when the peer is gone. */
static bool
serve(struct pfkv2_sadb *db, struct pfkv2_sadb_ep *ep, int *handled)
{
	ssize_t n;

	if (db->ibuf == NULL) {
		db->icap = PFKV2_MSG_MAXLEN + 8;
		if ((db->ibuf = db_alloc(db, db->icap)) == NULL) {
			db->icap = 0;
			return true;
		}
	}
	for (;;) {
		n = recv(ep->fd, db->ibuf, db->icap, MSG_DONTWAIT);
		if (n == 0)
			return false;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR;
		(*handled)++;
		if ((size_t)n > PFKV2_MSG_MAXLEN) {
			write_error(ep, db->ibuf, (size_t)n, EMSGSIZE);
			continue;
		}
		if (pfkv2_sadb_send(ep, db->ibuf, (size_t)n) != 0)
			write_error(ep, db->ibuf, (size_t)n, errno);
		/* Requests may carry keys: leave none behind. */
		wipe(db->ibuf, (size_t)n);
	}
}

static struct pfkv2_sadb_ep *
ep_of_fd(struct pfkv2_sadb *db, int fd)
{
	struct pfkv2_sadb_ep *ep;

	for (ep = db->eps; ep != NULL; ep = ep->next)
		if (ep->fd == fd)
			return ep;
	return NULL;
}

PFKV2_API int
pfkv2_sadb_pump(struct pfkv2_sadb *db, int timeout_ms)
{
	struct pfkv2_sadb_ep *ep, *next;
	struct pollfd *pf;
	size_t n = 0, k;
	int handled = 0, r;

	if (db == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (ep = db->eps; ep != NULL; ep = next) {
		next = ep->next;
		if (ep->fd >= 0 && !flush(ep))
			ep_destroy(ep);
		else if (ep->fd >= 0)
			n++;
	}
	if (n == 0)
		return 0;
	if ((pf = calloc(n, sizeof(*pf))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (ep = db->eps, k = 0; ep != NULL && k < n; ep = ep->next) {
		if (ep->fd < 0)
			continue;
		pf[k].fd = ep->fd;
		pf[k].events = POLLIN | (ep->qhead != NULL ? POLLOUT : 0);
		k++;
	}
	r = poll(pf, (nfds_t)n, timeout_ms);
	if (r < 0) {
		free(pf);
		return errno == EINTR ? 0 : -1;
	}
	for (k = 0; k < n; k++) {
		if (pf[k].revents == 0 || (ep = ep_of_fd(db, pf[k].fd)) == NULL)
			continue;
		if ((pf[k].revents & POLLIN) && !serve(db, ep, &handled)) {
			ep_destroy(ep);
			continue;
		}
		if ((pf[k].revents & (POLLHUP | POLLERR)) &&
		    !(pf[k].revents & POLLIN)) {
			ep_destroy(ep);
			continue;
		}
	}
	free(pf);
	for (ep = db->eps; ep != NULL; ep = next) {
		next = ep->next;
		if (ep->fd >= 0 && !flush(ep))
			ep_destroy(ep);
	}
	return handled;
}
