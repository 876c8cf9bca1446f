#!/bin/sh
# /init of the spapr-hcall guest initramfs (busybox sh).
# Runs the papr_scm / NVDIMM scenario and prints one line per check:
#   PASS: <what>     or     FAIL: <what>
# then the hcall counts seen by the powerpc:hcall_exit tracepoint, then
# SCENARIO-DONE, then powers the guest off.
# shellcheck disable=SC2010  # ls | grep on sysfs/dev names is fine here
# Each check line carries a short key in brackets, e.g. "PASS: [bind] ...",
# that tests/guest/make-guest.sh uses to line up the hosts' results.
# Kernel cmdline knobs (optional):
#   spapr.pattern_kib=N   size of the pmem write/readback pattern (default 1024)
#   spapr.shell=1         drop to a shell instead of powering off
#   spapr.phase=2         second boot on the same backing file: expect the
#                         namespace and the pattern of the first boot
#   spapr.expect_sha=H    (phase 2) sha256 of the pattern the first boot wrote
#   spapr.expect_flags=a,b  health flags the host injected, which must appear
#                         in papr/flags (e.g. flush_fail,smart_notify)
#   spapr.phase=migrate|restore|precopy|snapshot|reboot|hotplug|toolkit
#                         a lifecycle phase driven by the host over the
#                         console (tests/guest/lifecycle.py; see "lifecycle
#                         phases" below and tests/guest/README.md)

/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
export LD_LIBRARY_PATH=/lib/powerpc64le-linux-gnu:/usr/lib/powerpc64le-linux-gnu

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /tmp /run
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
T=/sys/kernel/tracing
mount -t tracefs tracefs $T 2>/dev/null || mount -t debugfs debugfs /sys/kernel/debug
[ -d $T/events ] || T=/sys/kernel/debug/tracing

NPASS=0
NFAIL=0
# KSUF ("@b2", "@b3") is appended to the check key on the second and later
# boots of one QEMU process (lifecycle phases reboot/hotplug), so that the
# host can tell "[bind]" of boot 1 from "[bind@b2]" of boot 2.
KSUF=
keyed() {
    case "$KSUF" in
        '') echo "$*" ;;
        *) echo "$*" | sed "s/^\[\([^]]*\)\]/[\1$KSUF]/" ;;
    esac
}
pass() { echo "PASS: $(keyed "$*")"; NPASS=$((NPASS + 1)); }
fail() { echo "FAIL: $(keyed "$*")"; NFAIL=$((NFAIL + 1)); }
section() { echo "==== $* ===="; }

PATTERN_KIB=1024
SHELL_AT_END=0
PHASE=1
EXPECT_SHA=
EXPECT_FLAGS=
for a in $(cat /proc/cmdline); do
    case "$a" in
        spapr.pattern_kib=*) PATTERN_KIB=${a#*=} ;;
        spapr.shell=1) SHELL_AT_END=1 ;;
        spapr.phase=*) PHASE=${a#*=} ;;
        spapr.expect_sha=*) EXPECT_SHA=${a#*=} ;;
        spapr.expect_flags=*) EXPECT_FLAGS=$(echo "${a#*=}" | tr ',' ' ') ;;
    esac
done
echo "scenario phase $PHASE"
# Counts of one hcall (decimal opcode) with one return value in the trace
hcalls() {
    grep -c -w "hcall_exit: opcode=$1 retval=$2" $T/trace 2>/dev/null
}

# ---- lifecycle phases: functions ---------------------------------------------
# spapr.phase=migrate|restore|precopy|snapshot|reboot|hotplug|toolkit.  The host
# (tests/guest/lifecycle.py) drives these over the console:
#   guest -> host  "SPAPR-WAIT <tag>"   the guest waits for the host
#                  "SPAPR-GOT <tag>"    the guest got the host's answer
#                  "SPAPR-WROTE <label> <off> <len> <sha256> <nonce>"
#                                       a pattern was written to pmem and the
#                                       dd conv=fsync (H_SCM_FLUSH) returned
#                  "SPAPR-INFLIGHT-START <runid> <base> <bs>",
#                  "SPAPR-ACK <runid> <seq>"  one in-flight block acknowledged
#   host -> guest  "go <tag> [n=N] [restored=1] [verify=SPEC,...]
#                  [gone=SPEC,...]"   SPEC = label:off:len:sha256:nonce
# Tags carry a random part so a stale answer can never be taken for a new
# one.  The guest waits with a blocking read on the console, never with a
# timer: QEMU 7.2 TCG often does not re-arm the guest's decrementer after a
# migration or loadvm, and the host's console input is what wakes it up.
# Layout on the namespace (4 KiB blocks): pattern A at 0, X at 1 MiB, B at
# 2 MiB, C at 3 MiB, in-flight blocks from 4 MiB.  Each pattern starts with
# a 4 KiB block holding the line "SPAPRHDR <label> <nonce>" (the host
# finds the namespace in the backing file by it), then random bytes.
LC_PAT_KIB=1024
LC_INF_BASE=1024            # in 4 KiB blocks (4 MiB)
HOST_REPLY=
rand_hex() { head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# wait_host TAG: announce, then read console lines until "go TAG ...";
# the rest of that line is left in HOST_REPLY.
wait_host() {
    echo "SPAPR-WAIT $1 uptime $(cut -d' ' -f1 /proc/uptime)"
    while read -r w t rest; do
        if [ "$w" = go ] && [ "$t" = "$1" ]; then
            HOST_REPLY=$rest
            echo "SPAPR-GOT $1 uptime $(cut -d' ' -f1 /proc/uptime)"
            kick_timer "$1"
            return 0
        fi
    done
    fail "[console] console closed while waiting for the host ($1)"
    return 1
}
# kick_timer: make the kernel write the decrementer again.  QEMU 7.2 TCG
# does not re-arm its decrementer timer on a migration destination (or
# after loadvm): the guest sits in H_CEDE with DEC far negative and gets no
# tick until it writes DEC itself, which the periodic tick only does from
# the tick.  A sleep, or the msleep of an H_SCM_FLUSH long-busy retry, then
# never returns; console input wakes the vCPU but does not re-arm the tick
# (checked with HMP "info registers" on a stuck destination), and neither
# do QMP stop/cont.  A non-lazy irq_work does: powerpc raises it with
# set_dec(1).  A write to trace_marker of a ring buffer that has a reader
# waiting on its trace_pipe queues one (the printk wakeup is a lazy
# irq_work, it waits for the tick).  The reader is started at boot, on a
# trace instance of its own so the hcall_exit events stay in the main
# buffer.
KICK=$T/instances/spapr-kick
kick_timer() {
    echo "host answered $1" > $KICK/trace_marker 2>/dev/null
}
# reply_get KEY: value of KEY=... in HOST_REPLY (empty if absent)
reply_get() {
    for kv in $HOST_REPLY; do
        case "$kv" in "$1="*) echo "${kv#*=}"; return ;; esac
    done
}
# pmem device created for a region (ndctl JSON "blockdev")
blockdev_of() { sed -n 's/.*"blockdev":"\([^"]*\)".*/\1/p' "$1" | head -1; }
# H_SCM_FLUSH exits that are neither success (0) nor busy (H_BUSY 1,
# H_LONG_BUSY_ORDER_* 9900..9905); the histogram of all its return values
# goes to the console.
flush_errors() {
    awk '/hcall_exit: opcode=1100 / {
        for (i = 1; i <= NF; i++) if ($i ~ /^retval=/) r = substr($i, 8) + 0;
        h[r]++
        if (r != 0 && r != 1 && (r < 9900 || r > 9905)) n++ }
        END { for (r in h) printf "H_SCM_FLUSH retval=%d count=%d\n", r, h[r] > "/dev/stderr"
              print n + 0 }' $T/trace 2>/dev/console
}

