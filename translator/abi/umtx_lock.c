/* libthr's kernel-assisted locks: mutexes, condition variables, rwlocks
 * and semaphores. */
#include "../trap/dispatch.h"
#include "umtx.h"
#include <asm-generic/errno.h>

long umtx_lock_op(struct sysctx *c, void *obj, int op, uint64_t val, void *u1, void *u2)
{
	(void)c; (void)obj; (void)val; (void)u1; (void)u2;
	return op >= 0 && op <= UMTX_OP_SET_MIN_TIMEOUT ? -ENOSYS : -EINVAL;
}
