/* Blocking calls: the only place a guest signal may interrupt translator
 * code. Handlers otherwise run with every host signal blocked; here the
 * guest's own mask is installed for the duration of the call. A signal that
 * arrives in the window is queued by the host handler, and the assembly in
 * entry.S (blocking_syscall6) guarantees it is not slept through. */
#include "thread.h"
#include "signals.h"
#include "../rt/rt.h"
#include "../abi/xlate.h"

long blocking_syscall6(long n, long a, long b, long c, long d, long e, long f);

long blocking_call(long n, long a, long b, long c, long d, long e, long f)
{
	struct gthread *t = cur_thread();
	if (memcmp(&t->host_mask_of, &t->sigmask, sizeof t->sigmask) != 0) {
		t->host_mask = sigset_f2l(&t->sigmask);
		t->host_mask_of = t->sigmask;
	}
	uint64_t all = HANDLER_MASK;
	lsys4(__NR_rt_sigprocmask, 2 /* SETMASK */, &t->host_mask, 0, 8);
	long r = blocking_syscall6(n, a, b, c, d, e, f);
	lsys4(__NR_rt_sigprocmask, 2, &all, 0, 8);
	return r;
}
