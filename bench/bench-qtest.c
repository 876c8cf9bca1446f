/*
 * Benchmark rows 2b and 3: round trips over the qtest socket, against
 * QEMU's own qtest server in the same run when a QEMU build is present
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "bench.h"
#include "../tests/qtest/libqtest.h"

#define ROUND_TRIPS 20000
#define RUNS        7

void bench_qtest(void);

/* QEMU with the qtest accelerator (Debian's package is built without it) */
static char *find_qemu(void)
{
    const char *env = g_getenv("SPAPR_BENCH_QEMU");
    g_autoptr(GDir) dir = NULL;
    const char *cache = "/var/cache/spapr-hcall";
    const char *name;

    if (env) {
        return g_strdup(env);
    }
    dir = g_dir_open(cache, 0, NULL);
    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *p = g_build_filename(cache, name, "build",
                                              "qemu-system-ppc64", NULL);

        if (g_str_has_prefix(name, "qemu-build-") &&
            g_file_test(p, G_FILE_TEST_IS_EXECUTABLE)) {
            return g_steal_pointer(&p);
        }
    }
    return NULL;
}

static double readq_rate(QTestState *s)
{
    double t0 = bench_now_ns();
    unsigned int i;
    uint64_t acc = 0;

    for (i = 0; i < ROUND_TRIPS; i++) {
        acc += qtest_readq(s, 0x1000 + (i % 64) * 8);
    }
    (void)acc;
    return ROUND_TRIPS / ((bench_now_ns() - t0) / 1e9);
}

static double hcall_rate(QTestState *s)
{
    uint64_t args[2] = { 8, 0x2000 };
    double t0 = bench_now_ns();
    unsigned int i;

    for (i = 0; i < ROUND_TRIPS; i++) {
        qtest_hcall(s, PAPR_H_LOGICAL_CI_LOAD, 2, args, NULL);
    }
    return ROUND_TRIPS / ((bench_now_ns() - t0) / 1e9);
}

/* Row 2b: the 128 KiB label area, 8 bytes per hcall, over the socket */
static double label_read_us(QTestState *s)
{
    double t0 = bench_now_ns();
    uint64_t off;

    for (off = 0; off < (128 << 10); off += 8) {
        uint64_t args[3] = { 0x90000000, off, 8 };

        if (qtest_hcall(s, PAPR_H_SCM_READ_METADATA, 3, args, NULL) != 0) {
            fprintf(stderr, "READ_METADATA over qtest failed\n");
            exit(1);
        }
    }
    return (bench_now_ns() - t0) / 1000;
}

/*
 * The floor: the same request/answer sizes over a socketpair to a child
 * that answers with one read() and one write(), the client waiting in
 * poll() as libqtest does.  No server can beat this on this machine.
 */
static double echo_floor_rate(void)
{
    static const char ans[] = "OK 0x0000000000000000\n";
    int sv[2];
    pid_t pid;
    double t0, rate;
    unsigned int i;
    char buf[256];

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        return 0;
    }
    pid = fork();
    if (pid == 0) {
        close(sv[0]);
        while (read(sv[1], buf, sizeof(buf)) > 0) {
            if (write(sv[1], ans, sizeof(ans) - 1) < 0) {
                break;
            }
        }
        _exit(0);
    }
    close(sv[1]);
    t0 = bench_now_ns();
    for (i = 0; i < ROUND_TRIPS; i++) {
        struct pollfd p = { .fd = sv[0], .events = POLLIN };

        if (write(sv[0], "readq 0x1000\n", 13) != 13 ||
            poll(&p, 1, 5000) != 1 || read(sv[0], buf, sizeof(buf)) <= 0) {
            break;
        }
    }
    rate = i / ((bench_now_ns() - t0) / 1e9);
    close(sv[0]);
    waitpid(pid, NULL, 0);
    return rate;
}

void bench_qtest(void)
{
    g_autofree char *qemu = find_qemu();
    g_autofree char *dir = g_dir_make_tmp("spapr-bench-XXXXXX", NULL);
    g_autofree char *img = g_build_filename(dir, "nv.img", NULL);
    g_autofree char *args = g_strdup_printf(
        "-M pseries -m 1G -object memory-backend-file,id=m0,mem-path=%s,"
        "size=268566528,share=on -device spapr-nvdimm,id=nv0,memdev=m0,"
        "label-size=128K,uuid=0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", img);
    g_autofree char *state = g_strconcat(img, ".state", NULL);
    double rq[RUNS], hc[RUNS], lq[RUNS], qq[RUNS], fl[RUNS];
    unsigned int r;
    QTestState *s, *q = NULL;

    /* Both servers run at once and are measured alternately, so that
     * load from elsewhere on this shared machine hits both alike */
    g_setenv("QTEST_QEMU_BINARY", SPAPR_HV_PATH, TRUE);
    s = qtest_init(args);
    if (qemu) {
        g_setenv("QTEST_QEMU_BINARY", qemu, TRUE);
        q = qtest_init("-L /usr/share/qemu -M pseries -m 1G -nodefaults");
    }
    for (r = 0; r < RUNS; r++) {
        rq[r] = readq_rate(s) / 1000;
        if (q) {
            qq[r] = readq_rate(q) / 1000;
        }
        fl[r] = echo_floor_rate() / 1000;
        hc[r] = hcall_rate(s) / 1000;
        lq[r] = label_read_us(s) / 1000;
    }
    qtest_quit(s);
    if (q) {
        qtest_quit(q);
    }
    bench_row("2b", "128 KiB label read over the qtest socket (16384 hcall "
              "commands)", bench_median(lq, RUNS), "ms", "-", 0, "-");
    bench_row("3a", "qtest readq round trips, spapr-hv", bench_median(rq,
                                                                      RUNS),
              "k/s", qemu ? "QEMU 7.2 qtest server" : "QEMU not built",
              qemu ? bench_median(qq, RUNS) : 0, ">= 2x QEMU");
    bench_row("3c", "qtest readq round trips, spapr-hv",
              bench_median(rq, RUNS), "k/s",
              "socketpair echo floor (no server work)",
              bench_median(fl, RUNS), "-");
    bench_row("3b", "qtest hcall round trips, spapr-hv", bench_median(hc,
                                                                      RUNS),
              "k/s", "-", 0, "-");
    g_remove(img);
    g_remove(state);
    g_rmdir(dir);
}
