/*
 * Round trip: a message that passes strict validation is in canonical form
 * (reserved fields and padding zero, minimal lengths), so rebuilding it
 * from its parsed fields through the builder must give the same bytes.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "rebuild.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[PFKV2_MSG_MAXLEN];
	struct pfkv2_view v;
	enum pfkv2_dialect dl;
	long n;

	if (size < 1)
		return 0;
	dl = fuzz_dialect(data[0]);
	data++;
	size--;
	if (pfkv2_parse(data, size, dl, PFKV2_V_STRICT, &v, NULL) != 0)
		return 0;
	n = tu_rebuild(&v, out, sizeof(out));
	if (n != (long)size || memcmp(out, data, size) != 0) {
		size_t i;

		for (i = 0; n > 0 && i < size && i < (size_t)n; i++)
			if (out[i] != data[i])
				break;
		fprintf(stderr, "rebuild differs: %ld vs %zu bytes, first at "
		    "%zu\n", n, size, i);
		fuzz_hexdump(data, size);
		if (n > 0)
			fuzz_hexdump(out, (size_t)n);
		FUZZ_ASSERT(0);
	}
	return 0;
}
