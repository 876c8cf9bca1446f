/*
 * spapr-hv: human-readable hcall tables
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Register names and when an output means something come from the
 * library's hcall rows (spapr_hcall_arg_name(), spapr_hcall_out_name()).
 */
#include <stdarg.h>
#include <string.h>
#include "hcall-table.h"

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

/*
 * The row that names @opcode's registers: the registered one, else the
 * library's own; NULL if neither has names.
 */
static const SpaprHcallInfo *naming_row(const SpaprHcallInfo *info,
                                        uint64_t opcode)
{
    const SpaprHcallInfo *own;

    if (info && info->regs) {
        return info;
    }
    own = spapr_hcall_builtin(opcode);
    return own && own->regs ? own : NULL;
}

static void append_inputs(GString *in, const Run *r,
                          const SpaprHcallInfo *names, unsigned int nargs)
{
    unsigned int i;

    for (i = 0; i < nargs && i < SPAPR_HCALL_NR_ARGS; i++) {
        g_autofree char *v = fmt_val(r->first_in[i]);
        const char *an = spapr_hcall_arg_name(names, i);

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
}

/*
 * The registered row's outputs (3 at most) that @names says carry a value
 * after this status.
 */
static void append_outputs(GString *out, const Run *r,
                           const SpaprHcallInfo *info,
                           const SpaprHcallInfo *names)
{
    unsigned int i;

    for (i = 0; r->count == 1 && info && i < info->nrets && i < 3; i++) {
        const char *on = spapr_hcall_out_name(names ? names : info, i,
                                              r->ret, r->first_in);
        g_autofree char *v = fmt_val(r->first_out[i]);

        if (on) {
            g_string_append_printf(out, "%s%s=%s", out->len ? " " : "",
                                   on, v);
        }
    }
}

static void print_run(HvCallLog *log)
{
    Run *r = &log->run;
    const SpaprHcallInfo *info = spapr_hcall_lookup(log->m, r->opcode);
    const SpaprHcallInfo *names = naming_row(info, r->opcode);
    const char *name = spapr_hcall_opcode_name(r->opcode);
    /* an unregistered call: as many inputs as a decodable call uses */
    unsigned int nargs = info ? info->nargs : (names ? 4 : 2);
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
    append_inputs(in, r, names, nargs);
    append_outputs(out, r, info, names);
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
