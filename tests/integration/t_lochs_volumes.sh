#!/bin/sh
# Volumes and the jail-filesystem commands through the lochs CLI, with the
# FreeBSD test image from a loopback release mirror: volume create/ls/
# inspect/rm/prune, data shared by two jails through one named volume, a
# new volume seeded from the image (/usr/local/www), an in-use volume kept,
# anonymous volumes and rm -v, an image's VOLUME (anonymous volumes made,
# kept by a compose recreate, removed by rm -v, run --rm, down -v); cp both ways (running and stopped jails, a
# symlink aiming at the host's /etc/passwd stays in the jail), diff A/C/D,
# rename, events of a jail's lifecycle (exec, stop, kill too) and of images,
# info, system prune.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
H=
at_exit() {
	[ -n "${EVPID:-}" ] && kill "$EVPID" 2>/dev/null
	[ -z "$H" ] || rm -rf "$H"
}
jail_test vol
H=$(mktemp -d /tmp/lochs-vol-host.XXXXXX)
wait_running() {
	n=0
	until L ps | grep -q " $1\$"; do
		n=$((n + 1)); [ $n -lt 100 ] || fail "$1 not running: $(L ps -a)"; sleep 0.1
	done
}

start=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# volume create / ls / inspect.
[ "$(L volume create --label team=web data)" = data ] || fail "volume create"
gen=$(L volume create) || fail "volume create without a name"
echo "$gen" | grep -Eq '^[0-9a-f]{64}$' || fail "generated name: $gen"
expect 125 "bad name" L volume create 'bad/name'
echo "$out" | grep -q "invalid volume name" || fail "bad name message: $out"
L volume ls | grep -Eq '^local +data$' || fail "volume ls: $(L volume ls)"
[ "$(L volume ls -q | sort)" = "$(printf '%s\n' "$gen" data | sort)" ] || fail "volume ls -q: $(L volume ls -q)"
L volume ls --format json | grep '"Name":"data"' | grep -q '"Driver":"local"' || fail "ls json: $(L volume ls --format json)"
L volume inspect data > "$H/insp" || fail "volume inspect"
grep -q "\"Mountpoint\": \"$S/volumes/data/_data\"" "$H/insp" || fail "inspect Mountpoint: $(cat "$H/insp")"
grep -q '"team": "web"' "$H/insp" || fail "inspect Labels: $(cat "$H/insp")"
grep -q '"CreatedAt": "20' "$H/insp" || fail "inspect CreatedAt: $(cat "$H/insp")"
expect 125 "inspect missing" L volume inspect nosuch
expect 0 "volume rm" L volume rm "$gen"
expect 125 "rm missing" L volume rm nosuch
expect 0 "rm -f missing" L volume rm -f nosuch

# One jail writes, another reads, through the same named volume.
L run --rm -v data:/data freebsd:14.3 /bin/sh -c 'echo shared > /data/f' || fail "write to volume"
[ "$(cat "$S/volumes/data/_data/f")" = shared ] || fail "volume data on the host"
expect 0 "read volume" L run --rm -v data:/data freebsd:14.3 /bin/cat /data/f
[ "$out" = shared ] || fail "second jail read: $out"

