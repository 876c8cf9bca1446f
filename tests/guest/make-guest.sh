#!/bin/bash
# `make guest`: build whatever is missing (for each QEMU version: our
# qemu-system-ppc64 with the spapr-hcall glue and, where Debian has no
# installable binary of that version here, the plain source build of the
# same version; the ppc64le kernel; the initramfs; all cached), then run
# the guest scenario twice per host (boot 1 on a fresh NVDIMM file, boot 2
# on the same file) on our build AND on the reference build of the same
# version (Debian's stock qemu-system-ppc64 for 7.2, the plain build for
# 10.x), ROUNDS times (default 5, hosts taking turns; times are compared
# as medians), and write the comparison to docs/guest.md (generated
# section) and stdout.
#
# Exit status: non-zero if a build fails, or if any scenario step fails on
# our build, or if the module did not serve every SCM hcall the guest made
# (host-side statistics vs the guest's powerpc:hcall_exit counts).  The
# reference builds' expected failures (no perf_stats, no /hypervisor under
# TCG) are reported, not fatal.
#
# Then, once per run (not per round) and per version, the lifecycle phases
# on both hosts of that version (tests/guest/lifecycle.py): live migration
# to a second process, migration to a file and restore in a new process,
# savevm/loadvm, three boots in one process, NVDIMM hot-plug.  A lifecycle
# check that fails on our build is fatal unless it fails on the reference
# build of the same version in the same run as well (then it is QEMU's, and
# the report says so).
#
# Environment: QEMU_VERSIONS (space-separated, default: every directory in
# contrib/qemu/versions/, i.e. "7.2 10.0 10.2"), SPAPR_CACHE, JOBS (passed
# to the build scripts), TIMEOUT (per boot, default 600), ROUNDS (default
# 5), GUEST_DOC (default docs/guest.md; "-" = none), STOCK_QEMU (7.2's
# stock binary, default /usr/bin/qemu-system-ppc64), CI (=true: progress
# as plain lines every PROGRESS_INTERVAL seconds, default 30, as when
# stderr is not a terminal), LIFECYCLE (phases to run, default "migrate
# restore snapshot reboot hotplug toolkit"; toolkit runs on our build
# only; "" = none), LIFECYCLE_TIMEOUT (per
# phase and host, default 240), OURS_QEMU (with a single version in
# QEMU_VERSIONS: use this binary as "ours" instead of building it).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CACHE=${SPAPR_CACHE:-/var/cache/spapr-hcall}
GUEST_DOC=${GUEST_DOC:-$repo/docs/guest.md}
ALL_VERSIONS=$(ls "$repo/contrib/qemu/versions" | sort -V | xargs)
QEMU_VERSIONS=${QEMU_VERSIONS:-$ALL_VERSIONS}
PROGRESS_INTERVAL=${PROGRESS_INTERVAL:-30}
if [ -t 2 ] && [ "${CI:-}" != true ]; then tty=1; else tty=0; fi
log() {
    # On a terminal, first clear the progress line
    [ $tty = 0 ] || printf '\r\033[K' >&2
    echo "make-guest: $*" >&2
}

for v in $QEMU_VERSIONS; do
    [ -f "$repo/contrib/qemu/versions/$v/version.conf" ] || {
        log "unknown QEMU version '$v' (supported: $ALL_VERSIONS)"
        exit 2
    }
done
if [ -n "${OURS_QEMU:-}" ] && [ "$(echo $QEMU_VERSIONS | wc -w)" != 1 ]; then
    log "OURS_QEMU needs exactly one version in QEMU_VERSIONS"
    exit 2
fi

mkdir -p "$CACHE/logs"
W=$(mktemp -d "$CACHE/logs/make-guest-$(date +%Y%m%d-%H%M%S)-XXXX")
t_start=$(date +%s)
log "work dir $W; QEMU versions: $QEMU_VERSIONS"

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

