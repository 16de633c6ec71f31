/* poll(2) event bits, FreeBSD <-> Linux (constants.md "poll(2) events").
 * Pure: no system calls. POLLIN/PRI/OUT/ERR/HUP/NVAL/RDNORM/RDBAND agree;
 * FreeBSD's POLLWRNORM is POLLOUT (4), WRBAND and RDHUP differ, and
 * POLLINIGNEOF has no Linux bit. */
#include "poll.h"

#define FPOLLWRBAND 0x100
#define FPOLLINIGNEOF 0x2000
#define FPOLLRDHUP 0x4000
#define LPOLLWRNORM 0x100
#define LPOLLWRBAND 0x200
#define LPOLLRDHUP 0x2000
#define SAME 0xff /* IN PRI OUT ERR HUP NVAL RDNORM RDBAND */

short pollev_f2l(short f)
{
	unsigned u = (unsigned short)f, l = u & SAME;
	if (u & FPOLLWRBAND)
		l |= LPOLLWRBAND;
	if (u & FPOLLRDHUP)
		l |= LPOLLRDHUP;
	if (u & FPOLLINIGNEOF)
		l |= 0x1; /* readable data, whatever the writer did */
	return (short)l;
}

short pollev_l2f(short l)
{
	unsigned u = (unsigned short)l, f = u & SAME;
	if (u & LPOLLWRNORM)
		f |= 0x4;
	if (u & LPOLLWRBAND)
		f |= FPOLLWRBAND;
	if (u & LPOLLRDHUP)
		f |= FPOLLRDHUP;
	return (short)f;
}

/* Linux flags a pipe whose writers are gone with POLLHUP alone and a pipe
 * whose readers are gone with POLLERR. FreeBSD's pipe_poll (sys_pipe.c)
 * answers both with POLLHUP plus the requested POLLIN|POLLRDNORM (EOF is
 * readable), and a writer whose reader is gone also gets POLLOUT|POLLWRNORM
 * and no POLLERR. POLLINIGNEOF skips the end-of-file part. */
short pollev_pipe_eof(short e, short r)
{
	unsigned ev = (unsigned short)e, rev = (unsigned short)r;
	if (!(rev & (0x8 | 0x10))) /* POLLERR | POLLHUP */
		return r;
	if (rev & 0x8) {
		rev &= ~0x8u;
		rev |= 0x10 | (ev & 0x4); /* POLLHUP, POLLOUT (= POLLWRNORM) */
	}
	if (ev & FPOLLINIGNEOF)
		rev &= ~0x10u;
	else
		rev |= ev & (0x1 | 0x40); /* POLLIN | POLLRDNORM */
	return (short)rev;
}
