/*
 * spapr-hcall: every hcall-scm call against every class of bad input,
 * with the exact status expected (table-driven; a fresh machine per case)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The fixture: 1 GiB of RAM; nv0 (RAM, 4 blocks) in PMEM slot 0 with
 * blocks 0-1 bound at 64 GiB; nv1 (file, 1 block) in slot 1; nv2
 * (read-only file) in slot 2; an empty PMEM connector (slot 5), an LMB
 * connector and a CPU connector; stats request buffers in guest RAM.
 */
#include "scm-test-util.h"

#define D0  DRC(0)
#define D1  DRC(1)
#define D2  DRC(2)
#define DE  DRC(5)                      /* empty PMEM connector */
#define DX  DRC(0x99)                   /* no such connector */
#define DL  0x80000000u                 /* LMB connector */
#define DC  0x10000000u                 /* CPU connector */
#define DT  0xf0000000u                 /* no such type */
#define DH  0x190000000ULL              /* above 32 bits */
#define BOUND   (64 * GIB)
#define ANY     SPAPR_SCM_BIND_ANY_ADDR
#define M1      UINT64_MAX

typedef struct BadCase {
    const char *name;
    uint64_t opcode;
    uint64_t args[5];
    int64_t expect;
} BadCase;

#define BAD_DRC_CASES(op, name, expect, ...)                              \
    { name " no such DRC", op, { DX, __VA_ARGS__ }, expect },              \
    { name " empty PMEM DRC", op, { DE, __VA_ARGS__ }, expect },           \
    { name " LMB DRC", op, { DL, __VA_ARGS__ }, expect },                  \
    { name " CPU DRC", op, { DC, __VA_ARGS__ }, expect },                  \
    { name " unknown DRC type", op, { DT, __VA_ARGS__ }, expect },         \
    { name " DRC above 32 bits", op, { DH, __VA_ARGS__ }, expect }

