/*
 * spapr-hcall glue: QEMU's pseries machine on the spapr-hcall library
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One library SpaprMachine shadows the QEMU spapr machine.  It serves the
 * hcall-scm and hcall-epapr sets, owns the NVDIMMs' SCM state (bindings,
 * labels, flushes, health, statistics) and writes their device-tree nodes.
 * QEMU keeps everything else: CPUs, RAM, RTAS, DRC state machines, the
 * DIMM mapping in device memory.
 *
 * Threading: QEMU calls hcalls (TCG, MTTCG included, delivers "sc" under
 * the BQL; KVM handles the hcall exit under it), plug, reset and fdt
 * building with the BQL held.  That satisfies the library's rule that
 * configuration changes never overlap an hcall (include/spapr-hcall/
 * machine.h, Threading), and the glue state needs no lock of its own.
 * The library may log from its flush thread; the log op only calls
 * thread-safe QEMU functions.
 *
 * Environment:
 *   SPAPR_HCALL_STATS=<file>   write the library's per-hcall statistics
 *                              to <file> at exit
 *   SPAPR_HCALL_TRACE=<pat>    library trace events (read by the library)
 *   SPAPR_HCALL_RECORD=<file>  record every hcall the library serves
 *                              (include/spapr-hcall/record.h), for
 *                              spapr-hv --replay
 *
 * Fault injection: the library's NVDIMM knobs (include/spapr-hcall/
 * nvdimm.h: health, mem-life, inject-flush, ...) are properties of the
 * spapr-nvdimm class, so they work on the command line
 * (-device spapr-nvdimm,...,health=0x4800000000000000) and at run time
 * (qom-set /machine/peripheral/nv0 mem-life 3).  A value set before the
 * device is plugged waits in the glue and is applied at plug.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/notify.h"
#include "qemu/rcu.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "migration/vmstate.h"
#include "hw/boards.h"
#include "hw/mem/nvdimm.h"
#include "hw/mem/pc-dimm.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_hcall_glue.h"
/* memory, hostmem and sysemu headers: their path depends on the version */
#include "spapr_hcall_compat.h"
#include <libfdt.h>

/*
 * The library's headers: its names never clash with QEMU's (PAPR_H_* for
 * the PAPR constants, PaprDrc for its DRC registry; checked by
 * scripts/check-qemu-names.py), so both sets can be included here.
 */
#include "spapr-hcall/types.h"
#include "spapr-hcall/host-ops.h"
#include "spapr-hcall/machine.h"
#include "spapr-hcall/hcall.h"
#include "spapr-hcall/hcall-sets.h"
#include "spapr-hcall/nvdimm.h"
#include "spapr-hcall/fdt.h"
#include "spapr-hcall/vmstate.h"
#include "spapr-hcall/record.h"

QEMU_BUILD_BUG_ON(sizeof(target_ulong) != sizeof(uint64_t));

/* QEMU keeps this name private to hw/ppc/spapr_nvdimm.c */
#define GLUE_TYPE_SPAPR_NVDIMM "spapr-nvdimm"

/* Guest-visible mapping made by the library (an SCM binding) */
typedef struct GlueMap {
    struct rcu_head rcu;        /* first: g_free_rcu() needs offset 0 */
    MemoryRegion mr;
    uint64_t gpa;
    uint64_t size;
} GlueMap;

struct SpaprHcallGlue {
    SpaprMachine *m;
    SpaprMachineState *spapr;
    GHashTable *maps;           /* gpa -> GlueMap */
    Notifier exit_notifier;
    char *stats_path;
    bool exiting;
    /* Migration: the library's state stream, only while saving/loading */
    uint8_t *state;
    uint32_t state_len;
    bool state_loaded;          /* by this load, checked by spapr_post_load */
    /* Fault-injection properties (BQL) */
    GHashTable *nvdimms;        /* DeviceState -> SpaprNvdimm, once plugged */
    GHashTable *pending;        /* DeviceState -> GPtrArray knob, value.. */
};

