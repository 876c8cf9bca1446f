/*
 * Fuzz target: the device-tree builder on random machine configurations
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The input chooses RAM size, vCPUs, PMEM slots, the device window, the
 * registered hcall sets, up to eight RAM-backed NVDIMMs (geometry, label
 * size, slot, NUMA node, UUID, unarmed, flush, health) and some binds.
 * Invariants: spapr_fdt_build() either succeeds with a tree that passes
 * fdt_check_full() and prints as DTS, or fails with a message; a refused
 * configuration is refused with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <libfdt.h>
#include "fuzz-input.h"
#include "spapr-hcall/spapr-hcall.h"
#include "spapr-hcall/nvdimm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MIB (1ULL << 20)

static void need_message(const GError *err, const char *what)
{
    if (!err || !err->message || !*err->message) {
        fprintf(stderr, "%s refused without a message\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzIn in = { data, size };
    SpaprMachineConfig cfg = { 0 };
    static const uint64_t labels[] = { 128 << 10, 256 << 10, 1 << 20, 1000 };
    g_autoptr(GError) err = NULL;
    g_autofree char *dts = NULL;
    SpaprMachine *m;
    unsigned int nr_nv, i;
    uint8_t sets;
    void *fdt;

    cfg.ram_size = (fuzz_u8(&in) % 9) * 256 * MIB;
    cfg.nr_cpus = fuzz_pick(&in, 9);
    cfg.pmem_slots = fuzz_pick(&in, 40);
    if (fuzz_u8(&in) & 1) {
        cfg.device_window_base = (fuzz_u64(&in) & 0xffff) << 28;
        cfg.device_window_size = (fuzz_u64(&in) & 0xff) << 28;
    }
    m = spapr_machine_new(&cfg, &err);
    if (!m) {
        need_message(err, "machine");
        return 0;
    }
    sets = fuzz_u8(&in);
    if (sets & 1) {
        spapr_hcall_register_debug(m, NULL);
    }
    if (sets & 2) {
        spapr_hcall_register_scm(m, NULL);
    }
    if (sets & 4) {
        spapr_hcall_register_epapr(m, NULL);
    }
    nr_nv = fuzz_pick(&in, 9);
    for (i = 0; i < nr_nv; i++) {
        g_autofree char *id = g_strdup_printf("nv%u", i);
        g_autofree char *uuid = NULL;
        uint8_t f = fuzz_u8(&in);
        SpaprNvdimmConfig nc = {
            .id = id,
            .label_size = labels[fuzz_pick(&in, G_N_ELEMENTS(labels))],
            .unarmed = f & 1,
            .hcall_flush = f & 2,
            .slot = f & 4 ? SPAPR_NVDIMM_SLOT_AUTO : fuzz_pick(&in, 48),
            .numa_node = f & 8 ? (uint32_t)fuzz_u64(&in) : 0,
            .host_fd = -1,
        };
        SpaprNvdimm *nv;

        nc.size = (1 + fuzz_pick(&in, 4)) * 256 * MIB + nc.label_size;
        if (f & 16) {
            nc.size += fuzz_u8(&in);        /* not whole blocks */
        }
        if (f & 32) {
            uuid = g_uuid_string_random();
            nc.uuid = uuid;
        } else if (f & 64) {
            nc.uuid = "not-a-uuid";
        }
        g_clear_error(&err);
        nv = spapr_nvdimm_create(m, &nc, &err);
        if (!nv) {
            need_message(err, "nvdimm");
            continue;
        }
        spapr_nvdimm_set_health(nv, fuzz_u64(&in), fuzz_u64(&in));
        if (f & 128) {
            uint64_t args[SPAPR_HCALL_NR_ARGS] = {
                spapr_nvdimm_drc_index(nv), fuzz_pick(&in, 4),
                1 + fuzz_pick(&in, 4),
                fuzz_u8(&in) & 1 ? UINT64_MAX : (fuzz_u64(&in) & 0xff) << 28,
            };

            spapr_hcall(m, spapr_machine_cpu(m, 0), PAPR_H_SCM_BIND_MEM, args);
        }
    }
    g_clear_error(&err);
    fdt = spapr_fdt_build(m, &err);
    if (!fdt) {
        need_message(err, "spapr_fdt_build");
    } else {
        int r = fdt_check_full(fdt, fdt_totalsize(fdt));

        if (r) {
            fprintf(stderr, "fdt_check_full: %s\n", fdt_strerror(r));
            abort();
        }
        dts = spapr_fdt_to_dts(fdt, NULL);
        if (!dts) {
            fprintf(stderr, "a valid tree does not print as DTS\n");
            abort();
        }
        g_free(fdt);
    }
    spapr_machine_free(m);
    return 0;
}
