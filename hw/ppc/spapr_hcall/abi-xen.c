/*
 * spapr-hcall: Xen hypercalls as rows of the hcall table, and the
 * hypercall page a Xen guest calls into
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The guest does "call hypercall_page + nr * 32"; each 32-byte stub loads
 * eax and traps.  The adapter (abi-core.c) reads the arguments from rdi,
 * rsi, rdx, r10, r8 (64-bit) or ebx, ecx, edx, esi, edi (32-bit) and
 * answers -EPERM above CPL 0 and -ENOSYS for numbers without a row.
 * Layout of the page and the stubs: docs/abis.md.
 */
#include <string.h>
#include "internal.h"
#include "abi-rows.h"
#include "trace-events.h"

/* ---- Calls: args[] in the mode's argument order ---- */

static int64_t h_xen_version(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                             uint64_t *args)
{
    static const char extra[SPAPR_XEN_EXTRAVERSION_LEN] = ".0";

    switch (args[0]) {
    case SPAPR_XENVER_VERSION:
        return SPAPR_XEN_VERSION;
    case SPAPR_XENVER_EXTRAVERSION:
        if (!spapr_guest_write(m, args[1], extra, sizeof(extra))) {
            return -SPAPR_XEN_EFAULT;
        }
        return 0;
    default:
        return -SPAPR_XEN_ENOSYS;
    }
}

/* CONSOLEIO_write: count bytes at buffer, to the trace */
static int64_t h_xen_console_io(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                                uint64_t *args)
{
    g_autofree char *text = NULL;
    uint64_t count = args[1], i;

    if (args[0] != SPAPR_XEN_CONSOLEIO_WRITE) {
        return -SPAPR_XEN_ENOSYS;
    }
    if (count > SPAPR_XEN_CONSOLE_MAX) {
        return -SPAPR_XEN_EINVAL;
    }
    text = g_malloc(count + 1);
    if (!spapr_guest_read(m, args[2], text, count)) {
        return -SPAPR_XEN_EFAULT;
    }
    for (i = 0; i < count; i++) {
        if (!g_ascii_isprint(text[i])) {
            text[i] = '.';
        }
    }
    text[count] = 0;
    trace_spapr_abi_console(m, "xen", text);
    return 0;
}

static int64_t h_xen_sched_op(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                              uint64_t *args)
{
    return args[0] == SPAPR_XEN_SCHEDOP_YIELD ? 0 : -SPAPR_XEN_ENOSYS;
}

const SpaprHcallInfo spapr_abi_rows_xen_[] = {
    { SPAPR_XEN_HYPERVISOR_XEN_VERSION, "xen_version", h_xen_version, "xen",
      2, 0, NULL },
    { SPAPR_XEN_HYPERVISOR_CONSOLE_IO, "console_io", h_xen_console_io, "xen",
      3, 0, NULL },
    { SPAPR_XEN_HYPERVISOR_SCHED_OP, "sched_op", h_xen_sched_op, "xen",
      2, 0, NULL },
};
const size_t spapr_abi_rows_xen_len_ = G_N_ELEMENTS(spapr_abi_rows_xen_);

/* ---- The hypercall page ---- */

#define X86_INT3            0xcc
#define X86_MOV_EAX_IMM     0xb8
#define X86_RET             0xc3
#define X86_PUSH_RAX        0x50
#define X86_PUSH_RCX        0x51
#define X86_POP_RCX         0x59
#define X86_REX_B           0x41            /* r8..r15 in push/pop */
#define X86_PUSH_R11        0x53            /* after REX.B */
#define X86_POP_R11         0x5b            /* after REX.B */

static uint8_t *put(uint8_t *p, const uint8_t *bytes, size_t n)
{
    memcpy(p, bytes, n);
    return p + n;
}

static uint8_t *put_mov_eax(uint8_t *p, uint32_t imm)
{
    *p++ = X86_MOV_EAX_IMM;
    *p++ = imm;
    *p++ = imm >> 8;
    *p++ = imm >> 16;
    *p++ = imm >> 24;
    return p;
}

