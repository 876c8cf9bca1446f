/*
 * spapr-hv: hcall sets and devices the command line asks for
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HV_DEVICES_H
#define SPAPR_HV_DEVICES_H

#include "hv-machine.h"

/* Register the hcall sets and create the -device list. */
bool hv_devices_setup(HvMachine *hv, const HvOptions *o, GError **errp);

/* The device tree (a DTB), or NULL with @errp set. */
void *hv_devices_fdt(HvMachine *hv, GError **errp);

#endif
