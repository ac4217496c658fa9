#!/bin/sh
# pfkv2-simd and libpfkv2-preload, end to end: a libc-only PF_KEY program
# (tests/simd/simd_client) runs unmodified under the shim against the
# daemon.  Checks: a full session (REGISTER, GETSPI, UPDATE, DUMP,
# X_SPDADD, X_SPDDUMP); two sockets see each other's broadcasts; a client
# killed with SIGKILL leaves the daemon serving; malformed requests get
# errno replies and change nothing; another user is refused (by the file
# mode, and by peer credentials when the file mode lets it through) unless
# --group admits it; the clock control; --trace shows no key bytes; the
# sockets are gone after SIGTERM.
#
# Only the client runs with LD_PRELOAD, and it and the shim are built
# without sanitizers, so this runs in sanitizer builds too (the daemon is
# sanitized like everything else).
set -u
: "${top_builddir:=.}"

simd=$top_builddir/tools/pfkv2-simd
client=$top_builddir/tests/simd/simd_client
shim=$top_builddir/lib/preload/.libs/libpfkv2-preload.so
for f in "$simd" "$client" "$shim"; do
	[ -e "$f" ] || { echo "FAIL: $f not built"; exit 99; }
done
shim=$(cd "$(dirname "$shim")" && pwd)/$(basename "$shim")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/simd.XXXXXX") || exit 99
pids=
# Every exit goes through finish: no EXIT trap, since dash leaks the trap
# string at exit and CI runs the tests under valgrind.
finish() {
	for p in $pids; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$tmp"
	exit "$1"
}
trap 'finish 1' INT TERM

fails=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Run the test client under the shim against socket $1.  In the
# background as (cl_exec ...) &, so that $! is the client itself.
cl() {
	sock=$1
	shift
	LD_PRELOAD=$shim PFKV2_SIMD_SOCKET=$sock "$client" "$@"
}
cl_exec() {
	sock=$1
	shift
	LD_PRELOAD=$shim PFKV2_SIMD_SOCKET=$sock exec "$client" "$@"
}

