/*
 * Unit tests: machine life cycle, devices, and isolation between machines
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "spapr-hcall/spapr-hcall.h"

typedef struct TestDev {
    SpaprDevice parent;
    int *resets;
    int *finalized;
} TestDev;

static void testdev_reset(SpaprDevice *dev)
{
    (*((TestDev *)dev)->resets)++;
}

static void testdev_finalize(SpaprDevice *dev)
{
    (*((TestDev *)dev)->finalized)++;
    spapr_device_cleanup(dev);
    g_free(dev);
}

static const SpaprDeviceClass testdev_class = {
    .type = "test-dev",
    .reset = testdev_reset,
    .finalize = testdev_finalize,
};

static TestDev *testdev_new(const char *id, int *resets, int *finalized)
{
    TestDev *d = g_new0(TestDev, 1);

    spapr_device_init(&d->parent, &testdev_class, id);
    d->resets = resets;
    d->finalized = finalized;
    return d;
}

static void test_config_errors(void)
{
    SpaprMachineConfig cfg = { .ram_size = (256ULL << 20) + 4096 };
    GError *err = NULL;

    g_assert_null(spapr_machine_new(&cfg, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    cfg.ram_size = 0;
    cfg.nr_cpus = 5000;
    g_assert_null(spapr_machine_new(&cfg, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    cfg.nr_cpus = 1;
    cfg.device_window_base = UINT64_MAX - 10;
    cfg.device_window_size = 100;
    g_assert_null(spapr_machine_new(&cfg, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
}

static void test_defaults(void)
{
    SpaprMachine *m = spapr_machine_new(NULL, NULL);
    uint64_t base, size;
    uint8_t b;

    g_assert_nonnull(m);
    g_assert_cmpuint(spapr_machine_nr_cpus(m), ==, 1);
    g_assert_nonnull(spapr_machine_cpu(m, 0));
    g_assert_null(spapr_machine_cpu(m, 1));
    g_assert_cmpuint(spapr_machine_ram_size(m), ==, 0);
    g_assert_false(spapr_guest_ldub(m, 0, &b));    /* no RAM at all */
    spapr_machine_device_window(m, &base, &size);
    g_assert_cmphex(base, ==, 1ULL << 40);
    g_assert_cmphex(size, ==, 64ULL << 40);
    spapr_machine_free(m);
    spapr_machine_free(NULL);
}

