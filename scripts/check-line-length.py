#!/usr/bin/env python3
"""List C source lines over 79 columns (QEMU's style: lines under 80).

Usage: check-line-length.py FILE...   Exit status 1 if any line is longer.
"""
import sys


def main(paths):
    bad = 0
    for path in paths:
        with open(path, encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                width = len(line.rstrip('\n').expandtabs(8))
                if width > 79:
                    print(f'{path}:{n}: {width} columns')
                    bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
