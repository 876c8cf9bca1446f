/*
 * Unit tests: the Xen hypercall page, checked by decoding it, and run
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A small x86 decoder knows exactly the instructions a hypercall stub may
 * contain (xen/arch/x86 init_hypercall_page() as described in Xen's
 * hypercall-abi.rst and our research notes) and prints them; every slot
 * of every mode must decode to the expected listing followed by int3
 * (0xCC) up to the next slot.  The same decoder then executes stubs:
 * "call page + nr * 32" with a register file and a stack, trapping into
 * the Xen adapter on vmcall, vmmcall, syscall or int 0x82.
 */
#include "abi-test-util.h"

typedef enum Stop {
    STOP_RET,           /* returned to the caller */
    STOP_UD,            /* ud2 */
    STOP_INT3,          /* fell into the padding */
    STOP_BAD,           /* an instruction no stub contains */
} Stop;

typedef struct X86 {
    SpaprMachine *m;
    SpaprAbiRegs regs;
    uint64_t stack[8];
    unsigned int sp;
    unsigned int traps;
} X86;

static void push(X86 *x, uint64_t v)
{
    g_assert_cmpuint(x->sp, <, G_N_ELEMENTS(x->stack));
    x->stack[x->sp++] = v;
}

static uint64_t pop(X86 *x)
{
    g_assert_cmpuint(x->sp, >, 0);
    return x->stack[--x->sp];
}

static void trap(X86 *x)
{
    if (x) {
        spapr_abi_call(x->m, NULL, spapr_abi_get(SPAPR_ABI_XEN), &x->regs);
        x->traps++;
    }
}

/*
 * Decode (and with @x, execute) from @p until ret, ud2 or int3; the
 * listing goes to @out; returns why it stopped and the length in *@len.
 */
static Stop run(const uint8_t *p, size_t room, GString *out, X86 *x,
                size_t *len)
{
    size_t i = 0;
    Stop stop = STOP_BAD;

    while (i < room) {
        const uint8_t *b = p + i;
        const char *sep = out->len ? "; " : "";
        uint32_t imm;

        if (b[0] == 0xb8 && i + 5 <= room) {
            imm = b[1] | b[2] << 8 | b[3] << 16 | (uint32_t)b[4] << 24;
            g_string_append_printf(out, "%smov eax,0x%x", sep, imm);
            if (x) {
                x->regs.r[SPAPR_X86_RAX] = imm;     /* zero-extends */
            }
            i += 5;
        } else if (b[0] == 0x0f && b[1] == 0x01 && b[2] == 0xc1) {
            g_string_append_printf(out, "%svmcall", sep);
            trap(x);
            i += 3;
        } else if (b[0] == 0x0f && b[1] == 0x01 && b[2] == 0xd9) {
            g_string_append_printf(out, "%svmmcall", sep);
            trap(x);
            i += 3;
        } else if (b[0] == 0x0f && b[1] == 0x05) {
            g_string_append_printf(out, "%ssyscall", sep);
            if (x) {
                /* the CPU clobbers rcx (return address) and r11 (flags) */
                x->regs.r[SPAPR_X86_RCX] = 0x1111;
                x->regs.r[SPAPR_X86_R11] = 0x2222;
            }
            trap(x);
            i += 2;
        } else if (b[0] == 0xcd && b[1] == 0x82) {
            g_string_append_printf(out, "%sint 0x82", sep);
            trap(x);
            i += 2;
        } else if (b[0] == 0x0f && b[1] == 0x0b) {
            g_string_append_printf(out, "%sud2", sep);
            i += 2;
            stop = STOP_UD;
            break;
        } else if (b[0] == 0x50 || b[0] == 0x51) {
            g_string_append_printf(out, "%spush %s", sep,
                                   b[0] == 0x50 ? "rax" : "rcx");
            if (x) {
                push(x, x->regs.r[b[0] == 0x50 ? SPAPR_X86_RAX
                                               : SPAPR_X86_RCX]);
            }
            i += 1;
        } else if (b[0] == 0x59) {
            g_string_append_printf(out, "%spop rcx", sep);
            if (x) {
                x->regs.r[SPAPR_X86_RCX] = pop(x);
            }
            i += 1;
        } else if (b[0] == 0x41 && (b[1] == 0x53 || b[1] == 0x5b)) {
            g_string_append_printf(out, "%s%s r11", sep,
                                   b[1] == 0x53 ? "push" : "pop");
            if (x && b[1] == 0x53) {
                push(x, x->regs.r[SPAPR_X86_R11]);
            } else if (x) {
                x->regs.r[SPAPR_X86_R11] = pop(x);
            }
            i += 2;
        } else if (b[0] == 0xc3) {
            g_string_append_printf(out, "%sret", sep);
            i += 1;
            stop = STOP_RET;
            break;
        } else {
            stop = b[0] == 0xcc ? STOP_INT3 : STOP_BAD;
            break;
        }
    }
    *len = i;
    return stop;
}

typedef struct PageMode {
    SpaprXenPageMode mode;
    const char *name;
    const char *stub;       /* %x: the number */
    const char *iret;
    Stop iret_stop;
} PageMode;

