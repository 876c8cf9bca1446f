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
 * Unbinding splits a mapping when only part of it goes away.  The three
 * continue-token state machines (BIND_MEM, UNBIND_MEM, UNBIND_ALL) are
 * here; nvdimm-hcalls.c turns their results into H_* codes.
 *
 * Locking: a device's bindings (block_gpa, bindings, the operations in
 * progress and their tokens) are under its bindings_lock.  Checking a
 * range for the machine's allocator (nvdimm_gpa_busy) walks every device
 * of the machine, so it runs under the machine lock (which guards the
 * device list), taking each device's bindings_lock in turn; holding the
 * machine lock until the range is reserved keeps two devices from
 * choosing the same one.  So the order is machine lock, then one
 * bindings_lock: never two at a time.
 */
#include "nvdimm-internal.h"
#include "trace-events.h"

#define BS  SPAPR_SCM_BLOCK_SIZE

void spapr_nvdimm_bind_init_(SpaprNvdimm *nv)
{
    uint64_t i;

    nv->block_gpa = g_new(uint64_t, nv->nr_blocks);
    for (i = 0; i < nv->nr_blocks; i++) {
        nv->block_gpa[i] = SPAPR_NVDIMM_UNBOUND;
    }
    nv->bindings = g_array_new(FALSE, FALSE, sizeof(NvdimmBinding));
}

void spapr_nvdimm_bind_cleanup_(SpaprNvdimm *nv)
{
    g_free(nv->block_gpa);
    nv->block_gpa = NULL;
    if (nv->bindings) {
        g_array_free(nv->bindings, TRUE);
        nv->bindings = NULL;
    }
}

/* A fresh continue token.  bindings_lock held. */
static uint64_t next_token(SpaprNvdimm *nv)
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
    g_mutex_lock(&nv->bindings_lock);
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
    g_mutex_unlock(&nv->bindings_lock);
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

