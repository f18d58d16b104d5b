#!/bin/sh
# Builds the fuzzers (libFuzzer + AddressSanitizer, linked with lld) and runs each for SECONDS on a copy of
# its seed corpus (Fuzz/corpus/NAME for fuzz-NAME). Exits non-zero if a fuzzer finds a crash, leak, timeout
# or out-of-memory. Usage: Fuzz/run.sh [SECONDS] [TARGET ...]   (default 60 s, every target)
set -eu
seconds="${1:-60}"
[ $# -gt 0 ] && shift
cd "$(dirname "$0")"
targets="$*"
[ -n "$targets" ] || targets="fuzz-model-reader fuzz-tflite-reader fuzz-jpeg-decoder fuzz-png-decoder"
mkdir -p artifacts
for target in $targets; do
    swift build -c release --product "$target" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
        --scratch-path .build-fuzz
    work="$(mktemp -d)"
    cp "corpus/${target#fuzz-}"/* "$work/"
    echo "== $target for $seconds s"
    # -rss_limit_mb / -malloc_limit_mb: a file-sized claim turned into an allocation is a finding.
    status=0
    log="artifacts/$target.log"
    .build-fuzz/release/"$target" "$work" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=1024 -malloc_limit_mb=512 -artifact_prefix=artifacts/ -print_final_stats=1 >"$log" 2>&1 || status=$?
    rm -rf "$work"
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs" "$log" || true
    if [ "$status" -ne 0 ]; then
        tail -n 40 "$log" >&2
        echo "$target failed (status $status); the input is in Fuzz/artifacts/" >&2
        exit "$status"
    fi
done
