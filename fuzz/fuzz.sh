#!/bin/sh
# Fuzz each harness for a bounded time: fuzz/fuzz.sh BUILDDIR SECONDS
# (BUILDDIR configured with CC=clang --enable-fuzzing).  New inputs go to a
# scratch directory; a crash leaves its input in BUILDDIR/fuzz/ and fails.
set -u
build=$1
secs=${2:-60}
src=$(cd "$(dirname "$0")" && pwd)
status=0
for t in parse roundtrip build print sadb; do
	work=$(mktemp -d)
	dict=$src/parse.dict
	[ "$t" = build ] && dict=$src/build.dict
	[ "$t" = sadb ] && dict=$src/sadb.dict
	echo "== fuzz_$t for ${secs}s"
	(cd "$build/fuzz" && ./fuzz_$t -max_total_time="$secs" \
	    -dict="$dict" -print_final_stats=1 -max_len=4096 \
	    "$work" "$src/corpus/$t") > "$work.log" 2>&1
	st=$?
	grep -E '^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::average_exec_per_sec|ERROR|harness|SUMMARY' \
	    "$work.log" | tail -n 8
	if [ $st -ne 0 ]; then
		tail -n 40 "$work.log"
		status=1
	fi
	rm -rf "$work" "$work.log"
done
exit $status
