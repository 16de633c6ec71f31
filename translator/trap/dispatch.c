/* The SIGSYS handler: every `syscall` the FreeBSD guest executes lands
 * here (Syscall User Dispatch). It decodes the FreeBSD calling convention,
 * runs the handler from the generated table and writes the result back in
 * FreeBSD form (carry flag + positive errno). */
#include "dispatch.h"
#include "signals.h"
#include "../rt/rt.h"
#include "../abi/xlate.h"

unsigned enosys_count[SYSTABLE_SIZE];

static void trace(const struct sysctx *c, const struct sysent *e, long ret)
{
	char buf[512];
	size_t n = 0;
	const char *k = e && e->args[0] != '-' ? e->args : "";
	n += (size_t)rt_snprintf(buf + n, sizeof buf - n, "[%d] %s(", c->t->tid,
				 e && e->name ? e->name : "?");
	for (int i = 0; k[i] && i < 8 && n < sizeof buf; i++) {
		const char *sep = i ? ", " : "";
		if (k[i] == 's' && c->a[i] >= 4096 && c->a[i] < 0x800000000000UL)
			n += (size_t)rt_snprintf(buf + n, sizeof buf - n, "%s\"%s\"", sep, (char *)c->a[i]);
		else if (k[i] == 'i')
			n += (size_t)rt_snprintf(buf + n, sizeof buf - n, "%s%d", sep, (int)c->a[i]);
		else
			n += (size_t)rt_snprintf(buf + n, sizeof buf - n, "%s0x%lx", sep, c->a[i]);
	}
	if (n < sizeof buf)
		rt_snprintf(buf + n, sizeof buf - n, ") #%d = %ld", c->nr, ret);
	rt_dprintf(2, "bsdulator[debug]: %s\n", buf);
}

/* Maps a handler's result to a FreeBSD errno, or 0 for success. */
static int result_errno(long ret)
{
	if (ret >= 0 || ret < -4095)
		return 0;
	long e = -ret;
	if (e > FERR_BASE && e < FERR_BASE + 200)
		return (int)(e - FERR_BASE);
	return errno_l2f((int)e);
}

/* A bad guest pointer faults inside the handler: answer EFAULT, as the
 * FreeBSD kernel's copyin/copyout would. */
static __attribute__((noinline)) long call_guarded(struct gthread *t, const struct sysent *e,
						   struct sysctx *c)
{
	long ret;
	if (fault_setjmp(&t->fault_jb) == 0) {
		t->fault_armed = 1;
		ret = e->fn(c);
	} else {
		ret = -14; /* EFAULT */
		DEBUG("fault in %s: EFAULT\n", e->name);
	}
	t->fault_armed = 0;
	return ret;
}

void sigsys_handler(int sig, struct lsiginfo *si, struct lucontext *uc)
{
	(void)sig;
	struct sigcontext *r = &uc->uc_mcontext;
	struct gthread *t = cur_thread();
	if (si->si_code != 2 /* SYS_USER_DISPATCH */)
		return; /* a stray kill(SIGSYS) from outside: not a guest signal */

	struct sysctx c;
	c.uc = uc;
	c.t = t;
	c.rdx = r->rdx;
	c.justreturn = 0;
	c.norestart = 0;
	uint64_t orig_rax = r->rax;
	unsigned nr = (uint32_t)r->rax;
	uint64_t *usp = (uint64_t *)r->rsp;
	if (nr == 0 || nr == 198) {
		/* syscall(2)/__syscall(2): number in rdi, arguments shift left. */
		nr = (uint32_t)r->rdi;
		c.a[0] = r->rsi; c.a[1] = r->rdx; c.a[2] = r->r10; c.a[3] = r->r8; c.a[4] = r->r9;
		c.a[5] = usp[1]; c.a[6] = usp[2]; c.a[7] = usp[3];
	} else {
		c.a[0] = r->rdi; c.a[1] = r->rsi; c.a[2] = r->rdx; c.a[3] = r->r10; c.a[4] = r->r8;
		c.a[5] = r->r9; c.a[6] = 0; c.a[7] = 0;
	}
	c.nr = (int)nr;

	const struct sysent *e = nr < SYSTABLE_SIZE ? &systable[nr] : NULL;
	long ret;
	if (e && e->fn) {
		ret = call_guarded(t, e, &c);
	} else {
		if (nr < SYSTABLE_SIZE)
			__atomic_fetch_add(&enosys_count[nr], 1, __ATOMIC_RELAXED);
		ret = FERR(FE_NOSYS);
		DEBUG("unimplemented syscall %u (%s) -> ENOSYS\n", nr, e && e->name ? e->name : "unknown");
	}
	if (rt_debug)
		trace(&c, e, ret);

	if (!c.justreturn) {
		int fe = result_errno(ret);
		if (!fe) {
			r->rax = (uint64_t)ret;
			r->rdx = c.rdx;
			r->eflags &= ~1UL;
		} else if (fe == FE_INTR && !c.norestart && pending_wants_restart(t)) {
			/* SA_RESTART: re-execute the syscall instruction after the handler. */
			r->rip -= 2;
			r->rax = orig_rax;
		} else {
			r->rax = (uint64_t)fe;
			r->eflags |= 1UL;
		}
	}
	if (t->sig_pending)
		deliver_pending(t, uc);
}
