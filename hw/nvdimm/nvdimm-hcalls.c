/*
 * spapr-hcall: the "hcall-scm" set (PAPR storage-class memory)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * All ten H_SCM_* calls.  Registers and status codes per call are in
 * docs/scm-hcalls.md.  A DRC index that names no connector, an empty
 * connector, a connector of another type, or a PMEM connector holding
 * something else gives H_PARAMETER, except UNBIND_ALL (H_P2, as QEMU).
 * The handlers only move registers: the device does the work, and its
 * result becomes an H_* code in scm_status().
 *
 * Injected faults (nvdimm-fault.c) are checked once the DRC is known: a
 * forced BIND_MEM / UNBIND_ALL / FLUSH answer changes nothing and hands
 * the caller's continue token back in r4, so its retry loop resumes.
 */
#include "nvdimm-internal.h"

/*
 * Which H_Pn a call answers when the device refuses one of its inputs:
 * the same refusal is a different register in different calls.
 */
typedef struct ScmRegs {
    int64_t where;              /* block, address or label offset */
    int64_t length;
    int64_t count;
    int64_t target;
    int64_t token;
} ScmRegs;

static const ScmRegs read_regs = { .where = PAPR_H_P2, .length = PAPR_H_P3 };
static const ScmRegs write_regs = { .where = PAPR_H_P2, .length = PAPR_H_P4 };
static const ScmRegs bind_regs = {
    .where = PAPR_H_P2, .count = PAPR_H_P3, .target = PAPR_H_P4,
    .token = PAPR_H_P5,
};
static const ScmRegs unbind_regs = {
    .where = PAPR_H_P2, .count = PAPR_H_P3, .token = PAPR_H_P4,
};
static const ScmRegs unbind_all_regs = { .token = PAPR_H_P4 };

/* Which input was refused: 0 (no such input of this call) cannot be. */
static int64_t scm_bad(int64_t reg)
{
    return reg ?: PAPR_H_PARAMETER;
}

/* The one translation of a device result into an H_* code. */
static int64_t scm_status(NvdimmStatus st, const ScmRegs *regs)
{
    switch (st) {
    case NVDIMM_OK:
        return PAPR_H_SUCCESS;
    case NVDIMM_MORE:
        return PAPR_H_BUSY;
    case NVDIMM_BAD_WHERE:
    case NVDIMM_BAD_DATA:       /* data wider than len: P2 as QEMU */
    case NVDIMM_READONLY:
        return scm_bad(regs->where);
    case NVDIMM_BAD_LENGTH:
        return scm_bad(regs->length);
    case NVDIMM_BAD_COUNT:
        return scm_bad(regs->count);
    case NVDIMM_BAD_TARGET:
        return scm_bad(regs->target);
    case NVDIMM_BAD_TOKEN:
        return scm_bad(regs->token);
    case NVDIMM_OVERLAP:
        return PAPR_H_OVERLAP;
    case NVDIMM_NO_SPACE:
        return PAPR_H_RESOURCE;
    case NVDIMM_NOT_FOUND:
        return PAPR_H_NOT_FOUND;
    default:
        return PAPR_H_HARDWARE;
    }
}

static SpaprNvdimm *scm_nvdimm(SpaprMachine *m, uint64_t drc)
{
    PaprDrcLookup res;

    if (drc > UINT32_MAX) {
        return NULL;
    }
    return spapr_nvdimm_by_drc_(m, drc, &res);
}

static int64_t h_scm_read_metadata(SpaprMachine *m, SpaprCpu *cpu,
                                   uint64_t opcode, uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);
    NvdimmStatus st;
    uint64_t val;

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    st = spapr_nvdimm_label_read_(nv, cpu, args[1], args[2], &val);
    if (st == NVDIMM_OK) {
        args[0] = val;
    }
    return scm_status(st, &read_regs);
}

static int64_t h_scm_write_metadata(SpaprMachine *m, SpaprCpu *cpu,
                                    uint64_t opcode, uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    return scm_status(spapr_nvdimm_label_write_(nv, cpu, args[1], args[3],
                                               args[2]), &write_regs);
}

static bool scm_done(NvdimmStatus st)
{
    return st == NVDIMM_OK || st == NVDIMM_MORE;
}

static int64_t h_scm_bind_mem(SpaprMachine *m, SpaprCpu *cpu,
                              uint64_t opcode, uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);
    uint64_t token = args[4], gpa = 0, bound = 0;
    NvdimmStatus st;
    int64_t ret;

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    if (spapr_nvdimm_fault_take_(nv, SPAPR_NVDIMM_OP_BIND, &ret)) {
        if (ret != PAPR_H_OVERLAP) {
            args[0] = args[4];
            args[1] = 0;
            args[2] = 0;
        }
        return ret;
    }
    st = spapr_nvdimm_bind_(nv, args[1], args[2], args[3], &token, &gpa,
                           &bound);
    if (scm_done(st)) {
        /* Linux: token from r4, address from r5; PAPR: count in r6 */
        args[0] = token;
        args[1] = gpa;
        args[2] = bound;
    }
    return scm_status(st, &bind_regs);
}

