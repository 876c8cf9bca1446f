/*
 * Unit tests: every hypercall convention of docs/abis.md through the one
 * adapter, with exact register results
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The register contracts below are written from the documents (Linux's
 * ppc-pv.rst, hypercalls.rst and s390-diag.rst, the Linux and FreeBSD PS3
 * and Beat call stubs, Xen's hypercall-abi.rst; see docs/abis.md), as
 * register names, and compared with the library's descriptors.  Bad input
 * is in test-abi-bad.c.
 */
#include "abi-test-util.h"
#include "ppc-test-interp.h"

/* A distinct 64-bit value per register, upper half set */
#define PAT(i)      (0xA5A5A5A500000000ULL | (uint64_t)(i) * 0x01010101u)

/* ---- The documents' tables ---- */

typedef struct Contract {
    SpaprAbiId id;
    const char *name;
    const char *nr;
    const char *args64, *args32;
    const char *outs;
    const char *result;
    const char *volatile64, *volatile32;
    SpaprAbiEnd unknown_end;
    int64_t unknown;
    const char *traps;                  /* hex, '|' between alternatives */
} Contract;

#define PPC_VOL "r0 r3 r4 r5 r6 r7 r8 r9 r10 r11 r12"
#define R3_R10  "r3 r4 r5 r6 r7 r8 r9 r10"

static const Contract contracts[] = {
    { SPAPR_ABI_PAPR, "papr", "r3", "r4 r5 r6 r7 r8 r9 r10 r11 r12",
      "r4 r5 r6 r7 r8 r9 r10 r11 r12", "r4 r5 r6 r7 r8 r9 r10 r11 r12",
      "r3", PPC_VOL, PPC_VOL, SPAPR_ABI_RETURNED, PAPR_H_FUNCTION,
     "44000022" },
    { SPAPR_ABI_EPAPR, "epapr", "r11", R3_R10, R3_R10,
      "r4 r5 r6 r7 r8 r9 r10 r11", "r3", PPC_VOL, PPC_VOL,
      SPAPR_ABI_RETURNED, EV_UNIMPLEMENTED,
      "7c6c1b78386000006063f0e044000022" },
    { SPAPR_ABI_BEAT, "beat", "r11", R3_R10, R3_R10, "r4 r5 r6 r7 r8 r9",
      "r3", PPC_VOL, PPC_VOL, SPAPR_ABI_RETURNED, SPAPR_LV1_NO_ENTRY,
      "44000022" },
    { SPAPR_ABI_PS3, "ps3", "r11", R3_R10, R3_R10,
      "r4 r5 r6 r7 r8 r9 r10", "r3", PPC_VOL, PPC_VOL,
      SPAPR_ABI_RETURNED, SPAPR_LV1_NO_ENTRY, "440000227c6307b4" },
    { SPAPR_ABI_KVM_X86, "kvm-x86", "rax", "rbx rcx rdx rsi",
      "rbx rcx rdx rsi", "", "rax", "rax", "rax", SPAPR_ABI_RETURNED,
      -1000, "0f01c1|0f01d9" },
    { SPAPR_ABI_KVM_S390, "kvm-s390", "r1", "r2 r3 r4 r5 r6 r7",
      "r2 r3 r4 r5 r6 r7", "", "r2", "r2", "r2",
      SPAPR_ABI_EXC_SPECIFICATION, 0, "83240500" },
    { SPAPR_ABI_XEN, "xen", "rax", "rdi rsi rdx r10 r8",
      "rbx rcx rdx rsi rdi", "", "rax", "rax rdi rsi rdx r10 r8",
      "rax rbx rcx rdx rsi rdi", SPAPR_ABI_RETURNED, -38,
      "0f01c1|0f01d9" },
};

static int reg(const SpaprAbi *abi, const char *name)
{
    int r = spapr_abi_reg_from_name(abi, name);

    g_assert_cmpint(r, >=, 0);
    return r;
}

static void check_list(const SpaprAbi *abi, const SpaprAbiRegList *l,
                       const char *names)
{
    g_auto(GStrv) v = g_strsplit(names, " ", -1);
    unsigned int i, n = *names ? g_strv_length(v) : 0;

    g_assert_cmpuint(l->n, ==, n);
    for (i = 0; i < n; i++) {
        g_assert_cmpstr(spapr_abi_reg_name(abi, l->r[i]), ==, v[i]);
    }
}

static uint32_t reg_mask(const SpaprAbi *abi, const char *names)
{
    g_auto(GStrv) v = g_strsplit(names, " ", -1);
    uint32_t mask = 0;
    char **s;

    for (s = v; *s; s++) {
        mask |= 1u << reg(abi, *s);
    }
    return mask;
}

static void test_contracts(void)
{
    size_t i;

    g_assert_cmpuint(G_N_ELEMENTS(contracts), ==, SPAPR_ABI_COUNT);
    for (i = 0; i < G_N_ELEMENTS(contracts); i++) {
        const Contract *c = &contracts[i];
        const SpaprAbi *abi = spapr_abi_get(c->id);
        g_auto(GStrv) traps = g_strsplit(c->traps, "|", -1);
        unsigned int t;

        g_test_message("%s", c->name);
        g_assert_true(spapr_abi_find(c->name) == abi);
        g_assert_cmpstr(abi->name, ==, c->name);
        g_assert_cmpint(abi->nr_reg, ==, reg(abi, c->nr));
        g_assert_cmpint(abi->result_reg, ==, reg(abi, c->result));
        check_list(abi, &abi->args[1], c->args64);
        check_list(abi, &abi->args[0], c->args32);
        check_list(abi, &abi->outs, c->outs);
        g_assert_cmphex(abi->volatile_regs[1], ==,
                        reg_mask(abi, c->volatile64));
        g_assert_cmphex(abi->volatile_regs[0], ==,
                        reg_mask(abi, c->volatile32));
        g_assert_cmpint(abi->unknown.end, ==, c->unknown_end);
        g_assert_cmpint(abi->unknown.code, ==, c->unknown);
        g_assert_cmpuint(abi->nr_traps, ==, g_strv_length(traps));
        for (t = 0; t < abi->nr_traps; t++) {
            g_autofree char *hex = NULL;
            GString *s = g_string_new(NULL);
            uint8_t le[SPAPR_ABI_MAX_TRAP];
            unsigned int b;

            for (b = 0; b < abi->traps[t].len; b++) {
                g_string_append_printf(s, "%02x", abi->traps[t].bytes[b]);
            }
            hex = g_string_free(s, FALSE);
            g_assert_cmpstr(hex, ==, traps[t]);
            g_assert_cmpint(spapr_abi_match_trap(abi, abi->traps[t].bytes,
                                                 abi->traps[t].len, false),
                            ==, t);
            /* one byte short is no trap */
            g_assert_cmpint(spapr_abi_match_trap(abi, abi->traps[t].bytes,
                                                 abi->traps[t].len - 1,
                                                 false), ==, -1);
            if (abi->arch != SPAPR_ABI_ARCH_PPC) {
                continue;
            }
            /* PowerPC words in little-endian memory order */
            for (b = 0; b < abi->traps[t].len; b++) {
                le[b] = abi->traps[t].bytes[(b & ~3u) + 3 - (b & 3)];
            }
            g_assert_cmpint(spapr_abi_match_trap(abi, le, abi->traps[t].len,
                                                 true), ==, t);
            g_assert_cmpint(spapr_abi_match_trap(abi, le, abi->traps[t].len,
                                                 false), ==, -1);
        }
    }
    /* encodings re-derived: sc 1 and extsw r3,r3 (PowerISA) */
    g_assert_cmphex(17u << 26 | 1 << 5 | 2, ==, 0x44000022);
    g_assert_cmphex(31u << 26 | 3 << 21 | 3 << 16 | 986 << 1, ==, 0x7c6307b4);
    g_assert_null(spapr_abi_find("vmware"));
    g_assert_null(spapr_abi_get(SPAPR_ABI_COUNT));
}

