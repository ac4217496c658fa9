/*
 * pfkv2_sadb_send(): one message written on an endpoint.  What a kernel
 * refuses at write() itself fails the call; everything else is parsed,
 * validated by the codec (message and dialect level, as a request) and
 * handed to the message's handler, whose errors become the dialect's
 * errno replies (sadb_msg.c, req_error()).
 *
 * The write()-time checks follow validation-and-semantics.md section 0:
 *	Linux (pfkey_get_base_msg): version, reserved, type range: EINVAL;
 *		a length that disagrees with sadb_msg_len: EMSGSIZE.  The
 *		length is compared in whole words, so trailing bytes short of
 *		a word pass here and the walk then refuses them with an
 *		EINVAL reply (D1).
 *	FreeBSD (key_output, key_parse, key_align): short or mis-sized:
 *		EINVAL; over 2048 bytes: ENOBUFS (D28); a fault in the
 *		extension walk (unknown type D2, duplicate, bad length):
 *		the walk's errno.
 *	illumos: nothing; even a mis-sized message gets an EMSGSIZE reply.
 */
#include <stdlib.h>

#include "sadb_int.h"

#define FREEBSD_MCLBYTES	2048

typedef int (*handler)(struct req *r);

static handler
handler_of(unsigned type)
{
	switch (type) {
	case PFKV2_MSG_GETSPI:		return h_getspi;
	case PFKV2_MSG_UPDATE:		return h_update;
	case PFKV2_MSG_ADD:		return h_add;
	case PFKV2_MSG_DELETE:		return h_delete;
	case PFKV2_MSG_GET:		return h_get;
	case PFKV2_MSG_ACQUIRE:		return h_acquire;
	case PFKV2_MSG_REGISTER:	return h_register;
	case PFKV2_MSG_FLUSH:		return h_flush;
	case PFKV2_MSG_DUMP:		return h_dump;
	case PFKV2_MSG_X_PROMISC:	return h_promisc;
	case PFKV2_MSG_X_SPDUPDATE:
	case PFKV2_MSG_X_SPDADD:
	case PFKV2_MSG_X_SPDDELETE:
	case PFKV2_MSG_X_SPDGET:
	case PFKV2_MSG_X_SPDDUMP:
	case PFKV2_MSG_X_SPDFLUSH:
	case PFKV2_MSG_X_SPDSETIDX:
	case PFKV2_MSG_X_SPDDELETE2:	return h_spd;
	case PFKV2_MSG_X_MIGRATE:	return h_migrate;
	case PFKV2_MSG_X_UPDATEPAIR:	return h_updatepair;
	case PFKV2_MSG_X_DELPAIR:	return h_delpair;
	default:			return NULL;
	}
}

static int
wfail(int err)
{
	errno = err;
	return -1;
}

/* illumos *_HSERR: the first limit whose soft value is above the hard. */
static uint16_t
hserr(const struct req *r)
{
	struct pfkv2_lifetime h, s;

	if (pfkv2_get_lifetime(&r->v, PFKV2_EXT_LIFETIME_HARD, &h) != 0 ||
	    pfkv2_get_lifetime(&r->v, PFKV2_EXT_LIFETIME_SOFT, &s) != 0)
		return 0;
	if (h.allocations && s.allocations > h.allocations)
		return 14;	/* ALLOC_HSERR */
	if (h.bytes && s.bytes > h.bytes)
		return 15;	/* BYTES_HSERR */
	if (h.addtime && s.addtime > h.addtime)
		return 16;	/* ADDTIME_HSERR */
	return 17;		/* USETIME_HSERR */
}

/* illumos diagnostics the codec's table does not give for our cases. */
static uint16_t
illumos_fixup(const struct req *r, const struct pfkv2_diag *d)
{
	if (d->code == PFKV2_E_LIFETIME_ORDER)
		return hserr(r);
	if (d->code == PFKV2_E_SATYPE && r->satype == PFKV2_SATYPE_UNSPEC)
		return 5;	/* SATYPE_NEEDED */
	if (d->code == PFKV2_E_EXT_NOT_ALLOWED) {
		if (d->ext == PFKV2_EXT_PROPOSAL)
			return 38;	/* PROP_PRESENT */
		if (d->ext == PFKV2_EXT_SUPPORTED_AUTH ||
		    d->ext == PFKV2_EXT_SUPPORTED_ENCRYPT)
			return 39;	/* SUPP_PRESENT */
		if (r->type == PFKV2_MSG_FLUSH || r->type == PFKV2_MSG_DUMP)
			return 7;	/* NO_EXT */
	}
	return d->kernel_diag;
}

