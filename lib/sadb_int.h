/*
 * Internal declarations of the reference SADB engine (lib/sadb*.c).
 *
 * The engine keeps everything in struct pfkv2_sadb: no file-scope mutable
 * state.  SAs, policies and acquire records live in chunked pools (records
 * never move, so indexes and cursors stay valid while the pool grows) and
 * are found through chained hash tables whose links sit in the records.
 * Time-driven events (soft and hard lifetimes, larval and acquire
 * timeouts, policy lifetimes) are kept in one binary heap ordered by each
 * object's next deadline, so advancing the clock costs O(log n) per event
 * and nothing per idle SA.
 *
 * Records hold canonical ids (ids.h) and host-order numbers; messages are
 * read through the codec's parser and written through its builder.
 *
 * The hot path (ADD, GET, DELETE and their replies) has faster forms of
 * the same steps, each with the general one behind it: one parser pass
 * with the engine's flags (sadb_send.c), the validated request read in
 * place (sadb_inline.h), the Linux SA message written from a per-engine
 * template straight into the queue node that carries it (sadb_linux.c),
 * recycled queue nodes and key blocks instead of malloc() per message.
 */
#ifndef PFKV2_SADB_INT_H
#define PFKV2_SADB_INT_H

#include "internal.h"
#include "pfkv2/sadb.h"

#define NIL		UINT32_MAX
#define T_NEVER		UINT64_MAX

/* ---- pools ------------------------------------------------------------ */

#define POOL_SHIFT	10
#define POOL_CHUNK	(1u << POOL_SHIFT)

/* Fixed-size records in chunks; a free record links through *next_of. */
struct pool {
	uint8_t **chunks;
	uint32_t nchunks;
	uint32_t cap_chunks;
	uint32_t hi;		/* records ever handed out: 0 .. hi-1 */
	uint32_t free_head;	/* NIL: none */
	uint32_t count;		/* records in use */
	uint32_t size;		/* bytes per record */
	uint32_t link_off;	/* offset of the uint32_t free-list link */
};

static inline void *
pool_at(const struct pool *p, uint32_t i)
{
	return p->chunks[i >> POOL_SHIFT] +
	    (size_t)(i & (POOL_CHUNK - 1)) * p->size;
}

/* ---- SAs -------------------------------------------------------------- */

/* Limits of one lifetime (0 = none). */
struct lft {
	uint64_t bytes;
	uint64_t addtime;
	uint64_t usetime;
};

/* struct sa.fl */
#define SAF_LIVE	0x01	/* the record is in use */
#define SAF_USED	0x02	/* traffic seen: usetime is the first use */
#define SAF_SEQIDX	0x04	/* in the larval sequence index */
#define SAF_NATT	0x08	/* carries NAT-T (side record) */

/*
 * The hot record of one SA (200 bytes on LP64).  Rare extensions live in
 * the optional side record; keys in one block of the key slab (auth then
 * encrypt, each zero-padded to a word).
 */
struct sa {
	uint32_t spi;		/* host order */
	uint32_t seq;		/* seq of the creating request */
	uint32_t pid;		/* pid of the creating request */
	uint32_t reqid;
	uint8_t satype;		/* PFKV2_SATYPE_* */
	uint8_t state;		/* PFKV2_SASTATE_* */
	uint8_t auth;		/* PFKV2_AALG_* */
	uint8_t encrypt;	/* PFKV2_EALG_* / PFKV2_CALG_* */
	uint8_t replay;		/* sadb_sa_replay, dialect's unit */
	uint8_t mode;		/* PFKV2_MODE_* */
	uint8_t family;		/* PFKV2_AF_* of src and dst */
	uint8_t fl;		/* SAF_* */
	uint8_t sproto, dproto;	/* sadb_address_proto as given */
	uint8_t splen, dplen;	/* sadb_address_prefixlen as given */
	uint16_t sport, dport;	/* kept where the dialect keeps them */
	uint32_t wflags;	/* sadb_sa_flags, wire bits */
	uint16_t abits, ebits;	/* key lengths */
	uint8_t src[16];
	uint8_t dst[16];
	struct lft hard, soft;
	uint32_t hard_alloc, soft_alloc;
	uint64_t cur_bytes;
	uint64_t addtime;	/* creation (engine clock) */
	uint64_t usetime;	/* first use, valid with SAF_USED */
	uint32_t cur_alloc;	/* packets */
	uint32_t lastuse;	/* seconds after addtime of the last use */
	uint64_t deadline;	/* next time event, T_NEVER: none */
	uint32_t heap_pos;	/* NIL: not in the timer heap */
	uint32_t spi_next;	/* SPI index chain; free-list link */
	uint32_t pair_next;	/* (satype, src, dst) index chain */
	uint32_t seq_next;	/* larval sequence index chain */
	uint8_t *keys;		/* auth then encrypt key, see key_pad() */
	struct sa_side *side;
};

