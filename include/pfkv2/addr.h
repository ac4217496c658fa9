/*
 * libpfkv2 - conversions between struct pfkv2_addr and the host's sockaddrs.
 * See pfkv2_addr_from_sockaddr(3).
 */
#ifndef PFKV2_ADDR_H
#define PFKV2_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

#include <pfkv2/types.h>
#include <pfkv2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * From a host sockaddr_in or sockaddr_in6 (len bytes).  0, or -1 with
 * EAFNOSUPPORT (other family) or EINVAL (too short).
 */
PFKV2_API int pfkv2_addr_from_sockaddr(struct pfkv2_addr *a,
    const struct sockaddr *sa, size_t len);
/*
 * To a host sockaddr; *len gives the room and gets the length used.
 * -1 with EAFNOSUPPORT or EMSGSIZE.
 */
PFKV2_API int pfkv2_addr_to_sockaddr(const struct pfkv2_addr *a,
    struct sockaddr *sa, size_t *len);
/*
 * From text ("192.0.2.1", "2001:db8::1") and a host-order port.
 * 0, or -1 with EINVAL.
 */
PFKV2_API int pfkv2_addr_parse(struct pfkv2_addr *a, const char *text,
    uint16_t port);
/* To text (no port); returns what snprintf would. */
PFKV2_API int pfkv2_addr_format(const struct pfkv2_addr *a, char *buf,
    size_t size);

#ifdef __cplusplus
}
#endif

#endif /* PFKV2_ADDR_H */
