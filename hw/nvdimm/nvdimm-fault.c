/*
 * spapr-hcall: run-time fault injection on an spapr-nvdimm
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What a host changes while the guest runs: the health valid mask, the
 * MemLife and CritRscU statistics, the persistence record, forced
 * answers of BIND_MEM / UNBIND_ALL / FLUSH for the next N calls, and a
 * failing H_SCM_PERFORMANCE_STATS.  Everything is an atomic: the host's
 * monitor thread writes while vCPU threads read.  A forced answer is one
 * 64-bit word (status << 32 | calls left) consumed with compare-and-swap,
 * so N injected calls are answered exactly N times however many vCPUs
 * race for them.
 */
#include <errno.h>
#include <string.h>
#include "nvdimm-internal.h"
#include "trace-events.h"

static const char *const op_names[SPAPR_NVDIMM_OP__MAX] = {
    [SPAPR_NVDIMM_OP_BIND] = "bind",
    [SPAPR_NVDIMM_OP_UNBIND_ALL] = "unbind-all",
    [SPAPR_NVDIMM_OP_FLUSH] = "flush",
};

static const char *const stats_fault_names[SPAPR_NVDIMM_STATS__MAX] = {
    [SPAPR_NVDIMM_STATS_OK] = "ok",
    [SPAPR_NVDIMM_STATS_AUTHORITY] = "authority",
    [SPAPR_NVDIMM_STATS_UNSUPPORTED] = "unsupported",
    [SPAPR_NVDIMM_STATS_ZERO_LENGTH] = "zero-length",
};

#define FAULT_WORD(status, count) \
    ((uint64_t)(uint32_t)(int32_t)(status) << 32 | (uint32_t)(count))
#define FAULT_STATUS(w)     ((int64_t)(int32_t)((w) >> 32))
#define FAULT_COUNT(w)      ((uint32_t)(w))

void spapr_nvdimm_fault_init_(SpaprNvdimm *nv)
{
    nv->health_valid = SPAPR_NVDIMM_HEALTH_VALID_DEFAULT;
    nv->mem_life = 100;
    nv->crit_rsc_util = 0;
}

const char *spapr_nvdimm_fault_op_name(SpaprNvdimmFaultOp op)
{
    return op < SPAPR_NVDIMM_OP__MAX ? op_names[op] : NULL;
}

bool spapr_nvdimm_fault_op_parse(const char *name, SpaprNvdimmFaultOp *op)
{
    int i;

    for (i = 0; i < SPAPR_NVDIMM_OP__MAX; i++) {
        if (!g_strcmp0(name, op_names[i])) {
            *op = i;
            return true;
        }
    }
    return false;
}

const char *spapr_nvdimm_stats_fault_name(SpaprNvdimmStatsFault f)
{
    return f < SPAPR_NVDIMM_STATS__MAX ? stats_fault_names[f] : NULL;
}

bool spapr_nvdimm_stats_fault_parse(const char *name,
                                    SpaprNvdimmStatsFault *f)
{
    int i;

    for (i = 0; i < SPAPR_NVDIMM_STATS__MAX; i++) {
        if (!g_strcmp0(name, stats_fault_names[i])) {
            *f = i;
            return true;
        }
    }
    return false;
}

uint64_t spapr_nvdimm_health_valid(const SpaprNvdimm *nv)
{
    return __atomic_load_n(&nv->health_valid, __ATOMIC_RELAXED);
}

void spapr_nvdimm_set_health_valid(SpaprNvdimm *nv, uint64_t mask)
{
    mask &= SPAPR_NVDIMM_HEALTH_BITS;
    __atomic_store_n(&nv->health_valid, mask, __ATOMIC_RELAXED);
    trace_spapr_nvdimm_inject(nv->m, nv->parent.id, "health-valid", mask);
}