/* ---- Calls ---- */

/* Fill every register with PAT(i), then the number and arguments. */
static void load(const SpaprAbi *abi, SpaprAbiRegs *r, uint32_t flags,
                 uint64_t nr, const uint64_t *args, unsigned int n)
{
    const SpaprAbiRegList *in = &abi->args[!!(flags & SPAPR_ABI_WIDE)];
    unsigned int i;

    for (i = 0; i < SPAPR_ABI_NR_REGS; i++) {
        r->r[i] = PAT(i);
    }
    r->flags = flags;
    r->operand = SPAPR_DIAG_KVM_HYPERCALL;
    r->r[abi->nr_reg] = nr;
    for (i = 0; i < n; i++) {
        r->r[in->r[i]] = args[i];
    }
}

typedef struct Call {
    SpaprMachine *m;
    TestHost *h;
    const SpaprAbi *abi;
    SpaprAbiRegs before, r;
} Call;

#define CALL(c, flags, nr, ...) \
    call_abi(c, flags, nr, (const uint64_t[]){ 0, __VA_ARGS__ }, \
             sizeof((uint64_t[]){ 0, __VA_ARGS__ }) / 8 - 1)

static SpaprAbiEnd call_abi(Call *c, uint32_t flags, uint64_t nr,
                            const uint64_t *args, unsigned int n)
{
    load(c->abi, &c->r, flags, nr, args + 1, n);
    c->before = c->r;
    return spapr_abi_call(c->m, NULL, c->abi, &c->r);
}

static int64_t result(Call *c)
{
    return (int64_t)c->r.r[c->abi->result_reg];
}

/* Every register other than @except (a mask) kept all 64 bits. */
static void assert_kept(Call *c, uint32_t except)
{
    unsigned int i;

    for (i = 0; i < SPAPR_ABI_NR_REGS; i++) {
        if (!(except & (1u << i))) {
            g_assert_cmphex(c->r.r[i], ==, c->before.r[i]);
        }
    }
}

static uint32_t result_bit(Call *c)
{
    return 1u << c->abi->result_reg;
}

static Call *call_new(SpaprAbiId id)
{
    Call *c = g_new0(Call, 1);

    c->m = th_machine(&c->h);
    c->abi = spapr_abi_get(id);
    return c;
}

static void call_free(Call *c)
{
    th_free(c->m, c->h);
    g_free(c);
}

#define W   SPAPR_ABI_WIDE
#define U   SPAPR_ABI_USER
#define P   SPAPR_ABI_POISON

