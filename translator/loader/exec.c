/* Program start-up and execve(2): decide how a file runs, then either map
 * it under this translator or hand it to the kernel. */
#include "process.h"
#include "../abi/jail.h"
#include "elf.h"
#include "stack.h"
#include "../rt/rt.h"
#include "../trap/thread.h"
#include "../trap/signals.h"
#include "../abi/xlate.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <asm/stat.h>

struct process proc = { .exe_fd = -1, .proc_fd = -1 };

#define MAX_SHEBANG_DEPTH 4

/* Parses "#!interp [arg]" from the first line; 0 if not a script. */
static int parse_shebang(int fd, char *interp, size_t isz, char *arg, size_t asz)
{
	char line[256];
	long n = lsys4(__NR_pread64, fd, line, sizeof line - 1, 0);
	if (n < 2 || line[0] != '#' || line[1] != '!')
		return 0;
	line[n] = 0;
	char *nl = strchr(line, '\n');
	if (!nl)
		return -ENOEXEC;
	*nl = 0;
	char *p = line + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	char *e = p;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	char *a = e;
	if (*a)
		*a++ = 0;
	while (*a == ' ' || *a == '\t')
		a++;
	size_t al = strlen(a);
	while (al && (a[al - 1] == ' ' || a[al - 1] == '\t'))
		a[--al] = 0;
	if (!*p)
		return -ENOEXEC;
	rt_strlcpy(interp, p, isz);
	rt_strlcpy(arg, a, asz);
	return 1;
}

