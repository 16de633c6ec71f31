/* struct kevent conversions and filter arithmetic. Pure: no system calls.
 * The compat11 (syscall 363) event is the current one without ext[]. */
#include "kevent.h"
#include <string.h>

void kev_from11(const struct fkevent11 *in, struct fkevent *out)
{
	memset(out, 0, sizeof *out);
	out->ident = in->ident;
	out->filter = in->filter;
	out->flags = in->flags;
	out->fflags = in->fflags;
	out->data = in->data;
	out->udata = in->udata;
}

void kev_to11(const struct fkevent *in, struct fkevent11 *out)
{
	out->ident = in->ident;
	out->filter = in->filter;
	out->flags = in->flags;
	out->fflags = in->fflags;
	out->data = in->data;
	out->udata = in->udata;
}

int64_t ktimer_ns(int64_t data, uint32_t fflags)
{
	int64_t mul;
	if (data < 0)
		return -1;
	switch (fflags & (NOTE_SECONDS | NOTE_MSECONDS | NOTE_USECONDS | NOTE_NSECONDS)) {
	case NOTE_SECONDS: mul = 1000000000; break;
	case 0:
	case NOTE_MSECONDS: mul = 1000000; break;
	case NOTE_USECONDS: mul = 1000; break;
	case NOTE_NSECONDS: mul = 1; break;
	default: return -1; /* more than one unit */
	}
	if (data > INT64_MAX / mul)
		return INT64_MAX;
	return data * mul;
}

uint32_t kuser_fflags(uint32_t cur, uint32_t req)
{
	uint32_t ff = req & NOTE_FFLAGSMASK;
	switch (req & NOTE_FFCTRLMASK) {
	case NOTE_FFAND: return cur & ff;
	case NOTE_FFOR: return cur | ff;
	case NOTE_FFCOPY: return ff;
	default: return cur;
	}
}

uint32_t kvnode_notes(uint32_t m, int child)
{
	uint32_t n = 0;
	if (child) {
		/* Entries created, removed or renamed: the directory was
		 * written; a subdirectory also changes its link count. */
		if (m & (0x100 | 0x200 | 0x40 | 0x80)) { /* CREATE DELETE MOVED_FROM MOVED_TO */
			n |= NOTE_WRITE;
			if (m & 0x40000000) /* ISDIR */
				n |= NOTE_LINK;
		}
		return n;
	}
	if (m & 0x1)   n |= NOTE_READ;        /* ACCESS */
	if (m & 0x2)   n |= NOTE_WRITE;       /* MODIFY */
	if (m & 0x4)   n |= NOTE_ATTRIB;      /* ATTRIB */
	if (m & 0x8)   n |= NOTE_CLOSE_WRITE; /* CLOSE_WRITE */
	if (m & 0x10)  n |= NOTE_CLOSE;       /* CLOSE_NOWRITE */
	if (m & 0x20)  n |= NOTE_OPEN;        /* OPEN */
	if (m & 0x400) n |= NOTE_DELETE;      /* DELETE_SELF */
	if (m & 0x800) n |= NOTE_RENAME;      /* MOVE_SELF */
	if (m & 0x2000) n |= NOTE_REVOKE;     /* UNMOUNT */
	return n;
}
