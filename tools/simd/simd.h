/*
 * pfkv2-simd: one reference engine served on a Unix socket, so that
 * unmodified PF_KEY programs (through libpfkv2-preload) can talk to it.
 * See pfkv2-simd(8).
 *
 *	main.c		options, sockets, signals, the poll loop
 *	client.c	PF_KEY clients: credentials, greeting, messages in/out
 *	ctl.c		the control socket (advance, now, stats, dump), the
 *			control client mode, the state dump
 *	trace.c		--trace: every message in and out, text or JSON
 *
 * Public libpfkv2 API only.  Linux only: SO_PEERCRED, SO_PEERGROUPS,
 * signalfd, accept4.
 */
#ifndef PFKV2_SIMD_H
#define PFKV2_SIMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <pfkv2/pfkv2.h>
#include <pfkv2/sadb.h>

#define PROG		"pfkv2-simd"
#define CTL_SUFFIX	".ctl"
#define CTL_LINE	256	/* longest control command */
#define ERRQ		32	/* write-error replies held per client */
#define IN_BURST	64	/* messages read from one client per turn */
#define OUT_BURST	256	/* messages written to one client per turn */

enum trace_mode { TRACE_OFF, TRACE_TEXT, TRACE_JSON };

/* One PF_KEY client: a connection and its engine endpoint. */
struct client {
	int fd;
	bool dead;
	unsigned id;			/* numbers the connections, for --trace */
	pid_t pid;			/* SO_PEERCRED: the endpoint's pid */
	uid_t uid;
	struct pfkv2_sadb_ep *ep;	/* its queue is the outgoing queue */
	/*
	 * A message taken from the engine that the socket then refused
	 * (EAGAIN): sent first when the socket drains.
	 */
	uint8_t *held;
	size_t heldlen;
	/*
	 * What write() on a kernel would have failed with, as base-only
	 * errno replies (as pfkv2_sadb_fd(3) does): sent before the
	 * engine's queue, since a kernel reports them at once.
	 */
	uint8_t errq[ERRQ][16];
	unsigned errhead, errcount;
};

/* One control connection: a line in, text out. */
struct ctl {
	int fd;
	bool dead;
	bool eof;			/* the peer sent all it will */
	char in[CTL_LINE];
	size_t inlen;
	char *out;
	size_t outlen, outoff;
};

struct simd {
	/* Options. */
	const char *path;
	enum pfkv2_dialect dialect;
	const char *group;
	enum trace_mode trace;
	const char *trace_file;
	bool dump_on_exit;
	uint64_t start_time;
	size_t rcvbuf;

	/* State. */
	struct pfkv2_sadb *db;
	char *ctlpath;
	int lfd, cfd, sigfd;
	uid_t uid;
	gid_t gid;			/* --group's, when group != NULL */
	FILE *tf;			/* the trace's stream, or NULL */
	uint8_t *buf;			/* one message, in or out */
	size_t bufcap;
	uint32_t seq;			/* of the daemon's own requests */
	unsigned nextid;		/* of the next client */
	bool stop;
	struct client *clients;
	size_t nclients, capclients;
	struct ctl *ctls;
	size_t nctls, capctls;
};

/* client.c */
void client_accept(struct simd *s);
void client_input(struct simd *s, struct client *c);
void client_output(struct simd *s, struct client *c);
bool client_wants_out(const struct client *c);
void client_drop(struct simd *s, struct client *c, const char *why);
int peer_check(const struct simd *s, int fd, pid_t *pid, uid_t *uid);
void wipe(void *p, size_t n);

/* ctl.c */
void ctl_accept(struct simd *s);
void ctl_input(struct simd *s, struct ctl *c);
void ctl_output(struct simd *s, struct ctl *c);
void ctl_drop(struct ctl *c);
int ctl_client(const char *path, const char *line);
void dump_state(struct simd *s, FILE *f);
void advance(struct simd *s, uint64_t seconds, const char *why, FILE *f);

/* trace.c */
void trace_msg(struct simd *s, const char *dir, const struct client *c,
    const void *msg, size_t len, size_t full);
void trace_event(struct simd *s, const struct client *c, pid_t pid,
    const char *event, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif /* PFKV2_SIMD_H */
