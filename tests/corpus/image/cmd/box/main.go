// lochsbox: the small utilities of the Lochs test image as one multi-call
// FreeBSD binary (busybox style): the program's name (argv[0], through the
// links under /bin and /usr/bin) picks the tool, or `lochsbox TOOL ARG...`.
// Each tool covers the common flags of its FreeBSD namesake.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

var tools = map[string]func([]string) int{
	"true": func([]string) int { return 0 }, "false": func([]string) int { return 1 },
	"echo": echo, "cat": cat, "ls": ls, "mkdir": mkdir, "rm": rm, "sleep": sleep,
	"hostname": hostname, "id": id, "env": env, "pwd": pwd, "ps": ps, "uname": uname,
	"touch": touch, "wc": wc, "head": head, "kill": kill, "printenv": printenv,
	"yes": yes, "seq": seq, "nologin": nologin, "grep": grep, "ifaddrs": ifaddrs, "ping": ping,
	"trapsig": trapsig,
}

// Names lists the tools (the image build links each one to the binary).
func names() []string {
	var n []string
	for k := range tools {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

var prog string
var stdout = bufio.NewWriterSize(os.Stdout, 32<<10)

func main() {
	prog = filepath.Base(os.Args[0])
	args := os.Args[1:]
	if _, ok := tools[prog]; !ok {
		if len(args) == 0 || args[0] == "--list" {
			fmt.Println(strings.Join(names(), "\n"))
			os.Exit(0)
		}
		prog, args = args[0], args[1:]
	}
	f, ok := tools[prog]
	if !ok {
		fmt.Fprintf(os.Stderr, "lochsbox: %s: no such tool\n", prog)
		os.Exit(127)
	}
	rc := f(args)
	if err := stdout.Flush(); err != nil && rc == 0 {
		rc = 1
	}
	os.Exit(rc)
}

func warn(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, prog+": "+format+"\n", a...)
}

func usage(u string) int {
	stdout.Flush()
	fmt.Fprintf(os.Stderr, "usage: %s\n", u)
	return 1
}

// errText is the C library's message for an error (as FreeBSD tools print).
func errText(err error) string {
	switch e := err.(type) {
	case *os.PathError:
		err = e.Err
	case *os.LinkError:
		err = e.Err
	case *os.SyscallError:
		err = e.Err
	}
	if en, ok := err.(syscall.Errno); ok {
		s := en.Error()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return err.Error()
}

// flags parses clustered single-letter options; letters in withArg take a
// value. Returns the set flags, option values and operands; bad is the first
// unknown letter (0 if none).
func flags(args []string, known, withArg string) (set map[byte]bool, val map[byte]string, rest []string, bad byte) {
	set, val = map[byte]bool{}, map[byte]string{}
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			args = args[1:]
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		args = args[1:]
		for i := 1; i < len(a); i++ {
			c := a[i]
			if strings.IndexByte(withArg, c) >= 0 {
				v := a[i+1:]
				if v == "" {
					if len(args) == 0 {
						return set, val, nil, c
					}
					v, args = args[0], args[1:]
				}
				set[c], val[c] = true, v
				break
			}
			if strings.IndexByte(known, c) < 0 {
				return set, val, nil, c
			}
			set[c] = true
		}
	}
	return set, val, args, 0
}

func echo(args []string) int {
	nl := true
	if len(args) > 0 && args[0] == "-n" {
		nl, args = false, args[1:]
	}
	s := strings.Join(args, " ")
	if strings.HasSuffix(s, `\c`) {
		s, nl = s[:len(s)-2], false
	}
	stdout.WriteString(s)
	if nl {
		stdout.WriteByte('\n')
	}
	return 0
}

func cat(args []string) int {
	set, _, files, bad := flags(args, "nu", "")
	if bad != 0 {
		return usage("cat [-nu] [file ...]")
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	rc, line := 0, 0
	for _, name := range files {
		var r io.Reader = os.Stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				warn("%s: %s", name, errText(err))
				rc = 1
				continue
			}
			defer f.Close()
			r = f
		}
		if set['n'] {
			br := bufio.NewReader(r)
			for {
				l, err := br.ReadString('\n')
				if l != "" {
					line++
					fmt.Fprintf(stdout, "%6d\t%s", line, l)
				}
				if err != nil {
					break
				}
			}
		} else if _, err := io.Copy(stdout, r); err != nil {
			warn("%s: %s", name, errText(err))
			rc = 1
		}
		if set['u'] {
			stdout.Flush()
		}
	}
	return rc
}

