/* Probe 1: the syscall error convention and errno numbering.
 * FreeBSD reports errors with CF=1 and a *positive* FreeBSD errno in %rax
 * (syscalls.md §1); values from constants.md "errno".
 * usage: errno SCRATCH_DIR   (an existing, writable, empty directory) */
#include "probe.h"

static char path_a[512], path_sub[512], path_f[512];

static void files_and_dirs(const char *dir)
{
	sysret r;
	int fd;

	rt_join(path_sub, dir, "sub");
	rt_join(path_f, path_sub, "f");
	CHECK_OK("mkdir sub", SYS(SYS_mkdir, path_sub, 0755));
	CHECK_ERR("mkdir existing -> EEXIST 17", SYS(SYS_mkdir, path_sub, 0755), EEXIST);
	/* O_CREAT is 0x200 on FreeBSD (Linux: O_TRUNC) — a raw pass-through fails here. */
	r = SYS(SYS_open, path_f, O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK_OK("open O_CREAT|O_EXCL", r);
	fd = (int)r.val;
	CHECK_ERR("open O_CREAT|O_EXCL again -> EEXIST", SYS(SYS_open, path_f, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK_ERR("rmdir non-empty -> ENOTEMPTY 66", SYS(SYS_rmdir, path_sub), ENOTEMPTY);
	CHECK_ERR("rmdir of a file -> ENOTDIR 20", SYS(SYS_rmdir, path_f), ENOTDIR);
	SYS(SYS_close, fd);
	CHECK_OK("unlink", SYS(SYS_unlink, path_f));
	CHECK_OK("rmdir now empty", SYS(SYS_rmdir, path_sub));
}

/* lseek (478) returns a full 64-bit off_t in %rax; pread is 4 args and is also
 * called indirectly through syscall(0), which shifts every argument one
 * register left, so the offset travels in %r8 (syscalls.md "Indirect"). */
static void offsets(const char *dir)
{
	sysret r;
	long fd;
	char buf[8] = {0};

	rt_join(path_a, dir, "big");
	r = SYS(SYS_open, path_a, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (!CHECK_OK("open scratch file", r))
		return;
	fd = r.val;
	CHECK_EQ("write 6 bytes", SYS(SYS_write, fd, "lochs!", 6).val, 6);
	r = SYS(SYS_lseek, fd, 0x123456789L, SEEK_SET);
	CHECK_OK("lseek beyond 4 GiB", r);
	CHECK_EQ("lseek returns the 64-bit offset", r.val, 0x123456789L);
	CHECK_EQ("lseek SEEK_CUR 0 keeps it", SYS(SYS_lseek, fd, 0, SEEK_CUR).val, 0x123456789L);
	CHECK_ERR("lseek to negative -> EINVAL 22", SYS(SYS_lseek, fd, -5, SEEK_SET), EINVAL);
	r = SYS(SYS_syscall, SYS_pread, fd, buf, 5, 1);
	CHECK_EQ("indirect syscall(0, pread, fd, buf, 5, off=1)", r.val, 5);
	rt_check_mem("indirect pread read the right bytes", buf, "ochs!", 5);
	r = SYS(SYS___syscall, SYS_lseek, fd, 2, SEEK_SET);
	CHECK_EQ("indirect __syscall(198, lseek, fd, 2)", r.val, 2);
	SYS(SYS_close, fd);
	SYS(SYS_unlink, path_a);
}

static void pipes(void)
{
	int fds[2] = {-1, -1};
	char c;
	sysret r;

	CHECK_OK("pipe2(O_NONBLOCK)", SYS(SYS_pipe2, fds, O_NONBLOCK));
	CHECK_ERR("read empty nonblocking pipe -> EAGAIN 35", SYS(SYS_read, fds[0], &c, 1), EAGAIN);
	CHECK_ERR("lseek on a pipe -> ESPIPE 29", SYS(SYS_lseek, fds[0], 0, SEEK_CUR), ESPIPE);
	CHECK_ERR("write from a bad pointer -> EFAULT 14", SYS(SYS_write, fds[1], 8, 4), EFAULT);
	/* Structures the translator itself reads or writes: a bad pointer is
	 * EFAULT (copyin/copyout), never a crash of the translator. */
	CHECK_ERR("sigaction from a bad pointer -> EFAULT 14", SYS(SYS_sigaction, 30, 8, 0), EFAULT);
	CHECK_ERR("clock_gettime to a bad pointer -> EFAULT 14", SYS(SYS_clock_gettime, 4, 8), EFAULT);
	CHECK_ERR("sigprocmask to a bad pointer -> EFAULT 14", SYS(SYS_sigprocmask, 1, 0, 16), EFAULT);
	/* int arguments: the kernel reads only the low 32 bits (syscalls.md "Argument width"). */
	r = SYS(SYS_write, 0xdead00000000L | (unsigned)fds[1], "x", 1);
	CHECK_EQ("int fd argument with garbage high bits", r.val, 1);
	/* %rdx comes back unchanged when a syscall does not set a 2nd value (trap.c). */
	r = SYS(SYS_close, fds[1], 0, 0x5a5a1234L);
	CHECK_OK("close", r);
	CHECK_EQ("close leaves %rdx unchanged", r.rdx, 0x5a5a1234L);
	SYS(SYS_close, fds[0]);
	CHECK_ERR("close bad fd -> EBADF 9", SYS(SYS_close, 12345), EBADF);
}

/* Port of a bound but not listening loopback socket: connect gets refused. */
static void sockets(void)
{
	struct fbsd_sockaddr_in sa = {16, AF_INET, 0, 0x0100007f, {0}}; /* 127.0.0.1:0 */
	union { struct fbsd_sockaddr_in in; u8 storage[128]; } got;
	u32 len = sizeof got;
	long a, b;

	a = SYS(SYS_socket, AF_INET, SOCK_STREAM, 0).val;
	b = SYS(SYS_socket, AF_INET, SOCK_STREAM, 0).val;
	CHECK_OK("bind 127.0.0.1:0", SYS(SYS_bind, a, &sa, sizeof sa));
	memset(&got, 0, sizeof got);
	CHECK_OK("getsockname", SYS(SYS_getsockname, a, &got, &len));
	CHECK_EQ("getsockname length", len, 16);
	CHECK_EQ("getsockname sin_len byte", got.in.sin_len, 16);
	CHECK_EQ("getsockname sin_family byte (AF_INET 2)", got.in.sin_family, AF_INET);
	CHECK("getsockname port assigned", got.in.sin_port != 0);
	sa = got.in;
	sa.sin_len = 0; /* the kernel takes the length from namelen, not sa_len */
	CHECK_ERR("connect to closed port -> ECONNREFUSED 61", SYS(SYS_connect, b, &sa, sizeof sa), ECONNREFUSED);
	SYS(SYS_close, a);
	SYS(SYS_close, b);
}

static void unknown_syscalls(void)
{
	struct fbsd_sigaction ign = {SIG_IGN, 0, {{0}}}, dfl = {SIG_DFL, 0, {{0}}};
	sysret r;

	/* Native FreeBSD also posts SIGSYS for nosys (syscalls.md): ignore it for
	 * the portable part. 521 is a reserved slot, 9999 beyond the table. */
	CHECK_OK("sigaction(SIGSYS, SIG_IGN)", SYS(SYS_sigaction, SIGSYS, &ign, 0));
	CHECK_ERR("reserved syscall 521 -> ENOSYS 78", SYS(521), ENOSYS);
	CHECK_ERR("syscall 9999 -> ENOSYS 78", SYS(9999), ENOSYS);
	CHECK_ERR("indirect syscall(0, 9999) -> ENOSYS 78", SYS(SYS_syscall, 9999), ENOSYS);
	/* Only the low 32 bits of %rax select the call (syscalls.md §1). */
	r = SYS(0x100000000L | SYS_getpid);
	CHECK_EQ("syscall number uses low 32 bits of %rax", r.val, SYS(SYS_getpid).val);
	/* DESIGN.md: unknown syscalls return ENOSYS and never crash. With SIGSYS
	 * back at SIG_DFL this is last: if it kills us, "# done" never prints. */
	SYS(SYS_sigaction, SIGSYS, &dfl, 0);
	CHECK_ERR("syscall 9999 with SIGSYS at SIG_DFL -> ENOSYS, not killed", SYS(9999), ENOSYS);
}

int main(int argc, char **argv, char **envp)
{
	static const char msg[] = "# this line was written by syscall(0, write, 1, msg, len)\n";
	sysret r, r2;

	if (argc < 2) {
		rt_note("usage: errno SCRATCH_DIR");
		return 2;
	}
	CHECK_ERR("open missing file -> CF=1 ENOENT 2", SYS(SYS_open, "/nonexistent/lochs", O_RDONLY), ENOENT);
	r = SYS_STC(SYS_getpid);
	CHECK_EQ("getpid clears CF (CF was preset to 1)", r.cf, 0);
	CHECK("getpid > 0", r.val > 0);
	r2 = SYS(SYS_syscall, SYS_getpid);
	CHECK_OK("indirect syscall(0, getpid)", r2);
	CHECK_EQ("indirect getpid returns the pid", r2.val, r.val);
	r2 = SYS(SYS_syscall, SYS_write, 1, msg, rt_strlen(msg));
	CHECK_EQ("indirect syscall(0, write) returns the count", r2.val, rt_strlen(msg));
	files_and_dirs(argv[1]);
	offsets(argv[1]);
	pipes();
	sockets();
	unknown_syscalls();
	return rt_done();
}
