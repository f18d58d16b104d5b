#!/usr/bin/env bash
# Regenerates the golden models, vectors, manifest.json and xnnpack-vs-reference.md.
# Only needed when changing them: `swift test` reads the committed files and needs no Python.
# Creates Tests/Golden/.venv (gitignored) on first use. Peer models are read from
# $CURB_PEERS_DIR, else shared/peers/models beside the repository.
# Usage: Tests/Golden/regenerate.sh [--vectors-only]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
# pip is quick when everything is already installed at the pinned versions
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
cd "$here"
export TF_CPP_MIN_LOG_LEVEL=3
if [[ "${1:-}" != "--vectors-only" ]]; then
    "$venv/bin/python" make_models.py
fi
"$venv/bin/python" make_vectors.py
