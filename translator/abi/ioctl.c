/* ioctl(2): the file (FIO*) and terminal (TIO*) requests of sys/filio.h and
 * sys/ttycom.h, mapped onto their Linux counterparts; interface requests
 * (group 'i') go to ifioctl.c. Anything else is ENOTTY, so FreeBSD's isatty() (TIOCGETA) fails on pipes as it should. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "xlate.h"
#include "fs.h"
#include "rtmsg.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>

/* FreeBSD requests (constants.md "ioctl request numbers") */
#define FIOCLEX 0x20006601U
#define FIONCLEX 0x20006602U
#define FIONREAD 0x4004667fU
#define FIONBIO 0x8004667eU
#define FIOASYNC 0x8004667dU
#define FIOSETOWN 0x8004667cU
#define FIOGETOWN 0x4004667bU
#define FIODTYPE 0x4004667aU
#define FIONWRITE 0x40046677U
#define FIODGNAME 0x80106678U
#define FIOSEEKDATA 0xc0086661U
#define FIOSEEKHOLE 0xc0086662U
#define TIOCEXCL 0x2000740dU
#define TIOCNXCL 0x2000740eU
#define TIOCFLUSH 0x80047410U
#define TIOCGETA 0x402c7413U
#define TIOCSETA 0x802c7414U
#define TIOCSETAW 0x802c7415U
#define TIOCSETAF 0x802c7416U
#define TIOCGETD 0x4004741aU
#define TIOCSETD 0x8004741bU
#define TIOCPTMASTER 0x2000741cU
#define TIOCGPTN 0x4004740fU
#define TIOCSTI 0x80017472U
#define TIOCNOTTY 0x20007471U
#define TIOCSCTTY 0x20007461U
#define TIOCGPGRP 0x40047477U
#define TIOCSPGRP 0x80047476U
#define TIOCOUTQ 0x40047473U
#define TIOCGWINSZ 0x40087468U
#define TIOCSWINSZ 0x80087467U
#define TIOCGSID 0x40047463U
#define TIOCDRAIN 0x2000745eU
#define TIOCSTOP 0x2000746fU
#define TIOCSTART 0x2000746eU
#define TIOCMGET 0x4004746aU
#define TIOCMSET 0x8004746dU
#define TIOCMBIS 0x8004746cU
#define TIOCMBIC 0x8004746bU
#define TIOCSBRK 0x2000747bU
#define TIOCCBRK 0x2000747aU

/* Linux requests (asm-generic/ioctls.h) */
#define L_TCSBRK 0x5409
#define L_TCXONC 0x540a
#define L_TCFLSH 0x540b
#define L_TIOCEXCL 0x540c
#define L_TIOCNXCL 0x540d
#define L_TIOCSCTTY 0x540e
#define L_TIOCGPGRP 0x540f
#define L_TIOCSPGRP 0x5410
#define L_TIOCOUTQ 0x5411
#define L_TIOCSTI 0x5412
#define L_TIOCGWINSZ 0x5413
#define L_TIOCSWINSZ 0x5414
#define L_TIOCMGET 0x5415
#define L_TIOCMBIS 0x5416
#define L_TIOCMBIC 0x5417
#define L_TIOCMSET 0x5418
#define L_FIONREAD 0x541b
#define L_FIONBIO 0x5421
#define L_TIOCNOTTY 0x5422
#define L_TIOCSETD 0x5423
#define L_TIOCGETD 0x5424
#define L_TIOCSBRK 0x5427
#define L_TIOCCBRK 0x5428
#define L_TIOCGSID 0x5429
#define L_FIOASYNC 0x5452
#define L_TCGETS2 0x802c542aU
#define L_TCSETS2 0x402c542bU
#define L_TCSETSW2 0x402c542cU
#define L_TCSETSF2 0x402c542dU
#define L_TIOCGPTN 0x80045430U
#define L_TIOCSPTLCK 0x40045431U

#define FD_TTY 0x0004 /* FIODTYPE d_flags */

struct ffiodgname_arg {
	int32_t len;
	int32_t pad;
	uint64_t buf;
};
_Static_assert(sizeof(struct ffiodgname_arg) == 16, "fiodgname_arg");

long tty_unlock_master(int fd)
{
	int zero = 0;
	return lsys3(__NR_ioctl, fd, L_TIOCSPTLCK, &zero);
}

