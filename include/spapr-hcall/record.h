/*
 * spapr-hcall: recording every hcall a machine serves, for replay
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A recording is a text file (docs/record-replay.md): per hcall, the
 * vCPU, opcode and input registers, the guest memory the call read
 * (before it ran) and wrote, then the status and the output registers;
 * machine resets in between.  spapr-hv --replay runs it against a fresh
 * machine and reports the first divergence.
 *
 * While recording, hcalls of the machine are serialised (one at a time,
 * in the file's order), so that the file is a valid sequential history.
 *
 * Threading: start and stop may be called from any thread while vCPUs
 * run hcalls; stop waits for the hcall being recorded.  The file is
 * closed at stop or when the machine is freed.
 */
#ifndef SPAPR_HCALL_RECORD_H
#define SPAPR_HCALL_RECORD_H

#include "spapr-hcall/types.h"

#define SPAPR_RECORD_MAGIC  "# spapr-hcall record 1"

/* Start writing to @path (truncated).  Fails if already recording. */
bool spapr_machine_record_start(SpaprMachine *m, const char *path,
                                GError **errp);
/* Stop and close the file; returns the number of hcalls recorded. */
uint64_t spapr_machine_record_stop(SpaprMachine *m);
bool spapr_machine_recording(SpaprMachine *m);

#endif