static void test_devices(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20, .nr_cpus = 2 };
    SpaprMachine *m = spapr_machine_new(&cfg, NULL);
    int resets = 0, finalized = 0;
    TestDev *a = testdev_new("a", &resets, &finalized);
    TestDev *b = testdev_new("b", &resets, &finalized);
    TestDev *dup = testdev_new("a", &resets, &finalized);
    TestDev *noid = testdev_new("", &resets, &finalized);
    SpaprCpu *cpu = spapr_machine_cpu(m, 1);
    GError *err = NULL;

    g_assert_true(spapr_machine_add_device(m, &a->parent, NULL));
    g_assert_true(spapr_machine_add_device(m, &b->parent, NULL));
    g_assert_true(a->parent.machine == m);
    g_assert_false(spapr_machine_add_device(m, &dup->parent, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_EXISTS);
    g_clear_error(&err);
    g_assert_false(spapr_machine_add_device(m, &noid->parent, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    testdev_finalize(&dup->parent);
    testdev_finalize(&noid->parent);
    finalized = 0;

    g_assert_true(spapr_machine_find_device(m, "b") == &b->parent);
    g_assert_null(spapr_machine_find_device(m, "c"));

    cpu->gpr[5] = 99;
    cpu->msr |= SPAPR_MSR_PR;
    spapr_machine_reset(m);
    g_assert_cmpint(resets, ==, 2);
    g_assert_cmpuint(cpu->gpr[5], ==, 0);
    g_assert_cmphex(cpu->msr, ==, SPAPR_MSR_SF);
    spapr_machine_free(m);
    g_assert_cmpint(finalized, ==, 2);
}

static int64_t h_store_index(SpaprMachine *m, SpaprCpu *cpu, uint64_t op,
                             uint64_t *args)
{
    /* Writes guest RAM of the machine it was called on */
    return spapr_guest_stq_be(m, 0x1000, args[0]) ? PAPR_H_SUCCESS
 : PAPR_H_HARDWARE;
}

static const SpaprHcallInfo store_row = {
    0x3E4, "H_STORE", h_store_index, "hcall-test", 1, 0, NULL,
};

/* Two machines in one process share nothing */
static void test_two_machines(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20 };
    SpaprMachine *m1 = spapr_machine_new(&cfg, NULL);
    SpaprMachine *m2 = spapr_machine_new(&cfg, NULL);
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0x1111 };
    SpaprHcallStats st;
    uint64_t v;
    static uint8_t devmem[4096];

    g_assert_true(spapr_hcall_register(m1, &store_row, NULL));
    /* m2 has no such hcall */
    g_assert_cmpint(spapr_hcall(m2, NULL, 0x3E4, args), ==, PAPR_H_FUNCTION);
    g_assert_cmpint(spapr_hcall(m1, NULL, 0x3E4, args), ==, PAPR_H_SUCCESS);
    g_assert_true(spapr_guest_ldq_be(m1, 0x1000, &v));
    g_assert_cmphex(v, ==, 0x1111);
    g_assert_true(spapr_guest_ldq_be(m2, 0x1000, &v));
    g_assert_cmphex(v, ==, 0);
    /* Same opcode registered in m2 counts separately */
    g_assert_true(spapr_hcall_register(m2, &store_row, NULL));
    args[0] = 0x2222;
    g_assert_cmpint(spapr_hcall(m2, NULL, 0x3E4, args), ==, PAPR_H_SUCCESS);
    g_assert_true(spapr_hcall_stats_get(m1, 0x3E4, &st));
    g_assert_cmpuint(st.calls, ==, 1);
    g_assert_true(spapr_guest_ldq_be(m1, 0x1000, &v));
    g_assert_cmphex(v, ==, 0x1111);
    /* Memory maps, DRCs and trace state are per machine */
    g_assert_true(spapr_machine_map(m1, "d", 1ULL << 40, 4096, devmem,
                                    NULL));
    g_assert_true(spapr_machine_map(m2, "d", 1ULL << 40, 4096, devmem,
                                    NULL));
    g_assert_nonnull(papr_drc_new(spapr_machine_drcs(m1),
                                   PAPR_DRC_TYPE_PMEM, 0, NULL));
    g_assert_null(papr_drc_by_index(spapr_machine_drcs(m2), 0x90000000));
    spapr_trace_enable(m1, "spapr_machine_*");
    g_assert_true(spapr_trace_event_enabled(m1, "spapr_machine_map"));
    g_assert_false(spapr_trace_event_enabled(m2, "spapr_machine_map"));
    spapr_machine_free(m1);
    /* m2 still works after m1 is gone */
    g_assert_cmpint(spapr_hcall(m2, NULL, 0x3E4, args), ==, PAPR_H_SUCCESS);
    spapr_machine_free(m2);
}

typedef struct ThreadArg {
    SpaprMachine *m;
    unsigned int n;
} ThreadArg;

static gpointer hammer(gpointer data)
{
    ThreadArg *t = data;
    uint64_t args[SPAPR_HCALL_NR_ARGS];
    unsigned int i;

    for (i = 0; i < t->n; i++) {
        args[0] = i;
        spapr_hcall(t->m, NULL, 0x3E4, args);
    }
    return NULL;
}

/* Machines driven from two threads at once keep exact counts */
static void test_threads(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20 };
    ThreadArg a = { spapr_machine_new(&cfg, NULL), 20000 };
    ThreadArg b = { spapr_machine_new(&cfg, NULL), 30000 };
    GThread *ta, *tb;
    SpaprHcallStats st;

    g_assert_true(spapr_hcall_register(a.m, &store_row, NULL));
    g_assert_true(spapr_hcall_register(b.m, &store_row, NULL));
    ta = g_thread_new("a", hammer, &a);
    tb = g_thread_new("b", hammer, &b);
    g_thread_join(ta);
    g_thread_join(tb);
    g_assert_true(spapr_hcall_stats_get(a.m, 0x3E4, &st));
    g_assert_cmpuint(st.calls, ==, 20000);
    g_assert_true(spapr_hcall_stats_get(b.m, 0x3E4, &st));
    g_assert_cmpuint(st.calls, ==, 30000);
    spapr_machine_free(a.m);
    spapr_machine_free(b.m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/machine/config-errors", test_config_errors);
    g_test_add_func("/machine/defaults", test_defaults);
    g_test_add_func("/machine/devices", test_devices);
    g_test_add_func("/machine/two-machines", test_two_machines);
    g_test_add_func("/machine/threads", test_threads);
    return g_test_run();
}
