/* open(2)/fcntl(2) flag translation (constants.md "open(2)/openat(2) flags"). */
#include "xlate.h"

static const struct { uint32_t f, l; } oflag_map[] = {
	{ 0x4, 0x800 },          /* O_NONBLOCK */
	{ 0x8, 0x400 },          /* O_APPEND */
	{ 0x40, 0x2000 },        /* O_ASYNC */
	{ 0x80, 0x101000 },      /* O_SYNC/O_FSYNC */
	{ 0x100, 0x20000 },      /* O_NOFOLLOW */
	{ 0x200, 0x40 },         /* O_CREAT */
	{ 0x400, 0x200 },        /* O_TRUNC */
	{ 0x800, 0x80 },         /* O_EXCL */
	{ 0x8000, 0x100 },       /* O_NOCTTY */
	{ 0x10000, 0x4000 },     /* O_DIRECT */
	{ 0x20000, 0x10000 },    /* O_DIRECTORY */
	{ 0x100000, 0x80000 },   /* O_CLOEXEC */
	{ 0x400000, 0x200000 },  /* O_PATH */
	{ 0x1000000, 0x1000 },   /* O_DSYNC */
};

/* FreeBSD-only flags (O_SHLOCK, O_EXLOCK, O_EXEC/O_SEARCH, O_TTY_INIT,
 * O_VERIFY, O_RESOLVE_BENEATH, O_EMPTY_PATH) are left for the caller. */
uint32_t oflags_f2l(uint32_t f)
{
	uint32_t l = f & 3;
	for (unsigned i = 0; i < sizeof oflag_map / sizeof oflag_map[0]; i++)
		if ((f & oflag_map[i].f) == oflag_map[i].f)
			l |= oflag_map[i].l;
	return l;
}

uint32_t oflags_l2f(uint32_t l)
{
	/* Linux O_SYNC includes the O_DSYNC bit: consume matched bits so
	 * O_SYNC (earlier in the table) does not also report O_DSYNC. */
	uint32_t f = l & 3;
	for (unsigned i = 0; i < sizeof oflag_map / sizeof oflag_map[0]; i++)
		if ((l & oflag_map[i].l) == oflag_map[i].l) {
			f |= oflag_map[i].f;
			l &= ~oflag_map[i].l;
		}
	return f;
}
