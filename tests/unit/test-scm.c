/*
 * spapr-hcall: the hcall-scm set, success paths, binding, flush, stats,
 * persistence across SIGKILL, and a few measured figures
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <signal.h>
#include <sys/wait.h>
#include "scm-test-util.h"

static void test_metadata(void)
{
    SpaprMachine *m = scm_machine(256 * MIB);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "nv0", NULL, 1, 0);
    uint64_t out[9];
    static const uint64_t lens[] = { 1, 2, 4, 8 };
    size_t i;

    (void)nv;
    /* Every length, at the very end of the label area */
    for (i = 0; i < G_N_ELEMENTS(lens); i++) {
        uint64_t len = lens[i], off = LABEL - len;
        uint64_t val = 0x1122334455667788ULL >> (64 - 8 * len);

        g_assert_cmpint(scm_call(m, PAPR_H_SCM_WRITE_METADATA, DRC(0), off,
                                 val, len, 0, NULL), ==, PAPR_H_SUCCESS);
        g_assert_cmpint(scm_call(m, PAPR_H_SCM_READ_METADATA, DRC(0), off, len,
                                 0, 0, out), ==, PAPR_H_SUCCESS);
        g_assert_cmphex(out[0], ==, val);
    }
    /* Byte order: the first label byte is the most significant */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_WRITE_METADATA, DRC(0), 100,
                             0xa1a2a3a4a5a6a7a8ULL, 8, 0, NULL), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_READ_METADATA, DRC(0), 100, 1, 0, 0,
                             out), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0xa1);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_READ_METADATA, DRC(0), 107, 1, 0, 0,
                             out), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0xa8);
    /* Unaligned reads are fine */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_READ_METADATA, DRC(0), 101, 2, 0, 0,
                             out), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0xa2a3);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_READ_METADATA, DRC(0), 103, 4, 0, 0,
                             out), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0xa4a5a6a7);
    spapr_machine_free(m);
}

static void test_bind_load(void)
{
    SpaprMachine *m = scm_machine(256 * MIB);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "nv0", NULL, 4, 0);
    uint64_t out[9], gpa, v, base, size;
    unsigned int calls;
    GError *err = NULL;

    g_assert_true(spapr_hcall_register_debug(m, &err));
    memcpy(nv->host + 2 * BLK + 64, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);

    /* Hypervisor-chosen address: in the device window */
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 4, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(calls, ==, 1);
    spapr_machine_device_window(m, &base, &size);
    g_assert_cmphex(gpa, ==, base);
    g_assert_true(spapr_guest_ldq_be(m, gpa + 2 * BLK + 64, &v));
    g_assert_cmphex(v, ==, 0x0102030405060708ULL);
    /* The same through H_LOGICAL_CI_LOAD */
    g_assert_cmpint(scm_call(m, PAPR_H_LOGICAL_CI_LOAD, 8, gpa + 2 * BLK + 64,
                             0, 0, 0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0x0102030405060708ULL);
    /* A guest store lands in the backend */
    g_assert_true(spapr_guest_stl_be(m, gpa + 3 * BLK, 0xcafef00d));
    g_assert_cmphex(nv->host[3 * BLK], ==, 0xca);

    /* Queries */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, DRC(0), 3,
                             0, 0, 0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, gpa + 3 * BLK);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING,
                             gpa + 2 * BLK + 12345, 0, 0, 0, 0, out), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, DRC(0));
    g_assert_cmpuint(out[1], ==, 2);
    /* Binding the same blocks again: H_OVERLAP (Linux's kexec path) */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 0, 4,
                             SPAPR_SCM_BIND_ANY_ADDR, 0, out), ==,
                    PAPR_H_OVERLAP);

    /* Unbind block 1 only: the mapping is split, the rest stays */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_UNBIND_MEM, DRC(0), gpa + BLK, 1, 0,
                             0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(out[1], ==, 1);
    g_assert_false(spapr_guest_ldq_be(m, gpa + BLK, &v));
    g_assert_cmpint(scm_call(m, PAPR_H_LOGICAL_CI_LOAD, 8, gpa + BLK, 0, 0, 0,
                             out), ==, PAPR_H_P2);
    g_assert_true(spapr_guest_ldq_be(m, gpa + 2 * BLK + 64, &v));
    g_assert_cmphex(v, ==, 0x0102030405060708ULL);
    g_assert_true(spapr_guest_ldq_be(m, gpa, &v));
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, DRC(0), 1,
                             0, 0, 0, out), ==, PAPR_H_NOT_FOUND);
    g_assert_cmpuint(spapr_memmap_count(spapr_machine_memmap(m)), ==, 3);

    /* Unbind all of the DRC */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_UNBIND_ALL, PAPR_H_UNBIND_SCOPE_DRC,
                             DRC(0), 0, 0, 0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(out[1], ==, 3);
    g_assert_false(spapr_guest_ldq_be(m, gpa + 2 * BLK + 64, &v));
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING,
                             gpa + 2 * BLK, 0, 0, 0, 0, out), ==,
                    PAPR_H_NOT_FOUND);
    g_assert_cmpuint(spapr_memmap_count(spapr_machine_memmap(m)), ==, 1);

    /* Guest-chosen address, then another device next to it */
    g_assert_cmpint(scm_bind_all(m, DRC(0), 1, 2, 64 * GIB, &gpa, &calls),
                    ==, PAPR_H_SUCCESS);
    g_assert_cmphex(gpa, ==, 64 * GIB);
    g_assert_true(spapr_guest_ldq_be(m, 64 * GIB + BLK + 64, &v));
    g_assert_cmphex(v, ==, 0x0102030405060708ULL);
    scm_nvdimm_new(m, "nv1", NULL, 2, 1);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(1), 0, 2,
                             64 * GIB + BLK, 0, out), ==, PAPR_H_OVERLAP);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(1), 0, 2, 0, 0, out),
                    ==, PAPR_H_OVERLAP);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(1), 0, 2,
                             64 * GIB + 2 * BLK, 0, out), ==, PAPR_H_SUCCESS);
    /* Scope ALL unbinds both */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_UNBIND_ALL,
                             PAPR_H_UNBIND_SCOPE_ALL, 0, 0,
                             0, 0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(out[1], ==, 4);
    g_assert_cmpuint(spapr_memmap_count(spapr_machine_memmap(m)), ==, 1);

    /* Machine reset drops bindings: the rebooted guest binds again */
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 4, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    spapr_machine_reset(m);
    g_assert_false(spapr_guest_ldq_be(m, gpa, &v));
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 4, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    spapr_machine_free(m);
}