/* ---- SpaprHostOps over QEMU's memory API ---- */

/*
 * True if every byte of [gpa, gpa + len) is RAM (or a library mapping)
 * that may be accessed this way: QEMU reads unassigned memory as all-ones
 * without an error, so address_space_read() alone cannot tell.
 */
static bool glue_range_is_ram(uint64_t gpa, uint64_t len, bool is_write)
{
    if (gpa + len < gpa) {
        return false;
    }
    RCU_READ_LOCK_GUARD();
    while (len) {
        hwaddr xlat, l = len;
        MemoryRegion *mr;

        mr = address_space_translate(&address_space_memory, gpa, &xlat, &l,
                                     is_write, MEMTXATTRS_UNSPECIFIED);
        if (!l || !memory_region_is_ram(mr) ||
            memory_region_is_ram_device(mr) ||
            (is_write && memory_region_is_rom(mr))) {
            return false;
        }
        gpa += l;
        len -= l;
    }
    return true;
}

static bool glue_mem_read(void *opaque, uint64_t gpa, void *buf,
                          uint64_t len)
{
    return glue_range_is_ram(gpa, len, false) &&
           address_space_read(&address_space_memory, gpa,
                              MEMTXATTRS_UNSPECIFIED, buf, len) == MEMTX_OK;
}

static bool glue_mem_write(void *opaque, uint64_t gpa, const void *buf,
                           uint64_t len)
{
    return glue_range_is_ram(gpa, len, true) &&
           address_space_write(&address_space_memory, gpa,
                               MEMTXATTRS_UNSPECIFIED, buf, len) == MEMTX_OK;
}

/*
 * The region already at [gpa, +size) -- RAM, DIMMs, MMIO, our mappings --
 * with a reference the caller drops, or NULL if the range is free.
 */
static MemoryRegion *glue_region_at(uint64_t gpa, uint64_t size)
{
    return memory_region_find(get_system_memory(), gpa, size).mr;
}

/*
 * An SCM binding shows part of an NVDIMM's memory backend a second time,
 * at the library's address.  It is an alias of the backend's own region,
 * not RAM of its own: guest stores through it dirty the backend's pages,
 * so migration and snapshots (which copy the backend) see them, and the
 * binding adds nothing to the migration stream.
 */
static bool glue_map(void *opaque, const char *name, uint64_t gpa,
                     uint64_t size, void *host, GError **errp)
{
    SpaprHcallGlue *g = opaque;
    g_autofree char *mr_name = NULL;
    MemoryRegion *backend, *other;
    ram_addr_t offset;
    GlueMap *map;

    if (!size || gpa + size < gpa) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "bad mapping [0x%" PRIx64 ", +0x%" PRIx64 ")", gpa, size);
        return false;
    }
    backend = memory_region_from_host(host, &offset);
    if (!backend || offset + size > memory_region_size(backend)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: not inside a QEMU memory backend", name);
        return false;
    }
    other = glue_region_at(gpa, size);
    if (other) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_OVERLAP,
                    "[0x%" PRIx64 ", +0x%" PRIx64 ") overlaps %s", gpa, size,
                    memory_region_name(other));
        memory_region_unref(other);
        return false;
    }
    map = g_new0(GlueMap, 1);
    map->gpa = gpa;
    map->size = size;
    mr_name = g_strdup_printf("spapr-hcall-%s@0x%" PRIx64, name, gpa);
    memory_region_init_alias(&map->mr, OBJECT(g->spapr), mr_name, backend,
                             offset, size);
    memory_region_add_subregion(get_system_memory(), gpa, &map->mr);
    g_hash_table_insert(g->maps, GSIZE_TO_POINTER(gpa), map);
    return true;
}

