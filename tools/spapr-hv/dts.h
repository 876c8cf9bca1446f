/*
 * spapr-hv: print a flattened device tree as DTS, or save it
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HV_DTS_H
#define SPAPR_HV_DTS_H

#include <stdio.h>
#include <glib.h>
#include <stdbool.h>

/* dtc-like source: strings, <cells> or [bytes] by content. */
bool hv_dts_print(FILE *out, const void *fdt, GError **errp);
bool hv_dtb_write(const void *fdt, const char *path, GError **errp);

#endif