static void test_bind_1t_continue(void)
{
    g_autofree char *path = NULL;
    SpaprMachine *m;
    SpaprNvdimm *nv;
    uint64_t out[9], gpa, v, token;
    unsigned int calls;
    PaprScmGuest g;
    int64_t rc;
    int i;

#if defined(__SANITIZE_THREAD__)
    /* TSan's fixed address-space layout often has no 1 TiB hole left */
    g_test_skip("a 1 TiB mapping does not fit ThreadSanitizer's layout");
    return;
#endif
    path = scm_tmp_path("big.img");
    m = scm_machine(256 * MIB);
    g = (PaprScmGuest) SCM_GUEST(m);
    nv = scm_nvdimm_new(m, "big", path, 4096, 0);

    nv->host[TIB - 8] = 0x77;
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 4096,
                                 SPAPR_SCM_BIND_ANY_ADDR, &gpa, &calls), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpuint(calls, ==, 4096 / SPAPR_NVDIMM_BIND_CHUNK_BLOCKS);
    g_test_message("1 TiB bind: %u calls", calls);
    g_assert_true(spapr_guest_ldq_be(m, gpa + TIB - 8, &v));
    g_assert_cmphex(v >> 56, ==, 0x77);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, DRC(0),
                             4095, 0, 0, 0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, gpa + 4095 * BLK);

    /* First call: H_BUSY, token in r4, address r5, count r6 */
    scm_call(m, PAPR_H_SCM_UNBIND_ALL, PAPR_H_UNBIND_SCOPE_DRC, DRC(0), 0, 0,
             0, out);
    rc = scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 0, 4096, 128 * GIB, 0, out);
    g_assert_cmpint(rc, ==, PAPR_H_BUSY);
    g_assert_cmpuint(out[0], !=, 0);
    g_assert_cmphex(out[1], ==, 128 * GIB);
    g_assert_cmpuint(out[2], ==, SPAPR_NVDIMM_BIND_CHUNK_BLOCKS);
    token = out[0];
    /* The reserved rest cannot be taken by another bind meanwhile */
    scm_nvdimm_new(m, "small", NULL, 1, 1);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(1), 0, 1,
                             128 * GIB + TIB - BLK, 0, out), ==,
                    PAPR_H_OVERLAP);
    /* A wrong token, or changed arguments with the right one: H_P5 */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 0, 4096,
                             128 * GIB, token + 1, out), ==, PAPR_H_P5);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 0, 4095,
                             128 * GIB, token, out), ==, PAPR_H_P5);
    for (i = 1; i < 16; i++) {
        rc = scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 0, 4096, 128 * GIB,
                      token, out);
        g_assert_cmpint(rc, ==, i < 15 ? PAPR_H_BUSY : PAPR_H_SUCCESS);
        g_assert_cmphex(out[1], ==, 128 * GIB);
        g_assert_cmpuint(out[2], ==,
                         (uint64_t)(i + 1) * SPAPR_NVDIMM_BIND_CHUNK_BLOCKS);
    }
    /* The finished token is dead */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 0, 4096,
                             128 * GIB, token, out), ==, PAPR_H_P5);

    /* Unbind the whole TiB by block range with a budget per call */
    nv->bind_chunk_blocks = 1;
    scm_call(m, PAPR_H_SCM_UNBIND_ALL, PAPR_H_UNBIND_SCOPE_DRC, DRC(0), 0, 0,
             0, out);
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 200, 128 * GIB, &gpa,
                                 &calls), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(calls, ==, 200);
    rc = scm_call(m, PAPR_H_SCM_UNBIND_MEM, DRC(0), gpa, 200, 0, 0, out);
    g_assert_cmpint(rc, ==, PAPR_H_BUSY);
    g_assert_cmpuint(out[1], ==, SPAPR_NVDIMM_UNBIND_BUDGET);
    token = out[0];
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_UNBIND_MEM, DRC(0), gpa, 200,
                             token ^ 1, 0, out), ==, PAPR_H_P4);
    calls = 1;
    do {
        rc = scm_call(m, PAPR_H_SCM_UNBIND_MEM, DRC(0), gpa, 200, token, 0,
                      out);
        calls++;
    } while (rc == PAPR_H_BUSY);
    g_assert_cmpint(rc, ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(calls, ==, 4);
    g_assert_cmpuint(spapr_nvdimm_bound_blocks_(nv), ==, 0);

    /* UNBIND_ALL, both scopes, with continue tokens */
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 100, 128 * GIB, &gpa,
                                 &calls), ==, PAPR_H_SUCCESS);
    g_assert_cmpint(papr_scm_guest_unbind_all(&g, PAPR_H_UNBIND_SCOPE_DRC,
                                              DRC(0)), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(g.calls, ==, 2);
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 100, 128 * GIB, &gpa,
                                 &calls), ==, PAPR_H_SUCCESS);
    g_assert_cmpint(scm_bind_all(m, DRC(1), 0, 1, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    rc = scm_call(m, PAPR_H_SCM_UNBIND_ALL, PAPR_H_UNBIND_SCOPE_ALL, 0, 0, 0,
                  0, out);
    g_assert_cmpint(rc, ==, PAPR_H_BUSY);
    token = out[0];
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_UNBIND_ALL,
                             PAPR_H_UNBIND_SCOPE_ALL, 0,
                             token + 2, 0, 0, out), ==, PAPR_H_P4);
    rc = scm_call(m, PAPR_H_SCM_UNBIND_ALL, PAPR_H_UNBIND_SCOPE_ALL, 0, token,
                  0, 0, out);
    g_assert_cmpint(rc, ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(out[1], ==, 100 + 1 - SPAPR_NVDIMM_UNBIND_BUDGET);
    spapr_machine_free(m);
    scm_remove_backend(path);
}

static void test_health(void)
{
    SpaprMachine *m = scm_machine(0);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "nv0", NULL, 1, 0);
    uint64_t out[9];

    g_assert_cmpint(scm_call(m, PAPR_H_SCM_HEALTH, DRC(0), 0, 0, 0, 0, out),
                    ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0);
    g_assert_cmphex(out[1], ==, 0xffc0000000000000ULL);
    spapr_nvdimm_set_health(nv, PAPR_PPC_BIT(0) | PAPR_PPC_BIT(1)
                            | PAPR_PPC_BIT(3) |
                            PAPR_PPC_BIT(8) | PAPR_PPC_BIT(9)
                            | PAPR_PPC_BIT(20), ~0ULL);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_HEALTH, DRC(0), 0, 0, 0, 0, out),
                    ==, PAPR_H_SUCCESS);
    /* Reserved bits never leak out */
    g_assert_cmphex(out[0], ==, 0xd0c0000000000000ULL);
    spapr_machine_free(m);
}

