#!/bin/sh
# Builds the image-decoder fuzzers (libFuzzer + AddressSanitizer, linked with lld) and runs each for
# SECONDS on a copy of its seed corpus. Exits non-zero if a fuzzer finds a crash, leak, timeout or OOM.
# Usage: Fuzz/run-images.sh [SECONDS]   (default 60)
set -eu
seconds="${1:-60}"
cd "$(dirname "$0")"
mkdir -p artifacts
for target in FuzzJPEGDecoder FuzzPNGDecoder; do
    swift build -c release --product "$target" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
        --scratch-path .build-fuzz
    case "$target" in FuzzJPEGDecoder) seeds=corpus/jpeg ;; *) seeds=corpus/png ;; esac
    work="$(mktemp -d)"
    cp "$seeds"/* "$work/"
    .build-fuzz/release/"$target" "$work" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=1024 -malloc_limit_mb=512 -artifact_prefix=artifacts/ -print_final_stats=1
    rm -rf "$work"
done
