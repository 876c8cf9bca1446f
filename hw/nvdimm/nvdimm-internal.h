/*
 * spapr-hcall: spapr-nvdimm internals, private to hw/nvdimm/
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Locking: a device's bindings (block_gpa, bindings, the operations in
 * progress and their tokens) are under its bindings_lock.  Walking the
 * machine's devices (choosing a free range, UNBIND_ALL scope ALL, QUERY_
 * LOGICAL_MEM_BINDING) holds the machine lock, which guards the device
 * list, and takes each device's bindings_lock in turn (nvdimm-bind.c).
 * Label data needs no lock for readers (a sequence lock makes each access
 * atomic; writers take label_lock).  Health, fault injection and
 * statistics are atomics.  Flush state has its own mutex.
 */
#ifndef SPAPR_NVDIMM_INTERNAL_H
#define SPAPR_NVDIMM_INTERNAL_H

#include "internal.h"
#include "spapr-hcall/nvdimm.h"

/* Health bits Linux decodes (PAPR numbering, bit 0 is the MSB). */
#define SPAPR_NVDIMM_HEALTH_UNARMED         PAPR_PPC_BIT(0)
#define SPAPR_NVDIMM_HEALTH_SHUTDOWN_DIRTY  PAPR_PPC_BIT(1)
#define SPAPR_NVDIMM_HEALTH_SHUTDOWN_CLEAN  PAPR_PPC_BIT(2)
#define SPAPR_NVDIMM_HEALTH_EMPTY           PAPR_PPC_BIT(3)
#define SPAPR_NVDIMM_HEALTH_CRITICAL        PAPR_PPC_BIT(4)
#define SPAPR_NVDIMM_HEALTH_FATAL           PAPR_PPC_BIT(5)
#define SPAPR_NVDIMM_HEALTH_UNHEALTHY       PAPR_PPC_BIT(6)
#define SPAPR_NVDIMM_HEALTH_NON_CRITICAL    PAPR_PPC_BIT(7)
#define SPAPR_NVDIMM_HEALTH_ENCRYPTED       PAPR_PPC_BIT(8)
#define SPAPR_NVDIMM_HEALTH_SCRUBBED_LOCKED PAPR_PPC_BIT(9)
#define SPAPR_NVDIMM_HEALTH_SAVE_FAILED     PAPR_PPC_BIT(10)

/* Blocks one H_SCM_BIND_MEM call maps at most (one map() per call). */
#define SPAPR_NVDIMM_BIND_CHUNK_BLOCKS      256         /* 64 GiB */
#define SPAPR_NVDIMM_UNBOUND                UINT64_MAX
/* Mappings one UNBIND_MEM / UNBIND_ALL call removes at most. */
#define SPAPR_NVDIMM_UNBIND_BUDGET          64

/* One map() of a run of blocks: [gpa, gpa + nblocks * block size). */
typedef struct NvdimmBinding {
    uint64_t gpa;
    uint64_t block;
    uint64_t nblocks;
} NvdimmBinding;

/* A BIND_MEM that did not finish in one call. */
typedef struct NvdimmBindOp {
    uint64_t token;             /* 0: none in progress */
    uint64_t start;             /* first block */
    uint64_t count;             /* blocks asked for */
    uint64_t target;            /* as the guest passed it (r7) */
    uint64_t gpa;               /* address of block @start */
    uint64_t done;              /* blocks bound so far */
} NvdimmBindOp;

/* Statistics: counters are updated with atomics. */
typedef enum NvdimmStat {
    NVDIMM_STAT_PON_SECS,       /* computed, not counted */
    NVDIMM_STAT_RESET_COUNT,
    NVDIMM_STAT_RESET_TIME,
    NVDIMM_STAT_META_READS,
    NVDIMM_STAT_META_READ_TICKS,    /* spapr_ticks(), see stat_value() */
    NVDIMM_STAT_META_WRITES,
    NVDIMM_STAT_META_WRITE_TICKS,
    NVDIMM_STAT_FLUSHES,        /* H_SCM_FLUSH requests */
    NVDIMM_STAT_SYNCS,          /* fdatasync()s actually run */
    NVDIMM_STAT_SYNC_NS,
    NVDIMM_STAT_FLUSH_ERRORS,
    NVDIMM_STAT_BINDS,          /* blocks bound */
    NVDIMM_STAT_UNBINDS,        /* blocks unbound */
    NVDIMM_STAT__MAX,
} NvdimmStat;