static bool set_percent(SpaprNvdimm *nv, uint64_t *field, const char *what,
                        uint64_t percent, GError **errp)
{
    if (percent > 100) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "nvdimm '%s': %s %" PRIu64 " is not a percentage "
                    "(0..100)", nv->parent.id, what, percent);
        return false;
    }
    __atomic_store_n(field, percent, __ATOMIC_RELAXED);
    trace_spapr_nvdimm_inject(nv->m, nv->parent.id, what, percent);
    return true;
}

uint64_t spapr_nvdimm_mem_life(const SpaprNvdimm *nv)
{
    return __atomic_load_n(&nv->mem_life, __ATOMIC_RELAXED);
}

bool spapr_nvdimm_set_mem_life(SpaprNvdimm *nv, uint64_t percent,
                               GError **errp)
{
    return set_percent(nv, &nv->mem_life, "mem-life", percent, errp);
}

uint64_t spapr_nvdimm_crit_rsc_util(const SpaprNvdimm *nv)
{
    return __atomic_load_n(&nv->crit_rsc_util, __ATOMIC_RELAXED);
}

bool spapr_nvdimm_set_crit_rsc_util(SpaprNvdimm *nv, uint64_t percent,
                                    GError **errp)
{
    return set_percent(nv, &nv->crit_rsc_util, "crit-rsc-util", percent,
                       errp);
}

bool spapr_nvdimm_next_start_dirty(const SpaprNvdimm *nv)
{
    return __atomic_load_n(&nv->next_start_dirty, __ATOMIC_RELAXED);
}

static bool check_valid_status(SpaprNvdimm *nv, SpaprNvdimmFaultOp op,
                               int64_t status, GError **errp)
{
    if (op >= SPAPR_NVDIMM_OP__MAX) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "no such injection point %d", op);
        return false;
    }
    if (status == PAPR_H_BUSY || PAPR_H_IS_LONG_BUSY(status) ||
        (op == SPAPR_NVDIMM_OP_BIND && status == PAPR_H_OVERLAP) ||
        (op == SPAPR_NVDIMM_OP_FLUSH && status == PAPR_H_HARDWARE)) {
        return true;
    }
    g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                "nvdimm '%s': %s cannot be made to answer %" PRId64
                " (H_BUSY, H_LONG_BUSY_ORDER_*%s)", nv->parent.id,
                op_names[op], status,
                op == SPAPR_NVDIMM_OP_BIND ? ", H_OVERLAP" :
                op == SPAPR_NVDIMM_OP_FLUSH ? ", H_HARDWARE" : "");
    return false;
}

bool spapr_nvdimm_inject_status(SpaprNvdimm *nv, SpaprNvdimmFaultOp op,
                                int64_t status, uint32_t count,
                                GError **errp)
{
    if (count && !check_valid_status(nv, op, status, errp)) {
        return false;
    }
    if (op >= SPAPR_NVDIMM_OP__MAX) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "no such injection point %d", op);
        return false;
    }
    __atomic_store_n(&nv->fault[op], count ? FAULT_WORD(status, count) : 0,
                     __ATOMIC_RELAXED);
    trace_spapr_nvdimm_inject_status(nv->m, nv->parent.id, op_names[op],
                                     status, count);
    return true;
}

uint32_t spapr_nvdimm_injected_status(const SpaprNvdimm *nv,
                                      SpaprNvdimmFaultOp op,
                                      int64_t *status)
{
    uint64_t w;

    if (op >= SPAPR_NVDIMM_OP__MAX) {
        return 0;
    }
    w = __atomic_load_n(&nv->fault[op], __ATOMIC_RELAXED);
    if (status) {
        *status = FAULT_COUNT(w) ? FAULT_STATUS(w) : PAPR_H_SUCCESS;
    }
    return FAULT_COUNT(w);
}

