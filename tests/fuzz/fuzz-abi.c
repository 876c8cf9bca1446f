/*
 * Fuzz target: arbitrary calls in every hypercall convention with
 * arbitrary registers and modes.
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Input: records of one selector byte (convention, mode flags, whether
 * the number is a registered one), a number, up to 9 argument
 * doublewords and an s390 operand.  Invariants after every call: the
 * process is alive (ASan/UBSan), only the convention's volatile registers
 * changed, only s390 raises exceptions and then no register changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include "spapr-hcall/spapr-hcall.h"
#include "fuzz-util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20, .nr_cpus = 1 };
    SpaprMachine *m = spapr_machine_new(&cfg, NULL);
    SpaprCpu *cpu = spapr_machine_cpu(m, 0);
    g_autoptr(GArray) rows = NULL;

    if (!spapr_hcall_register_debug(m, NULL) ||
        !spapr_hcall_register_epapr(m, NULL) ||
        !spapr_abi_register_all(m, NULL)) {
        abort();
    }
    rows = spapr_hcall_stats(m);
    while (size > 0) {
        uint8_t sel = *data++;
        const SpaprAbi *abi = spapr_abi_get(sel % SPAPR_ABI_COUNT);
        SpaprAbiRegs r, before;
        SpaprAbiEnd end;
        uint64_t raw;
        unsigned int i;

        size--;
        for (i = 0; i < SPAPR_ABI_NR_REGS; i++) {
            r.r[i] = shape(take64(&data, &size));
        }
        r.flags = (sel >> 3) & 7;
        raw = take64(&data, &size);
        if (sel & 0x80) {
            /* a number some convention serves, in this one's register */
            r.r[abi->nr_reg] = g_array_index(rows, SpaprHcallStats,
                                             raw % rows->len).opcode;
        }
        r.operand = raw & 1 ? raw : SPAPR_DIAG_KVM_HYPERCALL;
        before = r;
        end = spapr_abi_call(m, cpu, abi, &r);
        for (i = 0; i < SPAPR_ABI_NR_REGS; i++) {
            bool wide = r.flags & SPAPR_ABI_WIDE;

            if (r.r[i] != before.r[i] &&
                (end != SPAPR_ABI_RETURNED ||
                 !(abi->volatile_regs[wide] & (1u << i)))) {
                fprintf(stderr, "%s: register %s changed\n", abi->name,
                        spapr_abi_reg_name(abi, i));
                abort();
            }
        }
        if (end != SPAPR_ABI_RETURNED && abi->id != SPAPR_ABI_KVM_S390) {
            abort();
        }
    }
    spapr_machine_free(m);
    return 0;
}
