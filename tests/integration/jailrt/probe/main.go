// probe STEP...: what a jail looks like from inside, one "key=value" line
// per step (t_jail_runtime.sh).
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	for _, a := range os.Args[1:] {
		cmd, arg, _ := strings.Cut(a, ":")
		switch cmd {
		case "pid":
			fmt.Printf("pid=%d\n", os.Getpid())
		case "host":
			h, err := os.Hostname()
			fmt.Printf("host=%s%v\n", h, errs(err))
		case "uid":
			fmt.Printf("uid=%d gid=%d\n", os.Getuid(), os.Getgid())
		case "exists":
			_, err := os.Stat(arg)
			fmt.Printf("exists:%s=%v\n", arg, err == nil)
		case "write":
			path, text, _ := strings.Cut(arg, "=")
			err := os.WriteFile(path, []byte(text), 0644)
			if err != nil {
				fmt.Printf("write:%s=err\n", path)
			} else {
				fmt.Printf("write:%s=ok\n", path)
			}
		case "append":
			f, err := os.OpenFile(arg, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0644)
			if err == nil {
				fmt.Fprintln(f, "run")
				f.Close()
			}
			fmt.Printf("append=%v\n", err == nil)
		case "alloc":
			mb, _ := strconv.Atoi(arg)
			var keep [][]byte
			for i := 0; i < mb; i++ {
				b := make([]byte, 1<<20)
				for j := 0; j < len(b); j += 4096 {
					b[j] = 1
				}
				keep = append(keep, b)
			}
			fmt.Printf("alloc=%d\n", len(keep))
		case "spawn":
			n, _ := strconv.Atoi(arg)
			k := 0
			var err error
			for ; k < n; k++ {
				c := exec.Command("/bin/probe", "sleep:30")
				if err = c.Start(); err != nil {
					break
				}
			}
			fmt.Printf("spawned=%d%v\n", k, errs(err))
			if k < n {
				os.Exit(3)
			}
		case "raw": // needs CAP_NET_RAW
			fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_RAW, 1)
			if err == nil {
				syscall.Close(fd)
			}
			fmt.Printf("raw=%v\n", err == nil)
		case "sleep":
			s, _ := strconv.Atoi(arg)
			time.Sleep(time.Duration(s) * time.Second)
		case "echo":
			fmt.Println(arg)
		case "err":
			fmt.Fprintln(os.Stderr, arg)
		case "partial":
			fmt.Print(arg)
		case "exit":
			n, _ := strconv.Atoi(arg)
			os.Exit(n)
		}
	}
}

func errs(err error) string {
	if err != nil {
		return " err=" + err.Error()
	}
	return ""
}
