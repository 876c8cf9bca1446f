/*
 * spapr-hv: print a flattened device tree as DTS, or save it
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The value guess follows dtc's decompiler: printable NUL-separated
 * strings print as strings, multiples of 4 bytes as cells, anything else
 * as bytes.
 */
#include <string.h>
#include <libfdt.h>
#include "dts.h"
#include "spapr-hcall/types.h"

static bool is_string_list(const char *p, int len)
{
    int i, start = 0;

    if (len <= 0 || p[len - 1] != '\0') {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (p[i] == '\0') {
            if (i == start) {
                return false;           /* empty string */
            }
            start = i + 1;
        } else if (!g_ascii_isprint(p[i])) {
            return false;
        }
    }
    return true;
}

static void print_value(FILE *out, const char *p, int len)
{
    int i;

    if (len == 0) {
        return;
    }
    fprintf(out, " = ");
    if (is_string_list(p, len)) {
        for (i = 0; i < len; i += strlen(p + i) + 1) {
            fprintf(out, "%s\"%s\"", i ? ", " : "", p + i);
        }
    } else if (len % 4 == 0) {
        fprintf(out, "<");
        for (i = 0; i < len; i += 4) {
            uint32_t v;

            memcpy(&v, p + i, 4);
            fprintf(out, "%s0x%x", i ? " " : "", fdt32_to_cpu(v));
        }
        fprintf(out, ">");
    } else {
        fprintf(out, "[");
        for (i = 0; i < len; i++) {
            fprintf(out, "%s%02x", i ? " " : "", (uint8_t)p[i]);
        }
        fprintf(out, "]");
    }
}

bool hv_dts_print(FILE *out, const void *fdt, GError **errp)
{
    int node = 0, depth = 0, prev_depth = -1, i, prop;

    if (fdt_check_header(fdt)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "invalid device tree blob");
        return false;
    }
    fprintf(out, "/dts-v1/;\n\n");
    for (node = 0; node >= 0; node = fdt_next_node(fdt, node, &depth)) {
        const char *name = fdt_get_name(fdt, node, NULL);

        for (; prev_depth >= depth; prev_depth--) {
            fprintf(out, "%*s};\n", 4 * prev_depth, "");
        }
        fprintf(out, "%s%*s%s {\n", node && depth == 1 &&
                prev_depth == 0 ? "" : "", 4 * depth, "",
                depth == 0 ? "/" : name);
        fdt_for_each_property_offset(prop, fdt, node) {
            const char *pname;
            int len;
            const char *val = fdt_getprop_by_offset(fdt, prop, &pname, &len);

            fprintf(out, "%*s%s", 4 * (depth + 1), "", pname);
            print_value(out, val, len);
            fprintf(out, ";\n");
        }
        prev_depth = depth;
    }
    for (i = prev_depth; i >= 0; i--) {
        fprintf(out, "%*s};\n", 4 * i, "");
    }
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