/* The sixteen ids Linux knows, in its order (PMU events 1..16). */
static const char *const linux_stat_ids[16] = {
    "CtlResCt", "CtlResTm", "PonSecs ", "MemLife ", "CritRscU", "HostLCnt",
    "HostSCnt", "HostSDur", "HostLDur", "MedRCnt ", "MedWCnt ", "MedRDur ",
    "MedWDur ", "CchRHCnt", "CchWHCnt", "FastWCnt",
};

/* One statistic through a single-id H_SCM_PERFORMANCE_STATS (as Linux). */
static int64_t stat_one(SpaprMachine *m, uint32_t drc, const char *id,
                        uint64_t *val, uint64_t *r4)
{
    uint8_t buf[32];
    uint64_t out[9];
    int64_t rc;

    memcpy(buf, "SCMSTATS\0\0\0\1\0\0\0\1", 16);
    memcpy(buf + 16, id, 8);
    memset(buf + 24, 0xee, 8);
    g_assert_true(spapr_guest_write(m, 0x3000, buf, sizeof(buf)));
    rc = scm_call(m, PAPR_H_SCM_PERFORMANCE_STATS, drc, 0x3000, sizeof(buf), 0,
                  0, out);
    if (r4) {
        *r4 = out[0];
    }
    g_assert_true(spapr_guest_ldq_be(m, 0x3000 + 24, val));
    return rc;
}

static void test_stats(void)
{
    SpaprMachine *m = scm_machine(256 * MIB);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "nv0", NULL, 1, 0);
    uint64_t out[9], len, v, gpa;
    uint8_t buf[16 + 16 * 2];
    uint8_t all[16 + 16 * 16];
    unsigned int calls;
    uint32_t n32;
    bool known;
    int i;

    g_assert_cmpint(scm_call(m, PAPR_H_SCM_PERFORMANCE_STATS, DRC(0), 0, 0, 0,
                             0, out), ==, PAPR_H_SUCCESS);
    len = out[0];
    g_assert_cmpuint(len, ==, 16 + 16 * 16);
    for (i = 0; i < 5; i++) {
        scm_call(m, PAPR_H_SCM_READ_METADATA, DRC(0), 0, 8, 0, 0, NULL);
    }
    scm_call(m, PAPR_H_SCM_WRITE_METADATA, DRC(0), 0, 0, 1, 0, NULL);
    scm_bind_all(m, DRC(0), 0, 1, SPAPR_SCM_BIND_ANY_ADDR, &gpa, &calls);
    /* Powered on 7.5 s ago */
    nv->created_ns = spapr_machine_clock_ns(m) - 7500000000LL;

    /* All statistics: Linux's sixteen, in order, and nothing else */
    g_assert_true(spapr_guest_write(m, 0x1000, "SCMSTATS\0\0\0\1\0\0\0\0",
                                    16));
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_PERFORMANCE_STATS, DRC(0), 0x1000,
                             len, 0, 0, out), ==, PAPR_H_SUCCESS);
    g_assert_true(spapr_guest_ldl_be(m, 0x1000 + 12, &n32));
    g_assert_cmpuint(n32, ==, 16);
    g_assert_true(spapr_guest_read(m, 0x1000, all, sizeof(all)));
    for (i = 0; i < 16; i++) {
        const uint8_t *e = all + 16 + 16 * i;
        uint64_t val = 0;
        int k;

        g_assert_cmpmem(e, 8, linux_stat_ids[i], 8);
        for (k = 8; k < 16; k++) {
            val = val << 8 | e[k];
        }
        switch (i) {
        case 2:                 /* PonSecs */
            g_assert_cmpuint(val, ==, 7);
            break;
        case 3:                 /* MemLife: 100% left */
            g_assert_cmpuint(val, ==, 100);
            break;
        case 9:                 /* MedRCnt: label reads */
            g_assert_cmpuint(val, ==, 5);
            break;
        case 10:                /* MedWCnt: label writes */
            g_assert_cmpuint(val, ==, 1);
            break;
        case 11:                /* MedRDur, MedWDur: ns, measured */
        case 12:
            break;
        default:                /* no reset yet; the rest is not seen */
            g_assert_cmpuint(val, ==, 0);
        }
        /* Each one alone, as the PMU and the fuel gauge ask */
        if (i != 11 && i != 12) {
            g_assert_cmpint(stat_one(m, DRC(0), linux_stat_ids[i], &v,
                                     NULL), ==, PAPR_H_SUCCESS);
            g_assert_cmpuint(v, ==, val);
        }
    }
    /* Two by id */
    memcpy(buf, "SCMSTATS\0\0\0\1\0\0\0\2", 16);
    memcpy(buf + 16, "MedRCnt \0\0\0\0\0\0\0\0", 16);
    memcpy(buf + 32, "MemLife \0\0\0\0\0\0\0\0", 16);
    g_assert_true(spapr_guest_write(m, 0x2000, buf, sizeof(buf)));
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_PERFORMANCE_STATS, DRC(0), 0x2000,
                             sizeof(buf), 0, 0, out), ==, PAPR_H_SUCCESS);
    g_assert_true(spapr_guest_ldq_be(m, 0x2000 + 24, &v));
    g_assert_cmpuint(v, ==, 5);
    g_assert_true(spapr_guest_ldq_be(m, 0x2000 + 40, &v));
    g_assert_cmpuint(v, ==, 100);
    /* Our own counters are not PAPR ids: H_PARTIAL with the id in r4 */
    g_assert_cmpint(stat_one(m, DRC(0), "BindCnt ", &v, &out[0]), ==,
                    PAPR_H_PARTIAL);
    g_assert_cmphex(out[0], ==, 0x42696e64436e7420ULL);
    g_assert_cmpuint(v, ==, 0xeeeeeeeeeeeeeeeeULL);     /* untouched */
    g_assert_cmpint(stat_one(m, DRC(0), "FlushCnt", &v, &out[0]), ==,
                    PAPR_H_PARTIAL);
    /* ... they are the host's (QMP, qtest) */
    g_assert_true(spapr_nvdimm_get_stat(nv, "blocks-bound", &v));
    g_assert_cmpuint(v, ==, 1);
    g_assert_true(spapr_nvdimm_get_stat(nv, "MemLife ", &v));
    g_assert_cmpuint(v, ==, 100);
    g_assert_false(spapr_nvdimm_get_stat(nv, "BindCnt", &v));

    /* Settable: MemLife 100 -> 37, CritRscU 0 -> 85 */
    g_assert_true(spapr_nvdimm_set_mem_life(nv, 37, NULL));
    g_assert_true(spapr_nvdimm_set_crit_rsc_util(nv, 85, NULL));
    g_assert_cmpint(stat_one(m, DRC(0), "MemLife ", &v, NULL), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpuint(v, ==, 37);
    g_assert_cmpint(stat_one(m, DRC(0), "CritRscU", &v, NULL), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpuint(v, ==, 85);
    g_assert_false(spapr_nvdimm_set_mem_life(nv, 101, NULL));
    g_assert_false(spapr_nvdimm_set_crit_rsc_util(nv, 200, NULL));
    g_assert_cmpuint(spapr_nvdimm_mem_life(nv), ==, 37);

    /* Controller resets: a machine reset, with its ns */
    spapr_machine_reset(m);
    spapr_machine_reset(m);
    g_assert_cmpint(stat_one(m, DRC(0), "CtlResCt", &v, NULL), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpuint(v, ==, 2);
    g_assert_cmpuint(spapr_nvdimm_stat_value_(nv, "CtlResTm", &known), ==,
                     nvdimm_stat_sum_(nv, NVDIMM_STAT_RESET_TIME));
    g_assert_true(known);
    g_assert_cmpuint(spapr_nvdimm_stat_value_(nv, "MedRCnt ", &known), ==,
                     5);
    spapr_machine_free(m);
}

static void test_flush(void)
{
    g_autofree char *path = scm_tmp_path("f.img");
    SpaprMachine *m = scm_machine(0);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "f", path, 1, 0);
    uint64_t out[9], token, v;
    unsigned int polls;
    int64_t rc;

    scm_nvdimm_new(m, "ram", NULL, 1, 1);
    g_assert_cmpint(scm_flush(m, DRC(0), &polls), ==, PAPR_H_SUCCESS);
    /* RAM backend: unsupported; unknown token: H_P2 */
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_FLUSH, DRC(1), 0, 0, 0, 0, out), ==,
                    PAPR_H_UNSUPPORTED);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_FLUSH, DRC(0), 12345, 0, 0, 0, out),
                    ==, PAPR_H_P2);

    /* Force the slow path: no waiting at all in the hcall */
    spapr_nvdimm_flush_set_fast_wait_(nv->flush, 0);
    memset(nv->host, 0x5a, 8 * MIB);
    rc = scm_call(m, PAPR_H_SCM_FLUSH, DRC(0), 0, 0, 0, 0, out);
    if (rc != PAPR_H_SUCCESS) {
        g_assert_true(rc == PAPR_H_BUSY || PAPR_H_IS_LONG_BUSY(rc));
        token = out[0];
        g_assert_cmpuint(token, !=, 0);
        do {
            g_usleep(100);
            rc = scm_call(m, PAPR_H_SCM_FLUSH, DRC(0), token, 0, 0, 0, out);
        } while (rc == PAPR_H_BUSY || PAPR_H_IS_LONG_BUSY(rc));
        g_assert_cmpint(rc, ==, PAPR_H_SUCCESS);
        /* Reported once: the token is gone */
        g_assert_cmpint(scm_call(m, PAPR_H_SCM_FLUSH, DRC(0), token, 0, 0, 0,
                                 out), ==, PAPR_H_P2);
    }
    /* A pending flush drains at reset; its token dies with the reset */
    memset(nv->host, 0xa5, 8 * MIB);
    rc = scm_call(m, PAPR_H_SCM_FLUSH, DRC(0), 0, 0, 0, 0, out);
    token = out[0];
    spapr_machine_reset(m);
    if (rc != PAPR_H_SUCCESS) {
        g_assert_cmpint(scm_call(m, PAPR_H_SCM_FLUSH, DRC(0), token, 0, 0, 0,
                                 out), ==, PAPR_H_P2);
    }
    g_assert_true(spapr_nvdimm_get_stat(nv, "syncs", &v));
    g_assert_cmpuint(v, >=, 2);
    spapr_machine_free(m);
    scm_remove_backend(path);
}

