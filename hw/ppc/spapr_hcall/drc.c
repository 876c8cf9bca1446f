/*
 * spapr-hcall: DRC registry
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A hash table gives O(1) lookup by index; a sorted array gives the stable
 * ascending order the device tree is written in.
 */
#include "internal.h"

/* Ids below this are found through a per-type array, without hashing */
#define DRC_DENSE_IDS   4096

struct PaprDrcRegistry {
    GHashTable *by_index;           /* index -> PaprDrc */
    GPtrArray *sorted;              /* PaprDrc, ascending index */
    /* type -> array of DRC_DENSE_IDS pointers, allocated on first use */
    PaprDrc **dense[PAPR_DRC_TYPE_PMEM + 1];
};

typedef struct DrcTypeInfo {
    const char *type_name;
    const char *name_prefix;
    bool logical;
} DrcTypeInfo;

static const DrcTypeInfo drc_types[] = {
    [PAPR_DRC_TYPE_CPU]  = { "CPU",  "CPU ",  true },
    [PAPR_DRC_TYPE_PHB]  = { "PHB",  "PHB ",  true },
    [PAPR_DRC_TYPE_VIO]  = { "SLOT", "C",     false },
    [PAPR_DRC_TYPE_PCI]  = { "28",   "C",     false },
    [PAPR_DRC_TYPE_LMB]  = { "MEM",  "LMB ",  true },
    [PAPR_DRC_TYPE_PMEM] = { "PMEM", "PMEM ", true },
};

static const DrcTypeInfo *type_info(PaprDrcType type)
{
    if ((unsigned int)type >= G_N_ELEMENTS(drc_types) ||
        !drc_types[type].type_name) {
        return NULL;
    }
    return &drc_types[type];
}

uint32_t papr_drc_index_make(PaprDrcType type, uint32_t id)
{
    return ((uint32_t)type << PAPR_DRC_INDEX_TYPE_SHIFT) |
           (id & PAPR_DRC_INDEX_ID_MASK);
}

bool papr_drc_index_type(uint32_t index, PaprDrcType *type)
{
    PaprDrcType t = index >> PAPR_DRC_INDEX_TYPE_SHIFT;

    if (!type_info(t)) {
        return false;
    }
    *type = t;
    return true;
}

const char *papr_drc_type_name(PaprDrcType type)
{
    const DrcTypeInfo *ti = type_info(type);

    return ti ? ti->type_name : NULL;
}

const char *papr_drc_name_prefix(PaprDrcType type)
{
    const DrcTypeInfo *ti = type_info(type);

    return ti ? ti->name_prefix : NULL;
}

bool papr_drc_is_logical(PaprDrcType type)
{
    const DrcTypeInfo *ti = type_info(type);

    return ti && ti->logical;
}

static void drc_free(PaprDrc *drc)
{
    g_free(drc->name);
    g_free(drc);
}

PaprDrcRegistry *papr_drc_registry_new(void)
{
    PaprDrcRegistry *reg = g_new0(PaprDrcRegistry, 1);

    reg->by_index = g_hash_table_new(g_direct_hash, g_direct_equal);
    reg->sorted = g_ptr_array_new_with_free_func((GDestroyNotify)drc_free);
    return reg;
}

void papr_drc_registry_free(PaprDrcRegistry *reg)
{
    unsigned int t;

    if (!reg) {
        return;
    }
    g_hash_table_destroy(reg->by_index);
    g_ptr_array_free(reg->sorted, TRUE);
    for (t = 0; t < G_N_ELEMENTS(reg->dense); t++) {
        g_free(reg->dense[t]);
    }
    g_free(reg);
}

