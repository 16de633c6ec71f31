/* spawn N PROGRAM [ARG...]: fork, execv PROGRAM, waitpid, N times; prints
 * "N ELAPSED_NS" (the format the benches' best() reads). Exits 1 if any
 * run fails to exec or exits non-zero. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: spawn N PROGRAM [ARG...]\n");
		return 2;
	}
	long n = atol(argv[1]);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		if (p < 0) {
			perror("spawn: fork");
			return 1;
		}
		if (p == 0) {
			execv(argv[2], argv + 2);
			perror("spawn: execv");
			_exit(127);
		}
		int st;
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "spawn: %s exited abnormally (status 0x%x)\n", argv[2], st);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%ld %lld\n", n,
	       (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
	return 0;
}
