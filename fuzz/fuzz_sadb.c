/*
 * The engine driven by the input: a dialect, then a sequence of events
 * (raw or built requests on two endpoints, clock advances, traffic,
 * packets).  After every step the engine's invariants hold
 * (pfkv2_sadb_check), and every successful message it emits validates in
 * its dialect as kernel output.  The engine is freed after each input, so
 * LeakSanitizer sees anything left behind.
 */
#include <stdio.h>
#include <string.h>

#include <pfkv2/sadb.h>

#include "fuzz.h"

static uint32_t
u32(struct fuzz_src *s)
{
	return (uint32_t)fuzz_u8(s) | (uint32_t)fuzz_u8(s) << 8 | (uint32_t)fuzz_u8(s) << 16;
}

static struct pfkv2_address
addr(uint8_t last)
{
	struct pfkv2_address a = { .addr = { .family = PFKV2_AF_INET },
	    .prefixlen = 32 };

	a.addr.addr[0] = 10;
	a.addr.addr[3] = last & 7;	/* few addresses: lookups collide */
	return a;
}

/* A request worth the engine's while: type and fields from the input. */
static size_t
build(struct fuzz_src *s, enum pfkv2_dialect d, uint8_t *m, size_t cap)
{
	static const unsigned types[] = {
		PFKV2_MSG_GETSPI, PFKV2_MSG_UPDATE, PFKV2_MSG_ADD,
		PFKV2_MSG_DELETE, PFKV2_MSG_GET, PFKV2_MSG_REGISTER,
		PFKV2_MSG_FLUSH, PFKV2_MSG_DUMP, PFKV2_MSG_X_PROMISC,
		PFKV2_MSG_X_SPDADD, PFKV2_MSG_X_SPDUPDATE, PFKV2_MSG_X_SPDDELETE,
		PFKV2_MSG_X_SPDDUMP, PFKV2_MSG_X_SPDFLUSH, PFKV2_MSG_ACQUIRE,
		PFKV2_MSG_X_UPDATEPAIR, PFKV2_MSG_X_DELPAIR,
	};
	static const uint8_t key[32] = "0123456789abcdef0123456789abcdef";
	struct pfkv2_builder b;
	uint8_t sel = fuzz_u8(s), flags = fuzz_u8(s);
	unsigned type = types[sel % (sizeof(types) / sizeof(types[0]))];
	struct pfkv2_sa sa = { .spi = 0x100 + (fuzz_u8(s) & 15), .replay = fuzz_u8(s),
	    .state = flags & 1 ? PFKV2_SASTATE_LARVAL : PFKV2_SASTATE_MATURE,
	    .auth = PFKV2_AALG_SHA1HMAC, .encrypt = PFKV2_EALG_3DESCBC };
	struct pfkv2_lifetime h = { fuzz_u8(s), fuzz_u8(s), fuzz_u8(s), fuzz_u8(s) };
	struct pfkv2_lifetime so = { fuzz_u8(s), fuzz_u8(s), fuzz_u8(s), fuzz_u8(s) };
	struct pfkv2_address a = addr(fuzz_u8(s)), z = addr(fuzz_u8(s));
	struct pfkv2_key ka = { key, 160, 0 }, ke = { key, 192, 0 };
	struct pfkv2_policy pol = { PFKV2_POLICY_IPSEC, (uint16_t)(1 +
	    fuzz_u8(s) % 2), 0, fuzz_u8(s) & 3, 0 };
	struct pfkv2_ipsecrequest r = { .proto = 50,
	    .mode = PFKV2_MODE_TRANSPORT, .level = PFKV2_LEVEL_REQUIRE };

	pfkv2_builder_init(&b, m, cap, d);
	if (pfkv2_put_msg(&b, type, flags & 2 ? PFKV2_SATYPE_AH :
	    PFKV2_SATYPE_ESP, fuzz_u8(s), 77) == -1)
		return 0;
	if (flags & 4)
		pfkv2_put_sa(&b, &sa);
	if (flags & 8) {
		pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_HARD, &h);
		pfkv2_put_lifetime(&b, PFKV2_EXT_LIFETIME_SOFT, &so);
	}
	if (flags & 16) {
		pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_SRC, &a);
		pfkv2_put_address(&b, PFKV2_EXT_ADDRESS_DST, &z);
	}
	if (flags & 32) {
		pfkv2_put_key(&b, PFKV2_EXT_KEY_AUTH, &ka);
		pfkv2_put_key(&b, PFKV2_EXT_KEY_ENCRYPT, &ke);
	}
	if (flags & 64)
		pfkv2_put_spirange(&b, 0x100 + fuzz_u8(s), 0x100 + fuzz_u8(s));
	if (flags & 128) {
		pfkv2_put_policy(&b, &pol, &r, 1);
		pfkv2_put_kmc(&b, &(struct pfkv2_kmc){ PFKV2_KMP_IKEV2, fuzz_u8(s) });
	}
	return pfkv2_builder_finish(&b) > 0 ? pfkv2_builder_len(&b) : 0;
}

