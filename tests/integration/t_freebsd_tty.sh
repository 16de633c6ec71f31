#!/bin/sh
# Terminal programs: the FreeBSD /bin/sh runs interactively on a
# pseudo-terminal (script(1) provides one): prompt, line editing state and
# the termios view stty(1) prints come from the translated tty ioctls; then
# FreeBSD vi writes a file from typed text.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "runs FreeBSD programs only"
[ -n "${LOCHS_FREEBSD_ROOT:-}" ] ||
	skip "LOCHS_FREEBSD_ROOT is unset (set it to an extracted FreeBSD base system to run this test)"
R=$LOCHS_FREEBSD_ROOT
[ -x "$R/bin/sh" ] && [ -x "$R/bin/stty" ] || skip "the root has no /bin/sh or /bin/stty"
command -v script >/dev/null || skip "script(1) is not installed"

rc=0
out=$(printf 'echo tty-$((40+2)); tty >/dev/null && echo is-a-tty\nstty -a\nexit 5\n' |
	env -i PATH=/bin:/usr/bin TERM=dumb timeout 30 script -q -e -c "$RUN --root $R /bin/sh -i" /dev/null) || rc=$?
[ $rc = 5 ] || fail "interactive sh exited $rc, want 5: $out"
echo "$out" | grep -q '^tty-42' || fail "no command output: $out"
echo "$out" | grep -q 'is-a-tty' || fail "stdin is not a tty inside: $out"
# FreeBSD stty's own format (GNU stty prints 'speed 38400 baud; line = 0;').
echo "$out" | grep -q '^lflags: icanon isig iexten echo' || fail "stty -a lflags: $out"
echo "$out" | grep -q '^speed [0-9]* baud' || fail "stty -a speed: $out"

# vi (nvi: curses, raw termios, select on the tty, a Berkeley DB recno file)
# creates a file from typed text. A startup message that wants "Press any
# key" (say from a failing syscall) eats the first typed key, so the exact
# contents catch it. Keys go in only once vi has drawn its screen, and the
# feeder stops once the file exists: no fixed delays decide the outcome.
[ -x "$R/usr/bin/vi" ] || { echo "SKIP: the root has no /usr/bin/vi (sh part passed)"; exit 0; }
[ -d "$R/tmp" ] || fail "LOCHS_FREEBSD_ROOT=$R has no /tmp for the scratch directory"
name=lochs-tty.$$
S=$R/tmp/$name  # host path of the scratch directory
G=/tmp/$name    # the same directory inside the root
mkdir "$S"
trap 'rm -rf "$S"' EXIT
# wait_for FILE PATTERN: up to 60 s for PATTERN to appear in FILE.
wait_for() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 600 ] || return 1
		sleep 0.1
	done
}
feed() {
	wait_for "$S/screen" 'new file' || return 0
	printf 'ione two three\033'
	printf 'ahello\033:wq\r'
	wait_for "$S/vi.txt" . || return 0
}
# The recovery directory is in the scratch directory: vi writes nothing
# else into the root, and a root without /var/tmp (vi's default recdir)
# does not add a startup error message.
rc=0
feed | env -i PATH=/bin:/usr/bin TERM=vt100 EXINIT="set recdir=$G" \
	timeout 60 script -q -e -c "$RUN --root $R /usr/bin/vi $G/vi.txt" /dev/null \
	>"$S/screen" 2>&1 || rc=$?
[ $rc = 0 ] || fail "vi exited $rc: $(cat -v "$S/screen")"
[ "$(cat "$S/vi.txt")" = "one two threehello" ] ||
	fail "vi wrote [$(cat "$S/vi.txt" 2>&1)], want [one two threehello]; screen: $(cat -v "$S/screen")"
