#!/bin/bash
# `make guest`: build whatever is missing (our qemu-system-ppc64 with the
# spapr-hcall glue, the ppc64le kernel, the initramfs; all cached), then run
# the guest scenario twice per host (boot 1 on a fresh NVDIMM file, boot 2
# on the same file) on our build AND on Debian's stock qemu-system-ppc64,
# ROUNDS times (default 5, hosts taking turns; times are compared as medians),
# and write the comparison to docs/guest.md (generated section) and stdout.
#
# Exit status: non-zero if a build fails, or if any scenario step fails on
# our build, or if the module did not serve every SCM hcall the guest made
# (host-side statistics vs the guest's powerpc:hcall_exit counts).  Stock
# QEMU's expected failures (no perf_stats, no /hypervisor under TCG) are
# reported, not fatal.
#
# Then, once per run (not per round), the lifecycle phases on both hosts
# (tests/guest/lifecycle.py): live migration to a second process, migration
# to a file and restore in a new process, savevm/loadvm, three boots in one
# process, NVDIMM hot-plug.  A lifecycle check that fails on our build is
# fatal unless it fails on stock QEMU in the same run as well (then it is
# QEMU's, and the report says so).
#
# Environment: SPAPR_CACHE, JOBS (passed to the build scripts), TIMEOUT
# (per boot, default 600), ROUNDS (default 5), GUEST_DOC (default
# docs/guest.md; "-" = none), STOCK_QEMU (default /usr/bin/qemu-system-ppc64),
# LIFECYCLE (phases to run, default "migrate restore snapshot reboot
# hotplug toolkit"; toolkit runs on our build only; "" = none),
# LIFECYCLE_TIMEOUT (per phase and host, default 240),
# OURS_QEMU (use this binary as "ours" instead of building it).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CACHE=${SPAPR_CACHE:-/var/cache/spapr-hcall}
STOCK_QEMU=${STOCK_QEMU:-/usr/bin/qemu-system-ppc64}
GUEST_DOC=${GUEST_DOC:-$repo/docs/guest.md}
log() { echo "make-guest: $*" >&2; }

mkdir -p "$CACHE/logs"
W=$(mktemp -d "$CACHE/logs/make-guest-$(date +%Y%m%d-%H%M%S)-XXXX")
t_start=$(date +%s)
log "work dir $W"

# ---- host packages, once, before the parallel builds ----------------------
# The three build scripts each install what they miss; run concurrently on a
# fresh machine they would race for the dpkg lock, so install the union here.
HOST_PKGS=(linux-source-6.1 gcc-powerpc64le-linux-gnu
           binutils-powerpc64le-linux-gnu gcc make bc flex bison xz-utils
           libc6-dev libelf-dev libssl-dev cpio gzip ninja-build meson python3
           python3-venv pkg-config libglib2.0-dev libfdt-dev libpixman-1-dev
           dpkg-dev qemu-system-ppc qemu-system-data qemu-utils)
miss=()
for p in "${HOST_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
        grep -q "install ok installed" || miss+=("$p")
