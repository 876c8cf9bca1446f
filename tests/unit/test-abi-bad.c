/*
 * spapr-hcall: every hypercall convention against every class of bad
 * input (unknown numbers, wrong privilege, 32-bit truncation, wrap), with
 * the exact result register expected (table-driven; a fresh machine per
 * case)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each case fills every register with a pattern, issues one call and
 * checks the ending, the result register bit for bit, and that the call
 * changed nothing else: no other register (none at all for an
 * exception), no guest memory, and no statistics but its own (the
 * convention's refused bucket, or the one row that ran and failed).
 */
#include "abi-test-util.h"

#define PAT(i)      (0x5A5A5A5A00000000ULL | (uint64_t)(i) * 0x01010101u)
#define M1          UINT64_MAX
#define W           SPAPR_ABI_WIDE
#define U           SPAPR_ABI_USER
#define RET         SPAPR_ABI_RETURNED
#define SPEC        SPAPR_ABI_EXC_SPECIFICATION
#define PRIV        SPAPR_ABI_EXC_PRIVILEGED
#define NEG(x)      ((uint64_t)(int64_t)(x))
#define NEG32(x)    ((uint64_t)(uint32_t)(int32_t)(x))
#define BEAT(v, n)  SPAPR_BEAT_NR(v, n)
#define KVM_TOK(n)  KVM_HCALL_TOKEN(n)
#define EV_TOK(n)   EV_HCALL_TOKEN(n)
#define DIAG        SPAPR_DIAG_KVM_HYPERCALL
#define SCHID       0x00010002ULL               /* cssid 0, ssid 0, sch 2 */

typedef struct BadCase {
    const char *name;
    SpaprAbiId abi;
    uint32_t flags;
    uint64_t nr;
    uint64_t args[5];
    SpaprAbiEnd end;
    uint64_t result;            /* the result register, when RET */
    bool ran;                   /* a row ran (and failed) */
    uint64_t operand;           /* s390; 0 means DIAG */
} BadCase;

/* Refused, or an exception: no row ran */
#define NO(name, abi, fl, nr, end, res, ...) \
    { name, abi, fl, nr, { __VA_ARGS__ }, end, res, false, 0 }
/* A row ran and failed */
#define RAN(name, abi, fl, nr, res, ...) \
    { name, abi, fl, nr, { __VA_ARGS__ }, RET, res, true, 0 }
/* s390 with another diag operand address */
#define OP(name, abi, fl, nr, end, op) \
    { name, abi, fl, nr, { 0 }, end, 0, false, op }

