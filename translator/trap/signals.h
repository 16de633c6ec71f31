/* Guest signal state and delivery (signals.md). */
#pragma once
#include "thread.h"
#include "linux_uc.h"
#include "../rt/rt.h"

/* Handlers run with every host signal blocked except the synchronous
 * ones: Linux kills a thread that faults with its fault signal blocked. */
#define HANDLER_MASK (~((1ULL << 3) | (1ULL << 4) | (1ULL << 6) | (1ULL << 7) | (1ULL << 10)))

extern struct fsigaction gsigact[FSIG_MAXSIG + 1];
extern rt_lock_t gsigact_lock;
/* Address of the FreeBSD signal trampoline page (outside the SUD region). */
extern uint64_t sigtramp_addr, sigtramp_end;

void signals_init(struct gthread *main_thread);
/* Re-derives the host disposition of a guest signal from gsigact. */
void host_sync_disposition(int fsig);
/* Recomputes t->sig_pending (a deliverable signal is queued). */
void thread_update_pending(struct gthread *t);
void queue_pending(struct gthread *t, int fsig, const struct fsiginfo *fi);
/* Builds the FreeBSD frame for fsig on the guest stack and edits uc so the
 * guest resumes in its handler. */
void deliver_signal(struct gthread *t, struct lucontext *uc, int fsig, struct fsiginfo *fi);
/* Delivers one queued, unblocked signal, if any. */
void deliver_pending(struct gthread *t, struct lucontext *uc);
/* Would the first deliverable pending signal restart an interrupted call? */
int pending_wants_restart(struct gthread *t);
/* sigreturn(2): loads guest registers from a FreeBSD ucontext into uc. */
long restore_fucontext(struct gthread *t, struct lucontext *uc, const struct fucontext *fuc);
/* Sets the guest mask and the host mask the guest resumes with. */
void set_guest_mask(struct gthread *t, struct lucontext *uc, const fsigset_t *m);
/* Converts a host siginfo; returns the FreeBSD signal to deliver, which
 * differs from fsig for some hardware faults. uc may be NULL. */
int siginfo_l2f(const struct lsiginfo *si, struct fsiginfo *fi, int fsig,
		const struct lucontext *uc);
