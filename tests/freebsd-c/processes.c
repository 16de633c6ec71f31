/* Processes: fork/exec/wait and pipes. The program execs itself (argv[0],
 * an absolute path) as a filter child that upper-cases its stdin. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int filter(void)
{
	int c;
	long n = 0;
	while ((c = getchar()) != EOF) {
		putchar(toupper(c));
		n++;
	}
	fprintf(stdout, "[filter read %ld bytes]\n", n);
	return 5;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "filter") == 0)
		return filter();
	if (argv[0][0] != '/') {
		printf("run me with an absolute path\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);

	/* fork + wait: exit statuses */
	long sum = 0;
	for (int i = 0; i < 20; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(i);
		int st;
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st))
			printf("child %d: bad wait\n", i);
		sum += WEXITSTATUS(st);
	}
	printf("fork/wait: 20 children, exit status sum %ld\n", sum);

	/* pipe to and from an exec'd child */
	int in[2], out[2];
	if (pipe(in) || pipe(out))
		return 1;
	pid_t p = fork();
	if (p == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		execl(argv[0], argv[0], "filter", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	const char *msg = "hello from the parent\nsecond line\n";
	for (int i = 0; i < 100; i++)
		if (write(in[1], msg, strlen(msg)) != (ssize_t)strlen(msg))
			printf("short write\n");
	close(in[1]);
	char buf[4096];
	long total = 0, lines = 0;
	char last[128] = "";
	size_t ll = 0;
	ssize_t r;
	while ((r = read(out[0], buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR)) {
		for (ssize_t i = 0; i < r; i++) {
			if (buf[i] == '\n') {
				lines++;
				last[ll] = 0;
				ll = 0;
			} else if (ll < sizeof last - 1) {
				last[ll++] = buf[i];
			}
		}
		if (r > 0)
			total += r;
	}
	close(out[0]);
	int st;
	waitpid(p, &st, 0);
	printf("exec filter: %ld bytes, %ld lines, last \"%s\", exit %d\n", total, lines, last,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	/* exec of a missing program fails with ENOENT in the child */
	p = fork();
	if (p == 0) {
		execl("/nonexistent/prog", "prog", (char *)NULL);
		_exit(errno == ENOENT ? 42 : 1);
	}
	waitpid(p, &st, 0);
	printf("exec missing: child exit %d\n", WEXITSTATUS(st));

	/* a pipeline of three: parent -> child -> grandchild */
	int a[2];
	pipe(a);
	p = fork();
	if (p == 0) {
		int b[2];
		close(a[0]);
		pipe(b);
		pid_t g = fork();
		if (g == 0) {
			close(b[1]);
			char c;
			long n = 0;
			while (read(b[0], &c, 1) == 1)
				n += c;
			char line[64];
			int len = snprintf(line, sizeof line, "%ld", n);
			write(a[1], line, len);
			_exit(0);
		}
		close(b[0]);
		for (int i = 0; i < 1000; i++)
			write(b[1], "\x01\x02", 2);
		close(b[1]);
		waitpid(g, &st, 0);
		_exit(WEXITSTATUS(st));
	}
	close(a[1]);
	memset(buf, 0, sizeof buf);
	read(a[0], buf, sizeof buf - 1);
	waitpid(p, &st, 0);
	printf("pipeline: grandchild sum %s, exit %d\n", buf, WEXITSTATUS(st));
	printf("getppid in child matches: ");
	pid_t me = getpid();
	p = fork();
	if (p == 0)
		_exit(getppid() == me);
	waitpid(p, &st, 0);
	printf("%d\n", WEXITSTATUS(st));
	return 0;
}
