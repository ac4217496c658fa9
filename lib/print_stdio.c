/*
 * Printing to a stdio stream: pfkv2_print() with fwrite() as the writer.
 * Its own file so the rest of the printer need not know about FILE.
 */
#include <stdio.h>

#include "internal.h"
#include "pfkv2/print_stdio.h"

static int
file_write(void *arg, const char *s, size_t n)
{
	FILE *f = arg;

	if (fwrite(s, 1, n, f) != n) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

PFKV2_API int
pfkv2_fprint(FILE *f, const struct pfkv2_view *v, unsigned flags)
{
	int saved = errno;

	if (f == NULL) {
		errno = EINVAL;
		return -1;
	}
	/* fwrite() need not set errno; start clean so EIO can stand in. */
	errno = 0;
	if (pfkv2_print(v, flags, file_write, f) == -1)
		return -1;
	errno = saved;
	return 0;
}
