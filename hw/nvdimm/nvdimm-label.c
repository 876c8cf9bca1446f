/*
 * spapr-hcall: the nvdimm label (metadata) area
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * H_SCM_READ_METADATA / H_SCM_WRITE_METADATA move 1, 2, 4 or 8 bytes
 * through a register.  The first label byte is the most significant byte
 * of the value, whatever the guest's endianness.  Any offset is allowed as
 * long as every byte is inside the label area.
 *
 * Each access is atomic to the others (a sequence lock: readers retry if
 * a writer ran meanwhile), so a multi-threaded host never sees a torn
 * label word even though Linux serialises its own updates.  The backing
 * page may fault (truncated file, full file system): that access then
 * fails with NVDIMM_FAULT and a log line instead of a SIGBUS.
 */
#include "nvdimm-internal.h"

static bool len_ok(uint64_t len)
{
    return len == 1 || len == 2 || len == 4 || len == 8;
}

/* offset + len <= label_size, without overflowing */
static bool range_ok(SpaprNvdimm *nv, uint64_t offset, uint64_t len)
{
    return offset <= nv->label_size && len <= nv->label_size - offset;
}

static NvdimmStatus label_fault(SpaprNvdimm *nv, uint64_t offset,
                                bool write)
{
    spapr_guarded_take_fault();
    spapr_machine_log(nv->m, SPAPR_LOG_ERROR,
                      "nvdimm '%s': label %s at offset 0x%" PRIx64
                      " faulted (backing file truncated or its file "
                      "system full)", nv->parent.id,
                      write ? "write" : "read", offset);
    return NVDIMM_FAULT;
}

NvdimmStatus spapr_nvdimm_label_read_(SpaprNvdimm *nv, SpaprCpu *cpu,
                                     uint64_t offset, uint64_t len,
                                     uint64_t *val)
{
    const uint8_t *p;
    uint64_t t0;
    uint32_t seq;

    if (!len_ok(len)) {
        return NVDIMM_BAD_LENGTH;
    }
    if (!range_ok(nv, offset, len)) {
        return NVDIMM_BAD_WHERE;
    }
    t0 = spapr_ticks();
    p = nv->host + nv->data_size + offset;
    for (;;) {
        seq = __atomic_load_n(&nv->label_seq, __ATOMIC_ACQUIRE);
        if (seq & 1) {
            /* a writer is in the middle of its few bytes */
            continue;
        }
        /* acquire loads: the second seq load cannot move above them */
        if (!spapr_guarded_load_be(p, len, val)) {
            return label_fault(nv, offset, false);
        }
        if (__atomic_load_n(&nv->label_seq, __ATOMIC_ACQUIRE) == seq) {
            break;
        }
    }
    nvdimm_stat_add_cpu(nv, cpu, NVDIMM_STAT_META_READS, 1);
    nvdimm_stat_add_cpu(nv, cpu, NVDIMM_STAT_META_READ_TICKS,
                        spapr_ticks() - t0);
    return NVDIMM_OK;
}

NvdimmStatus spapr_nvdimm_label_write_(SpaprNvdimm *nv, SpaprCpu *cpu,
                                      uint64_t offset, uint64_t len,
                                      uint64_t val)
{
    uint8_t *p;
    uint64_t t0;
    uint32_t seq;
    bool ok;

    if (!len_ok(len)) {
        return NVDIMM_BAD_LENGTH;
    }
    if (!range_ok(nv, offset, len)) {
        return NVDIMM_BAD_WHERE;
    }
    if (nv->readonly) {
        return NVDIMM_READONLY;
    }
    if (len < 8 && (val >> (8 * len))) {
        return NVDIMM_BAD_DATA;
    }
    t0 = spapr_ticks();
    p = nv->host + nv->data_size + offset;
    g_mutex_lock(&nv->label_lock);
    seq = nv->label_seq;
    __atomic_store_n(&nv->label_seq, seq + 1, __ATOMIC_RELAXED);
    /* release stores: the odd seq store cannot move below them */
    ok = spapr_guarded_store_be(p, len, val);
    /* even again, fault or not: readers must never spin forever */
    __atomic_store_n(&nv->label_seq, seq + 2, __ATOMIC_RELEASE);
    g_mutex_unlock(&nv->label_lock);
    if (!ok) {
        return label_fault(nv, offset, true);
    }
    if (nv->host_owned) {
        /* Not a guest store: the host's dirty tracking cannot see it */
        spapr_machine_mark_dirty(nv->m, p, len);
    }
    nvdimm_stat_add_cpu(nv, cpu, NVDIMM_STAT_META_WRITES, 1);
    nvdimm_stat_add_cpu(nv, cpu, NVDIMM_STAT_META_WRITE_TICKS,
                        spapr_ticks() - t0);
    return NVDIMM_OK;
}