static const PageMode modes[] = {
    { SPAPR_XEN_PAGE_HVM_VMX, "hvm-vmx", "mov eax,0x%x; vmcall; ret",
      "ud2", STOP_UD },
    { SPAPR_XEN_PAGE_HVM_SVM, "hvm-svm", "mov eax,0x%x; vmmcall; ret",
      "ud2", STOP_UD },
    { SPAPR_XEN_PAGE_PV64, "pv64",
      "push rcx; push r11; mov eax,0x%x; syscall; pop r11; pop rcx; ret",
      "push rcx; push r11; push rax; mov eax,0x17; syscall", STOP_INT3 },
    { SPAPR_XEN_PAGE_PV32, "pv32", "mov eax,0x%x; int 0x82; ret",
      "push rax; mov eax,0x17; int 0x82", STOP_INT3 },
};

/* Byte lengths from the documents: 9, 9, 14 and 8 bytes of code. */
static const size_t stub_len[] = { 9, 9, 14, 8 };

static void test_decode(void)
{
    uint8_t page[SPAPR_XEN_PAGE_SIZE];
    size_t mi, nr;

    for (mi = 0; mi < G_N_ELEMENTS(modes); mi++) {
        const PageMode *pm = &modes[mi];

        memset(page, 0, sizeof(page));
        spapr_xen_hypercall_page(page, pm->mode);
        for (nr = 0; nr < SPAPR_XEN_NR_STUBS; nr++) {
            const uint8_t *slot = page + nr * SPAPR_XEN_STUB_SIZE;
            g_autoptr(GString) got = g_string_new(NULL);
            g_autofree char *want = NULL;
            size_t len, i;
            Stop stop;

            stop = run(slot, SPAPR_XEN_STUB_SIZE, got, NULL, &len);
            if (nr == SPAPR_XEN_HYPERVISOR_IRET) {
                want = g_strdup(pm->iret);
                g_assert_cmpint(stop, ==, pm->iret_stop);
            } else {
                want = g_strdup_printf(pm->stub, (unsigned int)nr);
                g_assert_cmpint(stop, ==, STOP_RET);
                g_assert_cmpuint(len, ==, stub_len[mi]);
            }
            g_assert_cmpstr(got->str, ==, want);
            for (i = len; i < SPAPR_XEN_STUB_SIZE; i++) {
                g_assert_cmphex(slot[i], ==, 0xcc);
            }
        }
    }
    /* the exact bytes of one VMX stub */
    spapr_xen_hypercall_page(page, SPAPR_XEN_PAGE_HVM_VMX);
    g_assert_cmpmem(page + 17 * 32, 10,
                    "\xb8\x11\x00\x00\x00\x0f\x01\xc1\xc3\xcc", 10);
}

static X86 *x86_new(TestHost **h)
{
    X86 *x = g_new0(X86, 1);
    unsigned int i;

    x->m = th_machine(h);
    for (i = 0; i < SPAPR_ABI_NR_REGS; i++) {
        x->regs.r[i] = 0x7700000000000000ULL | i;
    }
    return x;
}

/* call page + nr * 32 */
static Stop call_stub(X86 *x, const uint8_t *page, unsigned int nr)
{
    g_autoptr(GString) listing = g_string_new(NULL);
    size_t len;

    return run(page + nr * SPAPR_XEN_STUB_SIZE, SPAPR_XEN_STUB_SIZE,
               listing, x, &len);
}

static void test_run(void)
{
    uint8_t page[SPAPR_XEN_PAGE_SIZE];
    size_t mi;

    for (mi = 0; mi < G_N_ELEMENTS(modes); mi++) {
        bool wide = modes[mi].mode != SPAPR_XEN_PAGE_PV32;
        TestHost *h;
        X86 *x = x86_new(&h);
        SpaprAbiRegs before;

        g_test_message("%s", modes[mi].name);
        spapr_xen_hypercall_page(page, modes[mi].mode);
        x->regs.flags = wide ? SPAPR_ABI_WIDE : 0;
        x->regs.r[wide ? SPAPR_X86_RDI : SPAPR_X86_RBX] = SPAPR_XENVER_VERSION;
        before = x->regs;
        g_assert_cmpint(call_stub(x, page, SPAPR_XEN_HYPERVISOR_XEN_VERSION),
                        ==, STOP_RET);
        g_assert_cmpuint(x->traps, ==, 1);
        g_assert_cmphex(x->regs.r[SPAPR_X86_RAX], ==, SPAPR_XEN_VERSION);
        g_assert_cmpuint(x->sp, ==, 0);
        /* PV64 saved and restored rcx and r11 around syscall */
        g_assert_cmphex(x->regs.r[SPAPR_X86_RCX], ==,
                        before.r[SPAPR_X86_RCX]);
        g_assert_cmphex(x->regs.r[SPAPR_X86_R11], ==,
                        before.r[SPAPR_X86_R11]);

        /* an empty slot: -ENOSYS */
        g_assert_cmpint(call_stub(x, page, 100), ==, STOP_RET);
        g_assert_cmphex(x->regs.r[SPAPR_X86_RAX], ==,
                        wide ? (uint64_t)-SPAPR_XEN_ENOSYS
                             : (uint32_t)-SPAPR_XEN_ENOSYS);
        /* iret: #UD on HVM; PV traps and never comes back */
        g_assert_cmpint(call_stub(x, page, SPAPR_XEN_HYPERVISOR_IRET), ==,
                        modes[mi].iret_stop);
        g_assert_cmpuint(x->traps, ==, mi < 2 ? 2 : 3);
        th_free(x->m, h);
        g_free(x);
    }
}