bool spapr_nvdimm_bind_restore_(SpaprNvdimm *nv, uint64_t gpa,
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

static uint64_t unbind_range(SpaprNvdimm *nv, uint64_t gpa, uint64_t count,
                             unsigned int budget, bool *more,
                             bool *host_error);

/* Does a BIND_MEM continuation name the bind in progress? */
static bool bind_op_matches(const NvdimmBindOp *op, uint64_t token,
                            uint64_t start, uint64_t count, uint64_t target)
{
    return op->token && op->token == token && op->start == start &&
           op->count == count && op->target == target;
}

/* The first BIND_MEM call's checks of its blocks and target. */
static NvdimmStatus bind_check_args(SpaprNvdimm *nv, uint64_t start,
                                    uint64_t count, uint64_t target)
{
    if (start >= nv->nr_blocks) {
        return NVDIMM_BAD_WHERE;
    }
    if (count == 0 || count > nv->nr_blocks - start) {
        return NVDIMM_BAD_COUNT;
    }
    if (target != SPAPR_SCM_BIND_ANY_ADDR &&
        (target % BS || target + (count * BS - 1) < target)) {
        return NVDIMM_BAD_TARGET;
    }
    return NVDIMM_OK;
}

/*
 * A new BIND_MEM: check it and choose its address.  Machine lock held,
 * bindings_lock not (the range check takes every device's in turn).
 * Meanwhile this device's bindings can only shrink (new ones need the
 * machine lock), which keeps what was checked true.
 */
static NvdimmStatus bind_prepare(SpaprNvdimm *nv, uint64_t start,
                                 uint64_t count, uint64_t target,
                                 uint64_t *addr)
{
    NvdimmStatus st = bind_check_args(nv, start, count, target);
    bool bound;

    if (st != NVDIMM_OK) {
        return st;
    }
    g_mutex_lock(&nv->bindings_lock);
    /* A bind left unfinished is abandoned; what it bound stays */
    memset(&nv->bind_op, 0, sizeof(nv->bind_op));
    bound = any_bound(nv, start, count);
    g_mutex_unlock(&nv->bindings_lock);
    if (bound) {
        return NVDIMM_OVERLAP;
    }
    if (target == SPAPR_SCM_BIND_ANY_ADDR) {
        return spapr_machine_alloc_gpa_(nv->m, count * BS, nvdimm_gpa_busy,
                                       nv->m, addr) ? NVDIMM_OK
                                                    : NVDIMM_NO_SPACE;
    }
    if (!spapr_machine_gpa_free_(nv->m, target, count * BS, nvdimm_gpa_busy,
                                nv->m)) {
        return NVDIMM_OVERLAP;
    }
    *addr = target;
    return NVDIMM_OK;
}

/* Map the next chunk of the bind in progress.  bindings_lock held. */
static NvdimmStatus bind_chunk(SpaprNvdimm *nv, uint64_t *token,
                               uint64_t *gpa, uint64_t *bound)
{
    NvdimmBindOp *op = &nv->bind_op;
    g_autoptr(GError) err = NULL;
    uint64_t n = MIN(nv->bind_chunk_blocks, op->count - op->done);

    if (!map_run(nv, op->gpa + op->done * BS, op->start + op->done, n,
                 &err)) {
        bool overlap = g_error_matches(err, SPAPR_ERROR,
                                       SPAPR_ERROR_OVERLAP);

        spapr_machine_log(nv->m, SPAPR_LOG_WARNING, "nvdimm '%s': bind: %s",
                          nv->parent.id, err->message);
        /* Undo this operation's earlier chunks: all or nothing */
        unbind_range(nv, op->gpa, op->done, UINT_MAX, NULL, NULL);
        memset(op, 0, sizeof(*op));
        return overlap ? NVDIMM_OVERLAP : NVDIMM_HOST_ERROR;
    }
    op->done += n;
    nvdimm_stat_add(nv, NVDIMM_STAT_BINDS, n);
    trace_spapr_nvdimm_bind(nv->m, nv->parent.id, op->start + op->done - n,
                            n, op->gpa + (op->done - n) * BS);
    *gpa = op->gpa;
    *bound = op->done;
    if (op->done < op->count) {
        *token = op->token;
        return NVDIMM_MORE;
    }
    memset(op, 0, sizeof(*op));
    *token = 0;
    return NVDIMM_OK;
}

/* A new bind: reserve the whole range, then map its first chunk. */
static NvdimmStatus bind_new(SpaprNvdimm *nv, uint64_t start,
                             uint64_t count, uint64_t target,
                             uint64_t *token, uint64_t *gpa,
                             uint64_t *bound)
{
    NvdimmBindOp *op = &nv->bind_op;
    NvdimmStatus st;
    uint64_t addr;

    g_mutex_lock(&nv->m->lock);
    st = bind_prepare(nv, start, count, target, &addr);
    if (st == NVDIMM_OK) {
        g_mutex_lock(&nv->bindings_lock);
        op->token = next_token(nv);
        op->start = start;
        op->count = count;
        op->target = target;
        op->gpa = addr;
        op->done = 0;
        st = bind_chunk(nv, token, gpa, bound);
        g_mutex_unlock(&nv->bindings_lock);
    }
    g_mutex_unlock(&nv->m->lock);
    return st;
}

NvdimmStatus spapr_nvdimm_bind_(SpaprNvdimm *nv, uint64_t start,
                               uint64_t count, uint64_t target,
                               uint64_t *token, uint64_t *gpa,
                               uint64_t *bound)
{
    NvdimmStatus st = NVDIMM_BAD_TOKEN;

    if (!*token) {
        return bind_new(nv, start, count, target, token, gpa, bound);
    }
    g_mutex_lock(&nv->bindings_lock);
    if (bind_op_matches(&nv->bind_op, *token, start, count, target)) {
        st = bind_chunk(nv, token, gpa, bound);
    }
    g_mutex_unlock(&nv->bindings_lock);
    return st;
}

/*
 * Map again the parts of binding @b outside [lo, hi) (its part inside
 * was just unmapped).  New entries go to the end of the array.
 */
static bool keep_outside(SpaprNvdimm *nv, NvdimmBinding b, uint64_t lo,
                         uint64_t hi)
{
    uint64_t end = b.gpa + b.nblocks * BS;
    g_autoptr(GError) err = NULL;

    if ((lo > b.gpa &&
         !map_run(nv, b.gpa, b.block, (lo - b.gpa) / BS, &err)) ||
        (hi < end &&
         !map_run(nv, hi, b.block + (hi - b.gpa) / BS, (end - hi) / BS,
                  &err))) {
        spapr_machine_log(nv->m, SPAPR_LOG_ERROR,
                          "nvdimm '%s': cannot keep a partial binding: %s",
                          nv->parent.id, err->message);
        return false;
    }
    return true;
}

/*
 * Unbind the bound blocks of [gpa, gpa + count blocks), touching at most
 * @budget mappings (*more set if some are left); returns blocks unbound.
 * bindings_lock held.
 */
static uint64_t unbind_range(SpaprNvdimm *nv, uint64_t gpa, uint64_t count,
                             unsigned int budget, bool *more,
                             bool *host_error)
{
    uint64_t len = count * BS, unbound = 0;
    guint i = 0;

    if (more) {
        *more = false;
    }
    while (count && i < nv->bindings->len) {
        NvdimmBinding b = g_array_index(nv->bindings, NvdimmBinding, i);
        uint64_t blen = b.nblocks * BS, lo, hi;

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
        if (!keep_outside(nv, b, lo, hi) && host_error) {
            *host_error = true;
        }
        /* Slot i now holds an unvisited entry (remove_index_fast) */
    }
    if (unbound) {
        nvdimm_stat_add(nv, NVDIMM_STAT_UNBINDS, unbound);
        trace_spapr_nvdimm_unbind(nv->m, nv->parent.id, gpa, unbound);
    }
    return unbound;
}

uint64_t spapr_nvdimm_unbind_all_(SpaprNvdimm *nv, unsigned int budget,
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

void spapr_nvdimm_bind_reset_(SpaprNvdimm *nv)
{
    g_mutex_lock(&nv->bindings_lock);
    spapr_nvdimm_unbind_all_(nv, UINT_MAX, NULL);
    memset(&nv->unbind_op, 0, sizeof(nv->unbind_op));
    nv->unbind_all_token = 0;
    nv->unbind_scope_all_token = 0;
    g_mutex_unlock(&nv->bindings_lock);
}

/* How many blocks of [gpa, + count blocks) are bound.  Lock held. */
static uint64_t range_bound(SpaprNvdimm *nv, uint64_t gpa, uint64_t count)
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

/* UNBIND_MEM's first call: is [gpa, +count blocks) ours to unbind? */
static NvdimmStatus unbind_check(SpaprNvdimm *nv, uint64_t gpa,
                                 uint64_t count)
{
    uint64_t bound;

    if (gpa % BS) {
        return NVDIMM_BAD_WHERE;
    }
    if (count == 0 || count > UINT64_MAX / BS ||
        gpa + (count * BS - 1) < gpa) {
        return NVDIMM_BAD_COUNT;
    }
    bound = range_bound(nv, gpa, count);
    if (bound == 0) {
        return NVDIMM_NOT_FOUND;
    }
    /* Part of the range is not this device's memory */
    return bound == count ? NVDIMM_OK : NVDIMM_BAD_COUNT;
}

/* One UNBIND_MEM call of the operation in unbind_op.  Lock held. */
static NvdimmStatus unbind_step(SpaprNvdimm *nv, uint64_t gpa,
                                uint64_t count, uint64_t *token,
                                uint64_t *unbound)
{
    NvdimmBindOp *op = &nv->unbind_op;
    bool more = false, host_error = false;

    *unbound = unbind_range(nv, gpa, count, SPAPR_NVDIMM_UNBIND_BUDGET,
                            &more, &host_error);
    if (host_error) {
        memset(op, 0, sizeof(*op));
        return NVDIMM_HOST_ERROR;
    }
    if (more) {
        if (!op->token) {
            op->token = next_token(nv);
            op->gpa = gpa;
            op->count = count;
        }
        *token = op->token;
        return NVDIMM_MORE;
    }
    memset(op, 0, sizeof(*op));
    *token = 0;
    return NVDIMM_OK;
}

NvdimmStatus spapr_nvdimm_unbind_(SpaprNvdimm *nv, uint64_t gpa,
                                 uint64_t count, uint64_t *token,
                                 uint64_t *unbound)
{
    NvdimmBindOp *op = &nv->unbind_op;
    NvdimmStatus st = NVDIMM_OK;

    g_mutex_lock(&nv->bindings_lock);
    if (*token) {
        if (!op->token || op->token != *token || op->gpa != gpa ||
            op->count != count) {
            st = NVDIMM_BAD_TOKEN;
        }
    } else {
        st = unbind_check(nv, gpa, count);
        if (st == NVDIMM_OK) {
            memset(op, 0, sizeof(*op));
        }
    }
    if (st == NVDIMM_OK) {
        st = unbind_step(nv, gpa, count, token, unbound);
    }
    g_mutex_unlock(&nv->bindings_lock);
    return st;
}

NvdimmStatus spapr_nvdimm_unbind_device_(SpaprNvdimm *nv, uint64_t *token,
                                        uint64_t *unbound)
{
    bool more;

    g_mutex_lock(&nv->bindings_lock);
    if (*token && *token != nv->unbind_all_token) {
        g_mutex_unlock(&nv->bindings_lock);
        return NVDIMM_BAD_TOKEN;
    }
    *unbound = spapr_nvdimm_unbind_all_(nv, SPAPR_NVDIMM_UNBIND_BUDGET,
                                       &more);
    nv->unbind_all_token = more ? next_token(nv) : 0;
    *token = nv->unbind_all_token;
    g_mutex_unlock(&nv->bindings_lock);
    return more ? NVDIMM_MORE : NVDIMM_OK;
}

/* UNBIND_ALL scope ALL over the devices of a machine. */
typedef struct UnbindAll {
    uint64_t token;             /* the guest's continue token */
    uint64_t unbound;
    unsigned int budget;
    bool token_found;
    bool more;
} UnbindAll;

static void find_scope_all_token(SpaprDevice *dev, void *opaque)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    UnbindAll *u = opaque;

    if (nv) {
        g_mutex_lock(&nv->bindings_lock);
        if (nv->unbind_scope_all_token == u->token) {
            u->token_found = true;
        }
        g_mutex_unlock(&nv->bindings_lock);
    }
}

static void unbind_scope_all(SpaprDevice *dev, void *opaque)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    UnbindAll *u = opaque;
    guint before;
    bool more;

    if (!nv) {
        return;
    }
    g_mutex_lock(&nv->bindings_lock);
    nv->unbind_scope_all_token = 0;
    if (!u->more) {
        before = nv->bindings->len;
        u->unbound += spapr_nvdimm_unbind_all_(nv, u->budget, &more);
        u->budget -= before - nv->bindings->len;
        u->more = more;
    }
    g_mutex_unlock(&nv->bindings_lock);
}

