#include "attach.h"
#include "detachkeys.h"
#include "jailops.h"
#include "term.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int attach_connect(const struct cli *c, const char *id, struct lerr *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[4096];
	jail_path(c, id, "attach.sock", path, sizeof path);
	/* sun_path is short: connect through /proc/self/fd of the directory. */
	char dir[4096];
	jail_path(c, id, NULL, dir, sizeof dir);
	int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return lerr_sys(e, "attach to %.12s", id);
	snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/attach.sock", dfd);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	for (int tries = 0; s >= 0; tries++) {
		if (connect(s, (struct sockaddr *)&sa, sizeof sa) == 0)
			break;
		if (tries >= 500 || (errno != ENOENT && errno != ECONNREFUSED)) {
			lerr_sys(e, "attach to %.12s", id);
			close(s);
			s = -1;
			break;
		}
		usleep(10000);
	}
	close(dfd);
	return s;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

static int send_frame(int s, int type, const void *data, uint32_t len)
{
	unsigned char h[5] = { (unsigned char)type, len >> 24, len >> 16, len >> 8, len };
	return write_all(s, h, 5) < 0 || write_all(s, data, len) < 0 ? -1 : 0;
}

static void send_size(int s, const struct winsize ws)
{
	unsigned char p[4] = { ws.ws_row >> 8, ws.ws_row, ws.ws_col >> 8, ws.ws_col };
	send_frame(s, FR_RESIZE, p, 4);
}

int attach_relay(int s, int interactive, int tty, struct detach_keys *keys, struct lerr *e)
{
	struct termios saved;
	struct winsize ws;
	struct detach_keys def;
	/* As Docker: the detach keys only with the jail's terminal. */
	if (!tty || !interactive)
		keys = NULL;
	else if (!keys && detach_keys_parse(DETACH_KEYS_DEFAULT, &def, e) == 0)
		keys = &def;
	int raw = tty && interactive && term_raw(&saved);
	signal(SIGPIPE, SIG_IGN);
	int in_open = interactive, status = -1, detached = 0;
	static char buf[65536], in[16384], out[sizeof in + DETACH_KEYS_MAX];
	for (;;) {
		if (raw && term_resized(&ws))
			send_size(s, ws);
		struct pollfd p[2] = { { s, POLLIN, 0 }, { 0, POLLIN, 0 } };
		int np = in_open ? 2 : 1;
		if (poll(p, (nfds_t)np, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (np == 2 && p[1].revents) {
			ssize_t r = read(0, in, sizeof in);
			size_t n = (size_t)r;
			if (r > 0 && keys) {
				detached = detach_keys_filter(keys, in, n, out, &n);
				if (n)
					send_frame(s, FR_STDIN, out, (uint32_t)n);
				if (detached)
					break;
			} else if (r > 0)
				send_frame(s, FR_STDIN, in, (uint32_t)r);
			else if (r == 0 || errno != EINTR) {
				in_open = 0;
				if ((n = detach_keys_held(keys, out)) > 0)
					send_frame(s, FR_STDIN, out, (uint32_t)n);
				send_frame(s, FR_CLOSE_STDIN, "", 0);
			}
		}
		if (!p[0].revents)
			continue;
		unsigned char h[5];
		if (read_all(s, h, 5) < 0)
			break;
		uint32_t len = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4];
		if (len > sizeof buf || read_all(s, buf, len) < 0)
			break;
		if (h[0] == FR_STDOUT || h[0] == FR_STDERR) {
			write_all(h[0] == FR_STDOUT ? 1 : 2, buf, len);
		} else if (h[0] == FR_EXIT && len == 4) {
			unsigned char *b = (unsigned char *)buf;
			status = (int)((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]);
			break;
		}
	}
	if (raw)
		term_restore(&saved);
	close(s);
	if (detached) { /* the jail goes on; its monitor drops this client */
		fputs("read escape sequence\n", stderr);
		return 0;
	}
	if (status < 0)
		return lerr_set(e, LX_LOCHS, "lost the jail's monitor before it reported an exit status");
	return status;
}
