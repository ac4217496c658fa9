/*
 * Rebuild a parsed message through the builder: every extension is read
 * with its getter and written again with its put, in the original order.
 * A strictly valid message must come out byte-identical.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "rebuild.h"

static int
put_policy(struct pfkv2_builder *b, const struct pfkv2_view *v)
{
	struct pfkv2_ipsecrequest reqs[64];
	struct pfkv2_policy pol;
	struct pfkv2_iter it;
	size_t n = 0;
	int rc;

	if (pfkv2_get_policy(v, &pol) == -1)
		return -1;
	for (rc = pfkv2_ipsecrequest_first(v, &it, &reqs[0]); rc == 1 &&
	    n < 63; rc = pfkv2_ipsecrequest_next(&it, &reqs[n]))
		n++;
	if (rc == -1)
		return -1;
	return pfkv2_put_policy(b, &pol, reqs, n);
}

static int
put_prop(struct pfkv2_builder *b, const struct pfkv2_view *v)
{
	struct pfkv2_comb combs[128];
	uint8_t replay;
	size_t n, i;

	if (pfkv2_get_proposal(v, &replay, &n) == -1 || n > 128)
		return -1;
	for (i = 0; i < n; i++)
		if (pfkv2_get_comb(v, i, &combs[i]) == -1)
			return -1;
	return pfkv2_put_proposal(b, replay, combs, n);
}

static int
put_supported(struct pfkv2_builder *b, const struct pfkv2_view *v,
    unsigned ext)
{
	struct pfkv2_alg algs[256];
	size_t n, i;

	if (pfkv2_get_supported(v, ext, &n) == -1 || n > 256)
		return -1;
	for (i = 0; i < n; i++)
		if (pfkv2_get_alg(v, ext, i, &algs[i]) == -1)
			return -1;
	return pfkv2_put_supported(b, ext, algs, n);
}

static int
put_eprop(struct pfkv2_builder *b, const struct pfkv2_view *v)
{
	static struct pfkv2_algdesc descs[32][16];
	struct pfkv2_ecomb ec[32];
	struct pfkv2_iter it;
	uint8_t replay;
	size_t n = 0, total, i;
	int rc;

	if (pfkv2_get_eprop(v, &replay, &total) == -1 || total > 32)
		return -1;
	for (rc = pfkv2_ecomb_first(v, &it, &ec[0]); rc == 1;
	    rc = pfkv2_ecomb_next(&it, &ec[n])) {
		if (ec[n].numalgs > 16)
			return -1;
		for (i = 0; i < ec[n].numalgs; i++)
			if (pfkv2_ecomb_alg(&it, i, &descs[n][i]) == -1)
				return -1;
		ec[n].algs = descs[n];
		if (++n == 32)
			break;
	}
	return rc == -1 ? -1 : pfkv2_put_eprop(b, replay, ec, n);
}

static int
put_one(struct pfkv2_builder *b, const struct pfkv2_view *v, unsigned c)
{
	union {
		struct pfkv2_sa sa;
		struct pfkv2_lifetime lt;
		struct pfkv2_address a;
		struct pfkv2_key k;
		struct pfkv2_ident id;
		struct pfkv2_sens s;
		struct pfkv2_sa2 sa2;
		struct pfkv2_sec_ctx cx;
		struct pfkv2_kmaddress km;
		struct pfkv2_filter fl;
		struct pfkv2_if_hw_offl hw;
		struct pfkv2_kmc kmc;
		struct pfkv2_replay_value rv;
	} u;
	uint16_t satypes[64];
	const void *data;
	const char *str;
	uint32_t x32, y32;
	uint64_t x64;
	uint16_t x16;
	uint8_t x8;
	size_t n;

	switch (pfkv2_ext_info[c].kind) {
	case K_SA:
		return pfkv2_get_sa(v, &u.sa) ? -1 : pfkv2_put_sa(b, &u.sa);
	case K_LIFETIME:
		return pfkv2_get_lifetime(v, c, &u.lt) ? -1 :
		    pfkv2_put_lifetime(b, c, &u.lt);
	case K_ADDRESS:
		return pfkv2_get_address(v, c, &u.a) ? -1 :
		    pfkv2_put_address(b, c, &u.a);
	case K_KEY:
		if (c == PFKV2_EXT_STR_AUTH)
			return pfkv2_get_str_auth(v, &str, &n) ? -1 :
			    pfkv2_put_str_auth(b, str, n);
		return pfkv2_get_key(v, c, &u.k) ? -1 :
		    pfkv2_put_key(b, c, &u.k);
	case K_IDENT:
		return pfkv2_get_ident(v, c, &u.id) ? -1 :
		    pfkv2_put_ident(b, c, &u.id);
	case K_SENS:
		return pfkv2_get_sens(v, c, &u.s) ? -1 :
		    pfkv2_put_sens(b, c, &u.s);
	case K_PROP:
		return put_prop(b, v);
	case K_SUPPORTED:
		return put_supported(b, v, c);
	case K_SPIRANGE:
		return pfkv2_get_spirange(v, &x32, &y32) ? -1 :
		    pfkv2_put_spirange(b, x32, y32);
	case K_KMPRIVATE:
		return pfkv2_get_kmprivate(v, &data, &n) ? -1 :
		    pfkv2_put_kmprivate(b, data, n);
	case K_POLICY:
		return put_policy(b, v);
	case K_SA2:
		return pfkv2_get_sa2(v, &u.sa2) ? -1 :
		    pfkv2_put_sa2(b, &u.sa2);
	case K_NATT_TYPE:
		return pfkv2_get_nat_t_type(v, &x8) ? -1 :
		    pfkv2_put_nat_t_type(b, x8);
	case K_NATT_PORT:
		return pfkv2_get_nat_t_port(v, c, &x16) ? -1 :
		    pfkv2_put_nat_t_port(b, c, x16);
	case K_NATT_FRAG:
		return pfkv2_get_nat_t_frag(v, &x16) ? -1 :
		    pfkv2_put_nat_t_frag(b, x16);
	case K_SEC_CTX:
		return pfkv2_get_sec_ctx(v, &u.cx) ? -1 :
		    pfkv2_put_sec_ctx(b, &u.cx);
	case K_KMADDRESS:
		return pfkv2_get_kmaddress(v, &u.km) ? -1 :
		    pfkv2_put_kmaddress(b, &u.km);
	case K_FILTER:
		return pfkv2_get_filter(v, &u.fl) ? -1 :
		    pfkv2_put_filter(b, &u.fl);
	case K_SA_REPLAY:
		return pfkv2_get_sa_replay(v, &x32) ? -1 :
		    pfkv2_put_sa_replay(b, x32);
	case K_IF_HW_OFFL:
		return pfkv2_get_if_hw_offl(v, &u.hw) ? -1 :
		    pfkv2_put_if_hw_offl(b, &u.hw);
	case K_EREG:
		return pfkv2_get_ereg(v, satypes, 64, &n) || n > 64 ? -1 :
		    pfkv2_put_ereg(b, satypes, n);
	case K_EPROP:
		return put_eprop(b, v);
	case K_KMC:
		return pfkv2_get_kmc(v, &u.kmc) ? -1 :
		    pfkv2_put_kmc(b, &u.kmc);
	case K_PAIR:
		return pfkv2_get_pair(v, &x32) ? -1 : pfkv2_put_pair(b, x32);
	case K_REPLAY_CTR:
		return pfkv2_get_replay_value(v, &u.rv) ? -1 :
		    pfkv2_put_replay_value(b, &u.rv);
	case K_EDUMP:
		return pfkv2_get_edump(v, &x64) ? -1 :
		    pfkv2_put_edump(b, x64);
	default:
		errno = EINVAL;
		return -1;
	}
}

long
tu_rebuild(const struct pfkv2_view *v, uint8_t *out, size_t size)
{
	const uint8_t *msg = pfkv2_view_msg(v);
	size_t len = pfkv2_view_len(v);
	struct pfkv2_builder b;
	const void *e;
	int c;

	if (pfkv2_builder_init(&b, out, size, v->dialect) == -1 ||
	    pfkv2_put_msg(&b, v->type, v->satype, pfkv2_view_seq(v),
	    pfkv2_view_pid(v)) == -1 ||
	    pfkv2_set_msg_errno(&b, pfkv2_view_errno(v),
	    pfkv2_view_reserved(v)) == -1)
		return -1;
	PFKV2_EXT_FOREACH(e, msg, len) {
		c = pfkv2_dialect_from_wire(v->dialect, PFKV2_SP_EXT,
		    pfkv2_ext_type(e));
		if (c < 0 || PFKV2_IS_WIRE(c)) {
			if (pfkv2_put_ext_raw(&b, pfkv2_ext_type(e),
			    (const uint8_t *)e + 4, pfkv2_ext_bytes(e) - 4) == -1)
				return -1;
			continue;
		}
		if (put_one(&b, v, (unsigned)c) == -1)
			return -1;
	}
	return pfkv2_builder_finish(&b);
}