/*
 * Rare data of an SA: the illumos KM cookie and pair, and extensions the
 * engine only stores to echo (proxy/inner/NAT-T addresses, identities,
 * sensitivity, security context, ...), kept as the request's wire bytes in
 * canonical extension order.  Wiped on free: STR_AUTH is key material.
 */
struct sa_side {
	uint64_t kmc_cookie;
	uint32_t kmc_proto;	/* PFKV2_KMP_*; 0 with cookie 0: none */
	uint32_t pair_spi;	/* illumos pair partner, 0: none */
	uint64_t mask;		/* PFKV2_EXTBIT of the stored extensions */
	uint32_t nraw;
	uint8_t raw[];
};

/*
 * Key storage (sadb_sa.c): an SA's key bytes in a block of a KEY_GRAIN
 * size class up to KEY_SLAB_MAX bytes, carved from KEY_CHUNK-byte chunks
 * and recycled through a free list per class; longer key sets get an
 * allocation of their own.
 */
#define KEY_GRAIN	8
#define KEY_SLAB_MAX	128
#define KEY_CHUNK	16384
struct keyslab {
	uint8_t *free[KEY_SLAB_MAX / KEY_GRAIN];	/* by class, linked */
	uint8_t *chunks;	/* every chunk, linked through its first word */
	uint8_t *cur;		/* the next block to carve */
	size_t left;		/* bytes from cur to the end of its chunk */
};

/* Chained hash table of uint32_t heads (NIL-terminated chains). */
struct htab {
	uint32_t *b;
	uint32_t mask;		/* buckets - 1; buckets is a power of two */
	uint32_t n;		/* entries */
};

/* ---- policies and acquires ------------------------------------------- */

struct pol {
	uint32_t id;
	uint32_t priority;
	uint32_t order;		/* insertion number: ties in priority */
	uint32_t id_next;	/* id index chain; free-list link */
	uint8_t dir, type, scope, family;
	uint8_t splen, dplen, proto;	/* proto 255: any */
	uint8_t live;
	uint8_t soft_done;
	uint8_t nreq;
	uint16_t sport, dport;
	uint8_t src[16];
	uint8_t dst[16];
	struct pfkv2_ipsecrequest *reqs;
	struct lft hard, soft;
	uint32_t hard_alloc, soft_alloc;
	uint64_t created, lastuse;
	uint64_t cur_bytes, cur_packets;
	uint64_t deadline;
	uint32_t heap_pos;
	uint16_t ctx_len;	/* Linux X_SEC_CTX, raw extension bytes */
	uint8_t *ctx;
};

/* An ACQUIRE the kernel sent and the key manager has not answered. */
struct acq {
	uint32_t seq;
	uint32_t policy;	/* policy id, 0: user-level ACQUIRE */
	uint32_t next;		/* seq index chain; free-list link */
	uint32_t heap_pos;
	uint32_t reqid;
	uint8_t satype, family, mode;
	uint8_t live;
	uint8_t failed;		/* Linux: the KM reported failure */
	uint8_t src[16];
	uint8_t dst[16];
	uint64_t deadline;
};

