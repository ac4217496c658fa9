#!/bin/sh
# Replay every fuzz corpus through its harness (built without libFuzzer):
# the corpora are regression tests on every build.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
status=0
for t in parse roundtrip build print sadb; do
	h="$top_builddir/fuzz/fuzz_$t"
	[ -x "$h" ] || { echo "missing $h"; exit 99; }
	"$h" "$top_srcdir/fuzz/corpus/$t" || { echo "FAIL: fuzz_$t"; status=1; }
done
exit $status
