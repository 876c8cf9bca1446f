#!/bin/sh
# Install the Debian packages spapr-hcall needs, only those that are missing.
# Usage: scripts/install-deps.sh [extra-package...]
set -eu

PKGS="build-essential pkg-config meson ninja-build python3 libglib2.0-dev
libfdt-dev device-tree-compiler"

missing=""
for p in $PKGS "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
            grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