/* The raw request to promiscuous sockets, before validation (Linux). */
static void
promisc_request(struct pfkv2_sadb *db, const uint8_t *m, size_t len)
{
	struct pfkv2_sadb_ep *p;

	for (p = db->eps; p != NULL; p = p->next)
		if (p->promisc)
			ep_enqueue(p, m, len, true);
}

/* The data form of X_PROMISC: a message to pass on to every socket. */
static int
promisc_data(struct req *r)
{
	struct pfkv2_sadb *db = r->db;

	switch (db->d) {
	case PFKV2_DIALECT_LINUX:
		/* Not parsed; rebroadcast whole (3.8). */
		deliver(db, r->ep, TO_ALL, 0, r->msg, r->len);
		return 0;
	case PFKV2_DIALECT_FREEBSD:
		/* The outer header is stripped; seq targeting is a TODO there. */
		deliver(db, r->ep, TO_ALL, 0, r->msg + 16, r->len - 16);
		return 0;
	default:
		/* Not documented for illumos: refused (our choice). */
		return req_error(r, EINVAL, 0);
	}
}

/*
 * Requests the dialect's kernel takes apart from the validation rules:
 * true, with the illumos diagnostic, for one it answers EOPNOTSUPP.
 */
static inline bool
not_taken(const struct req *r, uint16_t *kdiag)
{
	const struct pfkv2_sadb *db = r->db;

	/* Linux takes only the base-only KM-failure form of ACQUIRE. */
	if (db->d == PFKV2_DIALECT_LINUX && r->type == PFKV2_MSG_ACQUIRE &&
	    r->len != 16) {
		*kdiag = 0;
		return true;
	}
	/* illumos: LIFETIME_CURRENT in UPDATE is EOPNOTSUPP (A.82). */
	if (db->d == PFKV2_DIALECT_ILLUMOS && (r->type == PFKV2_MSG_UPDATE ||
	    r->type == PFKV2_MSG_X_UPDATEPAIR) &&
	    pfkv2_view_has(&r->v, PFKV2_EXT_LIFETIME_CURRENT)) {
		*kdiag = 82;
		return true;
	}
	return false;
}

/*
 * A request the parser's one pass did not accept, checked in the kernel's
 * order: the walk, what the kernel refuses before validating, then the
 * validation rules, so that the answer names the first fault.  Returns 1
 * when every check passes after all (the pass may refuse more than the
 * ordered checks), else what pfkv2_sadb_send() returns, the request
 * answered.
 */
static int
ordered_checks(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	struct pfkv2_diag d;
	uint16_t kdiag;

	if (pfkv2_parse(r->msg, r->len, db->d, 0, &r->v, &d) != 0) {
		if (db->d == PFKV2_DIALECT_FREEBSD)
			return wfail(d.kernel_errno);
		/* D1: Linux's walk finds the trailing bytes: EINVAL. */
		if (db->d == PFKV2_DIALECT_LINUX && d.code == PFKV2_E_MSG_LEN)
			return req_error(r, EINVAL, 0);
		return req_error(r, d.kernel_errno, d.kernel_diag);
	}
	r->type = r->v.type;
	r->satype = r->v.satype;
	if (not_taken(r, &kdiag))
		return req_error(r, EOPNOTSUPP, kdiag);
	if (pfkv2_validate(&r->v, PFKV2_V_MESSAGE | PFKV2_V_DIALECT |
	    PFKV2_V_REQUEST, &d) != 0) {
		if (db->d == PFKV2_DIALECT_FREEBSD) {
			if (d.code == PFKV2_E_EXT_UNKNOWN)
				return wfail(EINVAL);
			if (d.code == PFKV2_E_MSG_NO_HANDLER)
				d.kernel_errno = EINVAL;
		}
		if (db->d == PFKV2_DIALECT_ILLUMOS)
			d.kernel_diag = illumos_fixup(r, &d);
		return req_error(r, d.kernel_errno, d.kernel_diag);
	}
	return 1;
}

