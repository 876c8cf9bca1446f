/*
 * spapr-hcall: building the device tree (standalone, or merged into a
 * caller's tree)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Both entry points write a fresh tree with the sequential-write API: the
 * caller's tree, if any, is copied node by node with our properties and
 * nodes spliced in, then the result replaces the caller's tree in place.
 * libfdt's read-write API would be quadratic in the number of NVDIMM nodes
 * (every insertion rescans siblings and moves the rest of the blob).
 */
#include <string.h>
#include "fdt-internal.h"

#define FDT_INITIAL_SIZE    4096

typedef enum NodeKind {
    NODE_OTHER,
    NODE_ROOT,
    NODE_CPUS,
    NODE_RTAS,
    NODE_HYPERVISOR,
    NODE_PMEM,
} NodeKind;

typedef struct FdtGen {
    SpaprMachine *m;
    const void *src;            /* caller's tree, or NULL */
    void *sw;
    GArray *root_drcs;
    GArray *cpu_drcs;
    char **ibm_sets;
    char **priv_sets;
    bool hypervisor;
} FdtGen;

/* ---- Helpers shared with the emitters ---- */

int spapr_fdt_prop_strv_(void *sw, const char *name, char **strv)
{
    size_t len = 0;
    char **s, *p;
    int ret;

    for (s = strv; *s; s++) {
        len += strlen(*s) + 1;
    }
    ret = fdt_property_placeholder(sw, name, len, (void **)&p);
    if (ret < 0) {
        return ret;
    }
    for (s = strv; *s; s++) {
        size_t n = strlen(*s) + 1;

        memcpy(p, *s, n);
        p += n;
    }
    return 0;
}

char **spapr_fdt_strv_from_prop_(const void *fdt, int off, const char *name)
{
    GPtrArray *v;
    const char *p, *end;
    int len;

    p = fdt_getprop(fdt, off, name, &len);
    if (!p) {
        return NULL;
    }
    v = g_ptr_array_new();
    end = p + len;
    while (p < end) {
        size_t n = strnlen(p, end - p);

        g_ptr_array_add(v, g_strndup(p, n));
        p += n + 1;
    }
    g_ptr_array_add(v, NULL);
    return (char **)g_ptr_array_free(v, FALSE);
}

/* ---- Classifying the caller's nodes ---- */

static bool name_is(const char *name, const char *base)
{
    size_t n = strlen(base);

    /* "rtas" matches "rtas" and "rtas@0" */
    return !strncmp(name, base, n) && (name[n] == '\0' || name[n] == '@');
}

static NodeKind classify(const void *fdt, int off, int depth)
{
    const char *name, *type;

    if (depth == 0) {
        return NODE_ROOT;
    }
    if (depth != 1) {
        return NODE_OTHER;
    }
    name = fdt_get_name(fdt, off, NULL);
    type = fdt_getprop(fdt, off, "device_type", NULL);
    if (!name) {
        return NODE_OTHER;
    }
    if (name_is(name, "cpus")) {
        return NODE_CPUS;
    }
    if (name_is(name, "rtas")) {
        return NODE_RTAS;
    }
    if (name_is(name, "hypervisor")) {
        return NODE_HYPERVISOR;
    }
    /* Linux finds the container by device_type; QEMU once misnamed it */
    if (!strcmp(name, SPAPR_FDT_PMEM_NODE) ||
        (type && !strcmp(type, SPAPR_FDT_PMEM_NODE))) {
        return NODE_PMEM;
    }
    return NODE_OTHER;
}

static bool owned_prop(FdtGen *g, NodeKind kind, const char *name)
{
    switch (kind) {
    case NODE_ROOT:
        return spapr_fdt_drc_prop_owned_(name);
    case NODE_CPUS:
        return g->cpu_drcs->len && spapr_fdt_drc_prop_owned_(name);
    case NODE_RTAS:
        return spapr_fdt_rtas_prop_owned_(name);
    case NODE_HYPERVISOR:
        return g->hypervisor && spapr_fdt_hypervisor_prop_owned_(name);
    case NODE_PMEM:
        return spapr_fdt_pmem_container_prop_owned_(name);
    default:
        return false;
    }
}

/* Our properties of a node of @kind (after the caller's, if any). */
static int our_props(FdtGen *g, NodeKind kind)
{
    switch (kind) {
    case NODE_ROOT:
        return spapr_fdt_drc_props_(g->sw, g->root_drcs);
    case NODE_CPUS:
        return g->cpu_drcs->len ? spapr_fdt_drc_props_(g->sw, g->cpu_drcs)
                                : 0;
    case NODE_RTAS:
        return spapr_fdt_rtas_props_(g->sw, g->ibm_sets, g->priv_sets);
    case NODE_HYPERVISOR:
        return g->hypervisor ? spapr_fdt_hypervisor_props_(g->sw) : 0;
    case NODE_PMEM:
        return spapr_fdt_pmem_container_props_(g->sw);
    default:
        return 0;
    }
}

