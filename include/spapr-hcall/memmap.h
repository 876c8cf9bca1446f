/*
 * spapr-hcall: a guest physical memory map of [base, size) -> host regions
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Plain data: the standalone host (host-standalone.h) keeps its guest
 * physical address space in one; it has no clock, log or host ops.
 * Regions never overlap; accesses may span adjacent regions but never a
 * hole, and never touch host memory outside a region.  Thread-safe:
 * lookups take a read lock, add/remove a write lock.
 */
#ifndef SPAPR_HCALL_MEMMAP_H
#define SPAPR_HCALL_MEMMAP_H

#include "spapr-hcall/types.h"

typedef struct SpaprMemRegionInfo {
    const char *name;
    uint64_t gpa;
    uint64_t size;
    void *host;
} SpaprMemRegionInfo;

SpaprMemMap *spapr_memmap_new(void);
void spapr_memmap_free(SpaprMemMap *map);

/* Fails (SPAPR_ERROR_OVERLAP / _INVALID) on overlap, size 0 or wrap. */
bool spapr_memmap_add(SpaprMemMap *map, const char *name, uint64_t gpa,
                      uint64_t size, void *host, GError **errp);
/* Remove the region that is exactly [gpa, gpa + size); false if none. */
bool spapr_memmap_remove(SpaprMemMap *map, uint64_t gpa, uint64_t size);

/* True if no byte of [gpa, gpa + size) is mapped (and it does not wrap). */
bool spapr_memmap_range_free(SpaprMemMap *map, uint64_t gpa, uint64_t size);

/*
 * False if the range is not fully mapped (nothing copied), or if a host
 * page faulted (spapr_guarded_take_fault() is then true; the bytes before
 * that page were copied).
 */
bool spapr_memmap_read(SpaprMemMap *map, uint64_t gpa, void *buf,
                       uint64_t len);
bool spapr_memmap_write(SpaprMemMap *map, uint64_t gpa, const void *buf,
                        uint64_t len);

/* Number of regions, and a snapshot of region @i in address order. */
unsigned int spapr_memmap_count(SpaprMemMap *map);
bool spapr_memmap_region(SpaprMemMap *map, unsigned int i,
                         SpaprMemRegionInfo *out);

#endif
