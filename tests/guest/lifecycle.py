#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Lifecycle phases of `make guest`: one phase on one QEMU binary.

usage: lifecycle.py --qemu QEMU --phase PHASE --workdir DIR
                    --kernel VMLINUX --initrd CPIO [--timeout SECS]
                    [--append EXTRA] [--env NAME=VALUE ...]

PHASE is one of
  migrate   live migration to a second QEMU process (QMP migrate over a
            UNIX socket, -incoming defer + migrate-incoming), with an
            in-flight dd conv=fsync writer in the guest at the switchover;
            x-ignore-shared: guest RAM and the NVDIMM are share=on files
            that both processes map (nothing of them goes through the stream)
  restore   pause, migrate to a file (exec:cat > file), quit, restore in
            a new process (-incoming "exec:cat file") whose NVDIMM backing
            file is a new, blank one: the NVDIMM contents arrive only
            through the stream; in-flight writers as above
  precopy   (not in make guest's default list) live migration to a second
            process with RAM and NVDIMM through the stream while the
            writers run, the destination with its own blank NVDIMM file:
            exercises dirty tracking; QEMU 7.2 TCG itself loses guest
            writes now and then here (guest crashes on stock too)
  snapshot  savevm, a pattern written after it, loadvm, in one process
            (a qcow2 drive holds the snapshot)
  reboot    three boots in one process (no -no-reboot)
  hotplug   object-add + device_add spapr-nvdimm while the guest runs, the
            guest probes it and does I/O, device_del (must be refused),
            reboot, both DIMMs again
  toolkit   (our build only: stock QEMU has no such properties) fault
            injection while the guest runs, with qom-set on the
            spapr-nvdimm (docs/qemu-glue.md): health fatal, MemLife 3 and
            a failing flush, then 20 forced long-busy flush answers; the
            guest sees each one (ndctl list -DH, fsync EIO, retries)

The guest side is tests/guest/init.sh (spapr.phase=PHASE); the protocol
between the two is described there.  The guest console is a socket chardev
(-serial chardev:...), QMP a UNIX socket; every QEMU runs with -S and is
continued once both are connected, so no console output is lost.

Output (stdout), in the style of run-guest.sh:
  RESULT PASS: [key] text      one per guest or host check, in order
  RESULT FAIL: [key] text
  RESULT INFO: [key] text      an observation, not a check
  RESULT phase=P seconds=S action-ms=N acks=before+after
  RESULT status=0|1
The whole console (all processes, prefixed [A] [B] ...) goes to
DIR/console.log, QEMU's stderr to DIR/<proc>.err.  Everything is bounded:
each wait has a deadline and the phase as a whole has --timeout; QEMU
processes die with this script (PR_SET_PDEATHSIG) and are killed on exit.
"""
import argparse
import ctypes
import hashlib
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time

LABEL = 128 * 1024
SIZE = 1024 ** 3 + LABEL          # PAPR: (size - label) multiple of 256 MiB
RAM = '2G'
UUIDS = ('5b2a47b4-9d3c-4c7e-8a3f-2e1d0c9b8a71',
         '5b2a47b4-9d3c-4c7e-8a3f-2e1d0c9b8a72')
PHASES = ('migrate', 'restore', 'snapshot', 'reboot', 'hotplug', 'precopy',
          'toolkit')
# QEMU 7.2 hw/ppc/spapr.c refuses to unplug an NVDIMM with this message
UNPLUG_REFUSED = 'nvdimm device hot unplug is not supported yet'
INF_BS = 4096
CRASH_RE = re.compile(r'Kernel panic|Oops|BUG: |Unable to handle kernel|'
                      r'Exception in kernel mode|kernel BUG')


FLUSH_RX = re.compile(r'H_SCM_FLUSH\(0x44c\) args=\[r4=0x[0-9a-f]+ '
                      r'r5=0x([0-9a-f]+)\] -> (\w+)\((-?\d+)\) '
                      r'outs=\[(?:r4=0x([0-9a-f]+))?')


def flush_calls(path):
    """(token in, status, rc, token out) of every H_SCM_FLUSH in a QEMU
    stderr file with our library's hcall trace."""
    try:
        with open(path, errors='replace') as f:
            return [m.groups() for m in map(FLUSH_RX.search, f) if m]
    except OSError:
        return []


def pending_tokens(calls):
    """Flush tokens handed out (long busy) and not collected yet."""
    pending = []
    for tok, st, rc, out in calls:
        if tok == '0' and st.startswith('H_LONG_BUSY') and out:
            pending.append(out)
        elif tok != '0' and tok in pending and st == 'H_SUCCESS':
            pending.remove(tok)
    return pending


class PhaseError(Exception):
    """A host-side step failed; the phase stops there."""


class QmpError(Exception):
    """QMP answered with an error."""


def _die_with_parent():
    # PR_SET_PDEATHSIG = 1: QEMU gets SIGKILL if this script dies
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def connect_unix(path, deadline):
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.time() > deadline:
                raise PhaseError('cannot connect to %s' % path)
            time.sleep(0.05)


class Qmp:
    def __init__(self, path, deadline):
        self.sock = connect_unix(path, deadline)
        self.buf = b''
        self._read(deadline)                       # greeting
        self.cmd('qmp_capabilities')

    def _read(self, deadline):
        while b'\n' not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise PhaseError('QMP: no answer in time')
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                continue
            data = self.sock.recv(65536)
            if not data:
                raise PhaseError('QMP: QEMU closed the connection')
            self.buf += data
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line)

    def cmd(self, name, args=None, timeout=60):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.sock.sendall(json.dumps(msg).encode() + b'\n')
        deadline = time.time() + timeout
        while True:
            r = self._read(deadline)
            if 'event' in r:
                continue
            if 'error' in r:
                raise QmpError(r['error'].get('desc', str(r['error'])))
            return r.get('return')

    def hmp(self, line, timeout=120):
        """An HMP command; returns its output minus QEMU's warnings (the
        TCG capability warnings are printed again on every reset)."""
        out = self.cmd('human-monitor-command', {'command-line': line},
                       timeout) or ''
        return '\n'.join(l for l in out.splitlines()
                         if l.strip() and not l.startswith('warning:'))

    def close(self):
        self.sock.close()