func mkdir(args []string) int {
	set, val, dirs, bad := flags(args, "pv", "m")
	if bad != 0 || len(dirs) == 0 {
		return usage("mkdir [-pv] [-m mode] directory_name ...")
	}
	mode := os.FileMode(0777)
	if set['m'] {
		m, err := strconv.ParseUint(val['m'], 8, 32)
		if err != nil {
			warn("invalid file mode: %s", val['m'])
			return 1
		}
		mode = os.FileMode(m)
	}
	rc := 0
	for _, d := range dirs {
		var err error
		if set['p'] {
			err = os.MkdirAll(d, mode)
		} else {
			err = os.Mkdir(d, mode)
		}
		if err == nil && set['m'] {
			err = os.Chmod(d, mode)
		}
		if err != nil {
			warn("%s: %s", d, errText(err))
			rc = 1
		} else if set['v'] {
			fmt.Fprintln(stdout, d)
		}
	}
	return rc
}

func rm(args []string) int {
	set, _, files, bad := flags(args, "dfiRrv", "")
	if bad != 0 || (len(files) == 0 && !set['f']) {
		return usage("rm [-f | -i] [-dRrv] file ...")
	}
	rc := 0
	for _, f := range files {
		fi, err := os.Lstat(f)
		if err != nil {
			if !set['f'] {
				warn("%s: %s", f, errText(err))
				rc = 1
			}
			continue
		}
		switch {
		case fi.IsDir() && (set['r'] || set['R']):
			err = os.RemoveAll(f)
		case fi.IsDir() && !set['d']:
			warn("%s: is a directory", f)
			rc = 1
			continue
		default:
			err = os.Remove(f)
		}
		if err != nil {
			warn("%s: %s", f, errText(err))
			rc = 1
		} else if set['v'] {
			fmt.Fprintln(stdout, f)
		}
	}
	return rc
}

func sleep(args []string) int {
	if len(args) == 0 {
		return usage("sleep number[unit] [...]")
	}
	var total time.Duration
	for _, a := range args {
		unit := time.Second
		switch {
		case strings.HasSuffix(a, "s"):
			a = a[:len(a)-1]
		case strings.HasSuffix(a, "m"):
			a, unit = a[:len(a)-1], time.Minute
		case strings.HasSuffix(a, "h"):
			a, unit = a[:len(a)-1], time.Hour
		case strings.HasSuffix(a, "d"):
			a, unit = a[:len(a)-1], 24*time.Hour
		}
		f, err := strconv.ParseFloat(a, 64)
		if err != nil || f < 0 {
			return usage("sleep number[unit] [...]")
		}
		total += time.Duration(f * float64(unit))
	}
	time.Sleep(total)
	return 0
}

func hostname(args []string) int {
	set, _, rest, bad := flags(args, "fsd", "")
	if bad != 0 || len(rest) > 1 {
		return usage("hostname [-f | -s | -d] [name-of-host]")
	}
	if len(rest) == 1 {
		if err := sethostname(rest[0]); err != nil {
			warn("sethostname: %s", errText(err))
			return 1
		}
		return 0
	}
	h, err := os.Hostname()
	if err != nil {
		warn("gethostname: %s", errText(err))
		return 1
	}
	if i := strings.IndexByte(h, '.'); i >= 0 {
		if set['s'] {
			h = h[:i]
		} else if set['d'] {
			h = h[i+1:]
		}
	} else if set['d'] {
		h = ""
	}
	fmt.Fprintln(stdout, h)
	return 0
}

