/*
 * spapr-hcall: the "hcall-debug" set (cache-inhibited logical loads/stores)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * H_LOGICAL_CI_LOAD:  r4 = size (1, 2, 4, 8), r5 = address -> r4 = value
 * H_LOGICAL_CI_STORE: r4 = size, r5 = address, r6 = value
 * A bad size gives H_PARAMETER (as QEMU); an address outside guest memory
 * gives H_P2 where QEMU would read all-ones from an unassigned address;
 * a host page that faults (truncated backing file, full file system)
 * gives H_HARDWARE.
 */
#include "internal.h"

static int64_t h_logical_ci_load(SpaprMachine *m, SpaprCpu *cpu,
                                 uint64_t opcode, uint64_t *args)
{
    uint64_t size = args[0], addr = args[1], val;

    if (size != 1 && size != 2 && size != 4 && size != 8) {
        return PAPR_H_PARAMETER;
    }
    if (!spapr_guest_ldn_be(m, addr, size, &val)) {
        return spapr_guest_access_status_(m, addr, PAPR_H_P2);
    }
    args[0] = val;
    return PAPR_H_SUCCESS;
}

static int64_t h_logical_ci_store(SpaprMachine *m, SpaprCpu *cpu,
                                  uint64_t opcode, uint64_t *args)
{
    uint64_t size = args[0], addr = args[1], val = args[2];

    if (size != 1 && size != 2 && size != 4 && size != 8) {
        return PAPR_H_PARAMETER;
    }
    if (!spapr_guest_stn_be(m, addr, size, val)) {
        return spapr_guest_access_status_(m, addr, PAPR_H_P2);
    }
    return PAPR_H_SUCCESS;
}

const SpaprHcallInfo spapr_hcall_set_debug[] = {
    { PAPR_H_LOGICAL_CI_LOAD, "H_LOGICAL_CI_LOAD", h_logical_ci_load,
      "hcall-debug", 2, 1,
      SPAPR_HCALL_REGS(SPAPR_HCALL_ARGS("size", "addr"),
                       SPAPR_HCALL_OUTS(SPAPR_HCALL_OUT(0, "val",
                                                SPAPR_HCALL_WHEN_DONE))) },
    { PAPR_H_LOGICAL_CI_STORE, "H_LOGICAL_CI_STORE", h_logical_ci_store,
      "hcall-debug", 3, 0,
      SPAPR_HCALL_REGS(SPAPR_HCALL_ARGS("size", "addr", "val")) },
};
const size_t spapr_hcall_set_debug_len = G_N_ELEMENTS(spapr_hcall_set_debug);

bool spapr_hcall_register_debug(SpaprMachine *m, GError **errp)
{
    return spapr_hcall_register_table(m, spapr_hcall_set_debug,
                                      spapr_hcall_set_debug_len, errp);
}