static void test_papr(void)
{
    Call *c = call_new(SPAPR_ABI_PAPR);

    c->h->mem[0x100] = 0x12;
    g_assert_cmpint(CALL(c, W, PAPR_H_LOGICAL_CI_LOAD, 1, 0x100), ==,
                    SPAPR_ABI_RETURNED);
    g_assert_cmpint(result(c), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(c->r.r[4], ==, 0x12);
    assert_kept(c, result_bit(c) | 1u << 4);
    g_assert_cmpint(CALL(c, W, 0x3000), ==, SPAPR_ABI_RETURNED);
    g_assert_cmpint(result(c), ==, PAPR_H_FUNCTION);
    assert_kept(c, result_bit(c));
    g_assert_cmpint(CALL(c, W | U, PAPR_H_LOGICAL_CI_LOAD, 1, 0x100), ==,
                    SPAPR_ABI_RETURNED);
    g_assert_cmpint(result(c), ==, PAPR_H_PRIVILEGE);
    assert_kept(c, result_bit(c));
    call_free(c);
}

static void test_epapr(void)
{
    Call *c = call_new(SPAPR_ABI_EPAPR);
    SpaprHcallStats st;

    g_assert_cmpint(CALL(c, W, KVM_HCALL_TOKEN(SPAPR_KVM_HC_FEATURES)), ==,
                    SPAPR_ABI_RETURNED);
    g_assert_cmpint(result(c), ==, EV_SUCCESS);
    g_assert_cmphex(c->r.r[4], ==, 0);
    assert_kept(c, result_bit(c) | 1u << 4);
    g_assert_cmpint(CALL(c, W, EV_HCALL_TOKEN(EV_IDLE)), ==,
                    SPAPR_ABI_RETURNED);
    g_assert_cmpint(result(c), ==, EV_SUCCESS);
    assert_kept(c, result_bit(c));
    /* MAP_MAGIC_PAGE is not offered (KVM_HC_FEATURES says so) */
    CALL(c, W, KVM_HCALL_TOKEN(SPAPR_KVM_HC_PPC_MAP_MAGIC_PAGE), 0x1000,
         0xfffffffffffff001ULL);
    g_assert_cmpint(result(c), ==, EV_UNIMPLEMENTED);
    assert_kept(c, result_bit(c));
    /* 32-bit mode: only the low word of the token counts */
    CALL(c, 0, 0xdeadbeef00000000ULL | KVM_HCALL_TOKEN(SPAPR_KVM_HC_FEATURES));
    g_assert_cmpint(result(c), ==, EV_SUCCESS);
    g_assert_cmphex(c->r.r[4], ==, 0);
    /* ... and in 64-bit mode, too: the token is 32 bits wide */
    CALL(c, W, 0x100000000ULL | EV_HCALL_TOKEN(EV_IDLE));
    g_assert_cmpint(result(c), ==, EV_SUCCESS);
    g_assert_true(spapr_abi_nr_from_name(c->m, SPAPR_ABI_EPAPR, "EV_IDLE",
                                         &st.opcode));
    g_assert_cmphex(st.opcode, ==, 0x10010);
    call_free(c);
}

/* ePAPR call on a vCPU: r3..r10 = @a, r11 = token; returns r3 */
static int64_t epapr_on(SpaprCpu *cpu, uint32_t token, uint64_t a3,
                        uint64_t a4)
{
    cpu->gpr[3] = a3;
    cpu->gpr[4] = a4;
    cpu->gpr[11] = token;
    g_assert_cmpint(spapr_cpu_abi_call(cpu, spapr_abi_get(SPAPR_ABI_EPAPR)),
                    ==, SPAPR_ABI_RETURNED);
    return (int64_t)cpu->gpr[3];
}

static void test_epapr_magic_page(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20, .nr_cpus = 2 };
    SpaprMachine *m = spapr_machine_new(&cfg, NULL);
    SpaprCpu *c0 = spapr_machine_cpu(m, 0), *c1 = spapr_machine_cpu(m, 1);
    const uint32_t map = KVM_HCALL_TOKEN(SPAPR_KVM_HC_PPC_MAP_MAGIC_PAGE);
    const uint32_t features = KVM_HCALL_TOKEN(SPAPR_KVM_HC_FEATURES);
    SpaprAbiRegs r = { .flags = SPAPR_ABI_WIDE };
    GError *err = NULL;
    uint64_t gpa, ea, v;
    uint32_t w;
    uint8_t b[8];

    g_assert_true(spapr_hcall_register_epapr(m, &err));
    /* off by default */
    g_assert_cmpint(epapr_on(c0, features, 0, 0), ==, EV_SUCCESS);
    g_assert_cmphex(c0->gpr[4], ==, 0);
    g_assert_cmpint(epapr_on(c0, map, 0x40000000, 7), ==, EV_UNIMPLEMENTED);
    g_assert_cmphex(c0->gpr[4], ==, 7);
    g_assert_true(spapr_epapr_enable_magic_page(m, &err));
    g_assert_no_error(err);
    g_assert_false(spapr_epapr_enable_magic_page(m, &err));
    g_clear_error(&err);

    g_assert_cmpint(epapr_on(c0, features, 0, 0), ==, EV_SUCCESS);
    g_assert_cmphex(c0->gpr[4], ==, 1u << KVM_FEATURE_MAGIC_PAGE);
    /* vCPU 0, big-endian: the low 12 bits of both addresses are flags */
    c0->msr = SPAPR_MSR_SF;
    g_assert_cmpint(epapr_on(c0, map, 0x40000123, 0xc000000000000000ULL |
                             MAGIC_PAGE_FLAG_NOT_MAPPED_NX), ==, EV_SUCCESS);
    g_assert_cmphex(c0->gpr[4], ==, 0);             /* no SR, no MAS */
    g_assert_true(spapr_epapr_magic_page(c0, &gpa, &ea));
    g_assert_cmphex(gpa, ==, 0x40000000);
    g_assert_cmphex(ea, ==, 0xc000000000000000ULL);
    g_assert_true(spapr_guest_ldq_be(m, gpa + KVM_SHARED_MSR, &v));
    g_assert_cmphex(v, ==, SPAPR_MSR_SF);
    g_assert_true(spapr_guest_ldq_be(m, gpa + KVM_SHARED_SCRATCH1, &v));
    g_assert_cmphex(v, ==, 0);
    g_assert_true(spapr_guest_ldq_be(m, gpa + 4088, &v));    /* 4 KiB */
    /* vCPU 1, little-endian: the page is in the guest's byte order */
    c1->msr = SPAPR_MSR_SF | SPAPR_MSR_LE;
    g_assert_cmpint(epapr_on(c1, map, 0x40001000, 0), ==, EV_SUCCESS);
    g_assert_true(spapr_guest_read(m, 0x40001000 + KVM_SHARED_MSR, b, 8));
    g_assert_cmpmem(b, 8, "\x01\0\0\0\0\0\0\x80", 8);
    g_assert_true(spapr_guest_ldl_be(m, 0x40001000 + KVM_SHARED_PIR, &w));
    g_assert_cmphex(w, ==, 0x01000000);             /* PIR 1, LE */
    /* a second call moves vCPU 0's page */
    g_assert_cmpint(epapr_on(c0, map, 0x40002000, 0), ==, EV_SUCCESS);
    g_assert_false(spapr_guest_ldq_be(m, 0x40000000, &v));
    g_assert_true(spapr_guest_ldq_be(m, 0x40002000 + KVM_SHARED_MSR, &v));
    /* over RAM: refused, and vCPU 0 has no page any more */
    g_assert_cmpint(epapr_on(c0, map, 0x1000, 0), ==, EV_EINVAL);
    g_assert_false(spapr_epapr_magic_page(c0, &gpa, &ea));
    g_assert_true(spapr_guest_ldq_be(m, 0x1000, &v));       /* RAM kept */
    /* what Linux asks for: physical and effective -4096 (NX flag) */
    g_assert_cmpint(epapr_on(c0, map, (uint64_t)-4096, (uint64_t)-4096 | 1),
                    ==, EV_SUCCESS);
    g_assert_true(spapr_guest_ldq_be(m, (uint64_t)-4096 + KVM_SHARED_MSR,
                                     &v));
    g_assert_cmphex(v, ==, SPAPR_MSR_SF);
    /* and the other vCPU's page cannot overlap it */
    g_assert_cmpint(epapr_on(c1, map, (uint64_t)-4096, 0), ==, EV_EINVAL);
    /* the page is per vCPU: no vCPU, no page */
    r.r[11] = map;
    r.r[3] = 0x40003000;
    g_assert_cmpint(spapr_abi_call(m, NULL, spapr_abi_get(SPAPR_ABI_EPAPR),
                                   &r), ==, SPAPR_ABI_RETURNED);
    g_assert_cmpint(r.r[3], ==, EV_INVALID_STATE);
    /* machine reset unmaps */
    spapr_machine_reset(m);
    g_assert_false(spapr_epapr_magic_page(c1, &gpa, &ea));
    g_assert_false(spapr_guest_ldq_be(m, 0x40001000, &v));
    g_assert_cmpint(epapr_on(c1, map, 0x40001000, 0), ==, EV_SUCCESS);
    spapr_machine_free(m);                  /* finalize unmaps and frees */
}

/* A PS3 probe: the status is 32 bits and the guest sign-extends it. */
static int64_t h_probe_status(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                              uint64_t *args)
{
    return (int64_t)args[0];
}

