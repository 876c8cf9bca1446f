/*
 * Fuzz target: SCM hcall sequences against several file-backed NVDIMMs,
 * with the backing files truncated and restored underneath
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One machine with three file NVDIMMs (sparse files in a scratch
 * directory, made once per process) and RAM; each input starts with a
 * machine reset and is a sequence of steps: an hcall of the SCM or debug
 * set with shaped arguments, a guest load/store through a bound address,
 * or a truncation of a backing file (to zero, to half, or back to its
 * size).  Invariants: every status is a named H_* code, no access kills
 * the process (SIGBUS is answered with H_HARDWARE), and after the steps
 * no two bound blocks overlap and every query agrees with the bindings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "fuzz-input.h"
#include "nvdimm-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NR_NV       3
#define NR_BLOCKS   4
#define NV_SIZE     (NR_BLOCKS * SPAPR_SCM_BLOCK_SIZE + (128 << 10))

static SpaprMachine *fm;
static SpaprNvdimm *fnv[NR_NV];
static char *fdir, *fpath[NR_NV];

static void cleanup(void)
{
    unsigned int i;

    spapr_machine_free(fm);
    for (i = 0; i < NR_NV; i++) {
        g_autofree char *state = g_strconcat(fpath[i], ".state", NULL);

        unlink(fpath[i]);
        unlink(state);
    }
    rmdir(fdir);
}

static void setup(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20, .nr_cpus = 1 };
    GError *err = NULL;
    unsigned int i;

    fdir = g_dir_make_tmp("fuzz-scm-XXXXXX", &err);
    fm = spapr_machine_new(&cfg, &err);
    if (!fdir || !fm || !spapr_hcall_register_scm(fm, &err) ||
        !spapr_hcall_register_debug(fm, &err)) {
        abort();
    }
    for (i = 0; i < NR_NV; i++) {
        g_autofree char *id = g_strdup_printf("nv%u", i);
        SpaprNvdimmConfig nc = {
            .id = id, .size = NV_SIZE, .label_size = 128 << 10,
            .hcall_flush = true, .slot = i, .host_fd = -1,
        };

        fpath[i] = g_strdup_printf("%s/nv%u.img", fdir, i);
        nc.mem_path = fpath[i];
        fnv[i] = spapr_nvdimm_create(fm, &nc, &err);
        if (!fnv[i]) {
            fprintf(stderr, "fuzz-scm-files setup: %s\n", err->message);
            abort();
        }
    }
    atexit(cleanup);
}

/* fuzz-util.h's shapes, plus addresses inside bound device memory */
static uint64_t shape_scm(FuzzIn *in)
{
    uint64_t raw = fuzz_u64(in);

    if ((raw & 7) == 5) {
        return 0x10000000000ULL + ((raw >> 3 & 0x1f) << 28) +
               (raw >> 8 & 0xfff);
    }
    return shape(raw);
}

static const uint64_t opcodes[] = {
    PAPR_H_SCM_READ_METADATA, PAPR_H_SCM_WRITE_METADATA, PAPR_H_SCM_BIND_MEM,
    PAPR_H_SCM_UNBIND_MEM, PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING,
    PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING, PAPR_H_SCM_UNBIND_ALL,
                                   PAPR_H_SCM_HEALTH,
    PAPR_H_SCM_PERFORMANCE_STATS, PAPR_H_SCM_FLUSH, PAPR_H_LOGICAL_CI_LOAD,
    PAPR_H_LOGICAL_CI_STORE,
};

static void check_bindings(void)
{
    unsigned int n, b, k, c;
    uint64_t gpas[NR_NV * NR_BLOCKS];

    for (n = 0, k = 0; n < NR_NV; n++) {
        for (b = 0; b < NR_BLOCKS; b++) {
            uint64_t gpa = spapr_nvdimm_block_gpa_(fnv[n], b), blk;
            uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0x90000000u + n, b };
            int64_t rc = spapr_hcall(fm, spapr_machine_cpu(fm, 0),
                                     PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, args);

            if (gpa == SPAPR_NVDIMM_UNBOUND) {
                if (rc != PAPR_H_NOT_FOUND) {
                    abort();
                }
                continue;
            }
            if (rc != PAPR_H_SUCCESS || args[0] != gpa ||
                !spapr_nvdimm_gpa_block_(fnv[n], gpa, &blk) || blk != b) {
                fprintf(stderr, "query disagrees with the binding\n");
                abort();
            }
            for (c = 0; c < k; c++) {
                if (gpa < gpas[c] + SPAPR_SCM_BLOCK_SIZE &&
                    gpas[c] < gpa + SPAPR_SCM_BLOCK_SIZE) {
                    fprintf(stderr, "overlapping bindings\n");
                    abort();
                }
            }
            gpas[k++] = gpa;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzIn in = { data, size };
    SpaprCpu *cpu;
    unsigned int steps = 0, i;

    if (!fm) {
        setup();
    }
    cpu = spapr_machine_cpu(fm, 0);
    spapr_machine_reset(fm);
    while (in.left && steps++ < 64) {
        uint8_t sel = fuzz_u8(&in);

        if (sel < 0xE0) {
            uint64_t op = opcodes[sel % G_N_ELEMENTS(opcodes)];
            uint64_t args[SPAPR_HCALL_NR_ARGS];
            int64_t rc;

            for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
                args[i] = shape_scm(&in);
            }
            rc = spapr_hcall(fm, cpu, op, args);
            if (!spapr_hcall_status_name(rc)) {
                fprintf(stderr, "0x%" PRIx64 ": unnamed status %" PRId64
                        "\n", op, rc);
                abort();
            }
        } else if (sel < 0xF0) {
            uint64_t gpa = shape_scm(&in), v = 0;

            if (sel & 1) {
                spapr_guest_stq_be(fm, gpa, fuzz_u64(&in));
            } else {
                spapr_guest_ldq_be(fm, gpa, &v);
            }
        } else {
            unsigned int n = sel % NR_NV;
            off_t len = (sel >> 2) & 1 ? 0 : NV_SIZE / 2;

            if (truncate(fpath[n], sel & 2 ? (off_t)NV_SIZE : len) < 0) {
                abort();
            }
        }
    }
    check_bindings();
    for (i = 0; i < NR_NV; i++) {
        /* whatever was cut, the next input starts whole (holes: zeros) */
        if (truncate(fpath[i], NV_SIZE) < 0) {
            abort();
        }
    }
    return 0;
}
