/*
 * The builder driven by the input: a dialect, a buffer size and a
 * sequence of puts with arguments taken from the bytes.  Checked after
 * every put: nothing is written past the buffer, a refused put leaves the
 * buffer as it was, the header length is current; at the end the message
 * parses, and measuring with a NULL buffer gives the same size.
 *
 * With bit 2 of the selector byte set, the input is instead a whole
 * request for pfkv2_build_msg(), which must answer as the single puts
 * do: the same return, errno and bytes, with the room the input asks
 * for, with plenty, measuring, and one byte short or more.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "buildref.h"

#define CANARY	0xa5
#define SLACK	64

static uint16_t
u16(struct fuzz_src *s)
{
	return (uint16_t)(fuzz_u8(s) | fuzz_u8(s) << 8);
}

static uint32_t
u32(struct fuzz_src *s)
{
	return (uint32_t)u16(s) | (uint32_t)u16(s) << 16;
}

/* A canonical id of the space, now and then a raw wire value. */
static unsigned
id(struct fuzz_src *s, unsigned count)
{
	uint8_t b = fuzz_u8(s);

	return (b & 0x80) ? PFKV2_WIRE(b & 0x7f) : b % count;
}

static struct pfkv2_addr
addr(struct fuzz_src *s)
{
	struct pfkv2_addr a;
	uint8_t f = fuzz_u8(s);

	memset(&a, 0, sizeof(a));
	a.family = (f & 3) == 0 ? PFKV2_AF_INET : (f & 3) == 1 ?
	    PFKV2_AF_INET6 : (f & 3) == 2 ? 0 : f;
	a.port = u16(s);
	a.addr[0] = fuzz_u8(s);
	a.addr[15] = fuzz_u8(s);
	return a;
}

static unsigned
ext(struct fuzz_src *s)
{
	return fuzz_u8(s) % PFKV2_EXT_COUNT;
}

