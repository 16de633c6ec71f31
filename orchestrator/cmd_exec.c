/* exec: a program in a running jail (translator/jail/enter.c joins it).
 * The program's exit status is exec's. -t gives it a pseudo-terminal of
 * ours, relayed to the user's terminal in raw mode with its window size;
 * -i without -t hands it our stdin as it is; -d leaves it running. */
#include "cli.h"
#include "detachkeys.h"
#include "jailops.h"
#include "events.h"
#include "term.h"
#include "../specs/flagtable.h"
#include "../translator/jail/jail.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct exec_opts {
	int interactive, tty, detach;
	const char *user, *workdir, *detach_keys;
	char **env; /* -e, NULL-terminated */
	int nenv;
};

static const struct cli_flag exec_flags[] = {
	{ 'd', "detach", NULL, NULL, "Leave the command running in the background" },
	{ 256, "detach-keys", NULL, "KEYS", "Keys that detach from the command's terminal (ctrl-p,ctrl-q)" },
	{ 'e', "env", NULL, "KEY=VALUE", "Set an environment variable (KEY alone: our value)" },
	{ 'i', "interactive", NULL, NULL, "Keep stdin open and pass it to the command" },
	{ 't', "tty", NULL, NULL, "Give the command a pseudo-terminal" },
	{ 'u', "user", NULL, "USER[:GROUP]", "Run as this user (name or uid)" },
	{ 'w', "workdir", NULL, "DIR", "Working directory inside the jail" },
	{ 0, NULL, NULL, NULL, NULL },
};

static int parse(int argc, char **argv, struct exec_opts *o, int *first, struct lerr *e)
{
	struct option *opts;
	char shortopts[32];
	o->env = calloc((size_t)argc, sizeof *o->env);
	if (!o->env || cli_flags_getopt(exec_flags, &opts, shortopts, sizeof shortopts) < 0)
		return lerr_set(e, LX_LOCHS, "exec: out of memory");
	optind = 1;
	opterr = 0;
	int c, rc = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->detach = 1; break;
		case 256: o->detach_keys = optarg; break;
		case 'e': o->env[o->nenv++] = optarg; break;
		case 'i': o->interactive = 1; break;
		case 't': o->tty = 1; break;
		case 'u': o->user = optarg; break;
		case 'w': o->workdir = optarg; break;
		case ':': rc = lerr_usage(e, "exec", "flag %s needs an argument", argv[optind - 1]); break;
		default: rc = lerr_usage(e, "exec", "unknown flag %s", argv[optind - 1]); break;
		}
	}
	free(opts);
	if (rc == 0 && optind + 1 >= argc)
		rc = lerr_usage(e, "exec", "a jail and a command are required");
	*first = optind;
	return rc;
}

/* The jail's environment with -e KEY=VAL replacing or adding; a bare -e
 * KEY takes our value, as docker exec does. */
static char **merge_env(char **base, char **add, int nadd)
{
	int n = 0;
	while (base && base[n])
		n++;
	char **out = calloc((size_t)(n + nadd + 1), sizeof *out);
	memcpy(out, base, sizeof *out * (size_t)n);
	for (int i = 0; i < nadd; i++) {
		const char *kv = add[i];
		if (!strchr(kv, '=')) {
			const char *v = getenv(kv);
			if (!v)
				continue;
			char *s = malloc(strlen(kv) + strlen(v) + 2);
			sprintf(s, "%s=%s", kv, v);
			kv = s;
		}
		size_t kl = strcspn(kv, "=");
		int k = 0;
		while (k < n && (strncmp(out[k], kv, kl) != 0 || out[k][kl] != '='))
			k++;
		out[k] = (char *)kv;
		if (k == n)
			n++;
	}
	return out;
}

static pid_t helper;

