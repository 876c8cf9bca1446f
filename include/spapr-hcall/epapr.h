/*
 * spapr-hcall: ePAPR / KVM paravirtual hypercalls behind /hypervisor
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ePAPR register convention: token in r11, arguments in r3..r10, status
 * (an EV_* code, positive) in r3, outputs in r4..r11.  The guest reaches
 * us through the four instruction words published in
 * /hypervisor/hcall-instructions, which move r3 to r12 and issue a PAPR
 * "sc 1" with the reserved platform opcode SPAPR_H_EPAPR in r3.  See
 * docs/epapr.md.
 *
 * Threading: registering the set follows hcall.h; enabling the magic
 * page adds a device, a configuration change (machine.h, Threading).
 */
#ifndef SPAPR_HCALL_EPAPR_H
#define SPAPR_HCALL_EPAPR_H

#include "spapr-hcall/types.h"

/* The platform-range opcode that carries every ePAPR call. */
#define SPAPR_H_EPAPR                   0xF0E0

/* ---- Token encoding: (vendor << 16) | number ---- */
#define SPAPR_EV_TOKEN(vendor, nr)      (((uint32_t)(vendor) << 16) | (nr))
#define SPAPR_EV_TOKEN_VENDOR(tok)      (((tok) >> 16) & 0xffff)
#define SPAPR_EV_TOKEN_NR(tok)          ((tok) & 0xffff)

#define EV_LOCAL_VENDOR_ID              0
#define EV_EPAPR_VENDOR_ID              1
#define EV_FSL_VENDOR_ID                2
#define EV_IBM_VENDOR_ID                3
#define EV_GHS_VENDOR_ID                4
#define EV_ENEA_VENDOR_ID               5
#define EV_WR_VENDOR_ID                 6
#define EV_AMCC_VENDOR_ID               7
#define EV_KVM_VENDOR_ID                42

#define EV_HCALL_TOKEN(nr)      SPAPR_EV_TOKEN(EV_EPAPR_VENDOR_ID, nr)
#define KVM_HCALL_TOKEN(nr)     SPAPR_EV_TOKEN(EV_KVM_VENDOR_ID, nr)

/* ---- ePAPR call numbers (vendor 1) ---- */
#define EV_BYTE_CHANNEL_SEND            1
#define EV_BYTE_CHANNEL_RECEIVE         2
#define EV_BYTE_CHANNEL_POLL            3
#define EV_INT_SET_CONFIG               4
#define EV_INT_GET_CONFIG               5
#define EV_INT_SET_MASK                 6
#define EV_INT_GET_MASK                 7
#define EV_INT_IACK                     9
#define EV_INT_EOI                      10
#define EV_INT_SEND_IPI                 11
#define EV_INT_SET_TASK_PRIORITY        12
#define EV_INT_GET_TASK_PRIORITY        13
#define EV_DOORBELL_SEND                14
#define EV_MSGSND                       15
#define EV_IDLE                         16

/* ---- KVM call numbers (vendor 42) ---- */
#define SPAPR_KVM_HC_FEATURES                 3
#define SPAPR_KVM_HC_PPC_MAP_MAGIC_PAGE       4
/* Bit numbers in the KVM_HC_FEATURES bitmap (r4). */
#define KVM_FEATURE_MAGIC_PAGE          1

/* Returned in r4 by KVM_HC_PPC_MAP_MAGIC_PAGE: what the page supports */
#define KVM_MAGIC_FEAT_SR               (1 << 0)
#define KVM_MAGIC_FEAT_MAS0_TO_SPRG7    (1 << 1)
/* Guest flags in the low 12 bits of the effective address (r4) */
#define MAGIC_PAGE_FLAG_NOT_MAPPED_NX   (1 << 0)

/*
 * The magic page: Linux's struct kvm_vcpu_arch_shared, 4 KiB, in the
 * guest's byte order.  Byte offsets of its fields.
 */
