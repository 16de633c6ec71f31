/* FreeBSD struct kevent (both generations) and kqueue constants
 * (constants.md "kqueue/kevent", structs.md "struct kevent"), with the pure
 * converters of kevconv.c. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct fkevent {
	uint64_t ident;
	int16_t filter;
	uint16_t flags;
	uint32_t fflags;
	int64_t data;
	uint64_t udata;
	uint64_t ext[4];
};
_Static_assert(sizeof(struct fkevent) == 64, "kevent");
_Static_assert(offsetof(struct fkevent, data) == 16, "kevent.data");
_Static_assert(offsetof(struct fkevent, ext) == 32, "kevent.ext");

struct fkevent11 {
	uint64_t ident;
	int16_t filter;
	uint16_t flags;
	uint32_t fflags;
	int64_t data;
	uint64_t udata;
};
_Static_assert(sizeof(struct fkevent11) == 32, "kevent_freebsd11");

#define EVFILT_READ (-1)
#define EVFILT_WRITE (-2)
#define EVFILT_AIO (-3)
#define EVFILT_VNODE (-4)
#define EVFILT_PROC (-5)
#define EVFILT_SIGNAL (-6)
#define EVFILT_TIMER (-7)
#define EVFILT_PROCDESC (-8)
#define EVFILT_FS (-9)
#define EVFILT_LIO (-10)
#define EVFILT_USER (-11)
#define EVFILT_SENDFILE (-12)
#define EVFILT_EMPTY (-13)
#define EVFILT_SYSCOUNT 13

#define EV_ADD 0x1
#define EV_DELETE 0x2
#define EV_ENABLE 0x4
#define EV_DISABLE 0x8
#define EV_ONESHOT 0x10
#define EV_CLEAR 0x20
#define EV_RECEIPT 0x40
#define EV_DISPATCH 0x80
#define EV_FORCEONESHOT 0x100
#define EV_SYSFLAGS 0xf000
#define EV_ERROR 0x4000
#define EV_EOF 0x8000

#define NOTE_FFNOP 0
#define NOTE_FFAND 0x40000000U
#define NOTE_FFOR 0x80000000U
#define NOTE_FFCOPY 0xc0000000U
#define NOTE_FFCTRLMASK 0xc0000000U
#define NOTE_FFLAGSMASK 0x00ffffffU
#define NOTE_TRIGGER 0x01000000U

#define NOTE_DELETE 0x1
#define NOTE_WRITE 0x2
#define NOTE_EXTEND 0x4
#define NOTE_ATTRIB 0x8
#define NOTE_LINK 0x10
#define NOTE_RENAME 0x20
#define NOTE_REVOKE 0x40
#define NOTE_OPEN 0x80
#define NOTE_CLOSE 0x100
#define NOTE_CLOSE_WRITE 0x200
#define NOTE_READ 0x400

#define NOTE_EXIT 0x80000000U
#define NOTE_SECONDS 0x1
#define NOTE_MSECONDS 0x2
#define NOTE_USECONDS 0x4
#define NOTE_NSECONDS 0x8
#define NOTE_ABSTIME 0x10

#define KQUEUE_CLOEXEC 0x1

/* kevconv.c (pure) */
void kev_from11(const struct fkevent11 *in, struct fkevent *out);
void kev_to11(const struct fkevent *in, struct fkevent11 *out);
/* EVFILT_TIMER period or deadline in nanoseconds; -1 if invalid. */
int64_t ktimer_ns(int64_t data, uint32_t fflags);
/* EVFILT_VNODE notes for one inotify event mask; child: the event names
 * an entry of the watched directory rather than the watched file. */
uint32_t kvnode_notes(uint32_t inotify_mask, int child);
/* EVFILT_USER fflags update from a registration (NOTE_FF* control). */
uint32_t kuser_fflags(uint32_t cur, uint32_t req);

