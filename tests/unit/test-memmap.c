/*
 * Unit tests: guest memory map and the big-endian guest accessors
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "spapr-hcall/spapr-hcall.h"

#define RAM     (256ULL << 20)
#define DEV     0x20000000ULL           /* a device region right after RAM */
#define DEVSZ   0x1000ULL
#define GAPDEV  0x40000000ULL           /* a region after a hole */

typedef struct Fixture {
    SpaprMachine *m;
    uint8_t dev[DEVSZ];
    uint8_t gapdev[DEVSZ];
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    SpaprMachineConfig cfg = { .ram_size = RAM };
    g_autoptr(GError) err = NULL;

    f->m = spapr_machine_new(&cfg, &err);
    g_assert_no_error(err);
    /* RAM is [0, 256 MiB); leave [RAM, DEV) unmapped */
    g_assert_true(spapr_machine_map(f->m, "dev", DEV, DEVSZ, f->dev, &err));
    g_assert_true(spapr_machine_map(f->m, "dev2", DEV + DEVSZ, DEVSZ,
                                    f->gapdev, &err));
    g_assert_no_error(err);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    spapr_machine_free(f->m);
}

/* Every accessor at the first and last valid address of each region */
static void test_edges(Fixture *f, gconstpointer data)
{
    static const unsigned int sizes[] = { 1, 2, 4, 8 };
    const uint64_t ends[] = { RAM, DEV + 2 * DEVSZ };
    const uint64_t starts[] = { 0, DEV };
    size_t s, r;

    for (r = 0; r < G_N_ELEMENTS(ends); r++) {
        for (s = 0; s < G_N_ELEMENTS(sizes); s++) {
            unsigned int n = sizes[s];
            uint64_t last = ends[r] - n, v = 0;
            uint64_t pattern = 0x8877665544332211ULL >> (64 - 8 * n);

            g_assert_true(spapr_guest_stn_be(f->m, starts[r], n, pattern));
            g_assert_true(spapr_guest_ldn_be(f->m, starts[r], n, &v));
            g_assert_cmphex(v, ==, pattern);
            g_assert_true(spapr_guest_stn_be(f->m, last, n, pattern));
            g_assert_true(spapr_guest_ldn_be(f->m, last, n, &v));
            g_assert_cmphex(v, ==, pattern);
            /* One byte further is outside: refused, nothing written */
            if (r == 0 || r == 1) {
                g_assert_false(spapr_guest_stn_be(f->m, last + 1, n, 0));
                g_assert_false(spapr_guest_ldn_be(f->m, last + 1, n, &v));
            }
        }
    }
    /* The refused stores above did not clobber the last valid bytes */
    {
        uint8_t b;

        g_assert_true(spapr_guest_ldub(f->m, RAM - 1, &b));
        g_assert_cmphex(b, ==, 0x11);
        g_assert_true(spapr_guest_ldub(f->m, DEV + 2 * DEVSZ - 1, &b));
        g_assert_cmphex(b, ==, 0x11);
    }
}