/* ---- endpoints -------------------------------------------------------- */

struct qmsg {
	struct qmsg *next;
	uint32_t len;
	uint8_t keys;		/* carries key bytes: wipe before free */
	uint8_t cached;		/* of QNODE_DATA bytes: back to db->qfree */
	uint8_t pad_[2];
	uint8_t data[];
};

/*
 * Queue nodes for messages up to QNODE_DATA bytes (every SA message but
 * the rare ones with large side extensions) are recycled through a free
 * list in the engine instead of malloc() and free() per message; at most
 * QFREE_MAX wait there.  Like the queues, they are not counted in
 * pfkv2_sadb_stats().mem.
 */
#define QNODE_SIZE	512
#define QNODE_DATA	(QNODE_SIZE - sizeof(struct qmsg))
#define QFREE_MAX	64

enum { DUMP_NONE = 0, DUMP_SA, DUMP_SPD };

/* A dump in progress: emitted as the reader drains its queue. */
struct dumpcur {
	uint8_t kind;		/* DUMP_* */
	uint8_t satype;		/* canonical filter, 0: every type */
	uint8_t has_filter;	/* Linux X_FILTER */
	uint32_t pos;		/* next pool index to examine (descending) */
	uint32_t count;		/* messages queued so far */
	uint32_t total;		/* FreeBSD: matching records at the start */
	uint64_t edump;		/* illumos X_EDUMP timeout, 0: none */
	struct pfkv2_filter filter;
	uint8_t hdr[16];	/* the request's base header */
	struct qmsg *held;	/* built, not queued: is it the last one? */
};

struct pfkv2_sadb_ep {
	struct pfkv2_sadb *db;
	struct pfkv2_sadb_ep *prev, *next;
	uint32_t pid;
	uint32_t reg;		/* bit per canonical satype registered */
	uint8_t ereg;		/* illumos extended registration */
	uint8_t promisc;
	uint8_t overflow;	/* report ENOBUFS at the next recv */
	struct qmsg *qhead, *qtail;
	size_t qbytes;
	uint64_t dropped;
	struct dumpcur dump;
	int fd;			/* engine end of a fake-kernel socket, -1 */
};

/* Who a message goes to (sadb_ep.c, deliver()). */
enum target {
	TO_ONE = 0,		/* the sender */
	TO_ALL,
	TO_REG,			/* registered (per dialect: any or satype) */
	TO_REG_ONE,		/* registered, and the sender in any case */
	TO_PROMISC		/* promiscuous endpoints only */
};

/* ---- the engine ------------------------------------------------------- */

/* The name spaces of pfkv2_sadb.lx_wire (sadb_linux.c); LX_NONE: unmapped. */
enum { LX_MSG, LX_SATYPE, LX_SASTATE, LX_AALG, LX_EALG, LX_CALG, LX_MODE,
	LX_NSPACE };
#define LX_NONE	0xff

struct pfkv2_sadb {
	struct pfkv2_sadb_opts o;
	enum pfkv2_dialect d;
	const struct dl_dialect *dl;	/* pfkv2_dl_get(d), looked up once */
	uint64_t now;
	uint64_t rng;			/* xorshift64* state */

	struct pool sas;
	struct keyslab keys;
	struct htab by_spi;		/* namespace key: see hash_spi() */
	struct htab by_pair;		/* (satype, src, dst) */
	struct htab by_seq;		/* larval SAs by creating seq */
	size_t nlarval;
	uint32_t per_satype[PFKV2_SATYPE_COUNT];

	struct pool pols;
	struct htab by_pid;		/* policy id */
	uint32_t *porder;		/* live policies by (priority, order) */
	uint32_t nporder, cap_porder;
	uint32_t pol_gen;		/* next policy id material */
	uint32_t pol_order;

