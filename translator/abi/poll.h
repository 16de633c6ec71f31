/* poll/select helpers (pollbits.c is pure). */
#pragma once
#include <stdint.h>

struct fpollfd {
	int32_t fd;
	int16_t events, revents;
};
_Static_assert(sizeof(struct fpollfd) == 8, "pollfd");

short pollev_f2l(short fbsd_events);
short pollev_l2f(short linux_revents);
/* FreeBSD pipe_poll's end-of-file answer for a pipe or FIFO, from the
 * requested FreeBSD events and the already converted Linux revents. */
short pollev_pipe_eof(short fbsd_events, short fbsd_revents);
