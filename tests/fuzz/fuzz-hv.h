/*
 * Fuzz targets: the spapr-hv machine they drive
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FUZZ_HV_H
#define FUZZ_HV_H

#include <stdio.h>
#include <stdlib.h>
#include "hv-machine.h"
#include "options.h"

/*
 * RAM and one RAM-backed spapr-nvdimm.  With @opts, the options stay
 * alive (the QMP server keeps them) and are returned there.
 */
static inline HvMachine *fuzz_hv_machine(HvOptions **opts)
{
    static char *argv[] = {
        "spapr-hv", "-M", "pseries", "-m", "256M",
        "-object", "memory-backend-ram,id=m0,size=268566528",
        "-device", "spapr-nvdimm,id=nv0,memdev=m0,label-size=128K,"
                   "uuid=11111111-2222-4333-8444-555555555555",
        NULL,
    };
    HvOptions *o = hv_options_new();
    GError *err = NULL;
    HvMachine *hv;

    if (!hv_options_parse(o, G_N_ELEMENTS(argv) - 1, argv, &err) ||
        !(hv = hv_machine_new(o, &err))) {
        fprintf(stderr, "fuzz setup: %s\n", err->message);
        abort();
    }
    if (opts) {
        *opts = o;
    } else {
        hv_options_free(o);
    }
    return hv;
}

#endif
