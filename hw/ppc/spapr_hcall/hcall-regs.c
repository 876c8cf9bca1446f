/*
 * spapr-hcall: decoding an hcall's registers from its row
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The names and "output valid when" rules are data in the rows of the
 * hcall sets (SpaprHcallRegs); tools decode calls through these
 * functions, never through lists of their own.
 */
#include "spapr-hcall/spapr-hcall.h"

static const char *const reg_names[SPAPR_HCALL_NR_ARGS] = {
    "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12",
};

const char *spapr_hcall_arg_name(const SpaprHcallInfo *info, unsigned int i)
{
    if (!info || !info->regs || i >= SPAPR_HCALL_NR_ARGS) {
        return NULL;
    }
    return info->regs->args[i];
}

static unsigned int status_class(int64_t status)
{
    if (status == PAPR_H_SUCCESS) {
        return SPAPR_HCALL_WHEN_SUCCESS;
    }
    if (PAPR_H_IS_LONG_BUSY(status)) {
        return SPAPR_HCALL_WHEN_LONG_BUSY;
    }
    return status == PAPR_H_PARTIAL ? SPAPR_HCALL_WHEN_PARTIAL : 0;
}

static bool out_matches(const SpaprHcallOut *o, unsigned int i,
                        unsigned int cls, const uint64_t *args)
{
    if (o->reg != i || !(o->when & cls)) {
        return false;
    }
    return !o->if_arg_zero || !args[o->if_arg_zero - 1];
}

const char *spapr_hcall_out_name(const SpaprHcallInfo *info, unsigned int i,
                                 int64_t status, const uint64_t *args)
{
    unsigned int cls = status_class(status), k;
    const SpaprHcallOut *outs;

    if (i >= SPAPR_HCALL_NR_ARGS || (info && i >= info->nrets)) {
        return NULL;
    }
    if (!info || !info->regs) {
        return cls & SPAPR_HCALL_WHEN_DONE ? reg_names[i] : NULL;
    }
    outs = info->regs->outs;
    for (k = 0; k < SPAPR_HCALL_NR_ARGS && outs[k].name; k++) {
        if (out_matches(&outs[k], i, cls, args)) {
            return outs[k].name;
        }
    }
    return NULL;
}

static const SpaprHcallInfo *find_row(const SpaprHcallInfo *set, size_t n,
                                      uint64_t opcode)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (set[i].opcode == opcode) {
            return &set[i];
        }
    }
    return NULL;
}

const SpaprHcallInfo *spapr_hcall_builtin(uint64_t opcode)
{
    const SpaprHcallInfo *row;

    row = find_row(spapr_hcall_set_debug, spapr_hcall_set_debug_len, opcode);
    if (!row) {
        row = find_row(spapr_hcall_set_scm, spapr_hcall_set_scm_len, opcode);
    }
    if (!row) {
        row = find_row(spapr_hcall_set_epapr, spapr_hcall_set_epapr_len,
                       opcode);
    }
    return row;
}
