/*
 * Parse and validate any bytes in any dialect, then read every part of
 * the view through the getters and iterators.  Nothing may read outside
 * the input (ASan watches), and whatever the parser accepts the getters
 * must read without error.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

static void
read_all(const struct pfkv2_view *v)
{
	union {
		struct pfkv2_sa sa;
		struct pfkv2_lifetime lt;
		struct pfkv2_address a;
		struct pfkv2_key k;
		struct pfkv2_ident id;
		struct pfkv2_sens s;
		struct pfkv2_comb c;
		struct pfkv2_alg al;
		struct pfkv2_sa2 sa2;
		struct pfkv2_policy p;
		struct pfkv2_ipsecrequest r;
		struct pfkv2_sec_ctx cx;
		struct pfkv2_kmaddress km;
		struct pfkv2_filter f;
		struct pfkv2_if_hw_offl hw;
		struct pfkv2_kmc kmc;
		struct pfkv2_replay_value rv;
		struct pfkv2_ecomb ec;
		struct pfkv2_algdesc ad;
	} u;
	uint16_t satypes[8];
	struct pfkv2_iter it;
	const void *data;
	const char *str;
	uint32_t a32, b32;
	uint64_t a64;
	uint16_t a16;
	uint8_t a8;
	size_t n, i;
	unsigned e;
	int rc;

	for (e = 1; e < PFKV2_EXT_COUNT; e++) {
		if (!pfkv2_view_has(v, e))
			continue;
		FUZZ_ASSERT(pfkv2_view_ext(v, e, &n) != NULL && n >= 8);
	}
	(void)pfkv2_get_sa(v, &u.sa);
	for (e = PFKV2_EXT_LIFETIME_CURRENT; e < PFKV2_EXT_COUNT; e++) {
		(void)pfkv2_get_lifetime(v, e, &u.lt);
		if (pfkv2_view_has(v, e) && pfkv2_get_address(v, e, &u.a) == -1)
			FUZZ_ASSERT(errno == EINVAL);
		(void)pfkv2_get_key(v, e, &u.k);
		if (pfkv2_get_key(v, e, &u.k) == 0)
			FUZZ_ASSERT(u.k.data != NULL);
		(void)pfkv2_get_ident(v, e, &u.id);
		(void)pfkv2_get_sens(v, e, &u.s);
		(void)pfkv2_get_nat_t_port(v, e, &a16);
	}
	if (pfkv2_get_proposal(v, &a8, &n) == 0)
		for (i = 0; i < n; i++)
			FUZZ_ASSERT(pfkv2_get_comb(v, i, &u.c) == 0);
	for (e = PFKV2_EXT_SUPPORTED_AUTH; e <= PFKV2_EXT_SUPPORTED_ENCRYPT;
	    e++)
		if (pfkv2_get_supported(v, e, &n) == 0)
			for (i = 0; i < n; i++)
				FUZZ_ASSERT(pfkv2_get_alg(v, e, i, &u.al) == 0);
	(void)pfkv2_get_spirange(v, &a32, &b32);
	(void)pfkv2_get_kmprivate(v, &data, &n);
	(void)pfkv2_get_str_auth(v, &str, &n);
	(void)pfkv2_get_sa2(v, &u.sa2);
	(void)pfkv2_get_policy(v, &u.p);
	if (pfkv2_view_has(v, PFKV2_EXT_POLICY)) {
		for (rc = pfkv2_ipsecrequest_first(v, &it, &u.r); rc == 1;
		    rc = pfkv2_ipsecrequest_next(&it, &u.r))
			;
		FUZZ_ASSERT(rc == 0);	/* the parser checked every request */
	}
	(void)pfkv2_get_nat_t_type(v, &a8);
	(void)pfkv2_get_nat_t_frag(v, &a16);
	(void)pfkv2_get_sec_ctx(v, &u.cx);
	(void)pfkv2_get_kmaddress(v, &u.km);
	(void)pfkv2_get_filter(v, &u.f);
	(void)pfkv2_get_sa_replay(v, &a32);
	(void)pfkv2_get_if_hw_offl(v, &u.hw);
	(void)pfkv2_get_ereg(v, satypes, 8, &n);
	(void)pfkv2_get_kmc(v, &u.kmc);
	(void)pfkv2_get_pair(v, &a32);
	(void)pfkv2_get_replay_value(v, &u.rv);
	(void)pfkv2_get_edump(v, &a64);
	if (pfkv2_get_eprop(v, &a8, &n) == 0) {
		for (rc = pfkv2_ecomb_first(v, &it, &u.ec); rc == 1;
		    rc = pfkv2_ecomb_next(&it, &u.ec))
			for (i = 0; i < u.ec.numalgs; i++)
				FUZZ_ASSERT(pfkv2_ecomb_alg(&it, i, &u.ad) == 0);
		FUZZ_ASSERT(rc == 0);
	}
}

