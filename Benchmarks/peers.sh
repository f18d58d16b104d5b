#!/usr/bin/env bash
# Curbside side by side with LiteRT, ONNX Runtime and OpenVINO on the three peer models, in one interleaved run.
#   Benchmarks/peers.sh [--rounds N] [--models NAME...] [--threads 1 2] [--quick] [--output FILE|-]
# Makes its own venv (Benchmarks/.venv, pinned peers), builds curbside (release), imports the peer models from
# ../shared/peers/models (or $CURB_PEERS) into Benchmarks/.models, then runs Benchmarks/peers.py, which prints a
# markdown table and replaces the generated section of docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
peers="${CURB_PEERS:-$root/../shared/peers/models}"
if [ ! -d "$peers" ]; then
    echo "peers.sh: no peer models at $peers (set CURB_PEERS)" >&2
    exit 1
fi
peers="$(cd "$peers" && pwd)"

python="${PYTHON:-python3}"
if [ ! -x "$here/.venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$here/.venv/requirements.txt"; then
    echo "peers.sh: installing the peers into $here/.venv" >&2
    if ! "$python" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info[:2] >= (3, 10) else 1)' 2>/dev/null; then
        echo "peers.sh: $python must be Python ≥ 3.10 with venv and ensurepip (Debian: apt-get install python3-venv)" >&2
        exit 1
    fi
    "$python" -m venv "$here/.venv"
    "$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$here/.venv/requirements.txt"
fi

cd "$root"
swift build -c release --product curbside >&2
swift build -c release --product curbside-train >&2
bin="$(swift build -c release --show-bin-path)"

mkdir -p "$here/.models"
for tflite in "$peers"/*.int8.tflite; do
    name="$(basename "$tflite" .int8.tflite)"
    curb="$here/.models/$name.curb"
    if [ ! -s "$curb" ] || [ "$tflite" -nt "$curb" ] || [ "$bin/curbside-train" -nt "$curb" ]; then
        "$bin/curbside-train" import "$tflite" --out "$curb" --name "$name" >&2
    fi
done

arguments=""
for argument in "$@"; do arguments="$arguments $argument"; done
PEERS_ARGUMENTS="$arguments" exec "$here/.venv/bin/python" "$here/peers.py" --peers "$peers" --curb-models "$here/.models" \
    --curbside "$bin/curbside" "$@"
