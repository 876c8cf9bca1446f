/*
 * spapr-hv: serve qtest and QMP until quit, a signal or qtest EOF
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HV_SERVE_H
#define SPAPR_HV_SERVE_H

#include "hv-machine.h"

/* Returns the process exit status. */
int hv_serve(HvMachine *hv, const HvOptions *o);

#endif
