#!/usr/bin/env python3
# spapr-hcall: replay a committed recording of a real guest (make check)
#
# Copyright (c) 2026 spapr-hcall developers
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: replay-fixture.py SPAPR_HV FIXTURE.rec.gz
# The fixture was recorded by our QEMU host (SPAPR_HCALL_RECORD) running
# tests/guest/run-guest.sh; its first line after the magic names the
# spapr-hv arguments of the recorded machine ("# machine: ...", with
# IMG for a blank NVDIMM image of the recorded size).  Exit status: that
# of spapr-hv --replay (0 identical, 1 divergence).
import gzip
import os
import subprocess
import sys
import tempfile


def main():
    hv, fixture = sys.argv[1], sys.argv[2]
    with gzip.open(fixture, 'rt') as f:
        text = f.read()
    machine = None
    for line in text.splitlines()[:5]:
        if line.startswith('# machine: '):
            machine = line[len('# machine: '):]
    if machine is None:
        print('replay-fixture: no "# machine:" line in', fixture)
        return 2
    with tempfile.TemporaryDirectory(prefix='spapr-replay-') as d:
        rec = os.path.join(d, 'rec.txt')
        img = os.path.join(d, 'nv.img')
        with open(rec, 'w') as f:
            f.write(text)
        args = machine.replace('IMG', img).split()
        r = subprocess.run([hv] + args + ['--replay', rec],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        sys.stdout.write(r.stdout)
        return r.returncode


if __name__ == '__main__':
    sys.exit(main())
