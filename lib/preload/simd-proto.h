/*
 * The one thing pfkv2-simd(8) and libpfkv2-preload(7) agree on besides
 * PF_KEY itself: the greeting.
 *
 * Right after accepting a connection on its PF_KEY socket the daemon sends
 * one 16-byte record, the only one on the connection that is not a PF_KEY
 * message.  Its status is 0 when the peer was accepted (everything after
 * it is PF_KEY), or an errno (EPERM: refused by peer credentials; ENOMEM:
 * no endpoint could be made) just before the daemon closes the
 * connection.  The shim reads it inside socket(), so that an unmodified
 * program is refused at socket() as a kernel refuses an unprivileged
 * user, never later at its first read().
 *
 * Both ends run on one host: the fields are in host order.
 */
#ifndef PFKV2_SIMD_PROTO_H
#define PFKV2_SIMD_PROTO_H

#include <stdint.h>

#define SIMD_MAGIC	"PFKV2SIM"	/* 8 bytes, no NUL on the wire */
#define SIMD_VERSION	1u

struct simd_greeting {
	char magic[8];
	uint32_t version;
	uint32_t status;	/* 0: accepted; else an errno */
};

/* How long the shim waits for the greeting, milliseconds. */
#define SIMD_GREETING_TIMEOUT	5000

#endif /* PFKV2_SIMD_PROTO_H */
