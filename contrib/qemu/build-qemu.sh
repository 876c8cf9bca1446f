#!/bin/bash
# Build a lean qemu-system-ppc64 (pseries + TCG + NVDIMM + memory-backend-file)
# from Debian bookworm's QEMU 7.2 source, optionally with the spapr-hcall glue.
#
# Usage: contrib/qemu/build-qemu.sh
# Prints the path of the built qemu-system-ppc64 on the last line of stdout.
#
# The spapr-hcall library is NOT part of the cache key: it is built from
# this work tree with meson (static, PIC, release) in
# $SPAPR_CACHE/spapr-lib-<hash of the repo path>/, partially linked into one
# relocatable object whose only global symbols are those listed in
# contrib/qemu/glue-api.syms (the library's drc/machine helpers would
# otherwise clash with QEMU's spapr_drc_* symbols), and staged with the
# public headers in <build>/spapr-hcall/.  When the staged object changes,
# the binary is deleted and ninja relinks it (seconds); a header change
# recompiles only the files that include it (the glue).
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
    objcopy --keep-global-symbols="$here/glue-api.syms" "$obj.tmp"
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

exec 9> "$CACHE/qemu-build-$key.lock"
flock 9

if [ "${FORCE:-0}" != 1 ] && [ -f "$B/.complete" ] && [ -x "$bin" ]; then
    stage_library "$B/build/spapr-hcall"
    if [ "$changed" = 1 ]; then
        start=$(date +%s.%N)
        rm -f "$bin"
        ninja -C "$B/build" qemu-system-ppc64 >&2
        end=$(date +%s.%N)
        log "library changed: relinked in $(echo "$end - $start" | bc) s"
    else
        log "cached: $B"
    fi
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
stage_library "$B/build/spapr-hcall"
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
