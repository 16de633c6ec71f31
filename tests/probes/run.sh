#!/bin/sh
# FreeBSD ABI probes: builds tests/probes/*.c into build/probes/ (only when a
# source is newer), runs each under the translator, prints PASS/FAIL per run
# and closes with "N passed, N failed".
# BSDULATOR overrides the translator (default build/bin/bsdulator).
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
BSDULATOR=${BSDULATOR:-build/bin/bsdulator}
out=$top/build/probes
passed=0
failed=0
ulimit -c 0 # SIGABRT/SIGSEGV probes must not leave core files behind
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lochs-probes.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 1' INT TERM

# thread.c includes umtx/uthr.h: rebuild it when that changes.
[ tests/probes/umtx/uthr.h -nt "$out/thread" ] && rm -f "$out/thread"
for src in tests/probes/*.c; do
	name=$(basename "$src" .c)
	sh tests/probes/build.sh "$out/$name" "$src" ||
		echo "build of $name failed" >&2
done

# run LABEL WANT BIN ARGS...: PASS if the exit status is WANT and, for WANT 0,
# the probe reached its closing "# done: N checks, 0 failed" line.
run() {
	label=$1 want=$2 bin=$out/$3
	shift 3
	why=
	if [ ! -x "$BSDULATOR" ]; then
		why="no translator at $BSDULATOR"
	elif [ ! -x "$bin" ]; then
		why="probe not built"
	else
		# shellcheck disable=SC2086 # RUN_WRAP: an optional command prefix, split
		timeout 60 ${RUN_WRAP:-} "$BSDULATOR" -- "$bin" "$@" </dev/null >"$scratch/log" 2>&1
		rc=$?
		if [ "$rc" -ne "$want" ]; then
			why="exit status $rc, want $want"
			[ "$rc" -eq 124 ] && why="timed out after 60 s"
		elif [ "$want" -eq 0 ] && ! grep -q '^# done: [0-9]* checks, 0 failed$' "$scratch/log"; then
			why="no closing '# done' line"
		fi
	fi
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "PASS $label"
	else
		failed=$((failed + 1))
		echo "FAIL $label: $why"
		[ -f "$scratch/log" ] && sed 's/^/    /' "$scratch/log"
	fi
	rm -f "$scratch/log"
}

PROBE_ENV=lochs run startup 0 startup alpha "beta gamma"

mkdir "$scratch/errno"
run errno 0 errno "$scratch/errno"

# stat: a file with known size, mode, 2 links and nanosecond mtime, plus a
# symlink and a directory; expected values come from GNU stat.
d=$scratch/stat
mkdir -p "$d/d"
printf 'hello, stat probe\n' >"$d/f"
chmod 0640 "$d/f"
ln "$d/f" "$d/f2"
ln -s f "$d/l"
touch -d @1700000000.123456789 "$d/f"
mt=$(stat -c %.9Y "$d/f")
# shellcheck disable=SC2046
set -- $(stat -c '%s %f %h %i %u %g %o %b' "$d/f")
run stat 0 stat "$d" "$1" "0x$2" "$3" "$4" "$5" "$6" "${mt%.*}" "${mt#*.}" "$7" "$8"

run sigframe 0 sigframe
run fault 0 fault
run fork 0 fork
run sched 0 sched
mkdir "$scratch/mman"
run mman 0 mman "$scratch/mman"
run thread 0 thread
run procthr 0 procthr
# procinfo: ids, umask and the nice value the probe runs with (nice -n -5 if
# this shell may lower it, as root can), then the soft and hard NOFILE, NPROC,
# MEMLOCK and AS limits of this shell, which the probe inherits, and its session.
lim() { awk -v k="$1" 'index($0, k) == 1 { split(substr($0, 27), f, " "); print f[1], f[2] }' /proc/$$/limits; }
RUN_WRAP="nice -n -5"
# shellcheck disable=SC2046
run procinfo 0 procinfo $(id -ru) $(id -u) $(id -rg) $(id -g) $(umask) "$(nice -n -5 nice 2>/dev/null)" \
	$(lim 'Max open files') $(lim 'Max processes') $(lim 'Max locked memory') $(lim 'Max address space') \
	"$(cut -d' ' -f6 /proc/$$/stat)"
RUN_WRAP=
# groups: this shell's egid and supplementary groups, which the probe inherits.
# shellcheck disable=SC2046
run groups 0 groups $(id -g) $(sed -n 's/^Groups:\t*//p' /proc/$$/status)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	RUN_WRAP="setpriv --groups 3,4 --"
	run "groups 3,4" 0 groups "$(id -g)" 3 4
	RUN_WRAP=
