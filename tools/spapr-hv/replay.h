/*
 * spapr-hv: replay the hcalls a Linux papr_scm probe issues
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HV_REPLAY_H
#define SPAPR_HV_REPLAY_H

#include "hv-machine.h"

/*
 * For every nvdimm: bind (with the H_OVERLAP fallback), stats sizing and
 * read, health, label-area read, flush, unbind; each hcall printed to
 * @out.  False if a step Linux treats as fatal failed.
 */
bool hv_replay_probe(HvMachine *hv, FILE *out);

#endif
