/*
 * Unit tests: hcall registration, dispatch, output registers, statistics
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "internal.h"

static SpaprMachine *new_machine(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20, .nr_cpus = 2 };
    g_autoptr(GError) err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);

    g_assert_no_error(err);
    g_assert_nonnull(m);
    return m;
}

/* Echo handler: r4 <- opcode, r5 <- r4 + r5, returns r6 as status */
static int64_t h_echo(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                      uint64_t *args)
{
    uint64_t a = args[0], b = args[1];

    args[0] = opcode;
    args[1] = a + b;
    return (int64_t)args[2];
}

static int64_t h_fill(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                      uint64_t *args)
{
    int i;

    for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
        args[i] = 0x1000 + i;
    }
    return PAPR_H_SUCCESS;
}

static SpaprHcallInfo row(uint64_t opcode, SpaprHcallFn fn)
{
    SpaprHcallInfo info = {
        .opcode = opcode, .name = "H_TEST", .fn = fn,
        .hcall_set = "hcall-test", .nargs = 3, .nrets = 2,
    };
    return info;
}

static void test_register_errors(void)
{
    SpaprMachine *m = new_machine();
    static const uint64_t bad[] = {
        0, 1, 2, 3, 5, 0x3E5, 0x3E6, 0x3E7,     /* zero and misaligned */
        SPAPR_HCALL_PAPR_MAX + 4,               /* past the PAPR range */
        0x800, 0xEEFC, SPAPR_HCALL_SVM_BASE + 1, SPAPR_HCALL_SVM_BASE + 2,
        SPAPR_HCALL_SVM_MAX + 4, 0xEFFC,        /* around the SVM range */
        SPAPR_HCALL_PLATFORM_MAX + 1, 0x10000, UINT64_MAX,
        (1ULL << 32) | PAPR_H_SCM_BIND_MEM,          /* high bits set */
    };
    SpaprHcallInfo info;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) err = NULL;

        info = row(bad[i], h_echo);
        g_assert_false(spapr_hcall_register(m, &info, &err));
        g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
        g_assert_false(spapr_hcall_opcode_valid(bad[i]));
    }

    /* NULL handler, NULL name, NULL set, too many registers */
    {
        g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
        g_autoptr(GError) e5 = NULL;

        info = row(0x3E4, NULL);
        g_assert_false(spapr_hcall_register(m, &info, &e1));
        g_assert_error(e1, SPAPR_ERROR, SPAPR_ERROR_INVALID);
        info = row(0x3E4, h_echo);
        info.name = NULL;
        g_assert_false(spapr_hcall_register(m, &info, &e2));
        g_assert_error(e2, SPAPR_ERROR, SPAPR_ERROR_INVALID);
        info = row(0x3E4, h_echo);
        info.hcall_set = NULL;
        g_assert_false(spapr_hcall_register(m, &info, &e3));
        g_assert_error(e3, SPAPR_ERROR, SPAPR_ERROR_INVALID);
        info = row(0x3E4, h_echo);
        info.nargs = 10;
        g_assert_false(spapr_hcall_register(m, &info, &e4));
        g_assert_error(e4, SPAPR_ERROR, SPAPR_ERROR_INVALID);
        g_assert_false(spapr_hcall_register(m, NULL, &e5));
        g_assert_error(e5, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    }

    /* Duplicate */
    {
        g_autoptr(GError) err = NULL;

        info = row(0x3E4, h_echo);
        g_assert_true(spapr_hcall_register(m, &info, NULL));
        info.name = "H_OTHER";
        g_assert_false(spapr_hcall_register(m, &info, &err));
        g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_EXISTS);
        g_assert_cmpstr(spapr_hcall_lookup(m, 0x3E4)->name, ==, "H_TEST");
    }
    g_assert_null(spapr_hcall_lookup(m, 0x3E8));
    g_assert_null(spapr_hcall_lookup(m, 0x3E5));
    spapr_machine_free(m);
}

