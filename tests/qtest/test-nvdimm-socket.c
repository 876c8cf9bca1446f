/*
 * spapr-hv with spapr-nvdimm devices: fault injection, the device tree,
 * QOM, and every SCM hcall through the qtest socket
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>
#include "libqtest.h"
#include "papr-scm-guest.h"
#include "spapr-hcall/hcall-defs.h"

#define DRC0        0x90000000ULL
#define BLOCK       (256ULL << 20)
#define LABEL_SIZE  (128ULL << 10)
#define UUID        "3f2504e0-4f89-41d3-9a0c-0305e82c3301"

typedef struct Fixture {
    char *dir;
    char *img;
    QTestState *s;
} Fixture;

static void fixture_start(Fixture *f, const char *extra)
{
    g_autofree char *args = NULL;

    f->dir = g_dir_make_tmp("hvnv-XXXXXX", NULL);
    f->img = g_build_filename(f->dir, "nv.img", NULL);
    args = g_strdup_printf("-M pseries -m 512M "
                           "-object memory-backend-file,id=mem0,"
                           "mem-path=%s,size=%llu,share=on "
                           "-device spapr-nvdimm,id=nv0,memdev=mem0,"
                           "label-size=128K,uuid=" UUID " "
                           "-object memory-backend-ram,id=mem1,size=%llu "
                           "-device nvdimm,id=nv1,memdev=mem1,"
                           "label-size=128K,unarmed=on,"
                           "uuid=0f0e0d0c-0b0a-4908-8706-050403020100 %s",
                           f->img, 2 * BLOCK + LABEL_SIZE,
                           BLOCK + LABEL_SIZE, extra);
    f->s = qtest_init(args);
}

static void fixture_stop(Fixture *f)
{
    g_autoptr(GDir) d = NULL;
    const char *name;

    qtest_quit(f->s);
    d = g_dir_open(f->dir, 0, NULL);
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(f->dir, name, NULL);

        unlink(p);
    }
    rmdir(f->dir);
    g_free(f->img);
    g_free(f->dir);
}

static bool have_scm(QTestState *s)
{
    uint64_t a[1] = { DRC0 };

    return qtest_hcall(s, PAPR_H_SCM_HEALTH, 1, a, NULL) != PAPR_H_FUNCTION;
}

/* Start the fixture; false (test skipped, fixture stopped) without SCM */
static bool fixture_start_scm(Fixture *f, const char *extra)
{
    fixture_start(f, extra);
    if (!have_scm(f->s)) {
        g_test_skip("the hcall-scm set is not built in");
        fixture_stop(f);
        return false;
    }
    return true;
}

/* H_SCM_BIND_MEM of nv0's two blocks, hypervisor's choice: the address */
/* The papr_scm guest model over the qtest socket */
static int64_t guest_hcall(void *opaque, uint64_t opcode, uint64_t *args)
{
    uint64_t r[PAPR_SCM_GUEST_NR_ARGS];
    int64_t rc = qtest_hcall(opaque, opcode, PAPR_SCM_GUEST_NR_ARGS, args, r);

    memcpy(args, r, sizeof(r));
    return rc;
}

static void guest_wait(void *opaque, int64_t rc)
{
    g_usleep(1000);
}

/* At most @max flush polls, 1 ms apart */
#define GUEST(s, max) { \
    .hcall = guest_hcall, .wait = guest_wait, .opaque = (s), \
    .max_calls = (max), \
}

