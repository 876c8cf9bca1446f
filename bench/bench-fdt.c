/*
 * spapr-bench row "fdt": device-tree build time and size by NVDIMM count
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each NVDIMM is 256 MiB + 128 KiB of lazily mapped anonymous RAM, so
 * thousands cost address space, not memory.  The reference is
 * fdt_check_full() over the result: one linear pass over the same bytes.
 */
#include <stdio.h>
#include <libfdt.h>
#include "bench.h"
#include "spapr-hcall/nvdimm.h"

void bench_fdt(void);

static SpaprMachine *machine_with(unsigned int n)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20, .pmem_slots = n };
    SpaprMachine *m = spapr_machine_new(&cfg, NULL);
    unsigned int i;

    spapr_hcall_register_debug(m, NULL);
    spapr_hcall_register_epapr(m, NULL);
    for (i = 0; i < n; i++) {
        char id[16], uuid[40];
        SpaprNvdimmConfig c = {
            .id = id, .size = (256ULL << 20) + (128 << 10),
            .label_size = 128 << 10, .uuid = uuid,
            .slot = SPAPR_NVDIMM_SLOT_AUTO,
        };

        snprintf(id, sizeof(id), "nv%u", i);
        snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-000000000000", i);
        if (!spapr_nvdimm_create(m, &c, NULL)) {
            fprintf(stderr, "bench-fdt: cannot create nvdimm %u\n", i);
            break;
        }
    }
    return m;
}

void bench_fdt(void)
{
    static const unsigned int counts[] = { 1, 64, 1024, 4096 };
    unsigned int c, r;

    for (c = 0; c < G_N_ELEMENTS(counts); c++) {
        SpaprMachine *m = machine_with(counts[c]);
        double build[BENCH_RUNS], check[BENCH_RUNS];
        size_t size = 0;
        char what[96];

        for (r = 0; r < BENCH_RUNS; r++) {
            double t0 = bench_now_ns(), t1;
            void *fdt = spapr_fdt_build(m, NULL);

            t1 = bench_now_ns();
            size = fdt_totalsize(fdt);
            (void)fdt_check_full(fdt, size);
            check[r] = (bench_now_ns() - t1) / 1e6;
            build[r] = (t1 - t0) / 1e6;
            g_free(fdt);
        }
        snprintf(what, sizeof(what), "spapr_fdt_build, %u NVDIMMs "
                 "(tree %zu bytes)", counts[c], size);
        bench_row("5", what, bench_median(build, BENCH_RUNS), "ms",
                  "fdt_check_full of it", bench_median(check, BENCH_RUNS),
                  "linear in NVDIMMs");
        spapr_machine_free(m);
    }
}
