/* MSG_* flags and control messages, FreeBSD <-> Linux (constants.md
 * "MSG_* flags", structs.md "cmsghdr"). Pure: no system calls.
 * Both sides put cmsg data at +16 and align to 8; only the header (4-byte
 * vs 8-byte cmsg_len), the type numbers and some payloads differ. */
#include "sock.h"
#include <string.h>

#define L_EINVAL 22

static const struct { int f, l; } msgmap[] = {
	{ FMSG_OOB, 0x1 },        { FMSG_PEEK, 0x2 },         { FMSG_DONTROUTE, 0x4 },
	{ FMSG_EOR, 0x80 },       { FMSG_TRUNC, LMSG_TRUNC }, { FMSG_CTRUNC, LMSG_CTRUNC },
	{ FMSG_WAITALL, 0x100 },  { FMSG_DONTWAIT, LMSG_DONTWAIT },
	{ FMSG_NBIO, LMSG_DONTWAIT }, { FMSG_NOSIGNAL, LMSG_NOSIGNAL },
	{ FMSG_CMSG_CLOEXEC, LMSG_CMSG_CLOEXEC }, { FMSG_WAITFORONE, 0x10000 },
};

int msgflags_f2l(int f, int *bad)
{
	int l = 0;
	for (unsigned i = 0; i < sizeof msgmap / sizeof msgmap[0]; i++)
		if (f & msgmap[i].f) {
			l |= msgmap[i].l;
			f &= ~msgmap[i].f;
		}
	/* MSG_EOF (T/TCP: send then shut down) and MSG_COMPAT have no Linux
	 * flag; the caller handles MSG_EOF. Anything else is unknown. */
	f &= ~(FMSG_EOF | 0x8000);
	*bad = f != 0;
	return l;
}

int msgflags_l2f(int l)
{
	int f = 0;
	for (unsigned i = 0; i < sizeof msgmap / sizeof msgmap[0]; i++)
		if ((l & msgmap[i].l) && msgmap[i].f != FMSG_NBIO)
			f |= msgmap[i].f;
	return f;
}

/* Control message types, (level, type) pairs. */
#define F_SCM_RIGHTS 1
#define F_SCM_TIMESTAMP 2
#define F_SCM_CREDS 3
#define L_SCM_RIGHTS 1
#define L_SCM_CREDENTIALS 2
#define L_SCM_TIMESTAMP 29
#define L_SCM_TIMESTAMPNS 35
#define IPPROTO_IP_ 0
#define IPPROTO_IPV6_ 41

static const struct { int level, f, l; } cmsgmap[] = {
	{ IPPROTO_IPV6_, 46, 50 }, /* IPV6_PKTINFO (struct in6_pktinfo, same) */
	{ IPPROTO_IPV6_, 47, 52 }, /* IPV6_HOPLIMIT (int) */
	{ IPPROTO_IPV6_, 61, 67 }, /* IPV6_TCLASS (int) */
};

static int cmsg_type_f2l(int level, int type)
{
	for (unsigned i = 0; i < sizeof cmsgmap / sizeof cmsgmap[0]; i++)
		if (cmsgmap[i].level == level && cmsgmap[i].f == type)
			return cmsgmap[i].l;
	return -1;
}

static int cmsg_type_l2f(int level, int type)
{
	for (unsigned i = 0; i < sizeof cmsgmap / sizeof cmsgmap[0]; i++)
		if (cmsgmap[i].level == level && cmsgmap[i].l == type)
			return cmsgmap[i].f;
	return -1;
}

/* Appends one Linux cmsg; returns 0, or -EINVAL if it does not fit. */
static int put_l(uint8_t *out, size_t cap, size_t *pos, int level, int type, const void *data,
		 size_t dlen)
{
	size_t sp = CMSG_HDR + CMSG_AL(dlen);
	if (*pos + CMSG_HDR + dlen > cap)
		return -L_EINVAL;
	struct lcmsghdr h = { CMSG_HDR + dlen, level, type };
	memcpy(out + *pos, &h, sizeof h);
	memcpy(out + *pos + CMSG_HDR, data, dlen);
	*pos += sp < cap - *pos ? sp : cap - *pos;
	return 0;
}

