/*
 * spapr-hcall: the standalone host (a program that runs without QEMU)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A ready-made SpaprHostOps implementation: guest RAM is anonymous memory
 * at guest physical address 0, the guest physical address space is a
 * SpaprMemMap, the clock is CLOCK_MONOTONIC and log lines go to stderr.
 * A program replaces the clock or the log (or both) through the config;
 * memory stays the host's.
 *
 * spapr_machine_new() with NULL ops creates one of these itself.  A
 * program that needs its own clock or log creates it and passes it on:
 *
 *     SpaprStandaloneHostConfig hc = { .ram_size = ram, .log = my_log,
 *                                      .opaque = me };
 *     SpaprStandaloneHost *h = spapr_standalone_host_new(&hc, errp);
 *     SpaprMachineConfig mc = { .ops = &spapr_standalone_host_ops,
 *                               .opaque = h, .ram_size = ram };
 *
 * and frees the host after the machine (devices unmap themselves
 * through it while the machine is freed).
 */
#ifndef SPAPR_HCALL_HOST_STANDALONE_H
#define SPAPR_HCALL_HOST_STANDALONE_H

#include "spapr-hcall/types.h"

typedef struct SpaprStandaloneHost SpaprStandaloneHost;

/*
 * The host's CLOCK_MONOTONIC in nanoseconds: the standalone host's default
 * clock, and the clock the library times host work with (fdatasync
 * durations, tick calibration) whatever the machine clock is.  Any
 * thread.
 */
int64_t spapr_monotonic_ns(void);

/* Same signatures as the SpaprHostOps members they replace. */
typedef int64_t (*SpaprHostClockFn)(void *opaque);
typedef void (*SpaprHostLogFn)(void *opaque, SpaprLogLevel level,
                               const char *msg);

typedef struct SpaprStandaloneHostConfig {
    /* Bytes of anonymous, lazily populated RAM at GPA 0 ("ram"); 0: none */
    uint64_t ram_size;
    /* Monotonic nanoseconds; NULL: CLOCK_MONOTONIC. */
    SpaprHostClockFn clock_ns;
    /*
     * One log line; NULL: stderr, prefixed by spapr_log_level_prefix()
     * except for trace lines (they carry their event name).
     */
    SpaprHostLogFn log;
    /* Passed to @clock_ns and @log, which any thread may call. */
    void *opaque;
} SpaprStandaloneHostConfig;

/*
 * A host with @cfg's RAM mapped; NULL @cfg: no RAM, default clock and
 * log.  Fails (SPAPR_ERROR_IO) if the RAM cannot be allocated.
 */
SpaprStandaloneHost *spapr_standalone_host_new(
    const SpaprStandaloneHostConfig *cfg, GError **errp);
/* Unmaps the RAM.  Free the machine using the host first. */
void spapr_standalone_host_free(SpaprStandaloneHost *h);

/* The guest physical address space: RAM, then what machines map(). */
SpaprMemMap *spapr_standalone_host_memmap(SpaprStandaloneHost *h);

/*
 * The host's SpaprHostOps: give them to spapr_machine_new() with the host
 * as the opaque pointer.  All are set but mark_dirty (nothing here
 * tracks dirty memory).
 */
extern const SpaprHostOps spapr_standalone_host_ops;

#endif
