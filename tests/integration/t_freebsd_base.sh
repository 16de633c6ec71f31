#!/bin/sh
# A real FreeBSD base system under bsdulator --root: sh (pipes, subshells,
# traps, here-documents), file utilities, text tools, tar, identity and
# system facts, ps. The root comes from LOCHS_FREEBSD_ROOT (an extracted
# FreeBSD base, e.g. base.txz); nothing is copied into it, only a scratch
# directory under its /tmp that is removed afterwards. Output is compared
# with fixed text or with the GNU tools' output where the formats agree.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "runs FreeBSD programs only"
[ -n "${LOCHS_FREEBSD_ROOT:-}" ] ||
	skip "LOCHS_FREEBSD_ROOT is unset (set it to an extracted FreeBSD base system to run this test)"
R=$LOCHS_FREEBSD_ROOT
[ -x "$R/bin/sh" ] || fail "LOCHS_FREEBSD_ROOT=$R has no /bin/sh"
[ -d "$R/tmp" ] || fail "LOCHS_FREEBSD_ROOT=$R has no /tmp for the scratch directory"

name=lochs-base.$$
S=$R/tmp/$name  # host path of the scratch directory
G=/tmp/$name    # the same directory inside the root
T=$(mktemp -d)   # host-side files for comparisons
mkdir "$S"
trap 'rm -rf "$S" "$T"' EXIT

# fb PROGRAM ARGS...: a FreeBSD program in the root, with a plain environment
# (a host locale such as C.UTF-8 may not exist in the root).
fb() { env -i PATH=/bin:/usr/bin:/sbin:/usr/sbin HOME=/ TERM=dumb LOCHS_T=1 $RUN --root "$R" "$@"; }
# same NAME WANT GOT
same() {
	[ "$2" = "$3" ] && return 0
	printf '%s\n' "$2" >"$T/want"; printf '%s\n' "$3" >"$T/got"
	diff -u "$T/want" "$T/got" >&2 || true
	rm -f "$T/want" "$T/got"
	fail "$1: output differs (- want, + got)"
}

# --- sh: pipes, subshells, command substitution, traps, here-documents
got=$(fb /bin/sh -c '
echo hello world | tr a-z A-Z | sed "s/WORLD/there/"
(cd /usr && pwd); pwd
x=$(echo sub | tr s S); echo "x=$x"
n=0; while [ $n -lt 3 ]; do n=$((n + 1)); done; echo "n=$n"
trap "echo caught USR1" USR1; kill -USR1 $$; echo after-signal
cat <<EOF
here $x
  indented \$literal
EOF
cat <<'"'EOF'"'
quoted $x
EOF
case foo.c in *.c) echo c-file ;; esac
f() { echo "in f: $#:$*"; return 4; }; f a b; echo "status $?"
false || echo or-branch; true && echo and-branch
trap "echo exit-trap" EXIT
( exit 7 ); echo "subshell status $?"
')
same "sh" "HELLO there
/usr
/
x=Sub
n=3
caught USR1
after-signal
here Sub
  indented \$literal
quoted \$x
c-file
in f: 2:a b
status 4
or-branch
and-branch
subshell status 7
exit-trap" "$got"

