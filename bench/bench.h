/*
 * spapr-hcall benchmarks: shared timing helpers
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_BENCH_H
#define SPAPR_BENCH_H

#include <time.h>
#include "spapr-hcall/spapr-hcall.h"

#define BENCH_RUNS  7           /* median of this many runs per row */

static inline double bench_now_ns(void)
{
    return spapr_monotonic_ns();
}

/* Median of @n samples (sorts in place). */
double bench_median(double *v, unsigned int n);

/* One row of the printed table. */
void bench_row(const char *id, const char *what, double value,
               const char *unit, const char *reference, double ref_value,
               const char *target);

#endif
