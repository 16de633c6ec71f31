#!/bin/sh
# bsdulator's command line: bad input gets one clear line and the shell's
# exit codes (126 cannot execute, 127 not found, 2 usage); --root chroots and
# searches PATH inside the root. lochs run/create/exec --help list their flags.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "tests the translator's own command line"
set +e # expect() inspects failing exit codes
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect CODE PATTERN CMD...: exit code CODE and one stderr line matching PATTERN.
expect() {
	code=$1 pat=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ "$rc" = "$code" ] || fail "$*: exit $rc, want $code ($(cat "$tmp/err"))"
	grep -q -- "$pat" "$tmp/err" || fail "$*: stderr '$(cat "$tmp/err")' lacks '$pat'"
	[ "$(grep -c . "$tmp/err")" -le 2 ] || fail "$*: more than a line of error: $(cat "$tmp/err")"
}

expect 2 "unknown option" $RUN --frobnicate /bin/true
expect 2 "no program given" $RUN
expect 2 "needs a value" $RUN --root
expect 127 "nonexistent: not found" $RUN "$tmp/nonexistent"
expect 127 "no-such-cmd: not found" $RUN no-such-cmd
printf 'just text\n' > "$tmp/text"; chmod +x "$tmp/text"
expect 126 "exec format error" $RUN "$tmp/text"
chmod -x "$tmp/text"
expect 126 "permission denied" $RUN "$tmp/text"
expect 126 "permission denied" $RUN "$tmp"
# An ELF for another machine (e_machine patched to AArch64).
cp /bin/true "$tmp/arm"; printf '\267\000' | dd of="$tmp/arm" bs=1 seek=18 conv=notrunc 2>/dev/null
expect 126 "not an x86-64 program" $RUN "$tmp/arm"
# A truncated ELF: headers point past the end of the file.
head -c 100 /bin/true > "$tmp/short"; chmod +x "$tmp/short"
expect 126 "exec format error" $RUN "$tmp/short"
expect 125 "no such directory" $RUN --root "$tmp/missing" /bin/true
# A #! script whose interpreter is missing, and a dynamic FreeBSD program
# whose interpreter (ld-elf.so.1) is missing.
printf '#!/no/such/interp -x\n' > "$tmp/script"; chmod +x "$tmp/script"
expect 127 "script: bad interpreter /no/such/interp: not found" $RUN "$tmp/script"
printf 'void _start(void) { for (;;); }\n' > "$tmp/dyn.c"
clang --target=x86_64-unknown-freebsd14.3 -ffreestanding -nostdlib -fPIE -pie -fuse-ld=lld \
	-Wl,--dynamic-linker=/libexec/ld-elf.so.1 -o "$tmp/dyn" "$tmp/dyn.c" || fail "cannot build a dynamic probe"
expect 127 "interpreter /libexec/ld-elf.so.1: not found" $RUN "$tmp/dyn"

# A Linux program runs natively, with its exit status.
$RUN /bin/sh -c 'exit 3'; rc=$?
[ $rc = 3 ] || fail "native /bin/sh exit status $rc, want 3"

# lochs run/create/exec --help: every flag of the command's table (the one
# getopt parses with), its short letter, other name and value placeholder,
# and a description.
help_lists_flags() { # COMMAND SOURCE TABLE
	build/bin/lochs "$1" --help >"$tmp/help" || fail "lochs $1 --help"
	sed -n "/struct cli_flag $3\[\] = {/,/^};/p" "$2" |
		sed -n 's/^\t{ \([^,]*\), "\([^"]*\)", \([^,]*\), \([^,]*\), ".*/\1 \2 \3 \4/p' >"$tmp/flags"
	[ "$(wc -l <"$tmp/flags")" -ge 6 ] || fail "$2: no flag table $3"
	while read -r id name alias arg; do
		short="    "
		case $id in "'"?"'") short="-$(echo "$id" | cut -c2), " ;; esac
		alias=$(echo "$alias" | tr -d '"'); arg=$(echo "$arg" | tr -d '"')
		[ "$alias" != NULL ] || alias=
		want="  $short--$name${alias:+, --$alias}"
		[ "$arg" = NULL ] || want="$want $arg"
		grep -Fq -- "$want  " "$tmp/help" || fail "lochs $1 --help lacks '$want': $(cat "$tmp/help")"
		grep -F -- "$want  " "$tmp/help" | grep -Eq '  [A-Z][^ ]* .*[a-z]' || fail "lochs $1 --help: no description for --$name"
	done <"$tmp/flags"
	[ "$(grep -c -- ' --' "$tmp/help")" = "$(wc -l <"$tmp/flags")" ] || fail "lochs $1 --help lists other flags"
}
help_lists_flags run specs/cliflags.c svc_run_flags
help_lists_flags create specs/cliflags.c svc_run_flags
help_lists_flags exec orchestrator/cmd_exec.c exec_flags

# --root: a FreeBSD program found through PATH inside the new root.
esb=$NPM/@esbuild/freebsd-x64/package/bin/esbuild
need "$esb"
mkdir -p "$tmp/root/usr/local/bin" "$tmp/root/dev" "$tmp/root/tmp"
cp "$esb" "$tmp/root/usr/local/bin/esbuild"
ver=$(PATH=/usr/local/bin $RUN --root "$tmp/root" esbuild --version 2>&1) ||
	fail "esbuild in --root failed: $ver"
[ "$ver" = 0.28.2 ] || fail "esbuild --version in --root printed '$ver'"