static const BadCase cases[] = {
    /* ---- DRC classes, every call that takes one ---- */
    BAD_DRC_CASES(PAPR_H_SCM_READ_METADATA, "read", PAPR_H_PARAMETER, 0, 8),
    BAD_DRC_CASES(PAPR_H_SCM_WRITE_METADATA, "write", PAPR_H_PARAMETER, 0, 0,
                  8),
    BAD_DRC_CASES(PAPR_H_SCM_BIND_MEM, "bind", PAPR_H_PARAMETER, 2, 1, ANY, 0),
    BAD_DRC_CASES(PAPR_H_SCM_UNBIND_MEM, "unbind", PAPR_H_PARAMETER, BOUND, 1,
                  0),
    BAD_DRC_CASES(PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, "query-block",
                  PAPR_H_PARAMETER, 0),
    BAD_DRC_CASES(PAPR_H_SCM_HEALTH, "health", PAPR_H_PARAMETER, 0),
    BAD_DRC_CASES(PAPR_H_SCM_PERFORMANCE_STATS, "stats", PAPR_H_PARAMETER, 0,
                  0),
    BAD_DRC_CASES(PAPR_H_SCM_FLUSH, "flush", PAPR_H_PARAMETER, 0),
    { "unbind-all scope DRC, no such DRC", PAPR_H_SCM_UNBIND_ALL,
      { PAPR_H_UNBIND_SCOPE_DRC, DX, 0 }, PAPR_H_P2 },
    { "unbind-all scope DRC, empty DRC", PAPR_H_SCM_UNBIND_ALL,
      { PAPR_H_UNBIND_SCOPE_DRC, DE, 0 }, PAPR_H_P2 },
    { "unbind-all scope DRC, LMB DRC", PAPR_H_SCM_UNBIND_ALL,
      { PAPR_H_UNBIND_SCOPE_DRC, DL, 0 }, PAPR_H_P2 },
    { "unbind-all scope DRC, CPU DRC", PAPR_H_SCM_UNBIND_ALL,
      { PAPR_H_UNBIND_SCOPE_DRC, DC, 0 }, PAPR_H_P2 },
    { "unbind-all scope DRC, unknown type", PAPR_H_SCM_UNBIND_ALL,
      { PAPR_H_UNBIND_SCOPE_DRC, DT, 0 }, PAPR_H_P2 },
    { "unbind-all scope DRC, DRC above 32 bits", PAPR_H_SCM_UNBIND_ALL,
      { PAPR_H_UNBIND_SCOPE_DRC, DH, 0 }, PAPR_H_P2 },

    /* ---- READ_METADATA ---- */
    { "read len 0", PAPR_H_SCM_READ_METADATA, { D0, 0, 0 }, PAPR_H_P3 },
    { "read len 3", PAPR_H_SCM_READ_METADATA, { D0, 0, 3 }, PAPR_H_P3 },
    { "read len 5", PAPR_H_SCM_READ_METADATA, { D0, 0, 5 }, PAPR_H_P3 },
    { "read len 16", PAPR_H_SCM_READ_METADATA, { D0, 0, 16 }, PAPR_H_P3 },
    { "read len -1", PAPR_H_SCM_READ_METADATA, { D0, 0, M1 }, PAPR_H_P3 },
    { "read len bad beats offset bad", PAPR_H_SCM_READ_METADATA,
      { D0, M1, 3 }, PAPR_H_P3 },
    { "read offset = label size", PAPR_H_SCM_READ_METADATA,
      { D0, LABEL, 1 }, PAPR_H_P2 },
    { "read 8 bytes one past the end", PAPR_H_SCM_READ_METADATA,
      { D0, LABEL - 7, 8 }, PAPR_H_P2 },
    { "read 2 bytes at the last byte", PAPR_H_SCM_READ_METADATA,
      { D0, LABEL - 1, 2 }, PAPR_H_P2 },
    { "read offset+len overflows", PAPR_H_SCM_READ_METADATA,
      { D0, M1, 8 }, PAPR_H_P2 },
    { "read offset+len overflows (4)", PAPR_H_SCM_READ_METADATA,
      { D0, M1 - 2, 4 }, PAPR_H_P2 },
    { "read far offset", PAPR_H_SCM_READ_METADATA, { D0, 1ULL << 40, 1 },
     PAPR_H_P2 },

    /* ---- WRITE_METADATA: r4 drc, r5 offset, r6 data, r7 len ---- */
    { "write len 0", PAPR_H_SCM_WRITE_METADATA, { D0, 0, 0, 0 }, PAPR_H_P4 },
    { "write len 3", PAPR_H_SCM_WRITE_METADATA, { D0, 0, 0, 3 }, PAPR_H_P4 },
    { "write len 7", PAPR_H_SCM_WRITE_METADATA, { D0, 0, 0, 7 }, PAPR_H_P4 },
    { "write len 9", PAPR_H_SCM_WRITE_METADATA, { D0, 0, 0, 9 }, PAPR_H_P4 },
    { "write len -1", PAPR_H_SCM_WRITE_METADATA, { D0, 0, 0, M1 }, PAPR_H_P4 },
    { "write offset = label size", PAPR_H_SCM_WRITE_METADATA,
      { D0, LABEL, 0, 1 }, PAPR_H_P2 },
    { "write 8 bytes half past the end", PAPR_H_SCM_WRITE_METADATA,
      { D0, LABEL - 4, 0, 8 }, PAPR_H_P2 },
    { "write offset+len overflows", PAPR_H_SCM_WRITE_METADATA,
      { D0, M1 - 1, 0, 2 }, PAPR_H_P2 },
    { "write 1 byte, data 0x100", PAPR_H_SCM_WRITE_METADATA,
      { D0, 0, 0x100, 1 }, PAPR_H_P2 },
    { "write 2 bytes, data 0x10000", PAPR_H_SCM_WRITE_METADATA,
      { D0, 0, 0x10000, 2 }, PAPR_H_P2 },
    { "write 4 bytes, data 1<<32", PAPR_H_SCM_WRITE_METADATA,
      { D0, 0, 1ULL << 32, 4 }, PAPR_H_P2 },
    { "write 1 byte, data -1", PAPR_H_SCM_WRITE_METADATA,
      { D0, 0, M1, 1 }, PAPR_H_P2 },
    { "write to a read-only device", PAPR_H_SCM_WRITE_METADATA,
      { D2, 0, 1, 1 }, PAPR_H_P2 },
    { "write bad len to a read-only device", PAPR_H_SCM_WRITE_METADATA,
      { D2, 0, 1, 3 }, PAPR_H_P4 },

    /* ---- BIND_MEM: drc, start, count, target, token ---- */
    { "bind start = nr blocks", PAPR_H_SCM_BIND_MEM, { D0, 4, 1, ANY, 0 },
     PAPR_H_P2 },
    { "bind start huge", PAPR_H_SCM_BIND_MEM, { D0, M1, 1, ANY, 0 },
     PAPR_H_P2 },
    { "bind count 0", PAPR_H_SCM_BIND_MEM, { D0, 2, 0, ANY, 0 }, PAPR_H_P3 },
    { "bind count past the end", PAPR_H_SCM_BIND_MEM, { D0, 2, 3, ANY, 0 },
      PAPR_H_P3 },
    { "bind start+count overflows", PAPR_H_SCM_BIND_MEM,
      { D0, 3, M1, ANY, 0 }, PAPR_H_P3 },
    { "bind count > device", PAPR_H_SCM_BIND_MEM, { D0, 0, 5, ANY, 0 },
     PAPR_H_P3 },
    { "bind target unaligned (4 KiB)", PAPR_H_SCM_BIND_MEM,
      { D0, 2, 1, 128 * GIB + 4096, 0 }, PAPR_H_P4 },
    { "bind target unaligned (1)", PAPR_H_SCM_BIND_MEM, { D0, 2, 1, 1, 0 },
      PAPR_H_P4 },
    { "bind target wraps", PAPR_H_SCM_BIND_MEM,
      { D0, 2, 2, 0xfffffffff0000000ULL, 0 }, PAPR_H_P4 },
    { "bind token never issued", PAPR_H_SCM_BIND_MEM, { D0, 2, 1, ANY, 5 },
      PAPR_H_P5 },
    { "bind token 1", PAPR_H_SCM_BIND_MEM, { D0, 2, 1, ANY, 1 }, PAPR_H_P5 },
    { "bind token -1", PAPR_H_SCM_BIND_MEM, { D0, 2, 1, ANY, M1 }, PAPR_H_P5 },
    { "bind over RAM at 0", PAPR_H_SCM_BIND_MEM, { D0, 2, 1, 0, 0 },
     PAPR_H_OVERLAP },
    { "bind over RAM at 512 MiB", PAPR_H_SCM_BIND_MEM,
      { D0, 2, 2, 512 * MIB, 0 }, PAPR_H_OVERLAP },
    { "bind straddling the end of RAM", PAPR_H_SCM_BIND_MEM,
      { D0, 2, 2, 768 * MIB, 0 }, PAPR_H_OVERLAP },
    { "bind onto another binding", PAPR_H_SCM_BIND_MEM,
      { D0, 2, 2, BOUND, 0 }, PAPR_H_OVERLAP },
    { "bind onto the tail of a binding", PAPR_H_SCM_BIND_MEM,
      { D0, 2, 2, BOUND + BLK, 0 }, PAPR_H_OVERLAP },
    { "bind another DRC onto a binding", PAPR_H_SCM_BIND_MEM,
      { D1, 0, 1, BOUND, 0 }, PAPR_H_OVERLAP },
    { "bind blocks already bound", PAPR_H_SCM_BIND_MEM, { D0, 0, 2, ANY, 0 },
      PAPR_H_OVERLAP },
    { "bind blocks partly bound", PAPR_H_SCM_BIND_MEM, { D0, 1, 2, ANY, 0 },
      PAPR_H_OVERLAP },

    /* ---- UNBIND_MEM: drc, address, count, token ---- */
    { "unbind address unaligned (1)", PAPR_H_SCM_UNBIND_MEM,
      { D0, BOUND + 1, 1, 0 }, PAPR_H_P2 },
    { "unbind address unaligned (4 KiB)", PAPR_H_SCM_UNBIND_MEM,
      { D0, 4096, 1, 0 }, PAPR_H_P2 },
    { "unbind count 0", PAPR_H_SCM_UNBIND_MEM, { D0, BOUND, 0, 0 },
     PAPR_H_P3 },
    { "unbind count * block size overflows", PAPR_H_SCM_UNBIND_MEM,
      { D0, BOUND, 1ULL << 40, 0 }, PAPR_H_P3 },
    { "unbind range wraps", PAPR_H_SCM_UNBIND_MEM,
      { D0, 0xfffffffff0000000ULL, 2, 0 }, PAPR_H_P3 },
    { "unbind range goes past the binding", PAPR_H_SCM_UNBIND_MEM,
      { D0, BOUND, 3, 0 }, PAPR_H_P3 },
    { "unbind range starts before the binding", PAPR_H_SCM_UNBIND_MEM,
      { D0, BOUND - BLK, 2, 0 }, PAPR_H_P3 },
    { "unbind RAM", PAPR_H_SCM_UNBIND_MEM, { D0, 0, 1, 0 }, PAPR_H_NOT_FOUND },
    { "unbind an unbound address", PAPR_H_SCM_UNBIND_MEM,
      { D0, 128 * GIB, 1, 0 }, PAPR_H_NOT_FOUND },
    { "unbind another DRC's binding", PAPR_H_SCM_UNBIND_MEM,
      { D1, BOUND, 1, 0 }, PAPR_H_NOT_FOUND },
    { "unbind token never issued", PAPR_H_SCM_UNBIND_MEM,
      { D0, BOUND, 1, 7 }, PAPR_H_P4 },
    { "unbind token -1", PAPR_H_SCM_UNBIND_MEM, { D0, BOUND, 1, M1 },
     PAPR_H_P4 },

    /* ---- QUERY_BLOCK_MEM_BINDING: drc, block ---- */
    { "query-block block = nr blocks", PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING,
      { D0, 4 }, PAPR_H_P2 },
    { "query-block block -1", PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING,
      { D0, M1 }, PAPR_H_P2 },
    { "query-block unbound block", PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING,
      { D0, 2 }, PAPR_H_NOT_FOUND },
    { "query-block unbound device", PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING,
      { D1, 0 }, PAPR_H_NOT_FOUND },

    /* ---- QUERY_LOGICAL_MEM_BINDING: address ---- */
    { "query-logical RAM", PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING, { 0 },
      PAPR_H_NOT_FOUND },
    { "query-logical just past a binding",
     PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING,
      { BOUND + 2 * BLK }, PAPR_H_NOT_FOUND },
    { "query-logical just before a binding",
      PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING, { BOUND - 1 }, PAPR_H_NOT_FOUND },
    { "query-logical -1", PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING, { M1 },
      PAPR_H_NOT_FOUND },
    { "query-logical nothing there", PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING,
      { 1ULL << 50 }, PAPR_H_NOT_FOUND },

    /* ---- UNBIND_ALL: scope, drc, token ---- */
    { "unbind-all scope 0", PAPR_H_SCM_UNBIND_ALL, { 0, D0, 0 },
     PAPR_H_PARAMETER },
    { "unbind-all scope 3", PAPR_H_SCM_UNBIND_ALL, { 3, D0, 0 },
     PAPR_H_PARAMETER },
    { "unbind-all scope -1", PAPR_H_SCM_UNBIND_ALL, { M1, D0, 0 },
     PAPR_H_PARAMETER },
    { "unbind-all bad scope beats bad token", PAPR_H_SCM_UNBIND_ALL,
      { 4, D0, 9 }, PAPR_H_PARAMETER },
    { "unbind-all scope DRC, token never issued", PAPR_H_SCM_UNBIND_ALL,
      { PAPR_H_UNBIND_SCOPE_DRC, D0, 9 }, PAPR_H_P4 },
    { "unbind-all scope ALL, token never issued", PAPR_H_SCM_UNBIND_ALL,
      { PAPR_H_UNBIND_SCOPE_ALL, 0, 9 }, PAPR_H_P4 },
    { "unbind-all scope ALL, token -1", PAPR_H_SCM_UNBIND_ALL,
      { PAPR_H_UNBIND_SCOPE_ALL, 0, M1 }, PAPR_H_P4 },

    /* ---- PERFORMANCE_STATS: drc, buffer, size ---- */
    { "stats size 1", PAPR_H_SCM_PERFORMANCE_STATS, { D0, 0x1000, 1 },
     PAPR_H_P3 },
    { "stats size 8", PAPR_H_SCM_PERFORMANCE_STATS, { D0, 0x1000, 8 },
     PAPR_H_P3 },
    { "stats size 15", PAPR_H_SCM_PERFORMANCE_STATS, { D0, 0x1000, 15 },
     PAPR_H_P3 },
    { "stats buffer beyond RAM", PAPR_H_SCM_PERFORMANCE_STATS,
      { D0, 2 * GIB, 16 }, PAPR_H_P2 },
    { "stats header straddles the end of RAM", PAPR_H_SCM_PERFORMANCE_STATS,
      { D0, GIB - 8, 16 }, PAPR_H_P2 },
    { "stats buffer wraps", PAPR_H_SCM_PERFORMANCE_STATS,
      { D0, M1 - 7, 16 }, PAPR_H_P2 },
    { "stats buffer in bound nvdimm memory is fine, but header bad",
      PAPR_H_SCM_PERFORMANCE_STATS, { D0, BOUND, 16 }, PAPR_H_P2 },
    { "stats bad eye-catcher", PAPR_H_SCM_PERFORMANCE_STATS,
      { D0, 0x2000, 4096 }, PAPR_H_P2 },
    { "stats bad version", PAPR_H_SCM_PERFORMANCE_STATS,
      { D0, 0x3000, 4096 }, PAPR_H_P2 },
    { "stats 2 ids, room for 1", PAPR_H_SCM_PERFORMANCE_STATS,
      { D0, 0x4000, 32 }, PAPR_H_P3 },
    { "stats all, buffer too small", PAPR_H_SCM_PERFORMANCE_STATS,
      { D0, 0x1000, 100 }, PAPR_H_P3 },
    { "stats too many ids", PAPR_H_SCM_PERFORMANCE_STATS,
      { D0, 0x6000, 1ULL << 20 }, PAPR_H_P3 },
    { "stats entries run past RAM", PAPR_H_SCM_PERFORMANCE_STATS,
      { D0, GIB - 16, 4096 }, PAPR_H_P2 },
    { "stats unknown id", PAPR_H_SCM_PERFORMANCE_STATS,
      { D0, 0x7000, 4096 }, PAPR_H_PARTIAL },

    /* ---- FLUSH: drc, token ---- */
    { "flush RAM backend", PAPR_H_SCM_FLUSH, { D0, 0 }, PAPR_H_UNSUPPORTED },
    { "flush RAM backend, token", PAPR_H_SCM_FLUSH, { D0, 5 }, PAPR_H_P2 },
    { "flush token never issued", PAPR_H_SCM_FLUSH, { D1, 12345 }, PAPR_H_P2 },
    { "flush token -1", PAPR_H_SCM_FLUSH, { D1, M1 }, PAPR_H_P2 },
};