/* Position of the first connector with an index >= @index. */
static guint sorted_pos(PaprDrcRegistry *reg, uint32_t index)
{
    guint lo = 0, hi = reg->sorted->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        PaprDrc *d = g_ptr_array_index(reg->sorted, mid);

        if (d->index < index) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static PaprDrcState empty_state(PaprDrcType type)
{
    return papr_drc_is_logical(type) ? PAPR_DRC_STATE_LOGICAL_UNUSABLE
                                      : PAPR_DRC_STATE_PHYSICAL_POWERON;
}

static PaprDrcState ready_state(PaprDrcType type)
{
    return papr_drc_is_logical(type) ? PAPR_DRC_STATE_LOGICAL_CONFIGURED
                                      : PAPR_DRC_STATE_PHYSICAL_CONFIGURED;
}

PaprDrc *papr_drc_new(PaprDrcRegistry *reg, PaprDrcType type,
                        uint32_t id, GError **errp)
{
    const DrcTypeInfo *ti = type_info(type);
    PaprDrc *drc;
    uint32_t index;

    if (!ti) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "unknown DRC type %d", type);
        return NULL;
    }
    if (id > PAPR_DRC_INDEX_ID_MASK) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "DRC id %u does not fit in 28 bits", id);
        return NULL;
    }
    index = papr_drc_index_make(type, id);
    if (g_hash_table_contains(reg->by_index, GUINT_TO_POINTER(index))) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_EXISTS,
                    "DRC index 0x%08x already exists", index);
        return NULL;
    }
    drc = g_new0(PaprDrc, 1);
    drc->index = index;
    drc->type = type;
    drc->id = id;
    drc->name = g_strdup_printf("%s%u", ti->name_prefix, id);
    drc->state = empty_state(type);
    g_hash_table_insert(reg->by_index, GUINT_TO_POINTER(index), drc);
    g_ptr_array_insert(reg->sorted, sorted_pos(reg, index), drc);
    if (id < DRC_DENSE_IDS) {
        if (!reg->dense[type]) {
            reg->dense[type] = g_new0(PaprDrc *, DRC_DENSE_IDS);
        }
        reg->dense[type][id] = drc;
    }
    return drc;
}

bool papr_drc_delete(PaprDrcRegistry *reg, uint32_t index, GError **errp)
{
    PaprDrc *drc = papr_drc_by_index(reg, index);

    if (!drc) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_NOT_FOUND,
                    "no DRC with index 0x%08x", index);
        return false;
    }
    if (drc->dev) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "DRC %s still holds device '%s'", drc->name,
                    drc->dev->id);
        return false;
    }
    if (drc->id < DRC_DENSE_IDS) {
        reg->dense[drc->type][drc->id] = NULL;
    }
    g_hash_table_remove(reg->by_index, GUINT_TO_POINTER(index));
    g_ptr_array_remove_index(reg->sorted, sorted_pos(reg, index));
    return true;
}

PaprDrc *papr_drc_by_index(PaprDrcRegistry *reg, uint32_t index)
{
    unsigned int type = index >> PAPR_DRC_INDEX_TYPE_SHIFT;
    uint32_t id = index & PAPR_DRC_INDEX_ID_MASK;

    /* Hot path of every SCM hcall: small ids skip the hash table */
    if (id < DRC_DENSE_IDS && type < G_N_ELEMENTS(reg->dense)) {
        return reg->dense[type] ? reg->dense[type][id] : NULL;
    }
    return g_hash_table_lookup(reg->by_index, GUINT_TO_POINTER(index));
}

PaprDrcLookup papr_drc_lookup(PaprDrcRegistry *reg, uint32_t index,
                                PaprDrcType type, PaprDrc **out)
{
    PaprDrc *drc = papr_drc_by_index(reg, index);

    *out = NULL;
    if (!drc) {
        return PAPR_DRC_NO_SUCH_INDEX;
    }
    if (drc->type != type) {
        return PAPR_DRC_WRONG_TYPE;
    }
    *out = drc;
    return drc->dev ? PAPR_DRC_FOUND : PAPR_DRC_EMPTY;
}

bool papr_drc_attach(PaprDrc *drc, SpaprDevice *dev, GError **errp)
{
    if (drc->dev) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_EXISTS,
                    "DRC %s (0x%08x) already holds device '%s'", drc->name,
                    drc->index, drc->dev->id);
        return false;
    }
    drc->dev = dev;
    /* Cold-plugged: the state becomes ready at the next reset */
    return true;
}

void papr_drc_detach(PaprDrc *drc)
{
    drc->dev = NULL;
    drc->state = empty_state(drc->type);
}

void papr_drc_reset(PaprDrc *drc)
{
    drc->state = drc->dev ? ready_state(drc->type) : empty_state(drc->type);
}

unsigned int papr_drc_count(PaprDrcRegistry *reg, uint32_t mask)
{
    unsigned int n = 0;
    guint i;

    for (i = 0; i < reg->sorted->len; i++) {
        PaprDrc *drc = g_ptr_array_index(reg->sorted, i);

        n += (mask >> drc->type) & 1;
    }
    return n;
}

void papr_drc_foreach(PaprDrcRegistry *reg, uint32_t mask,
                       PaprDrcFunc fn, void *opaque)
{
    guint i;

    for (i = 0; i < reg->sorted->len; i++) {
        PaprDrc *drc = g_ptr_array_index(reg->sorted, i);

        if ((mask >> drc->type) & 1) {
            fn(drc, opaque);
        }
    }
}
