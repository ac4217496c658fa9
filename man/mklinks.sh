#!/bin/sh
# Install or remove a link for every name a manual page lists with .Nm in
# its NAME section, so that "man pfkv2_put_sa" finds pfkv2_builder_init(3).
#
#	mklinks.sh install|uninstall MANDIR DESTDIR [PAGE ...]
#
# MANDIR is the installed manual directory ($(mandir)), DESTDIR the staging
# root ($(DESTDIR), may be empty).  The PAGEs are the source pages; by
# default every page next to this script.  Links are relative symbolic
# links; with PFKV2_MAN_LINKS=so they are ".so" stubs instead.  A name that
# differs from its page's only in case gets no link, so that nothing is
# overwritten on a case-insensitive file system, and existing files that
# are not our links are left alone.
set -u

usage() {
	echo "usage: mklinks.sh install|uninstall MANDIR DESTDIR [PAGE ...]" >&2
	exit 2
}

[ $# -ge 3 ] || usage
action=$1
mandir=$2
destdir=$3
shift 3
case $action in
install|uninstall) ;;
*) usage ;;
esac
style=${PFKV2_MAN_LINKS:-symlink}
if [ $# -eq 0 ]; then
	set -- "$(dirname "$0")"/*.[1-9]
fi

lower() {
	printf '%s\n' "$1" | tr 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' \
	    'abcdefghijklmnopqrstuvwxyz'
}

# The .Nm names of the NAME section, one per line.
names() {
	awk '/^\.Sh[ \t]/ { insec = ($2 == "NAME"); next }
	    insec && /^\.Nm[ \t]/ { print $2 }' "$1"
}

# Is $1 a link this script made to page $2 of section $3?
ours() {
	if [ -h "$1" ]; then
		[ "$(ls -l "$1" | sed 's/.* -> //')" = "$2" ]
	elif [ -f "$1" ]; then
		[ "$(cat "$1")" = ".so man$3/$2" ]
	else
		false
	fi
}

status=0
for page in "$@"; do
	[ -f "$page" ] || { echo "mklinks.sh: no page $page" >&2; exit 1; }
	base=${page##*/}
	sect=${base##*.}
	dir="$destdir$mandir/man$sect"
	for name in $(names "$page"); do
		link="$dir/$name.$sect"
		[ "$(lower "$name.$sect")" = "$(lower "$base")" ] && continue
		case $action in
		install)
			if [ -e "$link" ] || [ -h "$link" ]; then
				if ! ours "$link" "$base" "$sect"; then
					echo "mklinks.sh: $link exists, left alone" >&2
					status=1
					continue
				fi
				rm -f "$link"
			fi
			if [ "$style" = so ]; then
				echo ".so man$sect/$base" > "$link" || status=1
			else
				ln -s "$base" "$link" || status=1
			fi
			;;
		uninstall)
			if ours "$link" "$base" "$sect"; then
				rm -f "$link" || status=1
			fi
			;;
		esac
	done
done
exit $status
