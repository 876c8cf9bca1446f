/*
 * spapr-hv: replay the hcalls a Linux papr_scm probe issues
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The order and the retry rules follow papr_scm.c as summarised in the
 * project's research notes: bind loops on H_BUSY; H_OVERLAP falls back
 * to QUERY_BLOCK_MEM_BINDING, then UNBIND_ALL + bind; the stats buffer is
 * sized with a NULL buffer first; flush and unbind loop on (long) busy.
 * Label reads use Linux's greedy 8/4/2/1-byte chunks over the whole
 * label area, as libnvdimm reads the config area at probe.
 */
#include <string.h>
#include "replay.h"
#include "hcall-table.h"
#include "papr-scm-guest.h"
#include "spapr-hcall/nvdimm.h"

#define BUSY_RETRIES    10000
/* Guest RAM used for the stats buffer: above the first MiB, as libqos */
#define STATS_BUF_GPA   (1ULL << 20)

static void wait_busy(HvMachine *hv, int64_t rc)
{
    unsigned int ms = spapr_hcall_long_busy_msecs(rc);

    if (hv->virtual_clock) {
        hv_machine_clock_advance(hv, hv_machine_clock(hv) +
                                 (int64_t)ms * 1000000);
    }
    /* device work (flush) may run on a host thread: give it time */
    g_usleep(MIN(ms, 10) * 1000);
}

/* The papr_scm guest model's transport: every hcall logged */
typedef struct ReplayGuest {
    HvMachine *hv;
    HvCallLog *log;
} ReplayGuest;

static int64_t guest_hcall(void *opaque, uint64_t opcode, uint64_t *args)
{
    ReplayGuest *rg = opaque;

    return hv_call_log_hcall(rg->log, opcode, args, NULL);
}

static void guest_wait(void *opaque, int64_t rc)
{
    ReplayGuest *rg = opaque;

    wait_busy(rg->hv, rc);
}

#define REPLAY_GUEST(rg) { \
    .hcall = guest_hcall, .wait = guest_wait, .opaque = (rg), \
    .max_calls = BUSY_RETRIES, \
}

static int64_t bind(HvMachine *hv, HvCallLog *log, uint32_t drc,
                    uint64_t blocks, uint64_t *addr)
{
    ReplayGuest rg = { hv, log };
    PaprScmGuest g = REPLAY_GUEST(&rg);
    uint64_t gpa;
    int64_t rc;

    rc = papr_scm_guest_bind(&g, drc, 0, blocks, SPAPR_SCM_BIND_ANY_ADDR,
                             &gpa);
    /* every call of a bind returns its start address in r5 */
    *addr = rc == PAPR_H_SUCCESS ? gpa : UINT64_MAX;
    return rc;
}

static int64_t unbind_all(HvMachine *hv, HvCallLog *log, uint32_t drc)
{
    ReplayGuest rg = { hv, log };
    PaprScmGuest g = REPLAY_GUEST(&rg);

    return papr_scm_guest_unbind_all(&g, PAPR_H_UNBIND_SCOPE_DRC, drc);
}

static void read_stats(HvMachine *hv, HvCallLog *log, uint32_t drc)
{
    uint64_t a[SPAPR_HCALL_NR_ARGS] = { drc, 0, 0 };
    uint64_t size, i;
    uint32_t n = 0;
    int64_t rc;

    rc = hv_call_log_hcall(log, PAPR_H_SCM_PERFORMANCE_STATS, a,
                           "size query (NULL buffer)");
    if (rc != PAPR_H_SUCCESS || a[0] == 0) {
        hv_call_log_note(log, "no performance stats (Linux goes on)");
        return;
    }
    size = a[0];
    if (size < 16 || size > 65536 ||
        STATS_BUF_GPA + size > spapr_machine_ram_size(hv->m)) {
        hv_call_log_note(log, "stats buffer size %" PRIu64 " unusable",
                         size);
        return;
    }
    /* header: eye-catcher, version 1, 0 stats = "all of them" */
    spapr_guest_write(hv->m, STATS_BUF_GPA, "SCMSTATS", 8);
    spapr_guest_stl_be(hv->m, STATS_BUF_GPA + 8, 1);
    spapr_guest_stl_be(hv->m, STATS_BUF_GPA + 12, 0);
    memset(a, 0, sizeof(a));
    a[0] = drc;
    a[1] = STATS_BUF_GPA;
    a[2] = size;
    rc = hv_call_log_hcall(log, PAPR_H_SCM_PERFORMANCE_STATS, a, "read all");
    if (rc != PAPR_H_SUCCESS) {
        return;
    }
    spapr_guest_ldl_be(hv->m, STATS_BUF_GPA + 12, &n);
    for (i = 0; i < n && 16 + 16 * (i + 1) <= size; i++) {
        char id[9] = { 0 };
        uint64_t val = 0;

        spapr_guest_read(hv->m, STATS_BUF_GPA + 16 + 16 * i, id, 8);
        spapr_guest_ldq_be(hv->m, STATS_BUF_GPA + 24 + 16 * i, &val);
        hv_call_log_note(log, "stat %-8s = %" PRIu64, id, val);
    }
}