# --- mkdir -p, cp -R, mv, rm -r, cat, echo, find
got=$(fb /bin/sh -c "cd $G && mkdir -p a/b/c && echo one > a/b/c/f && echo two > a/g &&
cp -R a a2 && mv a2 a3 && cat a3/b/c/f a3/g && rm -r a && ls && find . -print | sort")
same "file utilities" "one
two
a3
.
./a3
./a3/b
./a3/b/c
./a3/b/c/f
./a3/g" "$got"

# --- ls -la: mode, links, size and name agree with GNU ls on the same files
printf 'abc\n' >"$S/a3/small"; chmod 640 "$S/a3/small"; ln -s small "$S/a3/link"
norm() { awk 'NR > 1 { m = substr($1, 1, 10); n = $NF; if ($(NF-1) == "->") n = $(NF-2) " -> " $NF; print m, $2, $5, n }'; }
want=$(cd "$S/a3" && LC_ALL=C ls -la | norm)
got=$(fb /bin/ls -la "$G/a3" | norm)
same "ls -la" "$want" "$got"

# --- text tools against the GNU ones
printf 'pear 3\napple 10\nfig 7\napple 10\nkiwi 2\npear 3\nbanana 5\n' >"$S/in"
for cmd in "cat -n in" "echo a  b   c" "awk '{ s += \$2 } END { print s, NR }' in" \
	"sed -n '2,4p;s/a/A/gp' in" "grep -c apple in" "grep -v -n p in" "sort in" \
	"sort -k2 -n -r in" "sort in | uniq -c" "sort -u in" "tr a-z A-Z < in" "tr -d aeiou < in" \
	"cut -d' ' -f2 in" "cut -c1-3 in" "wc -l < in" "head -n 2 in" "tail -n 3 in" \
	"tail -c 8 in" "cut -d' ' -f1 in | xargs echo" "printf '%s\n' b a | xargs -n 1 echo x"; do
	want=$(cd "$S" && LC_ALL=C sh -c "$cmd" | sed 's/^ *//; s/[ 	][ 	]*/ /g')
	got=$(fb /bin/sh -c "cd $G && $cmd" | sed 's/^ *//; s/[ 	][ 	]*/ /g')
	same "$cmd" "$want" "$got"
done
got=$(fb /bin/sh -c "cd $G && wc in" | awk '{ print $1, $2, $3 }')
same "wc" "$(wc <"$S/in" | awk '{ print $1, $2, $3 }')" "$got"
got=$(fb /bin/sh -c "cd $G && find . -name 'f*' -type f | sort")
same "find -name" "./a3/b/c/f" "$got"

# --- tar round trip
fb /bin/sh -c "cd $G && tar cf t.tar a3 in && mkdir out && tar xf t.tar -C out && tar tf t.tar | sort" >"$T/list" ||
	fail "tar round trip exited with status $?"
same "tar tf" "$(printf 'a3/\na3/b/\na3/b/c/\na3/b/c/f\na3/g\na3/link\na3/small\nin\n')" "$(cat "$T/list")"
rm -f "$T/list"
diff -r "$S/a3" "$S/out/a3" >&2 || fail "tar xf: the extracted tree differs"
cmp "$S/in" "$S/out/in" || fail "tar xf: in differs"
[ "$(readlink "$S/out/a3/link")" = small ] || fail "tar xf: symlink not restored"

# --- identity and system facts
same "date +%Y" "$(date +%Y)" "$(fb /bin/date +%Y)"
same "id -u" "$(id -u)" "$(fb /usr/bin/id -u)"
got=$(fb /usr/bin/env | sort)
same "env" "HOME=/
LOCHS_T=1
PATH=/bin:/usr/bin:/sbin:/usr/sbin
TERM=dumb" "$got"
same "uname -s" FreeBSD "$(fb /usr/bin/uname -s)"
same "uname -r" "${BSDULATOR_OSRELEASE:-14.3-RELEASE}" "$(fb /usr/bin/uname -r)"
same "hostname" "$(hostname)" "$(fb /bin/hostname)"
same "sysctl -n kern.ostype" FreeBSD "$(fb /sbin/sysctl -n kern.ostype)"

# --- ps (needs the root's /dev/null)
if [ -c "$R/dev/null" ]; then
	got=$(fb /bin/sh -c 'ps -p $$ -o pid= -o ppid= -o comm= -o args=; echo "$$ $PPID"; :')
	pid=$(echo "$got" | sed -n 2p | cut -d' ' -f1)
	ppid=$(echo "$got" | sed -n 2p | cut -d' ' -f2)
	line=$(echo "$got" | sed -n 1p | sed 's/^ *//; s/  */ /g')
	case $line in
	"$pid $ppid sh /bin/sh -c ps -p"*) ;;
	*) fail "ps -p \$\$ printed '$line', want '$pid $ppid sh /bin/sh -c ps -p...'" ;;
	esac
	got=$(fb /bin/sh -c 'sleep 5 & p=$!; i=0
		while [ $i -lt 50 ] && ! ps -p $p -o comm= | grep -q sleep; do sleep 0.1; i=$((i + 1)); done
		ps -ax -o pid= -o comm= -o args= | grep "^ *$p "; kill $p')
	echo "$got" | grep -q ' sleep  *sleep 5$' || fail "ps -ax lacks the sleep child: '$got'"
	got=$(fb /bin/ps aux | head -n 1 | sed 's/  */ /g')
	same "ps aux header" "USER PID %CPU %MEM VSZ RSS TT STAT STARTED TIME COMMAND" "$got"
else
	echo "note: $R/dev/null is missing, ps not checked"
fi
echo "ok"
