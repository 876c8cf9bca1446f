/*
 * spapr-hcall: names of hcall opcodes and return codes
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The tables are generated (scripts/hcall-names.py) from hcall-defs.h;
 * tests/unit/test-hcall-names.c checks their order and round trip.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "spapr-hcall/hcall-defs.h"
#include "internal.h"

/* status_names[] and opcode_names[], sorted: built from hcall-defs.h */
#include "hcall-name-tables.h"

static int cmp_value(const void *key, const void *elem)
{
    int64_t k = *(const int64_t *)key;
    const SpaprNamedValue *nv = elem;

    return k < nv->value ? -1 : k > nv->value;
}

static const char *find_name(const SpaprNamedValue *tab, size_t n, int64_t v)
{
    const SpaprNamedValue *nv = bsearch(&v, tab, n, sizeof(*tab), cmp_value);

    return nv ? nv->name : NULL;
}

static bool find_value(const SpaprNamedValue *tab, size_t n, const char *name,
                       int64_t *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!strcmp(tab[i].name, name)) {
            *out = tab[i].value;
            return true;
        }
    }
    return false;
}

const char *spapr_hcall_status_name(int64_t status)
{
    return find_name(status_names, G_N_ELEMENTS(status_names), status);
}

const char *spapr_hcall_opcode_name(uint64_t opcode)
{
    if (opcode > INT64_MAX) {
        return NULL;
    }
    return find_name(opcode_names, G_N_ELEMENTS(opcode_names),
                     (int64_t)opcode);
}

bool spapr_hcall_status_from_name(const char *name, int64_t *out)
{
    return find_value(status_names, G_N_ELEMENTS(status_names), name, out);
}

bool spapr_hcall_opcode_from_name(const char *name, uint64_t *out)
{
    int64_t v;

    if (!find_value(opcode_names, G_N_ELEMENTS(opcode_names), name, &v)) {
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

const SpaprNamedValue *spapr_hcall_name_table_(bool opcodes, size_t *n)
{
    *n = opcodes ? G_N_ELEMENTS(opcode_names) : G_N_ELEMENTS(status_names);
    return opcodes ? opcode_names : status_names;
}

unsigned int spapr_hcall_long_busy_msecs(int64_t status)
{
    static const unsigned int ms[] = { 1, 10, 100, 1000, 10000, 100000 };

    if (!PAPR_H_IS_LONG_BUSY(status)) {
        return 1;
    }
    return ms[status - PAPR_H_LONG_BUSY_START_RANGE];
}