typedef struct NvdimmFlush NvdimmFlush;

typedef struct NvdimmCpuStats {
    uint64_t v[NVDIMM_STAT__MAX];
} __attribute__((aligned(64))) NvdimmCpuStats;

struct SpaprNvdimm {
    SpaprDevice parent;
    SpaprMachine *m;

    /* Backend: [0, data_size) data, [data_size, size) label area */
    char *mem_path;             /* NULL: anonymous RAM */
    char *state_path;           /* <mem_path>.state, NULL for RAM */
    int fd;                     /* -1 for RAM */
    dev_t file_dev;             /* the file's identity (busy check) */
    ino_t file_ino;
    uint8_t *host;
    bool host_owned;            /* host/fd came from the config: keep them */
    uint64_t size;
    uint64_t data_size;
    uint64_t label_size;
    uint64_t nr_blocks;

    char uuid[37];
    bool unarmed;
    bool readonly;
    bool prealloc;              /* file blocks allocated at open */
    bool hcall_flush;
    uint32_t numa_node;
    uint64_t persistence_failed_count;
    PaprDrc *drc;
    bool drc_created;
    int64_t created_ns;

    uint64_t health;            /* atomic */
    /* Fault injection (atomics; nvdimm-fault.c) */
    uint64_t health_valid;
    uint64_t mem_life;
    uint64_t crit_rsc_util;
    bool next_start_dirty;
    uint32_t stats_fault;       /* SpaprNvdimmStatsFault */
    /* Per op: injected status << 32 | calls left (0: none) */
    uint64_t fault[SPAPR_NVDIMM_OP__MAX];

    /*
     * Bindings: under bindings_lock.  block_gpa is also read without it
     * (atomic loads, QUERY_BLOCK_MEM_BINDING).
     */
    GMutex bindings_lock;
    uint64_t *block_gpa;        /* per block, SPAPR_NVDIMM_UNBOUND if not */
    GArray *bindings;           /* NvdimmBinding, in no particular order */
    NvdimmBindOp bind_op;
    NvdimmBindOp unbind_op;     /* UNBIND_MEM in progress (gpa, count) */
    uint64_t unbind_all_token;  /* UNBIND_ALL scope DRC in progress */
    uint64_t unbind_scope_all_token;    /* UNBIND_ALL scope ALL */
    uint64_t bind_chunk_blocks;
    uint64_t next_token;

    /*
     * Label area: a sequence lock, so that an access of up to 8 bytes is
     * atomic to concurrent readers without a locked instruction on the
     * read path.  Writers serialise on label_lock; label_seq is odd while
     * one writes.
     */
    GMutex label_lock;
    uint32_t label_seq;

    NvdimmFlush *flush;
    uint64_t stats[NVDIMM_STAT__MAX];   /* atomic */
    /* Per-vCPU counters: only that vCPU's thread writes its row */
    NvdimmCpuStats *cpu_stats;
    unsigned int nr_cpu_stats;
};

static inline void nvdimm_stat_add(SpaprNvdimm *nv, NvdimmStat s,
                                   uint64_t n)
{
    __atomic_fetch_add(&nv->stats[s], n, __ATOMIC_RELAXED);
}

/* Hot paths: no locked instruction when the caller is a known vCPU. */
static inline void nvdimm_stat_add_cpu(SpaprNvdimm *nv, SpaprCpu *cpu,
                                       NvdimmStat s, uint64_t n)
{
    if (cpu && cpu->index < nv->nr_cpu_stats) {
        uint64_t *c = &nv->cpu_stats[cpu->index].v[s];

        __atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
    } else {
        nvdimm_stat_add(nv, s, n);
    }
}