class Console:
    """The guest console: a socket chardev, read by a thread line by line."""

    def __init__(self, name, path, deadline, sink):
        self.name = name
        self.sock = connect_unix(path, deadline)
        self.sink = sink
        self.t = threading.Thread(target=self._reader, daemon=True)
        self.t.start()

    def _reader(self):
        buf = b''
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b''
            if not data:
                break
            buf += data
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                self.sink(self.name, line.decode('utf-8', 'replace')
                          .replace('\r', ''))
        if buf:
            self.sink(self.name, buf.decode('utf-8', 'replace'))

    def send(self, text):
        data = text.encode()
        deadline = time.time() + 5
        while data and time.time() < deadline:
            _, w, _ = select.select([], [self.sock], [], 1)
            if w:
                try:
                    data = data[self.sock.send(data):]
                except OSError:
                    return

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class Proc:
    """One QEMU process with its QMP and console sockets."""

    def __init__(self, name, argv, wd, env, sink, timeout):
        self.name = name
        self.qmp_path = os.path.join(wd, name + '.qmp')
        self.con_path = os.path.join(wd, name + '.con')
        for p in (self.qmp_path, self.con_path):
            if os.path.exists(p):
                os.unlink(p)
        full = argv + [
            '-chardev', 'socket,id=con0,path=%s,server=on,wait=off'
            % self.con_path,
            '-serial', 'chardev:con0',
            '-qmp', 'unix:%s,server=on,wait=off' % self.qmp_path,
            '-S']
        self.err = open(os.path.join(wd, name + '.err'), 'w')
        self.err.write(' '.join(full) + '\n')
        self.err.flush()
        self.popen = subprocess.Popen(full, stdin=subprocess.DEVNULL,
                                      stdout=self.err,
                                      stderr=subprocess.STDOUT, env=env,
                                      preexec_fn=_die_with_parent)
        deadline = time.time() + min(timeout, 30)
        try:
            self.qmp = Qmp(self.qmp_path, deadline)
            self.con = Console(name, self.con_path, deadline, sink)
        except PhaseError:
            self.kill()
            raise PhaseError('%s: QEMU did not start: %s'
                             % (name, self.stderr_tail()))

    def alive(self):
        return self.popen.poll() is None

    def stderr_tail(self, n=6):
        self.err.flush()
        try:
            with open(self.err.name, errors='replace') as f:
                lines = [l.strip() for l in f.readlines()[1:]
                         if 'cap-' not in l]   # TCG capability warnings
        except OSError:
            return ''
        return ' | '.join(lines[-n:])

    def wait_exit(self, timeout):
        try:
            self.popen.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            return False

    def quit(self):
        if self.alive():
            try:
                self.qmp.cmd('quit', timeout=10)
            except (PhaseError, QmpError, OSError):
                pass
        if not self.wait_exit(15):
            self.kill()

    def kill(self):
        if self.alive():
            self.popen.kill()
            self.popen.wait(10)

    def close(self):
        for c in ('con', 'qmp'):
            if hasattr(self, c):
                getattr(self, c).close()
        self.kill()
        self.err.close()


