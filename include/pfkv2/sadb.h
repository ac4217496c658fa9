/*
 * libpfkv2 - the reference SADB engine: an in-memory SAD and SPD that
 * speaks PF_KEY like a Linux, FreeBSD or illumos kernel, with a clock and
 * traffic the caller drives.  See pfkv2_sadb_new(3).
 *
 * Unlike the codec, the engine allocates (its database); every call that
 * can fail returns -1 (or NULL) with errno set.  One engine must not be
 * used from two threads at once; distinct engines are independent.
 */
#ifndef PFKV2_SADB_H
#define PFKV2_SADB_H

#include <stddef.h>
#include <stdint.h>

#include <pfkv2/ids.h>
#include <pfkv2/types.h>
#include <pfkv2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

struct pfkv2_sadb;		/* the engine (opaque) */
struct pfkv2_sadb_ep;		/* an endpoint: one PF_KEY socket (opaque) */

/* pfkv2_sadb_opts.flags */
#define PFKV2_SADB_NO_KEYS	0x0001u	/* never put key bytes in any reply */

struct pfkv2_sadb_opts {
	enum pfkv2_dialect dialect;	/* linux, freebsd or illumos */
	uint64_t start_time;		/* clock at creation, seconds */
	uint32_t seed;			/* SPI choices (same seed, same SPIs) */
	uint32_t flags;			/* PFKV2_SADB_* */
	size_t rcvbuf;			/* bytes queued per endpoint; 0: 212992 */
	uint32_t larval_lifetime;	/* seconds a larval SA lives; 0: 30 */
	uint32_t reserved_[7];
};

/* Defaults for a dialect (then adjust fields). */
PFKV2_API void pfkv2_sadb_opts_init(struct pfkv2_sadb_opts *o,
    enum pfkv2_dialect d);
/* A new, empty engine; NULL with EINVAL (bad options) or ENOMEM. */
PFKV2_API struct pfkv2_sadb *pfkv2_sadb_new(const struct pfkv2_sadb_opts *o);
/* Destroy the engine, its endpoints and queues; key bytes are wiped. */
PFKV2_API void pfkv2_sadb_free(struct pfkv2_sadb *db);

/*
 * Open an endpoint, as socket(PF_KEY, SOCK_RAW, PF_KEY_V2) would; pid is
 * what the endpoint's messages carry as sadb_msg_pid.
 */
PFKV2_API struct pfkv2_sadb_ep *pfkv2_sadb_open(struct pfkv2_sadb *db,
    uint32_t pid);
/* Close an endpoint; its registrations and queue go with it. */
PFKV2_API void pfkv2_sadb_close(struct pfkv2_sadb_ep *ep);

/*
 * Write one message on the endpoint, as write(2) on a PF_KEY socket.  0:
 * accepted (the answer, success or errno reply, is queued for whoever the
 * dialect's kernel would tell); -1 with errno for what the kernel refuses
 * at write() itself (EMSGSIZE, EINVAL, ENOBUFS per dialect).
 */
PFKV2_API int pfkv2_sadb_send(struct pfkv2_sadb_ep *ep, const void *msg,
    size_t len);
/*
 * Take the next queued message into buf.  Returns its length; -1 with
 * EAGAIN (nothing queued), EMSGSIZE (buf too small: the message stays,
 * see pfkv2_sadb_pending()), or ENOBUFS once after messages were dropped
 * because the queue was full (as a kernel reports a socket overflow).
 * A DUMP is never dropped this way: it streams, its next messages being
 * queued as this call drains the queue.
 */
PFKV2_API long pfkv2_sadb_recv(struct pfkv2_sadb_ep *ep, void *buf,
    size_t size);
/* Length of the next queued message, 0 when none. */
PFKV2_API size_t pfkv2_sadb_pending(const struct pfkv2_sadb_ep *ep);
/* Messages dropped on this endpoint because its queue was full. */
PFKV2_API uint64_t pfkv2_sadb_dropped(const struct pfkv2_sadb_ep *ep);

/* The engine's clock, seconds. */
PFKV2_API uint64_t pfkv2_sadb_now(const struct pfkv2_sadb *db);
/*
 * Move the clock forward by seconds: soft and hard lifetimes that fall due
 * fire, in time order, with their EXPIRE messages; larval SAs and pending
 * acquires time out.  Returns the number of soft and hard expirations (of
 * SAs and policies); larval and acquire timeouts are not counted.
 */
PFKV2_API long pfkv2_sadb_advance(struct pfkv2_sadb *db, uint64_t seconds);

