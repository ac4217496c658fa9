/* The library's own version, for programs built against other headers. */
#include "internal.h"

PFKV2_API const char *
pfkv2_version(void)
{
	return PFKV2_VERSION;
}
