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

struct SpaprDrcRegistry {
    GHashTable *by_index;           /* index -> SpaprDrc */
    GPtrArray *sorted;              /* SpaprDrc, ascending index */
    /* type -> array of DRC_DENSE_IDS pointers, allocated on first use */
    SpaprDrc **dense[SPAPR_DRC_TYPE_PMEM + 1];
};

typedef struct DrcTypeInfo {
    const char *type_name;
    const char *name_prefix;
    bool logical;
} DrcTypeInfo;

static const DrcTypeInfo drc_types[] = {
    [SPAPR_DRC_TYPE_CPU]  = { "CPU",  "CPU ",  true },
    [SPAPR_DRC_TYPE_PHB]  = { "PHB",  "PHB ",  true },
    [SPAPR_DRC_TYPE_VIO]  = { "SLOT", "C",     false },
    [SPAPR_DRC_TYPE_PCI]  = { "28",   "C",     false },
    [SPAPR_DRC_TYPE_LMB]  = { "MEM",  "LMB ",  true },
    [SPAPR_DRC_TYPE_PMEM] = { "PMEM", "PMEM ", true },
};

static const DrcTypeInfo *type_info(SpaprDrcType type)
{
    if ((unsigned int)type >= G_N_ELEMENTS(drc_types) ||
        !drc_types[type].type_name) {
        return NULL;
    }
    return &drc_types[type];
}

uint32_t spapr_drc_index_make(SpaprDrcType type, uint32_t id)
{
    return ((uint32_t)type << SPAPR_DRC_INDEX_TYPE_SHIFT) |
           (id & SPAPR_DRC_INDEX_ID_MASK);
}

bool spapr_drc_index_type(uint32_t index, SpaprDrcType *type)
{
    SpaprDrcType t = index >> SPAPR_DRC_INDEX_TYPE_SHIFT;

    if (!type_info(t)) {
        return false;
    }
    *type = t;
    return true;
}

const char *spapr_drc_type_name(SpaprDrcType type)
{
    const DrcTypeInfo *ti = type_info(type);

    return ti ? ti->type_name : NULL;
}

const char *spapr_drc_name_prefix(SpaprDrcType type)
{
    const DrcTypeInfo *ti = type_info(type);

    return ti ? ti->name_prefix : NULL;
}

bool spapr_drc_is_logical(SpaprDrcType type)
{
    const DrcTypeInfo *ti = type_info(type);

    return ti && ti->logical;
}

static void drc_free(SpaprDrc *drc)
{
    g_free(drc->name);
    g_free(drc);
}

SpaprDrcRegistry *spapr_drc_registry_new(void)
{
    SpaprDrcRegistry *reg = g_new0(SpaprDrcRegistry, 1);

    reg->by_index = g_hash_table_new(g_direct_hash, g_direct_equal);
    reg->sorted = g_ptr_array_new_with_free_func((GDestroyNotify)drc_free);
    return reg;
}

