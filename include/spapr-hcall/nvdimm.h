/*
 * spapr-hcall: the spapr-nvdimm device (PAPR storage-class memory)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A backend (file or anonymous RAM) holds the data area followed by the
 * label (metadata) area.  The data area is a whole number of 256 MiB SCM
 * blocks.  Each device is plugged into a PMEM DRC, index 0x90000000 + slot.
 *
 * Threading: spapr_nvdimm_create() changes the configuration (machine.h,
 * Threading): no hcall may run meanwhile.  The properties and statistics
 * may be read from any thread at any time; fault injection has its own
 * rules below.
 */
#ifndef SPAPR_HCALL_NVDIMM_H
#define SPAPR_HCALL_NVDIMM_H

#include "spapr-hcall/types.h"

#define SPAPR_NVDIMM_TYPE               "spapr-nvdimm"
#define SPAPR_SCM_BLOCK_SIZE            (256ULL << 20)
#define SPAPR_NVDIMM_MIN_LABEL_SIZE     (128ULL << 10)
#define SPAPR_NVDIMM_SLOT_AUTO          UINT32_MAX

typedef struct SpaprNvdimm SpaprNvdimm;

typedef struct SpaprNvdimmConfig {
    const char *id;             /* device id, unique in the machine */
    const char *mem_path;       /* file backend; NULL: anonymous RAM */
    uint64_t size;              /* backend size = data area + label_size */
    uint64_t label_size;        /* >= 128 KiB */
    const char *uuid;           /* NULL: generated (persisted with a file) */
    bool unarmed;               /* health: cannot persist; region read-only */
    bool readonly;              /* refuse label writes and map read-only */
    /*
     * File backend: allocate every block of the file at creation
     * (posix_fallocate), as QEMU's prealloc=on, so that a full file
     * system fails spapr_nvdimm_create() instead of a later store.
     */
    bool prealloc;
    /* Publish ibm,hcall-flush-required (default on for file backends). */
    bool hcall_flush;
    uint32_t slot;              /* PMEM DRC id, or SPAPR_NVDIMM_SLOT_AUTO */
    uint32_t numa_node;
    /*
     * Backend supplied by the host (QEMU's memory-backend-file): @size
     * bytes at @host, data area then label area, that the host mapped
     * and keeps mapped until the device is finalized.  The library never
     * unmaps it nor closes @host_fd.  @host_fd is the file behind it,
     * fdatasync()ed for H_SCM_FLUSH and at finalize, or -1 (nothing to
     * sync).  Only read when @host is set; @mem_path must then be NULL,
     * @size is required, and no state file is kept (the host owns the
     * UUID: a NULL @uuid is generated per run).  @readonly is refused.
     */
    void *host;
    int host_fd;
    /*
     * With @host: the persistence record to keep (NULL: none), the same
     * key file a file backend keeps as <mem_path>.state: UUID, label
     * size, dirty-shutdown count, and an "open" mark that makes the next
     * start count a dirty shutdown if this process dies (SIGKILL) or
     * never finishes the final fdatasync(@host_fd).  A @uuid given here
     * wins and is saved; NULL takes the recorded one.
     */
    const char *state_path;
} SpaprNvdimmConfig;

/*
 * Validate, open the backend, create its PMEM DRC if needed, attach, and
 * add the device to the machine, which then owns it.
 */
SpaprNvdimm *spapr_nvdimm_create(SpaprMachine *m,
                                 const SpaprNvdimmConfig *cfg,
                                 GError **errp);

/* The nvdimm behind a device, or NULL if it is another type. */
SpaprNvdimm *spapr_nvdimm_from_device(SpaprDevice *dev);
SpaprNvdimm *spapr_nvdimm_find(SpaprMachine *m, const char *id);

