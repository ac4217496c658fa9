/* Shared by the fuzz harnesses. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

void
fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: harness assertion failed: %s\n", file, line,
	    what);
	abort();
}

void
fuzz_hexdump(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(stderr, "%02x%s", p[i], i % 16 == 15 || i + 1 == n ?
		    "\n" : " ");
}