static void test_typed_accessors(Fixture *f, gconstpointer data)
{
    uint8_t b;
    uint16_t h;
    uint32_t w;
    uint64_t d;
    uint8_t raw[8];

    g_assert_true(spapr_guest_stq_be(f->m, 0x100, 0x0102030405060708ULL));
    g_assert_true(spapr_guest_read(f->m, 0x100, raw, 8));
    g_assert_cmphex(raw[0], ==, 0x01);          /* big-endian in memory */
    g_assert_cmphex(raw[7], ==, 0x08);
    g_assert_true(spapr_guest_ldq_be(f->m, 0x100, &d));
    g_assert_cmphex(d, ==, 0x0102030405060708ULL);
    g_assert_true(spapr_guest_ldl_be(f->m, 0x104, &w));
    g_assert_cmphex(w, ==, 0x05060708);
    g_assert_true(spapr_guest_lduw_be(f->m, 0x106, &h));
    g_assert_cmphex(h, ==, 0x0708);
    g_assert_true(spapr_guest_ldub(f->m, 0x101, &b));
    g_assert_cmphex(b, ==, 0x02);
    g_assert_true(spapr_guest_stl_be(f->m, DEV, 0xA1B2C3D4));
    g_assert_cmphex(f->dev[0], ==, 0xA1);
    g_assert_cmphex(f->dev[3], ==, 0xD4);
    g_assert_true(spapr_guest_stw_be(f->m, DEV + 4, 0xBEEF));
    g_assert_cmphex(f->dev[4], ==, 0xBE);
    g_assert_true(spapr_guest_stb(f->m, DEV + 6, 0x42));
    g_assert_cmphex(f->dev[6], ==, 0x42);
    /* Unsupported sizes */
    g_assert_false(spapr_guest_ldn_be(f->m, 0, 3, &d));
    g_assert_false(spapr_guest_stn_be(f->m, 0, 16, 0));
    g_assert_false(spapr_guest_ldn_be(f->m, 0, 0, &d));
}

/* An access spanning two adjacent regions is split; a hole refuses it */
static void test_straddle(Fixture *f, gconstpointer data)
{
    uint8_t buf[16], back[16];
    uint64_t v;
    int i;

    for (i = 0; i < 16; i++) {
        buf[i] = 0xC0 + i;
    }
    /* dev and dev2 are adjacent: 8 bytes in each */
    g_assert_true(spapr_guest_write(f->m, DEV + DEVSZ - 8, buf, 16));
    g_assert_cmpmem(f->dev + DEVSZ - 8, 8, buf, 8);
    g_assert_cmpmem(f->gapdev, 8, buf + 8, 8);
    g_assert_true(spapr_guest_read(f->m, DEV + DEVSZ - 8, back, 16));
    g_assert_cmpmem(back, 16, buf, 16);
    g_assert_true(spapr_guest_ldq_be(f->m, DEV + DEVSZ - 4, &v));
    g_assert_cmphex(v, ==, 0xC4C5C6C7C8C9CACBULL);

    /* RAM's end is followed by a hole: nothing is written at all */
    memset(back, 0x5A, sizeof(back));
    g_assert_true(spapr_guest_write(f->m, RAM - 8, back, 8));
    g_assert_false(spapr_guest_write(f->m, RAM - 8, buf, 16));
    g_assert_true(spapr_guest_read(f->m, RAM - 8, back, 8));
    for (i = 0; i < 8; i++) {
        g_assert_cmphex(back[i], ==, 0x5A);
    }
    g_assert_false(spapr_guest_read(f->m, RAM - 8, back, 16));
    g_assert_false(spapr_guest_ldq_be(f->m, RAM - 4, &v));
    /* The region after dev2 is a hole too */
    g_assert_false(spapr_guest_read(f->m, DEV + 2 * DEVSZ - 1, back, 2));
    /* Before dev: hole */
    g_assert_false(spapr_guest_read(f->m, DEV - 1, back, 2));
}

static void test_beyond(Fixture *f, gconstpointer data)
{
    uint8_t buf[8] = { 0 };
    uint64_t v;

    g_assert_false(spapr_guest_read(f->m, RAM, buf, 1));
    g_assert_false(spapr_guest_read(f->m, GAPDEV, buf, 1));
    g_assert_false(spapr_guest_read(f->m, UINT64_MAX, buf, 1));
    g_assert_false(spapr_guest_read(f->m, UINT64_MAX - 3, buf,
                                    8));  /* wraps */
    g_assert_false(spapr_guest_ldq_be(f->m, UINT64_MAX - 7 + 1, &v));
    g_assert_false(spapr_guest_write(f->m, 0, buf, UINT64_MAX));
    g_assert_false(spapr_guest_read(f->m, 1, buf, UINT64_MAX));
    /* Zero-length accesses succeed anywhere and touch nothing */
    g_assert_true(spapr_guest_read(f->m, UINT64_MAX, buf, 0));
}