static void test_ps3(void)
{
    static const SpaprHcallInfo probe = {
        200, "probe", h_probe_status, "ps3", 1, 0, NULL,
    };
    Call *c = call_new(SPAPR_ABI_PS3);

    c->h->clock_ns = 1234 * 1000000000LL + 500000000;       /* 1234.5 s */
    CALL(c, W, SPAPR_LV1_GET_VERSION_INFO);
    g_assert_cmpint(result(c), ==, SPAPR_LV1_SUCCESS);
    g_assert_cmphex(c->r.r[4], ==, SPAPR_PS3_VERSION);
    g_assert_cmphex(c->r.r[5], ==, 0);
    assert_kept(c, result_bit(c) | 3u << 4);
    CALL(c, W, SPAPR_LV1_GET_LOGICAL_PARTITION_ID);
    g_assert_cmphex(c->r.r[4], ==, SPAPR_PS3_LPAR_ID);
    assert_kept(c, result_bit(c) | 1u << 4);
    CALL(c, W, SPAPR_LV1_GET_RTC);
    g_assert_cmpint(result(c), ==, SPAPR_LV1_SUCCESS);
    g_assert_cmpuint(c->r.r[4], ==, 1234);
    g_assert_cmpuint(c->r.r[5], ==, 1234 * 79800000ULL + 39900000);
    CALL(c, W, SPAPR_LV1_PAUSE, 0);
    g_assert_cmpint(result(c), ==, SPAPR_LV1_SUCCESS);
    assert_kept(c, result_bit(c));
    CALL(c, W, 255);
    g_assert_cmpint(result(c), ==, SPAPR_LV1_NO_ENTRY);
    CALL(c, W, 256);
    g_assert_cmpint(result(c), ==, SPAPR_LV1_NO_ENTRY);
    CALL(c, W | U, SPAPR_LV1_GET_RTC);
    g_assert_cmpint(result(c), ==, SPAPR_LV1_NO_PRIVILEGE);
    assert_kept(c, result_bit(c));

    /* extsw r3,r3: garbage above bit 31 never reaches the guest */
    g_assert_true(spapr_abi_register_table(c->m, SPAPR_ABI_PS3, &probe, 1,
                                           NULL));
    CALL(c, W, 200, 0x12345678fffffffaULL);
    g_assert_cmphex(c->r.r[3], ==, (uint64_t)SPAPR_LV1_NO_ENTRY);
    CALL(c, W, 200, 0xffffffff00000001ULL);
    g_assert_cmphex(c->r.r[3], ==, 1);
    call_free(c);
}

static void test_beat(void)
{
    Call *c = call_new(SPAPR_ABI_BEAT);
    const char *line;

    c->h->clock_ns = 99 * 1000000000LL;
    CALL(c, W, SPAPR_BEAT_RTC_READ);
    g_assert_cmpint(result(c), ==, SPAPR_LV1_SUCCESS);
    g_assert_cmpuint(c->r.r[4], ==, 99);
    assert_kept(c, result_bit(c) | 1u << 4);
    CALL(c, W, SPAPR_BEAT_GET_LOGICAL_PARTITION_ID);
    g_assert_cmphex(c->r.r[4], ==, SPAPR_PS3_LPAR_ID);
    spapr_trace_enable(c->m, "spapr_abi_console");
    /* "Hi Beat!" "\n" in r5..r6, first character in the top byte */
    CALL(c, W, SPAPR_BEAT_PUT_CHARACTERS_TO_CONSOLE, 0, 9,
         0x4869204265617421ULL, 0x0a00000000000000ULL);
    g_assert_cmpint(result(c), ==, SPAPR_LV1_SUCCESS);
    assert_kept(c, result_bit(c));
    g_assert_cmpuint(c->h->lines->len, ==, 1);
    line = g_ptr_array_index(c->h->lines, 0);
    g_assert_cmpstr(line, ==, "spapr_abi_console beat: Hi Beat!.");
    CALL(c, W, SPAPR_BEAT_PUT_CHARACTERS_TO_CONSOLE, 0, 17, 0, 0);
    g_assert_cmpint(result(c), ==, SPAPR_LV1_ILLEGAL_PARAMETER_VALUE);
    /* vendor 0 and vendor 1 numbers are different calls */
    CALL(c, W, SPAPR_BEAT_NR(1, 74));
    g_assert_cmpint(result(c), ==, SPAPR_LV1_NO_ENTRY);
    CALL(c, W, SPAPR_BEAT_NR(2, 74));
    g_assert_cmpint(result(c), ==, SPAPR_LV1_NO_ENTRY);
    CALL(c, W, SPAPR_BEAT_NR(0, 0x190));
    g_assert_cmpint(result(c), ==, SPAPR_LV1_NO_ENTRY);
    call_free(c);
}

static void test_kvm_x86(void)
{
    Call *c = call_new(SPAPR_ABI_KVM_X86);
    static const uint64_t unknown[] = {
        0, SPAPR_KVM_HC_MMU_OP,
            3 /* FEATURES: PPC only */, 4, SPAPR_KVM_HC_KICK_CPU,
        SPAPR_KVM_HC_CLOCK_PAIRING, SPAPR_KVM_HC_SEND_IPI,
                                       SPAPR_KVM_HC_SCHED_YIELD, 13, 15,
        16, 1000, UINT32_MAX, UINT64_MAX,
    };
    size_t i;

    CALL(c, W, SPAPR_KVM_HC_VAPIC_POLL_IRQ);
    g_assert_cmpint(result(c), ==, 0);
    assert_kept(c, result_bit(c));
    CALL(c, W, SPAPR_KVM_HC_MAP_GPA_RANGE, 0x100000, 16, 0x10);
    g_assert_cmpint(result(c), ==, 0);
    assert_kept(c, result_bit(c));
    /* the wrap check is KVM's, on frame numbers: gfn + npages */
    CALL(c, W, SPAPR_KVM_HC_MAP_GPA_RANGE, 0xfffffffffffff000ULL, 2, 0);
    g_assert_cmpint(result(c), ==, 0);
    CALL(c, W, SPAPR_KVM_HC_MAP_GPA_RANGE, 0, UINT64_MAX, 0);
    g_assert_cmpint(result(c), ==, 0);
    CALL(c, W, SPAPR_KVM_HC_MAP_GPA_RANGE, 0x1000, UINT64_MAX, 0);
    g_assert_cmpint(result(c), ==, -SPAPR_KVM_EINVAL);
    for (i = 0; i < G_N_ELEMENTS(unknown); i++) {
        CALL(c, W, unknown[i]);
        g_assert_cmpint(result(c), ==, -SPAPR_KVM_ENOSYS);
        assert_kept(c, result_bit(c));
    }
    /* Not 64-bit: number, arguments and result are 32 bits */
    CALL(c, 0, 0xabcd00000000000cULL, 0xffffffff00001000ULL, 1, 0);
    g_assert_cmphex(c->r.r[SPAPR_X86_RAX], ==, 0);
    CALL(c, 0, 0xabcd00000000000cULL, 0x1001, 1, 0);
    g_assert_cmphex(c->r.r[SPAPR_X86_RAX], ==, (uint32_t)-SPAPR_KVM_EINVAL);
    CALL(c, 0, 0x100000000ULL | SPAPR_KVM_HC_MMU_OP);
    g_assert_cmphex(c->r.r[SPAPR_X86_RAX], ==, 0xfffffc18);
    assert_kept(c, result_bit(c));
    CALL(c, U | W, SPAPR_KVM_HC_VAPIC_POLL_IRQ);
    g_assert_cmpint(result(c), ==, -SPAPR_KVM_EPERM);
    CALL(c, U, SPAPR_KVM_HC_VAPIC_POLL_IRQ);
    g_assert_cmphex(c->r.r[SPAPR_X86_RAX], ==, 0xffffffff);
    assert_kept(c, result_bit(c));
    call_free(c);
}

