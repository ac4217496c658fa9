/*
 * pfkv2-simd: the control socket PATH.ctl, the control client mode and
 * the state dump.
 *
 * Control is a separate SOCK_STREAM socket, not messages on the PF_KEY
 * socket: nothing a client writes as PF_KEY can then be taken for a
 * command, and a shell can drive it (pfkv2-simd --advance, or any tool
 * that speaks to a Unix stream socket).  It has the same mode and the same
 * peer check as the PF_KEY socket.  One command per line:
 *
 *	now		ok now T
 *	advance N	ok now T expired K	(pfkv2_sadb_advance)
 *	stats		ok sas N larval N policies N endpoints N clients N
 *			   expires N acquires N dropped N
 *	dump		the SAD and SPD as text, then ok
 *
 * Every answer ends with a line that starts with "ok" or "err".
 */
#define _GNU_SOURCE		/* accept4 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <pfkv2/print_stdio.h>

#include "simd.h"

void
advance(struct simd *s, uint64_t seconds, const char *why, FILE *f)
{
	long k = pfkv2_sadb_advance(s->db, seconds);

	trace_event(s, NULL, 0, "advance", "%" PRIu64 " s (%s): %ld expired",
	    seconds, why, k);
	if (f != NULL)
		fprintf(f, "ok now %llu expired %ld\n",
		    (unsigned long long)pfkv2_sadb_now(s->db), k);
}

/* Print every reply queued on ep, until the dump is through. */
static void
drain(struct simd *s, struct pfkv2_sadb_ep *ep, const char *what, FILE *f)
{
	struct pfkv2_view v;
	long n;
	uint8_t err;

	for (;;) {
		if ((n = pfkv2_sadb_recv(ep, s->buf, s->bufcap)) < 0) {
			if (errno == ENOBUFS)
				continue;
			return;
		}
		if (pfkv2_parse(s->buf, (size_t)n, s->dialect, 0, &v,
		    NULL) != 0)
			fprintf(f, "(%s: a malformed reply)\n", what);
		else if ((err = pfkv2_view_errno(&v)) == ENOENT)
			fprintf(f, "(%s: empty)\n", what);
		else if (err != 0)
			fprintf(f, "(%s: %s)\n", what, strerror(err));
		else
			pfkv2_fprint(f, &v, 0);	/* never the keys */
		wipe(s->buf, (size_t)n);
	}
}

/*
 * The SAD and the SPD, as DUMP and X_SPDDUMP on a private endpoint give
 * them (the daemon's pid; a promiscuous Linux client sees the requests).
 */
void
dump_state(struct simd *s, FILE *f)
{
	static const struct {
		unsigned type;
		const char *what;
	} q[] = {
		{ PFKV2_MSG_DUMP, "SAD" },
		{ PFKV2_MSG_X_SPDDUMP, "SPD" },
	};
	struct pfkv2_sadb_ep *ep;
	struct pfkv2_builder b;
	uint8_t m[16];
	size_t i;
	long len;

	if ((ep = pfkv2_sadb_open(s->db, (uint32_t)getpid())) == NULL) {
		fprintf(f, "(dump: %s)\n", strerror(errno));
		return;
	}
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		fprintf(f, "# %s at clock %llu\n", q[i].what,
		    (unsigned long long)pfkv2_sadb_now(s->db));
		if (pfkv2_builder_init(&b, m, sizeof(m), s->dialect) != 0 ||
		    pfkv2_put_msg(&b, q[i].type, PFKV2_SATYPE_UNSPEC, ++s->seq,
		    (uint32_t)getpid()) != 0 ||
		    (len = pfkv2_builder_finish(&b)) < 0 ||
		    pfkv2_sadb_send(ep, m, (size_t)len) != 0) {
			fprintf(f, "(%s: %s)\n", q[i].what, strerror(errno));
			continue;
		}
		drain(s, ep, q[i].what, f);
	}
	pfkv2_sadb_close(ep);
}

static void
stats(struct simd *s, FILE *f)
{
	struct pfkv2_sadb_stats st;

	if (pfkv2_sadb_stats(s->db, &st) != 0) {
		fprintf(f, "err %s\n", strerror(errno));
		return;
	}
	fprintf(f, "ok sas %zu larval %zu policies %zu endpoints %zu "
	    "clients %zu expires %llu acquires %llu dropped %llu\n", st.sas,
	    st.larval, st.policies, st.endpoints, s->nclients,
	    (unsigned long long)st.expires, (unsigned long long)st.acquires,
	    (unsigned long long)st.dropped);
}

static void
run(struct simd *s, const char *line, FILE *f)
{
	char *end;
	uintmax_t n;

	if (strcmp(line, "now") == 0)
		fprintf(f, "ok now %llu\n",
		    (unsigned long long)pfkv2_sadb_now(s->db));
	else if (strncmp(line, "advance ", 8) == 0) {
		errno = 0;
		n = strtoumax(line + 8, &end, 10);
		if (line[8] < '0' || line[8] > '9' || *end != '\0' ||
		    errno != 0 || n > UINT64_MAX)
			fprintf(f, "err bad number\n");
		else
			advance(s, (uint64_t)n, "control", f);
	} else if (strcmp(line, "stats") == 0)
		stats(s, f);
	else if (strcmp(line, "dump") == 0) {
		dump_state(s, f);
		fprintf(f, "ok\n");
	} else
		fprintf(f, "err unknown command\n");
}

