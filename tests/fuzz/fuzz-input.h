/*
 * Fuzz targets: turning the input bytes into choices
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * An exhausted input reads as zeros, so every input is a valid program.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stdint.h>
#include <string.h>
#include <glib.h>
#include "fuzz-util.h"

typedef struct FuzzIn {
    const uint8_t *p;
    size_t left;
} FuzzIn;

static inline uint8_t fuzz_u8(FuzzIn *in)
{
    if (!in->left) {
        return 0;
    }
    in->left--;
    return *in->p++;
}

static inline uint64_t fuzz_u64(FuzzIn *in)
{
    return take64(&in->p, &in->left);
}

/* A number in [0, n) (n > 0). */
static inline unsigned int fuzz_pick(FuzzIn *in, unsigned int n)
{
    return fuzz_u8(in) % n;
}

/* Up to @max raw bytes as a NUL-terminated string (may be bad UTF-8). */
static inline char *fuzz_str(FuzzIn *in, size_t max)
{
    size_t n = fuzz_u8(in);     /* once: MIN() evaluates twice */
    char *s;

    n = MIN(MIN(n, max), in->left);
    s = g_strndup((const char *)in->p, n);

    in->p += n;
    in->left -= n;
    return s;
}

#endif
