/*
 * spapr-hcall: hypercall conventions as adapters over the one hcall table
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A convention (an "ABI") is data: which register carries the call number,
 * the ordered argument and output registers, the result register, the
 * volatile set, how numbers are encoded, the trap instruction bytes and
 * what a refused call gets.  Its calls are ordinary SpaprHcallInfo rows
 * (with .abi set) in the machine's hcall table, so they share the
 * statistics, tracing and registration rules of the PAPR calls.  See
 * docs/abis.md.
 *
 * Threading: spapr_abi_call() may run concurrently on different vCPUs
 * (or with cpu == NULL) of one machine, like spapr_hcall(); it only
 * writes the SpaprAbiRegs it is given.  Registration and unregistration
 * follow hcall.h's rules.  The descriptors are constant.
 */
#ifndef SPAPR_HCALL_ABI_H
#define SPAPR_HCALL_ABI_H

#include "spapr-hcall/hcall.h"

typedef enum SpaprAbiId {
    SPAPR_ABI_PAPR,             /* rows with .abi 0 are the PAPR table */
    SPAPR_ABI_EPAPR,
    SPAPR_ABI_BEAT,
    SPAPR_ABI_PS3,
    SPAPR_ABI_KVM_X86,
    SPAPR_ABI_KVM_S390,
    SPAPR_ABI_XEN,
    SPAPR_ABI_COUNT,
} SpaprAbiId;

typedef enum SpaprAbiArch {
    SPAPR_ABI_ARCH_PPC,         /* register i = GPR i */
    SPAPR_ABI_ARCH_X86,         /* register i = x86 encoding order, below */
    SPAPR_ABI_ARCH_S390,        /* register i = general register i */
} SpaprAbiArch;

/* x86 registers in their instruction-encoding order. */
enum {
    SPAPR_X86_RAX, SPAPR_X86_RCX, SPAPR_X86_RDX, SPAPR_X86_RBX,
    SPAPR_X86_RSP, SPAPR_X86_RBP, SPAPR_X86_RSI, SPAPR_X86_RDI,
    SPAPR_X86_R8, SPAPR_X86_R9, SPAPR_X86_R10, SPAPR_X86_R11,
    SPAPR_X86_R12, SPAPR_X86_R13, SPAPR_X86_R14, SPAPR_X86_R15,
};

#define SPAPR_ABI_NR_REGS       32
#define SPAPR_ABI_MAX_REGS      9       /* arguments or outputs */
#define SPAPR_ABI_MAX_TRAP      16

/* How a call ends. */
typedef enum SpaprAbiEnd {
    SPAPR_ABI_RETURNED,             /* the result register holds the code */
    SPAPR_ABI_EXC_PRIVILEGED,       /* s390 privileged-operation */
    SPAPR_ABI_EXC_SPECIFICATION,    /* s390 specification */
} SpaprAbiEnd;

/* What a refused call (wrong privilege, unknown number) gets. */
typedef struct SpaprAbiRefusal {
    SpaprAbiEnd end;
    int64_t code;                   /* the result when end is RETURNED */
} SpaprAbiRefusal;

typedef struct SpaprAbiRegList {
    uint8_t n;
    uint8_t r[SPAPR_ABI_MAX_REGS];
} SpaprAbiRegList;

/*
 * Number space: nr = (vendor << vendor_shift) | index, with a slot range
 * per vendor (vendor_shift 0: one vendor 0, nr = index).
 */
typedef struct SpaprAbiVendor {
    uint32_t vendor;
    uint32_t count;                 /* indexes 0..count-1 have slots */
} SpaprAbiVendor;

typedef struct SpaprAbiTrap {
    const char *name;               /* "vmcall" */
    uint8_t len;
    uint8_t bytes[SPAPR_ABI_MAX_TRAP];  /* in memory order (PPC: BE) */
} SpaprAbiTrap;

