/*
 * Fuzz target: arbitrary hcalls with arbitrary registers against a machine
 * with every hcall set this library implements.
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Input: a sequence of records, each one selector byte (which opcode:
 * a registered one, a neighbour of one, or raw) then up to 9 doublewords
 * of arguments.  Invariants checked after every call: the process is still
 * alive (ASan/UBSan watch memory), and the status is a named H_* code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spapr-hcall/spapr-hcall.h"
#include "spapr-hcall/nvdimm.h"
#include "spapr-hcall/epapr.h"
#include "fuzz-util.h"

typedef struct Opcodes {
    uint64_t op[SPAPR_HCALL_MAX_REGISTERED];
    unsigned int n;
} Opcodes;

static void collect(const SpaprHcallInfo *info, void *opaque)
{
    Opcodes *o = opaque;

    o->op[o->n++] = info->opcode;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SpaprMachineConfig cfg = {
        .ram_size = 256ULL << 20, .nr_cpus = 1, .pmem_slots = 2,
    };
    SpaprNvdimmConfig nc = {
        .id = "nv0", .size = (256ULL << 20) + (128 << 10),
        .label_size = 128 << 10, .slot = 0,
        .uuid = "11111111-2222-4333-8444-555555555555",
    };
    SpaprMachine *m = spapr_machine_new(&cfg, NULL);
    SpaprCpu *cpu = spapr_machine_cpu(m, 0);
    Opcodes ops = { .n = 0 };

    spapr_hcall_register_debug(m, NULL);
    spapr_hcall_register_scm(m, NULL);
    spapr_hcall_register_epapr(m, NULL);
    if (!spapr_nvdimm_create(m, &nc, NULL)) {
        abort();
    }
    spapr_hcall_foreach(m, collect, &ops);
    while (size > 0) {
        uint8_t sel = *data++;
        uint64_t opcode, args[SPAPR_HCALL_NR_ARGS];
        int64_t ret;
        unsigned int i;

        size--;
        if (sel < 0xC0 && ops.n) {
            opcode = ops.op[sel % ops.n];
        } else if (sel < 0xE0 && ops.n) {
            opcode = ops.op[sel % ops.n] + (sel & 7) - 4;
        } else {
            opcode = take64(&data, &size);
        }
        for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
            args[i] = shape(take64(&data, &size));
        }
        cpu->msr = sel == 0xFF ? SPAPR_MSR_SF | SPAPR_MSR_PR : SPAPR_MSR_SF;
        ret = spapr_hcall(m, cpu, opcode, args);
        /* The ePAPR entry answers with EV_* codes, not H_* codes */
        if (opcode == SPAPR_H_EPAPR && ret >= EV_SUCCESS &&
            ret <= EV_BUFFER_OVERFLOW && sel != 0xFF) {
            continue;
        }
        if (!spapr_hcall_status_name(ret)) {
            fprintf(stderr, "opcode 0x%" PRIx64 " returned unnamed status "
                    "%" PRId64 "\n", opcode, ret);
            abort();
        }
    }
    spapr_machine_free(m);
    return 0;
}
