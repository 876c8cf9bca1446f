/*
 * spapr-hcall: binding nvdimm blocks into the guest physical address map
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A binding is a real map() of backend memory.  One BIND_MEM call maps at
 * most bind_chunk_blocks blocks with one map(), so a 1 TiB bind is a few
 * calls answered H_BUSY with a continue token; the whole target range is
 * chosen (and reserved) by the first call, so the chunks are contiguous.
 * Unbinding splits a mapping when only part of it goes away.
 *
 * Every function here runs with the machine lock held.
 */
#include "nvdimm-internal.h"
#include "trace-events.h"

#define BS  SPAPR_SCM_BLOCK_SIZE

bool spapr_nvdimm_bind_init(SpaprNvdimm *nv)
{
    uint64_t i;

    nv->block_gpa = g_new(uint64_t, nv->nr_blocks);
    for (i = 0; i < nv->nr_blocks; i++) {
        nv->block_gpa[i] = SPAPR_NVDIMM_UNBOUND;
    }
    nv->bindings = g_array_new(FALSE, FALSE, sizeof(NvdimmBinding));
    return true;
}

void spapr_nvdimm_bind_cleanup(SpaprNvdimm *nv)
{
    g_free(nv->block_gpa);
    nv->block_gpa = NULL;
    if (nv->bindings) {
        g_array_free(nv->bindings, TRUE);
        nv->bindings = NULL;
    }
}

uint64_t spapr_nvdimm_next_token(SpaprNvdimm *nv)
{
    /* Never 0, which means "no token" */
    if (++nv->next_token == 0) {
        nv->next_token = 1;
    }
    return nv->next_token;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b,
                           uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

typedef struct RangeCheck {
    uint64_t gpa;
    uint64_t len;
    bool clash;
    uint64_t max_end;           /* end of the clashing range */
} RangeCheck;

/* Does [gpa, +len) hit a binding or a reserved bind of any nvdimm? */
static void check_device(SpaprDevice *dev, void *opaque)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    RangeCheck *rc = opaque;
    guint i;

    if (!nv || !nv->bindings) {
        return;
    }
    for (i = 0; i < nv->bindings->len; i++) {
        NvdimmBinding *b = &g_array_index(nv->bindings, NvdimmBinding, i);
        uint64_t blen = b->nblocks * BS;

        if (ranges_overlap(rc->gpa, rc->len, b->gpa, blen)) {
            rc->clash = true;
            rc->max_end = MAX(rc->max_end, b->gpa + blen);
        }
    }
    if (nv->bind_op.token) {
        uint64_t olen = nv->bind_op.count * BS;

        if (ranges_overlap(rc->gpa, rc->len, nv->bind_op.gpa, olen)) {
            rc->clash = true;
            rc->max_end = MAX(rc->max_end, nv->bind_op.gpa + olen);
        }
    }
}

/* The machine's allocator asks: is [gpa, +len) bound or reserved? */
static bool nvdimm_gpa_busy(void *opaque, uint64_t gpa, uint64_t len,
                            uint64_t *skip_to)
{
    RangeCheck rc = { gpa, len, false, 0 };

    spapr_machine_foreach_device(opaque, check_device, &rc);
    *skip_to = rc.max_end;
    return rc.clash;
}

static bool any_bound(SpaprNvdimm *nv, uint64_t start, uint64_t count)
{
    uint64_t i;

    for (i = start; i < start + count; i++) {
        if (nv->block_gpa[i] != SPAPR_NVDIMM_UNBOUND) {
            return true;
        }
    }
    return false;
}

static char *region_name(SpaprNvdimm *nv, uint64_t block)
{
    return g_strdup_printf("%s.block%" PRIu64, nv->parent.id, block);
}

static bool map_run(SpaprNvdimm *nv, uint64_t gpa, uint64_t block,
                    uint64_t n, GError **errp)
{
    g_autofree char *name = region_name(nv, block);
    NvdimmBinding b = { gpa, block, n };
    uint64_t i;

    if (!spapr_machine_map(nv->m, name, gpa, n * BS, nv->host + block * BS,
                           errp)) {
        return false;
    }
    g_array_append_val(nv->bindings, b);
    for (i = 0; i < n; i++) {
        __atomic_store_n(&nv->block_gpa[block + i], gpa + i * BS,
                         __ATOMIC_RELEASE);
    }
    return true;
}

