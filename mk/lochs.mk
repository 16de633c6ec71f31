# The lochs CLI and the per-jail monitor (hosted C with libc and the
# project's libraries; the translator stays freestanding, see translator.mk).
LOCHS_PKGS := sqlite3 libarchive libcurl jansson nettle libnl-3.0 libnl-route-3.0 libnftables libevent yaml-0.1
LOCHS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-format-truncation -D_GNU_SOURCE -MMD -MP \
	$(shell pkg-config --cflags $(LOCHS_PKGS) 2>/dev/null)
LOCHS_LIBS := $(shell pkg-config --libs $(LOCHS_PKGS) 2>/dev/null)
COMMON_SRCS := $(wildcard common/*.c)
JAIL_SRCS := $(wildcard translator/jail/*.c)
LOCHS_SRCS := $(COMMON_SRCS) $(JAIL_SRCS) $(wildcard orchestrator/*.c specs/*.c reconciler/*.c volumes/*.c netplane/*.c)
# The monitor takes only the common files it needs (sha256 would pull libnettle);
# volume_drop.c removes a --rm jail's anonymous volumes.
MONITOR_SRCS := common/err.c common/fsutil.c $(JAIL_SRCS) orchestrator/state.c volumes/volume_drop.c $(wildcard orchestrator/monitor/*.c)
LOCHS_OBJS := $(patsubst %.c,$(BUILD)/hobj/%.o,$(LOCHS_SRCS))
MONITOR_OBJS := $(patsubst %.c,$(BUILD)/hobj/%.o,$(MONITOR_SRCS))

.PHONY: lochs
lochs: $(BUILD)/bin/lochs $(if $(wildcard orchestrator/monitor/*.c),$(BUILD)/bin/lochs-monitor)
all: lochs

# libcurl, libarchive, libnl, libnftables, libevent, libnettle and libyaml load on first use (mk/lazylibs.sh): most commands
# never call them, and loading them costs more than the rest of `run`.
LAZY_SONAMES := libcurl.so.4 libarchive.so.13 libnl-3.so.200 libnl-route-3.so.200 libnftables.so.1 libevent-2.1.so.7 libnettle.so.8 libyaml-0.so.2
LAZY_STUBS := $(BUILD)/gen/lazylibs.S
LOCHS_EAGER_LIBS := $(filter-out -lcurl -larchive -lnl-3 -lnl-route-3 -lnftables -levent -lnettle -lyaml,$(LOCHS_LIBS))
$(LAZY_STUBS): mk/lazylibs.sh mk/lochs.mk $(LOCHS_OBJS)
	@mkdir -p $(@D)
	CC='$(CC)' sh mk/lazylibs.sh $@ $(LAZY_SONAMES) -- $(LOCHS_OBJS)
$(BUILD)/hobj/common/lazyload_S.o: common/lazyload.S
	@mkdir -p $(@D)
	$(CC) -c -o $@ $<
$(BUILD)/hobj/gen/lazylibs.o: $(LAZY_STUBS)
	@mkdir -p $(@D)
	$(CC) -c -o $@ $<

$(BUILD)/bin/lochs: $(LOCHS_OBJS) $(BUILD)/hobj/common/lazyload_S.o $(BUILD)/hobj/gen/lazylibs.o
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LOCHS_EAGER_LIBS)

# The monitor stays small (RSS target): libc and sqlite3 only, linked
# statically when libsqlite3.a exists: an idle monitor then holds only the
# pages it touched (1.3 MiB measured, against 2.3 MiB with the shared libc's
# resident pages). -w: glibc warns about sqlite's unused dlopen.
MONITOR_STATIC := $(if $(wildcard $(shell $(CC) -print-file-name=libsqlite3.a)),-static -Xlinker -w)
$(BUILD)/bin/lochs-monitor: $(MONITOR_OBJS)
	@mkdir -p $(@D)
	$(CC) $(MONITOR_STATIC) -o $@ $^ -lsqlite3 -lm

# The seccomp allow-list follows the translator's sources (seccomp.c).
SECCOMP_GEN := $(BUILD)/gen/seccomp_allow.h
$(SECCOMP_GEN): translator/jail/seccomp_gen.sh $(filter-out translator/jail/%,$(wildcard translator/*/*.[chS]))
	@mkdir -p $(@D)
	CC='$(CC)' sh translator/jail/seccomp_gen.sh $@
$(BUILD)/hobj/translator/jail/seccomp.o: $(SECCOMP_GEN)
$(BUILD)/hobj/translator/jail/seccomp.o: LOCHS_CFLAGS += -I$(BUILD)/gen

$(BUILD)/hobj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(LOCHS_CFLAGS) -c -o $@ $<

-include $(LOCHS_OBJS:.o=.d) $(MONITOR_OBJS:.o=.d)

# make install [PREFIX=/usr/local] [DESTDIR=DIR]: lochs, lochs-monitor and
# bsdulator side by side in PREFIX/bin (lochs finds the other two next to
# itself), and the boot hook (examples/systemd/lochs-restore.service, its
# ExecStart pointed at PREFIX/bin/lochs) in UNITDIR, a directory systemd
# searches for PREFIX=/usr/local; `make uninstall` takes them away.
PREFIX ?= /usr/local
UNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALLED_BINS := lochs lochs-monitor bsdulator
.PHONY: install uninstall
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(UNITDIR)
	install -m 0755 $(addprefix $(BUILD)/bin/,$(INSTALLED_BINS)) $(DESTDIR)$(PREFIX)/bin/
	sed 's|/usr/local/bin/lochs|$(PREFIX)/bin/lochs|' examples/systemd/lochs-restore.service \
		>$(DESTDIR)$(UNITDIR)/lochs-restore.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/lochs-restore.service
uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(INSTALLED_BINS)) $(DESTDIR)$(UNITDIR)/lochs-restore.service
