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
 * Bindings are changed and looked up under the machine lock.
 *
 * Injected faults (nvdimm-fault.c) are checked once the DRC is known: a
 * forced BIND_MEM / UNBIND_ALL / FLUSH answer changes nothing and hands
 * the caller's continue token back in r4, so its retry loop resumes.
 */
#include "nvdimm-internal.h"

#define BS  SPAPR_SCM_BLOCK_SIZE

static SpaprNvdimm *scm_nvdimm(SpaprMachine *m, uint64_t drc)
{
    PaprDrcLookup res;

    if (drc > UINT32_MAX) {
        return NULL;
    }
    return spapr_nvdimm_by_drc(m, drc, &res);
}

static int64_t h_scm_read_metadata(SpaprMachine *m, SpaprCpu *cpu,
                                   uint64_t opcode, uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);
    uint64_t val;

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    switch (spapr_nvdimm_label_read(nv, cpu, args[1], args[2], &val)) {
    case NVDIMM_LABEL_OK:
        args[0] = val;
        return PAPR_H_SUCCESS;
    case NVDIMM_LABEL_BAD_LENGTH:
        return PAPR_H_P3;
    case NVDIMM_LABEL_FAULT:
        return PAPR_H_HARDWARE;
    default:
        return PAPR_H_P2;
    }
}

static int64_t h_scm_write_metadata(SpaprMachine *m, SpaprCpu *cpu,
                                    uint64_t opcode, uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    switch (spapr_nvdimm_label_write(nv, cpu, args[1], args[3], args[2])) {
    case NVDIMM_LABEL_OK:
        return PAPR_H_SUCCESS;
    case NVDIMM_LABEL_BAD_LENGTH:
        return PAPR_H_P4;
    case NVDIMM_LABEL_FAULT:
        return PAPR_H_HARDWARE;
    default:
        /* out of range, read-only device, data wider than len (QEMU) */
        return PAPR_H_P2;
    }
}

static int64_t h_scm_bind_mem(SpaprMachine *m, SpaprCpu *cpu,
                              uint64_t opcode, uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);
    uint64_t token = 0, gpa = 0, bound = 0;
    NvdimmBindStatus st;
    int64_t ret;

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    if (spapr_nvdimm_fault_take(nv, SPAPR_NVDIMM_OP_BIND, &ret)) {
        if (ret != PAPR_H_OVERLAP) {
            args[0] = args[4];
            args[1] = 0;
            args[2] = 0;
        }
        return ret;
    }
    g_mutex_lock(&m->lock);
    st = spapr_nvdimm_bind(nv, args[1], args[2], args[3], args[4], &token,
                           &gpa, &bound);
    g_mutex_unlock(&m->lock);
    switch (st) {
    case NVDIMM_BIND_DONE:
    case NVDIMM_BIND_MORE:
        /* Linux: token from r4, address from r5; PAPR: count in r6 */
        args[0] = token;
        args[1] = gpa;
        args[2] = bound;
        return st == NVDIMM_BIND_DONE ? PAPR_H_SUCCESS : PAPR_H_BUSY;
    case NVDIMM_BIND_BAD_START:
        return PAPR_H_P2;
    case NVDIMM_BIND_BAD_COUNT:
        return PAPR_H_P3;
    case NVDIMM_BIND_BAD_TARGET:
        return PAPR_H_P4;
    case NVDIMM_BIND_BAD_TOKEN:
        return PAPR_H_P5;
    case NVDIMM_BIND_OVERLAP:
        return PAPR_H_OVERLAP;
    case NVDIMM_BIND_NO_SPACE:
        return PAPR_H_RESOURCE;
    default:
        return PAPR_H_HARDWARE;
    }
}

static int64_t h_scm_unbind_mem(SpaprMachine *m, SpaprCpu *cpu,
                                uint64_t opcode, uint64_t *args)
{
    SpaprNvdimm *nv = scm_nvdimm(m, args[0]);
    uint64_t gpa = args[1], count = args[2], token = args[3], n, bound;
    NvdimmBindOp *op;
    bool more = false, host_error = false;
    int64_t ret;

    if (!nv) {
        return PAPR_H_PARAMETER;
    }
    g_mutex_lock(&m->lock);
    op = &nv->unbind_op;
    if (token) {
        if (!op->token || op->token != token || op->gpa != gpa ||
            op->count != count) {
            ret = PAPR_H_P4;
            goto out;
        }
    } else {
        if (gpa % BS) {
            ret = PAPR_H_P2;
            goto out;
        }
        if (count == 0 || count > UINT64_MAX / BS ||
            gpa + (count * BS - 1) < gpa) {
            ret = PAPR_H_P3;
            goto out;
        }
        bound = spapr_nvdimm_range_bound(nv, gpa, count);
        if (bound == 0) {
            ret = PAPR_H_NOT_FOUND;
            goto out;
        }
        if (bound != count) {
            /* Part of the range is not this device's memory */
            ret = PAPR_H_P3;
            goto out;
        }
        memset(op, 0, sizeof(*op));
    }
    n = spapr_nvdimm_unbind_range(nv, gpa, count,
                                  SPAPR_NVDIMM_UNBIND_BUDGET, &more,
                                  &host_error);
    args[1] = n;
    if (host_error) {
        memset(op, 0, sizeof(*op));
        ret = PAPR_H_HARDWARE;
    } else if (more) {
        if (!op->token) {
            op->token = spapr_nvdimm_next_token(nv);
            op->gpa = gpa;
            op->count = count;
        }
        args[0] = op->token;
        ret = PAPR_H_BUSY;
    } else {
        memset(op, 0, sizeof(*op));
        args[0] = 0;
        ret = PAPR_H_SUCCESS;
    }
out:
    g_mutex_unlock(&m->lock);
    return ret;
}