/*
 * The register values of KVM's xen_vmcall_test: rax = 17, the arguments
 * 0xdeadbeef5a5a0000 + 1.. in rdi, rsi, rdx, r10, r8 (and r9, which
 * KVM's Xen emulation passes as a sixth and Xen does not), the result
 * 0xcafef00dfbfbffff from the hypervisor.
 */
#define ARGVALUE(x)     (0xdeadbeef5a5a0000ULL + (x))
#define RETVALUE        0xcafef00dfbfbffffULL

static int64_t h_selftest(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                          uint64_t *args)
{
    unsigned int i;

    for (i = 0; i < 5; i++) {
        if (args[i] != ARGVALUE(i + 1)) {
            return -1;
        }
    }
    return args[5] == 0 ? (int64_t)RETVALUE : -2;      /* no sixth */
}

static void test_vmcall_selftest(void)
{
    static const SpaprHcallInfo row = {
        SPAPR_XEN_HYPERVISOR_XEN_VERSION, "selftest", h_selftest, "xen", 6, 0,
        NULL,
    };
    static const uint8_t regs[] = {
        SPAPR_X86_RDI, SPAPR_X86_RSI, SPAPR_X86_RDX, SPAPR_X86_R10,
        SPAPR_X86_R8, SPAPR_X86_R9,
    };
    uint8_t page[SPAPR_XEN_PAGE_SIZE];
    TestHost *h;
    X86 *x = x86_new(&h);
    unsigned int i;

    g_assert_true(spapr_abi_unregister(x->m, SPAPR_ABI_XEN,
                                       SPAPR_XEN_HYPERVISOR_XEN_VERSION));
    g_assert_true(spapr_abi_register_table(x->m, SPAPR_ABI_XEN, &row, 1,
                                           NULL));
    spapr_xen_hypercall_page(page, SPAPR_XEN_PAGE_HVM_VMX);
    x->regs.flags = SPAPR_ABI_WIDE;
    for (i = 0; i < G_N_ELEMENTS(regs); i++) {
        x->regs.r[regs[i]] = ARGVALUE(i + 1);
    }
    g_assert_cmpint(call_stub(x, page, 17), ==, STOP_RET);
    g_assert_cmphex(x->regs.r[SPAPR_X86_RAX], ==, RETVALUE);
    for (i = 0; i < G_N_ELEMENTS(regs); i++) {
        g_assert_cmphex(x->regs.r[regs[i]], ==, ARGVALUE(i + 1));
    }
    th_free(x->m, h);
    g_free(x);
}

/* The guest's write of the hypercall MSR fills its page, or #GP. */
static void test_msr(void)
{
    uint8_t page[SPAPR_XEN_PAGE_SIZE];
    SpaprXenPageMode mode;
    TestHost *h;
    SpaprMachine *m = th_machine(&h);

    g_assert_true(spapr_xen_page_mode_from_name("svm", &mode));
    g_assert_cmpint(mode, ==, SPAPR_XEN_PAGE_HVM_SVM);
    g_assert_false(spapr_xen_page_mode_from_name("arm", &mode));
    spapr_xen_hypercall_page(page, SPAPR_XEN_PAGE_HVM_SVM);
    /* a page index (the low 12 bits) other than 0, or no memory: #GP */
    g_assert_false(spapr_xen_write_hypercall_msr(m, 0x2001, mode));
    g_assert_false(spapr_xen_write_hypercall_msr(m, 0x2fff, mode));
    g_assert_false(spapr_xen_write_hypercall_msr(m, TEST_MEM_SIZE, mode));
    g_assert_false(spapr_xen_write_hypercall_msr(m, TEST_MEM_SIZE - 0x800,
                                                 mode));
    g_assert_false(spapr_xen_write_hypercall_msr(m, (uint64_t)-4096, mode));
    g_assert_cmpuint(h->mem[0x2000] | h->mem[TEST_MEM_SIZE - 1], ==, 0);
    g_assert_true(spapr_xen_write_hypercall_msr(m, 0x2000, mode));
    g_assert_cmpmem(h->mem + 0x2000, SPAPR_XEN_PAGE_SIZE, page,
                    SPAPR_XEN_PAGE_SIZE);
    g_assert_cmphex(h->mem[0x1fff], ==, 0);
    g_assert_cmphex(h->mem[0x3000], ==, 0);
    th_free(m, h);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/xen-page/decode", test_decode);
    g_test_add_func("/xen-page/run", test_run);
    g_test_add_func("/xen-page/msr", test_msr);
    g_test_add_func("/xen-page/vmcall-selftest", test_vmcall_selftest);
    return g_test_run();
}
