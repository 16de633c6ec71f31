/* Socket addresses, FreeBSD <-> Linux (structs.md "sa_len byte"). Pure:
 * no system calls. FreeBSD sockaddrs start with a length byte and a
 * one-byte family; Linux has a two-byte family. */
#include "sock.h"
#include <string.h>

#define L_EINVAL 22
#define L_ENOENT 2
#define L_EAFNOSUPPORT 97

int family_f2l(int f)
{
	switch (f) {
	case FAF_INET6: return LAF_INET6;
	case 17: return 16;  /* AF_ROUTE -> AF_NETLINK (never equivalent; callers reject) */
	case 10: case 16: return -1; /* Linux-only numbers must not leak through */
	default: return f;
	}
}

int family_l2f(int l)
{
	switch (l) {
	case LAF_INET6: return FAF_INET6;
	case 28: return 0;
	default: return l;
	}
}

int sa_f2l(const void *fsa, uint32_t flen, struct lsockaddr_buf *out, uint32_t *llen)
{
	const uint8_t *f = fsa;
	memset(out, 0, sizeof *out);
	if (flen > FSOCK_MAXADDRLEN)
		return -36; /* ENAMETOOLONG, as getsockaddr() */
	if (flen < 2)
		return -L_EINVAL;
	switch (f[1]) {
	case FAF_INET:
		if (flen < FSOCKADDR_IN_LEN)
			return -L_EINVAL;
		out->family = FAF_INET;
		memcpy(out->data, f + 2, 14);
		*llen = 16;
		return 0;
	case FAF_INET6:
		if (flen < FSOCKADDR_IN6_LEN)
			return -L_EINVAL;
		out->family = LAF_INET6;
		memcpy(out->data, f + 2, 26);
		*llen = 28;
		return 0;
	case FAF_UNIX: {
		if (flen > sizeof(struct fsockaddr_un))
			return -L_EINVAL;
		uint32_t n = 0;
		while (n < flen - 2 && f[2 + n])
			n++;
		/* FreeBSD has no abstract or autobound names: an empty path is a
		 * lookup of "" (ENOENT), never Linux's abstract namespace. */
		if (n == 0)
			return -L_ENOENT;
		out->family = FAF_UNIX;
		memcpy(out->data, f + 2, n);
		out->data[n] = 0;
		*llen = 2 + n + 1;
		return 0;
	}
	case 38: /* AF_NETLINK: nl_pad, nl_pid, nl_groups follow as on Linux */
		if (flen < 12)
			return -L_EINVAL;
		out->family = 16;
		memcpy(out->data, f + 2, 10);
		*llen = 12;
		return 0;
	case FAF_UNSPEC: {
		uint32_t n = flen < sizeof *out ? flen : sizeof *out;
		out->family = 0;
		memcpy(out->data, f + 2, n - 2);
		*llen = n;
		return 0;
	}
	default:
		return -L_EAFNOSUPPORT;
	}
}

uint32_t sa_l2f(const void *lsa, uint32_t llen, void *outp, uint32_t cap)
{
	const uint8_t *l = lsa;
	uint8_t tmp[128];
	uint32_t n;
	memset(tmp, 0, sizeof tmp);
	if (llen < 2)
		return 0;
	if (llen > sizeof tmp)
		llen = sizeof tmp;
	int fam = l[0] | l[1] << 8;
	switch (fam) {
	case FAF_INET:
		n = FSOCKADDR_IN_LEN;
		memcpy(tmp + 2, l + 2, (llen < 16 ? llen : 16) - 2);
		break;
	case LAF_INET6:
		n = FSOCKADDR_IN6_LEN;
		memcpy(tmp + 2, l + 2, (llen < 28 ? llen : 28) - 2);
		break;
	case FAF_UNIX: {
		/* Unnamed (and Linux-only abstract) sockets read back as
		 * FreeBSD's sun_noname: a bare 16-byte sockaddr. */
		if (llen <= 2 || l[2] == 0) {
			n = 16;
			break;
		}
		const uint8_t *path = l + 2;
		uint32_t avail = llen - 2;
		/* bindat/connectat reach a relative name through
		 * /proc/self/fd/N/: FreeBSD keeps the name as given. */
		if (avail > 14 && memcmp(path, "/proc/self/fd/", 14) == 0) {
			uint32_t i = 14;
			while (i < avail && path[i] >= '0' && path[i] <= '9')
				i++;
			if (i > 14 && i < avail && path[i] == '/') {
				path += i + 1;
				avail -= i + 1;
			}
		}
		uint32_t p = 0;
		while (p < avail && path[p] && p < 104)
			p++;
		memcpy(tmp + 2, path, p);
		n = 2 + p + 1; /* the stored name, with its NUL, like Go/bind */
		if (n > sizeof(struct fsockaddr_un))
			n = sizeof(struct fsockaddr_un);
		break;
	}
	case 16: /* AF_NETLINK -> FreeBSD's 38, same 12-byte layout */
		n = 12;
		memcpy(tmp + 2, l + 2, (llen < 12 ? llen : 12) - 2);
		break;
	default:
		n = llen;
		memcpy(tmp + 2, l + 2, llen - 2);
		break;
	}
	tmp[0] = (uint8_t)n;
	tmp[1] = (uint8_t)(fam == 16 ? 38 : family_l2f(fam));
	memcpy(outp, tmp, n < cap ? n : cap);
	return n;
}
