/*
 * spapr-hcall: H_SCM_FLUSH, asynchronous and coalesced
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each request gets a sequence number and a token.  One job at a time
 * per device, on the machine's bounded worker pool (workers.c: a few
 * threads whatever the number of devices), runs fdatasync(): a sync that
 * starts after
 * request n was made covers n, so every request queued while a sync runs
 * is served by the next single sync (coalescing).  fdatasync() writes back
 * the page cache of the MAP_SHARED mapping too, data and label area alike.
 *
 * The vCPU waits at most fast_wait_ns inside the hcall: a flush that
 * completes by then is answered at once with its real status.  Otherwise
 * the guest gets a busy code chosen from the expected remaining time (an
 * average of recent sync durations) and polls with the token.
 *
 * Every duration here is host time, on one clock (spapr_monotonic_ns()):
 * how long fdatasync() really takes, whatever the machine clock does (it is
 * virtual, and may stand still, under -accel qtest).
 */
#include <errno.h>
#include <unistd.h>
#include "nvdimm-internal.h"
#include "trace-events.h"

#define FLUSH_MAX_TOKENS        4096
#define FLUSH_FAST_WAIT_NS      50000           /* 50 us */
#define FLUSH_INITIAL_EST_NS    2000000         /* 2 ms until measured */

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__powerpc64__)
    __asm__ volatile("or 27,27,27" ::: "memory");   /* low SMT priority */
#else
    __asm__ volatile("" ::: "memory");
#endif
}

typedef struct FlushReq {
    uint64_t seq;
    bool done;
    int64_t status;
} FlushReq;

struct NvdimmFlush {
    SpaprNvdimm *nv;
    GMutex lock;
    GCond cond;
    bool can_sync;              /* there is a file to sync */
    uint64_t requested;         /* seq of the newest request */
    uint64_t completed;         /* every seq <= this has its result */
    bool queued;                /* a worker job is queued, not started */
    bool syncing;
    uint64_t running_target;    /* seq the running sync covers */
    int64_t sync_start_ns;      /* spapr_monotonic_ns() */
    int64_t est_ns;             /* expected duration of one sync */
    GHashTable *tokens;         /* token -> FlushReq */
    uint64_t next_token;
    int64_t fast_wait_ns;
};

static void flush_worker(void *opaque)
{
    NvdimmFlush *f = opaque;
    SpaprNvdimm *nv = f->nv;
    GHashTableIter it;
    gpointer value;
    uint64_t target;
    int64_t t0, ns, status;
    int r;

    g_mutex_lock(&f->lock);
    f->queued = false;
    target = f->requested;
    f->syncing = true;
    f->running_target = target;
    f->sync_start_ns = t0 = spapr_monotonic_ns();
    g_mutex_unlock(&f->lock);

    r = fdatasync(nv->fd) < 0 ? errno : 0;
    ns = spapr_monotonic_ns() - t0;
    status = r ? PAPR_H_HARDWARE : PAPR_H_SUCCESS;
    nvdimm_stat_add(nv, NVDIMM_STAT_SYNCS, 1);
    nvdimm_stat_add(nv, NVDIMM_STAT_SYNC_NS, ns);
    if (r) {
        nvdimm_stat_add(nv, NVDIMM_STAT_FLUSH_ERRORS, 1);
        spapr_machine_log(nv->m, SPAPR_LOG_ERROR,
                          "nvdimm '%s': fdatasync failed: %s",
                          nv->parent.id, g_strerror(r));
    }

    g_mutex_lock(&f->lock);
    f->syncing = false;
    /* Moving average, 1/4 weight to the newest sample */
    f->est_ns = (3 * f->est_ns + ns) / 4;
    __atomic_store_n(&f->completed, target, __ATOMIC_RELEASE);
    g_hash_table_iter_init(&it, f->tokens);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        FlushReq *req = value;

        if (!req->done && req->seq <= target) {
            req->done = true;
            req->status = status;
        }
    }
    if (f->requested > target && !f->queued) {
        /* made during this sync: one more, behind other devices' jobs */
        f->queued = true;
        spapr_workers_push_(nv->m->workers, flush_worker, f);
    }
    /*
     * Still under the lock: once it is dropped a drain may return and the
     * device be freed while this worker thread runs on (found by TSan).
     */
    trace_spapr_nvdimm_flush_sync(nv->m, nv->parent.id, target, r, ns);
    g_cond_broadcast(&f->cond);
    g_mutex_unlock(&f->lock);
}