static void glue_unmap(void *opaque, uint64_t gpa, uint64_t size)
{
    SpaprHcallGlue *g = opaque;
    GlueMap *map = g_hash_table_lookup(g->maps, GSIZE_TO_POINTER(gpa));

    if (!map || map->size != size) {
        error_report("spapr-hcall: unmap of unknown range 0x%" PRIx64
                     " +0x%" PRIx64, gpa, size);
        return;
    }
    g_hash_table_remove(g->maps, GSIZE_TO_POINTER(gpa));
    if (g->exiting) {
        /* The process is going away: leave QEMU's memory map alone */
        return;
    }
    memory_region_del_subregion(get_system_memory(), &map->mr);
    object_unparent(OBJECT(&map->mr));
    /* RCU readers of the old flat view may still look at the region */
    g_free_rcu(map, rcu);
}

/*
 * Where the library may place an SCM binding: nothing of QEMU's (RAM,
 * DIMMs, MMIO windows, our own mappings) in the range, the same test
 * glue_map() makes.
 */
static bool glue_range_free(void *opaque, uint64_t gpa, uint64_t size)
{
    MemoryRegion *other;

    if (!size || gpa + size < gpa) {
        return false;
    }
    other = glue_region_at(gpa, size);
    if (other) {
        memory_region_unref(other);
        return false;
    }
    return true;
}

static int64_t glue_clock_ns(void *opaque)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
}

static void glue_log(void *opaque, SpaprLogLevel level, const char *msg)
{
    switch (level) {
    case SPAPR_LOG_TRACE:
        fprintf(stderr, "spapr-hcall: %s\n", msg);
        break;
    case SPAPR_LOG_GUEST_ERROR:
        qemu_log_mask(LOG_GUEST_ERROR, "spapr-hcall: %s\n", msg);
        break;
    case SPAPR_LOG_UNIMP:
        qemu_log_mask(LOG_UNIMP, "spapr-hcall: %s\n", msg);
        break;
    case SPAPR_LOG_WARNING:
        warn_report("spapr-hcall: %s", msg);
        break;
    default:
        error_report("spapr-hcall: %s", msg);
        break;
    }
}

/* Label stores: the library writes the backend directly, not the guest */
static void glue_mark_dirty(void *opaque, void *host, uint64_t len)
{
    ram_addr_t offset;
    MemoryRegion *mr = memory_region_from_host(host, &offset);

    if (mr) {
        memory_region_set_dirty(mr, offset, len);
    }
}

static const SpaprHostOps glue_ops = {
    .mem_read = glue_mem_read,
    .mem_write = glue_mem_write,
    .map = glue_map,
    .unmap = glue_unmap,
    .clock_ns = glue_clock_ns,
    .log = glue_log,
    .mark_dirty = glue_mark_dirty,
    .range_free = glue_range_free,
};

/* ---- Hcalls ---- */

/* The library's shadow of a vCPU: index = cpu_index, MSR copied */
static SpaprCpu *glue_cpu(SpaprHcallGlue *g, PowerPCCPU *cpu, bool gprs)
{
    CPUPPCState *env = &cpu->env;
    SpaprCpu *c = spapr_machine_cpu(g->m, CPU(cpu)->cpu_index);

    if (c) {
        c->msr = env->msr;
        c->pc = env->nip;
        if (gprs) {
            memcpy(c->gpr, env->gpr, sizeof(c->gpr));
        }
    }
    return c;
}

/* QEMU hcall table entry for every opcode of the library's sets */
static target_ulong glue_hcall(PowerPCCPU *cpu, SpaprMachineState *spapr,
                               target_ulong opcode, target_ulong *args)
{
    SpaprHcallGlue *g = spapr->hcall_glue;

    if (!g) {
        return H_FUNCTION;
    }
    return spapr_hcall(g->m, glue_cpu(g, cpu, false), opcode, args);
}

