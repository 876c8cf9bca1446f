/*
 * spapr-hv: character devices (UNIX socket client/server, stdio)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One connection at a time per chardev, driven by the GLib main loop.
 * Output is queued and written when the peer can take it, so a slow
 * reader never blocks the other chardev.
 */
#ifndef SPAPR_HV_CHARDEV_H
#define SPAPR_HV_CHARDEV_H

#include "options.h"

typedef struct HvChardev HvChardev;

typedef struct HvChardevHandlers {
    void (*opened)(HvChardev *c, void *opaque);
    void (*data)(HvChardev *c, const char *buf, size_t len, void *opaque);
    void (*closed)(HvChardev *c, void *opaque);
} HvChardevHandlers;

/*
 * Connect (client), or listen (server=on; with wait=on the first client
 * is accepted before this returns), or use stdin/stdout.
 */
HvChardev *hv_chardev_open(const HvChardevOpt *opt,
                           const HvChardevHandlers *h, void *opaque,
                           GError **errp);
void hv_chardev_free(HvChardev *c);

void hv_chardev_write(HvChardev *c, const char *buf, size_t len);
/* Block until queued output is written (or the peer is gone). */
void hv_chardev_flush(HvChardev *c);

bool hv_chardev_is_server(HvChardev *c);
const char *hv_chardev_id(HvChardev *c);

#endif
