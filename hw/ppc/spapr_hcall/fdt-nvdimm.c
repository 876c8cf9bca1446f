/*
 * spapr-hcall: /ibm,persistent-memory and one ibm,pmemory@<drc> per NVDIMM
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The container always exists (QEMU does the same), so a hot-plugged
 * NVDIMM has a parent.  Each child carries what Linux's papr_scm reads,
 * plus what QEMU writes for compatibility; see docs/device-tree.md.
 */
#include <stdio.h>
#include <string.h>
#include "fdt-internal.h"
#include "spapr-hcall/nvdimm.h"

/* FORM1 associativity: count, three domains, then the NUMA node */
#define PMEM_ASSOC_CELLS    5

bool spapr_fdt_pmem_container_prop_owned(const char *name)
{
    return !strcmp(name, "#address-cells") || !strcmp(name, "#size-cells") ||
           !strcmp(name, "device_type");
}

int spapr_fdt_pmem_container_props(void *sw)
{
    int ret;

    ret = fdt_property_u32(sw, "#address-cells", 1);
    ret = ret ? ret : fdt_property_u32(sw, "#size-cells", 0);
    ret = ret ? ret : fdt_property_string(sw, "device_type",
                                          "ibm,persistent-memory");
    return ret;
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
    int ret;

    snprintf(name, sizeof(name), "ibm,pmemory@%x", drc);
    ret = fdt_begin_node(sw, name);
    ret = ret ? ret : fdt_property_u32(sw, "reg", drc);
    ret = ret ? ret : fdt_property_string(sw, "compatible", "ibm,pmemory");
    ret = ret ? ret : fdt_property_string(sw, "device_type", "ibm,pmemory");
    ret = ret ? ret : fdt_property(sw, "ibm,associativity", assoc,
                                   sizeof(assoc));
    ret = ret ? ret : fdt_property_string(sw, "ibm,unit-guid",
                                          spapr_nvdimm_uuid(nv));
    ret = ret ? ret : fdt_property_u32(sw, "ibm,my-drc-index", drc);
    ret = ret ? ret : fdt_property_u64(sw, "ibm,block-size",
                                       spapr_nvdimm_block_size(nv));
    ret = ret ? ret : fdt_property_u64(sw, "ibm,number-of-blocks",
                                       spapr_nvdimm_nr_blocks(nv));
    /* A cell: the device refuses labels of 4 GiB or more */
    if (!ret && label) {
        ret = fdt_property_u32(sw, "ibm,metadata-size", (uint32_t)label);
    }
    ret = ret ? ret : fdt_property_string(sw, "ibm,pmem-application",
                                          "operating-system");
    /* Without it Linux makes a volatile region */
    ret = ret ? ret : fdt_property(sw, "ibm,cache-flush-required", NULL, 0);
    if (!ret && spapr_nvdimm_hcall_flush_required(nv)) {
        ret = fdt_property(sw, "ibm,hcall-flush-required", NULL, 0);
    }
    ret = ret ? ret : fdt_property_u64(sw, "ibm,persistence-failed-count",
                                  spapr_nvdimm_persistence_failed_count(nv));
    return ret ? ret : fdt_end_node(sw);
}

typedef struct PmemCtx {
    void *sw;
    int ret;
} PmemCtx;

static void pmem_one(SpaprDrc *drc, void *opaque)
{
    PmemCtx *c = opaque;
    SpaprNvdimm *nv = drc->dev ? spapr_nvdimm_from_device(drc->dev) : NULL;

    if (!c->ret && nv) {
        c->ret = pmem_node(c->sw, nv);
    }
}

int spapr_fdt_pmem_children(void *sw, SpaprMachine *m)
{
    PmemCtx c = { .sw = sw, .ret = 0 };

    spapr_drc_foreach(spapr_machine_drcs(m),
                      SPAPR_DRC_MASK(SPAPR_DRC_TYPE_PMEM), pmem_one, &c);
    return c.ret;
}

bool spapr_fdt_pmem_child_owned(SpaprMachine *m, const char *name)
{
    static const char prefix[] = "ibm,pmemory@";
    SpaprDrc *drc;
    char *end;
    uint64_t index;

    if (!name || strncmp(name, prefix, sizeof(prefix) - 1)) {
        return false;
    }
    index = g_ascii_strtoull(name + sizeof(prefix) - 1, &end, 16);
    if (*end || index > UINT32_MAX) {
        return false;
    }
    drc = spapr_drc_by_index(spapr_machine_drcs(m), index);
    return drc && drc->type == SPAPR_DRC_TYPE_PMEM && drc->dev &&
           spapr_nvdimm_from_device(drc->dev);
}
