// httpd-lite: a static file server for the Lochs test image.
//
//	httpd-lite [-a ADDR] [-p PORT] [-d DIR] [-q]
//
// Serves DIR (default /usr/local/www) on ADDR:PORT (default 0.0.0.0:80) and
// logs one line per request on standard output unless -q. Prints
// "httpd-lite: listening on ADDR:PORT" once the socket listens.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	addr := flag.String("a", "0.0.0.0", "address to listen on")
	port := flag.Int("p", 80, "port")
	dir := flag.String("d", "/usr/local/www", "directory to serve")
	quiet := flag.Bool("q", false, "no request log")
	flag.Parse()
	if fi, err := os.Stat(*dir); err != nil || !fi.IsDir() {
		fmt.Fprintf(os.Stderr, "httpd-lite: %s: not a directory\n", *dir)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*addr, fmt.Sprint(*port)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "httpd-lite: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("httpd-lite: listening on %s\n", ln.Addr())
	files := http.FileServer(http.Dir(*dir))
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !*quiet {
			fmt.Printf("%s %s %s\n", r.RemoteAddr, r.Method, r.URL.Path)
		}
		w.Header().Set("Server", "httpd-lite")
		files.ServeHTTP(w, r)
	})
	stopped := make(chan struct{})
	go func() {
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
		<-c
		close(stopped)
		ln.Close()
	}()
	err = http.Serve(ln, handler)
	select {
	case <-stopped: // SIGTERM or SIGINT: a clean stop
		os.Exit(0)
	default:
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "httpd-lite: %v\n", err)
		os.Exit(1)
	}
}