class Phase:
    def __init__(self, a):
        self.a = a
        self.wd = a.workdir
        self.lines = []               # (proc, line): every console line
        self.cv = threading.Condition()
        self.results = []             # (PASS|FAIL, key, text)
        self.patterns = {}            # label -> (off, len, sha, nonce, idx)
        self.acks = []                # (runid, seq, proc)
        self.procs = []
        self.cur = None               # the process the guest runs in
        self.boots = 0
        self.files = []               # backing files to check at the end
        self.gone = set()             # labels rolled back by loadvm
        self.action_ms = None
        self.acks_before = 0
        self.log = open(os.path.join(self.wd, 'console.log'), 'w')
        self.env = dict(os.environ)
        for kv in a.env:
            k, v = kv.split('=', 1)
            self.env[k] = v

    # ---- bookkeeping --------------------------------------------------------
    def check(self, ok, key, text):
        self.results.append(('PASS' if ok else 'FAIL', key, text))

    def sink(self, proc, line):
        with self.cv:
            idx = len(self.lines)
            self.lines.append((proc, line))
            self.log.write('[%s] %s\n' % (proc, line))
            self.log.flush()
            m = re.match(r'(PASS|FAIL): \[([\w@-]+)\] (.*)', line)
            if m:
                self.results.append((m.group(1), m.group(2),
                                     m.group(3) + ' (guest)'))
            m = re.match(r'SPAPR-WROTE (\w+) (\d+) (\d+) ([0-9a-f]{64}) '
                         r'([0-9a-f]+)$', line)
            if m:
                self.patterns[m.group(1)] = (int(m.group(2)),
                                             int(m.group(3)), m.group(4),
                                             m.group(5), idx)
            m = re.match(r'SPAPR-ACK ([0-9a-f]+) (\d+) (\d+) (\d+)$', line)
            if m:   # runid, writer, seq, block on the namespace
                self.acks.append((m.group(1), int(m.group(2)),
                                  int(m.group(3)), int(m.group(4)), proc))
            self.cv.notify_all()

    def find_line(self, start, pred):
        for i in range(start, len(self.lines)):
            if pred(self.lines[i][1]):
                return i
        return None

    def wait_line(self, start, pred, timeout, what):
        """Index of the first console line from START that satisfies PRED."""
        deadline = time.time() + timeout
        with self.cv:
            while True:
                i = self.find_line(start, pred)
                if i is not None:
                    return i
                if not self.cur.alive():
                    raise PhaseError('QEMU %s exited while waiting for %s: %s'
                                     % (self.cur.name, what,
                                        self.cur.stderr_tail()))
                left = deadline - time.time()
                if left <= 0:
                    raise PhaseError('timeout (%d s) waiting for %s'
                                     % (timeout, what))
                self.cv.wait(min(left, 0.5))

    # ---- QEMU processes -----------------------------------------------------
    def argv(self, nvdimm, incoming=None, reboot=False):
        a = self.a
        append = ('console=hvc0 trace_event=powerpc:hcall_exit '
                  'trace_buf_size=16M panic=-1 loglevel=4 spapr.phase=%s %s'
                  % (a.phase, a.append)).strip()
        v = [a.qemu, '-M', 'pseries,x-vof=on,nvdimm=on', '-cpu', 'POWER9',
             '-smp', '1', '-m', '%s,slots=2,maxmem=8G' % RAM,
             '-L', '/usr/share/qemu', '-display', 'none', '-nodefaults',
             '-monitor', 'none',
             '-kernel', a.kernel, '-initrd', a.initrd, '-append', append,
             '-object', 'memory-backend-file,id=mem0,mem-path=%s,size=%d,'
             'share=on' % (nvdimm, SIZE),
             '-device', 'spapr-nvdimm,id=nv0,memdev=mem0,label-size=%d,'
             'uuid=%s' % (LABEL, UUIDS[0])]
        if not reboot:
            v.append('-no-reboot')
        if a.phase == 'migrate':
            # x-ignore-shared skips RAM blocks that are share=on: the guest
            # RAM must be one too, mapped from the same file by both sides
            v += ['-object', 'memory-backend-file,id=ram0,mem-path=%s,'
                  'size=%s,share=on' % (self.ram_file, RAM),
                  '-machine', 'memory-backend=ram0']
        if a.phase == 'snapshot':
            v += ['-drive', 'if=none,id=snap0,format=qcow2,file=%s'
                  % self.qcow2]
        if incoming:
            v += ['-incoming', incoming]
        return v + a.qemu_arg

    def start(self, name, nvdimm, incoming=None, reboot=False):
        argv = [x.replace('{name}', name)
                for x in self.argv(nvdimm, incoming, reboot)]
        p = Proc(name, argv, self.wd,
                 self.env, self.sink, self.a.timeout)
        self.procs.append(p)
        return p

    def wait_status(self, p, want, timeout):
        deadline = time.time() + timeout
        while True:
            if not p.alive():
                raise PhaseError('%s exited: %s' % (p.name, p.stderr_tail()))
            st = p.qmp.cmd('query-status')['status']
            if st in want:
                return st
            if time.time() > deadline:
                raise PhaseError('%s: status %s after %d s (want %s)'
                                 % (p.name, st, timeout, '/'.join(want)))
            time.sleep(0.2)

    def migrate(self, p, uri, timeout=120):
        """QMP migrate on P, polled until it ends; returns query-migrate."""
        p.qmp.cmd('migrate', {'uri': uri})
        deadline = time.time() + timeout
        while True:
            r = p.qmp.cmd('query-migrate')
            st = r.get('status')
            if st == 'completed':
                return r
            if st in ('failed', 'cancelled'):
                raise PhaseError('%s: migration %s: %s'
                                 % (p.name, st, r.get('error-desc', '?')))
            if time.time() > deadline:
                try:
                    p.qmp.cmd('migrate_cancel')
                except QmpError:
                    pass
                raise PhaseError('%s: migration still %s after %d s'
                                 % (p.name, st, timeout))
            time.sleep(0.1)

    # ---- talking to the guest -----------------------------------------------
    def answer(self, tag, payload, timeout=60):
        """Send "go TAG PAYLOAD" until the guest prints SPAPR-GOT TAG.

        The repetition is also what wakes a guest whose timer QEMU 7.2 did
        not re-arm after a migration or loadvm (console input raises an
        interrupt)."""
        start = len(self.lines)
        text = ('go %s %s' % (tag, payload)).strip() + '\n'
        deadline = time.time() + timeout
        while True:
            self.cur.con.send(text)
            try:
                got = 'SPAPR-GOT %s ' % tag
                self.wait_line(start, lambda l: (l + ' ').startswith(got),
                               1.0, got.strip())
                return
            except PhaseError:
                if not self.cur.alive() or time.time() > deadline:
                    raise PhaseError('the guest did not take the answer to '
                                     '%s within %d s' % (tag, timeout))

    def spec(self, labels):
        out = []
        for l in labels:
            off, ln, sha, nonce, _ = self.patterns[l]
            out.append('%s:%d:%d:%s:%s' % (l, off, ln, sha, nonce))
        return ','.join(out)

    def kept(self):
        return [l for l in sorted(self.patterns) if l not in self.gone]

    # ---- the phase actions --------------------------------------------------
    def wait_acks(self, n, timeout=60):
        """Let the in-flight writer get going before the switchover."""
        deadline = time.time() + timeout
        while len(self.acks) < n and time.time() < deadline:
            if not self.cur.alive():
                raise PhaseError('QEMU exited before the switchover')
            time.sleep(0.1)
        self.acks_before = len(self.acks)

    def live_migrate(self, src, key, capabilities=()):
        """Start a destination on self.nvdimm, migrate src to it over a
        UNIX socket, run it.  Returns (destination, migrate result)."""
        dst = self.start('B', self.nvdimm, incoming='defer')
        if capabilities:
            cap = {'capabilities': [{'capability': c, 'state': True}
                                    for c in capabilities]}
            for p in (src, dst):
                p.qmp.cmd('migrate-set-capabilities', cap)
        sock = os.path.join(self.wd, 'migrate.sock')
        dst.qmp.cmd('migrate-incoming', {'uri': 'unix:' + sock})
        self.fast_migration(src)
        t0 = time.time()
        try:
            r = self.migrate(src, 'unix:' + sock)
        except PhaseError as e:
            self.check(False, key, 'live migration: %s; destination: %s'
                       % (e, dst.stderr_tail()))
            raise
        self.wait_status(dst, ('paused',), 60)
        self.action_ms = int((time.time() - t0) * 1000)
        dst.qmp.cmd('cont')
        return dst, r

    def switch_to(self, src, dst, tag):
        self.cur = dst
        src.quit()
        self.answer(tag, 'verify=' + self.spec(self.kept()))

    def act_migrate(self, tag):
        src = self.cur
        self.wait_acks(3)
        dst, r = self.live_migrate(src, 'host-migrate', ('x-ignore-shared',))
        self.check(True, 'host-migrate', 'live migration over a UNIX socket '
                   'completed (%d ms, downtime %s ms, x-ignore-shared, %d '
                   'in-flight writes acknowledged before it)'
                   % (self.action_ms, r.get('downtime', '?'),
                      self.acks_before))
        self.switch_to(src, dst, tag)

    def stop_with_flush_pending(self, src):
        """With our library's hcall trace, re-pause the (paused) source up to
        ten times until an H_SCM_FLUSH token is pending, so that a flush
        is caught in flight.  Without the trace (stock) the first pause
        stands.  Returns a note for the report."""
        path = os.path.join(self.wd, src.name + '.err')
        if 'SPAPR_HCALL_TRACE' not in self.env:
            return ''
        for i in range(10):
            n = len(pending_tokens(flush_calls(path)))
            if n:
                return ' with %d H_SCM_FLUSH pending (pause %d)' % (n, i + 1)
            src.qmp.cmd('cont')
            time.sleep(0.05 + 0.03 * i)
            src.qmp.cmd('stop')
        return ' (no H_SCM_FLUSH pending in 10 pauses)'

    def fast_migration(self, p):
        # QEMU 7.2 caps migration at 32 MiB/s by default
        p.qmp.cmd('migrate-set-parameters', {'max-bandwidth': 4 << 30})

    def act_precopy(self, tag):
        """Live migration with RAM and NVDIMM through the stream while the
        guest writes; the destination has its own, blank NVDIMM file."""
        src = self.cur
        self.wait_acks(3)
        self.nvdimm = os.path.join(self.wd, 'nvdimm-dest.img')
        with open(self.nvdimm, 'wb') as f:
            f.truncate(SIZE)
        self.files = [self.nvdimm]
        dst, r = self.live_migrate(src, 'host-precopy')
        ram = r.get('ram', {})
        self.check(True, 'host-precopy', 'live precopy migration, RAM and '
                   'NVDIMM through the stream to a blank NVDIMM file (%d ms, '
                   'downtime %s ms, %s passes, %d MiB, %d in-flight writes '
                   'acknowledged before it)'
                   % (self.action_ms, r.get('downtime', '?'),
                      ram.get('dirty-sync-count', '?'),
                      ram.get('transferred', 0) >> 20, self.acks_before))
        self.switch_to(src, dst, tag)

    def act_restore(self, tag):
        src = self.cur
        self.wait_acks(3)
        stream = os.path.join(self.wd, 'stream.bin')
        t0 = time.time()
        # Paused first, as "virsh save" does: the writers and their flushes
        # are caught mid-way, and no page can change while the stream is
        # written (QEMU 7.2 TCG loses guest writes made during a precopy
        # now and then, on stock too: that is the precopy phase's business)
        self.fast_migration(src)
        src.qmp.cmd('stop')
        tries = self.stop_with_flush_pending(src)
        try:
            self.migrate(src, 'exec:cat > %s' % stream)
        except PhaseError as e:
            self.check(False, 'host-restore', 'migrate to a file: %s' % e)
            raise
        t_saved = time.time()
        src.quit()
        # The new process gets a new, blank backing file: whatever the guest
        # finds on its NVDIMM came through the migration stream.
        self.nvdimm = os.path.join(self.wd, 'nvdimm-restored.img')
        with open(self.nvdimm, 'wb') as f:
            f.truncate(SIZE)
        self.files = [self.nvdimm]
        dst = self.start('B', self.nvdimm, incoming='exec:cat %s' % stream)
        try:
            self.wait_status(dst, ('paused',), 120)
        except PhaseError as e:
            self.check(False, 'host-restore', 'restore from the file: %s' % e)
            raise
        self.action_ms = int((time.time() - t0) * 1000)
        dst.qmp.cmd('cont')
        self.check(True, 'host-restore', 'paused%s, migrated to a file (%d '
                   'MiB) and restored in a new process with a blank NVDIMM '
                   'file (%d ms, of which saving %d ms; %d in-flight writes '
                   'acknowledged before it)'
                   % (tries, os.path.getsize(stream) >> 20, self.action_ms,
                      int((t_saved - t0) * 1000), self.acks_before))
        self.cur = dst
        os.unlink(stream)
        self.answer(tag, 'verify=' + self.spec(self.kept()))

    def act_save(self, tag):
        t0 = time.time()
        out = self.cur.qmp.hmp('savevm s1').strip()
        if out:
            self.check(False, 'host-savevm', 'savevm: %s' % out)
            raise PhaseError('savevm failed')
        self.action_ms = int((time.time() - t0) * 1000)
        self.check(True, 'host-savevm', 'savevm to the qcow2 drive (%d ms)'
                   % self.action_ms)
        self.save_tag = tag
        self.save_idx = len(self.lines)
        self.answer(tag, 'restored=0')

    def act_load(self, tag):
        t0 = time.time()
        out = self.cur.qmp.hmp('loadvm s1').strip()
        st = self.cur.qmp.cmd('query-status')['status']
        if out or st != 'running':
            self.check(False, 'host-loadvm', 'loadvm: %s (status %s)'
                       % (out or 'no message', st))
            raise PhaseError('loadvm failed')
        self.check(True, 'host-loadvm', 'loadvm in the same process (%d ms)'
                   % int((time.time() - t0) * 1000))
        # Patterns written after savevm are rolled back with the snapshot
        # (QEMU's snapshot holds the NVDIMM's memory backend)
        self.gone = {l for l, p in self.patterns.items()
                     if p[4] > self.save_idx}
        # The guest is back in its wait for the savevm answer
        self.answer(self.save_tag, 'restored=1 verify=%s gone=%s'
                    % (self.spec(self.kept()), self.spec(sorted(self.gone))))

    def act_hotplug(self, tag):
        self.hp_file = os.path.join(self.wd, 'nvdimm1.img')
        with open(self.hp_file, 'wb') as f:
            f.truncate(SIZE)
        self.files.append(self.hp_file)
        t0 = time.time()
        try:
            self.cur.qmp.cmd('object-add', {
                'qom-type': 'memory-backend-file', 'id': 'mem1',
                'mem-path': self.hp_file, 'size': SIZE, 'share': True})
            self.cur.qmp.cmd('device_add', {
                'driver': 'spapr-nvdimm', 'id': 'nv1', 'memdev': 'mem1',
                'label-size': LABEL, 'uuid': UUIDS[1]})
        except QmpError as e:
            self.check(False, 'host-hotplug', 'object-add/device_add: %s' % e)
            raise PhaseError('hot-plug refused')
        self.action_ms = int((time.time() - t0) * 1000)
        self.check(True, 'host-hotplug', 'object-add memory-backend-file + '
                   'device_add spapr-nvdimm while the guest runs')
        self.answer(tag, '')

    def act_unplug(self, tag):
        try:
            self.cur.qmp.cmd('device_del', {'id': 'nv1'})
            self.check(False, 'device-del-refused', 'device_del of the '
                       'NVDIMM was accepted')
        except QmpError as e:
            self.check(UNPLUG_REFUSED in str(e), 'device-del-refused',
                       'device_del refused: "%s"' % e)
        self.answer(tag, 'verify=' + self.spec(self.kept()))

    def qom_set(self, prop, value):
        self.cur.qmp.cmd('qom-set', {'path': '/machine/peripheral/nv0',
                                     'property': prop, 'value': value})

    def act_inject(self, tag):
        try:
            self.qom_set('health', 0x0400000000000000)     # bit 5, fatal
            self.qom_set('mem-life', 3)
            self.qom_set('inject-flush', 'H_HARDWARE:1')
        except QmpError as e:
            self.check(False, 'host-inject', 'qom-set: %s' % e)
            raise PhaseError('injection refused')
        self.check(True, 'host-inject', 'qom-set health=fatal, mem-life=3, '
                   'inject-flush=H_HARDWARE:1 while the guest runs')
        self.answer(tag, '')

    def act_busy(self, tag):
        try:
            self.qom_set('inject-flush', 'H_LONG_BUSY_ORDER_1_MSEC:20')
        except QmpError as e:
            self.check(False, 'host-busy', 'qom-set: %s' % e)
            raise PhaseError('injection refused')
        self.answer(tag, '')

    def act_boot(self, tag):
        self.boots += 1
        self.answer(tag, 'n=%d verify=%s' % (self.boots,
                                             self.spec(self.kept())))

    # ---- host-side check of the backing files -------------------------------
    def data_extents(self, fd, size):
        off = 0
        while off < size:
            try:
                start = os.lseek(fd, off, os.SEEK_DATA)
            except OSError:
                return
            end = os.lseek(fd, start, os.SEEK_HOLE)
            yield start, end
            off = end

    def locate(self, header):
        """(file, offset) of the unique header bytes in the backing files."""
        hits = []
        for path in self.files:
            size = os.path.getsize(path)
            fd = os.open(path, os.O_RDONLY)
            try:
                for start, end in self.data_extents(fd, size):
                    pos = start
                    while pos < end:
                        n = min(64 << 20, end - pos)
                        buf = os.pread(fd, n + len(header), pos)
                        i = buf.find(header)
                        while i >= 0:
                            hits.append((path, pos + i))
                            i = buf.find(header, i + 1)
                        pos += n
            finally:
                os.close(fd)
        return sorted(set(hits))

    def file_check(self):
        bad = []
        found = 0
        ns_start = {}
        for l in sorted(self.patterns):
            off, ln, sha, nonce, _ = self.patterns[l]
            hdr = ('SPAPRHDR %s %s\n' % (l, nonce)).encode()
            hits = self.locate(hdr)
            if l in self.gone:
                if hits:
                    bad.append('%s (rolled back by loadvm) is in %s'
                               % (l, os.path.basename(hits[0][0])))
                continue
            if len(hits) != 1:
                bad.append('%s: header found %d times' % (l, len(hits)))
                continue
            path, at = hits[0]
            with open(path, 'rb') as f:
                f.seek(at)
                got = hashlib.sha256(f.read(ln)).hexdigest()
            if got != sha:
                bad.append('%s at %s+%d differs' % (l, os.path.basename(path),
                                                    at))
                continue
            found += 1
            ns_start.setdefault(path, at - off)
        # In-flight blocks: on the namespace that holds pattern A
        nack = 0
        if self.acks and 'A' in self.patterns:
            a = self.patterns['A']
            hits = self.locate(('SPAPRHDR A %s\n' % a[3]).encode())
            if len(hits) == 1:
                path, at = hits[0]
                ns = at - a[0]
                with open(path, 'rb') as f:
                    for runid, w, seq, blk, _ in self.acks:
                        line = ('SPAPR-INFLIGHT %s w=%d seq=%d\n'
                                % (runid, w, seq)).encode()
                        want = line.ljust(INF_BS, b'\0')
                        f.seek(ns + blk * INF_BS)
                        if f.read(INF_BS) != want:
                            bad.append('in-flight w%d:%d' % (w, seq))
                        else:
                            nack += 1
            else:
                bad.append('no namespace for the in-flight blocks')
        where = ', '.join('%s: namespace at %d' % (os.path.basename(p), o)
                          for p, o in sorted(ns_start.items()))
        text = ('%d patterns (%s) and %d acknowledged in-flight blocks in the '
                'backing file%s (%s)'
                % (found, ','.join(self.kept()), nack,
                   's' if len(self.files) > 1 else '', where or 'none found'))
        if self.gone:
            text += '; rolled back by loadvm and absent: %s' % ','.join(
                sorted(self.gone))
        if bad:
            text += '; MISSING/WRONG: ' + '; '.join(bad[:8])
        self.check(not bad and found > 0, 'file-check', text)

    def where(self):
        """Where a stuck guest's vCPU is (HMP info registers), for the
        report: NIP/LR with kernel symbols, DECR."""
        p = self.cur
        if p is None or not p.alive():
            return ''
        try:
            regs = p.qmp.hmp('info registers', timeout=10)
        except (PhaseError, QmpError, OSError):
            return ''
        nip = re.search(r'NIP ([0-9a-f]+)\s+LR ([0-9a-f]+)', regs)
        dec = re.search(r'DECR (\d+)', regs)
        if not nip:
            return ''
        syms = []
        try:
            nm = subprocess.run(['nm', '-n', self.a.kernel], timeout=20,
                                capture_output=True, text=True).stdout
            table = [(int(f[0], 16), f[2]) for f in
                     (l.split() for l in nm.splitlines()) if len(f) == 3]
        except (OSError, ValueError, subprocess.SubprocessError):
            table = []
        for addr in (int(nip.group(1), 16), int(nip.group(2), 16)):
            best = None
            for a, name in table:
                if a > addr:
                    break
                best = (a, name)
            sym = ' (%s+0x%x)' % (best[1], addr - best[0]) if best else ''
            syms.append('%x%s' % (addr, sym))
        d = ''
        if dec:
            v = int(dec.group(1))
            d = ', DECR %d' % (v - (1 << 64) if v >= 1 << 63 else v)
        return ' [vCPU: NIP %s, LR %s%s]' % (syms[0], syms[1], d)

    def flush_carried(self):
        """On our build with SPAPR_HCALL_TRACE=spapr_hcall: the H_SCM_FLUSH
        tokens the source handed out and the guest had not collected when
        the source stopped, and what the destination answered for them."""
        def calls(name):
            return flush_calls(os.path.join(self.wd, name + '.err'))
        src, dst = calls('A'), calls('B')
        if not src:
            return None
        pending = pending_tokens(src)
        if not pending:
            self.info('flush-carried', 'no H_SCM_FLUSH was pending when the '
                      'source stopped (%d flushes on the source)' % len(src))
            return
        done = {tok: st for tok, st, rc, out in dst if tok != '0'}
        res = ['0x%s: %s' % (t, done.get(t, 'never collected'))
               for t in pending]
        ok = all(done.get(t) == 'H_SUCCESS' for t in pending)
        self.check(ok, 'flush-carried', '%d H_SCM_FLUSH pending on the '
                   'source at the switchover, collected on the destination '
                   '(%s)' % (len(pending), ', '.join(res)))

    def info(self, key, text):
        self.results.append(('INFO', key, text))

    # ---- the phase ----------------------------------------------------------
    def run(self):
        a = self.a
        t0 = time.time()
        deadline = t0 + a.timeout
        self.nvdimm = os.path.join(self.wd, 'nvdimm0.img')
        with open(self.nvdimm, 'wb') as f:
            f.truncate(SIZE)
        self.files = [self.nvdimm]
        shm = '/dev/shm' if os.path.isdir('/dev/shm') else self.wd
        self.ram_file = os.path.join(shm, 'spapr-guest-ram-%d' % os.getpid())
        if a.phase == 'snapshot':
            self.qcow2 = os.path.join(self.wd, 'snap.qcow2')
            subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2',
                            self.qcow2, '1G'], check=True, timeout=30)
        reboot = a.phase in ('reboot', 'hotplug')
        actions = {'boot': self.act_boot, 'migrate': self.act_migrate,
                   'restore': self.act_restore, 'save': self.act_save,
                   'precopy': self.act_precopy,
                   'load': self.act_load, 'hotplug': self.act_hotplug,
                   'unplug': self.act_unplug, 'inject': self.act_inject,
                   'busy': self.act_busy}
        done = False
        try:
            self.cur = self.start('A', self.nvdimm, reboot=reboot)
            self.cur.qmp.cmd('cont')
            pos = 0
            while True:
                left = min(deadline - time.time(), a.step_timeout)
                i = self.wait_line(
                    pos, lambda l: (l.startswith('SPAPR-WAIT ') or
                                    l.startswith('SCENARIO-DONE')),
                    max(left, 1), 'the guest (SPAPR-WAIT or SCENARIO-DONE)')
                pos = i + 1
                line = self.lines[i][1]
                if line.startswith('SCENARIO-DONE'):
                    done = True
                    break
                tag = line.split()[1]   # SPAPR-WAIT TAG [uptime U]
                kind = tag.split('.')[0]
                if kind not in actions:
                    raise PhaseError('unknown guest request %s' % tag)
                actions[kind](tag)
            if not self.cur.wait_exit(max(5, min(30, deadline - time.time()))):
                self.check(False, 'poweroff', 'QEMU did not exit after '
                           'SCENARIO-DONE')
        except PhaseError as e:
            self.check(False, 'host', str(e) + self.where())
        except QmpError as e:
            self.check(False, 'host', 'QMP error: %s' % e)
        finally:
            for p in self.procs:
                if p.alive():
                    p.quit()
                p.close()
            if os.path.exists(self.ram_file):
                os.unlink(self.ram_file)
        crashed = [l for _, l in self.lines if CRASH_RE.search(l)]
        self.check(not crashed, 'no-crash', 'no kernel oops/panic on the '
                   'console' if not crashed else
                   'guest crashed: ' + crashed[0][:120])
        if a.phase == 'reboot':
            self.check(self.boots == 3, 'boots', '%d boots in one QEMU '
                       'process (want 3)' % self.boots)
        if a.phase == 'hotplug':
            self.check(self.boots == 2, 'boots', '%d boots in one QEMU '
                       'process (want 2)' % self.boots)
        self.check(done, 'done', 'the guest reached SCENARIO-DONE'
                   if done else 'the guest did not reach SCENARIO-DONE')
        if self.patterns:
            self.file_check()
        if a.phase in ('migrate', 'restore', 'precopy') and \
                'SPAPR_HCALL_TRACE' in self.env and self.procs[1:]:
            self.flush_carried()
        secs = time.time() - t0
        for res, key, text in self.results:
            print('RESULT %s: [%s] %s' % (res, key, text))
        before = self.acks_before
        print('RESULT phase=%s seconds=%.1f action-ms=%s acks=%d+%d'
              % (a.phase, secs, self.action_ms, before,
                 len(self.acks) - before))
        ok = all(r[0] != 'FAIL' for r in self.results)
        print('RESULT status=%d' % (0 if ok else 1))
        for f in os.listdir(self.wd):
            if f.endswith(('.img', '.qcow2')):
                os.unlink(os.path.join(self.wd, f))
        return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--qemu', required=True)
    ap.add_argument('--phase', required=True, choices=PHASES)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--initrd', required=True)
    ap.add_argument('--timeout', type=int, default=240,
                    help='the whole phase, seconds')
    ap.add_argument('--step-timeout', type=int, default=90,
                    help='between two guest requests, seconds')
    ap.add_argument('--append', default='')
    ap.add_argument('--env', action='append', default=[])
    ap.add_argument('--qemu-arg', action='append', default=[],
                    help='extra QEMU argument (debugging), repeatable; '
                    '{name} = the process name (A, B)')
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    return Phase(a).run()


if __name__ == '__main__':
    sys.exit(main())
