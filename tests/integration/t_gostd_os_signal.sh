#!/bin/sh
# Go's own os/signal package tests, run as a FreeBSD binary under bsdulator.
. "$(dirname "$0")/lib/gostd.sh"
gostd_run os/signal