bool spapr_hcall_glue_dispatch(SpaprMachineState *spapr, PowerPCCPU *cpu,
                               target_ulong opcode, target_ulong *args,
                               target_ulong *ret)
{
    SpaprHcallGlue *g = spapr->hcall_glue;

    if (!g || !spapr_hcall_lookup(g->m, opcode)) {
        return false;
    }
    /* ePAPR calls read the caller's r3 from r12 and its MSR[SF] */
    *ret = spapr_hcall(g->m, glue_cpu(g, cpu, true), opcode, args);
    return true;
}

/*
 * QEMU's hcall table is global: the glue takes the slots of the library's
 * opcodes (QEMU's own SCM handlers among them, see
 * glue_compat_take_hcall()) once, when the machine is created.
 */
static void glue_register_set(const SpaprHcallInfo *set, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (set[i].opcode <= MAX_HCALL_OPCODE && !(set[i].opcode & 3)) {
            glue_compat_take_hcall(set[i].opcode, glue_hcall);
        }
        /* Others (0xF0E0) go through spapr_hcall_glue_dispatch() */
    }
}

/* ---- Migration and snapshots ---- */

/*
 * The library's state travels as one versioned byte stream (its format
 * and checks are the library's: include/spapr-hcall/vmstate.h) in a
 * subsection of the machine's "spapr" section, which every pseries
 * migration carries; spapr_post_load() then refuses a stream without it.
 * Loading runs with the vCPUs stopped and re-creates every binding at
 * its address before the guest runs again.
 */
static int glue_pre_save(void *opaque)
{
    SpaprHcallGlue *g = opaque;
    GByteArray *st = spapr_machine_save_state(g->m);

    g_free(g->state);
    g->state_len = st->len;
    g->state = g_byte_array_free(st, FALSE);
    return 0;
}

static int glue_post_save(void *opaque)
{
    SpaprHcallGlue *g = opaque;

    g_free(g->state);
    g->state = NULL;
    g->state_len = 0;
    return 0;
}

static int glue_post_load(void *opaque, int version_id)
{
    SpaprHcallGlue *g = opaque;
    g_autoptr(GError) err = NULL;
    bool ok;

    ok = spapr_machine_load_state(g->m, g->state, g->state_len, &err);
    glue_post_save(g);
    if (!ok) {
        error_report("spapr-hcall: cannot take over the source's state: %s",
                     err->message);
        return -EINVAL;
    }
    g->state_loaded = true;
    return 0;
}

static const VMStateDescription vmstate_glue_state = {
    .name = "spapr-hcall-state",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = glue_pre_save,
    .post_save = glue_post_save,
    .post_load = glue_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(state_len, SpaprHcallGlue),
        VMSTATE_VBUFFER_ALLOC_UINT32(state, SpaprHcallGlue, 0, NULL,
                                     state_len),
        VMSTATE_END_OF_LIST()
    },
};

static bool glue_state_needed(void *opaque)
{
    SpaprMachineState *spapr = opaque;

    return spapr->hcall_glue != NULL;
}

const VMStateDescription vmstate_spapr_hcall_glue = {
    .name = "spapr/hcall-glue",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = glue_state_needed,
    .fields = (VMStateField[]) {
        VMSTATE_STRUCT_POINTER(hcall_glue, SpaprMachineState,
                               vmstate_glue_state, SpaprHcallGlue),
        VMSTATE_END_OF_LIST()
    },
};

int spapr_hcall_glue_post_load(SpaprMachineState *spapr)
{
    SpaprHcallGlue *g = spapr->hcall_glue;
    bool loaded;

    if (!g) {
        return 0;
    }
    loaded = g->state_loaded;
    g->state_loaded = false;
    if (!loaded) {
        /* A stock QEMU, or a glue without migration support, sent it */
        error_report("spapr-hcall: the migration stream has no spapr-hcall "
                     "state (source without the spapr-hcall glue, or an "
                     "older one): refusing it rather than losing the "
                     "guest's NVDIMM bindings");
        return -EINVAL;
    }
    return 0;
}

/* ---- Statistics at exit ---- */

