/* getsockopt/setsockopt: names through sockopt.c, values adjusted where
 * the two kernels disagree (errno, family, buffer sizes, credentials). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "sock.h"
#include "sockstate.h"
#include "xlate.h"
#include "fnetlink.h"
#include <asm-generic/errno.h>

#include "fdguard.h"

#define L_SO_TYPE 3
#define L_SO_DOMAIN 39
#define L_SO_PEERGROUPS 59

static long sock_int(int s, int name, int *v)
{
	int len = sizeof *v;
	return lsys5(__NR_getsockopt, s, LSOL_SOCKET, name, v, &len);
}

/* FreeBSD level 0 means SOL_LOCAL on a unix socket, IPPROTO_IP otherwise. */
static int level0_is_local(int s)
{
	int dom = 0;
	return sock_int(s, L_SO_DOMAIN, &dom) == 0 && dom == FAF_UNIX;
}

long sys_setsockopt(struct sysctx *c)
{
	int s = ARG_INT(c, 0), level = ARG_INT(c, 1), name = ARG_INT(c, 2);
	const void *val = ARG_PTR(c, 3);
	int len = ARG_INT(c, 4);
	if (fd_reserved(s))
		return -EBADF;
	if ((sock_flags(s) & SF_ROUTE) && level == 0xffff && name == 0x40 /* SO_USELOOPBACK */)
		return routesock_setopt(s, val, len);
	if ((sock_flags(s) & SF_FNETLINK) && level == FSOL_NETLINK)
		return fnl_setsockopt(s, name, val, len);
	struct sockopt_xl x;
	int r = sockopt_f2l(level, name, level == 0 && level0_is_local(s), &x);
	if (r) {
		int t;
		long e = sock_int(s, L_SO_TYPE, &t); /* EBADF/ENOTSOCK first */
		return e < 0 ? e : r;
	}
	switch (x.kind) {
	case SO_K_NOSIGPIPE:
	case SO_K_IGNORE: {
		int t;
		long e = sock_int(s, L_SO_TYPE, &t);
		if (e < 0)
			return e;
		if (len < 4 || !val)
			return -EINVAL;
		if (x.kind == SO_K_NOSIGPIPE)
			sock_set_nosigpipe(s, *(const int *)val != 0);
		return 0;
	}
	case SO_K_PEERCRED:
		return -ENOPROTOOPT;
	case SO_K_LOCALCREDS: {
		if (len < 4 || !val)
			return -EINVAL;
		int on = *(const int *)val != 0;
		int flag = name == 3 ? SF_CREDS2 : SF_CREDS;
		long e = lsys5(__NR_setsockopt, s, LSOL_SOCKET, 16 /* SO_PASSCRED */, &on, 4);
		if (e < 0)
			return e;
		sock_set_flag(s, SF_CREDS | SF_CREDS2, 0);
		sock_set_flag(s, flag, on);
		return 0;
	}
	case SO_K_SETONLY_OK: {
		long e = lsys5(__NR_setsockopt, s, x.level, x.name, val, len);
		return e == -ENOPROTOOPT ? 0 : e;
	}
	default:
		return lsys5(__NR_setsockopt, s, x.level, x.name, val, len);
	}
}

static long peercred(int s, void *val, uint32_t *avalsize)
{
	struct lucred u;
	int len = sizeof u;
	long r = lsys5(__NR_getsockopt, s, LSOL_SOCKET, 17, &u, &len);
	if (r < 0)
		return r;
	if (u.pid == 0) {
		int t = 0;
		sock_int(s, L_SO_TYPE, &t);
		return t == 1 ? -ENOTCONN : -EINVAL;
	}
	struct fxucred xu;
	memset(&xu, 0, sizeof xu);
	xu.cr_version = 0; /* XUCRED_VERSION */
	xu.cr_uid = u.uid;
	xu.cr_pid = u.pid;
	xu.cr_groups[0] = u.gid;
	xu.cr_ngroups = 1;
	uint32_t groups[64];
	int glen = sizeof groups;
	if (lsys5(__NR_getsockopt, s, LSOL_SOCKET, L_SO_PEERGROUPS, groups, &glen) == 0)
		for (int i = 0; i < glen / 4 && xu.cr_ngroups < 16; i++)
			if (groups[i] != u.gid)
				xu.cr_groups[xu.cr_ngroups++] = groups[i];
	uint32_t n = *avalsize < sizeof xu ? *avalsize : sizeof xu;
	memcpy(val, &xu, n);
	*avalsize = n;
	return 0;
}

long sys_getsockopt(struct sysctx *c)
{
	int s = ARG_INT(c, 0), level = ARG_INT(c, 1), name = ARG_INT(c, 2);
	void *val = ARG_PTR(c, 3);
	uint32_t *avalsize = ARG_PTR(c, 4);
	if (fd_reserved(s))
		return -EBADF;
	if (!avalsize)
		return -EFAULT;
	if ((int32_t)*avalsize < 0)
		return -EINVAL;
	if ((sock_flags(s) & SF_FNETLINK) && level == FSOL_NETLINK)
		return fnl_getsockopt(s, name, val, avalsize);
	struct sockopt_xl x;
	int r = sockopt_f2l(level, name, level == 0 && level0_is_local(s), &x);
	if (r) {
		int t;
		long e = sock_int(s, L_SO_TYPE, &t);
		return e < 0 ? e : r;
	}
	int v;
	switch (x.kind) {
	case SO_K_NOSIGPIPE:
	case SO_K_IGNORE: {
		int t;
		long e = sock_int(s, L_SO_TYPE, &t);
		if (e < 0)
			return e;
		v = x.kind == SO_K_NOSIGPIPE ? sock_nosigpipe(s) : 0;
		uint32_t n = *avalsize < 4 ? *avalsize : 4;
		memcpy(val, &v, n);
		*avalsize = n;
		return 0;
	}
	case SO_K_PEERCRED:
		return peercred(s, val, avalsize);
	case SO_K_LOCALCREDS: {
		v = (sock_flags(s) & (name == 3 ? SF_CREDS2 : SF_CREDS)) != 0;
		uint32_t n = *avalsize < 4 ? *avalsize : 4;
		memcpy(val, &v, n);
		*avalsize = n;
		return 0;
	}
	default:
		break;
	}
	int len = (int)*avalsize;
	long e = lsys5(__NR_getsockopt, s, x.level, x.name, val, &len);
	if (e < 0)
		return e;
	*avalsize = (uint32_t)len;
	if (len >= 4 && val) {
		memcpy(&v, val, 4);
		if (x.kind == SO_K_ERRNO) {
			int kept = sock_error_take(s); /* taken from Linux by kevent */
			v = errno_l2f(kept ? kept : v);
		} else if (x.kind == SO_K_FAMILY)
			v = family_l2f(v);
		else if (x.kind == SO_K_BUFSIZE)
			v /= 2; /* Linux doubles what was set for bookkeeping */
		memcpy(val, &v, 4);
	}
	return 0;
}
