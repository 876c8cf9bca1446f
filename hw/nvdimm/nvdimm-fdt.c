/*
 * spapr-hcall: /ibm,persistent-memory and one ibm,pmemory@<drc> per NVDIMM
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The container always exists (QEMU does the same), so a hot-plugged
 * NVDIMM has a parent.  Each child carries what Linux's papr_scm reads,
 * plus what QEMU writes for compatibility; see docs/device-tree.md.
 * The builder (fdt-build.c) calls the pieces declared in fdt-internal.h;
 * spapr_fdt_add_pmem_node() is public.
 */
#include <stdio.h>
#include <string.h>
#include "fdt-internal.h"
#include "spapr-hcall/nvdimm.h"

/* FORM1 associativity: count, three domains, then the NUMA node */
#define PMEM_ASSOC_CELLS    5

bool spapr_fdt_pmem_container_prop_owned_(const char *name)
{
    return !strcmp(name, "#address-cells") || !strcmp(name, "#size-cells") ||
           !strcmp(name, "device_type");
}

int spapr_fdt_pmem_container_props_(void *sw)
{
    FDT_TRY(fdt_property_u32(sw, "#address-cells", 1));
    FDT_TRY(fdt_property_u32(sw, "#size-cells", 0));
    return fdt_property_string(sw, "device_type", "ibm,persistent-memory");
}

static int pmem_node(void *sw, SpaprNvdimm *nv)
{
    uint32_t drc = spapr_nvdimm_drc_index(nv);
    uint64_t label = spapr_nvdimm_label_size(nv);
    fdt32_t assoc[PMEM_ASSOC_CELLS] = {
        cpu_to_fdt32(PMEM_ASSOC_CELLS - 1), 0, 0, 0,
        cpu_to_fdt32(spapr_nvdimm_numa_node(nv)),
    };
    char name[32];

    snprintf(name, sizeof(name), "ibm,pmemory@%x", drc);
    FDT_TRY(fdt_begin_node(sw, name));
    FDT_TRY(fdt_property_u32(sw, "reg", drc));
    FDT_TRY(fdt_property_string(sw, "compatible", "ibm,pmemory"));
    FDT_TRY(fdt_property_string(sw, "device_type", "ibm,pmemory"));
    FDT_TRY(fdt_property(sw, "ibm,associativity", assoc, sizeof(assoc)));
    FDT_TRY(fdt_property_string(sw, "ibm,unit-guid",
                                spapr_nvdimm_uuid(nv)));
    FDT_TRY(fdt_property_u32(sw, "ibm,my-drc-index", drc));
    FDT_TRY(fdt_property_u64(sw, "ibm,block-size",
                             spapr_nvdimm_block_size(nv)));
    FDT_TRY(fdt_property_u64(sw, "ibm,number-of-blocks",
                             spapr_nvdimm_nr_blocks(nv)));
    /* A cell: the device refuses labels of 4 GiB or more */
    if (label) {
        FDT_TRY(fdt_property_u32(sw, "ibm,metadata-size", (uint32_t)label));
    }
    FDT_TRY(fdt_property_string(sw, "ibm,pmem-application",
                                "operating-system"));
    /* Without it Linux makes a volatile region */
    FDT_TRY(fdt_property(sw, "ibm,cache-flush-required", NULL, 0));
    if (spapr_nvdimm_hcall_flush_required(nv)) {
        FDT_TRY(fdt_property(sw, "ibm,hcall-flush-required", NULL, 0));
    }
    FDT_TRY(fdt_property_u64(sw, "ibm,persistence-failed-count",
                             spapr_nvdimm_persistence_failed_count(nv)));
    return fdt_end_node(sw);
}

typedef struct PmemCtx {
    void *sw;
    int ret;
} PmemCtx;

static void pmem_one(PaprDrc *drc, void *opaque)
{
    PmemCtx *c = opaque;
    SpaprNvdimm *nv = drc->dev ? spapr_nvdimm_from_device(drc->dev) : NULL;

    if (!c->ret && nv) {
        c->ret = pmem_node(c->sw, nv);
    }
}

