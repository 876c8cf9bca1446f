/*
 * spapr-hcall glue: QEMU's pseries machine on the spapr-hcall library
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The few entry points QEMU's own spapr code calls (see the patches in
 * contrib/qemu/versions/<version>/patches/ and docs/qemu-glue.md of the
 * spapr-hcall project).  Only QEMU types appear here: the library's
 * headers stay inside hw/ppc/spapr_hcall_glue.c.
 */
#ifndef HW_PPC_SPAPR_HCALL_GLUE_H
#define HW_PPC_SPAPR_HCALL_GLUE_H

#include "hw/ppc/spapr.h"

typedef struct SpaprHcallGlue SpaprHcallGlue;

/* End of spapr_machine_init(): create the library machine. */
void spapr_hcall_glue_machine_init(SpaprMachineState *spapr);
/* Start of spapr_machine_reset(): reset the library machine. */
void spapr_hcall_glue_reset(SpaprMachineState *spapr);
/* spapr_memory_plug() of an NVDIMM: create the library device. */
void spapr_hcall_glue_plug_nvdimm(SpaprMachineState *spapr, DeviceState *dev,
                                  uint64_t slot);
/* spapr_build_fdt(): the library's persistent-memory nodes, DRCs, etc. */
void spapr_hcall_glue_build_fdt(SpaprMachineState *spapr, void *fdt);
/*
 * spapr_pmem_dt_populate() (ibm,configure-connector of a hot-plugged
 * NVDIMM): add the library's node for the NVDIMM in @drc_index under the
 * root of @fdt.  Returns its offset, -ENOENT when the library does not
 * serve that NVDIMM (QEMU then writes its own), or -1 with @errp set.
 */
int spapr_hcall_glue_pmem_dt(SpaprMachineState *spapr, uint32_t drc_index,
                             void *fdt, Error **errp);
/*
 * Migration: a subsection of the machine's "spapr" section carrying the
 * library's state, and the check, from spapr_post_load(), that the
 * source sent it (-EINVAL, reported, if not).
 */
extern const VMStateDescription vmstate_spapr_hcall_glue;
int spapr_hcall_glue_post_load(SpaprMachineState *spapr);
/*
 * spapr_hypercall() fallback for opcodes outside QEMU's tables (the ePAPR
 * hcall 0xF0E0): true, with *ret set, if the library serves @opcode.
 */
bool spapr_hcall_glue_dispatch(SpaprMachineState *spapr, PowerPCCPU *cpu,
                               target_ulong opcode, target_ulong *args,
                               target_ulong *ret);

#endif
