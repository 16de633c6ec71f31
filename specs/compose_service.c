/* One lochs.yml service into its svc_spec and project fields: the table
 * of key readers (compose_svc*.c), and Compose's keys that Lochs does not
 * support, named as such. */
#include "compose_keys.h"
#include <stdio.h>
#include <string.h>

static const struct {
	const char *key;
	key_reader read;
} readers[] = {
	{ "image", k_image }, { "build", k_build }, { "command", k_command }, { "entrypoint", k_entrypoint },
	{ "env_file", k_env_file }, { "environment", k_environment }, { "ports", k_ports }, { "expose", k_expose },
	{ "volumes", k_volumes }, { "tmpfs", k_tmpfs }, { "networks", k_networks }, { "ip4_addr", k_ip4 },
	{ "network_mode", k_network_mode }, { "hostname", k_hostname }, { "depends_on", k_depends_on },
	{ "healthcheck", k_healthcheck }, { "restart", k_restart }, { "deploy", k_deploy }, { "scale", k_scale },
	{ "labels", k_labels }, { "profiles", k_profiles }, { "user", k_user }, { "working_dir", k_workdir },
	{ "read_only", k_readonly }, { "cap_add", k_capadd }, { "cap_drop", k_capdrop }, { "secrets", k_secrets },
	{ "configs", k_configs }, { "stop_signal", k_stopsig }, { "stop_grace_period", k_grace }, { "init", k_init },
	{ "develop", k_develop }, { "container_name", k_name }, { "privileged", k_privileged }, { "dns", k_dns },
	{ "extra_hosts", k_hosts }, { "mem_limit", k_memory }, { "cpus", k_cpus }, { "cpu_shares", k_shares },
	{ "pids_limit", k_pids }, { "tty", k_tty }, { "stdin_open", k_stdin }, { "platform", k_platform },
};
#define NREADERS (sizeof readers / sizeof *readers)

/* Compose keys with no meaning here (Linux-only, Swarm, Docker engine). */
static const char *const unsupported[] = {
	"annotations", "attach", "blkio_config", "cgroup", "cgroup_parent", "cpu_count", "cpu_percent", "cpu_period",
	"cpu_quota", "cpu_rt_runtime", "cpu_rt_period", "cpuset", "credential_spec", "device_cgroup_rules", "devices",
	"dns_opt", "dns_search", "domainname", "driver_opts", "external_links", "gpus", "group_add", "ipc", "isolation",
	"label_file", "links", "logging", "mac_address", "mem_reservation", "mem_swappiness", "memswap_limit", "models",
	"oom_kill_disable", "oom_score_adj", "pid", "post_start", "pre_stop", "provider", "pull_policy", "runtime",
	"security_opt", "shm_size", "storage_opt", "sysctls", "ulimits", "use_api_socket", "userns_mode", "uts",
	"volumes_from", "extends", NULL,
};

int cp_service(struct cparse *c, const yaml_node_t *n, struct compose_service *s)
{
	const char *known[NREADERS + 1];
	for (size_t i = 0; i < NREADERS; i++)
		known[i] = readers[i].key;
	known[NREADERS] = NULL;
	struct key_ctx k = { c, s, "" };
	char where[300];
	snprintf(where, sizeof where, "services.%s", s->name);
	s->replicas = 1, s->stop_grace_ms = -1;
	if (cp_keys(c, n, where, known, unsupported) < 0)
		return -1;
	/* In the table's order: env_file before environment, which wins. */
	for (size_t i = 0; i < NREADERS; i++) {
		yaml_node_t *v = ytree_get(c->t, n, readers[i].key);
		if (!v)
			continue;
		snprintf(k.path, sizeof k.path, "%s.%s", where, readers[i].key);
		if (readers[i].read(&k, v) < 0)
			return -1;
	}
	if (!s->spec.image && !s->build_context)
		return cp_err(c, n, where, "image or build is required");
	if (s->spec.name && s->replicas > 1)
		return cp_err(c, n, where, "container_name allows one replica only");
	return 0;
}