# A new volume at an image path is seeded from the image; an in-use one stays.
expect 0 "seeded" L run --name seeder -v www:/usr/local/www freebsd:14.3 /bin/cat /usr/local/www/index.html
img=$(cat "$S"/layers/*/root/usr/local/www/index.html)
[ "$out" = "$img" ] || fail "seeded content: $out"
[ "$(cat "$S/volumes/www/_data/index.html")" = "$img" ] || fail "seed on the host"
[ "$(stat -c %a "$S/volumes/www/_data/index.html")" = 644 ] || fail "seed mode"
expect 125 "rm in-use volume" L volume rm www
echo "$out" | grep -q "in use" || fail "in-use message: $out"
expect 125 "rm -f in-use volume" L volume rm -f www
L rm seeder >/dev/null || fail "rm seeder"
L volume rm www >/dev/null || fail "rm www after its jail"

# Anonymous volumes: -v /PATH; rm -v removes them, named ones stay.
L run --name anon -v /scratch -v data:/data freebsd:14.3 /bin/sh -c 'echo x > /scratch/y' || fail "anonymous run"
[ "$(L volume ls -q | wc -l)" = 2 ] || fail "anonymous volume not listed: $(L volume ls)"
L rm -v anon >/dev/null || fail "rm -v"
[ "$(L volume ls -q)" = data ] || fail "rm -v left: $(L volume ls -q)"
# volume prune: unused volumes go, one a jail uses stays.
L volume create spare >/dev/null || fail "volume create spare"
L create --name holder -v data:/data freebsd:14.3 true >/dev/null || fail "create holder"
L volume prune -f >/dev/null || fail "volume prune"
[ "$(L volume ls -q)" = data ] || fail "volume prune left or removed: $(L volume ls -q)"
L rm holder >/dev/null

# cp into and out of a stopped jail; symlinks resolve inside the jail.
L create --name cpj freebsd:14.3 /bin/sh -c 'cat /in.txt; cat /etc/copied/a' >/dev/null || fail "create cpj"
echo "from host" > "$H/in.txt"
mkdir -p "$H/dir/sub" && echo A > "$H/dir/a" && echo B > "$H/dir/sub/b"
L cp "$H/in.txt" cpj:/in.txt || fail "cp in (file)"
L cp "$H/dir" cpj:/etc/copied || fail "cp in (dir)"
L cp "$H/dir/." cpj:/root || fail "cp in (contents)"
expect 0 "jail sees copies" L start -a cpj
echo "$out" | grep -q "from host" || fail "cp in not seen: $out"
echo "$out" | grep -q "^A" || fail "cp dir not seen: $out"
L cp cpj:/etc/copied/sub/b "$H/b.out" && [ "$(cat "$H/b.out")" = B ] || fail "cp out (file)"
L cp cpj:/etc "$H/" && [ -f "$H/etc/passwd" ] && [ -f "$H/etc/copied/a" ] || fail "cp out (dir into dir)"
[ "$(stat -c %u "$H/etc/copied/a")" = 0 ] || fail "owner of copied-in file"
echo "jail-passwd-marker" > "$H/passwd"
L cp "$H/passwd" cpj:/root/passwd || fail "cp marker in"
ln -s /root/passwd "$H/link" && ln -s /root "$H/dirlink" && ln -s ../../../../../../etc "$H/uplink"
L cp "$H/link" cpj:/link && L cp "$H/dirlink" cpj:/dirlink && L cp "$H/uplink" cpj:/uplink || fail "cp symlinks in"
L cp -L cpj:/link "$H/l1" && [ "$(cat "$H/l1")" = jail-passwd-marker ] || fail "cp -L link: $(cat "$H/l1")"
L cp cpj:/dirlink/passwd "$H/l2" && [ "$(cat "$H/l2")" = jail-passwd-marker ] || fail "cp via dir link"
L cp cpj:/uplink/passwd "$H/l3" && cmp -s "$H/l3" "$H/etc/passwd" || fail "cp via ../ link escaped: $(head -c 80 "$H/l3")"
cmp -s "$H/l3" /etc/passwd && fail "cp read the host's /etc/passwd"
L cp cpj:/link "$H/l4" && [ -L "$H/l4" ] || fail "cp without -L copies the link itself"
L cp "$H/in.txt" cpj:/uplink/escaped.txt || fail "cp in via ../ link"
[ -e /etc/escaped.txt ] && { rm -f /etc/escaped.txt; fail "cp in escaped to the host"; }
d=$(ls -d "$S"/jails/*/upper/etc/escaped.txt) || fail "cp in via link: not in the jail's /etc"
expect 125 "cp missing" L cp cpj:/no/such "$H/x"

# diff: added, changed, deleted (not /etc/hosts: Lochs binds it, as Docker does).
L run --name dj freebsd:14.3 /bin/sh -c 'echo new > /etc/added; echo more >> /etc/motd; rm /etc/shells' || fail "diff run"
L diff dj > "$H/diff" || fail "diff"
sed "s/^/diff: /" "$H/diff"
grep -qx 'A /etc/added' "$H/diff" || fail "diff A: $(cat "$H/diff")"
grep -qx 'C /etc/motd' "$H/diff" || fail "diff C: $(cat "$H/diff")"
grep -qx 'C /etc' "$H/diff" || fail "diff C dir: $(cat "$H/diff")"
grep -qx 'D /etc/shells' "$H/diff" || fail "diff D: $(cat "$H/diff")"
L cp dj:/etc/shells "$H/h" 2>/dev/null && fail "cp of a deleted (whiteout) file"