/*
 * Traffic on an SA found by (satype, spi in host order, dst): add bytes
 * and packets (allocations), set the first-use time, and fire byte and
 * allocation limits.  -1 with ESRCH when no such usable (MATURE or DYING)
 * SA, EINVAL on bad arguments.
 */
PFKV2_API int pfkv2_sadb_charge(struct pfkv2_sadb *db, unsigned satype,
    uint32_t spi, const struct pfkv2_addr *dst, uint64_t bytes,
    uint32_t packets);

/* A packet presented to the SPD. */
struct pfkv2_packet {
	struct pfkv2_addr src;		/* ports in src.port / dst.port */
	struct pfkv2_addr dst;
	uint8_t proto;			/* upper-layer protocol */
	uint8_t dir;			/* PFKV2_DIR_OUTBOUND, INBOUND, FWD */
	uint16_t reserved_;
	uint32_t bytes;			/* charged to the SAs that carry it */
};

/* What the SPD did with a packet. */
enum pfkv2_verdict {
	PFKV2_PASS = 0,		/* no policy, or a NONE/BYPASS/ENTRUST policy */
	PFKV2_DISCARD,		/* a DISCARD policy; an inbound packet lacking
				   an SA; Linux: the key manager reported
				   failure for the pending acquire */
	PFKV2_PROTECTED,	/* an IPSEC policy whose SAs all exist: the
				   packet is charged to them */
	PFKV2_ACQUIRE		/* an outbound packet on an IPSEC policy lacking
				   an SA: ACQUIRE sent to registered endpoints,
				   unless one for it is still pending */
};

/*
 * Present a packet to the SPD.  Returns an enum pfkv2_verdict and fills
 * *policy_id (if not NULL) with the matching policy's id (0: none); -1
 * with EINVAL on bad arguments.
 */
PFKV2_API int pfkv2_sadb_packet(struct pfkv2_sadb *db,
    const struct pfkv2_packet *pkt, uint32_t *policy_id);

/*
 * A policy installed directly, as the system's policy tool would: the
 * only way to have policies on illumos (its SPD is PF_POLICY's, not
 * PF_KEY's), and usable on every dialect.  No PF_KEY message is sent.
 */
struct pfkv2_sadb_policy {
	struct pfkv2_address src;	/* selector: address, prefixlen, */
	struct pfkv2_address dst;	/* proto (0 or 255: any), ports */
	struct pfkv2_policy pol;	/* type, dir, priority (id ignored) */
	const struct pfkv2_ipsecrequest *reqs;	/* templates (IPSEC) */
	size_t nreqs;
};

/*
 * Install a policy; its id in *id (if not NULL).  -1 with EINVAL, EEXIST
 * (same selector and direction) or ENOMEM.
 */
PFKV2_API int pfkv2_sadb_policy_add(struct pfkv2_sadb *db,
    const struct pfkv2_sadb_policy *p, uint32_t *id);
/* Remove a policy by id; -1 with ENOENT when there is none. */
PFKV2_API int pfkv2_sadb_policy_delete(struct pfkv2_sadb *db, uint32_t id);

/* Counters. */
struct pfkv2_sadb_stats {
	size_t sas;		/* SAs in any state */
	size_t larval;
	size_t policies;
	size_t endpoints;
	size_t mem;		/* bytes the engine holds, queues excluded */
	size_t key_mem;		/* of which key bytes */
	uint64_t expires;	/* EXPIRE messages sent */
	uint64_t acquires;	/* ACQUIRE messages sent */
	uint64_t dropped;	/* messages dropped on full queues */
	uint64_t reserved_[4];
};
PFKV2_API int pfkv2_sadb_stats(const struct pfkv2_sadb *db,
    struct pfkv2_sadb_stats *st);

/*
 * Check the engine's internal invariants (indexes agree with the tables,
 * states and lifetimes are consistent).  0, or -1 with EFAULT; for tests
 * and fuzzing.
 */
PFKV2_API int pfkv2_sadb_check(const struct pfkv2_sadb *db);

/*
 * The fake kernel: a descriptor that behaves like a PF_KEY socket of this
 * engine (SOCK_SEQPACKET: message boundaries kept), for code that does its
 * own read() and write().  The engine serves it when the caller pumps:
 * pfkv2_sadb_pump() reads every message written to such descriptors,
 * answers, and writes queued messages out; it waits up to timeout_ms for
 * input (0: do not wait, -1: forever) and returns the number of messages
 * it handled.  pid is what the descriptor's endpoint is known by.  The
 * caller closes the descriptor it got; the engine then drops the endpoint.
 */
PFKV2_API int pfkv2_sadb_fd(struct pfkv2_sadb *db, uint32_t pid);
PFKV2_API int pfkv2_sadb_pump(struct pfkv2_sadb *db, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_SADB_H */
