/*
 * Endpoints: each behaves like one PF_KEY socket, with a bounded receive
 * queue and the registrations and promiscuous mode of that socket.  And
 * delivery: which endpoints a message reaches, per dialect
 * (validation-and-semantics.md 3.8):
 *
 *	Linux	promiscuous sockets get a copy of every message the kernel
 *		sends, on top of the normal targets (so a promiscuous target
 *		gets two), and a copy of every request as written;
 *	FreeBSD	the same copies, each wrapped in an X_PROMISC header;
 *	illumos	promiscuous sockets also get the messages addressed to one
 *		other socket (GET, DUMP); broadcasts reach them anyway.
 *
 * "Registered" is any registration on Linux and FreeBSD, a registration
 * for the message's SA type on illumos.
 *
 * Overflow: a message that does not fit the endpoint's rcvbuf (an empty
 * queue always takes one) is dropped and counted; the next recv reports
 * ENOBUFS once, as a kernel reports a socket overflow.
 */
#include <stdlib.h>
#include <unistd.h>

#include "sadb_int.h"

struct qmsg *
qmsg_new(struct pfkv2_sadb *db, const uint8_t *msg, size_t len, bool keys)
{
	struct qmsg *m;

	if (len <= QNODE_DATA) {
		if ((m = qnode_take(db)) == NULL &&
		    (m = malloc(QNODE_SIZE)) == NULL)
			return NULL;
		m->cached = 1;
	} else {
		if ((m = malloc(sizeof(*m) + len)) == NULL)
			return NULL;
		m->cached = 0;
	}
	m->next = NULL;
	m->len = (uint32_t)len;
	m->keys = keys;
	if (msg != NULL)
		memcpy(m->data, msg, len);
	return m;
}

/* qmsg_free() of a node, inline in ep_pop(): every recv frees one. */
static inline void
node_free(struct pfkv2_sadb *db, struct qmsg *m)
{
	if (m->keys)
		wipe(m->data, m->len);
	if (m->cached && db->nqfree < QFREE_MAX) {
		m->next = db->qfree;
		db->qfree = m;
		db->nqfree++;
		return;
	}
	free(m);
}

void
qmsg_free(struct pfkv2_sadb *db, struct qmsg *m)
{
	if (m != NULL)
		node_free(db, m);
}

void
qmsg_cache_free(struct pfkv2_sadb *db)
{
	struct qmsg *m;

	while ((m = db->qfree) != NULL) {
		db->qfree = m->next;
		free(m);
	}
	db->nqfree = 0;
}

bool
ep_room(const struct pfkv2_sadb_ep *ep)
{
	return ep->qbytes < ep->db->o.rcvbuf;
}

static void
drop(struct pfkv2_sadb_ep *ep)
{
	ep->dropped++;
	ep->overflow = 1;
}

void
ep_drop_node(struct pfkv2_sadb_ep *ep, struct qmsg *m)
{
	qmsg_free(ep->db, m);
	drop(ep);
}

void
ep_enqueue(struct pfkv2_sadb_ep *ep, const uint8_t *msg, size_t len,
    bool keys)
{
	struct qmsg *m;

	if (!fits(ep, len)) {
		drop(ep);
		return;
	}
	/* Out of memory loses the message as a full socket would. */
	if ((m = qmsg_new(ep->db, msg, len, keys)) == NULL) {
		drop(ep);
		return;
	}
	ep_enqueue_node(ep, m);
}

/* FreeBSD key_sendup0: a promiscuous copy behind an X_PROMISC header. */
static void
enqueue_wrapped(struct pfkv2_sadb_ep *ep, const uint8_t *msg, size_t len,
    bool keys)
{
	uint8_t *h;
	struct qmsg *m;

	if (!fits(ep, len + 16) || len + 16 > PFKV2_MSG_MAXLEN) {
		drop(ep);
		return;
	}
	if ((m = qmsg_new(ep->db, NULL, len + 16, keys)) == NULL) {
		drop(ep);
		return;
	}
	h = m->data;
	memset(h, 0, 16);
	h[OFF(msg, sadb_msg_version)] = PFKV2_PF_KEY_V2;
	h[OFF(msg, sadb_msg_type)] = (uint8_t)dl_c2w(ep->db->dl,
	    PFKV2_SP_MSG, PFKV2_MSG_X_PROMISC);
	st16(h + OFF(msg, sadb_msg_len), (uint16_t)((len + 16) / 8));
	memcpy(h + 16, msg, len);
	ep_enqueue_node(ep, m);
}

static bool
registered(const struct pfkv2_sadb *db, const struct pfkv2_sadb_ep *ep,
    unsigned satype)
{
	if (db->d == PFKV2_DIALECT_ILLUMOS)
		return satype < 32 && (ep->reg & (1u << satype)) != 0;
	return ep->reg != 0;
}

/*
 * Queue the message on every endpoint `to` names, with the dialect's
 * promiscuous copies.  Each target but the last gets a copy; the last
 * gets `own` itself when the message was built in a node of its own
 * (then nothing is copied for a reply to one socket), else a copy too.
 * Only the order of one endpoint's messages is visible, and each
 * endpoint's copies are queued in the order deliver() always used.
 */
