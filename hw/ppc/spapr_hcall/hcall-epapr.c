/*
 * spapr-hcall: the ePAPR / KVM paravirtual hypercalls ("hcall-epapr")
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * All ePAPR calls arrive as one PAPR hcall, SPAPR_H_EPAPR, issued by the
 * instruction words of /hypervisor/hcall-instructions (docs/epapr.md).
 * That row rebuilds the ePAPR registers and issues the call through the
 * ePAPR adapter (abi-core.c), whose rows below are keyed by token.
 * What we answer:
 *   KVM_HC_FEATURES            EV_SUCCESS, r4 = 0: we keep no magic page
 *                              in sync, so we offer none (unless
 *                              spapr_epapr_enable_magic_page())
 *   KVM_HC_PPC_MAP_MAGIC_PAGE  EV_UNIMPLEMENTED unless offered
 *   EV_IDLE                    EV_SUCCESS at once: a spurious wake-up,
 *                              which every idle loop tolerates
 *   anything else              EV_UNIMPLEMENTED
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "abi-rows.h"
#include "spapr-hcall/epapr.h"
#include "trace-events.h"

const uint32_t spapr_epapr_hcall_insns[SPAPR_EPAPR_NR_INSNS] = {
    SPAPR_EPAPR_INSN_MR_R12_R3,
    SPAPR_EPAPR_INSN_LI_R3_0,
    SPAPR_EPAPR_INSN_ORI_R3_OPCODE,
    SPAPR_EPAPR_INSN_SC1,
};

void spapr_epapr_decode(const SpaprCpu *cpu, const uint64_t *args,
                        SpaprEpaprCall *call)
{
    bool narrow = cpu && !(cpu->msr & SPAPR_MSR_SF);
    uint64_t mask = narrow ? UINT32_MAX : UINT64_MAX;
    unsigned int i;

    /* The token is 32 bits wide whatever the mode */
    call->token = (uint32_t)args[SPAPR_EPAPR_ARG_TOKEN];
    call->in[0] = args[SPAPR_EPAPR_ARG_SAVED_R3] & mask;
    for (i = 1; i < SPAPR_EPAPR_NR_IN; i++) {
        call->in[i] = args[i - 1] & mask;       /* r4..r10 */
    }
}

/* ---- The ePAPR convention's own rows (abi.h), keyed by token ---- */

/* ---- The magic page (off by default) ---- */

#define MAGIC_DEVICE_ID     "epapr-magic-page"
#define PAGE_MASK_4K        (~(uint64_t)(KVM_MAGIC_PAGE_SIZE - 1))

typedef struct MagicSlot {
    void *page;                 /* NULL: not mapped */
    uint64_t gpa, ea;
} MagicSlot;

typedef struct MagicDevice {
    SpaprDevice parent;
    unsigned int nr_cpus;
    MagicSlot *slot;            /* per vCPU; only that vCPU writes it */
} MagicDevice;

static void magic_unmap(SpaprMachine *m, MagicSlot *s)
{
    if (s->page) {
        spapr_machine_unmap(m, s->gpa, KVM_MAGIC_PAGE_SIZE);
        free(s->page);
        s->page = NULL;
    }
}

static void magic_reset(SpaprDevice *dev)
{
    MagicDevice *d = (MagicDevice *)dev;
    unsigned int i;

    for (i = 0; i < d->nr_cpus; i++) {
        magic_unmap(dev->machine, &d->slot[i]);
    }
}

static void magic_finalize(SpaprDevice *dev)
{
    MagicDevice *d = (MagicDevice *)dev;

    if (dev->machine) {
        magic_reset(dev);
    }
    g_free(d->slot);
    spapr_device_cleanup(dev);
    g_free(d);
}

static const SpaprDeviceClass magic_class = {
    .type = MAGIC_DEVICE_ID,
    .reset = magic_reset,
    .finalize = magic_finalize,
};

static int64_t h_map_magic_page(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                                uint64_t *args);

/* Registered only with the device: otherwise the table refuses it */
static const SpaprHcallInfo magic_row = {
    KVM_HCALL_TOKEN(SPAPR_KVM_HC_PPC_MAP_MAGIC_PAGE),
    "KVM_HC_PPC_MAP_MAGIC_PAGE", h_map_magic_page, "hcall-epapr", 2, 1, NULL,
};

bool spapr_epapr_enable_magic_page(SpaprMachine *m, GError **errp)
{
    MagicDevice *d = g_new0(MagicDevice, 1);

    spapr_device_init(&d->parent, &magic_class, MAGIC_DEVICE_ID);
    d->nr_cpus = spapr_machine_nr_cpus(m);
    d->slot = g_new0(MagicSlot, d->nr_cpus);
    if (!spapr_abi_register_table(m, SPAPR_ABI_EPAPR, &magic_row, 1, errp)) {
        magic_finalize(&d->parent);
        return false;
    }
    if (!spapr_machine_add_device(m, &d->parent, errp)) {
        spapr_abi_unregister(m, SPAPR_ABI_EPAPR, magic_row.opcode);
        magic_finalize(&d->parent);
        return false;
    }
    return true;
}

static MagicDevice *magic_device(SpaprMachine *m)
{
    SpaprDevice *dev = spapr_machine_find_device(m, MAGIC_DEVICE_ID);

    return dev && dev->cls == &magic_class ? (MagicDevice *)dev : NULL;
}

