#!/usr/bin/env python3
"""Check the library's ABI: exported symbols == public declarations.

The shared library exports exactly what include/spapr-hcall/ declares:
every non-inline function prototype and every extern object there, and
nothing else (internal functions end in '_' and stay local through
libspapr-hcall.lds).  The version script must list the same set, so
adding a public function is a deliberate, reviewed change in three
places: the header, the version script, and (by this test) nothing else.

Every other global symbol of the static library (what the tests and
the QEMU glue link) must end in '_', so an internal function is visibly
internal wherever it is called.

Usage: check-abi.py LIB.so LIB.a VERSION.lds HEADER...
"""
import re
import subprocess
import sys


def strip_c(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'//[^\n]*', ' ', text)
    # Drop preprocessor lines, with their continuations
    text = re.sub(r'^\s*#(?:[^\n]*\\\n)*[^\n]*', ' ', text, flags=re.M)
    return text


def declared(headers):
    names = set()
    for path in headers:
        text = strip_c(open(path, encoding='utf-8').read())
        # Remove bodies of inline functions, structs, enums, initialisers
        depth, flat = 0, []
        for ch in text:
            if ch == '{':
                depth += 1
                flat.append(' {BODY} ' if depth == 1 else '')
            elif ch == '}':
                depth -= 1
            elif depth == 0:
                flat.append(ch)
        for stmt in ''.join(flat).split(';'):
            stmt = ' '.join(stmt.split())
            if not stmt or stmt.startswith('typedef'):
                continue
            if 'inline' in stmt.split('{BODY}')[0].split():
                continue
            stmt = stmt.split('{BODY}')[-1].strip()
            fn = re.match(r'^[\w\s\*]*?\b([A-Za-z_]\w*)\s*\(', stmt)
            if fn and not re.search(r'\(\s*\*', stmt.split(fn.group(1))[0]):
                names.add(fn.group(1))
                continue
            obj = re.match(r'^extern\b[\w\s\*]*?\b([A-Za-z_]\w*)\s*(\[.*\])?$',
                           stmt)
            if obj:
                names.add(obj.group(1))
    return names


def exported(lib):
    out = subprocess.run(['nm', '-D', '--defined-only', lib], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 3 or fields[1] == 'A':   # 'A': the version node
            continue
        names.add(fields[2].split('@')[0])
    return names


def static_globals(lib):
    out = subprocess.run(['nm', '-g', '--defined-only', lib], check=True,
                         capture_output=True, text=True).stdout
    # Names starting with '__' are the compiler's (ASan's __odr_asan.*)
    return {f[2] for f in (line.split() for line in out.splitlines())
            if len(f) == 3 and f[1] in 'TDRBV' and not f[2].startswith('__')}


def version_script(path):
    text = strip_c(open(path, encoding='utf-8').read())
    body = re.search(r'global:(.*?)local:', text, flags=re.S).group(1)
    return {n.strip() for n in body.split(';') if n.strip()}


def main(argv):
    lib, static, lds, headers = argv[1], argv[2], argv[3], argv[4:]
    decl, exp, ver = declared(headers), exported(lib), version_script(lds)
    bad = 0
    for n in sorted(static_globals(static) - decl):
        if not n.endswith('_'):
            print(f'{n}: internal (not in include/) but its name does not '
                  f'end in _')
            bad += 1
    for what, names in (
            ('exported but not declared in include/', exp - decl),
            ('declared in include/ but not exported', decl - exp),
            ('in the version script but not declared', ver - decl),
            ('declared but missing from the version script', decl - ver)):
        for n in sorted(names):
            print(f'{n}: {what}')
            bad += 1
    print(f'{len(exp)} exported, {len(decl)} declared, {len(ver)} listed')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
