/*
 * spapr-hcall: the machine (vCPUs, memory, devices, DRCs, host ops)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <string.h>
#include "internal.h"
#include "trace-events.h"

#define TIB     (1ULL << 40)

G_DEFINE_QUARK(spapr-hcall-error-quark, spapr_error)

SpaprTraceState *spapr_machine_trace_state_(SpaprMachine *m)
{
    return &m->trace;
}

/*
 * Ticks to nanoseconds, using the tick rate observed since the machine was
 * created (at least 200 us of it, so the rate is good to ~0.1%).
 */
uint64_t spapr_machine_ticks_to_ns_(SpaprMachine *m, uint64_t ticks)
{
    int64_t dns;
    uint64_t dt;

    while ((dns = spapr_monotonic_ns() - m->ticks0_ns) < 200000) {
        /* only right after creation; at most 200 us */
    }
    dt = spapr_ticks() - m->ticks0;
    if (!dt) {
        return 0;
    }
    return (uint64_t)((long double)ticks * dns / dt);
}

static bool check_config(const SpaprMachineConfig *cfg, GError **errp)
{
    if (cfg->ram_size % SPAPR_HCALL_MEMORY_BLOCK_SIZE) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "RAM size %" PRIu64 " is not a multiple of 256 MiB",
                    cfg->ram_size);
        return false;
    }
    if (cfg->nr_cpus > 1024) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%u vCPUs requested, at most 1024 are supported",
                    cfg->nr_cpus);
        return false;
    }
    if (cfg->pmem_slots > SPAPR_MACHINE_MAX_PMEM_SLOTS) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%u PMEM slots requested, at most %u are supported",
                    cfg->pmem_slots, SPAPR_MACHINE_MAX_PMEM_SLOTS);
        return false;
    }
    if (cfg->device_window_size &&
        cfg->device_window_base + cfg->device_window_size <
        cfg->device_window_base) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "device window wraps around the address space");
        return false;
    }
    return true;
}

/* The host's ops, or a standalone host of our own with the RAM in it */
static bool setup_host(SpaprMachine *m, const SpaprMachineConfig *cfg,
                       GError **errp)
{
    SpaprStandaloneHostConfig hc = { .ram_size = cfg->ram_size };

    if (cfg->ops) {
        m->ops = cfg->ops;
        m->opaque = cfg->opaque;
        return true;
    }
    m->own_host = spapr_standalone_host_new(&hc, errp);
    if (!m->own_host) {
        return false;
    }
    m->ops = &spapr_standalone_host_ops;
    m->opaque = m->own_host;
    return true;
}

static void setup_device_window(SpaprMachine *m,
                                const SpaprMachineConfig *cfg)
{
    if (cfg->device_window_size) {
        m->devwin_base = cfg->device_window_base;
        m->devwin_size = cfg->device_window_size;
    } else {
        m->devwin_base = ROUND_UP(MAX(cfg->ram_size, 4ULL << 30), TIB);
        m->devwin_size = 64 * TIB;
    }
}

static void setup_cpus(SpaprMachine *m, unsigned int nr_cpus)
{
    unsigned int i;

    m->nr_cpus = nr_cpus ? nr_cpus : 1;
    m->cpus = g_new0(SpaprCpu *, m->nr_cpus);
    for (i = 0; i < m->nr_cpus; i++) {
        SpaprCpu *cpu = g_new0(SpaprCpu, 1);

        cpu->index = i;
        cpu->machine = m;
        cpu->msr = SPAPR_MSR_SF;
        cpu->stats = spapr_cpu_stats_new_();
        m->cpus[i] = cpu;
    }
}

/* $SPAPR_HCALL_TRACE (a bad one is only a warning), then @trace */
static bool setup_trace(SpaprMachine *m, const char *trace, GError **errp)
{
    const char *env = g_getenv(SPAPR_TRACE_ENV);

    if (env && *env) {
        g_autoptr(GError) err = NULL;

        /* A bad environment must not stop the host: warn, ignore it */
        if (spapr_trace_check_patterns(env, &err)) {
            spapr_trace_enable(m, env);
        } else {
            spapr_machine_log(m, SPAPR_LOG_WARNING, "%s ignored: %s",
                              SPAPR_TRACE_ENV, err->message);
        }
    }
    if (trace && *trace) {
        if (!spapr_trace_check_patterns(trace, errp)) {
            return false;
        }
        spapr_trace_enable(m, trace);
    }
    return true;
}

