/* Sockets: a TCP echo server on 127.0.0.1 (ephemeral port) in a thread,
 * a client sending messages of growing size, shutdown and EOF, and a
 * refused connection to a closed port. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int lfd;
static long server_bytes;

static void *server(void *arg)
{
	(void)arg;
	struct sockaddr_in peer;
	socklen_t len = sizeof peer;
	int c = accept(lfd, (struct sockaddr *)&peer, &len);
	if (c < 0)
		return NULL;
	char buf[8192];
	ssize_t r;
	while ((r = read(c, buf, sizeof buf)) > 0) {
		server_bytes += r;
		for (ssize_t off = 0; off < r;) {
			ssize_t w = write(c, buf + off, r - off);
			if (w <= 0)
				return NULL;
			off += w;
		}
	}
	close(c);
	return NULL;
}

static int read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

int main(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int one = 1;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 4) ||
	    getsockname(lfd, (struct sockaddr *)&a, &len)) {
		printf("listen failed: %s\n", strerror(errno));
		return 1;
	}
	printf("listening on 127.0.0.1, ephemeral port %d\n", ntohs(a.sin_port) != 0);
	pthread_t t;
	pthread_create(&t, NULL, server, NULL);

	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof a)) {
		printf("connect failed: %s\n", strerror(errno));
		return 1;
	}
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct sockaddr_in peer;
	len = sizeof peer;
	getpeername(c, (struct sockaddr *)&peer, &len);
	printf("connected: peer port matches %d, family inet %d\n", peer.sin_port == a.sin_port,
	       peer.sin_family == AF_INET);

	static char out[16384], in[16384]; /* below any loopback buffer: no write-write deadlock */
	long echoed = 0, mismatches = 0;
	unsigned sum = 0;
	for (int i = 1; i <= 200; i++) {
		size_t n = (size_t)i * 311 % sizeof out + 1;
		for (size_t k = 0; k < n; k++)
			out[k] = (char)(k * 7 + i);
		for (size_t off = 0; off < n;) {
			ssize_t w = write(c, out + off, n - off);
			if (w <= 0) {
				printf("write failed\n");
				return 1;
			}
			off += w;
		}
		if (read_full(c, in, n)) {
			printf("short echo\n");
			return 1;
		}
		if (memcmp(in, out, n))
			mismatches++;
		for (size_t k = 0; k < n; k++)
			sum = sum * 31 + (unsigned char)in[k];
		echoed += n;
	}
	printf("echo: 200 messages, %ld bytes, %ld mismatches, checksum %u\n", echoed, mismatches, sum);
	shutdown(c, SHUT_WR);
	char x;
	ssize_t r = read(c, &x, 1);
	printf("after shutdown: read returns %zd\n", r);
	close(c);
	pthread_join(t, NULL);
	printf("server saw %ld bytes\n", server_bytes);

	/* nothing listens on the port once the listener is closed */
	close(lfd);
	c = socket(AF_INET, SOCK_STREAM, 0);
	int rc = connect(c, (struct sockaddr *)&a, sizeof a);
	printf("connect to closed port: %d ECONNREFUSED %d\n", rc, rc < 0 && errno == ECONNREFUSED);
	close(c);

	/* socketpair */
	int sp[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	write(sp[0], "ping", 4);
	char b[8] = "";
	read(sp[1], b, 4);
	printf("socketpair: %s\n", b);
	return 0;
}
