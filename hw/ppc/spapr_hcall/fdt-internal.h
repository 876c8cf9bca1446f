/*
 * spapr-hcall: what the fdt-*.c files share
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The tree is written with libfdt's sequential-write API (linear time even
 * with thousands of NVDIMMs).  Every emitter returns 0 or a negative libfdt
 * error; -FDT_ERR_NOSPACE makes the builder retry with a bigger buffer.
 * Emitters that merge with a caller's tree get its node offset, or -1.
 */
#ifndef SPAPR_HCALL_FDT_INTERNAL_H
#define SPAPR_HCALL_FDT_INTERNAL_H

#include <libfdt.h>
#include "internal.h"
#include "spapr-hcall/fdt.h"

/*
 * Return the libfdt error of @call, if any: a node is a sequence of
 * FDT_TRY() steps and its emitter returns the first error, as libfdt's
 * own FDT_SW_PROBE() does.
 */
#define FDT_TRY(call)                   \
    do {                                \
        int fdt_try_err_ = (call);      \
                                        \
        if (fdt_try_err_) {             \
            return fdt_try_err_;        \
        }                               \
    } while (0)

/* Where DRC properties go: CPU connectors on /cpus, the rest on root. */
#define SPAPR_FDT_DRC_MASK_CPUS     PAPR_DRC_MASK(PAPR_DRC_TYPE_CPU)
#define SPAPR_FDT_DRC_MASK_ROOT     (~SPAPR_FDT_DRC_MASK_CPUS)

/* "No power control": the value QEMU and PowerVM give logical DRCs. */
#define SPAPR_FDT_DRC_POWER_DOMAIN_NONE  0xffffffffu

/* ---- fdt-drc.c ---- */
typedef struct SpaprFdtDrc {
    uint32_t index;
    uint32_t power_domain;
    char *name;                 /* "PMEM 3" */
    char *type;                 /* "PMEM" */
} SpaprFdtDrc;

/*
 * The machine's connectors whose type is in @mask, merged with the
 * entries of the four ibm,drc-* arrays of the caller's node @srcoff
 * (ours win on a common index), in ascending index order.  NULL with
 * @errp set if the caller's arrays are malformed.  A GArray of
 * SpaprFdtDrc; free with g_array_unref().
 */
GArray *spapr_fdt_drc_collect_(SpaprMachine *m, uint32_t mask,
                              const void *src, int srcoff, GError **errp);
/* ibm,drc-indexes, -names, -types, -power-domains and ibm,drc-info. */
int spapr_fdt_drc_props_(void *sw, GArray *drcs);
bool spapr_fdt_drc_prop_owned_(const char *name);

/* ---- fdt-rtas.c ---- */
/*
 * The set strings of the registered hcalls, split into the PAPR list
 * (ibm,hypertas-functions) and the private one (qemu,hypertas-functions),
 * each merged with the caller's /rtas (@srcoff, or -1).  NULL-terminated.
 */
void spapr_fdt_rtas_sets_(SpaprMachine *m, const void *src, int srcoff,
                         char ***ibm, char ***priv);
int spapr_fdt_rtas_props_(void *sw, char **ibm, char **priv);
bool spapr_fdt_rtas_prop_owned_(const char *name);

/* ---- fdt-hypervisor.c ---- */
/* True when the ePAPR entry is registered, so /hypervisor is published. */
bool spapr_fdt_hypervisor_wanted_(SpaprMachine *m);
int spapr_fdt_hypervisor_props_(void *sw);
bool spapr_fdt_hypervisor_prop_owned_(const char *name);

/* ---- hw/nvdimm/nvdimm-fdt.c (the NVDIMM feature's own node) ---- */
#define SPAPR_FDT_PMEM_NODE         "ibm,persistent-memory"
int spapr_fdt_pmem_container_props_(void *sw);
bool spapr_fdt_pmem_container_prop_owned_(const char *name);
/* One ibm,pmemory@<drc> child per NVDIMM, in ascending DRC order. */
int spapr_fdt_pmem_children_(void *sw, SpaprMachine *m);
/* True if the caller's child @name is one we write (we replace it). */
bool spapr_fdt_pmem_child_owned_(SpaprMachine *m, const char *name);

/* ---- fdt-build.c helpers for the emitters ---- */
/* A string-list property from a NULL-terminated vector. */
int spapr_fdt_prop_strv_(void *sw, const char *name, char **strv);
/* Split a string-list property into a vector (NULL if absent). */
char **spapr_fdt_strv_from_prop_(const void *fdt, int off, const char *name);

#endif
