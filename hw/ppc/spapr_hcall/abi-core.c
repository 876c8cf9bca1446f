/*
 * spapr-hcall: the hypercall conventions as data, and the one adapter
 * that turns any of them into a dispatch of the hcall table
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A call in convention X: refuse it if the caller is not privileged,
 * read the number register, find the row of X's number in the machine's
 * table (the same slot array as PAPR, in X's own slot range), copy X's
 * argument registers into args[], run the row through the table's
 * counters, then write args[0..nrets-1] to X's output registers and the
 * status to X's result register.  Sources of each descriptor are in
 * docs/abis.md.
 */
#include <string.h>
#include "internal.h"
#include "abi-rows.h"
#include "trace-events.h"

#define BIT(n)              (1u << (n))
#define PPC_VOLATILE        (BIT(0) | 0x1ff8u)          /* r0, r3..r12 */
#define REGS(...)           { sizeof((uint8_t[]){ __VA_ARGS__ }), \
                              { __VA_ARGS__ } }
#define BOTH(...)           { REGS(__VA_ARGS__), REGS(__VA_ARGS__) }
#define RETURN(c)           { SPAPR_ABI_RETURNED, (c) }
#define SC1                 0x44, 0x00, 0x00, 0x22
/* ePAPR, Beat and PS3: number in r11, arguments r3..r10, status r3 */
#define PPC_R11_CONVENTION \
    .arch = SPAPR_ABI_ARCH_PPC, .nr_reg = 11, .result_reg = 3, \
    .args = BOTH(3, 4, 5, 6, 7, 8, 9, 10), \
    .volatile_regs = { PPC_VOLATILE, PPC_VOLATILE }

/* Slot bases, in SpaprAbiId order after the PAPR slots */
#define BASE_EPAPR          SPAPR_HCALL_NR_SLOTS
#define BASE_BEAT           (BASE_EPAPR + SPAPR_ABI_SLOTS_EPAPR)
#define BASE_PS3            (BASE_BEAT + SPAPR_ABI_SLOTS_BEAT)
#define BASE_KVM_X86        (BASE_PS3 + SPAPR_ABI_SLOTS_PS3)
#define BASE_KVM_S390       (BASE_KVM_X86 + SPAPR_ABI_SLOTS_KVM_X86)
#define BASE_XEN            (BASE_KVM_S390 + SPAPR_ABI_SLOTS_KVM_S390)
G_STATIC_ASSERT(BASE_XEN + SPAPR_ABI_SLOTS_XEN ==
                SPAPR_HCALL_NR_SLOTS + SPAPR_ABI_NR_SLOTS);
G_STATIC_ASSERT(SPAPR_HCALL_NR_SLOTS + SPAPR_ABI_NR_SLOTS <= INT_MAX);

