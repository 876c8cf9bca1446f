#!/bin/bash
# Boot the spapr-hcall guest (kernel + initramfs) on a given QEMU with one
# spapr-nvdimm, capture the console, and judge the scenario printed by /init.
#
# Usage: tests/guest/run-guest.sh QEMU_BINARY [extra qemu args...]
#
# Environment:
#   KERNEL        vmlinux to boot      (default: output of build-kernel.sh)
#   INITRD        initramfs cpio.gz    (default: output of build-initramfs.sh)
#   TIMEOUT       seconds before the guest is killed (default 600)
#   LOG           console log file     (default $SPAPR_CACHE/logs/guest-<time>.log)
#   EXPECT_FAIL   extended regex; FAIL lines matching it are tolerated
#                 (e.g. EXPECT_FAIL='papr/perf_stats' on stock QEMU)
#   APPEND_EXTRA  appended to the kernel command line
#   CPU           -cpu model (default POWER9)
#   NVDIMM_PROPS  extra spapr-nvdimm properties, e.g. health=0x48... (ours)
#   NVDIMM_FILE   backing file of the NVDIMM (default: fresh sparse file in a
#                 temporary dir, removed afterwards)
#   SPAPR_CACHE   cache root (default /var/cache/spapr-hcall)
#
# Exit status: 0 when SCENARIO-DONE was printed and every FAIL line matched
# EXPECT_FAIL; 1 on unexpected FAIL lines or missing SCENARIO-DONE;
# 2 on usage errors; 124 on timeout.
# Summary lines (RESULT ..., HCALL ...) are printed on stdout at the end.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${SPAPR_CACHE:-/var/cache/spapr-hcall}
log() { echo "run-guest: $*" >&2; }

[ $# -ge 1 ] || { echo "usage: $0 QEMU_BINARY [extra qemu args...]" >&2; exit 2; }
QEMU=$1; shift
command -v "$QEMU" >/dev/null 2>&1 || { log "no QEMU binary $QEMU"; exit 2; }

KERNEL=${KERNEL:-$("$here/build-kernel.sh" | tail -1)} || exit 2
INITRD=${INITRD:-$("$here/build-initramfs.sh" | tail -1)} || exit 2
[ -f "$KERNEL" ] && [ -f "$INITRD" ] || { log "missing kernel or initrd"; exit 2; }
TIMEOUT=${TIMEOUT:-600}
CPU=${CPU:-POWER9}
mkdir -p "$CACHE/logs"
LOG=${LOG:-$CACHE/logs/guest-$(date +%Y%m%d-%H%M%S)-$$.log}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LABEL=$((128 * 1024))
SIZE=$((1024 * 1024 * 1024 + LABEL))   # PAPR: (size - label) multiple of 256 MiB
NVDIMM_FILE=${NVDIMM_FILE:-$tmp/nvdimm0.img}
[ -f "$NVDIMM_FILE" ] || truncate -s "$SIZE" "$NVDIMM_FILE"

APPEND="console=hvc0 trace_event=powerpc:hcall_exit trace_buf_size=16M panic=-1 loglevel=4 ${APPEND_EXTRA:-}"

# The firmware (vof.bin/slof.bin) comes from Debian's qemu-system-data; a
# QEMU built in the cache does not install blobs, so point it there too.
# shellcheck disable=SC2054  # commas are QEMU option syntax
args=(
    -M pseries,x-vof=on,nvdimm=on
    -cpu "$CPU"
    -smp 1
    -m 2G,slots=2,maxmem=8G
    -L /usr/share/qemu
    -display none -nodefaults -no-reboot
    -serial stdio -monitor none
    -kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND"
    -object "memory-backend-file,id=mem0,mem-path=$NVDIMM_FILE,size=$SIZE,share=on"
    -device "spapr-nvdimm,id=nv0,memdev=mem0,label-size=$LABEL,uuid=5b2a47b4-9d3c-4c7e-8a3f-2e1d0c9b8a71${NVDIMM_PROPS:+,$NVDIMM_PROPS}"
)

log "qemu: $QEMU $("$QEMU" --version | head -1)"
log "kernel: $KERNEL"
log "initrd: $INITRD"
log "log: $LOG"
start=$(date +%s.%N)
timeout -k 10 "$TIMEOUT" "$QEMU" "${args[@]}" "$@" < /dev/null 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc)

echo
echo "RESULT qemu-exit=$rc seconds=$secs log=$LOG"
status=0
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "RESULT timeout after ${TIMEOUT}s"
    status=124
fi
tr -d '\r' < "$LOG" > "$tmp/log"
if ! grep -q '^SCENARIO-DONE' "$tmp/log"; then
    echo "RESULT no SCENARIO-DONE"
    [ $status = 0 ] && status=1
fi
grep -E '^(PASS|FAIL):' "$tmp/log" | sed 's/^/RESULT /'
unexpected=$(grep '^FAIL:' "$tmp/log" | { if [ -n "${EXPECT_FAIL:-}" ]; then grep -Ev -- "$EXPECT_FAIL"; else cat; fi } || true)
if [ -n "$unexpected" ]; then
    echo "RESULT unexpected failures:"
    echo "$unexpected" | sed 's/^/RESULT   /'
    [ $status = 0 ] && status=1
fi
grep -E '^(HCALL|SCENARIO-SUMMARY|PATTERN-SHA256)' "$tmp/log"
echo "RESULT status=$status"
exit $status
