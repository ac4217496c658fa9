#!/bin/sh
# The benchmark command (make bench): time the workloads, count their
# instructions with callgrind, print the table and one GOAL line per goal.
#   bench/run.sh BUILDDIR DATADIR
set -eu
build=$1
data=$2
bin=$build/bench/bench_codec
command -v valgrind >/dev/null 2>&1 || {
	echo "bench: valgrind is needed for instruction counts" >&2
	exit 1
}

echo "== time (ns per message; median, min, max of 11 repeats)"
"$bin" -n 200000 "$data"

# Instructions per message: the difference of two run lengths, so that
# start-up and loading cancel.  callgrind counts instructions, which do not
# depend on the machine's load.
ir() {	# workload iterations [message]
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
	    "$bin" -q -w "$1" -n "$2" ${3:+-m "$3"} "$data" 2>&1 |
	    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
per_msg() {	# workload messages-per-round
	a=$(ir "$1" 1000)
	b=$(ir "$1" 3000)
	echo "$a $b $2" | awk '{ printf "%.1f", ($2 - $1) / (2000 * $3) }'
}
one_msg() {	# workload message
	a=$(ir "$1" 500 "$2")
	b=$(ir "$1" 1500 "$2")
	echo "$a $b" | awk '{ printf "%.1f", ($2 - $1) / 1000 }'
}

echo
echo "== instructions per message (valgrind --tool=callgrind)"
printf '%-16s %8s %8s %8s %9s %8s %8s\n' message parse cached build build_msg \
    walk memcpy
for m in add_esp_v4 add_esp_v6 getspi_v4 register_reply acquire_v4 \
    spdadd_v4 dump_reply_v4; do
	case $m in
	add_esp_v4|add_esp_v6|getspi_v4|spdadd_v4)
		b=$(one_msg build "$m")
		bm=$(one_msg build_msg "$m") ;;
	*) b=- bm=- ;;
	esac
	printf '%-16s %8s %8s %8s %9s %8s %8s\n' "$m" "$(one_msg parse "$m")" \
	    "$(one_msg parse_cached "$m")" "$b" "$bm" "$(one_msg walk "$m")" \
	    "$(one_msg memcpy "$m")"
done
parse=$(per_msg parse 7)
cached=$(per_msg parse_cached 7)
build=$(per_msg build 4)
build1=$(per_msg build_msg 4)
walk=$(per_msg walk 7)
copy=$(per_msg memcpy 7)
echo
printf '%-40s %8s\n' "parse + strict validation (mix)" "$parse"
printf '%-40s %8s\n' "the same, pfkv2_parse_cached() (mix)" "$cached"
printf '%-40s %8s\n' "build, one put per extension (4 msgs)" "$build"
printf '%-40s %8s\n' "build, pfkv2_build_msg() (same 4)" "$build1"
printf '%-40s %8s\n' "floor: framing-only walk (mix)" "$walk"
printf '%-40s %8s\n' "floor: memcpy (mix)" "$copy"

echo
verdict() {	# name measured limit
	awk -v n="$1" -v m="$2" -v l="$3" 'BEGIN {
	    printf "GOAL %s %s %s %s\n", n, m, l, (m <= l ? "met" : "not-met") }'
}
# The parse goal is read on the library's cheapest way to parse the mix
# with every check: a daemon's parse cache, on messages that vary where
# daemons' messages vary (bench_codec.c, make_variant()).
verdict parse_instructions_per_msg "$cached" 200
# The build goal is read on the library's cheapest way to build the mix.
verdict build_instructions_per_msg "$build1" 300