/* ---- Writing ---- */

static int new_node(FdtGen *g, const char *name, NodeKind kind)
{
    FDT_TRY(fdt_begin_node(g->sw, name));
    if (kind == NODE_CPUS) {
        FDT_TRY(fdt_property_u32(g->sw, "#address-cells", 1));
        FDT_TRY(fdt_property_u32(g->sw, "#size-cells", 0));
    }
    FDT_TRY(our_props(g, kind));
    if (kind == NODE_PMEM) {
        FDT_TRY(spapr_fdt_pmem_children_(g->sw, g->m));
    }
    return fdt_end_node(g->sw);
}

/* Our top-level nodes the caller's tree (@seen) does not have yet. */
static int missing_top_nodes(FdtGen *g, const bool *seen)
{
    if (!seen[NODE_CPUS] && g->cpu_drcs->len) {
        FDT_TRY(new_node(g, "cpus", NODE_CPUS));
    }
    if (!seen[NODE_RTAS]) {
        FDT_TRY(new_node(g, "rtas", NODE_RTAS));
    }
    if (!seen[NODE_HYPERVISOR] && g->hypervisor) {
        FDT_TRY(new_node(g, "hypervisor", NODE_HYPERVISOR));
    }
    if (!seen[NODE_PMEM]) {
        FDT_TRY(new_node(g, SPAPR_FDT_PMEM_NODE, NODE_PMEM));
    }
    return 0;
}

/* Copy the caller's node @off (and below), merging ours in. */
static int copy_node(FdtGen *g, int off, int depth, bool *seen)
{
    NodeKind kind = classify(g->src, off, depth);
    const char *name = fdt_get_name(g->src, off, NULL);
    int poff, child;

    seen[kind] = true;
    FDT_TRY(fdt_begin_node(g->sw, depth ? name : ""));
    fdt_for_each_property_offset(poff, g->src, off) {
        const char *pname;
        const void *val;
        int len;

        val = fdt_getprop_by_offset(g->src, poff, &pname, &len);
        if (!val) {
            return len;
        }
        if (!owned_prop(g, kind, pname)) {
            FDT_TRY(fdt_property(g->sw, pname, val, len));
        }
    }
    FDT_TRY(our_props(g, kind));
    fdt_for_each_subnode(child, g->src, off) {
        if (kind == NODE_PMEM &&
            spapr_fdt_pmem_child_owned_(g->m,
                                       fdt_get_name(g->src, child, NULL))) {
            continue;
        }
        FDT_TRY(copy_node(g, child, depth + 1, seen));
    }
    if (kind == NODE_PMEM) {
        FDT_TRY(spapr_fdt_pmem_children_(g->sw, g->m));
    }
    if (depth == 0) {
        FDT_TRY(missing_top_nodes(g, seen));
    }
    return fdt_end_node(g->sw);
}

/* Root, /chosen and /memory of a standalone tree. */
static int skeleton(FdtGen *g)
{
    uint64_t ram = spapr_machine_ram_size(g->m);
    static const bool seen_none[NODE_PMEM + 1];

    FDT_TRY(fdt_begin_node(g->sw, ""));
    FDT_TRY(fdt_property_u32(g->sw, "#address-cells", 2));
    FDT_TRY(fdt_property_u32(g->sw, "#size-cells", 2));
    FDT_TRY(fdt_property_string(g->sw, "device_type", "chrp"));
    FDT_TRY(fdt_property_string(g->sw, "model",
                                "IBM pSeries (spapr-hcall)"));
    FDT_TRY(fdt_property_string(g->sw, "compatible",
                                "spapr-hcall,pseries"));
    FDT_TRY(our_props(g, NODE_ROOT));
    FDT_TRY(fdt_begin_node(g->sw, "chosen"));
    FDT_TRY(fdt_end_node(g->sw));
    if (ram) {
        fdt64_t reg[2] = { cpu_to_fdt64(0), cpu_to_fdt64(ram) };

        FDT_TRY(fdt_begin_node(g->sw, "memory@0"));
        FDT_TRY(fdt_property_string(g->sw, "device_type", "memory"));
        FDT_TRY(fdt_property(g->sw, "reg", reg, sizeof(reg)));
        FDT_TRY(fdt_end_node(g->sw));
    }
    /* The caller has no tree: all of ours, in the same order */
    FDT_TRY(missing_top_nodes(g, seen_none));
    return fdt_end_node(g->sw);
}