typedef struct SpaprAbi {
    SpaprAbiId id;
    const char *name;               /* "kvm-x86": traces, stats, qtest */
    const char *title;
    SpaprAbiArch arch;
    uint8_t nr_reg;
    uint8_t result_reg;
    /* [0]: 32-bit mode, [1]: 64-bit mode */
    SpaprAbiRegList args[2];
    SpaprAbiRegList outs;           /* outputs besides the result */
    uint32_t volatile_regs[2];      /* bit i: register i may change */
    uint64_t nr_mask;               /* bits of nr_reg that count */
    uint8_t vendor_shift;
    uint8_t nr_vendors;
    SpaprAbiVendor vendors[2];
    /* Truncate nr and arguments (and the result) to 32 bits in 32-bit mode */
    bool narrow_args;
    bool narrow_result;
    /* Status is 32 bits, sign-extended into the result register (PS3) */
    bool status32;
    /* s390 diag: low 16 bits of the operand address that select us */
    bool has_function_code;
    uint16_t function_code;
    SpaprAbiRefusal privileged;
    SpaprAbiRefusal unknown;
    /* Debug poison for the argument registers a call took ([mode]) */
    uint64_t poison[2];
    uint8_t nr_traps;
    SpaprAbiTrap traps[2];
    /* first slot of the convention in the machine's table (internal) */
    uint32_t slot_base;
} SpaprAbi;

/* One call's register file and mode. */
#define SPAPR_ABI_WIDE      (1u << 0)   /* 64-bit: MSR[SF], long mode */
#define SPAPR_ABI_USER      (1u << 1)   /* problem state / CPL != 0 */
#define SPAPR_ABI_POISON    (1u << 2)   /* Xen debug: poison the args */

typedef struct SpaprAbiRegs {
    uint64_t r[SPAPR_ABI_NR_REGS];
    uint32_t flags;
    uint64_t operand;               /* s390: the diag operand address */
} SpaprAbiRegs;

const SpaprAbi *spapr_abi_get(SpaprAbiId id);
/* By name ("kvm-x86"), or NULL. */
const SpaprAbi *spapr_abi_find(const char *name);
/* "r3", "rax", ... (static) */
const char *spapr_abi_reg_name(const SpaprAbi *abi, unsigned int reg);
/* Register index by name for the convention's architecture, or -1. */
int spapr_abi_reg_from_name(const SpaprAbi *abi, const char *name);

/*
 * The trap of @abi that @insn starts with (0 or 1), or -1.  PowerPC words
 * are matched in the byte order given by @le.
 */
int spapr_abi_match_trap(const SpaprAbi *abi, const uint8_t *insn,
                         size_t len, bool le);

/*
 * Issue one call in convention @abi: decode @regs, refuse or dispatch to
 * the registered row, write the result and outputs back into @regs.
 * @cpu (may be NULL) names the vCPU for statistics and traces; its MSR
 * is not consulted, @regs->flags is the mode (PAPR only: spapr_hcall()
 * also refuses a vCPU in problem state).
 * A refused call (privilege, unknown number) and an exception leave
 * every register but the result unchanged; an exception changes none.
 */
SpaprAbiEnd spapr_abi_call(SpaprMachine *m, SpaprCpu *cpu,
                           const SpaprAbi *abi, SpaprAbiRegs *regs);

/*
 * A PowerPC convention on a vCPU: registers from cpu->gpr, mode from
 * MSR[SF] and MSR[PR], results back into cpu->gpr.
 */
SpaprAbiEnd spapr_cpu_abi_call(SpaprCpu *cpu, const SpaprAbi *abi);

/*
 * Register rows in convention @abi's number space (.opcode is the number
 * as the convention encodes it); all or nothing, with the checks of
 * spapr_hcall_register_table().  The PAPR set functions use abi 0.
 */
bool spapr_abi_register_table(SpaprMachine *m, SpaprAbiId abi,
                              const SpaprHcallInfo *table, size_t n,
                              GError **errp);
bool spapr_abi_unregister(SpaprMachine *m, SpaprAbiId abi, uint64_t nr);
/* Which convention a registered row belongs to. */
SpaprAbiId spapr_abi_of_row(SpaprMachine *m, const SpaprHcallInfo *row);

