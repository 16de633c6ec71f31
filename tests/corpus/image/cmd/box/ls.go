package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"
)

// ls: -1 -a -A -d -F -l -n -r -t -i; one name per line (as when not on a terminal).
func ls(args []string) int {
	set, _, ops, bad := flags(args, "1aACdFilnrtR", "")
	if bad != 0 {
		warn("invalid option -- %c", bad)
		return usage("ls [-1AadFilnRrt] [file ...]")
	}
	if set['n'] {
		set['l'] = true
	}
	if len(ops) == 0 {
		ops = []string{"."}
	}
	rc := 0
	var files, dirs []string
	for _, o := range ops {
		fi, err := os.Lstat(o)
		if err != nil {
			warn("%s: %s", o, errText(err))
			rc = 1
			continue
		}
		if fi.Mode()&os.ModeSymlink != 0 && !set['l'] && !set['F'] && !set['d'] {
			if st, err := os.Stat(o); err == nil {
				fi = st
			}
		}
		if fi.IsDir() && !set['d'] {
			dirs = append(dirs, o)
		} else {
			files = append(files, o)
		}
	}
	sort.Strings(files)
	sort.Strings(dirs)
	var entries []lsEntry
	for _, f := range files {
		fi, _ := os.Lstat(f)
		entries = append(entries, lsEntry{f, f, fi})
	}
	lsPrint(entries, set, false)
	for i, d := range dirs {
		if len(files) > 0 || i > 0 {
			stdout.WriteByte('\n')
		}
		if len(ops) > 1 {
			fmt.Fprintf(stdout, "%s:\n", d)
		}
		if lsDir(d, set) != 0 {
			rc = 1
		}
	}
	return rc
}

type lsEntry struct {
	name, path string
	fi         os.FileInfo
}

func lsDir(d string, set map[byte]bool) int {
	f, err := os.Open(d)
	if err != nil {
		warn("%s: %s", d, errText(err))
		return 1
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		warn("%s: %s", d, errText(err))
		return 1
	}
	if set['a'] {
		names = append(names, ".", "..")
	}
	var entries []lsEntry
	for _, n := range names {
		if n[0] == '.' && !set['a'] && !set['A'] {
			continue
		}
		p := filepath.Join(d, n)
		fi, err := os.Lstat(p)
		if err != nil {
			continue
		}
		entries = append(entries, lsEntry{n, p, fi})
	}
	lsPrint(entries, set, true)
	rc := 0
	if set['R'] {
		for _, e := range entries {
			if e.fi.IsDir() && e.name != "." && e.name != ".." {
				fmt.Fprintf(stdout, "\n%s:\n", e.path)
				if lsDir(e.path, set) != 0 {
					rc = 1
				}
			}
		}
	}
	return rc
}

func lsPrint(entries []lsEntry, set map[byte]bool, total bool) {
	sort.Slice(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		less := a.name < b.name
		if set['t'] && !a.fi.ModTime().Equal(b.fi.ModTime()) {
			less = a.fi.ModTime().After(b.fi.ModTime())
		}
		if set['r'] {
			return !less
		}
		return less
	})
	if set['l'] && total {
		var blocks int64
		for _, e := range entries {
			if st, ok := e.fi.Sys().(*syscall.Stat_t); ok {
				blocks += st.Blocks
			}
		}
		fmt.Fprintf(stdout, "total %d\n", blocks/2)
	}
	for _, e := range entries {
		line := ""
		st, _ := e.fi.Sys().(*syscall.Stat_t)
		if set['i'] && st != nil {
			line += fmt.Sprintf("%d ", st.Ino)
		}
		if set['l'] {
			var nlink uint64 = 1
			uid, gid := 0, 0
			if st != nil {
				nlink, uid, gid = uint64(st.Nlink), int(st.Uid), int(st.Gid)
			}
			user, group := strconv.Itoa(uid), strconv.Itoa(gid)
			if !set['n'] {
				if n, ok := dbName("/etc/passwd", uid); ok {
					user = n
				}
				if n, ok := dbName("/etc/group", gid); ok {
					group = n
				}
			}
			t := e.fi.ModTime()
			ts := t.Format("Jan _2 15:04")
			if time.Since(t) > 180*24*time.Hour || time.Until(t) > 180*24*time.Hour {
				ts = t.Format("Jan _2  2006")
			}
			line += fmt.Sprintf("%s %3d %-8s %-8s %8d %s ", modeString(e.fi.Mode()), nlink, user, group, e.fi.Size(), ts)
		}
		line += e.name
		if set['F'] {
			line += typeChar(e.fi.Mode())
		}
		if set['l'] && e.fi.Mode()&os.ModeSymlink != 0 {
			if t, err := os.Readlink(e.path); err == nil {
				line += " -> " + t
			}
		}
		fmt.Fprintln(stdout, line)
	}
}

func typeChar(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "/"
	case m&os.ModeSymlink != 0:
		return "@"
	case m&os.ModeNamedPipe != 0:
		return "|"
	case m&os.ModeSocket != 0:
		return "="
	case m&0111 != 0:
		return "*"
	}
	return ""
}

func modeString(m os.FileMode) string {
	b := []byte("----------")
	switch {
	case m.IsDir():
		b[0] = 'd'
	case m&os.ModeSymlink != 0:
		b[0] = 'l'
	case m&os.ModeNamedPipe != 0:
		b[0] = 'p'
	case m&os.ModeSocket != 0:
		b[0] = 's'
	case m&os.ModeCharDevice != 0:
		b[0] = 'c'
	case m&os.ModeDevice != 0:
		b[0] = 'b'
	}
	const rwx = "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		if m&(1<<uint(8-i)) != 0 {
			b[i+1] = rwx[i]
		}
	}
	special := func(i int, on bool, c byte) {
		if on {
			if b[i] == '-' {
				b[i] = c - 'a' + 'A'
			} else {
				b[i] = c
			}
		}
	}
	special(3, m&os.ModeSetuid != 0, 's')
	special(6, m&os.ModeSetgid != 0, 's')
	special(9, m&os.ModeSticky != 0, 't')
	return string(b)
}