/* A host whose clock stands still: spapr-hv's -accel qtest clock */
static bool frozen_mem(void *o, uint64_t gpa, void *buf, uint64_t len)
{
    return false;
}

static bool frozen_mem_write(void *o, uint64_t gpa, const void *buf,
                             uint64_t len)
{
    return false;
}

static bool frozen_map(void *o, const char *name, uint64_t gpa,
                       uint64_t size, void *host, GError **errp)
{
    return true;
}

static void frozen_unmap(void *o, uint64_t gpa, uint64_t size)
{
}

static int64_t frozen_clock(void *o)
{
    return 42 * 1000000000LL;
}

static void frozen_log(void *o, SpaprLogLevel level, const char *msg)
{
}

/*
 * Sync durations are host time: sync-ns grows with each fdatasync() even
 * when the machine clock does not move (it read 0 when the estimator
 * timed syncs on the machine clock), and the guest-visible power-on time
 * stays on the machine clock.
 */
static void test_flush_frozen_clock(void)
{
    static const SpaprHostOps ops = {
        .mem_read = frozen_mem, .mem_write = frozen_mem_write,
        .map = frozen_map, .unmap = frozen_unmap,
        .clock_ns = frozen_clock, .log = frozen_log,
    };
    SpaprMachineConfig cfg = { .ops = &ops };
    g_autofree char *path = scm_tmp_path("frozen.img");
    GError *err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);
    SpaprNvdimm *nv;
    uint64_t syncs, ns, before;
    unsigned int polls, i;
    bool known;

    g_assert_no_error(err);
    g_assert_true(spapr_hcall_register_scm(m, &err));
    nv = scm_nvdimm_new(m, "f", path, 1, 0);
    before = g_get_monotonic_time();
    for (i = 0; i < 3; i++) {
        memset(nv->host + i * MIB, 0x5a, MIB);
        g_assert_cmpint(scm_flush(m, DRC(0), &polls), ==, PAPR_H_SUCCESS);
    }
    g_assert_true(spapr_nvdimm_get_stat(nv, "syncs", &syncs));
    g_assert_true(spapr_nvdimm_get_stat(nv, "sync-ns", &ns));
    g_assert_cmpuint(syncs, >=, 1);
    g_assert_cmpuint(ns, >, 0);
    g_assert_cmpuint(ns, <=, (g_get_monotonic_time() - before + 1) * 1000);
    g_assert_cmpuint(spapr_nvdimm_stat_value_(nv, "PonSecs ", &known), ==, 0);
    spapr_machine_free(m);
    scm_remove_backend(path);
}

