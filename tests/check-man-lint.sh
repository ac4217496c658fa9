#!/bin/sh
# Every manual page is clean under mandoc -Tlint at the WARNING level.
# (STYLE messages are not fatal: they depend on which manuals the host has
# installed, for instance "referenced manual not found".)
set -u
: "${top_srcdir:=.}"
mandoc=${MANDOC:-mandoc}
command -v "$mandoc" >/dev/null 2>&1 || {
	echo "mandoc not found: skipped"
	exit 77
}
status=0
n=0
for page in "$top_srcdir"/man/*.[1-9]; do
	[ -f "$page" ] || continue
	n=$((n + 1))
	if ! "$mandoc" -Tlint -Wwarning "$page"; then
		echo "FAIL: $page"
		status=1
	fi
done
if [ "$n" -eq 0 ]; then
	echo "FAIL: no manual pages in $top_srcdir/man"
	exit 1
fi
echo "$n pages checked"
exit $status
