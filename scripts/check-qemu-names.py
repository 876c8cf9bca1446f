#!/usr/bin/env python3
"""Check that the library's public names do not collide with QEMU's.

The QEMU glue includes QEMU's headers and the library's public headers in
one translation unit and links the library into the QEMU binary, so a
macro, type, enum constant or function declared in include/spapr-hcall/
must not also be declared by QEMU's headers (a same-valued macro would
not even warn).  Prints every collision; exit status 1 if any.

Usage: check-qemu-names.py QEMU_SOURCE_TREE HEADER...
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
abi = __import__('check-abi')


def ours(headers):
    names = set(abi.declared(headers))
    for path in headers:
        raw = open(path, encoding='utf-8').read()
        raw = re.sub(r'/\*.*?\*/', ' ', raw, flags=re.S)
        names |= set(re.findall(r'^\s*#\s*define\s+(\w+)', raw, flags=re.M))
        text = abi.strip_c(raw)
        names |= set(re.findall(r'\b(?:struct|union|enum)\s+(\w+)\s*\{',
                                text))
        names |= set(re.findall(r'\}\s*(\w+)\s*;', text))
        names |= set(re.findall(r'typedef[^;{}]*?\b(\w+)\s*;', text))
        names |= set(re.findall(r'typedef[^;{}]*\(\s*\*\s*(\w+)\s*\)', text))
        for body in re.findall(r'\benum\b[^{;]*\{([^}]*)\}', text):
            names |= set(re.findall(r'(?:^|,)\s*(\w+)', body))
    # Include guards are ours by construction
    return {n for n in names if not re.match(r'^SPAPR_HCALL_\w+_H$', n)}


def theirs(tree):
    names = set()
    for sub in ('include', 'hw/ppc', 'target/ppc'):
        for root, _, files in os.walk(os.path.join(tree, sub)):
            for f in files:
                if f.endswith('.h'):
                    text = open(os.path.join(root, f), encoding='utf-8',
                                errors='replace').read()
                    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
                    names |= set(re.findall(r'\b[A-Za-z_]\w*\b', text))
    return names


def main(argv):
    tree, headers = argv[1], argv[2:]
    clash = sorted(ours(headers) & theirs(tree))
    for n in clash:
        print(f'{n}: declared by include/spapr-hcall/ and used in QEMU\'s '
              f'headers ({tree})')
    return 1 if clash else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
