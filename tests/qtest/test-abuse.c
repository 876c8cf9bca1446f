/*
 * spapr-hv qtest protocol abuse: malformed input gets FAIL/ERR and the
 * server keeps answering (where QEMU would abort)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <sys/wait.h>
#include "libqtest.h"

typedef struct Abuse {
    const char *line;           /* without the newline */
    const char *reply_prefix;
} Abuse;

static const Abuse abuse[] = {
    /* unknown or empty commands */
    { "", "FAIL empty command" },
    { "   ", "FAIL empty command" },
    { "frobnicate", "FAIL Unknown command 'frobnicate'" },
    { "READB 0", "FAIL Unknown command" },
    { "readb\t0", "FAIL Unknown command" },
    /* missing words */
    { "readb", "FAIL readb: missing argument" },
    { "writel 0x1000", "FAIL writel: missing argument" },
    { "read 0x1000", "FAIL read: missing argument" },
    { "write 0x1000 4", "FAIL write: missing argument" },
    { "b64write 0x1000 4", "FAIL b64write: missing argument" },
    { "memset 0 1", "FAIL memset: missing argument" },
    { "clock_set", "FAIL clock_set: missing argument" },
    { "hcall", "FAIL hcall: missing argument" },
    { "rtas get-time-of-day 0 0", "FAIL rtas: missing argument" },
    /* too many words */
    { "readq 0 0", "FAIL readq: too many arguments" },
    { "endianness now", "FAIL endianness: too many arguments" },
    { "hcall 0x3c 1 2 3 4 5 6 7 8 9 10", "FAIL hcall: too many arguments" },
    /* bad numbers */
    { "readb zz", "FAIL invalid number 'zz'" },
    { "readb 0x", "FAIL invalid number '0x'" },
    { "readb 12abc", "FAIL invalid number '12abc'" },
    { "readb 099", "FAIL invalid number '099'" },
    { "readb +5", "FAIL invalid number '+5'" },
    { "readb 0x1ffffffffffffffff", "FAIL invalid number" },
    { "readb 99999999999999999999999", "FAIL invalid number" },
    { "writeb 0 0x100", "FAIL value '0x100' does not fit in 1 bytes" },
    { "writew 0 70000", "FAIL value '70000' does not fit in 2 bytes" },
    { "writel 0 0x100000000", "FAIL value" },
    { "writeq 0 x", "FAIL invalid number 'x'" },
    { "memset 0 1 256", "FAIL value '256' does not fit in a byte" },
    { "clock_step abc", "FAIL invalid number 'abc'" },
    { "clock_set 1e9", "FAIL invalid number '1e9'" },
    { "hcall H_NOT_A_CALL", "FAIL invalid opcode 'H_NOT_A_CALL'" },
    { "hcall 0x3c 1 two", "FAIL invalid number 'two'" },
    { "rtas x 0 nope 0 0", "FAIL invalid number 'nope'" },
    /* sizes */
    { "read 0 0", "FAIL size must not be zero" },
    { "b64read 0 0", "FAIL size must not be zero" },
    { "read 0 0x1000001", "FAIL size 16777217 too large" },
    { "b64read 0 0xffffffffffffffff", "FAIL size" },
    { "memset 0 0x40000001 0", "FAIL size" },
    { "write 0 0xffffffffffffffff 0x00", "FAIL size" },
    /* data words */
    { "write 0 4 0x", "ERR invalid argument size" },
    { "write 0 4 ab", "ERR invalid argument size" },
    { "write 0 4 abcd", "FAIL data must start with 0x" },
    { "write 0 4 0xabc", "FAIL odd number of hex digits" },
    { "write 0 4 0xzzzz", "FAIL invalid hex data" },
    { "write 0 1 0xaabb", "FAIL 2 bytes of data for size 1" },
    { "b64write 0 4 AB", "ERR invalid argument size" },
    { "b64write 0 4 !!!!", "FAIL invalid base64 data" },
    { "b64write 0 4 QUJD=", "FAIL invalid base64 data" },
    { "b64write 0 4 =QUJ", "FAIL invalid base64 data" },
    /* addresses outside guest memory (QEMU ignores them) */
    { "readq 0xfffffffffffffff8", "FAIL address out of range" },
    { "readb 0x20000000", "FAIL address out of range" },
    { "readq 0x1ffffffc", "FAIL address out of range" },
    { "writel 0x40000000 1", "FAIL address out of range" },
    { "read 0xffffffffffffff00 0x200", "FAIL address out of range" },
    { "write 0x1fffffff 2 0x0102", "FAIL address out of range" },
    { "b64read 0x20000000 4", "FAIL address out of range" },
    { "b64write 0x20000000 4 AAAAAA==", "FAIL address out of range" },
    { "memset 0x1ffffff0 0x20 1", "FAIL address out of range" },
    { "memset 0xfffffffffffffff0 0x20 1", "FAIL address out of range" },
    /* fault injection on devices that do not exist */
    { "nvdimm-health nosuch", "FAIL no nvdimm 'nosuch'" },
    { "nvdimm-info nosuch", "FAIL no nvdimm 'nosuch'" },
    { "stats everything", "FAIL unknown stats argument" },
    /* odd bytes */
    { "\x01\x02\x03", "FAIL Unknown command" },
    { "\xff\xfe readb 0", "FAIL Unknown command" },
    { "readb 0\r", "OK 0x" },
};

