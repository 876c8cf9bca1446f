/*
 * spapr-hcall: the library's defences against its host's resources
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Guarded accesses to a file mapping whose file was truncated (and that a
 * fault outside them still kills), label and CI hcalls on such a device,
 * trace pattern validation, and the bounded flush pool.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "scm-test-util.h"

/* A one-page shared file mapping whose file is then cut to 0 bytes. */
/*
 * ThreadSanitizer's runtime does not survive a jump out of a SIGBUS
 * handler (it deadlocks on its own locks afterwards), so the faulting
 * cases run in the plain and ASan builds only.
 */
static bool can_fault(void)
{
#if defined(__SANITIZE_THREAD__)
    g_test_skip("ThreadSanitizer cannot survive a SIGBUS handler's jump");
    return false;
#else
    return true;
#endif
}

static uint8_t *cut_mapping(char **path)
{
    int fd;
    uint8_t *p;

    *path = scm_tmp_path("cut.img");
    fd = open(*path, O_RDWR | O_CREAT, 0600);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, 4096), ==, 0);
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    g_assert_true(p != MAP_FAILED);
    p[0] = 1;
    g_assert_cmpint(ftruncate(fd, 0), ==, 0);
    close(fd);
    return p;
}

static void test_guarded_copy(void)
{
    g_autofree char *path = NULL;
    uint8_t *p, buf[16] = { 0 };
    uint64_t v;

    if (!can_fault()) {
        return;
    }
    p = cut_mapping(&path);
    g_assert_false(spapr_guarded_take_fault());
    g_assert_false(spapr_guarded_copy(buf, p, sizeof(buf)));
    g_assert_true(spapr_guarded_take_fault());
    g_assert_false(spapr_guarded_take_fault());     /* taken */
    g_assert_false(spapr_guarded_copy(p, buf, sizeof(buf)));
    g_assert_false(spapr_guarded_fill(p, 0, 8));
    g_assert_false(spapr_guarded_load_be(p, 8, &v));
    g_assert_false(spapr_guarded_store_be(p, 8, 1));
    spapr_guarded_take_fault();
    /* good memory still works, after faults as before them */
    g_assert_true(spapr_guarded_copy(buf, "0123456789abcdef", 16));
    g_assert_true(spapr_guarded_load_be(buf, 2, &v));
    g_assert_cmphex(v, ==, 0x3031);
    g_assert_false(spapr_guarded_take_fault());
    munmap(p, 4096);
    scm_remove_backend(path);
}

/* A fault outside a guarded access kills the process, as without us. */
static void test_unguarded_still_fatal(void)
{
    g_autofree char *path = NULL;
    uint8_t *p;
    int st;
    pid_t pid;

    if (!can_fault()) {
        return;
    }
    p = cut_mapping(&path);
    spapr_guarded_init();
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        volatile uint8_t x = p[0];

        (void)x;
        _exit(0);
    }
    g_assert_cmpint(waitpid(pid, &st, 0), ==, pid);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    /* the sanitizer's own SIGBUS handler (chained to) reports and dies */
    g_assert_false(WIFEXITED(st) && WEXITSTATUS(st) == 0);
#else
    g_assert_true(WIFSIGNALED(st));
    g_assert_cmpint(WTERMSIG(st), ==, SIGBUS);
#endif
    munmap(p, 4096);
    scm_remove_backend(path);
}

/* Label and debug hcalls on a device whose file was truncated. */
static void test_hcalls_on_cut_file(void)
{
    g_autofree char *path = NULL;
    SpaprMachine *m;
    uint64_t out[9], gpa;
    unsigned int calls;
    GError *err = NULL;

    if (!can_fault()) {
        return;
    }
    path = scm_tmp_path("nv.img");
    m = scm_machine(256 * MIB);
    g_assert_true(spapr_hcall_register_debug(m, &err));
    scm_nvdimm_new(m, "nv0", path, 1, 0);
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 1, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    g_assert_cmpint(truncate(path, 0), ==, 0);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_READ_METADATA, DRC(0), 0, 8, 0, 0,
                             out), ==, PAPR_H_HARDWARE);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_WRITE_METADATA, DRC(0), 0, 1, 8, 0,
                             out), ==, PAPR_H_HARDWARE);
    g_assert_cmpint(scm_call(m, PAPR_H_LOGICAL_CI_LOAD, 8, gpa, 0, 0, 0, out),
                    ==, PAPR_H_HARDWARE);
    g_assert_cmpint(scm_call(m, PAPR_H_LOGICAL_CI_STORE, 8, gpa, 5, 0, 0, out),
                    ==, PAPR_H_HARDWARE);
    /* an unmapped address is still the caller's mistake */
    g_assert_cmpint(scm_call(m, PAPR_H_LOGICAL_CI_LOAD, 8, 1ULL << 50, 0, 0, 0,
                             out), ==, PAPR_H_P2);
    g_assert_cmpint(truncate(path, BLK + LABEL), ==, 0);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_READ_METADATA, DRC(0), 0, 8, 0, 0,
                             out), ==, PAPR_H_SUCCESS);
    g_assert_cmpint(scm_call(m, PAPR_H_LOGICAL_CI_LOAD, 8, gpa, 0, 0, 0, out),
                    ==, PAPR_H_SUCCESS);
    spapr_machine_free(m);
    scm_remove_backend(path);
}

