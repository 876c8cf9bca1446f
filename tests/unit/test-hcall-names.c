/*
 * Unit tests: the opcode and status name tables (hcall-names.c) and the
 * register names of the hcall rows (hcall-regs.c)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The tables are generated from hcall-defs.h.  These tests check what
 * bsearch() needs (strictly ascending values), that every row round-trips
 * name -> value -> name through the public lookups, and, reading the
 * header itself, that every constant of a status or opcode section has a
 * row (as the generator is meant to guarantee).
 */
#include <string.h>
#include "internal.h"

static void check_sorted(bool opcodes)
{
    size_t n, i;
    const SpaprNamedValue *t = spapr_hcall_name_table_(opcodes, &n);

    g_assert_cmpuint(n, >, 10);
    for (i = 1; i < n; i++) {
        if (t[i - 1].value >= t[i].value) {
            g_test_message("%s (%" PRId64 ") before %s (%" PRId64 ")",
                           t[i - 1].name, t[i - 1].value, t[i].name,
                           t[i].value);
        }
        g_assert_cmpint(t[i - 1].value, <, t[i].value);
    }
}

static void test_status_sorted(void)
{
    check_sorted(false);
}

static void test_opcode_sorted(void)
{
    check_sorted(true);
}

static void test_round_trip(void)
{
    size_t n, i;
    const SpaprNamedValue *t = spapr_hcall_name_table_(false, &n);

    for (i = 0; i < n; i++) {
        int64_t v;

        g_assert_true(spapr_hcall_status_from_name(t[i].name, &v));
        g_assert_cmpint(v, ==, t[i].value);
        g_assert_cmpstr(spapr_hcall_status_name(v), ==, t[i].name);
    }
    t = spapr_hcall_name_table_(true, &n);
    for (i = 0; i < n; i++) {
        uint64_t op;

        g_assert_true(spapr_hcall_opcode_from_name(t[i].name, &op));
        g_assert_cmpuint(op, ==, (uint64_t)t[i].value);
        g_assert_cmpstr(spapr_hcall_opcode_name(op), ==, t[i].name);
    }
}

/* Values without a name, between and around the named ones */
static void test_unnamed(void)
{
    int64_t v;
    uint64_t op;

    g_assert_null(spapr_hcall_status_name(6));
    g_assert_null(spapr_hcall_status_name(PAPR_H_UNSUPPORTED_FLAG_END));
    g_assert_null(spapr_hcall_status_name(INT64_MIN));
    g_assert_null(spapr_hcall_status_name(INT64_MAX));
    g_assert_cmpstr(spapr_hcall_status_name(PAPR_H_LONG_BUSY_START_RANGE),
                    ==, "H_LONG_BUSY_ORDER_1_MSEC");
    g_assert_false(spapr_hcall_status_from_name("H_LONG_BUSY_START_RANGE",
                                                &v));
    g_assert_null(spapr_hcall_opcode_name(0));
    g_assert_null(spapr_hcall_opcode_name(0x3E5));
    g_assert_null(spapr_hcall_opcode_name(UINT64_MAX));
    g_assert_false(spapr_hcall_opcode_from_name("PAPR_H_SCM_FLUSH", &op));
    g_assert_false(spapr_hcall_opcode_from_name("H_UNBIND_SCOPE_ALL", &op));
}

/* The table a section of hcall-defs.h feeds: 's', 'o' or 0 (none) */
static char section_table(const char *title)
{
    if (g_str_has_prefix(title, "Return codes")) {
        return 's';
    }
    if (g_str_has_prefix(title, "PAPR opcodes") ||
        g_str_has_prefix(title, "Secure VM") ||
        g_str_has_prefix(title, "Platform-specific")) {
        return 'o';
    }
    return 0;
}

/* One "#define PAPR_X value" of a named section: its row must exist */
static void check_define(char table, const char *macro, const char *value)
{
    const char *name = macro + strlen("PAPR_");
    int64_t want = g_ascii_strtoll(value + (*value == '('), NULL, 0);
    int64_t got = 0;
    uint64_t op = 0;
    bool found;

    if (table == 's') {
        found = spapr_hcall_status_from_name(name, &got);
    } else {
        found = spapr_hcall_opcode_from_name(name, &op);
        got = (int64_t)op;
    }
    if (!found) {
        g_test_message("%s has no name row", macro);
    }
    g_assert_true(found);
    g_assert_cmpint(got, ==, want);
}

