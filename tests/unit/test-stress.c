/*
 * spapr-hcall: several vCPU threads hammering one machine's SCM hcalls
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * NR_THREADS vCPUs issue a random mix of binds and unbinds (same and
 * different NVDIMMs), metadata reads and writes, queries, flushes, health
 * and statistics calls: STRESS_CALLS in all (default 1,000,000).  Checked:
 * an 8-byte metadata read never sees a torn write (writers store values
 * whose eight bytes are equal, at an aligned and an unaligned offset);
 * the per-opcode call and error counters equal the calls made; the label
 * counters equal the successful label calls; bound blocks equal binds
 * minus unbinds; and at the end no two bindings overlap and every query
 * agrees with the bindings.  CI runs it under ThreadSanitizer too.
 *
 * Two more races of the threading contract (hcall.h): statistics resets
 * while vCPUs count (no count lost, none survives a reset), and hcall
 * registration while vCPUs dispatch (a published slot has its row).
 */
#include <stdlib.h>
#include "scm-test-util.h"

#define NR_THREADS      4
#define NR_NVDIMMS      3
#define NR_BLOCKS       4
#define STATS_GPA(t)    (64 * MIB + (t) * MIB)     /* per-thread buffer */
#define TORN_OFF_A      0
#define TORN_OFF_B      4093                       /* unaligned */

enum {
    OP_READ, OP_WRITE, OP_BIND, OP_UNBIND, OP_UNBIND_ALL, OP_QUERY_BLOCK,
    OP_QUERY_LOGICAL, OP_HEALTH, OP_STATS, OP_FLUSH, OP__MAX,
};

static const uint64_t op_code[OP__MAX] = {
    PAPR_H_SCM_READ_METADATA, PAPR_H_SCM_WRITE_METADATA, PAPR_H_SCM_BIND_MEM,
    PAPR_H_SCM_UNBIND_MEM, PAPR_H_SCM_UNBIND_ALL,
                                          PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING,
    PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING, PAPR_H_SCM_HEALTH,
                                          PAPR_H_SCM_PERFORMANCE_STATS,
    PAPR_H_SCM_FLUSH,
};

typedef struct Worker {
    SpaprMachine *m;
    unsigned int index;
    uint64_t calls;
    uint64_t seed;
    /* results, per opcode and per nvdimm */
    uint64_t n_calls[OP__MAX];
    uint64_t n_errors[OP__MAX];
    uint64_t label_reads[NR_NVDIMMS];
    uint64_t label_writes[NR_NVDIMMS];
    uint64_t bound[NR_NVDIMMS];
    uint64_t unbound[NR_NVDIMMS];
    uint64_t torn;
    unsigned int nv;            /* the guest model's current nvdimm */
} Worker;

static uint64_t rnd(Worker *w)
{
    /* xorshift64* */
    w->seed ^= w->seed >> 12;
    w->seed ^= w->seed << 25;
    w->seed ^= w->seed >> 27;
    return w->seed * 0x2545F4914F6CDD1DULL;
}

static int64_t call(Worker *w, int op, uint64_t *args)
{
    int64_t rc = spapr_hcall(w->m, spapr_machine_cpu(w->m, w->index),
                             op_code[op], args);

    w->n_calls[op]++;
    if (rc < 0) {
        w->n_errors[op]++;
    }
    return rc;
}

/* The papr_scm guest model's transport: count calls and unbound blocks */
static int64_t worker_hcall(void *opaque, uint64_t opcode, uint64_t *args)
{
    Worker *w = opaque;
    int op = opcode == PAPR_H_SCM_UNBIND_MEM ? OP_UNBIND :
             opcode == PAPR_H_SCM_UNBIND_ALL ? OP_UNBIND_ALL : OP_FLUSH;
    int64_t rc = call(w, op, args);

    if (op != OP_FLUSH && (rc == PAPR_H_SUCCESS || rc == PAPR_H_BUSY)) {
        w->unbound[w->nv] += args[1];
    }
    return rc;
}

static bool uniform(uint64_t v)
{
    return v == (v & 0xff) * 0x0101010101010101ULL;
}

