/*
 * spapr-hcall: umbrella header
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HCALL_H
#define SPAPR_HCALL_H

#include "spapr-hcall/types.h"
#include "spapr-hcall/hcall-defs.h"
#include "spapr-hcall/host-ops.h"
#include "spapr-hcall/memmap.h"
#include "spapr-hcall/host-standalone.h"
#include "spapr-hcall/device.h"
#include "spapr-hcall/drc.h"
#include "spapr-hcall/hcall.h"
#include "spapr-hcall/machine.h"
#include "spapr-hcall/trace.h"
#include "spapr-hcall/hcall-sets.h"
#include "spapr-hcall/epapr.h"
#include "spapr-hcall/abi.h"
#include "spapr-hcall/fdt.h"
#include "spapr-hcall/guarded.h"
#include "spapr-hcall/vmstate.h"
#include "spapr-hcall/record.h"

#endif
