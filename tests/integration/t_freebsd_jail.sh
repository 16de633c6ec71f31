#!/bin/sh
# The FreeBSD jail tools of a FreeBSD root (LOCHS_FREEBSD_ROOT) against the
# translator's emulated jail table: jail -c creates a persistent jail, jls
# lists it in FreeBSD's layout, jexec runs inside it (security.jail.jailed 1,
# kern.hostname = host.hostname), jail -m updates it, jail -r removes it, and
# jail -c with a command runs it jailed and leaves no jail behind.
# (Membership of forked processes is checked at the end.)
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "FreeBSD binaries only"
R=${LOCHS_FREEBSD_ROOT:-}
[ -n "$R" ] || skip "LOCHS_FREEBSD_ROOT not set"
for b in usr/sbin/jail usr/sbin/jls usr/sbin/jexec sbin/sysctl bin/sh; do
	[ -x "$R/$b" ] || skip "no /$b in the FreeBSD root"
done
[ "$(id -u)" = 0 ] || skip "jail creation needs root"

# run SCRIPT: one translator tree (the jail table lives as long as it does)
run() { $RUN --root "$R" /bin/sh -c "$1" 2>&1; }
check() { # NAME GOT WANT
	[ "$2" = "$3" ] || fail "$1: got
$2
want
$3"
}

out=$(run 'sysctl -n security.jail.jailed
jail -c name=lochs path=/ host.hostname=lochs.jail ip4.addr=192.0.2.7 persist || echo "jail -c failed"
jls
jls -j lochs -h jid name host.hostname persist
jexec lochs /sbin/sysctl -n security.jail.jailed kern.hostname
jail -m name=lochs host.hostname=renamed
jexec lochs /bin/hostname
jail -r lochs || echo "jail -r failed"
jls -N
jail -c name=once path=/ host.hostname=once command=/sbin/sysctl -n security.jail.jailed kern.hostname
jls -h name')
want='0
   JID  IP Address      Hostname                      Path
     1  192.0.2.7       lochs.jail                    /
jid name host.hostname persist
1 lochs lochs.jail 1
1
lochs.jail
renamed
 JID             IP Address      Hostname                      Path
1
once
name'
check "jail/jls/jexec session" "$out" "$want"
echo "PASS: jail -c, jls, jexec, jail -m, jail -r"

# Membership follows the process tree: daemons started inside a jail (their
# parent gone) stay in it, ps inside sees only the jail, ps outside shows
# their jid, and jail -r kills every one of them.
# (Host processes named sleep may exist: only the jail's own pids count.)
out=$(run 'jail -c name=box path=/ persist
jexec box /bin/sh -c "/bin/sleep 300 >/dev/null 2>&1 & /bin/sh -c \"/bin/sleep 301 >/dev/null 2>&1 &\""
jexec box /bin/ps -ax -o comm= | sort
pids=$(jexec box /bin/ps -ax -o pid= -o comm= | awk "\$2 == \"sleep\" {print \$1}")
ps -ax -o jid= -o comm= | awk "\$1 == 1"
jail -r box
live() { for p in $pids; do ps -p $p -o stat= | grep -v Z; done; }
n=0
while [ -n "$(live)" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
echo left: $(live | wc -l)')
want='ps
sleep
sleep
1 sleep
1 sleep
left: 0'
check "jail process tree" "$out" "$want"
echo "PASS: jail membership of forked daemons, ps inside and outside, jail -r kills the tree"
