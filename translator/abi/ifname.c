/* Interface names inside the jail: FreeBSD numbers its loopback (lo0), so
 * Linux "lo" is shown as "lo0" and "lo0" given back means "lo"; other
 * names (eth0, epair0b, ...) stay as they are. Used by NET_RT_IFLIST,
 * NET_RT_DUMP and the interface ioctls alike. */
#include "rtmsg.h"
#include "../rt/rt.h"

void ifname_l2f(const char *lname, char out[16])
{
	rt_strlcpy(out, strcmp(lname, "lo") == 0 ? "lo0" : lname, 16);
}

void ifname_f2l(const char *fname, char out[16])
{
	char n[16];
	size_t len = strnlen(fname, 15); /* ifr_name need not be terminated */
	memcpy(n, fname, len);
	n[len] = 0;
	rt_strlcpy(out, strcmp(n, "lo0") == 0 ? "lo" : n, 16);
}
