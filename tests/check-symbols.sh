#!/bin/sh
# The shared library exports exactly the functions the public headers
# declare with PFKV2_API, and nothing that lacks the pfkv2_ prefix.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
so=$(ls "$top_builddir"/lib/.libs/libpfkv2.so 2>/dev/null) || {
	echo "no shared library built: skipped"
	exit 77
}
command -v nm >/dev/null 2>&1 || exit 77
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' |
    sed 's/@.*//' | grep -v '^PFKV2_' | sort -u > "$tmp/exported"
cat "$top_srcdir"/include/pfkv2/*.h "$top_builddir"/include/pfkv2/version.h |
    perl -0777 -ne 'while (/PFKV2_API[^;(]*?\b(pfkv2_\w+)\s*\(/g) { print "$1\n" }' |
    sort -u > "$tmp/declared"

status=0
if grep -v '^pfkv2_' "$tmp/exported"; then
	echo "FAIL: exported symbols without the pfkv2_ prefix (above)"
	status=1
fi
if ! diff -u "$tmp/declared" "$tmp/exported"; then
	echo "FAIL: exports differ from the PFKV2_API declarations"
	status=1
fi
echo "$(wc -l < "$tmp/exported") symbols exported"
exit $status
