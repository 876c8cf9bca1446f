/*
 * Driver for the fuzz targets when they are not built with libFuzzer:
 * runs each file named on the command line, then a fixed number of
 * pseudo-random inputs from a fixed seed, so `meson test` exercises every
 * target deterministically.
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    const char *env = g_getenv("FUZZ_ITERATIONS");
    unsigned int iters = env ? (unsigned int)atoi(env) : 20000;
    GRand *rng = g_rand_new_with_seed(0x5a5a1234);
    uint8_t buf[4096];
    unsigned int i, j;
    int a;

    for (a = 1; a < argc; a++) {
        g_autofree char *contents = NULL;
        gsize len;

        if (!g_file_get_contents(argv[a], &contents, &len, NULL)) {
            fprintf(stderr, "cannot read %s\n", argv[a]);
            return 1;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)contents, len);
    }
    for (i = 0; i < iters; i++) {
        size_t len = g_rand_int_range(rng, 0, sizeof(buf));

        for (j = 0; j < len; j++) {
            buf[j] = g_rand_int(rng);
        }
        LLVMFuzzerTestOneInput(buf, len);
    }
    g_rand_free(rng);
    printf("ran %d files and %u random inputs\n", argc - 1, iters);
    return 0;
}
