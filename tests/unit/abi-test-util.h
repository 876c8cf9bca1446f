/*
 * spapr-hcall: a fixed host for the hypercall-convention tests
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * 64 KiB of guest memory at GPA 0, a clock the test sets, and the trace
 * lines collected, so results (RTC values, traces) are exact.
 */
#ifndef ABI_TEST_UTIL_H
#define ABI_TEST_UTIL_H

#include <string.h>
#include "spapr-hcall/spapr-hcall.h"

#define TEST_MEM_SIZE   0x10000
#define TEST_RAM_SIZE   (256ULL << 20)      /* what the machine reports */

typedef struct TestHost {
    uint8_t mem[TEST_MEM_SIZE];
    int64_t clock_ns;
    GPtrArray *lines;
} TestHost;

static inline bool th_in_range(uint64_t gpa, uint64_t len)
{
    return gpa <= TEST_MEM_SIZE && len <= TEST_MEM_SIZE - gpa;
}

static inline bool th_read(void *o, uint64_t gpa, void *buf, uint64_t len)
{
    TestHost *h = o;

    if (!th_in_range(gpa, len)) {
        return false;
    }
    memcpy(buf, h->mem + gpa, len);
    return true;
}

static inline bool th_write(void *o, uint64_t gpa, const void *buf,
                            uint64_t len)
{
    TestHost *h = o;

    if (!th_in_range(gpa, len)) {
        return false;
    }
    memcpy(h->mem + gpa, buf, len);
    return true;
}

static inline bool th_map(void *o, const char *name, uint64_t gpa,
                          uint64_t size, void *host, GError **errp)
{
    return true;
}

static inline void th_unmap(void *o, uint64_t gpa, uint64_t size)
{
}

static inline int64_t th_clock(void *o)
{
    return ((TestHost *)o)->clock_ns;
}

static inline void th_log(void *o, SpaprLogLevel level, const char *msg)
{
    TestHost *h = o;

    if (level == SPAPR_LOG_TRACE) {
        g_ptr_array_add(h->lines, g_strdup(msg));
    }
}

static const SpaprHostOps test_host_ops = {
    .mem_read = th_read, .mem_write = th_write, .map = th_map,
    .unmap = th_unmap, .clock_ns = th_clock, .log = th_log,
};

/* A machine with every convention registered, on a fresh TestHost. */
static inline SpaprMachine *th_machine_cpus(TestHost **hostp,
                                            unsigned int nr_cpus)
{
    TestHost *h = g_new0(TestHost, 1);
    SpaprMachineConfig cfg = {
        .ops = &test_host_ops, .opaque = h, .ram_size = TEST_RAM_SIZE,
        .nr_cpus = nr_cpus,
    };
    GError *err = NULL;
    SpaprMachine *m;

    h->lines = g_ptr_array_new_with_free_func(g_free);
    m = spapr_machine_new(&cfg, &err);
    g_assert_no_error(err);
    g_assert_true(spapr_hcall_register_debug(m, &err));
    g_assert_true(spapr_hcall_register_epapr(m, &err));
    g_assert_true(spapr_abi_register_all(m, &err));
    g_assert_no_error(err);
    *hostp = h;
    return m;
}

static inline SpaprMachine *th_machine(TestHost **hostp)
{
    return th_machine_cpus(hostp, 1);
}

static inline void th_free(SpaprMachine *m, TestHost *h)
{
    spapr_machine_free(m);
    g_ptr_array_unref(h->lines);
    g_free(h);
}

#endif