# ---- progress of the builds ----------------------------------------------
# Each build is started through bg_build/fg_build, which record in $W/progress
# its label, the file its stderr goes to and its start time, and write
# <stderr file>.rc when it ends.  progress_monitor (background) reads that
# list and the builds' own logs: ninja's [n/N] for QEMU, the kernel's
# Kbuild lines against the step count of the last complete kernel build,
# the initramfs script's last message.  On a terminal: one line, redrawn
# every second; otherwise (or CI=true) one plain line every
# PROGRESS_INTERVAL seconds.
BG_PIDS=()
fmt_secs() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }
register_build() { echo "$1|$2|$(date +%s)" >> "$W/progress"; }
bg_build() {   # label stdout stderr command...
    local label=$1 out=$2 err=$3
    shift 3
    register_build "$label" "$err"
    { "$@" > "$out" 2> "$err"; echo $? > "$err.rc"; } &
    BG_PIDS+=($!)
}
fg_build() {   # label stdout stderr command...
    local label=$1 out=$2 err=$3 rc
    shift 3
    register_build "$label" "$err"
    "$@" > "$out" 2> "$err"
    rc=$?
    echo $rc > "$err.rc"
    return $rc
}
# Kbuild lines of the last complete kernel build (the total for "n/N")
kernel_steps=$(for d in "$CACHE"/kernel-build-*/; do
                   [ -f "$d.complete" ] && [ -f "$d/build.log" ] &&
                       echo "$(stat -c %Y "$d.complete") $d"
               done 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2)
if [ -n "$kernel_steps" ]; then
    kernel_steps=$(grep -c '^  [A-Z]' "$kernel_steps/build.log")
else
    kernel_steps=1280   # measured: linux-source-6.1, kernel.config
fi
build_status() {   # label stderr-file start: one short status
    local label=$1 err=$2 t0=$3 now dir blog n st
    now=$(date +%s)
    if [ -f "$err.rc" ]; then
        if [ "$(cat "$err.rc")" != 0 ]; then
            st=FAILED
        elif grep -q '^build-[a-z]*: cached' "$err"; then
            st=cached
        else
            st="done $(fmt_secs $(($(stat -c %Y "$err.rc") - t0)))"
        fi
        echo "$label $st"
        return
    fi
    dir=$(sed -n 's/.* in \(\/[^ ]*\) (key.*/\1/p' "$err" 2>/dev/null | tail -1)
    blog="$dir/build.log"
    case $label in
    qemu*)
        n=$(tail -c 4096 "$blog" 2>/dev/null | grep -o '^\[[0-9]*/[0-9]*\]' |
            tail -1)
        if [ -n "$n" ]; then st=$n
        elif [ -f "$blog" ]; then st="[configure]"
        elif [ -n "$dir" ]; then st="[prepare]"
        else st="[fetch]"; fi
        ;;
    kernel)
        if [ -f "$blog" ]; then
            st="[~$(grep -c '^  [A-Z]' "$blog")/$kernel_steps]"
        elif [ -n "$dir" ]; then st="[extract]"
        else st="[start]"; fi
        ;;
    *)
        st="[$(tail -1 "$err" 2>/dev/null | sed 's/^[a-z-]*: //' | cut -c1-24)]"
        ;;
    esac
    echo "$label $st $(fmt_secs $((now - t0)))"
}
progress_line() {   # [short]: finished builds only counted, not listed
    local line="" label err t0 st sep="" fin=0
    [ -f "$W/progress" ] || return 0
    while IFS='|' read -r label err t0; do
        if [ -n "${1:-}" ] && [ -f "$err.rc" ]; then
            fin=$((fin + 1))
            continue
        fi
        st=$(build_status "$label" "$err" "$t0")
        line="$line$sep$st"
        sep=" | "
    done < "$W/progress"
    [ $fin = 0 ] || line="$line$sep$fin finished"
    echo "building ($(fmt_secs $(($(date +%s) - t_start)))): $line"
}
progress_monitor() {
    local cols=${COLUMNS:-$(tput cols 2>/dev/null || echo 100)}
    while :; do
        if [ $tty = 1 ]; then
            printf '\r\033[K%s' \
                "$(progress_line short | cut -c1-$((cols - 1)))" >&2
            sleep 1
        else
            sleep "$PROGRESS_INTERVAL"
            echo "make-guest: $(progress_line)" >&2
        fi
    done
}

# ---- builds ----------------------------------------------------------------
# Kernel and initramfs build next to the first QEMU build; the QEMU builds
# run one after the other (each uses JOBS cores).
bg_build kernel "$W/kernel.out" "$W/kernel.err" "$here/build-kernel.sh"
bg_build initramfs "$W/initrd.out" "$W/initrd.err" "$here/build-initramfs.sh"
progress_monitor &
mpid=$!
stop_monitor() {
    if [ -n "${mpid:-}" ]; then
        kill "$mpid" 2>/dev/null
        wait "$mpid" 2>/dev/null
        mpid=
        [ $tty = 0 ] || printf '\r\033[K' >&2
    fi
}
trap stop_monitor EXIT
build_failed() {   # label stderr-file
    stop_monitor
    cat "$2" >&2
    log "$1 build failed"
    exit 1
}