static uint64_t bind_nv0(QTestState *s)
{
    uint64_t a[9] = { DRC0, 0, 2, UINT64_MAX }, r[9];

    g_assert_cmpint(qtest_hcall(s, PAPR_H_SCM_BIND_MEM, 5, a, r), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpuint(r[2], ==, 2);
    return r[1];
}

static void test_info_and_health(void)
{
    Fixture f;
    g_autofree char *r = NULL;

    fixture_start(&f, "");
    r = qtest_cmd(f.s, "nvdimm-list");
    g_assert_cmpstr(r, ==, "OK nv0:0x90000000 nv1:0x90000001");
    g_free(r);
    r = qtest_cmd(f.s, "nvdimm-info nv0");
    g_assert_cmpstr(r, ==, "OK drc=0x90000000 block-size=268435456 "
                    "blocks=2 label-size=131072 uuid=" UUID
                    " health=0x0000000000000000 flush-required=on node=0");
    g_free(r);
    /* plain "nvdimm" on a RAM backend: no hcall flush, unarmed */
    r = qtest_cmd(f.s, "nvdimm-info nv1");
    g_assert_nonnull(strstr(r, "health=0x8000000000000000"));
    g_assert_nonnull(strstr(r, "flush-required=off"));
    g_free(r);
    /* inject: shutdown-dirty (bit 1) and fatal (bit 5) */
    r = qtest_cmd(f.s, "nvdimm-health nv0 0x4400000000000000");
    g_assert_cmpstr(r, ==, "OK 0x4400000000000000");
    g_free(r);
    /* clear only bit 5 with a mask */
    r = qtest_cmd(f.s, "nvdimm-health nv0 0 0x0400000000000000");
    g_assert_cmpstr(r, ==, "OK 0x4000000000000000");
    g_free(r);
    r = qtest_cmd(f.s, "nvdimm-health nv0");
    g_assert_cmpstr(r, ==, "OK 0x4000000000000000");
    g_free(r);
    r = qtest_cmd(f.s, "nvdimm-health nv0 zz");
    g_assert_cmpstr(r, ==, "FAIL invalid number 'zz'");
    fixture_stop(&f);
}

/* health= on the command line: bits set before the guest's first call */
static void test_health_option(void)
{
    Fixture f;
    uint64_t args[1] = { 0x90000002 }, rets[9];
    g_autofree char *r = NULL;

    fixture_start(&f, "-object memory-backend-ram,id=mem2,size=268566528 "
                  "-device spapr-nvdimm,id=nv2,memdev=mem2,label-size=128K,"
                  "uuid=21111111-2222-4333-8444-555555555555,"
                  "health=0x4800000000000000");
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_HEALTH, 1, args, rets), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(rets[0], ==, 0x4800000000000000ULL);
    g_assert_cmphex(rets[1], ==, 0xffc0000000000000ULL);
    r = qtest_cmd(f.s, "nvdimm-health nv2");
    g_assert_cmpstr(r, ==, "OK 0x4800000000000000");
    fixture_stop(&f);
}

static void test_fdt_and_qom(void)
{
    Fixture f;
    g_autofree char *r = NULL;
    g_autofree guchar *dtb = NULL;
    gsize len;

    fixture_start(&f, "");
    r = qtest_cmd(f.s, "fdt");
    g_assert_true(g_str_has_prefix(r, "OK "));
    dtb = g_base64_decode(r + 3, &len);
    /* both units and the guid are in the blob */
    g_assert_nonnull(memmem(dtb, len, "ibm,pmemory", 11));
    g_assert_nonnull(memmem(dtb, len, UUID, strlen(UUID)));
    g_free(r);
    r = qtest_qmp(f.s, "{'execute': 'qom-list', 'arguments': "
                  "{'path': '/machine/peripheral'}}");
    g_assert_cmpstr(r, ==, "{\"return\": [{\"name\": \"nv0\", \"type\": "
                    "\"child<spapr-nvdimm>\"}, {\"name\": \"nv1\", "
                    "\"type\": \"child<spapr-nvdimm>\"}]}");
    g_free(r);
    r = qtest_qmp(f.s, "{'execute': 'qom-get', 'arguments': "
                  "{'path': '/machine/peripheral/nv0', 'property': "
                  "'uuid'}}");
    g_assert_cmpstr(r, ==, "{\"return\": \"" UUID "\"}");
    g_free(r);
    r = qtest_qmp(f.s, "{'execute': 'qom-get', 'arguments': "
                  "{'path': '/objects/mem0', 'property': 'size'}}");
    g_assert_cmpstr(r, ==, "{\"return\": 537001984}");
    g_free(r);
    r = qtest_qmp(f.s, "{'execute': 'device_del', 'arguments': "
                  "{'id': 'nv0'}}");
    g_assert_nonnull(strstr(r, "hot unplug is not supported"));
    fixture_stop(&f);
}