static int64_t h_scm_unbind_mem(SpaprMachine *m, SpaprCpu *cpu,
                                uint64_t opcode, uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);
    uint64_t token = args[3], n = 0;
    NvdimmStatus st;

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    st = spapr_nvdimm_unbind_(nv, args[1], args[2], &token, &n);
    if (scm_done(st) || st == NVDIMM_HOST_ERROR) {
        args[1] = n;
    }
    if (scm_done(st)) {
        args[0] = token;
    }
    return scm_status(st, &unbind_regs);
}

static int64_t h_scm_unbind_all(SpaprMachine *m, SpaprCpu *cpu,
                                uint64_t opcode, uint64_t *args)
{
    uint64_t scope = args[0], token = args[2], n = 0;
    SpaprNvdimm *nv;
    NvdimmStatus st;
    int64_t ret;

    if (scope == PAPR_H_UNBIND_SCOPE_DRC) {
        nv = scm_nvdimm(m, args[1]);
        if (!nv) {
            return PAPR_H_P2;
        }
        if (spapr_nvdimm_fault_take_(nv, SPAPR_NVDIMM_OP_UNBIND_ALL, &ret)) {
            args[0] = token;
            args[1] = 0;
            return ret;
        }
        st = spapr_nvdimm_unbind_device_(nv, &token, &n);
    } else if (scope == PAPR_H_UNBIND_SCOPE_ALL) {
        st = spapr_nvdimm_unbind_machine_(m, &token, &n);
    } else {
        return PAPR_H_PARAMETER;
    }
    if (scm_done(st)) {
        args[0] = token;
        args[1] = n;
    }
    return scm_status(st, &unbind_all_regs);
}

static int64_t h_scm_query_block_mem_binding(SpaprMachine *m, SpaprCpu *cpu,
                                             uint64_t opcode, uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);
    uint64_t gpa;

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    if (args[1] >= spapr_nvdimm_nr_blocks(nv)) {
        return PAPR_H_P2;
    }
    /* One word per block, stored atomically by bind/unbind: no lock */
    gpa = spapr_nvdimm_block_gpa_(nv, args[1]);
    if (gpa == SPAPR_NVDIMM_UNBOUND) {
        return PAPR_H_NOT_FOUND;
    }
    args[0] = gpa;
    return PAPR_H_SUCCESS;
}

static int64_t h_scm_query_logical_mem_binding(SpaprMachine *m,
                                               SpaprCpu *cpu,
                                               uint64_t opcode,
                                               uint64_t *args)
{
    uint64_t block;
    SpaprNvdimm *nv = spapr_nvdimm_by_gpa_(m, args[0], &block);

    if (!nv) {
        return PAPR_H_NOT_FOUND;
    }
    args[0] = spapr_nvdimm_drc_index(nv);
    args[1] = block;
    return PAPR_H_SUCCESS;
}

static int64_t h_scm_health(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                            uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);
    uint64_t valid;

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    valid = spapr_nvdimm_health_valid(nv);
    args[0] = spapr_nvdimm_health(nv) & valid;
    args[1] = valid;
    return PAPR_H_SUCCESS;
}

static int64_t h_scm_performance_stats(SpaprMachine *m, SpaprCpu *cpu,
                                       uint64_t opcode, uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);
    uint64_t bad_id = 0;
    int64_t ret;

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    switch (spapr_nvdimm_stats_fault(nv)) {
    case SPAPR_NVDIMM_STATS_AUTHORITY:
        return PAPR_H_AUTHORITY;
    case SPAPR_NVDIMM_STATS_UNSUPPORTED:
        return PAPR_H_UNSUPPORTED;
    default:
        break;
    }
    if (args[2] == 0) {
        /* Sizing call (Linux passes buffer 0, size 0) */
        args[0] = spapr_nvdimm_stats_fault(nv) ==
                  SPAPR_NVDIMM_STATS_ZERO_LENGTH ? 0 :
                  spapr_nvdimm_stats_buffer_size_();
        return PAPR_H_SUCCESS;
    }
    ret = spapr_nvdimm_stats_fill_(nv, args[1], args[2], &bad_id);
    if (ret == PAPR_H_PARTIAL) {
        args[0] = bad_id;
    }
    return ret;
}

