/* kern.proc.*: facts about processes (constants.md KERN_PROC_*).
 *
 * Every process is a Linux process: the tables come from /proc/PID/{stat,
 * status,cmdline} through the pure converter in abi/kinfo.c. A process that
 * runs a FreeBSD program is a bsdulator process whose Linux cmdline is
 * "bsdulator [options] [--] PROGRAM ARGS" and whose /proc/PID/exe is the
 * translator; for those the program's name (ki_comm), argv (kern.proc.args)
 * and path (kern.proc.pathname) are the FreeBSD program's, taken from that
 * cmdline (PROGRAM is the guest path inside the root). The calling process
 * answers from its own state (proc.execpath, ps_strings), which also sees a
 * setproctitle. Other processes are Linux programs: comm from stat, path
 * from /proc/PID/exe, ki_emul "Linux ELF64".
 * KERN_PROC_ALL and KERN_PROC_INC_THREAD give one entry per thread
 * (/proc/PID/task), ki_wmesg
 * comes from the wait channel (FreeBSD names for the usual sleeps).
 * Limits: ki_login and signal sets are left empty. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "../trap/signals.h"
#include "../loader/process.h"
#include "sysctl.h"
#include "kinfo.h"
#include "jail.h"
#include "fbsd.h"
#include "fsabi.h"
#include <asm-generic/errno.h>
#include <asm-generic/fcntl.h>
#include <linux/time.h>
#include <linux/fcntl.h>

#define K_ALL 0
#define K_PID 1
#define K_PGRP 2
#define K_SESSION 3
#define K_TTY 4
#define K_UID 5
#define K_RUID 6
#define K_ARGS 7
#define K_PROC 8
#define K_RGID 10
#define K_GID 11
#define K_PATHNAME 12
#define K_ENV 35
#define K_OSREL 40
#define K_INC_THREAD 0x10
#define BIG 262144 /* kern.argmax-sized buffers for args and env */

/* The host /proc, also under --root (loader/main.c opens it first). */
static int procdir(const char **path)
{
	if (proc.proc_fd < 0)
		return AT_FDCWD;
	*path += 6; /* "/proc/" */
	return proc.proc_fd;
}