static void test_scm_hcalls(void)
{
    uint64_t a[9], r[9], addr;
    PaprScmGuest g;
    Fixture f;
    int64_t rc;
    unsigned int i;

    if (!fixture_start_scm(&f, "")) {
        return;
    }
    /* bind, hypervisor chooses the address */
    addr = bind_nv0(f.s);
    g_assert_cmpuint(addr % BLOCK, ==, 0);
    /* the bound range is guest memory for readX/writeX */
    qtest_writeq(f.s, addr + 8, 0xfeedfacecafebeefULL);
    g_assert_cmphex(qtest_readq(f.s, addr + 8), ==, 0xfeedfacecafebeefULL);
    g_assert_cmphex(qtest_readl(f.s, addr + BLOCK), ==, 0);
    /* query bindings both ways */
    memset(a, 0, sizeof(a));
    a[0] = DRC0;
    a[1] = 1;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, 2, a,
                                r), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(r[0], ==, addr + BLOCK);
    a[0] = addr + BLOCK;
    rc = qtest_hcall(f.s, PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING, 1, a, r);
    g_assert_cmpint(rc, ==, PAPR_H_SUCCESS);
    g_assert_cmphex(r[0], ==, DRC0);
    g_assert_cmpuint(r[1], ==, 1);
    /* metadata: write 1/2/4/8 bytes, read them back big-endian */
    for (i = 0; i < 4; i++) {
        uint64_t len = 1u << i;

        memset(a, 0, sizeof(a));
        a[0] = DRC0;
        a[1] = 0x100 + 8 * i;
        a[2] = 0x1122334455667788ULL >> (64 - 8 * len);
        a[3] = len;
        g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_WRITE_METADATA, 4, a, r),
                        ==, PAPR_H_SUCCESS);
        a[2] = len;
        g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_READ_METADATA, 3, a, r),
                        ==, PAPR_H_SUCCESS);
        g_assert_cmphex(r[0], ==, 0x1122334455667788ULL >> (64 - 8 * len));
    }
    memset(a, 0, sizeof(a));
    a[0] = DRC0;
    a[1] = LABEL_SIZE - 4;
    a[2] = 8;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_READ_METADATA, 3, a, r), ==,
                    PAPR_H_P2);
    a[2] = 3;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_READ_METADATA, 3, a, r), ==,
                    PAPR_H_P3);
    /* health reflects injection; the unarmed device says so */
    g_free(qtest_cmd(f.s, "nvdimm-health nv0 0x4000000000000000"));
    memset(a, 0, sizeof(a));
    a[0] = DRC0;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_HEALTH, 1, a, r), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(r[0] & r[1], ==, 0x4000000000000000ULL);
    a[0] = DRC0 + 1;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_HEALTH, 1, a, r), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(r[0] & (1ULL << 63), ==, 1ULL << 63);
    a[0] = DRC0 + 7;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_HEALTH, 1, a, r), ==,
                    PAPR_H_PARAMETER);
    /* performance stats: size, then read all */
    memset(a, 0, sizeof(a));
    a[0] = DRC0;
    rc = qtest_hcall(f.s, PAPR_H_SCM_PERFORMANCE_STATS, 3, a, r);
    if (rc == PAPR_H_SUCCESS) {
        uint64_t size = r[0];

        g_assert_cmpuint(size, >=, 16);
        qtest_memwrite(f.s, 0x10000, "SCMSTATS\0\0\0\1\0\0\0\0", 16);
        a[1] = 0x10000;
        a[2] = size;
        g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_PERFORMANCE_STATS, 3, a,
                                    r),
                        ==, PAPR_H_SUCCESS);
        g_assert_cmphex(qtest_readl(f.s, 0x10008), ==, 1);
    }
    /* flush: long busy with a token until done */
    g = (PaprScmGuest) GUEST(f.s, 1000);
    g_assert_cmpint(papr_scm_guest_flush(&g, DRC0), ==, PAPR_H_SUCCESS);
    /* the RAM-backed plain nvdimm cannot flush */
    a[0] = DRC0 + 1;
    a[1] = 0;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_FLUSH, 2, a, r), <, 0);
    /* unbind one block, then all */
    memset(a, 0, sizeof(a));
    a[0] = DRC0;
    a[1] = addr + BLOCK;
    a[2] = 1;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_UNBIND_MEM, 4, a, r), ==,
                    PAPR_H_SUCCESS);
    memset(a, 0, sizeof(a));
    a[0] = PAPR_H_UNBIND_SCOPE_DRC;
    a[1] = DRC0;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_UNBIND_ALL, 3, a, r), ==,
                    PAPR_H_SUCCESS);
    {
        g_autofree char *rd = qtest_cmd(f.s, "readq 0x%" PRIx64, addr);

        g_assert_cmpstr(rd, ==, "FAIL address out of range");
    }
    fixture_stop(&f);
}

