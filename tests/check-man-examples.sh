#!/bin/sh
# Every section 3 manual page has EXAMPLES, and each .Bd -literal block of
# its EXAMPLES section is a complete C program that compiles against the
# built library without warnings and runs successfully (exit status 0).
#
# The programs are linked with the static library, so they run without
# LD_LIBRARY_PATH; when the library was built with sanitizers, the
# programs are too.  Extra compiler flags may be given in EXAMPLE_CFLAGS.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}"
: "${SAN_CFLAGS:=}" "${EXAMPLE_CFLAGS:=}"
command -v perl >/dev/null 2>&1 || {
	echo "perl not found: skipped"
	exit 77
}

libdir=$(cd "$top_builddir/lib/.libs" 2>/dev/null && pwd) || libdir=
if [ -n "$libdir" ] && [ -f "$libdir/libpfkv2.a" ]; then
	libs="$libdir/libpfkv2.a"
	# A sanitized library needs the sanitizer runtimes in the program.
	if command -v nm >/dev/null 2>&1; then
		syms=$(nm "$libdir/libpfkv2.a" 2>/dev/null)
		case $syms in *__asan_*) SAN_CFLAGS="$SAN_CFLAGS -fsanitize=address";; esac
		case $syms in *__ubsan_*) SAN_CFLAGS="$SAN_CFLAGS -fsanitize=undefined";; esac
	fi
elif [ -n "$libdir" ] && [ -f "$libdir/libpfkv2.so" ]; then
	libs="-L$libdir -lpfkv2 -Wl,-rpath,$libdir"
else
	echo "FAIL: no libpfkv2 in $top_builddir/lib/.libs: build it first"
	exit 99
fi

tmp=$(mktemp -d) || exit 99
keep=0
trap '[ "$keep" = 1 ] || rm -rf "$tmp"' EXIT

# Extract: one file per block, NAME-N.c, with the mdoc escapes undone.
status=0
perl -w - "$tmp" "$top_srcdir"/man/*.3 <<'PERL' || status=1
use strict;
my $dir = shift @ARGV;
my %esc = (
	'e' => '\\', '&' => '', '-' => '-', '|' => '', '^' => '',
	' ' => ' ', '0' => ' ', '.' => '.',
	'(dq' => '"', '(aq' => "'", '(rs' => '\\', '(ti' => '~',
	'(ha' => '^', '(ga' => '`', '(lq' => '"', '(rq' => '"',
	'(oq' => "'", '(cq' => "'", '(hy' => '-', '(mi' => '-',
);
my $bad = 0;
for my $page (@ARGV) {
	next unless -f $page;
	(my $name = $page) =~ s{.*/}{};
	$name =~ s/\.3$//;
	open my $fh, '<', $page or die "$page: $!\n";
	my ($sec, $in, $n, $out) = ('', 0, 0);
	while (my $l = <$fh>) {
		chomp $l;
		if (!$in && $l =~ /^\.Sh\s+(.*)/) {
			$sec = $1;
			next;
		}
		next unless $sec eq 'EXAMPLES';
		if (!$in && $l =~ /^\.Bd\s+-literal\b/) {
			$in = 1;
			$n++;
			open $out, '>', "$dir/$name-$n.c" or die "$!\n";
			next;
		}
		next unless $in;
		if ($l =~ /^\.Ed\b/) {
			close $out;
			$in = 0;
			next;
		}
		next if $l =~ /^\.\\"/;
		if ($l =~ /^[.']/) {
			print "FAIL: $page:$.: macro inside a literal block\n";
			$bad = 1;
			next;
		}
		$l =~ s{\\(\((..)|\[([^\]]*)\]|.)}{
			my $k = defined $2 ? "($2" : defined $3 ? "($3" : $1;
			if (exists $esc{$k}) {
				$esc{$k};
			} else {
				print "FAIL: $page:$.: unknown escape \\$1\n";
				$bad = 1;
				'';
			}
		}ge;
		print $out "$l\n";
	}
	close $fh;
	if ($n == 0) {
		print "FAIL: $page has no program in its EXAMPLES\n";
		$bad = 1;
	}
}
exit $bad;
PERL

n=0
for src in "$tmp"/*.c; do
	[ -f "$src" ] || continue
	n=$((n + 1))
	prog=${src%.c}
	what=$(basename "$prog")
	if ! $CC -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
	    $SAN_CFLAGS $EXAMPLE_CFLAGS \
	    -I"$top_builddir/include" -I"$top_srcdir/include" \
	    -o "$prog" "$src" $libs > "$prog.log" 2>&1; then
		echo "FAIL: $what does not compile:"
		sed 's/^/	/' "$prog.log"
		status=1
		continue
	fi
	if command -v timeout >/dev/null 2>&1; then
		run="timeout 60"
	else
		run=
	fi
	if ! (cd "$tmp" && $run "$prog") > "$prog.out" 2>&1; then
		echo "FAIL: $what exits with an error:"
		sed 's/^/	/' "$prog.out"
		status=1
		continue
	fi
	echo "ok: $what"
done
if [ "$status" != 0 ]; then
	keep=1
	echo "sources kept in $tmp"
fi
echo "$n example programs"
exit $status