/* Read-only properties (what the device tree publishes). */
const char *spapr_nvdimm_id(const SpaprNvdimm *nv);
uint32_t spapr_nvdimm_drc_index(const SpaprNvdimm *nv);
uint64_t spapr_nvdimm_block_size(const SpaprNvdimm *nv);
uint64_t spapr_nvdimm_nr_blocks(const SpaprNvdimm *nv);
uint64_t spapr_nvdimm_label_size(const SpaprNvdimm *nv);
const char *spapr_nvdimm_uuid(const SpaprNvdimm *nv);  /* 8-4-4-4-12 */
bool spapr_nvdimm_hcall_flush_required(const SpaprNvdimm *nv);
uint32_t spapr_nvdimm_numa_node(const SpaprNvdimm *nv);
uint64_t spapr_nvdimm_persistence_failed_count(const SpaprNvdimm *nv);
bool spapr_nvdimm_is_file_backed(const SpaprNvdimm *nv);
bool spapr_nvdimm_is_readonly(const SpaprNvdimm *nv);

/*
 * Statistics (docs/nvdimm.md): the sixteen H_SCM_PERFORMANCE_STATS ids
 * without their padding ("MemLife"), then counters only the host sees
 * ("flush-requests", "syncs", "sync-ns", "flush-errors", "blocks-bound",
 * "blocks-unbound").  Any thread, any time.
 */
typedef void (*SpaprNvdimmStatFn)(const char *name, uint64_t value,
                                  void *opaque);
void spapr_nvdimm_foreach_stat(SpaprNvdimm *nv, SpaprNvdimmStatFn fn,
                               void *opaque);
/* One of them by name (trailing spaces ignored); false if unknown. */
bool spapr_nvdimm_get_stat(SpaprNvdimm *nv, const char *name,
                           uint64_t *value);

/*
 * ---- Run-time fault injection (docs/nvdimm.md, "Fault injection") ----
 *
 * Concurrency: every function below may be called from any thread (a
 * host's monitor thread) while vCPUs run hcalls on the same device; the
 * state is atomics, and an hcall sees either the old or the new value.
 * The exception is spapr_nvdimm_set_persistence_failed_count(), which
 * rewrites the state file: do not call it concurrently with itself.
 * None of them may run concurrently with spapr_machine_free().
 */

/* Health bits in PAPR numbering (PPC_BIT(0) = unarmed). */
uint64_t spapr_nvdimm_health(const SpaprNvdimm *nv);
/*
 * Set the bits in @mask to their values in @bits.  Bits 0..10 exist
 * (10 = save failed); others are dropped.  H_SCM_HEALTH reports
 * health & valid mask.
 */
void spapr_nvdimm_set_health(SpaprNvdimm *nv, uint64_t bits, uint64_t mask);
#define SPAPR_NVDIMM_HEALTH_BITS            (~0ULL << 53)   /* 0..10 */
#define SPAPR_NVDIMM_HEALTH_VALID_DEFAULT   (~0ULL << 54)   /* 0..9 */
/* The valid-bits mask H_SCM_HEALTH returns in r5 (bits 0..10 kept). */
uint64_t spapr_nvdimm_health_valid(const SpaprNvdimm *nv);
void spapr_nvdimm_set_health_valid(SpaprNvdimm *nv, uint64_t mask);

/* "MemLife ": percent of life remaining (default 100), 0..100. */
uint64_t spapr_nvdimm_mem_life(const SpaprNvdimm *nv);
bool spapr_nvdimm_set_mem_life(SpaprNvdimm *nv, uint64_t percent,
                               GError **errp);
/* "CritRscU": critical resource utilisation in percent (default 0). */
uint64_t spapr_nvdimm_crit_rsc_util(const SpaprNvdimm *nv);
bool spapr_nvdimm_set_crit_rsc_util(SpaprNvdimm *nv, uint64_t percent,
                                    GError **errp);

/*
 * The dirty-shutdown count (ibm,persistence-failed-count, read by the
 * guest at boot: a change shows after the next machine reset).  With a
 * state file it is saved at once.
 */
bool spapr_nvdimm_set_persistence_failed_count(SpaprNvdimm *nv,
                                               uint64_t count,
                                               GError **errp);
/*
 * Whether the next start of this backend counts as a dirty shutdown
 * (the state file is left marked open at close).  Fails without a
 * persistence record (RAM and host-supplied backends).
 */
