/*
 * spapr-hcall: the DRC properties (ibm,drc-* and ibm,drc-info)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The four classic properties are parallel arrays, each starting with a
 * be32 count: indexes and power domains as cells, names and types as
 * NUL-terminated strings.  ibm,drc-info compresses the same list into
 * runs: a be32 count, then per run the type and name-prefix strings and
 * five cells (first index, first name suffix, number of elements,
 * increment, power domain).  We make a run of connectors with the same
 * type, prefix and power domain whose index and name suffix both grow by
 * one, so every reading of the increment (index step or element step)
 * gives the same names.
 */
#include <stdlib.h>
#include <string.h>
#include "fdt-internal.h"

static const char *const drc_props[] = {
    "ibm,drc-indexes", "ibm,drc-names", "ibm,drc-types",
    "ibm,drc-power-domains", "ibm,drc-info",
};

bool spapr_fdt_drc_prop_owned_(const char *name)
{
    unsigned int i;

    for (i = 0; i < G_N_ELEMENTS(drc_props); i++) {
        if (!strcmp(name, drc_props[i])) {
            return true;
        }
    }
    return false;
}

static void drc_clear(void *p)
{
    SpaprFdtDrc *d = p;

    g_free(d->name);
    g_free(d->type);
}

typedef struct CollectCtx {
    GArray *out;
    GHashTable *seen;
} CollectCtx;

static void collect_one(PaprDrc *drc, void *opaque)
{
    CollectCtx *c = opaque;
    SpaprFdtDrc d = {
        .index = drc->index,
        .power_domain = SPAPR_FDT_DRC_POWER_DOMAIN_NONE,
        .name = g_strdup(drc->name),
        .type = g_strdup(papr_drc_type_name(drc->type)),
    };

    g_array_append_val(c->out, d);
    g_hash_table_add(c->seen, GUINT_TO_POINTER(drc->index));
}

/* Cells of a "count, then count cells" property; NULL if malformed. */
static const fdt32_t *cell_array(const void *fdt, int off, const char *name,
                                 uint32_t *count)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, off, name, &len);

    if (!p || len < 4) {
        return NULL;
    }
    *count = fdt32_to_cpu(p[0]);
    if ((uint64_t)*count * 4 != (uint64_t)len - 4) {
        return NULL;
    }
    return p + 1;
}

/* The strings of a "count, then count strings" property. */
static char **string_array(const void *fdt, int off, const char *name,
                           uint32_t count)
{
    int len;
    const char *p = fdt_getprop(fdt, off, name, &len);
    const char *end;
    char **v;
    uint32_t i;

    if (!p || len < 4 || fdt32_ld((const fdt32_t *)p) != count) {
        return NULL;
    }
    end = p + len;
    p += 4;
    v = g_new0(char *, count + 1);
    for (i = 0; i < count; i++) {
        const char *nul = memchr(p, 0, end - p);

        if (!nul) {
            g_strfreev(v);
            return NULL;
        }
        v[i] = g_strdup(p);
        p = nul + 1;
    }
    if (p != end) {
        g_strfreev(v);
        return NULL;
    }
    return v;
}

static bool merge_src(CollectCtx *c, const void *src, int off,
                      GError **errp)
{
    g_auto(GStrv) names = NULL, types = NULL;
    const fdt32_t *idx, *pd;
    uint32_t n = 0, npd = 0, i;

    if (!fdt_getprop(src, off, "ibm,drc-indexes", NULL)) {
        return true;
    }
    idx = cell_array(src, off, "ibm,drc-indexes", &n);
    pd = cell_array(src, off, "ibm,drc-power-domains", &npd);
    names = idx ? string_array(src, off, "ibm,drc-names", n) : NULL;
    types = idx ? string_array(src, off, "ibm,drc-types", n) : NULL;
    if (!idx || !pd || npd != n || !names || !types) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "the caller's tree has malformed or inconsistent "
                    "ibm,drc-* arrays on node %s",
                    fdt_get_name(src, off, NULL));
        return false;
    }
    for (i = 0; i < n; i++) {
        uint32_t index = fdt32_ld(&idx[i]);
        SpaprFdtDrc d;

        if (g_hash_table_contains(c->seen, GUINT_TO_POINTER(index))) {
            continue;
        }
        d.index = index;
        d.power_domain = fdt32_ld(&pd[i]);
        d.name = g_strdup(names[i]);
        d.type = g_strdup(types[i]);
        g_array_append_val(c->out, d);
        g_hash_table_add(c->seen, GUINT_TO_POINTER(index));
    }
    return true;
}

static int cmp_drc(gconstpointer a, gconstpointer b)
{
    const SpaprFdtDrc *x = a, *y = b;

    return x->index < y->index ? -1 : x->index > y->index;
}

GArray *spapr_fdt_drc_collect_(SpaprMachine *m, uint32_t mask,
                              const void *src, int srcoff, GError **errp)
{
    CollectCtx c;

    c.out = g_array_new(FALSE, FALSE, sizeof(SpaprFdtDrc));
    g_array_set_clear_func(c.out, drc_clear);
    c.seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    papr_drc_foreach(spapr_machine_drcs(m), mask, collect_one, &c);
    if (src && srcoff >= 0 && !merge_src(&c, src, srcoff, errp)) {
        g_hash_table_destroy(c.seen);
        g_array_unref(c.out);
        return NULL;
    }
    g_hash_table_destroy(c.seen);
    g_array_sort(c.out, cmp_drc);
    return c.out;
}

/* ---- Writing ---- */

