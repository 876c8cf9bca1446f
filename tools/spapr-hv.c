/*
 * spapr-hv: the standalone pSeries hypercall machine
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * For now: build the default machine and print its registered hcall table.
 */
#include <stdio.h>
#include <stdlib.h>
#include "spapr-hcall/spapr-hcall.h"

static void print_row(const SpaprHcallInfo *info, void *opaque)
{
    printf("0x%04" PRIx64 "  %-34s %-14s %u  %u\n", info->opcode, info->name,
           info->hcall_set, info->nargs, info->nrets);
}

int main(int argc, char **argv)
{
    SpaprMachineConfig cfg = { .ram_size = 1ULL << 30, .nr_cpus = 1 };
    g_autoptr(GError) err = NULL;
    SpaprMachine *m;

    m = spapr_machine_new(&cfg, &err);
    if (!m || !spapr_hcall_register_debug(m, &err)) {
        fprintf(stderr, "spapr-hv: %s\n", err->message);
        spapr_machine_free(m);
        return EXIT_FAILURE;
    }
    printf("opcode  %-34s %-14s in out\n", "name", "hcall-set");
    spapr_hcall_foreach(m, print_row, NULL);
    spapr_machine_free(m);
    return EXIT_SUCCESS;
}
