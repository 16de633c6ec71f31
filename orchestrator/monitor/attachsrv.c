/* The attach socket: framed stdio for any number of clients. Every
 * descriptor is non-blocking with its own queue, so a slow client or a
 * jail that does not read its stdin never stalls the monitor. */
#include "monitor.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* A client further behind than this is dropped (its output is in ctr.log). */
#define CLIENT_QUEUE_MAX (8u << 20)

void outq_push(struct outq *q, const void *data, size_t len)
{
	if (q->len + len > q->cap) {
		size_t cap = q->cap ? q->cap : 4096;
		while (cap < q->len + len)
			cap *= 2;
		char *b = realloc(q->buf, cap);
		if (!b)
			return;
		q->buf = b, q->cap = cap;
	}
	memcpy(q->buf + q->len, data, len);
	q->len += len;
}

int outq_write(struct outq *q, int fd)
{
	while (q->len) {
		ssize_t w = write(fd, q->buf, q->len);
		if (w < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		memmove(q->buf, q->buf + w, q->len - (size_t)w);
		q->len -= (size_t)w;
	}
	/* Give back a big buffer once drained. */
	if (q->cap > 65536) {
		free(q->buf);
		q->buf = NULL, q->cap = 0;
	}
	return 0;
}

int attach_listen(struct mon *m, char *err, size_t errsize)
{
	/* sun_path is short; bind through /proc/self/fd of the directory. */
	int dfd = open(m->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/attach.sock", dfd);
	if (dfd >= 0)
		unlinkat(dfd, "attach.sock", 0); /* left by a previous monitor */
	m->lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (dfd < 0 || m->lsock < 0 || bind(m->lsock, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    listen(m->lsock, 16) < 0) {
		snprintf(err, errsize, "attach socket %s/attach.sock: %s", m->dir, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	fchmodat(dfd, "attach.sock", 0600, 0);
	close(dfd);
	return 0;
}

void attach_accept(struct mon *m)
{
	int fd;
	while ((fd = accept4(m->lsock, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		if (m->ncl == MAX_CLIENTS) {
			close(fd);
			continue;
		}
		memset(&m->cl[m->ncl], 0, sizeof m->cl[0]);
		m->cl[m->ncl++].fd = fd;
	}
}

void attach_drop(struct mon *m, int i)
{
	struct client *c = &m->cl[i];
	close(c->fd);
	free(c->q.buf);
	free(c->payload);
	m->cl[i] = m->cl[--m->ncl];
}

void attach_broadcast(struct mon *m, int type, const void *data, uint32_t len)
{
	unsigned char h[5] = { (unsigned char)type, len >> 24, len >> 16, len >> 8, len };
	for (int i = 0; i < m->ncl; i++) {
		struct client *c = &m->cl[i];
		if (c->q.len + len > CLIENT_QUEUE_MAX) {
			attach_drop(m, i--);
			continue;
		}
		outq_push(&c->q, h, 5);
		outq_push(&c->q, data, len);
		if (outq_write(&c->q, c->fd) < 0)
			attach_drop(m, i--);
	}
}

int attach_flush(struct mon *m, int i)
{
	if (outq_write(&m->cl[i].q, m->cl[i].fd) < 0) {
		attach_drop(m, i);
		return -1;
	}
	return 0;
}

static void to_stdin(struct mon *m, const char *data, size_t len)
{
	if (m->in < 0 || m->in_closing)
		return;
	outq_push(&m->inq, data, len);
	if (outq_write(&m->inq, m->in) < 0)
		m->inq.len = 0; /* the jail closed its stdin */
}

static void frame(struct mon *m, struct client *c)
{
	const unsigned char *p = (const unsigned char *)c->payload;
	switch (c->hdr[0]) {
	case FR_STDIN:
		to_stdin(m, c->payload, c->plen);
		break;
	case FR_RESIZE:
		if (m->master >= 0 && c->plen == 4) {
			struct winsize ws = { .ws_row = (unsigned short)(p[0] << 8 | p[1]), .ws_col = (unsigned short)(p[2] << 8 | p[3]) };
			ioctl(m->master, TIOCSWINSZ, &ws);
		}
		break;
	case FR_CLOSE_STDIN:
		if (m->master >= 0 && m->in >= 0)
			to_stdin(m, "\004", 1); /* VEOF at the start of a line */
		else if (m->in >= 0)
			m->in_closing = 1;
		break;
	}
}

int attach_read(struct mon *m, int i)
{
	struct client *c = &m->cl[i];
	char buf[65536];
	ssize_t r = read(c->fd, buf, sizeof buf);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (r <= 0) {
		attach_drop(m, i);
		return -1;
	}
	for (ssize_t k = 0; k < r;) {
		if (c->hgot < 5) {
			c->hdr[c->hgot++] = (unsigned char)buf[k++];
			if (c->hgot == 5) {
				c->plen = (uint32_t)c->hdr[1] << 24 | (uint32_t)c->hdr[2] << 16 | (uint32_t)c->hdr[3] << 8 | c->hdr[4];
				if (c->plen > (1u << 20)) {
					attach_drop(m, i);
					return -1;
				}
				free(c->payload);
				c->payload = malloc(c->plen + 1);
				c->pgot = 0;
			}
		} else {
			size_t take = (size_t)(r - k) < c->plen - c->pgot ? (size_t)(r - k) : c->plen - c->pgot;
			memcpy(c->payload + c->pgot, buf + k, take);
			c->pgot += (uint32_t)take, k += (ssize_t)take;
		}
		if (c->hgot == 5 && c->pgot == c->plen) {
			frame(m, c);
			c->hgot = 0;
		}
	}
	return 0;
}

void attach_finish(struct mon *m, int status)
{
	uint32_t s = (uint32_t)status;
	unsigned char b[4] = { s >> 24, s >> 16, s >> 8, s };
	attach_broadcast(m, FR_EXIT, b, 4);
	/* Up to 2 s for the clients to take the rest. */
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p[MAX_CLIENTS];
		int n = 0;
		for (int i = 0; i < m->ncl; i++)
			if (m->cl[i].q.len)
				p[n++] = (struct pollfd){ m->cl[i].fd, POLLOUT, 0 };
		clock_gettime(CLOCK_MONOTONIC, &t);
		long ms = 2000 - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (!n || ms <= 0)
			break;
		poll(p, (nfds_t)n, (int)ms);
		for (int i = 0; i < m->ncl; i++)
			if (m->cl[i].q.len)
				attach_flush(m, i);
	}
	while (m->ncl)
		attach_drop(m, 0);
}