static char *file_a, *file_b;

static void put_stats_header(SpaprMachine *m, uint64_t gpa,
                             const char *eye, uint32_t version,
                             uint32_t count)
{
    g_assert_true(spapr_guest_write(m, gpa, eye, 8));
    g_assert_true(spapr_guest_stl_be(m, gpa + 8, version));
    g_assert_true(spapr_guest_stl_be(m, gpa + 12, count));
}

static SpaprMachine *fixture(void)
{
    SpaprMachine *m = scm_machine(GIB);
    SpaprNvdimmConfig ro = {
        .id = "nv2", .mem_path = file_b, .size = BLK + LABEL,
        .label_size = LABEL, .slot = 2, .readonly = true,
    };
    uint64_t gpa;
    unsigned int calls;
    GError *err = NULL;

    scm_nvdimm_new(m, "nv0", NULL, 4, 0);
    scm_nvdimm_new(m, "nv1", file_a, 1, 1);
    g_assert_nonnull(spapr_nvdimm_create(m, &ro, &err));
    g_assert_no_error(err);
    g_assert_nonnull(papr_drc_new(spapr_machine_drcs(m),
                                   PAPR_DRC_TYPE_PMEM, 5, &err));
    g_assert_nonnull(papr_drc_new(spapr_machine_drcs(m),
                                   PAPR_DRC_TYPE_LMB, 0, &err));
    g_assert_nonnull(papr_drc_new(spapr_machine_drcs(m),
                                   PAPR_DRC_TYPE_CPU, 0, &err));
    g_assert_cmpint(scm_bind_all(m, D0, 0, 2, BOUND, &gpa, &calls), ==,
                    PAPR_H_SUCCESS);
    put_stats_header(m, 0x1000, "SCMSTATS", 1, 0);
    put_stats_header(m, 0x2000, "SCMSTATX", 1, 0);
    put_stats_header(m, 0x3000, "SCMSTATS", 2, 0);
    put_stats_header(m, 0x4000, "SCMSTATS", 1, 2);
    put_stats_header(m, 0x6000, "SCMSTATS", 1, 5000);
    put_stats_header(m, 0x7000, "SCMSTATS", 1, 2);
    g_assert_true(spapr_guest_write(m, 0x7010, "PonSecs ", 8));
    g_assert_true(spapr_guest_write(m, 0x7020, "NoSuchId", 8));
    put_stats_header(m, GIB - 16, "SCMSTATS", 1, 0);
    return m;
}