bool spapr_nvdimm_bind_restore(SpaprNvdimm *nv, uint64_t gpa,
                               uint64_t block, uint64_t n, GError **errp)
{
    if (!map_run(nv, gpa, block, n, errp)) {
        return false;
    }
    trace_spapr_nvdimm_bind(nv->m, nv->parent.id, block, n, gpa);
    return true;
}

static void unmap_binding(SpaprNvdimm *nv, guint idx)
{
    NvdimmBinding b = g_array_index(nv->bindings, NvdimmBinding, idx);
    uint64_t i;

    spapr_machine_unmap(nv->m, b.gpa, b.nblocks * BS);
    for (i = 0; i < b.nblocks; i++) {
        __atomic_store_n(&nv->block_gpa[b.block + i], SPAPR_NVDIMM_UNBOUND,
                         __ATOMIC_RELEASE);
    }
    g_array_remove_index_fast(nv->bindings, idx);
}

NvdimmBindStatus spapr_nvdimm_bind(SpaprNvdimm *nv, uint64_t start,
                                   uint64_t count, uint64_t target,
                                   uint64_t token_in, uint64_t *token,
                                   uint64_t *gpa, uint64_t *bound)
{
    NvdimmBindOp *op = &nv->bind_op;
    g_autoptr(GError) err = NULL;
    uint64_t n, addr;

    if (token_in) {
        if (!op->token || op->token != token_in || op->start != start ||
            op->count != count || op->target != target) {
            return NVDIMM_BIND_BAD_TOKEN;
        }
    } else {
        if (start >= nv->nr_blocks) {
            return NVDIMM_BIND_BAD_START;
        }
        if (count == 0 || count > nv->nr_blocks - start) {
            return NVDIMM_BIND_BAD_COUNT;
        }
        if (target != SPAPR_SCM_BIND_ANY_ADDR &&
            (target % BS || target + (count * BS - 1) < target)) {
            return NVDIMM_BIND_BAD_TARGET;
        }
        /* A bind left unfinished is abandoned; what it bound stays */
        memset(op, 0, sizeof(*op));
        if (any_bound(nv, start, count)) {
            return NVDIMM_BIND_OVERLAP;
        }
        if (target == SPAPR_SCM_BIND_ANY_ADDR) {
            if (!spapr_machine_alloc_gpa(nv->m, count * BS,
                                         nvdimm_gpa_busy, nv->m, &addr)) {
                return NVDIMM_BIND_NO_SPACE;
            }
        } else {
            if (!spapr_machine_gpa_free(nv->m, target, count * BS,
                                        nvdimm_gpa_busy, nv->m)) {
                return NVDIMM_BIND_OVERLAP;
            }
            addr = target;
        }
        op->token = spapr_nvdimm_next_token(nv);
        op->start = start;
        op->count = count;
        op->target = target;
        op->gpa = addr;
        op->done = 0;
    }

    n = MIN(nv->bind_chunk_blocks, op->count - op->done);
    if (!map_run(nv, op->gpa + op->done * BS, op->start + op->done, n,
                 &err)) {
        bool overlap = g_error_matches(err, SPAPR_ERROR,
                                       SPAPR_ERROR_OVERLAP);

        spapr_machine_log(nv->m, SPAPR_LOG_WARNING, "nvdimm '%s': bind: %s",
                          nv->parent.id, err->message);
        /* Undo this operation's earlier chunks: all or nothing */
        spapr_nvdimm_unbind_range(nv, op->gpa, op->done, UINT_MAX, NULL,
                                  NULL);
        memset(op, 0, sizeof(*op));
        return overlap ? NVDIMM_BIND_OVERLAP : NVDIMM_BIND_HOST_ERROR;
    }
    op->done += n;
    nvdimm_stat_add(nv, NVDIMM_STAT_BINDS, n);
    trace_spapr_nvdimm_bind(nv->m, nv->parent.id, op->start + op->done - n,
                            n, op->gpa + (op->done - n) * BS);
    *gpa = op->gpa;
    *bound = op->done;
    if (op->done < op->count) {
        *token = op->token;
        return NVDIMM_BIND_MORE;
    }
    memset(op, 0, sizeof(*op));
    *token = 0;
    return NVDIMM_BIND_DONE;
}

