#!/bin/bash
# Build a lean qemu-system-ppc64 (pseries + TCG + NVDIMM + memory-backend-file)
# from one of the supported Debian QEMU sources, with the spapr-hcall glue
# (default) or plain (GLUE=0: Debian's source as it is, the reference for
# versions Debian has no installable binary of on this machine).
#
# Usage: contrib/qemu/build-qemu.sh [QEMU_VERSION]
# QEMU_VERSION (argument or environment; default 7.2) names a directory
# contrib/qemu/versions/<QEMU_VERSION>/ (version.conf + patches/): 7.2,
# 10.0, 10.2.  Prints the path of the built qemu-system-ppc64 on the last
# line of stdout.
#
# The glue overlay and the spapr-hcall library are NOT part of the cache
# key.  contrib/qemu/overlay/ (the glue source, its headers) is copied over
# the build's source tree file by file, only files that differ, before
# every ninja run: ninja's own dependency tracking then recompiles the glue
# (and the two QEMU files that include its header, if that changed) and
# relinks, in seconds, on every version's build.  The library is built from
# this work tree with meson (static, PIC, release) in
# $SPAPR_CACHE/spapr-lib-<hash of the repo path>/, partially linked into one
# relocatable object (no symbol is hidden: the library's names do not clash
# with QEMU's, which scripts/check-qemu-names.py checks against this QEMU's
# headers before every glue build), and staged with the public headers in
# <build>/spapr-hcall/.  When the staged object changes,
# the binary is deleted and ninja relinks it (seconds); a header change
# recompiles only the files that include it (the glue).
#
# Inputs that make up the cache key (a change in any of them means a new build dir):
#   - QEMU_VERSION, GLUE and the Debian source version fetched by
#     tests/guest/fetch-qemu-source.sh (pinned in versions/<v>/version.conf
#     except for 7.2)
#   - this script
#   - with the glue only: contrib/qemu/versions/<v>/patches/*.patch
#     (applied in name order with patch -p1)
#   - the meson used (Debian 12's, or bookworm-backports' 1.7.0 in a venv
#     for QEMU 10.x)
#   - EXTRA_CONFIGURE_ARGS                  (environment, appended to configure)
#
# Environment:
#   SPAPR_CACHE            cache root (default /var/cache/spapr-hcall)
#   QEMU_VERSION           see above (the argument wins)
#   GLUE                   1 (default): patches + overlay + library; 0: plain
#   JOBS                   parallel jobs (default: nproc)
#   EXTRA_CONFIGURE_ARGS   extra configure arguments
#   FORCE=1                rebuild even if the cached build is complete
#
# The build lives in $SPAPR_CACHE/qemu-build-<version>-<glue|plain>-<key>/
# (src/ = patched copy of the source, build/ = meson build dir, build.log
# with ninja's [n/N] progress lines, build-time.txt).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CACHE=${SPAPR_CACHE:-/var/cache/spapr-hcall}
JOBS=${JOBS:-$(nproc)}
EXTRA_CONFIGURE_ARGS=${EXTRA_CONFIGURE_ARGS:-}
QV=${1:-${QEMU_VERSION:-7.2}}
GLUE=${GLUE:-1}
case $GLUE in 0) flavor=plain ;; 1) flavor=glue ;;
*) echo "build-qemu: GLUE must be 0 or 1" >&2; exit 2 ;; esac
log() { echo "build-qemu: $*" >&2; }

vdir="$here/versions/$QV"
[ -f "$vdir/version.conf" ] || {
    log "unknown QEMU version '$QV' (have: $(ls "$here/versions" | xargs))"
    exit 2
}
QEMU_MESON=system
# shellcheck source=/dev/null
. "$vdir/version.conf"

