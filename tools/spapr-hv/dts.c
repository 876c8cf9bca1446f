/*
 * spapr-hv: print a flattened device tree as DTS, or save it
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The DTS text comes from the library's renderer (spapr_fdt_to_dts).
 */
#include <string.h>
#include <libfdt.h>
#include "dts.h"
#include "spapr-hcall/types.h"
#include "spapr-hcall/fdt.h"

bool hv_dts_print(FILE *out, const void *fdt, GError **errp)
{
    g_autofree char *dts = spapr_fdt_to_dts(fdt, errp);

    if (!dts) {
        return false;
    }
    fputs(dts, out);
    return true;
}

bool hv_dtb_write(const void *fdt, const char *path, GError **errp)
{
    GError *err = NULL;

    if (!g_file_set_contents(path, fdt, fdt_totalsize(fdt), &err)) {
        g_propagate_prefixed_error(errp, err, "--dump-dtb: ");
        return false;
    }
    return true;
}
