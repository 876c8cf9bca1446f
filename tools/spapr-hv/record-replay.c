/*
 * spapr-hv: replay a recording of hcalls against a fresh machine
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Before each call the guest memory it read is put back; after it, the
 * status, r4..r12 and the guest memory it wrote must be what the
 * recorded host answered.  Two things depend on time, not on the guest,
 * and are compared by meaning instead (docs/record-replay.md):
 *   - H_SCM_FLUSH: busy answers and tokens depend on how long the
 *     fdatasync took.  Recorded tokens are mapped to ours; a busy
 *     answer matches a busy one; a flush that ended earlier here makes
 *     the recorded polls of that token match; one that ends later is
 *     polled until its final status, which must be the recorded one.
 *   - H_SCM_PERFORMANCE_STATS: the values of PonSecs, CtlResTm, MedRDur
 *     and MedWDur (times) are not compared.
 */
#include <errno.h>
#include <string.h>
#include "record-replay.h"
#include "spapr-hcall/nvdimm.h"
#include "spapr-hcall/record.h"

#define FLUSH_DONE      UINT64_MAX

typedef struct MemBlock {
    uint64_t gpa;
    GByteArray *data;
} MemBlock;

typedef struct Replay {
    HvMachine *hv;
    FILE *out;
    unsigned long line;
    /* the call being read */
    bool in_call;
    uint64_t seq;
    int cpu;                    /* -1: none */
    uint64_t opcode;
    char name[64];
    uint64_t in[SPAPR_HCALL_NR_ARGS];
    GArray *writes;             /* MemBlock */
    /* H_SCM_FLUSH: recorded token -> ours, or FLUSH_DONE */
    GHashTable *tokens;
    GHashTable *done_status;    /* recorded token -> final status */
    uint64_t calls, resets, knobs, flush_equiv;
} Replay;

static void free_block(gpointer p)
{
    g_byte_array_unref(((MemBlock *)p)->data);
}

static bool parse_hex(const char *s, uint64_t *v)
{
    char *end;

    if (!s || !g_ascii_isxdigit(*s)) {
        return false;
    }
    errno = 0;
    *v = g_ascii_strtoull(s, &end, 16);
    return !errno && !*end;
}

static GByteArray *parse_bytes(const char *s)
{
    size_t n = strlen(s), i;
    GByteArray *a;

    if (n % 2) {
        return NULL;
    }
    a = g_byte_array_sized_new(n / 2);
    for (i = 0; i < n; i += 2) {
        int hi = g_ascii_xdigit_value(s[i]);
        int lo = g_ascii_xdigit_value(s[i + 1]);
        uint8_t b;

        if (hi < 0 || lo < 0) {
            g_byte_array_unref(a);
            return NULL;
        }
        b = hi << 4 | lo;
        g_byte_array_append(a, &b, 1);
    }
    return a;
}

static bool parse_regs(char **w, uint64_t *regs)
{
    unsigned int i;

    for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
        if (!parse_hex(w[i], &regs[i])) {
            return false;
        }
    }
    return !w[i];
}

static bool is_busy(int64_t st)
{
    return st == PAPR_H_BUSY || PAPR_H_IS_LONG_BUSY(st);
}