/* One put chosen by the input.  Returns its result. */
static int
put_one(struct pfkv2_builder *b, struct fuzz_src *s, uint8_t *scratch)
{
	uint8_t op = fuzz_u8(s), len = fuzz_u8(s);
	unsigned i;

	memset(scratch, fuzz_u8(s), 256);
	switch (op % 27) {
	case 0: {
		struct pfkv2_sa sa = { u32(s), fuzz_u8(s), (uint16_t)id(s, 8),
		    (uint16_t)id(s, PFKV2_AALG_COUNT),
		    (uint16_t)id(s, PFKV2_EALG_COUNT), fuzz_u8(s), u32(s) };
		return pfkv2_put_sa(b, &sa);
	}
	case 1: {
		struct pfkv2_lifetime lt = { u32(s), u32(s), u32(s), u32(s) };
		return pfkv2_put_lifetime(b, ext(s), &lt);
	}
	case 2: {
		struct pfkv2_address a = { addr(s), fuzz_u8(s), fuzz_u8(s), fuzz_u8(s) };
		return pfkv2_put_address(b, ext(s), &a);
	}
	case 3: {
		struct pfkv2_key k = { scratch, (uint16_t)(len * 8 / 3),
		    fuzz_u8(s) };
		return pfkv2_put_key(b, ext(s), &k);
	}
	case 4:
		return pfkv2_put_str_auth(b, (const char *)scratch, len);
	case 5: {
		struct pfkv2_ident idn = { (uint16_t)id(s, 10), u32(s),
		    (const char *)scratch, len & 63 };
		return pfkv2_put_ident(b, ext(s), &idn);
	}
	case 6: {
		struct pfkv2_sens se = { u32(s), fuzz_u8(s), len & 3, fuzz_u8(s),
		    fuzz_u8(s) & 3, fuzz_u8(s), scratch, scratch + 64 };
		return pfkv2_put_sens(b, ext(s), &se);
	}
	case 7: {
		struct pfkv2_comb c[3];

		memset(c, 0, sizeof(c));
		for (i = 0; i < 3; i++) {
			c[i].auth = (uint16_t)id(s, PFKV2_AALG_COUNT);
			c[i].encrypt = (uint16_t)id(s, PFKV2_EALG_COUNT);
			c[i].saltbits = fuzz_u8(s) & 1;
			c[i].hard_bytes = u32(s);
		}
		return pfkv2_put_proposal(b, fuzz_u8(s), c, len % 4);
	}
	case 8: {
		struct pfkv2_alg a[3];

		memset(a, 0, sizeof(a));
		for (i = 0; i < 3; i++) {
			a[i].id = (uint16_t)id(s, PFKV2_EALG_COUNT);
			a[i].minbits = u16(s);
			a[i].increment = fuzz_u8(s) & 1;
		}
		return pfkv2_put_supported(b, ext(s), a, len % 4);
	}
	case 9:
		return pfkv2_put_spirange(b, u32(s), u32(s));
	case 10:
		return pfkv2_put_kmprivate(b, scratch, len);
	case 11: {
		struct pfkv2_sa2 sa2 = { (uint16_t)id(s, 6), u32(s), u32(s) };
		return pfkv2_put_sa2(b, &sa2);
	}
	case 12: {
		struct pfkv2_policy p = { (uint16_t)id(s, 5), (uint16_t)id(s, 5),
		    fuzz_u8(s) & 1, u32(s), u32(s) };
		struct pfkv2_ipsecrequest r[3];

		memset(r, 0, sizeof(r));
		for (i = 0; i < 3; i++) {
			r[i].proto = fuzz_u8(s);
			r[i].mode = (uint16_t)id(s, 6);
			r[i].level = (uint16_t)id(s, 4);
			r[i].reqid = u32(s);
			if (fuzz_u8(s) & 1) {
				r[i].src = addr(s);
				r[i].dst = addr(s);
			}
		}
		return pfkv2_put_policy(b, &p, r, len % 4);
	}
	case 13:
		return pfkv2_put_nat_t_type(b, fuzz_u8(s));
	case 14:
		return pfkv2_put_nat_t_port(b, ext(s), u16(s));
	case 15:
		return pfkv2_put_nat_t_frag(b, u16(s));
	case 16: {
		struct pfkv2_sec_ctx c = { fuzz_u8(s), fuzz_u8(s), len, scratch };
		return pfkv2_put_sec_ctx(b, &c);
	}
	case 17: {
		struct pfkv2_kmaddress k = { addr(s), addr(s), u32(s) };
		return pfkv2_put_kmaddress(b, &k);
	}
	case 18: {
		struct pfkv2_filter f = { addr(s), addr(s), fuzz_u8(s), fuzz_u8(s) };
		return pfkv2_put_filter(b, &f);
	}
	case 19:
		return pfkv2_put_sa_replay(b, u32(s));
	case 20: {
		struct pfkv2_if_hw_offl h;

		h.flags = u32(s);
		memcpy(h.ifname, scratch, sizeof(h.ifname));
		return pfkv2_put_if_hw_offl(b, &h);
	}
	case 21: {
		uint16_t st[4] = { (uint16_t)id(s, 10), (uint16_t)id(s, 10),
		    (uint16_t)id(s, 10), (uint16_t)id(s, 10) };
		return pfkv2_put_ereg(b, st, len % 5);
	}
	case 22: {
		struct pfkv2_algdesc ad[2] = {
			{ (uint16_t)id(s, 10), fuzz_u8(s) % 4, (uint16_t)id(s, 20),
			    0, u16(s), u16(s) },
			{ (uint16_t)id(s, 10), fuzz_u8(s) % 4, (uint16_t)id(s, 5),
			    0, u16(s), u16(s) } };
		struct pfkv2_ecomb ec[2];

		memset(ec, 0, sizeof(ec));
		ec[0].numalgs = len % 3;
		ec[0].algs = ad;
		ec[1].numalgs = 1;
		ec[1].algs = ad + 1;
		return pfkv2_put_eprop(b, fuzz_u8(s), ec, fuzz_u8(s) % 3);
	}
	case 23: {
		struct pfkv2_kmc k = { (uint16_t)id(s, 4),
		    (uint64_t)u32(s) << (fuzz_u8(s) & 32) };
		return pfkv2_put_kmc(b, &k);
	}
	case 24:
		return pfkv2_put_pair(b, u32(s));
	case 25:
		/* Type 0 must be refused; known types take typed puts. */
		return pfkv2_put_ext_raw(b, 0, scratch, len);
	default:
		return pfkv2_put_ext_raw(b, (uint16_t)(200 + fuzz_u8(s) % 50),
		    scratch, len);
	}
}

