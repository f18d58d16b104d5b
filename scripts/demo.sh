#!/usr/bin/env bash
# The main job on the shipped files: inspect the shipped vehicle model and classify the sample images.
# Installs the Debian packages it needs when missing, then builds `curbside` (release).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-packages.sh
swift build -c release --product curbside >&2
bin=.build/release/curbside
model=ModelFiles/vehicles6.curb
echo "\$ curbside inspect $model"
"$bin" inspect "$model"
echo
echo "\$ curbside classify --model $model --top 2 ModelFiles/samples"
"$bin" classify --model "$model" --top 2 ModelFiles/samples
