#!/usr/bin/env python3
"""List library functions longer than a limit (default 60 lines).

A function is a '{' in column 0 up to the next '}' in column 0 (the
project's style puts both on their own lines); its length counts the lines
between them, i.e. the body.  Exit status 1 if any function is too long.

Usage: check-func-length.py [--max N] FILE...
"""
import re
import sys


def functions(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    start = None
    for i, line in enumerate(lines):
        if line.startswith('{'):
            start = i
        elif line.startswith('}') and start is not None:
            head = start - 1
            while head > 0 and '(' not in lines[head]:
                head -= 1
            m = re.search(r'([A-Za-z_][A-Za-z0-9_]*)\s*\(', lines[head])
            name = m.group(1) if m else '?'
            if not lines[head].startswith(('struct', 'typedef', 'static const',
                                           'const')) or m:
                yield name, head + 1, i - start - 1
            start = None


def main(argv):
    limit = 60
    if len(argv) > 2 and argv[1] == '--max':
        limit = int(argv[2])
        argv = argv[2:]
    bad = 0
    for path in argv[1:]:
        for name, line, length in functions(path):
            if length > limit:
                print(f'{path}:{line}: {name}() is {length} lines '
                      f'(limit {limit})')
                bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