static bool diverge(Replay *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool diverge(Replay *r, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(r->out, "replay: first divergence at hcall #%" PRIu64
            " (line %lu) %s: %s\n", r->seq, r->line, r->name, msg);
    return false;
}

static const char *st_name(int64_t st)
{
    const char *n = spapr_hcall_status_name(st);

    return n ? n : "?";
}

/* Timing values in a stats buffer are not compared. */
static bool stats_time_value(const GByteArray *want, size_t off)
{
    static const char *const ids[] = { "PonSecs ", "CtlResTm", "MedRDur ",
                                       "MedWDur " };
    size_t e, i;

    if (want->len < 16 || memcmp(want->data, "SCMSTATS", 8) || off < 16) {
        return false;
    }
    e = 16 + (off - 16) / 16 * 16;
    if (off - e < 8 || e + 16 > want->len) {
        return false;
    }
    for (i = 0; i < G_N_ELEMENTS(ids); i++) {
        if (!memcmp(want->data + e, ids[i], 8)) {
            return true;
        }
    }
    return false;
}

static bool check_writes(Replay *r)
{
    guint i;

    for (i = 0; i < r->writes->len; i++) {
        MemBlock *b = &g_array_index(r->writes, MemBlock, i);
        g_autofree uint8_t *got = g_malloc(b->data->len);
        size_t k;

        if (!spapr_guest_read(r->hv->m, b->gpa, got, b->data->len)) {
            return diverge(r, "wrote guest memory at 0x%" PRIx64
                           " that is not guest memory here", b->gpa);
        }
        for (k = 0; k < b->data->len; k++) {
            if (got[k] != b->data->data[k] &&
                !(r->opcode == PAPR_H_SCM_PERFORMANCE_STATS &&
                  stats_time_value(b->data, k))) {
                return diverge(r, "guest memory at 0x%" PRIx64 " is 0x%02x,"
                               " recorded 0x%02x", b->gpa + k, got[k],
                               b->data->data[k]);
            }
        }
    }
    return true;
}

static SpaprCpu *replay_cpu(Replay *r)
{
    return r->cpu >= 0 ? spapr_machine_cpu(r->hv->m, r->cpu) : NULL;
}

static bool run_flush(Replay *r, int64_t want, const uint64_t *want_out)
{
    uint64_t args[SPAPR_HCALL_NR_ARGS], rec_tok = r->in[1], mapped;
    gpointer v;
    int64_t ret;
    int polls = 0;

    memcpy(args, r->in, sizeof(args));
    if (rec_tok && g_hash_table_lookup_extended(r->tokens, &rec_tok, NULL,
                                                &v)) {
        mapped = *(uint64_t *)v;
        if (mapped == FLUSH_DONE) {
            /* Finished here already: the recorded poll matches */
            int64_t st = *(int64_t *)g_hash_table_lookup(r->done_status,
                                                         &rec_tok);

            r->flush_equiv++;
            if (is_busy(want)) {
                return true;
            }
            g_hash_table_remove(r->tokens, &rec_tok);
            if (st != want) {
                return diverge(r, "flush ended %s here, recorded %s",
                               st_name(st), st_name(want));
            }
            return true;
        }
        args[1] = mapped;
    }
    ret = spapr_hcall(r->hv->m, replay_cpu(r), PAPR_H_SCM_FLUSH, args);
    if (is_busy(want)) {
        uint64_t *key = g_new(uint64_t, 1), *val = g_new(uint64_t, 1);

        *key = want_out[0];
        if (is_busy(ret)) {
            *val = args[0];
        } else {
            int64_t *st = g_new(int64_t, 1);
            uint64_t *k2 = g_new(uint64_t, 1);

            *val = FLUSH_DONE;
            *st = ret;
            *k2 = want_out[0];
            g_hash_table_replace(r->done_status, k2, st);
            r->flush_equiv++;
        }
        g_hash_table_replace(r->tokens, key, val);
        return true;
    }
    /* Recorded final: poll ours to its end */
    while (is_busy(ret) && polls++ < 100000) {
        uint64_t tok = args[0];

        if (polls > 1) {
            r->flush_equiv += polls == 2;
        }
        g_usleep(100);
        memcpy(args, r->in, sizeof(args));
        args[1] = tok;
        ret = spapr_hcall(r->hv->m, replay_cpu(r), PAPR_H_SCM_FLUSH, args);
    }
    if (rec_tok) {
        g_hash_table_remove(r->tokens, &rec_tok);
    }
    if (ret != want) {
        return diverge(r, "status %s (%" PRId64 "), recorded %s (%" PRId64
                       ")", st_name(ret), ret, st_name(want), want);
    }
    return true;
}

static bool run_call(Replay *r, int64_t want, const uint64_t *want_out)
{
    uint64_t args[SPAPR_HCALL_NR_ARGS];
    int64_t ret;
    unsigned int i;

    r->calls++;
    if (r->opcode == PAPR_H_SCM_FLUSH) {
        /* r4 (token) and r5 (the token passed) are compared by meaning */
        if (!run_flush(r, want, want_out)) {
            return false;
        }
        memcpy(args, r->in, sizeof(args));
        for (i = 2; i < SPAPR_HCALL_NR_ARGS; i++) {
            if (args[i] != want_out[i]) {
                return diverge(r, "r%u = 0x%" PRIx64 ", recorded 0x%"
                               PRIx64, i + 4, args[i], want_out[i]);
            }
        }
        return check_writes(r);
    }
    memcpy(args, r->in, sizeof(args));
    ret = spapr_hcall(r->hv->m, replay_cpu(r), r->opcode, args);
    if (ret != want) {
        return diverge(r, "status %s (%" PRId64 "), recorded %s (%" PRId64
                       ")", st_name(ret), ret, st_name(want), want);
    }
    for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
        if (args[i] != want_out[i]) {
            return diverge(r, "r%u = 0x%" PRIx64 ", recorded 0x%" PRIx64,
                           i + 4, args[i], want_out[i]);
        }
    }
    return check_writes(r);
}

typedef struct DrcFind {
    uint32_t drc;
    SpaprNvdimm *nv;
} DrcFind;

static void find_drc(SpaprDevice *dev, void *opaque)
{
    DrcFind *f = opaque;
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);

    if (nv && spapr_nvdimm_drc_index(nv) == f->drc) {
        f->nv = nv;
    }
}

