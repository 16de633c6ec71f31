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