/*
 * Everything queued on ep: successful messages validate as kernel output.
 * A promiscuous endpoint also gets raw copies of other sockets' requests
 * (Linux), the data form of X_PROMISC is rebroadcast as sent, and a key
 * manager's own ACQUIRE (pid not 0) is passed up to registered sockets:
 * those are user input, not the engine's, and go unchecked.
 */
static void
drain(struct pfkv2_sadb_ep *ep, enum pfkv2_dialect d, bool promisc)
{
	static uint8_t buf[PFKV2_MSG_MAXLEN];
	struct pfkv2_view v;
	struct pfkv2_diag diag;
	long n;

	while ((n = pfkv2_sadb_recv(ep, buf, sizeof(buf))) != -1 ||
	    pfkv2_sadb_pending(ep) != 0) {
		if (n < 16 || buf[2] != 0 || promisc || buf[1] == 11 ||
		    (buf[1] == 6 && (buf[12] | buf[13] | buf[14] | buf[15])))
			continue;	/* error replies may echo bad input */
		if (pfkv2_parse(buf, (size_t)n, d, PFKV2_V_MESSAGE |
		    PFKV2_V_DIALECT | PFKV2_V_REPLY, &v, &diag) != 0) {
			char why[200];

			pfkv2_diag_format(&diag, why, sizeof(why));
			fprintf(stderr, "engine emitted an invalid message: "
			    "%s\n", why);
			fuzz_hexdump(buf, (size_t)n);
			FUZZ_ASSERT(0);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t m[4096];
	struct pfkv2_sadb_opts o;
	struct pfkv2_sadb *db;
	struct pfkv2_sadb_ep *ep[2];
	struct pfkv2_packet pkt;
	struct fuzz_src s = { data + 1, size > 0 ? size - 1 : 0 };
	enum pfkv2_dialect d;
	bool promisc[2] = { false, false };
	size_t len;
	int steps = 0;

	if (size < 1)
		return 0;
	d = (enum pfkv2_dialect)(1 + data[0] % 3);	/* linux freebsd illumos */
	pfkv2_sadb_opts_init(&o, d);
	o.rcvbuf = 4096;	/* small queues: overflow paths too */
	db = pfkv2_sadb_new(&o);
	FUZZ_ASSERT(db != NULL);
	ep[0] = pfkv2_sadb_open(db, 77);
	ep[1] = pfkv2_sadb_open(db, 78);
	FUZZ_ASSERT(ep[0] != NULL && ep[1] != NULL);
	while (s.n > 0 && steps++ < 64) {
		uint8_t op = fuzz_u8(&s);
		struct pfkv2_sadb_ep *e = ep[op >> 7];
		/* Any X_PROMISC (11 in every dialect here) may turn it on. */
		const uint8_t *sent = NULL;

		switch (op & 7) {
		case 0:		/* raw bytes, usually malformed */
			len = (size_t)fuzz_u8(&s) * 8;
			len = len > s.n ? s.n : len;
			sent = len >= 2 ? s.p : NULL;
			(void)pfkv2_sadb_send(e, s.p, len);
			s.p += len;
			s.n -= len;
			break;
		case 1: case 2: case 3:
			if ((len = build(&s, d, m, sizeof(m))) > 0) {
				sent = m;
				(void)pfkv2_sadb_send(e, m, len);
			}
			break;
		case 4:
			(void)pfkv2_sadb_advance(db, fuzz_u8(&s));
			break;
		case 5: {
			struct pfkv2_address z = addr(fuzz_u8(&s));

			(void)pfkv2_sadb_charge(db, PFKV2_SATYPE_ESP,
			    0x100 + (fuzz_u8(&s) & 15), &z.addr, u32(&s), fuzz_u8(&s));
			break;
		}
		case 6:
			memset(&pkt, 0, sizeof(pkt));
			pkt.src = addr(fuzz_u8(&s)).addr;
			pkt.dst = addr(fuzz_u8(&s)).addr;
			pkt.dir = (uint8_t)(1 + fuzz_u8(&s) % 2);
			pkt.bytes = fuzz_u8(&s);
			(void)pfkv2_sadb_packet(db, &pkt, NULL);
			break;
		default:
			drain(e, d, promisc[op >> 7]);
			break;
		}
		if (sent != NULL && sent[1] == 11)
			promisc[op >> 7] = true;
		FUZZ_ASSERT(pfkv2_sadb_check(db) == 0);
	}
	drain(ep[0], d, promisc[0]);
	drain(ep[1], d, promisc[1]);
	pfkv2_sadb_close(ep[1]);
	FUZZ_ASSERT(pfkv2_sadb_check(db) == 0);
	pfkv2_sadb_free(db);
	return 0;
}
