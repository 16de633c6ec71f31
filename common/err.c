#include "err.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

int lerr_set(struct lerr *e, int code, const char *fmt, ...)
{
	if (!e)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->code = code;
	return -1;
}

int lerr_sys(struct lerr *e, const char *fmt, ...)
{
	int saved = errno;
	if (!e)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof e->msg)
		snprintf(e->msg + n, sizeof e->msg - (size_t)n, ": %s", strerror(saved));
	e->code = LX_LOCHS;
	errno = saved;
	return -1;
}

int lerr_wrap(struct lerr *e, const char *fmt, ...)
{
	if (!e)
		return -1;
	char prefix[512], old[sizeof e->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	snprintf(e->msg, sizeof e->msg, "%.500s: %.500s", prefix, old);
	return -1;
}

int lerr_usage(struct lerr *e, const char *cmd, const char *fmt, ...)
{
	if (!e)
		return -1;
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return lerr_set(e, LX_LOCHS, "%s: %s (see 'lochs %s --help')", cmd, msg, cmd);
}
