/* Probe: kqueue (362) and kevent in both layouts, #560 (64-byte struct
 * kevent with ext[4]) and the compat11 #363 (32 bytes, what the Go runtime
 * uses). Every scenario runs once per layout on a fresh kqueue.
 * Values: constants.md "kqueue/kevent filters and flags", structs.md §4
 * "struct kevent"/"kevent_freebsd11"; semantics from FreeBSD's
 * kern_event.c (kqueue_register, kqueue_scan, filt_usertouch, filt_proc):
 * EV_RECEIPT and errors copy the change back with flags = EV_ERROR and
 * data = errno, EVFILT_TIMER/PROC/SIGNAL are EV_CLEAR automatically, an
 * EVFILT_USER event reports the accumulated fflags, NOTE_EXIT reports the
 * wait status, and the signal knote is posted before the ignore check. */
#include "probe.h"

static int compat; /* 1: use #363 with 32-byte entries */

#define T(name) rt_tag(compat ? "[363]" : "[560]", name)

#define K(id, filt, fl, ff, d) ((struct fbsd_kevent){.ident = (u64)(id), .filter = (filt), \
	.flags = (fl), .fflags = (ff), .data = (d)})

/* kevent in the layout under test; ms < 0 means no timeout (NULL). Events
 * come back in the 64-byte form (ext zeroed for #363). */
static sysret kev(int kq, const struct fbsd_kevent *ch, int nch, struct fbsd_kevent *ev, int nev, long ms)
{
	struct fbsd_timespec ts = {ms / 1000, ms % 1000 * 1000000L};
	struct fbsd_kevent11 c11[4], e11[4];
	void *tsp = ms < 0 ? 0 : &ts;
	sysret r;

	if (!compat)
		return SYS(SYS_kevent, kq, ch, nch, ev, nev, tsp);
	for (int i = 0; i < nch && i < 4; i++) /* the 32-byte entry is the 64-byte one's prefix */
		memcpy(&c11[i], &ch[i], sizeof c11[i]);
	r = SYS(SYS_freebsd11_kevent, kq, c11, nch, e11, nev, tsp);
	for (long i = 0; !r.cf && i < r.val && i < 4; i++)
		memset(&ev[i], 0, sizeof ev[i]), memcpy(&ev[i], &e11[i], sizeof e11[i]);
	return r;
}

static sysret change(int kq, struct fbsd_kevent k) { return kev(kq, &k, 1, 0, 0, 0); }

/* Waits up to ms for one event; returns the count (or -errno). */
static long one(int kq, struct fbsd_kevent *e, long ms)
{
	sysret r = (memset(e, 0, sizeof *e), kev(kq, 0, 0, e, 1, ms));
	return r.cf ? -r.val : r.val;
}

static void pipe_pair(int p[2], int flags)
{
	p[0] = p[1] = -1;
	CHECK_OK(T("pipe2"), SYS(SYS_pipe2, p, flags));
}

/* EVFILT_READ: data = bytes available, level-triggered, udata kept, EV_EOF. */
static void test_read(int kq)
{
	struct fbsd_kevent k, e;
	char buf[16];
	int p[2];

	pipe_pair(p, 0);
	k = K(p[0], EVFILT_READ, EV_ADD, 0, 0);
	k.udata = (void *)0x5eed1234L;
	CHECK_OK(T("EV_ADD EVFILT_READ on a pipe"), change(kq, k));
	CHECK_EQ(T("empty pipe: zero timeout polls, 0 events"), one(kq, &e, 0), 0);
	SYS(SYS_write, p[1], "hello", 5);
	if (CHECK_EQ(T("READ fires after a 5-byte write"), one(kq, &e, 1000), 1)) {
		CHECK_EQ(T("READ ident = read fd"), e.ident, p[0]);
		CHECK_EQ(T("READ filter = -1"), e.filter, EVFILT_READ);
		CHECK_EQ(T("READ data = 5 bytes available"), e.data, 5);
		CHECK_EQ(T("READ udata passed through"), e.udata, k.udata);
		CHECK_EQ(T("READ flags: no EV_EOF/EV_ERROR"), e.flags & (EV_EOF | EV_ERROR), 0);
	}
	CHECK_EQ(T("level-triggered: fires again while data is unread"), one(kq, &e, 0), 1);
	SYS(SYS_read, p[0], buf, 5);
	CHECK_EQ(T("drained: no event"), one(kq, &e, 0), 0);
	SYS(SYS_write, p[1], "ab", 2);
	SYS(SYS_close, p[1]);
	if (CHECK_EQ(T("writer closed: READ fires"), one(kq, &e, 1000), 1)) {
		CHECK_EQ(T("EOF event: EV_EOF set"), e.flags & EV_EOF, EV_EOF);
		CHECK_EQ(T("EOF event: data = 2 bytes still unread"), e.data, 2);
	}
	SYS(SYS_close, p[0]);
}