static int prop_cells(void *sw, const char *name, GArray *drcs,
                      bool power_domain)
{
    fdt32_t *p;
    guint i;
    int ret;

    ret = fdt_property_placeholder(sw, name, 4 * (drcs->len + 1),
                                   (void **)&p);
    if (ret < 0) {
        return ret;
    }
    fdt32_st(&p[0], drcs->len);
    for (i = 0; i < drcs->len; i++) {
        const SpaprFdtDrc *d = &g_array_index(drcs, SpaprFdtDrc, i);

        fdt32_st(&p[i + 1], power_domain ? d->power_domain : d->index);
    }
    return 0;
}

static int prop_strings(void *sw, const char *name, GArray *drcs,
                        bool types)
{
    size_t len = 4;
    char *p;
    guint i;
    int ret;

    for (i = 0; i < drcs->len; i++) {
        const SpaprFdtDrc *d = &g_array_index(drcs, SpaprFdtDrc, i);

        len += strlen(types ? d->type : d->name) + 1;
    }
    ret = fdt_property_placeholder(sw, name, len, (void **)&p);
    if (ret < 0) {
        return ret;
    }
    fdt32_st((fdt32_t *)p, drcs->len);
    p += 4;
    for (i = 0; i < drcs->len; i++) {
        const SpaprFdtDrc *d = &g_array_index(drcs, SpaprFdtDrc, i);
        const char *s = types ? d->type : d->name;
        size_t n = strlen(s) + 1;

        memcpy(p, s, n);
        p += n;
    }
    return 0;
}

/* Split "PMEM 12" into "PMEM " and 12; false if there is no number. */
static bool split_name(const char *name, size_t *prefix_len,
                       uint32_t *suffix)
{
    size_t n = strlen(name), i = n;
    uint64_t v;

    while (i > 0 && g_ascii_isdigit(name[i - 1])) {
        i--;
    }
    /* No digits, too many digits, or a leading zero: not a number */
    if (i == n || n - i > 9 || (name[i] == '0' && n - i > 1)) {
        *prefix_len = n;
        *suffix = 0;
        return false;
    }
    v = g_ascii_strtoull(name + i, NULL, 10);
    *prefix_len = i;
    *suffix = v;
    return true;
}

typedef struct DrcRun {
    guint first;
    uint32_t count;
    size_t prefix_len;
    uint32_t suffix;
} DrcRun;

static GArray *make_runs(GArray *drcs)
{
    GArray *runs = g_array_new(FALSE, FALSE, sizeof(DrcRun));
    DrcRun *cur = NULL;
    bool cur_numbered = false;
    guint i;

    for (i = 0; i < drcs->len; i++) {
        const SpaprFdtDrc *d = &g_array_index(drcs, SpaprFdtDrc, i);
        size_t plen;
        uint32_t suffix;
        bool numbered = split_name(d->name, &plen, &suffix);

        if (cur && cur_numbered && numbered) {
            const SpaprFdtDrc *f = &g_array_index(drcs, SpaprFdtDrc,
                                                  cur->first);

            if (!strcmp(f->type, d->type) && plen == cur->prefix_len &&
                !strncmp(f->name, d->name, plen) &&
                f->power_domain == d->power_domain &&
                d->index - f->index == cur->count &&
                suffix - cur->suffix == cur->count) {
                cur->count++;
                continue;
            }
        }
        g_array_set_size(runs, runs->len + 1);
        cur = &g_array_index(runs, DrcRun, runs->len - 1);
        cur->first = i;
        cur->count = 1;
        cur->prefix_len = plen;
        cur->suffix = suffix;
        cur_numbered = numbered;
    }
    return runs;
}

static int prop_drc_info(void *sw, GArray *drcs)
{
    g_autoptr(GArray) runs = make_runs(drcs);
    size_t len = 4;
    char *p;
    guint i;
    int ret;

    for (i = 0; i < runs->len; i++) {
        const DrcRun *r = &g_array_index(runs, DrcRun, i);
        const SpaprFdtDrc *f = &g_array_index(drcs, SpaprFdtDrc, r->first);

        len += strlen(f->type) + 1 + r->prefix_len + 1 + 5 * 4;
    }
    ret = fdt_property_placeholder(sw, "ibm,drc-info", len, (void **)&p);
    if (ret < 0) {
        return ret;
    }
    fdt32_st((fdt32_t *)p, runs->len);
    p += 4;
    for (i = 0; i < runs->len; i++) {
        const DrcRun *r = &g_array_index(runs, DrcRun, i);
        const SpaprFdtDrc *f = &g_array_index(drcs, SpaprFdtDrc, r->first);
        size_t tlen = strlen(f->type) + 1;

        memcpy(p, f->type, tlen);
        p += tlen;
        memcpy(p, f->name, r->prefix_len);
        p[r->prefix_len] = '\0';
        p += r->prefix_len + 1;
        /* Cells may be unaligned here: the strings have any length */
        fdt32_st((fdt32_t *)p, f->index);
        fdt32_st((fdt32_t *)(p + 4), r->suffix);
        fdt32_st((fdt32_t *)(p + 8), r->count);
        fdt32_st((fdt32_t *)(p + 12), 1);
        fdt32_st((fdt32_t *)(p + 16), f->power_domain);
        p += 20;
    }
    return 0;
}

int spapr_fdt_drc_props_(void *sw, GArray *drcs)
{
    FDT_TRY(prop_cells(sw, "ibm,drc-indexes", drcs, false));
    FDT_TRY(prop_strings(sw, "ibm,drc-names", drcs, false));
    FDT_TRY(prop_strings(sw, "ibm,drc-types", drcs, true));
    FDT_TRY(prop_cells(sw, "ibm,drc-power-domains", drcs, true));
    return prop_drc_info(sw, drcs);
}