static void test_register_table_atomic(void)
{
    SpaprMachine *m = new_machine();
    SpaprHcallInfo table[3];
    g_autoptr(GError) err = NULL;

    table[0] = row(0x100, h_echo);
    table[1] = row(0x104, h_echo);
    table[2] = row(0x100, h_echo);          /* duplicate of row 0 */
    g_assert_false(spapr_hcall_register_table(m, table, 3, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_EXISTS);
    /* Nothing from the failed table stays registered */
    g_assert_null(spapr_hcall_lookup(m, 0x100));
    g_assert_null(spapr_hcall_lookup(m, 0x104));
    g_assert_true(spapr_hcall_register_table(m, table, 2, NULL));
    g_assert_nonnull(spapr_hcall_lookup(m, 0x104));
    g_assert_true(spapr_hcall_unregister(m, 0x104));
    g_assert_false(spapr_hcall_unregister(m, 0x104));
    g_assert_false(spapr_hcall_unregister(m, 0x105));
    g_assert_null(spapr_hcall_lookup(m, 0x104));
    spapr_machine_free(m);
}

static void test_table_full(void)
{
    SpaprMachine *m = new_machine();
    g_autoptr(GError) err = NULL;
    SpaprHcallInfo info;
    unsigned int i;

    /* Platform range opcodes are consecutive: room for many */
    for (i = 0; i < SPAPR_HCALL_MAX_REGISTERED; i++) {
        info = row(SPAPR_HCALL_PLATFORM_BASE + i, h_echo);
        g_assert_true(spapr_hcall_register(m, &info, NULL));
    }
    info = row(SPAPR_HCALL_PLATFORM_BASE + i, h_echo);
    g_assert_false(spapr_hcall_register(m, &info, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_FULL);
    /* A freed row is reused */
    g_assert_true(spapr_hcall_unregister(m, SPAPR_HCALL_PLATFORM_BASE + 7));
    g_assert_true(spapr_hcall_register(m, &info, NULL));
    spapr_machine_free(m);
}

/* Every range: lowest and highest valid opcode dispatch to the handler */
static void test_dispatch_ranges(void)
{
    SpaprMachine *m = new_machine();
    SpaprCpu *cpu = spapr_machine_cpu(m, 0);
    static const uint64_t ops[] = {
        SPAPR_HCALL_PAPR_MIN, PAPR_H_SCM_READ_METADATA, PAPR_H_SCM_FLUSH,
        SPAPR_HCALL_PAPR_MAX,
        SPAPR_HCALL_SVM_BASE, PAPR_SVM_H_TPM_COMM, SPAPR_HCALL_SVM_MAX,
        SPAPR_HCALL_PLATFORM_BASE, PAPR_KVMPPC_H_LOGICAL_MEMOP,
                                   PAPR_KVMPPC_H_CAS,
        PAPR_KVMPPC_H_VOF_CLIENT, PAPR_KVMPPC_H_COPY_TOFROM_GUEST,
        SPAPR_HCALL_PLATFORM_MAX,
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(ops); i++) {
        SpaprHcallInfo info = row(ops[i], h_echo);

        g_assert_true(spapr_hcall_opcode_valid(ops[i]));
        g_assert_true(spapr_hcall_register(m, &info, NULL));
    }
    for (i = 0; i < G_N_ELEMENTS(ops); i++) {
        memset(cpu->gpr, 0, sizeof(cpu->gpr));
        cpu->gpr[3] = ops[i];
        cpu->gpr[4] = 40;
        cpu->gpr[5] = 2;
        cpu->gpr[6] = (uint64_t)PAPR_H_P3;
        g_assert_cmpint(spapr_cpu_hcall(cpu), ==, PAPR_H_P3);
        g_assert_cmphex(cpu->gpr[3], ==, (uint64_t)PAPR_H_P3);
        g_assert_cmphex(cpu->gpr[4], ==, ops[i]);
        g_assert_cmpuint(cpu->gpr[5], ==, 42);
    }
    spapr_machine_free(m);
}

static void test_h_function(void)
{
    SpaprMachine *m = new_machine();
    SpaprCpu *cpu = spapr_machine_cpu(m, 0);
    SpaprHcallInfo info = row(PAPR_H_SCM_HEALTH, h_fill);
    static const uint64_t ops[] = {
        0, 1, PAPR_H_SCM_HEALTH + 1, PAPR_H_SCM_HEALTH + 2,
                                   PAPR_H_SCM_HEALTH + 3,
        PAPR_H_SCM_HEALTH - 4, PAPR_H_SCM_HEALTH + 4,
                                   /* unregistered neighbours */
        SPAPR_HCALL_PAPR_MAX + 4, 0x1000, 0xEEFC, 0xEF01, 0xEF84,
        0xF001, 0xFFFD, 0xFFFF, 0x10000, UINT64_MAX,
        (1ULL << 63) | PAPR_H_SCM_HEALTH,
    };
    SpaprHcallStats st;
    GArray *all;
    size_t i;

    g_assert_true(spapr_hcall_register(m, &info, NULL));
    for (i = 0; i < G_N_ELEMENTS(ops); i++) {
        uint64_t args[SPAPR_HCALL_NR_ARGS];
        int j;

        for (j = 0; j < SPAPR_HCALL_NR_ARGS; j++) {
            args[j] = 0xAA00 + j;
        }
        g_assert_cmpint(spapr_hcall(m, cpu, ops[i], args), ==,
                        PAPR_H_FUNCTION);
        /* A rejected call leaves every output register alone */
        for (j = 0; j < SPAPR_HCALL_NR_ARGS; j++) {
            g_assert_cmphex(args[j], ==, 0xAA00 + j);
        }
    }
    g_assert_true(spapr_hcall_stats_get(m, PAPR_H_SCM_HEALTH, &st));
    g_assert_cmpuint(st.calls, ==, 0);
    all = spapr_hcall_stats(m);
    g_assert_cmpuint(all->len, ==, 2);
    g_assert_null(g_array_index(all, SpaprHcallStats, 1).name);
    g_assert_cmpuint(g_array_index(all, SpaprHcallStats, 1).calls, ==,
                     G_N_ELEMENTS(ops));
    g_assert_cmpuint(g_array_index(all, SpaprHcallStats, 1).errors, ==,
                     G_N_ELEMENTS(ops));
    g_array_unref(all);
    spapr_machine_free(m);
}

static int handler_runs;

static int64_t h_count(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                       uint64_t *args)
{
    handler_runs++;
    return PAPR_H_SUCCESS;
}

static void test_h_privilege(void)
{
    SpaprMachine *m = new_machine();
    SpaprCpu *cpu = spapr_machine_cpu(m, 1);
    SpaprHcallInfo info = row(PAPR_H_SCM_HEALTH, h_count);
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 7 };

    g_assert_true(spapr_hcall_register(m, &info, NULL));
    handler_runs = 0;
    cpu->msr = SPAPR_MSR_SF | SPAPR_MSR_PR;
    g_assert_cmpint(spapr_hcall(m, cpu, PAPR_H_SCM_HEALTH, args), ==,
                    PAPR_H_PRIVILEGE);
    /* Checked before the opcode: even an unknown opcode is H_PRIVILEGE */
    g_assert_cmpint(spapr_hcall(m, cpu, 0x3, args), ==, PAPR_H_PRIVILEGE);
    g_assert_cmpint(handler_runs, ==, 0);
    g_assert_cmpuint(args[0], ==, 7);
    cpu->msr = SPAPR_MSR_SF | SPAPR_MSR_LE;     /* LE supervisor is fine */
    g_assert_cmpint(spapr_hcall(m, cpu, PAPR_H_SCM_HEALTH, args), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpint(handler_runs, ==, 1);
    /* Without a vCPU (qtest harness) there is no PR to check */
    g_assert_cmpint(spapr_hcall(m, NULL, PAPR_H_SCM_HEALTH, args), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpint(handler_runs, ==, 2);
    spapr_machine_free(m);
}

/* Outputs a handler does not write keep the caller's values */
static void test_output_registers(void)
{
    SpaprMachine *m = new_machine();
    SpaprCpu *cpu = spapr_machine_cpu(m, 0);
    SpaprHcallInfo echo = row(0x3E4, h_echo), fill = row(0x3E8, h_fill);
    int i;

    g_assert_true(spapr_hcall_register(m, &echo, NULL));
    g_assert_true(spapr_hcall_register(m, &fill, NULL));
    for (i = 0; i < 32; i++) {
        cpu->gpr[i] = 0x5500 + i;
    }
    cpu->gpr[3] = 0x3E4;
    cpu->gpr[6] = PAPR_H_SUCCESS;
    spapr_cpu_hcall(cpu);
    g_assert_cmphex(cpu->gpr[3], ==, PAPR_H_SUCCESS);
    g_assert_cmphex(cpu->gpr[4], ==, 0x3E4);
    g_assert_cmphex(cpu->gpr[5], ==, 0x5504 + 0x5505);
    g_assert_cmphex(cpu->gpr[6], ==,
                    PAPR_H_SUCCESS);    /* read, not written */
    for (i = 7; i <= 12; i++) {
        g_assert_cmphex(cpu->gpr[i], ==, 0x5500 + i);
    }
    /* Registers outside r3..r12 are never touched */
    for (i = 0; i < 32; i++) {
        if (i < 3 || i > 12) {
            g_assert_cmphex(cpu->gpr[i], ==, 0x5500 + i);
        }
    }
    /* A handler can write all nine outputs */
    cpu->gpr[3] = 0x3E8;
    spapr_cpu_hcall(cpu);
    for (i = 4; i <= 12; i++) {
        g_assert_cmphex(cpu->gpr[i], ==, 0x1000 + i - 4);
    }
    g_assert_cmphex(cpu->gpr[13], ==, 0x550d);
    /* Negative status is sign-extended into r3 */
    cpu->gpr[3] = 0x3E4;
    cpu->gpr[6] = (uint64_t)PAPR_H_PARAMETER;
    spapr_cpu_hcall(cpu);
    g_assert_cmphex(cpu->gpr[3], ==, 0xFFFFFFFFFFFFFFFCULL);
    spapr_machine_free(m);
}

static void test_stats(void)
{
    SpaprMachine *m = new_machine();
    SpaprCpu *c0 = spapr_machine_cpu(m, 0), *c1 = spapr_machine_cpu(m, 1);
    SpaprHcallInfo info = row(0x3E4, h_echo);
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0 };
    SpaprHcallStats st;
    int i;

    g_assert_true(spapr_hcall_register(m, &info, NULL));
    for (i = 0; i < 10; i++) {
        args[2] = i < 3 ? (uint64_t)PAPR_H_PARAMETER : PAPR_H_SUCCESS;
        spapr_hcall(m, i & 1 ? c1 : c0, 0x3E4, args);
    }
    args[2] = PAPR_H_BUSY;                   /* positive: not an error */
    spapr_hcall(m, NULL, 0x3E4, args);
    g_assert_true(spapr_hcall_stats_get(m, 0x3E4, &st));
    g_assert_cmpuint(st.calls, ==, 11);
    g_assert_cmpuint(st.errors, ==, 3);
    g_assert_cmpuint(st.total_ns, ==, 0);       /* timing off */
    g_assert_false(spapr_hcall_stats_get(m, 0x3E8, &st));

    spapr_hcall_stats_set_timing(m, true);
    args[2] = PAPR_H_SUCCESS;
    spapr_hcall(m, c0, 0x3E4, args);
    g_assert_true(spapr_hcall_stats_get(m, 0x3E4, &st));
    g_assert_cmpuint(st.calls, ==, 12);
    g_assert_cmpuint(st.total_ns, >, 0);

    spapr_hcall_stats_reset(m);
    g_assert_true(spapr_hcall_stats_get(m, 0x3E4, &st));
    g_assert_cmpuint(st.calls, ==, 0);
    /* Re-registering an opcode starts its counters from zero */
    spapr_hcall(m, c0, 0x3E4, args);
    g_assert_true(spapr_hcall_unregister(m, 0x3E4));
    g_assert_true(spapr_hcall_register(m, &info, NULL));
    g_assert_true(spapr_hcall_stats_get(m, 0x3E4, &st));
    g_assert_cmpuint(st.calls, ==, 0);
    spapr_machine_free(m);
}

static void collect(const SpaprHcallInfo *info, void *opaque)
{
    g_array_append_val((GArray *)opaque, info->opcode);
}

static void test_foreach_and_sets(void)
{
    SpaprMachine *m = new_machine();
    GArray *ops = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    SpaprHcallInfo a = row(0xF000, h_echo), b = row(0x3E4, h_echo);
    SpaprHcallInfo c = row(0x40, h_echo);
    g_auto(GStrv) sets = NULL;

    a.hcall_set = "hcall-b";
    b.hcall_set = "hcall-a";
    c.hcall_set = "hcall-b";
    g_assert_true(spapr_hcall_register(m, &a, NULL));
    g_assert_true(spapr_hcall_register(m, &b, NULL));
    g_assert_true(spapr_hcall_register(m, &c, NULL));
    spapr_hcall_foreach(m, collect, ops);
    g_assert_cmpuint(ops->len, ==, 3);
    g_assert_cmphex(g_array_index(ops, uint64_t, 0), ==, 0x40);
    g_assert_cmphex(g_array_index(ops, uint64_t, 1), ==, 0x3E4);
    g_assert_cmphex(g_array_index(ops, uint64_t, 2), ==, 0xF000);
    sets = spapr_hcall_sets(m);
    g_assert_cmpuint(g_strv_length(sets), ==, 2);
    g_assert_cmpstr(sets[0], ==, "hcall-b");
    g_assert_cmpstr(sets[1], ==, "hcall-a");
    g_array_unref(ops);
    spapr_machine_free(m);
}

static void test_names(void)
{
    int64_t v;
    uint64_t op;

    g_assert_cmpstr(spapr_hcall_status_name(PAPR_H_SUCCESS), ==, "H_SUCCESS");
    g_assert_cmpstr(spapr_hcall_status_name(-4), ==, "H_PARAMETER");
    g_assert_cmpstr(spapr_hcall_status_name(PAPR_H_P2), ==, "H_P2");
    g_assert_cmpstr(spapr_hcall_status_name(PAPR_H_OVERLAP), ==, "H_OVERLAP");
    g_assert_cmpstr(spapr_hcall_status_name(9901), ==,
                    "H_LONG_BUSY_ORDER_10_MSEC");
    g_assert_cmpstr(spapr_hcall_status_name(-9006), ==,
                    "H_OUTSTANDING_COP_OPS");
    g_assert_null(spapr_hcall_status_name(-26));
    g_assert_null(spapr_hcall_status_name(12345));
    g_assert_cmpstr(spapr_hcall_opcode_name(0x3EC), ==, "H_SCM_BIND_MEM");
    g_assert_cmpstr(spapr_hcall_opcode_name(0x44C), ==, "H_SCM_FLUSH");
    g_assert_cmpstr(spapr_hcall_opcode_name(0xF000), ==, "KVMPPC_H_RTAS");
    g_assert_cmpstr(spapr_hcall_opcode_name(0x04), ==, "H_REMOVE");
    g_assert_null(spapr_hcall_opcode_name(0x3E5));
    g_assert_null(spapr_hcall_opcode_name(UINT64_MAX));
    g_assert_true(spapr_hcall_status_from_name("H_P4", &v));
    g_assert_cmpint(v, ==, -57);
    g_assert_false(spapr_hcall_status_from_name("H_NOPE", &v));
    g_assert_true(spapr_hcall_opcode_from_name("H_SCM_HEALTH", &op));
    g_assert_cmphex(op, ==, 0x400);
    g_assert_cmpuint(spapr_hcall_long_busy_msecs(9900), ==, 1);
    g_assert_cmpuint(spapr_hcall_long_busy_msecs(9903), ==, 1000);
    g_assert_cmpuint(spapr_hcall_long_busy_msecs(9905), ==, 100000);
    g_assert_cmpuint(spapr_hcall_long_busy_msecs(PAPR_H_BUSY), ==, 1);
}

/* Trace output goes through the host's log op */
typedef struct LogSink {
    GPtrArray *lines;
} LogSink;

static void sink_log(void *o, SpaprLogLevel level, const char *msg)
{
    LogSink *s = o;

    if (level == SPAPR_LOG_TRACE) {
        g_ptr_array_add(s->lines, g_strdup(msg));
    }
}

static void test_trace(void)
{
    LogSink sink = { g_ptr_array_new_with_free_func(g_free) };
    SpaprStandaloneHostConfig hc = { .log = sink_log, .opaque = &sink };
    SpaprStandaloneHost *host = spapr_standalone_host_new(&hc, NULL);
    SpaprMachineConfig cfg = {
        .ops = &spapr_standalone_host_ops, .opaque = host,
    };
    SpaprMachine *m = spapr_machine_new(&cfg, NULL);
    SpaprHcallInfo info = row(0x3E4, h_echo);
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 1, 2, (uint64_t)PAPR_H_P2 };
    const char *line;

    g_assert_nonnull(m);
    g_assert_true(spapr_hcall_register(m, &info, NULL));
    spapr_hcall(m, NULL, 0x3E4, args);
    g_assert_cmpuint(sink.lines->len, ==, 0);   /* all events off */
    g_assert_cmpuint(spapr_trace_enable(m, "spapr_hcall*"), >=, 3);
    g_assert_true(spapr_trace_event_enabled(m, "spapr_hcall"));
    g_assert_false(spapr_trace_event_enabled(m, "spapr_machine_map"));
    args[0] = 1;
    args[1] = 2;
    spapr_hcall(m, spapr_machine_cpu(m, 0), 0x3E4, args);
    g_assert_cmpuint(sink.lines->len, ==, 1);
    line = g_ptr_array_index(sink.lines, 0);
    g_assert_nonnull(strstr(line, "spapr_hcall cpu=0 H_TEST(0x3e4)"));
    g_assert_nonnull(strstr(line,
                            "args=[r4=0x1 r5=0x2 r6=0xffffffffffffffc9]"));
    g_assert_nonnull(strstr(line, "-> H_P2(-55)"));
    g_assert_nonnull(strstr(line, "outs=[r4=0x3e4 r5=0x3]"));
    spapr_hcall(m, NULL, 0x3E8, args);
    g_assert_cmpuint(sink.lines->len, ==, 2);
    g_assert_nonnull(strstr(g_ptr_array_index(sink.lines, 1),
                            "opcode=0x3e8 (H_SCM_WRITE_METADATA)"));
    /* Disable with a leading '-' */
    spapr_trace_enable(m, "-spapr_hcall,-spapr_hcall_unimplemented");
    spapr_hcall(m, NULL, 0x3E4, args);
    spapr_hcall(m, NULL, 0x3E8, args);
    g_assert_cmpuint(sink.lines->len, ==, 2);
    g_assert_cmpuint(spapr_trace_enable(m, "no_such_event"), ==, 0);
    g_assert_cmpuint(spapr_trace_event_count(), >=, 4);
    g_assert_cmpstr(spapr_trace_event_name(0), ==, "spapr_hcall");
    g_assert_null(spapr_trace_event_name(1000));
    spapr_machine_free(m);
    spapr_standalone_host_free(host);
    g_ptr_array_unref(sink.lines);
}

static void test_debug_set(void)
{
    SpaprMachine *m = new_machine();
    SpaprCpu *cpu = spapr_machine_cpu(m, 0);
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0 };
    uint64_t ram = spapr_machine_ram_size(m);
    g_auto(GStrv) sets = NULL;

    g_assert_true(spapr_hcall_register_debug(m, NULL));
    sets = spapr_hcall_sets(m);
    g_assert_cmpstr(sets[0], ==, "hcall-debug");
    g_assert_null(sets[1]);
    args[0] = 8;
    args[1] = 0x1000;
    args[2] = 0x0102030405060708ULL;
    g_assert_cmpint(spapr_hcall(m, cpu, PAPR_H_LOGICAL_CI_STORE, args), ==,
                    PAPR_H_SUCCESS);
    args[0] = 2;
    args[1] = 0x1002;
    g_assert_cmpint(spapr_hcall(m, cpu, PAPR_H_LOGICAL_CI_LOAD, args), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(args[0], ==, 0x0304);
    args[0] = 3;
    g_assert_cmpint(spapr_hcall(m, cpu, PAPR_H_LOGICAL_CI_LOAD, args), ==,
                    PAPR_H_PARAMETER);
    args[0] = 8;
    args[1] = ram - 4;
    g_assert_cmpint(spapr_hcall(m, cpu, PAPR_H_LOGICAL_CI_LOAD, args), ==,
                    PAPR_H_P2);
    args[0] = 4;
    args[1] = ram - 4;
    g_assert_cmpint(spapr_hcall(m, cpu, PAPR_H_LOGICAL_CI_LOAD, args), ==,
                    PAPR_H_SUCCESS);
    args[0] = 1;
    args[1] = UINT64_MAX;
    args[2] = 1;
    g_assert_cmpint(spapr_hcall(m, cpu, PAPR_H_LOGICAL_CI_STORE, args), ==,
                    PAPR_H_P2);
    args[0] = 16;
    g_assert_cmpint(spapr_hcall(m, cpu, PAPR_H_LOGICAL_CI_STORE, args), ==,
                    PAPR_H_PARAMETER);
    /* Registering the set twice fails as a whole */
    g_assert_false(spapr_hcall_register_debug(m, NULL));
    spapr_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/dispatch/register-errors", test_register_errors);
    g_test_add_func("/dispatch/register-table-atomic",
                    test_register_table_atomic);
    g_test_add_func("/dispatch/table-full", test_table_full);
    g_test_add_func("/dispatch/ranges", test_dispatch_ranges);
    g_test_add_func("/dispatch/h-function", test_h_function);
    g_test_add_func("/dispatch/h-privilege", test_h_privilege);
    g_test_add_func("/dispatch/output-registers", test_output_registers);
    g_test_add_func("/dispatch/stats", test_stats);
    g_test_add_func("/dispatch/foreach-and-sets", test_foreach_and_sets);
    g_test_add_func("/dispatch/names", test_names);
    g_test_add_func("/dispatch/trace", test_trace);
    g_test_add_func("/dispatch/debug-set", test_debug_set);
    return g_test_run();
}
