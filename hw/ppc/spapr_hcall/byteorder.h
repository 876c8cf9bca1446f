/*
 * spapr-hcall: big-endian bytes in memory, and ROUND_UP (internal)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The one set of byte-order helpers in the library: guest memory, the
 * migration stream and the SCM statistics buffer are big-endian, and
 * their bytes need not be aligned.  GLib does the swapping; memcpy() the
 * unaligned access.  (Device-tree cells use libfdt's cpu_to_fdt32().)
 */
#ifndef SPAPR_HCALL_BYTEORDER_H
#define SPAPR_HCALL_BYTEORDER_H

#include <string.h>
#include <glib.h>

static inline uint16_t spapr_ld16_be(const void *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT16_FROM_BE(v);
}

static inline uint32_t spapr_ld32_be(const void *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT32_FROM_BE(v);
}

static inline uint64_t spapr_ld64_be(const void *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT64_FROM_BE(v);
}

static inline void spapr_st16_be(void *p, uint16_t v)
{
    v = GUINT16_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void spapr_st32_be(void *p, uint32_t v)
{
    v = GUINT32_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void spapr_st64_be(void *p, uint64_t v)
{
    v = GUINT64_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

/* @size is 1, 2, 4 or 8 (callers check) */
static inline uint64_t spapr_ldn_be(const void *p, unsigned int size)
{
    switch (size) {
    case 1:
        return *(const uint8_t *)p;
    case 2:
        return spapr_ld16_be(p);
    case 4:
        return spapr_ld32_be(p);
    default:
        return spapr_ld64_be(p);
    }
}

static inline void spapr_stn_be(void *p, unsigned int size, uint64_t v)
{
    switch (size) {
    case 1:
        *(uint8_t *)p = v;
        break;
    case 2:
        spapr_st16_be(p, v);
        break;
    case 4:
        spapr_st32_be(p, v);
        break;
    default:
        spapr_st64_be(p, v);
        break;
    }
}

/* @n rounded up to a multiple of @d (wraps past 2^64: callers check) */
#define ROUND_UP(n, d) (((n) + (d) - 1) / (d) * (d))

#endif
