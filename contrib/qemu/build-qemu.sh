#!/bin/bash
# Build a lean qemu-system-ppc64 (pseries + TCG + NVDIMM + memory-backend-file)
# from Debian bookworm's QEMU 7.2 source, optionally with the spapr-hcall glue.
#
# Usage: contrib/qemu/build-qemu.sh
# Prints the path of the built qemu-system-ppc64 on the last line of stdout.
#
# Inputs that make up the cache key (a change in any of them means a new build dir):
#   - the Debian source version fetched by tests/guest/fetch-qemu-source.sh
#   - this script
#   - contrib/qemu/patches/*.patch         (applied in name order with patch -p1)
#   - contrib/qemu/overlay/**               (copied over the source tree, same paths)
#   - EXTRA_CONFIGURE_ARGS                  (environment, appended to configure)
#
# Environment:
#   SPAPR_CACHE            cache root (default /var/cache/spapr-hcall)
#   JOBS                   parallel jobs (default: nproc)
#   EXTRA_CONFIGURE_ARGS   extra configure arguments
#   FORCE=1                rebuild even if the cached build is complete
#
# The build lives in $SPAPR_CACHE/qemu-build-<key>/ (src/ = patched copy of the
# source, build/ = meson build dir, build.log, build-time.txt).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CACHE=${SPAPR_CACHE:-/var/cache/spapr-hcall}
JOBS=${JOBS:-$(nproc)}
EXTRA_CONFIGURE_ARGS=${EXTRA_CONFIGURE_ARGS:-}
log() { echo "build-qemu: $*" >&2; }

src=$("$repo/tests/guest/fetch-qemu-source.sh" | tail -1)
[ -f "$src/configure" ] || { log "no QEMU source at $src"; exit 1; }
srcver=$(cat "$src/../.spapr-complete")

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
    echo "qemu-src $srcver"
    echo "configure ${CONFIGURE_ARGS[*]} $EXTRA_CONFIGURE_ARGS"
    sha256sum "$0" | cut -d' ' -f1
    if [ -d "$here/patches" ]; then
        (cd "$here/patches" && find . -type f -name '*.patch' -print0 | sort -z | xargs -0r sha256sum)
    fi
    if [ -d "$here/overlay" ]; then
        (cd "$here/overlay" && find . -type f -print0 | sort -z | xargs -0r sha256sum)
    fi
}
key=$(key_input | sha256sum | cut -c1-16)
B="$CACHE/qemu-build-$key"
bin="$B/build/qemu-system-ppc64"

if [ "${FORCE:-0}" != 1 ] && [ -f "$B/.complete" ] && [ -x "$bin" ]; then
    log "cached: $B"
    echo "$bin"
    exit 0
fi

log "building in $B (key $key)"
rm -rf "$B"
mkdir -p "$B"
key_input > "$B/key-input.txt"
cp -a "$src" "$B/src"

# ---- GLUE HOOK: patches and extra source files ---------------------------
# Everything the spapr-hcall glue needs in QEMU goes here, before configure:
#   1. contrib/qemu/patches/*.patch are applied in name order (patch -p1,
#      relative to the top of the QEMU source tree);
#   2. contrib/qemu/overlay/ is copied over the tree with the same relative
#      paths (new files such as hw/ppc/spapr_hcall_lib.c, or the library's
#      sources/headers under e.g. subprojects/), after the patches.
# Both are part of the cache key above.
if [ -d "$here/patches" ]; then
    for p in $(find "$here/patches" -maxdepth 1 -type f -name '*.patch' | sort); do
        log "applying $(basename "$p")"
        patch -d "$B/src" -p1 --batch --forward < "$p" >&2
    done
fi
if [ -d "$here/overlay" ]; then
    log "copying overlay"
    cp -a "$here/overlay/." "$B/src/"
fi
# ---- end of GLUE HOOK ----------------------------------------------------

mkdir -p "$B/build"
start=$(date +%s)
(
    cd "$B/build"
    # shellcheck disable=SC2086
    ../src/configure "${CONFIGURE_ARGS[@]}" $EXTRA_CONFIGURE_ARGS
    ninja -j"$JOBS" qemu-system-ppc64
) > "$B/build.log" 2>&1 || { log "build failed, see $B/build.log"; tail -30 "$B/build.log" >&2; exit 1; }
end=$(date +%s)
echo "$((end - start)) seconds (configure + ninja, $JOBS jobs) on $(date -u +%F)" > "$B/build-time.txt"
log "built in $((end - start)) s"
"$bin" --version | head -1 >&2
touch "$B/.complete"
echo "$bin"
