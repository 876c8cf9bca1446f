/*
 * spapr-hcall: an NVDIMM's run-time state in the machine state stream
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Record (version 1), keyed by the DRC index:
 *   geometry: u64 blocks, u64 label size, u8 hcall-flush-required
 *   str uuid, u64 health, u64 persistence-failed count, u64 power-on ns
 *   u64 next token, bind op (6 x u64), unbind op (6 x u64),
 *   u64 UNBIND_ALL token (scope DRC), u64 UNBIND_ALL token (scope all)
 *   u32 n, n x (u64 gpa, u64 first block, u64 blocks): the bindings
 *   u32 n, n x u64: statistics (NvdimmStat order)
 *   flush tokens (nvdimm-flush.c)
 *   appended, may be absent: injected faults (nvdimm-fault.c)
 * The geometry must match the destination's device; everything else
 * replaces the destination's.  The data area and the labels are not
 * here: they are in the host's memory backend.
 */
#include <string.h>
#include "nvdimm-internal.h"

#define BS  SPAPR_SCM_BLOCK_SIZE

uint32_t spapr_nvdimm_state_key_(SpaprDevice *dev)
{
    return spapr_nvdimm_from_device(dev)->drc->index;
}

static void put_op(GByteArray *w, const NvdimmBindOp *op)
{
    spapr_state_put_u64(w, op->token);
    spapr_state_put_u64(w, op->start);
    spapr_state_put_u64(w, op->count);
    spapr_state_put_u64(w, op->target);
    spapr_state_put_u64(w, op->gpa);
    spapr_state_put_u64(w, op->done);
}

static void get_op(SpaprStateReader *r, NvdimmBindOp *op)
{
    op->token = spapr_state_get_u64(r);
    op->start = spapr_state_get_u64(r);
    op->count = spapr_state_get_u64(r);
    op->target = spapr_state_get_u64(r);
    op->gpa = spapr_state_get_u64(r);
    op->done = spapr_state_get_u64(r);
}

void spapr_nvdimm_save_state_(SpaprDevice *dev, GByteArray *w)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    SpaprMachine *m = nv->m;
    unsigned int s;
    guint i;

    spapr_state_put_u64(w, nv->nr_blocks);
    spapr_state_put_u64(w, nv->label_size);
    spapr_state_put_u8(w, nv->hcall_flush);
    spapr_state_put_str(w, nv->uuid);
    spapr_state_put_u64(w, spapr_nvdimm_health(nv));
    spapr_state_put_u64(w, nv->persistence_failed_count);
    spapr_state_put_u64(w, spapr_machine_clock_ns(m) - nv->created_ns);

    g_mutex_lock(&nv->bindings_lock);
    spapr_state_put_u64(w, nv->next_token);
    put_op(w, &nv->bind_op);
    put_op(w, &nv->unbind_op);
    spapr_state_put_u64(w, nv->unbind_all_token);
    spapr_state_put_u64(w, nv->unbind_scope_all_token);
    spapr_state_put_u32(w, nv->bindings->len);
    for (i = 0; i < nv->bindings->len; i++) {
        NvdimmBinding *b = &g_array_index(nv->bindings, NvdimmBinding, i);

        spapr_state_put_u64(w, b->gpa);
        spapr_state_put_u64(w, b->block);
        spapr_state_put_u64(w, b->nblocks);
    }
    g_mutex_unlock(&nv->bindings_lock);

    spapr_state_put_u32(w, NVDIMM_STAT__MAX);
    for (s = 0; s < NVDIMM_STAT__MAX; s++) {
        spapr_state_put_u64(w, nvdimm_stat_sum_(nv, s));
    }
    spapr_nvdimm_flush_save_(nv->flush, w);
    spapr_nvdimm_fault_save_(nv, w);
}

/* A bind or unbind in progress must lie inside the device. */
static bool op_ok(SpaprNvdimm *nv, const NvdimmBindOp *op)
{
    return !op->token ||
           (op->start < nv->nr_blocks &&
            op->count <= nv->nr_blocks - op->start &&
            op->done <= op->count && !(op->gpa % BS));
}

