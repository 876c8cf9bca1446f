/*
 * spapr-hcall: machine internals shared by the library's own files
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HCALL_INTERNAL_H
#define SPAPR_HCALL_INTERNAL_H

#include "spapr-hcall/spapr-hcall.h"
#include "spapr-hcall/abi.h"
#include "trace-core.h"
#include "tsan-glib.h"
#include "byteorder.h"

/*
 * Opcode -> slot: PAPR opcodes by opcode/4, then the SVM range by
 * (opcode - base)/4, then the platform range one slot per opcode (its
 * first KVMPPC opcodes are consecutive, not multiples of 4).
 */
#define SPAPR_HCALL_PAPR_SLOTS      (SPAPR_HCALL_PAPR_MAX / 4 + 1)
#define SPAPR_HCALL_SVM_SLOTS       \
    ((SPAPR_HCALL_SVM_MAX - SPAPR_HCALL_SVM_BASE) / 4 + 1)
#define SPAPR_HCALL_PLATFORM_SLOTS  \
    (SPAPR_HCALL_PLATFORM_MAX - SPAPR_HCALL_PLATFORM_BASE + 1)
#define SPAPR_HCALL_NR_SLOTS        \
    (SPAPR_HCALL_PAPR_SLOTS + SPAPR_HCALL_SVM_SLOTS + \
     SPAPR_HCALL_PLATFORM_SLOTS)

/* Slots of the other conventions (abi.h), after the PAPR ones */
#define SPAPR_ABI_SLOTS_EPAPR       (64 + 64)       /* vendors 1, 42 */
#define SPAPR_ABI_SLOTS_BEAT        (256 + 0x240)   /* vendors 0, 1 */
#define SPAPR_ABI_SLOTS_PS3         256
#define SPAPR_ABI_SLOTS_KVM_X86     16
#define SPAPR_ABI_SLOTS_KVM_S390    8
#define SPAPR_ABI_SLOTS_XEN         SPAPR_XEN_NR_STUBS
#define SPAPR_ABI_NR_SLOTS          \
    (SPAPR_ABI_SLOTS_EPAPR + SPAPR_ABI_SLOTS_BEAT + SPAPR_ABI_SLOTS_PS3 + \
     SPAPR_ABI_SLOTS_KVM_X86 + SPAPR_ABI_SLOTS_KVM_S390 + SPAPR_ABI_SLOTS_XEN)

/*
 * hcall-names.c: the name tables (built from hcall-defs.h), sorted by
 * value; @opcodes picks the opcode table, else the status table.
 */
typedef struct SpaprNamedValue {
    int64_t value;
    const char *name;
} SpaprNamedValue;
const SpaprNamedValue *spapr_hcall_name_table_(bool opcodes, size_t *n);

typedef struct SpaprHcallCounter {
    uint64_t calls;
    uint64_t errors;
    uint64_t total_ns;
} SpaprHcallCounter;

/*
 * Per-vCPU counters: only that vCPU's thread writes them, and they only
 * grow.  A statistics reset never writes them: it moves the machine's
 * baseline (SpaprMachine.stats_base), so a count racing a reset lands
 * either before or after it, never nowhere.
 */
struct SpaprCpuStats {
    SpaprHcallCounter row[SPAPR_HCALL_MAX_REGISTERED];
    SpaprHcallCounter unhandled;
    /* calls refused by the other conventions (PAPR's: unhandled) */
    SpaprHcallCounter abi_refused[SPAPR_ABI_COUNT];
};

typedef struct SpaprWorkers SpaprWorkers;
typedef struct SpaprRecorder SpaprRecorder;
typedef int64_t (*SpaprRecordedFn)(SpaprMachine *m, SpaprCpu *cpu,
                                   const SpaprHcallInfo *info,
                                   uint64_t opcode, uint64_t *args,
                                   void *opaque);

/* record.c (recording on: m->recording) */
int64_t spapr_record_hcall_(SpaprMachine *m, SpaprCpu *cpu,
                           const SpaprHcallInfo *info, uint64_t opcode,
                           uint64_t *args, SpaprRecordedFn fn, void *opaque);
