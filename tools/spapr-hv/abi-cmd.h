/*
 * spapr-hv: issue a hypercall in any convention (qtest "hypercall",
 * QMP "hypercall")
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HV_ABI_CMD_H
#define SPAPR_HV_ABI_CMD_H

#include "hv-machine.h"

typedef struct HvAbiCall {
    const SpaprAbi *abi;
    SpaprAbiRegs regs;
    SpaprAbiEnd end;
} HvAbiCall;

/*
 * @spec is "NAME[,32][,user][,poison]" (NAME as in docs/abis.md: papr,
 * epapr, beat, ps3, kvm-x86, kvm-s390, xen; s390 also takes
 * ",operand=N"), @nr a number or a row name of that convention, @args
 * the argument registers in order (missing ones are 0; every other
 * register is 0).  Runs on vCPU 0.  On a bad request returns false with
 * a message in *@errmsg.
 */
bool hv_abi_call(HvMachine *hv, const char *spec, const char *nr,
                 const uint64_t *args, unsigned int nargs, HvAbiCall *out,
                 char **errmsg);

/* "specification exception" etc., or NULL for a return. */
const char *hv_abi_exception_name(SpaprAbiEnd end);

/* The registers a reply shows: the result, the outputs, the arguments. */
typedef void (*HvAbiRegFn)(const char *name, uint64_t value, void *opaque);
void hv_abi_foreach_reg(const HvAbiCall *c, HvAbiRegFn fn, void *opaque);

/* Base-0 number, '-' for two's complement (as the qtest protocol). */
bool hv_abi_parse_number(const char *s, uint64_t *out);

#endif