/* --- pfkv2_build_msg() ------------------------------------------------ */

#define BM_CAP	32768		/* more than any message decoded below */


/* An id as id() gives it, or now and then a raw value too wide for a byte. */
static unsigned
wid(struct fuzz_src *s, unsigned count)
{
	unsigned v = id(s, count);

	return v == PFKV2_WIRE(0x7f) ? PFKV2_WIRE(u16(s)) : v;
}

static void
bm_address(struct fuzz_src *s, struct pfkv2_address *a)
{
	uint8_t b;

	memset(a, 0, sizeof(*a));
	a->addr = addr(s);
	a->addr.addr[3] = fuzz_u8(s);
	a->addr.flowinfo = fuzz_u8(s) & 1 ? u32(s) : 0;
	a->addr.scope_id = fuzz_u8(s) & 1 ? u32(s) : 0;
	b = fuzz_u8(s);
	/* Mostly a prefix that fits the family, so that most inputs build. */
	a->prefixlen = b >= 0xf0 ? fuzz_u8(s) :
	    (uint8_t)(b % (a->addr.family == PFKV2_AF_INET ? 33 : 129));
	a->proto = fuzz_u8(s);
	a->reserved = fuzz_u8(s) & 1 ? u16(s) : 0;
}

static void
bm_key(struct fuzz_src *s, struct pfkv2_key *k, const uint8_t *mat)
{
	uint8_t b = fuzz_u8(s);

	k->bits = (uint16_t)(u16(s) & (b & 1 ? 0xffff : 0x3ff));
	k->data = b & 2 ? NULL : mat + (b >> 2);
	k->reserved = b & 0x80 ? u16(s) : 0;
}

/* The request the input describes; its parts point into x and mat. */
static void
bm_decode(struct fuzz_src *s, struct tu_msg_store *x, const uint8_t *mat)
{
	uint16_t have = u16(s);
	uint8_t b;
	size_t i;

	memset(x, 0, sizeof(*x));
	x->m.type = wid(s, PFKV2_MSG_COUNT);
	x->m.satype = wid(s, PFKV2_SATYPE_COUNT);
	x->m.seq = u32(s);
	x->m.pid = u32(s);
	if (have & 0x0001) {
		x->sa.spi = u32(s);
		x->sa.replay = fuzz_u8(s);
		x->sa.state = (uint16_t)wid(s, PFKV2_SASTATE_COUNT);
		x->sa.auth = (uint16_t)wid(s, PFKV2_AALG_COUNT);
		x->sa.encrypt = (uint16_t)wid(s, PFKV2_EALG_COUNT);
		b = fuzz_u8(s);
		x->sa.flags = b < 0x80 ? 0 : b < 0xf0 ?
		    PFKV2_SAFLAG(b % (PFKV2_SAFLAG_COUNT + 2)) :
		    (uint64_t)u32(s) << 32 | u32(s);
		x->sa.flags_raw = b & 1 ? u32(s) : 0;
		x->m.sa = &x->sa;
	}
	if (have & 0x0002) {
		x->sa2.mode = (uint16_t)wid(s, PFKV2_MODE_COUNT);
		x->sa2.sequence = u32(s);
		x->sa2.reqid = u32(s);
		x->m.sa2 = &x->sa2;
	}
	if (have & 0x0004) {
		bm_address(s, &x->src);
		x->m.src = &x->src;
	}
	if (have & 0x0008) {
		bm_address(s, &x->dst);
		x->m.dst = &x->dst;
	}
	if (have & 0x0010) {
		bm_address(s, &x->proxy);
		x->m.proxy = &x->proxy;
	}
	if (have & 0x0020) {
		bm_key(s, &x->ke, mat);
		x->m.key_encrypt = &x->ke;
	}
	if (have & 0x0040) {
		bm_key(s, &x->ka, mat);
		x->m.key_auth = &x->ka;
	}
	if (have & 0x0080) {
		x->hard = (struct pfkv2_lifetime){ u32(s), u32(s), u32(s),
		    u32(s) };
		x->m.hard = &x->hard;
	}
	if (have & 0x0100) {
		x->soft = (struct pfkv2_lifetime){ u32(s), u32(s), u32(s),
		    u32(s) };
		x->m.soft = &x->soft;
	}
	if (have & 0x0200) {
		x->sr.min = u32(s);
		x->sr.max = u32(s);
		x->m.spirange = &x->sr;
	}
	if (have & 0x0400) {
		x->pol.type = (uint16_t)wid(s, PFKV2_POLICY_TYPE_COUNT);
		x->pol.dir = (uint16_t)wid(s, PFKV2_DIR_COUNT);
		x->pol.scope = (b = fuzz_u8(s)) & 1 ? b : 0;
		x->pol.id = u32(s);
		x->pol.priority = u32(s);
		x->m.policy = &x->pol;
	}
	if (have & 0x0800) {
		x->m.nreqs = fuzz_u8(s) % 4;
		x->m.reqs = x->req;
		for (i = 0; i < x->m.nreqs; i++) {
			x->req[i].proto = fuzz_u8(s);
			x->req[i].mode = (uint16_t)wid(s, PFKV2_MODE_COUNT);
			x->req[i].level = (uint16_t)wid(s, PFKV2_LEVEL_COUNT);
			x->req[i].reqid = fuzz_u8(s) & 1 ? u32(s) : u16(s);
			if (fuzz_u8(s) & 1) {
				x->req[i].src = addr(s);
				x->req[i].dst = addr(s);
			}
		}
	}
	/* The call's own rules: rarely, so that most inputs get further. */
	switch (have >> 12) {
	case 1:
		x->m.reqs = NULL;
		break;
	case 2:
		x->m.reserved_[fuzz_u8(s) & 1] = x;
		break;
	}
}


