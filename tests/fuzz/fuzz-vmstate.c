/*
 * Fuzz target: the machine state stream a migration source sends
 * (spapr_machine_load_state), which the destination must treat as
 * untrusted input.  Input byte 0 picks the mode: even, the rest is a
 * stream body behind a valid header; odd, the rest is (offset, xor)
 * pairs applied to a genuine stream with bindings, a bind in progress
 * and flush tokens.  A load either fails cleanly or leaves a machine
 * whose every binding is inside its device; the machine is reset after.
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "nvdimm-internal.h"

#define LABEL   (128 * 1024ULL)
#define BLOCKS  4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static SpaprMachine *new_machine(SpaprNvdimm **nv)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20 };
    SpaprMachine *m = spapr_machine_new(&cfg, NULL);
    int i;

    g_assert_true(spapr_hcall_register_scm(m, NULL));
    for (i = 0; i < 2; i++) {
        g_autofree char *id = g_strdup_printf("nv%d", i);
        SpaprNvdimmConfig nc = {
            .id = id, .size = BLOCKS * SPAPR_SCM_BLOCK_SIZE + LABEL,
            .label_size = LABEL, .slot = i,
        };

        nv[i] = spapr_nvdimm_create(m, &nc, NULL);
        g_assert_nonnull(nv[i]);
    }
    return m;
}

static int64_t call(SpaprMachine *m, uint64_t op, uint64_t a0, uint64_t a1,
                    uint64_t a2, uint64_t a3, uint64_t a4)
{
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { a0, a1, a2, a3, a4 };

    return spapr_hcall(m, spapr_machine_cpu(m, 0), op, args);
}

/* A genuine stream with something in every part of the record. */
static GByteArray *genuine(void)
{
    SpaprNvdimm *nv[2];
    SpaprMachine *m = new_machine(nv);
    GByteArray *st;

    call(m, PAPR_H_SCM_BIND_MEM, 0x90000000, 0, BLOCKS, UINT64_MAX, 0);
    nv[1]->bind_chunk_blocks = 1;
    call(m, PAPR_H_SCM_BIND_MEM, 0x90000001, 1, 2, UINT64_MAX, 0);
    spapr_nvdimm_set_health(nv[1], 0x4800000000000000ULL, ~0ULL);
    call(m, PAPR_H_SCM_WRITE_METADATA, 0x90000000, 8, 0x42, 1, 0);
    st = spapr_machine_save_state(m);
    spapr_machine_free(m);
    return st;
}

static void check_bindings(SpaprNvdimm *nv)
{
    uint64_t b, n = 0;

    for (b = 0; b < BLOCKS; b++) {
        n += spapr_nvdimm_block_gpa_(nv, b) != SPAPR_NVDIMM_UNBOUND;
    }
    g_assert_cmpuint(n, ==, spapr_nvdimm_bound_blocks_(nv));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static SpaprMachine *m;
    static SpaprNvdimm *nv[2];
    static GByteArray *good;
    g_autofree uint8_t *buf = NULL;
    GError *err = NULL;
    size_t len, i;

    if (!m) {
        good = genuine();
        m = new_machine(nv);
    }
    if (!size) {
        return 0;
    }
    if (!(data[0] & 1)) {
        len = 12 + size - 1;
        buf = g_malloc(len);
        memcpy(buf, good->data, 12);
        memcpy(buf + 12, data + 1, size - 1);
    } else {
        len = good->len;
        buf = g_memdup2(good->data, len);
        for (i = 1; i + 2 < size; i += 3) {
            size_t at = ((size_t)data[i] << 8 | data[i + 1]) % len;

            buf[at] ^= data[i + 2];
        }
    }
    if (spapr_machine_load_state(m, buf, len, &err)) {
        check_bindings(nv[0]);
        check_bindings(nv[1]);
        /* The guest may call anything afterwards */
        call(m, PAPR_H_SCM_BIND_MEM, 0x90000001, 1, 2, UINT64_MAX,
             nv[1]->bind_op.token);
        call(m, PAPR_H_SCM_UNBIND_ALL, 1, 0, 0, 0, 0);
    } else {
        g_assert_true(err->domain == SPAPR_ERROR);
        g_error_free(err);
    }
    spapr_machine_reset(m);
    return 0;
}
