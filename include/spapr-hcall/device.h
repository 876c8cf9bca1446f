/*
 * spapr-hcall: devices owned by a machine
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A device embeds SpaprDevice as its first member.  The machine owns every
 * device added to it: it resets them on machine reset and finalizes them
 * when the machine is freed.
 *
 * Threading: the class callbacks run under the configuration rule of
 * machine.h (no hcall in flight): reset at machine reset, state at
 * save/load (vmstate.h), finalize at machine free.
 */
#ifndef SPAPR_HCALL_DEVICE_H
#define SPAPR_HCALL_DEVICE_H

#include "spapr-hcall/types.h"

struct SpaprDeviceClass {
    const char *type;                       /* e.g. "spapr-nvdimm" */
    void (*reset)(SpaprDevice *dev);        /* machine reset; may be NULL */
    void (*finalize)(SpaprDevice *dev);     /* release everything, free */
    /*
     * Migration (vmstate.h); all NULL for a device with no state of its
     * own.  state_key() names the device across hosts together with its
     * type (an NVDIMM: its DRC index).  load_state() with @apply false
     * only checks @r against the device; with @apply true, called once
     * every device has passed the check, it replaces the device's state.
     */
    uint32_t (*state_key)(SpaprDevice *dev);
    void (*save_state)(SpaprDevice *dev, GByteArray *w);
    bool (*load_state)(SpaprDevice *dev, SpaprStateReader *r, bool apply,
                       GError **errp);
};

struct SpaprDevice {
    const SpaprDeviceClass *cls;
    char *id;                               /* unique within the machine */
    SpaprMachine *machine;      /* set by spapr_machine_add_device() */
};

/* Fill in the common part; @id is copied. */
void spapr_device_init(SpaprDevice *dev, const SpaprDeviceClass *cls,
                       const char *id);
/* Free the common part (for use by finalize()). */
void spapr_device_cleanup(SpaprDevice *dev);

#endif