/*
 * Build m both ways into size bytes (NULL when nobuf) of buffers filled
 * with different garbage: one answer, the same bytes, nothing written
 * past the message or the buffer.  Returns the answer, errno in *err.
 */
static long
bm_both(enum pfkv2_dialect d, const struct pfkv2_msg_parts *m, bool nobuf,
    size_t size, int *err)
{
	static uint8_t a[BM_CAP + SLACK], b[BM_CAP + SLACK];
	size_t used, j;
	long ra, rb;
	int ea, eb;

	memset(a, CANARY, size + SLACK);
	memset(b, (uint8_t)~CANARY, size + SLACK);
	errno = 0;
	ra = pfkv2_build_msg(nobuf ? NULL : a, size, d, m);
	ea = errno;
	errno = 0;
	rb = tu_build_msg_ref(nobuf ? NULL : b, size, d, m);
	eb = errno;
	if (ra != rb || (ra == -1 && (ea != eb || ea == 0))) {
		fprintf(stderr, "dialect %d, size %zu%s: pfkv2_build_msg %ld "
		    "(errno %d), single puts %ld (errno %d)\n", (int)d, size,
		    nobuf ? " (NULL)" : "", ra, ea, rb, eb);
		FUZZ_ASSERT(0);
	}
	used = nobuf ? 0 : ra > 0 ? (size_t)ra : size;
	FUZZ_ASSERT(used <= size);
	if (used != 0 && ra > 0 && memcmp(a, b, used) != 0) {
		fprintf(stderr, "dialect %d: the bytes differ; "
		    "pfkv2_build_msg:\n", (int)d);
		fuzz_hexdump(a, used);
		fprintf(stderr, "single puts:\n");
		fuzz_hexdump(b, used);
		FUZZ_ASSERT(0);
	}
	for (j = used; j < size + SLACK; j++) {
		FUZZ_ASSERT(a[j] == CANARY);
		FUZZ_ASSERT(b[j] == (uint8_t)~CANARY);
	}
	*err = ra == -1 ? ea : 0;
	return ra;
}

