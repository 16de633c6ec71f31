/* The user's terminal while a jail's pty is relayed (run -it, attach,
 * exec -it): raw mode, and window-size changes to pass on. */
#pragma once
#include <sys/ioctl.h>
#include <termios.h>

/* Puts stdin in raw mode (saved gets the old mode) and starts watching
 * SIGWINCH; 0 when stdin is no terminal (nothing changed). */
int term_raw(struct termios *saved);
void term_restore(const struct termios *saved);
/* 1 once after each window-size change (and on the first call after
 * term_raw), with ws the new size. */
int term_resized(struct winsize *ws);
