/*
 * Printing, the part both formats share: buffered output to the caller's
 * writer, the walk over extensions in wire order, and value names.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

#include "print_int.h"

/* --- output -------------------------------------------------------------- */

void
pr_flush(struct pr *p)
{
	if (p->failed || p->n == 0)
		return;
	if (p->w(p->arg, p->buf, p->n) == -1) {
		p->failed = true;
		p->err = errno;
	}
	p->n = 0;
}

void
pr_write(struct pr *p, const char *s, size_t n)
{
	size_t k;

	while (n > 0 && !p->failed) {
		if (p->n == sizeof(p->buf))
			pr_flush(p);
		k = sizeof(p->buf) - p->n;
		if (k > n)
			k = n;
		memcpy(p->buf + p->n, s, k);
		p->n += k;
		s += k;
		n -= k;
	}
}

void
pr_puts(struct pr *p, const char *s)
{
	pr_write(p, s, strlen(s));
}

void
pr_printf(struct pr *p, const char *fmt, ...)
{
	char tmp[200];
	va_list ap;
	int r;

	if (p->failed)
		return;
	va_start(ap, fmt);
	r = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (r > 0)
		pr_write(p, tmp, (size_t)r < sizeof(tmp) ? (size_t)r :
		    sizeof(tmp) - 1);
}

void
pr_hex(struct pr *p, const void *data, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *d = data;
	char tmp[64];
	size_t i, k;

	while (n > 0) {
		k = n < sizeof(tmp) / 2 ? n : sizeof(tmp) / 2;
		for (i = 0; i < k; i++) {
			tmp[2 * i] = digits[d[i] >> 4];
			tmp[2 * i + 1] = digits[d[i] & 15];
		}
		pr_write(p, tmp, 2 * k);
		d += k;
		n -= k;
	}
}

/* --- the walk and names shared with print_json.c ------------------------- */

/*
 * Canonical id of the extension at e, or PFKV2_WIRE(type) when the dialect
 * does not know it.  The view keeps one pointer per canonical id, so the
 * check that it is this very extension keeps the getters on the one we
 * are printing.
 */
static unsigned
pr_canon(const struct pr *p, const void *e)
{
	unsigned t = pfkv2_ext_type(e);
	int c = pfkv2_dialect_from_wire((enum pfkv2_dialect)p->v->dialect,
	    PFKV2_SP_EXT, t);

	if (c <= 0 || PFKV2_IS_WIRE(c) || c >= PFKV2_EXT_COUNT ||
	    pfkv2_view_ext(p->v, (unsigned)c, NULL) != e ||
	    pfkv2_ext_info[c].kind == K_NONE)
		return PFKV2_WIRE(t);
	return (unsigned)c;
}

const uint8_t *
pr_next_ext(const struct pr *p, const uint8_t *e, unsigned *canon,
    size_t *len)
{
	const void *msg = pfkv2_view_msg(p->v);
	size_t mlen = pfkv2_view_len(p->v);

	e = e == NULL ? pfkv2_ext_first(msg, mlen) :
	    pfkv2_ext_next(msg, mlen, e);
	if (e != NULL) {
		*canon = pr_canon(p, e);
		*len = pfkv2_ext_bytes(e);
	}
	return e;
}

unsigned
pr_kind(unsigned canon)
{
	return canon < PFKV2_EXT_COUNT ? pfkv2_ext_info[canon].kind : K_NONE;
}

const char *
pr_id_name(enum pfkv2_space s, unsigned id)
{
	return PFKV2_IS_WIRE(id) ? NULL : pfkv2_id_name(s, id);
}

enum pfkv2_space
pr_encrypt_space(unsigned satype)
{
	return satype == PFKV2_SATYPE_IPCOMP ? PFKV2_SP_CALG : PFKV2_SP_EALG;
}

/*
 * errno names.  Values 1-34 are the same on every kernel but 11 (EAGAIN,
 * except FreeBSD's EDEADLK); above that each kernel numbers its own, so
 * the host's strerror() would lie about another kernel's reply.
 */