src=$("$repo/tests/guest/fetch-qemu-source.sh" "$QV" | tail -1)
if [ "$GLUE" = 1 ] && ! python3 "$repo/scripts/check-qemu-names.py" "$src" \
        "$repo"/include/spapr-hcall/*.h >&2; then
    echo "build-qemu.sh: the library's public names clash with QEMU $QV's" >&2
    exit 1
fi
[ -f "$src/configure" ] || { log "no QEMU source at $src"; exit 1; }
srcver=$(cat "$src/../.spapr-complete")
PYTHON_ARGS=()
meson_id="system meson $(meson --version 2>/dev/null || echo none)"
if [ "$QEMU_MESON" = backports ]; then
    py=$("$repo/tests/guest/fetch-qemu-source.sh" --meson-venv | tail -1)
    PYTHON_ARGS=(--python="$py")
    meson_id="venv $py"
fi

CONFIGURE_ARGS=(
    --target-list=ppc64-softmmu
    --without-default-features
    --enable-fdt=system
    --disable-install-blobs
    --disable-docs
    --disable-user
    --enable-tcg
    --disable-werror
)
# Notes on what the lean set still contains:
#  * pseries, spapr-nvdimm (CONFIG_NVDIMM via hw/ppc/Kconfig) and the TCG
#    ppc64 target come from the default device config of ppc64-softmmu;
#  * memory-backend-file is built on every POSIX host (backends/hostmem-file.c);
#  * the serial console needs nothing extra (chardev stdio is always there).

# ---- cache key -----------------------------------------------------------
key_input() {
    echo "qemu $QV $flavor"
    echo "qemu-src $srcver"
    echo "configure ${CONFIGURE_ARGS[*]} $EXTRA_CONFIGURE_ARGS"
    echo "meson $meson_id"
    sha256sum "$0" | cut -d' ' -f1
    [ "$GLUE" = 1 ] || return 0
    if [ -d "$vdir/patches" ]; then
        (cd "$vdir/patches" && find . -type f -name '*.patch' -print0 | sort -z | xargs -0r sha256sum)
    fi
}
key=$(key_input | sha256sum | cut -c1-16)
B="$CACHE/qemu-build-$QV-$flavor-$key"
bin="$B/build/qemu-system-ppc64"

# ---- the spapr-hcall library (outside the key) -----------------------------
LIBB="$CACHE/spapr-lib-$(echo "$repo" | sha256sum | cut -c1-12)"
stage_library() {
    local dst=$1 obj
    if [ ! -f "$LIBB/build.ninja" ]; then
        meson setup "$LIBB" "$repo" -Ddefault_library=static \
            -Db_staticpic=true --buildtype=release -Dwerror=false >&2
    fi
    ninja -C "$LIBB" libspapr-hcall.a >&2
    obj="$LIBB/spapr-hcall.o"
    ld -r --whole-archive "$LIBB/libspapr-hcall.a" -o "$obj.tmp"
    mv "$obj.tmp" "$obj"
    mkdir -p "$dst/include/spapr-hcall"
    changed=0
    # Copy only what changed, so ninja's timestamps stay meaningful
    for f in "$repo"/include/spapr-hcall/*.h "$obj"; do
        case $f in
        *.h) t="$dst/include/spapr-hcall/$(basename "$f")" ;;
        *) t="$dst/spapr-hcall.o" ;;
        esac
        if ! cmp -s "$f" "$t"; then
            cp "$f" "$t"
            changed=1
        fi
    done
}

# Copy the overlay (glue source and headers, shared by all versions) over
# the source tree; only files that differ, so ninja rebuilds just those.
sync_overlay() {
    local f t
    while IFS= read -r -d '' f; do
        t="$B/src/${f#./}"
        if ! cmp -s "$here/overlay/$f" "$t"; then
            mkdir -p "$(dirname "$t")"
            cp "$here/overlay/$f" "$t"
            changed=1
        fi
    done < <(cd "$here/overlay" && find . -type f -print0)
}

exec 9> "$B.lock"
flock 9

if [ "${FORCE:-0}" != 1 ] && [ -f "$B/.complete" ] && [ -x "$bin" ]; then
    changed=0
    what=
    if [ "$GLUE" = 1 ]; then
        stage_library "$B/build/spapr-hcall"
        # ninja does not know the staged object: force the link
        [ "$changed" = 0 ] || { rm -f "$bin"; what="library"; }
        changed=0
        sync_overlay
        [ "$changed" = 0 ] || what="${what:+$what and }glue"
    fi
    if [ -n "$what" ]; then
        start=$(date +%s.%N)
        ninja -C "$B/build" -j"$JOBS" qemu-system-ppc64 >&2
        end=$(date +%s.%N)
        log "$what changed: rebuilt in $(echo "$end - $start" | bc) s"
    else
        log "cached: $B"
    fi
    echo "$bin"
    exit 0
fi

log "building QEMU $QV ($flavor) in $B (key $key)"
rm -rf "$B"
mkdir -p "$B"
key_input > "$B/key-input.txt"
cp -a "$src" "$B/src"

# ---- GLUE HOOK: patches and extra source files ---------------------------
# Everything the spapr-hcall glue needs in QEMU goes here, before configure:
#   1. contrib/qemu/versions/<v>/patches/*.patch are applied in name order
#      (patch -p1, relative to the top of the QEMU source tree);
#   2. contrib/qemu/overlay/ is copied over the tree with the same relative
#      paths (new files such as hw/ppc/spapr_hcall_glue.c), after the
#      patches; on a cached build, again before each ninja run (above).
# The patches are part of the cache key above, the overlay is not.
# The patches are per QEMU version (versions/<v>/patches/), the overlay (the
# glue source and its compatibility header) is shared by all versions.
if [ "$GLUE" = 1 ]; then
    for p in $(find "$vdir/patches" -maxdepth 1 -type f -name '*.patch' | sort); do
        log "applying versions/$QV/patches/$(basename "$p")"
        patch -d "$B/src" -p1 --batch --forward < "$p" >&2
    done
    log "copying overlay"
    sync_overlay
fi
# ---- end of GLUE HOOK ----------------------------------------------------

mkdir -p "$B/build"
[ "$GLUE" = 0 ] || stage_library "$B/build/spapr-hcall"
start=$(date +%s)
(
    cd "$B/build"
    # shellcheck disable=SC2086
    ../src/configure "${PYTHON_ARGS[@]}" "${CONFIGURE_ARGS[@]}" \
        $EXTRA_CONFIGURE_ARGS
    ninja -j"$JOBS" qemu-system-ppc64
) > "$B/build.log" 2>&1 || { log "build failed, see $B/build.log"; tail -30 "$B/build.log" >&2; exit 1; }
end=$(date +%s)
steps=$(grep -o '^\[[0-9]*/[0-9]*\]' "$B/build.log" | tail -1 | tr -d '[]' || true)
echo "$((end - start)) seconds (configure + ninja, $JOBS jobs, ${steps:-?} steps) on $(date -u +%F)" > "$B/build-time.txt"
log "built QEMU $QV ($flavor) in $((end - start)) s"
"$bin" --version | head -1 >&2
touch "$B/.complete"
echo "$bin"
