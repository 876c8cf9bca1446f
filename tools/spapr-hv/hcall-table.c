/*
 * spapr-hv: human-readable hcall tables
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Register names per hcall follow the PAPR/Linux usage documented in
 * docs (r4.. inputs, r4.. outputs as QEMU writes them).
 */
#include <stdarg.h>
#include <string.h>
#include "hcall-table.h"

typedef struct HcallDecode {
    uint64_t opcode;
    const char *in[5];
    const char *out[3];         /* NULL entries: not written */
} HcallDecode;

static const HcallDecode decoders[] = {
    { PAPR_H_LOGICAL_CI_LOAD, { "size", "addr" }, { "val" } },
    { PAPR_H_LOGICAL_CI_STORE, { "size", "addr", "val" }, { NULL } },
    { PAPR_H_SCM_READ_METADATA, { "drc", "off", "len" }, { "data" } },
    { PAPR_H_SCM_WRITE_METADATA, { "drc", "off", "data", "len" }, { NULL } },
    { PAPR_H_SCM_BIND_MEM, { "drc", "start", "n", "target", "token" },
      { "token", "addr", "bound" } },
    { PAPR_H_SCM_UNBIND_MEM, { "drc", "addr", "n", "token" },
      { NULL, "unbound" } },
    { PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING, { "drc", "block" }, { "addr" } },
    { PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING, { "addr" }, { "drc", "block" } },
    { PAPR_H_SCM_UNBIND_ALL, { "scope", "drc", "token" }, { NULL, "unbound" } },
    { PAPR_H_SCM_HEALTH, { "drc" }, { "bits", "mask" } },
    { PAPR_H_SCM_PERFORMANCE_STATS, { "drc", "buf", "size" }, { "size" } },
    { PAPR_H_SCM_FLUSH, { "drc", "token" }, { "token" } },
};

static const HcallDecode *find_decoder(uint64_t opcode)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(decoders); i++) {
        if (decoders[i].opcode == opcode) {
            return &decoders[i];
        }
    }
    return NULL;
}

static void print_row(const SpaprHcallInfo *info, void *opaque)
{
    fprintf(opaque, "0x%04" PRIx64 "  %-34s %-14s %u  %u\n", info->opcode,
            info->name, info->hcall_set, info->nargs, info->nrets);
}

void hv_print_hcall_list(FILE *out, SpaprMachine *m)
{
    fprintf(out, "opcode  %-34s %-14s in out\n", "name", "hcall-set");
    spapr_hcall_foreach(m, print_row, out);
}

static char *fmt_val(uint64_t v)
{
    if (v == UINT64_MAX) {
        return g_strdup("-1");
    }
    return v < 10 ? g_strdup_printf("%" PRIu64, v)
                  : g_strdup_printf("0x%" PRIx64, v);
}

static char *status_str(int64_t ret)
{
    const char *name = spapr_hcall_status_name(ret);

    return name ? g_strdup(name) : g_strdup_printf("%" PRId64, ret);
}

typedef struct Run {
    uint64_t opcode;
    int64_t ret;
    unsigned int count;
    uint64_t first_in[SPAPR_HCALL_NR_ARGS];
    uint64_t last_in[SPAPR_HCALL_NR_ARGS];
    uint64_t first_out[SPAPR_HCALL_NR_ARGS];
    char *note;
} Run;

struct HvCallLog {
    FILE *out;
    SpaprMachine *m;
    unsigned int seq;
    bool header;
    bool have_run;
    Run run;
};

HvCallLog *hv_call_log_new(FILE *out, SpaprMachine *m)
{
    HvCallLog *log = g_new0(HvCallLog, 1);

    log->out = out;
    log->m = m;
    return log;
}

static void print_header(HvCallLog *log)
{
    if (!log->header) {
        fprintf(log->out, "%-4s %-30s %-44s %-26s %s\n", "#", "hcall",
                "inputs (r4..)", "status (r3)", "outputs (r4..)");
        log->header = true;
    }
}