static void run_case(gconstpointer data)
{
    const BadCase *c = data;
    SpaprMachine *m = fixture();
    SpaprNvdimm *nv0 = spapr_nvdimm_find(m, "nv0");
    uint64_t out[9];
    uint64_t label0, label1;
    int64_t rc;

    g_test_message("%s", c->name);
    label0 = *(uint64_t *)(nv0->host + nv0->data_size);
    rc = scm_call(m, c->opcode, c->args[0], c->args[1], c->args[2],
                  c->args[3], c->args[4], out);
    g_assert_cmpint(rc, ==, c->expect);
    if (c->expect == PAPR_H_PARTIAL) {
        g_assert_cmphex(out[0], ==, 0x4e6f537563684964ULL);  /* NoSuchId */
    }
    /* A refused call changed nothing */
    g_assert_cmpuint(spapr_nvdimm_bound_blocks_(nv0), ==, 2);
    g_assert_cmpuint(spapr_memmap_count(spapr_machine_memmap(m)), ==, 2);
    label1 = *(uint64_t *)(nv0->host + nv0->data_size);
    g_assert_cmphex(label0, ==, label1);
    spapr_machine_free(m);
}

int main(int argc, char **argv)
{
    g_autofree char *dir = g_dir_make_tmp("test-scm-bad-XXXXXX", NULL);
    SpaprMachine *m;
    size_t i;
    int ret;

    g_test_init(&argc, &argv, NULL);
    file_a = g_build_filename(dir, "a.img", NULL);
    file_b = g_build_filename(dir, "b.img", NULL);
    /* The read-only device needs an existing backend */
    m = scm_machine(0);
    scm_nvdimm_new(m, "mk", file_b, 1, 0);
    spapr_machine_free(m);

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/scm-bad/%03zu", i);

        g_test_add_data_func(path, &cases[i], run_case);
    }
    g_test_message("%zu bad-input cases", G_N_ELEMENTS(cases));
    ret = g_test_run();
    scm_remove_backend(file_a);
    scm_remove_backend(file_b);
    g_free(file_a);
    g_free(file_b);
    return ret;
}
