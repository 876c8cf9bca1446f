/*
 * spapr-hcall: hcall registration, dispatch and statistics
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The table is per machine: an array of slots indexed by opcode gives the
 * row of the registered SpaprHcallInfo.  Dispatch is one range check, two
 * array loads and an indirect call; statistics go to per-vCPU counters so
 * vCPU threads never share a cache line on the fast path.
 */
#include <string.h>
#include "internal.h"
#include "trace-events.h"

bool spapr_hcall_opcode_valid(uint64_t opcode)
{
    return spapr_hcall_slot(opcode) >= 0;
}

SpaprCpuStats *spapr_cpu_stats_new_(void)
{
    return g_new0(SpaprCpuStats, 1);
}

static bool check_info(unsigned int abi, const SpaprHcallInfo *info,
                       GError **errp)
{
    if (!info || !info->fn || !info->name || !info->hcall_set) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "hcall 0x%" PRIx64 ": name, handler and hcall set "
                    "are required", info ? info->opcode : 0);
        return false;
    }
    if (spapr_row_slot(abi, info->opcode) < 0) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "hcall %s: opcode 0x%" PRIx64 " is outside the %s "
                    "number ranges or misaligned", info->name, info->opcode,
                    abi ? "convention's" : "PAPR, SVM and platform");
        return false;
    }
    if (info->nargs > SPAPR_HCALL_NR_ARGS ||
        info->nrets > SPAPR_HCALL_NR_ARGS) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "hcall %s: at most %d argument and output registers",
                    info->name, SPAPR_HCALL_NR_ARGS);
        return false;
    }
    return true;
}

/* Counters are uint64_t words: word @w of SpaprCpuStats, all vCPUs. */
#define STATS_WORDS     (sizeof(SpaprCpuStats) / sizeof(uint64_t))
#define WORD_OF(off)    ((off) / sizeof(uint64_t))
G_STATIC_ASSERT(sizeof(SpaprCpuStats) % sizeof(uint64_t) == 0);

static uint64_t sum_word(SpaprMachine *m, size_t w)
{
    uint64_t n = 0;
    unsigned int i;

    for (i = 0; i <= m->nr_cpus; i++) {
        SpaprCpuStats *st = i < m->nr_cpus ? m->cpus[i]->stats
                                           : m->nocpu_stats;

        n += __atomic_load_n((uint64_t *)st + w, __ATOMIC_RELAXED);
    }
    return n;
}

/*
 * Lock held.  From now on, the @n counter words from word @w read as
 * @want (NULL: zero) plus what is counted later.  The vCPUs' counters are
 * not written: a count racing this is either in the new base or after it.
 */
static void rebase(SpaprMachine *m, size_t w, size_t n, const uint64_t *want)
{
    uint64_t *base = (uint64_t *)&m->stats_base;
    size_t i;

    for (i = 0; i < n; i++) {
        base[w + i] = sum_word(m, w + i) - (want ? want[i] : 0);
    }
}

/* Byte offsets of one counter inside every SpaprCpuStats */
#define ROW_COUNTER(r) \
    (offsetof(SpaprCpuStats, row) + (r) * sizeof(SpaprHcallCounter))
#define REFUSED_COUNTER(abi) \
    (offsetof(SpaprCpuStats, abi_refused) + (abi) * sizeof(SpaprHcallCounter))
#define COUNTER_WORDS   (sizeof(SpaprHcallCounter) / sizeof(uint64_t))
G_STATIC_ASSERT(offsetof(SpaprHcallCounter, calls) == 0);

/* Lock held.  Returns the row used, or -1 with @errp set. */
static int register_locked(SpaprMachine *m, unsigned int abi,
                           const SpaprHcallInfo *info, GError **errp)
{
    int slot, row;

    if (!check_info(abi, info, errp)) {
        return -1;
    }
    slot = spapr_row_slot(abi, info->opcode);
    if (m->slot_row[slot]) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_EXISTS,
                    "hcall %s: opcode 0x%" PRIx64 " is already registered "
                    "as %s", info->name, info->opcode,
                    m->rows[m->slot_row[slot] - 1].name);
        return -1;
    }
    for (row = 0; row < SPAPR_HCALL_MAX_REGISTERED; row++) {
        if (!m->row_used[row]) {
            break;
        }
    }
    if (row == SPAPR_HCALL_MAX_REGISTERED) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_FULL,
                    "hcall %s: the table is full (%d hcalls)", info->name,
                    SPAPR_HCALL_MAX_REGISTERED);
        return -1;
    }
    m->rows[row] = *info;
    m->row_used[row] = true;
    m->row_abi[row] = abi;
    rebase(m, WORD_OF(ROW_COUNTER(row)), COUNTER_WORDS, NULL);
    /* Publish: a vCPU that sees the slot sees the row (spapr_slot_row) */
    __atomic_store_n(&m->slot_row[slot], row + 1, __ATOMIC_RELEASE);
    trace_spapr_hcall_register(m, info->opcode, info->name, info->hcall_set);
    return row;
}