/* Sum of the shared and per-vCPU counters of @s. */
uint64_t nvdimm_stat_sum_(SpaprNvdimm *nv, NvdimmStat s);

/* The nvdimm behind PMEM DRC @index, or NULL with the lookup result. */
SpaprNvdimm *spapr_nvdimm_by_drc_(SpaprMachine *m, uint32_t index,
                                 PaprDrcLookup *res);

/*
 * What a device operation answers; nvdimm-hcalls.c turns it into an H_*
 * code (the H_Pn of a refused input depends on the call's registers).
 */
typedef enum NvdimmStatus {
    NVDIMM_OK,
    NVDIMM_MORE,                /* not finished: continue with the token */
    NVDIMM_BAD_WHERE,           /* block, address or label offset */
    NVDIMM_BAD_LENGTH,          /* label access size */
    NVDIMM_BAD_COUNT,           /* number of blocks */
    NVDIMM_BAD_TARGET,          /* bind address unaligned or wrapping */
    NVDIMM_BAD_TOKEN,
    NVDIMM_BAD_DATA,            /* bits set above 8 * len */
    NVDIMM_READONLY,
    NVDIMM_OVERLAP,
    NVDIMM_NO_SPACE,
    NVDIMM_NOT_FOUND,
    NVDIMM_FAULT,               /* a backing page faulted (logged) */
    NVDIMM_HOST_ERROR,          /* the host could not map (logged) */
} NvdimmStatus;

/* nvdimm-label.c: label area accesses of 1, 2, 4 or 8 bytes (checked). */
NvdimmStatus spapr_nvdimm_label_read_(SpaprNvdimm *nv, SpaprCpu *cpu,
                                     uint64_t offset, uint64_t len,
                                     uint64_t *val);
NvdimmStatus spapr_nvdimm_label_write_(SpaprNvdimm *nv, SpaprCpu *cpu,
                                      uint64_t offset, uint64_t len,
                                      uint64_t val);

/*
 * nvdimm-bind.c.  The three continue-token state machines: *token is the
 * guest's token on entry (0: a new operation) and the one to continue
 * with on NVDIMM_MORE (0 on NVDIMM_OK).  Outputs are set on NVDIMM_OK
 * and NVDIMM_MORE only, except *unbound, also set on NVDIMM_HOST_ERROR.
 */
/* BIND_MEM: *gpa where block @start is bound, *bound blocks so far. */
NvdimmStatus spapr_nvdimm_bind_(SpaprNvdimm *nv, uint64_t start,
                               uint64_t count, uint64_t target,
                               uint64_t *token, uint64_t *gpa,
                               uint64_t *bound);
/* UNBIND_MEM of [gpa, gpa + count blocks), all of it bound to @nv. */
NvdimmStatus spapr_nvdimm_unbind_(SpaprNvdimm *nv, uint64_t gpa,
                                 uint64_t count, uint64_t *token,
                                 uint64_t *unbound);
/* UNBIND_ALL, scope DRC (one device) and scope ALL (every nvdimm). */
NvdimmStatus spapr_nvdimm_unbind_device_(SpaprNvdimm *nv, uint64_t *token,
                                        uint64_t *unbound);
NvdimmStatus spapr_nvdimm_unbind_machine_(SpaprMachine *m, uint64_t *token,
                                         uint64_t *unbound);
/* QUERY_LOGICAL_MEM_BINDING: the nvdimm and block bound at @gpa. */
SpaprNvdimm *spapr_nvdimm_by_gpa_(SpaprMachine *m, uint64_t gpa,
                                 uint64_t *block);