static void glue_dump_stats(SpaprHcallGlue *g)
{
    g_autoptr(GArray) rows = spapr_hcall_stats(g->m);
    g_autoptr(GString) out = g_string_new("# opcode name calls errors "
                                          "total_ns\n");
    g_autoptr(GError) err = NULL;
    guint i;

    for (i = 0; i < rows->len; i++) {
        SpaprHcallStats *s = &g_array_index(rows, SpaprHcallStats, i);

        g_string_append_printf(out, "0x%" PRIx64 " %s %" PRIu64 " %" PRIu64
                               " %" PRIu64 "\n", s->opcode,
                               s->name ? s->name : "(unregistered)",
                               s->calls, s->errors, s->total_ns);
    }
    if (!g_file_set_contents(g->stats_path, out->str, out->len, &err)) {
        error_report("spapr-hcall: %s", err->message);
    }
}

static void glue_exit(Notifier *n, void *data)
{
    SpaprHcallGlue *g = container_of(n, SpaprHcallGlue, exit_notifier);

    if (g->stats_path) {
        glue_dump_stats(g);
    }
    /* Drains flushes and syncs the backends; mappings die with QEMU */
    g->exiting = true;
    g->spapr->hcall_glue = NULL;
    spapr_machine_free(g->m);
    g_hash_table_destroy(g->maps);
    g_hash_table_destroy(g->nvdimms);
    g_hash_table_destroy(g->pending);
    g_free(g->stats_path);
    g_free(g);
}

/* ---- Fault injection: the library's knobs as QOM properties ---- */

static SpaprHcallGlue *glue_of_machine(void)
{
    Object *m = qdev_get_machine();
    SpaprMachineState *spapr;

    spapr = (SpaprMachineState *)object_dynamic_cast(m, TYPE_SPAPR_MACHINE);
    return spapr ? spapr->hcall_glue : NULL;
}

static bool glue_knob_is_bool(const char *name)
{
    return !strcmp(name, "next-start-dirty");
}

static bool glue_knob_is_str(const char *name)
{
    return !strcmp(name, "stats-fault") || g_str_has_prefix(name, "inject-");
}

static const char *glue_knob_type(const char *name)
{
    return glue_knob_is_bool(name) ? "bool" :
           glue_knob_is_str(name) ? "str" : "uint64";
}

static void glue_knob_get(Object *obj, Visitor *v, const char *name,
                          void *opaque, Error **errp)
{
    SpaprHcallGlue *g = glue_of_machine();
    SpaprNvdimm *nv = g ? g_hash_table_lookup(g->nvdimms, obj) : NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *text = NULL;
    uint64_t u;
    bool b;

    if (!nv) {
        error_setg(errp, "spapr-hcall: '%s' is known once the device is "
                   "plugged", name);
        return;
    }
    text = spapr_nvdimm_knob_get(nv, name, &err);
    if (!text) {
        error_setg(errp, "spapr-hcall: %s", err->message);
        return;
    }
    if (glue_knob_is_bool(name)) {
        b = !strcmp(text, "on");
        visit_type_bool(v, name, &b, errp);
    } else if (glue_knob_is_str(name)) {
        visit_type_str(v, name, &text, errp);
    } else if (qemu_strtou64(text, NULL, 0, &u) == 0) {
        visit_type_uint64(v, name, &u, errp);
    } else {
        error_setg(errp, "spapr-hcall: '%s' reads '%s'", name, text);
    }
}

