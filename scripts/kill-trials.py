#!/usr/bin/env python3
"""SIGKILL trials: start spapr-hv on one file NVDIMM, write label words and
data through qtest as fast as it answers, SIGKILL it at a random moment,
start it again and check: every acknowledged write is there (the last
acknowledged label word, or the one in flight), the state file parses and
its dirty-shutdown count went up by one, and no <file>.state.tmp is left.
Every third trial kills it 0-10 ms after exec instead, while it opens the
device and saves its state file: the next start must still succeed.
    scripts/kill-trials.py [BINARY] [TRIALS]      (default 50)"""
import os, random, re, signal, socket, subprocess, sys, tempfile, time

binary = sys.argv[1] if len(sys.argv) > 1 else "build/tools/spapr-hv"
trials = int(sys.argv[2]) if len(sys.argv) > 2 else 50
size = 268566528
d = tempfile.mkdtemp(prefix="killtrials-")
img, sock = os.path.join(d, "nv.img"), os.path.join(d, "qt.sock")
state = img + ".state"

def start():
    if os.path.exists(sock):
        os.unlink(sock)
    p = subprocess.Popen([binary, "-M", "pseries", "-qtest-log", "none",
        "-qtest", "unix:%s,server=on,wait=off" % sock, "-object",
        "memory-backend-file,id=m,mem-path=%s,size=%d,share=on" % (img, size),
        "-device", "spapr-nvdimm,id=nv,memdev=m,label-size=128K"],
        stderr=subprocess.DEVNULL)
    for _ in range(500):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(sock)
            return p, s.makefile("rwb", buffering=0)
        except OSError:
            time.sleep(0.01)
    raise SystemExit("spapr-hv did not start")

def cmd(f, line):
    f.write(line.encode() + b"\n")
    return f.readline().decode().strip()

def dirty_count():
    return int(re.search(r"dirty-shutdown-count=(\d+)", open(state).read())[1])

failures, last, inflight, count = 0, None, None, None
early = 0
for t in range(trials):
    if t % 3 == 2:
        q = subprocess.Popen([binary, "-M", "pseries", "-object",
            "memory-backend-file,id=m,mem-path=%s,size=%d,share=on"
            % (img, size), "-device",
            "spapr-nvdimm,id=nv,memdev=m,label-size=128K", "-qtest",
            "unix:%s,server=on,wait=off" % sock],
            stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0, 0.01))
        q.send_signal(signal.SIGKILL)
        q.wait()
        early += 1
        count = None            # it may or may not have counted
        continue
    p, f = start()
    # the previous run was killed: the count went up, no temporary left
    if count is not None and dirty_count() != count + 1:
        failures += 1
        print("trial %d: dirty-shutdown-count %d, want %d" %
              (t, dirty_count(), count + 1))
    if os.path.exists(state + ".tmp"):
        failures += 1
        print("trial %d: %s.tmp left after open" % (t, state))
    count = dirty_count()
    if last is not None:
        r = cmd(f, "hcall H_SCM_READ_METADATA 0x90000000 0 8").split()
        got = int(r[2], 16)
        if got not in (last, inflight):
            failures += 1
            print("trial %d: label word 0x%x, acknowledged 0x%x" %
                  (t, got, last))
    deadline = time.time() + random.uniform(0.02, 0.3)
    v = random.getrandbits(63)
    while time.time() < deadline:
        v += 1
        inflight = v
        r = cmd(f, "hcall H_SCM_WRITE_METADATA 0x90000000 0 %d 8" % v)
        if r.split()[1] != "0x0000000000000000":
            raise SystemExit("write failed: " + r)
        last = v
    p.send_signal(signal.SIGKILL)
    p.wait()
print("%d SIGKILL trials (%d while starting), %d failures" %
      (trials, early, failures))
p, f = start()
p.terminate()
p.wait()
for n in os.listdir(d):
    os.unlink(os.path.join(d, n))
os.rmdir(d)
sys.exit(1 if failures else 0)
