/*
 * spapr-hcall: a guest physical memory map (regions, lookup, range checks)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Regions live in an array sorted by base address; a lookup is a binary
 * search.  Maps change rarely (RAM at creation, SCM binds) and are read on
 * every guest access, hence the reader/writer lock.  Plain data: the host
 * that owns guest memory (host-standalone.c) decides what goes in.
 */
#include <string.h>
#include "internal.h"

typedef struct MemRegion {
    char *name;
    uint64_t gpa;
    uint64_t size;
    uint8_t *host;
} MemRegion;

struct SpaprMemMap {
    GRWLock lock;
    GArray *regions;                /* MemRegion, sorted by gpa */
};

SpaprMemMap *spapr_memmap_new(void)
{
    SpaprMemMap *map = g_new0(SpaprMemMap, 1);

    g_rw_lock_init(&map->lock);
    map->regions = g_array_new(FALSE, FALSE, sizeof(MemRegion));
    return map;
}

void spapr_memmap_free(SpaprMemMap *map)
{
    guint i;

    if (!map) {
        return;
    }
    for (i = 0; i < map->regions->len; i++) {
        g_free(g_array_index(map->regions, MemRegion, i).name);
    }
    g_array_free(map->regions, TRUE);
    g_rw_lock_clear(&map->lock);
    g_free(map);
}

/* Index of the first region whose end is above @gpa (may be len). */
static guint first_ending_above(SpaprMemMap *map, uint64_t gpa)
{
    guint lo = 0, hi = map->regions->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        const MemRegion *r = &g_array_index(map->regions, MemRegion, mid);

        if (r->gpa + (r->size - 1) < gpa) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* [gpa, gpa + size) must not wrap; size > 0.  Lock held. */
static bool range_free_locked(SpaprMemMap *map, uint64_t gpa, uint64_t size)
{
    guint i = first_ending_above(map, gpa);
    const MemRegion *r;

    if (i == map->regions->len) {
        return true;
    }
    r = &g_array_index(map->regions, MemRegion, i);
    return r->gpa > gpa + (size - 1);
}

static bool range_ok(uint64_t gpa, uint64_t size)
{
    return size != 0 && gpa + (size - 1) >= gpa;
}

bool spapr_memmap_add(SpaprMemMap *map, const char *name, uint64_t gpa,
                      uint64_t size, void *host, GError **errp)
{
    MemRegion r;
    guint i;

    if (!range_ok(gpa, size) || !host) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "memory region '%s' [0x%" PRIx64 ", +0x%" PRIx64
                    ") is empty, wraps or has no host memory",
                    name, gpa, size);
        return false;
    }
    g_rw_lock_writer_lock(&map->lock);
    if (!range_free_locked(map, gpa, size)) {
        g_rw_lock_writer_unlock(&map->lock);
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_OVERLAP,
                    "memory region '%s' [0x%" PRIx64 ", +0x%" PRIx64
                    ") overlaps an existing region", name, gpa, size);
        return false;
    }
    r.name = g_strdup(name);
    r.gpa = gpa;
    r.size = size;
    r.host = host;
    i = first_ending_above(map, gpa);
    g_array_insert_val(map->regions, i, r);
    g_rw_lock_writer_unlock(&map->lock);
    return true;
}

bool spapr_memmap_remove(SpaprMemMap *map, uint64_t gpa, uint64_t size)
{
    bool found = false;
    guint i;

    g_rw_lock_writer_lock(&map->lock);
    i = first_ending_above(map, gpa);
    if (i < map->regions->len) {
        MemRegion *r = &g_array_index(map->regions, MemRegion, i);

        if (r->gpa == gpa && r->size == size) {
            g_free(r->name);
            g_array_remove_index(map->regions, i);
            found = true;
        }
    }
    g_rw_lock_writer_unlock(&map->lock);
    return found;
}

bool spapr_memmap_range_free(SpaprMemMap *map, uint64_t gpa, uint64_t size)
{
    bool ok;

    if (!range_ok(gpa, size)) {
        return false;
    }
    g_rw_lock_reader_lock(&map->lock);
    ok = range_free_locked(map, gpa, size);
    g_rw_lock_reader_unlock(&map->lock);
    return ok;
}

/*
 * Copy between guest and @buf, walking adjacent regions.  The whole range
 * is checked before the first byte moves, so a refused access has no
 * effect.  A host page that faults (SIGBUS, see guarded.h) fails the
 * access part-way: bytes before that page were copied.
 */
static bool memmap_access(SpaprMemMap *map, uint64_t gpa, uint8_t *buf,
                          uint64_t len, bool is_write)
{
    guint first, i;
    uint64_t addr, left;

    if (len == 0) {
        return true;
    }
    if (!range_ok(gpa, len)) {
        return false;
    }
    g_rw_lock_reader_lock(&map->lock);
    first = first_ending_above(map, gpa);
    /* Pass 1: the regions from @first on must cover the range without holes */
    addr = gpa;
    left = len;
    for (i = first; left; i++) {
        const MemRegion *r;
        uint64_t avail;

        if (i == map->regions->len) {
            goto fail;
        }
        r = &g_array_index(map->regions, MemRegion, i);
        if (r->gpa > addr) {
            goto fail;
        }
        avail = r->size - (addr - r->gpa);
        if (avail >= left) {
            break;
        }
        left -= avail;
        addr += avail;
    }
    /* Pass 2: copy */
    addr = gpa;
    left = len;
    for (i = first; left; i++) {
        const MemRegion *r = &g_array_index(map->regions, MemRegion, i);
        uint64_t off = addr - r->gpa;
        uint64_t n = MIN(left, r->size - off);

        /* A file page may fault (truncated file, full file system) */
        if (!(is_write ? spapr_guarded_copy(r->host + off, buf, n)
                       : spapr_guarded_copy(buf, r->host + off, n))) {
            goto fail;
        }
        buf += n;
        addr += n;
        left -= n;
    }
    g_rw_lock_reader_unlock(&map->lock);
    return true;
fail:
    g_rw_lock_reader_unlock(&map->lock);
    return false;
}

bool spapr_memmap_read(SpaprMemMap *map, uint64_t gpa, void *buf,
                       uint64_t len)
{
    return memmap_access(map, gpa, buf, len, false);
}

bool spapr_memmap_write(SpaprMemMap *map, uint64_t gpa, const void *buf,
                        uint64_t len)
{
    /* The cast is safe: the write path only reads from @buf. */
    return memmap_access(map, gpa, (uint8_t *)buf, len, true);
}

unsigned int spapr_memmap_count(SpaprMemMap *map)
{
    unsigned int n;

    g_rw_lock_reader_lock(&map->lock);
    n = map->regions->len;
    g_rw_lock_reader_unlock(&map->lock);
    return n;
}

bool spapr_memmap_region(SpaprMemMap *map, unsigned int i,
                         SpaprMemRegionInfo *out)
{
    bool ok = false;

    g_rw_lock_reader_lock(&map->lock);
    if (i < map->regions->len) {
        const MemRegion *r = &g_array_index(map->regions, MemRegion, i);

        out->name = r->name;
        out->gpa = r->gpa;
        out->size = r->size;
        out->host = r->host;
        ok = true;
    }
    g_rw_lock_reader_unlock(&map->lock);
    return ok;
}