typedef struct FlushThread {
    SpaprMachine *m;
    int n;
} FlushThread;

/* The guest model's transport for callers without a vCPU */
static int64_t nocpu_hcall(void *opaque, uint64_t opcode, uint64_t *args)
{
    return spapr_hcall(opaque, NULL, opcode, args);
}

static void flush_wait(void *opaque, int64_t rc)
{
    g_usleep(50);
}

static gpointer flush_thread(gpointer p)
{
    FlushThread *t = p;
    PaprScmGuest g = {
        .hcall = nocpu_hcall, .wait = flush_wait, .opaque = t->m,
    };
    int i;

    for (i = 0; i < t->n; i++) {
        g_assert_cmpint(papr_scm_guest_flush(&g, DRC(0)), ==,
                        PAPR_H_SUCCESS);
    }
    return NULL;
}

static void test_flush_coalesce(void)
{
    g_autofree char *path = scm_tmp_path("c.img");
    SpaprMachine *m = scm_machine(0);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "c", path, 1, 0);
    FlushThread t = { m, 50 };
    GThread *th[8];
    uint64_t flushes, syncs;
    int i;

    for (i = 0; i < 8; i++) {
        th[i] = g_thread_new("flush", flush_thread, &t);
    }
    for (i = 0; i < 8; i++) {
        g_thread_join(th[i]);
    }
    g_assert_true(spapr_nvdimm_get_stat(nv, "flush-requests", &flushes));
    g_assert_true(spapr_nvdimm_get_stat(nv, "syncs", &syncs));
    g_test_message("8 threads x 50 flushes: %" PRIu64 " requests, %" PRIu64
                   " fdatasync()s", flushes, syncs);
    g_assert_cmpuint(flushes, ==, 400);
    g_assert_cmpuint(syncs, <=, flushes);
    spapr_machine_free(m);
    scm_remove_backend(path);
}

/*
 * A child binds, stores data, writes labels, flushes and SIGKILLs
 * itself; the parent reopens the file and finds everything acknowledged.
 */
static int persist_child(const char *path)
{
    SpaprMachine *m = scm_machine(256 * MIB);
    uint64_t gpa;
    unsigned int calls, i;

    scm_nvdimm_new(m, "k", path, 2, 0);
    if (scm_bind_all(m, DRC(0), 0, 2, SPAPR_SCM_BIND_ANY_ADDR, &gpa,
                     &calls) != PAPR_H_SUCCESS) {
        return 1;
    }
    for (i = 0; i < 1024; i++) {
        spapr_guest_stq_be(m, gpa + BLK + i * 4096, 0xfeed0000 + i);
        scm_call(m, PAPR_H_SCM_WRITE_METADATA, DRC(0), i * 8,
                 0x1abe100000000000ULL + i, 8, 0, NULL);
    }
    scm_call(m, PAPR_H_SCM_WRITE_METADATA, DRC(0), LABEL - 1, 0x99, 1, 0,
             NULL);
    if (scm_flush(m, DRC(0), &calls) != PAPR_H_SUCCESS) {
        return 2;
    }
    /* Acknowledged: die without any cleanup */
    raise(SIGKILL);
    return 3;
}

static void test_persistence_sigkill(void)
{
    g_autofree char *path = scm_tmp_path("k.img");
    uint64_t out[9], gpa, v;
    unsigned int calls, i;
    SpaprMachine *m;
    SpaprNvdimm *nv;
    int status;
    pid_t pid;

    /*
     * fork() + exec: glib's thread pool helpers do not survive a bare
     * fork() in a process that already used them.
     */
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        execl("/proc/self/exe", "test-scm", "--persist-child", path, NULL);
        _exit(4);
    }
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFSIGNALED(status));
    g_assert_cmpint(WTERMSIG(status), ==, SIGKILL);

    m = scm_machine(256 * MIB);
    nv = scm_nvdimm_new(m, "k", path, 2, 0);
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 1);
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 2, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    for (i = 0; i < 1024; i++) {
        g_assert_true(spapr_guest_ldq_be(m, gpa + BLK + i * 4096, &v));
        g_assert_cmphex(v, ==, 0xfeed0000 + i);
        g_assert_cmpint(scm_call(m, PAPR_H_SCM_READ_METADATA, DRC(0), i * 8, 8,
                                 0, 0, out), ==, PAPR_H_SUCCESS);
        g_assert_cmphex(out[0], ==, 0x1abe100000000000ULL + i);
    }
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_READ_METADATA, DRC(0), LABEL - 1, 1,
                             0, 0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0x99);
    spapr_machine_free(m);
    scm_remove_backend(path);
}

static void test_figures(void)
{
    g_autofree char *path = scm_tmp_path("fig.img");
    SpaprMachine *m = scm_machine(0);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "fig", path, 1, 0);
    uint64_t args[9];
    const int n = 200000;
    int64_t t0, t1, worst = 0;
    unsigned int polls, busy = 0;
    int i;

    t0 = g_get_monotonic_time();
    for (i = 0; i < n; i++) {
        args[0] = DRC(0);
        args[1] = (i * 8) % LABEL;
        args[2] = 8;
        spapr_hcall(m, spapr_machine_cpu(m, 0), PAPR_H_SCM_READ_METADATA,
                    args);
    }
    t1 = g_get_monotonic_time();
    g_test_message("READ_METADATA: %.0f ns per call (8 bytes, dispatch "
                   "included)", (t1 - t0) * 1000.0 / n);

    /* Clean file: fdatasync has nothing to write, the fast path answers */
    t0 = g_get_monotonic_time();
    for (i = 0; i < 100; i++) {
        int64_t s = g_get_monotonic_time();

        g_assert_cmpint(scm_flush(m, DRC(0), &polls), ==, PAPR_H_SUCCESS);
        busy += polls > 1;
        worst = MAX(worst, g_get_monotonic_time() - s);
    }
    t1 = g_get_monotonic_time();
    g_test_message("FLUSH, nothing dirty: %.1f us per flush, %u of 100 "
                   "needed a poll, worst %" PRId64 " us",
                   (t1 - t0) / 100.0, busy, worst);

    /* 4 KiB dirty each time: BTT-like */
    busy = 0;
    t0 = g_get_monotonic_time();
    for (i = 0; i < 50; i++) {
        uint64_t a[9] = { DRC(0) };
        int64_t rc;

        memset(nv->host + (uint64_t)i * 4096, i, 4096);
        rc = spapr_hcall(m, NULL, PAPR_H_SCM_FLUSH, a);
        if (rc != PAPR_H_SUCCESS) {
            busy++;
            g_assert_cmpint(scm_flush(m, DRC(0), &polls), ==, PAPR_H_SUCCESS);
        }
    }
    t1 = g_get_monotonic_time();
    g_test_message("FLUSH after a 4 KiB write: %.1f us per flush, %u of 50 "
                   "answered busy first", (t1 - t0) / 50.0, busy);
    spapr_machine_free(m);
    scm_remove_backend(path);
}