# write_pat LABEL DEV OFF_BYTES: 1 MiB pattern, dd conv=fsync, read back
write_pat() {
    wl=$1 wd=$2 wo=$3
    wn=$(rand_hex)
    wlen=$((LC_PAT_KIB * 1024))
    { printf 'SPAPRHDR %s %s\n' "$wl" "$wn" | dd bs=4096 conv=sync 2>/dev/null
      head -c $((wlen - 4096)) /dev/urandom; } > /tmp/pat.$wl
    wsha=$(sha256sum < /tmp/pat.$wl | cut -d' ' -f1)
    f0=$(hcalls 1100 0)
    if ! dd if=/tmp/pat.$wl of=/dev/$wd bs=4096 seek=$((wo / 4096)) conv=fsync 2>/tmp/dd.err; then
        cat /tmp/dd.err
        fail "[write-$wl] dd conv=fsync of pattern $wl to /dev/$wd failed"
        return 1
    fi
    f1=$(hcalls 1100 0)
    echo "SPAPR-WROTE $wl $wo $wlen $wsha $wn"
    if [ $((f1 - f0)) -gt 0 ]; then
        pass "[flush-$wl] the fsync of pattern $wl completed $((f1 - f0)) H_SCM_FLUSH"
    elif ls /proc/device-tree/ibm,persistent-memory/*/ibm,hcall-flush-required >/dev/null 2>&1; then
        fail "[flush-$wl] the node asks for H_SCM_FLUSH but the fsync of $wl issued none"
    else
        pass "[flush-$wl] no H_SCM_FLUSH asked for"
    fi
    echo 3 > /proc/sys/vm/drop_caches
    got=$(dd if=/dev/$wd bs=4096 skip=$((wo / 4096)) count=$((wlen / 4096)) 2>/dev/null | sha256sum | cut -d' ' -f1)
    if [ "$got" = "$wsha" ]; then
        pass "[write-$wl] pattern $wl (1 MiB at $wo) written to /dev/$wd, flushed, read back"
    else
        fail "[write-$wl] pattern $wl read back from /dev/$wd differs"
    fi
}

# find_pat LABEL OFF NONCE: the pmem device whose block at OFF starts with
# the header of LABEL (names may change across a reboot with two DIMMs)
find_pat() {
    for fd in $(ls /dev | grep '^pmem[0-9]*$'); do
        h=$(dd if=/dev/$fd bs=4096 skip=$(($2 / 4096)) count=1 2>/dev/null | head -c 80 | head -1)
        if [ "$h" = "SPAPRHDR $1 $3" ]; then echo "$fd"; return; fi
    done
}

# verify_specs LIST: every label:off:len:sha:nonce of LIST must be intact
verify_specs() {
    echo 3 > /proc/sys/vm/drop_caches
    for spec in $(echo "$1" | tr ',' ' '); do
        # shellcheck disable=SC2046  # split label:off:len:sha:nonce
        set -- $(echo "$spec" | tr ':' ' ')
        vd=$(find_pat "$1" "$2" "$5")
        if [ -z "$vd" ]; then
            echo "pattern $1 expected at $2 (nonce $5); first bytes there:"
            for fd in $(ls /dev | grep '^pmem[0-9]*$'); do
                echo "  /dev/$fd: $(dd if=/dev/$fd bs=4096 skip=$(($2 / 4096)) count=1 2>/dev/null | head -c 32 | od -An -c | head -2 | tr -s ' \n' ' ')"
            done
            fail "[intact-$1] pattern $1 not found (header missing at $2 on every pmem device)"
            continue
        fi
        got=$(dd if=/dev/$vd bs=4096 skip=$(($2 / 4096)) count=$(($3 / 4096)) 2>/dev/null | sha256sum | cut -d' ' -f1)
        if [ "$got" = "$4" ]; then
            pass "[intact-$1] pattern $1 intact on /dev/$vd"
            eval "PDEV_$1=$vd"
        else
            fail "[intact-$1] pattern $1 on /dev/$vd differs (sha256 $got, expected $4)"
        fi
    done
}
# gone_specs LIST: patterns the host expects to be rolled back (loadvm)
gone_specs() {
    echo 3 > /proc/sys/vm/drop_caches
    for spec in $(echo "$1" | tr ',' ' '); do
        # shellcheck disable=SC2046  # split label:off:len:sha:nonce
        set -- $(echo "$spec" | tr ':' ' ')
        vd=$(find_pat "$1" "$2" "$5")
        if [ -z "$vd" ]; then
            pass "[rollback-$1] pattern $1, written after the snapshot, is gone after loadvm"
        else
            fail "[rollback-$1] pattern $1, written after the snapshot, is still on /dev/$vd after loadvm"
        fi
    done
}

# In-flight writers: LC_WRITERS background loops, each writing one 4 KiB
# block per dd conv=fsync (one H_SCM_FLUSH each) into its own range of
# LC_INF_PER blocks; block i of writer w = the line
# "SPAPR-INFLIGHT <runid> w=<w> seq=<i>" padded with NULs to 4 KiB,
# acknowledged on the console ("SPAPR-ACK <runid> <w> <i> <block>") once
# dd returned.  With four of them on one vCPU, one is often inside a
# flush (the long-busy msleep) when the host switches over.  They stop at
# /tmp/inflight.stop.
LC_WRITERS=4
LC_INF_PER=256
inflight_writer() {   # inflight_writer DEV W
    i=0
    b0=$((LC_INF_BASE + $2 * LC_INF_PER))
    : > /tmp/inflight.expect.$2
    echo 0 > /tmp/inflight.count.$2
    # Few forks per block (printf is a shell builtin; dd pads the line
    # with NULs to 4 KiB), so that the flushes are a good part of the loop
    while [ ! -e /tmp/inflight.stop ] && [ $i -lt $LC_INF_PER ]; do
        printf 'SPAPR-INFLIGHT %s w=%s seq=%s\n' "$LC_RUNID" "$2" "$i" > /tmp/line.$2
        dd if=/tmp/line.$2 of=/tmp/blk.$2 bs=4096 conv=sync 2>/dev/null
        if dd if=/tmp/blk.$2 of=/dev/$1 bs=4096 seek=$((b0 + i)) count=1 conv=fsync 2>/dev/null; then
            cat /tmp/blk.$2 >> /tmp/inflight.expect.$2
            echo "SPAPR-ACK $LC_RUNID $2 $i $((b0 + i))"
            i=$((i + 1))
            echo $i > /tmp/inflight.count.$2
        else
            echo "SPAPR-INFLIGHT-ERROR w=$2 seq=$i"
            break
        fi
    done
}
inflight_check() {   # inflight_check DEV
    echo 3 > /proc/sys/vm/drop_caches
    total=0
    bad=
    w=0
    while [ $w -lt $LC_WRITERS ]; do
        n=$(cat /tmp/inflight.count.$w 2>/dev/null)
        n=${n:-0}
        total=$((total + n))
        dd if=/dev/$1 bs=4096 skip=$((LC_INF_BASE + w * LC_INF_PER)) count="$n" 2>/dev/null > /tmp/inflight.got
        if ! cmp -s /tmp/inflight.got /tmp/inflight.expect.$w; then
            bad="$bad w$w:$(cmp -l /tmp/inflight.got /tmp/inflight.expect.$w 2>/dev/null |
                awk '{ b = int(($1 - 1) / 4096); if (!(b in s)) { s[b] = 1; l = l "," b } }
                     END { print substr(l, 2, 60) }')"
        fi
        w=$((w + 1))
    done
    if [ "$total" -gt 0 ] && [ -z "$bad" ]; then
        pass "[inflight] all $total in-flight writes ($LC_WRITERS writers, dd conv=fsync, one H_SCM_FLUSH each) acknowledged around the switchover read back"
    else
        fail "[inflight] of $total acknowledged in-flight blocks, these do not read back (writer:seq):$bad"
    fi
}

# lc_health NMEM KEY [any]: papr/flags readable and, unless "any", holding
# the injected flags (spapr.expect_flags)
lc_health() {
    hv=$(cat /sys/bus/nd/devices/$1/papr/flags 2>&1) || { fail "[$2] $1 papr/flags not readable: $hv"; return; }
    missing=
    want=$EXPECT_FLAGS
    [ "${3:-}" = any ] && want=
    for f in $want; do
        case " $hv " in *" $f "*) ;; *) missing="$missing $f" ;; esac
    done
    if [ -z "$missing" ]; then
        pass "[$2] $1 papr/flags readable: '$hv'"
    else
        fail "[$2] $1 injected health flags missing:$missing (flags '$hv')"
    fi
}
lc_dmesg() {
    { dmesg | grep -e 'Oops:' -e 'BUG:' -e 'Kernel panic'
      dmesg | grep -i -e 'flush error' -e 'I/O error' -e 'papr_scm.*fail' \
          -e 'papr_scm.*error' | grep -v -i 'performance stats'; } > /tmp/lc-dmesg
    if [ -s /tmp/lc-dmesg ]; then
        head -20 /tmp/lc-dmesg
        fail "[dmesg] kernel log has flush/I-O errors or an oops"
    else
        pass "[dmesg] no flush error, I/O error or oops in the kernel log"
    fi
}
LC_FLUSH_ERRORS=0           # H_SCM_FLUSH errors the host injected
lc_final() {
    F=$(flush_errors)
    if [ "$F" = "$LC_FLUSH_ERRORS" ] && [ "$F" != 0 ]; then
        pass "[flush-errors] exactly the $F injected H_SCM_FLUSH error(s)"
    elif [ "$F" = 0 ]; then
        pass "[flush-errors] no H_SCM_FLUSH returned an error"
    else
        fail "[flush-errors] $F H_SCM_FLUSH calls returned an error"
    fi
    [ "$PHASE" = toolkit ] || lc_dmesg
    sync
    section "summary"
    echo "SCENARIO-SUMMARY pass=$NPASS fail=$NFAIL"
    echo "SCENARIO-DONE"
    poweroff -f
}
lc_reboot() {
    sync
    echo "SPAPR-REBOOT after boot $BOOTN (pass=$NPASS fail=$NFAIL)"
    reboot -f
}

# First boot: labels, a raw namespace and pattern A on the cold-plugged DIMM
lc_setup() {
    ndctl disable-region all >/dev/null 2>&1
    if ndctl init-labels -f all >/dev/null 2>&1; then
        pass "[init-labels] ndctl init-labels"
    else
        fail "[init-labels] ndctl init-labels"
    fi
    ndctl enable-region all >/dev/null 2>&1
    if ndctl create-namespace -r "$REGION" -m raw > /tmp/ns.json 2>/tmp/ns.err; then
        pass "[namespace] raw namespace on $REGION"
    else
        cat /tmp/ns.json /tmp/ns.err
        fail "[namespace] ndctl create-namespace"
    fi
    PMEM=$(blockdev_of /tmp/ns.json)
    [ -n "$PMEM" ] || wait_pmem
    echo "namespace: $(cat /tmp/ns.json | tr -d ' \n')"
    write_pat A "$PMEM" 0
}

# Host action with the in-flight writer running on DEV (migrate, restore)
lc_switchover() {
    LC_RUNID=$(rand_hex)
    rm -f /tmp/inflight.stop
    echo "SPAPR-INFLIGHT-START $LC_RUNID $LC_INF_BASE 4096"
    wpids=
    w=0
    while [ $w -lt $LC_WRITERS ]; do
        inflight_writer "$1" $w &
        wpids="$wpids $!"
        w=$((w + 1))
    done
    wait_host "$PHASE.$(rand_hex)" || return 1
    touch /tmp/inflight.stop
    for p in $wpids; do wait "$p"; done
    inflight_check "$1"
}

lifecycle_main() {
    NMEM=$(ls /sys/bus/nd/devices | grep '^nmem' | head -1)
    REGION=$(ls /sys/bus/nd/devices | grep '^region' | head -1)
    V=$(reply_get verify)
    if [ "$BOOTN" = 1 ]; then
        lc_setup
    else
        wait_pmem
        verify_specs "$V"
    fi
    case "$PHASE" in
    migrate|restore|precopy)
        lc_switchover "$PMEM"
        verify_specs "$(reply_get verify)"
        write_pat B "$PMEM" $((2 * 1024 * 1024))
        lc_health "$NMEM" health
        ;;
    snapshot)
        wait_host "save.$(rand_hex)" || lc_final
        if [ "$(reply_get restored)" != 1 ]; then
            # After savevm: X is written, then the host loads the snapshot
            # and this guest finds itself back in the wait above.
            write_pat X "$PMEM" $((1024 * 1024))
            wait_host "load.$(rand_hex)"
            fail "[loadvm] the guest went on after loadvm instead of resuming at the snapshot"
            lc_final
        fi
        verify_specs "$(reply_get verify)"
        gone_specs "$(reply_get gone)"
        write_pat B "$PMEM" $((2 * 1024 * 1024))
        lc_health "$NMEM" health
        ;;
    reboot)
        case "$BOOTN" in
            1) lc_reboot ;;
            2) PMEM=${PDEV_A:-$PMEM}; write_pat B "$PMEM" $((2 * 1024 * 1024)); lc_reboot ;;
            *) PMEM=${PDEV_A:-$PMEM}; write_pat C "$PMEM" $((3 * 1024 * 1024))
               lc_health "$NMEM" health ;;
        esac
        ;;
    hotplug)
        if [ "$BOOTN" = 1 ]; then
            wait_host "hotplug.$(rand_hex)" || lc_final
            # The host plugged a second DIMM; Linux gets the DRC event and
            # papr_scm probes it.
            i=0
            while [ $i -lt 60 ] && [ "$(ls /sys/bus/nd/devices | grep -c '^region')" -lt 2 ]; do
                sleep 0.5; i=$((i + 1))
            done
            NMEM2=$(ls /sys/bus/nd/devices | grep '^nmem' | grep -v -x "$NMEM" | head -1)
            REGION2=$(ls /sys/bus/nd/devices | grep '^region' | grep -v -x "$REGION" | head -1)
            echo "after hot-plug: $(ls /sys/bus/nd/devices | tr '\n' ' ')"
            if [ -n "$NMEM2" ] && [ -n "$REGION2" ]; then
                pass "[hp-bind] papr_scm bound the hot-plugged NVDIMM ($NMEM2, $REGION2)"
            else
                dmesg | tail -20
                fail "[hp-bind] the hot-plugged NVDIMM did not appear"
                lc_final
            fi
            ndctl disable-region "$REGION2" >/dev/null 2>&1
            ndctl init-labels -f "$NMEM2" >/dev/null 2>&1 || fail "[hp-namespace] init-labels on $NMEM2"
            ndctl enable-region "$REGION2" >/dev/null 2>&1
            if ndctl create-namespace -r "$REGION2" -m raw > /tmp/ns2.json 2>/tmp/ns2.err; then
                pass "[hp-namespace] raw namespace on the hot-plugged $REGION2"
            else
                cat /tmp/ns2.json /tmp/ns2.err
                fail "[hp-namespace] create-namespace on the hot-plugged $REGION2"
            fi
            PMEM2=$(blockdev_of /tmp/ns2.json)
            write_pat H "${PMEM2:-none}" 0
            # Health injection is only asked for the cold-plugged DIMM
            lc_health "$NMEM2" hp-health any
            wait_host "unplug.$(rand_hex)" || lc_final
            # The host's device_del was refused: the DIMM must still work
            verify_specs "$(reply_get verify)"
            lc_reboot
        else
            n=$(ls /sys/bus/nd/devices | grep -c '^region')
            if [ "$n" = 2 ]; then
                pass "[two-dimms] both NVDIMMs (cold and hot-plugged) bound after the reboot"
            else
                fail "[two-dimms] $n regions after the reboot, expected 2"
            fi
            PMEM=${PDEV_A:-$PMEM}
            write_pat B "$PMEM" $((2 * 1024 * 1024))
            # pmem -> namespace -> region -> its nmem (mapping0)
            r=$(basename "$(dirname "$(readlink -f /sys/block/$PMEM/device)")")
            m=$(cut -d, -f1 /sys/bus/nd/devices/$r/mapping0 2>/dev/null)
            lc_health "${m:-$NMEM}" health
            for m2 in $(ls /sys/bus/nd/devices | grep '^nmem' | grep -v -x "${m:-$NMEM}"); do
                lc_health "$m2" hp-health any
            done
        fi
        ;;
    toolkit)
        lc_toolkit
        ;;
    esac
    lc_final
}

# ndctl list -DH of $NMEM as one line of JSON
lc_dimm_json() { ndctl list -DH -d "$NMEM" 2>/dev/null | tr -d ' \n'; }
flush_calls() { grep -c 'hcall_exit: opcode=1100 ' $T/trace; }

# Our host only (issue 14): the host changes the device while the guest
# runs (QOM properties of spapr-nvdimm over QMP); each change must show
# where Linux shows it, without a reboot.
lc_toolkit() {
    j=$(lc_dimm_json); echo "ndctl list -DH: $j"
    case "$j" in
    *'"life_used_percentage":0'*) pass "[life-used] ndctl list -DH shows life_used_percentage 0 (MemLife 100)" ;;
    *) fail "[life-used] no life_used_percentage 0 in ndctl list -DH" ;;
    esac
    # papr/perf_stats lists every id the hypervisor offers: Linux's 16.
    # (The nmemN perf PMU would register one event per id; this kernel is
    # built without CONFIG_PERF_EVENTS, so there is no PMU to look at.)
    ids=$(cut -d' ' -f1 /sys/bus/nd/devices/$NMEM/papr/perf_stats 2>/dev/null | tr '\n' ' ')
    echo "perf_stats ids: $ids"
    if [ "$ids" = "CtlResCt CtlResTm PonSecs MemLife CritRscU HostLCnt HostSCnt HostSDur HostLDur MedRCnt MedWCnt MedRDur MedWDur CchRHCnt CchWHCnt FastWCnt " ]; then
        pass "[stats-ids] papr/perf_stats has Linux's 16 ids, in order, and no other"
    else
        fail "[stats-ids] papr/perf_stats ids are not Linux's 16: $ids"
    fi
    dmesg | grep -i papr_scm | grep -i -e err -e fail -e unknown > /tmp/tk-dmesg
    if [ -s /tmp/tk-dmesg ]; then
        cat /tmp/tk-dmesg
        fail "[scm-dmesg] papr_scm errors in dmesg"
    else
        pass "[scm-dmesg] no papr_scm error in dmesg (performance stats included)"
    fi
    # host: health = fatal (bit 5), mem-life 3, next flush fails
    wait_host "inject.$(rand_hex)" || lc_final
    j=$(lc_dimm_json); echo "ndctl list -DH: $j"
    case "$j" in
    *'"health_state":"fatal"'*) pass "[inject-health] health_state fatal without a reboot" ;;
    *) fail "[inject-health] health_state is not fatal after the injection" ;;
    esac
    case "$j" in
    *'"life_used_percentage":97'*) pass "[inject-life] life_used_percentage 97 after MemLife 3" ;;
    *) fail "[inject-life] life_used_percentage is not 97 after MemLife 3" ;;
    esac
    if dd if=/dev/urandom of=/dev/$PMEM bs=4096 count=1 seek=2048 conv=fsync 2>/tmp/tk-dd; then
        fail "[inject-flush-eio] fsync succeeded despite the injected H_HARDWARE"
    else
        cat /tmp/tk-dd
        pass "[inject-flush-eio] fsync failed with an I/O error (injected H_HARDWARE)"
        LC_FLUSH_ERRORS=1
    fi
    # host: the next 20 flush calls answer H_LONG_BUSY_ORDER_1_MSEC
    wait_host "busy.$(rand_hex)" || lc_final
    b=$(flush_calls)
    if dd if=/dev/urandom of=/dev/$PMEM bs=4096 count=1 seek=2049 conv=fsync 2>/tmp/tk-dd; then
        n=$(( $(flush_calls) - b ))
        if [ "$n" -ge 21 ]; then
            pass "[inject-busy] fsync took $n H_SCM_FLUSH calls (20 forced long-busy retries)"
        else
            fail "[inject-busy] fsync took $n H_SCM_FLUSH calls, expected >= 21"
        fi
    else
        cat /tmp/tk-dd
        fail "[inject-busy] fsync failed under forced long-busy answers"
    fi
}

# Lifecycle phases: ask the host which boot of this QEMU process this is
# (n=1, 2, ...) and which patterns must already be on the NVDIMMs.
LIFECYCLE=0
BOOTN=1
case "$PHASE" in
migrate|restore|precopy|snapshot|reboot|hotplug|toolkit)
    LIFECYCLE=1
    stty -echo 2>/dev/null
    mkdir -p $KICK 2>/dev/null
    cat $KICK/trace_pipe > /dev/null 2>&1 &    # the reader for kick_timer
    wait_host "boot.$(rand_hex)"
    BOOTN=$(reply_get n)
    BOOTN=${BOOTN:-1}
    [ "$BOOTN" -gt 1 ] && KSUF="@b$BOOTN"
    echo "SPAPR-BOOT $BOOTN"
    BOOT_REPLY=$HOST_REPLY
    ;;
esac

section "guest $(uname -r) $(uname -m)"
grep -m1 '^cpu' /proc/cpuinfo
grep '^platform\|^model\|^machine\|^MMU' /proc/cpuinfo

# ---- 1. papr_scm bound the NVDIMM ------------------------------------------
section "papr_scm probe"
i=0
while [ $i -lt 20 ] && ! ls /sys/bus/nd/devices 2>/dev/null | grep -q '^region'; do
    sleep 0.5; i=$((i + 1))
done
echo "/sys/bus/nd/devices: $(ls /sys/bus/nd/devices 2>/dev/null | tr '\n' ' ')"
echo "papr_scm devices: $(ls /sys/bus/platform/drivers/papr_scm 2>/dev/null | grep -v -e bind -e uevent | tr '\n' ' ')"
dmesg | grep -i -e papr_scm -e nvdimm -e 'nd_pmem' -e 'pmem' | head -40
if ls /sys/bus/platform/drivers/papr_scm 2>/dev/null | grep -q pmem \
   && ls /sys/bus/nd/devices | grep -q '^nmem' && ls /sys/bus/nd/devices | grep -q '^region'; then
    pass "[bind] papr_scm bound the NVDIMM (nmem + region present)"
else
    fail "[bind] papr_scm did not bind the NVDIMM"
fi
# "Failed to query performance stats" is how Linux reports that the
# hypervisor lacks H_SCM_PERFORMANCE_STATS; it is judged by the perf_stats
# check below, not here.
dmesg | grep -i papr_scm | grep -v -i 'performance stats' \
    | grep -i -e 'error' -e 'fail' -e 'unable' -e 'err' > /tmp/scm-err
if [ -s /tmp/scm-err ]; then
    cat /tmp/scm-err
    fail "[probe-errors] papr_scm reported errors in dmesg"
else
    pass "[probe-errors] no papr_scm probe error in dmesg"
fi
if [ -e /proc/device-tree/hypervisor/hcall-instructions ]; then
    echo "/hypervisor/hcall-instructions: $(od -An -tx1 /proc/device-tree/hypervisor/hcall-instructions | tr -s ' \n' ' ')"
    pass "[hypervisor] /hypervisor publishes hcall-instructions"
else
    fail "[hypervisor] no /hypervisor hcall-instructions in the device tree"
fi

NMEM0=$(ls /sys/bus/nd/devices | grep '^nmem' | head -1)
PSTATS=/sys/bus/nd/devices/$NMEM0/papr/perf_stats
cat "$PSTATS" > /tmp/perf0 2>/dev/null

NMEM=$(ls /sys/bus/nd/devices | grep '^nmem' | head -1)
REGION=$(ls /sys/bus/nd/devices | grep '^region' | head -1)

# ---- 2. ndctl list ---------------------------------------------------------
section "ndctl list -D -R"
if ndctl version >/dev/null 2>&1; then
    echo "ndctl $(ndctl version)"
else
    echo "ndctl does not run:"; ndctl version 2>&1 | head -5
fi
ndctl list -D -R > /tmp/list.json 2>/tmp/list.err
cat /tmp/list.json /tmp/list.err
if grep -q '"dev":"nmem' /tmp/list.json && grep -q '"dev":"region' /tmp/list.json; then
    pass "[ndctl-list] ndctl list -D -R shows dimm and region"
else
    fail "[ndctl-list] ndctl list -D -R does not show dimm and region"
fi

# ---- 3. labels and namespace (H_SCM_READ/WRITE_METADATA) --------------------
wait_pmem() {
    PMEM=$(ls /dev | grep '^pmem[0-9]*$' | head -1)
    i=0
    while [ -z "$PMEM" ] && [ $i -lt 10 ]; do
        sleep 0.5; i=$((i + 1)); PMEM=$(ls /dev | grep '^pmem[0-9]*$' | head -1)
    done
}
if [ "$LIFECYCLE" = 1 ]; then
    section "lifecycle phase $PHASE, boot $BOOTN"
    HOST_REPLY=$BOOT_REPLY
    lifecycle_main     # does not return (poweroff or reboot)
fi
if [ "$PHASE" = 1 ]; then
    section "labels / namespace"
    R0=$(hcalls 996 0); W0=$(hcalls 1000 0)
    ndctl disable-region all 2>&1
    if ndctl init-labels -f all 2>&1; then
        pass "[init-labels] ndctl init-labels"
    else
        fail "[init-labels] ndctl init-labels"
    fi
    ndctl read-labels -j "$NMEM" 2>/dev/null | head -20
    ndctl enable-region all 2>&1
    NS_JSON=/tmp/ns.json
    if ndctl create-namespace -r "$REGION" -m raw > $NS_JSON 2>/tmp/ns.err \
       || ndctl create-namespace -r "$REGION" -m fsdax > $NS_JSON 2>>/tmp/ns.err; then
        cat $NS_JSON
        pass "[namespace] ndctl create-namespace"
    else
        cat $NS_JSON /tmp/ns.err
        fail "[namespace] ndctl create-namespace"
    fi
    ndctl list -N 2>&1
    # Re-read labels after the namespace creation: READ_METADATA again.
    ndctl check-labels "$NMEM" 2>&1 | head -5
    R1=$(hcalls 996 0); W1=$(hcalls 1000 0)
    echo "label hcalls during init/create: read_metadata=$((R1 - R0)) write_metadata=$((W1 - W0))"
    if [ $((R1 - R0)) -gt 0 ] && [ $((W1 - W0)) -gt 0 ]; then
        pass "[label-hcalls] labels went through H_SCM_READ/WRITE_METADATA ($((R1 - R0)) reads, $((W1 - W0)) writes)"
    else
        fail "[label-hcalls] no H_SCM_READ/WRITE_METADATA during labelling"
    fi

    # ---- 4. pattern write / sync / read back -------------------------------
    section "pmem data path"
    wait_pmem
    if [ -n "$PMEM" ]; then
        echo "block device: /dev/$PMEM ($(cat /sys/block/$PMEM/size) sectors)"
        dd if=/dev/urandom of=/tmp/pattern bs=1024 count="$PATTERN_KIB" 2>/dev/null
        F0=$(hcalls 1100 0)
        if dd if=/tmp/pattern of=/dev/$PMEM bs=65536 conv=fsync 2>/tmp/dd.err; then
            sync
            F1=$(hcalls 1100 0)
            echo 3 > /proc/sys/vm/drop_caches
            dd if=/dev/$PMEM of=/tmp/readback bs=1024 count="$PATTERN_KIB" 2>/dev/null
            if cmp /tmp/pattern /tmp/readback; then
                pass "[pattern] pattern written to /dev/$PMEM, synced, read back identical (${PATTERN_KIB} KiB)"
                echo "PATTERN-SHA256 $(sha256sum < /tmp/pattern | cut -d' ' -f1)"
            else
                fail "[pattern] pattern read back from /dev/$PMEM differs"
            fi
            # The node asks for H_SCM_FLUSH when the backend is not real pmem
            if ls /proc/device-tree/ibm,persistent-memory/*/ibm,hcall-flush-required >/dev/null 2>&1; then
                if [ $((F1 - F0)) -gt 0 ]; then
                    pass "[flush] fsync went through H_SCM_FLUSH ($((F1 - F0)) completed, node asks for it)"
                else
                    fail "[flush] node asks for H_SCM_FLUSH but fsync issued none"
                fi
            elif [ $((F1 - F0)) -eq 0 ]; then
                pass "[flush] no H_SCM_FLUSH (node does not ask for it)"
            else
                fail "[flush] H_SCM_FLUSH issued although the node does not ask for it"
            fi
        else
            cat /tmp/dd.err
            fail "[pattern] writing the pattern to /dev/$PMEM"
        fi
    else
        fail "[pattern] no /dev/pmem* block device"
    fi
    dmesg | tail -5
else
    section "second boot: namespace and pattern"
    # Labels are read again (H_SCM_READ_METADATA): perf_stats must move
    ndctl read-labels -j "$NMEM" > /tmp/labels2.json 2>&1
    echo "labels read on second boot: $(wc -c < /tmp/labels2.json) bytes of JSON"
    ndctl list -N > /tmp/ns2.json 2>&1
    cat /tmp/ns2.json
    wait_pmem
    if grep -q '"dev":"namespace' /tmp/ns2.json && [ -n "$PMEM" ]; then
        pass "[ns-persisted] second boot finds the namespace (/dev/$PMEM)"
    else
        fail "[ns-persisted] second boot does not find the namespace"
    fi
    if [ -n "$PMEM" ] && [ -n "$EXPECT_SHA" ]; then
        got=$(dd if=/dev/$PMEM bs=1024 count="$PATTERN_KIB" 2>/dev/null | sha256sum | cut -d' ' -f1)
        echo "pattern sha256 on second boot: $got (first boot: $EXPECT_SHA)"
        if [ "$got" = "$EXPECT_SHA" ]; then
            pass "[pattern-persisted] second boot reads the first boot's pattern"
        else
            fail "[pattern-persisted] pattern differs on second boot"
        fi
    else
        fail "[pattern-persisted] no pmem device or no expected checksum"
    fi
fi

# ---- 5. papr sysfs attributes ----------------------------------------------
section "papr sysfs"
P=/sys/bus/nd/devices/$NMEM/papr
ls -l $P 2>&1
# flags: space separated health flags; empty means "no flag set" (healthy).
if [ -e "$P/flags" ] && v=$(cat "$P/flags" 2>&1); then
    echo "--- $P/flags: '$v'"
    missing=
    for f in $EXPECT_FLAGS; do
        case " $v " in
            *" $f "*) ;;
            *) missing="$missing $f" ;;
        esac
    done
    if [ -z "$EXPECT_FLAGS" ]; then
        pass "[health] papr/flags readable (no injection requested)"
    elif [ -z "$missing" ]; then
        pass "[health] injected health flags visible in papr/flags: $EXPECT_FLAGS"
    else
        fail "[health] injected health flags missing from papr/flags:$missing"
    fi