int cmsg_f2l(const void *fctl, uint32_t flen, void *lctl, size_t lcap, size_t *llen,
	     const struct lucred *self)
{
	const uint8_t *in = fctl;
	uint8_t *out = lctl;
	size_t pos = 0;
	uint32_t off = 0;
	while (off + sizeof(struct fcmsghdr) <= flen) {
		struct fcmsghdr h;
		memcpy(&h, in + off, sizeof h);
		if (h.cmsg_len < sizeof h || h.cmsg_len > flen - off)
			return -L_EINVAL;
		const uint8_t *data = in + off + CMSG_HDR;
		size_t dlen = h.cmsg_len > CMSG_HDR ? h.cmsg_len - CMSG_HDR : 0;
		int r;
		if (h.cmsg_level == FSOL_SOCKET) {
			switch (h.cmsg_type) {
			case F_SCM_RIGHTS:
				r = put_l(out, lcap, &pos, LSOL_SOCKET, L_SCM_RIGHTS, data, dlen & ~3UL);
				break;
			case F_SCM_CREDS:
				/* The kernel fills in the sender's credentials. */
				r = put_l(out, lcap, &pos, LSOL_SOCKET, L_SCM_CREDENTIALS, self,
					  sizeof *self);
				break;
			default:
				return -L_EINVAL;
			}
		} else if (h.cmsg_level == IPPROTO_IP_ && h.cmsg_type == 7 && dlen >= 4) {
			/* IP_SENDSRCADDR: struct in_addr -> in_pktinfo.ipi_spec_dst */
			uint8_t pi[12] = { 0 };
			memcpy(pi + 4, data, 4);
			r = put_l(out, lcap, &pos, IPPROTO_IP_, 8, pi, sizeof pi);
		} else {
			int t = cmsg_type_f2l(h.cmsg_level, h.cmsg_type);
			if (t < 0)
				return -L_EINVAL;
			r = put_l(out, lcap, &pos, h.cmsg_level, t, data, dlen);
		}
		if (r)
			return r;
		off += (uint32_t)CMSG_AL(h.cmsg_len);
	}
	*llen = pos;
	return 0;
}

/* Appends one FreeBSD cmsg if the header and dlen bytes fit. */
static int put_f(uint8_t *out, uint32_t cap, uint32_t *pos, int level, int type, const void *data,
		 uint32_t dlen)
{
	if (*pos + CMSG_HDR + dlen > cap)
		return -1;
	struct fcmsghdr h = { CMSG_HDR + dlen, level, type };
	memset(out + *pos, 0, CMSG_HDR);
	memcpy(out + *pos, &h, sizeof h);
	memcpy(out + *pos + CMSG_HDR, data, dlen);
	uint32_t sp = CMSG_HDR + (uint32_t)CMSG_AL(dlen);
	*pos += sp < cap - *pos ? sp : cap - *pos;
	return 0;
}

uint32_t cmsg_l2f(const void *lctl, size_t llen, void *fctl, uint32_t fcap, int *fflags,
		  int *drop, int ndrop_max, int *ndrop)
{
	int got;
	return cmsg_l2f_creds(lctl, llen, fctl, fcap, fflags, drop, ndrop_max, ndrop,
			      CRED_CMSGCRED, &got);
}

/* SCM_CREDENTIALS in the FreeBSD layout credfmt selects. */
static int put_creds(uint8_t *out, uint32_t cap, uint32_t *pos, const struct lucred *u, int credfmt)
{
	if (credfmt == CRED_SOCKCRED) {
		struct fsockcred sc = { u->uid, u->uid, u->gid, u->gid, 1, { u->gid } };
		return put_f(out, cap, pos, FSOL_SOCKET, F_SCM_CREDS, &sc, sizeof sc);
	}
	if (credfmt == CRED_SOCKCRED2) {
		struct fsockcred2 sc = { 0, u->pid, u->uid, u->uid, u->gid, u->gid, 1, { u->gid } };
		return put_f(out, cap, pos, FSOL_SOCKET, 8 /* SCM_CREDS2 */, &sc, sizeof sc);
	}
	struct fcmsgcred c;
	memset(&c, 0, sizeof c);
	c.cmcred_pid = u->pid;
	c.cmcred_uid = c.cmcred_euid = u->uid;
	c.cmcred_gid = u->gid;
	c.cmcred_ngroups = 1;
	c.cmcred_groups[0] = u->gid;
	return put_f(out, cap, pos, FSOL_SOCKET, F_SCM_CREDS, &c, sizeof c);
}