/* Reads a whole small /proc file; length or -errno. */
static long slurp(const char *path, char *buf, size_t size)
{
	int dir = procdir(&path);
	long fd = lsys4(__NR_openat, dir, path, O_RDONLY | O_CLOEXEC, 0);
	if (lerr(fd))
		return fd;
	size_t n = 0;
	while (n < size) {
		long r = lsys3(__NR_read, fd, buf + n, size - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	lsys1(__NR_close, fd);
	return (long)n;
}

static int self_pid(void) { return (int)lsys0(__NR_getpid); }

/* The cmdline of pid, rewritten to the guest's argv when it runs under
 * bsdulator; prog gets the FreeBSD program path (or ""). */
static long cmdline(int pid, char *buf, size_t size, char *prog, size_t progsz)
{
	char path[64];
	rt_snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
	long n = slurp(path, buf, size);
	prog[0] = 0;
	if (n <= 0)
		return n;
	size_t len = (size_t)n;
	if (kinfo_guest_cmdline(buf, &len, prog, progsz))
		return (long)len;
	return n;
}

static const char *basename_of(const char *s)
{
	const char *b = s;
	for (; *s; s++)
		if (*s == '/' && s[1])
			b = s + 1;
	return b;
}

static void clock_facts(struct kinfo_clock *c)
{
	struct { long sec, nsec; } now, up;
	lsys2(__NR_clock_gettime, CLOCK_REALTIME, &now);
	lsys2(__NR_clock_gettime, CLOCK_BOOTTIME, &up);
	long bs = now.sec - up.sec, bn = now.nsec - up.nsec;
	if (bn < 0)
		bs--, bn += 1000000000;
	c->hz = 100; /* USER_HZ on amd64 */
	c->boot_sec = bs;
	c->boot_usec = bn / 1000;
	c->uptime_ticks = (unsigned long long)up.sec * 100 + (unsigned long long)up.nsec / 10000000;
}

/* Parses /proc/PID/stat into p (buf: size bytes of scratch); -ESRCH when gone. */
static long read_stat(int pid, char *buf, size_t size, struct lproc *p)
{
	char path[64];
	__builtin_memset(p, 0, sizeof *p);
	rt_snprintf(path, sizeof path, "/proc/%d/stat", pid);
	long n = slurp(path, buf, size);
	return n > 0 && kinfo_parse_stat(buf, (size_t)n, p) == 0 ? 0 : -ESRCH;
}

unsigned long long proc_start_ticks(int pid)
{
	char buf[1024]; /* no heap: fork calls this with the heap locked */
	struct lproc p;
	return read_stat(pid, buf, sizeof buf, &p) == 0 ? p.starttime : 0;
}

/* The FreeBSD wmesg of thread tid of pid into k (for a sleeping one). */
static void wmesg(struct kinfo_proc *k, int pid, int tid)
{
	char path[64], w[64];
	w[0] = 0;
	if (k->ki_stat == KI_SSLEEP) {
		rt_snprintf(path, sizeof path, "/proc/%d/task/%d/wchan", pid, tid);
		long n = slurp(path, w, sizeof w - 1);
		w[n > 0 ? n : 0] = 0;
	}
	kinfo_set_wait(k, w);
}

/* Builds the kinfo_proc of pid; -ESRCH when it is gone or, seen from inside
 * a jail, in no jail visible from there. t: the locked jail table or NULL.
 * lcomm (20 bytes, or NULL) gets the Linux name of its main thread. */
static long build(int pid, struct kinfo_proc *k, const struct kinfo_clock *c, struct jailrec *t,
		  char *lcomm)
{
	char path[64], prog[1024];
	char *buf = rt_malloc(4096);
	if (!buf)
		return -ENOMEM;
	struct lproc p;
	int jid = 0;
	if (read_stat(pid, buf, 4096, &p) < 0 || (t && (jid = jail_of(t, pid, p.starttime),
						 !jail_visible_from_here(t, jid)))) {
		rt_free(buf);
		return -ESRCH;
	}
	if (lcomm)
		rt_strlcpy(lcomm, p.comm, sizeof p.comm);
	rt_snprintf(path, sizeof path, "/proc/%d/status", pid);
	long n = slurp(path, buf, 4096);
	if (n > 0)
		kinfo_parse_status(buf, (size_t)n, &p);
	if (pid == self_pid()) {
		p.translated = 1;
		rt_strlcpy(p.comm, basename_of(proc.execpath), sizeof p.comm);
	} else if (cmdline(pid, buf, 4096, prog, sizeof prog) > 0 && prog[0]) {
		p.translated = 1;
		rt_strlcpy(p.comm, basename_of(prog), sizeof p.comm);
	}
	rt_free(buf);
	kinfo_fill(k, &p, c);
	k->ki_jid = jid;
	wmesg(k, pid, pid); /* FreeBSD: the first thread's */
	return 0;
}

static int selected(const struct kinfo_proc *k, int op, int arg);

/* A growing array of kinfo_proc. */
struct kvec {
	struct kinfo_proc *v;
	size_t cnt, cap;
};

/* The next free slot (not yet counted), or NULL when out of memory. */
static struct kinfo_proc *kv_slot(struct kvec *kv)
{
	if (kv->cnt == kv->cap) {
		size_t cap = kv->cap ? 2 * kv->cap : 64;
		struct kinfo_proc *nv = rt_malloc(cap * sizeof *nv);
		if (nv && kv->cnt)
			memcpy(nv, kv->v, kv->cnt * sizeof *nv);
		rt_free(kv->v);
		kv->v = nv;
		kv->cap = nv ? cap : 0;
		kv->cnt = nv ? kv->cnt : 0;
	}
	return kv->v ? &kv->v[kv->cnt] : NULL;
}

/* Calls fn(id, arg) for each numeric entry of the /proc directory path;
 * 0 or -errno. */
static long each_id(const char *path, void (*fn)(int id, void *arg), void *arg)
{
	int dir = procdir(&path);
	long fd = lsys4(__NR_openat, dir, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (lerr(fd))
		return fd;
	char *dents = rt_malloc(8192);
	long got;
	while (dents && (got = lsys3(__NR_getdents64, fd, dents, 8192)) > 0) {
		for (long off = 0; off < got;) {
			/* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
			unsigned short reclen = *(unsigned short *)(dents + off + 16);
			const char *name = dents + off + 19;
			off += reclen;
			int id = 0;
			for (const char *q = name; *q >= '0' && *q <= '9'; q++)
				id = id * 10 + (*q - '0');
			if (id > 0)
				fn(id, arg);
		}
	}
	lsys1(__NR_close, fd);
	if (!dents)
		return -ENOMEM;
	rt_free(dents);
	return 0;
}

/* KERN_PROC_INC_THREAD: the process row proc, once per thread. */
struct thr_walk {
	struct kvec *kv;
	struct kinfo_proc proc;
	const struct kinfo_clock *c;
	char lcomm[20]; /* the main thread's Linux name */
};

static void add_thread(int tid, void *arg)
{
	struct thr_walk *w = arg;
	char path[64], buf[1024];
	struct lproc t;
	__builtin_memset(&t, 0, sizeof t);
	rt_snprintf(path, sizeof path, "/proc/%d/task/%d/stat", w->proc.ki_pid, tid);
	long n = slurp(path, buf, sizeof buf);
	if (n <= 0 || kinfo_parse_stat(buf, (size_t)n, &t) < 0)
		return; /* gone meanwhile */
	struct kinfo_proc *k = kv_slot(w->kv);
	if (!k)
		return;
	*k = w->proc;
	/* A thread never named keeps the process's Linux name (the translator
	 * for a FreeBSD program): FreeBSD's td_name starts as p_comm. */
	const char *name = strcmp(t.comm, w->lcomm) == 0 ? w->proc.ki_comm : t.comm;
	rt_snprintf(path, sizeof path, "/proc/%d/task/%d/wchan", w->proc.ki_pid, tid);
	n = slurp(path, buf, 63);
	buf[n > 0 ? n : 0] = 0;
	kinfo_fill_thread(k, &t, w->c, name, buf);
	w->kv->cnt++;
}

/* Adds pid's row (threads: one per thread) to kv if it is selected. */
static void add_proc(struct kvec *kv, int pid, int op, int arg, int threads,
		     const struct kinfo_clock *c, struct jailrec *t)
{
	struct thr_walk w = { kv, { 0 }, c, { 0 } };
	if (build(pid, &w.proc, c, t, w.lcomm) < 0 || !selected(&w.proc, op, arg))
		return;
	char path[64];
	rt_snprintf(path, sizeof path, "/proc/%d/task", pid);
	size_t before = kv->cnt;
	if (threads)
		each_id(path, add_thread, &w);
	struct kinfo_proc *k;
	if (kv->cnt == before && (k = kv_slot(kv))) { /* no threads seen: the process row */
		*k = w.proc;
		kv->cnt++;
	}
}

static int selected(const struct kinfo_proc *k, int op, int arg)
{
	switch (op) {
	case K_ALL:
	case K_PROC: return 1;
	case K_PID: return k->ki_pid == arg;
	case K_PGRP: return k->ki_pgid == arg;
	case K_SESSION: return k->ki_sid == arg;
	case K_TTY: return (uint32_t)k->ki_tdev_freebsd11 == (uint32_t)arg;
	case K_UID: return k->ki_uid == (uint32_t)arg;
	case K_RUID: return k->ki_ruid == (uint32_t)arg;
	case K_RGID: return k->ki_rgid == (uint32_t)arg;
	case K_GID: return k->ki_groups[0] == (uint32_t)arg;
	}
	return 0;
}

/* kern.proc.{all,proc,pgrp,session,tty,uid,ruid,rgid,gid}: walks /proc;
 * kern.proc.pid: one process (pid >= 0). threads: KERN_PROC_INC_THREAD. */
struct list_walk {
	struct kvec kv;
	int op, arg, threads;
	struct kinfo_clock c;
	struct jailrec *t;
};

static void list_one(int pid, void *arg)
{
	struct list_walk *w = arg;
	add_proc(&w->kv, pid, w->op, w->arg, w->threads, &w->c, w->t);
}

static long list(struct sysctl_req *r, int op, int arg, int threads)
{
	struct list_walk w = { { NULL, 0, 0 }, op, arg, threads, { 0 }, NULL };
	clock_facts(&w.c);
	w.t = jail_lock_if_any();
	long e = 0;
	if (op == K_PID)
		add_proc(&w.kv, arg, op, arg, threads, &w.c, w.t);
	else
		e = each_id("/proc/.", list_one, &w);
	if (w.t)
		jail_unlock();
	if (e < 0) {
		rt_free(w.kv.v);
		return e;
	}
	if (op == K_PID && !w.kv.cnt)
		return -ESRCH;
	long ret;
	if (r->oldlenp && !r->old)
		*r->oldlenp = (w.kv.cnt + 8) * sizeof(struct kinfo_proc); /* room for new processes */
	ret = r->oldlenp && !r->old ? 0 : sysctl_out(r, w.kv.v, w.kv.cnt * sizeof(struct kinfo_proc));
	rt_free(w.kv.v);
	return ret;
}

/* kern.proc.args of the calling process: its (guest) argv strings. */
static long own_args(struct sysctl_req *r)
{
	struct { char **argv; unsigned n; } *ps = (void *)proc.ps_strings;
	size_t total = 0;
	for (unsigned i = 0; ps && i < ps->n; i++)
		total += strlen(ps->argv[i]) + 1;
	char *b = rt_malloc(total + 1);
	if (!b)
		return -ENOMEM;
	size_t o = 0;
	for (unsigned i = 0; ps && i < ps->n; i++) {
		size_t l = strlen(ps->argv[i]) + 1;
		memcpy(b + o, ps->argv[i], l);
		o += l;
	}
	long ret = sysctl_out(r, b, o);
	rt_free(b);
	return ret;
}

static long args(struct sysctl_req *r, int pid)
{
	if (r->new)
		return -EPERM; /* setproctitle falls back to ps_strings */
	if (pid == self_pid())
		return own_args(r);
	char prog[1024];
	char *buf = rt_malloc(BIG);
	if (!buf)
		return -ENOMEM;
	long n = cmdline(pid, buf, BIG, prog, sizeof prog);
	n = n < 0 ? (n == -ENOENT ? -ESRCH : -EPERM) : sysctl_out(r, buf, (size_t)n);
	rt_free(buf);
	return n;
}

static long env(struct sysctl_req *r, int pid)
{
	char path[64];
	char *buf = rt_malloc(BIG);
	if (!buf)
		return -ENOMEM;
	rt_snprintf(path, sizeof path, "/proc/%d/environ", pid);
	long n = slurp(path, buf, BIG);
	n = n < 0 ? (n == -ENOENT ? -ESRCH : -EPERM) : sysctl_out(r, buf, (size_t)n);
	rt_free(buf);
	return n;
}

static long pathname(struct sysctl_req *r, int pid)
{
	if (pid == self_pid())
		return sysctl_out(r, proc.execpath, strlen(proc.execpath) + 1);
	char prog[1024], path[64];
	char *buf = rt_malloc(BIG);
	if (!buf)
		return -ENOMEM;
	long n = cmdline(pid, buf, BIG, prog, sizeof prog);
	rt_free(buf);
	if (n < 0)
		return n == -ENOENT ? -ESRCH : -EPERM;
	if (!prog[0]) { /* a Linux program: its host path */
		rt_snprintf(path, sizeof path, "/proc/%d/exe", pid);
		const char *pp = path;
		int dir = procdir(&pp);
		n = lsys4(__NR_readlinkat, dir, pp, prog, sizeof prog - 1);
		if (lerr(n))
			return -EPERM;
		prog[n] = 0;
	}
	return sysctl_out(r, prog, strlen(prog) + 1);
}

/* kern.devname: the terminal names ps shows in TT (kinfo_tdev's dev_t,
 * which is also what stat gives for the Linux device). */
long sysctl_devname(struct sysctl_req *r)
{
	uint64_t dev;
	if (r->newlen == 4)
		dev = *(const uint32_t *)r->new;
	else if (r->newlen == 8)
		dev = *(const uint64_t *)r->new;
	else
		return -EINVAL;
	uint32_t ma = fdev_major(dev), mi = fdev_minor(dev);
	char name[32];
	if (ma >= 136 && ma <= 143)
		rt_snprintf(name, sizeof name, "pts/%u", (ma - 136) * 256 + mi);
	else if (ma == 4 && mi >= 1 && mi < 64)
		rt_snprintf(name, sizeof name, "ttyv%u", mi - 1);
	else if (ma == 4 && mi >= 64)
		rt_snprintf(name, sizeof name, "ttyu%u", mi - 64);
	else if (ma == 5 && mi == 1)
		rt_snprintf(name, sizeof name, "console");
	else
		return -ENOENT;
	return sysctl_out(r, name, strlen(name) + 1);
}

long sysctl_proc(struct sysctl_req *r, const int *mib, unsigned len)
{
	if (len < 3 || mib[0] != 1 || mib[1] != 14)
		return -ENOSYS;
	/* sysctl_kern_proc: KERN_PROC_ALL always lists threads, the rest only
	 * with KERN_PROC_INC_THREAD (ps -H asks for ALL, plain ps for PROC). */
	int op = mib[2] & ~K_INC_THREAD, threads = (mib[2] & K_INC_THREAD) || mib[2] == K_ALL;
	if (op == K_ALL || op == K_PROC) {
		if (len != 3)
			return -EINVAL;
		return list(r, op, 0, threads);
	}
	if (len != 4)
		return -EINVAL;
	int pid = mib[3];
	switch (op) {
	case K_PGRP: case K_SESSION: case K_TTY: case K_UID:
	case K_RUID: case K_RGID: case K_GID:
		return list(r, op, pid, threads);
	}
	if (pid == -1)
		pid = self_pid();
	switch (op) {
	case K_PID:
		return list(r, op, pid, threads);
	case K_ARGS:
		return args(r, pid);
	case K_ENV:
		return env(r, pid);
	case K_PATHNAME:
		return pathname(r, pid);
	case K_OSREL: { /* every FreeBSD program here sees the release we claim */
		char path[64], b[8];
		rt_snprintf(path, sizeof path, "/proc/%d/stat", pid);
		if (slurp(path, b, sizeof b) <= 0)
			return -ESRCH;
		int v = fbsd_osreldate;
		return r->new ? 0 : sysctl_out(r, &v, sizeof v);
	}
	}
	if (pid != self_pid())
		return -ESRCH; /* the rest: the calling process only */
	switch (mib[2]) {
	case 36: /* AUXV */
		return sysctl_out(r, (void *)proc.auxv, proc.auxv_len);
	case 38: { /* PS_STRINGS */
		long v = (long)proc.ps_strings;
		return sysctl_out(r, &v, sizeof v);
	}
	case 41: { /* SIGTRAMP: struct kinfo_sigtramp */
		uint64_t k[6] = { sigtramp_addr, sigtramp_end, 0, 0, 0, 0 };
		return sysctl_out(r, k, sizeof k);
	}
	}
	return -ENOENT;
}
