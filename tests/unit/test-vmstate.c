/*
 * spapr-hcall: machine state save/load (what QEMU migrates)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A source machine with two NVDIMMs gets bindings, a bind left half done,
 * health bits, label writes, statistics and flush tokens; its state is
 * loaded into a destination that created the same NVDIMMs in the other
 * order, which must then answer the guest exactly as the source would.
 * Every mismatch and every malformed stream is refused with the
 * destination unchanged.
 */
#include "scm-test-util.h"

#define BLOCKS 4

typedef struct Pair {
    char *path[2];
    SpaprMachine *m;
    SpaprNvdimm *nv[2];
} Pair;

/* Two NVDIMMs in slots 0 and 1, created in @order. */
static void pair_new(Pair *p, const char *tag, bool reversed,
                     uint64_t blocks1, bool flush1)
{
    int i;

    p->m = scm_machine(1 * GIB);
    for (i = 0; i < 2; i++) {
        g_autofree char *name = g_strdup_printf("%s%d.img", tag, i);

        p->path[i] = scm_tmp_path(name);
    }
    for (i = 0; i < 2; i++) {
        int k = reversed ? 1 - i : i;
        g_autofree char *id = g_strdup_printf("nv%d", k);
        SpaprNvdimmConfig cfg = {
            .id = id, .mem_path = p->path[k],
            .size = (k ? blocks1 : BLOCKS) * BLK + LABEL,
            .label_size = LABEL, .slot = k,
            .hcall_flush = k ? flush1 : true,
        };
        GError *err = NULL;

        p->nv[k] = spapr_nvdimm_create(p->m, &cfg, &err);
        g_assert_no_error(err);
    }
}

static void pair_free(Pair *p)
{
    int i;

    spapr_machine_free(p->m);
    for (i = 0; i < 2; i++) {
        scm_remove_backend(p->path[i]);
        g_free(p->path[i]);
    }
}

/* Per-opcode counters, as the dispatcher reports them. */
static char *observe_stats(SpaprMachine *m)
{
    GString *s = g_string_new(NULL);
    g_autoptr(GArray) st = spapr_hcall_stats(m);
    guint i;

    for (i = 0; i < st->len; i++) {
        SpaprHcallStats *r = &g_array_index(st, SpaprHcallStats, i);

        g_string_append_printf(s, "%" PRIx64 ":%" PRIu64 "/%" PRIu64 " ",
                               r->opcode, r->calls, r->errors);
    }
    return g_string_free(s, FALSE);
}

/* What the guest can ask: every block's address, the health bits. */
static char *observe_queries(SpaprMachine *m)
{
    GString *s = g_string_new(NULL);
    uint64_t out[9];
    unsigned int d, b;

    for (d = 0; d < 2; d++) {
        for (b = 0; b < BLOCKS; b++) {
            int64_t rc = scm_call(m, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING,
                                  DRC(d), b, 0, 0, 0, out);

            g_string_append_printf(s, "drc%u.%u=%" PRId64 ":%" PRIx64 " ",
                                   d, b, rc, rc == PAPR_H_SUCCESS ? out[0]
                                   : 0);
        }
        memset(out, 0, sizeof(out));
        g_string_append_printf(s, "health=%" PRId64 ":",
                               scm_call(m, PAPR_H_SCM_HEALTH, DRC(d), 0, 0, 0,
                                        0, out));
        g_string_append_printf(s, "%" PRIx64 "/%" PRIx64 "\n", out[0],
                               out[1]);
    }
    return g_string_free(s, FALSE);
}

/* Statistics first: the queries are counted too. */
static char *observe(SpaprMachine *m)
{
    g_autofree char *st = observe_stats(m);
    g_autofree char *q = observe_queries(m);

    return g_strconcat(st, "\n", q, NULL);
}