typedef struct UnbindAll {
    uint64_t token;             /* the guest's continue token */
    uint64_t unbound;
    unsigned int budget;
    bool token_found;
    bool more;
} UnbindAll;

static void find_scope_all_token(SpaprDevice *dev, void *opaque)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    UnbindAll *u = opaque;

    if (nv && nv->unbind_scope_all_token == u->token) {
        u->token_found = true;
    }
}

static void unbind_scope_all(SpaprDevice *dev, void *opaque)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    UnbindAll *u = opaque;
    guint before;
    bool more;

    if (!nv) {
        return;
    }
    nv->unbind_scope_all_token = 0;
    if (u->more) {
        return;
    }
    before = nv->bindings->len;
    u->unbound += spapr_nvdimm_unbind_all(nv, u->budget, &more);
    u->budget -= before - nv->bindings->len;
    u->more = more;
}

static void set_scope_all_token(SpaprDevice *dev, void *opaque)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);

    if (nv) {
        nv->unbind_scope_all_token = *(uint64_t *)opaque;
    }
}

static int64_t h_scm_unbind_all(SpaprMachine *m, SpaprCpu *cpu,
                                uint64_t opcode, uint64_t *args)
{
    uint64_t scope = args[0], token = args[2], n;
    SpaprNvdimm *nv;
    UnbindAll u = { .token = token, .budget = SPAPR_NVDIMM_UNBIND_BUDGET };
    bool more;
    int64_t ret = PAPR_H_SUCCESS;

    if (scope != PAPR_H_UNBIND_SCOPE_ALL && scope != PAPR_H_UNBIND_SCOPE_DRC) {
        return PAPR_H_PARAMETER;
    }
    if (scope == PAPR_H_UNBIND_SCOPE_DRC) {
        nv = scm_nvdimm(m, args[1]);
        if (!nv) {
            return PAPR_H_P2;
        }
        if (spapr_nvdimm_fault_take(nv, SPAPR_NVDIMM_OP_UNBIND_ALL, &ret)) {
            args[0] = token;
            args[1] = 0;
            return ret;
        }
        g_mutex_lock(&m->lock);
        if (token && token != nv->unbind_all_token) {
            g_mutex_unlock(&m->lock);
            return PAPR_H_P4;
        }
        n = spapr_nvdimm_unbind_all(nv, SPAPR_NVDIMM_UNBIND_BUDGET, &more);
        nv->unbind_all_token = more ? spapr_nvdimm_next_token(nv) : 0;
        args[0] = nv->unbind_all_token;
        args[1] = n;
        g_mutex_unlock(&m->lock);
        return more ? PAPR_H_BUSY : PAPR_H_SUCCESS;
    }

    g_mutex_lock(&m->lock);
    if (token) {
        spapr_machine_foreach_device(m, find_scope_all_token, &u);
        if (!u.token_found) {
            g_mutex_unlock(&m->lock);
            return PAPR_H_P4;
        }
    }
    spapr_machine_foreach_device(m, unbind_scope_all, &u);
    token = 0;
    if (u.more) {
        /* Every nvdimm remembers the token; any of them validates it */
        token = ((uint64_t)g_random_int() << 32 | g_random_int()) | 1;
        spapr_machine_foreach_device(m, set_scope_all_token, &token);
        ret = PAPR_H_BUSY;
    }
    args[0] = token;
    args[1] = u.unbound;
    g_mutex_unlock(&m->lock);
    return ret;
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
    gpa = spapr_nvdimm_block_gpa(nv, args[1]);
    if (gpa == SPAPR_NVDIMM_UNBOUND) {
        return PAPR_H_NOT_FOUND;
    }
    args[0] = gpa;
    return PAPR_H_SUCCESS;
}

typedef struct QueryLogical {
    uint64_t gpa;
    SpaprNvdimm *nv;
    uint64_t block;
} QueryLogical;

static void query_logical(SpaprDevice *dev, void *opaque)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    QueryLogical *q = opaque;

    if (nv && !q->nv && spapr_nvdimm_gpa_block(nv, q->gpa, &q->block)) {
        q->nv = nv;
    }
}

static int64_t h_scm_query_logical_mem_binding(SpaprMachine *m,
                                               SpaprCpu *cpu,
                                               uint64_t opcode,
                                               uint64_t *args)
{
    QueryLogical q = { .gpa = args[0] };

    g_mutex_lock(&m->lock);
    spapr_machine_foreach_device(m, query_logical, &q);
    g_mutex_unlock(&m->lock);
    if (!q.nv) {
        return PAPR_H_NOT_FOUND;
    }
    args[0] = spapr_nvdimm_drc_index(q.nv);
    args[1] = q.block;
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
                  spapr_nvdimm_stats_buffer_size();
        return PAPR_H_SUCCESS;
    }
    ret = spapr_nvdimm_stats_fill(nv, args[1], args[2], &bad_id);
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
    if (spapr_nvdimm_fault_take(nv, SPAPR_NVDIMM_OP_FLUSH, &ret)) {
        if (ret == PAPR_H_HARDWARE) {
            nvdimm_stat_add(nv, NVDIMM_STAT_FLUSH_ERRORS, 1);
        } else {
            args[0] = args[1];
        }
        return ret;
    }
    ret = spapr_nvdimm_flush_request(nv->flush, args[1], &token);
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