static void print_run(HvCallLog *log)
{
    Run *r = &log->run;
    const SpaprHcallInfo *info = spapr_hcall_lookup(log->m, r->opcode);
    const HcallDecode *d = find_decoder(r->opcode);
    const char *name = spapr_hcall_opcode_name(r->opcode);
    unsigned int nargs = info ? info->nargs : (d ? 4 : 2);
    unsigned int nrets = info ? info->nrets : 0, i;
    g_autofree char *st = status_str(r->ret);
    g_autofree char *nm = NULL;
    GString *in, *out;

    if (!log->have_run) {
        return;
    }
    in = g_string_new(NULL);
    out = g_string_new(NULL);
    print_header(log);
    nm = name ? g_strdup(name) : g_strdup_printf("0x%" PRIx64, r->opcode);
    for (i = 0; i < nargs && i < SPAPR_HCALL_NR_ARGS; i++) {
        g_autofree char *v = fmt_val(r->first_in[i]);
        const char *an = d && i < 5 && d->in[i] ? d->in[i] : NULL;

        if (r->count > 1 && r->first_in[i] != r->last_in[i]) {
            g_autofree char *l = fmt_val(r->last_in[i]);

            g_string_append_printf(in, "%s%s=%s..%s", in->len ? " " : "",
                                   an ? an : "r", v, l);
        } else if (an) {
            g_string_append_printf(in, "%s%s=%s", in->len ? " " : "", an, v);
        } else {
            g_string_append_printf(in, "%sr%u=%s", in->len ? " " : "",
                                   i + 4, v);
        }
    }
    /* outputs are only meaningful on success or for long-busy tokens */
    for (i = 0; r->count == 1 && i < nrets && i < 3; i++) {
        const char *on = d ? d->out[i] : NULL;
        g_autofree char *v = fmt_val(r->first_out[i]);

        if (d && !on) {
            continue;
        }
        if (r->ret != PAPR_H_SUCCESS && !PAPR_H_IS_LONG_BUSY(r->ret) &&
            r->ret != PAPR_H_PARTIAL) {
            continue;
        }
        if (r->opcode == PAPR_H_SCM_FLUSH && !PAPR_H_IS_LONG_BUSY(r->ret)) {
            continue;       /* the token is only written while busy */
        }
        /* stats: r4 is the size only for the NULL-buffer query */
        if (r->opcode == PAPR_H_SCM_PERFORMANCE_STATS &&
            (r->first_in[1] || r->ret == PAPR_H_PARTIAL)) {
            on = r->ret == PAPR_H_PARTIAL ? "bad-id" : NULL;
            if (!on) {
                continue;
            }
        }
        if (on) {
            g_string_append_printf(out, "%s%s=%s", out->len ? " " : "",
                                   on, v);
        } else {
            g_string_append_printf(out, "%sr%u=%s", out->len ? " " : "",
                                   i + 4, v);
        }
    }
    if (r->count > 1) {
        g_string_append_printf(out, "(x%u calls)", r->count);
    }
    if (r->note) {
        g_string_append_printf(out, "%s%s", out->len ? "  " : "", r->note);
    }
    fprintf(log->out, "%-4u %-30s %-44s %-26s %s\n", log->seq, nm, in->str,
            st, out->str);
    g_string_free(in, TRUE);
    g_string_free(out, TRUE);
    g_free(r->note);
    r->note = NULL;
    log->have_run = false;
}

int64_t hv_call_log_hcall(HvCallLog *log, uint64_t opcode, uint64_t *args,
                          const char *note)
{
    uint64_t in[SPAPR_HCALL_NR_ARGS];
    SpaprCpu *cpu = spapr_machine_cpu(log->m, 0);
    Run *r = &log->run;
    int64_t ret;

    memcpy(in, args, sizeof(in));
    ret = spapr_hcall(log->m, cpu, opcode, args);
    /* consecutive label reads with one status collapse into one row */
    if (log->have_run && r->opcode == opcode && r->ret == ret &&
        opcode == PAPR_H_SCM_READ_METADATA && !note && !r->note) {
        r->count++;
        memcpy(r->last_in, in, sizeof(in));
        return ret;
    }
    print_run(log);
    log->seq++;
    log->have_run = true;
    r->opcode = opcode;
    r->ret = ret;
    r->count = 1;
    memcpy(r->first_in, in, sizeof(in));
    memcpy(r->last_in, in, sizeof(in));
    memcpy(r->first_out, args, sizeof(in));
    r->note = g_strdup(note);
    return ret;
}

void hv_call_log_note(HvCallLog *log, const char *fmt, ...)
{
    va_list ap;

    print_run(log);
    print_header(log);
    va_start(ap, fmt);
    fprintf(log->out, "     -- ");
    vfprintf(log->out, fmt, ap);
    fprintf(log->out, "\n");
    va_end(ap);
}

void hv_call_log_free(HvCallLog *log)
{
    if (log) {
        print_run(log);
        g_free(log->run.note);
        g_free(log);
    }
}