static int count(char *const v[])
{
	int n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* Opens path for execution the way execve(2) checks it. */
static long open_exec(const char *path)
{
	long fd = lsys4(__NR_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (lerr(fd))
		return fd;
	struct stat st;
	long r = lsys2(__NR_fstat, fd, &st);
	if (!lerr(r) && (st.st_mode & 0170000) != 0100000)
		r = -EACCES; /* like execve(2): only regular files */
	if (!lerr(r))
		r = lsys4(__NR_faccessat, AT_FDCWD, path, 1 /* X_OK */, 0);
	if (lerr(r)) {
		lsys1(__NR_close, fd);
		return r;
	}
	return fd;
}

/* argv for a #! script: interp [arg] path argv[1..] */
static char **script_argv(const char *interp, const char *arg, const char *path, char *const argv[])
{
	int argc = count(argv);
	char **nv = rt_malloc((argc + 4) * sizeof(char *));
	int k = 0;
	nv[k++] = (char *)interp;
	if (*arg)
		nv[k++] = (char *)arg;
	nv[k++] = (char *)path;
	for (int i = 1; i < argc; i++)
		nv[k++] = argv[i];
	nv[k] = 0;
	return nv;
}

static long exec_depth(const char *path, char *const argv[], char *const envp[], int depth)
{
	long fd = open_exec(path);
	if (lerr(fd))
		return fd;
	char interp[256], arg[256];
	int s = parse_shebang((int)fd, interp, sizeof interp, arg, sizeof arg);
	if (s != 0) {
		lsys1(__NR_close, fd);
		if (s < 0 || depth >= MAX_SHEBANG_DEPTH)
			return s < 0 ? s : -ELOOP;
		char **nv = script_argv(interp, arg, path, argv);
		long r = exec_depth(interp, nv, envp, depth + 1);
		rt_free(nv);
		return r;
	}
	struct elf_image img;
	enum elf_kind k = elf_probe((int)fd, &img);
	lsys1(__NR_close, fd);
	if (k != ELF_LINUX && k != ELF_FREEBSD)
		return -ENOEXEC;
	if (proc.trace_me)
		lsys4(__NR_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0);
	if (k == ELF_LINUX)
		return lsys3(__NR_execve, path, argv, envp);

	/* A fresh translator: argv carries our descriptor and the guest argv[0]. */
	int argc = count(argv);
	char **nv = rt_malloc((argc + 11) * sizeof(char *));
	char fdbuf[16], pfdbuf[16], jbuf[32];
	int jfd = jail_table_fd();
	rt_snprintf(jbuf, sizeof jbuf, "%d:%d", jfd, jail_current());
	rt_snprintf(fdbuf, sizeof fdbuf, "%d", proc.exe_fd);
	rt_snprintf(pfdbuf, sizeof pfdbuf, "%d", proc.proc_fd);
	int n = 0;
	nv[n++] = "bsdulator";
	nv[n++] = "--exe-fd";
	nv[n++] = fdbuf;
	if (proc.proc_fd >= 0) {
		nv[n++] = "--proc-fd";
		nv[n++] = pfdbuf;
	}
	if (jfd >= 0) {
		nv[n++] = "--jail";
		nv[n++] = jbuf;
	}
	nv[n++] = "--argv0";
	nv[n++] = argc ? argv[0] : (char *)path;
	nv[n++] = "--";
	nv[n++] = (char *)path;
	for (int i = 1; i < argc; i++)
		nv[n++] = argv[i];
	nv[n] = 0;
	lsys3(__NR_fcntl, proc.exe_fd, F_SETFD, 0);
	if (proc.proc_fd >= 0)
		lsys3(__NR_fcntl, proc.proc_fd, F_SETFD, 0);
	if (jfd >= 0)
		lsys3(__NR_fcntl, jfd, F_SETFD, 0);
	long r = lsys5(__NR_execveat, proc.exe_fd, "", nv, envp, AT_EMPTY_PATH);
	if (jfd >= 0)
		lsys3(__NR_fcntl, jfd, F_SETFD, FD_CLOEXEC);
	lsys3(__NR_fcntl, proc.exe_fd, F_SETFD, FD_CLOEXEC);
	if (proc.proc_fd >= 0)
		lsys3(__NR_fcntl, proc.proc_fd, F_SETFD, FD_CLOEXEC);
	rt_free(nv);
	return r;
}

long exec_program(const char *path, char *const argv[], char *const envp[])
{
	return exec_depth(path, argv, envp, 0);
}

/* AT_EXECPATH and kern.proc.pathname are absolute on FreeBSD. */
static void set_execpath(const char *path)
{
	size_t n = 0;
	if (path[0] != '/') {
		long r = lsys2(__NR_getcwd, proc.execpath, sizeof proc.execpath);
		if (!lerr(r)) {
			n = strlen(proc.execpath);
			if (n && proc.execpath[n - 1] != '/' && n + 1 < sizeof proc.execpath)
				proc.execpath[n++] = '/';
		}
		while (path[0] == '.' && path[1] == '/')
			path += 2;
	}
	rt_strlcpy(proc.execpath + n, path, sizeof proc.execpath - n);
}

static _Noreturn void fail(const char *path, long err)
{
	const char *why = err == -ENOENT ? "not found"
			  : err == -EACCES ? "permission denied"
			  : err == -ENOEXEC ? "exec format error (not a FreeBSD or Linux amd64 program)"
			  : err == -ENOMEM ? "does not fit in the address space"
			  : "cannot execute";
	rt_die(err == -ENOENT ? 127 : 126, "%s: %s", path, why);
}

_Noreturn void start_guest(const char *path, char *const argv[], char *const envp[])
{
	long fd;
	char interp[256], arg[256];
	const char *script = NULL;
	for (int depth = 0;; depth++) {
		fd = open_exec(path);
		if (lerr(fd) && script)
			rt_die(fd == -ENOENT ? 127 : 126, "%s: bad interpreter %s: %s", script, path,
			       fd == -ENOENT ? "not found" : "cannot execute");
		if (lerr(fd))
			fail(path, fd);
		int s = parse_shebang((int)fd, interp, sizeof interp, arg, sizeof arg);
		if (s < 0 || (s > 0 && depth >= MAX_SHEBANG_DEPTH))
			fail(path, -ENOEXEC);
		if (s == 0)
			break;
		lsys1(__NR_close, fd);
		char *ipath = rt_malloc(strlen(interp) + 1);
		rt_strlcpy(ipath, interp, strlen(interp) + 1);
		char *iarg = rt_malloc(strlen(arg) + 1);
		rt_strlcpy(iarg, arg, strlen(arg) + 1);
		argv = script_argv(ipath, iarg, path, argv);
		script = path;
		path = ipath;
	}
	struct elf_image prog, ld;
	enum elf_kind k = elf_probe((int)fd, &prog);
	if (k == ELF_NOT_ELF || k == ELF_BAD)
		fail(path, -ENOEXEC);
	if (k == ELF_WRONG_ARCH)
		rt_die(126, "%s: exec format error (not an x86-64 program)", path);
	if (k == ELF_LINUX)
		fail(path, lsys3(__NR_execve, path, argv, envp));
	long r = elf_map((int)fd, &prog);
	lsys1(__NR_close, fd);
	if (lerr(r))
		fail(path, r);
	uint64_t entry = prog.entry;
	if (prog.interp[0]) {
		long ifd = lsys4(__NR_openat, AT_FDCWD, prog.interp, O_RDONLY | O_CLOEXEC, 0);
		if (lerr(ifd))
			rt_die(127, "%s: interpreter %s: not found", path, prog.interp);
		if (elf_probe((int)ifd, &ld) != ELF_FREEBSD || lerr(elf_map((int)ifd, &ld)))
			rt_die(126, "%s: interpreter %s: exec format error", path, prog.interp);
		lsys1(__NR_close, ifd);
		entry = ld.entry;
	}
	set_execpath(path);
	proc.brk_start = proc.brk_cur = ALIGN_UP(prog.brk, PAGE_SIZE);
	uint64_t argcp = build_stack(&prog, prog.interp[0] ? &ld : NULL, argv, envp);

	struct gthread *t = thread_new();
	if (!t)
		rt_die(126, "out of memory");
	thread_attach(t);
	thread_link(t);
	signals_init(t);
	struct guest_regs regs = { 0 };
	regs.rip = entry;
	regs.rdi = argcp;
	regs.rsp = argcp - 8;
	enter_guest(&regs, &t->sigmask);
}
