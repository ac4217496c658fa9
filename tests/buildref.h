/* The contract of pfkv2_build_msg(), by the single puts (buildref.c). */
#ifndef PFKV2_TESTS_BUILDREF_H
#define PFKV2_TESTS_BUILDREF_H

#include <stddef.h>

#include <pfkv2/pfkv2.h>

/* A request with storage of its own for what its parts point to. */
struct tu_msg_store {
	struct pfkv2_sa sa;
	struct pfkv2_sa2 sa2;
	struct pfkv2_address src, dst, proxy;
	struct pfkv2_key ke, ka;
	struct pfkv2_lifetime hard, soft;
	struct pfkv2_spirange sr;
	struct pfkv2_policy pol;
	struct pfkv2_ipsecrequest req[3];
	struct pfkv2_msg_parts m;
};

long tu_build_msg_ref(void *buf, size_t size, enum pfkv2_dialect d,
    const struct pfkv2_msg_parts *m);

#endif