/* Register the calls a convention implements (PAPR: none). */
bool spapr_abi_register(SpaprMachine *m, SpaprAbiId id, GError **errp);
/* Every non-PAPR convention whose calls are not registered yet. */
bool spapr_abi_register_all(SpaprMachine *m, GError **errp);

/* The registered row for @nr in @abi, or NULL. */
const SpaprHcallInfo *spapr_abi_lookup(SpaprMachine *m, SpaprAbiId abi,
                                       uint64_t nr);
/* A row's number by name within @abi ("KVM_HC_MAP_GPA_RANGE"). */
bool spapr_abi_nr_from_name(SpaprMachine *m, SpaprAbiId abi,
                            const char *name, uint64_t *nr);
/* Calls refused by @abi (unknown number, privilege, exception). */
void spapr_abi_stats_refused(SpaprMachine *m, SpaprAbiId abi,
                             SpaprHcallStats *out);

/* ---- KVM (x86 numbers; generic KVM return values, negated) ---- */
#define SPAPR_KVM_HC_VAPIC_POLL_IRQ           1
#define SPAPR_KVM_HC_MMU_OP                   2
#define SPAPR_KVM_HC_KICK_CPU                 5
#define SPAPR_KVM_HC_CLOCK_PAIRING            9
#define SPAPR_KVM_HC_SEND_IPI                 10
#define SPAPR_KVM_HC_SCHED_YIELD              11
#define SPAPR_KVM_HC_MAP_GPA_RANGE            12
#define SPAPR_KVM_EPERM                       1
#define SPAPR_KVM_EINVAL                      22
#define SPAPR_KVM_ENOSYS                      1000

/* What a KVM x86 host does with a 3-byte hypercall instruction. */
typedef enum SpaprX86Insn {
    SPAPR_X86_INSN_NONE,        /* neither vmcall nor vmmcall */
    SPAPR_X86_INSN_NATIVE,      /* the host vendor's: the call is made */
    SPAPR_X86_INSN_PATCHED,     /* the other vendor's, rewritten in place */
    SPAPR_X86_INSN_UD,          /* the other vendor's, quirk off: #UD */
} SpaprX86Insn;

/*
 * @insn on an AMD (@amd) or Intel host; with @quirk
 * (KVM_X86_QUIRK_FIX_HYPERCALL_INSN) the other vendor's instruction is
 * replaced in @insn by the native one and the call then proceeds.
 */
SpaprX86Insn spapr_kvm_x86_fix_insn(uint8_t insn[3], bool amd, bool quirk);

/* ---- KVM s390 diag 0x500 ---- */
#define SPAPR_DIAG_KVM_HYPERCALL        0x500
#define SPAPR_DIAG500_VIRTIO_NOTIFY           0
#define SPAPR_DIAG500_VIRTIO_CCW_NOTIFY       3
#define SPAPR_DIAG500_STORAGE_LIMIT           4
#define SPAPR_S390_EINVAL               22
#define SPAPR_S390_VIRTIO_QUEUE_MAX     1024

/* ---- PS3 LV1 (and Beat, which shares its numbering) ---- */
#define SPAPR_LV1_SUCCESS                     0
#define SPAPR_LV1_RESOURCE_SHORTAGE           (-2)
#define SPAPR_LV1_NO_PRIVILEGE                (-3)
#define SPAPR_LV1_DENIED_BY_POLICY            (-4)
#define SPAPR_LV1_ACCESS_VIOLATION            (-5)
#define SPAPR_LV1_NO_ENTRY                    (-6)
#define SPAPR_LV1_DUPLICATE_ENTRY             (-7)
#define SPAPR_LV1_TYPE_MISMATCH               (-8)
#define SPAPR_LV1_BUSY                        (-9)
#define SPAPR_LV1_EMPTY                       (-10)
#define SPAPR_LV1_WRONG_STATE                 (-11)
#define SPAPR_LV1_NO_MATCH                    (-13)
#define SPAPR_LV1_ILLEGAL_PARAMETER_VALUE     (-17)
#define SPAPR_LV1_NOT_IMPLEMENTED             (-20)
#define SPAPR_LV1_PAUSE                       9
#define SPAPR_LV1_GET_LOGICAL_PARTITION_ID    74
#define SPAPR_LV1_GET_VERSION_INFO            127
#define SPAPR_LV1_GET_RTC                     232
/* The values our LV1 reports (ours, not Sony's). */
#define SPAPR_PS3_LPAR_ID               1
#define SPAPR_PS3_VERSION               0x0001000000000000ULL
#define SPAPR_PS3_TIMEBASE_HZ           79800000ULL

