/*
 * Addresses: each dialect's sockaddr layout <-> struct pfkv2_addr, and the
 * host's sockaddrs and text <-> struct pfkv2_addr.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>

#include "internal.h"

size_t
addr_decode(const struct dl_dialect *dl, const uint8_t *p, size_t room,
    struct pfkv2_addr *a, int *code)
{
	unsigned fam, salen = 0;
	size_t need;

	if (room < 2) {
		*code = PFKV2_E_ADDR_LEN;
		return 0;
	}
	if (dl->sockaddr_style == DL_SA_BSD) {
		salen = p[0];
		fam = p[1];
	} else
		fam = ld16(p);
	memset(a, 0, sizeof(*a));
	if (fam == dl->af_inet && fam != 0)
		a->family = PFKV2_AF_INET;
	else if (fam == dl->af_inet6 && fam != 0)
		a->family = PFKV2_AF_INET6;
	else {
		*code = PFKV2_E_ADDR_FAMILY;
		return 0;
	}
	need = addr_wire_len(dl, a->family);
	if (room < need || (dl->sockaddr_style == DL_SA_BSD &&
	    salen != need)) {
		*code = PFKV2_E_ADDR_LEN;
		return 0;
	}
	a->port = be16(ld16(p + 2));
	if (a->family == PFKV2_AF_INET)
		memcpy(a->addr, p + 4, 4);
	else {
		a->flowinfo = be32(ld32(p + 4));
		memcpy(a->addr, p + 8, 16);
		a->scope_id = ld32(p + 24);
	}
	return need;
}

/*
 * Canonical form of a sockaddr: the bytes no getter returns are zero
 * (IPv4 sin_zero; the source-id word of illumos' 32-byte sockaddr_in6).
 */
bool
addr_tail_clean(const struct dl_dialect *dl, const uint8_t *p, unsigned family)
{
	size_t from, to;

	if (family == PFKV2_AF_INET) {
		from = 8;
		to = 16;
	} else {
		from = 28;
		to = dl->sin6_len;
	}
	return bytes_zero(p + from, to - from);
}

PFKV2_API int
pfkv2_addr_from_sockaddr(struct pfkv2_addr *a, const struct sockaddr *sa,
    size_t len)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	if (a == NULL || sa == NULL || len < sizeof(sa_family_t)) {
		errno = EINVAL;
		return -1;
	}
	memset(a, 0, sizeof(*a));
	switch (sa->sa_family) {
	case AF_INET:
		if (len < sizeof(sin))
			break;
		memcpy(&sin, sa, sizeof(sin));
		a->family = PFKV2_AF_INET;
		a->port = ntohs(sin.sin_port);
		memcpy(a->addr, &sin.sin_addr, 4);
		return 0;
	case AF_INET6:
		if (len < sizeof(sin6))
			break;
		memcpy(&sin6, sa, sizeof(sin6));
		a->family = PFKV2_AF_INET6;
		a->port = ntohs(sin6.sin6_port);
		a->flowinfo = ntohl(sin6.sin6_flowinfo);
		a->scope_id = sin6.sin6_scope_id;
		memcpy(a->addr, &sin6.sin6_addr, 16);
		return 0;
	default:
		errno = EAFNOSUPPORT;
		return -1;
	}
	errno = EINVAL;
	return -1;
}

PFKV2_API int
pfkv2_addr_to_sockaddr(const struct pfkv2_addr *a, struct sockaddr *sa,
    size_t *len)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	if (a == NULL || sa == NULL || len == NULL) {
		errno = EINVAL;
		return -1;
	}
	switch (a->family) {
	case PFKV2_AF_INET:
		if (*len < sizeof(sin))
			break;
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(a->port);
		memcpy(&sin.sin_addr, a->addr, 4);
		memcpy(sa, &sin, sizeof(sin));
		*len = sizeof(sin);
		return 0;
	case PFKV2_AF_INET6:
		if (*len < sizeof(sin6))
			break;
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(a->port);
		sin6.sin6_flowinfo = htonl(a->flowinfo);
		sin6.sin6_scope_id = a->scope_id;
		memcpy(&sin6.sin6_addr, a->addr, 16);
		memcpy(sa, &sin6, sizeof(sin6));
		*len = sizeof(sin6);
		return 0;
	default:
		errno = EAFNOSUPPORT;
		return -1;
	}
	errno = EMSGSIZE;
	return -1;
}

PFKV2_API int
pfkv2_addr_parse(struct pfkv2_addr *a, const char *text, uint16_t port)
{
	if (a == NULL || text == NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->port = port;
	if (inet_pton(AF_INET, text, a->addr) == 1) {
		a->family = PFKV2_AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, a->addr) == 1) {
		a->family = PFKV2_AF_INET6;
		return 0;
	}
	errno = EINVAL;
	return -1;
}

PFKV2_API int
pfkv2_addr_format(const struct pfkv2_addr *a, char *buf, size_t size)
{
	char tmp[INET6_ADDRSTRLEN];
	int af;

	if (a->family == PFKV2_AF_INET)
		af = AF_INET;
	else if (a->family == PFKV2_AF_INET6)
		af = AF_INET6;
	else
		return snprintf(buf, size, "(none)");
	if (inet_ntop(af, a->addr, tmp, sizeof(tmp)) == NULL)
		return snprintf(buf, size, "(bad)");
	return snprintf(buf, size, "%s", tmp);
}
