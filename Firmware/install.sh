#!/bin/sh
# Installs the Curbside agent on a board (run as root on the board, from a checkout or an unpacked release).
#
#   Firmware/install.sh --profile rpi4 --model path/to/model.curb [--binary path/to/curbside] [--frames /srv/frames]
#
# Without --binary, builds `curbside` here in release mode (needs the Swift toolchain). Installs:
#   /usr/local/bin/curbside, /etc/systemd/system/curbside.service (+ curbside.service.d/profile.conf),
#   /etc/curbside/curbside.conf (kept if it exists), /var/lib/curbside/model/model.curb (validated first),
#   /usr/share/doc/curbside/README.md. Then enables and (re)starts the service.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
profile=""; model=""; binary=""; frames=/srv/frames; prefix=${DESTDIR:-}

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --profile) profile=$2; shift 2 ;;
        --model) model=$2; shift 2 ;;
        --binary) binary=$2; shift 2 ;;
        --frames) frames=$2; shift 2 ;;
        -h|--help) usage ;;
        *) echo "install.sh: unknown option $1" >&2; usage ;;
    esac
done
[ -n "$profile" ] && [ -n "$model" ] || usage
[ -f "$here/profiles/$profile.conf" ] || { echo "install.sh: no profile '$profile' (see Firmware/profiles/)" >&2; exit 2; }
[ -f "$model" ] || { echo "install.sh: no model file $model" >&2; exit 2; }

if [ -z "$binary" ]; then
    echo "building curbside (release)…"
    (cd "$root" && swift build -c release --product curbside)
    binary="$root/.build/release/curbside"
fi
[ -x "$binary" ] || { echo "install.sh: $binary is not an executable" >&2; exit 2; }

# Refuse a model the binary cannot load, before anything is replaced.
"$binary" inspect "$model" >/dev/null || { echo "install.sh: the model does not validate; nothing installed" >&2; exit 2; }

install -d -m 0755 "$prefix/usr/local/bin" "$prefix/etc/systemd/system/curbside.service.d" "$prefix/etc/curbside" \
    "$prefix/var/lib/curbside/model" "$prefix/usr/share/doc/curbside"
install -m 0755 "$binary" "$prefix/usr/local/bin/curbside"
install -m 0644 "$here/curbside.service" "$prefix/etc/systemd/system/curbside.service"
sed -i "s#^ReadWritePaths=.*#ReadWritePaths=$frames#" "$prefix/etc/systemd/system/curbside.service"
install -m 0644 "$here/profiles/$profile.conf" "$prefix/etc/systemd/system/curbside.service.d/profile.conf"
install -m 0644 "$model" "$prefix/var/lib/curbside/model/model.curb.new"
mv "$prefix/var/lib/curbside/model/model.curb.new" "$prefix/var/lib/curbside/model/model.curb"
if [ ! -f "$prefix/etc/curbside/curbside.conf" ]; then
    sed "s#^dirs = .*#dirs = [\"$frames\"]#" "$here/curbside.conf.example" > "$prefix/etc/curbside/curbside.conf"
    # The profile's agent settings, uncommented.
    sed -n 's/^#   \([a-z_]* = .*\)$/\1/p' "$here/profiles/$profile.conf" >> "$prefix/etc/curbside/curbside.conf"
fi
install -m 0644 "$here/README.md" "$prefix/usr/share/doc/curbside/README.md"
install -d -m 2775 "$prefix$frames"
# The agent runs as a dynamic user; it reaches the frame directory through this group.
if [ -z "$prefix" ]; then
    getent group curbside >/dev/null || groupadd --system curbside
    chgrp curbside "$frames"
fi

if [ -z "$prefix" ] && command -v systemctl >/dev/null; then
    systemctl daemon-reload
    systemctl enable curbside.service
    systemctl restart curbside.service
    systemctl --no-pager status curbside.service || true
else
    echo "installed under '${prefix:-/}'; systemd not touched"
fi