static void test_map_rules(Fixture *f, gconstpointer data)
{
    SpaprMemMap *map = spapr_machine_memmap(f->m);
    static uint8_t host[0x2000];
    SpaprMemRegionInfo info;
    GError *err = NULL;

    g_assert_nonnull(map);
    g_assert_cmpuint(spapr_memmap_count(map), ==, 3);
    /* Overlaps: inside RAM, straddling RAM's end, equal to dev, covering */
    g_assert_false(spapr_machine_map(f->m, "x", 0x1000, 0x1000, host, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_OVERLAP);
    g_clear_error(&err);
    g_assert_false(spapr_machine_map(f->m, "x", RAM - 0x1000, 0x2000, host,
                                     &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_OVERLAP);
    g_clear_error(&err);
    g_assert_false(spapr_machine_map(f->m, "x", DEV, DEVSZ, host, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_OVERLAP);
    g_clear_error(&err);
    g_assert_false(spapr_machine_map(f->m, "x", RAM, DEV, host, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_OVERLAP);
    g_clear_error(&err);
    /* Empty, wrapping, no host memory */
    g_assert_false(spapr_machine_map(f->m, "x", GAPDEV, 0, host, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    g_assert_false(spapr_machine_map(f->m, "x", UINT64_MAX - 0xFFF, 0x2000,
                                     host, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    g_assert_false(spapr_machine_map(f->m, "x", GAPDEV, 0x1000, NULL, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    /* A region that ends at the top of the address space is fine */
    g_assert_true(spapr_machine_map(f->m, "top", UINT64_MAX - 0xFFF, 0x1000,
                                    host, NULL));
    g_assert_true(spapr_guest_stb(f->m, UINT64_MAX, 0x77));
    g_assert_cmphex(host[0xFFF], ==, 0x77);
    g_assert_true(spapr_memmap_remove(map, UINT64_MAX - 0xFFF, 0x1000));
    /* Exactly filling part of the hole after RAM is fine */
    g_assert_true(spapr_machine_map(f->m, "gap", RAM, 0x2000, host, NULL));
    g_assert_true(spapr_guest_stb(f->m, RAM - 1, 1));
    g_assert_true(spapr_guest_write(f->m, RAM - 4, "abcdefgh", 8));
    g_assert_cmpmem(host, 4, "efgh", 4);
    g_assert_true(spapr_memmap_remove(map, RAM, 0x2000));
    g_assert_true(spapr_memmap_range_free(map, GAPDEV, 0x1000));
    g_assert_false(spapr_memmap_range_free(map, DEV + 0x10, 1));
    g_assert_false(spapr_memmap_range_free(map, 0, 0));
    g_assert_true(spapr_memmap_region(map, 0, &info));
    g_assert_cmpstr(info.name, ==, "ram");
    g_assert_cmphex(info.gpa, ==, 0);
    g_assert_cmphex(info.size, ==, RAM);
    g_assert_false(spapr_memmap_region(map, 100, &info));
    /* Remove needs the exact range */
    g_assert_false(spapr_memmap_remove(map, DEV, DEVSZ - 1));
    g_assert_false(spapr_memmap_remove(map, DEV + 1, DEVSZ));
    g_assert_true(spapr_memmap_remove(map, DEV, DEVSZ));
    g_assert_false(spapr_guest_read(f->m, DEV, host, 1));
    g_assert_true(spapr_memmap_range_free(map, DEV, DEVSZ));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) \
    g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD("/memmap/edges", test_edges);
    ADD("/memmap/typed-accessors", test_typed_accessors);
    ADD("/memmap/straddle", test_straddle);
    ADD("/memmap/beyond", test_beyond);
    ADD("/memmap/map-rules", test_map_rules);
    return g_test_run();
}
