package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// trapsig: waits for HUP, INT, QUIT, TERM, USR1 or USR2 and prints which
// one came ("trapsig: got SIGINT"), then exits 0: a program with signal
// handlers, for tests of the signal a stop sends (the shell traps only
// EXIT and ERR).
func trapsig(args []string) int {
	if len(args) > 0 {
		return usage("trapsig")
	}
	names := map[os.Signal]string{
		syscall.SIGHUP: "SIGHUP", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT",
		syscall.SIGTERM: "SIGTERM", syscall.SIGUSR1: "SIGUSR1", syscall.SIGUSR2: "SIGUSR2",
	}
	c := make(chan os.Signal, 1)
	for s := range names {
		signal.Notify(c, s)
	}
	fmt.Fprintln(stdout, "trapsig: waiting")
	stdout.Flush()
	s := <-c
	fmt.Fprintf(stdout, "trapsig: got %s\n", names[s])
	stdout.Flush()
	return 0
}