# cp into a running jail, rename keeps it running.
L run -d --name runner freebsd:14.3 /bin/sh -c 'while true; do sleep 1; done' >/dev/null || fail "run -d"
wait_running runner
L cp "$H/in.txt" runner:/tmp/live.txt || fail "cp into running jail"
L cp runner:/tmp/live.txt "$H/live" && [ "$(cat "$H/live")" = "from host" ] || fail "cp out of running jail"
L rename runner runner2 || fail "rename"
wait_running runner2
expect 125 "rename to a used name" L rename runner2 dj
echo "$out" | grep -q "already in use" || fail "rename conflict: $out"
L inspect runner2 | grep -q '"Running": true' || fail "renamed jail stopped"

# events: a jail's lifecycle.
L run --name ev freebsd:14.3 /bin/true || fail "ev run"
L rm ev >/dev/null || fail "rm ev"
L events --since "$start" --until "$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)" --filter type=jail > "$H/ev" || fail "events"
for a in create start die destroy; do
	grep -q "jail $a [0-9a-f]\{64\}.*name=ev" "$H/ev" || fail "events: no $a: $(cat "$H/ev")"
done
grep -q "volume" "$H/ev" && fail "events filter type=jail: $(cat "$H/ev")"
L events --since 10m --until 0s --format json | grep -q '"Action":"rename"' || fail "events json"
L events --filter event=destroy > "$H/evf" & EVPID=$!
sleep 0.5; L run --rm freebsd:14.3 /bin/true
n=0; until [ "$(grep -c destroy "$H/evf")" -ge 2 ]; do n=$((n + 1)); [ $n -lt 50 ] || fail "events follow: $(cat "$H/evf")"; sleep 0.1; done
kill "$EVPID"; EVPID=
# Docker's other jail events, in Docker's order: exec_create/exec_start/
# exec_die (its exit code), stop = kill (15) die stop, kill = kill (9) die.
L run -d --name evs freebsd:14.3 /bin/sh -c 'while true; do sleep 1; done' >/dev/null || fail "run evs"
wait_running evs
expect 3 "exec evs" L exec evs /bin/sh -c 'exit 3'
L stop -t 5 evs >/dev/null && L start evs >/dev/null && L kill evs >/dev/null || fail "stop/start/kill evs"
L wait evs >/dev/null
evacts() { L events --since "$start" --until 0s --filter jail=evs | sed 's/^[^ ]* jail //; s/ [0-9a-f]\{64\} (/ (/'; }
evacts >"$H/evs"
sed 's/^/evs: /' "$H/evs"
grep -q '^exec_create: /bin/sh -c exit 3 (execID=[0-9a-f]\{64\}, ' "$H/evs" || fail "no exec_create: $(cat "$H/evs")"
grep -q '^exec_start: /bin/sh -c exit 3 (execID=' "$H/evs" || fail "no exec_start: $(cat "$H/evs")"
grep -q '^exec_die (execID=[0-9a-f]\{64\}, exitCode=3, ' "$H/evs" || fail "no exec_die with exitCode 3: $(cat "$H/evs")"
seq=$(sed -n 's/^\(kill\|die\|stop\|start\) .*signal=\([0-9]*\).*/\1\2/p; s/^\(die\|stop\|start\) .*/\1/p' "$H/evs" | tr '\n' ' ')
case $seq in *"kill15 die stop start kill9 die "*) ;; *) fail "stop/kill events: $seq" ;; esac
L rm evs >/dev/null
# Image events: pull (by jail_test), tag, untag, delete, save, load, import.
mkdir -p "$H/imp/etc" && echo imported >"$H/imp/etc/motd" && tar -C "$H/imp" -cf "$H/imp.tar" . || fail "imp.tar"
L tag freebsd:14.3 evimg:1 && L rmi evimg:1 >/dev/null || fail "tag/rmi"
L save -o "$H/save.tar" freebsd:14.3 && L load -i "$H/save.tar" >/dev/null || fail "save/load"
impid=$(L import "$H/imp.tar" evimp:1) && L rmi evimp:1 >/dev/null || fail "import/rmi"
L events --since 1h --until 0s --filter type=image >"$H/evi" || fail "events type=image"
sed 's/^/image event: /' "$H/evi"
for a in "pull sha256:[0-9a-f]\{64\} (name=freebsd:14.3)" "tag sha256:[0-9a-f]\{64\} (name=evimg:1)" \
	"untag sha256:[0-9a-f]\{64\} (name=evimg:1)" "save sha256:[0-9a-f]\{64\} (name=freebsd:14.3)" \
	"load sha256:[0-9a-f]\{64\} (name=freebsd:14.3)" "import $impid (name=evimp:1)" "untag $impid (name=evimp:1)" \
	"delete $impid (name=$impid)"; do
	grep -q " image $a\$" "$H/evi" || fail "no image event '$a': $(cat "$H/evi")"
