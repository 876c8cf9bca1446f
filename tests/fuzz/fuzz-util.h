/*
 * Fuzz targets: reading an input as doublewords, shaped for hcalls
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <string.h>
#include <glib.h>

static inline uint64_t take64(const uint8_t **p, size_t *left)
{
    uint64_t v = 0;
    size_t n = MIN(*left, 8);

    memcpy(&v, *p, n);
    *p += n;
    *left -= n;
    return v;
}

/* Small values are far more interesting to hcall handlers than random */
static inline uint64_t shape(uint64_t raw)
{
    switch (raw & 7) {
    case 0:
        return raw >> 3 & 0xff;                         /* small */
    case 1:
        return 0x90000000u + (raw >> 3 & 3);            /* PMEM DRC */
    case 2:
        return (raw >> 3 & 0xf) << 28;                  /* block-aligned */
    case 3:
        return UINT64_MAX - (raw >> 3 & 0xf);           /* near the top */
    default:
        return raw;
    }
}

#endif
