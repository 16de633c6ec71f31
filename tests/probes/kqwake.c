/* Probe: a kevent sleeper is not left asleep when another thread's kevent
 * takes the wake-up. The Go runtime's netpoller pattern: one thread sleeps
 * in kevent on a level-triggered EVFILT_READ knote (its wake-up pipe) while
 * another thread polls the same kqueue with a zero timeout and leaves the
 * event alone. On FreeBSD the knote stays active and every waiter sees it
 * (kern_event.c kqueue_scan re-queues a knote without EV_CLEAR and
 * KNOTE_ACTIVATE wakes the kqueue's sleepers); the sleeper must get the
 * event at once, not at its timeout. Racy by nature: many rounds, each
 * failing one costs the sleeper's 1 s timeout. */
#include "probe.h"
#include "umtx/uthr.h"

#define ROUNDS 200

static int kq, pfd[2];
static volatile u32 turn, asleep, finished;
static long result[ROUNDS + 1];
static long waited_ms[ROUNDS + 1];

static sysret kev(const struct fbsd_kevent *ch, int nch, struct fbsd_kevent *ev, int nev, long ms)
{
	struct fbsd_timespec ts = {ms / 1000, ms % 1000 * 1000000L};
	return SYS(SYS_kevent, kq, ch, nch, ev, nev, ms < 0 ? 0 : &ts);
}

/* The sleeper: one blocking kevent per round. */
static void sleeper(void *arg)
{
	(void)arg;
	for (u32 i = 1; i <= ROUNDS; i++) {
		struct fbsd_kevent e;
		while (ld32(&turn) < i)
			SYS(SYS_sched_yield);
		if (ld32(&turn) > ROUNDS)
			return;
		__atomic_store_n(&asleep, i, __ATOMIC_SEQ_CST);
		long t0 = now_ns(4);
		memset(&e, 0, sizeof e);
		sysret r = kev(0, 0, &e, 1, 1000);
		result[i] = r.cf ? -r.val : (r.val == 1 && e.ident == (u64)pfd[0] ? 1 : 100 + r.val);
		waited_ms[i] = (now_ns(4) - t0) / 1000000;
		__atomic_store_n(&finished, i, __ATOMIC_SEQ_CST);
	}
}

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	struct uthr t;
	struct fbsd_kevent k = {.ident = 0, .filter = EVFILT_READ, .flags = EV_ADD};
	sysret r = SYS(SYS_kqueue);
	if (!CHECK_OK("kqueue", r))
		return rt_done();
	kq = (int)r.val;
	if (!CHECK_OK("pipe2", SYS(SYS_pipe2, pfd, 0)))
		return rt_done();
	k.ident = (u64)pfd[0];
	if (!CHECK_OK("EV_ADD EVFILT_READ (level-triggered) on the pipe", kev(&k, 1, 0, 0, 0)))
		return rt_done();
	if (!CHECK_EQ("thread started", uthr_start(&t, sleeper, 0), 0))
		return rt_done();

	int bad = 0, round = 0;
	for (u32 i = 1; i <= ROUNDS && !bad; i++) {
		struct fbsd_kevent e;
		char c = 'x';
		round = (int)i;
		__atomic_store_n(&turn, i, __ATOMIC_SEQ_CST);
		if (!await32(&asleep, i)) {
			bad = 1;
			break;
		}
		sleep_ms(1); /* the sleeper is in epoll_wait by now, mostly */
		SYS(SYS_write, pfd[1], &c, 1);
		kev(0, 0, &e, 1, 0); /* the poll that may take the epoll edge */
		if (!await32(&finished, i)) {
			bad = 1;
			break;
		}
		if (result[i] != 1 || waited_ms[i] >= 500)
			bad = 1;
		SYS(SYS_read, pfd[0], &c, 1);
	}
	rt_note_num("rounds run:", round);
	if (bad)
		rt_note_num("sleeper waited (ms):", waited_ms[round]);
	CHECK_EQ("every round: the sleeper got the pipe's event (1)", result[round], 1);
	CHECK("every round: the sleeper woke at once (< 500 ms), not at its timeout",
	      waited_ms[round] < 500);
	__atomic_store_n(&turn, ROUNDS + 1, __ATOMIC_SEQ_CST);
	uthr_join(&t);
	return rt_done();
}
