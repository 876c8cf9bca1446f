/*
 * spapr-hcall: the standalone host (guest RAM, address space, clock, log)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The one SpaprHostOps implementation for programs without QEMU: the
 * library's own standalone machine and tools/spapr-hv both use it, the
 * latter with its own clock and log.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include "internal.h"

struct SpaprStandaloneHost {
    SpaprMemMap *map;
    void *ram;
    uint64_t ram_size;
    SpaprHostClockFn clock_ns;
    SpaprHostLogFn log;
    void *opaque;
};

int64_t spapr_monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t default_clock_ns(void *opaque)
{
    return spapr_monotonic_ns();
}

static void default_log(void *opaque, SpaprLogLevel level, const char *msg)
{
    /* Trace lines carry their event name already: no prefix */
    fprintf(stderr, "%s%s\n",
            level == SPAPR_LOG_TRACE ? "" : spapr_log_level_prefix(level),
            msg);
}

static bool setup_ram(SpaprStandaloneHost *h, uint64_t size, GError **errp)
{
    void *ram;

    if (size == 0) {
        return true;
    }
    /* Anonymous and lazily populated: untouched guest RAM costs nothing */
    ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ram == MAP_FAILED) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                    "cannot allocate %" PRIu64 " bytes of guest RAM: %s",
                    size, g_strerror(errno));
        return false;
    }
    if (!spapr_memmap_add(h->map, "ram", 0, size, ram, errp)) {
        munmap(ram, size);
        return false;
    }
    h->ram = ram;
    h->ram_size = size;
    return true;
}

SpaprStandaloneHost *spapr_standalone_host_new(
    const SpaprStandaloneHostConfig *cfg, GError **errp)
{
    SpaprStandaloneHostConfig def = { 0 };
    SpaprStandaloneHost *h = g_new0(SpaprStandaloneHost, 1);

    if (!cfg) {
        cfg = &def;
    }
    h->map = spapr_memmap_new();
    h->clock_ns = cfg->clock_ns ? cfg->clock_ns : default_clock_ns;
    h->log = cfg->log ? cfg->log : default_log;
    h->opaque = cfg->opaque;
    if (!setup_ram(h, cfg->ram_size, errp)) {
        spapr_standalone_host_free(h);
        return NULL;
    }
    return h;
}

void spapr_standalone_host_free(SpaprStandaloneHost *h)
{
    if (!h) {
        return;
    }
    spapr_memmap_free(h->map);
    if (h->ram) {
        munmap(h->ram, h->ram_size);
    }
    g_free(h);
}

SpaprMemMap *spapr_standalone_host_memmap(SpaprStandaloneHost *h)
{
    return h->map;
}

/* ---- SpaprHostOps: memory is the map's, clock and log may be replaced */

static bool ops_read(void *opaque, uint64_t gpa, void *buf, uint64_t len)
{
    SpaprStandaloneHost *h = opaque;

    return spapr_memmap_read(h->map, gpa, buf, len);
}

static bool ops_write(void *opaque, uint64_t gpa, const void *buf,
                      uint64_t len)
{
    SpaprStandaloneHost *h = opaque;

    return spapr_memmap_write(h->map, gpa, buf, len);
}

static bool ops_map(void *opaque, const char *name, uint64_t gpa,
                    uint64_t size, void *host, GError **errp)
{
    SpaprStandaloneHost *h = opaque;

    return spapr_memmap_add(h->map, name, gpa, size, host, errp);
}

static void ops_unmap(void *opaque, uint64_t gpa, uint64_t size)
{
    SpaprStandaloneHost *h = opaque;

    spapr_memmap_remove(h->map, gpa, size);
}

static bool ops_range_free(void *opaque, uint64_t gpa, uint64_t size)
{
    SpaprStandaloneHost *h = opaque;

    return spapr_memmap_range_free(h->map, gpa, size);
}

static int64_t ops_clock_ns(void *opaque)
{
    SpaprStandaloneHost *h = opaque;

    return h->clock_ns(h->opaque);
}

static void ops_log(void *opaque, SpaprLogLevel level, const char *msg)
{
    SpaprStandaloneHost *h = opaque;

    h->log(h->opaque, level, msg);
}

const SpaprHostOps spapr_standalone_host_ops = {
    .mem_read = ops_read,
    .mem_write = ops_write,
    .map = ops_map,
    .unmap = ops_unmap,
    .clock_ns = ops_clock_ns,
    .log = ops_log,
    .range_free = ops_range_free,
};