/* EV_CLEAR: reported once per change of state, data accumulates. */
static void test_clear(int kq)
{
	struct fbsd_kevent e;
	int p[2];

	pipe_pair(p, 0);
	CHECK_OK(T("EV_ADD|EV_CLEAR READ"), change(kq, K(p[0], EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0)));
	SYS(SYS_write, p[1], "abc", 3);
	if (CHECK_EQ(T("EV_CLEAR: first write fires"), one(kq, &e, 1000), 1)) {
		CHECK_EQ(T("EV_CLEAR: data 3"), e.data, 3);
		CHECK_EQ(T("EV_CLEAR: flag reported"), e.flags & EV_CLEAR, EV_CLEAR);
	}
	CHECK_EQ(T("EV_CLEAR: no second report while data unread"), one(kq, &e, 0), 0);
	SYS(SYS_write, p[1], "de", 2);
	if (CHECK_EQ(T("EV_CLEAR: a new write fires again"), one(kq, &e, 1000), 1))
		CHECK_EQ(T("EV_CLEAR: data = all 5 unread bytes"), e.data, 5);
	rt_close2(p);
}

static void test_write(int kq)
{
	struct fbsd_kevent e;
	char blk[4096];
	int p[2];
	long n = 0;

	memset(blk, 'w', sizeof blk);
	pipe_pair(p, O_NONBLOCK);
	CHECK_OK(T("EV_ADD EVFILT_WRITE"), change(kq, K(p[1], EVFILT_WRITE, EV_ADD, 0, 0)));
	if (CHECK_EQ(T("WRITE fires on an empty pipe"), one(kq, &e, 1000), 1)) {
		CHECK_EQ(T("WRITE ident = write fd"), e.ident, p[1]);
		CHECK_EQ(T("WRITE filter = -2"), e.filter, EVFILT_WRITE);
		CHECK(T("WRITE data = free space > 0"), e.data > 0);
	}
	while (!SYS(SYS_write, p[1], blk, sizeof blk).cf && n < 1024)
		n++;
	CHECK_EQ(T("full pipe: no WRITE event"), one(kq, &e, 0), 0);
	while (!SYS(SYS_read, p[0], blk, sizeof blk).cf)
		;
	CHECK_EQ(T("drained pipe: WRITE fires again"), one(kq, &e, 1000), 1);
	SYS(SYS_close, p[0]);
	if (CHECK_EQ(T("reader closed: WRITE fires"), one(kq, &e, 1000), 1))
		CHECK_EQ(T("reader closed: EV_EOF"), e.flags & EV_EOF, EV_EOF);
	SYS(SYS_close, p[1]);
}

static void test_oneshot_disable(int kq)
{
	struct fbsd_kevent e;
	int p[2];

	pipe_pair(p, 0);
	SYS(SYS_write, p[1], "x", 1);
	CHECK_OK(T("EV_ADD|EV_ONESHOT READ"), change(kq, K(p[0], EVFILT_READ, EV_ADD | EV_ONESHOT, 0, 0)));
	if (CHECK_EQ(T("ONESHOT fires once"), one(kq, &e, 1000), 1))
		CHECK_EQ(T("ONESHOT flag reported"), e.flags & EV_ONESHOT, EV_ONESHOT);
	CHECK_EQ(T("ONESHOT: not again although data is unread"), one(kq, &e, 0), 0);
	CHECK_ERR(T("ONESHOT knote is gone: EV_DELETE -> ENOENT"),
		change(kq, K(p[0], EVFILT_READ, EV_DELETE, 0, 0)), ENOENT);

	CHECK_OK(T("EV_ADD READ"), change(kq, K(p[0], EVFILT_READ, EV_ADD, 0, 0)));
	CHECK_OK(T("EV_DISABLE"), change(kq, K(p[0], EVFILT_READ, EV_DISABLE, 0, 0)));
	CHECK_EQ(T("disabled: no event although data is unread"), one(kq, &e, 0), 0);
	CHECK_OK(T("EV_ENABLE"), change(kq, K(p[0], EVFILT_READ, EV_ENABLE, 0, 0)));
	if (CHECK_EQ(T("enabled again: fires"), one(kq, &e, 1000), 1))
		CHECK_EQ(T("enabled again: data 1"), e.data, 1);
	rt_close2(p);
}