static void set_scope_all_token(SpaprDevice *dev, void *opaque)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);

    if (nv) {
        g_mutex_lock(&nv->bindings_lock);
        nv->unbind_scope_all_token = *(uint64_t *)opaque;
        g_mutex_unlock(&nv->bindings_lock);
    }
}

NvdimmStatus spapr_nvdimm_unbind_machine_(SpaprMachine *m, uint64_t *token,
                                         uint64_t *unbound)
{
    UnbindAll u = { .token = *token,
                    .budget = SPAPR_NVDIMM_UNBIND_BUDGET };

    /* The machine lock keeps the device list, and one such call at once */
    g_mutex_lock(&m->lock);
    if (u.token) {
        spapr_machine_foreach_device(m, find_scope_all_token, &u);
        if (!u.token_found) {
            g_mutex_unlock(&m->lock);
            return NVDIMM_BAD_TOKEN;
        }
    }
    spapr_machine_foreach_device(m, unbind_scope_all, &u);
    *token = 0;
    if (u.more) {
        /* Every nvdimm remembers the token; any of them validates it */
        *token = ((uint64_t)g_random_int() << 32 | g_random_int()) | 1;
        spapr_machine_foreach_device(m, set_scope_all_token, token);
    }
    *unbound = u.unbound;
    g_mutex_unlock(&m->lock);
    return u.more ? NVDIMM_MORE : NVDIMM_OK;
}