static void test_replay_probe(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvrp-XXXXXX", NULL);
    g_autofree char *img = g_build_filename(dir, "nv.img", NULL);
    g_autofree char *state = g_strconcat(img, ".state", NULL);
    g_autofree char *args = g_strdup_printf(
        "-M pseries -object memory-backend-file,id=m,mem-path=%s,"
        "size=%llu,share=on -device spapr-nvdimm,id=nv,memdev=m,"
        "label-size=128K,uuid=" UUID " --replay-probe", img,
        BLOCK + LABEL_SIZE);
    g_autofree char *out = NULL, *err = NULL;
    int st = qtest_run(args, &out, &err);

    g_assert_nonnull(strstr(out, "papr_scm probe of nv"));
    g_assert_nonnull(strstr(out, "H_SCM_BIND_MEM"));
    if (strstr(out, "H_FUNCTION")) {
        g_test_skip("the hcall-scm set is not built in");
    } else {
        g_assert_cmpint(st, ==, 0);
        g_assert_nonnull(strstr(out, "H_SCM_HEALTH"));
        g_assert_nonnull(strstr(out, "H_SCM_READ_METADATA"));
        g_assert_nonnull(strstr(out, "(x16384 calls)"));
        g_assert_nonnull(strstr(out, "H_SCM_FLUSH"));
        g_assert_nonnull(strstr(out, "H_SCM_UNBIND_ALL"));
    }
    unlink(img);
    unlink(state);
    rmdir(dir);
}

/* One single-id H_SCM_PERFORMANCE_STATS, as Linux's PMU and fuel gauge */
static int64_t stat_one(QTestState *s, const char *id, uint64_t *val)
{
    uint8_t buf[32];
    uint64_t a[3] = { DRC0, 0x20000, sizeof(buf) }, r[9];
    int64_t rc;

    memcpy(buf, "SCMSTATS\0\0\0\1\0\0\0\1", 16);
    memcpy(buf + 16, id, 8);
    memset(buf + 24, 0, 8);
    qtest_memwrite(s, 0x20000, buf, sizeof(buf));
    rc = qtest_hcall(s, PAPR_H_SCM_PERFORMANCE_STATS, 3, a, r);
    *val = qtest_readq(s, 0x20018);
    return rc;
}

