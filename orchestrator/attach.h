/* The client side of a monitor's attach socket (ROOT/jails/ID/attach.sock;
 * protocol in orchestrator/monitor/): relays our stdin (when interactive)
 * and the jail's output, forwards window-size changes for a tty jail, and
 * returns the jail's exit status from the monitor's exit frame. */
#pragma once
#include "cli.h"

#include "attachproto.h"

/* Connects (retrying while the monitor starts); returns the socket or -1. */
int attach_connect(const struct cli *c, const char *id, struct lerr *e);
struct detach_keys;
/* Relays until the exit frame; the exit status, or -1 (e set) when the
 * monitor went away without one. With tty and interactive, typing keys
 * (detachkeys.h; NULL: the default ctrl-p,ctrl-q) detaches: 0, the jail
 * left running. */
int attach_relay(int sock, int interactive, int tty, struct detach_keys *keys, struct lerr *e);
/* attach_relay to the running jail id, its terminal and stdin as it was
 * started (want_stdin 0: no stdin); attach and start -a. */
int attach_jail(struct cli *c, const char *id, int want_stdin, struct detach_keys *k, struct lerr *e);
/* argv[*i] is "--detach-keys K" or "--detach-keys=K": *keys = K, *i past
 * it, 1; another flag: 0; K missing: -1 with e set. */
int attach_keys_flag(const char *cmd, int argc, char **argv, int *i, const char **keys, struct lerr *e);
