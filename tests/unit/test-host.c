/*
 * Unit tests: the standalone host, and where the machine places device
 * memory (SCM binds) in guest physical space
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "scm-test-util.h"

#define RAM     (256 * MIB)

typedef struct Capture {
    int64_t now;
    GPtrArray *lines;
} Capture;

static int64_t cap_clock(void *opaque)
{
    return ((Capture *)opaque)->now;
}

static void cap_log(void *opaque, SpaprLogLevel level, const char *msg)
{
    Capture *c = opaque;

    g_ptr_array_add(c->lines, g_strdup_printf("%s%s",
                                              spapr_log_level_prefix(level),
                                              msg));
}

/* NULL config: no RAM; a machine of its own gets a host with RAM */
static void test_defaults(void)
{
    SpaprStandaloneHost *h = spapr_standalone_host_new(NULL, NULL);
    SpaprMachineConfig cfg = { .ram_size = RAM };
    SpaprMachine *m = spapr_machine_new(&cfg, NULL);
    SpaprMemRegionInfo info;
    int64_t t0, t1;

    g_assert_cmpuint(spapr_memmap_count(spapr_standalone_host_memmap(h)),
                     ==, 0);
    g_assert_false(spapr_standalone_host_ops.mem_read(h, 0, &t0, 1));
    spapr_standalone_host_free(h);
    g_assert_true(spapr_memmap_region(spapr_machine_memmap(m), 0, &info));
    g_assert_cmpstr(info.name, ==, "ram");
    g_assert_cmphex(info.size, ==, RAM);
    t0 = spapr_machine_clock_ns(m);
    t1 = spapr_machine_clock_ns(m);
    g_assert_cmpint(t0, >, 0);
    g_assert_cmpint(t1, >=, t0);
    spapr_machine_free(m);
}

/* RAM that cannot be mapped fails the host, and a machine making one */
static void test_no_ram(void)
{
    SpaprStandaloneHostConfig hc = { .ram_size = 1ULL << 62 };
    SpaprMachineConfig cfg = { .ram_size = 1ULL << 62 };
    GError *err = NULL;

    g_assert_null(spapr_standalone_host_new(&hc, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_IO);
    g_clear_error(&err);
    g_assert_null(spapr_machine_new(&cfg, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_IO);
    g_clear_error(&err);
}

/* A program replaces the clock and the log; memory stays the host's */
static void test_overrides(void)
{
    Capture cap = { 4242, g_ptr_array_new_with_free_func(g_free) };
    SpaprStandaloneHostConfig hc = {
        .ram_size = RAM, .clock_ns = cap_clock, .log = cap_log,
        .opaque = &cap,
    };
    SpaprStandaloneHost *h = spapr_standalone_host_new(&hc, NULL);
    SpaprMachineConfig cfg = {
        .ops = &spapr_standalone_host_ops, .opaque = h, .ram_size = RAM,
    };
    SpaprMachine *m = spapr_machine_new(&cfg, NULL);
    SpaprMemRegionInfo info;
    uint32_t v = 0;

    g_assert_nonnull(m);
    g_assert_null(spapr_machine_memmap(m));     /* not the machine's */
    g_assert_cmpint(spapr_machine_clock_ns(m), ==, 4242);
    spapr_machine_log(m, SPAPR_LOG_WARNING, "hello %d", 1);
    g_assert_cmpuint(cap.lines->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(cap.lines, 0), ==, "warning: hello 1");
    g_assert_true(spapr_guest_stl_be(m, RAM - 4, 0x11223344));
    g_assert_true(spapr_memmap_region(spapr_standalone_host_memmap(h), 0,
                                      &info));
    g_assert_cmphex(((uint8_t *)info.host)[RAM - 4], ==, 0x11);
    g_assert_true(spapr_standalone_host_ops.mem_read(h, RAM - 4, &v, 4));
    g_assert_cmphex(GUINT32_FROM_BE(v), ==, 0x11223344);
    spapr_machine_free(m);
    spapr_standalone_host_free(h);
    g_ptr_array_unref(cap.lines);
}

/* Standalone: the allocator steps over what the region map holds */
static void test_alloc_standalone(void)
{
    SpaprMachine *m = scm_machine(RAM);
    static uint8_t page[4096];
    uint64_t base, size, gpa, out[9];
    unsigned int calls;

    scm_nvdimm_new(m, "nv0", NULL, 4, 0);
    spapr_machine_device_window(m, &base, &size);
    g_assert_true(spapr_machine_map(m, "x", base + BLK, sizeof(page), page,
                                    NULL));
    /* One block fits below the page, two do not */
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 1, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(gpa, ==, base);
    g_assert_cmpint(scm_bind_all(m, DRC(0), 1, 2, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(gpa, ==, base + 2 * BLK);
    /* A guest-chosen address over the page or a binding is refused */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 3, 1,
                             base + BLK, 0, out), ==, PAPR_H_OVERLAP);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 3, 1,
                             base + 3 * BLK, 0, out), ==, PAPR_H_OVERLAP);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 3, 1, 0, 0,
                             out), ==, PAPR_H_OVERLAP);
    spapr_machine_free(m);
}

/* Hosted: the host's range_free answers for what only it knows */
static uint64_t host_busy_below;

static bool busy_below(void *opaque, uint64_t gpa, uint64_t size)
{
    return gpa >= host_busy_below && spapr_standalone_host_ops.range_free(
        opaque, gpa, size);
}

static void test_alloc_hosted(void)
{
    SpaprStandaloneHost *h = spapr_standalone_host_new(NULL, NULL);
    SpaprHostOps ops = spapr_standalone_host_ops;
    SpaprMachineConfig cfg = { .ops = &ops, .opaque = h };
    SpaprMachine *m;
    uint64_t base, size, gpa, out[9];
    unsigned int calls;

    ops.range_free = busy_below;
    m = spapr_machine_new(&cfg, NULL);
    g_assert_true(spapr_hcall_register_scm(m, NULL));
    scm_nvdimm_new(m, "nv0", NULL, 2, 0);
    spapr_machine_device_window(m, &base, &size);
    host_busy_below = base + 3 * BLK;
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 1, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(gpa, ==, base + 3 * BLK);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 1, 1, base, 0,
                             out), ==, PAPR_H_OVERLAP);
    /* Nothing free in the whole window */
    host_busy_below = UINT64_MAX;
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 1, 1,
                             SPAPR_SCM_BIND_ANY_ADDR, 0, out), ==,
                    PAPR_H_RESOURCE);
    spapr_machine_free(m);
    spapr_standalone_host_free(h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host/defaults", test_defaults);
    g_test_add_func("/host/no-ram", test_no_ram);
    g_test_add_func("/host/overrides", test_overrides);
    g_test_add_func("/host/alloc-standalone", test_alloc_standalone);
    g_test_add_func("/host/alloc-hosted", test_alloc_hosted);
    return g_test_run();
}
