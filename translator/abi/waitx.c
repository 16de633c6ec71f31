/* Pure wait(2) translations: options, status words and id types. */
#include "wait.h"
#include "xlate.h"

int wait_options_f2l(int f)
{
	if (f & ~0x3f & ~(int)0x80000000)
		return -1;
	int l = 0;
	if (f & 0x1) l |= 0x1;        /* WNOHANG */
	if (f & 0x2) l |= 0x2;        /* WUNTRACED/WSTOPPED */
	if (f & 0x4) l |= 0x8;        /* WCONTINUED */
	if (f & 0x8) l |= 0x1000000;  /* WNOWAIT */
	if (f & 0x10) l |= 0x4;       /* WEXITED */
	return l | 0x40000000;        /* __WALL: FreeBSD waits for every child kind */
}

int wait_status_l2f(int st)
{
	if ((st & 0x7f) == 0)
		return st & 0xff00;                      /* exited */
	if (st == 0xffff)
		return 0x13;                             /* continued */
	if ((st & 0xff) == 0x7f)
		return 0x7f | (sig_l2f((st >> 8) & 0xff) << 8); /* stopped */
	return sig_l2f(st & 0x7f) | (st & 0x80);     /* killed, core flag */
}

int wait_status_from_siginfo(int code, int status)
{
	switch (code) {
	case 1: return (status & 0xff) << 8;                 /* CLD_EXITED */
	case 2: return sig_l2f(status);                      /* CLD_KILLED */
	case 3: return sig_l2f(status) | 0x80;               /* CLD_DUMPED */
	case 4: case 5: return 0x7f | (sig_l2f(status) << 8); /* TRAPPED, STOPPED */
	case 6: return 0x13;                                 /* CLD_CONTINUED */
	}
	return 0;
}

int wait_idtype_f2l(int t)
{
	switch (t) {
	case 0: return 1;  /* P_PID */
	case 2: return 2;  /* P_PGID */
	case 7: return 0;  /* P_ALL */
	}
	return -1;
}
