/*
 * spapr-hcall: the device-tree pieces this module owns
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The tree is a function of the machine's current state: call again after
 * devices change.
 */
#ifndef SPAPR_HCALL_FDT_H
#define SPAPR_HCALL_FDT_H

#include "spapr-hcall/types.h"

/*
 * Add to a caller's tree (opened with libfdt, with room to grow):
 * /ibm,persistent-memory and its children, the DRC properties on the root,
 * /rtas ibm,hypertas-functions (+ qemu,hypertas-functions), /hypervisor.
 * Existing /rtas and /hypervisor nodes are reused.
 */
bool spapr_fdt_add_nodes(SpaprMachine *m, void *fdt, GError **errp);

/*
 * A complete standalone tree for the machine (root, /chosen, /memory,
 * plus everything spapr_fdt_add_nodes() adds).  Free with g_free().
 */
void *spapr_fdt_build(SpaprMachine *m, GError **errp);

#endif
