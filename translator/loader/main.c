/* bsdulator [--root DIR] [--] PROGRAM [ARG...]
 * Runs a FreeBSD amd64 program in this process. */
#include "process.h"
#include "../abi/jail.h"
#include "../rt/rt.h"
#include "../abi/fbsd.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/resource.h>

char fbsd_osrelease[32] = "14.3-RELEASE";
int fbsd_osreldate = 1403000;

static _Noreturn void usage(int code, const char *why, const char *what)
{
	if (why)
		rt_warn("%s%s%s", why, what ? ": " : "", what ? what : "");
	rt_dprintf(2, "usage: bsdulator [--root DIR] [--] PROGRAM [ARG...]\n");
	rt_exit_group(code);
}

static const char *getenv_(char **envp, const char *name)
{
	size_t n = strlen(name);
	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/* "14.3-RELEASE" -> 1403000, as __FreeBSD_version counts. */
static void set_release(const char *rel)
{
	int major = 0, minor = 0;
	const char *p = rel;
	while (*p >= '0' && *p <= '9')
		major = major * 10 + (*p++ - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			minor = minor * 10 + (*p - '0');
	if (major < 10 || major > 99 || minor > 99)
		rt_die(2, "BSDULATOR_OSRELEASE=%s: expected MAJOR.MINOR-RELEASE, e.g. 14.3-RELEASE", rel);
	rt_strlcpy(fbsd_osrelease, rel, sizeof fbsd_osrelease);
	fbsd_osreldate = major * 100000 + minor * 1000;
}

/* Keeps our descriptor out of the guest's way: high, close-on-exec. */
static int park_fd(long fd)
{
	struct rlimit rl = { 1024, 1024 };
	lsys2(__NR_getrlimit, RLIMIT_NOFILE, &rl);
	long top = rl.rlim_cur > 1024 ? 1024 : (long)rl.rlim_cur;
	long nfd = lsys3(__NR_fcntl, fd, F_DUPFD_CLOEXEC, top > 64 ? top - 8 : 3);
	if (!lerr(nfd)) {
		lsys1(__NR_close, fd);
		return (int)nfd;
	}
	lsys3(__NR_fcntl, fd, F_SETFD, FD_CLOEXEC);
	return (int)fd;
}

static void enter_root(const char *root)
{
	long r = lsys1(__NR_chdir, root);
	if (!lerr(r))
		r = lsys1(__NR_chroot, ".");
	if (!lerr(r))
		r = lsys1(__NR_chdir, "/");
	if (lerr(r))
		rt_die(125, "--root %s: %s", root,
		       r == -ENOENT ? "no such directory" : r == -EPERM ? "permission denied (chroot needs root)"
		       : r == -ENOTDIR ? "not a directory" : "cannot enter");
}

/* PATH search for a program name without a slash, like a shell. */
static const char *find_program(const char *name, const char *path, char *buf, size_t size)
{
	if (strchr(name, '/'))
		return name;
	if (!path)
		path = "/bin:/usr/bin:/sbin:/usr/sbin:/usr/local/bin";
	while (*path) {
		const char *e = strchr(path, ':');
		size_t len = e ? (size_t)(e - path) : strlen(path);
		if (len + strlen(name) + 2 < size) {
			memcpy(buf, path, len);
			buf[len] = '/';
			rt_strlcpy(buf + len + 1, name, size - len - 1);
			if (!lerr(lsys4(__NR_faccessat, AT_FDCWD, buf, 1, 0)))
				return buf;
		}
		path = e ? e + 1 : path + len;
	}
	return NULL;
}

void translator_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	const char *root = NULL, *argv0 = NULL;
	long exe_fd = -1, proc_fd = -1;
	int i = 1, jail_fd = -1, jid = 0;

	rt_pid = (int)lsys0(__NR_getpid);
	const char *dbg = getenv_(envp, "BSDULATOR_DEBUG");
	rt_debug = dbg && *dbg && strcmp(dbg, "0") != 0;
	const char *rel = getenv_(envp, "BSDULATOR_OSRELEASE");
	if (rel && *rel)
		set_release(rel);

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			usage(0, NULL, NULL);
		int has_val = strcmp(a, "--root") == 0 || strcmp(a, "--argv0") == 0 ||
			      strcmp(a, "--exe-fd") == 0 || strcmp(a, "--proc-fd") == 0 ||
			      strcmp(a, "--jail") == 0;
		if (!has_val)
			usage(2, "unknown option", a);
		if (i + 1 >= argc)
			usage(2, "option needs a value", a);
		const char *v = argv[++i];
		if (a[2] == 'j') { /* --jail FD:JID, from a parent translator (abi/jail.h) */
			jail_fd = jid = 0;
			for (; *v >= '0' && *v <= '9'; v++)
				jail_fd = jail_fd * 10 + (*v - '0');
			if (*v++ != ':')
				usage(2, "--jail needs FD:JID", a);
			for (; *v >= '0' && *v <= '9'; v++)
				jid = jid * 10 + (*v - '0');
		} else if (a[2] == 'r')
			root = v;
		else if (a[2] == 'a')
			argv0 = v;
		else {
			long n = 0;
			for (const char *p = v; *p; p++) {
				if (*p < '0' || *p > '9')
					usage(2, "--exe-fd/--proc-fd need a descriptor number", v);
				n = n * 10 + (*p - '0');
			}
			if (a[2] == 'e')
				exe_fd = n;
			else
				proc_fd = n;
		}
	}
	if (i >= argc)
		usage(2, "no program given", NULL);

	if (exe_fd < 0)
		exe_fd = lsys4(__NR_openat, AT_FDCWD, "/proc/self/exe", O_RDONLY | O_CLOEXEC, 0);
	if (lerr(exe_fd))
		rt_die(126, "cannot open /proc/self/exe: is /proc mounted?");
	proc.exe_fd = park_fd(exe_fd);
	/* kern.proc reads the host /proc, also from inside --root */
	if (proc_fd < 0)
		proc_fd = lsys4(__NR_openat, AT_FDCWD, "/proc", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (!lerr(proc_fd))
		proc.proc_fd = park_fd(proc_fd);
	jail_boot(jail_fd, jid);
	if (root)
		enter_root(root);

	char buf[1024];
	const char *path = find_program(argv[i], getenv_(envp, "PATH"), buf, sizeof buf);
	if (!path)
		rt_die(127, "%s: not found", argv[i]);
	if (argv0)
		argv[i] = (char *)argv0;
	start_guest(path, argv + i, envp);
}