static const SpaprAbi abis[SPAPR_ABI_COUNT] = {
    [SPAPR_ABI_PAPR] = {
        .id = SPAPR_ABI_PAPR, .name = "papr",
        .title = "PAPR (pSeries)", .arch = SPAPR_ABI_ARCH_PPC,
        .nr_reg = 3, .result_reg = 3,
        .args = BOTH(4, 5, 6, 7, 8, 9, 10, 11, 12),
        .outs = REGS(4, 5, 6, 7, 8, 9, 10, 11, 12),
        .volatile_regs = { PPC_VOLATILE, PPC_VOLATILE },
        .nr_mask = UINT64_MAX,
        .privileged = RETURN(PAPR_H_PRIVILEGE),
        .unknown = RETURN(PAPR_H_FUNCTION),
        .nr_traps = 1, .traps = { { "sc 1", 4, { SC1 } } },
    },
    [SPAPR_ABI_EPAPR] = {
        .id = SPAPR_ABI_EPAPR, .name = "epapr",
        .title = "ePAPR / KVM-PPC paravirt",
        PPC_R11_CONVENTION,
        .outs = REGS(4, 5, 6, 7, 8, 9, 10, 11),
        .nr_mask = UINT32_MAX, .vendor_shift = 16, .nr_vendors = 2,
        .vendors = { { EV_EPAPR_VENDOR_ID, 64 }, { EV_KVM_VENDOR_ID, 64 } },
        .narrow_args = true,
        /* on pSeries the entry is a PAPR hcall: PAPR's rule comes first */
        .privileged = RETURN(PAPR_H_PRIVILEGE),
        .unknown = RETURN(EV_UNIMPLEMENTED),
        .nr_traps = 1,
        .traps = { { "hcall-instructions", 16,
                     { 0x7c, 0x6c, 0x1b, 0x78, 0x38, 0x60, 0x00, 0x00,
                       0x60, 0x63, 0xf0, 0xe0, SC1 } } },
        .slot_base = BASE_EPAPR,
    },
    [SPAPR_ABI_BEAT] = {
        .id = SPAPR_ABI_BEAT, .name = "beat",
        .title = "Beat (Toshiba Celleb)",
        PPC_R11_CONVENTION,
        .outs = REGS(4, 5, 6, 7, 8, 9),
        .nr_mask = UINT64_MAX, .vendor_shift = 60, .nr_vendors = 2,
        .vendors = { { 0, 256 }, { 1, 0x240 } },
        .privileged = RETURN(SPAPR_LV1_NO_PRIVILEGE),
        .unknown = RETURN(SPAPR_LV1_NO_ENTRY),
        .nr_traps = 1, .traps = { { "sc 1", 4, { SC1 } } },
        .slot_base = BASE_BEAT,
    },
    [SPAPR_ABI_PS3] = {
        .id = SPAPR_ABI_PS3, .name = "ps3",
        .title = "PS3 LV1",
        PPC_R11_CONVENTION,
        .outs = REGS(4, 5, 6, 7, 8, 9, 10),
        .nr_mask = UINT64_MAX, .nr_vendors = 1, .vendors = { { 0, 256 } },
        .status32 = true,
        .privileged = RETURN(SPAPR_LV1_NO_PRIVILEGE),
        .unknown = RETURN(SPAPR_LV1_NO_ENTRY),
        .nr_traps = 1,
        .traps = { { "sc 1; extsw r3,r3", 8,
                     { SC1, 0x7c, 0x63, 0x07, 0xb4 } } },
        .slot_base = BASE_PS3,
    },
    [SPAPR_ABI_KVM_X86] = {
        .id = SPAPR_ABI_KVM_X86, .name = "kvm-x86",
        .title = "KVM x86", .arch = SPAPR_ABI_ARCH_X86,
        .nr_reg = SPAPR_X86_RAX, .result_reg = SPAPR_X86_RAX,
        .args = BOTH(SPAPR_X86_RBX, SPAPR_X86_RCX, SPAPR_X86_RDX,
                     SPAPR_X86_RSI),
        .volatile_regs = { BIT(SPAPR_X86_RAX), BIT(SPAPR_X86_RAX) },
        .nr_mask = UINT64_MAX, .nr_vendors = 1,
        .vendors = { { 0, SPAPR_ABI_SLOTS_KVM_X86 } },
        .narrow_args = true, .narrow_result = true,
        .privileged = RETURN(-SPAPR_KVM_EPERM),
        .unknown = RETURN(-SPAPR_KVM_ENOSYS),
        .nr_traps = 2,
        .traps = { { "vmcall", 3, { 0x0f, 0x01, 0xc1 } },
                   { "vmmcall", 3, { 0x0f, 0x01, 0xd9 } } },
        .slot_base = BASE_KVM_X86,
    },
    [SPAPR_ABI_KVM_S390] = {
        .id = SPAPR_ABI_KVM_S390, .name = "kvm-s390",
        .title = "KVM s390 (diag 0x500)", .arch = SPAPR_ABI_ARCH_S390,
        .nr_reg = 1, .result_reg = 2,
        .args = BOTH(2, 3, 4, 5, 6, 7),
        .volatile_regs = { BIT(2), BIT(2) },
        .nr_mask = UINT64_MAX, .nr_vendors = 1,
        .vendors = { { 0, SPAPR_ABI_SLOTS_KVM_S390 } },
        .has_function_code = true,
        .function_code = SPAPR_DIAG_KVM_HYPERCALL,
        .privileged = { SPAPR_ABI_EXC_PRIVILEGED, 0 },
        .unknown = { SPAPR_ABI_EXC_SPECIFICATION, 0 },
        .nr_traps = 1, .traps = { { "diag 2,4,0x500", 4,
                                    { 0x83, 0x24, 0x05, 0x00 } } },
        .slot_base = BASE_KVM_S390,
    },
    [SPAPR_ABI_XEN] = {
        .id = SPAPR_ABI_XEN, .name = "xen",
        .title = "Xen (hypercall page)", .arch = SPAPR_ABI_ARCH_X86,
        .nr_reg = SPAPR_X86_RAX, .result_reg = SPAPR_X86_RAX,
        .args = { REGS(SPAPR_X86_RBX, SPAPR_X86_RCX, SPAPR_X86_RDX,
                       SPAPR_X86_RSI, SPAPR_X86_RDI),
                  REGS(SPAPR_X86_RDI, SPAPR_X86_RSI, SPAPR_X86_RDX,
                       SPAPR_X86_R10, SPAPR_X86_R8) },
        .volatile_regs = {
            BIT(SPAPR_X86_RAX) | BIT(SPAPR_X86_RBX) | BIT(SPAPR_X86_RCX) |
            BIT(SPAPR_X86_RDX) | BIT(SPAPR_X86_RSI) | BIT(SPAPR_X86_RDI),
            BIT(SPAPR_X86_RAX) | BIT(SPAPR_X86_RDI) | BIT(SPAPR_X86_RSI) |
            BIT(SPAPR_X86_RDX) | BIT(SPAPR_X86_R10) | BIT(SPAPR_X86_R8) },
        .nr_mask = UINT32_MAX, .nr_vendors = 1,
        .vendors = { { 0, SPAPR_ABI_SLOTS_XEN } },
        .narrow_args = true, .narrow_result = true,
        .privileged = RETURN(-SPAPR_XEN_EPERM),
        .unknown = RETURN(-SPAPR_XEN_ENOSYS),
        .poison = { SPAPR_XEN_POISON32, SPAPR_XEN_POISON64 },
        .nr_traps = 2,
        .traps = { { "vmcall", 3, { 0x0f, 0x01, 0xc1 } },
                   { "vmmcall", 3, { 0x0f, 0x01, 0xd9 } } },
        .slot_base = BASE_XEN,
    },
};

