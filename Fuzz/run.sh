#!/bin/sh
# Builds the model-reader fuzzer (libFuzzer + AddressSanitizer, linked with lld) and runs it for SECONDS
# on a copy of the seed corpus. Exits non-zero if the fuzzer finds a crash, leak, timeout or OOM.
# Usage: Fuzz/run.sh [SECONDS]   (default 60)
set -eu
seconds="${1:-60}"
cd "$(dirname "$0")"
swift build -c release --product fuzz-model-reader \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
    --scratch-path .build-fuzz
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp corpus/model-reader/* "$work/"
mkdir -p artifacts
# -rss_limit_mb / -malloc_limit_mb: a file-sized claim turned into an allocation is a finding.
.build-fuzz/release/fuzz-model-reader "$work" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=1024 -malloc_limit_mb=512 -artifact_prefix=artifacts/ -print_final_stats=1