/* Every health bit 0..10 and the valid mask, through H_SCM_HEALTH. */
static void test_inject_health(void)
{
    SpaprMachine *m = scm_machine(0);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "nv0", NULL, 1, 0);
    uint64_t out[9];
    int bit;

    for (bit = 0; bit <= 10; bit++) {
        spapr_nvdimm_set_health(nv, PAPR_PPC_BIT(bit), ~0ULL);
        spapr_nvdimm_set_health_valid(nv, ~0ULL);
        g_assert_cmpint(scm_call(m, PAPR_H_SCM_HEALTH, DRC(0), 0, 0, 0, 0,
                                 out),
                        ==, PAPR_H_SUCCESS);
        g_assert_cmphex(out[0], ==, PAPR_PPC_BIT(bit));
        g_assert_cmphex(out[1], ==, 0xffe0000000000000ULL);
    }
    /* Bit 10 (save failed) is outside the default mask: not reported */
    spapr_nvdimm_set_health_valid(nv, SPAPR_NVDIMM_HEALTH_VALID_DEFAULT);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_HEALTH, DRC(0), 0, 0, 0, 0, out),
                    ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0);
    g_assert_cmphex(out[1], ==, 0xffc0000000000000ULL);
    /* A narrow mask hides the bits outside it; bits 11-63 never exist */
    spapr_nvdimm_set_health(nv, PAPR_PPC_BIT(1) | PAPR_PPC_BIT(4)
                            | PAPR_PPC_BIT(11), ~0ULL);
    g_assert_cmphex(spapr_nvdimm_health(nv), ==, PAPR_PPC_BIT(1)
                    | PAPR_PPC_BIT(4));
    spapr_nvdimm_set_health_valid(nv, PAPR_PPC_BIT(4) | PAPR_PPC_BIT(30));
    g_assert_cmphex(spapr_nvdimm_health_valid(nv), ==, PAPR_PPC_BIT(4));
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_HEALTH, DRC(0), 0, 0, 0, 0, out),
                    ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, PAPR_PPC_BIT(4));
    g_assert_cmphex(out[1], ==, PAPR_PPC_BIT(4));
    spapr_machine_free(m);
}

/* Forced BIND_MEM answers: busy codes keep the guest's token. */
static void test_inject_bind(void)
{
    SpaprMachine *m = scm_machine(0);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "nv0", NULL, 4, 0);
    uint64_t out[9], token, gpa;
    unsigned int calls;
    int64_t status;
    GError *err = NULL;

    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_BIND,
                                             PAPR_H_BUSY, 3, NULL));
    g_assert_cmpuint(spapr_nvdimm_injected_status(nv, SPAPR_NVDIMM_OP_BIND,
                                                  &status), ==, 3);
    g_assert_cmpint(status, ==, PAPR_H_BUSY);
    /* Linux's loop: 3 forced H_BUSY, then the real bind */
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 4, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(calls, ==, 4);
    g_assert_cmphex(gpa, !=, 0);
    g_assert_cmpuint(spapr_nvdimm_bound_blocks_(nv), ==, 4);
    scm_call(m, PAPR_H_SCM_UNBIND_ALL, PAPR_H_UNBIND_SCOPE_DRC, DRC(0), 0, 0,
             0, NULL);

    /* Mid-way: the forced answer hands the continue token back */
    nv->bind_chunk_blocks = 1;
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 0, 4, UINT64_MAX,
                             0, out), ==, PAPR_H_BUSY);
    token = out[0];
    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_BIND,
                                             PAPR_H_LONG_BUSY_ORDER_100_MSEC,
                                             1, NULL));
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 0, 4, UINT64_MAX,
                             token, out), ==, PAPR_H_LONG_BUSY_ORDER_100_MSEC);
    g_assert_cmphex(out[0], ==, token);
    g_assert_cmphex(out[1], ==, 0);
    g_assert_cmpuint(spapr_nvdimm_bound_blocks_(nv), ==, 1);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 0, 4, UINT64_MAX,
                             token, out), ==, PAPR_H_BUSY);
    g_assert_cmpuint(out[2], ==, 2);
    scm_call(m, PAPR_H_SCM_UNBIND_ALL, PAPR_H_UNBIND_SCOPE_DRC, DRC(0), 0, 0,
             0, NULL);
    nv->bind_chunk_blocks = SPAPR_NVDIMM_BIND_CHUNK_BLOCKS;

    /* H_OVERLAP: Linux's QUERY_BLOCK_MEM_BINDING fallback, replayed */
    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_BIND,
                                             PAPR_H_OVERLAP, 1, NULL));
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(0), 0, 4, UINT64_MAX,
                             0, out), ==, PAPR_H_OVERLAP);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, DRC(0), 0,
                             0, 0, 0, out), ==, PAPR_H_NOT_FOUND);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_UNBIND_ALL, PAPR_H_UNBIND_SCOPE_DRC,
                             DRC(0), 0, 0, 0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 4, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(calls, ==, 1);

    /* Bad injections are refused and change nothing; count 0 cancels */
    g_assert_false(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_BIND,
                                              PAPR_H_HARDWARE, 1, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    g_assert_false(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_UNBIND_ALL,
                                              PAPR_H_OVERLAP, 1, NULL));
    g_assert_false(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP__MAX,
                                              PAPR_H_BUSY, 1, NULL));
    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_BIND,
                                             PAPR_H_BUSY, 5, NULL));
    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_BIND,
                                             0, 0, NULL));
    g_assert_cmpuint(spapr_nvdimm_injected_status(nv, SPAPR_NVDIMM_OP_BIND,
                                                  &status), ==, 0);
    /* A bad DRC is still H_PARAMETER, and consumes nothing */
    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_BIND,
                                             PAPR_H_BUSY, 1, NULL));
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_BIND_MEM, DRC(5), 0, 1, UINT64_MAX,
                             0, out), ==, PAPR_H_PARAMETER);
    g_assert_cmpuint(spapr_nvdimm_injected_status(nv, SPAPR_NVDIMM_OP_BIND,
                                                  NULL), ==, 1);
    spapr_machine_free(m);
}