	struct pool acqs;
	struct htab by_aseq;
	uint32_t acq_seq;		/* last ACQUIRE seq handed out */

	/* Timer heap: entries are TM_* tag | record index. */
	uint32_t *heap;
	uint32_t nheap, cap_heap;

	struct pfkv2_sadb_ep *eps;
	size_t neps;
	size_t npromisc;		/* endpoints in promiscuous mode */

	/* Scratch for building messages; wiped when it held keys. */
	uint8_t *obuf;
	size_t ocap;
	uint8_t okeys;

	/*
	 * Linux: the first seven extensions of an SA message as every SA of
	 * the family (IPv4, IPv6) has them (sadb_linux.c); lx_ok once built.
	 */
	uint8_t lx_tmpl[2][248];
	uint8_t lx_wire[LX_NSPACE][256];	/* LX_*: canonical to wire */
	uint8_t lx_ok;

	/* Recycled queue nodes (sadb_ep.c, qmsg_new()). */
	struct qmsg *qfree;
	uint32_t nqfree;

	/* Fake-kernel input buffer. */
	uint8_t *ibuf;
	size_t icap;

	size_t mem;
	size_t key_mem;
	uint64_t expires, acquires, dropped;
	uint64_t nexpired;		/* counted by pfkv2_sadb_advance */
};

/* Heap entry tags. */
#define TM_SA		0x00000000u
#define TM_POL		0x40000000u
#define TM_ACQ		0x80000000u
#define TM_TAG		0xc0000000u
#define TM_IDX		0x3fffffffu

/* ---- sadb.c: memory, randomness, wiping, pools ------------------------ */

void *db_alloc(struct pfkv2_sadb *db, size_t n);
void *db_zalloc(struct pfkv2_sadb *db, size_t n);
void *db_realloc(struct pfkv2_sadb *db, void *p, size_t old, size_t n);
void db_free(struct pfkv2_sadb *db, void *p, size_t n);
/*
 * Overwrite n bytes in a way the compiler may not remove: memset followed
 * by a compiler barrier that claims to read the memory, so the store
 * cannot be proven dead (the reason explicit_bzero exists; it is not in
 * POSIX 2008).  Inline: every reply with keys is wiped when received.
 */
static inline void
wipe(void *p, size_t n)
{
	if (p == NULL || n == 0)
		return;
#if defined(__GNUC__) || defined(__clang__)
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
#else
	volatile uint8_t *q = p;

	while (n-- > 0)
		*q++ = 0;
#endif
}
uint32_t db_random(struct pfkv2_sadb *db);
int pool_init(struct pool *p, uint32_t size, uint32_t link_off);
/* A zeroed record's index, NIL (ENOMEM) when out of memory. */
uint32_t pool_get(struct pfkv2_sadb *db, struct pool *p);
void pool_put(struct pfkv2_sadb *db, struct pool *p, uint32_t i);
void pool_destroy(struct pfkv2_sadb *db, struct pool *p);
int htab_init(struct pfkv2_sadb *db, struct htab *h, uint32_t buckets);
void htab_destroy(struct pfkv2_sadb *db, struct htab *h);
/* Room for one more entry: doubles the table when full (0, -1 ENOMEM). */
int htab_grow_needed(const struct htab *h);
uint32_t *htab_realloc(struct pfkv2_sadb *db, struct htab *h);
static inline uint32_t
mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}
static inline size_t
alen(uint8_t family)
{
	return family == PFKV2_AF_INET6 ? 16 : 4;
}
/* The first alen(family) bytes of two addresses are equal. */
static inline bool
ip_eq(const uint8_t *a, const uint8_t *b, uint8_t family)
{
	if (family != PFKV2_AF_INET6)
		return ld32(a) == ld32(b);
	return ((ld64(a) ^ ld64(b)) | (ld64(a + 8) ^ ld64(b + 8))) == 0;
}
static inline uint8_t
fullplen(uint8_t family)
{
	return family == PFKV2_AF_INET6 ? 128 : 32;
}

