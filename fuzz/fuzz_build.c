/*
 * The builder driven by the input: a dialect, a buffer size and a
 * sequence of puts with arguments taken from the bytes.  Checked after
 * every put: nothing is written past the buffer, a refused put leaves the
 * buffer as it was, the header length is current; at the end the message
 * parses, and measuring with a NULL buffer gives the same size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

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

	if (size < 2)
		return 0;
	dl = fuzz_dialect(data[0]);
	cap = (size_t)data[1] * 4;
	data += 2;
	size -= 2;
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