static void
distribute(struct pfkv2_sadb *db, struct pfkv2_sadb_ep *from, enum target to,
    unsigned satype, const uint8_t *msg, size_t len, bool keys,
    struct qmsg *own)
{
	struct pfkv2_sadb_ep *ep, *last = NULL;
	bool t;

	if (sole_target(db, from, to)) {
		if (own != NULL)
			ep_enqueue_node(from, own);
		else
			ep_enqueue(from, msg, len, keys);
		return;
	}
	for (ep = db->eps; ep != NULL; ep = ep->next) {
		switch (to) {
		case TO_ONE:
			t = ep == from;
			break;
		case TO_ALL:
			t = true;
			break;
		case TO_REG:
			t = registered(db, ep, satype);
			break;
		case TO_REG_ONE:
			t = ep == from || registered(db, ep, satype);
			break;
		default:
			t = false;
			break;
		}
		if (ep->promisc) {
			switch (db->d) {
			case PFKV2_DIALECT_LINUX:
				if (last != NULL)
					ep_enqueue(last, msg, len, keys);
				last = ep;
				break;
			case PFKV2_DIALECT_FREEBSD:
				enqueue_wrapped(ep, msg, len, keys);
				break;
			default:
				if (to == TO_ONE)
					t = true;
				break;
			}
		}
		if (t) {
			if (last != NULL)
				ep_enqueue(last, msg, len, keys);
			last = ep;
		}
	}
	if (last == NULL)
		qmsg_free(db, own);
	else if (own != NULL)
		ep_enqueue_node(last, own);
	else
		ep_enqueue(last, msg, len, keys);
}

void
deliver(struct pfkv2_sadb *db, struct pfkv2_sadb_ep *from, enum target to,
    unsigned satype, const uint8_t *msg, size_t len)
{
	/* A caller's bytes (passed on as they came) may hold keys: wipe. */
	bool keys = msg == db->obuf ? db->okeys != 0 : true;

	distribute(db, from, to, satype, msg, len, keys, NULL);
	if (msg == db->obuf && keys) {
		wipe(db->obuf, len);
		db->okeys = 0;
	}
}

void
deliver_built_slow(struct pfkv2_sadb *db, struct pfkv2_sadb_ep *from,
    enum target to, unsigned satype, const struct built *b)
{
	if (b->node == NULL)
		deliver(db, from, to, satype, db->obuf, b->len);
	else
		distribute(db, from, to, satype, b->node->data, b->node->len,
		    b->node->keys, b->node);
}

void
ep_pop(struct pfkv2_sadb_ep *ep)
{
	struct qmsg *m = ep->qhead;

	if (m == NULL)
		return;
	ep->qhead = m->next;
	if (ep->qhead == NULL)
		ep->qtail = NULL;
	ep->qbytes -= m->len;
	node_free(ep->db, m);
}

void
ep_destroy(struct pfkv2_sadb_ep *ep)
{
	struct pfkv2_sadb *db = ep->db;

	dump_cancel(ep);
	while (ep->qhead != NULL)
		ep_pop(ep);
	if (ep->prev != NULL)
		ep->prev->next = ep->next;
	else
		db->eps = ep->next;
	if (ep->next != NULL)
		ep->next->prev = ep->prev;
	db->dropped += ep->dropped;
	db->neps--;
	db->npromisc -= ep->promisc;
	if (ep->fd >= 0)
		close(ep->fd);
	db_free(db, ep, sizeof(*ep));
}

PFKV2_API struct pfkv2_sadb_ep *
pfkv2_sadb_open(struct pfkv2_sadb *db, uint32_t pid)
{
	struct pfkv2_sadb_ep *ep, *last;

	if (db == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((ep = db_zalloc(db, sizeof(*ep))) == NULL)
		return NULL;
	ep->db = db;
	ep->pid = pid;
	ep->fd = -1;
	/* Appended: broadcasts reach endpoints in the order they opened. */
	for (last = db->eps; last != NULL && last->next != NULL;
	    last = last->next)
		;
	ep->prev = last;
	if (last != NULL)
		last->next = ep;
	else
		db->eps = ep;
	db->neps++;
	return ep;
}

PFKV2_API void
pfkv2_sadb_close(struct pfkv2_sadb_ep *ep)
{
	if (ep != NULL)
		ep_destroy(ep);
}

PFKV2_API long
pfkv2_sadb_recv(struct pfkv2_sadb_ep *ep, void *buf, size_t size)
{
	struct qmsg *m;
	long n;

	if (ep == NULL || (buf == NULL && size != 0)) {
		errno = EINVAL;
		return -1;
	}
	if (ep->overflow) {
		ep->overflow = 0;
		errno = ENOBUFS;
		return -1;
	}
	if ((m = ep->qhead) == NULL) {
		errno = EAGAIN;
		return -1;
	}
	if (m->len > size) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(buf, m->data, m->len);
	n = (long)m->len;
	ep_pop(ep);
	if (ep->dump.kind != DUMP_NONE)
		dump_fill(ep);
	return n;
}

PFKV2_API size_t
pfkv2_sadb_pending(const struct pfkv2_sadb_ep *ep)
{
	return ep != NULL && ep->qhead != NULL ? ep->qhead->len : 0;
}

PFKV2_API uint64_t
pfkv2_sadb_dropped(const struct pfkv2_sadb_ep *ep)
{
	return ep != NULL ? ep->dropped : 0;
}