static void unregister_locked(SpaprMachine *m, unsigned int abi,
                              uint64_t opcode)
{
    int slot = spapr_row_slot(abi, opcode);
    unsigned int row;

    if (slot < 0 || !m->slot_row[slot]) {
        return;
    }
    row = m->slot_row[slot] - 1;
    __atomic_store_n(&m->slot_row[slot], 0, __ATOMIC_RELAXED);
    m->row_used[row] = false;
}

bool spapr_hcall_register(SpaprMachine *m, const SpaprHcallInfo *info,
                          GError **errp)
{
    int row;

    g_mutex_lock(&m->lock);
    row = register_locked(m, SPAPR_ABI_PAPR, info, errp);
    g_mutex_unlock(&m->lock);
    return row >= 0;
}

bool spapr_hcall_register_table(SpaprMachine *m, const SpaprHcallInfo *table,
                                size_t n, GError **errp)
{
    return spapr_abi_register_table(m, SPAPR_ABI_PAPR, table, n, errp);
}

bool spapr_abi_register_table(SpaprMachine *m, SpaprAbiId abi,
                              const SpaprHcallInfo *table, size_t n,
                              GError **errp)
{
    size_t i;

    g_mutex_lock(&m->lock);
    for (i = 0; i < n; i++) {
        if (register_locked(m, abi, &table[i], errp) < 0) {
            while (i--) {
                unregister_locked(m, abi, table[i].opcode);
            }
            g_mutex_unlock(&m->lock);
            return false;
        }
    }
    g_mutex_unlock(&m->lock);
    return true;
}

bool spapr_hcall_unregister(SpaprMachine *m, uint64_t opcode)
{
    return spapr_abi_unregister(m, SPAPR_ABI_PAPR, opcode);
}

bool spapr_abi_unregister(SpaprMachine *m, SpaprAbiId abi, uint64_t nr)
{
    bool found;
    int slot = spapr_row_slot(abi, nr);

    g_mutex_lock(&m->lock);
    found = slot >= 0 && m->slot_row[slot];
    unregister_locked(m, abi, nr);
    g_mutex_unlock(&m->lock);
    return found;
}

const SpaprHcallInfo *spapr_hcall_lookup(SpaprMachine *m, uint64_t opcode)
{
    int slot = spapr_hcall_slot(opcode);
    unsigned int row = slot >= 0 ? spapr_slot_row(m, slot) : 0;

    return row ? &m->rows[row - 1] : NULL;
}

static int cmp_info_opcode(gconstpointer a, gconstpointer b, gpointer opaque)
{
    SpaprMachine *m = opaque;
    const SpaprHcallInfo *x = *(const SpaprHcallInfo *const *)a;
    const SpaprHcallInfo *y = *(const SpaprHcallInfo *const *)b;
    unsigned int xa = m->row_abi[x - m->rows], ya = m->row_abi[y - m->rows];

    if (xa != ya) {
        return xa < ya ? -1 : 1;
    }
    return x->opcode < y->opcode ? -1 : x->opcode > y->opcode;
}

/* Registered rows sorted by convention, then opcode.  Lock held. */
static GPtrArray *sorted_rows(SpaprMachine *m, bool papr_only)
{
    GPtrArray *a = g_ptr_array_new();
    unsigned int row;

    for (row = 0; row < SPAPR_HCALL_MAX_REGISTERED; row++) {
        if (m->row_used[row] && (!papr_only || !m->row_abi[row])) {
            g_ptr_array_add(a, &m->rows[row]);
        }
    }
    g_ptr_array_sort_with_data(a, cmp_info_opcode, m);
    return a;
}

void spapr_hcall_foreach(SpaprMachine *m, SpaprHcallInfoFunc fn,
                         void *opaque)
{
    g_autoptr(GPtrArray) rows = NULL;
    guint i;

    g_mutex_lock(&m->lock);
    rows = sorted_rows(m, true);
    g_mutex_unlock(&m->lock);
    for (i = 0; i < rows->len; i++) {
        fn(g_ptr_array_index(rows, i), opaque);
    }
}

