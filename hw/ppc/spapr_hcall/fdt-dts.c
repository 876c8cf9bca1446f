/*
 * spapr-hcall: DTS text of a flattened device tree
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A value is printed as a string list when it is one or more non-empty
 * runs of printable ASCII each ended by a NUL; else as a mix of cells and
 * strings when it splits into those alone (the PAPR "count, then strings"
 * arrays and ibm,drc-info read much better so); else as cells when its
 * length is a multiple of 4; else as bytes.  dtc concatenates the pieces
 * of a value without padding, so every form compiles back to the same
 * bytes and "dtc -I dts -O dtb" round-trips.
 */
#include <string.h>
#include "fdt-internal.h"

static bool is_string_list(const char *p, int len)
{
    int i, run = 0;

    if (len == 0 || p[len - 1] != '\0') {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (p[i] == '\0') {
            if (run == 0) {
                return false;
            }
            run = 0;
        } else if (p[i] < 0x20 || p[i] > 0x7e) {
            return false;
        } else {
            run++;
        }
    }
    return true;
}

static void put_strings(GString *s, const char *p, int len)
{
    const char *end = p + len;
    bool first = true;

    while (p < end) {
        g_string_append(s, first ? "\"" : ", \"");
        for (; *p; p++) {
            if (*p == '"' || *p == '\\') {
                g_string_append_c(s, '\\');
            }
            g_string_append_c(s, *p);
        }
        g_string_append_c(s, '"');
        p++;
        first = false;
    }
}

/* Length of a printable run ended by NUL at @p (with the NUL), or 0. */
static int string_at(const uint8_t *p, int left)
{
    int i;

    for (i = 0; i < left && p[i] >= 0x20 && p[i] <= 0x7e; i++) {
        /* scan */
    }
    return i > 0 && i < left && p[i] == '\0' ? i + 1 : 0;
}

/*
 * Cells and strings only, at least one of each: render and return true.
 * A position starting a printable, NUL-ended run is a string, else the
 * next 4 bytes are a cell.
 */
static bool put_mixed(GString *s, const uint8_t *p, int len)
{
    GString *out = g_string_new(NULL);
    bool in_cells = false, strings = false, cells = false;
    int pos = 0, n;

    while (pos < len) {
        n = string_at(p + pos, len - pos);
        if (n) {
            g_string_append(out, in_cells ? ">, " : pos ? ", " : "");
            put_strings(out, (const char *)p + pos, n);
            in_cells = false;
            strings = true;
            pos += n;
        } else if (len - pos >= 4) {
            g_string_append(out, in_cells ? " " : pos ? ", <" : "<");
            g_string_append_printf(out, "0x%x",
                                   fdt32_ld((const fdt32_t *)(p + pos)));
            in_cells = true;
            cells = true;
            pos += 4;
        } else {
            g_string_free(out, TRUE);
            return false;
        }
    }
    if (in_cells) {
        g_string_append_c(out, '>');
    }
    if (!strings || !cells) {
        g_string_free(out, TRUE);
        return false;
    }
    g_string_append_len(s, out->str, out->len);
    g_string_free(out, TRUE);
    return true;
}

static void put_value(GString *s, const uint8_t *p, int len)
{
    int i;

    if (len == 0) {
        return;
    }
    g_string_append(s, " = ");
    if (is_string_list((const char *)p, len)) {
        put_strings(s, (const char *)p, len);
    } else if (put_mixed(s, p, len)) {
        return;
    } else if (len % 4 == 0) {
        g_string_append_c(s, '<');
        for (i = 0; i < len; i += 4) {
            g_string_append_printf(s, "%s0x%x", i ? " " : "",
                                   fdt32_ld((const fdt32_t *)(p + i)));
        }
        g_string_append_c(s, '>');
    } else {
        g_string_append_c(s, '[');
        for (i = 0; i < len; i++) {
            g_string_append_printf(s, "%s%02x", i ? " " : "", p[i]);
        }
        g_string_append_c(s, ']');
    }
}

static void indent(GString *s, int depth)
{
    int i;

    for (i = 0; i < depth; i++) {
        g_string_append_c(s, '\t');
    }
}

static int put_node(GString *s, const void *fdt, int off, int depth)
{
    const char *name = fdt_get_name(fdt, off, NULL);
    int poff, child, ret;

    indent(s, depth);
    g_string_append_printf(s, "%s {\n", depth ? name : "/");
    fdt_for_each_property_offset(poff, fdt, off) {
        const char *pname;
        int len;
        const void *val = fdt_getprop_by_offset(fdt, poff, &pname, &len);

        if (!val) {
            return len;
        }
        indent(s, depth + 1);
        g_string_append(s, pname);
        put_value(s, val, len);
        g_string_append(s, ";\n");
    }
    if (poff != -FDT_ERR_NOTFOUND) {
        return poff;
    }
    fdt_for_each_subnode(child, fdt, off) {
        g_string_append_c(s, '\n');
        ret = put_node(s, fdt, child, depth + 1);
        if (ret) {
            return ret;
        }
    }
    if (child != -FDT_ERR_NOTFOUND) {
        return child;
    }
    indent(s, depth);
    g_string_append(s, "};\n");
    return 0;
}

char *spapr_fdt_to_dts(const void *fdt, GError **errp)
{
    GString *s;
    int ret, i, n;

    /* the header first: fdt_totalsize() reads it */
    ret = fdt_check_header(fdt) ?: fdt_check_full(fdt, fdt_totalsize(fdt));
    if (ret) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "not a valid device tree: %s", fdt_strerror(ret));
        return NULL;
    }
    s = g_string_new("/dts-v1/;\n\n");
    n = fdt_num_mem_rsv(fdt);
    for (i = 0; i < n; i++) {
        uint64_t addr, size;

        if (fdt_get_mem_rsv(fdt, i, &addr, &size) == 0) {
            g_string_append_printf(s, "/memreserve/ 0x%" PRIx64 " 0x%"
                                   PRIx64 ";\n", addr, size);
        }
    }
    if (n > 0) {
        g_string_append_c(s, '\n');
    }
    ret = put_node(s, fdt, 0, 0);
    if (ret) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "cannot walk the device tree: %s", fdt_strerror(ret));
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}
