/* A socket's pending error (so_error) as FreeBSD keeps it. kevent reports
 * it in an EV_EOF event's fflags without clearing it (filt_soread,
 * filt_sowrite); getsockopt(SO_ERROR) or the next send/receive hands it out
 * and clears it. Linux can only be asked with SO_ERROR, which clears it: so
 * the error kevent takes from Linux is kept here, and the calls that would
 * have reported it report it from here. Sends need no check: kevent takes
 * the error only at EV_EOF, when the socket is shut for sending too and
 * sosend fails with EPIPE before it looks at so_error. */
#include "../rt/rt.h"
#include "sockstate.h"
#include <asm-generic/ioctls.h>

#define SOCKERR_MAX (1 << 20) /* as socket.c's SOCKSTATE_MAX */
static uint8_t sockerr[SOCKERR_MAX]; /* Linux errno; valid under SF_SOERROR */

int sock_error_peek(int fd, int ask)
{
	if (fd < 0 || fd >= SOCKERR_MAX)
		return 0;
	if (sock_flags(fd) & SF_SOERROR)
		return __atomic_load_n(&sockerr[fd], __ATOMIC_RELAXED);
	if (!ask)
		return 0;
	int v = 0;
	uint32_t len = sizeof v;
	if (lsys5(__NR_getsockopt, fd, 1 /* SOL_SOCKET */, 4 /* SO_ERROR */, &v, &len) < 0 ||
	    v <= 0 || v > 255)
		return 0;
	__atomic_store_n(&sockerr[fd], (uint8_t)v, __ATOMIC_RELAXED);
	sock_set_flag(fd, SF_SOERROR, 1);
	return v;
}

int sock_error_take(int fd)
{
	if (!(sock_flags(fd) & SF_SOERROR))
		return 0;
	int e = __atomic_exchange_n(&sockerr[fd], 0, __ATOMIC_RELAXED);
	sock_set_flag(fd, SF_SOERROR, 0);
	return e;
}

long sock_error_recv(int fd, int peek)
{
	if (!(sock_flags(fd) & SF_SOERROR))
		return 0;
	int n = 0;
	/* soreceive hands out queued data before the error */
	if (lsys3(__NR_ioctl, fd, FIONREAD, &n) == 0 && n > 0)
		return 0;
	if (peek) /* MSG_PEEK leaves so_error set */
		return -(long)sock_error_peek(fd, 0);
	return -(long)sock_error_take(fd);
}

void sock_error_dup(int oldfd, int newfd)
{
	if (newfd >= 0 && newfd < SOCKERR_MAX && oldfd >= 0 && oldfd < SOCKERR_MAX)
		__atomic_store_n(&sockerr[newfd], __atomic_load_n(&sockerr[oldfd], __ATOMIC_RELAXED),
				 __ATOMIC_RELAXED);
}
