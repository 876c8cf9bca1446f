#!/bin/bash
# Build the ppc64le pseries guest kernel used by the "real guest" tests.
#
# Usage: tests/guest/build-kernel.sh
# Prints the path of the built vmlinux on the last line of stdout.
#
# Base: Debian's linux-source-6.1, allnoconfig + tests/guest/kernel.config
# (merged with scripts/kconfig/merge_config.sh -n), patches from
# tests/guest/patches/linux-*.patch applied with patch -p1.
# Cache: $SPAPR_CACHE/kernel-build-<key>/ where <key> hashes the source
# package version, this script, the config fragment and the patches.
#
# Environment: SPAPR_CACHE (default /var/cache/spapr-hcall), JOBS (default
# nproc), FORCE=1 to rebuild, NO_APT=1 to skip the package check.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${SPAPR_CACHE:-/var/cache/spapr-hcall}
JOBS=${JOBS:-$(nproc)}
export DEBIAN_FRONTEND=noninteractive
log() { echo "build-kernel: $*" >&2; }

PKGS=(linux-source-6.1 gcc-powerpc64le-linux-gnu binutils-powerpc64le-linux-gnu
      gcc make bc flex bison xz-utils libc6-dev)
if [ "${NO_APT:-0}" != 1 ]; then
    miss=()
    for p in "${PKGS[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || miss+=("$p")
    done
    if [ ${#miss[@]} -gt 0 ]; then
        log "installing ${miss[*]}"
        apt-get update -qq || true
        apt-get install -y --no-install-recommends "${miss[@]}" >&2
    fi
fi

tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || { log "missing $tarball (package linux-source-6.1)"; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)

patches=$(find "$here/patches" -maxdepth 1 -type f -name 'linux-*.patch' 2>/dev/null | sort || true)
key_input() {
    echo "linux-source-6.1 $srcver"
    sha256sum "$0" "$here/kernel.config" | cut -d' ' -f1
    for p in $patches; do echo "$(basename "$p") $(sha256sum < "$p" | cut -d' ' -f1)"; done
}
key=$(key_input | sha256sum | cut -c1-16)
B="$CACHE/kernel-build-$key"

if [ "${FORCE:-0}" != 1 ] && [ -f "$B/.complete" ] && [ -f "$B/vmlinux" ]; then
    log "cached: $B"
    echo "$B/vmlinux"
    exit 0
fi

log "building in $B (key $key)"
rm -rf "$B"
mkdir -p "$B/src"
key_input > "$B/key-input.txt"
start=$(date +%s)
tar -xJf "$tarball" -C "$B/src" --strip-components=1
for p in $patches; do
    log "applying $(basename "$p")"
    patch -d "$B/src" -p1 --batch --forward < "$p" >&2
done

export ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-
(
    cd "$B/src"
    scripts/kconfig/merge_config.sh -n "$here/kernel.config"
    # Fail loudly when an option of the fragment did not survive the merge
    # (a missing dependency), except the ones explicitly set to n.
    missing=0
    while IFS= read -r line; do
        case "$line" in CONFIG_*=*) ;; *) continue ;; esac
        grep -qx "$line" .config || { echo "MISSING: $line"; missing=1; }
    done < "$here/kernel.config"
    [ $missing = 0 ] || exit 1
    make -j"$JOBS" vmlinux
) > "$B/build.log" 2>&1 || { log "failed, see $B/build.log"; tail -30 "$B/build.log" >&2; exit 1; }
end=$(date +%s)
cp "$B/src/vmlinux" "$B/vmlinux"
cp "$B/src/.config" "$B/config"
echo "$((end - start)) seconds (extract + patch + config + make vmlinux, $JOBS jobs) on $(date -u +%F)" > "$B/build-time.txt"
log "built in $((end - start)) s"
touch "$B/.complete"
echo "$B/vmlinux"
