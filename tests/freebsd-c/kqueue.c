/* kqueue: EVFILT_READ on a pipe, EVFILT_WRITE, EVFILT_TIMER (oneshot and
 * periodic), EVFILT_SIGNAL, EVFILT_PROC NOTE_EXIT and EVFILT_USER.
 * FreeBSD only: the Linux build prints the expected lines, so the
 * differential test still compares the FreeBSD run with them. */
#include <stdio.h>
#ifndef __FreeBSD__
int main(void)
{
	puts("read: 1 event, ident is the pipe 1, data 5");
	puts("read after drain: 0 events");
	puts("write: 1 event, space > 0 1");
	puts("timer oneshot: 1 event, ident 7");
	puts("timer periodic: fired at least 3 times 1");
	puts("signal: 1 event, SIGUSR1 2 times");
	puts("proc: NOTE_EXIT 1, pid matches 1, status 9");
	puts("user: 1 event, ident 42, fflags 0x5");
	puts("close-on-fork: kqueue not inherited 1");
	return 0;
}
#else
#include <sys/types.h> /* before sys/event.h: FreeBSD 10's needs u_int & co */
#include <signal.h>
#include <string.h>
#include <sys/event.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int wait1(int kq, struct kevent *ev, int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	return kevent(kq, NULL, 0, ev, 1, &ts);
}

int main(void)
{
	int kq = kqueue();
	struct kevent ch, ev;
	int p[2];
	pipe(p);

	EV_SET(&ch, p[0], EVFILT_READ, EV_ADD, 0, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);
	write(p[1], "hello", 5);
	int n = wait1(kq, &ev, 1000);
	printf("read: %d event, ident is the pipe %d, data %ld\n", n, (int)ev.ident == p[0],
	       (long)ev.data);
	char buf[16];
	read(p[0], buf, sizeof buf);
	n = wait1(kq, &ev, 0);
	printf("read after drain: %d events\n", n);
	EV_SET(&ch, p[0], EVFILT_READ, EV_DELETE, 0, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);

	EV_SET(&ch, p[1], EVFILT_WRITE, EV_ADD | EV_ONESHOT, 0, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);
	n = wait1(kq, &ev, 1000);
	printf("write: %d event, space > 0 %d\n", n, ev.data > 0);

	EV_SET(&ch, 7, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 20, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);
	n = wait1(kq, &ev, 2000);
	printf("timer oneshot: %d event, ident %d\n", n, (int)ev.ident);

	EV_SET(&ch, 8, EVFILT_TIMER, EV_ADD, 0, 10, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);
	long fired = 0;
	for (int i = 0; i < 100 && fired < 3; i++)
		if (wait1(kq, &ev, 1000) == 1 && ev.ident == 8)
			fired += ev.data;
	printf("timer periodic: fired at least 3 times %d\n", fired >= 3);
	EV_SET(&ch, 8, EVFILT_TIMER, EV_DELETE, 0, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);

	signal(SIGUSR1, SIG_IGN);
	EV_SET(&ch, SIGUSR1, EVFILT_SIGNAL, EV_ADD, 0, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	usleep(10000);
	n = wait1(kq, &ev, 1000);
	printf("signal: %d event, SIGUSR1 %ld times\n", n, (long)ev.data);
	EV_SET(&ch, SIGUSR1, EVFILT_SIGNAL, EV_DELETE, 0, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);

	int go[2];
	pipe(go);
	pid_t child = fork();
	if (child == 0) {
		char c;
		read(go[0], &c, 1);
		_exit(9);
	}
	EV_SET(&ch, child, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);
	write(go[1], "x", 1);
	n = wait1(kq, &ev, 5000);
	printf("proc: NOTE_EXIT %d, pid matches %d, status %d\n", n == 1 && (ev.fflags & NOTE_EXIT),
	       (pid_t)ev.ident == child, WIFEXITED((int)ev.data) ? WEXITSTATUS((int)ev.data) : -1);
	waitpid(child, NULL, 0);

	EV_SET(&ch, 42, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);
	EV_SET(&ch, 42, EVFILT_USER, 0, NOTE_TRIGGER | NOTE_FFOR | 0x5, 0, NULL);
	kevent(kq, &ch, 1, NULL, 0, NULL);
	n = wait1(kq, &ev, 1000);
	printf("user: %d event, ident %d, fflags 0x%x\n", n, (int)ev.ident,
	       ev.fflags & NOTE_FFLAGSMASK);

	child = fork();
	if (child == 0) {
		struct kevent e;
		struct timespec z = { 0, 0 };
		/* a kqueue is not inherited: the descriptor is invalid in the child */
		_exit(kevent(kq, NULL, 0, &e, 1, &z) < 0);
	}
	int st;
	waitpid(child, &st, 0);
	printf("close-on-fork: kqueue not inherited %d\n", WEXITSTATUS(st));
	return 0;
}
#endif
