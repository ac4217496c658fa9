/* Rebuild a parsed message through the builder, extension by extension. */
#ifndef PFKV2_REBUILD_H
#define PFKV2_REBUILD_H

#include <pfkv2/pfkv2.h>

/*
 * Rebuild the message of view v (same dialect) from its parsed fields into
 * out.  Returns the length, or -1 with errno set by the failing put.
 */
long tu_rebuild(const struct pfkv2_view *v, uint8_t *out, size_t size);

#endif