/* EV_DELETE twice: the second fails with ENOENT; with EV_RECEIPT each change
 * comes back as an EV_ERROR entry (data 0 on success). */
static void test_receipt(int kq)
{
	struct fbsd_kevent k, e[2];
	int p[2];
	sysret r;

	pipe_pair(p, 0);
	k = K(p[0], EVFILT_READ, EV_ADD | EV_RECEIPT, 0, 0);
	k.udata = (void *)0x77L;
	k.ext[2] = 0x1122334455667788L, k.ext[3] = 0x99aabbccddeeff00L;
	r = kev(kq, &k, 1, e, 2, 0);
	CHECK_EQ(T("EV_ADD|EV_RECEIPT returns 1 receipt"), r.val, 1);
	CHECK_EQ(T("receipt flags = EV_ERROR"), e[0].flags & EV_ERROR, EV_ERROR);
	CHECK_EQ(T("receipt data = 0 (success)"), e[0].data, 0);
	CHECK_EQ(T("receipt ident"), e[0].ident, p[0]);
	CHECK_EQ(T("receipt udata"), e[0].udata, k.udata);
	if (!compat) {
		CHECK_EQ(T("receipt ext[2] = the change's"), e[0].ext[2], k.ext[2]);
		CHECK_EQ(T("receipt ext[3] = the change's"), e[0].ext[3], k.ext[3]);
	}
	CHECK_OK(T("EV_DELETE"), change(kq, K(p[0], EVFILT_READ, EV_DELETE, 0, 0)));
	CHECK_ERR(T("second EV_DELETE without eventlist -> ENOENT 2"),
		change(kq, K(p[0], EVFILT_READ, EV_DELETE, 0, 0)), ENOENT);
	k = K(p[0], EVFILT_READ, EV_DELETE | EV_RECEIPT, 0, 0);
	r = kev(kq, &k, 1, e, 2, 0);
	CHECK_OK(T("second EV_DELETE|EV_RECEIPT succeeds as a call"), r);
	CHECK_EQ(T("... with 1 entry"), r.val, 1);
	CHECK_EQ(T("... flags EV_ERROR"), e[0].flags & EV_ERROR, EV_ERROR);
	CHECK_EQ(T("... data = ENOENT 2"), e[0].data, ENOENT);
	CHECK_EQ(T("... filter READ"), e[0].filter, EVFILT_READ);
	/* A failing change without EV_RECEIPT also lands in the eventlist when
	 * there is room, and then the call returns without scanning: the
	 * pending READ on p[0] is not reported alongside it. */
	CHECK_OK(T("EV_ADD READ again"), change(kq, K(p[0], EVFILT_READ, EV_ADD, 0, 0)));
	SYS(SYS_write, p[1], "r", 1);
	k = K(p[1], EVFILT_READ, EV_DELETE, 0, 0);
	r = kev(kq, &k, 1, e, 2, 0);
	CHECK_EQ(T("failed change with room: returns 1 (no scan)"), r.val, 1);
	CHECK_EQ(T("... EV_ERROR entry for the failed change"), e[0].flags & EV_ERROR, EV_ERROR);
	CHECK_EQ(T("... data ENOENT, ident of the change"), e[0].data + e[0].ident * 100, ENOENT + p[1] * 100);
	rt_close2(p);
}

