/*
 * spapr-hcall: H_SCM_PERFORMANCE_STATS statistics
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Buffer (big-endian, packed): "SCMSTATS", be32 version (1), be32 count,
 * then count x { 8-byte id, be64 value }.  Count 0 asks for every
 * statistic.  The sixteen ids Linux defines are offered: a real counter
 * where the hypervisor sees the event, a host-set value where it cannot
 * (MemLife, CritRscU), 0 otherwise.  The hypervisor never sees the
 * guest's loads and stores to bound memory, so the "media" counters are
 * label-area accesses and the host load/store counters are 0; durations
 * are in nanoseconds (docs/nvdimm.md has the table).
 */
#include <string.h>
#include "nvdimm-internal.h"

#define STATS_EYECATCHER    "SCMSTATS"
#define STATS_VERSION       1
#define STATS_HDR_SIZE      16
#define STATS_ENTRY_SIZE    16
/* More ids in one request than this is refused (bounded work) */
#define STATS_MAX_REQUEST   4096

/* Where the value of a statistic comes from */
typedef enum StatSource {
    STAT_COUNTER,               /* NvdimmStat counter */
    STAT_MEM_LIFE,              /* settable, percent of life remaining */
    STAT_CRIT_RSC,              /* settable, percent */
    STAT_ZERO,                  /* nothing the hypervisor can see */
} StatSource;

typedef struct StatDef {
    char id[9];
    StatSource src;
    NvdimmStat stat;
} StatDef;

/*
 * The sixteen ids Linux's papr_scm knows, in its PMU event order (event
 * 1..16).  Our other counters are not offered to the guest: they are
 * read by the host (spapr_nvdimm_foreach_stat), so no non-standard id
 * can be mistaken for a PAPR one.
 */
static const StatDef stat_defs[] = {
    { "CtlResCt", STAT_COUNTER, NVDIMM_STAT_RESET_COUNT },
    { "CtlResTm", STAT_COUNTER, NVDIMM_STAT_RESET_TIME },
    { "PonSecs ", STAT_COUNTER, NVDIMM_STAT_PON_SECS },
    { "MemLife ", STAT_MEM_LIFE, NVDIMM_STAT__MAX },
    { "CritRscU", STAT_CRIT_RSC, NVDIMM_STAT__MAX },
    { "HostLCnt", STAT_ZERO, NVDIMM_STAT__MAX },
    { "HostSCnt", STAT_ZERO, NVDIMM_STAT__MAX },
    { "HostSDur", STAT_ZERO, NVDIMM_STAT__MAX },
    { "HostLDur", STAT_ZERO, NVDIMM_STAT__MAX },
    { "MedRCnt ", STAT_COUNTER, NVDIMM_STAT_META_READS },
    { "MedWCnt ", STAT_COUNTER, NVDIMM_STAT_META_WRITES },
    { "MedRDur ", STAT_COUNTER, NVDIMM_STAT_META_READ_TICKS },
    { "MedWDur ", STAT_COUNTER, NVDIMM_STAT_META_WRITE_TICKS },
    { "CchRHCnt", STAT_ZERO, NVDIMM_STAT__MAX },
    { "CchWHCnt", STAT_ZERO, NVDIMM_STAT__MAX },
    { "FastWCnt", STAT_ZERO, NVDIMM_STAT__MAX },
};

/* Counters only the host sees (QMP, qtest), by name */
static const struct {
    const char *name;
    NvdimmStat stat;
} host_stats[] = {
    { "flush-requests", NVDIMM_STAT_FLUSHES },
    { "syncs", NVDIMM_STAT_SYNCS },
    { "sync-ns", NVDIMM_STAT_SYNC_NS },
    { "flush-errors", NVDIMM_STAT_FLUSH_ERRORS },
    { "blocks-bound", NVDIMM_STAT_BINDS },
    { "blocks-unbound", NVDIMM_STAT_UNBINDS },
};

uint64_t spapr_nvdimm_stats_buffer_size_(void)
{
    return STATS_HDR_SIZE + STATS_ENTRY_SIZE * G_N_ELEMENTS(stat_defs);
}

static uint64_t counter_value(SpaprNvdimm *nv, NvdimmStat s)
{
    if (s == NVDIMM_STAT_PON_SECS) {
        return (spapr_machine_clock_ns(nv->m) - nv->created_ns) /
               1000000000;
    }
    if (s == NVDIMM_STAT_META_READ_TICKS ||
        s == NVDIMM_STAT_META_WRITE_TICKS) {
        return spapr_machine_ticks_to_ns_(nv->m, nvdimm_stat_sum_(nv, s));
    }
    return nvdimm_stat_sum_(nv, s);
}

static uint64_t stat_value(SpaprNvdimm *nv, const StatDef *d)
{
    switch (d->src) {
    case STAT_COUNTER:
        return counter_value(nv, d->stat);
    case STAT_MEM_LIFE:
        return __atomic_load_n(&nv->mem_life, __ATOMIC_RELAXED);
    case STAT_CRIT_RSC:
        return __atomic_load_n(&nv->crit_rsc_util, __ATOMIC_RELAXED);
    default:
        return 0;
    }
}

uint64_t nvdimm_stat_sum_(SpaprNvdimm *nv, NvdimmStat s)
{
    uint64_t v = __atomic_load_n(&nv->stats[s], __ATOMIC_RELAXED);
    unsigned int i;

    for (i = 0; i < nv->nr_cpu_stats; i++) {
        v += __atomic_load_n(&nv->cpu_stats[i].v[s], __ATOMIC_RELAXED);
    }
    return v;
}

