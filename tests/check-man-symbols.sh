#!/bin/sh
# Every function the public headers declare with PFKV2_API is named (.Nm)
# in the NAME section of exactly one manual page, and the SYNOPSIS of that
# page gives its prototype exactly as the header does.
#
# man/undocumented.txt lists the functions allowed to lack a page for now,
# one per line ('#' starts a comment).  A name in it that a page documents
# is an error too, so that the list can only shrink; a name no header
# declares (yet) is only noted.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
command -v perl >/dev/null 2>&1 || {
	echo "perl not found: skipped"
	exit 77
}
version_h="$top_builddir/include/pfkv2/version.h"
[ -f "$version_h" ] || version_h="$top_srcdir/include/pfkv2/version.h.in"

exec perl -w - "$top_srcdir/man/undocumented.txt" \
    "$top_srcdir"/include/pfkv2/*.h "$version_h" -- \
    "$top_srcdir"/man/*.[1-9] <<'PERL'
use strict;

my $allowfile = shift @ARGV;
my (@headers, @pages);
while (@ARGV) {
	my $f = shift @ARGV;
	last if $f eq '--';
	push @headers, $f;
}
@pages = grep { -f } @ARGV;

# Prototypes are compared as "ret name(type a, type b)" with single spaces
# and no space after a '*'.
sub norm {
	my $s = shift;
	$s =~ s/\s+/ /g;
	$s =~ s/^ | $//g;
	$s =~ s/ ?\* ?/ */g;
	$s =~ s/\* \*/**/g;
	$s =~ s/ \( ?/(/g;
	$s =~ s/ ?\)/)/g;
	$s =~ s/ ?, ?/, /g;
	return $s;
}
sub proto {
	my ($ret, $name, $args) = @_;
	$ret = norm($ret);
	return norm(($ret =~ /\*$/ ? $ret : "$ret ") . "$name($args)");
}

# Declarations: PFKV2_API <return type> name(<args>);
my %decl;
for my $h (@headers) {
	open my $fh, '<', $h or die "$h: $!\n";
	local $/;
	my $text = <$fh>;
	$text =~ s{/\*.*?\*/}{ }gs;
	while ($text =~ /PFKV2_API\s+([^;(]*?)\b(pfkv2_\w+)\s*
	    \(((?:[^()]++|\((?3)\))*)\)\s*;/gx) {
		$decl{$2} = proto($1, $2, $3);
	}
}

# mdoc macro arguments: "quoted" (with "" for a quote) or bare words.
sub margs {
	my $s = shift;
	my @a;
	while ($s =~ /\G\s*(?:"((?:[^"]|"")*)"|(\S+))/gc) {
		if (defined $1) {
			(my $q = $1) =~ s/""/"/g;
			push @a, $q;
		} else {
			push @a, $2;
		}
	}
	return @a;
}

my (%page_of, %man, @errors);
for my $p (@pages) {
	open my $fh, '<', $p or die "$p: $!\n";
	my ($sec, $ret, $fo, @fa) = ('', '', undef);
	while (my $l = <$fh>) {
		chomp $l;
		if ($l =~ /^\.Sh\s+(.*)/) {
			$sec = $1;
			next;
		}
		if ($sec eq 'NAME' && $l =~ /^\.Nm\s+(\S+)/) {
			my $n = $1;
			if (exists $page_of{$n}) {
				push @errors, "$n is named in $page_of{$n} and $p";
			}
			$page_of{$n} = $p;
		} elsif ($sec eq 'SYNOPSIS') {
			if ($l =~ /^\.Ft\s+(.*)/) {
				($ret) = margs($1);
			} elsif ($l =~ /^\.Fn\s+(.*)/) {
				my ($n, @a) = margs($1);
				$man{$n}{$p} = proto($ret, $n, join(', ', @a));
				$ret = '';
			} elsif ($l =~ /^\.Fo\s+(\S+)/) {
				($fo, @fa) = ($1);
			} elsif ($l =~ /^\.Fa\s+(.*)/ && defined $fo) {
				push @fa, margs($1);
			} elsif ($l =~ /^\.Fc\b/ && defined $fo) {
				$man{$fo}{$p} = proto($ret, $fo, join(', ', @fa));
				($ret, $fo, @fa) = ('', undef);
			}
		}
	}
	close $fh;
}

my %allow;
if (open my $fh, '<', $allowfile) {
	while (my $l = <$fh>) {
		$l =~ s/#.*//;
		$l =~ s/^\s+|\s+$//g;
		$allow{$l} = 1 if $l ne '';
	}
}

my ($ndoc, $nallow) = (0, 0);
for my $f (sort keys %decl) {
	if (!exists $page_of{$f}) {
		if ($allow{$f}) {
			$nallow++;
		} else {
			push @errors, "undocumented: $f";
		}
		next;
	}
	$ndoc++;
	my $p = $page_of{$f};
	push @errors, "$f is documented in $p but listed in $allowfile"
	    if $allow{$f};
	my $m = $man{$f}{$p};
	if (!defined $m) {
		push @errors, "$p: $f is in NAME but not in SYNOPSIS";
	} elsif ($m ne $decl{$f}) {
		push @errors, "$p: SYNOPSIS differs from the header:\n" .
		    "\tpage:   $m\n\theader: $decl{$f}";
	}
}
# Not an error: the header may be on its way, as the page is.
for my $f (sort keys %allow) {
	print "note: $allowfile lists $f, which no header declares\n"
	    if !exists $decl{$f};
}
for my $n (sort keys %page_of) {
	push @errors, "$page_of{$n} names $n, which no header declares"
	    if $n =~ /^pfkv2_/ && !exists $decl{$n};
}

print "FAIL: $_\n" for @errors;
printf "%d functions declared: %d documented, %d allowed undocumented\n",
    scalar(keys %decl), $ndoc, $nallow;
exit(@errors ? 1 : 0);
PERL