SpaprMachine *spapr_machine_new(const SpaprMachineConfig *cfg, GError **errp)
{
    SpaprMachineConfig def = { 0 };
    SpaprMachine *m;
    unsigned int i;

    if (!cfg) {
        cfg = &def;
    }
    if (!check_config(cfg, errp)) {
        return NULL;
    }
    m = g_new0(SpaprMachine, 1);
    g_mutex_init(&m->lock);
    m->workers = spapr_workers_new_(SPAPR_MACHINE_WORKER_THREADS);
    m->devices = g_ptr_array_new();
    m->drcs = papr_drc_registry_new();
    for (i = 0; i < cfg->pmem_slots; i++) {
        /* Cannot fail: fresh registry, ids far below 2^28 */
        papr_drc_new(m->drcs, PAPR_DRC_TYPE_PMEM, i, NULL);
    }
    m->nocpu_stats = spapr_cpu_stats_new_();
    if (!setup_host(m, cfg, errp)) {
        spapr_machine_free(m);
        return NULL;
    }
    m->ram_size = cfg->ram_size;
    setup_device_window(m, cfg);
    setup_cpus(m, cfg->nr_cpus);
    m->ticks0 = spapr_ticks();
    m->ticks0_ns = spapr_monotonic_ns();
    if (!setup_trace(m, cfg->trace, errp)) {
        spapr_machine_free(m);
        return NULL;
    }
    return m;
}

void spapr_machine_free(SpaprMachine *m)
{
    unsigned int i;

    if (!m) {
        return;
    }
    spapr_record_free_(m);
    /* Newest first: a later device may depend on an earlier one */
    for (i = m->devices->len; i-- > 0;) {
        SpaprDevice *dev = g_ptr_array_index(m->devices, i);

        dev->cls->finalize(dev);
    }
    g_ptr_array_free(m->devices, TRUE);
    /* after the devices: their finalize drained their jobs */
    spapr_workers_free_(m->workers);
    papr_drc_registry_free(m->drcs);
    for (i = 0; i < m->nr_cpus; i++) {
        g_free(m->cpus[i]->stats);
        g_free(m->cpus[i]);
    }
    g_free(m->cpus);
    g_free(m->nocpu_stats);
    /* after the devices: they unmap themselves through it */
    spapr_standalone_host_free(m->own_host);
    g_mutex_clear(&m->lock);
    g_free(m);
}

static void reset_drc(PaprDrc *drc, void *opaque)
{
    papr_drc_reset(drc);
}

void spapr_machine_reset(SpaprMachine *m)
{
    unsigned int i;

    trace_spapr_machine_reset(m, m->devices->len);
    spapr_record_reset_(m);
    for (i = 0; i < m->devices->len; i++) {
        SpaprDevice *dev = g_ptr_array_index(m->devices, i);

        if (dev->cls->reset) {
            dev->cls->reset(dev);
        }
    }
    papr_drc_foreach(m->drcs, PAPR_DRC_MASK_ANY, reset_drc, NULL);
    for (i = 0; i < m->nr_cpus; i++) {
        SpaprCpu *cpu = m->cpus[i];

        memset(cpu->gpr, 0, sizeof(cpu->gpr));
        cpu->msr = SPAPR_MSR_SF;
        cpu->pc = 0;
    }
}

unsigned int spapr_machine_nr_cpus(SpaprMachine *m)
{
    return m->nr_cpus;
}

SpaprCpu *spapr_machine_cpu(SpaprMachine *m, unsigned int index)
{
    return index < m->nr_cpus ? m->cpus[index] : NULL;
}

uint64_t spapr_machine_ram_size(SpaprMachine *m)
{
    return m->ram_size;
}

SpaprMemMap *spapr_machine_memmap(SpaprMachine *m)
{
    return m->own_host ? spapr_standalone_host_memmap(m->own_host) : NULL;
}

void spapr_machine_device_window(SpaprMachine *m, uint64_t *base,
                                 uint64_t *size)
{
    *base = m->devwin_base;
    *size = m->devwin_size;
}

/* ---- Guest physical space: where device memory goes ---- */

#define GPA_ALIGN   SPAPR_HCALL_MEMORY_BLOCK_SIZE

/* On false, *skip_to is where the next candidate may start. */
static bool gpa_free(SpaprMachine *m, uint64_t gpa, uint64_t size,
                     SpaprGpaBusyFn busy, void *opaque, uint64_t *skip_to)
{
    if (m->ram_size && gpa < m->ram_size) {
        *skip_to = m->ram_size;
        return false;
    }
    if (busy && busy(opaque, gpa, size, skip_to)) {
        return false;
    }
    if (m->ops->range_free && !m->ops->range_free(m->opaque, gpa, size)) {
        /* The host does not say how far: step one block, look again */
        *skip_to = gpa + GPA_ALIGN;
        return false;
    }
    return true;
}