void spapr_record_mem_(SpaprMachine *m, bool write, uint64_t gpa,
                      const void *buf, uint64_t len);
void spapr_record_reset_(SpaprMachine *m);
void spapr_record_knob_(SpaprMachine *m, uint32_t drc, const char *knob,
                       const char *value);
void spapr_record_free_(SpaprMachine *m);

struct SpaprMachine {
    const SpaprHostOps *ops;
    void *opaque;

    /* The host the machine made itself (NULL ops in the config) */
    SpaprStandaloneHost *own_host;
    uint64_t ram_size;
    uint64_t devwin_base;
    uint64_t devwin_size;

    SpaprCpu **cpus;
    unsigned int nr_cpus;

    /* device list and hcall table writes, stats_base */
    GMutex lock;
    GPtrArray *devices;
    PaprDrcRegistry *drcs;

    /*
     * hcall table: slot -> row + 1 (0 = none); PAPR slots first.  Written
     * under the lock with a release store after the row; read on the fast
     * path without it (spapr_slot_row(), acquire).
     */
    uint16_t slot_row[SPAPR_HCALL_NR_SLOTS + SPAPR_ABI_NR_SLOTS];
    SpaprHcallInfo rows[SPAPR_HCALL_MAX_REGISTERED];
    bool row_used[SPAPR_HCALL_MAX_REGISTERED];
    uint8_t row_abi[SPAPR_HCALL_MAX_REGISTERED];    /* SpaprAbiId */
    bool stats_timing;
    /* Non-zero while any trace event or timing is on: the slow path */
    uint32_t observe;
    /* counters of calls made without a vCPU, shared: updated atomically */
    SpaprCpuStats *nocpu_stats;
    /*
     * Under the lock: the sums of all counters at the last reset.  Reported
     * statistics are the sums minus this (modulo 2^64).
     */
    SpaprCpuStats stats_base;

    SpaprTraceState trace;

    /* record.c: the recorder (created at the first start), and whether
     * it is on (atomic) */
    SpaprRecorder *recorder;
    uint32_t recording;

    /* spapr_ticks() calibration: a tick and CLOCK_MONOTONIC pair */
    uint64_t ticks0;
    int64_t ticks0_ns;

    /* Background work of the devices (workers.c); no thread until used */
    SpaprWorkers *workers;
};

/*
 * machine.c: where device memory goes in guest physical space (SCM
 * binds).  The policy is the machine's: 256 MiB blocks, first fit in the
 * device window, never over the machine's RAM or what the host reports in
 * use (SpaprHostOps.range_free; the standalone host's region map).  @busy,
 * if not NULL, adds the caller's own ranges that are promised but not
 * mapped yet: it returns true if [gpa, + size) hits one, and sets
 * *skip_to to the end of what it hit.
 */
typedef bool (*SpaprGpaBusyFn)(void *opaque, uint64_t gpa, uint64_t size,
                               uint64_t *skip_to);
/* True if [gpa, + size) is free for device memory; size > 0, no wrap. */
bool spapr_machine_gpa_free_(SpaprMachine *m, uint64_t gpa, uint64_t size,
                            SpaprGpaBusyFn busy, void *opaque);
/* The lowest free, block-aligned @size bytes of the device window. */
bool spapr_machine_alloc_gpa_(SpaprMachine *m, uint64_t size,
                             SpaprGpaBusyFn busy, void *opaque,
                             uint64_t *gpa);

/* workers.c: a bounded pool of threads, started on demand (thread-safe) */
#define SPAPR_MACHINE_WORKER_THREADS    4
typedef void (*SpaprWorkFn)(void *opaque);
SpaprWorkers *spapr_workers_new_(unsigned int max_threads);
/* Run @fn(@opaque) on a worker thread, FIFO. */
void spapr_workers_push_(SpaprWorkers *w, SpaprWorkFn fn, void *opaque);
unsigned int spapr_workers_nr_threads_(SpaprWorkers *w);
/* Runs what is queued, then joins the threads. */
void spapr_workers_free_(SpaprWorkers *w);