static void put_stub(uint8_t *p, uint32_t nr, SpaprXenPageMode mode)
{
    static const uint8_t vmcall[] = { 0x0f, 0x01, 0xc1 };
    static const uint8_t vmmcall[] = { 0x0f, 0x01, 0xd9 };
    static const uint8_t syscall[] = { 0x0f, 0x05 };
    static const uint8_t int82[] = { 0xcd, 0x82 };
    static const uint8_t ud2[] = { 0x0f, 0x0b };
    static const uint8_t save[] = { X86_PUSH_RCX, X86_REX_B, X86_PUSH_R11 };
    static const uint8_t restore[] = { X86_REX_B, X86_POP_R11, X86_POP_RCX };
    bool iret = nr == SPAPR_XEN_HYPERVISOR_IRET;

    switch (mode) {
    case SPAPR_XEN_PAGE_HVM_VMX:
    case SPAPR_XEN_PAGE_HVM_SVM:
        if (iret) {
            put(p, ud2, sizeof(ud2));       /* PV only */
            return;
        }
        p = put_mov_eax(p, nr);
        p = mode == SPAPR_XEN_PAGE_HVM_VMX ? put(p, vmcall, sizeof(vmcall))
                                           : put(p, vmmcall, sizeof(vmmcall));
        *p = X86_RET;
        return;
    case SPAPR_XEN_PAGE_PV64:
        /* syscall clobbers rcx and r11: keep them around the call */
        p = put(p, save, sizeof(save));
        if (iret) {
            *p++ = X86_PUSH_RAX;            /* iret takes rax on the stack */
            p = put_mov_eax(p, nr);
            put(p, syscall, sizeof(syscall));   /* never returns here */
            return;
        }
        p = put_mov_eax(p, nr);
        p = put(p, syscall, sizeof(syscall));
        p = put(p, restore, sizeof(restore));
        *p = X86_RET;
        return;
    case SPAPR_XEN_PAGE_PV32:
        if (iret) {
            *p++ = X86_PUSH_RAX;
        }
        p = put_mov_eax(p, nr);
        p = put(p, int82, sizeof(int82));
        if (!iret) {
            *p = X86_RET;
        }
        return;
    }
}

void spapr_xen_hypercall_page(uint8_t page[SPAPR_XEN_PAGE_SIZE],
                              SpaprXenPageMode mode)
{
    unsigned int nr;

    memset(page, X86_INT3, SPAPR_XEN_PAGE_SIZE);
    for (nr = 0; nr < SPAPR_XEN_NR_STUBS; nr++) {
        put_stub(page + nr * SPAPR_XEN_STUB_SIZE, nr, mode);
    }
}

static const char *const page_modes[] = {
    [SPAPR_XEN_PAGE_HVM_VMX] = "vmx",
    [SPAPR_XEN_PAGE_HVM_SVM] = "svm",
    [SPAPR_XEN_PAGE_PV64] = "pv64",
    [SPAPR_XEN_PAGE_PV32] = "pv32",
};

bool spapr_xen_page_mode_from_name(const char *name, SpaprXenPageMode *mode)
{
    unsigned int i;

    for (i = 0; i < G_N_ELEMENTS(page_modes); i++) {
        if (!strcmp(name, page_modes[i])) {
            *mode = i;
            return true;
        }
    }
    return false;
}

bool spapr_xen_write_hypercall_msr(SpaprMachine *m, uint64_t value,
                                   SpaprXenPageMode mode)
{
    uint8_t page[SPAPR_XEN_PAGE_SIZE];

    if (value & (SPAPR_XEN_PAGE_SIZE - 1)) {
        return false;                   /* page index != 0: #GP */
    }
    spapr_xen_hypercall_page(page, mode);
    return spapr_guest_write(m, value, page, sizeof(page));
}
