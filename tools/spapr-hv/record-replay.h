/*
 * spapr-hv: replay a recording of hcalls (include/spapr-hcall/record.h)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HV_RECORD_REPLAY_H
#define SPAPR_HV_RECORD_REPLAY_H

#include "hv-machine.h"

/*
 * Run every hcall of the recording @path against @hv (a fresh machine
 * built like the recorded one) and compare status, output registers and
 * the guest memory written; the summary or the first divergence goes to
 * @out.  True if the replay matched.
 */
bool hv_replay_recording(HvMachine *hv, const char *path, FILE *out);

#endif