/* Bindings inside the device, block-aligned, no block bound twice. */
static bool bindings_ok(SpaprNvdimm *nv, const GArray *bs, GError **errp)
{
    g_autofree uint8_t *used = g_new0(uint8_t, nv->nr_blocks);
    guint i;
    uint64_t k;

    for (i = 0; i < bs->len; i++) {
        const NvdimmBinding *b = &g_array_index(bs, NvdimmBinding, i);

        if (!b->nblocks || b->block >= nv->nr_blocks ||
            b->nblocks > nv->nr_blocks - b->block || b->gpa % BS ||
            b->gpa + b->nblocks * BS - 1 < b->gpa) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "binding of blocks %" PRIu64 "+%" PRIu64 " at "
                        "0x%" PRIx64 " does not fit the device",
                        b->block, b->nblocks, b->gpa);
            return false;
        }
        for (k = b->block; k < b->block + b->nblocks; k++) {
            if (used[k]++) {
                g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                            "block %" PRIu64 " is bound twice", k);
                return false;
            }
        }
    }
    return true;
}

/* The record after the geometry, read before anything is applied. */
typedef struct NvdimmRecord {
    char uuid[sizeof(((SpaprNvdimm *)0)->uuid)];
    uint64_t health;
    uint64_t pfc;               /* persistence-failed count */
    uint64_t pon_ns;
    uint64_t next_token;
    NvdimmBindOp bind_op;
    NvdimmBindOp unbind_op;
    uint64_t unbind_all;
    uint64_t unbind_scope_all;
    GArray *bindings;           /* NvdimmBinding */
    uint64_t stats[NVDIMM_STAT__MAX];
} NvdimmRecord;

/*
 * The geometry must be this device's: false with *errp if it is not.
 * A short record is left for the caller to report (r->bad).
 */
static bool load_geometry(SpaprNvdimm *nv, SpaprStateReader *r,
                          GError **errp)
{
    uint64_t nr_blocks = spapr_state_get_u64(r);
    uint64_t label_size = spapr_state_get_u64(r);
    bool hcall_flush = spapr_state_get_u8(r);

    if (r->bad) {
        return true;
    }
    if (nr_blocks != nv->nr_blocks || label_size != nv->label_size) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%" PRIu64 " blocks and %" PRIu64 " label bytes on the "
                    "source, %" PRIu64 " and %" PRIu64 " here", nr_blocks,
                    label_size, nv->nr_blocks, nv->label_size);
        return false;
    }
    if (hcall_flush != nv->hcall_flush) {
        /* The guest decided how to flush from the source's device tree */
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "ibm,hcall-flush-required is %s on the source and %s "
                    "here", hcall_flush ? "set" : "not set",
                    nv->hcall_flush ? "set" : "not set");
        return false;
    }
    return true;
}

/* Identity, operations in progress, bindings, statistics (or r->bad). */
static void load_record(SpaprStateReader *r, NvdimmRecord *rec)
{
    uint32_t n, i;

    if (!spapr_state_get_str(r, rec->uuid, sizeof(rec->uuid))) {
        return;
    }
    rec->health = spapr_state_get_u64(r);
    rec->pfc = spapr_state_get_u64(r);
    rec->pon_ns = spapr_state_get_u64(r);
    rec->next_token = spapr_state_get_u64(r);
    get_op(r, &rec->bind_op);
    get_op(r, &rec->unbind_op);
    rec->unbind_all = spapr_state_get_u64(r);
    rec->unbind_scope_all = spapr_state_get_u64(r);
    n = spapr_state_get_u32(r);
    for (i = 0; i < n && !r->bad; i++) {
        NvdimmBinding b;

        b.gpa = spapr_state_get_u64(r);
        b.block = spapr_state_get_u64(r);
        b.nblocks = spapr_state_get_u64(r);
        g_array_append_val(rec->bindings, b);
    }
    /* A newer source may count more: those are dropped */
    spapr_state_get_u64_array(r, rec->stats, NVDIMM_STAT__MAX);
}

