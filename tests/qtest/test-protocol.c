/*
 * spapr-hv qtest protocol: every command through the socket
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <unistd.h>
#include "libqtest.h"
#include "spapr-hcall/hcall-defs.h"

static QTestState *start(void)
{
    return qtest_init("-M pseries -m 512M");
}

static void test_endianness(void)
{
    QTestState *s = start();
    g_autofree char *r = qtest_cmd(s, "endianness");

    g_assert_cmpstr(r, ==, "OK big");
    qtest_quit(s);
}

static void test_read_write_sizes(void)
{
    QTestState *s = start();
    g_autofree char *r = NULL;

    qtest_writeq(s, 0x1000, 0x0102030405060708ULL);
    /* big-endian target: the first byte is the most significant */
    g_assert_cmphex(qtest_readb(s, 0x1000), ==, 0x01);
    g_assert_cmphex(qtest_readw(s, 0x1000), ==, 0x0102);
    g_assert_cmphex(qtest_readl(s, 0x1004), ==, 0x05060708);
    g_assert_cmphex(qtest_readq(s, 0x1000), ==, 0x0102030405060708ULL);
    r = qtest_cmd(s, "writeb 0x1000 0xff");
    g_assert_cmpstr(r, ==, "OK");
    g_free(r);
    r = qtest_cmd(s, "writew 0x1002 0xaabb");
    g_assert_cmpstr(r, ==, "OK");
    g_assert_cmphex(qtest_readl(s, 0x1000), ==, 0xff02aabb);
    qtest_writel(s, 0x1000, 0xcafef00d);
    g_free(r);
    /* the reply format: always 16 hex digits */
    r = qtest_cmd(s, "readb 0x1000");
    g_assert_cmpstr(r, ==, "OK 0x00000000000000ca");
    qtest_quit(s);
}

static void test_read_write_hex(void)
{
    QTestState *s = start();
    uint8_t in[300], out[300];
    g_autofree char *r = NULL;
    unsigned int i;

    for (i = 0; i < sizeof(in); i++) {
        in[i] = i * 7;
    }
    qtest_memwrite(s, 0x20000, in, sizeof(in));
    qtest_memread(s, 0x20000, out, sizeof(out));
    g_assert_cmpmem(in, sizeof(in), out, sizeof(out));
    /* short data is zero-filled up to SIZE, as in QEMU */
    r = qtest_cmd(s, "write 0x20000 4 0xab");
    g_assert_cmpstr(r, ==, "OK");
    g_free(r);
    r = qtest_cmd(s, "read 0x20000 4");
    g_assert_cmpstr(r, ==, "OK 0xab000000");
    qtest_quit(s);
}

static void test_base64(void)
{
    QTestState *s = start();
    size_t n = 1 << 20;
    g_autofree uint8_t *in = g_malloc(n), *out = g_malloc(n);
    size_t i;

    for (i = 0; i < n; i++) {
        in[i] = (i * 31) ^ (i >> 8);
    }
    qtest_bufwrite(s, 0x100000, in, n);
    qtest_bufread(s, 0x100000, out, n);
    g_assert_cmpmem(in, n, out, n);
    /* and the hex view agrees */
    qtest_memread(s, 0x100000, out, 64);
    g_assert_cmpmem(in, 64, out, 64);
    qtest_quit(s);
}

static void test_memset(void)
{
    QTestState *s = start();
    g_autofree char *r = qtest_cmd(s, "memset 0x3000 16 0x5a");

    g_assert_cmpstr(r, ==, "OK");
    g_assert_cmphex(qtest_readq(s, 0x3008), ==, 0x5a5a5a5a5a5a5a5aULL);
    g_assert_cmphex(qtest_readb(s, 0x3010), ==, 0);
    g_free(r);
    r = qtest_cmd(s, "memset 0x3000 0 0x11");
    g_assert_cmpstr(r, ==, "OK");
    g_assert_cmphex(qtest_readb(s, 0x3000), ==, 0x5a);
    g_free(r);
    /* several chunks */
    r = qtest_cmd(s, "memset 0x200000 0x30000 0xee");
    g_assert_cmpstr(r, ==, "OK");
    g_assert_cmphex(qtest_readb(s, 0x22ffff), ==, 0xee);
    g_assert_cmphex(qtest_readb(s, 0x230000), ==, 0);
    qtest_quit(s);
}