/* The calls each convention implements (abi-rows.h) */
static const struct {
    const SpaprHcallInfo *rows;
    const size_t *len;
} abi_rows[SPAPR_ABI_COUNT] = {
    [SPAPR_ABI_EPAPR] = { spapr_abi_rows_epapr_, &spapr_abi_rows_epapr_len_ },
    [SPAPR_ABI_BEAT] = { spapr_abi_rows_beat_, &spapr_abi_rows_beat_len_ },
    [SPAPR_ABI_PS3] = { spapr_abi_rows_ps3_, &spapr_abi_rows_ps3_len_ },
    [SPAPR_ABI_KVM_X86] = { spapr_abi_rows_kvm_x86_,
                            &spapr_abi_rows_kvm_x86_len_ },
    [SPAPR_ABI_KVM_S390] = { spapr_abi_rows_kvm_s390_,
                             &spapr_abi_rows_kvm_s390_len_ },
    [SPAPR_ABI_XEN] = { spapr_abi_rows_xen_, &spapr_abi_rows_xen_len_ },
};

static const char *const x86_reg_names[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static const char *const gpr_names[SPAPR_ABI_NR_REGS] = {
    "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    "r16", "r17", "r18", "r19", "r20", "r21", "r22", "r23",
    "r24", "r25", "r26", "r27", "r28", "r29", "r30", "r31",
};

const SpaprAbi *spapr_abi_get(SpaprAbiId id)
{
    return id < SPAPR_ABI_COUNT ? &abis[id] : NULL;
}

const SpaprAbi *spapr_abi_find(const char *name)
{
    unsigned int i;

    for (i = 0; i < SPAPR_ABI_COUNT; i++) {
        if (!strcmp(abis[i].name, name)) {
            return &abis[i];
        }
    }
    return NULL;
}

static unsigned int abi_nr_regs(const SpaprAbi *abi)
{
    switch (abi->arch) {
    case SPAPR_ABI_ARCH_X86:
    case SPAPR_ABI_ARCH_S390:
        return 16;
    default:
        return SPAPR_ABI_NR_REGS;
    }
}

const char *spapr_abi_reg_name(const SpaprAbi *abi, unsigned int reg)
{
    if (reg >= abi_nr_regs(abi)) {
        return "?";
    }
    return abi->arch == SPAPR_ABI_ARCH_X86 ? x86_reg_names[reg]
                                           : gpr_names[reg];
}

int spapr_abi_reg_from_name(const SpaprAbi *abi, const char *name)
{
    unsigned int i;

    for (i = 0; i < abi_nr_regs(abi); i++) {
        if (!strcmp(spapr_abi_reg_name(abi, i), name)) {
            return i;
        }
    }
    return -1;
}

int spapr_abi_match_trap(const SpaprAbi *abi, const uint8_t *insn,
                         size_t len, bool le)
{
    unsigned int t, i;

    for (t = 0; t < abi->nr_traps; t++) {
        const SpaprAbiTrap *trap = &abi->traps[t];
        bool ok = len >= trap->len;

        for (i = 0; ok && i < trap->len; i++) {
            /* PowerPC words are stored in the guest's byte order */
            unsigned int j = abi->arch == SPAPR_ABI_ARCH_PPC && le
                             ? (i & ~3u) + 3 - (i & 3) : i;

            ok = insn[j] == trap->bytes[i];
        }
        if (ok) {
            return t;
        }
    }
    return -1;
}

int spapr_abi_slot_(const SpaprAbi *abi, uint64_t nr)
{
    uint64_t vendor = abi->vendor_shift ? nr >> abi->vendor_shift : 0;
    uint64_t index = abi->vendor_shift
                     ? nr & ((1ULL << abi->vendor_shift) - 1) : nr;
    uint32_t base = abi->slot_base;
    unsigned int i;

    if (!base || nr != (nr & abi->nr_mask)) {
        return -1;                      /* PAPR, or bits that do not count */
    }
    for (i = 0; i < abi->nr_vendors; i++) {
        if (vendor == abi->vendors[i].vendor) {
            return index < abi->vendors[i].count ? (int)(base + index) : -1;
        }
        base += abi->vendors[i].count;
    }
    return -1;
}

char *spapr_abi_format_regs_(const SpaprAbi *abi, const SpaprAbiRegList *list,
                            unsigned int n, const uint64_t *vals)
{
    GString *s = g_string_new(NULL);
    unsigned int i;

    for (i = 0; i < MIN(n, list->n); i++) {
        g_string_append_printf(s, "%s%s=0x%" PRIx64, i ? " " : "",
                               spapr_abi_reg_name(abi, list->r[i]),
                               vals[i]);
    }
    return g_string_free(s, FALSE);
}

static void set_result(const SpaprAbi *abi, SpaprAbiRegs *regs,
                       int64_t status)
{
    uint64_t v = (uint64_t)status;

    if (abi->status32) {
        v = (uint64_t)(int64_t)(int32_t)v;      /* the guest's extsw */
    }
    if (abi->narrow_result && !(regs->flags & SPAPR_ABI_WIDE)) {
        v &= UINT32_MAX;
    }
    regs->r[abi->result_reg] = v;
}

static SpaprAbiEnd refuse(SpaprMachine *m, SpaprCpu *cpu, const SpaprAbi *abi,
                          SpaprAbiRegs *regs, uint64_t nr,
                          const SpaprAbiRefusal *how, const char *why)
{
    static const char *const ends[] = {
        [SPAPR_ABI_RETURNED] = "returned",
        [SPAPR_ABI_EXC_PRIVILEGED] = "privileged-operation exception",
        [SPAPR_ABI_EXC_SPECIFICATION] = "specification exception",
    };
    bool returned = how->end == SPAPR_ABI_RETURNED;

    spapr_hcall_count_refused_(m, cpu, abi->id,
                              !returned || how->code < 0);
    if (returned) {
        set_result(abi, regs, how->code);
    }
    trace_spapr_abi_refused(m, abi->name, cpu ? cpu->index : UINT32_MAX,
                            nr, why, ends[how->end],
                            returned ? how->code : 0);
    return how->end;
}

static int64_t papr_call(SpaprMachine *m, SpaprCpu *cpu, const SpaprAbi *abi,
                         SpaprAbiRegs *regs)
{
    uint64_t args[SPAPR_HCALL_NR_ARGS];
    unsigned int i;
    int64_t ret;

    for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
        args[i] = regs->r[abi->args[1].r[i]];
    }
    ret = spapr_hcall(m, cpu, regs->r[abi->nr_reg], args);
    for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
        regs->r[abi->outs.r[i]] = args[i];
    }
    return ret;
}

