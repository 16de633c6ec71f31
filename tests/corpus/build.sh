#!/bin/sh
# Builds the whole integration corpus under build/corpus/ (each step skips
# what is already there). Runs every step even if one fails, so one missing
# tool does not hide the others; exits 1 if any step failed.
set -u
cd "$(dirname "$0")/../.."
rc=0
sh tests/corpus/fetch-npm.sh || rc=1
sh tests/corpus/build-go-tests.sh || rc=1
# The Lochs test image (needs the npm packages above): rootfs, base.txz,
# release mirror and OCI layout under build/corpus/image/.
sh tests/corpus/image/build.sh || rc=1
# The generator writes its marker file last, so the marker means "complete".
if [ ! -f build/corpus/esm-project/.gen-esm-project ]; then
	node tests/corpus/gen-esm-project.js build/corpus/esm-project ||
		{ echo "build-corpus: gen-esm-project.js failed" >&2; rc=1; }
fi
exit $rc
