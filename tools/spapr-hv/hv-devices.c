/*
 * spapr-hv: hcall sets and devices the command line asks for
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hv-devices.h"
#include "spapr-hcall/nvdimm.h"
#include "spapr-hcall/fdt.h"

static bool create_nvdimm(HvMachine *hv, const HvOptions *o,
                          const HvNvdimmOpt *n, GError **errp)
{
    const HvBackendOpt *b = hv_options_backend(o, n->memdev);
    SpaprNvdimm *nv;
    SpaprNvdimmConfig cfg = {
        .id = n->id,
        .mem_path = b->mem_path,
        .size = b->size,
        .label_size = n->label_size,
        .uuid = n->uuid,
        .unarmed = n->unarmed,
        .readonly = b->readonly,
        .prealloc = b->prealloc,
        /*
         * As QEMU: only spapr-nvdimm publishes hcall-flush-required, and
         * a pmem=on backend needs no flush unless pmem-override=on.
         */
        .hcall_flush = n->spapr_type && b->mem_path &&
                       (!b->pmem || n->pmem_override),
        .slot = n->slot,
        .numa_node = n->node,
    };

    if (b->mem_path && !b->share) {
        spapr_machine_log(hv->m, SPAPR_LOG_WARNING,
                          "memory-backend %s: share=off is not supported, "
                          "the file is mapped shared", b->id);
    }
    if (!(nv = spapr_nvdimm_create(hv->m, &cfg, errp))) {
        g_prefix_error(errp, "-device %s: ", n->id);
        return false;
    }
    if (n->health) {
        spapr_nvdimm_set_health(nv, n->health, n->health);
    }
    return true;
}

bool hv_devices_setup(HvMachine *hv, const HvOptions *o, GError **errp)
{
    guint i;

    if (!spapr_hcall_register_debug(hv->m, errp)) {
        return false;
    }
    if (!spapr_hcall_register_epapr(hv->m, errp)) {
        return false;
    }
    if (!spapr_hcall_register_scm(hv->m, errp)) {
        return false;
    }
    /* the other conventions (docs/abis.md): qtest/QMP "hypercall" */
    if (!spapr_abi_register_all(hv->m, errp)) {
        return false;
    }
    for (i = 0; i < o->nvdimms->len; i++) {
        const HvNvdimmOpt *n = g_ptr_array_index(o->nvdimms, i);

        if (!create_nvdimm(hv, o, n, errp)) {
            return false;
        }
    }
    return true;
}

void *hv_devices_fdt(HvMachine *hv, GError **errp)
{
    return spapr_fdt_build(hv->m, errp);
}
