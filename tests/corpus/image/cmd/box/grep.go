package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// grep [-cEFhilnoqsvwx] [-e pattern] [pattern] [file ...] with Go's RE2
// (basic regular expressions are converted to extended ones first).
func grep(args []string) int {
	set, val, rest, bad := flags(args, "cEFhHilnoqsvwx", "e")
	if bad != 0 {
		return usageN(2, "grep [-cEFHhilnoqsvwx] [-e pattern] [pattern] [file ...]")
	}
	var pats []string
	if set['e'] {
		pats = strings.Split(val['e'], "\n")
	} else {
		if len(rest) == 0 {
			return usageN(2, "grep [-cEFHhilnoqsvwx] [-e pattern] [pattern] [file ...]")
		}
		pats, rest = strings.Split(rest[0], "\n"), rest[1:]
	}
	for i, p := range pats {
		switch {
		case set['F']:
			p = regexp.QuoteMeta(p)
		case !set['E']:
			p = breToEre(p)
		}
		if set['x'] {
			p = "^(?:" + p + ")$"
		} else if set['w'] {
			p = `(?:^|\W)(` + p + `)(?:\W|$)`
		}
		pats[i] = "(?:" + p + ")"
	}
	expr := strings.Join(pats, "|")
	if set['i'] {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		warn("%v", err)
		return 2
	}
	if len(rest) == 0 {
		rest = []string{"-"}
	}
	names := (len(rest) > 1 || set['H']) && !set['h']
	matched, rc := false, 1
	for _, f := range rest {
		var r io.Reader = os.Stdin
		label := "(standard input)"
		if f != "-" {
			fd, err := os.Open(f)
			if err != nil {
				if !set['s'] {
					warn("%s: %s", f, errText(err))
				}
				rc = 2
				continue
			}
			defer fd.Close()
			r, label = fd, f
		}
		br := bufio.NewReader(r)
		count := 0
		for n := 1; ; n++ {
			line, err := br.ReadString('\n')
			if line == "" && err != nil {
				break
			}
			text := strings.TrimSuffix(line, "\n")
			if re.MatchString(text) != set['v'] {
				count++
				matched = true
				if set['q'] {
					stdout.Flush()
					os.Exit(0)
				}
				if set['l'] {
					fmt.Fprintln(stdout, label)
					break
				}
				if set['c'] {
					continue
				}
				prefix := ""
				if names {
					prefix = label + ":"
				}
				if set['n'] {
					prefix += fmt.Sprintf("%d:", n)
				}
				if set['o'] && !set['v'] {
					for _, m := range re.FindAllString(text, -1) {
						fmt.Fprintln(stdout, prefix+m)
					}
				} else {
					fmt.Fprintln(stdout, prefix+text)
				}
			}
			if err != nil {
				break
			}
		}
		if set['c'] {
			if names {
				fmt.Fprintf(stdout, "%s:", label)
			}
			fmt.Fprintln(stdout, count)
		}
	}
	if matched && rc != 2 {
		return 0
	}
	return rc
}

// breToEre: in a basic RE, \( \) \{ \} \| \+ \? are operators and the bare
// characters are literals; the reverse of an extended RE.
func breToEre(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '\\' && i+1 < len(p) {
			n := p[i+1]
			i++
			if strings.IndexByte("(){}|+?", n) >= 0 {
				b.WriteByte(n)
			} else {
				b.WriteByte('\\')
				b.WriteByte(n)
			}
			continue
		}
		if strings.IndexByte("(){}|+?", c) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

func usageN(rc int, u string) int {
	usage(u)
	return rc
}
