#!/usr/bin/env bash
# The main job on the shipped files: inspect the example model and run it on the sample tensor.
# Installs the Debian packages it needs when missing, then builds `curbside` (release).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-packages.sh
swift build -c release --product curbside >&2
bin=.build/release/curbside
model=ModelFiles/example-tiny-cnn.curb
echo "\$ curbside inspect $model"
"$bin" inspect "$model"
out=$(mktemp -d)/output.npy
echo
echo "\$ curbside invoke $model --input ModelFiles/example-input.npy --output $out"
"$bin" invoke "$model" --input ModelFiles/example-input.npy --output "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