bool spapr_machine_gpa_free_(SpaprMachine *m, uint64_t gpa, uint64_t size,
                            SpaprGpaBusyFn busy, void *opaque)
{
    uint64_t skip;

    return gpa_free(m, gpa, size, busy, opaque, &skip);
}

bool spapr_machine_alloc_gpa_(SpaprMachine *m, uint64_t size,
                             SpaprGpaBusyFn busy, void *opaque,
                             uint64_t *gpa)
{
    uint64_t base = m->devwin_base, end = base + m->devwin_size;
    uint64_t c = ROUND_UP(base, GPA_ALIGN), skip;

    /* c < base: ROUND_UP wrapped past 2^64 */
    while (c >= base && c < end && size <= end - c) {
        if (gpa_free(m, c, size, busy, opaque, &skip)) {
            *gpa = c;
            return true;
        }
        if (skip <= c) {
            skip = c + GPA_ALIGN;
        }
        c = ROUND_UP(skip, GPA_ALIGN);
    }
    return false;
}

PaprDrcRegistry *spapr_machine_drcs(SpaprMachine *m)
{
    return m->drcs;
}

bool spapr_machine_map(SpaprMachine *m, const char *name, uint64_t gpa,
                       uint64_t size, void *host, GError **errp)
{
    bool ok = m->ops->map(m->opaque, name, gpa, size, host, errp);

    trace_spapr_machine_map(m, name, gpa, size, ok);
    return ok;
}

void spapr_machine_unmap(SpaprMachine *m, uint64_t gpa, uint64_t size)
{
    trace_spapr_machine_unmap(m, gpa, size);
    m->ops->unmap(m->opaque, gpa, size);
}

int64_t spapr_machine_clock_ns(SpaprMachine *m)
{
    return m->ops->clock_ns(m->opaque);
}

void spapr_machine_mark_dirty(SpaprMachine *m, void *host, uint64_t len)
{
    if (m->ops->mark_dirty) {
        m->ops->mark_dirty(m->opaque, host, len);
    }
}

const char *spapr_log_level_prefix(SpaprLogLevel level)
{
    static const char *const prefix[] = {
        [SPAPR_LOG_TRACE] = "trace: ",
        [SPAPR_LOG_GUEST_ERROR] = "guest error: ",
        [SPAPR_LOG_UNIMP] = "unimplemented: ",
        [SPAPR_LOG_WARNING] = "warning: ",
        [SPAPR_LOG_ERROR] = "error: ",
    };

    return (unsigned int)level < G_N_ELEMENTS(prefix) ? prefix[level] : "";
}

void spapr_machine_log(SpaprMachine *m, SpaprLogLevel level,
                       const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    m->ops->log(m->opaque, level, msg);
}

bool spapr_machine_add_device(SpaprMachine *m, SpaprDevice *dev,
                              GError **errp)
{
    if (!dev->id || !*dev->id) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "a %s device needs an id", dev->cls->type);
        return false;
    }
    g_mutex_lock(&m->lock);
    if (spapr_machine_find_device(m, dev->id)) {
        g_mutex_unlock(&m->lock);
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_EXISTS,
                    "duplicate device id '%s'", dev->id);
        return false;
    }
    dev->machine = m;
    g_ptr_array_add(m->devices, dev);
    g_mutex_unlock(&m->lock);
    trace_spapr_machine_add_device(m, dev->cls->type, dev->id);
    return true;
}

SpaprDevice *spapr_machine_find_device(SpaprMachine *m, const char *id)
{
    guint i;

    for (i = 0; i < m->devices->len; i++) {
        SpaprDevice *dev = g_ptr_array_index(m->devices, i);

        if (!strcmp(dev->id, id)) {
            return dev;
        }
    }
    return NULL;
}

void spapr_machine_foreach_device(SpaprMachine *m, SpaprDeviceFunc fn,
                                  void *opaque)
{
    guint i;

    for (i = 0; i < m->devices->len; i++) {
        fn(g_ptr_array_index(m->devices, i), opaque);
    }
}

/* ---- Devices ---- */

void spapr_device_init(SpaprDevice *dev, const SpaprDeviceClass *cls,
                       const char *id)
{
    dev->cls = cls;
    dev->id = g_strdup(id);
    dev->machine = NULL;
}

void spapr_device_cleanup(SpaprDevice *dev)
{
    g_free(dev->id);
    dev->id = NULL;
}