char **spapr_hcall_sets(SpaprMachine *m)
{
    g_autoptr(GPtrArray) rows = NULL;
    GPtrArray *sets = g_ptr_array_new();
    guint i, j;

    g_mutex_lock(&m->lock);
    rows = sorted_rows(m, true);
    for (i = 0; i < rows->len; i++) {
        const SpaprHcallInfo *info = g_ptr_array_index(rows, i);

        for (j = 0; j < sets->len; j++) {
            if (!strcmp(g_ptr_array_index(sets, j), info->hcall_set)) {
                break;
            }
        }
        if (j == sets->len) {
            g_ptr_array_add(sets, g_strdup(info->hcall_set));
        }
    }
    g_mutex_unlock(&m->lock);
    g_ptr_array_add(sets, NULL);
    return (char **)g_ptr_array_free(sets, FALSE);
}

/* ---- Dispatch ---- */

/* Single-writer counters: relaxed stores are enough and stay tear-free. */
static inline void counter_add(uint64_t *c, uint64_t n, bool shared)
{
    if (shared) {
        __atomic_fetch_add(c, n, __ATOMIC_RELAXED);
    } else {
        __atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
    }
}

static inline __attribute__((always_inline))
void count(SpaprMachine *m, SpaprCpu *cpu, SpaprHcallCounter *ctr,
           int64_t ret, uint64_t ns)
{
    bool shared = !cpu;

    counter_add(&ctr->calls, 1, shared);
    if (ret < 0) {
        counter_add(&ctr->errors, 1, shared);
    }
    if (ns) {
        counter_add(&ctr->total_ns, ns, shared);
    }
}

static SpaprCpuStats *stats_of(SpaprMachine *m, SpaprCpu *cpu)
{
    return cpu ? cpu->stats : m->nocpu_stats;
}

/* Run @info's handler and count it, timed when timing is on. */
static int64_t run_counted(SpaprMachine *m, SpaprCpu *cpu,
                           const SpaprHcallInfo *info, SpaprHcallCounter *ctr,
                           uint64_t opcode, uint64_t *args)
{
    bool timing = __atomic_load_n(&m->stats_timing, __ATOMIC_RELAXED);
    int64_t t0 = 0, ret;
    uint64_t ns = 0;

    if (timing) {
        t0 = spapr_machine_clock_ns(m);
    }
    ret = info->fn(m, cpu, opcode, args);
    if (timing) {
        int64_t dt = spapr_machine_clock_ns(m) - t0;

        /* Count at least 1 ns so a timed call is never "untimed" */
        ns = dt > 0 ? (uint64_t)dt : 1;
    }
    count(m, cpu, ctr, ret, ns);
    return ret;
}

static int64_t run_traced(SpaprMachine *m, SpaprCpu *cpu,
                          const SpaprHcallInfo *info, uint64_t opcode,
                          uint64_t *args, void *ctr)
{
    bool tracing = spapr_trace_on(m, TRACE_SPAPR_HCALL);
    /* register names as the convention's table has them: r4.. */
    const SpaprAbi *papr = spapr_abi_get(SPAPR_ABI_PAPR);
    g_autofree char *in = NULL;
    int64_t ret;

    if (tracing) {
        in = spapr_abi_format_regs_(papr, &papr->args[1], info->nargs, args);
    }
    ret = run_counted(m, cpu, info, ctr, opcode, args);
    if (tracing) {
        g_autofree char *out = spapr_abi_format_regs_(papr, &papr->outs,
                                                     info->nrets, args);
        const char *sname = spapr_hcall_status_name(ret);

        trace_spapr_hcall(m, cpu ? cpu->index : UINT32_MAX, info->name,
                          opcode, in, sname ? sname : "?", ret, out);
    }
    return ret;
}

/* Slow path: tracing, timing or recording enabled. */
static G_GNUC_NO_INLINE int64_t dispatch_observed(SpaprMachine *m,
                                                  SpaprCpu *cpu,
                                                  const SpaprHcallInfo *info,
                                                  SpaprHcallCounter *ctr,
                                                  uint64_t opcode,
                                                  uint64_t *args)
{
    if (spapr_machine_recording(m)) {
        return spapr_record_hcall_(m, cpu, info, opcode, args, run_traced,
                                  ctr);
    }
    return run_traced(m, cpu, info, opcode, args, ctr);
}

static G_GNUC_NO_INLINE int64_t refuse_privileged(SpaprMachine *m,
                                                  SpaprCpu *cpu,
                                                  uint64_t opcode)
{
    count(m, cpu, &cpu->stats->unhandled, PAPR_H_PRIVILEGE, 0);
    trace_spapr_hcall_privileged(m, cpu->index, opcode, cpu->msr);
    return PAPR_H_PRIVILEGE;
}