#define SPAPR_BEAT_NR(vendor, nr)       ((uint64_t)(vendor) << 60 | (nr))
#define SPAPR_BEAT_PAUSE                      SPAPR_BEAT_NR(0, 9)
#define SPAPR_BEAT_GET_LOGICAL_PARTITION_ID   SPAPR_BEAT_NR(0, 74)
#define SPAPR_BEAT_PUT_CHARACTERS_TO_CONSOLE  SPAPR_BEAT_NR(1, 0x101)
#define SPAPR_BEAT_RTC_READ                   SPAPR_BEAT_NR(1, 0x190)
#define SPAPR_BEAT_CONSOLE_MAX          16

/* ---- Xen ---- */
#define SPAPR_XEN_HYPERVISOR_XEN_VERSION      17
#define SPAPR_XEN_HYPERVISOR_CONSOLE_IO       18
#define SPAPR_XEN_HYPERVISOR_IRET             23
#define SPAPR_XEN_HYPERVISOR_SCHED_OP         29
#define SPAPR_XENVER_VERSION                  0
#define SPAPR_XENVER_EXTRAVERSION             1
#define SPAPR_XEN_EXTRAVERSION_LEN            16
#define SPAPR_XEN_CONSOLEIO_WRITE                 0
#define SPAPR_XEN_SCHEDOP_YIELD                   0
#define SPAPR_XEN_EPERM                       1
#define SPAPR_XEN_EFAULT                      14
#define SPAPR_XEN_EINVAL                      22
#define SPAPR_XEN_ENOSYS                      38
/* Our version: 4.17 (major << 16 | minor) and extraversion ".0" */
#define SPAPR_XEN_VERSION               0x00040011
#define SPAPR_XEN_CONSOLE_MAX           4096
#define SPAPR_XEN_POISON64              0xdeadbeefdeadf00dULL
#define SPAPR_XEN_POISON32              0xdeadf00dULL

#define SPAPR_XEN_PAGE_SIZE             4096
#define SPAPR_XEN_STUB_SIZE             32
#define SPAPR_XEN_NR_STUBS  (SPAPR_XEN_PAGE_SIZE / SPAPR_XEN_STUB_SIZE)

typedef enum SpaprXenPageMode {
    SPAPR_XEN_PAGE_HVM_VMX,
    SPAPR_XEN_PAGE_HVM_SVM,
    SPAPR_XEN_PAGE_PV64,
    SPAPR_XEN_PAGE_PV32,
} SpaprXenPageMode;

/* Fill @page the way Xen fills a hypercall page for @mode. */
void spapr_xen_hypercall_page(uint8_t page[SPAPR_XEN_PAGE_SIZE],
                              SpaprXenPageMode mode);
/* "vmx", "svm", "pv64", "pv32"; false for another name */
bool spapr_xen_page_mode_from_name(const char *name, SpaprXenPageMode *mode);

/*
 * The guest wrote @value to the hypercall MSR (0x40000000 in Xen's CPUID
 * leaves): fill the guest page at @value's page address.  False, with
 * nothing written, where Xen raises #GP: a non-zero page index in the
 * low 12 bits (we offer one page), or a page that is not guest memory.
 */
bool spapr_xen_write_hypercall_msr(SpaprMachine *m, uint64_t value,
                                   SpaprXenPageMode mode);
#define SPAPR_XEN_HYPERCALL_MSR         0x40000000

#endif
