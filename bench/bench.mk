# Benchmarks build their own programs inside bench/*/run.sh (FreeBSD ones via
# tests/probes/build.sh), so `make bench` needs nothing beyond `all`.
BENCH_DEPS +=