static void check_alive(QTestState *s)
{
    g_autofree char *r = qtest_cmd(s, "endianness");

    g_assert_cmpstr(r, ==, "OK big");
}

static void test_table(void)
{
    QTestState *s = qtest_init("-M pseries -m 512M");
    unsigned int i;

    g_assert_cmpuint(G_N_ELEMENTS(abuse), >=, 40);
    for (i = 0; i < G_N_ELEMENTS(abuse); i++) {
        g_autofree char *r = qtest_cmd(s, "%s", abuse[i].line);

        if (!g_str_has_prefix(r, abuse[i].reply_prefix)) {
            g_error("'%s': got '%s', want '%s...'", abuse[i].line, r,
                    abuse[i].reply_prefix);
        }
        check_alive(s);
    }
    qtest_quit(s);
}

static void test_nul_byte(void)
{
    QTestState *s = qtest_init("-M pseries");
    g_autofree char *r = NULL;

    qtest_send_raw(s, "readb\0 0\n", 9);
    r = qtest_recv_line(s);
    g_assert_cmpstr(r, ==, "FAIL NUL byte in request");
    check_alive(s);
    qtest_quit(s);
}

static void test_overlong_line(void)
{
    QTestState *s = qtest_init("-M pseries");
    size_t chunk = 1 << 20, sent = 0, limit = 2 * (16u << 20) + 256;
    g_autofree char *junk = g_malloc(chunk);
    g_autofree char *r = NULL;

    memset(junk, 'a', chunk);
    /* past the limit, without a newline; then the newline and a request */
    while (sent <= limit) {
        qtest_send_raw(s, junk, chunk);
        sent += chunk;
    }
    qtest_send_raw(s, "\nreadb 0\n", 9);
    r = qtest_recv_line(s);
    g_assert_cmpstr(r, ==, "FAIL line too long");
    g_free(r);
    r = qtest_recv_line(s);
    g_assert_cmpstr(r, ==, "OK 0x0000000000000000");
    check_alive(s);
    qtest_quit(s);
}

static void test_burst_of_garbage(void)
{
    QTestState *s = qtest_init("-M pseries");
    GString *g = g_string_new(NULL);
    unsigned int i, n = 500;
    GRand *rnd = g_rand_new_with_seed(1234);

    /* random printable lines: each one gets exactly one reply */
    for (i = 0; i < n; i++) {
        unsigned int len = g_rand_int_range(rnd, 1, 40), j;

        for (j = 0; j < len; j++) {
            g_string_append_c(g, (char)g_rand_int_range(rnd, 0x20, 0x7f));
        }
        g_string_append_c(g, '\n');
    }
    qtest_send_raw(s, g->str, g->len);
    for (i = 0; i < n; i++) {
        g_autofree char *r = qtest_recv_line(s);

        g_assert_true(g_str_has_prefix(r, "OK") ||
                      g_str_has_prefix(r, "FAIL") ||
                      g_str_has_prefix(r, "ERR"));
    }
    check_alive(s);
    g_string_free(g, TRUE);
    g_rand_free(rnd);
    qtest_quit(s);
}

static void test_abrupt_close(void)
{
    QTestState *s = qtest_init("-M pseries");
    int st;

    /* half a request, then the qtest peer goes away: a clean exit */
    qtest_send_raw(s, "readq 0x10", 10);
    st = qtest_close_and_wait(s);
    g_assert_true(WIFEXITED(st));
    g_assert_cmpint(WEXITSTATUS(st), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-hv/abuse/table", test_table);
    g_test_add_func("/spapr-hv/abuse/nul", test_nul_byte);
    g_test_add_func("/spapr-hv/abuse/overlong", test_overlong_line);
    g_test_add_func("/spapr-hv/abuse/garbage", test_burst_of_garbage);
    g_test_add_func("/spapr-hv/abuse/close", test_abrupt_close);
    return g_test_run();
}
