/*
 * spapr-hv: the QMP monitor, free of I/O
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Greeting, qmp_capabilities negotiation, a handful of commands, and
 * QMP-format errors ({"error": {"class": ..., "desc": ...}}) for
 * everything else.  Each reply or event is one line.
 */
#ifndef SPAPR_HV_QMP_SERVER_H
#define SPAPR_HV_QMP_SERVER_H

#include "hv-machine.h"

/* Largest QMP input text. */
#define QMP_MAX_INPUT   (1u << 20)

typedef struct QmpServer QmpServer;

QmpServer *qmp_server_new(HvMachine *hv, const HvOptions *o);
void qmp_server_free(QmpServer *s);

/* A new connection: reset negotiation and append the greeting. */
void qmp_server_connect(QmpServer *s, GString *out);
/* Feed raw bytes; replies and events are appended to @out. */
void qmp_server_feed(QmpServer *s, const char *buf, size_t len,
                     GString *out);
/*
 * The same, but stops after the text whose reply brings @out to @max_out
 * bytes or more (nothing is consumed if it is there already).  Returns
 * the bytes consumed; the caller feeds the rest once @out has drained.
 */
size_t qmp_server_feed_some(QmpServer *s, const char *buf, size_t len,
                            GString *out, size_t max_out);
/* True once "quit" has been answered. */
bool qmp_server_quit_requested(QmpServer *s);

/* Handle one complete JSON text (for tests); returns the reply lines. */
char *qmp_server_handle_text(QmpServer *s, const char *text);

#endif
