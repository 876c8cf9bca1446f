/*
 * spapr-hv: issue a hypercall in any convention
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "abi-cmd.h"

bool hv_abi_parse_number(const char *s, uint64_t *out)
{
    bool neg = *s == '-';

    if (!hv_parse_u64(neg ? s + 1 : s, out)) {
        return false;
    }
    if (neg) {
        *out = -*out;
    }
    return true;
}

static bool parse_spec(const char *spec, HvAbiCall *c, char **errmsg)
{
    g_auto(GStrv) words = g_strsplit(spec, ",", -1);
    char **w;

    c->abi = spapr_abi_find(words[0]);
    if (!c->abi) {
        *errmsg = g_strdup_printf("unknown convention '%.64s'", words[0]);
        return false;
    }
    c->regs.flags = SPAPR_ABI_WIDE;
    c->regs.operand = SPAPR_DIAG_KVM_HYPERCALL;
    for (w = words + 1; *w; w++) {
        if (!strcmp(*w, "32")) {
            c->regs.flags &= ~SPAPR_ABI_WIDE;
        } else if (!strcmp(*w, "user")) {
            c->regs.flags |= SPAPR_ABI_USER;
        } else if (!strcmp(*w, "poison")) {
            c->regs.flags |= SPAPR_ABI_POISON;
        } else if (!g_str_has_prefix(*w, "operand=") ||
                   !hv_abi_parse_number(*w + strlen("operand="),
                                        &c->regs.operand)) {
            *errmsg = g_strdup_printf("unknown flag '%.64s'", *w);
            return false;
        }
    }
    return true;
}

bool hv_abi_call(HvMachine *hv, const char *spec, const char *nr,
                 const uint64_t *args, unsigned int nargs, HvAbiCall *out,
                 char **errmsg)
{
    const SpaprAbiRegList *in;
    uint64_t n;
    unsigned int i;

    memset(out, 0, sizeof(*out));
    if (!parse_spec(spec, out, errmsg)) {
        return false;
    }
    if (!hv_abi_parse_number(nr, &n) &&
        !spapr_abi_nr_from_name(hv->m, out->abi->id, nr, &n) &&
        !(out->abi->id == SPAPR_ABI_PAPR &&
          spapr_hcall_opcode_from_name(nr, &n))) {
        *errmsg = g_strdup_printf("invalid number '%.64s'", nr);
        return false;
    }
    in = &out->abi->args[!!(out->regs.flags & SPAPR_ABI_WIDE)];
    if (nargs > in->n) {
        *errmsg = g_strdup_printf("%s takes at most %u arguments",
                                  out->abi->name, in->n);
        return false;
    }
    out->regs.r[out->abi->nr_reg] = n;
    for (i = 0; i < nargs; i++) {
        out->regs.r[in->r[i]] = args[i];
    }
    out->end = spapr_abi_call(hv->m, spapr_machine_cpu(hv->m, 0), out->abi,
                              &out->regs);
    return true;
}

const char *hv_abi_exception_name(SpaprAbiEnd end)
{
    switch (end) {
    case SPAPR_ABI_EXC_PRIVILEGED:
        return "privileged-operation";
    case SPAPR_ABI_EXC_SPECIFICATION:
        return "specification";
    default:
        return NULL;
    }
}

void hv_abi_foreach_reg(const HvAbiCall *c, HvAbiRegFn fn, void *opaque)
{
    const SpaprAbi *abi = c->abi;
    const SpaprAbiRegList *in = &abi->args[!!(c->regs.flags &
                                              SPAPR_ABI_WIDE)];
    uint32_t seen = 1u << abi->result_reg;
    unsigned int i;

    fn(spapr_abi_reg_name(abi, abi->result_reg),
       c->regs.r[abi->result_reg], opaque);
    for (i = 0; i < abi->outs.n; i++) {
        seen |= 1u << abi->outs.r[i];
        fn(spapr_abi_reg_name(abi, abi->outs.r[i]),
           c->regs.r[abi->outs.r[i]], opaque);
    }
    for (i = 0; i < in->n; i++) {
        if (!(seen & (1u << in->r[i]))) {
            fn(spapr_abi_reg_name(abi, in->r[i]), c->regs.r[in->r[i]],
               opaque);
        }
    }
}