/* Linux's drc_pmem_unbind loop over forced UNBIND_ALL answers. */
static void test_inject_unbind_all(void)
{
    SpaprMachine *m = scm_machine(0);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "nv0", NULL, 2, 0);
    uint64_t out[9], gpa, token = 0;
    unsigned int calls, n = 0;
    int64_t rc;

    g_assert_cmpint(scm_bind_all(m, DRC(0), 0, 2, SPAPR_SCM_BIND_ANY_ADDR,
                                 &gpa, &calls), ==, PAPR_H_SUCCESS);
    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_UNBIND_ALL,
                                             PAPR_H_LONG_BUSY_ORDER_1_MSEC, 2,
                                             NULL));
    do {
        rc = scm_call(m, PAPR_H_SCM_UNBIND_ALL, PAPR_H_UNBIND_SCOPE_DRC,
                      DRC(0), token, 0, 0, out);
        token = out[0];
        n++;
        if (n <= 2) {
            g_assert_cmpint(rc, ==, PAPR_H_LONG_BUSY_ORDER_1_MSEC);
            g_assert_cmpuint(spapr_nvdimm_bound_blocks_(nv), ==, 2);
        }
    } while (rc == PAPR_H_BUSY || PAPR_H_IS_LONG_BUSY(rc));
    g_assert_cmpint(rc, ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(n, ==, 3);
    g_assert_cmpuint(out[1], ==, 2);
    g_assert_cmpuint(spapr_nvdimm_bound_blocks_(nv), ==, 0);
    /* Scope ALL is not forced (there is no single device) */
    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_UNBIND_ALL,
                                             PAPR_H_BUSY, 1, NULL));
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_UNBIND_ALL,
                             PAPR_H_UNBIND_SCOPE_ALL, 0, 0,
                             0, 0, out), ==, PAPR_H_SUCCESS);
    spapr_machine_free(m);
}

/* A failing flush and forced busy answers, as Linux's flush loop sees. */
static void test_inject_flush(void)
{
    g_autofree char *path = scm_tmp_path("i.img");
    SpaprMachine *m = scm_machine(0);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "f", path, 1, 0);
    uint64_t out[9], token = 0, v;
    unsigned int polls = 0;
    int64_t rc;

    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_FLUSH,
                                             PAPR_H_HARDWARE, 2, NULL));
    g_assert_cmpint(scm_flush(m, DRC(0), &polls), ==, PAPR_H_HARDWARE);
    g_assert_cmpint(scm_flush(m, DRC(0), &polls), ==, PAPR_H_HARDWARE);
    g_assert_cmpint(scm_flush(m, DRC(0), &polls), ==, PAPR_H_SUCCESS);
    g_assert_true(spapr_nvdimm_get_stat(nv, "flush-errors", &v));
    g_assert_cmpuint(v, ==, 2);

    /* Forced busy: the guest polls 4 more times, its token survives */
    spapr_nvdimm_flush_set_fast_wait_(nv->flush, 0);
    rc = scm_call(m, PAPR_H_SCM_FLUSH, DRC(0), 0, 0, 0, 0, out);
    if (rc != PAPR_H_SUCCESS) {
        token = out[0];
        g_assert_true(spapr_nvdimm_inject_status(
                          nv, SPAPR_NVDIMM_OP_FLUSH,
                          PAPR_H_LONG_BUSY_ORDER_10_MSEC, 4, NULL));
        for (polls = 0; polls < 4; polls++) {
            g_assert_cmpint(scm_call(m, PAPR_H_SCM_FLUSH, DRC(0), token, 0, 0,
                                     0,
                                     out), ==, PAPR_H_LONG_BUSY_ORDER_10_MSEC);
            g_assert_cmphex(out[0], ==, token);
        }
        spapr_nvdimm_flush_drain_(nv->flush, false);
        g_assert_cmpint(scm_call(m, PAPR_H_SCM_FLUSH, DRC(0), token, 0, 0, 0,
                                 out), ==, PAPR_H_SUCCESS);
    }
    /* From the very first call: r4 = 0, Linux starts again */
    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_FLUSH,
                                             PAPR_H_BUSY, 1, NULL));
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_FLUSH, DRC(0), 0, 0, 0, 0, out), ==,
                    PAPR_H_BUSY);
    g_assert_cmphex(out[0], ==, 0);
    spapr_machine_free(m);
    scm_remove_backend(path);
}