done
if [ ${#miss[@]} -gt 0 ]; then
    log "installing ${miss[*]}"
    { apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
          --no-install-recommends "${miss[@]}"; } > "$W/apt.log" 2>&1 ||
        { cat "$W/apt.log" >&2; log "package installation failed"; exit 1; }
fi

# ---- builds (kernel and initramfs next to the QEMU build) -----------------
"$here/build-kernel.sh" > "$W/kernel.out" 2> "$W/kernel.err" &
kpid=$!
"$here/build-initramfs.sh" > "$W/initrd.out" 2> "$W/initrd.err" &
ipid=$!
if [ -n "${OURS_QEMU:-}" ]; then
    # A prebuilt binary (e.g. a copy, so that this run does not relink the
    # shared build directory that another work tree is using)
    OURS=$OURS_QEMU
    log "our QEMU given: $OURS"
elif ! OURS=$("$repo/contrib/qemu/build-qemu.sh" 2> "$W/qemu.err" | tail -1); then
    cat "$W/qemu.err" >&2
    log "QEMU build failed"
    exit 1
else
    grep -E 'relinked|cached|built in' "$W/qemu.err" >&2
fi
wait $kpid || { cat "$W/kernel.err" >&2; log "kernel build failed"; exit 1; }
wait $ipid || { cat "$W/initrd.err" >&2; log "initramfs build failed"; exit 1; }
KERNEL=$(tail -1 "$W/kernel.out")
INITRD=$(tail -1 "$W/initrd.out")
export KERNEL INITRD
t_built=$(date +%s)
log "builds ready in $((t_built - t_start)) s: $OURS"

if [ ! -x "$STOCK_QEMU" ]; then
    log "no stock QEMU at $STOCK_QEMU"
    exit 1
fi

# ---- the runs --------------------------------------------------------------
# Health bits injected on our build before boot: PAPR bit 1 (shutdown
# dirty, Linux "flush_fail") and bit 4 (critical, Linux "smart_notify").
# Not "unarmed": Linux makes an unarmed DIMM's region read-only.
HEALTH_BITS=0x4800000000000000
HEALTH_FLAGS=flush_fail,smart_notify

run() {   # host round qemu phase extra-append
    local host=$1 round=$2 qemu=$3 phase=$4 extra=$5
    local out="$W/$host-$round-$phase" props=""
    log "round $round: boot $phase on $host"
    # our spapr-nvdimm's fault-injection property (stock QEMU has none)
    [ "$host" = ours ] && props="health=$HEALTH_BITS"
    NVDIMM_FILE="$W/$host.img" LOG="$out.log" \
    APPEND_EXTRA="spapr.phase=$phase $extra" \
    SPAPR_HCALL_STATS="$out.stats" NVDIMM_PROPS="$props" \
        "$here/run-guest.sh" "$qemu" > "$out.out" 2> "$out.err"
    echo $? > "$out.rc"
    tr -d '\r' < "$out.out" | grep -E '^RESULT (qemu-exit|status)' >&2
}

# Boot times vary by about a second from run to run on a 2-core VM: the
# hosts take turns, ROUNDS times, and the report compares medians.
ROUNDS=${ROUNDS:-5}
for round in $(seq 1 "$ROUNDS"); do
    for host in ours stock; do
        if [ $host = ours ]; then
            qemu=$OURS
            flags="spapr.expect_flags=$HEALTH_FLAGS"
        else
            qemu=$STOCK_QEMU
            flags=""
        fi
        rm -f "$W/$host.img" "$W/$host.img.state"
        truncate -s $((1024 * 1024 * 1024 + 128 * 1024)) "$W/$host.img"
        run $host "$round" "$qemu" 1 "$flags"
        sha=$(tr -d '\r' < "$W/$host-$round-1.out" |
              sed -n 's/^PATTERN-SHA256 //p' | head -1)
        run $host "$round" "$qemu" 2 "$flags spapr.expect_sha=${sha:-none}"
    done
done
rm -f "$W"/*.img

# ---- lifecycle phases, once per run, both hosts ---------------------------
# Each phase starts from a blank NVDIMM file.  lifecycle.py bounds every
# step and the phase (LIFECYCLE_TIMEOUT); timeout(1) is only a backstop.
# Its QEMU processes die with it (PR_SET_PDEATHSIG).
LIFECYCLE=${LIFECYCLE-migrate restore snapshot reboot hotplug toolkit}
LIFECYCLE_TIMEOUT=${LIFECYCLE_TIMEOUT:-240}
t_lc=$(date +%s)
for phase in $LIFECYCLE; do
    for host in ours stock; do
        # fault injection through our spapr-nvdimm properties: ours only
        [ "$phase/$host" = toolkit/stock ] && continue
        if [ $host = ours ]; then
            qemu=$OURS
            # health bits on the cold-plugged DIMM, as in the boots above
            extra=(--append "spapr.expect_flags=$HEALTH_FLAGS"
                   --env "SPAPR_HCALL_NVDIMM_HEALTH=nv0=$HEALTH_BITS")
            # The library's hcall trace shows which H_SCM_FLUSH tokens were
            # pending at the switchover and how the destination ended them
            case $phase in migrate|restore|precopy)
                extra+=(--env SPAPR_HCALL_TRACE=spapr_hcall) ;;
            esac
        else
            qemu=$STOCK_QEMU
            extra=()
        fi
        out="$W/lc-$host-$phase"
        log "lifecycle: $phase on $host"
        timeout -k 10 $((LIFECYCLE_TIMEOUT + 60)) \
            python3 "$here/lifecycle.py" --qemu "$qemu" --phase "$phase" \
                --workdir "$out" --kernel "$KERNEL" --initrd "$INITRD" \
                --timeout "$LIFECYCLE_TIMEOUT" "${extra[@]}" \
                > "$out.out" 2> "$out.err"
        echo $? > "$out.rc"
        grep -E '^RESULT (phase|status)' "$out.out" | tr '\n' ' ' >&2
        echo >&2
    done
done
t_lc_end=$(date +%s)

t_end=$(date +%s)
LIFECYCLE="$LIFECYCLE" LIFECYCLE_SECS=$((t_lc_end - t_lc)) \
python3 "$here/guest-report.py" "$W" "$GUEST_DOC" "$ROUNDS" \
    "$((t_built - t_start))" "$((t_end - t_start))" \
    "$("$OURS" --version | head -1)" "$("$STOCK_QEMU" --version | head -1)" \
    "$KERNEL"
