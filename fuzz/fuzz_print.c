/*
 * The printers on any message the parser accepts: text and JSON, with and
 * without keys, through snprint into buffers of every awkward size.  The
 * output must fit what snprint promised, end in a NUL, and the JSON must
 * be well formed.
 */
#include <string.h>

#include "fuzz.h"

/* Minimal JSON shape check: balanced brackets outside strings, legal escapes. */
static int
json_ok(const char *s, size_t n)
{
	int depth = 0, in = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (in) {
			if (c < 0x20)
				return 0;
			if (c == '\\') {
				if (++i >= n || strchr("\"\\/bfnrtu", s[i]) == NULL)
					return 0;
			} else if (c == '"')
				in = 0;
			continue;
		}
		if (c == '"')
			in = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth < 0)
			return 0;
	}
	return depth == 0 && !in;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 18];
	struct pfkv2_view v;
	unsigned flags;
	int n, m;
	size_t cut;

	if (size < 2)
		return 0;
	if (pfkv2_parse(data + 2, size - 2, fuzz_dialect(data[0]), 0, &v,
	    NULL) != 0)
		return 0;
	flags = data[1] & (PFKV2_PRINT_KEYS | PFKV2_PRINT_JSON);
	n = pfkv2_snprint(out, sizeof(out), &v, flags);
	FUZZ_ASSERT(n >= 0 && (size_t)n < sizeof(out));
	FUZZ_ASSERT(strlen(out) == (size_t)n);	/* the NUL is at n */
	if (flags & PFKV2_PRINT_JSON)
		FUZZ_ASSERT(json_ok(out, (size_t)n));
	/* A cut buffer: same length reported, prefix written, NUL placed. */
	cut = (size_t)data[1] % ((size_t)n + 1);
	m = pfkv2_snprint(out, cut, &v, flags);
	FUZZ_ASSERT(m == n);
	if (cut > 0)
		FUZZ_ASSERT(out[cut - 1] == '\0');
	FUZZ_ASSERT(pfkv2_snprint(NULL, 0, &v, flags) == n);
	return 0;
}