/* PERFORMANCE_STATS answering H_AUTHORITY, H_UNSUPPORTED, or size 0. */
static void test_inject_stats(void)
{
    SpaprMachine *m = scm_machine(256 * MIB);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "nv0", NULL, 1, 0);
    uint64_t out[9], v;
    SpaprNvdimmStatsFault f;

    spapr_nvdimm_set_stats_fault(nv, SPAPR_NVDIMM_STATS_AUTHORITY);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_PERFORMANCE_STATS, DRC(0), 0, 0, 0,
                             0, out), ==, PAPR_H_AUTHORITY);
    g_assert_cmpint(stat_one(m, DRC(0), "MemLife ", &v, NULL), ==,
                    PAPR_H_AUTHORITY);
    g_assert_cmpuint(v, ==, 0xeeeeeeeeeeeeeeeeULL);
    spapr_nvdimm_set_stats_fault(nv, SPAPR_NVDIMM_STATS_UNSUPPORTED);
    g_assert_cmpint(stat_one(m, DRC(0), "MemLife ", &v, NULL), ==,
                    PAPR_H_UNSUPPORTED);
    spapr_nvdimm_set_stats_fault(nv, SPAPR_NVDIMM_STATS_ZERO_LENGTH);
    out[0] = 0x1234;
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_PERFORMANCE_STATS, DRC(0), 0, 0, 0,
                             0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(out[0], ==, 0);
    /* The buffer calls still work (only the size was lied about) */
    g_assert_cmpint(stat_one(m, DRC(0), "MemLife ", &v, NULL), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpuint(v, ==, 100);
    spapr_nvdimm_set_stats_fault(nv, SPAPR_NVDIMM_STATS_OK);
    g_assert_cmpint(scm_call(m, PAPR_H_SCM_PERFORMANCE_STATS, DRC(0), 0, 0, 0,
                             0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(out[0], ==, 16 + 16 * 16);
    g_assert_true(spapr_nvdimm_stats_fault_parse("zero-length", &f));
    g_assert_cmpint(f, ==, SPAPR_NVDIMM_STATS_ZERO_LENGTH);
    g_assert_false(spapr_nvdimm_stats_fault_parse("bogus", &f));
    g_assert_cmpstr(spapr_nvdimm_stats_fault_name(f), ==, "zero-length");
    spapr_machine_free(m);
}

/* The dirty-shutdown count and a dirty next start, with a state file. */
static void test_inject_persistence(void)
{
    g_autofree char *path = scm_tmp_path("p.img");
    SpaprMachine *m = scm_machine(0);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "p", path, 1, 0);
    SpaprNvdimm *ram = scm_nvdimm_new(m, "r", NULL, 1, 1);
    GError *err = NULL;

    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 0);
    g_assert_true(spapr_nvdimm_set_persistence_failed_count(nv, 5, NULL));
    g_assert_true(spapr_nvdimm_set_next_start_dirty(nv, true, NULL));
    g_assert_false(spapr_nvdimm_set_next_start_dirty(ram, true, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    g_assert_true(spapr_nvdimm_set_persistence_failed_count(ram, 2, NULL));
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(ram), ==, 2);
    spapr_machine_free(m);
    /* Clean close, but marked dirty: 5 + 1 */
    m = scm_machine(0);
    nv = scm_nvdimm_new(m, "p", path, 1, 0);
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 6);
    g_assert_false(spapr_nvdimm_next_start_dirty(nv));
    spapr_machine_free(m);
    m = scm_machine(0);
    nv = scm_nvdimm_new(m, "p", path, 1, 0);
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 6);
    spapr_machine_free(m);
    scm_remove_backend(path);
}

typedef struct RaceThread {
    SpaprMachine *m;
    unsigned int forced;
} RaceThread;

static gpointer race_thread(gpointer p)
{
    RaceThread *t = p;
    int i;

    for (i = 0; i < 2000; i++) {
        uint64_t args[SPAPR_HCALL_NR_ARGS] = { DRC(0) };

        if (spapr_hcall(t->m, NULL, PAPR_H_SCM_HEALTH, args)
            != PAPR_H_SUCCESS) {
            g_assert_not_reached();
        }
        memset(args, 0, sizeof(args));
        args[0] = DRC(0);
        /* Whatever the stats fault is at this moment, one of its answers */
        switch (spapr_hcall(t->m, NULL, PAPR_H_SCM_PERFORMANCE_STATS, args)) {
        case PAPR_H_SUCCESS:
            g_assert_true(args[0] == 0 || args[0] == 16 + 16 * 16);
            break;
        default:
            break;
        }
        memset(args, 0, sizeof(args));
        args[0] = PAPR_H_UNBIND_SCOPE_DRC;
        args[1] = DRC(0);
        if (spapr_hcall(t->m, NULL, PAPR_H_SCM_UNBIND_ALL, args)
            == PAPR_H_BUSY) {
            t->forced++;
        }
    }
    return NULL;
}

/* Injections from another thread while vCPUs call: N forced, N served. */
static void test_inject_concurrent(void)
{
    SpaprMachine *m = scm_machine(0);
    SpaprNvdimm *nv = scm_nvdimm_new(m, "nv0", NULL, 1, 0);
    RaceThread t[4] = { { m, 0 }, { m, 0 }, { m, 0 }, { m, 0 } };
    GThread *th[4];
    unsigned int total = 0;
    int i;

    g_assert_true(spapr_nvdimm_inject_status(nv, SPAPR_NVDIMM_OP_UNBIND_ALL,
                                             PAPR_H_BUSY, 1000, NULL));
    for (i = 0; i < 4; i++) {
        th[i] = g_thread_new("race", race_thread, &t[i]);
    }
    for (i = 0; i < 3000; i++) {
        spapr_nvdimm_set_health(nv, i & 1 ? PAPR_PPC_BIT(4) : 0,
                                PAPR_PPC_BIT(4));
        spapr_nvdimm_set_stats_fault(nv, i % SPAPR_NVDIMM_STATS__MAX);
        g_assert_true(spapr_nvdimm_set_mem_life(nv, i % 101, NULL));
    }
    for (i = 0; i < 4; i++) {
        g_thread_join(th[i]);
        total += t[i].forced;
    }
    g_assert_cmpuint(total, ==, 1000);
    g_assert_cmpuint(spapr_nvdimm_injected_status(nv,
                                                  SPAPR_NVDIMM_OP_UNBIND_ALL,
                                                  NULL), ==, 0);
    spapr_machine_free(m);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--persist-child")) {
        return persist_child(argv[2]);
    }
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/scm/metadata", test_metadata);
    g_test_add_func("/scm/bind-load", test_bind_load);
    g_test_add_func("/scm/bind-1t-continue", test_bind_1t_continue);
    g_test_add_func("/scm/health", test_health);
    g_test_add_func("/scm/stats", test_stats);
    g_test_add_func("/scm/flush", test_flush);
    g_test_add_func("/scm/flush-frozen-clock", test_flush_frozen_clock);
    g_test_add_func("/scm/inject/health", test_inject_health);
    g_test_add_func("/scm/inject/bind", test_inject_bind);
    g_test_add_func("/scm/inject/unbind-all", test_inject_unbind_all);
    g_test_add_func("/scm/inject/flush", test_inject_flush);
    g_test_add_func("/scm/inject/stats", test_inject_stats);
    g_test_add_func("/scm/inject/persistence", test_inject_persistence);
    g_test_add_func("/scm/inject/concurrent", test_inject_concurrent);
    g_test_add_func("/scm/flush-coalesce", test_flush_coalesce);
    g_test_add_func("/scm/persistence-sigkill", test_persistence_sigkill);
    g_test_add_func("/scm/figures", test_figures);
    return g_test_run();
}
