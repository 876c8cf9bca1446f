#!/bin/sh
# Coverage-guided fuzzing with libFuzzer, ASan and UBSan: builds every
# target of tests/fuzz with clang in $FUZZ_BUILD (build-fuzz) and runs
# each for $FUZZ_SECONDS (60) seconds on its corpus (kept in
# $FUZZ_BUILD/corpus).  Fails if any target finds a crash; the input is
# left in $FUZZ_BUILD/artifacts.  Prints executions per target.
#   scripts/fuzz.sh [TARGET...]
set -eu
cd "$(dirname "$0")/.."
B=${FUZZ_BUILD:-build-fuzz}
SECS=${FUZZ_SECONDS:-60}
TARGETS=${*:-fuzz-hcall fuzz-qtest fuzz-cmdline fuzz-qmp fuzz-fdt \
fuzz-scm-files fuzz-abi fuzz-vmstate}

scripts/install-deps.sh clang libclang-rt-14-dev
if [ ! -f "$B/build.ninja" ]; then
    CC=clang meson setup "$B" -Dfuzzing=true \
        -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C "$B"
mkdir -p "$B/artifacts"
status=0
for t in $TARGETS; do
    mkdir -p "$B/corpus/$t"
    if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
       UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
       "$B/tests/fuzz/$t" -max_total_time="$SECS" -max_len=4096 \
           -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
           -artifact_prefix="$B/artifacts/$t-" "$B/corpus/$t" \
           >"$B/$t.log" 2>&1; then
        res=ok
    else
        res=FAILED
        status=1
        tail -40 "$B/$t.log"
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/$t.log")
    cov=$(grep -o 'cov: [0-9]*' "$B/$t.log" | tail -1)
    echo "fuzz: $t: $res, ${execs:-?} executions in ${SECS} s, $cov"
done
exit $status