void spapr_drc_registry_free(SpaprDrcRegistry *reg)
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
static guint sorted_pos(SpaprDrcRegistry *reg, uint32_t index)
{
    guint lo = 0, hi = reg->sorted->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        SpaprDrc *d = g_ptr_array_index(reg->sorted, mid);

        if (d->index < index) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static SpaprDrcState empty_state(SpaprDrcType type)
{
    return spapr_drc_is_logical(type) ? SPAPR_DRC_STATE_LOGICAL_UNUSABLE
                                      : SPAPR_DRC_STATE_PHYSICAL_POWERON;
}

static SpaprDrcState ready_state(SpaprDrcType type)
{
    return spapr_drc_is_logical(type) ? SPAPR_DRC_STATE_LOGICAL_CONFIGURED
                                      : SPAPR_DRC_STATE_PHYSICAL_CONFIGURED;
}

SpaprDrc *spapr_drc_new(SpaprDrcRegistry *reg, SpaprDrcType type,
                        uint32_t id, GError **errp)
{
    const DrcTypeInfo *ti = type_info(type);
    SpaprDrc *drc;
    uint32_t index;

    if (!ti) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "unknown DRC type %d", type);
        return NULL;
    }
    if (id > SPAPR_DRC_INDEX_ID_MASK) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "DRC id %u does not fit in 28 bits", id);
        return NULL;
    }
    index = spapr_drc_index_make(type, id);
    if (g_hash_table_contains(reg->by_index, GUINT_TO_POINTER(index))) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_EXISTS,
                    "DRC index 0x%08x already exists", index);
        return NULL;
    }
    drc = g_new0(SpaprDrc, 1);
    drc->index = index;
    drc->type = type;
    drc->id = id;
    drc->name = g_strdup_printf("%s%u", ti->name_prefix, id);
    drc->state = empty_state(type);
    g_hash_table_insert(reg->by_index, GUINT_TO_POINTER(index), drc);
    g_ptr_array_insert(reg->sorted, sorted_pos(reg, index), drc);
    if (id < DRC_DENSE_IDS) {
        if (!reg->dense[type]) {
            reg->dense[type] = g_new0(SpaprDrc *, DRC_DENSE_IDS);
        }
        reg->dense[type][id] = drc;
    }
    return drc;
}

bool spapr_drc_delete(SpaprDrcRegistry *reg, uint32_t index, GError **errp)
{
    SpaprDrc *drc = spapr_drc_by_index(reg, index);

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

SpaprDrc *spapr_drc_by_index(SpaprDrcRegistry *reg, uint32_t index)
{
    unsigned int type = index >> SPAPR_DRC_INDEX_TYPE_SHIFT;
    uint32_t id = index & SPAPR_DRC_INDEX_ID_MASK;

    /* Hot path of every SCM hcall: small ids skip the hash table */
    if (id < DRC_DENSE_IDS && type < G_N_ELEMENTS(reg->dense)) {
        return reg->dense[type] ? reg->dense[type][id] : NULL;
    }
    return g_hash_table_lookup(reg->by_index, GUINT_TO_POINTER(index));
}

SpaprDrcLookup spapr_drc_lookup(SpaprDrcRegistry *reg, uint32_t index,
                                SpaprDrcType type, SpaprDrc **out)
{
    SpaprDrc *drc = spapr_drc_by_index(reg, index);

    *out = NULL;
    if (!drc) {
        return SPAPR_DRC_NO_SUCH_INDEX;
    }
    if (drc->type != type) {
        return SPAPR_DRC_WRONG_TYPE;
    }
    *out = drc;
    return drc->dev ? SPAPR_DRC_FOUND : SPAPR_DRC_EMPTY;
}

bool spapr_drc_attach(SpaprDrc *drc, SpaprDevice *dev, GError **errp)
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

void spapr_drc_detach(SpaprDrc *drc)
{
    drc->dev = NULL;
    drc->state = empty_state(drc->type);
}

void spapr_drc_reset(SpaprDrc *drc)
{
    drc->state = drc->dev ? ready_state(drc->type) : empty_state(drc->type);
}

unsigned int spapr_drc_count(SpaprDrcRegistry *reg, uint32_t mask)
{
    unsigned int n = 0;
    guint i;

    for (i = 0; i < reg->sorted->len; i++) {
        SpaprDrc *drc = g_ptr_array_index(reg->sorted, i);

        n += (mask >> drc->type) & 1;
    }
    return n;
}

void spapr_drc_foreach(SpaprDrcRegistry *reg, uint32_t mask,
                       SpaprDrcFunc fn, void *opaque)
{
    guint i;

    for (i = 0; i < reg->sorted->len; i++) {
        SpaprDrc *drc = g_ptr_array_index(reg->sorted, i);

        if ((mask >> drc->type) & 1) {
            fn(drc, opaque);
        }
    }
}