static int
dispatch(struct req *r)
{
	struct pfkv2_sadb *db = r->db;
	uint16_t kdiag;
	handler h;
	int err;

	/*
	 * A valid request costs one pass: parse and validate with the
	 * engine's flags at once.  The ordered path answers the others.
	 */
	if (parse_request_pass(r->msg, r->len, db->dl,
	    &r->v) == 0) {
		r->type = r->v.type;
		r->satype = r->v.satype;
		if (not_taken(r, &kdiag))
			return req_error(r, EOPNOTSUPP, kdiag);
	} else if ((err = ordered_checks(r)) != 1)
		return err;
	if ((h = handler_of(r->type)) == NULL)
		return req_error(r, EOPNOTSUPP, 0);
	if ((err = h(r)) != 0)
		return req_error(r, err, r->kdiag);
	return 0;
}

PFKV2_API int
pfkv2_sadb_send(struct pfkv2_sadb_ep *ep, const void *msg, size_t len)
{
	struct pfkv2_sadb *db;
	const struct dl_dialect *dl;
	const uint8_t *m = msg;
	uint8_t *copy = NULL;
	struct req r;
	unsigned wlen;
	int c, rc;

	if (ep == NULL || (msg == NULL && len != 0))
		return wfail(EINVAL);
	db = ep->db;
	dl = db->dl;
	if (len > PFKV2_MSG_MAXLEN)
		return wfail(EMSGSIZE);
	if (len < 16)
		return wfail(db->d == PFKV2_DIALECT_FREEBSD ? EINVAL :
		    EMSGSIZE);
	wlen = ld16(m + OFF(msg, sadb_msg_len));
	switch (db->d) {
	case PFKV2_DIALECT_LINUX:
		if (m[0] != PFKV2_PF_KEY_V2 || ld16(m + 6) != 0 || m[1] == 0 ||
		    m[1] > dl->msg_max)
			return wfail(EINVAL);
		if (wlen != len / 8 || wlen < 2)
			return wfail(EMSGSIZE);
		if (db->npromisc != 0)
			promisc_request(db, m, len);
		break;
	case PFKV2_DIALECT_FREEBSD:
		if ((size_t)wlen * 8 != len)
			return wfail(EINVAL);
		if (len > FREEBSD_MCLBYTES)
			return wfail(ENOBUFS);
		break;
	default:
		break;
	}
	/* The view is filled by the parser: clear only the rest. */
	memset(&r, 0, offsetof(struct req, v));
	r.type = r.satype = 0;
	r.kdiag = 0;
	r.got = 0;
	r.db = db;
	r.ep = ep;
	r.msg = m;
	r.len = len;
	r.seq = ld32(m + OFF(msg, sadb_msg_seq));
	r.pid = ld32(m + OFF(msg, sadb_msg_pid));
	/* Every dialect maps MSG and SATYPE (no NULL tables); 0: unknown. */
	c = dl->map[PFKV2_SP_SATYPE].w2c[m[3]];
	r.satype = c != 0 ? (unsigned)c - 1 : 0;
	c = dl->map[PFKV2_SP_MSG].w2c[m[1]];
	r.type = c != 0 ? (unsigned)c - 1 : 0;
	if (db->d == PFKV2_DIALECT_FREEBSD && (m[0] != PFKV2_PF_KEY_V2 ||
	    m[1] > dl->msg_max))
		return req_error(&r, EINVAL, 0);
	/*
	 * X_PROMISC is not walked as extensions: the data form carries a
	 * message, and the control form's satype 1 is no SA type.
	 */
	if (r.type == PFKV2_MSG_X_PROMISC && (size_t)wlen * 8 == len) {
		if (len > 16)
			return promisc_data(&r);
		if ((rc = h_promisc(&r)) != 0)
			return req_error(&r, rc, 0);
		return 0;
	}
	/* D3: illumos does not check the version; the codec does. */
	if (db->d == PFKV2_DIALECT_ILLUMOS && m[0] != PFKV2_PF_KEY_V2 &&
	    (size_t)wlen * 8 == len) {
		if ((copy = malloc(len)) == NULL)
			return req_error(&r, ENOMEM, 0);
		memcpy(copy, m, len);
		copy[0] = PFKV2_PF_KEY_V2;
		r.msg = copy;
	}
	rc = dispatch(&r);
	if (copy != NULL) {
		wipe(copy, len);
		free(copy);
	}
	return rc;
}