static G_GNUC_NO_INLINE int64_t refuse_unimplemented(SpaprMachine *m,
                                                     SpaprCpu *cpu,
                                                     uint64_t opcode)
{
    const char *name = spapr_hcall_opcode_name(opcode);

    count(m, cpu, &stats_of(m, cpu)->unhandled, PAPR_H_FUNCTION, 0);
    trace_spapr_hcall_unimplemented(m, cpu ? cpu->index : UINT32_MAX,
                                    opcode, name ? name : "unknown");
    return PAPR_H_FUNCTION;
}

/*
 * The fast path: no tracing, no timing.  Everything rare lives in the
 * out-of-line functions above so this stays a leaf-like function.
 */
int64_t spapr_hcall(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                    uint64_t *args)
{
    SpaprHcallCounter *ctr;
    int slot;
    unsigned int row;
    int64_t ret;

    if (G_UNLIKELY(cpu && (cpu->msr & SPAPR_MSR_PR))) {
        return refuse_privileged(m, cpu, opcode);
    }
    slot = spapr_hcall_slot(opcode);
    row = G_LIKELY(slot >= 0) ? spapr_slot_row(m, slot) : 0;
    if (G_UNLIKELY(!row)) {
        return refuse_unimplemented(m, cpu, opcode);
    }
    ctr = &stats_of(m, cpu)->row[row - 1];
    if (G_UNLIKELY(__atomic_load_n(&m->observe, __ATOMIC_RELAXED))) {
        return dispatch_observed(m, cpu, &m->rows[row - 1], ctr, opcode,
                                 args);
    }
    ret = m->rows[row - 1].fn(m, cpu, opcode, args);
    count(m, cpu, ctr, ret, 0);
    return ret;
}

int64_t spapr_hcall_run_row_(SpaprMachine *m, SpaprCpu *cpu,
                            unsigned int row, uint64_t nr, uint64_t *args)
{
    return run_counted(m, cpu, &m->rows[row], &stats_of(m, cpu)->row[row],
                       nr, args);
}

void spapr_hcall_count_refused_(SpaprMachine *m, SpaprCpu *cpu,
                               SpaprAbiId abi, bool error)
{
    SpaprCpuStats *st = stats_of(m, cpu);

    count(m, cpu, abi == SPAPR_ABI_PAPR ? &st->unhandled
                                        : &st->abi_refused[abi],
          error ? -1 : 0, 0);
}

int64_t spapr_cpu_hcall(SpaprCpu *cpu)
{
    int64_t ret = spapr_hcall(cpu->machine, cpu, cpu->gpr[3], &cpu->gpr[4]);

    cpu->gpr[3] = (uint64_t)ret;
    return ret;
}

/* ---- Statistics ---- */

void spapr_hcall_stats_set_timing(SpaprMachine *m, bool on)
{
    __atomic_store_n(&m->stats_timing, on, __ATOMIC_RELAXED);
    spapr_machine_update_observe_(m);
}

/* Lock held.  The counter at byte offset @off since the last reset. */
static void sum_counter(SpaprMachine *m, size_t off, SpaprHcallStats *out)
{
    const uint64_t *base = (const uint64_t *)&m->stats_base;
    size_t w = WORD_OF(off);
    size_t e = w + WORD_OF(offsetof(SpaprHcallCounter, errors));
    size_t t = w + WORD_OF(offsetof(SpaprHcallCounter, total_ns));

    out->calls = sum_word(m, w) - base[w];
    out->errors = sum_word(m, e) - base[e];
    out->total_ns = sum_word(m, t) - base[t];
}

GArray *spapr_hcall_stats(SpaprMachine *m)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(SpaprHcallStats));
    g_autoptr(GPtrArray) rows = NULL;
    SpaprHcallStats s;
    guint i;

    g_mutex_lock(&m->lock);
    rows = sorted_rows(m, false);
    for (i = 0; i < rows->len; i++) {
        const SpaprHcallInfo *info = g_ptr_array_index(rows, i);

        sum_counter(m, ROW_COUNTER(info - m->rows), &s);
        s.opcode = info->opcode;
        s.name = info->name;
        s.abi = spapr_abi_get(m->row_abi[info - m->rows])->name;
        g_array_append_val(a, s);
    }
    sum_counter(m, offsetof(SpaprCpuStats, unhandled), &s);
    s.opcode = 0;
    s.name = NULL;
    s.abi = spapr_abi_get(SPAPR_ABI_PAPR)->name;
    g_array_append_val(a, s);
    g_mutex_unlock(&m->lock);
    return a;
}