static const char *const errno_common[35] = {
	NULL, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG",
	"ENOEXEC", "EBADF", "ECHILD", NULL, "ENOMEM", "EACCES", "EFAULT",
	"ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR",
	"EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC",
	"ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE",
};

/* Per kernel, in enum pfkv2_dialect order: rfc2367, linux, freebsd, illumos. */
static const struct {
	const char *name;
	uint8_t v[PFKV2_DIALECT_COUNT];
} errno_kernel[] = {
	{ "EAGAIN",		{ 0, 11, 35, 11 } },
	{ "EDEADLK",		{ 0, 35, 11, 45 } },
	{ "ENOSYS",		{ 0, 38, 78, 89 } },
	{ "ENOMSG",		{ 0, 42, 83, 35 } },
	{ "EPROTO",		{ 0, 71, 92, 71 } },
	{ "EBADMSG",		{ 0, 74, 89, 77 } },
	{ "EOVERFLOW",		{ 0, 75, 84, 79 } },
	{ "ECANCELED",		{ 0, 125, 85, 47 } },
	{ "EMSGSIZE",		{ 0, 90, 40, 97 } },
	{ "EPROTOTYPE",		{ 0, 91, 41, 98 } },
	{ "EPROTONOSUPPORT",	{ 0, 93, 43, 120 } },
	{ "EOPNOTSUPP",		{ 0, 95, 45, 122 } },
	{ "ENOTSUP",		{ 0, 0, 0, 48 } },
	{ "EAFNOSUPPORT",	{ 0, 97, 47, 124 } },
	{ "EADDRINUSE",		{ 0, 98, 48, 125 } },
	{ "EADDRNOTAVAIL",	{ 0, 99, 49, 126 } },
	{ "ENOBUFS",		{ 0, 105, 55, 132 } },
	{ "ETIMEDOUT",		{ 0, 110, 60, 145 } },
	{ "EALREADY",		{ 0, 114, 37, 149 } },
	{ "EINPROGRESS",	{ 0, 115, 36, 150 } },
};

const char *
pr_errno_name(unsigned dialect, unsigned err)
{
	size_t i;

	if (err == 0 || dialect >= PFKV2_DIALECT_COUNT)
		return NULL;
	if (err < 35 && errno_common[err] != NULL)
		return errno_common[err];
	for (i = 0; i < sizeof(errno_kernel) / sizeof(errno_kernel[0]); i++)
		if (errno_kernel[i].v[dialect] == err)
			return errno_kernel[i].name;
	return NULL;
}

/* IANA protocol numbers, the same everywhere. */
const char *
pr_proto_name(unsigned proto)
{
	switch (proto) {
	case 1:		return "icmp";
	case 4:		return "ipip";
	case 6:		return "tcp";
	case 17:	return "udp";
	case 41:	return "ipv6";
	case 47:	return "gre";
	case 50:	return "esp";
	case 51:	return "ah";
	case 58:	return "ipv6-icmp";
	case 108:	return "ipcomp";
	case 132:	return "sctp";
	case 255:	return "any";
	default:	return NULL;
	}
}

/* UDP_ENCAP_* of the kernels that have NAT_T_TYPE. */
const char *
pr_natt_name(unsigned type)
{
	return type == 1 ? "esp-in-udp-non-ike" :
	    type == 2 ? "esp-in-udp" : NULL;
}

const char *
pr_algtype_name(unsigned algtype)
{
	return algtype == 1 ? "auth" : algtype == 2 ? "encrypt" :
	    algtype == 3 ? "compress" : NULL;
}

void
pr_addr_text(const struct pfkv2_addr *a, char *buf, size_t size)
{
	int n = pfkv2_addr_format(a, buf, size);

	if (a->family == PFKV2_AF_INET6 && a->scope_id != 0 && n > 0 &&
	    (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "%%%" PRIu32, a->scope_id);
}
