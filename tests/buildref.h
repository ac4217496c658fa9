/* The contract of pfkv2_build_msg(), by the single puts (buildref.c). */
#ifndef PFKV2_TESTS_BUILDREF_H
#define PFKV2_TESTS_BUILDREF_H

#include <stddef.h>

#include <pfkv2/pfkv2.h>

long tu_build_msg_ref(void *buf, size_t size, enum pfkv2_dialect d,
    const struct pfkv2_msg_parts *m);

#endif
