/* getopt_long tables and --help text from one flag table (flagtable.h). */
#include "flagtable.h"
#include <stdlib.h>
#include <string.h>

static int has_short(const struct cli_flag *f)
{
	return f->id > 0 && f->id < 256;
}

int cli_flags_getopt(const struct cli_flag *flags, struct option **opts, char *shortopts, size_t size)
{
	size_t n = 0, k = 0, s = 0;
	for (const struct cli_flag *f = flags; f->name; f++)
		n += f->alias ? 2 : 1;
	struct option *o = calloc(n + 1, sizeof *o);
	if (!o || size < 3)
		return free(o), -1;
	shortopts[s++] = '+';
	shortopts[s++] = ':';
	for (const struct cli_flag *f = flags; f->name; f++) {
		int has = f->arg ? required_argument : no_argument;
		o[k++] = (struct option){ f->name, has, NULL, f->id };
		if (f->alias)
			o[k++] = (struct option){ f->alias, has, NULL, f->id };
		if (has_short(f) && s + 3 < size) {
			shortopts[s++] = (char)f->id;
			if (f->arg)
				shortopts[s++] = ':';
		}
	}
	shortopts[s] = 0;
	*opts = o;
	return 0;
}

static int left_column(const struct cli_flag *f, char *out, size_t size)
{
	int s = has_short(f);
	return snprintf(out, size, "%c%c%c --%s%s%s%s%s", s ? '-' : ' ', s ? f->id : ' ', s ? ',' : ' ', f->name,
			f->alias ? ", --" : "", f->alias ? f->alias : "", f->arg ? " " : "", f->arg ? f->arg : "");
}

void cli_flags_help(FILE *out, const struct cli_flag *flags)
{
	char left[256];
	int width = 0;
	for (const struct cli_flag *f = flags; f->name; f++) {
		int n = left_column(f, left, sizeof left);
		width = n > width ? n : width;
	}
	fprintf(out, "\nOptions:\n");
	for (const struct cli_flag *f = flags; f->name; f++) {
		left_column(f, left, sizeof left);
		fprintf(out, "  %-*s  %s\n", width, left, f->help);
	}
}
