/*
 * spapr-hcall: the spapr-nvdimm device (PAPR storage-class memory)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A backend (file or anonymous RAM) holds the data area followed by the
 * label (metadata) area.  The data area is a whole number of 256 MiB SCM
 * blocks.  Each device is plugged into a PMEM DRC, index 0x90000000 + slot.
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

/* Health bits in PAPR numbering (PPC_BIT(0) = unarmed). */
uint64_t spapr_nvdimm_health(const SpaprNvdimm *nv);
/* Set the bits in @mask to their values in @bits. */
void spapr_nvdimm_set_health(SpaprNvdimm *nv, uint64_t bits, uint64_t mask);

#endif
