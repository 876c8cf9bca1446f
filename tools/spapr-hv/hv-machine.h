/*
 * spapr-hv: the program's machine (RAM, backends, devices, clock)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program hosts the library on the library's standalone host (guest
 * RAM and memory map), replacing only its clock and log: the clock is
 * virtual under -accel qtest and only moves on qtest's clock_step/
 * clock_set (as QEMU's qtest accelerator does).
 */
#ifndef SPAPR_HV_MACHINE_H
#define SPAPR_HV_MACHINE_H

#include "spapr-hcall/spapr-hcall.h"
#include "options.h"

typedef struct HvMachine {
    SpaprMachine *m;
    SpaprStandaloneHost *host;  /* guest RAM and memory map */
    bool virtual_clock;
    int64_t vclock_ns;          /* when virtual_clock */
    int64_t start_ns;           /* host monotonic at creation */
    bool quiet_guest_errors;    /* replay: errors are expected */
    FILE *log;                  /* library log lines; NULL: stderr */
} HvMachine;

HvMachine *hv_machine_new(const HvOptions *o, GError **errp);
void hv_machine_free(HvMachine *hv);

int64_t hv_machine_clock(HvMachine *hv);
/*
 * Advance the virtual clock to @ns; returns the clock afterwards.  The
 * clock never moves backwards; without -accel qtest it is the host clock.
 */
int64_t hv_machine_clock_advance(HvMachine *hv, int64_t ns);

#endif
