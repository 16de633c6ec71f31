# Lochs top-level build. `make` builds, `make test` runs every test,
# `make bench` runs the benchmarks, `make deps` installs Debian packages.
.DEFAULT_GOAL := all
BUILD := build
CC ?= gcc
export LC_ALL := C

.PHONY: all deps test bench clean demo
all: translator

deps:
	@sh mk/deps.sh

include mk/translator.mk
include mk/lochs.mk
-include tests/unit/unit.mk
-include tests/probes/probes.mk
-include tests/integration/integration.mk
-include bench/bench.mk

# Each suite prints its own "N passed, N failed"; mk/summary.sh adds them up.
test: all
	@sh mk/run-tests.sh $(TEST_SUITES)

bench: all $(BENCH_DEPS)
	@sh bench/run.sh $(BENCH)

# The newcomer's one command: dependencies, build, and a FreeBSD jail at work
# (as root); then FreeBSD esbuild under bare BSDulator.
demo: deps
	@$(MAKE) -s all
	@sh examples/lochs-jail/run.sh
	@sh examples/bsdulator-esbuild/run.sh

clean:
	rm -rf $(BUILD)
