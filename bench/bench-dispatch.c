/*
 * Benchmark row 1: dispatch overhead against a bare indirect call
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Both loops call a handler of the same signature that does nothing; the
 * floor calls it through a volatile function pointer, the other through
 * spapr_hcall() with a registered opcode on a vCPU.
 */
#include <stdio.h>
#include "bench.h"

#define CALLS   20000000u

static int64_t h_nop(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                     uint64_t *args)
{
    return PAPR_H_SUCCESS;
}

static SpaprHcallFn volatile floor_fn = h_nop;

static double run_floor(SpaprMachine *m, SpaprCpu *cpu, uint64_t *args)
{
    double t0 = bench_now_ns();
    int64_t acc = 0;
    unsigned int i;

    for (i = 0; i < CALLS; i++) {
        acc += floor_fn(m, cpu, PAPR_H_SCM_HEALTH, args);
    }
    if (acc) {
        fprintf(stderr, "unexpected status\n");
    }
    return (bench_now_ns() - t0) / CALLS;
}

static double run_dispatch(SpaprMachine *m, SpaprCpu *cpu, uint64_t *args)
{
    double t0 = bench_now_ns();
    int64_t acc = 0;
    unsigned int i;

    for (i = 0; i < CALLS; i++) {
        acc += spapr_hcall(m, cpu, PAPR_H_SCM_HEALTH, args);
    }
    if (acc) {
        fprintf(stderr, "unexpected status\n");
    }
    return (bench_now_ns() - t0) / CALLS;
}

void bench_dispatch(void);

void bench_dispatch(void)
{
    static const SpaprHcallInfo nop = {
        PAPR_H_SCM_HEALTH, "H_NOP", h_nop, "hcall-bench", 0, 0, NULL,
    };
    SpaprMachine *m = spapr_machine_new(NULL, NULL);
    SpaprCpu *cpu = spapr_machine_cpu(m, 0);
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0 };
    double fl[BENCH_RUNS], di[BENCH_RUNS];
    unsigned int r;

    spapr_hcall_register(m, &nop, NULL);
    run_dispatch(m, cpu, args);                 /* warm up */
    for (r = 0; r < BENCH_RUNS; r++) {
        fl[r] = run_floor(m, cpu, args);
        di[r] = run_dispatch(m, cpu, args);
    }
    bench_row("1", "dispatch of a trivial hcall (spapr_hcall)",
              bench_median(di, BENCH_RUNS), "ns/call",
              "bare indirect call", bench_median(fl, BENCH_RUNS),
              "<= 3x and < 5 ns");
    spapr_machine_free(m);
}