/*
 * KVM's fix_hypercall_test: the other vendor's instruction is patched to
 * the native one (and the call made), or #UD with the quirk disabled.
 */
static void test_kvm_x86_fixup(void)
{
    static const uint8_t vmcall[3] = { 0x0f, 0x01, 0xc1 };
    static const uint8_t vmmcall[3] = { 0x0f, 0x01, 0xd9 };
    const SpaprAbi *abi = spapr_abi_get(SPAPR_ABI_KVM_X86);
    uint8_t insn[3];
    int amd, quirk;

    for (amd = 0; amd <= 1; amd++) {
        const uint8_t *native = amd ? vmmcall : vmcall;
        const uint8_t *foreign = amd ? vmcall : vmmcall;

        for (quirk = 0; quirk <= 1; quirk++) {
            memcpy(insn, native, 3);
            g_assert_cmpint(spapr_kvm_x86_fix_insn(insn, amd, quirk), ==,
                            SPAPR_X86_INSN_NATIVE);
            memcpy(insn, foreign, 3);
            g_assert_cmpint(spapr_kvm_x86_fix_insn(insn, amd, quirk), ==,
                            quirk ? SPAPR_X86_INSN_PATCHED
                                  : SPAPR_X86_INSN_UD);
            g_assert_cmpmem(insn, 3, quirk ? native : foreign, 3);
            g_assert_cmpint(spapr_abi_match_trap(abi, insn, 3, false), ==,
                            quirk ? amd : !amd);
        }
        memcpy(insn, "\x0f\x01\xc8", 3);            /* monitor */
        g_assert_cmpint(spapr_kvm_x86_fix_insn(insn, amd, true), ==,
                        SPAPR_X86_INSN_NONE);
    }
}

static void test_kvm_s390(void)
{
    Call *c = call_new(SPAPR_ABI_KVM_S390);

    CALL(c, W, SPAPR_DIAG500_STORAGE_LIMIT);
    g_assert_cmpint(c->r.r[2], ==, TEST_RAM_SIZE - 1);
    assert_kept(c, result_bit(c));
    /* only bits 48-63 of the operand address are the function code */
    CALL(c, W, SPAPR_DIAG500_STORAGE_LIMIT);
    c->r = c->before;
    c->r.operand = 0xffffffffffff0500ULL;
    g_assert_cmpint(spapr_abi_call(c->m, NULL, c->abi, &c->r), ==,
                    SPAPR_ABI_RETURNED);
    g_assert_cmpint(c->r.r[2], ==, TEST_RAM_SIZE - 1);
    CALL(c, W, SPAPR_DIAG500_VIRTIO_CCW_NOTIFY, 0x00010002, 1,
         0x1122334455667788ULL);
    g_assert_cmphex(c->r.r[2], ==, 0x1122334455667788ULL);
    assert_kept(c, result_bit(c));
    /* notification data in the high 16 bits of the queue index */
    CALL(c, W, SPAPR_DIAG500_VIRTIO_CCW_NOTIFY, 0x00010002, 0x00070003, 5);
    g_assert_cmphex(c->r.r[2], ==, 5);
    CALL(c, W, SPAPR_DIAG500_VIRTIO_NOTIFY, TEST_RAM_SIZE - 1);
    g_assert_cmphex(c->r.r[2], ==, 0);
    CALL(c, W, SPAPR_DIAG500_VIRTIO_NOTIFY, TEST_RAM_SIZE);
    g_assert_cmpint(result(c), ==, -SPAPR_S390_EINVAL);
    assert_kept(c, result_bit(c));
    /* an unknown subcode is a specification exception: nothing changes */
    g_assert_cmpint(CALL(c, W, 5), ==, SPAPR_ABI_EXC_SPECIFICATION);
    assert_kept(c, 0);
    g_assert_cmpint(CALL(c, W | U, SPAPR_DIAG500_STORAGE_LIMIT), ==,
                    SPAPR_ABI_EXC_PRIVILEGED);
    assert_kept(c, 0);
    call_free(c);
}

static void test_xen(void)
{
    Call *c = call_new(SPAPR_ABI_XEN);
    const char *line;

    CALL(c, W, SPAPR_XEN_HYPERVISOR_XEN_VERSION, SPAPR_XENVER_VERSION, 0);
    g_assert_cmphex(c->r.r[SPAPR_X86_RAX], ==, 0x40011);
    assert_kept(c, result_bit(c));
    /* the number is eax, in 64-bit mode too */
    CALL(c, W, 0xffffffff00000000ULL | SPAPR_XEN_HYPERVISOR_XEN_VERSION, 0, 0);
    g_assert_cmphex(c->r.r[SPAPR_X86_RAX], ==, 0x40011);
    CALL(c, W, SPAPR_XEN_HYPERVISOR_XEN_VERSION, SPAPR_XENVER_EXTRAVERSION,
         0x200);
    g_assert_cmpint(result(c), ==, 0);
    g_assert_cmpstr((char *)c->h->mem + 0x200, ==, ".0");
    /* 32-bit: ebx, ecx, ... and a 32-bit result */
    CALL(c, 0, SPAPR_XEN_HYPERVISOR_XEN_VERSION, SPAPR_XENVER_VERSION);
    g_assert_cmphex(c->r.r[SPAPR_X86_RAX], ==, 0x40011);
    CALL(c, 0, SPAPR_XEN_HYPERVISOR_XEN_VERSION, 7);
    g_assert_cmphex(c->r.r[SPAPR_X86_RAX], ==, 0xffffffda);
    assert_kept(c, result_bit(c));
    spapr_trace_enable(c->m, "spapr_abi_console");
    memcpy(c->h->mem + 0x300, "hello\n", 6);
    CALL(c, W, SPAPR_XEN_HYPERVISOR_CONSOLE_IO, SPAPR_XEN_CONSOLEIO_WRITE, 6,
         0x300);
    g_assert_cmpint(result(c), ==, 0);
    line = g_ptr_array_index(c->h->lines, 0);
    g_assert_cmpstr(line, ==, "spapr_abi_console xen: hello.");
    CALL(c, W, SPAPR_XEN_HYPERVISOR_SCHED_OP, SPAPR_XEN_SCHEDOP_YIELD, 0);
    g_assert_cmpint(result(c), ==, 0);
    CALL(c, W, SPAPR_XEN_HYPERVISOR_SCHED_OP, 99, 0);
    g_assert_cmpint(result(c), ==, -SPAPR_XEN_ENOSYS);
    CALL(c, W, SPAPR_XEN_HYPERVISOR_IRET);
    g_assert_cmpint(result(c), ==, -SPAPR_XEN_ENOSYS);
    CALL(c, W | U, SPAPR_XEN_HYPERVISOR_XEN_VERSION, 0, 0);
    g_assert_cmpint(result(c), ==, -SPAPR_XEN_EPERM);
    assert_kept(c, result_bit(c));
    call_free(c);
}