static int64_t h_scm_flush(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                           uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);
    uint64_t token = 0;
    int64_t ret;

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    if (spapr_nvdimm_fault_take_(nv, SPAPR_NVDIMM_OP_FLUSH, &ret)) {
        if (ret != PAPR_H_HARDWARE) {
            args[0] = args[1];
        }
        return ret;
    }
    ret = spapr_nvdimm_flush_request_(nv->flush, args[1], &token);
    if (ret == PAPR_H_BUSY || PAPR_H_IS_LONG_BUSY(ret)) {
        args[0] = token;
    }
    return ret;
}

/* Row shorthands for the register names (hcall.h) */
#define ARGS(...)       SPAPR_HCALL_ARGS(__VA_ARGS__)
#define OUTS(...)       SPAPR_HCALL_OUTS(__VA_ARGS__)
#define OUT(reg, name)  SPAPR_HCALL_OUT(reg, name, SPAPR_HCALL_WHEN_DONE)

const SpaprHcallInfo spapr_hcall_set_scm[] = {
    { PAPR_H_SCM_READ_METADATA, "H_SCM_READ_METADATA", h_scm_read_metadata,
      "hcall-scm", 3, 1,
      SPAPR_HCALL_REGS(ARGS("drc", "off", "len"), OUTS(OUT(0, "data"))) },
    { PAPR_H_SCM_WRITE_METADATA, "H_SCM_WRITE_METADATA", h_scm_write_metadata,
      "hcall-scm", 4, 0,
      SPAPR_HCALL_REGS(ARGS("drc", "off", "data", "len")) },
    { PAPR_H_SCM_BIND_MEM, "H_SCM_BIND_MEM", h_scm_bind_mem,
      "hcall-scm", 5, 3,
      SPAPR_HCALL_REGS(ARGS("drc", "start", "n", "target", "token"),
                       OUTS(OUT(0, "token"), OUT(1, "addr"),
                            OUT(2, "bound"))) },
    { PAPR_H_SCM_UNBIND_MEM, "H_SCM_UNBIND_MEM", h_scm_unbind_mem,
      "hcall-scm", 4, 2,
      /* r4 is written (the token) but Linux reads only the count */
      SPAPR_HCALL_REGS(ARGS("drc", "addr", "n", "token"),
                       OUTS(OUT(1, "unbound"))) },
    { PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, "H_SCM_QUERY_BLOCK_MEM_BINDING",
      h_scm_query_block_mem_binding, "hcall-scm", 2, 1,
      SPAPR_HCALL_REGS(ARGS("drc", "block"), OUTS(OUT(0, "addr"))) },
    { PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING, "H_SCM_QUERY_LOGICAL_MEM_BINDING",
      h_scm_query_logical_mem_binding, "hcall-scm", 1, 2,
      SPAPR_HCALL_REGS(ARGS("addr"),
                       OUTS(OUT(0, "drc"), OUT(1, "block"))) },
    { PAPR_H_SCM_UNBIND_ALL, "H_SCM_UNBIND_ALL", h_scm_unbind_all,
      "hcall-scm", 3, 2,
      SPAPR_HCALL_REGS(ARGS("scope", "drc", "token"),
                       OUTS(OUT(1, "unbound"))) },
    { PAPR_H_SCM_HEALTH, "H_SCM_HEALTH", h_scm_health, "hcall-scm", 1, 2,
      SPAPR_HCALL_REGS(ARGS("drc"), OUTS(OUT(0, "bits"), OUT(1, "mask"))) },
    { PAPR_H_SCM_PERFORMANCE_STATS, "H_SCM_PERFORMANCE_STATS",
      h_scm_performance_stats, "hcall-scm", 3, 1,
      /* r4: the size, for a NULL buffer; the bad stat id on H_PARTIAL */
      SPAPR_HCALL_REGS(ARGS("drc", "buf", "size"),
                       OUTS(SPAPR_HCALL_OUT(0, "bad-id",
                                            SPAPR_HCALL_WHEN_PARTIAL),
                            SPAPR_HCALL_OUT_IF_ZERO(0, "size",
                                SPAPR_HCALL_WHEN_SUCCESS |
                                SPAPR_HCALL_WHEN_LONG_BUSY, 1))) },
    { PAPR_H_SCM_FLUSH, "H_SCM_FLUSH", h_scm_flush, "hcall-scm", 2, 1,
      /* r4: the continue-token of a flush still in progress */
      SPAPR_HCALL_REGS(ARGS("drc", "token"),
                       OUTS(SPAPR_HCALL_OUT(0, "token",
                                            SPAPR_HCALL_WHEN_LONG_BUSY))) },
};
const size_t spapr_hcall_set_scm_len = G_N_ELEMENTS(spapr_hcall_set_scm);

bool spapr_hcall_register_scm(SpaprMachine *m, GError **errp)
{
    return spapr_hcall_register_table(m, spapr_hcall_set_scm,
                                      spapr_hcall_set_scm_len, errp);
}
