#!/bin/bash
# Fetch Debian bookworm's QEMU source (7.2) into the spapr-hcall cache and
# install the few host packages a lean qemu-system-ppc64 build needs.
#
# Usage: tests/guest/fetch-qemu-source.sh
# Prints the path of the unpacked source tree on its last line of stdout.
#
# Environment:
#   SPAPR_CACHE   cache root (default /var/cache/spapr-hcall)
#   QEMU_SRC_VERSION  Debian source version to fetch (default: newest known to apt)
#
# Idempotent: a tree that was unpacked completely (stamp file) is reused.
set -euo pipefail

CACHE=${SPAPR_CACHE:-/var/cache/spapr-hcall}
SRC_LIST=/etc/apt/sources.list.d/spapr-hcall-src.sources
export DEBIAN_FRONTEND=noninteractive

log() { echo "fetch-qemu-source: $*" >&2; }

need_root() {
    if [ "$(id -u)" != 0 ]; then
        log "must run as root (apt-get)"; exit 1
    fi
}

have_deb_src() {
    # One-line format or deb822 format, any file, for bookworm.
    grep -rqsE '^[[:space:]]*deb-src[[:space:]].*[[:space:]]bookworm([[:space:]]|$)' \
        /etc/apt/sources.list /etc/apt/sources.list.d/ && return 0
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -e "$f" ] || continue
        # deb822 stanzas: a Types line containing deb-src and a Suites line with bookworm.
        awk 'BEGIN{RS="";FS="\n"} /Types:[^\n]*deb-src/ && /Suites:[^\n]*bookworm([ \n]|$)/ {found=1} END{exit !found}' "$f" && return 0
    done
    return 1
}

# Host packages for a lean build. flex/bison are needed by the in-tree dtc
# only when it is built, we use the system libfdt, but they are cheap.
PKGS=(ninja-build meson python3 python3-venv pkg-config libglib2.0-dev libfdt-dev
      libpixman-1-dev flex bison dpkg-dev gcc make)

missing_pkgs() {
    local p out=()
    for p in "${PKGS[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || out+=("$p")
    done
    echo "${out[@]:-}"
}

need_root
mkdir -p "$CACHE/src"

updated=0
if ! have_deb_src; then
    log "adding $SRC_LIST"
    cat > "$SRC_LIST" <<'SRC'
# Added by spapr-hcall tests/guest/fetch-qemu-source.sh: source packages only.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq || log "warning: apt-get update returned $?"
    updated=1
fi

miss=$(missing_pkgs)
if [ -n "$miss" ]; then
    log "installing: $miss"
    [ $updated = 1 ] || apt-get update -qq || true
    # shellcheck disable=SC2086
    apt-get install -y --no-install-recommends $miss >&2
fi

ver=${QEMU_SRC_VERSION:-}
if [ -z "$ver" ]; then
    ver=$(apt-cache showsrc qemu 2>/dev/null | awk '/^Version:/{print $2}' | sort -V | tail -1 || true)
    if [ -z "$ver" ] && [ $updated = 0 ]; then
        apt-get update -qq || true
        ver=$(apt-cache showsrc qemu 2>/dev/null | awk '/^Version:/{print $2}' | sort -V | tail -1 || true)
    fi
fi
[ -n "$ver" ] || { log "cannot find the qemu source package (deb-src missing?)"; exit 1; }

upver=${ver#*:}            # drop epoch
dest="$CACHE/src/qemu-$upver"
if [ -f "$dest/.spapr-complete" ]; then
    log "reusing $dest"
    echo "$dest/tree"
    exit 0
fi

log "fetching qemu=$ver into $dest"
rm -rf "$dest"
mkdir -p "$dest"
(
    cd "$dest"
    # apt-get source runs dpkg-source -x, which also applies Debian's patches.
    apt-get -o APT::Sandbox::User=root source -qq "qemu=$ver" >&2
    d=$(find . -mindepth 1 -maxdepth 1 -type d -name 'qemu-*' | head -1)
    [ -n "$d" ] || { log "no source directory unpacked"; exit 1; }
    mv "$d" tree
    # The orig/debian tarballs are not needed any more.
    rm -f ./*.tar.* ./*.dsc
)
echo "$ver" > "$dest/.spapr-complete"
log "done: $dest/tree"
echo "$dest/tree"