/* Xen debug builds poison the argument registers a call took. */
static void test_xen_poison(void)
{
    Call *c = call_new(SPAPR_ABI_XEN);
    uint32_t args64 = 1u << SPAPR_X86_RDI | 1u << SPAPR_X86_RSI;
    uint32_t args32 = 1u << SPAPR_X86_RBX | 1u << SPAPR_X86_RCX;

    CALL(c, W | P, SPAPR_XEN_HYPERVISOR_XEN_VERSION, SPAPR_XENVER_VERSION, 0);
    g_assert_cmphex(c->r.r[SPAPR_X86_RAX], ==, 0x40011);
    g_assert_cmphex(c->r.r[SPAPR_X86_RDI], ==, 0xdeadbeefdeadf00dULL);
    g_assert_cmphex(c->r.r[SPAPR_X86_RSI], ==, 0xdeadbeefdeadf00dULL);
    assert_kept(c, result_bit(c) | args64);         /* rdx, r10, r8 kept */
    CALL(c, P, SPAPR_XEN_HYPERVISOR_XEN_VERSION, SPAPR_XENVER_VERSION, 0);
    g_assert_cmphex(c->r.r[SPAPR_X86_RBX], ==, 0xdeadf00d);
    g_assert_cmphex(c->r.r[SPAPR_X86_RCX], ==, 0xdeadf00d);
    assert_kept(c, result_bit(c) | args32);
    /* console_io takes three */
    CALL(c, W | P, SPAPR_XEN_HYPERVISOR_CONSOLE_IO, SPAPR_XEN_CONSOLEIO_WRITE,
         0, 0);
    g_assert_cmphex(c->r.r[SPAPR_X86_RDX], ==, 0xdeadbeefdeadf00dULL);
    assert_kept(c, result_bit(c) | args64 | 1u << SPAPR_X86_RDX);
    /* an error other than -ENOSYS still poisons */
    CALL(c, W | P, SPAPR_XEN_HYPERVISOR_XEN_VERSION, SPAPR_XENVER_EXTRAVERSION,
         TEST_MEM_SIZE);
    g_assert_cmpint(result(c), ==, -SPAPR_XEN_EFAULT);
    g_assert_cmphex(c->r.r[SPAPR_X86_RDI], ==, 0xdeadbeefdeadf00dULL);
    /* -ENOSYS, from the table or from the call, does not */
    CALL(c, W | P, 40, 1, 2);
    g_assert_cmpint(result(c), ==, -SPAPR_XEN_ENOSYS);
    assert_kept(c, result_bit(c));
    CALL(c, W | P, SPAPR_XEN_HYPERVISOR_SCHED_OP, 99, 0);
    g_assert_cmpint(result(c), ==, -SPAPR_XEN_ENOSYS);
    assert_kept(c, result_bit(c));
    /* no poison without the debug flag, nor in other conventions */
    CALL(c, W, SPAPR_XEN_HYPERVISOR_XEN_VERSION, SPAPR_XENVER_VERSION, 0);
    assert_kept(c, result_bit(c));
    call_free(c);
    c = call_new(SPAPR_ABI_KVM_X86);
    CALL(c, W | P, SPAPR_KVM_HC_MAP_GPA_RANGE, 0x1000, 1, 0);
    assert_kept(c, result_bit(c));
    call_free(c);
}

/*
 * PS3 and Beat stubs as instructions: the trap bytes of the descriptor
 * (PS3: sc 1; extsw r3,r3) after the number is loaded, then blr.
 */
#define STUB    0x1000

static uint64_t put_trap(SpaprMachine *m, uint64_t gpa, const SpaprAbi *abi,
                         bool le)
{
    const SpaprAbiTrap *t = &abi->traps[0];
    unsigned int i;

    for (i = 0; i < t->len; i += 4, gpa += 4) {
        store_insn(m, gpa, (uint32_t)t->bytes[i] << 24 |
                   t->bytes[i + 1] << 16 | t->bytes[i + 2] << 8 |
                   t->bytes[i + 3], le);
    }
    store_insn(m, gpa, INSN_BLR, le);
    return gpa;
}

static void test_ppc_stubs(void)
{
    const SpaprAbi *ps3 = spapr_abi_get(SPAPR_ABI_PS3);
    const SpaprAbi *beat = spapr_abi_get(SPAPR_ABI_BEAT);
    int le;

    for (le = 0; le <= 1; le++) {
        TestHost *h;
        SpaprMachine *m = th_machine(&h);
        SpaprCpu *cpu = spapr_machine_cpu(m, 0);
        uint64_t end;

        h->clock_ns = 1234 * 1000000000LL + 500000000;
        cpu->msr = SPAPR_MSR_SF | (le ? SPAPR_MSR_LE : 0);
        /* PS3 (FreeBSD's stub): li r11,232; sc 1; extsw r3,r3; blr */
        store_insn(m, STUB, enc_d(14, 11, 0, SPAPR_LV1_GET_RTC), le);
        end = put_trap(m, STUB + 4, ps3, le);
        cpu->gpr[3] = 0xffffffff00000000ULL;
        g_assert_cmpint(run_abi(cpu, STUB, ps3), ==, RUN_RETURNED);
        g_assert_cmpuint(cpu->pc, ==, end);
        g_assert_cmphex(cpu->gpr[3], ==, SPAPR_LV1_SUCCESS);
        g_assert_cmpuint(cpu->gpr[4], ==, 1234);
        g_assert_cmpuint(cpu->gpr[5], ==, 1234 * 79800000ULL + 39900000);
        /* an unknown number, and problem state: the negative codes */
        store_insn(m, STUB, enc_d(14, 11, 0, 300), le);
        g_assert_cmpint(run_abi(cpu, STUB, ps3), ==, RUN_RETURNED);
        g_assert_cmphex(cpu->gpr[3], ==, (uint64_t)SPAPR_LV1_NO_ENTRY);
        cpu->msr |= SPAPR_MSR_PR;
        store_insn(m, STUB, enc_d(14, 11, 0, SPAPR_LV1_GET_RTC), le);
        g_assert_cmpint(run_abi(cpu, STUB, ps3), ==, RUN_RETURNED);
        g_assert_cmphex(cpu->gpr[3], ==, (uint64_t)SPAPR_LV1_NO_PRIVILEGE);
        cpu->msr &= ~SPAPR_MSR_PR;

        /* Beat (beat_hcall_norets): mr r11,r3; mr r3,r4; sc 1; blr */
        store_insn(m, STUB, enc_x(31, 3, 11, 3, 444), le);
        store_insn(m, STUB + 4, enc_x(31, 4, 3, 4, 444), le);
        put_trap(m, STUB + 8, beat, le);
        cpu->gpr[3] = SPAPR_BEAT_RTC_READ;
        cpu->gpr[4] = 0;
        g_assert_cmpint(run_abi(cpu, STUB, beat), ==, RUN_RETURNED);
        g_assert_cmphex(cpu->gpr[3], ==, 0);
        g_assert_cmpuint(cpu->gpr[4], ==, 1234);
        g_assert_cmphex(cpu->gpr[11], ==, SPAPR_BEAT_RTC_READ);
        th_free(m, h);
    }
}