static void test_timer(int kq)
{
	struct fbsd_kevent e;
	long t0, el;

	t0 = rt_now_ns(CLOCK_MONOTONIC);
	CHECK_OK(T("EVFILT_TIMER periodic 20 ms"), change(kq, K(1, EVFILT_TIMER, EV_ADD, 0, 20)));
	rt_sleep_ms(75);
	if (CHECK_EQ(T("periodic timer fired"), one(kq, &e, 1000), 1)) {
		el = rt_ms_since(t0);
		CHECK_EQ(T("timer ident 1, filter -7"), e.ident * 100 + e.filter, 100 + EVFILT_TIMER);
		CHECK(T("timer data counts expirations (>= 2 after 75 ms)"), e.data >= 2);
		CHECK(T("timer data <= elapsed / 20 ms"), e.data <= el / 20 + 1);
		if (e.data < 2 || e.data > el / 20 + 1)
			rt_note_num("expirations", e.data), rt_note_num("elapsed ms", el);
	}
	CHECK_OK(T("delete periodic timer"), change(kq, K(1, EVFILT_TIMER, EV_DELETE, 0, 0)));

	t0 = rt_now_ns(CLOCK_MONOTONIC);
	CHECK_OK(T("EVFILT_TIMER ONESHOT NOTE_USECONDS 30000"),
		change(kq, K(2, EVFILT_TIMER, EV_ADD | EV_ONESHOT, NOTE_USECONDS, 30000)));
	if (CHECK_EQ(T("30000 us timer fired"), one(kq, &e, 2000), 1)) {
		el = (rt_now_ns(CLOCK_MONOTONIC) - t0) / 1000;
		CHECK(T("fired after >= 30 ms (not ns)"), el >= 29000);
		CHECK(T("fired within 1.5 s (not ms)"), el < 1500000);
		CHECK_EQ(T("oneshot timer data 1"), e.data, 1);
	}
	CHECK_EQ(T("ONESHOT timer does not fire again"), one(kq, &e, 80), 0);
	CHECK_ERR(T("ONESHOT timer deleted after firing"), change(kq, K(2, EVFILT_TIMER, EV_DELETE, 0, 0)), ENOENT);
}

static void test_user(int kq)
{
	struct fbsd_kevent e;

	CHECK_OK(T("EVFILT_USER EV_ADD|EV_CLEAR"), change(kq, K(7, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0)));
	CHECK_EQ(T("USER: nothing before a trigger"), one(kq, &e, 0), 0);
	CHECK_OK(T("NOTE_TRIGGER|NOTE_FFOR 0x5"), change(kq, K(7, EVFILT_USER, 0, NOTE_TRIGGER | NOTE_FFOR | 0x5, 0)));
	if (CHECK_EQ(T("USER fires after NOTE_TRIGGER"), one(kq, &e, 1000), 1)) {
		CHECK_EQ(T("USER ident 7, filter -11"), e.ident * 100 + e.filter, 700 + EVFILT_USER);
		CHECK_EQ(T("USER fflags = 0x5 (control bits stripped)"), e.fflags, 0x5);
	}
	CHECK_EQ(T("USER EV_CLEAR: not again"), one(kq, &e, 0), 0);
	change(kq, K(7, EVFILT_USER, 0, NOTE_TRIGGER | NOTE_FFOR | 0x2, 0));
	if (CHECK_EQ(T("USER second trigger fires"), one(kq, &e, 1000), 1))
		CHECK_EQ(T("USER fflags ORed: 0x5|0x2"), e.fflags & NOTE_FFLAGSMASK, 0x7);
	CHECK_OK(T("USER delete"), change(kq, K(7, EVFILT_USER, EV_DELETE, 0, 0)));
}

static void test_signal(int kq, long me)
{
	struct fbsd_kevent e;

	CHECK_EQ(T("sigaction(SIGUSR1, SIG_IGN)"), rt_signal(SIGUSR1, SIG_IGN, 0), 0);
	CHECK_OK(T("EVFILT_SIGNAL SIGUSR1"), change(kq, K(SIGUSR1, EVFILT_SIGNAL, EV_ADD, 0, 0)));
	SYS(SYS_kill, me, SIGUSR1);
	SYS(SYS_kill, me, SIGUSR1);
	if (CHECK_EQ(T("SIGNAL fires for an ignored signal"), one(kq, &e, 1000), 1)) {
		CHECK_EQ(T("SIGNAL ident = 30"), e.ident, SIGUSR1);
		CHECK_EQ(T("SIGNAL filter = -6"), e.filter, EVFILT_SIGNAL);
		CHECK_EQ(T("SIGNAL data = 2 deliveries"), e.data, 2);
	}
	CHECK_EQ(T("SIGNAL is EV_CLEAR: not again"), one(kq, &e, 0), 0);
	CHECK_OK(T("SIGNAL delete"), change(kq, K(SIGUSR1, EVFILT_SIGNAL, EV_DELETE, 0, 0)));
}

