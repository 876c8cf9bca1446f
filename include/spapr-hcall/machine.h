/*
 * spapr-hcall: the machine model (memory map, vCPUs, devices, DRCs)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * No global state: every object hangs off a SpaprMachine, and several
 * machines may live in one process.
 *
 * Threading: hcalls (hcall.h) find devices through the DRC registry and
 * the device list without a lock.  So configuration changes -- adding a
 * device (spapr_nvdimm_create(), spapr_epapr_enable_magic_page()), DRC
 * changes (drc.h), spapr_machine_reset(), loading state (vmstate.h),
 * hcall unregistration -- must not run concurrently with any hcall, nor
 * with each other, nor with the readers below.  The host guarantees it
 * by stopping the vCPUs or by one lock around hcalls and configuration:
 * QEMU holds the BQL for every hcall (TCG, MTTCG too, delivers the "sc"
 * exception under it; KVM handles KVM_EXIT_PAPR_HCALL under it) and for
 * device_add and reset; spapr-hv serves hcalls and QMP on one thread.
 * spapr_machine_free() needs all other calls finished.  Everything else
 * here (find/foreach device, accessors, guest memory, clock, log) may run
 * concurrently with hcalls on any thread.
 */
#ifndef SPAPR_HCALL_MACHINE_H
#define SPAPR_HCALL_MACHINE_H

#include "spapr-hcall/types.h"

#define SPAPR_MSR_SF    (1ULL << 63)
#define SPAPR_MSR_HV    (1ULL << 60)
#define SPAPR_MSR_EE    (1ULL << 15)
#define SPAPR_MSR_PR    (1ULL << 14)
#define SPAPR_MSR_LE    (1ULL << 0)

/* Memory is handed out in LMB/SCM-block units of 256 MiB. */
#define SPAPR_HCALL_MEMORY_BLOCK_SIZE     (256ULL << 20)

typedef struct SpaprCpuStats SpaprCpuStats;

struct SpaprCpu {
    uint64_t gpr[32];
    uint64_t msr;
    uint64_t pc;
    uint32_t index;
    SpaprMachine *machine;
    SpaprCpuStats *stats;       /* private to the dispatcher */
};

typedef struct SpaprMachineConfig {
    /*
     * Host ops and their opaque pointer.  NULL ops: the machine makes
     * (and frees) a standalone host of its own (host-standalone.h) with
     * @ram_size bytes of RAM at guest physical address 0.
     */
    const SpaprHostOps *ops;
    void *opaque;
    uint64_t ram_size;          /* multiple of 256 MiB, may be 0 when hosted */
    unsigned int nr_cpus;       /* 1 if 0 */
    /*
     * Guest physical window where the hypervisor places device memory it
     * chooses the address of (SCM binds with target all-ones), skipping
     * what the host's range_free op reports in use.  Defaults to
     * [max(ram_size, 4 GiB) rounded up to 1 TiB, + 64 TiB).
     */
    uint64_t device_window_base;
    uint64_t device_window_size;
    /* Trace patterns to enable at creation (besides $SPAPR_HCALL_TRACE). */
    const char *trace;
    /*
     * PMEM slots: empty PMEM DRCs 0..pmem_slots-1 are created with the
     * machine, so the device tree lists them before any NVDIMM is
     * plugged.  An NVDIMM may still use a higher slot (its DRC is then
     * created on demand).
     */
    unsigned int pmem_slots;
} SpaprMachineConfig;

/* Most PMEM slots a machine may pre-create. */
#define SPAPR_MACHINE_MAX_PMEM_SLOTS    65536

SpaprMachine *spapr_machine_new(const SpaprMachineConfig *cfg,
                                GError **errp);
/* Drain pending device work, finalize devices, free everything. */
void spapr_machine_free(SpaprMachine *m);
/* Machine reset: reset devices (pending work drains), DRCs, vCPUs. */
void spapr_machine_reset(SpaprMachine *m);

unsigned int spapr_machine_nr_cpus(SpaprMachine *m);
SpaprCpu *spapr_machine_cpu(SpaprMachine *m, unsigned int index);

uint64_t spapr_machine_ram_size(SpaprMachine *m);
/* Its own standalone host's memory map (NULL ops), else NULL. */
SpaprMemMap *spapr_machine_memmap(SpaprMachine *m);
void spapr_machine_device_window(SpaprMachine *m, uint64_t *base,
                                 uint64_t *size);
PaprDrcRegistry *spapr_machine_drcs(SpaprMachine *m);

/* Host services, through the machine's ops. */
bool spapr_machine_map(SpaprMachine *m, const char *name, uint64_t gpa,
                       uint64_t size, void *host, GError **errp);
void spapr_machine_unmap(SpaprMachine *m, uint64_t gpa, uint64_t size);
int64_t spapr_machine_clock_ns(SpaprMachine *m);
/* Tell the host of a store into its backend memory (host-ops.h). */
void spapr_machine_mark_dirty(SpaprMachine *m, void *host, uint64_t len);
void spapr_machine_log(SpaprMachine *m, SpaprLogLevel level,
                       const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Devices: the machine takes ownership on success. */
bool spapr_machine_add_device(SpaprMachine *m, SpaprDevice *dev,
                              GError **errp);
SpaprDevice *spapr_machine_find_device(SpaprMachine *m, const char *id);
typedef void (*SpaprDeviceFunc)(SpaprDevice *dev, void *opaque);
/* Devices in the order they were added. */
void spapr_machine_foreach_device(SpaprMachine *m, SpaprDeviceFunc fn,
                                  void *opaque);

/*
 * Big-endian guest memory accessors.  They return false, and touch no
 * host memory, when any byte is outside guest memory.
 */
bool spapr_guest_read(SpaprMachine *m, uint64_t gpa, void *buf,
                      uint64_t len);
bool spapr_guest_write(SpaprMachine *m, uint64_t gpa, const void *buf,
                       uint64_t len);
bool spapr_guest_ldub(SpaprMachine *m, uint64_t gpa, uint8_t *val);
bool spapr_guest_lduw_be(SpaprMachine *m, uint64_t gpa, uint16_t *val);
bool spapr_guest_ldl_be(SpaprMachine *m, uint64_t gpa, uint32_t *val);
bool spapr_guest_ldq_be(SpaprMachine *m, uint64_t gpa, uint64_t *val);
bool spapr_guest_stb(SpaprMachine *m, uint64_t gpa, uint8_t val);
bool spapr_guest_stw_be(SpaprMachine *m, uint64_t gpa, uint16_t val);
bool spapr_guest_stl_be(SpaprMachine *m, uint64_t gpa, uint32_t val);
bool spapr_guest_stq_be(SpaprMachine *m, uint64_t gpa, uint64_t val);
/* Load/store of 1, 2, 4 or 8 bytes by size; false for other sizes. */
bool spapr_guest_ldn_be(SpaprMachine *m, uint64_t gpa, unsigned int size,
                        uint64_t *val);
bool spapr_guest_stn_be(SpaprMachine *m, uint64_t gpa, unsigned int size,
                        uint64_t val);

/*
 * Load the PAPR register convention into @cpu and dispatch r3: the
 * status lands in r3 and outputs in r4..r12.  Returns the status.
 */
int64_t spapr_cpu_hcall(SpaprCpu *cpu);

#endif