/* The argument registers reach args[] in the convention's order. */
static int64_t h_echo(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                      uint64_t *args)
{
    unsigned int i;
    uint64_t sum = 0;

    for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
        sum = sum * 31 + args[i];
    }
    return (int64_t)sum;
}

static void test_plumbing(void)
{
    unsigned int id, wide, i;

    for (id = SPAPR_ABI_EPAPR; id < SPAPR_ABI_COUNT; id++) {
        const SpaprAbi *abi = spapr_abi_get(id);
        const SpaprHcallInfo row = {
            abi->vendors[0].vendor ? (uint64_t)abi->vendors[0].vendor
                                     << abi->vendor_shift | 2 : 2,
            "echo", h_echo, "test", 9, 0, NULL,
        };

        for (wide = 0; wide <= 1; wide++) {
            const SpaprAbiRegList *in = &abi->args[wide];
            Call *c = call_new(id);
            uint64_t expect = 0, mask = abi->narrow_args && !wide
                                        ? UINT32_MAX : UINT64_MAX;

            g_test_message("%s %s", abi->name, wide ? "64" : "32");
            g_assert_true(spapr_abi_register_table(c->m, id, &row, 1, NULL));
            load(abi, &c->r, wide ? W : 0, row.opcode, NULL, 0);
            for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
                expect = expect * 31 +
                         (i < in->n ? PAT(in->r[i]) & mask : 0);
            }
            c->before = c->r;
            g_assert_cmpint(spapr_abi_call(c->m, NULL, abi, &c->r), ==,
                            SPAPR_ABI_RETURNED);
            if (abi->status32) {
                expect = (uint64_t)(int64_t)(int32_t)expect;
            }
            if (abi->narrow_result && !wide) {
                expect &= UINT32_MAX;
            }
            g_assert_cmphex(c->r.r[abi->result_reg], ==, expect);
            assert_kept(c, result_bit(c));
            call_free(c);
        }
    }
}

/* Every registered call, both modes, debug on: only volatiles change. */
static void test_volatile(void)
{
    unsigned int id, wide;

    for (id = SPAPR_ABI_PAPR; id < SPAPR_ABI_COUNT; id++) {
        for (wide = 0; wide <= 1; wide++) {
            Call *c = call_new(id);
            g_autoptr(GArray) st = spapr_hcall_stats(c->m);
            unsigned int i, calls = 0;

            for (i = 0; i < st->len; i++) {
                SpaprHcallStats *s = &g_array_index(st, SpaprHcallStats, i);
                uint64_t a[] = { 0, 0x100, 8, 0x200 };

                if (!s->name || strcmp(s->abi, c->abi->name)) {
                    continue;
                }
                calls++;
                call_abi(c, (wide ? W : 0) | P, s->opcode, a, 3);
                assert_kept(c, c->abi->volatile_regs[wide]);
            }
            g_test_message("%s: %u calls", c->abi->name, calls);
            g_assert_cmpuint(calls, >=, 2);
            call_free(c);
        }
    }
}

/* Statistics and traces name the convention. */
static void test_stats_trace(void)
{
    Call *c = call_new(SPAPR_ABI_KVM_X86);
    g_autoptr(GArray) st = NULL;
    SpaprHcallStats refused;
    gboolean seen = FALSE;
    const char *line;
    guint i;

    spapr_trace_enable(c->m, "spapr_abi*");
    CALL(c, W, SPAPR_KVM_HC_MAP_GPA_RANGE, 0x1001, 1, 0);
    CALL(c, W, 77);
    CALL(c, W | U, 1);
    g_assert_cmpuint(c->h->lines->len, ==, 3);
    line = g_ptr_array_index(c->h->lines, 0);
    g_assert_cmpstr(line, ==, "spapr_abi_call kvm-x86 cpu=4294967295 "
                    "KVM_HC_MAP_GPA_RANGE(0xc) args=[rbx=0x1001 rcx=0x1 "
                    "rdx=0x0] -> -22 outs=[]");
    line = g_ptr_array_index(c->h->lines, 1);
    g_assert_cmpstr(line, ==, "spapr_abi_refused kvm-x86 cpu=4294967295 "
                    "nr=0x4d unknown: returned -1000");
    line = g_ptr_array_index(c->h->lines, 2);
    g_assert_cmpstr(line, ==, "spapr_abi_refused kvm-x86 cpu=4294967295 "
                    "nr=0x1 not privileged: returned -1");
    st = spapr_hcall_stats(c->m);
    for (i = 0; i < st->len; i++) {
        SpaprHcallStats *s = &g_array_index(st, SpaprHcallStats, i);

        if (s->name && !strcmp(s->name, "KVM_HC_MAP_GPA_RANGE")) {
            g_assert_cmpstr(s->abi, ==, "kvm-x86");
            g_assert_cmphex(s->opcode, ==, 12);
            g_assert_cmpuint(s->calls, ==, 1);
            g_assert_cmpuint(s->errors, ==, 1);
            seen = TRUE;
        }
        if (s->name && !strcmp(s->name, "H_LOGICAL_CI_LOAD")) {
            g_assert_cmpstr(s->abi, ==, "papr");
        }
    }
    g_assert_true(seen);
    /* the PAPR "unregistered" row is last and PAPR's */
    g_assert_null(g_array_index(st, SpaprHcallStats, st->len - 1).name);
    g_assert_cmpuint(g_array_index(st, SpaprHcallStats, st->len - 1).calls,
                     ==, 0);
    spapr_abi_stats_refused(c->m, SPAPR_ABI_KVM_X86, &refused);
    g_assert_cmpstr(refused.abi, ==, "kvm-x86");
    g_assert_cmpuint(refused.calls, ==, 2);
    g_assert_cmpuint(refused.errors, ==, 2);
    spapr_abi_stats_refused(c->m, SPAPR_ABI_XEN, &refused);
    g_assert_cmpuint(refused.calls, ==, 0);
    call_free(c);
}