/* Append what run() printed to c's output. */
static void
answer(struct simd *s, struct ctl *c, const char *line)
{
	char *text = NULL, *out;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&text, &len)) == NULL) {
		ctl_drop(c);
		return;
	}
	run(s, line, f);
	if (fclose(f) != 0 ||
	    (out = realloc(c->out, c->outlen + len)) == NULL) {
		free(text);
		ctl_drop(c);
		return;
	}
	memcpy(out + c->outlen, text, len);
	c->out = out;
	c->outlen += len;
	free(text);
}

void
ctl_accept(struct simd *s)
{
	struct ctl *c;
	size_t cap;
	pid_t pid;
	uid_t uid;
	int fd;

	while ((fd = accept4(s->cfd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		if (peer_check(s, fd, &pid, &uid) != 0) {
			fprintf(stderr, PROG ": control: refused pid %ld uid "
			    "%ld\n", (long)pid, (long)uid);
			(void)send(fd, "err permission denied\n", 22,
			    MSG_DONTWAIT | MSG_NOSIGNAL);
			close(fd);
			continue;
		}
		if (s->nctls == s->capctls) {
			cap = s->capctls != 0 ? s->capctls * 2 : 4;
			if ((c = realloc(s->ctls, cap * sizeof(*c))) == NULL) {
				close(fd);
				continue;
			}
			s->ctls = c;
			s->capctls = cap;
		}
		c = &s->ctls[s->nctls++];
		memset(c, 0, sizeof(*c));
		c->fd = fd;
	}
}

void
ctl_drop(struct ctl *c)
{
	if (c->dead)
		return;
	close(c->fd);
	free(c->out);
	c->out = NULL;
	c->dead = true;
}

void
ctl_input(struct simd *s, struct ctl *c)
{
	ssize_t n;
	char *nl;
	size_t k;

	n = recv(c->fd, c->in + c->inlen, sizeof(c->in) - 1 - c->inlen,
	    MSG_DONTWAIT);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			ctl_drop(c);
		return;
	}
	if (n == 0)
		c->eof = true;
	c->inlen += (size_t)n;
	c->in[c->inlen] = '\0';
	while ((nl = strchr(c->in, '\n')) != NULL && !c->dead) {
		*nl = '\0';
		if (nl > c->in && nl[-1] == '\r')
			nl[-1] = '\0';
		answer(s, c, c->in);
		k = (size_t)(nl + 1 - c->in);
		memmove(c->in, nl + 1, c->inlen - k + 1);
		c->inlen -= k;
	}
	if (c->dead)
		return;
	if (c->eof && c->inlen > 0) {	/* a last line without newline */
		answer(s, c, c->in);
		c->inlen = 0;
	} else if (c->inlen == sizeof(c->in) - 1) {
		c->inlen = 0;
		answer(s, c, "(line too long)");
		c->eof = true;
	}
	if (!c->dead && c->eof && c->outoff == c->outlen)
		ctl_drop(c);
}

void
ctl_output(struct simd *s, struct ctl *c)
{
	ssize_t n;

	(void)s;
	n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
	    MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			ctl_drop(c);
		return;
	}
	c->outoff += (size_t)n;
	if (c->outoff == c->outlen) {
		free(c->out);
		c->out = NULL;
		c->outoff = c->outlen = 0;
		if (c->eof)
			ctl_drop(c);
	}
}

/*
 * The control client: pfkv2-simd --socket PATH --advance N (--now,
 * --stats, --dump).  Sends the line to PATH.ctl and prints the answer.
 */
int
ctl_client(const char *path, const char *line)
{
	struct sockaddr_un sun;
	char buf[4096];
	size_t plen = strlen(path), len, last = 0, i;
	ssize_t n;
	char tail[8];
	bool bol = true;
	int fd;

	if (plen + sizeof(CTL_SUFFIX) > sizeof(sun.sun_path)) {
		fprintf(stderr, PROG ": %s: socket path too long\n", path);
		return 1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, plen);
	memcpy(sun.sun_path + plen, CTL_SUFFIX, sizeof(CTL_SUFFIX));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		fprintf(stderr, PROG ": %s: %s\n", sun.sun_path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	len = strlen(line);
	if (write(fd, line, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    shutdown(fd, SHUT_WR) != 0) {
		fprintf(stderr, PROG ": control: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	/* Print the answer; keep the start of its last line. */
	memset(tail, 0, sizeof(tail));
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, (size_t)n, stdout);
		for (i = 0; i < (size_t)n; i++) {
			if (bol) {
				memset(tail, 0, sizeof(tail));
				last = 0;
				bol = false;
			}
			if (last < sizeof(tail) - 1)
				tail[last++] = buf[i];
			bol = buf[i] == '\n';
		}
	}
	close(fd);
	return strncmp(tail, "ok", 2) == 0 ? 0 : 1;
}
