# FreeBSD ABI probes: tests/probes/run.sh builds them itself (clang, FreeBSD
# target, no libc) and runs them under build/bin/bsdulator.
TEST_SUITES += tests/probes/run.sh
TEST_SUITES += tests/probes/umtx/run.sh