static gpointer worker_main(gpointer opaque)
{
    Worker *w = opaque;
    PaprScmGuest g = { .hcall = worker_hcall, .opaque = w };
    uint64_t i;

    for (i = 0; i < w->calls; i++) {
        uint64_t r = rnd(w), a[SPAPR_HCALL_NR_ARGS] = { 0 };
        unsigned int nv = r % NR_NVDIMMS;
        uint64_t drc = DRC(nv), blk = (r >> 8) % NR_BLOCKS;
        unsigned int pick = (r >> 16) % 1000;
        uint64_t off = (r >> 32) & 1 ? TORN_OFF_B : TORN_OFF_A;

        if (pick < 400) {
            /* label traffic on nvdimm 0 only: readers meet writers */
            nv = 0;
            a[0] = drc = DRC(0);
            a[1] = off;
            a[2] = 8;
            if (call(w, OP_READ, a) == PAPR_H_SUCCESS) {
                w->label_reads[nv]++;
                w->torn += !uniform(a[0]);
            }
        } else if (pick < 600) {
            nv = 0;
            a[0] = drc = DRC(0);
            a[1] = off;
            a[2] = (r >> 40 & 0xff) * 0x0101010101010101ULL;
            a[3] = 8;
            if (call(w, OP_WRITE, a) == PAPR_H_SUCCESS) {
                w->label_writes[nv]++;
            }
        } else if (pick < 700) {
            uint64_t n = 1 + (r >> 24) % (NR_BLOCKS - blk);

            a[0] = drc;
            a[1] = blk;
            a[2] = n;
            a[3] = SPAPR_SCM_BIND_ANY_ADDR;
            if (call(w, OP_BIND, a) == PAPR_H_SUCCESS) {
                w->bound[nv] += a[2];
            }
        } else if (pick < 780) {
            /* unbind what block @blk is bound at, if anything */
            a[0] = drc;
            a[1] = blk;
            if (call(w, OP_QUERY_BLOCK, a) == PAPR_H_SUCCESS) {
                w->nv = nv;
                papr_scm_guest_unbind(&g, drc, a[0], 1);
            }
        } else if (pick < 790) {
            w->nv = nv;
            papr_scm_guest_unbind_all(&g, PAPR_H_UNBIND_SCOPE_DRC, drc);
        } else if (pick < 850) {
            a[0] = drc;
            a[1] = blk;
            call(w, OP_QUERY_BLOCK, a);
        } else if (pick < 900) {
            a[0] = 0x10000000000ULL + blk * BLK;
            call(w, OP_QUERY_LOGICAL, a);
        } else if (pick < 950) {
            a[0] = drc;
            call(w, OP_HEALTH, a);
        } else if (pick < 999) {
            a[0] = drc;
            a[1] = STATS_GPA(w->index);
            a[2] = 0x1000;
            /* the header: eye catcher and version, then a read-all */
            spapr_guest_write(w->m, STATS_GPA(w->index), "SCMSTATS", 8);
            spapr_guest_stl_be(w->m, STATS_GPA(w->index) + 8, 1);
            spapr_guest_stl_be(w->m, STATS_GPA(w->index) + 12, 0);
            call(w, OP_STATS, a);
        } else {
            papr_scm_guest_flush(&g, drc);
        }
    }
    return NULL;
}

static uint64_t total_calls(const uint64_t *calls)
{
    uint64_t n = 0;
    unsigned int op;

    for (op = 0; op < OP__MAX; op++) {
        n += calls[op];
    }
    return n;
}

typedef struct Bound {
    uint64_t gpa;
    unsigned int nv;
    uint64_t blk;
} Bound;