static long tcgetattr_f(int fd, struct ftermios *u)
{
	UADDR_GUARD(u, sizeof *u);
	struct ltermios2 l;
	long r = lsys3(__NR_ioctl, fd, L_TCGETS2, &l);
	if (lerr(r))
		return r;
	struct ftermios f;
	termios_l2f(&l, &f);
	memcpy(u, &f, sizeof f);
	return 0;
}

static long tcsetattr_f(int fd, unsigned lreq, const struct ftermios *u)
{
	UADDR_GUARD(u, sizeof *u);
	struct ltermios2 cur, l;
	long r = lsys3(__NR_ioctl, fd, L_TCGETS2, &cur);
	if (lerr(r))
		return r;
	struct ftermios f;
	memcpy(&f, u, sizeof f);
	termios_f2l(&f, &l);
	l.c_line = cur.c_line;
	if (f.c_cflag & 0x1) { /* CIGNORE (tcsetattr TCSASOFT): keep control flags and speeds */
		l.c_cflag = cur.c_cflag;
		l.c_ispeed = cur.c_ispeed;
		l.c_ospeed = cur.c_ospeed;
	}
	if (lreq == L_TCSETS2)
		return lsys3(__NR_ioctl, fd, lreq, &l);
	return bsys(__NR_ioctl, fd, lreq, &l, 0, 0, 0); /* waits for output to drain */
}

/* Device name without "/dev/" (FIODGNAME, what ttyname/devname use). */
static long dev_name(int fd, char *out, size_t size)
{
	unsigned n;
	if (!lerr(lsys3(__NR_ioctl, fd, L_TIOCGPTN, &n))) {
		rt_snprintf(out, size, "pts/%u", n); /* a pty master names its slave */
		return 0;
	}
	struct lstatx x;
	long r = fs_statx(fd, "", AT_EMPTY_PATH, &x);
	if (lerr(r))
		return r;
	if ((x.stx_mode & 0170000) != 0020000)
		return -ENOTTY; /* not a device */
	char p[32], link[256];
	rt_snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	long len = lsys4(__NR_readlinkat, AT_FDCWD, p, link, sizeof link - 1);
	if (lerr(len))
		return len;
	link[len] = 0;
	if (!rt_startswith(link, "/dev/"))
		return -EINVAL;
	rt_strlcpy(out, link + 5, size);
	return 0;
}

static long fiodgname(int fd, struct ffiodgname_arg *u)
{
	UADDR_GUARD(u, sizeof *u);
	char name[256];
	long r = dev_name(fd, name, sizeof name);
	if (lerr(r))
		return r;
	size_t len = strlen(name) + 1;
	if (u->len < 0 || (size_t)u->len < len)
		return -EINVAL;
	UADDR_GUARD((void *)u->buf, len);
	memcpy((void *)u->buf, name, len);
	return 0;
}

/* FIOSEEKDATA/FIOSEEKHOLE: like lseek(SEEK_DATA/SEEK_HOLE) but the file
 * offset does not move. */
static long seek_probe(int fd, int64_t *u, int whence)
{
	UADDR_GUARD(u, sizeof *u);
	long cur = lsys3(__NR_lseek, fd, 0, 1);
	if (lerr(cur))
		return cur == -ESPIPE ? -ENOTTY : cur;
	long r = lsys3(__NR_lseek, fd, *u, whence);
	lsys3(__NR_lseek, fd, cur, 0);
	if (lerr(r))
		return r;
	*u = r;
	return 0;
}

static long put_int(int *u, long v)
{
	UADDR_GUARD(u, sizeof *u);
	*u = (int)v;
	return 0;
}