declare -A OURS REF REF_KIND
for v in $QEMU_VERSIONS; do
    QEMU_STOCK=
    # shellcheck source=/dev/null
    . "$repo/contrib/qemu/versions/$v/version.conf"
    e="$W/qemu-$v-glue.err"
    if [ -n "${OURS_QEMU:-}" ]; then
        # A prebuilt binary (e.g. a copy, so that this run does not relink
        # the shared build directory that another work tree is using)
        OURS[$v]=$OURS_QEMU
        log "our QEMU $v given: $OURS_QEMU"
    else
        fg_build "qemu $v glue" "$W/qemu-$v-glue.out" "$e" \
            env GLUE=1 "$repo/contrib/qemu/build-qemu.sh" "$v" ||
            build_failed "QEMU $v (glue)" "$e"
        OURS[$v]=$(tail -1 "$W/qemu-$v-glue.out")
        log "$(grep -E '^build-qemu: .*(rebuilt|cached|built)' "$e" |
               tail -1 | sed 's/^build-qemu: //')"
    fi
    if [ "$v" = 7.2 ] && [ -n "${STOCK_QEMU:-}" ]; then
        QEMU_STOCK=$STOCK_QEMU
    fi
    if [ -n "$QEMU_STOCK" ]; then
        [ -x "$QEMU_STOCK" ] || {
            stop_monitor
            log "no stock QEMU at $QEMU_STOCK"
            exit 1
        }
        REF[$v]=$QEMU_STOCK
        REF_KIND[$v]=stock
    else
        e="$W/qemu-$v-plain.err"
        fg_build "qemu $v plain" "$W/qemu-$v-plain.out" "$e" \
            env GLUE=0 "$repo/contrib/qemu/build-qemu.sh" "$v" ||
            build_failed "QEMU $v (plain)" "$e"
        REF[$v]=$(tail -1 "$W/qemu-$v-plain.out")
        REF_KIND[$v]=plain
        log "$(grep -E '^build-qemu: .*(cached|built)' "$e" | tail -1 |
               sed 's/^build-qemu: //')"
    fi
done
wait "${BG_PIDS[@]}"
for b in kernel initrd; do
    [ "$(cat "$W/$b.err.rc" 2>/dev/null)" = 0 ] || build_failed "$b" "$W/$b.err"
done
stop_monitor
KERNEL=$(tail -1 "$W/kernel.out")
INITRD=$(tail -1 "$W/initrd.out")
export KERNEL INITRD
t_built=$(date +%s)
log "builds ready in $((t_built - t_start)) s"
for v in $QEMU_VERSIONS; do
    log "QEMU $v: ours ${OURS[$v]}; ${REF_KIND[$v]} ${REF[$v]}"
done

# ---- the runs --------------------------------------------------------------
# Health bits injected on our build before boot: PAPR bit 1 (shutdown
# dirty, Linux "flush_fail") and bit 4 (critical, Linux "smart_notify").
# Not "unarmed": Linux makes an unarmed DIMM's region read-only.
HEALTH_BITS=0x4800000000000000
HEALTH_FLAGS=flush_fail,smart_notify

run() {   # version host round qemu phase extra-append
    local v=$1 host=$2 round=$3 qemu=$4 phase=$5 extra=$6
    local out="$W/$v/$host-$round-$phase" props=""
    log "QEMU $v round $round: boot $phase on $host"
    # our spapr-nvdimm's fault-injection property (the reference has none)
    [ "$host" = ours ] && props="health=$HEALTH_BITS"
    NVDIMM_FILE="$W/$v/$host.img" LOG="$out.log" \
    APPEND_EXTRA="spapr.phase=$phase $extra" \
    SPAPR_HCALL_STATS="$out.stats" NVDIMM_PROPS="$props" \
        "$here/run-guest.sh" "$qemu" > "$out.out" 2> "$out.err"
    echo $? > "$out.rc"
    tr -d '\r' < "$out.out" | grep -E '^RESULT (qemu-exit|status)' >&2
}