// sethostname writes sysctl kern.hostname (CTL_KERN 1, KERN_HOSTNAME 10),
// as FreeBSD's sethostname(3) does.
func sethostname(name string) error {
	mib := [2]int32{1, 10}
	b := []byte(name)
	if len(b) == 0 {
		b = []byte{0}
	}
	_, _, e := unix.Syscall6(unix.SYS___SYSCTL, uintptr(unsafe.Pointer(&mib[0])), 2, 0, 0,
		uintptr(unsafe.Pointer(&b[0])), uintptr(len(name)))
	if e != 0 {
		return e
	}
	return nil
}

// dbName maps a numeric id to its name from /etc/passwd or /etc/group.
func dbName(file string, id int) (string, bool) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", false
	}
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Split(l, ":")
		if len(f) >= 3 && !strings.HasPrefix(l, "#") && f[2] == strconv.Itoa(id) {
			return f[0], true
		}
	}
	return "", false
}

func withName(file string, id int) string {
	if n, ok := dbName(file, id); ok {
		return fmt.Sprintf("%d(%s)", id, n)
	}
	return strconv.Itoa(id)
}

func id(args []string) int {
	set, _, rest, bad := flags(args, "ugnGr", "")
	if bad != 0 || len(rest) > 0 {
		return usage("id [-Gnr | -g [-nr] | -u [-nr]]")
	}
	uid, gid := os.Geteuid(), os.Getegid()
	if set['r'] {
		uid, gid = os.Getuid(), os.Getgid()
	}
	groups, _ := os.Getgroups()
	all := []int{gid}
	for _, g := range groups {
		if g != gid {
			all = append(all, g)
		}
	}
	show := func(file string, n int) string {
		if set['n'] {
			if s, ok := dbName(file, n); ok {
				return s
			}
		}
		return strconv.Itoa(n)
	}
	switch {
	case set['u']:
		fmt.Fprintln(stdout, show("/etc/passwd", uid))
	case set['g']:
		fmt.Fprintln(stdout, show("/etc/group", gid))
	case set['G']:
		var s []string
		for _, g := range all {
			s = append(s, show("/etc/group", g))
		}
		fmt.Fprintln(stdout, strings.Join(s, " "))
	default:
		var s []string
		for _, g := range all {
			s = append(s, withName("/etc/group", g))
		}
		fmt.Fprintf(stdout, "uid=%s gid=%s groups=%s\n", withName("/etc/passwd", uid),
			withName("/etc/group", gid), strings.Join(s, ","))
	}
	return 0
}

func env(args []string) int {
	environ := os.Environ()
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		a := args[0]
		args = args[1:]
		switch {
		case a == "--":
			goto ops
		case a == "-i":
			environ = nil
		case a == "-u" && len(args) > 0:
			environ = unset(environ, args[0])
			args = args[1:]
		case strings.HasPrefix(a, "-u"):
			environ = unset(environ, a[2:])
		default:
			return usage("env [-i] [-u name] [name=value ...] [utility [argument ...]]")
		}
	}
	if len(args) > 0 && args[0] == "-" {
		environ, args = nil, args[1:]
	}
ops:
	for len(args) > 0 && strings.Contains(args[0], "=") {
		kv := args[0]
		environ = append(unset(environ, kv[:strings.IndexByte(kv, '=')]), kv)
		args = args[1:]
	}
	if len(args) == 0 {
		for _, kv := range environ {
			fmt.Fprintln(stdout, kv)
		}
		return 0
	}
	path := args[0]
	if !strings.Contains(path, "/") {
		p, ok := lookPath(path, getenv(environ, "PATH"))
		if !ok {
			warn("%s: No such file or directory", path)
			return 127
		}
		path = p
	}
	stdout.Flush()
	err := syscall.Exec(path, args, environ)
	warn("%s: %s", args[0], errText(err))
	if err == syscall.ENOENT {
		return 127
	}
	return 126
}