bool spapr_nvdimm_fault_take_(SpaprNvdimm *nv, SpaprNvdimmFaultOp op,
                             int64_t *status)
{
    uint64_t w = __atomic_load_n(&nv->fault[op], __ATOMIC_RELAXED), next;

    do {
        if (!FAULT_COUNT(w)) {
            return false;
        }
        next = FAULT_COUNT(w) == 1 ? 0 : w - 1;
    } while (!__atomic_compare_exchange_n(&nv->fault[op], &w, next, false,
                                          __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
    *status = FAULT_STATUS(w);
    trace_spapr_nvdimm_fault(nv->m, nv->parent.id, op_names[op], *status,
                             FAULT_COUNT(w) - 1);
    if (op == SPAPR_NVDIMM_OP_FLUSH && *status == PAPR_H_HARDWARE) {
        /* counted as a real failed flush is */
        nvdimm_stat_add(nv, NVDIMM_STAT_FLUSH_ERRORS, 1);
    }
    return true;
}

SpaprNvdimmStatsFault spapr_nvdimm_stats_fault(const SpaprNvdimm *nv)
{
    return __atomic_load_n(&nv->stats_fault, __ATOMIC_RELAXED);
}

void spapr_nvdimm_set_stats_fault(SpaprNvdimm *nv, SpaprNvdimmStatsFault f)
{
    if (f >= SPAPR_NVDIMM_STATS__MAX) {
        f = SPAPR_NVDIMM_STATS_OK;
    }
    __atomic_store_n(&nv->stats_fault, f, __ATOMIC_RELAXED);
    trace_spapr_nvdimm_inject(nv->m, nv->parent.id, "stats", f);
}

/*
 * Appended to the NVDIMM record (nvdimm-vmstate.c): u64 health valid
 * mask, u64 MemLife, u64 CritRscU, u32 stats fault, u32 n, n x u64
 * forced answers (SpaprNvdimmFaultOp order).  A record without them (an
 * older source) keeps the defaults: nothing injected.
 */
void spapr_nvdimm_fault_save_(SpaprNvdimm *nv, GByteArray *w)
{
    int i;

    spapr_state_put_u64(w, spapr_nvdimm_health_valid(nv));
    spapr_state_put_u64(w, spapr_nvdimm_mem_life(nv));
    spapr_state_put_u64(w, spapr_nvdimm_crit_rsc_util(nv));
    spapr_state_put_u32(w, spapr_nvdimm_stats_fault(nv));
    spapr_state_put_u32(w, SPAPR_NVDIMM_OP__MAX);
    for (i = 0; i < SPAPR_NVDIMM_OP__MAX; i++) {
        spapr_state_put_u64(w, __atomic_load_n(&nv->fault[i],
                                               __ATOMIC_RELAXED));
    }
}

bool spapr_nvdimm_fault_load_(SpaprNvdimm *nv, SpaprStateReader *r,
                             bool apply, GError **errp)
{
    uint64_t valid = SPAPR_NVDIMM_HEALTH_VALID_DEFAULT, life = 100, crit = 0;
    uint64_t fault[SPAPR_NVDIMM_OP__MAX] = { 0 };
    uint32_t stats = SPAPR_NVDIMM_STATS_OK, i;

    if (spapr_state_left(r)) {
        valid = spapr_state_get_u64(r);
        life = spapr_state_get_u64(r);
        crit = spapr_state_get_u64(r);
        stats = spapr_state_get_u32(r);
        /* A newer source may force more calls: those are dropped */
        spapr_state_get_u64_array(r, fault, SPAPR_NVDIMM_OP__MAX);
        if (r->bad) {
            return true;            /* the caller reports the record */
        }
    }
    if (valid & ~SPAPR_NVDIMM_HEALTH_BITS || life > 100 || crit > 100 ||
        stats >= SPAPR_NVDIMM_STATS__MAX) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "malformed injected state");
        return false;
    }
    for (i = 0; i < SPAPR_NVDIMM_OP__MAX; i++) {
        if (FAULT_COUNT(fault[i]) &&
            !check_valid_status(nv, i, FAULT_STATUS(fault[i]), errp)) {
            g_prefix_error(errp, "malformed injected state: ");
            return false;
        }
    }
    if (!apply) {
        return true;
    }
    __atomic_store_n(&nv->health_valid, valid, __ATOMIC_RELAXED);
    __atomic_store_n(&nv->mem_life, life, __ATOMIC_RELAXED);
    __atomic_store_n(&nv->crit_rsc_util, crit, __ATOMIC_RELAXED);
    __atomic_store_n(&nv->stats_fault, stats, __ATOMIC_RELAXED);
    for (i = 0; i < SPAPR_NVDIMM_OP__MAX; i++) {
        __atomic_store_n(&nv->fault[i], fault[i], __ATOMIC_RELAXED);
    }
    return true;
}