static void glue_knob_set(Object *obj, Visitor *v, const char *name,
                          void *opaque, Error **errp)
{
    SpaprHcallGlue *g = glue_of_machine();
    SpaprNvdimm *nv;
    g_autoptr(GError) err = NULL;
    g_autofree char *text = NULL;
    GPtrArray *pend;
    uint64_t u;
    bool b;

    if (glue_knob_is_bool(name)) {
        if (!visit_type_bool(v, name, &b, errp)) {
            return;
        }
        text = g_strdup(b ? "on" : "off");
    } else if (glue_knob_is_str(name)) {
        if (!visit_type_str(v, name, &text, errp)) {
            return;
        }
    } else {
        if (!visit_type_uint64(v, name, &u, errp)) {
            return;
        }
        text = g_strdup_printf("%" PRIu64, u);
    }
    if (!g) {
        error_setg(errp, "spapr-hcall: not a pseries machine with the "
                   "library");
        return;
    }
    nv = g_hash_table_lookup(g->nvdimms, obj);
    if (nv) {
        if (!spapr_nvdimm_knob_set(nv, name, text, &err)) {
            error_setg(errp, "spapr-hcall: %s", err->message);
        }
        return;
    }
    /* -device ...,health=...: applied (and checked) at plug */
    pend = g_hash_table_lookup(g->pending, obj);
    if (!pend) {
        pend = g_ptr_array_new_with_free_func(g_free);
        g_hash_table_insert(g->pending, obj, pend);
    }
    g_ptr_array_add(pend, g_strdup(name));
    g_ptr_array_add(pend, g_steal_pointer(&text));
}

/* Once per process: the knobs become spapr-nvdimm class properties. */
static void glue_add_knob_properties(void)
{
    ObjectClass *oc = object_class_by_name(GLUE_TYPE_SPAPR_NVDIMM);
    const char *const *k;

    if (!oc) {
        return;
    }
    for (k = spapr_nvdimm_knob_names(); *k; k++) {
        if (object_class_property_find(oc, *k)) {
            continue;
        }
        object_class_property_add(oc, *k, glue_knob_type(*k),
                                  glue_knob_get, glue_knob_set, NULL, NULL);
    }
}

/* ---- Machine lifecycle ---- */

void spapr_hcall_glue_machine_init(SpaprMachineState *spapr)
{
    MachineState *ms = MACHINE(spapr);
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    SpaprHcallGlue *g = g_new0(SpaprHcallGlue, 1);
    SpaprMachineConfig cfg = { 0 };
    g_autoptr(GError) err = NULL;
    uint64_t top = ms->ram_size;
    const char *stats = g_getenv("SPAPR_HCALL_STATS");
    const char *record = g_getenv("SPAPR_HCALL_RECORD");

    if (ms->device_memory) {
        top = ms->device_memory->base +
              memory_region_size(&ms->device_memory->mr);
    }
    cfg.ops = &glue_ops;
    cfg.opaque = g;
    cfg.ram_size = QEMU_ALIGN_DOWN(ms->ram_size, SPAPR_MEMORY_BLOCK_SIZE);
    cfg.nr_cpus = ms->smp.max_cpus;
    /* SCM bindings go above everything QEMU places (RAM, DIMMs) */
    cfg.device_window_base = ROUND_UP(top, 1 * TiB);
    cfg.device_window_size = 64 * TiB;
    /* QEMU creates one PMEM DRC per memory slot; so does the library */
    cfg.pmem_slots = mc->nvdimm_supported ? ms->ram_slots : 0;

    g->spapr = spapr;
    g->maps = g_hash_table_new(g_direct_hash, g_direct_equal);
    g->nvdimms = g_hash_table_new(g_direct_hash, g_direct_equal);
    g->pending = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify)g_ptr_array_unref);
    g->m = spapr_machine_new(&cfg, &err);
    if (!g->m || !spapr_hcall_register_scm(g->m, &err) ||
        !spapr_hcall_register_epapr(g->m, &err)) {
        error_report("spapr-hcall: %s", err->message);
        exit(1);
    }
    if (stats && *stats) {
        g->stats_path = g_strdup(stats);
        spapr_hcall_stats_set_timing(g->m, true);
    }
    /* Closed when the machine is freed at exit */
    if (record && *record &&
        !spapr_machine_record_start(g->m, record, &err)) {
        error_report("spapr-hcall: %s", err->message);
        exit(1);
    }
    glue_register_set(spapr_hcall_set_scm, spapr_hcall_set_scm_len);
    glue_register_set(spapr_hcall_set_epapr, spapr_hcall_set_epapr_len);
    g->exit_notifier.notify = glue_exit;
    qemu_add_exit_notifier(&g->exit_notifier);
    spapr->hcall_glue = g;
    /* Before -device options are applied (qemu_create_cli_devices) */
    glue_add_knob_properties();
}