static int cmp_bound(const void *a, const void *b)
{
    const Bound *x = a, *y = b;

    return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

static void test_stress(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256 * MIB, .nr_cpus = NR_THREADS };
    const char *env = g_getenv("STRESS_CALLS");
    uint64_t total = env ? g_ascii_strtoull(env, NULL, 0) : 1000000;
    Worker w[NR_THREADS];
    GThread *th[NR_THREADS];
    char *path[NR_NVDIMMS];
    SpaprNvdimm *nvs[NR_NVDIMMS];
    Bound bound[NR_NVDIMMS * NR_BLOCKS];
    unsigned int nbound = 0, t, n, op;
    uint64_t sum_calls[OP__MAX] = { 0 }, sum_err[OP__MAX] = { 0 };
    GError *err = NULL;
    SpaprMachine *m;
    gint64 t0;

    m = spapr_machine_new(&cfg, &err);
    g_assert_no_error(err);
    g_assert_true(spapr_hcall_register_scm(m, &err));
    for (n = 0; n < NR_NVDIMMS; n++) {
        g_autofree char *id = g_strdup_printf("nv%u", n);

        path[n] = scm_tmp_path("stress.img");
        nvs[n] = scm_nvdimm_new(m, id, path[n], NR_BLOCKS, n);
        /* a uniform starting value at both offsets */
        g_assert_cmpint(scm_call(m, PAPR_H_SCM_WRITE_METADATA, DRC(n),
                                 TORN_OFF_A, 0, 8, 0, NULL), ==,
                        PAPR_H_SUCCESS);
        g_assert_cmpint(scm_call(m, PAPR_H_SCM_WRITE_METADATA, DRC(n),
                                 TORN_OFF_B, 0, 8, 0, NULL), ==,
                        PAPR_H_SUCCESS);
    }
    spapr_hcall_stats_reset(m);
    for (n = 0; n < NR_NVDIMMS; n++) {
        memset(nvs[n]->stats, 0, sizeof(nvs[n]->stats));
        memset(nvs[n]->cpu_stats, 0,
               nvs[n]->nr_cpu_stats * sizeof(*nvs[n]->cpu_stats));
    }

    t0 = g_get_monotonic_time();
    for (t = 0; t < NR_THREADS; t++) {
        memset(&w[t], 0, sizeof(w[t]));
        w[t].m = m;
        w[t].index = t;
        w[t].calls = total / NR_THREADS;
        w[t].seed = 0x9e3779b97f4a7c15ULL * (t + 1);
        th[t] = g_thread_new("vcpu", worker_main, &w[t]);
    }
    for (t = 0; t < NR_THREADS; t++) {
        g_thread_join(th[t]);
    }
    g_test_message("%" PRIu64 " loop iterations on %d threads in %.2f s",
                   total, NR_THREADS,
                   (g_get_monotonic_time() - t0) / 1e6);

    /* 1. no torn label word */
    for (t = 0; t < NR_THREADS; t++) {
        if (w[t].torn) {
            g_test_message("vCPU %u saw %" PRIu64 " torn label reads", t,
                           w[t].torn);
        }
    }
    for (t = 0; t < NR_THREADS; t++) {
        g_assert_cmpuint(w[t].torn, ==, 0);
    }
    /* 2. the dispatcher's counters are the calls made */
    for (t = 0; t < NR_THREADS; t++) {
        for (op = 0; op < OP__MAX; op++) {
            sum_calls[op] += w[t].n_calls[op];
            sum_err[op] += w[t].n_errors[op];
        }
    }
    for (op = 0; op < OP__MAX; op++) {
        SpaprHcallStats st;

        g_assert_true(spapr_hcall_stats_get(m, op_code[op], &st));
        g_assert_cmpuint(st.calls, ==, sum_calls[op]);
        g_assert_cmpuint(st.errors, ==, sum_err[op]);
    }
    g_test_message("hcalls made: %" PRIu64 " in all; %" PRIu64 " reads, %"
                   PRIu64 " writes, %" PRIu64 " binds, %" PRIu64 " flushes",
                   total_calls(sum_calls), sum_calls[OP_READ],
                   sum_calls[OP_WRITE], sum_calls[OP_BIND],
                   sum_calls[OP_FLUSH]);
    g_assert_cmpuint(sum_calls[OP_READ] + sum_calls[OP_WRITE], >, 0);
    /* 3. device counters add up; bound = binds - unbinds */
    for (n = 0; n < NR_NVDIMMS; n++) {
        uint64_t reads = 0, writes = 0, binds = 0, unbinds = 0, b;

        for (t = 0; t < NR_THREADS; t++) {
            reads += w[t].label_reads[n];
            writes += w[t].label_writes[n];
            binds += w[t].bound[n];
            unbinds += w[t].unbound[n];
        }
        g_assert_cmpuint(nvdimm_stat_sum_(nvs[n], NVDIMM_STAT_META_READS), ==,
                         reads);
        g_assert_cmpuint(nvdimm_stat_sum_(nvs[n], NVDIMM_STAT_META_WRITES),
                         ==, writes);
        g_assert_cmpuint(nvdimm_stat_sum_(nvs[n], NVDIMM_STAT_BINDS), ==,
                         binds);
        g_assert_cmpuint(nvdimm_stat_sum_(nvs[n], NVDIMM_STAT_UNBINDS), ==,
                         unbinds);
        g_assert_cmpuint(spapr_nvdimm_bound_blocks_(nvs[n]), ==,
                         binds - unbinds);
        /* 4. queries agree with the bindings */
        for (b = 0; b < NR_BLOCKS; b++) {
            uint64_t out[9], gpa = spapr_nvdimm_block_gpa_(nvs[n], b);
            int64_t rc = scm_call(m, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING,
                                  DRC(n), b, 0, 0, 0, out);

            if (gpa == SPAPR_NVDIMM_UNBOUND) {
                g_assert_cmpint(rc, ==, PAPR_H_NOT_FOUND);
                continue;
            }
            g_assert_cmpint(rc, ==, PAPR_H_SUCCESS);
            g_assert_cmphex(out[0], ==, gpa);
            g_assert_cmpint(scm_call(m, PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING,
                                     gpa + 4096, 0, 0, 0, 0, out), ==,
                            PAPR_H_SUCCESS);
            g_assert_cmphex(out[0], ==, DRC(n));
            g_assert_cmpuint(out[1], ==, b);
            bound[nbound].gpa = gpa;
            bound[nbound].nv = n;
            bound[nbound].blk = b;
            nbound++;
        }
    }
    /* 5. no two bound blocks overlap */
    qsort(bound, nbound, sizeof(bound[0]), cmp_bound);
    for (t = 1; t < nbound; t++) {
        g_assert_cmphex(bound[t - 1].gpa + BLK, <=, bound[t].gpa);
    }
    g_test_message("%u blocks bound at the end", nbound);
    spapr_machine_free(m);
    for (n = 0; n < NR_NVDIMMS; n++) {
        scm_remove_backend(path[n]);
        g_free(path[n]);
    }
}

