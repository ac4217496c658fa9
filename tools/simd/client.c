/*
 * pfkv2-simd: PF_KEY clients.  Each accepted connection is one engine
 * endpoint, known by the peer's pid; the daemon passes bytes through and
 * the engine does the rest (errno replies for bad requests, broadcasts,
 * ENOBUFS accounting on its bounded queues).
 */
#define _GNU_SOURCE		/* SO_PEERCRED, struct ucred, accept4 */

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "simd.h"
#include "simd-proto.h"

/* Clear memory that held a message: requests and replies carry keys. */
void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

/* Whether the peer is in group gid (its primary or a supplementary one). */
static bool
in_group(int fd, const struct ucred *cr, gid_t gid)
{
	gid_t *g = NULL;
	socklen_t len = 0;
	struct passwd pw, *res = NULL;
	char pbuf[4096];
	int n = 0, i;
	bool yes = false;

	if (cr->gid == gid)
		return true;
#ifdef SO_PEERGROUPS
	/* The groups the peer really has (Linux 4.13). */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, NULL, &len) != 0 &&
	    errno == ERANGE && len > 0 && (g = malloc(len)) != NULL &&
	    getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) == 0) {
		for (i = 0; i < (int)(len / sizeof(*g)); i++)
			yes = yes || g[i] == gid;
		free(g);
		return yes;
	}
	free(g);
	g = NULL;
#else
	(void)fd;
	(void)len;
#endif
	/* Else the groups the user database gives the peer's user. */
	if (getpwuid_r(cr->uid, &pw, pbuf, sizeof(pbuf), &res) != 0 ||
	    res == NULL)
		return false;
	(void)getgrouplist(res->pw_name, cr->gid, NULL, &n);
	if (n <= 0 || (g = calloc((size_t)n, sizeof(*g))) == NULL)
		return false;
	if (getgrouplist(res->pw_name, cr->gid, g, &n) >= 0)
		for (i = 0; i < n; i++)
			yes = yes || g[i] == gid;
	free(g);
	return yes;
}

/*
 * Whoever talks to the daemon can read and install keys: only the
 * daemon's own user, or members of --group, may.  0 when allowed.
 */
int
peer_check(const struct simd *s, int fd, pid_t *pid, uid_t *uid)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	*pid = 0;
	*uid = (uid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0)
		return -1;
	*pid = cr.pid;
	*uid = cr.uid;
	if (cr.uid == s->uid)
		return 0;
	if (s->group != NULL && in_group(fd, &cr, s->gid))
		return 0;
	return -1;
}

static void
greet(int fd, uint32_t status)
{
	struct simd_greeting g;

	memcpy(g.magic, SIMD_MAGIC, sizeof(g.magic));
	g.version = SIMD_VERSION;
	g.status = status;
	/* A fresh socket's buffer is empty: this cannot block or be short. */
	(void)send(fd, &g, sizeof(g), MSG_DONTWAIT | MSG_NOSIGNAL);
}

static struct client *
client_new(struct simd *s)
{
	struct client *c;
	size_t cap;

	if (s->nclients == s->capclients) {
		cap = s->capclients != 0 ? s->capclients * 2 : 8;
		if ((c = realloc(s->clients, cap * sizeof(*c))) == NULL)
			return NULL;
		s->clients = c;
		s->capclients = cap;
	}
	c = &s->clients[s->nclients++];
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	return c;
}

