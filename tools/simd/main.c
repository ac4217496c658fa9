/*
 * pfkv2-simd: options, the listening sockets, signals and the poll loop.
 */
#define _GNU_SOURCE		/* signalfd, SOCK_CLOEXEC for sockets */

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "simd.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: " PROG " --socket PATH [--dialect linux|freebsd|illumos]\n"
	    "\t[--group NAME] [--trace[=json]] [--trace-file FILE]\n"
	    "\t[--dump-on-exit] [--time SECONDS] [--rcvbuf BYTES]\n"
	    "       " PROG " --socket PATH --advance SECONDS | --now | "
	    "--stats | --dump\n");
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;
	uintmax_t x;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoumax(s, &end, 10);
	if (errno != 0 || *end != '\0' || x > UINT64_MAX)
		return -1;
	*v = (uint64_t)x;
	return 0;
}

static int
resolve_group(const char *name, gid_t *gid)
{
	struct group gr, *res = NULL;
	char buf[4096];
	uint64_t n;

	if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) == 0 && res != NULL) {
		*gid = res->gr_gid;
		return 0;
	}
	if (parse_u64(name, &n) == 0 && n < (gid_t)-1) {
		*gid = (gid_t)n;
		return 0;
	}
	return -1;
}

static int
fill_sun(struct sockaddr_un *sun, const char *path)
{
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(sun->sun_path)) {
		fprintf(stderr, PROG ": %s: socket path too long\n", path);
		return -1;
	}
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, len);
	return 0;
}

/*
 * Make room for a socket at path: nothing there, or a socket nobody
 * listens on (left by a daemon that died), which is removed.  Anything
 * else, a live daemon included, is left alone and refused.
 */
static int
clear_stale(const char *path, int type)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, r, e;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : (fprintf(stderr, PROG ": %s: %s\n",
		    path, strerror(errno)), -1);
	if (!S_ISSOCK(st.st_mode)) {
		fprintf(stderr, PROG ": %s exists and is not a socket\n",
		    path);
		return -1;
	}
	if (fill_sun(&sun, path) != 0 ||
	    (fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	r = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	e = errno;
	close(fd);
	if (r == 0) {
		fprintf(stderr, PROG ": %s: a daemon is already serving it\n",
		    path);
		return -1;
	}
	if (e != ECONNREFUSED) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(e));
		return -1;
	}
	if (unlink(path) != 0 && errno != ENOENT) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A listening socket at path, owner-only (or owner and group): the umask
 * makes it so at bind(), and chown/chmod settle it before listen(), so no
 * one else can connect in between.  Peer credentials are checked as well
 * (peer_check()): the file mode alone is not trusted.
 */
