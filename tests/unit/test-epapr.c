/*
 * Unit tests: the ePAPR hypercall path from /hypervisor/hcall-instructions
 * to the handler, through a tiny PowerPC interpreter
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The test does what Linux does: read the words from the device tree
 * (big-endian cells), patch them as native instructions into a stub in
 * guest memory (so memory order follows MSR[LE]) followed by blr, set
 * the ePAPR registers and "execute" the stub.  The interpreter knows just
 * the instructions involved and calls spapr_cpu_hcall() on sc 1.
 */
#include <libfdt.h>
#include <string.h>
#include "spapr-hcall/spapr-hcall.h"
#include "ppc-test-interp.h"

#define STUB_GPA        0x10000

/* Linux's epapr_paravirt_early_init() + the stub's trailing blr. */
static void patch_stub_from_fdt(SpaprMachine *m, const void *fdt, bool le)
{
    const fdt32_t *words;
    int off, len, i;

    off = fdt_path_offset(fdt, "/hypervisor");
    g_assert_cmpint(off, >=, 0);
    words = fdt_getprop(fdt, off, "hcall-instructions", &len);
    g_assert_nonnull(words);
    g_assert_cmpint(len, ==, 16);
    for (i = 0; i < 4; i++) {
        store_insn(m, STUB_GPA + 4 * i, fdt32_ld(&words[i]), le);
    }
    store_insn(m, STUB_GPA + 16, INSN_BLR, le);
}

static SpaprMachine *new_machine(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20, .nr_cpus = 2 };
    GError *err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);

    g_assert_no_error(err);
    g_assert_true(spapr_hcall_register_debug(m, &err));
    g_assert_true(spapr_hcall_register_epapr(m, &err));
    g_assert_no_error(err);
    return m;
}

static uint64_t epapr_calls(SpaprMachine *m)
{
    SpaprHcallStats st;

    g_assert_true(spapr_hcall_stats_get(m, SPAPR_H_EPAPR, &st));
    return st.calls;
}

/* Load ePAPR registers: r3..r10 = args, r11 = token, then run the stub. */
static int64_t epapr_call(SpaprCpu *cpu, uint64_t token,
                          const uint64_t in[8])
{
    unsigned int i;

    for (i = 0; i < 8; i++) {
        cpu->gpr[3 + i] = in[i];
    }
    cpu->gpr[11] = token;
    g_assert_cmpint(run(cpu, STUB_GPA), ==, RUN_RETURNED);
    return (int64_t)cpu->gpr[3];
}

static void test_encodings(void)
{
    /* PowerISA: or = 31/444, addi = 14, ori = 24, sc = 17, LEV in 20-26 */
    g_assert_cmphex(SPAPR_EPAPR_INSN_MR_R12_R3, ==, enc_x(31, 3, 12, 3, 444));
    g_assert_cmphex(SPAPR_EPAPR_INSN_LI_R3_0, ==, enc_d(14, 3, 0, 0));
    g_assert_cmphex(SPAPR_EPAPR_INSN_ORI_R3_OPCODE, ==,
                    enc_d(24, 3, 3, SPAPR_H_EPAPR));
    g_assert_cmphex(SPAPR_EPAPR_INSN_SC1, ==, enc_sc(1));
    g_assert_cmphex(enc_sc(1), ==, 0x44000022);     /* Linux's HVSC */
    g_assert_cmphex(spapr_epapr_hcall_insns[0], ==, 0x7C6C1B78);
    g_assert_cmphex(spapr_epapr_hcall_insns[1], ==, 0x38600000);
    g_assert_cmphex(spapr_epapr_hcall_insns[2], ==, 0x6063F0E0);
    g_assert_cmphex(spapr_epapr_hcall_insns[3], ==, 0x44000022);
    /* The opcode is a free slot of the platform range */
    g_assert_true(spapr_hcall_opcode_valid(SPAPR_H_EPAPR));
    g_assert_null(spapr_hcall_opcode_name(SPAPR_H_EPAPR));
    g_assert_cmphex(KVM_HCALL_TOKEN(SPAPR_KVM_HC_FEATURES), ==, 0x2A0003);
    g_assert_cmphex(EV_HCALL_TOKEN(EV_IDLE), ==, 0x10010);
}