done
grep " image delete " "$H/evi" | grep -v "$impid" && fail "rmi of a tag of a kept image deleted it"
grep -qv " image " "$H/evi" && fail "events --filter type=image: other types: $(cat "$H/evi")"
[ "$(L events --since 1h --until 0s --filter image=evimg:1 | wc -l)" = 2 ] || fail "events --filter image=evimg:1"

# An image's VOLUME (Docker): each run gets an anonymous volume there,
# seeded with the image's files and written by the jail (not its layer).
mkdir -p "$H/vimg" && echo from-image > "$H/vimg/img.txt"
printf '%s\n' 'FROM freebsd:14.3' 'COPY img.txt /data/img.txt' 'VOLUME /data' > "$H/vimg/Lochfile"
L build -q -t volimg "$H/vimg" >/dev/null || fail "build volimg"
anons() { L volume ls -q | grep -vx data; }
expect 0 "run with VOLUME" L run --name va volimg /bin/sh -c 'cat /data/img.txt; echo written > /data/new.txt'
[ "$out" = from-image ] || fail "image's file not in the volume: $out"
anon=$(anons)
echo "$anon" | grep -Eqx '[0-9a-f]{64}' || fail "no anonymous volume for VOLUME /data: $(L volume ls -q)"
[ "$(cat "$S/volumes/$anon/_data/img.txt")" = from-image ] || fail "anonymous volume not seeded"
[ "$(cat "$S/volumes/$anon/_data/new.txt")" = written ] || fail "write to /data not in the volume"
ls "$S"/jails/*/upper/data/new.txt 2>/dev/null && fail "write to /data went to the jail's layer"
L volume inspect "$anon" | grep -q '"com.docker.volume.anonymous": ""' || fail "anonymous label: $(L volume inspect "$anon")"
L inspect va | jq -e --arg n "$anon" '.[0].Mounts == [{"Type": "volume", "Name": $n, "Source": "'"$S/volumes/"'\($n)/_data",
	"Destination": "/data", "Driver": "local", "Mode": "", "RW": true, "Propagation": ""}]' >/dev/null ||
	fail "inspect Mounts: $(L inspect va | jq -c '.[0].Mounts')"
expect 125 "rm of an anonymous volume in use" L volume rm "$anon"
echo "$out" | grep -q "in use by jail va" || fail "in-use message: $out"
expect 0 "start again" L start -a va
[ -z "$(anons | grep -vx "$anon")" ] || fail "a restart made another volume: $(L volume ls -q)"
L rm -v va >/dev/null || fail "rm -v va"
[ -z "$(anons)" ] || fail "rm -v left the anonymous volume: $(L volume ls -q)"
# rm without -v leaves it (unused: volume prune takes it); run --rm takes it.
L run --name vb volimg /bin/true && L rm vb >/dev/null || fail "run/rm vb"
anon=$(anons)
[ -n "$anon" ] && [ -d "$S/volumes/$anon/_data" ] || fail "rm without -v removed the anonymous volume"
L create --name keep -v data:/data freebsd:14.3 true >/dev/null || fail "create keep" # data is not pruned
L volume prune -f >/dev/null && [ -z "$(anons)" ] || fail "prune left: $(L volume ls -q)"
L rm keep >/dev/null
expect 0 "run --rm with VOLUME" L run --rm volimg /bin/sh -c 'echo x > /data/x'
[ -z "$(anons)" ] || fail "run --rm left its anonymous volume: $(L volume ls -q)"
# A named volume (or a tmpfs) at the path covers it: no anonymous volume.
expect 0 "named over VOLUME" L run --rm -v cover:/data volimg /bin/cat /data/img.txt
[ "$out" = from-image ] || fail "named volume at VOLUME path not seeded: $out"
expect 0 "tmpfs over VOLUME" L run --rm --tmpfs /data volimg /bin/ls /data
[ -z "$out" ] || fail "tmpfs at the VOLUME path: $out"
[ "$(L volume ls -q | sort | tr '\n' ' ')" = "cover data " ] || fail "covered path got a volume: $(L volume ls -q)"
L volume rm cover >/dev/null || fail "rm cover"

# Compose: a recreated jail keeps its anonymous volumes (its data), up -V
# renews them, down -v removes them.
mkdir -p "$H/pv"
svc() { printf 'services:\n  app:\n    image: volimg\n    command: [/bin/sleep, "300"]\n    environment: [MARK=%s]\n' "$1" > "$H/pv/lochs.yml"; }
C() { L compose -f "$H/pv/lochs.yml" -p pv "$@"; }
svc one
C up -d >/dev/null || fail "compose up"
a1=$(anons)
echo "$a1" | grep -Eqx '[0-9a-f]{64}' || fail "compose: no anonymous volume: $(L volume ls -q)"
L exec pv-app-1 /bin/sh -c 'echo kept > /data/kept' || fail "exec write"
id1=$(L inspect pv-app-1 | jq -r '.[0].Id')
svc two
C up -d >/dev/null || fail "compose up (changed)"
[ "$(L inspect pv-app-1 | jq -r '.[0].Id')" != "$id1" ] || fail "not recreated"
[ "$(anons)" = "$a1" ] || fail "recreate did not keep the anonymous volume: $a1 -> $(anons)"
expect 0 "data after recreate" L exec pv-app-1 /bin/cat /data/kept
[ "$out" = kept ] || fail "data lost on recreate: $out"
C up -d -V --force-recreate >/dev/null || fail "compose up -V"
a2=$(L inspect pv-app-1 | jq -r '.[0].Mounts[0].Name')
[ "$a2" != "$a1" ] && echo "$a2" | grep -Eqx '[0-9a-f]{64}' || fail "up -V kept the volume: $a2"
L exec pv-app-1 /bin/test -e /data/kept && fail "up -V: old data in the new volume"
C down -v >/dev/null || fail "compose down -v"
[ "$(anons)" = "$a1" ] || fail "down -v left or took: $(L volume ls -q) (the one -V replaced stays, unused)"
L volume rm "$a1" >/dev/null || fail "rm the replaced volume"
L rmi volimg >/dev/null || fail "rmi volimg"

# info: counts.
L info > "$H/info" || fail "info"
grep -qx ' Running: 1' "$H/info" || fail "info running: $(cat "$H/info")"
grep -qx ' Stopped: 2' "$H/info" || fail "info stopped: $(cat "$H/info")"
grep -qx 'Volumes: 1' "$H/info" || fail "info volumes: $(cat "$H/info")"
grep -qx 'Images: 1' "$H/info" || fail "info images: $(cat "$H/info")"
grep -qx 'Storage Driver: overlay' "$H/info" || fail "info driver"
grep -Eq '^Cgroup Version: [12]$' "$H/info" || fail "info cgroup"

# system prune: stopped jails and (with --volumes) unused volumes go.
L volume create spare >/dev/null
L system prune -f --volumes > "$H/prune" || fail "system prune"
grep -q "Total reclaimed space" "$H/prune" || fail "prune output: $(cat "$H/prune")"
[ "$(L ps -aq | wc -l)" = 1 ] || fail "prune left jails: $(L ps -a)"
L ps | grep -q ' runner2$' || fail "prune removed the running jail"
[ -z "$(L volume ls -q)" ] || fail "prune left volumes: $(L volume ls)"
L images | grep -q freebsd || fail "prune removed a tagged image without -a"
echo "volumes: ok"