void spapr_hcall_glue_reset(SpaprMachineState *spapr)
{
    if (spapr->hcall_glue) {
        spapr_machine_reset(spapr->hcall_glue->m);
    }
}

/*
 * Deprecated, kept while other harnesses move to the health property:
 * SPAPR_HCALL_NVDIMM_HEALTH=[<id>=]<bits>[,...] sets those health bits
 * at plug (before the properties given with -device).
 */
static void glue_env_health(SpaprNvdimm *nv)
{
    const char *env = g_getenv("SPAPR_HCALL_NVDIMM_HEALTH");
    g_auto(GStrv) items = NULL;
    size_t i;

    if (!env || !*env) {
        return;
    }
    items = g_strsplit(env, ",", -1);
    for (i = 0; items[i]; i++) {
        char *eq = strchr(items[i], '=');
        const char *val = items[i];
        uint64_t bits;

        if (eq) {
            *eq = '\0';
            val = eq + 1;
            if (strcmp(items[i], spapr_nvdimm_id(nv)) != 0) {
                continue;
            }
        }
        if (qemu_strtou64(val, NULL, 0, &bits) < 0) {
            warn_report("spapr-hcall: bad SPAPR_HCALL_NVDIMM_HEALTH value "
                        "'%s'", val);
            continue;
        }
        spapr_nvdimm_set_health(nv, bits, bits);
    }
}

/* Values given before the plug, in the order given. */
static void glue_apply_pending(SpaprHcallGlue *g, DeviceState *dev,
                               SpaprNvdimm *nv)
{
    GPtrArray *pend = g_hash_table_lookup(g->pending, dev);
    guint i;

    for (i = 0; pend && i + 1 < pend->len; i += 2) {
        g_autoptr(GError) err = NULL;

        if (!spapr_nvdimm_knob_set(nv, g_ptr_array_index(pend, i),
                                   g_ptr_array_index(pend, i + 1), &err)) {
            error_report("spapr-hcall: nvdimm '%s': %s",
                         spapr_nvdimm_id(nv), err->message);
            if (!dev->hotplugged) {
                exit(1);
            }
        }
    }
    g_hash_table_remove(g->pending, dev);
}