static void test_device_tree(void)
{
    SpaprMachine *m = new_machine();
    GError *err = NULL;
    g_autofree void *fdt = spapr_fdt_build(m, &err);
    g_autofree void *fdt2 = NULL;
    const void *a, *b;
    int off, la, lb, i;

    g_assert_no_error(err);
    g_assert_cmpint(fdt_check_full(fdt, fdt_totalsize(fdt)), ==, 0);
    off = fdt_path_offset(fdt, "/hypervisor");
    g_assert_cmpint(off, >=, 0);
    g_assert_cmpstr(fdt_getprop(fdt, off, "compatible", NULL), ==,
                    "linux,kvm");
    a = fdt_getprop(fdt, off, "hcall-instructions", &la);
    b = fdt_getprop(fdt, off, "hypercall-instructions", &lb);
    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_cmpmem(a, la, b, lb);
    g_assert_cmpint(la, ==, 16);
    for (i = 0; i < 4; i++) {
        g_assert_cmphex(fdt32_ld((const fdt32_t *)a + i), ==,
                        spapr_epapr_hcall_insns[i]);
    }
    g_assert_nonnull(fdt_getprop(fdt, off, "has-idle", &la));
    g_assert_cmpint(la, ==, 0);

    /* No ePAPR entry, no /hypervisor: a guest would trap to nothing */
    g_assert_true(spapr_hcall_unregister(m, SPAPR_H_EPAPR));
    fdt2 = spapr_fdt_build(m, &err);
    g_assert_no_error(err);
    g_assert_cmpint(fdt_path_offset(fdt2, "/hypervisor"), ==,
                    -FDT_ERR_NOTFOUND);
    spapr_machine_free(m);
}

static void check_calls(bool le)
{
    SpaprMachine *m = new_machine();
    SpaprCpu *cpu = spapr_machine_cpu(m, 1);
    GError *err = NULL;
    g_autofree void *fdt = spapr_fdt_build(m, &err);
    static const uint32_t unknown[] = {
        0, EV_HCALL_TOKEN(EV_BYTE_CHANNEL_SEND), EV_HCALL_TOKEN(EV_MSGSND),
        KVM_HCALL_TOKEN(1), KVM_HCALL_TOKEN(5), KVM_HCALL_TOKEN(0xffff),
        SPAPR_EV_TOKEN(EV_FSL_VENDOR_ID, EV_IDLE), 0xffffffff,
    };
    uint64_t in[8];
    unsigned int i;

    g_assert_no_error(err);
    cpu->msr = SPAPR_MSR_SF | (le ? SPAPR_MSR_LE : 0);
    patch_stub_from_fdt(m, fdt, le);
    for (i = 0; i < 8; i++) {
        in[i] = 0x1111111111111111ULL * (i + 1);
    }

    /* KVM_HC_FEATURES: success, no features (no magic page kept) */
    g_assert_cmpint(epapr_call(cpu, KVM_HCALL_TOKEN(SPAPR_KVM_HC_FEATURES),
                               in),
                    ==, EV_SUCCESS);
    g_assert_cmphex(cpu->gpr[4], ==, 0);
    for (i = 5; i <= 10; i++) {
        g_assert_cmphex(cpu->gpr[i], ==, in[i - 3]);  /* untouched */
    }
    g_assert_cmphex(cpu->gpr[11], ==, KVM_HCALL_TOKEN(SPAPR_KVM_HC_FEATURES));
    g_assert_cmphex(cpu->gpr[12], ==, in[0]);       /* the saved r3 */
    g_assert_cmpuint(cpu->pc, ==, STUB_GPA + 16);   /* returned via blr */
    g_assert_cmpuint(epapr_calls(m), ==, 1);

    g_assert_cmpint(epapr_call(
                        cpu, KVM_HCALL_TOKEN(SPAPR_KVM_HC_PPC_MAP_MAGIC_PAGE),
                        in), ==, EV_UNIMPLEMENTED);
    g_assert_cmphex(cpu->gpr[4], ==, in[1]);
    g_assert_cmpint(epapr_call(cpu, EV_HCALL_TOKEN(EV_IDLE), in), ==,
                    EV_SUCCESS);
    for (i = 0; i < G_N_ELEMENTS(unknown); i++) {
        g_assert_cmpint(epapr_call(cpu, unknown[i], in), ==,
                        EV_UNIMPLEMENTED);
    }
    g_assert_cmpuint(epapr_calls(m), ==, 3 + G_N_ELEMENTS(unknown));

    /* Problem state cannot make hypervisor calls at all */
    cpu->msr |= SPAPR_MSR_PR;
    g_assert_cmpint(epapr_call(cpu, KVM_HCALL_TOKEN(SPAPR_KVM_HC_FEATURES),
                               in),
                    ==, PAPR_H_PRIVILEGE);
    g_assert_cmpuint(epapr_calls(m), ==, 3 + G_N_ELEMENTS(unknown));

    /* 32-bit mode: only the low words count, as KVM does */
    cpu->msr = le ? SPAPR_MSR_LE : 0;
    g_assert_cmpint(epapr_call(cpu, 0xdeadbeef00000000ULL |
                               KVM_HCALL_TOKEN(SPAPR_KVM_HC_FEATURES), in),
                    ==, EV_SUCCESS);
    g_assert_cmphex(cpu->gpr[4], ==, 0);
    spapr_machine_free(m);
}

static void test_calls_be(void)
{
    check_calls(false);
}

static void test_calls_le(void)
{
    check_calls(true);
}

/* A probe at the ePAPR opcode: echo the decoded call back. */
static int64_t h_probe(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                       uint64_t *args)
{
    SpaprEpaprCall call;
    unsigned int i;

    spapr_epapr_decode(cpu, args, &call);
    for (i = 0; i < SPAPR_EPAPR_NR_OUT; i++) {
        args[i] = call.in[i];                   /* r4..r11 = r3..r10 */
    }
    return call.token;
}