bool spapr_nvdimm_set_next_start_dirty(SpaprNvdimm *nv, bool dirty,
                                       GError **errp);
bool spapr_nvdimm_next_start_dirty(const SpaprNvdimm *nv);

/* Calls whose answer can be forced. */
typedef enum SpaprNvdimmFaultOp {
    SPAPR_NVDIMM_OP_BIND,           /* H_SCM_BIND_MEM */
    SPAPR_NVDIMM_OP_UNBIND_ALL,     /* H_SCM_UNBIND_ALL, scope DRC */
    SPAPR_NVDIMM_OP_FLUSH,          /* H_SCM_FLUSH */
    SPAPR_NVDIMM_OP__MAX,
} SpaprNvdimmFaultOp;

/* "bind", "unbind-all", "flush"; parse returns false if unknown. */
const char *spapr_nvdimm_fault_op_name(SpaprNvdimmFaultOp op);
bool spapr_nvdimm_fault_op_parse(const char *name, SpaprNvdimmFaultOp *op);

/*
 * The next @count calls of @op (after their DRC is checked) answer
 * @status and change nothing; count 0 cancels.  @status: H_BUSY or an
 * H_LONG_BUSY_ORDER_* for every op (the continue token in r4 is the
 * caller's own, so the guest's loop resumes where it was), H_OVERLAP for
 * BIND, H_HARDWARE for FLUSH (a failed flush).  One injection per op:
 * a new one replaces the old.
 */
bool spapr_nvdimm_inject_status(SpaprNvdimm *nv, SpaprNvdimmFaultOp op,
                                int64_t status, uint32_t count,
                                GError **errp);
/* Calls left of the injection on @op (0: none) and its status. */
uint32_t spapr_nvdimm_injected_status(const SpaprNvdimm *nv,
                                      SpaprNvdimmFaultOp op,
                                      int64_t *status);

/* How H_SCM_PERFORMANCE_STATS answers, until changed. */
typedef enum SpaprNvdimmStatsFault {
    SPAPR_NVDIMM_STATS_OK,
    SPAPR_NVDIMM_STATS_AUTHORITY,   /* every call: H_AUTHORITY */
    SPAPR_NVDIMM_STATS_UNSUPPORTED, /* every call: H_UNSUPPORTED */
    SPAPR_NVDIMM_STATS_ZERO_LENGTH, /* the sizing call: H_SUCCESS, 0 */
    SPAPR_NVDIMM_STATS__MAX,
} SpaprNvdimmStatsFault;

/* "ok", "authority", "unsupported", "zero-length" */
const char *spapr_nvdimm_stats_fault_name(SpaprNvdimmStatsFault f);
bool spapr_nvdimm_stats_fault_parse(const char *name,
                                    SpaprNvdimmStatsFault *f);
SpaprNvdimmStatsFault spapr_nvdimm_stats_fault(const SpaprNvdimm *nv);
void spapr_nvdimm_set_stats_fault(SpaprNvdimm *nv, SpaprNvdimmStatsFault f);

/*
 * Every knob above by name, values as text, for monitors (spapr-hv's
 * qtest and QMP, the QEMU glue's QOM properties):
 *   health, health-valid          numbers (0x.. accepted), PAPR bits
 *   mem-life, crit-rsc-util       0..100
 *   dirty-shutdown-count          number
 *   next-start-dirty              on/off (true/false, 1/0)
 *   stats-fault                   ok, authority, unsupported, zero-length
 *   inject-bind, inject-unbind-all, inject-flush
 *                                 STATUS:COUNT (H_BUSY:3, 9901:1) or none
 * get returns a new string (g_free); both fail with SPAPR_ERROR_NOT_FOUND
 * for an unknown knob and set with SPAPR_ERROR_INVALID for a bad value.
 */
const char *const *spapr_nvdimm_knob_names(void);   /* NULL-terminated */
bool spapr_nvdimm_knob_set(SpaprNvdimm *nv, const char *knob,
                           const char *value, GError **errp);
char *spapr_nvdimm_knob_get(const SpaprNvdimm *nv, const char *knob,
                            GError **errp);

#endif