func unset(environ []string, name string) []string {
	var out []string
	for _, kv := range environ {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

func getenv(environ []string, name string) string {
	for _, kv := range environ {
		if strings.HasPrefix(kv, name+"=") {
			return kv[len(name)+1:]
		}
	}
	return "/bin:/usr/bin:/sbin:/usr/sbin:/usr/local/bin"
}

func lookPath(name, path string) (string, bool) {
	for _, dir := range strings.Split(path, ":") {
		if dir == "" {
			dir = "."
		}
		p := dir + "/" + name
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0111 != 0 {
			return p, true
		}
	}
	return "", false
}

func pwd(args []string) int {
	set, _, _, bad := flags(args, "LP", "")
	if bad != 0 {
		return usage("pwd [-L | -P]")
	}
	d, err := os.Getwd()
	if err != nil {
		warn("%s", errText(err))
		return 1
	}
	if set['P'] {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			d = r
		}
	} else if p := os.Getenv("PWD"); set['L'] && p != "" && filepath.IsAbs(p) {
		if a, err := os.Stat(p); err == nil {
			if b, err := os.Stat(d); err == nil && os.SameFile(a, b) {
				d = p
			}
		}
	}
	fmt.Fprintln(stdout, d)
	return 0
}

func uname(args []string) int {
	set, _, rest, bad := flags(args, "amnprsiKUvo", "")
	if bad != 0 || len(rest) > 0 {
		return usage("uname [-abiKmnoprsUv]")
	}
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		warn("uname: %s", errText(err))
		return 1
	}
	str := func(b []byte) string {
		if i := strings.IndexByte(string(b), 0); i >= 0 {
			b = b[:i]
		}
		return string(b)
	}
	if set['a'] {
		for _, c := range "mnrsv" {
			set[byte(c)] = true
		}
	}
	if len(set) == 0 {
		set['s'] = true
	}
	var out []string
	add := func(c byte, v string) {
		if set[c] {
			out = append(out, v)
		}
	}
	add('s', str(u.Sysname[:]))
	add('o', str(u.Sysname[:]))
	add('n', str(u.Nodename[:]))
	add('r', str(u.Release[:]))
	add('v', strings.TrimSpace(str(u.Version[:])))
	add('m', str(u.Machine[:]))
	add('p', str(u.Machine[:]))
	if set['i'] {
		out = append(out, "LOCHS")
	}
	if set['K'] || set['U'] {
		var n uint32
		if b, err := sysctlMib([]int32{1, 24}); err == nil && len(b) >= 4 { // kern.osreldate
			n = uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		}
		if set['K'] {
			out = append(out, strconv.Itoa(int(n)))
		}
		if set['U'] {
			out = append(out, strconv.Itoa(int(n)))
		}
	}
	fmt.Fprintln(stdout, strings.Join(out, " "))
	return 0
}

func touch(args []string) int {
	set, _, files, bad := flags(args, "acm", "")
	if bad != 0 || len(files) == 0 {
		return usage("touch [-acm] file ...")
	}
	rc := 0
	now := time.Now()
	for _, f := range files {
		if _, err := os.Stat(f); os.IsNotExist(err) {
			if set['c'] {
				continue
			}
			fd, err := os.OpenFile(f, os.O_CREATE|os.O_WRONLY, 0666)
			if err != nil {
				warn("%s: %s", f, errText(err))
				rc = 1
				continue
			}
			fd.Close()
		}
		if err := os.Chtimes(f, now, now); err != nil {
			warn("%s: %s", f, errText(err))
			rc = 1
		}
	}
	return rc
}