/* Only label traffic: two writers and two readers on one word. */
typedef struct LabelWorker {
    SpaprMachine *m;
    unsigned int index;
    uint64_t n;
    uint64_t off;
    uint64_t torn;
} LabelWorker;

static gpointer label_main(gpointer opaque)
{
    LabelWorker *lw = opaque;
    SpaprCpu *cpu = spapr_machine_cpu(lw->m, lw->index);
    uint64_t i;

    for (i = 0; i < lw->n; i++) {
        uint64_t a[SPAPR_HCALL_NR_ARGS] = { DRC(0), lw->off };

        if (lw->index & 1) {
            a[2] = (i & 1 ? 0xff : 0) * 0x0101010101010101ULL;
            a[3] = 8;
            g_assert_cmpint(spapr_hcall(lw->m, cpu, PAPR_H_SCM_WRITE_METADATA,
                                        a), ==, PAPR_H_SUCCESS);
        } else {
            a[2] = 8;
            g_assert_cmpint(spapr_hcall(lw->m, cpu, PAPR_H_SCM_READ_METADATA,
                                        a), ==, PAPR_H_SUCCESS);
            lw->torn += !uniform(a[0]);
        }
    }
    return NULL;
}

static void test_label_atomic(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256 * MIB, .nr_cpus = NR_THREADS };
    const char *env = g_getenv("STRESS_CALLS");
    uint64_t total = env ? g_ascii_strtoull(env, NULL, 0) : 1000000;
    static const uint64_t offs[] = { 0, 4093 };
    LabelWorker lw[NR_THREADS];
    GThread *th[NR_THREADS];
    GError *err = NULL;
    SpaprMachine *m;
    unsigned int t, o;

    m = spapr_machine_new(&cfg, &err);
    g_assert_no_error(err);
    g_assert_true(spapr_hcall_register_scm(m, &err));
    scm_nvdimm_new(m, "nv0", NULL, 1, 0);
    for (o = 0; o < G_N_ELEMENTS(offs); o++) {
        uint64_t torn = 0;

        for (t = 0; t < NR_THREADS; t++) {
            lw[t] = (LabelWorker) {
                .m = m, .index = t, .off = offs[o],
                .n = total / NR_THREADS / G_N_ELEMENTS(offs),
            };
            th[t] = g_thread_new("vcpu", label_main, &lw[t]);
        }
        for (t = 0; t < NR_THREADS; t++) {
            g_thread_join(th[t]);
            torn += lw[t].torn;
        }
        g_test_message("offset %" PRIu64 ": %" PRIu64 " torn reads of %"
                       PRIu64, offs[o], torn,
                       lw[0].n * NR_THREADS / 2);
        g_assert_cmpuint(torn, ==, 0);
    }
    spapr_machine_free(m);
}

