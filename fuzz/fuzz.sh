#!/bin/sh
# Fuzz each harness for a bounded time: fuzz/fuzz.sh BUILDDIR SECONDS
# (BUILDDIR configured with CC=clang --enable-fuzzing).  New inputs go to a
# scratch directory; a crash leaves its input in BUILDDIR/fuzz/ and fails.
set -eu
build=$1
secs=${2:-60}
src=$(cd "$(dirname "$0")" && pwd)
status=0
for t in parse roundtrip build; do
	work=$(mktemp -d)
	dict=$src/parse.dict
	[ "$t" = build ] && dict=$src/build.dict
	echo "== fuzz_$t for ${secs}s"
	if ! (cd "$build/fuzz" && ./fuzz_$t -max_total_time="$secs" \
	    -dict="$dict" -print_final_stats=1 -max_len=4096 \
	    "$work" "$src/corpus/$t" 2>&1 | tail -n 25); then
		status=1
	fi
	rm -rf "$work"
done
exit $status