#define KVM_MAGIC_PAGE_SIZE             4096
#define KVM_SHARED_SCRATCH1             0
#define KVM_SHARED_CRITICAL             24
#define KVM_SHARED_SPRG0                32      /* sprg0..3: 32..56 */
#define KVM_SHARED_SRR0                 64
#define KVM_SHARED_SRR1                 72
#define KVM_SHARED_DAR                  80
#define KVM_SHARED_MSR                  88
#define KVM_SHARED_DSISR                96      /* u32 */
#define KVM_SHARED_INT_PENDING          100     /* u32 */
#define KVM_SHARED_SR                   104     /* u32 sr[16] */
#define KVM_SHARED_MAS0                 168     /* u32 */
#define KVM_SHARED_MAS1                 172     /* u32 */
#define KVM_SHARED_MAS7_3               176
#define KVM_SHARED_MAS2                 184
#define KVM_SHARED_MAS4                 192     /* u32 mas4, mas6, esr, pir */
#define KVM_SHARED_PIR                  204     /* u32 */
#define KVM_SHARED_SPRG4                208     /* sprg4..7: 208..232 */
#define KVM_SHARED_END                  240

/*
 * Offer the magic page: KVM_HC_FEATURES then reports
 * 1 << KVM_FEATURE_MAGIC_PAGE, and KVM_HC_PPC_MAP_MAGIC_PAGE maps a
 * 4 KiB page per vCPU at the physical address in r3 (low 12 bits
 * ignored), laid out as struct kvm_vcpu_arch_shared and filled from the
 * vCPU (MSR, PIR; nothing else is modelled) at map time.  It is not kept
 * in sync afterwards, so this is off by default (docs/abis.md).  Adds a
 * device "epapr-magic-page" that unmaps the pages on reset.
 */
bool spapr_epapr_enable_magic_page(SpaprMachine *m, GError **errp);
/*
 * Where @cpu's magic page is mapped, or false.  Call it from @cpu's
 * thread or with the vCPUs stopped (the vCPU's own calls move the page).
 */
bool spapr_epapr_magic_page(SpaprCpu *cpu, uint64_t *gpa, uint64_t *ea);

/* ---- Status codes (r3) ---- */
#define EV_SUCCESS                      0
#define EV_EPERM                        1
#define EV_ENOENT                       2
#define EV_EIO                          3
#define EV_EAGAIN                       4
#define EV_ENOMEM                       5
#define EV_EFAULT                       6
#define EV_ENODEV                       7
#define EV_EINVAL                       8
#define EV_INTERNAL                     9
#define EV_CONFIG                       10
#define EV_INVALID_STATE                11
#define EV_UNIMPLEMENTED                12
#define EV_BUFFER_OVERFLOW              13

/*
 * The instruction words published in hcall-instructions (PowerISA
 * encodings, as 32-bit values; memory order follows MSR[LE]):
 *   or   r12,r3,r3         31<<26 | 3<<21 | 12<<16 | 3<<11 | 444<<1
 *   addi r3,0,0  (li)      14<<26 | 3<<21
 *   ori  r3,r3,0xF0E0      24<<26 | 3<<21 | 3<<16 | 0xF0E0
 *   sc   1                 17<<26 | 1<<5 | 2
 */
#define SPAPR_EPAPR_INSN_MR_R12_R3      0x7C6C1B78u
#define SPAPR_EPAPR_INSN_LI_R3_0        0x38600000u
#define SPAPR_EPAPR_INSN_ORI_R3_OPCODE  (0x60630000u | SPAPR_H_EPAPR)
#define SPAPR_EPAPR_INSN_SC1            0x44000022u
#define SPAPR_EPAPR_NR_INSNS            4

extern const uint32_t spapr_epapr_hcall_insns[SPAPR_EPAPR_NR_INSNS];

/* Where the ePAPR registers are inside the PAPR args[] (r4..r12). */
#define SPAPR_EPAPR_ARG_TOKEN           7       /* r11 */
#define SPAPR_EPAPR_ARG_SAVED_R3        8       /* r12 = the caller's r3 */
#define SPAPR_EPAPR_NR_IN               8       /* r3..r10 */
#define SPAPR_EPAPR_NR_OUT              8       /* r4..r11 */

/* One decoded ePAPR call. */
typedef struct SpaprEpaprCall {
    uint32_t token;
    uint64_t in[SPAPR_EPAPR_NR_IN];     /* in[0] = r3 ... in[7] = r10 */
} SpaprEpaprCall;

/*
 * Decode the PAPR args[] of an SPAPR_H_EPAPR call.  In 32-bit mode
 * (MSR[SF] = 0) the inputs are truncated to 32 bits, as KVM does.
 * @cpu may be NULL (64-bit assumed).
 */
void spapr_epapr_decode(const SpaprCpu *cpu, const uint64_t *args,
                        SpaprEpaprCall *call);

#endif
