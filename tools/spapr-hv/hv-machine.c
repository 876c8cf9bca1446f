/*
 * spapr-hv: the program's machine (RAM, backends, devices, clock)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "hv-machine.h"
#include "hv-devices.h"

static int64_t host_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static bool hv_mem_read(void *opaque, uint64_t gpa, void *buf, uint64_t len)
{
    HvMachine *hv = opaque;

    return spapr_memmap_read(hv->map, gpa, buf, len);
}

static bool hv_mem_write(void *opaque, uint64_t gpa, const void *buf,
                         uint64_t len)
{
    HvMachine *hv = opaque;

    return spapr_memmap_write(hv->map, gpa, buf, len);
}

static bool hv_map(void *opaque, const char *name, uint64_t gpa,
                   uint64_t size, void *host, GError **errp)
{
    HvMachine *hv = opaque;

    return spapr_memmap_add(hv->map, name, gpa, size, host, errp);
}

static void hv_unmap(void *opaque, uint64_t gpa, uint64_t size)
{
    HvMachine *hv = opaque;

    spapr_memmap_remove(hv->map, gpa, size);
}

static int64_t hv_clock_ns(void *opaque)
{
    return hv_machine_clock(opaque);
}

static void hv_log(void *opaque, SpaprLogLevel level, const char *msg)
{
    HvMachine *hv = opaque;

    if (hv->quiet_guest_errors && (level == SPAPR_LOG_GUEST_ERROR ||
                                   level == SPAPR_LOG_UNIMP)) {
        return;
    }
    fprintf(hv->log ? hv->log : stderr, "spapr-hv: %s%s\n",
            spapr_log_level_prefix(level), msg);
}

static const SpaprHostOps hv_host_ops = {
    .mem_read = hv_mem_read,
    .mem_write = hv_mem_write,
    .map = hv_map,
    .unmap = hv_unmap,
    .clock_ns = hv_clock_ns,
    .log = hv_log,
};

int64_t hv_machine_clock(HvMachine *hv)
{
    if (hv->virtual_clock) {
        return hv->vclock_ns;
    }
    return host_now() - hv->start_ns;
}

int64_t hv_machine_clock_advance(HvMachine *hv, int64_t ns)
{
    if (hv->virtual_clock && ns > hv->vclock_ns) {
        hv->vclock_ns = ns;
    }
    return hv_machine_clock(hv);
}

HvMachine *hv_machine_new(const HvOptions *o, GError **errp)
{
    HvMachine *hv = g_new0(HvMachine, 1);
    SpaprMachineConfig cfg = {
        .ops = &hv_host_ops,
        .opaque = hv,
        .ram_size = o->ram_size,
        .nr_cpus = o->smp,
        .trace = o->trace,
        .pmem_slots = o->ram_slots,
    };

    hv->virtual_clock = o->accel_qtest;
    hv->start_ns = host_now();
    hv->map = spapr_memmap_new();
    hv->ram_size = o->ram_size;
    if (o->ram_size) {
        /* lazily populated: untouched guest RAM costs nothing */
        hv->ram = mmap(NULL, o->ram_size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (hv->ram == MAP_FAILED) {
            hv->ram = NULL;
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                        "cannot allocate %" PRIu64 " bytes of RAM: %s",
                        o->ram_size, g_strerror(errno));
            hv_machine_free(hv);
            return NULL;
        }
        if (!spapr_memmap_add(hv->map, "ram", 0, o->ram_size, hv->ram,
                              errp)) {
            hv_machine_free(hv);
            return NULL;
        }
    }
    hv->m = spapr_machine_new(&cfg, errp);
    if (!hv->m || !hv_devices_setup(hv, o, errp)) {
        hv_machine_free(hv);
        return NULL;
    }
    return hv;
}

void hv_machine_free(HvMachine *hv)
{
    if (!hv) {
        return;
    }
    /* devices unmap themselves through our ops: free the machine first */
    spapr_machine_free(hv->m);
    spapr_memmap_free(hv->map);
    if (hv->ram) {
        munmap(hv->ram, hv->ram_size);
    }
    g_free(hv);
}