static void assert_cmd(QTestState *s, const char *cmd, const char *want)
{
    g_autofree char *r = qtest_cmd(s, "%s", cmd);

    g_assert_cmpstr(r, ==, want);
}

/* Every knob through qtest, each seen through the hcall Linux uses. */
static void test_inject_qtest(void)
{
    uint64_t a[9], r[9], v;
    Fixture f;
    int i;

    if (!fixture_start_scm(&f, "")) {
        return;
    }
    /* Health bit 10 and the valid mask */
    assert_cmd(f.s, "nvdimm-set nv0 health 0x0020000000000000",
               "OK 0x0020000000000000");
    memset(a, 0, sizeof(a));
    a[0] = DRC0;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_HEALTH, 1, a, r), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(r[0], ==, 0);
    g_assert_cmphex(r[1], ==, 0xffc0000000000000ULL);
    assert_cmd(f.s, "nvdimm-set nv0 health-valid 0xffe0000000000000",
               "OK 0xffe0000000000000");
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_HEALTH, 1, a, r), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(r[0], ==, 0x0020000000000000ULL);
    g_assert_cmphex(r[1], ==, 0xffe0000000000000ULL);
    /* MemLife, CritRscU */
    g_assert_cmpint(stat_one(f.s, "MemLife ", &v), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(v, ==, 100);
    assert_cmd(f.s, "nvdimm-set nv0 mem-life 3", "OK 3");
    assert_cmd(f.s, "nvdimm-set nv0 crit-rsc-util 97", "OK 97");
    g_assert_cmpint(stat_one(f.s, "MemLife ", &v), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(v, ==, 3);
    g_assert_cmpint(stat_one(f.s, "CritRscU", &v), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(v, ==, 97);
    assert_cmd(f.s, "nvdimm-set nv0 mem-life 101",
               "FAIL nvdimm 'nv0': mem-life 101 is not a percentage "
               "(0..100)");
    assert_cmd(f.s, "nvdimm-get nv0 mem-life", "OK 3");
    /* PERFORMANCE_STATS faults */
    assert_cmd(f.s, "nvdimm-set nv0 stats-fault authority", "OK authority");
    g_assert_cmpint(stat_one(f.s, "MemLife ", &v), ==, PAPR_H_AUTHORITY);
    assert_cmd(f.s, "nvdimm-set nv0 stats-fault unsupported",
               "OK unsupported");
    g_assert_cmpint(stat_one(f.s, "MemLife ", &v), ==, PAPR_H_UNSUPPORTED);
    assert_cmd(f.s, "nvdimm-set nv0 stats-fault zero-length",
               "OK zero-length");
    memset(a, 0, sizeof(a));
    a[0] = DRC0;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_PERFORMANCE_STATS, 3, a, r),
                    ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(r[0], ==, 0);
    assert_cmd(f.s, "nvdimm-set nv0 stats-fault ok", "OK ok");
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_PERFORMANCE_STATS, 3, a, r),
                    ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(r[0], ==, 272);
    /* Bind: two forced long-busy answers, then H_OVERLAP once */
    assert_cmd(f.s, "nvdimm-set nv0 inject-bind H_LONG_BUSY_ORDER_10_MSEC:2",
               "OK H_LONG_BUSY_ORDER_10_MSEC:2");
    for (i = 0; i < 2; i++) {
        memset(a, 0, sizeof(a));
        a[0] = DRC0;
        a[2] = 2;
        a[3] = UINT64_MAX;
        g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_BIND_MEM, 5, a, r), ==,
                        PAPR_H_LONG_BUSY_ORDER_10_MSEC);
        g_assert_cmphex(r[0], ==, 0);
    }
    assert_cmd(f.s, "nvdimm-get nv0 inject-bind", "OK none");
    assert_cmd(f.s, "nvdimm-set nv0 inject-bind H_OVERLAP:1",
               "OK H_OVERLAP:1");
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_BIND_MEM, 5, a, r), ==,
                    PAPR_H_OVERLAP);
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_BIND_MEM, 5, a, r), ==,
                    PAPR_H_SUCCESS);
    /* Unbind-all: H_BUSY with the caller's token, 3 times */
    assert_cmd(f.s, "nvdimm-set nv0 inject-unbind-all H_BUSY:3",
               "OK H_BUSY:3");
    for (i = 0; i < 3; i++) {
        memset(a, 0, sizeof(a));
        a[0] = PAPR_H_UNBIND_SCOPE_DRC;
        a[1] = DRC0;
        g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_UNBIND_ALL, 3, a, r), ==,
                        PAPR_H_BUSY);
        g_assert_cmphex(r[0], ==, 0);
    }
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_UNBIND_ALL, 3, a, r), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpuint(r[1], ==, 2);
    /* Flush: a failure, then a number for a status */
    assert_cmd(f.s, "nvdimm-set nv0 inject-flush H_HARDWARE:1",
               "OK H_HARDWARE:1");
    memset(a, 0, sizeof(a));
    a[0] = DRC0;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_FLUSH, 2, a, r), ==,
                    PAPR_H_HARDWARE);
    assert_cmd(f.s, "nvdimm-set nv0 inject-flush 9902:1",
               "OK H_LONG_BUSY_ORDER_100_MSEC:1");
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_FLUSH, 2, a, r), ==,
                    PAPR_H_LONG_BUSY_ORDER_100_MSEC);
    assert_cmd(f.s, "nvdimm-set nv0 inject-flush H_OVERLAP:1",
               "FAIL nvdimm 'nv0': flush cannot be made to answer -68 "
               "(H_BUSY, H_LONG_BUSY_ORDER_*, H_HARDWARE)");
    assert_cmd(f.s, "nvdimm-set nv0 inject-flush H_BUSY",
               "FAIL inject-flush: 'H_BUSY' is not STATUS:COUNT or none");
    assert_cmd(f.s, "nvdimm-set nv0 inject-flush H_BUSY:5", "OK H_BUSY:5");
    assert_cmd(f.s, "nvdimm-set nv0 inject-flush none", "OK none");
    /* The persistence record (the device tree shows it at reset) */
    assert_cmd(f.s, "nvdimm-set nv0 dirty-shutdown-count 4", "OK 4");
    assert_cmd(f.s, "nvdimm-set nv0 next-start-dirty on", "OK on");
    assert_cmd(f.s, "nvdimm-set nv1 next-start-dirty on",
               "FAIL nvdimm 'nv1' keeps no persistence record (RAM)");
    assert_cmd(f.s, "nvdimm-get nv0 bogus", "FAIL no knob 'bogus'");
    assert_cmd(f.s, "nvdimm-set nv9 mem-life 1", "FAIL no nvdimm 'nv9'");
    /* Host-only counters */
    {
        g_autofree char *st = qtest_cmd(f.s, "nvdimm-stats nv0");

        g_assert_true(g_str_has_prefix(st, "OK CtlResCt=0 CtlResTm=0 "));
        g_assert_nonnull(strstr(st, " MemLife=3 CritRscU=97 HostLCnt=0 "));
        g_assert_nonnull(strstr(st, " flush-errors=1 blocks-bound=2 "
                                "blocks-unbound=2"));
    }
    fixture_stop(&f);
}

