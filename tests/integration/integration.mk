# Integration tests with real FreeBSD binaries (included by the top Makefile).
# run.sh builds the corpus it needs itself; `make corpus` does it ahead of time.
TEST_SUITES += tests/integration/run.sh

.PHONY: corpus
corpus:
	@sh tests/corpus/build.sh
