/* The per-key readers of a lochs.yml service (compose_service.c holds
 * their table): each reads one key's node into the service. */
#pragma once
#include "compose_parse.h"

struct key_ctx {
	struct cparse *c;
	struct compose_service *s;
	char path[320]; /* services.NAME.KEY */
};

typedef int (*key_reader)(struct key_ctx *k, const yaml_node_t *v);

int k_image(struct key_ctx *k, const yaml_node_t *v);
int k_command(struct key_ctx *k, const yaml_node_t *v);
int k_entrypoint(struct key_ctx *k, const yaml_node_t *v);
int k_hostname(struct key_ctx *k, const yaml_node_t *v);
int k_user(struct key_ctx *k, const yaml_node_t *v);
int k_workdir(struct key_ctx *k, const yaml_node_t *v);
int k_name(struct key_ctx *k, const yaml_node_t *v);
int k_ip4(struct key_ctx *k, const yaml_node_t *v);
int k_stopsig(struct key_ctx *k, const yaml_node_t *v);
int k_readonly(struct key_ctx *k, const yaml_node_t *v);
int k_privileged(struct key_ctx *k, const yaml_node_t *v);
int k_tty(struct key_ctx *k, const yaml_node_t *v);
int k_stdin(struct key_ctx *k, const yaml_node_t *v);
int k_init(struct key_ctx *k, const yaml_node_t *v);
int k_grace(struct key_ctx *k, const yaml_node_t *v);
int k_capadd(struct key_ctx *k, const yaml_node_t *v);
int k_capdrop(struct key_ctx *k, const yaml_node_t *v);
int k_expose(struct key_ctx *k, const yaml_node_t *v);
int k_profiles(struct key_ctx *k, const yaml_node_t *v);
int k_dns(struct key_ctx *k, const yaml_node_t *v);
int k_labels(struct key_ctx *k, const yaml_node_t *v);
int k_hosts(struct key_ctx *k, const yaml_node_t *v);
int k_scale(struct key_ctx *k, const yaml_node_t *v);
int k_restart(struct key_ctx *k, const yaml_node_t *v);
int k_memory(struct key_ctx *k, const yaml_node_t *v);
int k_cpus(struct key_ctx *k, const yaml_node_t *v);
int k_pids(struct key_ctx *k, const yaml_node_t *v);
int k_shares(struct key_ctx *k, const yaml_node_t *v);
int k_platform(struct key_ctx *k, const yaml_node_t *v);
int k_network_mode(struct key_ctx *k, const yaml_node_t *v);
int k_environment(struct key_ctx *k, const yaml_node_t *v);
int k_env_file(struct key_ctx *k, const yaml_node_t *v);
int k_ports(struct key_ctx *k, const yaml_node_t *v);
int k_volumes(struct key_ctx *k, const yaml_node_t *v);
int k_tmpfs(struct key_ctx *k, const yaml_node_t *v);
int k_networks(struct key_ctx *k, const yaml_node_t *v);
void compose_svcnet_free(struct compose_service *s); /* its net_opts */
int k_depends_on(struct key_ctx *k, const yaml_node_t *v);
int k_healthcheck(struct key_ctx *k, const yaml_node_t *v);
int k_deploy(struct key_ctx *k, const yaml_node_t *v);
int k_build(struct key_ctx *k, const yaml_node_t *v);
int k_secrets(struct key_ctx *k, const yaml_node_t *v);
int k_configs(struct key_ctx *k, const yaml_node_t *v);
int k_develop(struct key_ctx *k, const yaml_node_t *v);
/* A list of names, or a mapping name: options (options NULL when null):
 * calls each(k, node, name, options) for each; what names `what` are. */
typedef int (*named_fn)(struct key_ctx *k, const yaml_node_t *at, const char *name, const yaml_node_t *opts);
int k_named(struct key_ctx *k, const yaml_node_t *v, const char *what, named_fn each);
/* A whole number of lo..hi into *out. */
int k_int(struct key_ctx *k, const yaml_node_t *v, int *out, long long lo, long long hi);
