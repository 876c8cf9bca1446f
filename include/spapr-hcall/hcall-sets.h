/*
 * spapr-hcall: the hcall sets this library implements
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each set is a static table; registering it into a machine makes its
 * hcalls dispatchable and its hcall-set string appear in the device tree.
 */
#ifndef SPAPR_HCALL_HCALL_SETS_H
#define SPAPR_HCALL_HCALL_SETS_H

#include "spapr-hcall/hcall.h"

/* "hcall-debug": H_LOGICAL_CI_LOAD / H_LOGICAL_CI_STORE on guest memory. */
extern const SpaprHcallInfo spapr_hcall_set_debug[];
extern const size_t spapr_hcall_set_debug_len;
bool spapr_hcall_register_debug(SpaprMachine *m, GError **errp);

/*
 * "hcall-epapr": the ePAPR/KVM paravirtual calls, one platform opcode
 * (SPAPR_H_EPAPR, see epapr.h).  Registering it makes the device tree
 * publish /hypervisor with the instructions that reach it.
 */
extern const SpaprHcallInfo spapr_hcall_set_epapr[];
extern const size_t spapr_hcall_set_epapr_len;
bool spapr_hcall_register_epapr(SpaprMachine *m, GError **errp);

/*
 * "hcall-scm": the ten H_SCM_* calls on spapr-nvdimm devices (see
 * docs/scm-hcalls.md).
 */
extern const SpaprHcallInfo spapr_hcall_set_scm[];
extern const size_t spapr_hcall_set_scm_len;
bool spapr_hcall_register_scm(SpaprMachine *m, GError **errp);

#endif
