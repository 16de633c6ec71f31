/* The client side of a monitor's attach socket (ROOT/jails/ID/attach.sock;
 * protocol in orchestrator/monitor/): relays our stdin (when interactive)
 * and the jail's output, forwards window-size changes for a tty jail, and
 * returns the jail's exit status from the monitor's exit frame. */
#pragma once
#include "cli.h"

#include "attachproto.h"

/* Connects (retrying while the monitor starts); returns the socket or -1. */
int attach_connect(const struct cli *c, const char *id, struct lerr *e);
/* Relays until the exit frame; the exit status, or -1 (e set) when the
 * monitor went away without one. */
int attach_relay(int sock, int interactive, int tty, struct lerr *e);