uint64_t spapr_nvdimm_unbind_range(SpaprNvdimm *nv, uint64_t gpa,
                                   uint64_t count, unsigned int budget,
                                   bool *more, bool *host_error)
{
    uint64_t len = count * BS, unbound = 0;
    guint i = 0;

    if (more) {
        *more = false;
    }
    while (count && i < nv->bindings->len) {
        NvdimmBinding b = g_array_index(nv->bindings, NvdimmBinding, i);
        uint64_t blen = b.nblocks * BS, lo, hi;
        g_autoptr(GError) err = NULL;

        if (!ranges_overlap(gpa, len, b.gpa, blen)) {
            i++;
            continue;
        }
        if (budget-- == 0) {
            /* Bounded work per call: the caller hands out a token */
            if (more) {
                *more = true;
            }
            break;
        }
        lo = MAX(gpa, b.gpa);
        hi = MIN(gpa + len, b.gpa + blen);
        unmap_binding(nv, i);
        unbound += (hi - lo) / BS;
        /* Keep the parts outside the range (new entries go to the end) */
        if (lo > b.gpa &&
            !map_run(nv, b.gpa, b.block, (lo - b.gpa) / BS, &err)) {
            goto remap_failed;
        }
        if (hi < b.gpa + blen &&
            !map_run(nv, hi, b.block + (hi - b.gpa) / BS,
                     (b.gpa + blen - hi) / BS, &err)) {
            goto remap_failed;
        }
        /* Slot i now holds an unvisited entry (remove_index_fast) */
        continue;
remap_failed:
        spapr_machine_log(nv->m, SPAPR_LOG_ERROR,
                          "nvdimm '%s': cannot keep a partial binding: %s",
                          nv->parent.id, err->message);
        if (host_error) {
            *host_error = true;
        }
    }
    if (unbound) {
        nvdimm_stat_add(nv, NVDIMM_STAT_UNBINDS, unbound);
        trace_spapr_nvdimm_unbind(nv->m, nv->parent.id, gpa, unbound);
    }
    return unbound;
}

uint64_t spapr_nvdimm_unbind_all(SpaprNvdimm *nv, unsigned int budget,
                                 bool *more)
{
    uint64_t n = 0;

    memset(&nv->bind_op, 0, sizeof(nv->bind_op));
    if (more) {
        *more = false;
    }
    if (!nv->bindings) {
        return 0;
    }
    while (nv->bindings->len) {
        if (budget-- == 0) {
            if (more) {
                *more = true;
            }
            break;
        }
        n += g_array_index(nv->bindings, NvdimmBinding,
                           nv->bindings->len - 1).nblocks;
        unmap_binding(nv, nv->bindings->len - 1);
    }
    if (n) {
        nvdimm_stat_add(nv, NVDIMM_STAT_UNBINDS, n);
        trace_spapr_nvdimm_unbind(nv->m, nv->parent.id, 0, n);
    }
    return n;
}

uint64_t spapr_nvdimm_block_gpa(SpaprNvdimm *nv, uint64_t block)
{
    return block < nv->nr_blocks
           ? __atomic_load_n(&nv->block_gpa[block], __ATOMIC_ACQUIRE)
           : SPAPR_NVDIMM_UNBOUND;
}

/* How many blocks of [gpa, + count blocks) are bound to @nv. */
uint64_t spapr_nvdimm_range_bound(SpaprNvdimm *nv, uint64_t gpa,
                                  uint64_t count)
{
    uint64_t len = count * BS, n = 0;
    guint i;

    for (i = 0; i < nv->bindings->len; i++) {
        NvdimmBinding *b = &g_array_index(nv->bindings, NvdimmBinding, i);
        uint64_t blen = b->nblocks * BS;

        if (ranges_overlap(gpa, len, b->gpa, blen)) {
            n += (MIN(gpa + len, b->gpa + blen) - MAX(gpa, b->gpa)) / BS;
        }
    }
    return n;
}

bool spapr_nvdimm_gpa_block(SpaprNvdimm *nv, uint64_t gpa, uint64_t *block)
{
    guint i;

    for (i = 0; i < nv->bindings->len; i++) {
        NvdimmBinding *b = &g_array_index(nv->bindings, NvdimmBinding, i);

        if (gpa >= b->gpa && gpa - b->gpa < b->nblocks * BS) {
            *block = b->block + (gpa - b->gpa) / BS;
            return true;
        }
    }
    return false;
}

uint64_t spapr_nvdimm_bound_blocks(SpaprNvdimm *nv)
{
    uint64_t n = 0;
    guint i;

    for (i = 0; i < nv->bindings->len; i++) {
        n += g_array_index(nv->bindings, NvdimmBinding, i).nblocks;
    }
    return n;
}