/* ---- The knobs by name, values as text ---- */

static bool parse_u64(const char *knob, const char *s, uint64_t *out,
                      GError **errp)
{
    char *end = NULL;
    uint64_t v;

    if (s && g_ascii_isdigit(*s)) {
        errno = 0;
        v = g_ascii_strtoull(s, &end, 0);
        if (!errno && !*end) {
            *out = v;
            return true;
        }
    }
    g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                "%s: '%s' is not a number", knob, s ? s : "");
    return false;
}

static bool parse_bool(const char *knob, const char *s, bool *out,
                       GError **errp)
{
    if (!g_strcmp0(s, "on") || !g_strcmp0(s, "true") || !g_strcmp0(s, "1")) {
        *out = true;
        return true;
    }
    if (!g_strcmp0(s, "off") || !g_strcmp0(s, "false") ||
        !g_strcmp0(s, "0")) {
        *out = false;
        return true;
    }
    g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                "%s: '%s' is not on or off", knob, s ? s : "");
    return false;
}

/* "STATUS:COUNT", STATUS a name (H_BUSY) or a number; "none" cancels. */
static bool set_status_spec(SpaprNvdimm *nv, SpaprNvdimmFaultOp op,
                            const char *knob, const char *spec,
                            GError **errp)
{
    g_auto(GStrv) parts = NULL;
    int64_t status;
    uint64_t count;

    if (!g_strcmp0(spec, "none")) {
        return spapr_nvdimm_inject_status(nv, op, 0, 0, errp);
    }
    parts = g_strsplit(spec ? spec : "", ":", 3);
    if (g_strv_length(parts) != 2) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: '%s' is not STATUS:COUNT or none", knob,
                    spec ? spec : "");
        return false;
    }
    if (!spapr_hcall_status_from_name(parts[0], &status)) {
        char *end = NULL;

        errno = 0;
        status = g_ascii_strtoll(parts[0], &end, 0);
        if (errno || !*parts[0] || *end) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "%s: unknown status '%s'", knob, parts[0]);
            return false;
        }
    }
    if (!parse_u64(knob, parts[1], &count, errp)) {
        return false;
    }
    if (count > UINT32_MAX) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: at most %u calls", knob, UINT32_MAX);
        return false;
    }
    return spapr_nvdimm_inject_status(nv, op, status, count, errp);
}

static char *status_spec(const SpaprNvdimm *nv, SpaprNvdimmFaultOp op)
{
    int64_t status;
    uint32_t n = spapr_nvdimm_injected_status(nv, op, &status);
    const char *name = spapr_hcall_status_name(status);

    if (!n) {
        return g_strdup("none");
    }
    return name ? g_strdup_printf("%s:%u", name, n)
                : g_strdup_printf("%" PRId64 ":%u", status, n);
}

static const char *const knob_names[] = {
    "health", "health-valid", "mem-life", "crit-rsc-util",
    "dirty-shutdown-count", "next-start-dirty", "stats-fault",
    "inject-bind", "inject-unbind-all", "inject-flush", NULL,
};

const char *const *spapr_nvdimm_knob_names(void)
{
    return knob_names;
}

static bool knob_op(const char *knob, SpaprNvdimmFaultOp *op)
{
    return g_str_has_prefix(knob, "inject-") &&
           spapr_nvdimm_fault_op_parse(knob + strlen("inject-"), op);
}

