/* sendmsg/recvmsg: FreeBSD's 48-byte msghdr and 12-byte cmsghdr rebuilt as
 * Linux ones around the host call (structs.md "msghdr"). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "sock.h"
#include "sockstate.h"
#include "fnetlink.h"
#include <asm-generic/errno.h>

#include "fdguard.h"

#define UIO_MAXIOV 1024
#define MCLBYTES 2048 /* FreeBSD's limit on sendmsg control data */

long sys_sendmsg(struct sysctx *c)
{
	int s = ARG_INT(c, 0);
	const struct fmsghdr *fm = ARG_PTR(c, 1);
	int fflags = ARG_INT(c, 2);
	if (fd_reserved(s))
		return -EBADF;
	struct fmsghdr m = *fm;
	if (sock_flags(s) & SF_FNETLINK) {
		if (m.msg_iovlen < 0 || m.msg_iovlen > UIO_MAXIOV)
			return -EMSGSIZE;
		return fnl_send(s, (const struct rs_iov *)m.msg_iov, m.msg_iovlen,
				sock_send_flags(s, fflags));
	}
	struct lmsghdr lm;
	memset(&lm, 0, sizeof lm);
	struct lsockaddr_buf la;
	uint8_t cbuf[MCLBYTES + 64] __attribute__((aligned(8)));
	if (m.msg_name) {
		uint32_t llen;
		int r = sa_f2l((const void *)m.msg_name, m.msg_namelen, &la, &llen);
		if (r)
			return r;
		lm.msg_name = (uint64_t)&la;
		lm.msg_namelen = (int32_t)llen;
	}
	if (m.msg_iovlen < 0 || m.msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	lm.msg_iov = m.msg_iov;
	lm.msg_iovlen = (uint64_t)m.msg_iovlen;
	if (m.msg_control && m.msg_controllen) {
		if (m.msg_controllen < sizeof(struct fcmsghdr) || m.msg_controllen > MCLBYTES)
			return -EINVAL;
		struct lucred self = { (int32_t)lsys0(__NR_getpid), (uint32_t)lsys0(__NR_getuid),
				       (uint32_t)lsys0(__NR_getgid) };
		size_t clen;
		int r = cmsg_f2l((const void *)m.msg_control, m.msg_controllen, cbuf, sizeof cbuf,
				 &clen, &self);
		if (r)
			return r;
		lm.msg_control = (uint64_t)cbuf;
		lm.msg_controllen = clen;
	}
	long r = bsys(__NR_sendmsg, s, &lm, sock_send_flags(s, fflags), 0, 0, 0);
	if (r >= 0 && (fflags & FMSG_EOF))
		lsys2(__NR_shutdown, s, 1);
	return r;
}

/* LOCAL_CREDS on a stream socket covers only the first message. */
static void creds_oneshot(int s)
{
	int type = 0, len = 4, off = 0;
	lsys5(__NR_getsockopt, s, LSOL_SOCKET, 3 /* SO_TYPE */, &type, &len);
	if (type != 1 /* SOCK_STREAM */)
		return;
	lsys5(__NR_setsockopt, s, LSOL_SOCKET, 16 /* SO_PASSCRED */, &off, 4);
	sock_set_flag(s, SF_CREDS, 0);
}

#define CTL_STACK 1024
#define CTL_MAX 65536

long sys_recvmsg(struct sysctx *c)
{
	int s = ARG_INT(c, 0);
	struct fmsghdr *fm = ARG_PTR(c, 1);
	if (fd_reserved(s))
		return -EBADF;
	long serr = sock_error_recv(s, ARG_INT(c, 2) & FMSG_PEEK);
	if (serr)
		return serr;
	int bad;
	int lflags = msgflags_f2l(ARG_INT(c, 2), &bad);
	struct fmsghdr m = *fm;
	if (m.msg_iovlen < 0 || m.msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (sock_flags(s) & SF_ROUTE) {
		fm->msg_namelen = 0;
		fm->msg_controllen = 0;
		return routesock_recv(s, (const struct rs_iov *)m.msg_iov, m.msg_iovlen, lflags,
				      &fm->msg_flags);
	}
	if (sock_flags(s) & SF_FNETLINK) {
		fm->msg_controllen = 0;
		return fnl_recv(s, (const struct rs_iov *)m.msg_iov, m.msg_iovlen, lflags,
				(void *)m.msg_name, m.msg_name ? &fm->msg_namelen : NULL,
				&fm->msg_flags);
	}
	struct lmsghdr lm;
	memset(&lm, 0, sizeof lm);
	struct lsockaddr_buf la;
	if (m.msg_name) {
		lm.msg_name = (uint64_t)&la;
		lm.msg_namelen = sizeof la;
	}
	lm.msg_iov = m.msg_iov;
	lm.msg_iovlen = (uint64_t)m.msg_iovlen;
	uint8_t sbuf[CTL_STACK] __attribute__((aligned(8)));
	uint8_t *cbuf = NULL;
	uint32_t fcap = m.msg_control ? m.msg_controllen : 0;
	if (fcap) {
		size_t lcap = fcap < CTL_MAX ? fcap : CTL_MAX;
		cbuf = lcap <= sizeof sbuf ? sbuf : rt_malloc(lcap);
		if (!cbuf)
			return -ENOMEM;
		lm.msg_control = (uint64_t)cbuf;
		lm.msg_controllen = lcap;
	}
	long r = bsys(__NR_recvmsg, s, &lm, lflags, 0, 0, 0);
	if (r >= 0) {
		if (m.msg_name) {
			if (lm.msg_namelen <= 0)
				fm->msg_namelen = 0;
			else
				sock_name_out(&la, (uint32_t)lm.msg_namelen, (void *)m.msg_name,
					      &fm->msg_namelen);
		}
		int ff = msgflags_l2f(lm.msg_flags);
		uint32_t clen = 0;
		if (fcap) {
			int drop[64], nd, got;
			int sf = sock_flags(s);
			int fmt = (sf & SF_CREDS2) ? CRED_SOCKCRED2 : (sf & SF_CREDS) ? CRED_SOCKCRED
										     : CRED_CMSGCRED;
			clen = cmsg_l2f_creds(cbuf, lm.msg_controllen, (void *)m.msg_control, fcap, &ff,
					      drop, 64, &nd, fmt, &got);
			for (int i = 0; i < nd; i++)
				lsys1(__NR_close, drop[i]);
			if (got && fmt == CRED_SOCKCRED)
				creds_oneshot(s);
		}
		fm->msg_controllen = clen;
		fm->msg_flags = ff;
	}
	if (cbuf && cbuf != sbuf)
		rt_free(cbuf);
	return r;
}