void spapr_hcall_glue_plug_nvdimm(SpaprMachineState *spapr, DeviceState *dev,
                                  uint64_t slot)
{
    SpaprHcallGlue *g = spapr->hcall_glue;
    PCDIMMDevice *dimm = PC_DIMM(dev);
    MemoryRegion *bmr = host_memory_backend_get_memory(dimm->hostmem);
    SpaprNvdimmConfig cfg = { 0 };
    g_autoptr(GError) err = NULL;
    g_autofree char *uuid = NULL;
    g_autofree char *id = NULL;
    g_autofree char *mem_path = NULL;
    g_autofree char *state_path = NULL;
    SpaprNvdimm *nv;

    if (!g) {
        return;
    }
    uuid = object_property_get_str(OBJECT(dev), NVDIMM_UUID_PROP,
                                   &error_abort);
    id = dev->id ? g_strdup(dev->id) : g_strdup_printf("nvdimm%" PRIu64,
                                                       slot);
    cfg.id = id;
    cfg.size = memory_region_size(bmr);
    cfg.label_size = object_property_get_uint(OBJECT(dev),
                                              NVDIMM_LABEL_SIZE_PROP,
                                              &error_abort);
    cfg.uuid = uuid;
    cfg.unarmed = object_property_get_bool(OBJECT(dev), NVDIMM_UNARMED_PROP,
                                           NULL);
    /* QEMU's rule: no real pmem behind it, or pmem-override=on */
    cfg.hcall_flush =
        object_dynamic_cast(OBJECT(dev), GLUE_TYPE_SPAPR_NVDIMM) &&
        (!object_property_get_bool(OBJECT(dimm->hostmem), "pmem", NULL) ||
         object_property_get_bool(OBJECT(dev), "pmem-override", NULL));
    cfg.slot = slot;
    cfg.numa_node = object_property_get_uint(OBJECT(dev), PC_DIMM_NODE_PROP,
                                             NULL);
    /* The library works on the memory QEMU already mapped for the memdev */
    cfg.host = memory_region_get_ram_ptr(bmr);
    cfg.host_fd = memory_region_get_fd(bmr);
    /*
     * The persistence record next to a writable backend file, as the
     * library keeps for its own files: it survives QEMU being killed, so
     * the next start counts a dirty shutdown
     */
    if (object_dynamic_cast(OBJECT(dimm->hostmem),
                            TYPE_MEMORY_BACKEND_FILE) && cfg.host_fd >= 0 &&
        !object_property_get_bool(OBJECT(dimm->hostmem), "readonly", NULL)) {
        mem_path = object_property_get_str(OBJECT(dimm->hostmem),
                                           "mem-path", NULL);
        /* A directory (hugetlbfs) means an unnamed file: no record */
        if (mem_path && g_file_test(mem_path, G_FILE_TEST_IS_REGULAR)) {
            state_path = g_strdup_printf("%s.state", mem_path);
            cfg.state_path = state_path;
        }
    }

    nv = spapr_nvdimm_create(g->m, &cfg, &err);
    if (!nv && cfg.state_path &&
        g_error_matches(err, SPAPR_ERROR, SPAPR_ERROR_IO)) {
        /* An unwritable directory costs the record, not the device */
        warn_report("spapr-hcall: nvdimm '%s': %s; no persistence record",
                    id, err->message);
        g_clear_error(&err);
        cfg.state_path = NULL;
        nv = spapr_nvdimm_create(g->m, &cfg, &err);
    }
    if (!nv) {
        error_report("spapr-hcall: nvdimm '%s': %s", id, err->message);
        if (!dev->hotplugged) {
            exit(1);
        }
        return;
    }
    g_hash_table_insert(g->nvdimms, dev, nv);
    glue_env_health(nv);
    glue_apply_pending(g, dev, nv);
}

/* ---- Device tree ---- */

int spapr_hcall_glue_pmem_dt(SpaprMachineState *spapr, uint32_t drc_index,
                             void *fdt, Error **errp)
{
    SpaprHcallGlue *g = spapr->hcall_glue;
    g_autoptr(GError) err = NULL;
    int off;

    if (!g) {
        return -ENOENT;
    }
    off = spapr_fdt_add_pmem_node(g->m, drc_index, fdt, 0, &err);
    if (off < 0) {
        if (g_error_matches(err, SPAPR_ERROR, SPAPR_ERROR_NOT_FOUND)) {
            return -ENOENT;
        }
        error_setg(errp, "spapr-hcall: %s", err->message);
        return -1;
    }
    return off;
}

void spapr_hcall_glue_build_fdt(SpaprMachineState *spapr, void *fdt)
{
    SpaprHcallGlue *g = spapr->hcall_glue;
    g_autoptr(GError) err = NULL;
    size_t used, need;

    if (!g) {
        return;
    }
    used = fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt);
    need = spapr_fdt_add_nodes_size(g->m);
    if (used + need > fdt_totalsize(fdt)) {
        error_report("spapr-hcall: device tree buffer too small (%zu bytes "
                     "used, %zu more needed, %u total)", used, need,
                     fdt_totalsize(fdt));
        exit(1);
    }
    if (!spapr_fdt_add_nodes(g->m, fdt, &err)) {
        error_report("spapr-hcall: device tree: %s", err->message);
        exit(1);
    }
}