NvdimmFlush *spapr_nvdimm_flush_new_(SpaprNvdimm *nv)
{
    NvdimmFlush *f = g_new0(NvdimmFlush, 1);

    f->nv = nv;
    g_mutex_init(&f->lock);
    g_cond_init(&f->cond);
    f->tokens = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                                      g_free);
    f->est_ns = FLUSH_INITIAL_EST_NS;
    f->fast_wait_ns = FLUSH_FAST_WAIT_NS;
    f->can_sync = nv->fd >= 0;
    return f;
}

void spapr_nvdimm_flush_drain_(NvdimmFlush *f, bool forget)
{
    g_mutex_lock(&f->lock);
    while (f->queued || f->syncing || f->completed < f->requested) {
        g_cond_wait(&f->cond, &f->lock);
    }
    if (forget) {
        g_hash_table_remove_all(f->tokens);
    }
    g_mutex_unlock(&f->lock);
}

void spapr_nvdimm_flush_free_(NvdimmFlush *f)
{
    if (f->can_sync) {
        spapr_nvdimm_flush_drain_(f, true);
    }
    g_hash_table_destroy(f->tokens);
    g_cond_clear(&f->cond);
    g_mutex_clear(&f->lock);
    g_free(f);
}

void spapr_nvdimm_flush_set_fast_wait_(NvdimmFlush *f, int64_t ns)
{
    g_mutex_lock(&f->lock);
    f->fast_wait_ns = ns;
    g_mutex_unlock(&f->lock);
}

/* Busy code for a request still pending.  Lock held. */
static int64_t busy_code(NvdimmFlush *f, FlushReq *req)
{
    int64_t left_ns = f->est_ns;

    if (f->syncing) {
        int64_t ran = spapr_monotonic_ns() - f->sync_start_ns;
        int64_t cur = MAX(f->est_ns - ran, 0);

        /* Covered by the running sync, or waiting for the next one */
        left_ns = req->seq <= f->running_target ? cur : cur + f->est_ns;
    }
    /*
     * Linux sleeps get_longbusy_msecs() on a long-busy code (msleep(1)
     * is one to two jiffies), and only yields on H_BUSY: ask for a sleep
     * only when the wait is expected to be worth it.
     */
    /*
     * The guest's total wait is the sync plus up to one sleep quantum, so
     * keep the quantum a small fraction (<= 1/10) of the expected wait:
     * a 1 ms order until 100 ms, as polling costs the guest only a few
     * microseconds per hcall.
     */
    if (left_ns < 1000000) {
        return PAPR_H_BUSY;
    }
    if (left_ns < 100000000) {
        return PAPR_H_LONG_BUSY_ORDER_1_MSEC;
    }
    if (left_ns < 1000000000) {
        return PAPR_H_LONG_BUSY_ORDER_10_MSEC;
    }
    return PAPR_H_LONG_BUSY_ORDER_100_MSEC;
}

/* Queue a sync unless one is queued or running (it re-queues).  Lock. */
static void flush_kick(NvdimmFlush *f)
{
    if (!f->queued && !f->syncing) {
        f->queued = true;
        spapr_workers_push_(f->nv->m->workers, flush_worker, f);
    }
}

/*
 * A new request: its token, or 0 if the guest already holds too many
 * (it forgot them: it retries from scratch).  Lock held.
 */
static uint64_t flush_submit(NvdimmFlush *f)
{
    FlushReq *req;
    uint64_t tok, *key;

    if (g_hash_table_size(f->tokens) >= FLUSH_MAX_TOKENS) {
        return 0;
    }
    do {
        tok = ++f->next_token;
    } while (!tok || g_hash_table_contains(f->tokens, &tok));
    req = g_new0(FlushReq, 1);
    req->seq = ++f->requested;
    key = g_new(uint64_t, 1);
    *key = tok;
    g_hash_table_insert(f->tokens, key, req);
    /* one job per device at a time */
    flush_kick(f);
    nvdimm_stat_add(f->nv, NVDIMM_STAT_FLUSHES, 1);
    return tok;
}

/*
 * Fast path: spin (lock released) until request @seq is served or
 * fast_wait_ns is over, rather than sleep on the condition variable.  A
 * sleeping vCPU thread wakes up a scheduler or host tick late (1.5 ms
 * seen on an idle VM), which is the very latency the fast path exists to
 * avoid.  Called and returns with the lock held.
 */
