/*
 * libpfkv2 - printing parsed messages for people and for programs.
 *
 * pfkv2_print() walks a parsed view in wire order and hands its text to a
 * caller's writer: one header line, then one block per extension, in the
 * manner of setkey(8).  With PFKV2_PRINT_JSON the output is one JSON
 * object instead.  Key bytes and passwords are hidden unless asked for.
 * Nothing is allocated.  See pfkv2_print(3).
 *
 *	char line[1024];
 *	pfkv2_snprint(line, sizeof(line), &view, 0);
 */
#ifndef PFKV2_PRINT_H
#define PFKV2_PRINT_H

#include <stddef.h>

#include <pfkv2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

struct pfkv2_view;

/* Flags for the printing functions. */
#define PFKV2_PRINT_KEYS	0x1u	/* show key bytes and passwords */
#define PFKV2_PRINT_JSON	0x2u	/* one JSON object instead of text */

/*
 * Where the output goes: n bytes at s (not NUL-terminated).  Return 0 to
 * go on, -1 (with errno set) to stop; pfkv2_print() then returns -1.
 */
typedef int (*pfkv2_write_fn)(void *arg, const char *s, size_t n);

/*
 * Print the message of view v through w.  0 on success; -1 with the errno
 * of the writer when it stopped, or EINVAL on bad arguments.
 */
PFKV2_API int pfkv2_print(const struct pfkv2_view *v, unsigned flags,
    pfkv2_write_fn w, void *arg);
/*
 * Print into buf like snprintf(3): at most size - 1 bytes and a NUL (buf
 * may be NULL when size is 0).  Returns the length the whole output needs,
 * so a return >= size means it was cut short; -1 with EINVAL on bad
 * arguments, EOVERFLOW when the length does not fit in an int.
 */
PFKV2_API int pfkv2_snprint(char *buf, size_t size,
    const struct pfkv2_view *v, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_PRINT_H */