static void test_proc(int kq)
{
	struct fbsd_kevent e;
	int go[2];
	long pid;
	char c;

	pipe_pair(go, 0);
	pid = rt_fork();
	if (pid == 0) {
		SYS(SYS_read, go[0], &c, 1);
		rt_exit(7);
	}
	if (!CHECK(T("fork"), pid > 0))
		return;
	CHECK_OK(T("EVFILT_PROC NOTE_EXIT on the child"), change(kq, K(pid, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0)));
	SYS(SYS_write, go[1], "g", 1);
	if (CHECK_EQ(T("PROC fires when the child exits"), one(kq, &e, 5000), 1)) {
		CHECK_EQ(T("PROC ident = child pid"), e.ident, pid);
		CHECK_EQ(T("PROC filter = -5"), e.filter, EVFILT_PROC);
		CHECK_EQ(T("PROC fflags has NOTE_EXIT"), e.fflags & NOTE_EXIT, NOTE_EXIT);
		CHECK_EQ(T("PROC data = wait status 7<<8"), e.data, 7 << 8);
		CHECK_EQ(T("PROC flags has EV_EOF"), e.flags & EV_EOF, EV_EOF);
	}
	CHECK_EQ(T("child reaped with status 7<<8"), rt_wait(pid), 7 << 8);
	rt_close2(go);
}

static void test_timeout(int kq)
{
	struct fbsd_kevent e;
	long t0 = rt_now_ns(CLOCK_MONOTONIC), el;

	CHECK_EQ(T("zero timeout returns 0 at once"), one(kq, &e, 0), 0);
	CHECK(T("zero timeout took < 500 ms"), rt_ms_since(t0) < 500);
	t0 = rt_now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(T("100 ms timeout returns 0"), one(kq, &e, 100), 0);
	el = rt_ms_since(t0);
	CHECK(T("100 ms timeout waited >= 100 ms"), el >= 99);
	CHECK(T("100 ms timeout waited < 3 s"), el < 3000);
}

/* Closing a descriptor drops its knotes: a new pipe that gets the same
 * descriptor number does not inherit the old registration. */
static void test_close(int kq)
{
	struct fbsd_kevent e;
	int a[2], b[2], n;

	pipe_pair(a, 0);
	n = a[0];
	CHECK_OK(T("EV_ADD READ on a pipe about to be closed"), change(kq, K(n, EVFILT_READ, EV_ADD, 0, 0)));
	rt_close2(a);
	pipe_pair(b, 0);
	if (b[0] != n) {
		SYS(SYS_dup2, b[0], n);
		SYS(SYS_close, b[0]);
		b[0] = n;
	}
	SYS(SYS_write, b[1], "stale?", 6);
	CHECK_EQ(T("same fd number, new pipe: no stale event"), one(kq, &e, 0), 0);
	CHECK_ERR(T("old knote gone: EV_DELETE -> ENOENT"), change(kq, K(n, EVFILT_READ, EV_DELETE, 0, 0)), ENOENT);
	rt_close2(b);
}

/* A dup'ed kqueue descriptor names the same kqueue (tokio clones its
 * kqueue for the waker), and the kqueue lives while any descriptor does. */
static void test_dup(int kq)
{
	struct fbsd_kevent e;
	int d = (int)SYS(SYS_fcntl, kq, 17 /* F_DUPFD_CLOEXEC */, 0).val;

	CHECK(T("F_DUPFD_CLOEXEC of a kqueue"), d > kq);
	CHECK_OK(T("EV_ADD USER through the dup"), change(d, K(9, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0)));
	CHECK_OK(T("NOTE_TRIGGER through the original"), change(kq, K(9, EVFILT_USER, 0, NOTE_TRIGGER, 0)));
	if (CHECK_EQ(T("dup sees the event"), one(d, &e, 1000), 1))
		CHECK_EQ(T("dup event ident 9"), e.ident, 9);
	int n = (int)SYS(SYS_kqueue).val, m = (int)SYS(SYS_dup, n).val;
	CHECK_OK(T("close the first descriptor of a kqueue"), SYS(SYS_close, n));
	CHECK_OK(T("its dup still registers"), change(m, K(3, EVFILT_USER, EV_ADD, 0, 0)));
	CHECK_OK(T("and triggers"), change(m, K(3, EVFILT_USER, 0, NOTE_TRIGGER, 0)));
	CHECK_EQ(T("and waits"), one(m, &e, 1000), 1);
	CHECK_OK(T("close the last descriptor"), SYS(SYS_close, m));
	CHECK_ERR(T("kevent on it: EBADF"), change(m, K(3, EVFILT_USER, 0, NOTE_TRIGGER, 0)), EBADF);
	CHECK_OK(T("USER 9 delete"), change(kq, K(9, EVFILT_USER, EV_DELETE, 0, 0)));
	SYS(SYS_close, d);
}