static const SpaprHcallInfo probe_info = {
    SPAPR_H_EPAPR, "PROBE", h_probe, "hcall-probe", 9, 8, NULL,
};

static void check_plumbing(bool le, bool narrow)
{
    SpaprMachine *m = new_machine();
    SpaprCpu *cpu = spapr_machine_cpu(m, 0);
    GError *err = NULL;
    g_autofree void *fdt = spapr_fdt_build(m, &err);
    uint64_t in[8], mask = narrow ? UINT32_MAX : UINT64_MAX;
    unsigned int i;

    g_assert_no_error(err);
    g_assert_true(spapr_hcall_unregister(m, SPAPR_H_EPAPR));
    g_assert_true(spapr_hcall_register(m, &probe_info, &err));
    cpu->msr = (narrow ? 0 : SPAPR_MSR_SF) | (le ? SPAPR_MSR_LE : 0);
    patch_stub_from_fdt(m, fdt, le);
    for (i = 0; i < 8; i++) {
        in[i] = 0xA0B0C0D0E0F00000ULL + i * 0x101;
    }
    g_assert_cmpint(epapr_call(cpu, 0x77770000ULL << 32 | 0x2A1234, in),
                    ==, 0x2A1234);
    for (i = 0; i < 8; i++) {
        g_assert_cmphex(cpu->gpr[4 + i], ==, in[i] & mask);
    }
    spapr_machine_free(m);
}

static void test_plumbing(void)
{
    check_plumbing(false, false);
    check_plumbing(true, false);
    check_plumbing(false, true);
    check_plumbing(true, true);
}

/* Every other opcode through "sc 1", in both endiannesses. */
static void test_papr_never_epapr(void)
{
    SpaprMachine *m = new_machine();
    SpaprCpu *cpu = spapr_machine_cpu(m, 0);
    SpaprHcallStats st;
    uint64_t op, n = 0;
    int le;

    for (le = 0; le <= 1; le++) {
        cpu->msr = SPAPR_MSR_SF | (le ? SPAPR_MSR_LE : 0);
        /* A Linux plpar_hcall: opcode already in r3, then HVSC; blr */
        store_insn(m, STUB_GPA, enc_sc(1), le);
        store_insn(m, STUB_GPA + 4, INSN_BLR, le);
        for (op = 0; op <= 0x10000; op++) {
            if (op == SPAPR_H_EPAPR) {
                continue;
            }
            cpu->gpr[3] = op;
            cpu->gpr[4] = 8;                    /* CI load/store: 8 ... */
            cpu->gpr[5] = STUB_GPA + 0x100;       /* ... of data */
            /* ePAPR-looking registers must not matter */
            cpu->gpr[11] = KVM_HCALL_TOKEN(SPAPR_KVM_HC_FEATURES);
            cpu->gpr[12] = 0x1234;
            g_assert_cmpint(run(cpu, STUB_GPA), ==, RUN_RETURNED);
            n++;
            if (op == PAPR_H_LOGICAL_CI_LOAD || op
                == PAPR_H_LOGICAL_CI_STORE) {
                g_assert_cmpint((int64_t)cpu->gpr[3], ==, PAPR_H_SUCCESS);
            } else {
                g_assert_cmpint((int64_t)cpu->gpr[3], ==, PAPR_H_FUNCTION);
            }
        }
    }
    g_assert_cmpuint(epapr_calls(m), ==, 0);
    g_assert_true(spapr_hcall_stats_get(m, PAPR_H_LOGICAL_CI_LOAD, &st));
    g_assert_cmpuint(st.calls, ==, 2);
    g_assert_cmpuint(n, ==, 2 * 0x10000);
    spapr_machine_free(m);
}

/* The published words mean nothing in the other byte order. */
static void test_wrong_endian_traps_nothing(void)
{
    SpaprMachine *m = new_machine();
    SpaprCpu *cpu = spapr_machine_cpu(m, 0);
    GError *err = NULL;
    g_autofree void *fdt = spapr_fdt_build(m, &err);

    g_assert_no_error(err);
    patch_stub_from_fdt(m, fdt, false);
    cpu->msr = SPAPR_MSR_SF | SPAPR_MSR_LE;
    g_assert_cmpint(run(cpu, STUB_GPA), ==, RUN_BAD_INSN);
    g_assert_cmpuint(epapr_calls(m), ==, 0);
    spapr_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/epapr/encodings", test_encodings);
    g_test_add_func("/epapr/device-tree", test_device_tree);
    g_test_add_func("/epapr/calls-big-endian", test_calls_be);
    g_test_add_func("/epapr/calls-little-endian", test_calls_le);
    g_test_add_func("/epapr/register-plumbing", test_plumbing);
    g_test_add_func("/epapr/papr-never-epapr", test_papr_never_epapr);
    g_test_add_func("/epapr/wrong-endian", test_wrong_endian_traps_nothing);
    return g_test_run();
}