/* The pfkv2_build_msg() branch: cap is the room the input asks for. */
static void
bm_run(struct fuzz_src *s, enum pfkv2_dialect d, size_t cap)
{
	static uint8_t mat[8192 + 64];
	struct tu_msg_store x;
	size_t short_by;
	long full, n;
	int err, ferr;

	memset(mat, fuzz_u8(s), sizeof(mat));
	short_by = 1 + fuzz_u8(s);
	bm_decode(s, &x, mat);
	full = bm_both(d, &x.m, false, BM_CAP, &ferr);
	bm_both(d, &x.m, false, cap, &err);
	/* Measuring answers as the real build does. */
	FUZZ_ASSERT(bm_both(d, &x.m, true, 0, &err) == full && err == ferr);
	FUZZ_ASSERT(bm_both(d, &x.m, true, 1 + cap, &err) == -1 &&
	    err == EINVAL);
	if (full <= 0)
		return;
	FUZZ_ASSERT(bm_both(d, &x.m, false, (size_t)full, &err) == full);
	n = bm_both(d, &x.m, false, (size_t)full - 1 -
	    short_by % (size_t)full, &err);
	FUZZ_ASSERT(n == -1 && err == EMSGSIZE);
}

/* Run the whole program of puts on buf (NULL: measure). */
static long
run(const uint8_t *data, size_t size, uint8_t *buf, size_t cap,
    enum pfkv2_dialect dl, bool check)
{
	static uint8_t snap[1024 + SLACK];
	uint8_t scratch[256];
	struct pfkv2_builder b;
	struct fuzz_src s = { data, size };
	size_t j;
	int rc;

	FUZZ_ASSERT(pfkv2_builder_init(&b, buf, cap, dl) == 0);
	if (pfkv2_put_msg(&b, id(&s, PFKV2_MSG_COUNT), id(&s,
	    PFKV2_SATYPE_COUNT), u32(&s), u32(&s)) == -1)
		return -1;
	while (s.n > 0) {
		if (check)
			memcpy(snap, buf, cap);
		rc = put_one(&b, &s, scratch);
		if (!check)
			continue;
		for (j = cap; j < cap + SLACK; j++)
			FUZZ_ASSERT(buf[j] == CANARY);
		if (rc == -1) {
			FUZZ_ASSERT(errno == EINVAL || errno == EMSGSIZE ||
			    errno == ERANGE || errno == ENOTSUP);
			FUZZ_ASSERT(memcmp(snap, buf, cap) == 0);
		}
		if (pfkv2_builder_len(&b) >= 16)
			FUZZ_ASSERT((size_t)buf[4] + buf[5] * 256u ==
			    pfkv2_builder_len(&b) / 8);
	}
	return pfkv2_builder_finish(&b) == -1 && errno == EMSGSIZE ?
	    -(long)pfkv2_builder_needed(&b) : pfkv2_builder_finish(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[1024 + SLACK];
	struct pfkv2_view v;
	enum pfkv2_dialect dl;
	size_t cap;
	long n, m;
	uint8_t sel;

	if (size < 2)
		return 0;
	sel = data[0];
	dl = fuzz_dialect(sel);
	cap = (size_t)data[1] * 4;
	data += 2;
	size -= 2;
	if (sel & 0x04) {
		struct fuzz_src s = { data, size };

		/* Now and then a dialect that does not exist. */
		if ((sel & 0x78) == 0x78)
			dl = PFKV2_DIALECT_COUNT;
		bm_run(&s, dl, cap);
		return 0;
	}
	memset(buf, CANARY, sizeof(buf));
	n = run(data, size, buf, cap, dl, true);
	m = run(data, size, NULL, 0, dl, false);
	if (n > 0) {
		static uint8_t buf2[1024 + SLACK];
		struct pfkv2_diag d;

		FUZZ_ASSERT(m == n);
		/* Every byte of the message is the builder's, padding too. */
		memset(buf2, (uint8_t)~CANARY, sizeof(buf2));
		FUZZ_ASSERT(run(data, size, buf2, cap, dl, false) == n);
		FUZZ_ASSERT(memcmp(buf, buf2, (size_t)n) == 0);
		if (pfkv2_parse(buf, (size_t)n, dl, 0, &v, &d) != 0) {
			char why[256];

			pfkv2_diag_format(&d, why, sizeof(why));
			fprintf(stderr, "built message refused: %s\n", why);
			fuzz_hexdump(buf, (size_t)n);
			FUZZ_ASSERT(0);
		}
	} else if (n < -1) {
		FUZZ_ASSERT(m == -n);	/* needed() told the truth */
	}
	return 0;
}
