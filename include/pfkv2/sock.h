/*
 * libpfkv2 - the PF_KEY socket: open, send, receive whole messages of any
 * size without guessing, match replies, iterate dumps.  See
 * pfkv2_sock_open(3).
 *
 * The same calls drive the reference engine's fake-kernel descriptor
 * (pfkv2_sadb_fd()): set a pump so the engine answers while the socket
 * layer waits.
 */
#ifndef PFKV2_SOCK_H
#define PFKV2_SOCK_H

#include <stddef.h>
#include <stdint.h>

#include <pfkv2/ids.h>
#include <pfkv2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Called before the socket layer waits for input and between waits, so an
 * in-process peer (the engine) can answer.  Returns -1 to fail the wait.
 */
typedef int (*pfkv2_pump_fn)(void *arg);

/* A PF_KEY socket; the caller owns it (the stack is fine). */
struct pfkv2_sock {
	int fd;
	uint32_t pid;		/* sadb_msg_pid of our requests */
	uint32_t seq;		/* last sequence number handed out */
	enum pfkv2_dialect dialect;
	pfkv2_pump_fn pump;	/* NULL for a kernel socket */
	void *pump_arg;
	int timeout_ms;		/* per wait; -1 (default): forever */
	uint32_t reserved_[6];
};

/*
 * Open socket(PF_KEY, SOCK_RAW, PF_KEY_V2).  0, or -1 with errno; where
 * the kernel has no PF_KEY (Linux without af_key, for one) errno is
 * EAFNOSUPPORT: use the reference engine instead (pfkv2_sadb_new(3)).
 */
PFKV2_API int pfkv2_sock_open(struct pfkv2_sock *s, enum pfkv2_dialect d);
/* Wrap a descriptor that behaves like a PF_KEY socket (the engine's). */
PFKV2_API int pfkv2_sock_attach(struct pfkv2_sock *s, int fd, uint32_t pid,
    enum pfkv2_dialect d, pfkv2_pump_fn pump, void *pump_arg);
/* Close the descriptor. */
PFKV2_API int pfkv2_sock_close(struct pfkv2_sock *s);
/* Next sequence number for a request (never 0). */
PFKV2_API uint32_t pfkv2_sock_next_seq(struct pfkv2_sock *s);
/* Set SO_RCVBUF (bytes); 0 or -1 with errno. */
PFKV2_API int pfkv2_sock_set_rcvbuf(struct pfkv2_sock *s, int bytes);

/* Write one whole message; EINTR is retried.  0 or -1 with errno. */
PFKV2_API int pfkv2_sock_send(struct pfkv2_sock *s, const void *msg,
    size_t len);
/*
 * Receive one whole message into buf.  Returns its length; -1 with errno:
 * EMSGSIZE when it does not fit (it stays queued; *needed says how big
 * buf must be), ENOBUFS when the kernel dropped messages because the
 * receive queue overflowed, EAGAIN when s->timeout_ms passed, EBADMSG for
 * a message whose length field is wrong.  EINTR is retried.
 */
PFKV2_API long pfkv2_sock_recv(struct pfkv2_sock *s, void *buf, size_t size,
    size_t *needed);

/* Sees each message that is not the awaited reply.  -1 stops with error. */
typedef int (*pfkv2_msg_fn)(const void *msg, size_t len, void *arg);

/*
 * Receive until the reply to request (type, seq) of this socket's pid
 * arrives; other messages go to other (may be NULL: dropped).  Returns
 * the reply's length; the reply may carry an errno (see
 * pfkv2_view_errno()).
 */
PFKV2_API long pfkv2_sock_reply(struct pfkv2_sock *s, unsigned type,
    uint32_t seq, void *buf, size_t size, size_t *needed, pfkv2_msg_fn other,
    void *arg);

/*
 * Send a DUMP or X_SPDDUMP request (satype canonical) and hand each
 * answer to fn until the dialect's end marker.  Returns the number of
 * messages, or -1: ENOBUFS (the kernel dropped part of the dump: start
 * again with a larger receive buffer), ENOENT (nothing to dump), the
 * errno of an error reply, or what fn or the socket failed with.
 */
PFKV2_API long pfkv2_sock_dump(struct pfkv2_sock *s, unsigned type,
    unsigned satype, void *buf, size_t size, pfkv2_msg_fn fn, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_SOCK_H */