static int generate(FdtGen *g, void *buf, size_t size)
{
    int i, n = g->src ? fdt_num_mem_rsv(g->src) : 0;

    g->sw = buf;
    FDT_TRY(fdt_create(buf, size));
    for (i = 0; i < n; i++) {
        uint64_t addr, len;

        FDT_TRY(fdt_get_mem_rsv(g->src, i, &addr, &len));
        FDT_TRY(fdt_add_reservemap_entry(buf, addr, len));
    }
    FDT_TRY(fdt_finish_reservemap(buf));
    if (g->src) {
        bool seen[NODE_PMEM + 1] = { false };

        FDT_TRY(copy_node(g, 0, 0, seen));
    } else {
        FDT_TRY(skeleton(g));
    }
    FDT_TRY(fdt_finish(buf));
    if (g->src) {
        fdt_set_boot_cpuid_phys(buf, fdt_boot_cpuid_phys(g->src));
    }
    return 0;
}

static void gen_clear(FdtGen *g)
{
    if (g->root_drcs) {
        g_array_unref(g->root_drcs);
    }
    if (g->cpu_drcs) {
        g_array_unref(g->cpu_drcs);
    }
    g_strfreev(g->ibm_sets);
    g_strfreev(g->priv_sets);
}

/* Depth-1 node of @kind in the caller's tree, or -1. */
static int find_top(const void *fdt, NodeKind kind)
{
    int off;

    fdt_for_each_subnode(off, fdt, 0) {
        if (classify(fdt, off, 1) == kind) {
            return off;
        }
    }
    return -1;
}

/* Build into a new buffer; on success *size is the packed size. */
static void *build(SpaprMachine *m, const void *src, size_t hint,
                   size_t *size, GError **errp)
{
    FdtGen g = { .m = m, .src = src };
    size_t cap = MAX(hint, FDT_INITIAL_SIZE);
    void *buf = NULL;
    int ret;

    g.root_drcs = spapr_fdt_drc_collect_(m, SPAPR_FDT_DRC_MASK_ROOT, src,
                                        src ? 0 : -1, errp);
    g.cpu_drcs = g.root_drcs ?
        spapr_fdt_drc_collect_(m, SPAPR_FDT_DRC_MASK_CPUS, src,
                              src ? find_top(src, NODE_CPUS) : -1, errp) :
        NULL;
    if (!g.cpu_drcs) {
        gen_clear(&g);
        return NULL;
    }
    spapr_fdt_rtas_sets_(m, src, src ? find_top(src, NODE_RTAS) : -1,
                        &g.ibm_sets, &g.priv_sets);
    g.hypervisor = spapr_fdt_hypervisor_wanted_(m);

    for (;;) {
        buf = g_realloc(buf, cap);
        ret = generate(&g, buf, cap);
        if (ret != -FDT_ERR_NOSPACE) {
            break;
        }
        if (cap > (size_t)INT32_MAX / 2) {
            break;
        }
        cap *= 2;
    }
    gen_clear(&g);
    if (ret) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "cannot build the device tree: %s", fdt_strerror(ret));
        g_free(buf);
        return NULL;
    }
    *size = fdt_totalsize(buf);
    return buf;
}

/* A size that usually fits in one pass. */
static size_t size_hint(SpaprMachine *m)
{
    PaprDrcRegistry *drcs = spapr_machine_drcs(m);
    unsigned int n = papr_drc_count(drcs, PAPR_DRC_MASK_ANY);
    unsigned int pmem = papr_drc_count(drcs,
                                        PAPR_DRC_MASK(PAPR_DRC_TYPE_PMEM));

    return 4096 + (size_t)n * 64 + (size_t)pmem * 512;
}

void *spapr_fdt_build(SpaprMachine *m, GError **errp)
{
    size_t size;
    void *buf = build(m, NULL, size_hint(m), &size, errp);

    return buf ? g_realloc(buf, size) : NULL;
}

size_t spapr_fdt_add_nodes_size(SpaprMachine *m)
{
    size_t size = 0;
    void *buf = build(m, NULL, size_hint(m), &size, NULL);

    g_free(buf);
    return size;
}

bool spapr_fdt_add_nodes(SpaprMachine *m, void *fdt, GError **errp)
{
    g_autofree void *out = NULL;
    size_t size, room;
    int ret;

    ret = fdt_check_header(fdt);
    if (ret) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "not a device tree: %s", fdt_strerror(ret));
        return false;
    }
    room = fdt_totalsize(fdt);
    out = build(m, fdt, room + size_hint(m), &size, errp);
    if (!out) {
        return false;
    }
    if (size > room) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_FULL,
                    "the device tree needs %zu bytes but its buffer has "
                    "%zu (see spapr_fdt_add_nodes_size())", size, room);
        return false;
    }
    ret = fdt_open_into(out, fdt, room);
    if (ret) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "cannot reopen the device tree: %s", fdt_strerror(ret));
        return false;
    }
    return true;
}
