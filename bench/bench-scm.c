/*
 * Benchmark rows 2, 4, 6, 7: the SCM hcalls in process
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "bench.h"
#include "papr-scm-guest.h"
#include "spapr-hcall/nvdimm.h"

#define LABEL       (128ULL << 10)
#define GIB         (1ULL << 30)

void bench_labels(void);
void bench_bind_1tib(void);
void bench_flush(void);
void bench_concurrency(void);

typedef struct Bench {
    SpaprMachine *m;
    SpaprCpu *cpu;
    char *dir;
    double worst;               /* longest single hcall of the guest model */
} Bench;

static SpaprNvdimm *bench_setup(Bench *b, unsigned int nr_cpus,
                                uint64_t data_size, bool file)
{
    SpaprMachineConfig cfg = { .ram_size = GIB, .nr_cpus = nr_cpus };
    g_autofree char *path = NULL;
    SpaprNvdimmConfig nc = {
        .id = "nv0", .size = data_size + LABEL, .label_size = LABEL,
        .slot = SPAPR_NVDIMM_SLOT_AUTO, .hcall_flush = true,
    };
    g_autoptr(GError) err = NULL;
    SpaprNvdimm *nv;

    b->m = spapr_machine_new(&cfg, &err);
    b->cpu = spapr_machine_cpu(b->m, 0);
    b->dir = g_dir_make_tmp("spapr-bench-XXXXXX", NULL);
    b->worst = 0;
    if (file) {
        path = g_build_filename(b->dir, "nv0.img", NULL);
        nc.mem_path = path;
    }
    if (!b->m || !spapr_hcall_register_scm(b->m, &err) ||
        !(nv = spapr_nvdimm_create(b->m, &nc, &err))) {
        fprintf(stderr, "bench setup: %s\n", err->message);
        exit(1);
    }
    return nv;
}

static void bench_teardown(Bench *b)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", b->dir);

    spapr_machine_free(b->m);
    if (system(cmd) != 0) {
        fprintf(stderr, "cannot remove %s\n", b->dir);
    }
    g_free(b->dir);
}

static int64_t call(Bench *b, uint64_t op, uint64_t *args)
{
    return spapr_hcall(b->m, b->cpu, op, args);
}

/* The papr_scm guest model's transport: each call timed into b->worst */
static int64_t timed_hcall(void *opaque, uint64_t opcode, uint64_t *args)
{
    Bench *b = opaque;
    double c0 = bench_now_ns();
    int64_t ret = call(b, opcode, args);

    b->worst = MAX(b->worst, bench_now_ns() - c0);
    return ret;
}

/* What Linux's flush loop does: sleep the hinted time on long busy */
static void linux_wait(void *opaque, int64_t rc)
{
    if (PAPR_H_IS_LONG_BUSY(rc)) {
        g_usleep(spapr_hcall_long_busy_msecs(rc) * 1000);
    }
}

/* Row 2: a 128 KiB label area read 8 bytes per hcall, as Linux does */
void bench_labels(void)
{
    Bench b;
    SpaprNvdimm *nv = bench_setup(&b, 1, SPAPR_SCM_BLOCK_SIZE, false);
    uint32_t drc = spapr_nvdimm_drc_index(nv);
    double t[BENCH_RUNS], f[BENCH_RUNS];
    static uint8_t label[LABEL], copy[LABEL];
    unsigned int r;
    uint64_t off, acc = 0;

    for (r = 0; r < BENCH_RUNS; r++) {
        double t0 = bench_now_ns();

        for (off = 0; off < LABEL; off += 8) {
            uint64_t args[SPAPR_HCALL_NR_ARGS] = { drc, off, 8 };

            if (call(&b, PAPR_H_SCM_READ_METADATA, args) != PAPR_H_SUCCESS) {
                fprintf(stderr, "READ_METADATA failed\n");
                exit(1);
            }
            acc += args[0];
        }
        t[r] = (bench_now_ns() - t0) / 1000;
        t0 = bench_now_ns();
        for (off = 0; off < LABEL; off += 8) {
            memcpy(copy + off, label + off, 8);
            __asm__ volatile("" : : "r"(copy) : "memory");
        }
        f[r] = (bench_now_ns() - t0) / 1000;
    }
    bench_row("2a", "128 KiB label read, 16384 x 8-byte READ_METADATA",
              bench_median(t, BENCH_RUNS), "us",
              "16384 x 8-byte memcpy", bench_median(f, BENCH_RUNS),
              "< 200 us");
    bench_teardown(&b);
    (void)acc;
}