/* ---- statistics reset racing counting vCPUs ---- */

#define RESET_OPCODE    0x4                 /* any PAPR opcode */
#define RESET_WORKERS   (NR_THREADS + 1)    /* the last one has no vCPU */

typedef struct ResetWorker {
    SpaprMachine *m;
    SpaprCpu *cpu;
    uint64_t n;
    uint64_t done;                          /* calls made; atomic */
} ResetWorker;

static int64_t h_count_me(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                          uint64_t *args)
{
    /* every third call fails: the error counter races too */
    return ++args[0] % 3 ? PAPR_H_SUCCESS : PAPR_H_PARAMETER;
}

static const SpaprHcallInfo count_me = {
    .opcode = RESET_OPCODE, .name = "H_COUNT_ME", .fn = h_count_me,
    .hcall_set = "hcall-test", .nargs = 1, .nrets = 1,
};

static gpointer reset_worker_main(gpointer opaque)
{
    ResetWorker *rw = opaque;
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0 };
    uint64_t i;

    for (i = 0; i < rw->n; i++) {
        spapr_hcall(rw->m, rw->cpu, RESET_OPCODE, args);
        /* after the call is counted: pairs with progress()'s acquire */
        __atomic_store_n(&rw->done, i + 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

static uint64_t progress(ResetWorker *rw)
{
    uint64_t n = 0;
    unsigned int t;

    for (t = 0; t < RESET_WORKERS; t++) {
        n += __atomic_load_n(&rw[t].done, __ATOMIC_ACQUIRE);
    }
    return n;
}

/*
 * One reset, checked against the calls made around it.  A call is counted
 * after the reset only if it was counted after @before was read, and
 * calls completed between the reset's return and the read are counted:
 * each worker may have one call in flight at either edge.
 */
static void check_one_reset(SpaprMachine *m, ResetWorker *rw)
{
    uint64_t before = progress(rw), after_reset, before_read, after;
    SpaprHcallStats st;

    spapr_hcall_stats_reset(m);
    after_reset = progress(rw);
    before_read = progress(rw);
    g_assert_true(spapr_hcall_stats_get(m, RESET_OPCODE, &st));
    after = progress(rw);
    g_assert_cmpuint(st.calls, <=, after - before + RESET_WORKERS);
    g_assert_cmpuint(st.calls + 2 * RESET_WORKERS, >=,
                     before_read - after_reset);
    g_assert_cmpuint(st.errors, <=, (after - before) / 3 + RESET_WORKERS);
}

static void test_stats_reset(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256 * MIB, .nr_cpus = NR_THREADS };
    const char *env = g_getenv("STRESS_CALLS");
    uint64_t total = env ? g_ascii_strtoull(env, NULL, 0) : 1000000;
    ResetWorker rw[RESET_WORKERS];
    GThread *th[RESET_WORKERS];
    uint64_t resets = 0;
    GError *err = NULL;
    SpaprHcallStats st;
    SpaprMachine *m;
    unsigned int t;

    m = spapr_machine_new(&cfg, &err);
    g_assert_no_error(err);
    g_assert_true(spapr_hcall_register(m, &count_me, &err));
    for (t = 0; t < RESET_WORKERS; t++) {
        rw[t] = (ResetWorker) {
            /* cheap calls: four times as many, for more resets */
            .m = m, .n = 4 * total / RESET_WORKERS,
            .cpu = t < NR_THREADS ? spapr_machine_cpu(m, t) : NULL,
        };
        th[t] = g_thread_new("vcpu", reset_worker_main, &rw[t]);
    }
    while (progress(rw) < rw[0].n * RESET_WORKERS) {
        check_one_reset(m, rw);
        resets++;
    }
    for (t = 0; t < RESET_WORKERS; t++) {
        g_thread_join(th[t]);
    }
    g_test_message("%" PRIu64 " resets during %" PRIu64 " calls", resets,
                   rw[0].n * RESET_WORKERS);
    /* Quiet again: a reset then N calls reads N, exactly */
    spapr_hcall_stats_reset(m);
    for (t = 0; t < RESET_WORKERS; t++) {
        rw[t].n = 1000;
        reset_worker_main(&rw[t]);
    }
    g_assert_true(spapr_hcall_stats_get(m, RESET_OPCODE, &st));
    g_assert_cmpuint(st.calls, ==, 1000 * RESET_WORKERS);
    spapr_machine_free(m);
}

/* ---- registration racing dispatch ---- */

#define REG_FIRST       0x4
#define REG_COUNT       64                  /* opcodes 0x4, 0x8, ... */

typedef struct RegWorker {
    SpaprMachine *m;
    SpaprCpu *cpu;
    uint64_t found;
    bool *stop;
} RegWorker;

static int64_t h_echo_opcode(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                             uint64_t *args)
{
    args[0] = opcode;
    return PAPR_H_SUCCESS;
}

static gpointer reg_worker_main(gpointer opaque)
{
    RegWorker *rw = opaque;
    unsigned int i = 0;

    /* until stopped, and at least one registered row was seen */
    while (!__atomic_load_n(rw->stop, __ATOMIC_ACQUIRE) || !rw->found) {
        uint64_t op = REG_FIRST + 4 * (i++ % REG_COUNT);
        uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0 };
        int64_t rc = spapr_hcall(rw->m, rw->cpu, op, args);

        /* unregistered yet, or the whole row: handler and all */
        if (rc != PAPR_H_FUNCTION) {
            g_assert_cmpint(rc, ==, PAPR_H_SUCCESS);
            g_assert_cmphex(args[0], ==, op);
            rw->found++;
        }
    }
    return NULL;
}

