/* Probe runtime: C entry, output, checks, string helpers. */
#include "probe.h"

int main(int argc, char **argv, char **envp);

u64 rt_entry_rsp, rt_entry_rdi; /* written by _start */
char **rt_envp;
u64 *rt_auxv;
static int n_checks, n_failed;

/* Called by _start with the pointer FreeBSD passes in %rdi: argc, argv[],
 * NULL, envp[], NULL, auxv (startup.md §2). */
__attribute__((noreturn)) void rt_start_c(long *ap)
{
	int argc = (int)ap[0];
	char **argv = (char **)(ap + 1);
	char **p = argv + argc + 1;
	rt_envp = p;
	while (*p)
		p++;
	rt_auxv = (u64 *)(p + 1);
	rt_exit(main(argc, argv, rt_envp));
}

void rt_exit(int code)
{
	for (;;)
		SYS(SYS_exit, code);
}

/* Rep-string versions: a C loop here could be turned back into a memcpy call. */
void *memcpy(void *d, const void *s, unsigned long n)
{
	void *r = d;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return r;
}

void *memset(void *d, int c, unsigned long n)
{
	void *r = d;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return r;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
	const volatile u8 *x = a, *y = b;
	for (unsigned long i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

unsigned long rt_strlen(const char *s)
{
	unsigned long n = 0;
	while (s[n])
		n++;
	return n;
}

int rt_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int rt_ends_with(const char *s, const char *suffix)
{
	unsigned long a = rt_strlen(s), b = rt_strlen(suffix);
	return a >= b && rt_streq(s + a - b, suffix);
}

long rt_atol(const char *s)
{
	long v = 0, neg = 0, base = 10;
	if (*s == '-')
		neg = 1, s++;
	if (s[0] == '0' && s[1] == 'x')
		base = 16, s += 2;
	for (;; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0'
			: *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
		if (d < 0 || d >= base)
			break;
		v = v * base + d;
	}
	return neg ? -v : v;
}

char *rt_join(char *buf, const char *dir, const char *name)
{
	unsigned long a = rt_strlen(dir), b = rt_strlen(name);
	memcpy(buf, dir, a);
	buf[a] = '/';
	memcpy(buf + a + 1, name, b + 1);
	return buf;
}

/* One output line is assembled in a buffer and written with a single write(2),
 * so lines from a parent and its forked child never interleave mid-line. */
struct line {
	char b[512];
	unsigned long n;
};

static void put(struct line *l, const char *s)
{
	while (*s && l->n < sizeof l->b - 1)
		l->b[l->n++] = *s++;
}

/* Small values in decimal, large ones (addresses, masks) in hex. */
static void put_num(struct line *l, long v)
{
	char tmp[24];
	int i = sizeof tmp - 1, hex = v > 4096 || v < -4096;
	unsigned long u = (!hex && v < 0) ? (unsigned long)-v : (unsigned long)v;
	unsigned base = hex ? 16 : 10;
	tmp[i] = 0;
	do {
		unsigned d = u % base;
		tmp[--i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		u /= base;
	} while (u);
	put(l, hex ? "0x" : v < 0 ? "-" : "");
	put(l, tmp + i);
}

static void flush(struct line *l)
{
	l->b[l->n++] = '\n';
	SYS(SYS_write, 1, l->b, l->n);
}

/* Failure text: "got <got><gv> want <want>[<wv>]". */
static int report(const char *name, int ok, const char *got, long gv, const char *want,
	int show_wv, long wv)
{
	struct line l = {.n = 0};
	n_checks++;
	put(&l, ok ? "ok - " : "not ok - ");
	put(&l, name);
	if (!ok) {
		n_failed++;
		put(&l, ": got ");
		put(&l, got);
		put_num(&l, gv);
		put(&l, " want ");
		put(&l, want);
		if (show_wv)
			put_num(&l, wv);
	}
	flush(&l);
	return ok;
}

int rt_check_eq(const char *name, long got, long want)
{
	return report(name, got == want, "", got, "", 1, want);
}

int rt_check_ok(const char *name, sysret r)
{
	return report(name, !r.cf, r.cf ? "CF=1 errno " : "CF=0 rax ", r.val, "CF=0", 0, 0);
}

int rt_check_err(const char *name, sysret r, long e)
{
	if (!r.cf)
		return report(name, 0, "CF=0 rax ", r.val, "CF=1 errno ", 1, e);
	return report(name, r.val == e, "CF=1 errno ", r.val, "CF=1 errno ", 1, e);
}

int rt_check_mem(const char *name, const void *got, const void *want, unsigned long n)
{
	const u8 *g = got, *w = want;
	unsigned long i = 0;
	while (i < n && g[i] == w[i])
		i++;
	if (i == n)
		return report(name, 1, "", 0, "", 0, 0);
	return report(name, 0, "a difference at byte ", (long)i, "identical bytes", 0, 0);
}

void rt_note(const char *msg)
{
	struct line l = {.n = 0};
	put(&l, "# ");
	put(&l, msg);
	flush(&l);
}

void rt_note_num(const char *msg, long v)
{
	struct line l = {.n = 0};
	put(&l, "# ");
	put(&l, msg);
	put(&l, " ");
	put_num(&l, v);
	flush(&l);
}

const char *rt_tag(const char *prefix, const char *name)
{
	static char buf[4][160];
	static int i;
	struct line l = {.n = 0};
	char *b = buf[i++ & 3];
	put(&l, prefix);
	put(&l, " ");
	put(&l, name);
	if (l.n > sizeof buf[0] - 1)
		l.n = sizeof buf[0] - 1;
	memcpy(b, l.b, l.n);
	b[l.n] = 0;
	return b;
}

long rt_now_ns(int clock)
{
	struct fbsd_timespec ts;
	sysret r = SYS(SYS_clock_gettime, clock, &ts);
	return r.cf ? -r.val : ts.tv_sec * 1000000000L + ts.tv_nsec;
}

long rt_ms_since(long t0_ns)
{
	return (rt_now_ns(CLOCK_MONOTONIC) - t0_ns) / 1000000;
}

void rt_sleep_ms(long ms)
{
	struct fbsd_timespec ts = {ms / 1000, ms % 1000 * 1000000L}, rem;
	while (SYS(SYS_nanosleep, &ts, &rem).cf)
		ts = rem;
}

int rt_signal(int sig, void *handler, int flags)
{
	struct fbsd_sigaction sa = {handler, flags, {{0}}};
	sysret r = SYS(SYS_sigaction, sig, &sa, 0);
	return r.cf ? (int)r.val : 0;
}

long rt_fork(void)
{
	sysret r = SYS(SYS_fork);
	return r.cf ? -r.val : r.val; /* the child sees rax = 0 */
}

long rt_wait(long pid)
{
	int st = -1;
	sysret r = SYS(SYS_wait4, pid, &st, 0, 0);
	return r.cf ? -r.val : st;
}

int rt_aux(long type, u64 *val)
{
	for (u64 *a = rt_auxv; a[0] != 0; a += 2)
		if ((long)a[0] == type) {
			*val = a[1];
			return 1;
		}
	return 0;
}

void rt_close2(const int fd[2])
{
	SYS(SYS_close, fd[0]);
	SYS(SYS_close, fd[1]);
}

int rt_done(void)
{
	struct line l = {.n = 0};
	put(&l, "# done: ");
	put_num(&l, n_checks);
	put(&l, " checks, ");
	put_num(&l, n_failed);
	put(&l, " failed");
	flush(&l);
	return n_failed ? 1 : 0;
}
