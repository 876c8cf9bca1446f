#!/usr/bin/env bash
# Start spapr-hv with N file-backed NVDIMMs and report what it costs:
# time until the qtest socket answers, threads and open files at start,
# and again after one H_SCM_FLUSH on every device (BENCHMARKS.md).
#   scripts/nvdimm-scale.sh [BINARY] [N...]     (default: 1 64 1024 4096)
set -euo pipefail
bin=${1:-build/tools/spapr-hv}
shift || true
counts=${*:-1 64 1024 4096}
size=268566528                          # 256 MiB + 128 KiB label, sparse
printf '%-6s %-10s %-8s %-8s %-14s %-14s\n' N start_ms threads files \
    threads_flush files_flush
for n in $counts; do
    dir=$(mktemp -d /tmp/nvscale-XXXXXX)
    args=(-M pseries -m 256M -qtest "unix:$dir/qt,server=on,wait=off"
          -qtest-log none)
    for ((i = 0; i < n; i++)); do
        args+=(-object "memory-backend-file,id=m$i,mem-path=$dir/$i.img,size=$size,share=on"
               -device "spapr-nvdimm,id=nv$i,memdev=m$i,label-size=128K")
    done
    t0=$(date +%s%N)
    "$bin" "${args[@]}" 2>/dev/null &
    pid=$!
    until [ -S "$dir/qt" ] && python3 - "$dir/qt" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b"endianness\n"); assert s.recv(64).startswith(b"OK")
PY
    do sleep 0.01; done
    t1=$(date +%s%N)
    th=$(awk '/^Threads/ {print $2}' /proc/$pid/status)
    fd=$(ls /proc/$pid/fd | wc -l)
    python3 - "$dir/qt" "$n" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
f = s.makefile("rwb")
for i in range(int(sys.argv[2])):
    f.write(b"hcall H_SCM_FLUSH %d 0\n" % (0x90000000 + i))
f.flush()
for i in range(int(sys.argv[2])):
    assert f.readline().startswith(b"OK")
PY
    sleep 0.2
    th2=$(awk '/^Threads/ {print $2}' /proc/$pid/status)
    fd2=$(ls /proc/$pid/fd | wc -l)
    kill -TERM $pid; wait $pid || true
    printf '%-6s %-10s %-8s %-8s %-14s %-14s\n' "$n" \
        $(( (t1 - t0) / 1000000 )) "$th" "$fd" "$th2" "$fd2"
    rm -rf "$dir"
done
