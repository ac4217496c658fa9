/* Helpers shared by the unit tests: loading fixtures. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

const char *
tu_path(const char *rel)
{
	static char path[4096];
	const char *dir = getenv("PFKV2_DATA");

	snprintf(path, sizeof(path), "%s/%s", dir != NULL ? dir : "tests/data",
	    rel);
	return path;
}

size_t
tu_load(const char *rel, uint8_t *buf, size_t size)
{
	FILE *f = fopen(tu_path(rel), "rb");
	size_t n;

	if (f == NULL) {
		perror(tu_path(rel));
		abort();
	}
	n = fread(buf, 1, size, f);
	fclose(f);
	return n;
}

size_t
tu_load_hex(const char *rel, uint8_t *buf, size_t size)
{
	FILE *f = fopen(tu_path(rel), "r");
	size_t n = 0;
	int c, hi = -1, v;

	if (f == NULL) {
		perror(tu_path(rel));
		abort();
	}
	while ((c = fgetc(f)) != EOF && n < size) {
		if (!isxdigit(c))
			continue;
		v = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
		if (hi < 0)
			hi = v;
		else {
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	fclose(f);
	return n;
}

void
tu_diff(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t i;

	for (i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i]) {
			fprintf(stderr, "first difference at byte %zu: %02x vs %02x\n",
			    i, a[i], b[i]);
			return;
		}
	if (alen != blen)
		fprintf(stderr, "lengths differ: %zu vs %zu\n", alen, blen);
}
