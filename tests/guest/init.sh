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
pass() { echo "PASS: $*"; NPASS=$((NPASS + 1)); }
fail() { echo "FAIL: $*"; NFAIL=$((NFAIL + 1)); }
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