static bool replay_line(Replay *r, char *line)
{
    g_auto(GStrv) w = g_strsplit(line, " ", -1);
    guint n = g_strv_length(w);
    uint64_t a, out[SPAPR_HCALL_NR_ARGS];

    if (!n || !*w[0] || w[0][0] == '#') {
        return true;
    }
    if (!strcmp(w[0], "Z") && n == 1 && !r->in_call) {
        spapr_machine_reset(r->hv->m);
        g_hash_table_remove_all(r->tokens);
        r->resets++;
        return true;
    }
    if (!strcmp(w[0], "K") && n == 4 && !r->in_call) {
        DrcFind f = { 0 };
        g_autoptr(GError) err = NULL;

        if (!parse_hex(w[1], &a)) {
            goto bad;
        }
        f.drc = a;
        spapr_machine_foreach_device(r->hv->m, find_drc, &f);
        if (!f.nv || !spapr_nvdimm_knob_set(f.nv, w[2], w[3], &err)) {
            fprintf(r->out, "replay: line %lu: cannot set %s on drc 0x%x: "
                    "%s\n", r->line, w[2], f.drc,
                    err ? err->message : "no such nvdimm");
            return false;
        }
        r->knobs++;
        return true;
    }
    if (!strcmp(w[0], "C") && n == 5 + SPAPR_HCALL_NR_ARGS && !r->in_call) {
        if (!parse_hex(w[1], &r->seq) || !parse_hex(w[3], &r->opcode) ||
            !parse_regs(w + 5, r->in)) {
            goto bad;
        }
        if (!strcmp(w[2], "-")) {
            r->cpu = -1;
        } else if (parse_hex(w[2], &a) && a < 0x10000) {
            r->cpu = a;
        } else {
            goto bad;
        }
        g_strlcpy(r->name, w[4], sizeof(r->name));
        g_array_set_size(r->writes, 0);
        r->in_call = true;
        return true;
    }
    if ((!strcmp(w[0], "R") || !strcmp(w[0], "W")) && n == 3 && r->in_call) {
        GByteArray *data = parse_bytes(w[2]);
        MemBlock b;

        if (!data || !parse_hex(w[1], &a)) {
            if (data) {
                g_byte_array_unref(data);
            }
            goto bad;
        }
        if (w[0][0] == 'R') {
            /* What the guest had there when it made the call */
            bool ok = spapr_guest_write(r->hv->m, a, data->data, data->len);

            g_byte_array_unref(data);
            if (!ok) {
                return diverge(r, "read guest memory at 0x%" PRIx64
                               " that is not guest memory here", a);
            }
            return true;
        }
        b.gpa = a;
        b.data = data;
        g_array_append_val(r->writes, b);
        return true;
    }
    if (!strcmp(w[0], "S") && n == 2 + SPAPR_HCALL_NR_ARGS && r->in_call) {
        char *end;
        int64_t st;

        errno = 0;
        st = g_ascii_strtoll(w[1], &end, 10);
        if (errno || *end || !parse_regs(w + 2, out)) {
            goto bad;
        }
        r->in_call = false;
        return run_call(r, st, out);
    }
bad:
    fprintf(r->out, "replay: line %lu: malformed recording\n", r->line);
    return false;
}

bool hv_replay_recording(HvMachine *hv, const char *path, FILE *out)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    Replay r = { .hv = hv, .out = out };
    bool ok = true;
    size_t i;

    if (!g_file_get_contents(path, &text, NULL, &err)) {
        fprintf(out, "replay: %s\n", err->message);
        return false;
    }
    if (!g_str_has_prefix(text, SPAPR_RECORD_MAGIC "\n")) {
        fprintf(out, "replay: '%s' is not an spapr-hcall recording\n", path);
        return false;
    }
    r.writes = g_array_new(FALSE, FALSE, sizeof(MemBlock));
    g_array_set_clear_func(r.writes, free_block);
    r.tokens = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                                     g_free);
    r.done_status = g_hash_table_new_full(g_int64_hash, g_int64_equal,
                                          g_free, g_free);
    hv->quiet_guest_errors = true;
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; ok && lines[i]; i++) {
        r.line = i + 1;
        ok = replay_line(&r, lines[i]);
    }
    if (ok && r.in_call) {
        fprintf(out, "replay: the recording ends inside hcall #%" PRIu64
                "\n", r.seq);
        ok = false;
    }
    if (ok) {
        fprintf(out, "replay: %" PRIu64 " hcalls, %" PRIu64 " resets, %"
                PRIu64 " knob changes: identical (%" PRIu64 " flush "
                "answers matched by meaning)\n", r.calls, r.resets, r.knobs,
                r.flush_equiv);
    }
    g_array_unref(r.writes);
    g_hash_table_destroy(r.tokens);
    g_hash_table_destroy(r.done_status);
    return ok;
}
