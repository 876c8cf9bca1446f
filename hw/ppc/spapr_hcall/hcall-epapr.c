/*
 * spapr-hcall: the ePAPR / KVM paravirtual hypercalls ("hcall-epapr")
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * All ePAPR calls arrive as one PAPR hcall, SPAPR_H_EPAPR, issued by the
 * instruction words of /hypervisor/hcall-instructions (docs/epapr.md).
 * That row rebuilds the ePAPR registers and issues the call through the
 * ePAPR adapter (abi-core.c), whose rows below are keyed by token.
 * What we answer:
 *   KVM_HC_FEATURES            EV_SUCCESS, r4 = 0: we keep no magic page
 *                              in sync, so we offer none
 *   KVM_HC_PPC_MAP_MAGIC_PAGE  EV_UNIMPLEMENTED (never offered)
 *   EV_IDLE                    EV_SUCCESS at once: a spurious wake-up,
 *                              which every idle loop tolerates
 *   anything else              EV_UNIMPLEMENTED
 */
#include "internal.h"
#include "abi-rows.h"
#include "spapr-hcall/epapr.h"
#include "trace-events.h"

const uint32_t spapr_epapr_hcall_insns[SPAPR_EPAPR_NR_INSNS] = {
    SPAPR_EPAPR_INSN_MR_R12_R3,
    SPAPR_EPAPR_INSN_LI_R3_0,
    SPAPR_EPAPR_INSN_ORI_R3_OPCODE,
    SPAPR_EPAPR_INSN_SC1,
};

void spapr_epapr_decode(const SpaprCpu *cpu, const uint64_t *args,
                        SpaprEpaprCall *call)
{
    bool narrow = cpu && !(cpu->msr & SPAPR_MSR_SF);
    uint64_t mask = narrow ? UINT32_MAX : UINT64_MAX;
    unsigned int i;

    /* The token is 32 bits wide whatever the mode */
    call->token = (uint32_t)args[SPAPR_EPAPR_ARG_TOKEN];
    call->in[0] = args[SPAPR_EPAPR_ARG_SAVED_R3] & mask;
    for (i = 1; i < SPAPR_EPAPR_NR_IN; i++) {
        call->in[i] = args[i - 1] & mask;       /* r4..r10 */
    }
}

/* ---- The ePAPR convention's own rows (abi.h), keyed by token ---- */

static int64_t h_kvm_features(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                              uint64_t *args)
{
    args[0] = 0;                                /* r4: no features */
    return EV_SUCCESS;
}

static int64_t h_ev_idle(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                         uint64_t *args)
{
    return EV_SUCCESS;
}

const SpaprHcallInfo spapr_abi_rows_epapr[] = {
    { KVM_HCALL_TOKEN(KVM_HC_FEATURES), "KVM_HC_FEATURES", h_kvm_features,
      "hcall-epapr", 0, 1 },
    { EV_HCALL_TOKEN(EV_IDLE), "EV_IDLE", h_ev_idle, "hcall-epapr", 0, 0 },
};
const size_t spapr_abi_rows_epapr_len = G_N_ELEMENTS(spapr_abi_rows_epapr);

/*
 * The PAPR entry: rebuild the ePAPR registers from r4..r12 (r12 holds
 * the caller's r3) and issue the call in the ePAPR convention.
 */
static int64_t h_epapr(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                       uint64_t *args)
{
    SpaprAbiRegs regs = { .flags = SPAPR_ABI_WIDE };
    unsigned int i;

    if (cpu && !(cpu->msr & SPAPR_MSR_SF)) {
        regs.flags = 0;
    }
    for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
        regs.r[4 + i] = args[i];                /* r4..r12 */
    }
    regs.r[3] = args[SPAPR_EPAPR_ARG_SAVED_R3];
    spapr_abi_call(m, cpu, spapr_abi_get(SPAPR_ABI_EPAPR), &regs);
    for (i = 0; i < SPAPR_EPAPR_NR_OUT; i++) {
        args[i] = regs.r[4 + i];                /* r4..r11 */
    }
    trace_spapr_epapr_hcall(m, cpu ? cpu->index : UINT32_MAX,
                            (uint32_t)regs.r[11], (int64_t)regs.r[3]);
    return (int64_t)regs.r[3];
}

const SpaprHcallInfo spapr_hcall_set_epapr[] = {
    /* reads r4..r12 (r11 token, r12 saved r3), writes r4..r11 */
    { SPAPR_H_EPAPR, "H_EPAPR", h_epapr, "hcall-epapr",
      SPAPR_HCALL_NR_ARGS, SPAPR_EPAPR_NR_OUT },
};
const size_t spapr_hcall_set_epapr_len = G_N_ELEMENTS(spapr_hcall_set_epapr);

bool spapr_hcall_register_epapr(SpaprMachine *m, GError **errp)
{
    if (!spapr_hcall_register_table(m, spapr_hcall_set_epapr,
                                    spapr_hcall_set_epapr_len, errp)) {
        return false;
    }
    if (spapr_abi_lookup(m, SPAPR_ABI_EPAPR,
                         spapr_abi_rows_epapr[0].opcode)) {
        return true;                    /* the convention is already there */
    }
    if (!spapr_abi_register(m, SPAPR_ABI_EPAPR, errp)) {
        spapr_hcall_unregister(m, SPAPR_H_EPAPR);
        return false;
    }
    return true;
}
