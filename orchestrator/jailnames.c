/* A jail's /etc/hosts and /etc/resolv.conf; see jailnames.h. */
#include "jailnames.h"
#include "jailops.h"
#include "../common/fsutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* nameserver lines of the host (systemd-resolved's upstream list when the
 * host's own points at its 127.0.0.53 stub, unreachable from a jail). */
static void host_resolvers(FILE *out)
{
	size_t len;
	char *text = read_file("/run/systemd/resolve/resolv.conf", &len);
	if (!text)
		text = read_file("/etc/resolv.conf", &len);
	for (char *save, *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save))
		if ((!strncmp(l, "nameserver", 10) && !strstr(l, " 127.") && !strstr(l, " ::1")) ||
		    !strncmp(l, "search", 6) || !strncmp(l, "options", 7))
			fprintf(out, "%s\n", l);
	free(text);
}

int jailnames_write(struct cli *c, const char *id, const struct jail_config *cfg, struct lerr *e)
{
	char path[4096];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fprintf(f, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
	for (int i = 0; i < cfg->nnets; i++) {
		char ip[64];
		snprintf(ip, sizeof ip, "%.*s", (int)strcspn(cfg->nets[i].address, "/"), cfg->nets[i].address);
		fprintf(f, "%s\t%s%s%s\n", ip, cfg->hostname, strcmp(cfg->hostname, cfg->name) ? " " : "",
			strcmp(cfg->hostname, cfg->name) ? cfg->name : "");
	}
	fclose(f);
	jail_path(c, id, "hosts", path, sizeof path);
	int rc = write_file_replace(path, buf, len, 0644) < 0 ? lerr_sys(e, "%s", path) : 0;
	free(buf);
	f = open_memstream(&buf, &len);
	host_resolvers(f);
	fclose(f);
	jail_path(c, id, "resolv.conf", path, sizeof path);
	if (rc == 0 && write_file_replace(path, buf, len, 0644) < 0)
		rc = lerr_sys(e, "%s", path);
	free(buf);
	return rc;
}