uint32_t cmsg_l2f_creds(const void *lctl, size_t llen, void *fctl, uint32_t fcap, int *fflags,
			int *drop, int ndrop_max, int *ndrop, int credfmt, int *gotcreds)
{
	*gotcreds = 0;
	const uint8_t *in = lctl;
	uint8_t *out = fctl;
	uint32_t pos = 0;
	size_t off = 0;
	*ndrop = 0;
	while (off + sizeof(struct lcmsghdr) <= llen) {
		struct lcmsghdr h;
		memcpy(&h, in + off, sizeof h);
		if (h.cmsg_len < sizeof h || h.cmsg_len > llen - off)
			break;
		const uint8_t *data = in + off + CMSG_HDR;
		uint32_t dlen = (uint32_t)(h.cmsg_len - CMSG_HDR);
		off += CMSG_AL(h.cmsg_len);
		int ok = 0;
		if (h.cmsg_level == LSOL_SOCKET && h.cmsg_type == L_SCM_RIGHTS) {
			/* Keep as many descriptors as fit; FreeBSD discards the rest. */
			uint32_t nfd = dlen / 4, room = 0;
			if (pos + CMSG_HDR < fcap)
				room = (fcap - pos - CMSG_HDR) / 4;
			uint32_t keep = nfd < room ? nfd : room;
			if (keep)
				put_f(out, fcap, &pos, FSOL_SOCKET, F_SCM_RIGHTS, data, keep * 4);
			for (uint32_t i = keep; i < nfd; i++) {
				int fd;
				memcpy(&fd, data + 4 * i, 4);
				if (*ndrop < ndrop_max)
					drop[(*ndrop)++] = fd;
			}
			ok = keep == nfd;
		} else if (h.cmsg_level == LSOL_SOCKET && h.cmsg_type == L_SCM_CREDENTIALS &&
			   dlen >= sizeof(struct lucred)) {
			struct lucred u;
			memcpy(&u, data, sizeof u);
			ok = !put_creds(out, fcap, &pos, &u, credfmt);
			*gotcreds = 1;
		} else if (h.cmsg_level == LSOL_SOCKET && h.cmsg_type == L_SCM_TIMESTAMP) {
			ok = !put_f(out, fcap, &pos, FSOL_SOCKET, F_SCM_TIMESTAMP, data, dlen);
		} else if (h.cmsg_level == IPPROTO_IP_ && (h.cmsg_type == 1 || h.cmsg_type == 2) &&
			   dlen >= 1) {
			/* IP_TOS/IP_TTL ints -> IP_RECVTOS/IP_RECVTTL bytes. */
			int v = 0;
			memcpy(&v, data, dlen < 4 ? dlen : 4);
			uint8_t b = (uint8_t)v;
			ok = !put_f(out, fcap, &pos, IPPROTO_IP_, h.cmsg_type == 1 ? 68 : 65, &b, 1);
		} else if (h.cmsg_level == IPPROTO_IP_ && h.cmsg_type == 8 && dlen >= 12) {
			/* IP_PKTINFO -> IP_RECVDSTADDR: the packet's destination */
			ok = !put_f(out, fcap, &pos, IPPROTO_IP_, 7, data + 8, 4);
		} else {
			int t = cmsg_type_l2f(h.cmsg_level, h.cmsg_type);
			if (t < 0)
				continue; /* nothing FreeBSD would have produced */
			ok = !put_f(out, fcap, &pos, h.cmsg_level, t, data, dlen);
		}
		if (!ok)
			*fflags |= FMSG_CTRUNC;
	}
	return pos;
}
