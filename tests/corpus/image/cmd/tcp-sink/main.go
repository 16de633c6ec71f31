// tcp-sink: a TCP receiver for the Lochs test image's benchmarks.
//
//	tcp-sink -l PORT [-a ADDR]
//
// Accepts connections one at a time, reads each until the sender shuts
// down its side, then writes the number of bytes read (decimal and a
// newline) and closes. Prints "tcp-sink: listening on ADDR:PORT" once it
// listens.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
)

func main() {
	port := flag.Int("l", 0, "port to listen on")
	addr := flag.String("a", "0.0.0.0", "address to listen on")
	flag.Parse()
	if *port <= 0 {
		fmt.Fprintln(os.Stderr, "usage: tcp-sink -l PORT [-a ADDR]")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*addr, fmt.Sprint(*port)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "tcp-sink: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("tcp-sink: listening on %s\n", ln.Addr())
	buf := make([]byte, 1<<20)
	for {
		c, err := ln.Accept()
		if err != nil {
			fmt.Fprintf(os.Stderr, "tcp-sink: %v\n", err)
			os.Exit(1)
		}
		n, _ := io.CopyBuffer(io.Discard, onlyReader{c}, buf)
		fmt.Fprintf(c, "%d\n", n)
		c.Close()
	}
}

// onlyReader hides WriterTo/ReaderFrom so the copy uses buf's size.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }
