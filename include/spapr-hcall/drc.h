/*
 * spapr-hcall: Dynamic Reconfiguration Connectors
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A DRC index is (type shift << 28) | id, as on PowerVM and QEMU: a PMEM
 * connector for slot n is 0x90000000 + n.
 */
#ifndef SPAPR_HCALL_DRC_H
#define SPAPR_HCALL_DRC_H

#include "spapr-hcall/types.h"

#define SPAPR_DRC_INDEX_TYPE_SHIFT  28
#define SPAPR_DRC_INDEX_ID_MASK     ((1u << SPAPR_DRC_INDEX_TYPE_SHIFT) - 1)

/* The enum value is the type shift of the index encoding. */
typedef enum SpaprDrcType {
    SPAPR_DRC_TYPE_CPU  = 1,
    SPAPR_DRC_TYPE_PHB  = 2,
    SPAPR_DRC_TYPE_VIO  = 3,
    SPAPR_DRC_TYPE_PCI  = 4,
    SPAPR_DRC_TYPE_LMB  = 8,
    SPAPR_DRC_TYPE_PMEM = 9,
} SpaprDrcType;

/* A set of types for foreach/count: bit (1 << type). */
#define SPAPR_DRC_MASK(t)           (1u << (t))
#define SPAPR_DRC_MASK_ANY          0xffffffffu

/* LoPAPR states; the values are those migrated by QEMU. */
typedef enum SpaprDrcState {
    SPAPR_DRC_STATE_INVALID             = 0,
    SPAPR_DRC_STATE_LOGICAL_UNUSABLE    = 1,
    SPAPR_DRC_STATE_LOGICAL_AVAILABLE   = 2,
    SPAPR_DRC_STATE_LOGICAL_UNISOLATE   = 3,
    SPAPR_DRC_STATE_LOGICAL_CONFIGURED  = 4,
    SPAPR_DRC_STATE_PHYSICAL_AVAILABLE  = 5,
    SPAPR_DRC_STATE_PHYSICAL_POWERON    = 6,
    SPAPR_DRC_STATE_PHYSICAL_UNISOLATE  = 7,
    SPAPR_DRC_STATE_PHYSICAL_CONFIGURED = 8,
} SpaprDrcState;

struct SpaprDrc {
    uint32_t index;
    SpaprDrcType type;
    uint32_t id;
    char *name;                 /* "PMEM 3" */
    SpaprDevice *dev;           /* attached device, or NULL (empty) */
    SpaprDrcState state;
};

/* Result of a typed lookup: the SCM calls answer each case differently. */
typedef enum SpaprDrcLookup {
    SPAPR_DRC_FOUND,            /* right type, device attached */
    SPAPR_DRC_NO_SUCH_INDEX,    /* no connector has this index */
    SPAPR_DRC_EMPTY,            /* right type, nothing attached */
    SPAPR_DRC_WRONG_TYPE,       /* the connector is of another type */
} SpaprDrcLookup;

uint32_t spapr_drc_index_make(SpaprDrcType type, uint32_t id);
/* True and *type set if the index's type field is a known type. */
bool spapr_drc_index_type(uint32_t index, SpaprDrcType *type);
/* "PMEM", "MEM", "CPU", "PHB", "28" (the ibm,drc-types strings). */
const char *spapr_drc_type_name(SpaprDrcType type);
/* "PMEM ", "LMB ", "CPU ", "PHB ", "C" (the ibm,drc-names prefixes). */
const char *spapr_drc_name_prefix(SpaprDrcType type);
bool spapr_drc_is_logical(SpaprDrcType type);

SpaprDrcRegistry *spapr_drc_registry_new(void);
void spapr_drc_registry_free(SpaprDrcRegistry *reg);

/* Create and register a connector; fails on a duplicate or invalid id. */
SpaprDrc *spapr_drc_new(SpaprDrcRegistry *reg, SpaprDrcType type,
                        uint32_t id, GError **errp);
/* Unregister and free a connector (it must be empty). */
bool spapr_drc_delete(SpaprDrcRegistry *reg, uint32_t index, GError **errp);

/* O(1). NULL if no connector has @index. */
SpaprDrc *spapr_drc_by_index(SpaprDrcRegistry *reg, uint32_t index);
/* O(1) typed lookup; *out is set for FOUND and EMPTY, else NULL. */
SpaprDrcLookup spapr_drc_lookup(SpaprDrcRegistry *reg, uint32_t index,
                                SpaprDrcType type, SpaprDrc **out);

bool spapr_drc_attach(SpaprDrc *drc, SpaprDevice *dev, GError **errp);
void spapr_drc_detach(SpaprDrc *drc);
/* Machine reset: ready state when a device is attached, else empty. */
void spapr_drc_reset(SpaprDrc *drc);

/* Connectors whose type is in @mask, in ascending index order. */
unsigned int spapr_drc_count(SpaprDrcRegistry *reg, uint32_t mask);
typedef void (*SpaprDrcFunc)(SpaprDrc *drc, void *opaque);
void spapr_drc_foreach(SpaprDrcRegistry *reg, uint32_t mask,
                       SpaprDrcFunc fn, void *opaque);

#endif
