package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ps reads the process table from the FreeBSD sysctl kern.proc.proc
// (struct kinfo_proc, FreeBSD 11+ amd64 layout; nothing from /proc).
// Flags: -a -x -u -w -j (accepted), -p PID, -o pid,ppid,pgid,jid,uid,user,stat,comm,command.

type proc struct {
	pid, ppid, pgid, jid, uid int
	stat                      byte
	comm                      string
}

const kiSize = 1088

func procs() ([]proc, error) {
	// kern.proc.proc {CTL_KERN 1, KERN_PROC 14, KERN_PROC_PROC 8}: all
	// processes, one kinfo_proc each (no threads).
	buf, err := sysctlMib([]int32{1, 14, 8})
	if err != nil {
		return nil, err
	}
	var out []proc
	le := binary.LittleEndian
	for len(buf) >= kiSize {
		size := int(int32(le.Uint32(buf[0:])))
		if size < kiSize || size > len(buf) {
			size = kiSize
		}
		k := buf[:size]
		comm := k[447 : 447+20]
		if i := bytes.IndexByte(comm, 0); i >= 0 {
			comm = comm[:i]
		}
		out = append(out, proc{
			pid: int(int32(le.Uint32(k[72:]))), ppid: int(int32(le.Uint32(k[76:]))),
			pgid: int(int32(le.Uint32(k[80:]))), uid: int(le.Uint32(k[168:])),
			jid: int(int32(le.Uint32(k[592:]))), stat: k[388], comm: string(comm),
		})
		buf = buf[size:]
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pid < out[j].pid })
	return out, nil
}

// sysctlMib reads a sysctl by its numeric name (sized by a first call).
func sysctlMib(mib []int32) ([]byte, error) {
	for try := 0; try < 5; try++ {
		var n uintptr
		if _, _, e := unix.Syscall6(unix.SYS___SYSCTL, uintptr(unsafe.Pointer(&mib[0])), uintptr(len(mib)),
			0, uintptr(unsafe.Pointer(&n)), 0, 0); e != 0 {
			return nil, e
		}
		n += n / 4
		buf := make([]byte, n+1)
		_, _, e := unix.Syscall6(unix.SYS___SYSCTL, uintptr(unsafe.Pointer(&mib[0])), uintptr(len(mib)),
			uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)), 0, 0)
		if e == unix.ENOMEM {
			continue
		}
		if e != 0 {
			return nil, e
		}
		return buf[:n], nil
	}
	return nil, unix.ENOMEM
}

func ps(args []string) int {
	cols := []string{"pid", "tt", "stat", "time", "command"}
	var pids map[int]bool
	for i := 0; i < len(args); i++ {
		a := strings.TrimPrefix(args[i], "-")
		for j := 0; j < len(a); j++ {
			switch a[j] {
			case 'o', 'p':
				v := a[j+1:]
				if v == "" {
					if i+1 >= len(args) {
						return usage("ps [-ajuwx] [-o fmt] [-p pid]")
					}
					i++
					v = args[i]
				}
				if a[j] == 'o' {
					cols = strings.Split(strings.ReplaceAll(v, " ", ","), ",")
				} else {
					if pids == nil {
						pids = map[int]bool{}
					}
					for _, p := range strings.Split(v, ",") {
						n, _ := strconv.Atoi(p)
						pids[n] = true
					}
				}
				j = len(a)
			case 'a', 'x', 'w', 'u', 'j', 'A', 'e', 'f', 'l', 'H', 'c':
			default:
				warn("illegal option -- %c", a[j])
				return usage("ps [-ajuwx] [-o fmt] [-p pid]")
			}
		}
	}
	list, err := procs()
	if err != nil {
		// Without the sysctl, the only process known is this one.
		list = []proc{{pid: os.Getpid(), ppid: os.Getppid(), uid: os.Getuid(), stat: 2, comm: "ps"}}
	}
	head := map[string]string{"pid": "PID", "ppid": "PPID", "pgid": "PGID", "jid": "JID", "uid": "UID",
		"user": "USER", "stat": "STAT", "state": "STAT", "comm": "COMMAND", "command": "COMMAND",
		"args": "COMMAND", "tt": "TT", "time": "TIME", "ucomm": "UCOMM"}
	for i, c := range cols {
		c = strings.TrimSuffix(strings.SplitN(c, "=", 2)[0], "")
		cols[i] = c
		if _, ok := head[c]; !ok {
			warn("%s: keyword not found", c)
			return 1
		}
	}
	row := func(f func(c string) string) {
		var parts []string
		for i, c := range cols {
			v := f(c)
			switch {
			case i == len(cols)-1:
			case c == "pid" || c == "ppid" || c == "pgid" || c == "jid" || c == "uid":
				v = fmt.Sprintf("%5s", v)
			case c == "user":
				v = fmt.Sprintf("%-8s", v)
			case c == "stat" || c == "state":
				v = fmt.Sprintf("%-4s", v)
			case c == "time":
				v = fmt.Sprintf("%7s", v)
			}
			parts = append(parts, v)
		}
		fmt.Fprintln(stdout, strings.TrimRight(strings.Join(parts, " "), " "))
	}
	row(func(c string) string { return head[c] })
	for _, p := range list {
		if pids != nil && !pids[p.pid] {
			continue
		}
		row(func(c string) string {
			switch c {
			case "pid":
				return strconv.Itoa(p.pid)
			case "ppid":
				return strconv.Itoa(p.ppid)
			case "pgid":
				return strconv.Itoa(p.pgid)
			case "jid":
				return strconv.Itoa(p.jid)
			case "uid":
				return strconv.Itoa(p.uid)
			case "user":
				if n, ok := dbName("/etc/passwd", p.uid); ok {
					return n
				}
				return strconv.Itoa(p.uid)
			case "stat", "state":
				if int(p.stat) < len(" IRSTZWL") {
					return string(" IRSTZWL"[p.stat])
				}
				return "?"
			case "tt":
				return "-"
			case "time":
				return "0:00.00"
			}
			return p.comm
		})
	}
	return 0
}