void
client_accept(struct simd *s)
{
	struct client *c;
	pid_t pid;
	uid_t uid;
	int fd;

	while ((fd = accept4(s->lfd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		if (peer_check(s, fd, &pid, &uid) != 0) {
			fprintf(stderr, PROG ": refused pid %ld uid %ld: not "
			    "the daemon's user%s\n", (long)pid, (long)uid,
			    s->group != NULL ? " nor in its group" : "");
			trace_event(s, NULL, pid, "refused", "uid %ld", (long)uid);
			greet(fd, EPERM);
			close(fd);
			continue;
		}
		if ((c = client_new(s)) == NULL ||
		    (c->ep = pfkv2_sadb_open(s->db, (uint32_t)pid)) == NULL) {
			fprintf(stderr, PROG ": pid %ld: no endpoint: %s\n",
			    (long)pid, strerror(errno));
			if (c != NULL)
				s->nclients--;
			greet(fd, ENOMEM);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->id = ++s->nextid;
		c->pid = pid;
		c->uid = uid;
		greet(fd, 0);
		trace_event(s, c, pid, "connect", "uid %ld", (long)uid);
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
	    errno != ECONNABORTED)
		fprintf(stderr, PROG ": accept: %s\n", strerror(errno));
}

void
client_drop(struct simd *s, struct client *c, const char *why)
{
	if (c->dead)
		return;
	trace_event(s, c, c->pid, "disconnect", "%s", why);
	pfkv2_sadb_close(c->ep);
	c->ep = NULL;
	close(c->fd);
	c->fd = -1;
	if (c->held != NULL) {
		wipe(c->held, c->heldlen);
		free(c->held);
		c->held = NULL;
	}
	wipe(c->errq, sizeof(c->errq));
	c->dead = true;
}

/*
 * A request the engine refused at write() itself: the kernel would fail
 * the write with err, which cannot travel back through a socket whose
 * write already succeeded.  The client gets a base-only reply carrying
 * err instead, with the request's header (zeros where it was shorter),
 * the convention of pfkv2_sadb_fd(3).
 */
static void
write_error(struct simd *s, struct client *c, const uint8_t *m, size_t len,
    int err)
{
	struct pfkv2_sadb_msg h;
	uint8_t *slot;

	memset(&h, 0, sizeof(h));
	memcpy(&h, m, len < sizeof(h) ? len : sizeof(h));
	h.sadb_msg_errno = (uint8_t)(err > 0 && err < 256 ? err : EINVAL);
	h.sadb_msg_len = sizeof(h) / PFKV2_WORD;
	trace_event(s, c, c->pid, "write-error", "%s", strerror(err));
	if (c->errcount == ERRQ) {
		fprintf(stderr, PROG ": pid %ld: write-error reply dropped\n",
		    (long)c->pid);
		return;
	}
	slot = c->errq[(c->errhead + c->errcount++) % ERRQ];
	memcpy(slot, &h, sizeof(h));
}

/* Whether the peer is gone (as opposed to having sent an empty message). */
static bool
hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) != 0 &&
	    (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

void
client_input(struct simd *s, struct client *c)
{
	ssize_t n;
	size_t len;
	int k;

	for (k = 0; k < IN_BURST && !c->dead; k++) {
		/* MSG_TRUNC: the whole length, even of what did not fit. */
		n = recv(c->fd, s->buf, s->bufcap, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				client_drop(s, c, strerror(errno));
			return;
		}
		if (n == 0 && hung_up(c->fd)) {
			client_drop(s, c, "closed");
			return;
		}
		len = (size_t)n;
		trace_msg(s, "in", c, s->buf,
		    len < s->bufcap ? len : s->bufcap, len);
		if (len > s->bufcap)
			write_error(s, c, s->buf, s->bufcap, EMSGSIZE);
		else if (pfkv2_sadb_send(c->ep, s->buf, len) != 0)
			write_error(s, c, s->buf, len, errno);
		wipe(s->buf, len < s->bufcap ? len : s->bufcap);
	}
}

bool
client_wants_out(const struct client *c)
{
	return !c->dead && (c->held != NULL || c->errcount > 0 ||
	    pfkv2_sadb_pending(c->ep) > 0);
}

/*
 * Send one message.  1: sent; 0: the socket is full (keep it for later);
 * -1: it cannot be sent at all; the client is dropped when it is gone.
 */
static int
put(struct simd *s, struct client *c, const void *m, size_t len)
{
	if (send(c->fd, m, len, MSG_DONTWAIT | MSG_NOSIGNAL) ==
	    (ssize_t)len) {
		trace_msg(s, "out", c, m, len, len);
		return 1;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS ||
	    errno == EINTR)
		return 0;
	if (errno == EMSGSIZE) {
		/* Larger than a Unix socket takes (its sndbuf). */
		fprintf(stderr, PROG ": pid %ld: a %zu-byte message does "
		    "not fit the socket: dropped\n", (long)c->pid, len);
		return -1;
	}
	client_drop(s, c, strerror(errno));
	return -1;
}

void
client_output(struct simd *s, struct client *c)
{
	long n;
	int k, r;

	if (c->held != NULL) {
		if ((r = put(s, c, c->held, c->heldlen)) == 0)
			return;
		if (c->dead)
			return;
		wipe(c->held, c->heldlen);
		free(c->held);
		c->held = NULL;
	}
	while (c->errcount > 0) {
		if ((r = put(s, c, c->errq[c->errhead], 16)) == 0 || c->dead)
			return;
		c->errhead = (c->errhead + 1) % ERRQ;
		c->errcount--;
	}
	for (k = 0; k < OUT_BURST; k++) {
		n = pfkv2_sadb_recv(c->ep, s->buf, s->bufcap);
		if (n < 0 && errno == ENOBUFS) {
			/* A kernel's recv would fail so once; see the page. */
			trace_event(s, c, c->pid, "overflow", "%llu dropped",
			    (unsigned long long)pfkv2_sadb_dropped(c->ep));
			continue;
		}
		if (n < 0)
			return;		/* EAGAIN: nothing more */
		r = put(s, c, s->buf, (size_t)n);
		if (r == 0 && (c->held = malloc((size_t)n)) != NULL) {
			memcpy(c->held, s->buf, (size_t)n);
			c->heldlen = (size_t)n;
		} else if (r == 0)
			fprintf(stderr, PROG ": pid %ld: out of memory, a "
			    "message dropped\n", (long)c->pid);
		wipe(s->buf, (size_t)n);
		if (r != 1 || c->dead)
			return;
	}
}