fi

run fbsd15 0 fbsd15
run "exitsig exit" 42 exitsig exit
run "exitsig abort" 134 exitsig abort
run "exitsig segv" 139 exitsig segv
run "exitsig usr1" 138 exitsig usr1
run "exitsig overflow" 132 exitsig overflow
run kqueue 0 kqueue
run kqwake 0 kqwake
run kqsockerr 0 kqsockerr
run connintr 0 connintr
mkdir "$scratch/socket"
run socket 0 socket "$scratch/socket"
run poll 0 poll
run time 0 time
run sysctl 0 sysctl 14.3-RELEASE 1403000
BSDULATOR_OSRELEASE=13.5-RELEASE run "sysctl 13.5" 0 sysctl 13.5-RELEASE 1305000

# ifnet: interface ioctls on the loopback every namespace has; with "add",
# in a fresh network namespace (root), SIOCAIFADDR 10.99.0.1/24 to lo0, which
# Linux's ip(8) must then show on lo.
run ifnet 0 ifnet
if unshare -n true 2>/dev/null && command -v ip >/dev/null; then
	cat >"$scratch/netns.sh" <<'EOF'
ip link set lo up || exit 1
"$@" || exit
ip -4 addr show lo | grep -q 'inet 10\.99\.0\.1/24 ' || { echo "not ok - ip addr show lo: no 10.99.0.1/24"; exit 1; }
EOF
	RUN_WRAP="unshare -n sh $scratch/netns.sh"
	run "ifnet netns" 0 ifnet add
	# rtsock: routing-socket messages for address, link and route changes
	# made in a fresh namespace, routes of both families, ip forwarding
	# flipped (Linux must then show the flip).
	# A link comes and goes (a veth pair) when the probe writes to a fifo.
	cat >"$scratch/rtsock.sh" <<'EOF'
ip link set lo up || exit 1
was=$(cat /proc/sys/net/ipv4/ip_forward)
fifo=$(mktemp -u "${TMPDIR:-/tmp}/rtsock.XXXXXX") && mkfifo "$fifo" || exit 1
(read -r x <"$fifo"; [ -n "$x" ] && ip link add rtv0 type veth peer name rtv1 && ip link del rtv0) &
bg=$!
"$@" "$was" "$fifo"
rc=$?
kill "$bg" 2>/dev/null # still waiting if the probe stopped early
wait
rm -f "$fifo"
[ "$rc" = 0 ] || exit "$rc"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" != "$was" ] || { echo "not ok - ip_forward still $was"; exit 1; }
EOF
	RUN_WRAP="unshare -n sh $scratch/rtsock.sh"
	run "rtsock netns" 0 rtsock
	# fnetlink: FreeBSD's own netlink (FreeBSD 14's ifconfig/route/netstat)
	# in a fresh namespace: lo up and a veth pair fnv0/fnv1 up.
	cat >"$scratch/fnetlink.sh" <<'EOF'
ip link set lo up && ip link add fnv0 type veth peer name fnv1 &&
	ip link set fnv0 up && ip link set fnv1 up || exit 1
exec "$@"
EOF
	RUN_WRAP="unshare -n sh $scratch/fnetlink.sh"
	run "fnetlink netns" 0 fnetlink
	RUN_WRAP=
fi

# jail: jail_set/jail_get/jail_remove/jail_attach and old jail(2) (as root;
# EPERM otherwise), cap_*, kenv, utrace, getloginclass, rctl_*, pdkill/pdgetpid
run jail 0 jail

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