func wc(args []string) int {
	set, _, files, bad := flags(args, "clmwL", "")
	if bad != 0 {
		return usage("wc [-Lclmw] [file ...]")
	}
	if !set['c'] && !set['l'] && !set['w'] && !set['m'] {
		set['l'], set['w'], set['c'] = true, true, true
	}
	var tl, tw, tc int
	rc := 0
	count := func(r io.Reader, name string) {
		var l, w, c int
		inWord := false
		br := bufio.NewReaderSize(r, 64<<10)
		for {
			b, err := br.ReadByte()
			if err != nil {
				break
			}
			c++
			if b == '\n' {
				l++
			}
			sp := b == ' ' || (b >= '\t' && b <= '\r')
			if !sp && !inWord {
				w++
			}
			inWord = !sp
		}
		tl, tw, tc = tl+l, tw+w, tc+c
		line := ""
		if set['l'] {
			line += fmt.Sprintf(" %7d", l)
		}
		if set['w'] {
			line += fmt.Sprintf(" %7d", w)
		}
		if set['c'] || set['m'] {
			line += fmt.Sprintf(" %7d", c)
		}
		if name != "" {
			line += " " + name
		}
		fmt.Fprintln(stdout, line)
	}
	if len(files) == 0 {
		count(os.Stdin, "")
		return 0
	}
	for _, f := range files {
		fd, err := os.Open(f)
		if err != nil {
			warn("%s: open: %s", f, errText(err))
			rc = 1
			continue
		}
		count(fd, f)
		fd.Close()
	}
	if len(files) > 1 {
		line := ""
		if set['l'] {
			line += fmt.Sprintf(" %7d", tl)
		}
		if set['w'] {
			line += fmt.Sprintf(" %7d", tw)
		}
		if set['c'] || set['m'] {
			line += fmt.Sprintf(" %7d", tc)
		}
		fmt.Fprintln(stdout, line+" total")
	}
	return rc
}

func head(args []string) int {
	// head -5 is head -n 5
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && args[0][1] >= '0' && args[0][1] <= '9' {
		args = append([]string{"-n", args[0][1:]}, args[1:]...)
	}
	set, val, files, bad := flags(args, "q", "nc")
	if bad != 0 {
		return usage("head [-n lines | -c bytes] [file ...]")
	}
	n, bytes := 10, false
	if set['c'] {
		bytes = true
	}
	if v, ok := val['n']; ok {
		n, _ = strconv.Atoi(v)
	}
	if v, ok := val['c']; ok {
		n, _ = strconv.Atoi(v)
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	rc := 0
	for i, f := range files {
		var r io.Reader = os.Stdin
		if f != "-" {
			fd, err := os.Open(f)
			if err != nil {
				warn("%s: %s", f, errText(err))
				rc = 1
				continue
			}
			defer fd.Close()
			r = fd
		}
		if len(files) > 1 && !set['q'] {
			if i > 0 {
				stdout.WriteByte('\n')
			}
			fmt.Fprintf(stdout, "==> %s <==\n", f)
		}
		if bytes {
			io.CopyN(stdout, r, int64(n))
			continue
		}
		br := bufio.NewReader(r)
		for k := 0; k < n; k++ {
			l, err := br.ReadString('\n')
			stdout.WriteString(l)
			if err != nil {
				break
			}
		}
	}
	return rc
}

var signals = []string{"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "EMT", "FPE", "KILL", "BUS", "SEGV",
	"SYS", "PIPE", "ALRM", "TERM", "URG", "STOP", "TSTP", "CONT", "CHLD", "TTIN", "TTOU", "IO", "XCPU",
	"XFSZ", "VTALRM", "PROF", "WINCH", "INFO", "USR1", "USR2"}

func sigNum(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n < 128 {
		return n, true
	}
	s = strings.TrimPrefix(strings.ToUpper(s), "SIG")
	for i, n := range signals {
		if n == s && i > 0 {
			return i, true
		}
	}
	return 0, false
}

func kill(args []string) int {
	sig := 15
	if len(args) == 0 {
		return usage("kill [-s signal_name] pid ...")
	}
	switch a := args[0]; {
	case a == "-l":
		if len(args) > 1 {
			n, _ := strconv.Atoi(args[1])
			if n > 128 {
				n -= 128
			}
			if n > 0 && n < len(signals) {
				fmt.Fprintln(stdout, signals[n])
				return 0
			}
			warn("unknown signal %s", args[1])
			return 1
		}
		fmt.Fprintln(stdout, strings.Join(signals[1:], " "))
		return 0
	case a == "-s" || a == "-n":
		if len(args) < 2 {
			return usage("kill [-s signal_name] pid ...")
		}
		n, ok := sigNum(args[1])
		if !ok {
			warn("unknown signal %s; valid signals:", args[1])
			return 1
		}
		sig, args = n, args[2:]
	case a == "--":
		args = args[1:]
	case len(a) > 1 && a[0] == '-' && (a[1] < '0' || a[1] > '9' || len(args) > 1):
		n, ok := sigNum(a[1:])
		if !ok {
			warn("unknown signal %s; valid signals:", a[1:])
			return 1
		}
		sig, args = n, args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return usage("kill [-s signal_name] pid ...")
	}
	rc := 0
	for _, p := range args {
		pid, err := strconv.Atoi(p)
		if err != nil {
			warn("illegal process id: %s", p)
			rc = 2
			continue
		}
		if err := syscall.Kill(pid, syscall.Signal(sig)); err != nil {
			warn("%s: %s", p, errText(err))
			rc = 1
		}
	}
	return rc
}

func printenv(args []string) int {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		for _, kv := range os.Environ() {
			fmt.Fprintln(stdout, kv)
		}
		return 0
	}
	v, ok := os.LookupEnv(args[0])
	if !ok {
		return 1
	}
	fmt.Fprintln(stdout, v)
	return 0
}