/* Registration: the convention's number space, all or nothing. */
static void test_register(void)
{
    static const SpaprHcallInfo bad[] = {
        { 3, "ok", h_echo, "t", 0, 0, NULL },
        { 16, "past the x86 slots", h_echo, "t", 0, 0, NULL },
    };
    TestHost *h;
    SpaprMachine *m = th_machine(&h);
    GError *err = NULL;
    g_auto(GStrv) sets = NULL;
    g_autofree void *fdt = NULL;

    g_assert_false(spapr_abi_register_table(m, SPAPR_ABI_KVM_X86, bad, 2,
                                            &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    g_assert_null(spapr_abi_lookup(m, SPAPR_ABI_KVM_X86, 3));
    /* the same number in two conventions is two rows */
    g_assert_nonnull(spapr_abi_lookup(m, SPAPR_ABI_KVM_X86, 12));
    g_assert_null(spapr_abi_lookup(m, SPAPR_ABI_XEN, 12));
    g_assert_false(spapr_abi_register(m, SPAPR_ABI_XEN, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_EXISTS);
    g_clear_error(&err);
    g_assert_true(spapr_abi_register_all(m, &err));     /* idempotent */
    g_assert_cmpint(spapr_abi_of_row(m, spapr_abi_lookup(m, SPAPR_ABI_PS3,
                                                         SPAPR_LV1_GET_RTC)),
                    ==, SPAPR_ABI_PS3);
    /* PAPR views are unchanged: no other convention in sets or the DT */
    sets = spapr_hcall_sets(m);
    g_assert_cmpuint(g_strv_length(sets), ==, 2);
    g_assert_cmpstr(sets[0], ==, "hcall-debug");
    g_assert_cmpstr(sets[1], ==, "hcall-epapr");
    g_assert_null(spapr_hcall_lookup(m, 12));
    fdt = spapr_fdt_build(m, &err);
    g_assert_no_error(err);
    g_assert_false(spapr_abi_register(m, SPAPR_ABI_COUNT, &err));
    g_clear_error(&err);
    g_assert_true(spapr_abi_register(m, SPAPR_ABI_PAPR, &err));
    th_free(m, h);
}

/* spapr_abi_call() on two vCPUs at once: per-vCPU counters add up. */
#define THREAD_CALLS    20000

typedef struct Worker {
    SpaprMachine *m;
    SpaprCpu *cpu;
    uint64_t bad;
} Worker;

static gpointer worker(gpointer opaque)
{
    Worker *w = opaque;
    const SpaprAbi *abi = spapr_abi_get(SPAPR_ABI_KVM_X86);
    unsigned int i;

    for (i = 0; i < THREAD_CALLS; i++) {
        SpaprAbiRegs r = { .flags = SPAPR_ABI_WIDE };

        r.r[SPAPR_X86_RAX] = i & 1 ? SPAPR_KVM_HC_VAPIC_POLL_IRQ : 77;
        spapr_abi_call(w->m, w->cpu, abi, &r);
        w->bad += r.r[SPAPR_X86_RAX] != (i & 1 ? 0 : (uint64_t)-1000);
    }
    return NULL;
}

static void test_threads(void)
{
    TestHost *h;
    SpaprMachine *m = th_machine_cpus(&h, 2);
    Worker w[2] = {
        { m, spapr_machine_cpu(m, 0), 0 }, { m, spapr_machine_cpu(m, 1), 0 },
    };
    GThread *t[2];
    SpaprHcallStats st;
    const SpaprHcallInfo *row;
    g_autoptr(GArray) all = NULL;
    guint i;

    t[0] = g_thread_new("abi0", worker, &w[0]);
    t[1] = g_thread_new("abi1", worker, &w[1]);
    g_thread_join(t[0]);
    g_thread_join(t[1]);
    g_assert_cmpuint(w[0].bad + w[1].bad, ==, 0);
    row = spapr_abi_lookup(m, SPAPR_ABI_KVM_X86, SPAPR_KVM_HC_VAPIC_POLL_IRQ);
    g_assert_nonnull(row);
    all = spapr_hcall_stats(m);
    for (i = 0; i < all->len; i++) {
        if (!g_strcmp0(g_array_index(all, SpaprHcallStats, i).name,
                       row->name)) {
            g_assert_cmpuint(g_array_index(all, SpaprHcallStats, i).calls,
                             ==, THREAD_CALLS);
        }
    }
    spapr_abi_stats_refused(m, SPAPR_ABI_KVM_X86, &st);
    g_assert_cmpuint(st.calls, ==, THREAD_CALLS);
    th_free(m, h);
}

/* Migration carries the PAPR statistics; other conventions' stay put. */
static void test_migration(void)
{
    Call *c = call_new(SPAPR_ABI_KVM_X86);
    TestHost *h2;
    SpaprMachine *m2 = th_machine(&h2);
    g_autoptr(GByteArray) blob = NULL;
    SpaprHcallStats st;
    GError *err = NULL;
    uint64_t args[SPAPR_HCALL_NR_ARGS] = { 8, 0 };

    CALL(c, W, SPAPR_KVM_HC_VAPIC_POLL_IRQ);
    spapr_hcall(c->m, NULL, PAPR_H_LOGICAL_CI_LOAD, args);
    blob = spapr_machine_save_state(c->m);
    g_assert_true(spapr_machine_load_state(m2, blob->data, blob->len,
                                           &err));
    g_assert_no_error(err);
    g_assert_true(spapr_hcall_stats_get(m2, PAPR_H_LOGICAL_CI_LOAD, &st));
    g_assert_cmpuint(st.calls, ==, 1);
    th_free(m2, h2);
    call_free(c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/abi/contracts", test_contracts);
    g_test_add_func("/abi/papr", test_papr);
    g_test_add_func("/abi/epapr", test_epapr);
    g_test_add_func("/abi/epapr/magic-page", test_epapr_magic_page);
    g_test_add_func("/abi/ps3", test_ps3);
    g_test_add_func("/abi/beat", test_beat);
    g_test_add_func("/abi/kvm-x86", test_kvm_x86);
    g_test_add_func("/abi/kvm-x86/fix-insn", test_kvm_x86_fixup);
    g_test_add_func("/abi/kvm-s390", test_kvm_s390);
    g_test_add_func("/abi/xen", test_xen);
    g_test_add_func("/abi/xen/poison", test_xen_poison);
    g_test_add_func("/abi/plumbing", test_plumbing);
    g_test_add_func("/abi/ppc-stubs", test_ppc_stubs);
    g_test_add_func("/abi/volatile", test_volatile);
    g_test_add_func("/abi/stats-trace", test_stats_trace);
    g_test_add_func("/abi/register", test_register);
    g_test_add_func("/abi/migration", test_migration);
    g_test_add_func("/abi/threads", test_threads);
    return g_test_run();
}