static void read_labels(HvCallLog *log, uint32_t drc, uint64_t label_size,
                        uint64_t *first8)
{
    uint64_t off = 0;

    while (off < label_size) {
        uint64_t left = label_size - off;
        uint64_t len = left >= 8 ? 8 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
        uint64_t a[SPAPR_HCALL_NR_ARGS] = { drc, off, len };

        if (hv_call_log_hcall(log, PAPR_H_SCM_READ_METADATA, a, NULL) !=
            PAPR_H_SUCCESS) {
            return;
        }
        if (off == 0) {
            *first8 = a[0];
        }
        off += len;
    }
}

static void flush(HvMachine *hv, HvCallLog *log, uint32_t drc)
{
    ReplayGuest rg = { hv, log };
    PaprScmGuest g = REPLAY_GUEST(&rg);

    papr_scm_guest_flush(&g, drc);
}

static bool probe_one(HvMachine *hv, HvCallLog *log, SpaprNvdimm *nv)
{
    uint32_t drc = spapr_nvdimm_drc_index(nv);
    uint64_t blocks = spapr_nvdimm_nr_blocks(nv);
    uint64_t bs = spapr_nvdimm_block_size(nv);
    uint64_t addr = UINT64_MAX, first8 = 0, a[SPAPR_HCALL_NR_ARGS];
    int64_t rc;

    hv_call_log_note(log, "papr_scm probe of %s: drc 0x%08x, %" PRIu64
                     " x %" PRIu64 " MiB blocks, label area %" PRIu64
                     " bytes, uuid %s", spapr_nvdimm_id(nv), drc, blocks,
                     bs >> 20, spapr_nvdimm_label_size(nv),
                     spapr_nvdimm_uuid(nv));
    rc = bind(hv, log, drc, blocks, &addr);
    if (rc == PAPR_H_OVERLAP) {
        uint64_t q0[SPAPR_HCALL_NR_ARGS] = { drc, 0 };
        uint64_t q1[SPAPR_HCALL_NR_ARGS] = { drc, blocks - 1 };

        hv_call_log_note(log, "already bound: query the binding");
        if (hv_call_log_hcall(log, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, q0,
                              NULL) == PAPR_H_SUCCESS &&
            hv_call_log_hcall(log, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, q1,
                              NULL) == PAPR_H_SUCCESS &&
            q1[0] - q0[0] == (blocks - 1) * bs) {
            addr = q0[0];
            rc = PAPR_H_SUCCESS;
        } else {
            hv_call_log_note(log, "query failed: unbind, then bind again");
            unbind_all(hv, log, drc);
            rc = bind(hv, log, drc, blocks, &addr);
        }
    }
    if (rc != PAPR_H_SUCCESS) {
        hv_call_log_note(log, "bind err: %" PRId64 " (Linux: -ENXIO)", rc);
        return false;
    }
    hv_call_log_note(log, "region [0x%" PRIx64 "-0x%" PRIx64 "]", addr,
                     addr + blocks * bs - 1);
    memset(a, 0, sizeof(a));
    a[0] = 8;
    a[1] = addr;
    hv_call_log_hcall(log, PAPR_H_LOGICAL_CI_LOAD, a,
                      "first data word, through the bound range");
    read_stats(hv, log, drc);
    memset(a, 0, sizeof(a));
    a[0] = drc;
    rc = hv_call_log_hcall(log, PAPR_H_SCM_HEALTH, a, NULL);
    if (rc == PAPR_H_SUCCESS && (a[0] & a[1] & (1ULL << 63 | 1ULL << 57))) {
        hv_call_log_note(log, "health: unarmed (NDD_UNARMED)");
    }
    read_labels(log, drc, spapr_nvdimm_label_size(nv), &first8);
    hv_call_log_note(log, "label area read; first bytes 0x%016" PRIx64,
                     first8);
    if (spapr_nvdimm_hcall_flush_required(nv)) {
        hv_call_log_note(log, "ibm,hcall-flush-required: region flush");
        flush(hv, log, drc);
    }
    hv_call_log_note(log, "driver remove: unbind");
    unbind_all(hv, log, drc);
    return true;
}

typedef struct ProbeAll {
    HvMachine *hv;
    HvCallLog *log;
    unsigned int count;
    bool ok;
} ProbeAll;

static void probe_dev(SpaprDevice *dev, void *opaque)
{
    ProbeAll *pa = opaque;
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);

    if (nv) {
        pa->count++;
        if (!probe_one(pa->hv, pa->log, nv)) {
            pa->ok = false;
        }
    }
}

bool hv_replay_probe(HvMachine *hv, FILE *out)
{
    ProbeAll pa = { hv, hv_call_log_new(out, hv->m), 0, true };
    bool quiet = hv->quiet_guest_errors;

    hv->quiet_guest_errors = true;
    spapr_machine_foreach_device(hv->m, probe_dev, &pa);
    if (!pa.count) {
        hv_call_log_note(pa.log, "no nvdimm to probe");
    }
    hv_call_log_free(pa.log);
    hv->quiet_guest_errors = quiet;
    return pa.ok;
}