# Boot times vary by about a second from run to run on a 2-core VM: the
# hosts take turns, ROUNDS times, and the report compares medians.  The
# reference host is called "ref" in the work files (stock or plain).
ROUNDS=${ROUNDS:-5}
for v in $QEMU_VERSIONS; do
    mkdir -p "$W/$v"
    {
        echo "ours_ver=$("${OURS[$v]}" --version | head -1)"
        echo "ref_ver=$("${REF[$v]}" --version | head -1)"
        echo "ref_kind=${REF_KIND[$v]}"
        echo "ours=${OURS[$v]}"
        echo "ref=${REF[$v]}"
        echo "source=$(sed -n 's/^qemu-src //p' \
            "$(dirname "${OURS[$v]}")/../key-input.txt" 2>/dev/null)"
    } > "$W/$v/meta"
    for round in $(seq 1 "$ROUNDS"); do
        for host in ours ref; do
            if [ $host = ours ]; then
                qemu=${OURS[$v]}
                flags="spapr.expect_flags=$HEALTH_FLAGS"
            else
                qemu=${REF[$v]}
                flags=""
            fi
            rm -f "$W/$v/$host.img" "$W/$v/$host.img.state"
            truncate -s $((1024 * 1024 * 1024 + 128 * 1024)) "$W/$v/$host.img"
            run "$v" $host "$round" "$qemu" 1 "$flags"
            sha=$(tr -d '\r' < "$W/$v/$host-$round-1.out" |
                  sed -n 's/^PATTERN-SHA256 //p' | head -1)
            run "$v" $host "$round" "$qemu" 2 \
                "$flags spapr.expect_sha=${sha:-none}"
        done
    done
    rm -f "$W/$v"/*.img "$W/$v"/*.img.state
done

# ---- lifecycle phases, once per run, per version, both hosts --------------
# Each phase starts from a blank NVDIMM file.  lifecycle.py bounds every
# step and the phase (LIFECYCLE_TIMEOUT); timeout(1) is only a backstop.
# Its QEMU processes die with it (PR_SET_PDEATHSIG).
LIFECYCLE=${LIFECYCLE-migrate restore snapshot reboot hotplug toolkit}
LIFECYCLE_TIMEOUT=${LIFECYCLE_TIMEOUT:-240}
t_lc=$(date +%s)
for v in $QEMU_VERSIONS; do
    for phase in $LIFECYCLE; do
        for host in ours ref; do
            # fault injection through our spapr-nvdimm properties: ours only
            [ "$phase/$host" = toolkit/ref ] && continue
            if [ $host = ours ]; then
                qemu=${OURS[$v]}
                # health bits on the cold-plugged DIMM, as in the boots
                extra=(--append "spapr.expect_flags=$HEALTH_FLAGS"
                       --env "SPAPR_HCALL_NVDIMM_HEALTH=nv0=$HEALTH_BITS")
                # The library's hcall trace shows which H_SCM_FLUSH tokens
                # were pending at the switchover and how the destination
                # ended them
                case $phase in migrate|restore|precopy)
                    extra+=(--env SPAPR_HCALL_TRACE=spapr_hcall) ;;
                esac
            else
                qemu=${REF[$v]}
                extra=()
            fi
            out="$W/$v/lc-$host-$phase"
            log "QEMU $v lifecycle: $phase on $host"
            timeout -k 10 $((LIFECYCLE_TIMEOUT + 60)) \
                python3 "$here/lifecycle.py" --qemu "$qemu" \
                    --phase "$phase" --workdir "$out" --kernel "$KERNEL" \
                    --initrd "$INITRD" --timeout "$LIFECYCLE_TIMEOUT" \
                    "${extra[@]}" > "$out.out" 2> "$out.err"
            echo $? > "$out.rc"
            grep -E '^RESULT (phase|status)' "$out.out" | tr '\n' ' ' >&2
            echo >&2
        done
    done
done
t_lc_end=$(date +%s)

t_end=$(date +%s)
# shellcheck disable=SC2086
LIFECYCLE="$LIFECYCLE" LIFECYCLE_SECS=$((t_lc_end - t_lc)) \
python3 "$here/guest-report.py" "$W" "$GUEST_DOC" "$ROUNDS" \
    "$((t_built - t_start))" "$((t_end - t_start))" "$KERNEL" $QEMU_VERSIONS