/* qom-set of nv0's @prop to @json; the reply */
static char *qom_set(QTestState *s, const char *prop, const char *json)
{
    return qtest_qmp(s, "{'execute': 'qom-set', 'arguments': {'path': "
                     "'/machine/peripheral/nv0', 'property': '%s', "
                     "'value': %s}}", prop, json);
}

static void qom_expect(QTestState *s, const char *prop, const char *json,
                       const char *want)
{
    g_autofree char *q = NULL;

    q = json ? qom_set(s, prop, json)
             : qtest_qmp(s, "{'execute': 'qom-get', 'arguments': {'path': "
                         "'/machine/peripheral/nv0', 'property': '%s'}}",
                         prop);
    if (g_str_has_prefix(want, "{")) {
        g_assert_cmpstr(q, ==, want);
    } else {
        g_assert_nonnull(strstr(q, want));
    }
}

/* The same knobs as QOM properties (qom-set / qom-get) and the stats. */
static void test_inject_qmp(void)
{
    uint64_t a[9] = { DRC0 }, r[9], v;
    g_autofree char *q = NULL;
    Fixture f;

    if (!fixture_start_scm(&f, "")) {
        return;
    }
    qom_expect(f.s, "mem-life", "25", "{\"return\": {}}");
    g_assert_cmpint(stat_one(f.s, "MemLife ", &v), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(v, ==, 25);
    qom_expect(f.s, "health-valid", NULL, "{\"return\": -18014398509481984}");
    qom_expect(f.s, "health", "9223372036854775808", "{\"return\": {}}");
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_HEALTH, 1, a, r), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(r[0], ==, 0x8000000000000000ULL);
    qom_expect(f.s, "health", "4611686018427387904", "{\"return\": {}}");
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_HEALTH, 1, a, r), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(r[0], ==, 0x4000000000000000ULL);
    qom_expect(f.s, "inject-flush", "'H_HARDWARE:1'", "{\"return\": {}}");
    qom_expect(f.s, "inject-flush", NULL,
               "{\"return\": \"H_HARDWARE:1\"}");
    a[0] = DRC0;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_FLUSH, 2, a, r), ==,
                    PAPR_H_HARDWARE);
    qom_expect(f.s, "next-start-dirty", "true", "{\"return\": {}}");
    qom_expect(f.s, "next-start-dirty", NULL, "{\"return\": true}");
    /* Errors the QMP way */
    qom_expect(f.s, "uuid", "'x'", "{\"error\": {\"class\": "
               "\"GenericError\", \"desc\": \"Property "
               "'/machine/peripheral/nv0.uuid' is read-only\"}}");
    qom_expect(f.s, "stats-fault", "'sometimes'",
               "'sometimes' is not ok, authority");
    qom_expect(f.s, "mem-life", "[1]", "Invalid parameter type for 'value'");
    q = qtest_qmp(f.s, "{'execute': 'query-nvdimm-stats', 'arguments': "
                  "{'id': 'nv0'}}");
    g_assert_nonnull(strstr(q, "\"MemLife\": 25, \"CritRscU\": 0, "));
    g_assert_nonnull(strstr(q, "\"flush-errors\": 1, "));
    fixture_stop(&f);
}

