/*
 * spapr-hcall benchmarks: median and table output
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

double bench_median(double *v, unsigned int n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_row(const char *id, const char *what, double value,
               const char *unit, const char *reference, double ref_value,
               const char *target)
{
    if (ref_value > 0) {
        printf("| %s | %s | %.3f %s | %s: %.3f %s | %.2fx | %s |\n", id,
               what, value, unit, reference, ref_value, unit,
               value / ref_value, target);
    } else {
        printf("| %s | %s | %.3f %s | %s | - | %s |\n", id, what, value,
               unit, reference, target);
    }
    fflush(stdout);
}
