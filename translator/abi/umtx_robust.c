/* UMTX_OP_ROBUST_LISTS and what FreeBSD does with the lists when a thread
 * ends (kern_umtx.c umtx_thread_cleanup): every robust mutex the thread
 * still owns becomes UMUTEX_RB_OWNERDEAD and one waiter is woken, so the
 * next locker gets EOWNERDEAD.
 *
 * libthr registers, per thread, the addresses of three words in its struct
 * pthread: the heads of the shared and private robust lists (each a chain
 * of struct umutex through m_rb_lnk) and the mutex being locked or unlocked
 * right now. The registrations live in a table keyed by thread record
 * (a fork child inherits its thread's entry, as FreeBSD copies td_rb_list).
 * The lists are guest memory: they are read with umtx_peek, so a corrupt
 * list ends the walk instead of faulting in an exiting thread. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "umtx.h"
#include <asm-generic/errno.h>

#define MAX_ROBUST 1000 /* kern.ipc.umtx_max_robust */

struct rb_reg {
	struct gthread *t;
	struct umtx_robust_lists_params p;
	struct rb_reg *next;
};

static struct rb_reg *regs;
static rt_lock_t rb_lock;

long umtx_robust_op(struct sysctx *c, uint64_t size, const void *params)
{
	struct umtx_robust_lists_params p = { 0 };
	if (size > sizeof p)
		return -EINVAL;
	memcpy(&p, params, size);
	rt_lock(&rb_lock);
	struct rb_reg *r = regs;
	while (r && r->t != c->t)
		r = r->next;
	if (!r && (r = rt_calloc(1, sizeof *r))) {
		r->t = c->t;
		r->next = regs;
		regs = r;
	}
	if (r)
		r->p = p;
	rt_unlock(&rb_lock);
	return r ? 0 : -ENOMEM;
}

/* umtx_handle_rb(): one mutex of the list. 0 to go on, else stop. */
static long handle(uint64_t addr, uint64_t *next, int inact, uint32_t id)
{
	struct umutex m;
	if (umtx_peek(addr, &m, sizeof m))
		return -EFAULT;
	if (next)
		*next = m.m_rb_lnk;
	if (!(m.m_flags & UMUTEX_ROBUST))
		return -EINVAL;
	if ((m.m_owner & ~UMUTEX_CONTESTED) != id)
		return inact ? 0 : -EINVAL; /* inact may be stale after unlock */
	return umtx_mutex_unlock((struct umutex *)addr, id, 1);
}

static void walk(uint64_t head, uint64_t *inact, uint32_t id)
{
	uint64_t rbp;
	if (!head || umtx_peek(head, &rbp, sizeof rbp))
		return;
	for (int i = 0; rbp && i < MAX_ROBUST; i++) {
		int in = rbp == *inact;
		if (in)
			*inact = 0;
		if (handle(rbp, &rbp, in, id))
			break;
	}
}

static void cleanup(const struct umtx_robust_lists_params *p, uint32_t id)
{
	uint64_t inact = 0;
	if (p->robust_inact_offset && umtx_peek(p->robust_inact_offset, &inact, sizeof inact))
		inact = 0;
	walk(p->robust_list_offset, &inact, id);
	walk(p->robust_priv_list_offset, &inact, id);
	if (inact)
		handle(inact, NULL, 1, id);
}

static struct rb_reg *take(struct gthread *t)
{
	rt_lock(&rb_lock);
	struct rb_reg **pp = &regs, *r;
	while ((r = *pp) && r->t != t)
		pp = &r->next;
	if (r)
		*pp = r->next;
	rt_unlock(&rb_lock);
	return r;
}

void umtx_robust_thread_exit(struct gthread *t)
{
	struct rb_reg *r = take(t);
	if (!r)
		return;
	cleanup(&r->p, umtx_tid(t));
	rt_free(r);
}

void umtx_robust_process_exit(void)
{
	rt_lock(&rb_lock);
	struct rb_reg *all = regs;
	regs = NULL;
	rt_unlock(&rb_lock);
	while (all) {
		struct rb_reg *r = all;
		all = r->next;
		/* Only threads that still run here (not a fork parent's). */
		if (thread_by_tid(r->t->tid) == r->t)
			cleanup(&r->p, umtx_tid(r->t));
		rt_free(r);
	}
}

void umtx_fork_child(struct gthread *self)
{
	struct rb_reg *mine = take(self);
	rt_lock(&rb_lock);
	struct rb_reg *others = regs;
	regs = mine;
	if (mine)
		mine->next = NULL;
	rt_unlock(&rb_lock);
	while (others) {
		struct rb_reg *r = others;
		others = r->next;
		rt_free(r);
	}
}