/*
 * Record a session (binds, labels, stats, flushes, injected faults, a
 * reset), replay it against a fresh machine: identical; then a tampered
 * recording: the first divergence is named.
 */
static void test_record_replay(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvrr-XXXXXX", NULL);
    g_autofree char *rec = g_build_filename(dir, "rec.txt", NULL);
    g_autofree char *img = g_build_filename(dir, "nv.img", NULL);
    g_autofree char *img_state = g_strconcat(img, ".state", NULL);
    g_autofree char *extra = g_strdup_printf("--record %s", rec);
    g_autofree char *text = NULL, *out = NULL, *err = NULL, *args = NULL;
    uint64_t a[9], r[9], v;
    Fixture f;
    char *p;
    PaprScmGuest g;
    int i;
    int64_t rc;

    if (!fixture_start_scm(&f, extra)) {
        return;
    }
    bind_nv0(f.s);
    for (i = 0; i < 4; i++) {
        memset(a, 0, sizeof(a));
        a[0] = DRC0;
        a[1] = 8 * i;
        a[2] = 0x1000 + i;
        a[3] = 8;
        qtest_hcall(f.s, PAPR_H_SCM_WRITE_METADATA, 4, a, r);
        a[2] = 8;
        qtest_hcall(f.s, PAPR_H_SCM_READ_METADATA, 3, a, r);
    }
    assert_cmd(f.s, "nvdimm-set nv0 mem-life 40", "OK 40");
    g_assert_cmpint(stat_one(f.s, "MemLife ", &v), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(v, ==, 40);
    memset(a, 0, sizeof(a));
    a[0] = DRC0;
    a[1] = 0x30000;
    a[2] = 272;
    qtest_memwrite(f.s, 0x30000, "SCMSTATS\0\0\0\1\0\0\0\0", 16);
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_PERFORMANCE_STATS, 3, a, r),
                    ==, PAPR_H_SUCCESS);
    assert_cmd(f.s, "nvdimm-set nv0 inject-flush H_BUSY:2", "OK H_BUSY:2");
    g = (PaprScmGuest) GUEST(f.s, 100);
    rc = papr_scm_guest_flush(&g, DRC0);
    if (rc != PAPR_H_BUSY && !PAPR_H_IS_LONG_BUSY(rc)) {
        g_assert_cmpint(rc, ==, PAPR_H_SUCCESS);
    }
    g_free(qtest_cmd(f.s, "reset"));
    memset(a, 0, sizeof(a));
    a[0] = DRC0;
    g_assert_cmpint(qtest_hcall(f.s, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, 2, a,
                                r), ==, PAPR_H_NOT_FOUND);
    fixture_stop(&f);

    /* Against a fresh machine with a blank backend */
    args = g_strdup_printf("-M pseries -m 512M -object memory-backend-file,"
                           "id=mem0,mem-path=%s,size=%llu,share=on -device "
                           "spapr-nvdimm,id=nv0,memdev=mem0,label-size=128K,"
                           "uuid=" UUID " -object memory-backend-ram,"
                           "id=mem1,size=%llu -device nvdimm,id=nv1,"
                           "memdev=mem1,label-size=128K,unarmed=on --replay "
                           "%s", img, 2 * BLOCK + LABEL_SIZE,
                           BLOCK + LABEL_SIZE, rec);
    g_assert_cmpint(qtest_run(args, &out, &err), ==, 0);
    g_assert_nonnull(strstr(out, " hcalls, 1 resets, 2 knob changes: "
                            "identical"));
    g_free(out);
    g_free(err);
    unlink(img);
    unlink(img_state);

    /* A label read that answered something else */
    g_assert_true(g_file_get_contents(rec, &text, NULL, NULL));
    p = strstr(text, "C 3 0 3e4 H_SCM_READ_METADATA");
    g_assert_nonnull(p);
    p = strstr(p, "\nS 0 1000 ");
    g_assert_nonnull(p);
    p[5] = '2';
    g_assert_true(g_file_set_contents(rec, text, -1, NULL));
    g_assert_cmpint(qtest_run(args, &out, &err), !=, 0);
    g_assert_nonnull(strstr(out, "replay: first divergence at hcall #3 "));
    g_assert_nonnull(strstr(out, "H_SCM_READ_METADATA: r4 = 0x1000, "
                            "recorded 0x2000"));
    unlink(img);
    unlink(img_state);
    unlink(rec);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-hv/nvdimm/info-health", test_info_and_health);
    g_test_add_func("/spapr-hv/nvdimm/health-option", test_health_option);
    g_test_add_func("/spapr-hv/nvdimm/fdt-qom", test_fdt_and_qom);
    g_test_add_func("/spapr-hv/nvdimm/scm-hcalls", test_scm_hcalls);
    g_test_add_func("/spapr-hv/nvdimm/replay-probe", test_replay_probe);
    g_test_add_func("/spapr-hv/nvdimm/inject-qtest", test_inject_qtest);
    g_test_add_func("/spapr-hv/nvdimm/inject-qmp", test_inject_qmp);
    g_test_add_func("/spapr-hv/nvdimm/record-replay", test_record_replay);
    return g_test_run();
}
