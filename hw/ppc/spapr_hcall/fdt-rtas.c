/*
 * spapr-hcall: /rtas ibm,hypertas-functions and qemu,hypertas-functions
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Both are string lists derived from the registered hcalls, so a set
 * appears exactly when its hcalls are dispatchable.  A set with at least
 * one opcode below the platform range (0xF000) is a PAPR function set and
 * goes into ibm,hypertas-functions; a set made only of platform-range
 * opcodes is private to this hypervisor (like QEMU's "hcall-memop1" for
 * 0xF001) and goes into qemu,hypertas-functions.  Sets the caller's tree
 * already lists stay (the caller registers those hcalls itself).
 */
#include <string.h>
#include "fdt-internal.h"

bool spapr_fdt_rtas_prop_owned_(const char *name)
{
    return !strcmp(name, "ibm,hypertas-functions") ||
           !strcmp(name, "qemu,hypertas-functions");
}

static void note_papr_set(const SpaprHcallInfo *info, void *opaque)
{
    GHashTable *papr = opaque;

    if (info->opcode < SPAPR_HCALL_PLATFORM_BASE) {
        g_hash_table_add(papr, (gpointer)info->hcall_set);
    }
}

/* @list: GPtrArray of owned strings; add @s unless already there. */
static void add_unique(GPtrArray *list, const char *s)
{
    guint i;

    if (!*s) {
        return;
    }
    for (i = 0; i < list->len; i++) {
        if (!strcmp(g_ptr_array_index(list, i), s)) {
            return;
        }
    }
    g_ptr_array_add(list, g_strdup(s));
}

static GPtrArray *start_list(const void *src, int srcoff, const char *name)
{
    GPtrArray *list = g_ptr_array_new();
    g_auto(GStrv) old = NULL;
    char **s;

    if (src && srcoff >= 0) {
        old = spapr_fdt_strv_from_prop_(src, srcoff, name);
    }
    for (s = old; s && *s; s++) {
        add_unique(list, *s);
    }
    return list;
}

static char **finish_list(GPtrArray *list)
{
    g_ptr_array_add(list, NULL);
    return (char **)g_ptr_array_free(list, FALSE);
}

void spapr_fdt_rtas_sets_(SpaprMachine *m, const void *src, int srcoff,
                         char ***ibm, char ***priv)
{
    g_autoptr(GHashTable) papr = g_hash_table_new(g_str_hash, g_str_equal);
    g_auto(GStrv) sets = spapr_hcall_sets(m);
    GPtrArray *a = start_list(src, srcoff, "ibm,hypertas-functions");
    GPtrArray *b = start_list(src, srcoff, "qemu,hypertas-functions");
    char **s;

    /* hcall_set strings are static data of the registered tables */
    spapr_hcall_foreach(m, note_papr_set, papr);
    for (s = sets; *s; s++) {
        add_unique(g_hash_table_contains(papr, *s) ? a : b, *s);
    }
    *ibm = finish_list(a);
    *priv = finish_list(b);
}

int spapr_fdt_rtas_props_(void *sw, char **ibm, char **priv)
{
    /* Always present: its mere presence tells Linux it is an LPAR */
    FDT_TRY(spapr_fdt_prop_strv_(sw, "ibm,hypertas-functions", ibm));
    if (priv[0]) {
        FDT_TRY(spapr_fdt_prop_strv_(sw, "qemu,hypertas-functions", priv));
    }
    return 0;
}
