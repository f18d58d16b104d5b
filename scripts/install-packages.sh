#!/usr/bin/env bash
# Installs the Debian packages Curbside needs that this machine lacks (run as root, or with sudo available).
# Usage: scripts/install-packages.sh [extra-package ...]
set -euo pipefail
# libjpeg/libpng: images; libopenblas: the trainer's float GEMMs; gcc-aarch64 + qemu: NEON kernels tested
# under emulation.
packages=(libjpeg-dev libpng-dev libopenblas-dev libcurl4-openssl-dev zlib1g-dev libsqlite3-dev pkg-config gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "installing: ${missing[*]}" >&2
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
"${as_root[@]}" apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
