/* Helpers shared by the unit tests: loading fixtures. */
#ifndef PFKV2_TESTUTIL_H
#define PFKV2_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Path of a fixture under tests/data ($PFKV2_DATA), in a static buffer. */
const char *tu_path(const char *rel);
/* Read a whole binary fixture into buf; returns its length (aborts on error). */
size_t tu_load(const char *rel, uint8_t *buf, size_t size);
/* Read a hex fixture ("02 07 00 ..."), returns the byte count. */
size_t tu_load_hex(const char *rel, uint8_t *buf, size_t size);
/* Print a hex dump of two buffers' first difference (for failures). */
void tu_diff(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

#endif