SpaprAbiEnd spapr_abi_call(SpaprMachine *m, SpaprCpu *cpu,
                           const SpaprAbi *abi, SpaprAbiRegs *regs)
{
    bool wide = regs->flags & SPAPR_ABI_WIDE;
    uint64_t mask = abi->narrow_args && !wide ? UINT32_MAX : UINT64_MAX;
    uint64_t nr = regs->r[abi->nr_reg] & mask & abi->nr_mask;
    const SpaprAbiRegList *in = &abi->args[wide];
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 0 };
    g_autofree char *in_s = NULL, *out_s = NULL;
    const SpaprHcallInfo *info;
    unsigned int i, row;
    bool tracing;
    int slot;
    int64_t ret;

    if (regs->flags & SPAPR_ABI_USER) {
        return refuse(m, cpu, abi, regs, nr, &abi->privileged,
                      "not privileged");
    }
    if (abi->id == SPAPR_ABI_PAPR) {
        set_result(abi, regs, papr_call(m, cpu, abi, regs));
        return SPAPR_ABI_RETURNED;
    }
    if (abi->has_function_code &&
        (uint16_t)regs->operand != abi->function_code) {
        return refuse(m, cpu, abi, regs, nr, &abi->unknown,
                      "other function code");
    }
    slot = spapr_abi_slot_(abi, nr);
    row = slot >= 0 ? spapr_slot_row(m, slot) : 0;
    if (!row) {
        return refuse(m, cpu, abi, regs, nr, &abi->unknown, "unknown");
    }
    for (i = 0; i < in->n; i++) {
        args[i] = regs->r[in->r[i]] & mask;
    }
    info = &m->rows[row - 1];
    tracing = spapr_trace_on(m, TRACE_SPAPR_ABI_CALL);
    if (tracing) {
        in_s = spapr_abi_format_regs_(abi, in, info->nargs, args);
    }
    ret = spapr_hcall_run_row_(m, cpu, row - 1, nr, args);
    for (i = 0; i < MIN(info->nrets, abi->outs.n); i++) {
        regs->r[abi->outs.r[i]] = args[i];
    }
    set_result(abi, regs, ret);
    if ((regs->flags & SPAPR_ABI_POISON) && abi->poison[wide] &&
        ret != abi->unknown.code) {
        for (i = 0; i < MIN(info->nargs, in->n); i++) {
            regs->r[in->r[i]] = abi->poison[wide];
        }
    }
    if (tracing) {
        out_s = spapr_abi_format_regs_(abi, &abi->outs, info->nrets, args);
        trace_spapr_abi_call(m, abi->name, cpu ? cpu->index : UINT32_MAX,
                             info->name, nr, in_s, ret, out_s);
    }
    return SPAPR_ABI_RETURNED;
}

