/* Formatted output without libc. */
#include "rt.h"

int rt_debug;

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, unsigned long v, int base, int neg, int width, char pad)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		put(o, pad);
	while (n)
		put(o, tmp[--n]);
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, lng = 0;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			lng = 1, fmt++;
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int l = (int)strlen(s);
			while (width-- > l)
				put(&o, ' ');
			while (*s)
				put(&o, *s++);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 'd':
		case 'i': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);
			put_num(&o, v < 0 ? -(unsigned long)v : (unsigned long)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
			put_num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, width, pad);
			break;
		case 'x':
			put_num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, width, pad);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (unsigned long)va_arg(ap, void *), 16, 0, width, pad);
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			put(&o, '?');
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = rt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		long r = lsys3(__NR_write, fd, s, n);
		if (r <= 0)
			return;
		s += r;
		n -= r;
	}
}

static void vdprintf_(int fd, const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t p = rt_strlcpy(buf, prefix, sizeof buf);
	int n = rt_vsnprintf(buf + p, sizeof buf - p, fmt, ap);
	size_t len = p + (size_t)n;
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	write_all(fd, buf, len);
}

void rt_dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdprintf_(fd, "", fmt, ap);
	va_end(ap);
}

void rt_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdprintf_(2, "bsdulator: ", fmt, ap);
	va_end(ap);
	write_all(2, "\n", 1);
}

_Noreturn void rt_exit_group(int code)
{
	for (;;)
		lsys1(__NR_exit_group, code);
}

_Noreturn void rt_die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdprintf_(2, "bsdulator: ", fmt, ap);
	va_end(ap);
	write_all(2, "\n", 1);
	rt_exit_group(code);
}
