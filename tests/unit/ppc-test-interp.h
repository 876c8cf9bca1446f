/*
 * spapr-hcall tests: a tiny PowerPC interpreter for hypercall stubs
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * It knows just the instructions hypercall stubs use (or/mr, extsw,
 * addi/li, ori, sc 1, blr), fetches in the byte order of MSR[LE], and
 * turns "sc 1" into a call in the chosen convention.
 */
#ifndef PPC_TEST_INTERP_H
#define PPC_TEST_INTERP_H

#include "spapr-hcall/spapr-hcall.h"

#define INSN_BLR        0x4E800020u
#define MAX_STEPS       16

/* ---- PowerISA encoders, from the instruction fields ---- */

static inline uint32_t enc_x(unsigned po, unsigned rs, unsigned ra,
                             unsigned rb, unsigned xo)
{
    return po << 26 | rs << 21 | ra << 16 | rb << 11 | xo << 1;
}

static inline uint32_t enc_d(unsigned po, unsigned rt, unsigned ra,
                             uint16_t imm)
{
    return po << 26 | rt << 21 | ra << 16 | imm;
}

static inline uint32_t enc_sc(unsigned lev)
{
    return 17u << 26 | lev << 5 | 2;
}

/* ---- The interpreter ---- */

typedef enum StepResult {
    RUN_RETURNED,       /* reached blr */
    RUN_BAD_INSN,
    RUN_FAULT,
    RUN_TOO_LONG,
} StepResult;

static inline uint32_t fetch_value(const uint8_t b[4], bool le)
{
    return le ? (uint32_t)b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24
              : (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

/*
 * Run from @pc to blr.  "sc 1" is a hypervisor call in convention @abi
 * (NULL: PAPR through spapr_cpu_hcall()).
 */
static inline StepResult run_abi(SpaprCpu *cpu, uint64_t pc,
                                 const SpaprAbi *abi)
{
    unsigned int steps;

    for (steps = 0; steps < MAX_STEPS; steps++, pc += 4) {
        uint8_t b[4];
        uint32_t insn;
        unsigned po, rt, ra, rb;

        if (!spapr_guest_read(cpu->machine, pc, b, 4)) {
            return RUN_FAULT;
        }
        insn = fetch_value(b, cpu->msr & SPAPR_MSR_LE);
        po = insn >> 26;
        rt = (insn >> 21) & 31;
        ra = (insn >> 16) & 31;
        rb = (insn >> 11) & 31;
        switch (po) {
        case 31:
            if (insn & 1) {
                return RUN_BAD_INSN;
            }
            if (((insn >> 1) & 0x3ff) == 444) {         /* or rA,rS,rB */
                cpu->gpr[ra] = cpu->gpr[rt] | cpu->gpr[rb];
            } else if (((insn >> 1) & 0x3ff) == 986 && !rb) {
                /* extsw rA,rS */
                cpu->gpr[ra] = (uint64_t)(int64_t)(int32_t)cpu->gpr[rt];
            } else {
                return RUN_BAD_INSN;
            }
            break;
        case 14:                                /* addi rT,rA|0,SI */
            cpu->gpr[rt] = (ra ? cpu->gpr[ra] : 0) +
                           (uint64_t)(int64_t)(int16_t)(insn & 0xffff);
            break;
        case 24:                                /* ori rA,rS,UI */
            cpu->gpr[ra] = cpu->gpr[rt] | (insn & 0xffff);
            break;
        case 17:                                /* sc LEV */
            if (insn != enc_sc(1)) {
                return RUN_BAD_INSN;            /* only hypervisor calls */
            }
            if (abi) {
                spapr_cpu_abi_call(cpu, abi);
            } else {
                spapr_cpu_hcall(cpu);
            }
            break;
        case 19:
            if (insn != INSN_BLR) {
                return RUN_BAD_INSN;
            }
            cpu->pc = pc;
            return RUN_RETURNED;
        default:
            return RUN_BAD_INSN;
        }
    }
    return RUN_TOO_LONG;
}

/* Store a native instruction word as a CPU in @le mode would. */
static inline void store_insn(SpaprMachine *m, uint64_t gpa, uint32_t insn,
                              bool le)
{
    uint8_t b[4];

    if (le) {
        b[0] = insn;
        b[1] = insn >> 8;
        b[2] = insn >> 16;
        b[3] = insn >> 24;
    } else {
        b[0] = insn >> 24;
        b[1] = insn >> 16;
        b[2] = insn >> 8;
        b[3] = insn;
    }
    g_assert_true(spapr_guest_write(m, gpa, b, 4));
}

static inline StepResult run(SpaprCpu *cpu, uint64_t pc)
{
    return run_abi(cpu, pc, NULL);
}

#endif