/* Replace this device's bindings and operations with the record's. */
static bool apply_bindings(SpaprNvdimm *nv, const NvdimmRecord *rec,
                           GError **errp)
{
    bool ok = true;
    guint k;

    /* New claims on the address space: the machine lock, as a bind */
    g_mutex_lock(&nv->m->lock);
    g_mutex_lock(&nv->bindings_lock);
    /* Whatever this device had (a loadvm over a running guest) goes */
    spapr_nvdimm_unbind_all_(nv, UINT_MAX, NULL);
    for (k = 0; k < rec->bindings->len && ok; k++) {
        NvdimmBinding *b = &g_array_index(rec->bindings, NvdimmBinding, k);

        ok = spapr_nvdimm_bind_restore_(nv, b->gpa, b->block, b->nblocks,
                                       errp);
    }
    if (ok) {
        nv->next_token = rec->next_token;
        nv->bind_op = rec->bind_op;
        nv->unbind_op = rec->unbind_op;
        nv->unbind_all_token = rec->unbind_all;
        nv->unbind_scope_all_token = rec->unbind_scope_all;
    }
    g_mutex_unlock(&nv->bindings_lock);
    g_mutex_unlock(&nv->m->lock);
    return ok;
}

/* Identity, health, power-on time and statistics from the record. */
static void apply_identity(SpaprNvdimm *nv, const NvdimmRecord *rec)
{
    SpaprMachine *m = nv->m;
    int64_t now;
    unsigned int i;

    if (strcmp(rec->uuid, nv->uuid)) {
        /* The guest read the source's UUID; it must not change under it */
        spapr_machine_log(m, SPAPR_LOG_WARNING, "nvdimm '%s': UUID %s "
                          "from the source replaces %s", nv->parent.id,
                          rec->uuid, nv->uuid);
        memcpy(nv->uuid, rec->uuid, sizeof(nv->uuid));
    }
    __atomic_store_n(&nv->health, rec->health, __ATOMIC_RELAXED);
    __atomic_store_n(&nv->persistence_failed_count, rec->pfc,
                     __ATOMIC_RELAXED);
    /*
     * Powered on for as long as on the source; a stream claiming more
     * than this clock's whole range is clamped, so power-on time stays a
     * difference that fits (and no signed overflow on a corrupt one).
     */
    now = spapr_machine_clock_ns(m);
    nv->created_ns = now - (int64_t)MIN(rec->pon_ns, (uint64_t)MAX(now, 0));
    memset(nv->cpu_stats, 0, nv->nr_cpu_stats * sizeof(*nv->cpu_stats));
    for (i = 0; i < NVDIMM_STAT__MAX; i++) {
        __atomic_store_n(&nv->stats[i], rec->stats[i], __ATOMIC_RELAXED);
    }
}

bool spapr_nvdimm_load_state_(SpaprDevice *dev, SpaprStateReader *r,
                             bool apply, GError **errp)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    g_autoptr(GArray) bs = g_array_new(FALSE, FALSE, sizeof(NvdimmBinding));
    NvdimmRecord rec = { .bindings = bs };

    if (!load_geometry(nv, r, errp)) {
        return false;
    }
    load_record(r, &rec);
    if (r->bad) {
        return true;                /* the caller reports the record */
    }
    if (!g_uuid_string_is_valid(rec.uuid) || !op_ok(nv, &rec.bind_op) ||
        !op_ok(nv, &rec.unbind_op)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "malformed identity or operation in progress");
        return false;
    }
    if (!bindings_ok(nv, bs, errp) ||
        !spapr_nvdimm_flush_load_(nv->flush, r, apply, errp) ||
        !spapr_nvdimm_fault_load_(nv, r, apply, errp)) {
        return false;
    }
    if (!apply) {
        return true;
    }
    if (!apply_bindings(nv, &rec, errp)) {
        return false;
    }
    apply_identity(nv, &rec);
    return true;
}
