/*
 * spapr-hcall: a small bounded pool of worker threads per machine
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Device background work (H_SCM_FLUSH's fdatasync) goes here instead of
 * one thread per device: threads are started on demand, at most
 * max_threads of them whatever the number of devices, and kept until the
 * machine is freed.  Jobs run in FIFO order; a device that must not run
 * two jobs at once queues at most one at a time (nvdimm-flush.c).
 *
 * Not GLib's GThreadPool: an exclusive pool starts all its threads at
 * once, and the shared one keeps idle threads that do not survive fork().
 */
#include "internal.h"

typedef struct WorkItem {
    SpaprWorkFn fn;
    void *opaque;
} WorkItem;

struct SpaprWorkers {
    GMutex lock;
    GCond cond;
    GQueue jobs;                /* WorkItem */
    GPtrArray *threads;         /* GThread */
    unsigned int max_threads;
    unsigned int idle;
    bool quit;
};

static gpointer worker_main(gpointer opaque)
{
    SpaprWorkers *w = opaque;

    g_mutex_lock(&w->lock);
    for (;;) {
        WorkItem *it = g_queue_pop_head(&w->jobs);

        if (it) {
            SpaprWorkFn fn = it->fn;
            void *arg = it->opaque;

            g_free(it);
            g_mutex_unlock(&w->lock);
            fn(arg);
            g_mutex_lock(&w->lock);
            continue;
        }
        if (w->quit) {
            break;
        }
        w->idle++;
        g_cond_wait(&w->cond, &w->lock);
        w->idle--;
    }
    g_mutex_unlock(&w->lock);
    return NULL;
}

SpaprWorkers *spapr_workers_new_(unsigned int max_threads)
{
    SpaprWorkers *w = g_new0(SpaprWorkers, 1);

    g_mutex_init(&w->lock);
    g_cond_init(&w->cond);
    g_queue_init(&w->jobs);
    w->threads = g_ptr_array_new();
    w->max_threads = MAX(max_threads, 1);
    return w;
}

void spapr_workers_push_(SpaprWorkers *w, SpaprWorkFn fn, void *opaque)
{
    WorkItem *it = g_new(WorkItem, 1);

    it->fn = fn;
    it->opaque = opaque;
    g_mutex_lock(&w->lock);
    g_queue_push_tail(&w->jobs, it);
    if (w->idle >= g_queue_get_length(&w->jobs)) {
        g_cond_signal(&w->cond);
    } else if (w->threads->len < w->max_threads) {
        GThread *t = g_thread_try_new("spapr-worker", worker_main, w, NULL);

        /*
         * On failure (thread limit) the job waits for an existing thread,
         * or for the next push to try again; it cannot run here, the
         * caller may hold the lock its job takes.
         */
        if (t) {
            g_ptr_array_add(w->threads, t);
        }
    } else {
        g_cond_signal(&w->cond);
    }
    g_mutex_unlock(&w->lock);
}

unsigned int spapr_workers_nr_threads_(SpaprWorkers *w)
{
    unsigned int n;

    g_mutex_lock(&w->lock);
    n = w->threads->len;
    g_mutex_unlock(&w->lock);
    return n;
}

void spapr_workers_free_(SpaprWorkers *w)
{
    guint i;

    if (!w) {
        return;
    }
    g_mutex_lock(&w->lock);
    w->quit = true;
    g_cond_broadcast(&w->cond);
    g_mutex_unlock(&w->lock);
    /* queued jobs still run: the threads leave once the queue is empty */
    for (i = 0; i < w->threads->len; i++) {
        g_thread_join(g_ptr_array_index(w->threads, i));
    }
    g_ptr_array_free(w->threads, TRUE);
    g_cond_clear(&w->cond);
    g_mutex_clear(&w->lock);
    g_free(w);
}
