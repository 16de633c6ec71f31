/* ctr.log in the CRI logging format, which kubectl-style tools read. */
#include "monitor.h"
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

void ts_now(char *buf, size_t size)
{
	struct timespec t;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &t);
	gmtime_r(&t.tv_sec, &tm);
	size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%09ldZ", t.tv_nsec);
}

static void record(struct mon *m, int stream, const char *tag, const char *text, size_t len)
{
	if (m->logfd < 0)
		return;
	char head[80];
	ts_now(head, sizeof head);
	size_t n = strlen(head);
	snprintf(head + n, sizeof head - n, " %s %s ", stream ? "stderr" : "stdout", tag);
	struct iovec v[3] = { { head, strlen(head) }, { (void *)text, len }, { "\n", 1 } };
	/* One writev per record: concurrent readers never see half a line. */
	if (writev(m->logfd, v, 3) < 0) {
		/* a full disk loses log lines, not the jail */
	}
}

void cri_flush(struct mon *m, int stream)
{
	if (m->plen[stream]) {
		record(m, stream, "P", m->part[stream], m->plen[stream]);
		m->plen[stream] = 0;
	}
}

void cri_write(struct mon *m, int stream, const char *data, size_t len)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;
		size_t room = LINE_MAX_LOG - m->plen[stream];
		if (take > room) {
			/* An overlong line goes out in P pieces. */
			memcpy(m->part[stream] + m->plen[stream], data, room);
			m->plen[stream] = LINE_MAX_LOG;
			cri_flush(m, stream);
			data += room, len -= room;
			continue;
		}
		memcpy(m->part[stream] + m->plen[stream], data, take);
		m->plen[stream] += take;
		data += take, len -= take;
		if (nl) {
			record(m, stream, "F", m->part[stream], m->plen[stream]);
			m->plen[stream] = 0;
			data++, len--;
		}
	}
}