uint64_t spapr_nvdimm_stat_value_(SpaprNvdimm *nv, const char id[8],
                                 bool *known)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(stat_defs); i++) {
        if (!memcmp(stat_defs[i].id, id, 8)) {
            *known = true;
            return stat_value(nv, &stat_defs[i]);
        }
    }
    *known = false;
    return 0;
}

void spapr_nvdimm_foreach_stat(SpaprNvdimm *nv, SpaprNvdimmStatFn fn,
                               void *opaque)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(stat_defs); i++) {
        char name[9];

        /* The id without its padding: "MemLife " -> "MemLife" */
        g_strlcpy(name, stat_defs[i].id, sizeof(name));
        g_strchomp(name);
        fn(name, stat_value(nv, &stat_defs[i]), opaque);
    }
    for (i = 0; i < G_N_ELEMENTS(host_stats); i++) {
        fn(host_stats[i].name, counter_value(nv, host_stats[i].stat),
           opaque);
    }
}

typedef struct StatLookup {
    const char *name;
    uint64_t value;
    bool found;
} StatLookup;

static void stat_lookup(const char *name, uint64_t value, void *opaque)
{
    StatLookup *l = opaque;

    if (!l->found && !strcmp(name, l->name)) {
        l->value = value;
        l->found = true;
    }
}

bool spapr_nvdimm_get_stat(SpaprNvdimm *nv, const char *name,
                           uint64_t *value)
{
    g_autofree char *trimmed = g_strchomp(g_strdup(name));
    StatLookup l = { .name = trimmed };

    spapr_nvdimm_foreach_stat(nv, stat_lookup, &l);
    *value = l.value;
    return l.found;
}

/*
 * Check the request header at @gpa: the number of ids asked for in
 * *count (0: all), and the bytes the answer takes in *need.
 */
static int64_t stats_check_header(SpaprMachine *m, uint64_t gpa,
                                  uint64_t size, uint64_t *count,
                                  uint64_t *need)
{
    uint8_t hdr[STATS_HDR_SIZE];

    if (size < STATS_HDR_SIZE) {
        return PAPR_H_P3;
    }
    if (gpa + (size - 1) < gpa) {
        return PAPR_H_P2;
    }
    if (!spapr_guest_read(m, gpa, hdr, sizeof(hdr))) {
        return spapr_guest_access_status_(m, gpa, PAPR_H_P2);
    }
    if (memcmp(hdr, STATS_EYECATCHER, 8) ||
        spapr_ld32_be(hdr + 8) != STATS_VERSION) {
        return PAPR_H_P2;
    }
    *count = spapr_ld32_be(hdr + 12);
    if (*count > STATS_MAX_REQUEST) {
        return PAPR_H_P3;
    }
    *need = STATS_HDR_SIZE +
            STATS_ENTRY_SIZE * (*count ? *count : G_N_ELEMENTS(stat_defs));
    return size < *need ? PAPR_H_P3 : PAPR_H_SUCCESS;
}

/* The @count ids the guest asked for, or H_PARTIAL at an unknown one. */
static int64_t stats_fill_asked(SpaprNvdimm *nv, uint8_t *buf,
                                uint64_t count, uint64_t *bad_id)
{
    uint64_t i;
    bool known;

    for (i = 0; i < count; i++) {
        uint8_t *e = buf + STATS_HDR_SIZE + i * STATS_ENTRY_SIZE;

        spapr_nvdimm_stat_value_(nv, (const char *)e, &known);
        if (!known) {
            *bad_id = spapr_ld64_be(e);
            return PAPR_H_PARTIAL;
        }
    }
    for (i = 0; i < count; i++) {
        uint8_t *e = buf + STATS_HDR_SIZE + i * STATS_ENTRY_SIZE;

        spapr_st64_be(e + 8, spapr_nvdimm_stat_value_(nv, (const char *)e,
                                                &known));
    }
    return PAPR_H_SUCCESS;
}

/* Count 0: every statistic, ids filled in. */
static void stats_fill_every(SpaprNvdimm *nv, uint8_t *buf)
{
    size_t i;

    spapr_st32_be(buf + 12, G_N_ELEMENTS(stat_defs));
    for (i = 0; i < G_N_ELEMENTS(stat_defs); i++) {
        uint8_t *e = buf + STATS_HDR_SIZE + i * STATS_ENTRY_SIZE;

        memcpy(e, stat_defs[i].id, 8);
        spapr_st64_be(e + 8, stat_value(nv, &stat_defs[i]));
    }
}

int64_t spapr_nvdimm_stats_fill_(SpaprNvdimm *nv, uint64_t gpa,
                                uint64_t size, uint64_t *bad_id)
{
    SpaprMachine *m = nv->m;
    g_autofree uint8_t *buf = NULL;
    uint64_t need = 0, count = 0;
    int64_t ret = stats_check_header(m, gpa, size, &count, &need);

    if (ret != PAPR_H_SUCCESS) {
        return ret;
    }
    /* Every byte touched must be guest memory before anything is written */
    buf = g_malloc(need);
    if (!spapr_guest_read(m, gpa, buf, need)) {
        return spapr_guest_access_status_(m, gpa, PAPR_H_P2);
    }
    if (count) {
        ret = stats_fill_asked(nv, buf, count, bad_id);
        if (ret != PAPR_H_SUCCESS) {
            return ret;
        }
    } else {
        stats_fill_every(nv, buf);
    }
    if (!spapr_guest_write(m, gpa, buf, need)) {
        return spapr_guest_access_status_(m, gpa, PAPR_H_P2);
    }
    return PAPR_H_SUCCESS;
}