func yes(args []string) int {
	s := "y"
	if len(args) > 0 {
		s = strings.Join(args, " ")
	}
	line := []byte(s + "\n")
	buf := make([]byte, 0, 8192)
	for len(buf)+len(line) <= cap(buf) {
		buf = append(buf, line...)
	}
	for {
		if _, err := os.Stdout.Write(buf); err != nil {
			return 1
		}
	}
}

func seq(args []string) int {
	sep, term, format := "\n", "", ""
	var nums []string
	for len(args) > 0 {
		a := args[0]
		switch {
		case (a == "-s" || a == "-t" || a == "-f") && len(args) > 1:
			switch a {
			case "-s":
				sep = unescape(args[1])
			case "-t":
				term = unescape(args[1])
			case "-f":
				format = args[1]
			}
			args = args[2:]
			continue
		case a == "-w":
			args = args[1:]
			continue
		}
		nums = append(nums, a)
		args = args[1:]
	}
	first, incr := 1.0, 1.0
	var last float64
	parse := func(s string) (float64, bool) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			warn("invalid floating point argument: %s", s)
		}
		return f, err == nil
	}
	var ok bool
	switch len(nums) {
	case 1:
		last, ok = parse(nums[0])
	case 2:
		first, ok = parse(nums[0])
		if ok {
			last, ok = parse(nums[1])
		}
	case 3:
		first, ok = parse(nums[0])
		if ok {
			incr, ok = parse(nums[1])
		}
		if ok {
			last, ok = parse(nums[2])
		}
	default:
		return usage("seq [-w] [-f format] [-s string] [-t string] [first [incr]] last")
	}
	if !ok {
		return 2
	}
	if incr == 0 {
		warn("zero increment")
		return 1
	}
	if len(nums) < 3 && first > last {
		incr = -1
	}
	if format == "" {
		format = "%g"
	}
	var out []string
	for x, i := first, 0; (incr > 0 && x <= last+1e-9) || (incr < 0 && x >= last-1e-9); i++ {
		out = append(out, fmt.Sprintf(format, x))
		x = first + float64(i+1)*incr
	}
	if len(out) > 0 {
		stdout.WriteString(strings.Join(out, sep) + "\n")
	}
	stdout.WriteString(term)
	return 0
}

func unescape(s string) string {
	r := strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\\`, `\`, `\0`, "\x00")
	return r.Replace(s)
}

func nologin(args []string) int {
	fmt.Println("This account is currently not available.")
	return 1
}
