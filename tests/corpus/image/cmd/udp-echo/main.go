// udp-echo: a UDP echo server and client for the Lochs test image.
//
//	udp-echo -l PORT [-a ADDR]        echoes every datagram back to its sender
//	udp-echo [-t SECONDS] HOST:PORT TEXT  sends TEXT, prints the reply
//
// The server prints "udp-echo: listening on ADDR:PORT" once bound. The
// client exits 1 when no reply came within the timeout (default 3 s).
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	listen := flag.Int("l", 0, "port to serve on")
	addr := flag.String("a", "0.0.0.0", "address to serve on")
	timeout := flag.Int("t", 3, "client timeout in seconds")
	flag.Parse()
	if *listen > 0 {
		serve(*addr, *listen)
		return
	}
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: udp-echo -l PORT | udp-echo [-t SECONDS] HOST:PORT TEXT")
		os.Exit(2)
	}
	conn, err := net.Dial("udp", flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "udp-echo: %v\n", err)
		os.Exit(1)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(flag.Arg(1))); err != nil {
		fmt.Fprintf(os.Stderr, "udp-echo: %v\n", err)
		os.Exit(1)
	}
	conn.SetReadDeadline(time.Now().Add(time.Duration(*timeout) * time.Second))
	buf := make([]byte, 65536)
	n, err := conn.Read(buf)
	if err != nil {
		fmt.Fprintf(os.Stderr, "udp-echo: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(string(buf[:n]))
}

func serve(addr string, port int) {
	pc, err := net.ListenPacket("udp", net.JoinHostPort(addr, fmt.Sprint(port)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "udp-echo: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("udp-echo: listening on %s\n", pc.LocalAddr())
	buf := make([]byte, 65536)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			fmt.Fprintf(os.Stderr, "udp-echo: %v\n", err)
			os.Exit(1)
		}
		pc.WriteTo(buf[:n], from)
	}
}