/* ---- sadb_sa.c: the SA store ----------------------------------------- */

static inline struct sa *
sa_at(const struct pfkv2_sadb *db, uint32_t i)
{
	return (struct sa *)pool_at(&db->sas, i);
}
int sa_store_init(struct pfkv2_sadb *db);
void sa_store_destroy(struct pfkv2_sadb *db);
int sa_reserve_slow(struct pfkv2_sadb *db, uint32_t more);
uint32_t sa_new(struct pfkv2_sadb *db);
/* Link a filled record into the indexes (capacity reserved first). */
void sa_link(struct pfkv2_sadb *db, uint32_t i);
void sa_unlink(struct pfkv2_sadb *db, uint32_t i);
/* Unlink (if linked), wipe keys and side, return the record to the pool. */
void sa_destroy(struct pfkv2_sadb *db, uint32_t i);
/* First SA after `after` (NIL: from the start) with (satype, src, dst). */
uint32_t sa_find_pair(const struct pfkv2_sadb *db, unsigned satype,
    uint8_t family, const uint8_t *src, const uint8_t *dst, uint32_t after);
uint32_t sa_find_larval_seq(const struct pfkv2_sadb *db, uint32_t seq,
    unsigned satype, uint8_t family, const uint8_t *dst);
void sa_seq_index(struct pfkv2_sadb *db, uint32_t i);
void sa_seq_unindex(struct pfkv2_sadb *db, uint32_t i);
/*
 * Replace the keys with abits of a and ebits of e (0 bits: none); -1
 * ENOMEM leaves the old ones.
 */
int sa_set_keys(struct pfkv2_sadb *db, struct sa *s, unsigned abits,
    const uint8_t *a, unsigned ebits, const uint8_t *e);
/*
 * An SA's keys are stored as their extensions carry them: the auth key
 * zero-padded to a word, then the encryption key zero-padded, so that a
 * message takes each in whole words.  key_pad(): the bytes of one.
 */
static inline size_t
key_pad(unsigned bits)
{
	return pad8((bits + 7u) / 8u);
}
static inline const uint8_t *
sa_ekey(const struct sa *s)
{
	return s->keys + key_pad(s->abits);
}
void sa_free_keys(struct pfkv2_sadb *db, struct sa *s);
void side_free(struct pfkv2_sadb *db, struct sa_side *side);
/*
 * A new side record in *out: for each extension of `mask`, the view's (v
 * may be NULL) or else, when in `keep`, old's; KMC and pair copied from
 * old.  *out is NULL when there is nothing to store, unless `force`.
 * 0, or -1 with ENOMEM.
 */
int side_build(struct pfkv2_sadb *db, const struct sa_side *old,
    const struct pfkv2_view *v, uint64_t mask, uint64_t keep, bool force,
    struct sa_side **out);
const uint8_t *side_ext(const struct sa_side *side, unsigned ext,
    size_t *len);

/* ---- sadb_ep.c: endpoints, queues, delivery --------------------------- */

/* Queue len bytes on ep (a copy); the message counts as dropped if full. */
void ep_enqueue(struct pfkv2_sadb_ep *ep, const uint8_t *msg, size_t len,
    bool keys);
struct qmsg *qmsg_new(struct pfkv2_sadb *db, const uint8_t *msg, size_t len,
    bool keys);
/* Wipe (when it holds keys) and recycle or free a node; NULL is fine. */
void qmsg_free(struct pfkv2_sadb *db, struct qmsg *m);
/* Free the recycled nodes (pfkv2_sadb_free()). */
void qmsg_cache_free(struct pfkv2_sadb *db);
bool ep_room(const struct pfkv2_sadb_ep *ep);
/*
 * Send the message in db->obuf (len bytes) to `to`, with the promiscuous
 * copies of the dialect.  satype selects registrants where the dialect
 * registers per type.  Wipes obuf when it held keys.
 */