/* pfkv2_parse_cached() and pfkv2_parse() on msg: the same answer. */
static void
same_as_parse(struct pfkv2_parse_cache *c, const uint8_t *msg, size_t len,
    enum pfkv2_dialect dl, unsigned flags)
{
	struct pfkv2_view v, v2;
	struct pfkv2_diag d, d2;
	int rc, e;

	memset(&v, 0x5a, sizeof(v));
	memset(&v2, 0x5a, sizeof(v2));
	memset(&d, 0x5a, sizeof(d));
	memset(&d2, 0x5a, sizeof(d2));
	rc = pfkv2_parse(msg, len, dl, flags, &v, &d);
	e = errno;
	FUZZ_ASSERT(pfkv2_parse_cached(c, msg, len, flags, &v2, &d2) == rc);
	FUZZ_ASSERT(rc == 0 || errno == e);
	FUZZ_ASSERT(memcmp(&v, &v2, sizeof(v)) == 0);
	FUZZ_ASSERT(memcmp(&d, &d2, sizeof(d)) == 0);
}

/*
 * The parse cache learns the input (when it is accepted), then sees it
 * again and with one byte changed at a few places: a changed byte the
 * cache does not compare must be one no check reads.
 */
static void
cached_same(const uint8_t *msg, size_t len, enum pfkv2_dialect dl,
    unsigned flags)
{
	static struct pfkv2_parse_cache c;	/* the harness's, not the library's */
	uint8_t m[1024];
	size_t k, at;

	FUZZ_ASSERT(pfkv2_parse_cache_init(&c, dl) == 0);
	same_as_parse(&c, msg, len, dl, flags);
	same_as_parse(&c, msg, len, dl, flags);
	if (len == 0 || len > sizeof(m))
		return;
	for (k = 0; k < 8; k++) {
		memcpy(m, msg, len);
		at = (k * 2654435761u + len * 40503u + msg[len / 2]) % len;
		m[at] ^= (uint8_t)(1u << k);
		same_as_parse(&c, m, len, dl, flags);
		same_as_parse(&c, msg, len, dl, flags);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfkv2_view v, v2;
	struct pfkv2_diag d, d2;
	char line[256];
	enum pfkv2_dialect dl;
	unsigned flags;
	const void *e;
	int rc;

	if (size < 1)
		return 0;
	dl = fuzz_dialect(data[0]);
	flags = fuzz_flags(data[0]);
	data++;
	size--;
	/* The raw walker never leaves the buffer either. */
	PFKV2_EXT_FOREACH(e, data, size)
		FUZZ_ASSERT(pfkv2_ext_bytes(e) >= 8);
	/*
	 * pfkv2_parse() accepts in one pass and falls back to the ordered
	 * checks: it must answer exactly what they answer alone, with the
	 * same view and diagnostic (lib/pass.h).
	 */
	memset(&v, 0x5a, sizeof(v));
	memset(&v2, 0x5a, sizeof(v2));
	memset(&d, 0x5a, sizeof(d));
	memset(&d2, 0x5a, sizeof(d2));
	rc = pfkv2_parse(data, size, dl, flags, &v, &d);
	FUZZ_ASSERT(parse_ordered(data, size, pfkv2_dl_get(dl), flags, &v2,
	    &d2) == rc);
	FUZZ_ASSERT(memcmp(&v, &v2, sizeof(v)) == 0);
	FUZZ_ASSERT(memcmp(&d, &d2, sizeof(d)) == 0);
	if (rc == 0) {
		FUZZ_ASSERT(d.code == PFKV2_OK);
		read_all(&v);
		/* What passed with some flags passes structure alone. */
		FUZZ_ASSERT(pfkv2_parse(data, size, dl, 0, &v, NULL) == 0);
		FUZZ_ASSERT(pfkv2_validate(&v, flags, NULL) == 0);
	} else {
		FUZZ_ASSERT(errno == EBADMSG);
		FUZZ_ASSERT(d.code != PFKV2_OK && d.offset <= size);
		FUZZ_ASSERT(pfkv2_code_name(d.code) != NULL);
	}
	(void)pfkv2_diag_format(&d, line, sizeof(line));
	cached_same(data, size, dl, flags);
	return 0;
}
