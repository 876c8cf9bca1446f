#!/bin/bash
# Fetch a Debian QEMU source package into the spapr-hcall cache and install
# the few host packages a lean qemu-system-ppc64 build needs.
#
# Usage: tests/guest/fetch-qemu-source.sh [QEMU_VERSION]   (default 7.2)
#        tests/guest/fetch-qemu-source.sh --meson-venv
# The first form prints the path of the unpacked source tree on its last
# line of stdout; the second prints the python3 of a private venv that has
# bookworm-backports' meson 1.7.0 (QEMU >= 10 needs meson >= 1.5, Debian 12
# has 1.0.1), for configure --python=.
#
# QEMU_VERSION names a directory contrib/qemu/versions/<QEMU_VERSION>/;
# its version.conf says where the source comes from:
#   QEMU_APT=system   (7.2) the system's apt: adds a bookworm deb-src entry
#                     if there is none, takes the newest version it knows;
#   QEMU_APT=private  (10.0, 10.2) the exact QEMU_DEBIAN_VERSION from a
#                     PRIVATE apt configuration under $CACHE/apt-src (own
#                     sources list: deb-src trixie, trixie-updates,
#                     trixie-security, sid; deb bookworm-backports for
#                     meson; own lists/state/archives).  The system's apt
#                     and what the 7.2 fetch sees are not changed.
#
# Environment:
#   SPAPR_CACHE   cache root (default /var/cache/spapr-hcall)
#   QEMU_SRC_VERSION  Debian source version to fetch (overrides the pin;
#                 7.2 default: newest known to the system's apt)
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

here=$(cd "$(dirname "$0")" && pwd)
VERSIONS_DIR=$(cd "$here/../../contrib/qemu/versions" && pwd)
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# bookworm-backports' meson (arch all), pinned
MESON_DEB_VERSION=1.7.0-1~bpo12+1

# ---- the private apt configuration (newer suites, never the system's) -----
PA="$CACHE/apt-src"
PA_OPTS=(
    -o "Dir::Etc::SourceList=$PA/etc/sources.list"
    -o "Dir::Etc::SourceParts=$PA/etc/sources.list.d"
    -o "Dir::Etc::Preferences=$PA/etc/preferences"
    -o "Dir::Etc::PreferencesParts=$PA/etc/preferences.d"
    -o "Dir::State=$PA/state"
    -o "Dir::State::status=$PA/state/status"
    -o "Dir::Cache=$PA/cache"
    -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root"
)
private_apt_setup() {
    local kr=/usr/share/keyrings/debian-archive-keyring.gpg
    mkdir -p "$PA/state/lists/partial" "$PA/cache/archives/partial" \
        "$PA/etc/sources.list.d" "$PA/etc/preferences.d"
    touch "$PA/state/status"
    cat > "$PA/etc/sources.list.new" <<SRC
# spapr-hcall private apt configuration (tests/guest/fetch-qemu-source.sh)
deb-src [signed-by=$kr] $MIRROR trixie main
deb-src [signed-by=$kr] $MIRROR trixie-updates main
deb-src [signed-by=$kr] $SECURITY_MIRROR trixie-security main
deb-src [signed-by=$kr] $MIRROR sid main
deb [arch=amd64 signed-by=$kr] $MIRROR bookworm-backports main
SRC
    if ! cmp -s "$PA/etc/sources.list.new" "$PA/etc/sources.list"; then
        mv "$PA/etc/sources.list.new" "$PA/etc/sources.list"
        rm -f "$PA/.updated"
    else
        rm -f "$PA/etc/sources.list.new"
    fi
}
private_apt_update() {
    log "updating the private apt index ($PA)"
    apt-get "${PA_OPTS[@]}" update -qq >&2 && touch "$PA/.updated"
}
# The private apt state is shared by concurrent fetches: one at a time
private_apt_lock() {
    exec 8> "$CACHE/apt-src.lock"
    flock 8
}

meson_venv() {
    local V="$CACHE/meson-venv-$MESON_DEB_VERSION" sp t
    if [ -f "$V/.spapr-complete" ]; then
        echo "$V/bin/python3"
        return 0
    fi
    private_apt_lock
    private_apt_setup
    [ -f "$PA/.updated" ] || private_apt_update
    log "meson $MESON_DEB_VERSION from bookworm-backports into $V"
    rm -rf "$V"
    t=$(mktemp -d "$CACHE/meson-venv.XXXXXX")
    (cd "$t" && apt-get "${PA_OPTS[@]}" download -qq \
        "meson=$MESON_DEB_VERSION" >&2)
    dpkg-deb -x "$t"/meson_*.deb "$t/x"
    /usr/bin/python3 -m venv "$V"
    sp=$("$V/bin/python3" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    cp -a "$t/x/usr/lib/python3/dist-packages/." "$sp/"
    rm -rf "$t"
    "$V/bin/python3" -c 'import mesonbuild.mesonmain' >&2
    touch "$V/.spapr-complete"
    echo "$V/bin/python3"
}

need_root
mkdir -p "$CACHE/src"

if [ "${1:-}" = --meson-venv ]; then
    meson_venv
    exit 0
fi
QV=${1:-7.2}
conf="$VERSIONS_DIR/$QV/version.conf"
[ -f "$conf" ] || { log "unknown QEMU version $QV (no $conf)"; exit 1; }
QEMU_DEBIAN_VERSION=; QEMU_APT=system
# shellcheck source=/dev/null
. "$conf"

updated=0
if [ "$QEMU_APT" = system ] && ! have_deb_src; then
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

ver=${QEMU_SRC_VERSION:-$QEMU_DEBIAN_VERSION}
APT_SRC_OPTS=()
if [ "$QEMU_APT" = private ]; then
    [ -n "$ver" ] || { log "$conf pins no QEMU_DEBIAN_VERSION"; exit 1; }
    APT_SRC_OPTS=("${PA_OPTS[@]}")
fi
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

if [ "$QEMU_APT" = private ]; then
    private_apt_lock
    private_apt_setup
    if [ ! -f "$PA/.updated" ] ||
       ! apt-cache "${PA_OPTS[@]}" showsrc "qemu=$ver" 2>/dev/null |
           grep -q '^Package: qemu'; then
        private_apt_update
    fi
fi
log "fetching qemu=$ver into $dest"
rm -rf "$dest"
mkdir -p "$dest"
(
    cd "$dest"
    # apt-get source runs dpkg-source -x, which also applies Debian's patches.
    apt-get -o APT::Sandbox::User=root "${APT_SRC_OPTS[@]}" source -qq \
        "qemu=$ver" >&2 ||
        { log "cannot fetch qemu=$ver; if the mirror dropped it, bump" \
              "QEMU_DEBIAN_VERSION in $conf"; exit 1; }
    d=$(find . -mindepth 1 -maxdepth 1 -type d -name 'qemu-*' | head -1)
    [ -n "$d" ] || { log "no source directory unpacked"; exit 1; }
    mv "$d" tree
    # The orig/debian tarballs are not needed any more.
    rm -f ./*.tar.* ./*.dsc
)
echo "$ver" > "$dest/.spapr-complete"
log "done: $dest/tree"
echo "$dest/tree"