static void test_clock(void)
{
    QTestState *s = start();
    g_autofree char *r = qtest_cmd(s, "clock_step 1000");

    g_assert_cmpstr(r, ==, "OK 1000");
    g_free(r);
    r = qtest_cmd(s, "clock_set 5000");
    g_assert_cmpstr(r, ==, "OK 5000");
    g_free(r);
    /* the clock never goes back: QEMU answers FAIL and the time */
    r = qtest_cmd(s, "clock_set 10");
    g_assert_cmpstr(r, ==, "FAIL 5000");
    g_free(r);
    r = qtest_cmd(s, "clock_step");
    g_assert_true(g_str_has_prefix(r, "FAIL cannot advance clock"));
    g_free(r);
    r = qtest_cmd(s, "clock_step 0");
    g_assert_cmpstr(r, ==, "FAIL 5000");
    qtest_quit(s);
}

static void test_hcall_debug(void)
{
    QTestState *s = start();
    uint64_t args[3] = { 8, 0x4000, 0x1122334455667788ULL }, rets[9];
    g_autofree char *r = NULL;

    g_assert_cmpint(qtest_hcall(s, PAPR_H_LOGICAL_CI_STORE, 3, args, rets), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(qtest_readq(s, 0x4000), ==, 0x1122334455667788ULL);
    args[0] = 4;
    g_assert_cmpint(qtest_hcall(s, PAPR_H_LOGICAL_CI_LOAD, 2, args, rets), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(rets[0], ==, 0x11223344);
    /* untouched outputs keep the caller's value */
    g_assert_cmphex(rets[1], ==, 0x4000);
    args[0] = 3;
    g_assert_cmpint(qtest_hcall(s, PAPR_H_LOGICAL_CI_LOAD, 2, args, rets), ==,
                    PAPR_H_PARAMETER);
    args[0] = 8;
    args[1] = 1ULL << 40;
    g_assert_cmpint(qtest_hcall(s, PAPR_H_LOGICAL_CI_LOAD, 2, args, rets), ==,
                    PAPR_H_P2);
    /* unregistered and misaligned opcodes */
    g_assert_cmpint(qtest_hcall(s, 0x3e0, 0, NULL, NULL), ==, PAPR_H_FUNCTION);
    g_assert_cmpint(qtest_hcall(s, 0x3d, 0, NULL, NULL), ==, PAPR_H_FUNCTION);
    /* opcode by name, all nine argument registers */
    r = qtest_cmd(s, "hcall H_LOGICAL_CI_LOAD 8 0x4000 3 4 5 6 7 8 9");
    g_assert_cmpstr(r, ==, "OK 0x0000000000000000 0x1122334455667788 "
                    "0x0000000000004000 0x0000000000000003 "
                    "0x0000000000000004 0x0000000000000005 "
                    "0x0000000000000006 0x0000000000000007 "
                    "0x0000000000000008 0x0000000000000009");
    qtest_quit(s);
}

static void test_stats(void)
{
    QTestState *s = start();
    uint64_t args[2] = { 8, 0 };
    g_autofree char *r = NULL;

    qtest_hcall(s, PAPR_H_LOGICAL_CI_LOAD, 2, args, NULL);
    qtest_hcall(s, PAPR_H_LOGICAL_CI_LOAD, 2, args, NULL);
    args[0] = 5;
    qtest_hcall(s, PAPR_H_LOGICAL_CI_LOAD, 2, args, NULL);
    qtest_hcall(s, 0x3e0, 0, NULL, NULL);
    r = qtest_cmd(s, "stats");
    g_assert_nonnull(strstr(r, " H_LOGICAL_CI_LOAD:0x3c:3:1"));
    g_assert_nonnull(strstr(r, " H_LOGICAL_CI_STORE:0x40:0:0"));
    g_assert_nonnull(strstr(r, " unregistered:-:1:1"));
    g_free(r);
    r = qtest_cmd(s, "stats reset");
    g_assert_cmpstr(r, ==, "OK");
    g_free(r);
    r = qtest_cmd(s, "stats");
    g_assert_nonnull(strstr(r, " H_LOGICAL_CI_LOAD:0x3c:0:0"));
    qtest_quit(s);
}

static void test_rtas_fdt_reset(void)
{
    QTestState *s = start();
    g_autofree char *r = qtest_cmd(s, "rtas get-time-of-day 0 0x100 8 "
                                   "0x200");
    g_autofree guchar *dtb = NULL;
    gsize len;

    /* no RTAS calls: QEMU's answer for an unknown name */
    g_assert_cmpstr(r, ==, "OK 18446744073709551612");
    g_free(r);
    r = qtest_cmd(s, "fdt");
    g_assert_true(g_str_has_prefix(r, "OK "));
    dtb = g_base64_decode(r + 3, &len);
    g_assert_cmpuint(len, >, 40);
    /* FDT magic, big-endian */
    g_assert_cmphex(dtb[0], ==, 0xd0);
    g_assert_cmphex(dtb[1], ==, 0x0d);
    g_assert_cmphex(dtb[2], ==, 0xfe);
    g_assert_cmphex(dtb[3], ==, 0xed);
    g_free(r);
    qtest_writeq(s, 0x5000, 42);
    r = qtest_cmd(s, "reset");
    g_assert_cmpstr(r, ==, "OK");
    /* a machine reset does not clear RAM (as QEMU) */
    g_assert_cmpuint(qtest_readq(s, 0x5000), ==, 42);
    qtest_quit(s);
}

static void test_unsupported_qemu_cmds(void)
{
    static const char *const cmds[][2] = {
        { "outb 0x10 1", "FAIL pseries has no I/O port space" },
        { "inl 0x10", "FAIL pseries has no I/O port space" },
        { "irq_intercept_in /machine/foo", "FAIL Unknown device" },
        { "irq_intercept_out /machine/foo", "FAIL Unknown device" },
        { "set_irq_in /machine/foo x 0 1", "FAIL Unknown device" },
        { "module_load a b", "FAIL modules are not supported" },
    };
    QTestState *s = start();
    unsigned int i;

    for (i = 0; i < G_N_ELEMENTS(cmds); i++) {
        g_autofree char *r = qtest_cmd(s, "%s", cmds[i][0]);

        g_assert_cmpstr(r, ==, cmds[i][1]);
    }
    qtest_quit(s);
}

static void test_pipelined(void)
{
    QTestState *s = start();
    GString *batch = g_string_new(NULL);
    unsigned int i;

    /* many requests in one write: replies come back in order */
    for (i = 0; i < 200; i++) {
        g_string_append_printf(batch, "writel 0x%x 0x%x\nreadl 0x%x\n",
                               0x8000 + 4 * i, i * 3, 0x8000 + 4 * i);
    }
    qtest_send_raw(s, batch->str, batch->len);
    g_string_free(batch, TRUE);
    for (i = 0; i < 200; i++) {
        g_autofree char *w = qtest_recv_line(s);
        g_autofree char *r = qtest_recv_line(s);
        g_autofree char *want = g_strdup_printf("OK 0x%016x", i * 3);

        g_assert_cmpstr(w, ==, "OK");
        g_assert_cmpstr(r, ==, want);
    }
    /* a request split across writes, byte by byte */
    qtest_send_raw(s, "rea", 3);
    g_usleep(20000);
    qtest_send_raw(s, "dl 0x8004", 9);
    g_usleep(20000);
    qtest_send_raw(s, "\n", 1);
    {
        g_autofree char *r = qtest_recv_line(s);

        g_assert_cmpstr(r, ==, "OK 0x0000000000000003");
    }
    qtest_quit(s);
}

static void test_qtest_log(void)
{
    g_autofree char *dir = g_dir_make_tmp("qtlog-XXXXXX", NULL);
    g_autofree char *log = g_build_filename(dir, "log", NULL);
    g_autofree char *args = g_strdup_printf("-M pseries -qtest-log %s", log);
    g_autofree char *text = NULL;
    QTestState *s;

    /* a later -qtest-log overrides libqtest's /dev/null */
    s = qtest_init(args);
    g_free(qtest_cmd(s, "readb 0x0"));
    qtest_quit(s);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, "OPENED"));
    g_assert_nonnull(strstr(text, "] readb 0x0\n"));
    g_assert_nonnull(strstr(text, "] OK 0x0000000000000000\n"));
    unlink(log);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-hv/qtest/endianness", test_endianness);
    g_test_add_func("/spapr-hv/qtest/readx-writex", test_read_write_sizes);
    g_test_add_func("/spapr-hv/qtest/read-write", test_read_write_hex);
    g_test_add_func("/spapr-hv/qtest/b64", test_base64);
    g_test_add_func("/spapr-hv/qtest/memset", test_memset);
    g_test_add_func("/spapr-hv/qtest/clock", test_clock);
    g_test_add_func("/spapr-hv/qtest/hcall-debug", test_hcall_debug);
    g_test_add_func("/spapr-hv/qtest/stats", test_stats);
    g_test_add_func("/spapr-hv/qtest/rtas-fdt-reset", test_rtas_fdt_reset);
    g_test_add_func("/spapr-hv/qtest/unsupported",
                    test_unsupported_qemu_cmds);
    g_test_add_func("/spapr-hv/qtest/pipelined", test_pipelined);
    g_test_add_func("/spapr-hv/qtest/log", test_qtest_log);
    return g_test_run();
}