# Wait until the daemon on $1 answers its control socket.
wait_up() {
	i=0
	while ! "$simd" --socket "$1" --now >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "FAIL: the daemon on $1 did not come up"
			cat "$tmp"/*.err
			finish 1
		fi
		sleep 0.1
	done
}

# Wait for a file to appear (a client saying it is ready).
wait_file() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
	return 0
}

# Stop a daemon with SIGTERM and wait for it; its status in rc.
stop() {
	kill -TERM "$1" 2>/dev/null
	wait "$1"
	rc=$?
}

ctl() {
	"$simd" --socket "$S" "$@"
}

# A private directory (0700) holds the sockets.
S=$tmp/simd.sock
"$simd" --socket "$S" --trace --trace-file "$tmp/trace.txt" \
    --dump-on-exit >"$tmp/dump.out" 2>"$tmp/simd.err" &
dpid=$!
pids="$pids $dpid"
wait_up "$S"

m=$(stat -c %a "$S" 2>/dev/null)
[ "$m" = 600 ] && pass "socket mode 600" || fail "socket mode is $m"
[ "$(stat -c %a "$S.ctl" 2>/dev/null)" = 600 ] &&
    pass "control socket mode 600" || fail "control socket mode"

# A second daemon on the same path is refused and disturbs nothing.
if "$simd" --socket "$S" 2>"$tmp/second.err"; then
	fail "a second daemon started on a live socket"
else
	pass "a second daemon refused: $(cat "$tmp/second.err")"
fi
: >"$tmp/plain"
if "$simd" --socket "$tmp/plain" 2>"$tmp/plain.err"; then
	fail "started over a file that is not a socket"
else
	pass "refused to replace a regular file"
fi

# 1. The whole session.
if cl "$S" basic >"$tmp/basic.out" 2>&1; then
	pass "basic session"
	sed 's/^/	/' "$tmp/basic.out"
else
	fail "basic session"
	cat "$tmp/basic.out"
fi

# No daemon, no variable: EAFNOSUPPORT, as without kernel PF_KEY.
cl "$tmp/none.sock" nodaemon >/dev/null 2>&1 &&
    pass "no daemon: EAFNOSUPPORT" || fail "no daemon"
if LD_PRELOAD=$shim "$client" nodaemon >/dev/null 2>&1; then
	pass "no PFKV2_SIMD_SOCKET: EAFNOSUPPORT"
else
	fail "no PFKV2_SIMD_SOCKET"
fi

# 2. Two sockets at once: B sees A's ADD.
rm -f "$tmp/ready"
(cl_exec "$S" listen "$tmp/ready" 0x4711 >"$tmp/listen.out" 2>&1) &
lpid=$!
pids="$pids $lpid"
if wait_file "$tmp/ready" && cl "$S" add 0x4711 >"$tmp/add.out" 2>&1 &&
    wait "$lpid"; then
	pass "broadcast: $(cat "$tmp/listen.out")"
else
	fail "broadcast"
	cat "$tmp/add.out" "$tmp/listen.out"
fi

# 3. A client killed in the middle does not disturb the daemon.
rm -f "$tmp/ready"
(cl_exec "$S" hang "$tmp/ready" >"$tmp/hang.out" 2>&1) &
hpid=$!
pids="$pids $hpid"
if wait_file "$tmp/ready"; then
	kill -9 "$hpid"
	wait "$hpid" 2>/dev/null
	if kill -0 "$dpid" 2>/dev/null &&
	    cl "$S" basic 1 >"$tmp/after.out" 2>&1 &&
	    grep -q "#[0-9]* pid $hpid disconnect" "$tmp/trace.txt"; then
		pass "SIGKILLed client (pid $hpid): the daemon serves on"
	else
		fail "after a SIGKILLed client"
		cat "$tmp/after.out"
	fi
else
	fail "hanging client never got ready"
	cat "$tmp/hang.out"
fi

# A client that writes and never reads does not hold the daemon up: what
# overflows its queue is dropped and counted, as a kernel does.
rm -f "$tmp/ready"
(cl_exec "$S" flood "$tmp/ready" 40000 >"$tmp/flood.out" 2>&1) &
fpid=$!
pids="$pids $fpid"
if wait_file "$tmp/ready" && cl "$S" basic 2 >"$tmp/flood2.out" 2>&1 &&
    ctl --stats | grep -q 'dropped [1-9]'; then
	pass "a client that does not read: others served, overflow counted"
else
	fail "flood"
	cat "$tmp/flood.out" "$tmp/flood2.out"
	ctl --stats
fi
kill -9 "$fpid"
wait "$fpid" 2>/dev/null

# 4. Malformed requests: errno replies, no change.
if cl "$S" malformed >"$tmp/malformed.out" 2>&1; then
	pass "malformed requests"
	sed 's/^/	/' "$tmp/malformed.out"
else
	fail "malformed requests"
	cat "$tmp/malformed.out"
fi

# 5. Another user.  Needs a way to become someone else: root and setpriv.
other=
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null
then
	other="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ -n "$other" ]; then
	# The file mode stops it first (connect: EACCES, socket: EPERM).
	chmod 755 "$tmp"
	if $other env LD_PRELOAD="$shim" PFKV2_SIMD_SOCKET="$S" "$client" \
	    refused >"$tmp/refused1.out" 2>&1; then
		pass "other user, mode 600: $(cat "$tmp/refused1.out")"
	else
		fail "other user got through a mode 600 socket"
		cat "$tmp/refused1.out"
	fi
	# With the file opened up, peer credentials still refuse it.
	chmod 666 "$S"
	if $other env LD_PRELOAD="$shim" PFKV2_SIMD_SOCKET="$S" "$client" \
	    refused >"$tmp/refused2.out" 2>&1 &&
	    grep -q "refused pid [0-9]* uid 65534" "$tmp/simd.err"; then
		pass "other user, mode 666: refused by peer credentials"
	else
		fail "peer credentials"
		cat "$tmp/refused2.out" "$tmp/simd.err"
	fi
	chmod 600 "$S"
	chmod 700 "$tmp"
else
	echo "skip: other-user checks (not root, or no setpriv)"
fi

# 6. The clock: SIGUSR1 and the control socket.
t0=$(ctl --now | awk '{ print $3 }')
kill -USR1 "$dpid"
i=0
while [ "$(ctl --now | awk '{ print $3 }')" = "$t0" ] && [ $i -lt 50 ]; do
	i=$((i + 1))
	sleep 0.1
done
t1=$(ctl --now | awk '{ print $3 }')
[ "$t1" = $((t0 + 1)) ] && pass "SIGUSR1: clock $t0 -> $t1" ||
    fail "SIGUSR1: clock $t0 -> $t1"
n0=$(cl "$S" count)
out=$(ctl --advance 61)
n1=$(cl "$S" count)
case $out in
ok\ now\ $((t1 + 61))\ expired\ *) pass "advance: $out" ;;
*) fail "advance: $out" ;;
esac
# The basic sessions' SAs had a 60 s hard lifetime; the ADDed one none.
[ "$n1" -lt "$n0" ] && [ "$n1" -ge 1 ] &&
    pass "expired: $n0 SAs before, $n1 after" ||
    fail "expiry: $n0 SAs before, $n1 after"
ctl --stats >"$tmp/stats.out" && grep -q '^ok sas ' "$tmp/stats.out" &&
    pass "stats: $(cat "$tmp/stats.out")" || fail "stats"
ctl --dump >"$tmp/ctldump.out" && grep -q '^# SPD' "$tmp/ctldump.out" &&
    pass "control dump" || fail "control dump"
"$simd" --socket "$S" --advance x >/dev/null 2>&1 &&
    fail "a bad number was taken" || pass "a bad number is refused"

# 7. The trace: every message, no key bytes.
grep -q 'in: SADB_REGISTER' "$tmp/trace.txt" &&
    grep -q 'out: SADB_UPDATE' "$tmp/trace.txt" &&
    grep -q 'out: SADB_X_SPDDUMP' "$tmp/trace.txt" &&
    grep -q 'KEY_AUTH: 256 bits \[hidden\]' "$tmp/trace.txt" &&
    pass "trace has the session" || fail "trace lacks the session"
# The test client's keys start 5ec23791 and c7196ae2.
if grep -qi -e '5ec23791' -e '5e c2 37 91' -e 'c7196ae2' -e 'c7 19 6a e2' \
    "$tmp/trace.txt" "$tmp/dump.out" "$tmp/ctldump.out"; then
	fail "key bytes in the trace or the dump"
else
	pass "no key bytes in the trace"
fi

# 8. SIGTERM: clean exit, the state dumped, the sockets gone.
stop "$dpid"
[ "$rc" = 0 ] && pass "SIGTERM: exit 0" || fail "SIGTERM: exit $rc"
[ ! -e "$S" ] && [ ! -e "$S.ctl" ] && pass "sockets removed" ||
    fail "sockets left behind"
grep -q '^# SAD' "$tmp/dump.out" && grep -q 'SADB_X_SPDDUMP' "$tmp/dump.out" &&
    pass "--dump-on-exit" || fail "--dump-on-exit"

# 9. A stale socket (a daemon killed with SIGKILL) is replaced; --group
# admits the group's members; the JSON trace.
G=$tmp/g.sock
"$simd" --socket "$G" 2>/dev/null &
gpid=$!
pids="$pids $gpid"
wait_up "$G"
kill -9 "$gpid"
wait "$gpid" 2>/dev/null
# The other user's group when we can be that user, else our own.
if [ -n "$other" ]; then
	group=$(id -gn 65534 2>/dev/null || echo nogroup)
else
	group=$(id -gn)
fi
"$simd" --socket "$G" --group "$group" --trace=json \
    --trace-file "$tmp/trace.json" 2>"$tmp/g.err" &
gpid=$!
pids="$pids $gpid"
wait_up "$G"
pass "stale socket replaced"
[ "$(stat -c %a "$G")" = 660 ] && [ "$(stat -c %G "$G")" = "$group" ] &&
    pass "--group: mode 660, group $group" || fail "--group socket mode"
if [ -n "$other" ]; then
	chmod 755 "$tmp"
	if $other env LD_PRELOAD="$shim" PFKV2_SIMD_SOCKET="$G" "$client" \
	    short >"$tmp/group.out" 2>&1; then
		pass "--group admits a member"
	else
		fail "--group refused a member"
		cat "$tmp/group.out" "$tmp/g.err"
	fi
	chmod 700 "$tmp"
else
	cl "$G" short >"$tmp/group.out" 2>&1 || fail "session on the group socket"
fi
if grep -q '"dir":"in","len":16,"msg":{"dialect":"linux","type":"REGISTER"' \
    "$tmp/trace.json" && ! grep -v '^{.*}$' "$tmp/trace.json" >/dev/null
then
	pass "JSON trace: one object a line"
else
	fail "JSON trace"
	head -5 "$tmp/trace.json"
fi
stop "$gpid"
[ "$rc" = 0 ] && [ ! -e "$G" ] && pass "second daemon stopped" ||
    fail "second daemon: exit $rc"

if [ "$fails" -ne 0 ]; then
	echo "--- daemon log"
	cat "$tmp/simd.err"
	echo "$fails check(s) failed"
	finish 1
fi
echo "all checks passed"
finish 0
