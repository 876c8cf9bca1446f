/*
 * spapr-hv: the program's machine (RAM, backends, devices, clock)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hv-machine.h"
#include "hv-devices.h"

static int64_t hv_clock_ns(void *opaque)
{
    return hv_machine_clock(opaque);
}

static void hv_log(void *opaque, SpaprLogLevel level, const char *msg)
{
    HvMachine *hv = opaque;

    if (hv->quiet_guest_errors && (level == SPAPR_LOG_GUEST_ERROR ||
                                   level == SPAPR_LOG_UNIMP)) {
        return;
    }
    fprintf(hv->log ? hv->log : stderr, "spapr-hv: %s%s\n",
            spapr_log_level_prefix(level), msg);
}

int64_t hv_machine_clock(HvMachine *hv)
{
    if (hv->virtual_clock) {
        return hv->vclock_ns;
    }
    return spapr_monotonic_ns() - hv->start_ns;
}

int64_t hv_machine_clock_advance(HvMachine *hv, int64_t ns)
{
    if (hv->virtual_clock && ns > hv->vclock_ns) {
        hv->vclock_ns = ns;
    }
    return hv_machine_clock(hv);
}

/* The library's standalone host, with our clock and log */
HvMachine *hv_machine_new(const HvOptions *o, GError **errp)
{
    HvMachine *hv = g_new0(HvMachine, 1);
    SpaprStandaloneHostConfig hc = {
        .ram_size = o->ram_size,
        .clock_ns = hv_clock_ns,
        .log = hv_log,
        .opaque = hv,
    };
    SpaprMachineConfig cfg = {
        .ops = &spapr_standalone_host_ops,
        .ram_size = o->ram_size,
        .nr_cpus = o->smp,
        .trace = o->trace,
        .pmem_slots = o->ram_slots,
    };

    hv->virtual_clock = o->accel_qtest;
    hv->start_ns = spapr_monotonic_ns();
    hv->host = spapr_standalone_host_new(&hc, errp);
    if (!hv->host) {
        hv_machine_free(hv);
        return NULL;
    }
    cfg.opaque = hv->host;
    hv->m = spapr_machine_new(&cfg, errp);
    if (!hv->m || !hv_devices_setup(hv, o, errp)) {
        hv_machine_free(hv);
        return NULL;
    }
    return hv;
}

void hv_machine_free(HvMachine *hv)
{
    if (!hv) {
        return;
    }
    /* devices unmap themselves through the host: free the machine first */
    spapr_machine_free(hv->m);
    spapr_standalone_host_free(hv->host);
    g_free(hv);
}