static GByteArray *source_state(Pair *src, uint64_t *gpa0,
                                uint64_t *bind_token, uint64_t *flush_tok)
{
    uint64_t out[9], v;
    unsigned int calls;
    int64_t rc;

    /* nv0: all blocks at an address the hypervisor chose */
    g_assert_cmpint(scm_bind_all(src->m, DRC(0), 0, BLOCKS, UINT64_MAX,
                                 gpa0, &calls), ==, PAPR_H_SUCCESS);
    /* nv1: a bind of 3 blocks, one per call, stopped after the first */
    src->nv[1]->bind_chunk_blocks = 1;
    rc = scm_call(src->m, PAPR_H_SCM_BIND_MEM, DRC(1), 1, 3, UINT64_MAX, 0,
                  out);
    g_assert_cmpint(rc, ==, PAPR_H_BUSY);
    *bind_token = out[0];
    /* Health, labels, a bad call for the error counters */
    spapr_nvdimm_set_health(src->nv[1], PAPR_PPC_BIT(1) | PAPR_PPC_BIT(4),
                            PAPR_PPC_BIT(1) | PAPR_PPC_BIT(4));
    g_assert_cmpint(scm_call(src->m, PAPR_H_SCM_WRITE_METADATA, DRC(0), 64,
                             0xfeedULL, 2, 0, NULL), ==, PAPR_H_SUCCESS);
    g_assert_cmpint(scm_call(src->m, PAPR_H_SCM_READ_METADATA, DRC(0), 64, 2,
                             0, 0, out), ==, PAPR_H_SUCCESS);
    g_assert_cmpint(scm_call(src->m, PAPR_H_SCM_BIND_MEM, DRC(7), 0, 1, 0, 0,
                             NULL), ==, PAPR_H_PARAMETER);
    /* A flush the guest has not collected: never answered in the call */
    spapr_nvdimm_flush_set_fast_wait_(src->nv[0]->flush, 0);
    rc = scm_call(src->m, PAPR_H_SCM_FLUSH, DRC(0), 0, 0, 0, 0, out);
    g_assert_true(rc == PAPR_H_BUSY || PAPR_H_IS_LONG_BUSY(rc));
    *flush_tok = out[0];
    g_assert_cmpuint(*flush_tok, !=, 0);
    /* Data is the backend's, not the state's */
    g_assert_true(spapr_guest_stq_be(src->m, *gpa0 + 8, 0x1234));
    g_assert_true(spapr_guest_ldq_be(src->m, *gpa0 + 8, &v));
    return spapr_machine_save_state(src->m);
}

static void test_roundtrip(void)
{
    Pair src, dst;
    g_autoptr(GByteArray) st = NULL;
    g_autofree char *seen_src = NULL, *seen_dst = NULL;
    uint64_t gpa0, tok, ftok, out[9], v;
    GError *err = NULL;
    bool known;
    int64_t rc;
    int polls;

    pair_new(&src, "s", false, BLOCKS, true);
    st = source_state(&src, &gpa0, &tok, &ftok);
    g_assert_cmpuint(st->len, >, 0);

    pair_new(&dst, "d", true, BLOCKS, true);
    g_assert_true(spapr_machine_load_state(dst.m, st->data, st->len, &err));
    g_assert_no_error(err);

    seen_src = observe(src.m);
    seen_dst = observe(dst.m);
    g_assert_cmpstr(seen_dst, ==, seen_src);
    /* The label write counted on the source is still counted */
    g_assert_cmpuint(spapr_nvdimm_stat_value_(dst.nv[0], "MedWCnt ",
                                             &known), ==, 1);
    g_assert_true(spapr_nvdimm_get_stat(dst.nv[1], "blocks-bound", &v));
    g_assert_cmpuint(v, ==, 1);
    /* The guest read the source's UUIDs from its device tree */
    g_assert_cmpstr(spapr_nvdimm_uuid(dst.nv[0]), ==,
                    spapr_nvdimm_uuid(src.nv[0]));
    g_assert_cmpstr(spapr_nvdimm_uuid(dst.nv[1]), ==,
                    spapr_nvdimm_uuid(src.nv[1]));

    /* The bound range is mapped again at the same address */
    g_assert_true(spapr_guest_stq_be(dst.m, gpa0 + 16, 0xabcdef));
    g_assert_true(spapr_guest_ldq_be(dst.m, gpa0 + 16, &v));
    g_assert_cmphex(v, ==, 0xabcdef);
    g_assert_cmphex(dst.nv[0]->host[16 + 7], ==, 0xef);

    /* The half-done bind goes on with the source's token */
    dst.nv[1]->bind_chunk_blocks = 1;
    rc = scm_call(dst.m, PAPR_H_SCM_BIND_MEM, DRC(1), 1, 3, UINT64_MAX, tok,
                  out);
    g_assert_cmpint(rc, ==, PAPR_H_BUSY);
    rc = scm_call(dst.m, PAPR_H_SCM_BIND_MEM, DRC(1), 1, 3, UINT64_MAX, out[0],
                  out);
    g_assert_cmpint(rc, ==, PAPR_H_SUCCESS);
    g_assert_cmpuint(out[2], ==, 3);
    g_assert_cmpuint(spapr_nvdimm_bound_blocks_(dst.nv[1]), ==, 3);

    /* The guest's flush token completes on the destination */
    polls = 0;
    do {
        rc = scm_call(dst.m, PAPR_H_SCM_FLUSH, DRC(0), ftok, 0, 0, 0, out);
        if (rc != PAPR_H_SUCCESS) {
            g_assert_true(rc == PAPR_H_BUSY || PAPR_H_IS_LONG_BUSY(rc));
            g_assert_cmpuint(out[0], ==, ftok);
            g_usleep(1000);
        }
    } while (rc != PAPR_H_SUCCESS && ++polls < 5000);
    g_assert_cmpint(rc, ==, PAPR_H_SUCCESS);
    /* ...once: the token is gone afterwards */
    g_assert_cmpint(scm_call(dst.m, PAPR_H_SCM_FLUSH, DRC(0), ftok, 0, 0, 0,
                             out), ==, PAPR_H_P2);
    /* New tokens do not reuse the source's */
    rc = scm_call(dst.m, PAPR_H_SCM_FLUSH, DRC(0), 0, 0, 0, 0, out);
    if (rc != PAPR_H_SUCCESS) {
        g_assert_cmpuint(out[0], !=, ftok);
    }

    pair_free(&src);
    pair_free(&dst);
}