long sys_ioctl(struct sysctx *c)
{
	int fd = ARG_INT(c, 0);
	uint32_t com = (uint32_t)c->a[1];
	void *data = ARG_PTR(c, 2);
	long r;
	FD_GUARD(fd);
#define PASS(lreq) lsys3(__NR_ioctl, fd, (lreq), data)
	switch (com) {
	case FIOCLEX:
	case FIONCLEX:
		r = lsys3(__NR_fcntl, fd, F_GETFD, 0);
		if (lerr(r))
			return r;
		r = com == FIOCLEX ? (r | FD_CLOEXEC) : (r & ~FD_CLOEXEC);
		return lsys3(__NR_fcntl, fd, F_SETFD, r);
	case FIONREAD:
		return PASS(L_FIONREAD);
	case FIONBIO:
		return PASS(L_FIONBIO);
	case FIOASYNC:
		return PASS(L_FIOASYNC);
	case FIOSETOWN:
		UADDR_GUARD(data, sizeof(int));
		return lsys3(__NR_fcntl, fd, F_SETOWN, *(int *)data);
	case FIOGETOWN:
		r = lsys3(__NR_fcntl, fd, F_GETOWN, 0);
		return lerr(r) ? r : put_int(data, r);
	case FIONWRITE:
		return PASS(L_TIOCOUTQ);
	case FIODTYPE: {
		struct lstatx x;
		struct ltermios2 t;
		r = fs_statx(fd, "", AT_EMPTY_PATH, &x);
		if (lerr(r))
			return r;
		if ((x.stx_mode & 0170000) != 0020000)
			return -ENOTTY;
		return put_int(data, lerr(lsys3(__NR_ioctl, fd, L_TCGETS2, &t)) ? 0 : FD_TTY);
	}
	case FIODGNAME:
		return fiodgname(fd, data);
	case FIOSEEKDATA:
		return seek_probe(fd, data, 3);
	case FIOSEEKHOLE:
		return seek_probe(fd, data, 4);
	case TIOCGETA:
		return tcgetattr_f(fd, data);
	case TIOCSETA:
		return tcsetattr_f(fd, L_TCSETS2, data);
	case TIOCSETAW:
		return tcsetattr_f(fd, L_TCSETSW2, data);
	case TIOCSETAF:
		return tcsetattr_f(fd, L_TCSETSF2, data);
	case TIOCGWINSZ:
		return PASS(L_TIOCGWINSZ);
	case TIOCSWINSZ:
		return PASS(L_TIOCSWINSZ);
	case TIOCGPGRP:
		return PASS(L_TIOCGPGRP);
	case TIOCSPGRP:
		return PASS(L_TIOCSPGRP);
	case TIOCGSID:
		return PASS(L_TIOCGSID);
	case TIOCSCTTY:
		return lsys3(__NR_ioctl, fd, L_TIOCSCTTY, 0);
	case TIOCNOTTY:
		return lsys3(__NR_ioctl, fd, L_TIOCNOTTY, 0);
	case TIOCFLUSH: {
		UADDR_GUARD(data, sizeof(int));
		int what = *(int *)data & 3; /* FREAD 1, FWRITE 2; 0 = both */
		int q = what == 1 ? 0 /* TCIFLUSH */ : what == 2 ? 1 /* TCOFLUSH */ : 2;
		return lsys3(__NR_ioctl, fd, L_TCFLSH, q);
	}
	case TIOCDRAIN:
		return bsys(__NR_ioctl, fd, L_TCSBRK, 1, 0, 0, 0);
	case TIOCOUTQ:
		return PASS(L_TIOCOUTQ);
	case TIOCEXCL:
		return lsys3(__NR_ioctl, fd, L_TIOCEXCL, 0);
	case TIOCNXCL:
		return lsys3(__NR_ioctl, fd, L_TIOCNXCL, 0);
	case TIOCSTI:
		return PASS(L_TIOCSTI);
	case TIOCSTOP:
		return lsys3(__NR_ioctl, fd, L_TCXONC, 0 /* TCOOFF */);
	case TIOCSTART:
		return lsys3(__NR_ioctl, fd, L_TCXONC, 1 /* TCOON */);
	case TIOCMGET: /* TIOCM_* bits agree */
		return PASS(L_TIOCMGET);
	case TIOCMSET:
		return PASS(L_TIOCMSET);
	case TIOCMBIS:
		return PASS(L_TIOCMBIS);
	case TIOCMBIC:
		return PASS(L_TIOCMBIC);
	case TIOCSBRK:
		return lsys3(__NR_ioctl, fd, L_TIOCSBRK, 0);
	case TIOCCBRK:
		return lsys3(__NR_ioctl, fd, L_TIOCCBRK, 0);
	case TIOCGETD: /* TTYDISC = N_TTY = 0 */
		return PASS(L_TIOCGETD);
	case TIOCSETD:
		return PASS(L_TIOCSETD);
	case TIOCPTMASTER: {
		unsigned n;
		r = lsys3(__NR_ioctl, fd, L_TIOCGPTN, &n);
		return lerr(r) ? -ENOTTY : 0;
	}
	case TIOCGPTN:
		return PASS(L_TIOCGPTN);
	default:
		if (((com >> 8) & 0xff) == 'i')
			return if_ioctl(fd, com, data);
		return -ENOTTY;
	}
#undef PASS
}
