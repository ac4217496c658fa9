#!/bin/sh
# Kernel tests: the example programs and tests/kernel/conformance.c run
# inside a real Linux kernel with af_key, booted by linux-pfkey-vm (qemu;
# KVM where it works).  Exit 77 (skip) only when the VM cannot boot.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}"

vm=${LINUX_PFKEY_VM:-}
[ -n "$vm" ] || [ ! -x "$top_srcdir/../shared/tools/linux-pfkey-vm" ] ||
    vm=$top_srcdir/../shared/tools/linux-pfkey-vm
[ -n "$vm" ] || vm=$top_srcdir/tests/kernel/linux-pfkey-vm
[ "$(uname -m)" = x86_64 ] || { echo "not x86_64: skipped"; exit 77; }
# Sanitizer runtimes cannot link statically; the plain builds run this.
[ -z "${SAN_CFLAGS:-}" ] || { echo "sanitizer build: skipped"; exit 77; }
lib=$top_builddir/lib/.libs/libpfkv2.a
[ -f "$lib" ] || { echo "no static library: skipped"; exit 77; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
inc="-I$top_builddir/include -I$top_srcdir/include"
for p in pfkv2-register pfkv2-dump pfkv2-monitor; do
	$CC -static -O2 $inc -o "$tmp/$p" "$top_srcdir/examples/$p.c" "$lib" ||
	    exit 99
done
$CC -static -O2 -D_DEFAULT_SOURCE $inc -o "$tmp/conformance" \
    "$top_srcdir/tests/kernel/conformance.c" "$lib" || exit 99
cp "$top_srcdir/tests/kernel/inside.sh" "$tmp/"

"$vm" -q --timeout 300 --dir "$tmp" -- sh ./inside.sh > "$tmp/out" 2>&1
st=$?
cat "$tmp/out"
if [ $st -eq 125 ] || [ $st -eq 124 ]; then
	echo "linux-pfkey-vm could not boot a kernel (status $st): skipped"
	exit 77
fi
grep -q '^CHECK done' "$tmp/out" || { echo "FAIL: the VM run did not finish"; exit 1; }
if grep -q '^CHECK FAIL' "$tmp/out"; then
	grep '^CHECK FAIL' "$tmp/out"
	exit 1
fi
echo "all kernel checks passed"
exit 0
