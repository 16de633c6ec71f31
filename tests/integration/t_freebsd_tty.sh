#!/bin/sh
# Terminal programs: the FreeBSD /bin/sh runs interactively on a
# pseudo-terminal (script(1) provides one): prompt, line editing state and
# the termios view stty(1) prints come from the translated tty ioctls.
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