static void flush_fast_wait(NvdimmFlush *f, uint64_t seq)
{
    int64_t deadline = spapr_monotonic_ns() + f->fast_wait_ns;

    g_mutex_unlock(&f->lock);
    while (__atomic_load_n(&f->completed, __ATOMIC_ACQUIRE) < seq &&
           spapr_monotonic_ns() < deadline) {
        cpu_relax();
    }
    g_mutex_lock(&f->lock);
}

/* The answer to request @tok now: its status once, or a busy code. */
static int64_t flush_answer(NvdimmFlush *f, uint64_t tok, uint64_t *token)
{
    /* Another vCPU polling the same token may have consumed it */
    FlushReq *req = g_hash_table_lookup(f->tokens, &tok);
    int64_t status;

    if (!req) {
        return PAPR_H_P2;
    }
    if (req->done) {
        status = req->status;
        g_hash_table_remove(f->tokens, &tok);
        return status;
    }
    *token = tok;
    return busy_code(f, req);
}

int64_t spapr_nvdimm_flush_request_(NvdimmFlush *f, uint64_t token_in,
                                   uint64_t *token)
{
    FlushReq *req;
    uint64_t tok = token_in;
    int64_t status;

    if (!token_in && !f->can_sync) {
        return PAPR_H_UNSUPPORTED;
    }
    g_mutex_lock(&f->lock);
    if (!tok) {
        tok = flush_submit(f);
        if (!tok) {
            g_mutex_unlock(&f->lock);
            *token = 0;
            return PAPR_H_BUSY;
        }
    }
    req = g_hash_table_lookup(f->tokens, &tok);
    if (!req) {
        g_mutex_unlock(&f->lock);
        return PAPR_H_P2;
    }
    flush_fast_wait(f, req->seq);
    status = flush_answer(f, tok, token);
    g_mutex_unlock(&f->lock);
    return status;
}

/*
 * Machine state: u64 next token, u32 n, n x (u64 token, u8 done,
 * u64 status).  A flush the source had not finished is submitted again
 * here: the source's sync made nothing durable on this host's file.
 */
void spapr_nvdimm_flush_save_(NvdimmFlush *f, GByteArray *w)
{
    GHashTableIter it;
    gpointer key, value;

    g_mutex_lock(&f->lock);
    spapr_state_put_u64(w, f->next_token);
    spapr_state_put_u32(w, g_hash_table_size(f->tokens));
    g_hash_table_iter_init(&it, f->tokens);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        FlushReq *req = value;

        spapr_state_put_u64(w, *(uint64_t *)key);
        spapr_state_put_u8(w, req->done);
        spapr_state_put_u64(w, req->status);
    }
    g_mutex_unlock(&f->lock);
}

bool spapr_nvdimm_flush_load_(NvdimmFlush *f, SpaprStateReader *r,
                             bool apply, GError **errp)
{
    uint64_t next_token = spapr_state_get_u64(r);
    uint32_t n = spapr_state_get_u32(r), i;
    bool resubmit = false;

    if (n > FLUSH_MAX_TOKENS) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%u flush tokens (at most %u)", n, FLUSH_MAX_TOKENS);
        return false;
    }
    if (apply) {
        spapr_nvdimm_flush_drain_(f, true);
        g_mutex_lock(&f->lock);
        f->next_token = next_token;
    }
    for (i = 0; i < n && !r->bad; i++) {
        uint64_t tok = spapr_state_get_u64(r);
        bool done = spapr_state_get_u8(r);
        int64_t status = spapr_state_get_u64(r);
        uint64_t *key;
        FlushReq *req;

        if (!apply || r->bad) {
            continue;
        }
        req = g_new0(FlushReq, 1);
        if (done && status != PAPR_H_SUCCESS) {
            /* A failure the guest has not collected yet stays one */
            req->done = true;
            req->status = status;
        } else if (f->can_sync) {
            req->seq = f->requested + 1;
            resubmit = true;
        } else {
            req->done = true;       /* no file here: nothing to sync */
            req->status = PAPR_H_SUCCESS;
        }
        key = g_new(uint64_t, 1);
        *key = tok;
        g_hash_table_replace(f->tokens, key, req);
    }
    if (apply) {
        if (resubmit) {
            f->requested++;
            flush_kick(f);
        }
        g_mutex_unlock(&f->lock);
    }
    return true;
}
