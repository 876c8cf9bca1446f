/*
 * spapr-hv: the qtest protocol, free of I/O
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Bytes in, reply lines out: the caller owns the socket.  Every request
 * line gets exactly one reply line ("OK ...", "FAIL reason" or "ERR
 * reason"), in order; nothing a client sends aborts the program.
 */
#ifndef SPAPR_HV_QTEST_SERVER_H
#define SPAPR_HV_QTEST_SERVER_H

#include "hv-machine.h"

/* Largest read/write/b64read/b64write payload. */
#define QTEST_MAX_DATA          (16u << 20)
/* Largest memset. */
#define QTEST_MAX_MEMSET        (1ULL << 30)
/* Longest request line: a QTEST_MAX_DATA hex write plus its words. */
#define QTEST_MAX_LINE          (2 * QTEST_MAX_DATA + 256)

typedef struct QtestServer QtestServer;

/* Called once per request with the reply (both without newline). */
typedef void (*QtestLogFn)(void *opaque, const char *request,
                           const char *reply);

QtestServer *qtest_server_new(HvMachine *hv);
void qtest_server_free(QtestServer *s);
void qtest_server_set_log(QtestServer *s, QtestLogFn fn, void *opaque);

/* One request line (no newline); returns the reply, without newline. */
char *qtest_server_handle_line(QtestServer *s, const char *line);

/*
 * Feed raw bytes; complete lines are answered and their replies (with
 * newlines) appended to @out.  Lines longer than QTEST_MAX_LINE are
 * discarded up to their newline and answered "FAIL line too long".
 */
void qtest_server_feed(QtestServer *s, const char *buf, size_t len,
                       GString *out);

/*
 * The same, but answers no further line once @out holds @max_out bytes
 * or more.  Returns the bytes consumed; the caller feeds the rest later.
 */
size_t qtest_server_feed_some(QtestServer *s, const char *buf, size_t len,
                              GString *out, size_t max_out);

/* Bytes of an unfinished line held, for tests. */
size_t qtest_server_pending(QtestServer *s);

#endif