else
    echo "--- $P/flags: $v"
    fail "[health] papr/flags not readable"
fi
# perf_stats only exists when the hypervisor implements H_SCM_PERFORMANCE_STATS
# (stock QEMU 7.2 does not: expected FAIL there).
if [ -e "$P/perf_stats" ] && v=$(cat "$P/perf_stats" 2>&1) && [ -n "$v" ]; then
    echo "--- $P/perf_stats:"; echo "$v"
    # Counters other than the power-on time must have moved since probe
    echo "$v" | grep -v -e PonSecs -e CtlResTm > /tmp/perf1
    grep -v -e PonSecs -e CtlResTm /tmp/perf0 > /tmp/perf0f 2>/dev/null
    if [ -s /tmp/perf0f ] && ! cmp -s /tmp/perf0f /tmp/perf1; then
        pass "[perf-stats] papr/perf_stats readable and its counters moved"
    else
        echo "--- at probe:"; cat /tmp/perf0 2>/dev/null
        fail "[perf-stats] papr/perf_stats counters did not move"
    fi
else
    echo "--- $P/perf_stats: $(cat "$P/perf_stats" 2>&1)"
    dmesg | grep -i 'performance stats'
    fail "[perf-stats] papr/perf_stats not readable"
fi
cat /sys/bus/nd/devices/$NMEM/flags 2>/dev/null | sed 's/^/nmem flags: /'

