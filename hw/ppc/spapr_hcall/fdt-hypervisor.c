/*
 * spapr-hcall: the /hypervisor node (ePAPR / KVM paravirtual interface)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Published only while the ePAPR entry (SPAPR_H_EPAPR) is registered:
 *   compatible             "linux,kvm" (what kvm_para_available() tests)
 *   hcall-instructions     4 be32 instruction words (what Linux reads)
 *   hypercall-instructions the same bytes (the name KVM's documentation
 *                          uses; no guest reads it)
 *   has-idle               empty: EV_IDLE is answered
 */
#include <string.h>
#include "fdt-internal.h"
#include "spapr-hcall/epapr.h"

static const char *const hv_props[] = {
    "compatible", "hcall-instructions", "hypercall-instructions",
    "has-idle",
};

bool spapr_fdt_hypervisor_prop_owned_(const char *name)
{
    unsigned int i;

    for (i = 0; i < G_N_ELEMENTS(hv_props); i++) {
        if (!strcmp(name, hv_props[i])) {
            return true;
        }
    }
    return false;
}

bool spapr_fdt_hypervisor_wanted_(SpaprMachine *m)
{
    return spapr_hcall_lookup(m, SPAPR_H_EPAPR) != NULL;
}

int spapr_fdt_hypervisor_props_(void *sw)
{
    fdt32_t insns[SPAPR_EPAPR_NR_INSNS];
    unsigned int i;

    for (i = 0; i < SPAPR_EPAPR_NR_INSNS; i++) {
        insns[i] = cpu_to_fdt32(spapr_epapr_hcall_insns[i]);
    }
    FDT_TRY(fdt_property_string(sw, "compatible", "linux,kvm"));
    FDT_TRY(fdt_property(sw, "hcall-instructions", insns, sizeof(insns)));
    FDT_TRY(fdt_property(sw, "hypercall-instructions", insns,
                         sizeof(insns)));
    return fdt_property(sw, "has-idle", NULL, 0);
}
