// /bin/sh of the Lochs test image: a POSIX shell built on the interpreter of
// mvdan.cc/sh (Debian golang-mvdan-sh-dev), compiled for FreeBSD.
//
//	sh [-aefnuxo opt] -c COMMAND [NAME [ARG...]]
//	sh [-aefnuxo opt] SCRIPT [ARG...]
//	sh [-aefnuxo opt] [-s] [ARG...]    (commands from standard input)
//
// Scripts are parsed in the bash dialect (a superset of POSIX sh that also
// knows `local`, which FreeBSD's sh has); LOCHS_SH_LANG=posix parses strictly.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: sh [-aefnux] [-o option] [-c command [name [arg ...]] | script [arg ...] | -s [arg ...]]")
	os.Exit(2)
}

func main() {
	args := os.Args[1:]
	var opts []string // passed to interp.Params like `set` flags
	var command *string
	stdinMode := false
	// Options up to the first operand (or "--"), as sh(1) parses them.
	for len(args) > 0 {
		a := args[0]
		if a == "--" || a == "-" {
			args = args[1:]
			break
		}
		if len(a) < 2 || (a[0] != '-' && a[0] != '+') {
			break
		}
		args = args[1:]
		sign := string(a[0])
		for _, f := range a[1:] {
			switch f {
			case 'c':
				if sign != "-" {
					usage()
				}
				command = new(string)
			case 's':
				stdinMode = true
			case 'i', 'l', 'm', 'v', 'E', 'V', 'b', 'C', 'I', 'P', 'T':
				// accepted for compatibility, no effect
			case 'o':
				if len(args) == 0 {
					usage()
				}
				opts = append(opts, sign+"o", args[0])
				args = args[1:]
			case 'a', 'e', 'f', 'n', 'u', 'x':
				opts = append(opts, sign+string(f))
			default:
				fmt.Fprintf(os.Stderr, "sh: illegal option -%c\n", f)
				usage()
			}
		}
	}

	name := "sh"
	if len(os.Args) > 0 && os.Args[0] != "" {
		name = os.Args[0]
	}
	var src io.Reader
	switch {
	case command != nil:
		if len(args) == 0 {
			fmt.Fprintln(os.Stderr, "sh: -c: option requires an argument")
			os.Exit(2)
		}
		*command, args = args[0], args[1:]
		if len(args) > 0 {
			name, args = args[0], args[1:]
		}
		src = strings.NewReader(*command)
	case !stdinMode && len(args) > 0:
		f, err := os.Open(args[0])
		if err != nil {
			fmt.Fprintf(os.Stderr, "sh: cannot open %s: %v\n", args[0], unwrap(err))
			os.Exit(127)
		}
		defer f.Close()
		name, args, src = args[0], args[1:], f
	default:
		src = os.Stdin
	}

	lang := syntax.LangBash
	if os.Getenv("LOCHS_SH_LANG") == "posix" {
		lang = syntax.LangPOSIX
	}
	params := append(opts, "--")
	params = append(params, args...)
	r, err := interp.New(
		interp.StdIO(os.Stdin, os.Stdout, os.Stderr),
		interp.Env(expand.ListEnviron(os.Environ()...)),
		interp.Params(params...),
	)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sh: %v\n", err)
		os.Exit(2)
	}
	parser := syntax.NewParser(syntax.Variant(lang))
	ctx := context.Background()

	if command == nil && (stdinMode || len(os.Args) == 1 || src == os.Stdin) && term.IsTerminal(0) {
		os.Exit(interactive(ctx, r, parser))
	}
	file, err := parser.Parse(src, name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sh: %v\n", err)
		os.Exit(2)
	}
	os.Exit(status(r.Run(ctx, file)))
}

// interactive reads and runs commands one statement at a time with a prompt.
func interactive(ctx context.Context, r *interp.Runner, parser *syntax.Parser) int {
	prompt := "$ "
	if os.Geteuid() == 0 {
		prompt = "# "
	}
	fmt.Fprint(os.Stderr, prompt)
	code := 0
	err := parser.Interactive(os.Stdin, func(stmts []*syntax.Stmt) bool {
		if parser.Incomplete() {
			fmt.Fprint(os.Stderr, "> ")
			return true
		}
		for _, st := range stmts {
			code = status(r.Run(ctx, st))
			if r.Exited() {
				return false
			}
		}
		fmt.Fprint(os.Stderr, prompt)
		return true
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "sh: %v\n", err)
		return 2
	}
	return code
}

func status(err error) int {
	if err == nil {
		return 0
	}
	if st, ok := interp.IsExitStatus(err); ok {
		return int(st)
	}
	fmt.Fprintf(os.Stderr, "sh: %v\n", err)
	return 1
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