bool spapr_hcall_stats_get(SpaprMachine *m, uint64_t opcode,
                           SpaprHcallStats *out)
{
    int slot = spapr_hcall_slot(opcode);
    bool found = false;

    g_mutex_lock(&m->lock);
    if (slot >= 0 && m->slot_row[slot]) {
        unsigned int row = m->slot_row[slot] - 1;

        sum_counter(m, ROW_COUNTER(row), out);
        out->opcode = opcode;
        out->name = m->rows[row].name;
        out->abi = spapr_abi_get(SPAPR_ABI_PAPR)->name;
        found = true;
    }
    g_mutex_unlock(&m->lock);
    return found;
}

void spapr_abi_stats_refused(SpaprMachine *m, SpaprAbiId abi,
                             SpaprHcallStats *out)
{
    g_mutex_lock(&m->lock);
    sum_counter(m, abi == SPAPR_ABI_PAPR ? offsetof(SpaprCpuStats, unhandled)
                                         : REFUSED_COUNTER(abi), out);
    g_mutex_unlock(&m->lock);
    out->opcode = 0;
    out->name = NULL;
    out->abi = spapr_abi_get(abi)->name;
}

void spapr_hcall_stats_reset(SpaprMachine *m)
{
    g_mutex_lock(&m->lock);
    rebase(m, 0, STATS_WORDS, NULL);
    g_mutex_unlock(&m->lock);
}

/* ---- Statistics in the machine state (vmstate.c) ---- */

static void put_counter(GByteArray *w, const SpaprHcallStats *s)
{
    spapr_state_put_u64(w, s->calls);
    spapr_state_put_u64(w, s->errors);
    spapr_state_put_u64(w, s->total_ns);
}

void spapr_hcall_state_save_(SpaprMachine *m, GByteArray *w)
{
    g_autoptr(GArray) rows = spapr_hcall_stats(m);
    guint i, n = 0;

    /*
     * Registered PAPR rows, then the unregistered bucket (the last row).
     * The rows of other conventions (abi.h) are not saved.
     */
    for (i = 0; i < rows->len; i++) {
        n += !strcmp(g_array_index(rows, SpaprHcallStats, i).abi, "papr");
    }
    spapr_state_put_u32(w, n - 1);
    for (i = 0; i < rows->len; i++) {
        const SpaprHcallStats *s = &g_array_index(rows, SpaprHcallStats, i);

        if (strcmp(s->abi, "papr")) {
            continue;
        }
        if (s->name) {
            spapr_state_put_u64(w, s->opcode);
        }
        put_counter(w, s);
    }
}

static void get_counter(SpaprStateReader *r, SpaprHcallCounter *c)
{
    c->calls = spapr_state_get_u64(r);
    c->errors = spapr_state_get_u64(r);
    c->total_ns = spapr_state_get_u64(r);
}

/* Make counter @off read as @c (loaded from the source). */
static void load_counter(SpaprMachine *m, size_t off,
                         const SpaprHcallCounter *c)
{
    uint64_t want[COUNTER_WORDS] = { c->calls, c->errors, c->total_ns };

    G_STATIC_ASSERT(offsetof(SpaprHcallCounter, errors) == 8 &&
                    offsetof(SpaprHcallCounter, total_ns) == 16);
    g_mutex_lock(&m->lock);
    rebase(m, WORD_OF(off), COUNTER_WORDS, want);
    g_mutex_unlock(&m->lock);
}

bool spapr_hcall_state_load_(SpaprMachine *m, SpaprStateReader *r,
                            bool apply, GError **errp)
{
    uint32_t n = spapr_state_get_u32(r), i;
    SpaprHcallCounter c;

    if (apply) {
        spapr_hcall_stats_reset(m);
    }
    for (i = 0; i < n && !r->bad; i++) {
        uint64_t opcode = spapr_state_get_u64(r);
        int slot = spapr_hcall_slot(opcode);
        unsigned int row = slot >= 0 ? spapr_slot_row(m, slot) : 0;

        get_counter(r, &c);
        if (r->bad) {
            break;
        }
        /* The guest may call whatever the source served: so must we */
        if (!row) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "the source serves hcall 0x%" PRIx64 " (%s), this "
                        "machine does not", opcode,
                        spapr_hcall_opcode_name(opcode) ?: "unknown");
            return false;
        }
        if (apply) {
            load_counter(m, ROW_COUNTER(row - 1), &c);
        }
    }
    get_counter(r, &c);
    if (r->bad) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "truncated hcall statistics");
        return false;
    }
    if (apply) {
        load_counter(m, offsetof(SpaprCpuStats, unhandled), &c);
    }
    return true;
}