static void test_trace_patterns(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256 * MIB, .trace = "a*b\xe9" };
    g_autofree char *big = g_strnfill(SPAPR_TRACE_MAX_PATTERNS_LEN + 1, 'a');
    GError *err = NULL;
    SpaprMachine *m;

    g_assert_true(spapr_trace_check_patterns("spapr_*,-spapr_nv*", NULL));
    g_assert_false(spapr_trace_check_patterns("a*bbbbbb\xe9", &err));
    g_assert_nonnull(strstr(err->message, "not valid UTF-8"));
    g_clear_error(&err);
    g_assert_false(spapr_trace_check_patterns("a\tb", NULL));
    g_assert_false(spapr_trace_check_patterns(big, NULL));
    /* the configuration's pattern is checked; no GLib assertion */
    g_assert_null(spapr_machine_new(&cfg, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    cfg.trace = NULL;
    m = spapr_machine_new(&cfg, &err);
    g_assert_nonnull(m);
    g_assert_cmpuint(spapr_trace_enable(m, "a*bbbbbb\xe9"), ==, 0);
    g_assert_cmpuint(spapr_trace_enable(m, "*"), >, 0);
    spapr_machine_free(m);
}

static unsigned int nr_threads(void)
{
    g_autofree char *text = NULL;
    const char *p;

    g_assert_true(g_file_get_contents("/proc/self/status", &text, NULL,
                                      NULL));
    p = strstr(text, "Threads:");
    g_assert_nonnull(p);
    return strtoul(p + 8, NULL, 10);
}

/* 64 file NVDIMMs, each flushed: at most 4 flush threads, not 64. */
static void test_flush_threads(void)
{
    SpaprMachine *m = scm_machine(256 * MIB);
    char *paths[64];
    unsigned int i, before, polls;

    before = nr_threads();
    for (i = 0; i < G_N_ELEMENTS(paths); i++) {
        g_autofree char *id = g_strdup_printf("nv%u", i);

        paths[i] = scm_tmp_path("nv.img");
        scm_nvdimm_new(m, id, paths[i], 1, i);
    }
    g_assert_cmpuint(nr_threads(), ==, before);     /* none at creation */
    for (i = 0; i < G_N_ELEMENTS(paths); i++) {
        g_assert_cmpint(scm_flush(m, DRC(i), &polls), ==, PAPR_H_SUCCESS);
    }
    g_test_message("threads: %u before, %u after 64 devices flushed",
                   before, nr_threads());
    g_assert_cmpuint(nr_threads(), <=, before + SPAPR_MACHINE_WORKER_THREADS);
    spapr_machine_free(m);
#if defined(__SANITIZE_THREAD__)
    /* TSan starts a background thread of its own on the way */
    g_assert_cmpuint(nr_threads(), <=, before + 1);
#else
    g_assert_cmpuint(nr_threads(), ==, before);
#endif
    for (i = 0; i < G_N_ELEMENTS(paths); i++) {
        scm_remove_backend(paths[i]);
        g_free(paths[i]);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/guarded/copy", test_guarded_copy);
    g_test_add_func("/guarded/unguarded-still-fatal",
                    test_unguarded_still_fatal);
    g_test_add_func("/guarded/hcalls-on-cut-file", test_hcalls_on_cut_file);
    g_test_add_func("/guarded/trace-patterns", test_trace_patterns);
    g_test_add_func("/guarded/flush-threads", test_flush_threads);
    return g_test_run();
}
