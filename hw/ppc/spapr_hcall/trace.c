/*
 * spapr-hcall: trace event control and output
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <string.h>
#include "internal.h"

unsigned int spapr_trace_event_count(void)
{
    return spapr_trace_nr_events_;
}

const char *spapr_trace_event_name(unsigned int id)
{
    return id < spapr_trace_nr_events_ ? spapr_trace_event_names_[id] : NULL;
}

static void set_bit(SpaprTraceState *t, unsigned int id, bool on)
{
    uint64_t bit = 1ULL << (id % 64);

    if (on) {
        __atomic_fetch_or(&t->mask[id / 64], bit, __ATOMIC_RELAXED);
    } else {
        __atomic_fetch_and(&t->mask[id / 64], ~bit, __ATOMIC_RELAXED);
    }
}

void spapr_machine_update_observe_(SpaprMachine *m)
{
    uint32_t on = 0;
    unsigned int i;

    for (i = 0; i < SPAPR_TRACE_WORDS; i++) {
        on |= !!__atomic_load_n(&m->trace.mask[i], __ATOMIC_RELAXED);
    }
    on |= __atomic_load_n(&m->stats_timing, __ATOMIC_RELAXED);
    on |= __atomic_load_n(&m->recording, __ATOMIC_RELAXED);
    __atomic_store_n(&m->observe, on, __ATOMIC_RELAXED);
}

bool spapr_trace_check_patterns(const char *patterns, GError **errp)
{
    size_t len = strlen(patterns), i;

    if (len > SPAPR_TRACE_MAX_PATTERNS_LEN) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "trace pattern list of %zu bytes is too long (max %d)",
                    len, SPAPR_TRACE_MAX_PATTERNS_LEN);
        return false;
    }
    if (!g_utf8_validate(patterns, len, NULL)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "trace pattern is not valid UTF-8");
        return false;
    }
    for (i = 0; i < len; i++) {
        if (g_ascii_iscntrl(patterns[i])) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "trace pattern contains control character 0x%02x",
                        (unsigned char)patterns[i]);
            return false;
        }
    }
    return true;
}

unsigned int spapr_trace_enable(SpaprMachine *m, const char *patterns)
{
    g_auto(GStrv) pats = NULL;
    unsigned int n = 0, id;
    char **p;

    if (!spapr_trace_check_patterns(patterns, NULL)) {
        return 0;
    }
    pats = g_strsplit(patterns, ",", 0);

    for (p = pats; *p; p++) {
        const char *glob = g_strstrip(*p);
        bool on = true;

        if (*glob == '-') {
            on = false;
            glob++;
        }
        if (!*glob) {
            continue;
        }
        for (id = 0; id < spapr_trace_nr_events_; id++) {
            if (g_pattern_match_simple(glob, spapr_trace_event_names_[id])) {
                set_bit(&m->trace, id, on);
                n++;
            }
        }
    }
    spapr_machine_update_observe_(m);
    return n;
}

bool spapr_trace_event_enabled(SpaprMachine *m, const char *name)
{
    unsigned int id;

    for (id = 0; id < spapr_trace_nr_events_; id++) {
        if (!strcmp(spapr_trace_event_names_[id], name)) {
            return spapr_trace_on(m, id);
        }
    }
    return false;
}

void spapr_trace_emit_(SpaprMachine *m, const char *event, const char *fmt,
                      ...)
{
    g_autofree char *body = NULL;
    va_list ap;

    va_start(ap, fmt);
    body = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    spapr_machine_log(m, SPAPR_LOG_TRACE, "%s %s", event, body);
}
