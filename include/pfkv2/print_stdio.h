/*
 * libpfkv2 - printing to a stdio stream.  Kept apart from print.h so that
 * code which does not use stdio need not include <stdio.h>.
 * See pfkv2_print(3).
 */
#ifndef PFKV2_PRINT_STDIO_H
#define PFKV2_PRINT_STDIO_H

#include <stdio.h>

#include <pfkv2/print.h>
#include <pfkv2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Print the message of view v to f (see pfkv2_print()).  0 on success, -1
 * with errno when writing failed or EINVAL on bad arguments.
 */
PFKV2_API int pfkv2_fprint(FILE *f, const struct pfkv2_view *v,
    unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_PRINT_STDIO_H */
