/*
 * spapr-hcall: the hcall rows of each non-PAPR convention (internal)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Rows are ordinary SpaprHcallInfo with .abi set; .opcode is the number
 * in the convention's own encoding.  A handler gets the arguments in the
 * convention's order in args[] (already truncated in 32-bit mode) and
 * writes its nrets outputs to args[0..nrets-1].
 */
#ifndef SPAPR_HCALL_ABI_ROWS_H
#define SPAPR_HCALL_ABI_ROWS_H

#include "spapr-hcall/abi.h"

extern const SpaprHcallInfo spapr_abi_rows_epapr[];
extern const size_t spapr_abi_rows_epapr_len;
extern const SpaprHcallInfo spapr_abi_rows_beat[];
extern const size_t spapr_abi_rows_beat_len;
extern const SpaprHcallInfo spapr_abi_rows_ps3[];
extern const size_t spapr_abi_rows_ps3_len;
extern const SpaprHcallInfo spapr_abi_rows_kvm_x86[];
extern const size_t spapr_abi_rows_kvm_x86_len;
extern const SpaprHcallInfo spapr_abi_rows_kvm_s390[];
extern const size_t spapr_abi_rows_kvm_s390_len;
extern const SpaprHcallInfo spapr_abi_rows_xen[];
extern const size_t spapr_abi_rows_xen_len;

#endif