static void test_header_complete(void)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GRegex) def = g_regex_new("^#define\\s+(PAPR_[A-Z0-9_]+)\\s+"
                                        "(\\(?-?[0-9][0-9A-Fa-fxX]*)",
                                        0, 0, NULL);
    size_t nstatus, nopcode, seen = 0;
    char table = 0;
    char **l;

    g_assert_true(g_file_get_contents(HCALL_DEFS_H, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (l = lines; *l; l++) {
        g_autoptr(GMatchInfo) mi = NULL;

        if (g_str_has_prefix(*l, "/* ---- ")) {
            table = section_table(*l + strlen("/* ---- "));
        } else if (table && !strstr(*l, "no name") &&
                   g_regex_match(def, *l, 0, &mi)) {
            g_autofree char *macro = g_match_info_fetch(mi, 1);
            g_autofree char *value = g_match_info_fetch(mi, 2);

            check_define(table, macro, value);
            seen++;
        }
    }
    /* ... and no row that the header does not define */
    spapr_hcall_name_table_(false, &nstatus);
    spapr_hcall_name_table_(true, &nopcode);
    g_assert_cmpuint(seen, ==, nstatus + nopcode);
}

/* Every PAPR row of our sets names its registers, within nargs/nrets */
static void check_set_regs(const SpaprHcallInfo *set, size_t n)
{
    size_t r;
    unsigned int i;

    for (r = 0; r < n; r++) {
        const SpaprHcallRegs *regs = set[r].regs;

        g_assert_nonnull(regs);
        g_assert_true(spapr_hcall_builtin(set[r].opcode) == &set[r]);
        for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
            g_assert_true((regs->args[i] != NULL) == (i < set[r].nargs));
            g_assert_true((spapr_hcall_arg_name(&set[r], i) != NULL) ==
                          (i < set[r].nargs));
        }
        for (i = 0; i < SPAPR_HCALL_NR_ARGS && regs->outs[i].name; i++) {
            g_assert_cmpuint(regs->outs[i].reg, <, set[r].nrets);
            g_assert_cmpuint(regs->outs[i].when, !=, 0);
            g_assert_cmpuint(regs->outs[i].if_arg_zero, <=, set[r].nargs);
        }
    }
}

static void test_set_regs(void)
{
    check_set_regs(spapr_hcall_set_scm, spapr_hcall_set_scm_len);
    check_set_regs(spapr_hcall_set_debug, spapr_hcall_set_debug_len);
    g_assert_true(spapr_hcall_builtin(SPAPR_H_EPAPR) ==
                  &spapr_hcall_set_epapr[0]);
    g_assert_null(spapr_hcall_builtin(PAPR_H_CEDE));
    g_assert_null(spapr_hcall_builtin(0x3E5));
}

static const char *out_name(uint64_t opcode, unsigned int i, int64_t status,
                            uint64_t arg1)
{
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0x90000000, arg1 };

    return spapr_hcall_out_name(spapr_hcall_builtin(opcode), i, status, args);
}

/* The "outputs valid when" rules the rows carry */
static void test_out_rules(void)
{
    static const SpaprHcallInfo bare = {
        .opcode = 0x3E4, .name = "H_BARE", .nargs = 2, .nrets = 2,
    };
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0 };

    g_assert_cmpstr(out_name(PAPR_H_SCM_BIND_MEM, 1, PAPR_H_SUCCESS, 0),
                    ==, "addr");
    g_assert_cmpstr(out_name(PAPR_H_SCM_BIND_MEM, 0,
                             PAPR_H_LONG_BUSY_ORDER_1_MSEC, 0), ==, "token");
    g_assert_null(out_name(PAPR_H_SCM_BIND_MEM, 0, PAPR_H_BUSY, 0));
    g_assert_null(out_name(PAPR_H_SCM_BIND_MEM, 0, PAPR_H_PARAMETER, 0));
    g_assert_null(out_name(PAPR_H_SCM_BIND_MEM, 3, PAPR_H_SUCCESS, 0));
    g_assert_null(out_name(PAPR_H_SCM_UNBIND_ALL, 0, PAPR_H_SUCCESS, 0));
    g_assert_cmpstr(out_name(PAPR_H_SCM_UNBIND_ALL, 1, PAPR_H_SUCCESS, 0),
                    ==, "unbound");
    g_assert_null(out_name(PAPR_H_SCM_FLUSH, 0, PAPR_H_SUCCESS, 0));
    g_assert_cmpstr(out_name(PAPR_H_SCM_FLUSH, 0,
                             PAPR_H_LONG_BUSY_ORDER_10_MSEC, 0), ==, "token");
    g_assert_cmpstr(out_name(PAPR_H_SCM_PERFORMANCE_STATS, 0,
                             PAPR_H_SUCCESS, 0), ==, "size");
    g_assert_null(out_name(PAPR_H_SCM_PERFORMANCE_STATS, 0, PAPR_H_SUCCESS,
                           0x100000));
    g_assert_cmpstr(out_name(PAPR_H_SCM_PERFORMANCE_STATS, 0, PAPR_H_PARTIAL,
                             0x100000), ==, "bad-id");
    /* rows without names: r4.. after the usual statuses */
    g_assert_cmpstr(spapr_hcall_out_name(&bare, 1, PAPR_H_PARTIAL, args),
                    ==, "r5");
    g_assert_null(spapr_hcall_out_name(&bare, 2, PAPR_H_SUCCESS, args));
    g_assert_null(spapr_hcall_out_name(&bare, 0, PAPR_H_HARDWARE, args));
    g_assert_null(spapr_hcall_arg_name(&bare, 0));
    g_assert_cmpstr(spapr_hcall_out_name(NULL, 8, PAPR_H_SUCCESS, args),
                    ==, "r12");
    g_assert_null(spapr_hcall_out_name(NULL, 9, PAPR_H_SUCCESS, args));
    g_assert_null(spapr_hcall_arg_name(NULL, 0));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hcall-names/status-sorted", test_status_sorted);
    g_test_add_func("/hcall-names/opcode-sorted", test_opcode_sorted);
    g_test_add_func("/hcall-names/round-trip", test_round_trip);
    g_test_add_func("/hcall-names/unnamed", test_unnamed);
    g_test_add_func("/hcall-names/header-complete", test_header_complete);
    g_test_add_func("/hcall-regs/sets", test_set_regs);
    g_test_add_func("/hcall-regs/out-rules", test_out_rules);
    return g_test_run();
}
