// tcpbench: TCP bulk transfer for bench/netplane, built for FreeBSD and run
// under bsdulator on both sides of each measured path.
//
//	tcpbench sink PORT           accepts connections forever; reads each to
//	                             EOF, then closes it
//	tcpbench send HOST:PORT MIB  connects (retrying 10 s), writes MIB MiB,
//	                             half-closes, waits for the sink's close and
//	                             prints the rate in MB/s (10^6 bytes/s)
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "sink" {
		sink(os.Args[2])
		return
	}
	if len(os.Args) == 4 && os.Args[1] == "send" {
		mib, err := strconv.Atoi(os.Args[3])
		if err == nil {
			send(os.Args[2], mib)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "usage: tcpbench sink PORT | tcpbench send HOST:PORT MIB")
	os.Exit(2)
}

func sink(port string) {
	l, err := net.Listen("tcp", ":"+port)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tcpbench:", err)
		os.Exit(1)
	}
	for {
		c, err := l.Accept()
		if err != nil {
			continue
		}
		go func(c net.Conn) {
			io.Copy(io.Discard, c)
			c.Close()
		}(c)
	}
}

func send(addr string, mib int) {
	var c net.Conn
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err = net.Dial("tcp", addr); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tcpbench:", err)
		os.Exit(1)
	}
	buf := make([]byte, 256<<10)
	start := time.Now()
	for left := mib << 20; left > 0; left -= len(buf) {
		n := len(buf)
		if left < n {
			n = left
		}
		if _, err := c.Write(buf[:n]); err != nil {
			fmt.Fprintln(os.Stderr, "tcpbench:", err)
			os.Exit(1)
		}
	}
	c.(*net.TCPConn).CloseWrite()
	io.Copy(io.Discard, c) // the sink closes after reading everything
	secs := time.Since(start).Seconds()
	fmt.Printf("%.1f\n", float64(mib<<20)/secs/1e6)
}