static bool knob_set(SpaprNvdimm *nv, const char *knob, const char *value,
                     GError **errp)
{
    SpaprNvdimmFaultOp op;
    SpaprNvdimmStatsFault f;
    uint64_t v;
    bool b;

    if (knob_op(knob, &op)) {
        return set_status_spec(nv, op, knob, value, errp);
    }
    if (!strcmp(knob, "stats-fault")) {
        if (!spapr_nvdimm_stats_fault_parse(value, &f)) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "%s: '%s' is not ok, authority, unsupported or "
                        "zero-length", knob, value ? value : "");
            return false;
        }
        spapr_nvdimm_set_stats_fault(nv, f);
        return true;
    }
    if (!strcmp(knob, "next-start-dirty")) {
        return parse_bool(knob, value, &b, errp) &&
               spapr_nvdimm_set_next_start_dirty(nv, b, errp);
    }
    if (!strcmp(knob, "health")) {
        if (!parse_u64(knob, value, &v, errp)) {
            return false;
        }
        spapr_nvdimm_set_health(nv, v, UINT64_MAX);
        return true;
    }
    if (!strcmp(knob, "health-valid")) {
        if (!parse_u64(knob, value, &v, errp)) {
            return false;
        }
        spapr_nvdimm_set_health_valid(nv, v);
        return true;
    }
    if (!strcmp(knob, "mem-life")) {
        return parse_u64(knob, value, &v, errp) &&
               spapr_nvdimm_set_mem_life(nv, v, errp);
    }
    if (!strcmp(knob, "crit-rsc-util")) {
        return parse_u64(knob, value, &v, errp) &&
               spapr_nvdimm_set_crit_rsc_util(nv, v, errp);
    }
    if (!strcmp(knob, "dirty-shutdown-count")) {
        return parse_u64(knob, value, &v, errp) &&
               spapr_nvdimm_set_persistence_failed_count(nv, v, errp);
    }
    g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_NOT_FOUND,
                "no knob '%s'", knob);
    return false;
}

bool spapr_nvdimm_knob_set(SpaprNvdimm *nv, const char *knob,
                           const char *value, GError **errp)
{
    if (!knob_set(nv, knob, value, errp)) {
        return false;
    }
    /* A recording replays it at the same point */
    if (__atomic_load_n(&nv->m->recording, __ATOMIC_RELAXED)) {
        g_autofree char *v = spapr_nvdimm_knob_get(nv, knob, NULL);

        spapr_record_knob_(nv->m, spapr_nvdimm_drc_index(nv), knob, v);
    }
    return true;
}

char *spapr_nvdimm_knob_get(const SpaprNvdimm *nv, const char *knob,
                            GError **errp)
{
    SpaprNvdimmFaultOp op;

    if (knob_op(knob, &op)) {
        return status_spec(nv, op);
    }
    if (!strcmp(knob, "stats-fault")) {
        return g_strdup(stats_fault_names[spapr_nvdimm_stats_fault(nv)]);
    }
    if (!strcmp(knob, "next-start-dirty")) {
        return g_strdup(spapr_nvdimm_next_start_dirty(nv) ? "on" : "off");
    }
    if (!strcmp(knob, "health")) {
        return g_strdup_printf("0x%016" PRIx64, spapr_nvdimm_health(nv));
    }
    if (!strcmp(knob, "health-valid")) {
        return g_strdup_printf("0x%016" PRIx64,
                               spapr_nvdimm_health_valid(nv));
    }
    if (!strcmp(knob, "mem-life")) {
        return g_strdup_printf("%" PRIu64, spapr_nvdimm_mem_life(nv));
    }
    if (!strcmp(knob, "crit-rsc-util")) {
        return g_strdup_printf("%" PRIu64, spapr_nvdimm_crit_rsc_util(nv));
    }
    if (!strcmp(knob, "dirty-shutdown-count")) {
        return g_strdup_printf("%" PRIu64,
                               spapr_nvdimm_persistence_failed_count(nv));
    }
    g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_NOT_FOUND,
                "no knob '%s'", knob);
    return NULL;
}