# ---- 6. hcall counts -------------------------------------------------------
# Shut the pmem side down now, while tracing, so that every SCM hcall of
# this boot is in the histogram the host compares with the module's counts:
# the pmem driver flushes the region (H_SCM_FLUSH) when it goes away, which
# would otherwise happen in poweroff's device shutdown, after the trace.
sync
ndctl disable-region all >/dev/null 2>&1
section "hcalls (powerpc:hcall_exit)"
if [ -r $T/trace ]; then
    echo 0 > $T/tracing_on
    echo "tracing enabled events: $(cat $T/set_event 2>/dev/null | tr '\n' ' ')"
    grep -h -e overrun -e entries $T/per_cpu/cpu*/stats 2>/dev/null | sort | uniq -c
    # opcode -> name for the hcalls the scenario cares about
    awk '
    BEGIN {
        n[0x04]="H_REMOVE"; n[0x08]="H_ENTER"; n[0x0C]="H_READ"; n[0x10]="H_CLEAR_MOD";
        n[0x14]="H_CLEAR_REF"; n[0x18]="H_PROTECT"; n[0x1C]="H_GET_TCE"; n[0x20]="H_PUT_TCE";
        n[0x24]="H_SET_SPRG0"; n[0x28]="H_SET_DABR"; n[0x2C]="H_PAGE_INIT";
        n[0x3C]="H_LOGICAL_CI_LOAD"; n[0x40]="H_LOGICAL_CI_STORE";
        n[0x54]="H_GET_TERM_CHAR"; n[0x58]="H_PUT_TERM_CHAR"; n[0x64]="H_EOI"; n[0x68]="H_CPPR";
        n[0x6C]="H_IPI"; n[0x70]="H_IPOLL"; n[0x74]="H_XIRR"; n[0x7C]="H_PERFMON";
        n[0xDC]="H_REGISTER_VPA"; n[0xE0]="H_CEDE"; n[0xE4]="H_CONFER"; n[0xE8]="H_PROD";
        n[0xF4]="H_PURR"; n[0x138]="H_STUFF_TCE"; n[0x13C]="H_PUT_TCE_INDIRECT";
        n[0x3A8]="H_INT_GET_SOURCE_INFO"; n[0x3AC]="H_INT_SET_SOURCE_CONFIG";
        n[0x3B0]="H_INT_GET_SOURCE_CONFIG"; n[0x3B4]="H_INT_GET_QUEUE_INFO";
        n[0x3B8]="H_INT_SET_QUEUE_CONFIG"; n[0x3BC]="H_INT_GET_QUEUE_CONFIG";
        n[0x3C8]="H_INT_ESB"; n[0x3CC]="H_INT_SYNC"; n[0x3D0]="H_INT_RESET"; n[0x124]="H_BULK_REMOVE"; n[0x134]="H_SET_XDABR";
        n[0x1C8]="H_GET_CPU_CHARACTERISTICS"; n[0x2EC]="H_HOME_NODE_ASSOCIATIVITY";
        n[0x2FC]="H_XIRR_X"; n[0x300]="H_RANDOM"; n[0x31C]="H_SET_MODE"; n[0x328]="H_BLOCK_REMOVE";
        n[0x358]="H_CLEAR_HPT"; n[0x37C]="H_REGISTER_PROC_TBL"; n[0x380]="H_SIGNAL_SYS_RESET";
        n[0x3E4]="H_SCM_READ_METADATA"; n[0x3E8]="H_SCM_WRITE_METADATA"; n[0x3EC]="H_SCM_BIND_MEM";
        n[0x3F0]="H_SCM_UNBIND_MEM"; n[0x3F4]="H_SCM_QUERY_BLOCK_MEM_BINDING";
        n[0x3F8]="H_SCM_QUERY_LOGICAL_MEM_BINDING"; n[0x3FC]="H_SCM_UNBIND_ALL"; n[0x400]="H_SCM_HEALTH";
        n[0x418]="H_SCM_PERFORMANCE_STATS"; n[0x448]="H_RPT_INVALIDATE"; n[0x44C]="H_SCM_FLUSH";
        n[0x45C]="H_WATCHDOG";
        n[0xF000]="KVMPPC_H_RTAS"; n[0xF001]="KVMPPC_H_LOGICAL_MEMOP"; n[0xF002]="KVMPPC_H_CAS";
        n[0xF003]="KVMPPC_H_UPDATE_DT"; n[0xF005]="KVMPPC_H_VOF_CLIENT";
    }
    /hcall_exit:/ {
        op = ""; rv = "";
        for (i = 1; i <= NF; i++) {
            if ($i ~ /^opcode=/) op = substr($i, 8);
            if ($i ~ /^retval=/) rv = substr($i, 8);
        }
        if (op == "") next;
        k = op " " rv; c[k]++; t[op]++; total++;
    }
    END {
        printf "HCALL-TOTAL %d\n", total;
        for (k in c) {
            split(k, a, " "); nm = (a[1] + 0 in n) ? n[a[1] + 0] : "?";
            printf "HCALL opcode=%d (0x%x %s) retval=%s count=%d\n", a[1], a[1], nm, a[2], c[k];
        }
    }' $T/trace | sort -t= -k2 -n
else
    fail "trace buffer not readable at $T/trace"
fi

section "summary"
echo "SCENARIO-SUMMARY pass=$NPASS fail=$NFAIL"
echo "SCENARIO-DONE"
if [ "$SHELL_AT_END" = 1 ]; then
    exec setsid cttyhack sh
fi
# -n: no sync after the trace stopped (done above)
poweroff -n -f
