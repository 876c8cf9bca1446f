/*
 * spapr-hcall: helpers shared by the SCM hcall tests
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SCM_TEST_UTIL_H
#define SCM_TEST_UTIL_H

#include <string.h>
#include <unistd.h>
#include "nvdimm-internal.h"
#include "papr-scm-guest.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define TIB (1ULL << 40)
#define LABEL (128 * 1024ULL)
#define BLK SPAPR_SCM_BLOCK_SIZE
#define DRC(n) (0x90000000u + (n))

static inline SpaprMachine *scm_machine(uint64_t ram)
{
    SpaprMachineConfig cfg = { .ram_size = ram };
    GError *err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);

    g_assert_no_error(err);
    g_assert_true(spapr_hcall_register_scm(m, &err));
    g_assert_no_error(err);
    return m;
}

static inline SpaprNvdimm *scm_nvdimm_new(SpaprMachine *m, const char *id,
                                          const char *path, uint64_t blocks,
                                          uint32_t slot)
{
    SpaprNvdimmConfig cfg = {
        .id = id, .mem_path = path, .size = blocks * BLK + LABEL,
        .label_size = LABEL, .slot = slot, .hcall_flush = path != NULL,
    };
    GError *err = NULL;
    SpaprNvdimm *nv = spapr_nvdimm_create(m, &cfg, &err);

    g_assert_no_error(err);
    return nv;
}

/* One hcall with up to 5 arguments; outputs land in out[0..8]. */
static inline int64_t scm_call(SpaprMachine *m, uint64_t op, uint64_t a0,
                               uint64_t a1, uint64_t a2, uint64_t a3,
                               uint64_t a4, uint64_t *out)
{
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { a0, a1, a2, a3, a4 };
    int64_t ret = spapr_hcall(m, spapr_machine_cpu(m, 0), op, args);

    if (out) {
        memcpy(out, args, sizeof(args));
    }
    return ret;
}

/* The papr_scm guest model's transport: vCPU 0, straight to dispatch */
static inline int64_t scm_guest_hcall(void *opaque, uint64_t opcode,
                                      uint64_t *args)
{
    SpaprMachine *m = opaque;

    return spapr_hcall(m, spapr_machine_cpu(m, 0), opcode, args);
}

/* Linux's loops without its sleeps: a short one on long busy only */
static inline void scm_guest_wait(void *opaque, int64_t rc)
{
    if (PAPR_H_IS_LONG_BUSY(rc)) {
        g_usleep(200);
    }
}

#define SCM_GUEST(m) { \
    .hcall = scm_guest_hcall, .wait = scm_guest_wait, .opaque = (m), \
}

/* Linux's drc_pmem_bind loop: returns the status, *gpa from the 1st r5 */
static inline int64_t scm_bind_all(SpaprMachine *m, uint32_t drc,
                                   uint64_t start, uint64_t n,
                                   uint64_t target, uint64_t *gpa,
                                   unsigned int *calls)
{
    PaprScmGuest g = SCM_GUEST(m);
    int64_t rc = papr_scm_guest_bind(&g, drc, start, n, target, gpa);

    *calls = g.calls;
    return rc;
}

/* Linux's papr_scm_pmem_flush loop (without the sleeps). */
static inline int64_t scm_flush(SpaprMachine *m, uint32_t drc,
                                unsigned int *polls)
{
    PaprScmGuest g = SCM_GUEST(m);
    int64_t rc = papr_scm_guest_flush(&g, drc);

    *polls = g.calls;
    return rc;
}

static inline char *scm_tmp_path(const char *name)
{
    g_autofree char *dir = g_dir_make_tmp("test-scm-XXXXXX", NULL);

    g_assert_nonnull(dir);
    return g_build_filename(dir, name, NULL);
}

static inline void scm_remove_backend(const char *path)
{
    g_autofree char *state = g_strdup_printf("%s.state", path);
    g_autofree char *dir = g_path_get_dirname(path);

    unlink(path);
    unlink(state);
    rmdir(dir);
}

#endif