/* A refused load leaves the destination exactly as it was. */
static void assert_refused(SpaprMachine *m, const void *buf, size_t len,
                           const char *msg_part)
{
    g_autofree char *q_before = observe_queries(m);
    g_autofree char *st_before = observe_stats(m);
    g_autofree char *st_after = NULL, *q_after = NULL;
    GError *err = NULL;

    g_assert_false(spapr_machine_load_state(m, buf, len, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    if (msg_part && !strstr(err->message, msg_part)) {
        g_error("'%s' does not say '%s'", err->message, msg_part);
    }
    g_clear_error(&err);
    st_after = observe_stats(m);
    q_after = observe_queries(m);
    g_assert_cmpstr(st_after, ==, st_before);
    g_assert_cmpstr(q_after, ==, q_before);
}

static void test_mismatch(void)
{
    Pair src, dst;
    g_autoptr(GByteArray) st = NULL;
    uint64_t gpa0, tok, ftok, gpa;
    unsigned int calls;
    GError *err = NULL;

    pair_new(&src, "s", false, BLOCKS, true);
    st = source_state(&src, &gpa0, &tok, &ftok);

    /* Another geometry */
    pair_new(&dst, "g", false, BLOCKS + 1, true);
    g_assert_cmpint(scm_bind_all(dst.m, DRC(0), 0, 1, UINT64_MAX, &gpa,
                                 &calls), ==, PAPR_H_SUCCESS);
    assert_refused(dst.m, st->data, st->len, "blocks");
    pair_free(&dst);

    /* A flush rule the guest did not see */
    pair_new(&dst, "f", false, BLOCKS, false);
    assert_refused(dst.m, st->data, st->len, "hcall-flush-required");
    pair_free(&dst);

    /* One NVDIMM missing here */
    {
        SpaprMachine *m = scm_machine(1 * GIB);
        g_autofree char *p = scm_tmp_path("one.img");

        scm_nvdimm_new(m, "nv0", p, BLOCKS, 0);
        assert_refused(m, st->data, st->len, "this machine does not");
        /* ...or one more here than on the source */
        scm_nvdimm_new(m, "nv1", NULL, BLOCKS, 1);
        scm_nvdimm_new(m, "nv2", NULL, BLOCKS, 2);
        g_assert_false(spapr_machine_load_state(m, st->data, st->len,
                                                &err));
        g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
        g_clear_error(&err);
        spapr_machine_free(m);
        scm_remove_backend(p);
    }

    /* No SCM hcalls here: the guest would lose calls it was using */
    {
        SpaprMachineConfig cfg = { .ram_size = 1 * GIB };
        SpaprMachine *m = spapr_machine_new(&cfg, &err);

        g_assert_false(spapr_machine_load_state(m, st->data, st->len,
                                                &err));
        g_assert_nonnull(strstr(err->message, "serves hcall"));
        g_clear_error(&err);
        spapr_machine_free(m);
    }
    pair_free(&src);
}

static void test_malformed(void)
{
    Pair src, dst;
    g_autoptr(GByteArray) st = NULL;
    g_autofree uint8_t *buf = NULL;
    uint64_t gpa0, tok, ftok;
    GRand *rnd = g_rand_new_with_seed(42);
    GError *err = NULL;
    size_t len, i;

    pair_new(&src, "s", false, BLOCKS, true);
    st = source_state(&src, &gpa0, &tok, &ftok);
    pair_new(&dst, "m", false, BLOCKS, true);

    /* Every truncation */
    for (len = 0; len < st->len; len++) {
        assert_refused(dst.m, st->data, len, NULL);
    }
    /* A newer version */
    buf = g_memdup2(st->data, st->len);
    buf[11]++;
    assert_refused(dst.m, buf, st->len, "newer");
    buf[11]--;
    /* Trailing garbage */
    {
        g_autofree uint8_t *longer = g_malloc0(st->len + 1);

        memcpy(longer, st->data, st->len);
        assert_refused(dst.m, longer, st->len + 1, NULL);
    }
    /* Random corruption: refused or accepted, never a crash or a hang */
    for (i = 0; i < 2000; i++) {
        size_t at = g_rand_int_range(rnd, 0, st->len);
        uint8_t old = buf[at];

        buf[at] ^= 1u << g_rand_int_range(rnd, 0, 8);
        if (!spapr_machine_load_state(dst.m, buf, st->len, &err)) {
            /*
             * A flipped binding address that hits another device's
             * current binding is only found by the map (vmstate.h: the
             * host's error, state partly applied)
             */
            if (!g_error_matches(err, SPAPR_ERROR, SPAPR_ERROR_OVERLAP)) {
                g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
            }
            g_clear_error(&err);
        }
        buf[at] = old;
    }
    /* Still loads the genuine stream afterwards */
    g_assert_true(spapr_machine_load_state(dst.m, st->data, st->len, &err));
    g_assert_no_error(err);
    g_rand_free(rnd);
    pair_free(&src);
    pair_free(&dst);
}

/* Bytes the injected faults append to an NVDIMM record. */
#define FAULT_TRAILER   (3 * 8 + 4 + 4 + SPAPR_NVDIMM_OP__MAX * 8)

/*
 * @st as a source without fault injection wrote it: the trailer cut off
 * every NVDIMM record and its length fixed up.
 */
static GByteArray *strip_fault_trailers(const GByteArray *st)
{
    GByteArray *w = g_byte_array_new();
    static const char type[] = "\0\0\0\x0c" SPAPR_NVDIMM_TYPE;
    size_t pos = 0, tl = sizeof(type) - 1;
    unsigned int found = 0;

    while (pos < st->len) {
        if (pos + tl + 8 <= st->len && !memcmp(st->data + pos, type, tl)) {
            const uint8_t *p = st->data + pos + tl + 4;
            uint32_t len = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 |
                           p[3];
            uint32_t be = GUINT32_TO_BE(len - FAULT_TRAILER);

            g_byte_array_append(w, st->data + pos, tl + 4);
            g_byte_array_append(w, (const guint8 *)&be, 4);
            g_byte_array_append(w, p + 4, len - FAULT_TRAILER);
            pos += tl + 8 + len;
            found++;
            continue;
        }
        g_byte_array_append(w, st->data + pos, 1);
        pos++;
    }
    g_assert_cmpuint(found, ==, 2);
    return w;
}

/*
 * Injected state the guest can observe travels: the health valid mask,
 * MemLife / CritRscU, a failing PERFORMANCE_STATS, and the forced answers
 * still owed, call for call.  A record from a source without fault
 * injection loads with nothing injected.
 */
static void test_faults(void)
{
    Pair src, dst;
    g_autoptr(GByteArray) st = NULL;
    g_autoptr(GByteArray) old = NULL;
    uint64_t out[9], v;
    GError *err = NULL;
    int64_t status;
    int i;

    pair_new(&src, "fs", false, BLOCKS, true);
    spapr_nvdimm_set_health(src.nv[0], PAPR_PPC_BIT(10) | PAPR_PPC_BIT(7),
                            ~0ULL);
    spapr_nvdimm_set_health_valid(src.nv[0], PAPR_PPC_BIT(7)
                                  | PAPR_PPC_BIT(10));
    g_assert_true(spapr_nvdimm_set_mem_life(src.nv[0], 42, NULL));
    g_assert_true(spapr_nvdimm_set_crit_rsc_util(src.nv[0], 9, NULL));
    spapr_nvdimm_set_stats_fault(src.nv[1], SPAPR_NVDIMM_STATS_AUTHORITY);
    g_assert_true(spapr_nvdimm_inject_status(src.nv[0],
                                             SPAPR_NVDIMM_OP_FLUSH,
                                             PAPR_H_HARDWARE, 3, NULL));
    g_assert_true(spapr_nvdimm_inject_status(src.nv[1], SPAPR_NVDIMM_OP_BIND,
                                             PAPR_H_LONG_BUSY_ORDER_10_MSEC, 2,
                                             NULL));
    /* One of the three failed flushes is served on the source */
    g_assert_cmpint(scm_call(src.m, PAPR_H_SCM_FLUSH, DRC(0), 0, 0, 0, 0, out),
                    ==, PAPR_H_HARDWARE);
    st = spapr_machine_save_state(src.m);

    pair_new(&dst, "fd", true, BLOCKS, true);
    g_assert_true(spapr_machine_load_state(dst.m, st->data, st->len, &err));
    g_assert_no_error(err);
    g_assert_cmpint(scm_call(dst.m, PAPR_H_SCM_HEALTH, DRC(0), 0, 0, 0, 0,
                             out),
                    ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, PAPR_PPC_BIT(7) | PAPR_PPC_BIT(10));
    g_assert_cmphex(out[1], ==, PAPR_PPC_BIT(7) | PAPR_PPC_BIT(10));
    g_assert_true(spapr_nvdimm_get_stat(dst.nv[0], "MemLife", &v));
    g_assert_cmpuint(v, ==, 42);
    g_assert_true(spapr_nvdimm_get_stat(dst.nv[0], "CritRscU", &v));
    g_assert_cmpuint(v, ==, 9);
    g_assert_cmpint(scm_call(dst.m, PAPR_H_SCM_PERFORMANCE_STATS, DRC(1), 0, 0,
                             0, 0, out), ==, PAPR_H_AUTHORITY);
    for (i = 0; i < 2; i++) {
        g_assert_cmpint(scm_call(dst.m, PAPR_H_SCM_FLUSH, DRC(0), 0, 0, 0, 0,
                                 out), ==, PAPR_H_HARDWARE);
        g_assert_cmpint(scm_call(dst.m, PAPR_H_SCM_BIND_MEM, DRC(1), 0, 1,
                                 UINT64_MAX, 0, out), ==,
                        PAPR_H_LONG_BUSY_ORDER_10_MSEC);
    }
    g_assert_cmpuint(spapr_nvdimm_injected_status(dst.nv[0],
                                                  SPAPR_NVDIMM_OP_FLUSH,
                                                  &status), ==, 0);
    g_assert_cmpint(scm_call(dst.m, PAPR_H_SCM_BIND_MEM, DRC(1), 0, 1,
                             UINT64_MAX, 0, out), ==, PAPR_H_SUCCESS);

    /* An older source's records: the destination's injections go */
    old = strip_fault_trailers(st);
    g_assert_cmpuint(old->len, ==, st->len - 2 * FAULT_TRAILER);
    spapr_nvdimm_set_stats_fault(dst.nv[0], SPAPR_NVDIMM_STATS_UNSUPPORTED);
    g_assert_true(spapr_machine_load_state(dst.m, old->data, old->len,
                                           &err));
    g_assert_no_error(err);
    g_assert_cmpint(scm_call(dst.m, PAPR_H_SCM_HEALTH, DRC(0), 0, 0, 0, 0,
                             out),
                    ==, PAPR_H_SUCCESS);
    g_assert_cmphex(out[0], ==, PAPR_PPC_BIT(7));
    g_assert_cmphex(out[1], ==, SPAPR_NVDIMM_HEALTH_VALID_DEFAULT);
    g_assert_cmpuint(spapr_nvdimm_mem_life(dst.nv[0]), ==, 100);
    g_assert_cmpint(spapr_nvdimm_stats_fault(dst.nv[0]), ==,
                    SPAPR_NVDIMM_STATS_OK);
    g_assert_cmpuint(spapr_nvdimm_injected_status(dst.nv[1],
                                                  SPAPR_NVDIMM_OP_BIND,
                                                  NULL), ==, 0);

    /* Impossible injected values are refused, the destination unchanged */
    {
        g_autofree uint8_t *bad = g_memdup2(st->data, st->len);
        /* valid mask bits 7 and 10, then MemLife 42 */
        static const uint8_t pat[16] = {
            0x01, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42,
        };
        size_t at;

        for (at = 0; at + 16 <= st->len; at++) {
            if (!memcmp(bad + at, pat, 16)) {
                break;
            }
        }
        g_assert_cmpuint(at + 16, <=, st->len);
        bad[at + 15] = 101;
        assert_refused(dst.m, bad, st->len, "injected");
    }
    pair_free(&src);
    pair_free(&dst);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vmstate/roundtrip", test_roundtrip);
    g_test_add_func("/vmstate/mismatch", test_mismatch);
    g_test_add_func("/vmstate/malformed", test_malformed);
    g_test_add_func("/vmstate/faults", test_faults);
    return g_test_run();
}