static int
listener(const struct simd *s, const char *path, int type)
{
	struct sockaddr_un sun;
	mode_t mode = s->group != NULL ? 0660 : 0600, old;
	int fd, r;

	if (clear_stale(path, type) != 0 || fill_sun(&sun, path) != 0)
		return -1;
	if ((fd = socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		goto fail;
	old = umask(0777 & ~mode);
	r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (r != 0)
		goto fail;
	if ((s->group != NULL && chown(path, (uid_t)-1, s->gid) != 0) ||
	    chmod(path, mode) != 0 || listen(fd, 64) != 0) {
		r = errno;
		unlink(path);
		errno = r;
		goto fail;
	}
	return fd;
fail:
	fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Signals arrive as reads on a descriptor: no handler, no global flag. */
static int
signals(void)
{
	sigset_t set;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;	/* a vanished peer is not fatal */
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static void
on_signal(struct simd *s)
{
	struct signalfd_siginfo si;

	while (read(s->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGUSR1)
			advance(s, 1, "SIGUSR1", NULL);
		else
			s->stop = true;
	}
}

static int
setup(struct simd *s)
{
	struct pfkv2_sadb_opts o;
	size_t n;

	s->lfd = s->cfd = s->sigfd = -1;
	s->uid = geteuid();
	if (s->group != NULL && resolve_group(s->group, &s->gid) != 0) {
		fprintf(stderr, PROG ": unknown group %s\n", s->group);
		return -1;
	}
	if (s->trace != TRACE_OFF) {
		if (s->trace_file == NULL)
			s->tf = stderr;
		else if ((s->tf = fopen(s->trace_file, "a")) == NULL) {
			fprintf(stderr, PROG ": %s: %s\n", s->trace_file,
			    strerror(errno));
			return -1;
		}
		/* Line by line, so that the trace can be followed live. */
		setvbuf(s->tf, NULL, _IOLBF, 0);
	}
	s->bufcap = PFKV2_MSG_MAXLEN + 8;
	if ((s->buf = malloc(s->bufcap)) == NULL)
		return -1;
	n = strlen(s->path);
	if ((s->ctlpath = malloc(n + sizeof(CTL_SUFFIX))) == NULL)
		return -1;
	memcpy(s->ctlpath, s->path, n);
	memcpy(s->ctlpath + n, CTL_SUFFIX, sizeof(CTL_SUFFIX));
	pfkv2_sadb_opts_init(&o, s->dialect);
	o.start_time = s->start_time;
	if (s->rcvbuf != 0)
		o.rcvbuf = s->rcvbuf;
	if ((s->db = pfkv2_sadb_new(&o)) == NULL) {
		fprintf(stderr, PROG ": cannot make the engine: %s\n",
		    strerror(errno));
		return -1;
	}
	/* Signals first: a SIGTERM from now on still removes the sockets. */
	if ((s->sigfd = signals()) < 0) {
		fprintf(stderr, PROG ": signals: %s\n", strerror(errno));
		return -1;
	}
	if ((s->lfd = listener(s, s->path, SOCK_SEQPACKET)) < 0)
		return -1;
	if ((s->cfd = listener(s, s->ctlpath, SOCK_STREAM)) < 0) {
		close(s->lfd);
		s->lfd = -1;
		unlink(s->path);
		return -1;
	}
	fprintf(stderr, PROG ": %s engine on %s (control: %s)\n",
	    pfkv2_dialect_name(s->dialect), s->path, s->ctlpath);
	return 0;
}

static void
teardown(struct simd *s)
{
	size_t i;

	if (s->lfd >= 0) {
		close(s->lfd);
		unlink(s->path);
	}
	if (s->cfd >= 0) {
		close(s->cfd);
		unlink(s->ctlpath);
	}
	if (s->dump_on_exit && s->db != NULL) {
		dump_state(s, stdout);
		fflush(stdout);
	}
	for (i = 0; i < s->nclients; i++)
		client_drop(s, &s->clients[i], "daemon exits");
	for (i = 0; i < s->nctls; i++)
		ctl_drop(&s->ctls[i]);
	free(s->clients);
	free(s->ctls);
	pfkv2_sadb_free(s->db);
	if (s->sigfd >= 0)
		close(s->sigfd);
	if (s->tf != NULL && s->tf != stderr)
		fclose(s->tf);
	if (s->buf != NULL)
		wipe(s->buf, s->bufcap);
	free(s->buf);
	free(s->ctlpath);
}

/* Forget clients and control connections that are gone. */
static void
compact(struct simd *s)
{
	size_t i, j;

	for (i = j = 0; i < s->nclients; i++)
		if (!s->clients[i].dead)
			s->clients[j++] = s->clients[i];
	s->nclients = j;
	for (i = j = 0; i < s->nctls; i++)
		if (!s->ctls[i].dead)
			s->ctls[j++] = s->ctls[i];
	s->nctls = j;
}

static int
loop(struct simd *s)
{
	struct pollfd *pf = NULL, *npf;
	size_t cap = 0, n, i, nc, nk;
	short ev;

	while (!s->stop) {
		nc = s->nclients;
		nk = s->nctls;
		n = 3 + nc + nk;
		if (n > cap) {
			if ((npf = realloc(pf, n * sizeof(*pf))) == NULL) {
				free(pf);
				return -1;
			}
			pf = npf;
			cap = n;
		}
		pf[0] = (struct pollfd){ .fd = s->sigfd, .events = POLLIN };
		pf[1] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
		pf[2] = (struct pollfd){ .fd = s->cfd, .events = POLLIN };
		for (i = 0; i < nc; i++) {
			ev = POLLIN | POLLRDHUP;
			/* Pull from the engine only when the socket can take. */
			if (client_wants_out(&s->clients[i]))
				ev |= POLLOUT;
			pf[3 + i] = (struct pollfd){ .fd = s->clients[i].fd,
			    .events = ev };
		}
		for (i = 0; i < nk; i++) {
			ev = s->ctls[i].eof ? 0 : POLLIN;
			if (s->ctls[i].outoff < s->ctls[i].outlen)
				ev |= POLLOUT;
			pf[3 + nc + i] = (struct pollfd){ .fd = s->ctls[i].fd,
			    .events = ev };
		}
		if (poll(pf, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			free(pf);
			return -1;
		}
		if (pf[0].revents != 0)
			on_signal(s);
		/* Clients first: accept() may move the arrays. */
		for (i = 0; i < nc; i++) {
			ev = pf[3 + i].revents;
			if (ev & (POLLIN | POLLRDHUP | POLLHUP | POLLERR))
				client_input(s, &s->clients[i]);
			if ((ev & POLLOUT) && !s->clients[i].dead)
				client_output(s, &s->clients[i]);
		}
		for (i = 0; i < nk; i++) {
			ev = pf[3 + nc + i].revents;
			if (ev & (POLLIN | POLLHUP | POLLERR))
				ctl_input(s, &s->ctls[i]);
			if ((ev & POLLOUT) && !s->ctls[i].dead)
				ctl_output(s, &s->ctls[i]);
		}
		compact(s);
		if (pf[1].revents != 0)
			client_accept(s);
		if (pf[2].revents != 0)
			ctl_accept(s);
	}
	free(pf);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "dialect", required_argument, NULL, 'd' },
		{ "group", required_argument, NULL, 'g' },
		{ "trace", optional_argument, NULL, 't' },
		{ "trace-file", required_argument, NULL, 'f' },
		{ "dump-on-exit", no_argument, NULL, 'x' },
		{ "time", required_argument, NULL, 'T' },
		{ "rcvbuf", required_argument, NULL, 'r' },
		{ "advance", required_argument, NULL, 'A' },
		{ "now", no_argument, NULL, 'N' },
		{ "stats", no_argument, NULL, 'S' },
		{ "dump", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct simd s;
	char line[CTL_LINE];
	const char *cmd = NULL;
	uint64_t v;
	int ch, rc;

	memset(&s, 0, sizeof(s));
	s.dialect = PFKV2_DIALECT_LINUX;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			s.path = optarg;
			break;
		case 'd':
			if ((rc = pfkv2_dialect_from_name(optarg)) == -1 ||
			    rc == PFKV2_DIALECT_RFC2367) {
				fprintf(stderr, PROG ": unknown dialect %s\n",
				    optarg);
				return 2;
			}
			s.dialect = (enum pfkv2_dialect)rc;
			break;
		case 'g':
			s.group = optarg;
			break;
		case 't':
			if (optarg == NULL || strcmp(optarg, "text") == 0)
				s.trace = TRACE_TEXT;
			else if (strcmp(optarg, "json") == 0)
				s.trace = TRACE_JSON;
			else {
				usage(stderr);
				return 2;
			}
			break;
		case 'f':
			s.trace_file = optarg;
			if (s.trace == TRACE_OFF)
				s.trace = TRACE_TEXT;
			break;
		case 'x':
			s.dump_on_exit = true;
			break;
		case 'T':
		case 'r':
			if (parse_u64(optarg, &v) != 0 ||
			    (ch == 'r' && v > SIZE_MAX)) {
				fprintf(stderr, PROG ": bad number %s\n",
				    optarg);
				return 2;
			}
			if (ch == 'T')
				s.start_time = v;
			else
				s.rcvbuf = (size_t)v;
			break;
		case 'A':
			if (parse_u64(optarg, &v) != 0) {
				fprintf(stderr, PROG ": bad number %s\n",
				    optarg);
				return 2;
			}
			snprintf(line, sizeof(line), "advance %" PRIu64, v);
			cmd = line;
			break;
		case 'N':
			cmd = "now";
			break;
		case 'S':
			cmd = "stats";
			break;
		case 'D':
			cmd = "dump";
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (s.path == NULL || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (cmd != NULL)
		return ctl_client(s.path, cmd);
	rc = setup(&s) == 0 && loop(&s) == 0 ? 0 : 1;
	teardown(&s);
	return rc;
}
