/*
 * spapr-hcall: the device-tree pieces this module owns
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The tree is a function of the machine's current state: call again after
 * devices change.
 *
 * Threading: building reads the DRCs and devices: it may run while vCPUs
 * run hcalls, not during a configuration change (machine.h, Threading).
 */
#ifndef SPAPR_HCALL_FDT_H
#define SPAPR_HCALL_FDT_H

#include "spapr-hcall/types.h"

/*
 * Add to a caller's tree (opened with libfdt, with room to grow):
 * /ibm,persistent-memory and its children, the DRC properties on the root,
 * /rtas ibm,hypertas-functions (+ qemu,hypertas-functions), /hypervisor.
 * Existing /rtas and /hypervisor nodes are reused.
 *
 * Merging: the caller's ibm,drc-* arrays keep their entries (ours replace
 * one with the same index) and ibm,drc-info is recomputed from the union;
 * the hypertas lists become the union of the caller's strings and ours;
 * children of an existing persistent-memory container that we do not
 * write stay.  CPU connectors go on /cpus, all others on the root.
 * The tree is rewritten in place within fdt_totalsize(fdt) bytes, so node
 * offsets change; fails with SPAPR_ERROR_FULL, leaving the tree intact,
 * when it does not fit.
 */
bool spapr_fdt_add_nodes(SpaprMachine *m, void *fdt, GError **errp);

/*
 * Upper bound of the bytes spapr_fdt_add_nodes() adds to a tree: open the
 * caller's tree with fdt_totalsize() + this much room.
 */
size_t spapr_fdt_add_nodes_size(SpaprMachine *m);

/*
 * Add the ibm,pmemory@<index> node of the NVDIMM in PMEM connector
 * @drc_index under node @parent of a caller's read-write tree: what
 * ibm,configure-connector hands a guest for a hot-plugged NVDIMM (the
 * same node spapr_fdt_add_nodes() writes).  Returns the node's offset,
 * or -1 with SPAPR_ERROR_NOT_FOUND (no NVDIMM there) or SPAPR_ERROR_FULL.
 */
int spapr_fdt_add_pmem_node(SpaprMachine *m, uint32_t drc_index, void *fdt,
                            int parent, GError **errp);

/*
 * A complete standalone tree for the machine (root, /chosen, /memory,
 * plus everything spapr_fdt_add_nodes() adds).  Free with g_free().
 */
void *spapr_fdt_build(SpaprMachine *m, GError **errp);

/*
 * DTS source text of any valid flattened tree (our own renderer: no dtc
 * needed).  "dtc -I dts -O dtb" compiles it back to the same tree.
 * The buffer must hold at least fdt_totalsize(fdt) bytes (check that
 * first when the blob comes from a file).  NULL with @errp set if
 * fdt_check_full() rejects it.  Free with g_free().
 */
char *spapr_fdt_to_dts(const void *fdt, GError **errp);

#endif
