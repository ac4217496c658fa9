/*
 * Internal: what the text printer (print.c) and the JSON printer
 * (print_json.c) share.  Output goes through a small buffer in struct pr
 * so the writer sees a few large chunks rather than many tiny ones.
 */
#ifndef PFKV2_PRINT_INT_H
#define PFKV2_PRINT_INT_H

#include "internal.h"
#include "pfkv2/print.h"

#if defined(__GNUC__)
#define PR_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#else
#define PR_PRINTF(f, a)
#endif

struct pr {
	pfkv2_write_fn w;
	void *arg;
	const struct pfkv2_view *v;
	unsigned flags;		/* PFKV2_PRINT_* */
	int err;		/* errno of the write that failed */
	bool failed;		/* the writer said stop: write nothing more */
	bool first;		/* JSON: no comma before the next member */
	size_t n;		/* bytes waiting in buf */
	char buf[256];
};

/* Output; after a failed write these do nothing.  pr_flush() empties buf. */
void pr_flush(struct pr *p);
void pr_write(struct pr *p, const char *s, size_t n);
void pr_puts(struct pr *p, const char *s);
/* Short formatted pieces only (numbers, table names): under 200 bytes. */
void pr_printf(struct pr *p, const char *fmt, ...) PR_PRINTF(2, 3);
/* Lower-case hex of n bytes, no separators. */
void pr_hex(struct pr *p, const void *data, size_t n);

/*
 * Walk the message in wire order: the extension after e (the first when
 * e is NULL), its length and its canonical id, or PFKV2_WIRE(type) when
 * the dialect does not know it (or the view did not keep it).
 */
const uint8_t *pr_next_ext(const struct pr *p, const uint8_t *e,
    unsigned *canon, size_t *len);
/* The shape of a canonical extension (enum ext_kind). */
unsigned pr_kind(unsigned canon);

/* Names: NULL when the value has none. */
const char *pr_id_name(enum pfkv2_space s, unsigned id);
const char *pr_errno_name(unsigned dialect, unsigned err);
const char *pr_proto_name(unsigned proto);
const char *pr_natt_name(unsigned type);
const char *pr_algtype_name(unsigned algtype);
/* The space of sadb_sa_encrypt: compression algorithms for IPCOMP. */
enum pfkv2_space pr_encrypt_space(unsigned satype);
/* Address text without port, "%scope" added for scoped IPv6. */
void pr_addr_text(const struct pfkv2_addr *a, char *buf, size_t size);

/* The JSON printer (print_json.c). */
void pj_message(struct pr *p);

#endif /* PFKV2_PRINT_INT_H */
