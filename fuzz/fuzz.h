/*
 * Shared by the fuzz harnesses: the libFuzzer entry point, and how the
 * first input byte selects the dialect and validation flags.
 */
#ifndef PFKV2_FUZZ_H
#define PFKV2_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <pfkv2/pfkv2.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort loudly: a harness finding must stop the fuzzer. */
#define FUZZ_ASSERT(c)	do { if (!(c)) fuzz_fail(#c, __FILE__, __LINE__); } while (0)
void fuzz_fail(const char *what, const char *file, int line);
/* Hex dump to stderr, for the report of a finding. */
void fuzz_hexdump(const uint8_t *p, size_t n);

/* What is left of an input, read a byte at a time: zeros once spent. */
struct fuzz_src {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t
fuzz_u8(struct fuzz_src *s)
{
	if (s->n == 0)
		return 0;
	s->n--;
	return *s->p++;
}

/* Dialect from the low two bits of a selector byte. */
static inline enum pfkv2_dialect
fuzz_dialect(uint8_t sel)
{
	return (enum pfkv2_dialect)(sel & 3);
}

/* Validation flags from the other bits. */
static inline unsigned
fuzz_flags(uint8_t sel)
{
	unsigned f = 0;

	if (sel & 0x04)
		f |= PFKV2_V_MESSAGE;
	if (sel & 0x08)
		f |= PFKV2_V_DIALECT;
	if (sel & 0x10)
		f |= PFKV2_V_STRICT;
	if (sel & 0x20)
		f |= PFKV2_V_REQUEST;
	else if (sel & 0x40)
		f |= PFKV2_V_REPLY;
	return f;
}

#endif
