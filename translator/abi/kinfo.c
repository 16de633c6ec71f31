/* Pure kern.proc conversions: Linux /proc/PID facts into FreeBSD struct
 * kinfo_proc (abi/kinfo.h). No system calls; sysctl_proc.c reads the files. */
#include "kinfo.h"
#include "fsabi.h"

static size_t slen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static void scopy(char *d, const char *s, size_t size)
{
	size_t i = 0;
	for (; s[i] && i + 1 < size; i++)
		d[i] = s[i];
	d[i] = 0;
}

/* Reads an unsigned or signed decimal at *p (skipping spaces). */
static long long num(const char **p, const char *end)
{
	const char *s = *p;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	int neg = s < end && *s == '-';
	s += neg;
	long long v = 0;
	while (s < end && *s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	*p = s;
	return neg ? -v : v;
}

int kinfo_parse_stat(const char *s, size_t n, struct lproc *p)
{
	const char *end = s + n, *open = NULL, *close = NULL;
	for (const char *q = s; q < end; q++) {
		if (*q == '(' && !open)
			open = q;
		if (*q == ')')
			close = q;
	}
	if (!open || !close || close < open || close + 2 >= end)
		return -1;
	const char *q = s;
	p->pid = (int)num(&q, end);
	size_t cl = (size_t)(close - open - 1);
	if (cl > sizeof p->comm - 1)
		cl = sizeof p->comm - 1;
	for (size_t i = 0; i < cl; i++)
		p->comm[i] = open[1 + i];
	p->comm[cl] = 0;
	q = close + 2;
	p->state = *q++;
	long long f[40];
	int k = 0;
	/* fields 4 (ppid) .. 24 (rss) */
	for (; k < 21 && q < end; k++)
		f[k] = num(&q, end);
	if (k < 21)
		return -1;
	p->ppid = (int)f[0];
	p->pgid = (int)f[1];
	p->sid = (int)f[2];
	p->tty_nr = (int)f[3];
	p->tpgid = (int)f[4];
	p->kflags = (unsigned long)f[5];
	p->utime = (unsigned long)f[10];
	p->stime = (unsigned long)f[11];
	p->cutime = (unsigned long)f[12];
	p->cstime = (unsigned long)f[13];
	p->nice = (long)f[15];
	p->num_threads = (long)f[16];
	p->starttime = (unsigned long long)f[18];
	p->vsize = (unsigned long)f[19];
	p->rss = (long)f[20];
	return 0;
}

static int line_is(const char *s, const char *end, const char *key)
{
	size_t k = slen(key);
	if ((size_t)(end - s) < k)
		return 0;
	for (size_t i = 0; i < k; i++)
		if (s[i] != key[i])
			return 0;
	return 1;
}

void kinfo_parse_status(const char *s, size_t n, struct lproc *p)
{
	const char *end = s + n;
	while (s < end) {
		const char *eol = s;
		while (eol < end && *eol != '\n')
			eol++;
		const char *q = s;
		if (line_is(s, eol, "Uid:") || line_is(s, eol, "Gid:")) {
			unsigned *v = s[0] == 'U' ? p->uid : p->gid;
			q += 4;
			for (int i = 0; i < 3; i++)
				v[i] = (unsigned)num(&q, eol);
		} else if (line_is(s, eol, "Groups:")) {
			q += 7;
			p->ngroups = 0;
			while (p->ngroups < 16) {
				while (q < eol && (*q == ' ' || *q == '\t'))
					q++;
				if (q >= eol || *q < '0' || *q > '9')
					break;
				p->groups[p->ngroups++] = (unsigned)num(&q, eol);
			}
		}
		s = eol + 1;
	}
}

static const char *base(const char *s)
{
	const char *b = s;
	for (; *s; s++)
		if (*s == '/' && s[1])
			b = s + 1;
	return b;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int kinfo_guest_cmdline(char *s, size_t *n, char *prog, size_t progsz)
{
	size_t len = *n;
	if (!len || s[len - 1] != 0)
		return 0; /* not NUL-terminated: not one of ours */
	const char *b = base(s);
	if (!streq(b, "bsdulator"))
		return 0;
	size_t i = slen(s) + 1;
	const char *argv0 = NULL;
	while (i < len && s[i] == '-') {
		const char *a = s + i;
		i += slen(a) + 1;
		if (streq(a, "--"))
			break;
		if (i >= len)
			return 0;
		if (streq(a, "--argv0"))
			argv0 = s + i;
		i += slen(s + i) + 1; /* --root, --exe-fd, --argv0 take a value */
	}
	if (i >= len)
		return 0;
	scopy(prog, s + i, progsz);
	/* the guest argv: argv0 (or PROGRAM), then what follows PROGRAM */
	char a0[1024];
	scopy(a0, argv0 ? argv0 : s + i, sizeof a0);
	size_t rest = i + slen(s + i) + 1, out = 0;
	size_t a0n = slen(a0) + 1;
	if (a0n > rest) /* cannot grow in place: keep PROGRAM as argv[0] */
		scopy(a0, s + i, sizeof a0), a0n = slen(a0) + 1;
	for (size_t k = 0; k < a0n; k++)
		s[out++] = a0[k];
	for (size_t k = rest; k < len; k++)
		s[out++] = s[k];
	*n = out;
	return 1;
}

uint64_t kinfo_tdev(int tty_nr)
{
	if (tty_nr <= 0)
		return KI_NODEV;
	unsigned u = (unsigned)tty_nr;
	unsigned ma = (u >> 8) & 0xfff, mi = (u & 0xff) | ((u >> 12) & 0xfff00);
	return fdev_make(ma, mi);
}

static char fstate(char c, int64_t *tdflags)
{
	switch (c) {
	case 'R':
		return KI_SRUN;
	case 'S':
	case 'I':
		*tdflags |= KI_TDF_SINTR;
		return KI_SSLEEP;
	case 'D':
		return KI_SSLEEP;
	case 'T':
	case 't':
		return KI_SSTOP;
	case 'Z':
	case 'X':
		return KI_SZOMB;
	}
	return KI_SIDL;
}

static struct kinfo_timeval ticks_tv(unsigned long long t, long hz)
{
	struct kinfo_timeval tv = { (int64_t)(t / hz), (int64_t)(t % hz) * 1000000 / hz };
	return tv;
}

void kinfo_fill(struct kinfo_proc *k, const struct lproc *p, const struct kinfo_clock *c)
{
	__builtin_memset(k, 0, sizeof *k);
	long hz = c->hz > 0 ? c->hz : 100;
	k->ki_structsize = KI_SIZE;
	k->ki_layout = 0;
	k->ki_pid = p->pid;
	k->ki_ppid = p->ppid;
	k->ki_pgid = p->pgid;
	k->ki_sid = p->sid;
	k->ki_tsid = p->sid;
	k->ki_tdev = kinfo_tdev(p->tty_nr);
	k->ki_tdev_freebsd11 = (uint32_t)k->ki_tdev;
	k->ki_tpgid = k->ki_tdev == KI_NODEV ? 0 : p->tpgid;
	k->ki_ruid = p->uid[0];
	k->ki_uid = p->uid[1];
	k->ki_svuid = p->uid[2];
	k->ki_rgid = p->gid[0];
	k->ki_svgid = p->gid[2];
	/* FreeBSD's groups[0] is the effective gid */
	k->ki_groups[0] = p->gid[1];
	int ng = 1;
	for (int i = 0; i < p->ngroups && ng < 16; i++)
		if (p->groups[i] != p->gid[1])
			k->ki_groups[ng++] = p->groups[i];
	k->ki_ngroups = (int16_t)ng;
	k->ki_size = p->vsize;
	k->ki_rssize = p->rss;
	unsigned long long cpu = (unsigned long long)p->utime + p->stime;
	k->ki_runtime = cpu * 1000000ULL / (unsigned long long)hz;
	k->ki_rusage.ru_utime = ticks_tv(p->utime, hz);
	k->ki_rusage.ru_stime = ticks_tv(p->stime, hz);
	k->ki_rusage_ch.ru_utime = ticks_tv(p->cutime, hz);
	k->ki_rusage_ch.ru_stime = ticks_tv(p->cstime, hz);
	struct kinfo_timeval ct = ticks_tv((unsigned long long)p->cutime + p->cstime, hz);
	k->ki_childtime = ct;
	struct kinfo_timeval st = ticks_tv(p->starttime, hz);
	k->ki_start.tv_sec = c->boot_sec + st.tv_sec;
	k->ki_start.tv_usec = c->boot_usec + st.tv_usec;
	if (k->ki_start.tv_usec >= 1000000) {
		k->ki_start.tv_sec++;
		k->ki_start.tv_usec -= 1000000;
	}
	/* %CPU: the process's lifetime average, as Linux ps shows it */
	if (c->uptime_ticks > p->starttime) {
		unsigned long long life = c->uptime_ticks - p->starttime;
		unsigned long long pct = cpu * KI_FSCALE / life;
		k->ki_pctcpu = (uint32_t)(pct > 64ULL * KI_FSCALE ? 64ULL * KI_FSCALE : pct);
		/* ps reports no %CPU for a process with ki_swtime 0 */
		k->ki_swtime = (uint32_t)(life / (unsigned long long)hz) + 1;
	}
	k->ki_stat = fstate(p->state, &k->ki_tdflags);
	k->ki_nice = (int8_t)p->nice;
	k->ki_flag = KI_P_INMEM;
	if (k->ki_tdev != KI_NODEV) {
		k->ki_flag |= KI_P_CONTROLT;
		k->ki_kiflag |= KI_CTTY;
	}
	if (p->kflags & 0x200000) /* PF_KTHREAD */
		k->ki_flag |= KI_P_SYSTEM;
	if (p->pid == p->sid)
		k->ki_kiflag |= KI_SLEADER;
	scopy(k->ki_comm, p->comm, sizeof k->ki_comm);
	scopy(k->ki_tdname, p->comm, sizeof k->ki_tdname);
	scopy(k->ki_emul, p->translated ? "FreeBSD ELF64" : "Linux ELF64", sizeof k->ki_emul);
	k->ki_numthreads = p->num_threads > 0 ? (int32_t)p->num_threads : 1;
	k->ki_tid = p->pid + 100000; /* FBSD_TID_OFFSET: the main thread's id */
	k->ki_pri[0] = 3;            /* PRI_TIMESHARE */
	k->ki_pri[1] = k->ki_pri[2] = k->ki_pri[3] = (uint8_t)(120 + p->nice);
	k->ki_oncpu = k->ki_lastcpu = -1; /* NOCPU */
	k->ki_oncpu_old = k->ki_lastcpu_old = 0xff;
}

/* Linux wait channels of the sleeps FreeBSD programs make here, named as
 * FreeBSD's wmesg for the same sleep (kevent, umtx, nanosleep, wait4,
 * pipes, select/poll, tty and socket reads, sigsuspend/sigtimedwait). */
static const struct {
	const char *lname, *fname;
} wmesgs[] = {
	{ "do_epoll_wait", "kqread" }, { "ep_poll", "kqread" },
	{ "futex_wait_queue", "uwait" }, { "futex_wait_queue_me", "uwait" },
	{ "futex_wait", "uwait" }, { "futex_do_wait", "uwait" },
	{ "hrtimer_nanosleep", "nanslp" },
	{ "do_nanosleep", "nanslp" }, { "do_wait", "wait" }, { "kernel_wait4", "wait" },
	{ "pipe_read", "piperd" }, { "pipe_write", "pipewr" }, { "anon_pipe_read", "piperd" },
	{ "anon_pipe_write", "pipewr" }, { "do_select", "select" }, { "do_sys_poll", "select" },
	{ "do_poll", "select" }, { "poll_schedule_timeout", "select" }, { "n_tty_read", "ttyin" },
	{ "__skb_wait_for_more_packets", "sbwait" },
	{ "inet_csk_accept", "accept" }, { "sk_wait_data", "sbwait" },
	{ "unix_stream_read_generic", "sbwait" }, { "unix_stream_data_wait", "sbwait" },
	{ "sigsuspend", "pause" }, { "do_sigtimedwait", "sigwait" },
};

void kinfo_wmesg(char *out, size_t size, const char *wchan)
{
	out[0] = 0;
	if (!wchan[0] || (wchan[0] == '0' && !wchan[1]))
		return; /* running, or the kernel hides it */
	char name[64]; /* without a compiler suffix: sigsuspend.isra.0 */
	size_t n = 0;
	for (; wchan[n] && wchan[n] != '.' && n + 1 < sizeof name; n++)
		name[n] = wchan[n];
	name[n] = 0;
	for (size_t i = 0; i < sizeof wmesgs / sizeof wmesgs[0]; i++)
		if (streq(name, wmesgs[i].lname)) {
			scopy(out, wmesgs[i].fname, size);
			return;
		}
	scopy(out, name, size); /* others: Linux's name, cut to WMESGLEN */
}

void kinfo_fill_thread(struct kinfo_proc *k, const struct lproc *t, const struct kinfo_clock *c,
		       const char *tdname, const char *wchan)
{
	struct kinfo_proc tk;
	kinfo_fill(&tk, t, c); /* t: the thread's stat, whose pid is its tid */
	k->ki_tid = tk.ki_tid;
	k->ki_stat = tk.ki_stat;
	k->ki_tdflags = tk.ki_tdflags;
	k->ki_runtime = tk.ki_runtime;
	k->ki_pctcpu = tk.ki_pctcpu;
	k->ki_rusage.ru_utime = tk.ki_rusage.ru_utime;
	k->ki_rusage.ru_stime = tk.ki_rusage.ru_stime;
	scopy(k->ki_tdname, tdname, sizeof k->ki_tdname);
	kinfo_set_wait(k, wchan);
}

void kinfo_set_wait(struct kinfo_proc *k, const char *wchan)
{
	k->ki_wmesg[0] = 0;
	k->ki_ptrs[7] = 0;
	if (k->ki_stat != KI_SSLEEP)
		return;
	kinfo_wmesg(k->ki_wmesg, sizeof k->ki_wmesg, wchan);
	if (!k->ki_wmesg[0])
		return;
	/* ps shows ki_wmesg only beside a non-zero ki_wchan (a kernel address
	 * on FreeBSD): one made from the channel's name, equal for equal ones. */
	uint64_t h = 1469598103934665603ULL;
	for (const char *q = wchan; *q; q++)
		h = (h ^ (uint8_t)*q) * 1099511628211ULL;
	k->ki_ptrs[7] = 0xfffff80000000000ULL | (h & 0xffffffffff0ULL);
}