uint64_t spapr_nvdimm_block_gpa_(SpaprNvdimm *nv, uint64_t block)
{
    return block < nv->nr_blocks
           ? __atomic_load_n(&nv->block_gpa[block], __ATOMIC_ACQUIRE)
           : SPAPR_NVDIMM_UNBOUND;
}

bool spapr_nvdimm_gpa_block_(SpaprNvdimm *nv, uint64_t gpa, uint64_t *block)
{
    bool found = false;
    guint i;

    g_mutex_lock(&nv->bindings_lock);
    for (i = 0; i < nv->bindings->len && !found; i++) {
        NvdimmBinding *b = &g_array_index(nv->bindings, NvdimmBinding, i);

        if (gpa >= b->gpa && gpa - b->gpa < b->nblocks * BS) {
            *block = b->block + (gpa - b->gpa) / BS;
            found = true;
        }
    }
    g_mutex_unlock(&nv->bindings_lock);
    return found;
}

typedef struct GpaLookup {
    uint64_t gpa;
    SpaprNvdimm *nv;
    uint64_t block;
} GpaLookup;

static void gpa_lookup_one(SpaprDevice *dev, void *opaque)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    GpaLookup *q = opaque;

    if (nv && !q->nv && spapr_nvdimm_gpa_block_(nv, q->gpa, &q->block)) {
        q->nv = nv;
    }
}

SpaprNvdimm *spapr_nvdimm_by_gpa_(SpaprMachine *m, uint64_t gpa,
                                 uint64_t *block)
{
    GpaLookup q = { .gpa = gpa };

    g_mutex_lock(&m->lock);
    spapr_machine_foreach_device(m, gpa_lookup_one, &q);
    g_mutex_unlock(&m->lock);
    *block = q.block;
    return q.nv;
}

uint64_t spapr_nvdimm_bound_blocks_(SpaprNvdimm *nv)
{
    uint64_t n = 0;
    guint i;

    g_mutex_lock(&nv->bindings_lock);
    for (i = 0; i < nv->bindings->len; i++) {
        n += g_array_index(nv->bindings, NvdimmBinding, i).nblocks;
    }
    g_mutex_unlock(&nv->bindings_lock);
    return n;
}
