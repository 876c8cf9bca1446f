/*
 * spapr-hcall: Dynamic Reconfiguration Connectors
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A DRC index is (type shift << 28) | id, as on PowerVM and QEMU: a PMEM
 * connector for slot n is 0x90000000 + n.
 *
 * Threading: the registry has no lock.  Lookups, count and foreach may
 * run concurrently with each other (hcalls on several vCPUs).  new,
 * delete, attach, detach and reset change the configuration: never
 * concurrently with a lookup or an hcall (machine.h, Threading).
 */
#ifndef SPAPR_HCALL_DRC_H
#define SPAPR_HCALL_DRC_H

#include "spapr-hcall/types.h"

#define PAPR_DRC_INDEX_TYPE_SHIFT  28
#define PAPR_DRC_INDEX_ID_MASK     ((1u << PAPR_DRC_INDEX_TYPE_SHIFT) - 1)

/* The enum value is the type shift of the index encoding. */
typedef enum PaprDrcType {
    PAPR_DRC_TYPE_CPU  = 1,
    PAPR_DRC_TYPE_PHB  = 2,
    PAPR_DRC_TYPE_VIO  = 3,
    PAPR_DRC_TYPE_PCI  = 4,
    PAPR_DRC_TYPE_LMB  = 8,
    PAPR_DRC_TYPE_PMEM = 9,
} PaprDrcType;

/* A set of types for foreach/count: bit (1 << type). */
#define PAPR_DRC_MASK(t)           (1u << (t))
#define PAPR_DRC_MASK_ANY          0xffffffffu

/* LoPAPR states; the values are those migrated by QEMU. */
typedef enum PaprDrcState {
    PAPR_DRC_STATE_INVALID             = 0,
    PAPR_DRC_STATE_LOGICAL_UNUSABLE    = 1,
    PAPR_DRC_STATE_LOGICAL_AVAILABLE   = 2,
    PAPR_DRC_STATE_LOGICAL_UNISOLATE   = 3,
    PAPR_DRC_STATE_LOGICAL_CONFIGURED  = 4,
    PAPR_DRC_STATE_PHYSICAL_AVAILABLE  = 5,
    PAPR_DRC_STATE_PHYSICAL_POWERON    = 6,
    PAPR_DRC_STATE_PHYSICAL_UNISOLATE  = 7,
    PAPR_DRC_STATE_PHYSICAL_CONFIGURED = 8,
} PaprDrcState;

struct PaprDrc {
    uint32_t index;
    PaprDrcType type;
    uint32_t id;
    char *name;                 /* "PMEM 3" */
    SpaprDevice *dev;           /* attached device, or NULL (empty) */
    PaprDrcState state;
};

/* Result of a typed lookup: the SCM calls answer each case differently. */
typedef enum PaprDrcLookup {
    PAPR_DRC_FOUND,            /* right type, device attached */
    PAPR_DRC_NO_SUCH_INDEX,    /* no connector has this index */
    PAPR_DRC_EMPTY,            /* right type, nothing attached */
    PAPR_DRC_WRONG_TYPE,       /* the connector is of another type */
} PaprDrcLookup;

uint32_t papr_drc_index_make(PaprDrcType type, uint32_t id);
/* True and *type set if the index's type field is a known type. */
bool papr_drc_index_type(uint32_t index, PaprDrcType *type);
/* "PMEM", "MEM", "CPU", "PHB", "28" (the ibm,drc-types strings). */
const char *papr_drc_type_name(PaprDrcType type);
/* "PMEM ", "LMB ", "CPU ", "PHB ", "C" (the ibm,drc-names prefixes). */
const char *papr_drc_name_prefix(PaprDrcType type);
bool papr_drc_is_logical(PaprDrcType type);

PaprDrcRegistry *papr_drc_registry_new(void);
void papr_drc_registry_free(PaprDrcRegistry *reg);

/* Create and register a connector; fails on a duplicate or invalid id. */
PaprDrc *papr_drc_new(PaprDrcRegistry *reg, PaprDrcType type,
                        uint32_t id, GError **errp);
/* Unregister and free a connector (it must be empty). */
bool papr_drc_delete(PaprDrcRegistry *reg, uint32_t index, GError **errp);

/* O(1). NULL if no connector has @index. */
PaprDrc *papr_drc_by_index(PaprDrcRegistry *reg, uint32_t index);
/* O(1) typed lookup; *out is set for FOUND and EMPTY, else NULL. */
PaprDrcLookup papr_drc_lookup(PaprDrcRegistry *reg, uint32_t index,
                                PaprDrcType type, PaprDrc **out);

bool papr_drc_attach(PaprDrc *drc, SpaprDevice *dev, GError **errp);
void papr_drc_detach(PaprDrc *drc);
/* Machine reset: ready state when a device is attached, else empty. */
void papr_drc_reset(PaprDrc *drc);

/* Connectors whose type is in @mask, in ascending index order. */
unsigned int papr_drc_count(PaprDrcRegistry *reg, uint32_t mask);
typedef void (*PaprDrcFunc)(PaprDrc *drc, void *opaque);
void papr_drc_foreach(PaprDrcRegistry *reg, uint32_t mask,
                       PaprDrcFunc fn, void *opaque);

#endif