/* Docker's execID: 64 hex digits. */
static void new_exec_id(char out[65])
{
	unsigned char b[32] = { 0 };
	if (getrandom(b, sizeof b, 0) != sizeof b)
		b[0] = (unsigned char)getpid();
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void forward(int sig)
{
	if (helper > 0)
		kill(helper, sig);
}

static int status_of(pid_t h)
{
	int st;
	while (waitpid(h, &st, 0) < 0)
		if (errno != EINTR)
			return LX_LOCHS;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int write_all(int fd, const char *p, ssize_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, (size_t)n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w, n -= w;
	}
	return 0;
}

/* After the detach keys: a process of its own holds the program's pty
 * (closing it would hang the program up) and drains it until the program
 * is gone, as Docker leaves a detached exec running. */
static void keep_running(int master)
{
	/* Ignored before the fork: our terminal may hang up (its session
	 * ending with us) before the child is out of it. */
	signal(SIGHUP, SIG_IGN);
	pid_t p = fork();
	if (p != 0)
		return;
	setsid();
	dup2(master, 0);
	int null = open("/dev/null", O_RDWR);
	dup2(null, 1), dup2(null, 2);
	syscall(SYS_close_range, 3, ~0U, 0);
	signal(SIGINT, SIG_DFL), signal(SIGTERM, SIG_DFL), signal(SIGQUIT, SIG_DFL);
	char buf[4096];
	for (;;) {
		ssize_t r = read(0, buf, sizeof buf);
		if (r == 0 || (r < 0 && errno != EINTR))
			_exit(0); /* EIO: the last slave closed */
	}
}

/* Relays between the user's terminal and the program's pty until the
 * program is gone; then what it left in the pty, and its status. With
 * keys (-it), typing them detaches: *detached = 1. */
static int pty_relay(int master, pid_t h, int interactive, struct detach_keys *k, int *detached)
{
	struct termios saved;
	struct winsize ws;
	int raw = term_raw(&saved), in_open = interactive, done = 0, status = 0;
	char buf[16384], out[sizeof buf + DETACH_KEYS_MAX];
	for (;;) {
		if (raw && term_resized(&ws))
			ioctl(master, TIOCSWINSZ, &ws);
		struct pollfd p[2] = { { master, POLLIN, 0 }, { in_open ? 0 : -1, POLLIN, 0 } };
		int n = poll(p, 2, done ? 0 : 100);
		if (n < 0 && errno != EINTR)
			break;
		if (p[1].revents) {
			ssize_t r = read(0, buf, sizeof buf);
			size_t n = (size_t)r;
			if (r > 0 && k) {
				*detached = detach_keys_filter(k, buf, n, out, &n);
				write_all(master, out, (ssize_t)n);
				if (*detached)
					break;
			} else if (r > 0)
				write_all(master, buf, r);
			else if (r == 0 || errno != EINTR) {
				in_open = 0;
				write_all(master, out, (ssize_t)detach_keys_held(k, out));
			}
		}
		if (p[0].revents) {
			ssize_t r = read(master, buf, sizeof buf);
			if (r > 0)
				write_all(1, buf, r);
			else if (r == 0 || errno != EINTR)
				break; /* EIO: the last slave closed */
			continue;
		}
		if (done)
			break; /* exited, and nothing more to read */
		/* A background child may hold the pty: the helper's exit ends it. */
		int st;
		if (waitpid(h, &st, WNOHANG) == h) {
			done = 1;
			status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
	}
	if (raw)
		term_restore(&saved);
	if (*detached) {
		keep_running(master);
		fputs("read escape sequence\n", stderr);
		return 0;
	}
	return done ? status : status_of(h);
}

static int cmd_exec(struct cli *c, int argc, char **argv, struct lerr *e)
{
	jail_cgroup_prewarm(); /* exec moves into the jail's cgroups */
	struct exec_opts o = { 0 };
	struct jail_config cfg = { 0 };
	struct detach_keys k;
	int first = 0, rc = -1, master = -1, null = -1, slave = -1, detached = 0;
	char id[65], path[4096];
	pid_t pid;
	if (parse(argc, argv, &o, &first, e) < 0 ||
	    ((o.detach_keys || (o.tty && o.interactive)) && detach_keys_resolve(c, o.detach_keys, &k, e) < 0))
		goto out;
	const char *ref = argv[first];
	if (jail_lookup(c, ref, id, e) < 0 || jailop_running_pid(c, id, ref, &pid, e) < 0)
		goto out;
	jail_path(c, id, "config.json", path, sizeof path);
	if (jail_config_load(path, &cfg, e) < 0)
		goto out;
	struct jail_exec x = { .argv = argv + first + 1, .cwd = o.workdir ? o.workdir : cfg.cwd,
			       .uid = cfg.uid, .gid = cfg.gid, .tty = o.tty && !o.detach };
	/* A user name is looked up in the jail's own /etc/passwd. */
	snprintf(path, sizeof path, "/proc/%d/root/etc/passwd", (int)pid);
	if (o.user && user_resolve(o.user, path, &x.uid, &x.gid, e) < 0)
		goto out;
	x.env = merge_env(cfg.env, o.env, o.nenv);
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		lerr_sys(e, "/dev/null");
		goto out;
	}
	if (o.detach) {
		x.fds[0] = x.fds[1] = x.fds[2] = null;
	} else if (o.tty) {
		char name[128];
		master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, name, sizeof name) != 0 ||
		    (slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
			lerr_sys(e, "pseudo-terminal");
			goto out;
		}
		struct winsize ws = { .ws_row = 24, .ws_col = 80 };
		ioctl(0, TIOCGWINSZ, &ws);
		ioctl(master, TIOCSWINSZ, &ws);
		x.fds[0] = x.fds[1] = x.fds[2] = slave;
	} else {
		x.fds[0] = o.interactive ? 0 : null;
		x.fds[1] = 1, x.fds[2] = 2;
	}
	struct sigaction sa = { .sa_handler = forward };
	sigaction(SIGINT, &sa, NULL), sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL), sigaction(SIGQUIT, &sa, NULL);
	helper = jail_exec(&cfg, pid, &x, e);
	free(x.env);
	if (helper < 0)
		goto out;
	char exec_id[65];
	new_exec_id(exec_id);
	event_exec(c->db, id, exec_id, x.argv, -1);
	if (slave >= 0)
		close(slave), slave = -1;
	if (o.detach)
		rc = 0;
	else if (o.tty)
		rc = pty_relay(master, helper, o.interactive, o.interactive ? &k : NULL, &detached);
	else
		rc = status_of(helper);
	if (!o.detach && !detached) /* a detached one ends unseen: no monitor watches it */
		event_exec(c->db, id, exec_id, NULL, rc);
out:
	if (slave >= 0)
		close(slave);
	if (master >= 0)
		close(master);
	if (null >= 0)
		close(null);
	jail_config_free(&cfg);
	free(o.env);
	return rc;
}
LOCHS_COMMAND_FLAGS(exec, "exec", cmd_exec, "exec [OPTIONS] JAIL COMMAND [ARG...]", "Run a command in a running jail",
		    exec_flags);
