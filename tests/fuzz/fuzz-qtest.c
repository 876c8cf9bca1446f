/*
 * Fuzz target: arbitrary bytes fed to the qtest protocol server of
 * spapr-hv (a machine with RAM and one RAM-backed spapr-nvdimm).
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Invariants: the server never crashes (ASan/UBSan watch it), and every
 * complete input line gets exactly one reply line that starts with OK,
 * FAIL or ERR.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz-hv.h"
#include "hv-machine.h"
#include "options.h"
#include "qtest-server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    HvMachine *hv = fuzz_hv_machine(NULL);
    QtestServer *s = qtest_server_new(hv);
    GString *out = g_string_new(NULL);
    size_t lines_in = 0, lines_out = 0, i;
    const char *p;

    /* Bytes after the last newline stay pending: not counted */
    for (i = 0; i < size; i++) {
        lines_in += data[i] == '\n';
    }
    qtest_server_feed(s, (const char *)data, size, out);
    for (p = out->str; *p; p = strchr(p, '\n') + 1) {
        if (strncmp(p, "OK", 2) && strncmp(p, "FAIL", 4) &&
            strncmp(p, "ERR", 3) && strncmp(p, "IRQ", 3)) {
            fprintf(stderr, "bad reply line: %.60s\n", p);
            abort();
        }
        lines_out++;
        if (!strchr(p, '\n')) {
            fprintf(stderr, "reply without newline\n");
            abort();
        }
    }
    if (lines_out != lines_in) {
        fprintf(stderr, "%zu lines in, %zu replies\n", lines_in, lines_out);
        abort();
    }
    g_string_free(out, TRUE);
    qtest_server_free(s);
    hv_machine_free(hv);
    return 0;
}
