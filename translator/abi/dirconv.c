/* Pure conversion of Linux getdents64 records into FreeBSD struct dirent
 * (ino64) or struct freebsd11_dirent records. No system calls. */
#include "fsabi.h"

void dirents_l2f(const void *in, size_t in_len, void *out, size_t out_size, int compat11,
		 struct dirconv *r)
{
	const char *ip = in;
	char *op = out;
	r->out_len = 0;
	r->in_used = 0;
	r->next_off = 0;
	r->converted = 0;
	while (r->in_used + FS_OFF(struct ldirent64, d_name) < in_len) {
		const struct ldirent64 *d = (const void *)(ip + r->in_used);
		if (d->d_reclen == 0 || r->in_used + d->d_reclen > in_len)
			break;
		size_t maxname = d->d_reclen - FS_OFF(struct ldirent64, d_name);
		size_t namlen = 0;
		while (namlen < maxname && d->d_name[namlen])
			namlen++;
		if (compat11 && namlen > 255) {
			/* freebsd11_kern_getdirentries skips what it cannot hold. */
			r->in_used += d->d_reclen;
			r->next_off = d->d_off;
			continue;
		}
		size_t len = compat11 ? FDIRENT11_LEN(namlen) : FDIRENT_LEN(namlen);
		if (r->out_len + len > out_size)
			break;
		char *rec = op + r->out_len;
		if (compat11) {
			struct fdirent11 h;
			h.d_fileno = (uint32_t)d->d_ino;
			h.d_reclen = (uint16_t)len;
			h.d_type = d->d_type;
			h.d_namlen = (uint8_t)namlen;
			__builtin_memcpy(rec, &h, FS_OFF(struct fdirent11, d_name));
			__builtin_memcpy(rec + FS_OFF(struct fdirent11, d_name), d->d_name, namlen);
			__builtin_memset(rec + FS_OFF(struct fdirent11, d_name) + namlen, 0,
					 len - FS_OFF(struct fdirent11, d_name) - namlen);
		} else {
			struct fdirent h;
			h.d_fileno = d->d_ino;
			h.d_off = d->d_off;
			h.d_reclen = (uint16_t)len;
			h.d_type = d->d_type;
			h.d_pad0 = 0;
			h.d_namlen = (uint16_t)namlen;
			h.d_pad1 = 0;
			__builtin_memcpy(rec, &h, FS_OFF(struct fdirent, d_name));
			__builtin_memcpy(rec + FS_OFF(struct fdirent, d_name), d->d_name, namlen);
			__builtin_memset(rec + FS_OFF(struct fdirent, d_name) + namlen, 0,
					 len - FS_OFF(struct fdirent, d_name) - namlen);
		}
		r->out_len += len;
		r->in_used += d->d_reclen;
		r->next_off = d->d_off;
		r->converted++;
	}
}
