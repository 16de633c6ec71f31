# Sourced by every t_*.sh. Sets ROOT (repo root, made the cwd), RUN (the
# command prefix that runs a FreeBSD binary) and GOOS_SEL (which corpus
# binaries to use). LOCHS_NATIVE=1 runs the Linux peers with an empty RUN,
# which validates the tests themselves without the translator.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
NPM=$ROOT/build/corpus/npm

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# A missing corpus file means the corpus step failed; run.sh reports that once.
need() { for f in "$@"; do [ -e "$f" ] || skip "corpus missing: ${f#"$ROOT"/}"; done; }

if [ "${LOCHS_NATIVE:-0}" = 1 ]; then
	RUN= GOOS_SEL=linux
else
	RUN=${BSDULATOR:-build/bin/bsdulator}
	# Tests change directory, so a relative translator path must become absolute.
	case $RUN in /*) ;; *) RUN=$ROOT/$RUN ;; esac
	[ -x "${RUN%% *}" ] || fail "translator not found: ${RUN%% *} (run make, or set BSDULATOR)"
	GOOS_SEL=freebsd
fi
# pick FREEBSD_PATH LINUX_PATH: the binary this mode runs.
pick() { if [ "$GOOS_SEL" = linux ]; then echo "$2"; else echo "$1"; fi; }
