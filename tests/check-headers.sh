#!/bin/sh
# Every public header compiles on its own, as C99 and C11 with -pedantic,
# and as C++ where a C++ compiler is present.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}" "${CXX:=c++}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
for h in "$top_srcdir"/include/pfkv2/*.h "$top_builddir"/include/pfkv2/version.h; do
	[ -f "$h" ] || continue
	name=$(basename "$h")
	printf '#include <pfkv2/%s>\n#include <pfkv2/%s>\nint main(void) { return 0; }\n' \
	    "$name" "$name" > "$tmp/t.c"
	for std in c99 c11; do
		if ! $CC -std=$std -pedantic -Wall -Wextra -Werror \
		    -I"$top_builddir/include" -I"$top_srcdir/include" \
		    -c "$tmp/t.c" -o "$tmp/t.o"; then
			echo "FAIL: $name as $std"
			fail=1
		fi
	done
	if command -v "$CXX" >/dev/null 2>&1; then
		cp "$tmp/t.c" "$tmp/t.cc"
		if ! $CXX -std=c++11 -pedantic -Wall -Wextra -Werror \
		    -I"$top_builddir/include" -I"$top_srcdir/include" \
		    -c "$tmp/t.cc" -o "$tmp/t.o"; then
			echo "FAIL: $name as C++"
			fail=1
		fi
	fi
done
exit $fail
