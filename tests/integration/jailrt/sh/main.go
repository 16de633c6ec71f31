// sh -c SCRIPT [ARG...]: mvdan.cc/sh's interpreter as a jail image's /bin/sh.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

func main() {
	if len(os.Args) < 3 || os.Args[1] != "-c" {
		fmt.Fprintln(os.Stderr, "usage: sh -c SCRIPT [ARG...]")
		os.Exit(2)
	}
	f, err := syntax.NewParser().Parse(strings.NewReader(os.Args[2]), "sh")
	if err != nil {
		fmt.Fprintln(os.Stderr, "sh:", err)
		os.Exit(2)
	}
	r, err := interp.New(interp.StdIO(os.Stdin, os.Stdout, os.Stderr), interp.Params(append([]string{"--"}, os.Args[3:]...)...))
	if err == nil {
		err = r.Run(context.Background(), f)
	}
	if st, ok := interp.IsExitStatus(err); ok {
		os.Exit(int(st))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sh:", err)
		os.Exit(1)
	}
}
