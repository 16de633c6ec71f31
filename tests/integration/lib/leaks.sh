# Leak check between integration tests (sourced by run.sh; root only, as
# only root tests make these). leak_snapshot records what Lochs-made host
# objects exist; leak_check, after the test, names every one the test added
# and left behind: interfaces and nftables tables named lochs*, mounts and
# lochs-monitor processes of /tmp/lochs-* state roots, jail cgroups. Then it
# removes them, so one leaking test does not fail the tests after it.
# It compares the whole host, so it stands down while another run.sh is
# running (that one's tests would be blamed and their objects removed);
# LOCHS_LEAK_CHECK=0 turns it off.
leak_list() {
	ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2) } $2 ~ /^lochs/ { print "link " $2 }'
	nft list tables 2>/dev/null | awk '$3 ~ /^lochs/ { print "nft " $2 " " $3 }'
	awk '$5 ~ "^/tmp/lochs-" { print "mount " $5 }' /proc/self/mountinfo
	pgrep -f '^lochs-monitor /tmp/lochs-' | sed 's/^/monitor /'
	for d in /sys/fs/cgroup/*/lochs /sys/fs/cgroup/lochs; do
		for c in "$d"/*/; do [ -f "$c/cgroup.procs" ] && echo "cgroup ${c%/}"; done
	done 2>/dev/null
}
# Every run.sh holds a shared lock for its whole run; the check is on only
# while this one could take it alone.
exec 9>>/tmp/lochs-integration.lock
flock -s 9
leak_on() {
	[ "${LOCHS_LEAK_CHECK:-1}" = 1 ] && [ "$(id -u)" = 0 ] &&
		flock -x -n 9 && flock -s 9
}
leak_snapshot() {
	leak_on || return 0
	leak_list | sort >"$1"
}
# leak_check BEFORE: prints the leaked objects (nothing when clean) and
# removes them: processes first (by the pid just listed), then mounts,
# cgroups, interfaces, tables.
leak_check() {
	leak_on || return 0
	# Teardown that ends just after the test (a monitor reaped, a cgroup
	# emptied) gets two seconds before it counts.
	for _ in 1 2 3 4 5 6 7 8; do
		leaked=$(leak_list | sort | comm -13 "$1" -)
		[ -n "$leaked" ] || return 0
		sleep 0.25
	done
	echo "$leaked" | tr '\n' ';' | sed 's/;$//; s/;/; /g'
	echo "$leaked" | while read -r kind a b; do
		case $kind in
		monitor) kill -9 "$a" 2>/dev/null ;;
		cgroup) xargs -r kill -9 <"$a/cgroup.procs" 2>/dev/null ;;
		esac
	done
	sleep 0.2
	echo "$leaked" | sort -r -k2 | while read -r kind a b; do
		case $kind in
		mount) umount -l "$a" 2>/dev/null ;;
		cgroup) rmdir "$a" 2>/dev/null ;;
		link) ip link del "$a" 2>/dev/null ;;
		nft) nft delete table "$a" "$b" 2>/dev/null ;;
		esac
	done
	return 0
}
