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

NvdimmLabelStatus spapr_nvdimm_label_read(SpaprNvdimm *nv, SpaprCpu *cpu,
                                          uint64_t offset,
                                          uint64_t len, uint64_t *val)
{
    const uint8_t *p;
    uint64_t v = 0, t0;
    unsigned int i;

    if (!len_ok(len)) {
        return NVDIMM_LABEL_BAD_LENGTH;
    }
    if (!range_ok(nv, offset, len)) {
        return NVDIMM_LABEL_BAD_RANGE;
    }
    t0 = spapr_ticks();
    p = nv->host + nv->data_size + offset;
    for (i = 0; i < len; i++) {
        v = (v << 8) | p[i];
    }
    *val = v;
    nvdimm_stat_add_cpu(nv, cpu, NVDIMM_STAT_META_READS, 1);
    nvdimm_stat_add_cpu(nv, cpu, NVDIMM_STAT_META_READ_TICKS,
                        spapr_ticks() - t0);
    return NVDIMM_LABEL_OK;
}

NvdimmLabelStatus spapr_nvdimm_label_write(SpaprNvdimm *nv, SpaprCpu *cpu,
                                           uint64_t offset,
                                           uint64_t len, uint64_t val)
{
    uint8_t *p;
    uint64_t t0;
    unsigned int i;

    if (!len_ok(len)) {
        return NVDIMM_LABEL_BAD_LENGTH;
    }
    if (!range_ok(nv, offset, len)) {
        return NVDIMM_LABEL_BAD_RANGE;
    }
    if (nv->readonly) {
        return NVDIMM_LABEL_READONLY;
    }
    if (len < 8 && (val >> (8 * len))) {
        return NVDIMM_LABEL_BAD_DATA;
    }
    t0 = spapr_ticks();
    p = nv->host + nv->data_size + offset;
    for (i = len; i-- > 0;) {
        p[i] = val & 0xff;
        val >>= 8;
    }
    if (nv->host_owned) {
        /* Not a guest store: the host's dirty tracking cannot see it */
        spapr_machine_mark_dirty(nv->m, p, len);
    }
    nvdimm_stat_add_cpu(nv, cpu, NVDIMM_STAT_META_WRITES, 1);
    nvdimm_stat_add_cpu(nv, cpu, NVDIMM_STAT_META_WRITE_TICKS,
                        spapr_ticks() - t0);
    return NVDIMM_LABEL_OK;
}
