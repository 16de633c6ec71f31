# cmocka unit tests of the translator's pure translation code, built for the
# host with libc. Each tests/unit/test_*.c becomes one test program linked
# with UNIT_PURE (translator files that make no system calls).
UNIT_PURE := translator/abi/errno.c translator/abi/signo.c translator/abi/oflags.c translator/abi/waitx.c translator/abi/fsconv.c translator/abi/statconv.c translator/abi/dirconv.c translator/abi/termios.c
UNIT_PURE += translator/abi/sockaddr.c translator/abi/msghdr.c translator/abi/sockopt.c translator/abi/pollbits.c translator/abi/kevconv.c translator/abi/rtmsg.c translator/abi/kinfo.c
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Itranslator

$(BUILD)/unit/%: tests/unit/%.c $(UNIT_PURE) $(wildcard translator/abi/*.h)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_PURE) -lcmocka

.PHONY: unit
unit: $(UNIT_TESTS)
TEST_SUITES += tests/unit/run.sh

# The reconciler's pure half with the spec model (hosted, jansson + libnettle).
PLAN_UNIT_SRCS := specs/service.c specs/cliflags.c specs/flagtable.c specs/strv.c reconciler/plan.c reconciler/pool.c reconciler/specdiff.c reconciler/liveness.c netplane/portspec.c netplane/dnsname.c common/err.c common/sha256.c
$(BUILD)/unit/test_plan: tests/unit/test_plan.c $(PLAN_UNIT_SRCS) specs/service.h reconciler/reconciler.h reconciler/liveness.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -D_GNU_SOURCE -I. -o $@ $< $(PLAN_UNIT_SRCS) -lcmocka -ljansson -lnettle

# Watch mode's pure parts: drift, develop.watch paths, the pinned hash.
WATCH_UNIT_SRCS := $(PLAN_UNIT_SRCS) reconciler/drift.c reconciler/restore.c reconciler/watchpath.c
$(BUILD)/unit/test_watch: tests/unit/test_watch.c $(WATCH_UNIT_SRCS) specs/service.h reconciler/reconciler.h reconciler/drift.h reconciler/watchpath.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -D_GNU_SOURCE -I. -o $@ $< $(sort $(WATCH_UNIT_SRCS)) -lcmocka -ljansson -lnettle

# Lochs unit tests (tests/unit/test_lochs_*.c): the orchestrator's pure
# parts with the lochs libraries instead of UNIT_PURE (the more specific
# pattern wins over the one above).
LOCHS_UNIT_SRCS := common/err.c common/fsutil.c common/sha256.c orchestrator/imageref.c orchestrator/release.c \
	orchestrator/layer_extract.c orchestrator/registry_ref.c orchestrator/registry_auth.c orchestrator/registry_platform.c
$(BUILD)/unit/test_lochs_%: tests/unit/test_lochs_%.c $(LOCHS_UNIT_SRCS) $(wildcard orchestrator/*.h common/*.h)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -Wno-unused-parameter -Wno-format-truncation -D_GNU_SOURCE $(shell pkg-config --cflags $(LOCHS_PKGS) 2>/dev/null) -o $@ $< \
		$(LOCHS_UNIT_SRCS) -lcmocka $(LOCHS_LIBS)

# Detach keys: Docker's spelling, the input filter, the config file's key.
DKEYS_UNIT_SRCS := orchestrator/detachkeys.c orchestrator/config.c common/err.c
$(BUILD)/unit/test_lochs_detachkeys: tests/unit/test_lochs_detachkeys.c $(DKEYS_UNIT_SRCS) orchestrator/detachkeys.h orchestrator/config.h
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -Wno-unused-parameter -D_GNU_SOURCE -o $@ $< $(DKEYS_UNIT_SRCS) -lcmocka -ljansson -lnettle

# Volumes: name validation, the layer view and diff (pure file-system code).
VOLUMES_UNIT_SRCS := volumes/volname.c volumes/volpaths.c volumes/lview.c volumes/diff.c common/err.c common/fsutil.c
$(BUILD)/unit/test_lochs_volumes: tests/unit/test_lochs_volumes.c $(VOLUMES_UNIT_SRCS) $(wildcard volumes/*.h)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -Wno-unused-parameter -Wno-format-truncation -D_GNU_SOURCE $(shell pkg-config --cflags $(LOCHS_PKGS) 2>/dev/null) -o $@ $< \
		$(VOLUMES_UNIT_SRCS) -lcmocka

# netplane: CIDR, IPAM and the pool (pure, plus SQLite for IPAM; no libnl).
NETPLANE_UNIT_SRCS := netplane/cidr.c netplane/ipam.c netplane/ipam6.c netplane/netrec.c netplane/pool.c orchestrator/state.c common/err.c
$(BUILD)/unit/test_lochs_network: tests/unit/test_lochs_network.c $(NETPLANE_UNIT_SRCS) $(wildcard netplane/*.h)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -Wno-unused-parameter -D_GNU_SOURCE -o $@ $< $(NETPLANE_UNIT_SRCS) -lcmocka -lsqlite3

# Published ports: the -p parser, the nftables text (pure) and reservations
# against SQLite (no libnftables: fwsync.c is left out).
PORTS_UNIT_SRCS := netplane/portspec.c netplane/firewall.c netplane/ports.c orchestrator/state.c common/err.c
$(BUILD)/unit/test_lochs_ports: tests/unit/test_lochs_ports.c $(PORTS_UNIT_SRCS) $(wildcard netplane/*.h)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -Wno-unused-parameter -D_GNU_SOURCE -o $@ $< $(PORTS_UNIT_SRCS) -lcmocka -lsqlite3

# The embedded DNS server's pure half: names, rotation, resolv.conf text,
# the flag checks and the TCP wire format.
DNS_UNIT_SRCS := netplane/dnsname.c netplane/dnswire.c
$(BUILD)/unit/test_lochs_dns: tests/unit/test_lochs_dns.c $(DNS_UNIT_SRCS) netplane/dnsname.h netplane/dnswire.h
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -Wno-unused-parameter -D_GNU_SOURCE -o $@ $< $(DNS_UNIT_SRCS) -lcmocka

# lochs.yml parsing (specs/compose*.c and what it stands on): hosted, libyaml.
SPECS_UNIT_SRCS := specs/compose_project.c specs/compose_service.c specs/compose_svcvalues.c specs/compose_svcnet.c specs/compose_svcfs.c specs/compose_svcrun.c specs/compose_values.c specs/compose_check.c \
	specs/compose_load.c specs/compose_secrets.c specs/compose_emit.c specs/yamlmerge.c reconciler/specdiff.c translator/jail/signame.c translator/jail/capname.c netplane/portspec.c specs/yamltree.c specs/interp.c specs/dotenv.c specs/shellwords.c specs/strv.c specs/service.c common/err.c common/sha256.c \
	reconciler/project.c reconciler/plan.c
$(BUILD)/unit/test_specs_%: tests/unit/test_specs_%.c $(SPECS_UNIT_SRCS) $(wildcard specs/*.h)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE -I. -o $@ $< $(SPECS_UNIT_SRCS) -lcmocka -lyaml -ljansson -lnettle

# The Lochfile parser (pure, jansson for the exec form) and .lochignore rules.
LOCHFILE_UNIT_SRCS := specs/lochfile.c specs/strv.c common/err.c orchestrator/build_ignore.c common/fsutil.c
$(BUILD)/unit/test_lochfile: tests/unit/test_lochfile.c $(LOCHFILE_UNIT_SRCS) specs/lochfile.h orchestrator/build_int.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -D_GNU_SOURCE -I. -o $@ $< $(LOCHFILE_UNIT_SRCS) -lcmocka -ljansson
