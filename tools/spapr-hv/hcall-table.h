/*
 * spapr-hv: human-readable hcall tables
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HV_HCALL_TABLE_H
#define SPAPR_HV_HCALL_TABLE_H

#include <stdio.h>
#include "spapr-hcall/spapr-hcall.h"

/* The registered hcalls: opcode, name, set, inputs, outputs. */
void hv_print_hcall_list(FILE *out, SpaprMachine *m);

/*
 * A log of issued hcalls, printed one row per call; runs of the same
 * opcode with the same status (label reads) collapse into one row.
 */
typedef struct HvCallLog HvCallLog;

HvCallLog *hv_call_log_new(FILE *out, SpaprMachine *m);
/* Print the pending run and free. */
void hv_call_log_free(HvCallLog *log);
/* Issue one hcall on vCPU 0, log it, return r3; @args is r4..r12. */
int64_t hv_call_log_hcall(HvCallLog *log, uint64_t opcode, uint64_t *args,
                          const char *note);
/* A free-text row (a step heading). */
void hv_call_log_note(HvCallLog *log, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

#endif