static void test_register_live(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256 * MIB, .nr_cpus = NR_THREADS };
    static SpaprHcallInfo rows[REG_COUNT];
    RegWorker rw[NR_THREADS];
    GThread *th[NR_THREADS];
    bool stop = false;
    GError *err = NULL;
    SpaprMachine *m;
    unsigned int t, i;

    m = spapr_machine_new(&cfg, &err);
    g_assert_no_error(err);
    for (t = 0; t < NR_THREADS; t++) {
        rw[t] = (RegWorker) {
            .m = m, .cpu = spapr_machine_cpu(m, t), .stop = &stop,
        };
        th[t] = g_thread_new("vcpu", reg_worker_main, &rw[t]);
    }
    for (i = 0; i < REG_COUNT; i++) {
        rows[i] = (SpaprHcallInfo) {
            .opcode = REG_FIRST + 4 * i, .name = "H_ECHO",
            .fn = h_echo_opcode, .hcall_set = "hcall-test",
            .nargs = 1, .nrets = 1,
        };
        g_assert_true(spapr_hcall_register(m, &rows[i], &err));
        g_usleep(100);
    }
    __atomic_store_n(&stop, true, __ATOMIC_RELEASE);
    for (t = 0; t < NR_THREADS; t++) {
        g_thread_join(th[t]);
        g_assert_cmpuint(rw[t].found, >, 0);
    }
    spapr_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-hcall/stress/label-atomic", test_label_atomic);
    g_test_add_func("/spapr-hcall/stress/scm", test_stress);
    g_test_add_func("/spapr-hcall/stress/stats-reset", test_stats_reset);
    g_test_add_func("/spapr-hcall/stress/register-live",
                    test_register_live);
    return g_test_run();
}