/* Slot of @opcode, or -1 if it is outside the ranges or misaligned. */
static inline int spapr_hcall_slot(uint64_t opcode)
{
    if (opcode <= SPAPR_HCALL_PAPR_MAX) {
        if (opcode < SPAPR_HCALL_PAPR_MIN || (opcode & 3)) {
            return -1;
        }
        return opcode / 4;
    }
    if (opcode >= SPAPR_HCALL_SVM_BASE && opcode <= SPAPR_HCALL_SVM_MAX) {
        if (opcode & 3) {
            return -1;
        }
        return SPAPR_HCALL_PAPR_SLOTS + (opcode - SPAPR_HCALL_SVM_BASE) / 4;
    }
    if (opcode >= SPAPR_HCALL_PLATFORM_BASE &&
        opcode <= SPAPR_HCALL_PLATFORM_MAX) {
        return SPAPR_HCALL_PAPR_SLOTS + SPAPR_HCALL_SVM_SLOTS +
               (opcode - SPAPR_HCALL_PLATFORM_BASE);
    }
    return -1;
}

/*
 * Row + 1 registered at @slot (>= 0), or 0.  The acquire pairs with the
 * release store of registration: whoever sees the slot sees the row.
 */
static inline unsigned int spapr_slot_row(SpaprMachine *m, int slot)
{
    return __atomic_load_n(&m->slot_row[slot], __ATOMIC_ACQUIRE);
}

/* Slot of @nr in convention @abi (abi-core.c), or -1. */
int spapr_abi_slot_(const SpaprAbi *abi, uint64_t nr);
/*
 * The first @n registers of @list with their values, "r4=0x1 r5=0x2", as
 * the trace events print them (the PAPR and the other conventions' alike).
 */
char *spapr_abi_format_regs_(const SpaprAbi *abi, const SpaprAbiRegList *list,
                            unsigned int n, const uint64_t *vals);

/* Slot of a row: PAPR opcode or another convention's number, or -1. */
static inline int spapr_row_slot(unsigned int abi, uint64_t nr)
{
    if (abi == SPAPR_ABI_PAPR) {
        return spapr_hcall_slot(nr);
    }
    return abi < SPAPR_ABI_COUNT ? spapr_abi_slot_(spapr_abi_get(abi), nr)
                                 : -1;
}

/*
 * For the adapters (abi-core.c): run registered row @row (0-based) with
 * the table's counters and timing; no trace.
 */
int64_t spapr_hcall_run_row_(SpaprMachine *m, SpaprCpu *cpu,
                            unsigned int row, uint64_t nr, uint64_t *args);
/* Count a call refused by convention @abi. */
void spapr_hcall_count_refused_(SpaprMachine *m, SpaprCpu *cpu,
                               SpaprAbiId abi, bool error);

SpaprCpuStats *spapr_cpu_stats_new_(void);

/*
 * A cheap tick counter for durations measured on hot paths (a clock_gettime
 * pair costs more than the label access it would time).  Convert with
 * spapr_machine_ticks_to_ns_().
 */
static inline uint64_t spapr_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_ia32_rdtsc();
#elif defined(__powerpc64__)
    return __builtin_ppc_get_timebase();
#elif defined(__aarch64__)
    uint64_t v;

    __asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
    return v;
#else
    return spapr_monotonic_ns();
#endif
}

uint64_t spapr_machine_ticks_to_ns_(SpaprMachine *m, uint64_t ticks);

/*
 * The status for a guest access at @gpa that just failed: H_HARDWARE
 * (and an error log line) if a host page faulted, else @unmapped.
 */
int64_t spapr_guest_access_status_(SpaprMachine *m, uint64_t gpa,
                                  int64_t unmapped);
/* Recompute SpaprMachine.observe after a trace or timing change. */
void spapr_machine_update_observe_(SpaprMachine *m);

/* hcall-dispatch.c: the per-opcode statistics in the machine state. */
void spapr_hcall_state_save_(SpaprMachine *m, GByteArray *w);
bool spapr_hcall_state_load_(SpaprMachine *m, SpaprStateReader *r,
                            bool apply, GError **errp);

#endif