int spapr_fdt_pmem_children_(void *sw, SpaprMachine *m)
{
    PmemCtx c = { .sw = sw, .ret = 0 };

    papr_drc_foreach(spapr_machine_drcs(m),
                      PAPR_DRC_MASK(PAPR_DRC_TYPE_PMEM), pmem_one, &c);
    return c.ret;
}

bool spapr_fdt_pmem_child_owned_(SpaprMachine *m, const char *name)
{
    static const char prefix[] = "ibm,pmemory@";
    PaprDrc *drc;
    char *end;
    uint64_t index;

    if (!name || strncmp(name, prefix, sizeof(prefix) - 1)) {
        return false;
    }
    index = g_ascii_strtoull(name + sizeof(prefix) - 1, &end, 16);
    if (*end || index > UINT32_MAX) {
        return false;
    }
    drc = papr_drc_by_index(spapr_machine_drcs(m), index);
    return drc && drc->type == PAPR_DRC_TYPE_PMEM && drc->dev &&
           spapr_nvdimm_from_device(drc->dev);
}

/* Copy node @src (of @from) with its properties under @parent of @to. */
static int copy_node(const void *from, int src, void *to, int parent)
{
    const char *name = fdt_get_name(from, src, NULL);
    g_autoptr(GArray) props = g_array_new(FALSE, FALSE, sizeof(int));
    int node = fdt_add_subnode(to, parent, name);
    int prop;
    guint i;

    if (node < 0) {
        return node;
    }
    fdt_for_each_property_offset(prop, from, src) {
        g_array_append_val(props, prop);
    }
    /* libfdt adds a property in front of the others: last one first */
    for (i = props->len; i-- > 0;) {
        const char *pname;
        const void *val;
        int len, ret;

        val = fdt_getprop_by_offset(from, g_array_index(props, int, i),
                                    &pname, &len);
        ret = val ? fdt_setprop(to, node, pname, val, len) : len;
        if (ret < 0) {
            return ret;
        }
    }
    return node;
}

/* A blob of @size bytes at @sw holding the node of @nv under its root. */
static int pmem_node_blob(void *sw, size_t size, SpaprNvdimm *nv)
{
    FDT_TRY(fdt_create(sw, size));
    FDT_TRY(fdt_finish_reservemap(sw));
    FDT_TRY(fdt_begin_node(sw, ""));
    FDT_TRY(pmem_node(sw, nv));
    FDT_TRY(fdt_end_node(sw));
    return fdt_finish(sw);
}

int spapr_fdt_add_pmem_node(SpaprMachine *m, uint32_t drc_index, void *fdt,
                            int parent, GError **errp)
{
    PaprDrc *drc = papr_drc_by_index(spapr_machine_drcs(m), drc_index);
    SpaprNvdimm *nv = drc && drc->type == PAPR_DRC_TYPE_PMEM && drc->dev
                      ? spapr_nvdimm_from_device(drc->dev) : NULL;
    g_autofree void *sw = NULL;
    size_t size = 4096;
    int ret;

    if (!nv) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_NOT_FOUND,
                    "no NVDIMM in PMEM connector 0x%08" PRIx32, drc_index);
        return -1;
    }
    sw = g_malloc0(size);
    ret = pmem_node_blob(sw, size, nv);
    if (ret >= 0) {
        ret = copy_node(sw, fdt_first_subnode(sw, 0), fdt, parent);
    }
    if (ret < 0) {
        g_set_error(errp, SPAPR_ERROR, ret == -FDT_ERR_NOSPACE
                    ? SPAPR_ERROR_FULL : SPAPR_ERROR_INVALID,
                    "ibm,pmemory@%" PRIx32 ": %s", drc_index,
                    fdt_strerror(ret));
        return -1;
    }
    return ret;
}
