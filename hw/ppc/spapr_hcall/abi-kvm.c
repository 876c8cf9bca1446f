/*
 * spapr-hcall: the KVM x86 (vmcall/vmmcall) and KVM s390 (diag 0x500)
 * hypercalls, as rows of the hcall table
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Behaviour from Linux's Documentation/virt/kvm/x86/hypercalls.rst and
 * s390/s390-diag.rst (docs/abis.md).  Numbers not listed here get the
 * convention's refusal from the adapter: -KVM_ENOSYS on x86 (this covers
 * KVM_HC_MMU_OP, the PPC-only KVM_HC_FEATURES, and the calls that need a
 * PV feature we do not expose), a specification exception on s390.
 */
#include <string.h>
#include "internal.h"
#include "abi-rows.h"

#define PAGE_SHIFT_4K   12

/* ---- KVM x86: args[] = rbx, rcx, rdx, rsi; result rax ---- */

static int64_t h_vapic_poll_irq(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                                uint64_t *args)
{
    return 0;
}

/*
 * rbx = GPA, rcx = number of 4 KiB pages, rdx = attributes.  A valid
 * range is what KVM hands to user space with the result preset to 0; we
 * are that user space and accept it.
 */
static int64_t h_map_gpa_range(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                               uint64_t *args)
{
    uint64_t gfn = args[0] >> PAGE_SHIFT_4K, npages = args[1];

    if (args[0] & ((1u << PAGE_SHIFT_4K) - 1) || !npages ||
        gfn + npages <= gfn) {
        return -SPAPR_KVM_EINVAL;
    }
    return 0;
}

SpaprX86Insn spapr_kvm_x86_fix_insn(uint8_t insn[3], bool amd, bool quirk)
{
    const SpaprAbi *abi = spapr_abi_get(SPAPR_ABI_KVM_X86);
    int trap = spapr_abi_match_trap(abi, insn, 3, false);
    int native = amd;                   /* traps[0] vmcall, [1] vmmcall */

    if (trap < 0) {
        return SPAPR_X86_INSN_NONE;
    }
    if (trap == native) {
        return SPAPR_X86_INSN_NATIVE;
    }
    if (!quirk) {
        return SPAPR_X86_INSN_UD;
    }
    memcpy(insn, abi->traps[native].bytes, 3);
    return SPAPR_X86_INSN_PATCHED;
}

const SpaprHcallInfo spapr_abi_rows_kvm_x86_[] = {
    { SPAPR_KVM_HC_VAPIC_POLL_IRQ, "KVM_HC_VAPIC_POLL_IRQ", h_vapic_poll_irq,
      "kvm-x86", 0, 0, NULL },
    { SPAPR_KVM_HC_MAP_GPA_RANGE, "KVM_HC_MAP_GPA_RANGE", h_map_gpa_range,
      "kvm-x86", 3, 0, NULL },
};
const size_t spapr_abi_rows_kvm_x86_len_ =
    G_N_ELEMENTS(spapr_abi_rows_kvm_x86_);

/* ---- KVM s390: args[] = r2..r7; result r2 ---- */

/* Legacy s390-virtio notify, now an early-printk no-op: r2 must be RAM. */
static int64_t h_diag500_virtio_notify(SpaprMachine *m, SpaprCpu *cpu,
                                       uint64_t nr, uint64_t *args)
{
    return args[0] < spapr_machine_ram_size(m) ? 0 : -SPAPR_S390_EINVAL;
}

/*
 * Subchannel-identification word: bits 0-7 cssid, 12 m, 13-14 ssid,
 * 15 a fixed one, 16-31 the subchannel number (bit 0 = MSB of 32).
 */
#define S390_SCHID_ONE      0x00010000u

/*
 * r2 = subchannel id, r3 = queue index (the high 16 bits may carry
 * notification data), r4 = cookie.  There is no channel subsystem behind
 * a CPU-less machine, so a well-formed notification is accepted and
 * answered with the cookie, as KVM answers one it delivered.
 */
static int64_t h_diag500_ccw_notify(SpaprMachine *m, SpaprCpu *cpu,
                                    uint64_t nr, uint64_t *args)
{
    uint64_t schid = args[0], vq = args[1] & 0xffff;

    if (schid > UINT32_MAX || !(schid & S390_SCHID_ONE) ||
        vq >= SPAPR_S390_VIRTIO_QUEUE_MAX) {
        return -SPAPR_S390_EINVAL;
    }
    return (int64_t)args[2];
}

/* The highest usable guest address. */
static int64_t h_diag500_storage_limit(SpaprMachine *m, SpaprCpu *cpu,
                                       uint64_t nr, uint64_t *args)
{
    uint64_t ram = spapr_machine_ram_size(m);

    return ram ? (int64_t)(ram - 1) : 0;
}

const SpaprHcallInfo spapr_abi_rows_kvm_s390_[] = {
    { SPAPR_DIAG500_VIRTIO_NOTIFY, "DIAG500_VIRTIO_NOTIFY",
      h_diag500_virtio_notify, "kvm-s390", 1, 0, NULL },
    { SPAPR_DIAG500_VIRTIO_CCW_NOTIFY, "DIAG500_VIRTIO_CCW_NOTIFY",
      h_diag500_ccw_notify, "kvm-s390", 3, 0, NULL },
    { SPAPR_DIAG500_STORAGE_LIMIT, "DIAG500_STORAGE_LIMIT",
      h_diag500_storage_limit, "kvm-s390", 0, 0, NULL },
};
const size_t spapr_abi_rows_kvm_s390_len_ =
    G_N_ELEMENTS(spapr_abi_rows_kvm_s390_);