void deliver(struct pfkv2_sadb *db, struct pfkv2_sadb_ep *from,
    enum target to, unsigned satype, const uint8_t *msg, size_t len);
/*
 * A message built for delivery: in a queue node of its own, which the
 * delivery hands to the last target (out_sa_msg()), or in db->obuf.
 */
struct built {
	struct qmsg *node;	/* NULL: len bytes in db->obuf */
	size_t len;
};
void deliver_built_slow(struct pfkv2_sadb *db, struct pfkv2_sadb_ep *from,
    enum target to, unsigned satype, const struct built *b);
void ep_drop_node(struct pfkv2_sadb_ep *ep, struct qmsg *m);

/* Pop the head of ep's queue, wipe and free it. */
void ep_pop(struct pfkv2_sadb_ep *ep);
void ep_destroy(struct pfkv2_sadb_ep *ep);

/* ---- sadb_out.c: building messages ------------------------------------ */

typedef int (*emit_fn)(struct pfkv2_sadb *db, struct pfkv2_builder *b,
    const void *ctx);
/* Build into db->obuf, growing it as needed: length, or -1 (errno). */
long out_build(struct pfkv2_sadb *db, emit_fn fn, const void *ctx);
/* A lifetime extension from an SA's or a policy's limits. */
int put_lft(struct pfkv2_builder *b, unsigned ext, const struct lft *l,
    uint32_t alloc);

/* What an SA message carries. */
#define OUT_KEYS	0x01	/* key bytes, unless PFKV2_SADB_NO_KEYS */
#define OUT_HARD	0x02	/* LIFETIME_HARD */
#define OUT_SOFT	0x04	/* LIFETIME_SOFT */
#define OUT_EXPIRE	0x08	/* an EXPIRE: the dialect's EXPIRE layout */

struct sa_msg {
	const struct sa *sa;
	unsigned type;		/* canonical message type */
	uint32_t seq, pid;
	unsigned what;		/* OUT_* */
	uint8_t state;		/* SA state to report */
};
/* The dialect's full description of an SA (GET, DUMP, notifications). */
int emit_sa(struct pfkv2_sadb *db, struct pfkv2_builder *b, const void *ctx);
/* emit_sa() into db->obuf: length, or -1 (errno); the fast writer first. */
long out_sa(struct pfkv2_sadb *db, const struct sa_msg *m);
/*
 * The same message for deliver_built(): written straight into a queue
 * node when the fast writer can, else into db->obuf.  0, or -1 (errno)
 * when it cannot be built.
 */
int out_sa_msg(struct pfkv2_sadb *db, const struct sa_msg *m,
    struct built *out);
/*
 * sadb_linux.c: emit_sa()'s Linux message for the common shape of SA,
 * written from the engine's template into buf (cap bytes): its length,
 * with db->okeys set when it holds keys, or -1 when the builder must
 * make it (nothing written, db->okeys 0).  linux_tmpl_init() builds the
 * templates (pfkv2_sadb_new()).
 */
void linux_tmpl_init(struct pfkv2_sadb *db);
long linux_sa_msg(struct pfkv2_sadb *db, const struct sa_msg *m, uint8_t *buf,
    size_t cap);
#define FBSD_X1_N	16
extern const unsigned fbsd_x1[FBSD_X1_N];
/* Header copied from a request, then its extensions, key bytes zeroed. */
int emit_echo(struct pfkv2_sadb *db, struct pfkv2_builder *b,
    const void *ctx);
struct echo {
	const struct pfkv2_view *v;
	uint64_t only;		/* extensions to copy (0: all) */
	const unsigned *order;	/* canonical order, NULL: request order */
	size_t norder;
};
void addr_of(struct pfkv2_address *a, uint8_t family, const uint8_t *ip,
    uint16_t port, uint8_t plen, uint8_t proto);

/* ---- sadb_msg.c: requests --------------------------------------------- */

