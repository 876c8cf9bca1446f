/*
 * spapr-hcall: run-time control of the trace events in trace-events files
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Events are enabled per machine.  Enabled events are formatted and passed
 * to the host's log op at SPAPR_LOG_TRACE, as "name arg=value ...".
 */
#ifndef SPAPR_HCALL_TRACE_H
#define SPAPR_HCALL_TRACE_H

#include "spapr-hcall/types.h"

/* Environment variable read by spapr_machine_new(): a -trace pattern. */
#define SPAPR_TRACE_ENV     "SPAPR_HCALL_TRACE"

/* Longest pattern list spapr_trace_check_patterns() accepts. */
#define SPAPR_TRACE_MAX_PATTERNS_LEN    4096

/*
 * Check a pattern list for spapr_trace_enable(): it must be valid UTF-8
 * (GLib's glob matcher asserts on anything else), contain no control
 * characters and be at most SPAPR_TRACE_MAX_PATTERNS_LEN bytes.
 */
bool spapr_trace_check_patterns(const char *patterns, GError **errp);

/*
 * Enable (or with a leading '-', disable) every event whose name matches
 * the glob; several patterns may be separated by commas.  Returns the
 * number of events whose state was set.  A pattern list that
 * spapr_trace_check_patterns() refuses enables nothing.
 */
unsigned int spapr_trace_enable(SpaprMachine *m, const char *patterns);
bool spapr_trace_event_enabled(SpaprMachine *m, const char *name);

/* All event names, in trace-events order (static strings). */
unsigned int spapr_trace_event_count(void);
const char *spapr_trace_event_name(unsigned int id);

#endif
