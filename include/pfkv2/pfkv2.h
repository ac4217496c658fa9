/*
 * libpfkv2 - PF_KEY v2 messages for Linux, FreeBSD and illumos kernels.
 *
 * The umbrella header: include this one.  See pfkv2(3).
 */
#ifndef PFKV2_PFKV2_H
#define PFKV2_PFKV2_H

#include <pfkv2/version.h>
#include <pfkv2/visibility.h>
#include <pfkv2/ids.h>
#include <pfkv2/wire.h>
#include <pfkv2/dialect.h>
#include <pfkv2/error.h>
#include <pfkv2/types.h>
#include <pfkv2/addr.h>
#include <pfkv2/build.h>
#include <pfkv2/parse.h>
#include <pfkv2/print.h>
#include <pfkv2/sock.h>
#include <pfkv2/sadb.h>

#endif /* PFKV2_PFKV2_H */
