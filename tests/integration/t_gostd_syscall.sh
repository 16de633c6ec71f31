#!/bin/sh
# Go's own syscall package tests, run as a FreeBSD binary under bsdulator.
. "$(dirname "$0")/lib/gostd.sh"
gostd_run syscall
