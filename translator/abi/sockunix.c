/* The length a unix socket was bound with. FreeBSD keeps the bound
 * sockaddr_un as given, with sa_len = bind's namelen (getsockaddr,
 * uipc_bindat), and getsockname copies that many bytes back
 * (uipc_sockaddr): SUN_LEN without the NUL, or sizeof(struct sockaddr_un).
 * Linux keeps only the path, so the length is remembered per descriptor;
 * an accepted socket carries its listener's address (unp_connect) and so
 * its length. */
#include "../rt/rt.h"
#include "sock.h"
#include "sockstate.h"

#define SOCKUN_MAX (1 << 20) /* as socket.c's SOCKSTATE_MAX */
static uint8_t boundlen[SOCKUN_MAX]; /* valid under SF_SUNLEN */

void sock_unix_bound(int fd, uint32_t flen)
{
	if (fd < 0 || fd >= SOCKUN_MAX || flen > sizeof(struct fsockaddr_un))
		return;
	__atomic_store_n(&boundlen[fd], (uint8_t)flen, __ATOMIC_RELAXED);
	sock_set_flag(fd, SF_SUNLEN, 1);
}

void sock_unix_dup(int oldfd, int newfd)
{
	if (oldfd < 0 || oldfd >= SOCKUN_MAX || newfd < 0 || newfd >= SOCKUN_MAX)
		return;
	__atomic_store_n(&boundlen[newfd], __atomic_load_n(&boundlen[oldfd], __ATOMIC_RELAXED),
			 __ATOMIC_RELAXED);
	sock_set_flag(newfd, SF_SUNLEN, sock_flags(oldfd) & SF_SUNLEN);
}

int sock_unix_name_out(int fd, const struct lsockaddr_buf *la, uint32_t llen, void *name,
		       uint32_t *namelen)
{
	if (!(sock_flags(fd) & SF_SUNLEN) || la->family != FAF_UNIX || llen <= 2 || !la->data[0])
		return 0;
	uint8_t f[128];
	uint32_t n = __atomic_load_n(&boundlen[fd], __ATOMIC_RELAXED);
	sa_l2f(la, llen, f, sizeof f); /* the path, zero-filled after it */
	f[0] = (uint8_t)n;
	if (name && namelen) {
		uint32_t k = n < *namelen ? n : *namelen;
		memcpy(name, f, k);
		*namelen = k;
	}
	return 1;
}
