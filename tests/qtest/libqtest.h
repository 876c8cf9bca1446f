/*
 * A libqtest-style client for spapr-hv (and QEMU): spawn the binary named
 * by $QTEST_QEMU_BINARY with libqtest's arguments, then talk qtest and
 * QMP over the two UNIX sockets it connects back to.
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_LIBQTEST_H
#define SPAPR_LIBQTEST_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <inttypes.h>

typedef struct QTestState QTestState;

/* Start the machine with extra arguments (may be ""); aborts the test on
 * failure to start. */
QTestState *qtest_init(const char *extra_args);
/* SIGTERM, wait, and assert the exit status is 0. */
void qtest_quit(QTestState *s);
/* Wait for the process to exit by itself; returns its wait status. */
int qtest_wait_exit(QTestState *s);
void qtest_free(QTestState *s);
/* Close the qtest socket, wait for the exit, free; returns the status. */
int qtest_close_and_wait(QTestState *s);

/* Send one request line (printf-style, newline added); read the reply. */
char *qtest_cmd(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Raw bytes out; one reply line in. */
void qtest_send_raw(QTestState *s, const void *buf, size_t len);
char *qtest_recv_line(QTestState *s);

uint64_t qtest_readq(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint8_t qtest_readb(QTestState *s, uint64_t addr);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t v);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t v);
void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t n);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t n);
void qtest_bufread(QTestState *s, uint64_t addr, void *buf, size_t n);
void qtest_bufwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t n);

/* hcall: r3 returned, rets[0..8] = r4..r12 (rets may be NULL). */
int64_t qtest_hcall(QTestState *s, uint64_t opcode, unsigned int nargs,
                    const uint64_t *args, uint64_t *rets);

/* QMP: send a JSON text, return the next non-event reply line. */
char *qtest_qmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Next QMP line, events included (NULL on EOF/timeout). */
char *qtest_qmp_recv(QTestState *s);
void qtest_qmp_send_raw(QTestState *s, const char *text);
const char *qtest_greeting(QTestState *s);
/* The machine's process id (for /proc measurements). */
int qtest_pid(QTestState *s);

/* Split an "OK a b c" reply; asserts it starts with OK. */
char **qtest_ok_words(const char *reply);

/* Run the binary with @args (space-separated) to completion. */
int qtest_run(const char *args, char **out, char **err);
const char *qtest_binary(void);

#endif
