/*
 * spapr-bench: every benchmark row in one table (make bench)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include "bench.h"

void bench_dispatch(void);
void bench_fdt(void);
void bench_labels(void);
void bench_bind_1tib(void);
void bench_flush(void);
void bench_concurrency(void);
void bench_qtest(void);

typedef struct BenchRow {
    const char *id;
    void (*fn)(void);
} BenchRow;

static const BenchRow rows[] = {
    { "1", bench_dispatch },
    { "2", bench_labels },
    { "3", bench_qtest },
    { "4", bench_bind_1tib },
    { "5", bench_fdt },
    { "6", bench_flush },
    { "7", bench_concurrency },
};

int main(int argc, char **argv)
{
    size_t i;
    int a;

    printf("| row | what | median | reference (same run) | ratio | "
           "target |\n|---|---|---|---|---|---|\n");
    for (i = 0; i < G_N_ELEMENTS(rows); i++) {
        bool wanted = argc < 2;

        for (a = 1; a < argc; a++) {
            wanted |= !strcmp(argv[a], rows[i].id);
        }
        if (wanted) {
            rows[i].fn();
        }
    }
    return 0;
}