SpaprAbiEnd spapr_cpu_abi_call(SpaprCpu *cpu, const SpaprAbi *abi)
{
    SpaprAbiRegs regs = { .flags = 0 };
    SpaprAbiEnd end;

    memcpy(regs.r, cpu->gpr, sizeof(regs.r));
    if (cpu->msr & SPAPR_MSR_SF) {
        regs.flags |= SPAPR_ABI_WIDE;
    }
    if (cpu->msr & SPAPR_MSR_PR) {
        regs.flags |= SPAPR_ABI_USER;
    }
    end = spapr_abi_call(cpu->machine, cpu, abi, &regs);
    memcpy(cpu->gpr, regs.r, sizeof(regs.r));
    return end;
}

bool spapr_abi_register(SpaprMachine *m, SpaprAbiId id, GError **errp)
{
    if (id >= SPAPR_ABI_COUNT) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "no hypercall convention %u", id);
        return false;
    }
    if (!abi_rows[id].rows) {
        return true;                    /* PAPR: registered per hcall set */
    }
    return spapr_abi_register_table(m, id, abi_rows[id].rows,
                                    *abi_rows[id].len, errp);
}

bool spapr_abi_register_all(SpaprMachine *m, GError **errp)
{
    unsigned int id;

    for (id = SPAPR_ABI_PAPR + 1; id < SPAPR_ABI_COUNT; id++) {
        const SpaprHcallInfo *first = &abi_rows[id].rows[0];

        if (!spapr_abi_lookup(m, id, first->opcode) &&
            !spapr_abi_register(m, id, errp)) {
            return false;
        }
    }
    return true;
}

const SpaprHcallInfo *spapr_abi_lookup(SpaprMachine *m, SpaprAbiId abi,
                                       uint64_t nr)
{
    int slot = spapr_row_slot(abi, nr);
    unsigned int row = slot >= 0 ? spapr_slot_row(m, slot) : 0;

    return row ? &m->rows[row - 1] : NULL;
}

bool spapr_abi_nr_from_name(SpaprMachine *m, SpaprAbiId abi,
                            const char *name, uint64_t *nr)
{
    bool found = false;
    unsigned int row;

    g_mutex_lock(&m->lock);
    for (row = 0; row < SPAPR_HCALL_MAX_REGISTERED && !found; row++) {
        if (m->row_used[row] && m->row_abi[row] == abi &&
            !strcmp(m->rows[row].name, name)) {
            *nr = m->rows[row].opcode;
            found = true;
        }
    }
    g_mutex_unlock(&m->lock);
    return found;
}

SpaprAbiId spapr_abi_of_row(SpaprMachine *m, const SpaprHcallInfo *row)
{
    return m->row_abi[row - m->rows];
}