/* Address of @block or SPAPR_NVDIMM_UNBOUND (lock-free). */
uint64_t spapr_nvdimm_block_gpa_(SpaprNvdimm *nv, uint64_t block);
/* Block of @nv containing @gpa, if bound. */
bool spapr_nvdimm_gpa_block_(SpaprNvdimm *nv, uint64_t gpa, uint64_t *block);
uint64_t spapr_nvdimm_bound_blocks_(SpaprNvdimm *nv);
void spapr_nvdimm_bind_init_(SpaprNvdimm *nv);
/* A reset: unbind everything, forget every operation in progress. */
void spapr_nvdimm_bind_reset_(SpaprNvdimm *nv);
/*
 * With bindings_lock held: unbind everything (and abandon a bind in
 * progress), at most @budget mappings; returns blocks.
 */
uint64_t spapr_nvdimm_unbind_all_(SpaprNvdimm *nv, unsigned int budget,
                                 bool *more);
/*
 * Map blocks [block, +n) at @gpa again (a binding from the state).  The
 * machine lock (a new claim) and bindings_lock held.
 */
bool spapr_nvdimm_bind_restore_(SpaprNvdimm *nv, uint64_t gpa,
                               uint64_t block, uint64_t n, GError **errp);
void spapr_nvdimm_bind_cleanup_(SpaprNvdimm *nv);

/* nvdimm-flush.c */
NvdimmFlush *spapr_nvdimm_flush_new_(SpaprNvdimm *nv);
void spapr_nvdimm_flush_free_(NvdimmFlush *f);
/* Wait for every queued flush; with @forget, drop all tokens too. */
void spapr_nvdimm_flush_drain_(NvdimmFlush *f, bool forget);
/*
 * H_SCM_FLUSH: token 0 starts a flush.  Returns the H_ status; *token is
 * the token to poll with when the status is busy.
 */
/* How long a flush hcall may wait for the sync (default 50 us). */
void spapr_nvdimm_flush_set_fast_wait_(NvdimmFlush *f, int64_t ns);
int64_t spapr_nvdimm_flush_request_(NvdimmFlush *f, uint64_t token_in,
                                   uint64_t *token);
/* The tokens in the machine state (nvdimm-vmstate.c). */
void spapr_nvdimm_flush_save_(NvdimmFlush *f, GByteArray *w);
bool spapr_nvdimm_flush_load_(NvdimmFlush *f, SpaprStateReader *r,
                             bool apply, GError **errp);

/* nvdimm-vmstate.c: SpaprDeviceClass migration hooks */
uint32_t spapr_nvdimm_state_key_(SpaprDevice *dev);
void spapr_nvdimm_save_state_(SpaprDevice *dev, GByteArray *w);
bool spapr_nvdimm_load_state_(SpaprDevice *dev, SpaprStateReader *r,
                             bool apply, GError **errp);

/* nvdimm-fault.c */
/*
 * Consume one call of the injection on @op: true with *status when the
 * call must answer it.
 */
bool spapr_nvdimm_fault_take_(SpaprNvdimm *nv, SpaprNvdimmFaultOp op,
                             int64_t *status);
void spapr_nvdimm_fault_init_(SpaprNvdimm *nv);
/* Guest-visible injected state in the migration record (appended). */
void spapr_nvdimm_fault_save_(SpaprNvdimm *nv, GByteArray *w);
bool spapr_nvdimm_fault_load_(SpaprNvdimm *nv, SpaprStateReader *r,
                             bool apply, GError **errp);

/* nvdimm-stats.c */
/* Bytes H_SCM_PERFORMANCE_STATS needs for every statistic. */
uint64_t spapr_nvdimm_stats_buffer_size_(void);
/*
 * Fill the guest buffer [gpa, gpa + size).  Returns the H_ status; on
 * H_PARTIAL *bad_id is the first unknown statistic id (big-endian u64).
 */
int64_t spapr_nvdimm_stats_fill_(SpaprNvdimm *nv, uint64_t gpa,
                                uint64_t size, uint64_t *bad_id);
uint64_t spapr_nvdimm_stat_value_(SpaprNvdimm *nv, const char id[8],
                                 bool *known);

#endif