bool spapr_epapr_magic_page(SpaprCpu *cpu, uint64_t *gpa, uint64_t *ea)
{
    MagicDevice *d = magic_device(cpu->machine);

    if (!d || cpu->index >= d->nr_cpus || !d->slot[cpu->index].page) {
        return false;
    }
    *gpa = d->slot[cpu->index].gpa;
    *ea = d->slot[cpu->index].ea;
    return true;
}

static void put_shared(uint8_t *page, unsigned int off, uint64_t v,
                       unsigned int size, bool le)
{
    unsigned int i;

    for (i = 0; i < size; i++) {
        page[off + (le ? i : size - 1 - i)] = v >> (8 * i);
    }
}

/*
 * r3 = physical address, r4 = effective address | flags (both with the
 * low 12 bits dropped, as KVM does).  Out: r4 = the page's features.
 */
static int64_t h_map_magic_page(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                                uint64_t *args)
{
    MagicDevice *d = magic_device(m);
    uint64_t gpa = args[0] & PAGE_MASK_4K;
    bool le;
    MagicSlot *s;
    uint8_t *page;

    args[0] = 0;                                /* r4: no page features */
    if (!d) {
        return EV_UNIMPLEMENTED;                /* not offered */
    }
    if (!cpu || cpu->index >= d->nr_cpus) {
        return EV_INVALID_STATE;                /* the page is per vCPU */
    }
    s = &d->slot[cpu->index];
    magic_unmap(m, s);                          /* a new call moves it */
    if (posix_memalign((void **)&page, KVM_MAGIC_PAGE_SIZE,
                       KVM_MAGIC_PAGE_SIZE)) {
        return EV_ENOMEM;
    }
    memset(page, 0, KVM_MAGIC_PAGE_SIZE);
    le = cpu->msr & SPAPR_MSR_LE;
    put_shared(page, KVM_SHARED_MSR, cpu->msr, 8, le);
    put_shared(page, KVM_SHARED_PIR, cpu->index, 4, le);
    if (!spapr_machine_map(m, MAGIC_DEVICE_ID, gpa, KVM_MAGIC_PAGE_SIZE,
                           page, NULL)) {
        free(page);
        return EV_EINVAL;       /* RAM, another mapping, or wraps 2^64 */
    }
    s->page = page;
    s->gpa = gpa;
    s->ea = args[1] & PAGE_MASK_4K;
    return EV_SUCCESS;
}

static int64_t h_kvm_features(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                              uint64_t *args)
{
    /* r4: the magic page only when it is offered */
    args[0] = magic_device(m) ? 1u << KVM_FEATURE_MAGIC_PAGE : 0;
    return EV_SUCCESS;
}

static int64_t h_ev_idle(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                         uint64_t *args)
{
    return EV_SUCCESS;
}

const SpaprHcallInfo spapr_abi_rows_epapr_[] = {
    { KVM_HCALL_TOKEN(SPAPR_KVM_HC_FEATURES), "KVM_HC_FEATURES",
      h_kvm_features, "hcall-epapr", 0, 1, NULL },
    { EV_HCALL_TOKEN(EV_IDLE), "EV_IDLE", h_ev_idle, "hcall-epapr", 0, 0,
      NULL },
};
const size_t spapr_abi_rows_epapr_len_ = G_N_ELEMENTS(spapr_abi_rows_epapr_);

/*
 * The PAPR entry: rebuild the ePAPR registers from r4..r12 (r12 holds
 * the caller's r3) and issue the call in the ePAPR convention.
 */
static int64_t h_epapr(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                       uint64_t *args)
{
    SpaprAbiRegs regs = { .flags = SPAPR_ABI_WIDE };
    unsigned int i;

    if (cpu && !(cpu->msr & SPAPR_MSR_SF)) {
        regs.flags = 0;
    }
    for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
        regs.r[4 + i] = args[i];                /* r4..r12 */
    }
    regs.r[3] = args[SPAPR_EPAPR_ARG_SAVED_R3];
    spapr_abi_call(m, cpu, spapr_abi_get(SPAPR_ABI_EPAPR), &regs);
    for (i = 0; i < SPAPR_EPAPR_NR_OUT; i++) {
        args[i] = regs.r[4 + i];                /* r4..r11 */
    }
    trace_spapr_epapr_hcall(m, cpu ? cpu->index : UINT32_MAX,
                            (uint32_t)regs.r[11], (int64_t)regs.r[3]);
    return (int64_t)regs.r[3];
}

const SpaprHcallInfo spapr_hcall_set_epapr[] = {
    /* reads r4..r12 (r11 token, r12 saved r3), writes r4..r11 */
    { SPAPR_H_EPAPR, "H_EPAPR", h_epapr, "hcall-epapr",
      SPAPR_HCALL_NR_ARGS, SPAPR_EPAPR_NR_OUT, NULL },
};
const size_t spapr_hcall_set_epapr_len = G_N_ELEMENTS(spapr_hcall_set_epapr);

bool spapr_hcall_register_epapr(SpaprMachine *m, GError **errp)
{
    if (!spapr_hcall_register_table(m, spapr_hcall_set_epapr,
                                    spapr_hcall_set_epapr_len, errp)) {
        return false;
    }
    if (spapr_abi_lookup(m, SPAPR_ABI_EPAPR,
                         spapr_abi_rows_epapr_[0].opcode)) {
        return true;                    /* the convention is already there */
    }
    if (!spapr_abi_register(m, SPAPR_ABI_EPAPR, errp)) {
        spapr_hcall_unregister(m, SPAPR_H_EPAPR);
        return false;
    }
    return true;
}