struct req {
	struct pfkv2_sadb *db;
	struct pfkv2_sadb_ep *ep;
	const uint8_t *msg;
	size_t len;
	struct pfkv2_view v;
	unsigned type, satype;	/* canonical */
	uint32_t seq, pid;
	uint16_t kdiag;		/* illumos diagnostic for an error */
	/* Extensions read once (req_sa, req_addr). */
	uint8_t got;		/* REQ_* */
	struct pfkv2_sa sa;	/* flags left raw in flags_raw */
	struct pfkv2_address src, dst;
};
#define REQ_SA		0x01
#define REQ_SRC		0x02
#define REQ_DST		0x04

/* Reply with an error as the dialect does (always returns 0). */
int req_error(struct req *r, int err, uint16_t kdiag);
/*
 * Answer a FLUSH or SPDFLUSH with its own header (errno 0): Linux to the
 * sender, then to all when something went (flushed); elsewhere to all.
 */
int flush_reply(struct req *r, unsigned satype, bool flushed);
/* Address extension e of the request, or -1. */
int req_addr(struct req *r, unsigned e, uint8_t *family, uint8_t *ip,
    uint16_t *port);
/* The SA extension (NULL when absent); flags are in flags_raw, as sent. */
const struct pfkv2_sa *req_sa(struct req *r);

int satype_check_slow(struct req *r);

int h_getspi(struct req *r);
int h_add(struct req *r);
int h_delete(struct req *r);
int h_get(struct req *r);
int h_flush(struct req *r);
int h_update(struct req *r);
int h_dump(struct req *r);
int h_register(struct req *r);
int h_acquire(struct req *r);
int h_promisc(struct req *r);
int h_spd(struct req *r);
int h_updatepair(struct req *r);
int h_delpair(struct req *r);
int h_migrate(struct req *r);

/* SRC and DST of a request into an SA record, as the dialect keeps them. */
void sa_addrs(struct req *r, struct sa *s);
/* The mode a dialect stores for the SA2 mode given (Linux: ANY = transport). */
uint8_t default_mode(const struct pfkv2_sadb *db, unsigned mode);
/* The keys the SA type and algorithms need are there (0 or EINVAL). */
int keys_needed(struct req *r);
/* Fill an SA record from an ADD/UPDATE request (sadb_msg.c). */
int sa_fill(struct req *r, struct sa *s);
/* Close the acquire an ADD/UPDATE/GETSPI answers (sadb_reg.c). */
void acq_answered(struct pfkv2_sadb *db, const struct req *r,
    const struct sa *s);
/* The SA is gone: delete it and tell nobody (sadb_msg.c). */
void sa_remove(struct pfkv2_sadb *db, uint32_t i);

/* ---- sadb_update.c ----------------------------------------------------- */

/*
 * Check then apply an UPDATE to SA i (and to its pair for X_UPDATEPAIR):
 * 0 or errno, nothing changed on error.
 */
int update_sa(struct req *r, uint32_t i, uint32_t pair);

/* ---- sadb_dump.c ------------------------------------------------------ */

void dump_fill(struct pfkv2_sadb_ep *ep);
void dump_cancel(struct pfkv2_sadb_ep *ep);
/* X_SPDDUMP (called by h_spd). */
int spd_dump(struct req *r);

/* ---- sadb_expire.c ---------------------------------------------------- */

void heap_set(struct pfkv2_sadb *db, uint32_t ent, uint64_t deadline);
void heap_remove(struct pfkv2_sadb *db, uint32_t *pos);
int heap_grow(struct pfkv2_sadb *db, uint32_t more);
void heap_destroy(struct pfkv2_sadb *db);
/* Recompute an SA's next time event and place it in the heap. */
void sa_rearm(struct pfkv2_sadb *db, uint32_t i);
uint64_t sa_deadline(const struct pfkv2_sadb *db, const struct sa *s);
/* Fire byte and allocation limits after counters or limits changed. */
void sa_check_counters(struct pfkv2_sadb *db, uint32_t i);
/* Charge traffic to SA i (it is usable). */
void sa_charge(struct pfkv2_sadb *db, uint32_t i, uint64_t bytes,
    uint32_t packets);