/* Raw layout checks: the entry stride, no write past nevents, ext[2..3]. */
static void test_layout(int kq)
{
	union { struct fbsd_kevent k[3]; struct fbsd_kevent11 k11[6]; u8 b[192]; } ev;
	struct fbsd_kevent ch[2];
	int p[2], q[2];
	long want = compat ? 2 * 32 : 2 * 64;
	sysret r;
	u8 pat[192];

	pipe_pair(p, 0);
	pipe_pair(q, 0);
	ch[0] = K(p[0], EVFILT_READ, EV_ADD, 0, 0);
	ch[1] = K(q[0], EVFILT_READ, EV_ADD, 0, 0);
	ch[0].ext[2] = 0xfeedface00000001L, ch[0].ext[3] = 0xfeedface00000002L;
	ch[1].ext[2] = 0xfeedface00000003L, ch[1].ext[3] = 0xfeedface00000004L;
	CHECK_OK(T("two READ registrations in one call"), kev(kq, ch, 2, 0, 0, 0));
	SYS(SYS_write, p[1], "1", 1);
	SYS(SYS_write, q[1], "22", 2);
	memset(ev.b, 0xa5, sizeof ev.b);
	memset(pat, 0xa5, sizeof pat);
	if (compat)
		r = SYS(SYS_freebsd11_kevent, kq, 0, 0, ev.k11, 2, 0);
	else
		r = SYS(SYS_kevent, kq, 0, 0, ev.k, 2, 0);
	if (!CHECK_EQ(T("raw kevent returns 2 events"), r.val, 2))
		return;
	rt_check_mem(T("nothing written past nevents entries"), ev.b + want, pat, sizeof ev.b - want);
	if (compat) {
		CHECK_EQ(T("32-byte stride: entries at 0 and 32"), ev.k11[0].ident + ev.k11[1].ident, p[0] + q[0]);
		CHECK_EQ(T("32-byte stride: data sum 3"), ev.k11[0].data + ev.k11[1].data, 3);
	} else {
		int i = ev.k[0].ident == (u64)p[0] ? 0 : 1;
		CHECK_EQ(T("64-byte stride: both fds reported"), ev.k[0].ident + ev.k[1].ident, p[0] + q[0]);
		CHECK_EQ(T("ext[2] passed through"), ev.k[i].ext[2], 0xfeedface00000001L);
		CHECK_EQ(T("ext[3] passed through"), ev.k[i].ext[3], 0xfeedface00000002L);
		CHECK_EQ(T("ext[2] of the second"), ev.k[1 - i].ext[2], 0xfeedface00000003L);
		CHECK_EQ(T("ext[3] of the second"), ev.k[1 - i].ext[3], 0xfeedface00000004L);
	}
	rt_close2(p);
	rt_close2(q);
}

int main(int argc, char **argv, char **envp)
{
	long me = SYS(SYS_getpid).val;

	for (compat = 0; compat < 2; compat++) {
		sysret r = SYS(SYS_kqueue);
		int kq = (int)r.val;
		if (!CHECK_OK(T("kqueue"), r))
			continue;
		test_read(kq);
		test_clear(kq);
		test_write(kq);
		test_oneshot_disable(kq);
		test_receipt(kq);
		test_timer(kq);
		test_user(kq);
		test_signal(kq, me);
		test_proc(kq);
		test_timeout(kq);
		test_close(kq);
		test_dup(kq);
		test_layout(kq);
		CHECK_OK(T("close kqueue"), SYS(SYS_close, kq));
	}
	return rt_done();
}
