/*
 * libpfkv2 - symbol visibility.  Only functions marked PFKV2_API are
 * exported from the shared library; everything else stays hidden.
 */
#ifndef PFKV2_VISIBILITY_H
#define PFKV2_VISIBILITY_H

#if defined(BUILDING_PFKV2) && defined(__GNUC__) && __GNUC__ >= 4
#define PFKV2_API __attribute__((visibility("default")))
#else
#define PFKV2_API
#endif

#endif /* PFKV2_VISIBILITY_H */