/* Run the time events already due (after limits changed). */
void sadb_run_due(struct pfkv2_sadb *db);
/* Send an EXPIRE for SA i (soft: state becomes DYING). */
void sa_expire_msg(struct pfkv2_sadb *db, uint32_t i, bool hard);

/* ---- sadb_reg.c ------------------------------------------------------- */

struct alglist {
	const struct pfkv2_alg *a;
	size_t n;
};
/* The dialect's supported algorithms for an SA type. */
void supported_algs(const struct pfkv2_sadb *db, unsigned satype,
    struct alglist *auth, struct alglist *enc);
/* Send the kernel's ACQUIRE for a policy request lacking an SA. */
int acq_raise(struct pfkv2_sadb *db, const struct pol *p,
    const struct pfkv2_ipsecrequest *rq, unsigned satype, uint8_t family,
    const uint8_t *src, const uint8_t *dst, bool *discard);
void acq_timeout(struct pfkv2_sadb *db, uint32_t i);
void acq_store_destroy(struct pfkv2_sadb *db);
int acq_store_init(struct pfkv2_sadb *db);

/* ---- sadb_spd.c ------------------------------------------------------- */

static inline struct pol *
pol_at(const struct pfkv2_sadb *db, uint32_t i)
{
	return (struct pol *)pool_at(&db->pols, i);
}
int spd_init(struct pfkv2_sadb *db);
void spd_destroy(struct pfkv2_sadb *db);
uint32_t pol_find_id(const struct pfkv2_sadb *db, uint32_t id);
void pol_timeout(struct pfkv2_sadb *db, uint32_t i);
/* Recompute a policy's lifetime deadline (after use or a change). */
void pol_rearm(struct pfkv2_sadb *db, uint32_t i);
int emit_pol(struct pfkv2_sadb *db, struct pfkv2_builder *b, const void *ctx);
struct pol_msg {
	const struct pol *p;
	unsigned type;
	uint32_t seq, pid;
};
/* Replace the templates of policy i (X_MIGRATE); 0 or ENOMEM. */
int pol_set_reqs(struct pfkv2_sadb *db, struct pol *p,
    const struct pfkv2_ipsecrequest *reqs, size_t n);
/* Find the policy with this selector and direction, NIL if none. */
uint32_t pol_find_sel(const struct pfkv2_sadb *db, const struct pol *sel);
int pol_sel_from(const struct req *r, struct pol *p);

/* ---- sadb_illumos.c --------------------------------------------------- */

/* The illumos pair partner of SA i (NIL: none). */
uint32_t sa_pair_of(const struct pfkv2_sadb *db, uint32_t i);
/* Check a KMC change on SA i: 0 or EINVAL with *kdiag. */
int kmc_check(const struct pfkv2_sadb *db, const struct sa *s,
    const struct pfkv2_kmc *k, uint16_t *kdiag);
/* Check an X_PAIR on SA i: partner index in *partner, or errno/kdiag. */
int pair_check(const struct pfkv2_sadb *db, const struct sa *s,
    uint32_t pair_spi, uint32_t self, uint32_t *partner, uint16_t *kdiag);
/* Clear the pairing of a partner whose other half goes away. */
void pair_unlink(struct pfkv2_sadb *db, uint32_t i);

/* ---- sadb_migrate.c --------------------------------------------------- */

/* FreeBSD UPDATE with NEW_ADDRESS_*: checks (0/errno), then the move. */
int newaddr_check(struct req *r, const struct sa *s);
void newaddr_apply(struct req *r, uint32_t i);

/* ---- sadb_fd.c -------------------------------------------------------- */

void fd_close_all(struct pfkv2_sadb *db);

/* The inline helpers of the hot path. */
#include "sadb_inline.h"

#endif /* PFKV2_SADB_INT_H */
