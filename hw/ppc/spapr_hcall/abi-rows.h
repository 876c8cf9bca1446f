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

extern const SpaprHcallInfo spapr_abi_rows_epapr_[];
extern const size_t spapr_abi_rows_epapr_len_;
extern const SpaprHcallInfo spapr_abi_rows_beat_[];
extern const size_t spapr_abi_rows_beat_len_;
extern const SpaprHcallInfo spapr_abi_rows_ps3_[];
extern const size_t spapr_abi_rows_ps3_len_;
extern const SpaprHcallInfo spapr_abi_rows_kvm_x86_[];
extern const size_t spapr_abi_rows_kvm_x86_len_;
extern const SpaprHcallInfo spapr_abi_rows_kvm_s390_[];
extern const size_t spapr_abi_rows_kvm_s390_len_;
extern const SpaprHcallInfo spapr_abi_rows_xen_[];
extern const size_t spapr_abi_rows_xen_len_;

#endif
