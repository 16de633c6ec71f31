// fetch-lite: an HTTP client for the Lochs test image.
//
//	fetch-lite [-o FILE] [-q] [-t SECONDS] URL
//
// Writes the response body to standard output (or FILE); exits 1 on any
// error, including a status other than 2xx.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	out := flag.String("o", "-", "output file")
	quiet := flag.Bool("q", false, "no error messages")
	timeout := flag.Int("t", 30, "timeout in seconds")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: fetch-lite [-o file] [-q] [-t seconds] URL")
		os.Exit(2)
	}
	fail := func(format string, a ...interface{}) {
		if !*quiet {
			fmt.Fprintf(os.Stderr, "fetch-lite: "+format+"\n", a...)
		}
		os.Exit(1)
	}
	client := &http.Client{Timeout: time.Duration(*timeout) * time.Second}
	resp, err := client.Get(flag.Arg(0))
	if err != nil {
		fail("%v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fail("%s: %s", flag.Arg(0), resp.Status)
	}
	var w io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fail("%v", err)
		}
		defer f.Close()
		w = f
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		fail("%v", err)
	}
}
