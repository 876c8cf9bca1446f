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

/*
 * Backpressure: while more than this many reply bytes wait for the peer,
 * its input is not read (nor its requests answered).  A client that
 * pipelines requests and never reads thus costs at most this, plus one
 * reply (32 MiB for a 16 MiB qtest read), plus one unfinished request.
 */
#define HV_CHARDEV_OUT_LIMIT    (4u << 20)

typedef struct HvChardevHandlers {
    void (*opened)(HvChardev *c, void *opaque);
    /*
     * Input: consume what you can while adding at most about @room bytes
     * of output (stop after the request that crosses it); return the
     * bytes consumed.  The rest is offered again once output drains.
     */
    size_t (*data)(HvChardev *c, const char *buf, size_t len, size_t room,
                   void *opaque);
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
