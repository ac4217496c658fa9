#!/bin/sh
# The engine part of make bench: ADD, GET and DELETE through the message
# interface at 10^4, 10^5 and 10^6 SAs (ns, callgrind instructions) and
# bytes per SA, then the engine's GOAL lines.
#   bench/run-sadb.sh BUILDDIR
set -eu
bin=$1/bench/bench_sadb
k=2000

echo "== engine: ns per operation (median min max of 5), bytes per SA beyond keys"
printf '%-8s %-8s %29s  %29s  %29s  %7s\n' SAs dialect ADD GET DELETE B/SA
for n in 10000 100000 1000000; do
	"$bin" -k $k -r 5 $n
done

# Only the K measured operations are instrumented (--instr-atstart=no and
# the benchmark's CALLGRIND_START_INSTRUMENTATION), so filling the
# database is not counted.
ir() {	# op n
	valgrind --tool=callgrind --instr-atstart=no \
	    --callgrind-out-file=/dev/null "$bin" -c "$1" -k $k "$2" 2>&1 |
	    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' |
	    awk -v k=$k '{ printf "%.0f", $1 / k }'
}
echo
echo "== engine: instructions per operation (valgrind --tool=callgrind)"
printf '%-8s %8s %8s %8s\n' SAs ADD GET DELETE
for n in 10000 100000 1000000; do
	a=$(ir add $n); g=$(ir get $n); d=$(ir delete $n)
	printf '%-8s %8s %8s %8s\n' $n "$a" "$g" "$d"
done
mem=$("$bin" -k 10 -r 1 1000000 | awk '{ print $NF }')
echo
awk -v m="$a" 'BEGIN { printf "GOAL engine_add_instructions_at_1e6 %s 2000 %s\n", m, (m <= 2000 ? "met" : "not-met") }'
awk -v m="$g" 'BEGIN { printf "GOAL engine_get_instructions_at_1e6 %s 1200 %s\n", m, (m <= 1200 ? "met" : "not-met") }'
awk -v m="$mem" 'BEGIN { printf "GOAL engine_bytes_per_sa_at_1e6 %s 256 %s\n", m, (m <= 256 ? "met" : "not-met") }'
