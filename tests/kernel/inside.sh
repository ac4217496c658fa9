#!/bin/sh
# Runs inside linux-pfkey-vm (busybox sh, root, a real kernel with af_key):
# the conformance program, then each example program against what it left
# in the kernel.  Prints CHECK lines; the host script reads them.
cd /work || exit 1
check() {	# name status
	if [ "$2" -eq 0 ]; then echo "CHECK ok $1"; else echo "CHECK FAIL $1"; fi
}

./conformance > conf.out 2>&1
st=$?
cat conf.out
check conformance $st

# pfkv2-register lists exactly the algorithms the kernel returned.
./pfkv2-register -t esp > reg.out 2>&1
st=$?
cat reg.out
check register-runs $st
sed -n 's/^ALG [a-z]* \(.*\)/\1/p' conf.out | sort > want.txt
sed -n 's/^  \([^ ]*\) ivlen.*/\1/p' reg.out | sort > got.txt
cmp -s want.txt got.txt
check register-lists-kernel-algorithms $?
[ -s want.txt ]
check register-nonempty $?

# The SA the library added shows up in pfkv2-dump; the policy in -P.
./pfkv2-dump > dump.out 2>&1
cat dump.out
grep -q 'spi=12289(0x00003001)' dump.out
check dump-shows-sa $?
./pfkv2-dump --json > dump.json 2>&1
grep -q '"spi":12289' dump.json
check dump-json $?
./pfkv2-dump -P > dumpP.out 2>&1
cat dumpP.out
grep -q '^192.0.2.1 192.0.2.2' dumpP.out && grep -q 'out ipsec' dumpP.out
check dump-P-shows-policy $?

# pfkv2-monitor sees the ADD broadcast of another socket.
./pfkv2-monitor --count 3 > mon.out 2>&1 &
mon=$!
sleep 1
./conformance --add 0x3002
wait $mon
cat mon.out
grep -q 'SADB_ADD' mon.out
check monitor-sees-add $?
echo "CHECK done"