static uint64_t rss_kib(void)
{
    g_autofree char *s = NULL;
    unsigned long pages = 0, res = 0;

    if (g_file_get_contents("/proc/self/statm", &s, NULL, NULL) &&
        sscanf(s, "%lu %lu", &pages, &res) == 2) {
        return res * (sysconf(_SC_PAGESIZE) / 1024);
    }
    return 0;
}

/* Row 4: bind and unbind all of a 1 TiB sparse file-backed NVDIMM */
void bench_bind_1tib(void)
{
    Bench b;
    SpaprNvdimm *nv;
    uint32_t drc;
    uint64_t rss0 = rss_kib(), rss1, blocks;
    double tb[BENCH_RUNS], tu[BENCH_RUNS], tmmap[BENCH_RUNS];
    unsigned int r, calls_bind = 0, calls_unbind = 0;
    PaprScmGuest g = { .hcall = timed_hcall, .opaque = &b };

    nv = bench_setup(&b, 1, 1ULL << 40, true);
    drc = spapr_nvdimm_drc_index(nv);
    blocks = spapr_nvdimm_nr_blocks(nv);
    rss1 = rss_kib();
    for (r = 0; r < BENCH_RUNS; r++) {
        uint64_t gpa;
        int64_t ret;
        double t0 = bench_now_ns();

        ret = papr_scm_guest_bind(&g, drc, 0, blocks,
                                  SPAPR_SCM_BIND_ANY_ADDR, &gpa);
        calls_bind = g.calls;
        tb[r] = (bench_now_ns() - t0) / 1000;
        if (ret != PAPR_H_SUCCESS) {
            fprintf(stderr, "BIND_MEM: %" PRId64 "\n", ret);
            exit(1);
        }
        t0 = bench_now_ns();
        /* no wait: retried at once on long busy too */
        ret = papr_scm_guest_unbind_all(&g, PAPR_H_UNBIND_SCOPE_DRC, drc);
        calls_unbind = g.calls;
        tu[r] = (bench_now_ns() - t0) / 1000;
        if (ret != PAPR_H_SUCCESS) {
            fprintf(stderr, "UNBIND_ALL: %" PRId64 "\n", ret);
            exit(1);
        }
    }
    /* Reference: one mmap + munmap of the same 1 TiB of address space */
    for (r = 0; r < BENCH_RUNS; r++) {
        double t0 = bench_now_ns();
        void *p = mmap(NULL, 1ULL << 40, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

        if (p != MAP_FAILED) {
            munmap(p, 1ULL << 40);
        }
        tmmap[r] = (bench_now_ns() - t0) / 1000;
    }
    printf("|   | 1 TiB: %u BIND_MEM calls, %u UNBIND_ALL calls, longest "
           "single hcall %.1f us, RSS after creating the device +%" PRIu64
           " KiB, after %u bind/unbind cycles +%" PRIu64 " KiB | | | | "
           "< 100 us per hcall |\n", calls_bind, calls_unbind, b.worst / 1000,
           rss1 - rss0, BENCH_RUNS, rss_kib() - rss0);
    bench_row("4a", "bind 1 TiB (all hcalls)", bench_median(tb, BENCH_RUNS),
              "us", "mmap+munmap 1 TiB", bench_median(tmmap, BENCH_RUNS),
              "-");
    bench_row("4b", "unbind 1 TiB (all hcalls)",
              bench_median(tu, BENCH_RUNS), "us", "mmap+munmap 1 TiB",
              bench_median(tmmap, BENCH_RUNS), "-");
    bench_teardown(&b);
}

/* Bind everything at a hypervisor-chosen address; returns that address */
static uint64_t bind_all(Bench *b, uint32_t drc, uint64_t blocks)
{
    PaprScmGuest g = { .hcall = timed_hcall, .opaque = b };
    uint64_t addr;
    int64_t ret;

    ret = papr_scm_guest_bind(&g, drc, 0, blocks, SPAPR_SCM_BIND_ANY_ADDR,
                              &addr);
    if (ret != PAPR_H_SUCCESS) {
        fprintf(stderr, "bind: %" PRId64 "\n", ret);
        exit(1);
    }
    return addr;
}

#define FLUSH_MIB   64

/* Row 6: H_SCM_FLUSH after dirtying N MiB, as Linux loops on it */
void bench_flush(void)
{
    Bench b;
    SpaprNvdimm *nv = bench_setup(&b, 1, SPAPR_SCM_BLOCK_SIZE, true);
    uint32_t drc = spapr_nvdimm_drc_index(nv);
    uint64_t addr = bind_all(&b, drc, spapr_nvdimm_nr_blocks(nv));
    g_autofree uint8_t *buf = g_malloc(FLUSH_MIB << 20);
    g_autofree char *path = g_build_filename(b.dir, "ref.img", NULL);
    g_autofree char *nvpath = g_build_filename(b.dir, "nv0.img", NULL);
    double tf[BENCH_RUNS], ts[BENCH_RUNS], tm[BENCH_RUNS];
    unsigned int r, polls = 0;
    PaprScmGuest g = {
        .hcall = timed_hcall, .wait = linux_wait, .opaque = &b,
    };
    int fd, nvfd;

    fd = open(path, O_RDWR | O_CREAT, 0600);
    nvfd = open(nvpath, O_RDWR);
    b.worst = 0;                /* the binds are not counted */
    for (r = 0; r < BENCH_RUNS; r++) {
        int64_t ret;
        double t0;

        memset(buf, 0x40 + r, FLUSH_MIB << 20);
        if (!spapr_guest_write(b.m, addr, buf, FLUSH_MIB << 20)) {
            fprintf(stderr, "guest write failed\n");
            exit(1);
        }
        t0 = bench_now_ns();
        ret = papr_scm_guest_flush(&g, drc);
        polls += g.calls;
        tf[r] = (bench_now_ns() - t0) / 1e6;
        if (ret != PAPR_H_SUCCESS) {
            fprintf(stderr, "FLUSH: %" PRId64 "\n", ret);
            exit(1);
        }
        /* Reference: the same bytes written to a file, then fdatasync */
        if (pwrite(fd, buf, FLUSH_MIB << 20, 0) != (ssize_t)(FLUSH_MIB
                                                             << 20)) {
            fprintf(stderr, "pwrite failed\n");
            exit(1);
        }
        t0 = bench_now_ns();
        if (fdatasync(fd) != 0) {
            fprintf(stderr, "fdatasync failed\n");
            exit(1);
        }
        ts[r] = (bench_now_ns() - t0) / 1e6;
        /* Second reference: the same stores through the NVDIMM's shared
         * mapping, then fdatasync() of its file directly (no hcall) */
        memset(buf, 0x80 + r, FLUSH_MIB << 20);
        spapr_guest_write(b.m, addr, buf, FLUSH_MIB << 20);
        t0 = bench_now_ns();
        if (fdatasync(nvfd) != 0) {
            fprintf(stderr, "fdatasync failed\n");
            exit(1);
        }
        tm[r] = (bench_now_ns() - t0) / 1e6;
    }
    close(fd);
    close(nvfd);
    bench_row("6a", "dirty " G_STRINGIFY(FLUSH_MIB) " MiB, H_SCM_FLUSH "
              "to completion (Linux loop)", bench_median(tf, BENCH_RUNS),
              "ms", "fdatasync of the same", bench_median(ts, BENCH_RUNS),
              "ratio <= 1.1");
    bench_row("6b", "the same H_SCM_FLUSH loop", bench_median(tf, BENCH_RUNS),
              "ms", "fdatasync after the same stores through the mapping",
              bench_median(tm, BENCH_RUNS), "protocol overhead");
    printf("|   | longest single H_SCM_FLUSH call: %.1f us (%u calls in "
           "%u flushes) | | | | < 50 us |\n", b.worst / 1000, polls,
           BENCH_RUNS);
    bench_teardown(&b);
}

typedef struct Worker {
    Bench *b;
    SpaprCpu *cpu;
    uint32_t drc;
    uint64_t calls;
    volatile bool *stop;
} Worker;

/* A mix like a guest's: label reads/writes, health, queries */
static gpointer worker(gpointer data)
{
    Worker *w = data;
    uint64_t i = 0;

    while (!*w->stop) {
        uint64_t args[SPAPR_HCALL_NR_ARGS] = { w->drc, (i * 8) % LABEL, 8 };

        spapr_hcall(w->b->m, w->cpu, PAPR_H_SCM_READ_METADATA, args);
        args[0] = w->drc;
        args[1] = (i * 8) % LABEL;
        args[2] = i;
        args[3] = 8;
        spapr_hcall(w->b->m, w->cpu, PAPR_H_SCM_WRITE_METADATA, args);
        args[0] = w->drc;
        spapr_hcall(w->b->m, w->cpu, PAPR_H_SCM_HEALTH, args);
        args[0] = w->drc;
        args[1] = 0;
        spapr_hcall(w->b->m, w->cpu, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, args);
        i++;
    }
    w->calls = i * 4;
    return NULL;
}

static double run_threads(Bench *b, unsigned int n, const uint32_t *drcs)
{
    volatile bool stop = false;
    Worker w[2];
    GThread *t[2];
    unsigned int i;
    uint64_t total = 0;
    double t0 = bench_now_ns();

    for (i = 0; i < n; i++) {
        w[i] = (Worker){ b, spapr_machine_cpu(b->m, i), drcs[i], 0, &stop };
        t[i] = g_thread_new("vcpu", worker, &w[i]);
    }
    g_usleep(300000);
    stop = true;
    for (i = 0; i < n; i++) {
        g_thread_join(t[i]);
        total += w[i].calls;
    }
    return total / ((bench_now_ns() - t0) / 1e9) / 1e6;
}

/* Row 7: hcalls per second with 1 and 2 vCPU threads */
void bench_concurrency(void)
{
    Bench b;
    SpaprNvdimm *nv0 = bench_setup(&b, 2, SPAPR_SCM_BLOCK_SIZE, false);
    SpaprNvdimmConfig nc = {
        .id = "nv1", .size = SPAPR_SCM_BLOCK_SIZE + LABEL,
        .label_size = LABEL, .slot = SPAPR_NVDIMM_SLOT_AUTO,
    };
    SpaprNvdimm *nv1 = spapr_nvdimm_create(b.m, &nc, NULL);
    uint32_t drcs[2] = {
        spapr_nvdimm_drc_index(nv0), spapr_nvdimm_drc_index(nv1),
    };
    double one[BENCH_RUNS], two[BENCH_RUNS];
    unsigned int r;

    bind_all(&b, drcs[0], 1);
    bind_all(&b, drcs[1], 1);
    for (r = 0; r < BENCH_RUNS; r++) {
        one[r] = run_threads(&b, 1, drcs);
        two[r] = run_threads(&b, 2, drcs);
    }
    bench_row("7", "mixed SCM hcalls, 2 vCPU threads (one NVDIMM each)",
              bench_median(two, BENCH_RUNS), "M hcalls/s",
              "1 vCPU thread", bench_median(one, BENCH_RUNS),
              "scales with threads");
    bench_teardown(&b);
}
