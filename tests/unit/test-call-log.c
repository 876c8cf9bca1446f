/*
 * Unit tests: spapr-hv's call log decodes calls from the library's rows
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The handlers here stand in for the SCM ones (rows without names), so
 * the log must take the names and "output valid when" rules from the
 * library's own rows (spapr_hcall_builtin()).
 */
#include <string.h>
#include "hcall-table.h"

static int64_t next_status;

/* Writes r4..r6 and returns the status the test chose */
static int64_t h_answer(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                        uint64_t *args)
{
    args[0] = 0x44;
    args[1] = 5;
    args[2] = 6;
    return next_status;
}

/* The log's row for one call of @opcode returning @status */
static char *log_one(uint64_t opcode, unsigned int nrets, int64_t status,
                     uint64_t arg1)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20, .nr_cpus = 1 };
    SpaprHcallInfo row = {
        .opcode = opcode, .name = "H_STANDIN", .fn = h_answer,
        .hcall_set = "hcall-test", .nargs = 3, .nrets = nrets,
    };
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0x90000000, arg1, 0x110 };
    g_autoptr(GError) err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);
    char *text = NULL, *nl;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    HvCallLog *log;

    g_assert_no_error(err);
    log = hv_call_log_new(f, m);
    g_assert_true(spapr_hcall_register(m, &row, NULL));
    next_status = status;
    hv_call_log_hcall(log, opcode, args, NULL);
    hv_call_log_free(log);
    fclose(f);
    spapr_machine_free(m);
    nl = strchr(text, '\n');                    /* skip the header */
    g_assert_nonnull(nl);
    memmove(text, nl + 1, strlen(nl + 1) + 1);
    g_strchomp(text);
    return text;
}

static void check(uint64_t opcode, unsigned int nrets, int64_t status,
                  uint64_t arg1, const char *inputs, const char *outputs)
{
    g_autofree char *line = log_one(opcode, nrets, status, arg1);
    g_auto(GStrv) cols = g_regex_split_simple("\\s{2,}", line, 0, 0);

    g_test_message("%s", line);
    g_assert_cmpstr(cols[2], ==, inputs);
    g_assert_cmpstr(cols[4] ? cols[4] : "", ==, outputs);
}

static void test_stats(void)
{
    check(PAPR_H_SCM_PERFORMANCE_STATS, 1, PAPR_H_SUCCESS, 0,
          "drc=0x90000000 buf=0 size=0x110", "size=0x44");
    check(PAPR_H_SCM_PERFORMANCE_STATS, 1, PAPR_H_SUCCESS, 0x1000,
          "drc=0x90000000 buf=0x1000 size=0x110", "");
    check(PAPR_H_SCM_PERFORMANCE_STATS, 1, PAPR_H_PARTIAL, 0x1000,
          "drc=0x90000000 buf=0x1000 size=0x110", "bad-id=0x44");
    check(PAPR_H_SCM_PERFORMANCE_STATS, 1, PAPR_H_PARAMETER, 0,
          "drc=0x90000000 buf=0 size=0x110", "");
}

static void test_flush_and_unbind(void)
{
    check(PAPR_H_SCM_FLUSH, 1, PAPR_H_LONG_BUSY_ORDER_1_MSEC, 1,
          "drc=0x90000000 token=1 r6=0x110", "token=0x44");
    check(PAPR_H_SCM_FLUSH, 1, PAPR_H_SUCCESS, 1,
          "drc=0x90000000 token=1 r6=0x110", "");
    check(PAPR_H_SCM_FLUSH, 1, PAPR_H_BUSY, 1,
          "drc=0x90000000 token=1 r6=0x110", "");
    check(PAPR_H_SCM_UNBIND_ALL, 2, PAPR_H_SUCCESS, 0x90000000,
          "scope=0x90000000 drc=0x90000000 token=0x110", "unbound=5");
}

/* An hcall no set of ours names: raw registers, three outputs at most */
static void test_unnamed(void)
{
    check(PAPR_H_CEDE, 4, PAPR_H_SUCCESS, 7,
          "r4=0x90000000 r5=7 r6=0x110", "r4=0x44 r5=5 r6=6");
    check(PAPR_H_CEDE, 4, PAPR_H_HARDWARE, 7,
          "r4=0x90000000 r5=7 r6=0x110", "");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/call-log/stats", test_stats);
    g_test_add_func("/call-log/flush-unbind", test_flush_and_unbind);
    g_test_add_func("/call-log/unnamed", test_unnamed);
    return g_test_run();
}
