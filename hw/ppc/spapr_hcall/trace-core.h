/*
 * spapr-hcall: what generated trace functions need (library-internal)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HCALL_TRACE_CORE_H
#define SPAPR_HCALL_TRACE_CORE_H

#include <inttypes.h>
#include "spapr-hcall/types.h"

#define SPAPR_TRACE_WORDS   2       /* up to 128 events */

/* Read by the generated inline trace_*() functions on every call. */
typedef struct SpaprTraceState {
    uint64_t mask[SPAPR_TRACE_WORDS];
} SpaprTraceState;

SpaprTraceState *spapr_machine_trace_state_(SpaprMachine *m);

static inline bool spapr_trace_on(SpaprMachine *m, unsigned int id)
{
    const SpaprTraceState *t = spapr_machine_trace_state_(m);

    return (__atomic_load_n(&t->mask[id / 64], __ATOMIC_RELAXED) >>
            (id % 64)) & 1;
}

void spapr_trace_emit_(SpaprMachine *m, const char *event, const char *fmt,
                      ...) G_GNUC_PRINTF(3, 4);

extern const char *const spapr_trace_event_names_[];
extern const unsigned int spapr_trace_nr_events_;

#endif