static const BadCase cases[] = {
    /* ---- ePAPR: EV_UNIMPLEMENTED, H_PRIVILEGE ---- */
    NO("epapr local vendor", SPAPR_ABI_EPAPR, W, EV_IDLE, RET, 12),
    NO("epapr byte channel send", SPAPR_ABI_EPAPR, W,
       EV_TOK(EV_BYTE_CHANNEL_SEND), RET, 12),
    NO("epapr msgsnd", SPAPR_ABI_EPAPR, W, EV_TOK(EV_MSGSND), RET, 12),
    NO("epapr map magic page (not offered)", SPAPR_ABI_EPAPR, W,
       KVM_TOK(SPAPR_KVM_HC_PPC_MAP_MAGIC_PAGE), RET, 12, 0x1000, M1),
    NO("epapr KVM nr 64 (past the slots)", SPAPR_ABI_EPAPR, W, KVM_TOK(64),
       RET, 12),
    NO("epapr KVM nr 0xffff", SPAPR_ABI_EPAPR, W, KVM_TOK(0xffff), RET, 12),
    NO("epapr FSL vendor", SPAPR_ABI_EPAPR, W,
       SPAPR_EV_TOKEN(EV_FSL_VENDOR_ID, EV_IDLE), RET, 12),
    NO("epapr token all ones", SPAPR_ABI_EPAPR, W, M1, RET, 12),
    NO("epapr 32-bit, token all ones", SPAPR_ABI_EPAPR, 0, M1, RET, 12),
    NO("epapr problem state", SPAPR_ABI_EPAPR, W | U,
       KVM_TOK(SPAPR_KVM_HC_FEATURES), RET, NEG(PAPR_H_PRIVILEGE)),
    NO("epapr problem state, unknown", SPAPR_ABI_EPAPR, W | U, 0, RET,
       NEG(PAPR_H_PRIVILEGE)),

    /* ---- Beat: LV1_NO_ENTRY, LV1_NO_PRIVILEGE ---- */
    NO("beat allocate_memory (none)", SPAPR_ABI_BEAT, W, BEAT(0, 0), RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("beat vendor 0 nr 255", SPAPR_ABI_BEAT, W, BEAT(0, 255), RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("beat vendor 0 nr 256", SPAPR_ABI_BEAT, W, BEAT(0, 256), RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("beat vendor 1 nr 0x240", SPAPR_ABI_BEAT, W, BEAT(1, 0x240), RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("beat vendor 1 rtc_write", SPAPR_ABI_BEAT, W, BEAT(1, 0x191), RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("beat vendor 2", SPAPR_ABI_BEAT, W, BEAT(2, 74), RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("beat vendor 15", SPAPR_ABI_BEAT, W, BEAT(15, 9), RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("beat nr all ones", SPAPR_ABI_BEAT, W, M1, RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    RAN("beat console 17 characters", SPAPR_ABI_BEAT, W,
        SPAPR_BEAT_PUT_CHARACTERS_TO_CONSOLE,
        NEG(SPAPR_LV1_ILLEGAL_PARAMETER_VALUE), 0, 17),
    RAN("beat console length -1", SPAPR_ABI_BEAT, W,
        SPAPR_BEAT_PUT_CHARACTERS_TO_CONSOLE,
        NEG(SPAPR_LV1_ILLEGAL_PARAMETER_VALUE), 0, M1),
    NO("beat problem state", SPAPR_ABI_BEAT, W | U, SPAPR_BEAT_RTC_READ, RET,
       NEG(SPAPR_LV1_NO_PRIVILEGE)),

    /* ---- PS3: LV1_NO_ENTRY, LV1_NO_PRIVILEGE ---- */
    NO("ps3 allocate_memory (none)", SPAPR_ABI_PS3, W, 0, RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("ps3 write_htab_entry (none)", SPAPR_ABI_PS3, W, 1, RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("ps3 insert_htab_entry (none)", SPAPR_ABI_PS3, W, 158, RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("ps3 open_device (none)", SPAPR_ABI_PS3, W, 170, RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("ps3 nr 256", SPAPR_ABI_PS3, W, 256, RET, NEG(SPAPR_LV1_NO_ENTRY)),
    NO("ps3 nr 74 + 2^32 (r11 is 64 bits)", SPAPR_ABI_PS3, W,
       0x100000000ULL | SPAPR_LV1_GET_LOGICAL_PARTITION_ID, RET,
       NEG(SPAPR_LV1_NO_ENTRY)),
    NO("ps3 nr all ones", SPAPR_ABI_PS3, W, M1, RET, NEG(SPAPR_LV1_NO_ENTRY)),
    NO("ps3 problem state", SPAPR_ABI_PS3, W | U, SPAPR_LV1_GET_RTC, RET,
       NEG(SPAPR_LV1_NO_PRIVILEGE)),

    /* ---- KVM x86: -KVM_ENOSYS, -KVM_EPERM, -KVM_EINVAL ---- */
    NO("x86 nr 0", SPAPR_ABI_KVM_X86, W, 0, RET, NEG(-1000)),
    NO("x86 MMU_OP (deprecated)", SPAPR_ABI_KVM_X86, W, SPAPR_KVM_HC_MMU_OP,
       RET, NEG(-1000)),
    NO("x86 FEATURES (PPC only)", SPAPR_ABI_KVM_X86, W, 3, RET, NEG(-1000)),
    NO("x86 MAP_MAGIC_PAGE (PPC only)", SPAPR_ABI_KVM_X86, W, 4, RET,
       NEG(-1000)),
    NO("x86 KICK_CPU (no PV feature)", SPAPR_ABI_KVM_X86, W,
       SPAPR_KVM_HC_KICK_CPU, RET, NEG(-1000), 0, 1),
    NO("x86 SEND_IPI (no PV feature)", SPAPR_ABI_KVM_X86, W,
       SPAPR_KVM_HC_SEND_IPI, RET, NEG(-1000), 1, 0, 0, 0),
    NO("x86 SCHED_YIELD (no PV feature)", SPAPR_ABI_KVM_X86, W,
       SPAPR_KVM_HC_SCHED_YIELD, RET, NEG(-1000)),
    NO("x86 nr 13", SPAPR_ABI_KVM_X86, W, 13, RET, NEG(-1000)),
    NO("x86 nr 2^32 + 1 (64-bit: not VAPIC_POLL_IRQ)", SPAPR_ABI_KVM_X86, W,
       0x100000001ULL, RET, NEG(-1000)),
    NO("x86 nr all ones", SPAPR_ABI_KVM_X86, W, M1, RET, NEG(-1000)),
    NO("x86 32-bit nr all ones", SPAPR_ABI_KVM_X86, 0, M1, RET, NEG32(-1000)),
    NO("x86 32-bit MMU_OP", SPAPR_ABI_KVM_X86, 0, 0xffffffff00000002ULL, RET,
       NEG32(-1000)),
    NO("x86 CPL 3", SPAPR_ABI_KVM_X86, W | U, SPAPR_KVM_HC_VAPIC_POLL_IRQ, RET,
       NEG(-1)),
    NO("x86 CPL 3, unknown (privilege first)", SPAPR_ABI_KVM_X86, W | U, 2,
       RET, NEG(-1)),
    NO("x86 CPL 3, 32-bit", SPAPR_ABI_KVM_X86, U, SPAPR_KVM_HC_MAP_GPA_RANGE,
       RET, NEG32(-1), 0x1000, 1),
    RAN("x86 map gpa unaligned (1)", SPAPR_ABI_KVM_X86, W,
        SPAPR_KVM_HC_MAP_GPA_RANGE, NEG(-22), 0x1001, 1, 0),
    RAN("x86 map gpa unaligned (2 KiB)", SPAPR_ABI_KVM_X86, W,
        SPAPR_KVM_HC_MAP_GPA_RANGE, NEG(-22), 0x800, 1, 0),
    RAN("x86 map gpa 0 pages", SPAPR_ABI_KVM_X86, W,
        SPAPR_KVM_HC_MAP_GPA_RANGE, NEG(-22), 0x1000, 0, 0),
    RAN("x86 map gpa wraps", SPAPR_ABI_KVM_X86, W, SPAPR_KVM_HC_MAP_GPA_RANGE,
        NEG(-22), 0x1000, M1, 0),
    RAN("x86 map gpa wraps (top frame)", SPAPR_ABI_KVM_X86, W,
        SPAPR_KVM_HC_MAP_GPA_RANGE, NEG(-22), 0xfffffffffffff000ULL,
        0xfff0000000000001ULL, 0),
    RAN("x86 32-bit map gpa 0 pages after truncation", SPAPR_ABI_KVM_X86, 0,
        SPAPR_KVM_HC_MAP_GPA_RANGE, NEG32(-22), 0x1000, 0x100000000ULL, 0),
    RAN("x86 32-bit map gpa unaligned after truncation", SPAPR_ABI_KVM_X86, 0,
        SPAPR_KVM_HC_MAP_GPA_RANGE, NEG32(-22), 0xffffffff00000fffULL, 1, 0),

    /* ---- KVM s390: exceptions and -EINVAL ---- */
    NO("s390 subcode 1 (legacy reset)", SPAPR_ABI_KVM_S390, W, 1, SPEC, 0),
    NO("s390 subcode 2 (legacy set status)", SPAPR_ABI_KVM_S390, W, 2, SPEC,
       0),
    NO("s390 subcode 5", SPAPR_ABI_KVM_S390, W, 5, SPEC, 0),
    NO("s390 subcode 8 (past the slots)", SPAPR_ABI_KVM_S390, W, 8, SPEC, 0),
    NO("s390 subcode 0x500", SPAPR_ABI_KVM_S390, W, 0x500, SPEC, 0),
    NO("s390 subcode all ones", SPAPR_ABI_KVM_S390, W, M1, SPEC, 0),
    NO("s390 subcode 4 + 2^32", SPAPR_ABI_KVM_S390, W, 0x100000004ULL, SPEC,
       0),
    OP("s390 function code 0x501", SPAPR_ABI_KVM_S390, W,
       SPAPR_DIAG500_STORAGE_LIMIT, SPEC, 0x501),
    OP("s390 function code 0 (0x500 above bit 48)", SPAPR_ABI_KVM_S390, W,
       SPAPR_DIAG500_STORAGE_LIMIT, SPEC, 0x05000000),
    NO("s390 problem state", SPAPR_ABI_KVM_S390, W | U,
       SPAPR_DIAG500_STORAGE_LIMIT, PRIV, 0),
    NO("s390 problem state, unknown (privilege first)", SPAPR_ABI_KVM_S390,
       W | U, 5, PRIV, 0),
    OP("s390 problem state, other function code", SPAPR_ABI_KVM_S390, W | U, 5,
       PRIV, 0x9c),
    RAN("s390 ccw notify, no 'one' bit", SPAPR_ABI_KVM_S390, W,
        SPAPR_DIAG500_VIRTIO_CCW_NOTIFY, NEG(-22), 0x2, 0, 7),
    RAN("s390 ccw notify, id above 32 bits", SPAPR_ABI_KVM_S390, W,
        SPAPR_DIAG500_VIRTIO_CCW_NOTIFY, NEG(-22), 0x100000000ULL | SCHID, 0,
        7),
    RAN("s390 ccw notify, queue 1024", SPAPR_ABI_KVM_S390, W,
        SPAPR_DIAG500_VIRTIO_CCW_NOTIFY, NEG(-22), SCHID, 1024, 7),
    RAN("s390 ccw notify, queue 0xffff", SPAPR_ABI_KVM_S390, W,
        SPAPR_DIAG500_VIRTIO_CCW_NOTIFY, NEG(-22), SCHID, 0xffff, 7),
    RAN("s390 virtio notify beyond RAM", SPAPR_ABI_KVM_S390, W,
        SPAPR_DIAG500_VIRTIO_NOTIFY, NEG(-22), TEST_RAM_SIZE),
    RAN("s390 virtio notify at -1", SPAPR_ABI_KVM_S390, W,
        SPAPR_DIAG500_VIRTIO_NOTIFY, NEG(-22), M1),

    /* ---- Xen: -ENOSYS, -EPERM, -EFAULT, -EINVAL ---- */
    NO("xen set_trap_table (none)", SPAPR_ABI_XEN, W, 0, RET, NEG(-38)),
    NO("xen mmu_update (none)", SPAPR_ABI_XEN, W, 1, RET, NEG(-38), 1, 2, 3, 4,
       5),
    NO("xen iret (PV only)", SPAPR_ABI_XEN, W, SPAPR_XEN_HYPERVISOR_IRET, RET,
       NEG(-38)),
    NO("xen nr 127", SPAPR_ABI_XEN, W, 127, RET, NEG(-38)),
    NO("xen nr 128 (past the page)", SPAPR_ABI_XEN, W, 128, RET, NEG(-38)),
    NO("xen nr 0xffffffff", SPAPR_ABI_XEN, W, 0xffffffffULL, RET, NEG(-38)),
    NO("xen 32-bit nr 0xffffffff", SPAPR_ABI_XEN, 0, M1, RET, NEG32(-38)),
    NO("xen CPL 3", SPAPR_ABI_XEN, W | U, SPAPR_XEN_HYPERVISOR_XEN_VERSION,
       RET, NEG(-1)),
    NO("xen CPL 3, 32-bit", SPAPR_ABI_XEN, U, SPAPR_XEN_HYPERVISOR_SCHED_OP,
       RET, NEG32(-1)),
    RAN("xen version, unknown command", SPAPR_ABI_XEN, W,
        SPAPR_XEN_HYPERVISOR_XEN_VERSION, NEG(-38), 99, 0),
    RAN("xen extraversion beyond memory", SPAPR_ABI_XEN, W,
        SPAPR_XEN_HYPERVISOR_XEN_VERSION, NEG(-14), SPAPR_XENVER_EXTRAVERSION,
        TEST_MEM_SIZE - 15),
    RAN("xen extraversion buffer wraps", SPAPR_ABI_XEN, W,
        SPAPR_XEN_HYPERVISOR_XEN_VERSION, NEG(-14), SPAPR_XENVER_EXTRAVERSION,
        M1 - 7),
    RAN("xen 32-bit extraversion at 4 GiB - 8", SPAPR_ABI_XEN, 0,
        SPAPR_XEN_HYPERVISOR_XEN_VERSION, NEG32(-14),
        SPAPR_XENVER_EXTRAVERSION, 0xfffffff8),
    RAN("xen console read (not offered)", SPAPR_ABI_XEN, W,
        SPAPR_XEN_HYPERVISOR_CONSOLE_IO, NEG(-38), 1, 8, 0x100),
    RAN("xen console too long", SPAPR_ABI_XEN, W,
        SPAPR_XEN_HYPERVISOR_CONSOLE_IO,
        NEG(-22), SPAPR_XEN_CONSOLEIO_WRITE, 4097, 0x100),
    RAN("xen console count -1", SPAPR_ABI_XEN, W,
        SPAPR_XEN_HYPERVISOR_CONSOLE_IO,
        NEG(-22), SPAPR_XEN_CONSOLEIO_WRITE, M1, 0x100),
    RAN("xen console beyond memory", SPAPR_ABI_XEN, W,
        SPAPR_XEN_HYPERVISOR_CONSOLE_IO, NEG(-14), SPAPR_XEN_CONSOLEIO_WRITE,
        16, TEST_MEM_SIZE - 8),
    RAN("xen console buffer wraps", SPAPR_ABI_XEN, W,
        SPAPR_XEN_HYPERVISOR_CONSOLE_IO, NEG(-14), SPAPR_XEN_CONSOLEIO_WRITE,
        16, M1 - 3),
    RAN("xen sched_op unknown", SPAPR_ABI_XEN, W,
        SPAPR_XEN_HYPERVISOR_SCHED_OP, NEG(-38), 77),
};

static uint32_t checksum(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < n; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h;
}

static void run_case(gconstpointer data)
{
    const BadCase *c = data;
    const SpaprAbi *abi = spapr_abi_get(c->abi);
    const SpaprAbiRegList *in = &abi->args[!!(c->flags & SPAPR_ABI_WIDE)];
    TestHost *h;
    SpaprMachine *m = th_machine(&h);
    g_autoptr(GArray) st0 = NULL, st1 = NULL;
    SpaprHcallStats ref0, ref1;
    SpaprAbiRegs r, before;
    unsigned int i, changed_rows = 0;
    uint32_t sum;

    g_test_message("%s", c->name);
    for (i = 0; i < TEST_MEM_SIZE; i++) {
        h->mem[i] = i * 7;
    }
    sum = checksum(h->mem, TEST_MEM_SIZE);
    for (i = 0; i < SPAPR_ABI_NR_REGS; i++) {
        r.r[i] = PAT(i);
    }
    r.flags = c->flags;
    r.operand = c->operand ? c->operand : DIAG;
    r.r[abi->nr_reg] = c->nr;
    for (i = 0; i < MIN(in->n, G_N_ELEMENTS(c->args)); i++) {
        r.r[in->r[i]] = c->args[i];
    }
    before = r;
    st0 = spapr_hcall_stats(m);
    spapr_abi_stats_refused(m, c->abi, &ref0);

    g_assert_cmpint(spapr_abi_call(m, spapr_machine_cpu(m, 0), abi, &r), ==,
                    c->end);
    if (c->end == RET) {
        g_assert_cmphex(r.r[abi->result_reg], ==, c->result);
        r.r[abi->result_reg] = before.r[abi->result_reg];
    }
    /* A refused call changed nothing */
    for (i = 0; i < SPAPR_ABI_NR_REGS; i++) {
        g_assert_cmphex(r.r[i], ==, before.r[i]);
    }
    g_assert_cmphex(checksum(h->mem, TEST_MEM_SIZE), ==, sum);
    st1 = spapr_hcall_stats(m);
    spapr_abi_stats_refused(m, c->abi, &ref1);
    g_assert_cmpuint(st0->len, ==, st1->len);
    for (i = 0; i < st0->len; i++) {
        SpaprHcallStats *a = &g_array_index(st0, SpaprHcallStats, i);
        SpaprHcallStats *b = &g_array_index(st1, SpaprHcallStats, i);

        if (a->calls != b->calls) {
            g_assert_cmpstr(b->abi, ==, abi->name);
            g_assert_cmpuint(b->calls, ==, a->calls + 1);
            changed_rows++;
        }
    }
    g_assert_cmpuint(changed_rows, ==, c->ran);
    g_assert_cmpuint(ref1.calls, ==, ref0.calls + !c->ran);
    th_free(m, h);
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/abi-bad/%s/%03zu",
                                                spapr_abi_get(cases[i].abi)
                                                    ->name, i);

        g_test_add_data_func(path, &cases[i], run_case);
    }
    g_test_message("%zu bad-input cases", G_N_ELEMENTS(cases));
    return g_test_run();
}
