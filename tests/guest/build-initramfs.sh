#!/bin/bash
# Build the ppc64le guest initramfs: busybox-static + ndctl (with its shared
# libraries and the ppc64el loader) + tests/guest/init.sh as /init.
#
# Usage: tests/guest/build-initramfs.sh
# Prints the path of the cpio.gz on the last line of stdout.
#
# The ppc64el packages come from a PRIVATE apt configuration under
# $SPAPR_CACHE/apt-ppc64el (own sources list with only the bookworm main
# suite, own state/lists and archives dirs, APT::Architecture=ppc64el).
# The host's dpkg architecture list and apt lists are not touched, so the
# host's "apt-get update" keeps working.
#
# Cache: $SPAPR_CACHE/initramfs-<key>.cpio.gz, <key> = hash of this script,
# init.sh and the package list.  A rebuild refetches the package indexes.
# Environment: SPAPR_CACHE (default /var/cache/spapr-hcall), FORCE=1.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${SPAPR_CACHE:-/var/cache/spapr-hcall}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
log() { echo "build-initramfs: $*" >&2; }

# Top-level packages; their Depends/Pre-Depends are added recursively.
TOP=(busybox-static ndctl)
# Dependencies that are never needed inside the initramfs.
SKIP_RE='^(debconf|debconf-2\.0|perl-base|dpkg|install-info|tar|lsb-base|sysvinit-utils|init-system-helpers|adduser|passwd|libpam.*|libaudit.*|libsemanage.*|libselinux1|libsepol.*|login|util-linux|mount|base-files|base-passwd|bash|coreutils)$'

for tool in dpkg-deb cpio gzip apt-get; do
    command -v $tool >/dev/null || { log "missing $tool"; exit 1; }
done

key=$( { sha256sum "$0" "$here/init.sh" | cut -d' ' -f1; echo "${TOP[*]}"; echo "$SKIP_RE"; } | sha256sum | cut -c1-16)
out="$CACHE/initramfs-$key.cpio.gz"
if [ "${FORCE:-0}" != 1 ] && [ -f "$out" ]; then
    log "cached: $out"
    echo "$out"
    exit 0
fi

A="$CACHE/apt-ppc64el"
mkdir -p "$A/state/lists/partial" "$A/cache/archives/partial" "$A/etc/sources.list.d" "$A/etc/preferences.d" "$A/debs"
touch "$A/state/status"
cat > "$A/etc/sources.list" <<SRC
deb [arch=ppc64el signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR bookworm main
SRC
APT_OPTS=(
    -o "Dir::Etc::SourceList=$A/etc/sources.list"
    -o "Dir::Etc::SourceParts=$A/etc/sources.list.d"
    -o "Dir::Etc::Preferences=$A/etc/preferences"
    -o "Dir::Etc::PreferencesParts=$A/etc/preferences.d"
    -o "Dir::State=$A/state"
    -o "Dir::State::status=$A/state/status"
    -o "Dir::Cache=$A/cache"
    -o "APT::Architecture=ppc64el"
    -o "APT::Architectures::=ppc64el"
    -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root"
)
log "updating private ppc64el index"
apt-get "${APT_OPTS[@]}" update -qq >&2

# Resolve Depends/Pre-Depends recursively (real packages only).
declare -A seen=()
queue=("${TOP[@]}")
while [ ${#queue[@]} -gt 0 ]; do
    p=${queue[0]}; queue=("${queue[@]:1}")
    [ -n "${seen[$p]:-}" ] && continue
    seen[$p]=1
    for d in $(apt-cache "${APT_OPTS[@]}" depends --no-recommends --no-suggests \
                 --no-conflicts --no-breaks --no-replaces --no-enhances "$p" 2>/dev/null |
               awk '/^ *\|?(Pre)?Depends:/ {print $NF}' | sed 's/:ppc64el$//' | grep -v '^<' | sort -u); do
        [[ $d =~ $SKIP_RE ]] && continue
        [ -n "${seen[$d]:-}" ] || queue+=("$d")
    done
done
pkgs=$(printf '%s\n' "${!seen[@]}" | sort)
log "packages: $(echo $pkgs)"

rm -f "$A/debs/"*.deb
(cd "$A/debs" && apt-get "${APT_OPTS[@]}" download $pkgs >&2)

W=$(mktemp -d "$CACHE/initramfs-work.XXXXXX")
trap 'rm -rf "$W"' EXIT
R="$W/root"
mkdir -p "$R"
for deb in "$A/debs/"*.deb; do
    dpkg-deb -x "$deb" "$R"
    echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" >> "$W/manifest"
done
# Trim what the guest never reads.
rm -rf "$R/usr/share/doc" "$R/usr/share/man" "$R/usr/share/locale" "$R/usr/share/info" \
       "$R/usr/share/lintian" "$R/usr/share/bash-completion" "$R/usr/include"
find "$R" -name '*.a' -delete
mkdir -p "$R/bin" "$R/sbin" "$R/usr/bin" "$R/usr/sbin" "$R/proc" "$R/sys" "$R/dev" \
         "$R/tmp" "$R/run" "$R/etc" "$R/var/log" "$R/mnt"
[ -x "$R/bin/busybox" ] || { log "busybox missing from busybox-static"; exit 1; }
ln -sf busybox "$R/bin/sh"
# Debian's libc6 ppc64el ships /lib64/ld64.so.2; make sure it is there.
if [ ! -e "$R/lib64/ld64.so.2" ]; then
    mkdir -p "$R/lib64"
    ln -sf /lib/powerpc64le-linux-gnu/ld64.so.2 "$R/lib64/ld64.so.2"
fi
install -m 0755 "$here/init.sh" "$R/init"
cp "$W/manifest" "$R/etc/spapr-initramfs-manifest"
# The kernel opens /dev/console before /init runs (devtmpfs is not mounted
# automatically on an initramfs), so the archive carries that one node.
mknod -m 600 "$R/dev/console" c 5 1
mknod -m 666 "$R/dev/null" c 1 3
(cd "$R" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --owner 0:0 --quiet) > "$W/root.cpio"
gzip -9n < "$W/root.cpio" > "$out.tmp"
mv "$out.tmp" "$out"
cp "$W/manifest" "${out%.cpio.gz}.manifest"
log "wrote $out ($(du -h "$out" | cut -f1))"
echo "$out"
