package main

import (
	"fmt"
	"net"
	"os"
)

// ifaddrs: every interface as Go's net.Interfaces() sees it (on FreeBSD,
// from the NET_RT_IFLIST routing sysctl): "NAME FLAGS ADDR/PREFIX..." a line.
func ifaddrs(args []string) int {
	ifs, err := net.Interfaces()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ifaddrs:", err)
		return 1
	}
	for _, i := range ifs {
		line := fmt.Sprintf("%s %v", i.Name, i.Flags)
		addrs, err := i.Addrs()
		if err != nil {
			fmt.Fprintln(os.Stderr, "ifaddrs:", i.Name, err)
			return 1
		}
		for _, a := range addrs {
			line += " " + a.String()
		}
		fmt.Fprintln(stdout, line)
	}
	return 0
}
