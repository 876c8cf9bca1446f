/*
 * spapr-hcall: recording every hcall a machine serves
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * File format (one line each, numbers in hex without 0x unless noted):
 *   # spapr-hcall record 1
 *   C <seq> <vcpu or -> <opcode> <name> <r4> .. <r12>   the call
 *   R <gpa> <bytes>          guest memory the call read (value read)
 *   W <gpa> <bytes>          guest memory the call wrote
 *   S <status, decimal> <r4> .. <r12>                    its result
 *   Z                        machine reset
 *   K <drc> <knob> <value>   an NVDIMM knob set by the host (nvdimm.h)
 * The recorder lock is held across a recorded hcall: calls are recorded
 * one at a time, and guest memory accesses made by the thread holding it
 * belong to that call (other threads' accesses, e.g. a host's own, are
 * not recorded).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "spapr-hcall/record.h"

struct SpaprRecorder {
    GMutex lock;                /* held across a recorded hcall */
    FILE *f;
    uint64_t seq;
    GThread *owner;             /* thread in a recorded hcall (atomic) */
    GString *mem;               /* R/W lines of the current call */
};

/* The recorder lives as long as the machine; only its file comes and goes */
static SpaprRecorder *recorder(SpaprMachine *m)
{
    g_mutex_lock(&m->lock);
    if (!m->recorder) {
        m->recorder = g_new0(SpaprRecorder, 1);
        g_mutex_init(&m->recorder->lock);
        m->recorder->mem = g_string_new(NULL);
    }
    g_mutex_unlock(&m->lock);
    return m->recorder;
}

bool spapr_machine_record_start(SpaprMachine *m, const char *path,
                                GError **errp)
{
    SpaprRecorder *r = recorder(m);
    FILE *f;

    g_mutex_lock(&r->lock);
    if (r->f) {
        g_mutex_unlock(&r->lock);
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_EXISTS,
                    "already recording");
        return false;
    }
    f = fopen(path, "w");
    if (!f) {
        g_mutex_unlock(&r->lock);
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                    "cannot write the recording '%s': %s", path,
                    g_strerror(errno));
        return false;
    }
    fprintf(f, "%s\n", SPAPR_RECORD_MAGIC);
    r->f = f;
    r->seq = 0;
    g_mutex_unlock(&r->lock);
    __atomic_store_n(&m->recording, 1, __ATOMIC_RELEASE);
    spapr_machine_update_observe_(m);
    return true;
}

bool spapr_machine_recording(SpaprMachine *m)
{
    return __atomic_load_n(&m->recording, __ATOMIC_ACQUIRE);
}

uint64_t spapr_machine_record_stop(SpaprMachine *m)
{
    SpaprRecorder *r = m->recorder;
    uint64_t n = 0;

    if (!r) {
        return 0;
    }
    __atomic_store_n(&m->recording, 0, __ATOMIC_RELEASE);
    spapr_machine_update_observe_(m);
    /* Waits for the hcall being recorded */
    g_mutex_lock(&r->lock);
    if (r->f) {
        n = r->seq;
        fclose(r->f);
        r->f = NULL;
    }
    g_mutex_unlock(&r->lock);
    return n;
}

void spapr_record_free_(SpaprMachine *m)
{
    SpaprRecorder *r = m->recorder;

    if (r) {
        spapr_machine_record_stop(m);
        g_mutex_clear(&r->lock);
        g_string_free(r->mem, TRUE);
        g_free(r);
        m->recorder = NULL;
    }
}

static void put_regs(FILE *f, const uint64_t *args)
{
    unsigned int i;

    for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
        fprintf(f, " %" PRIx64, args[i]);
    }
    fputc('\n', f);
}

int64_t spapr_record_hcall_(SpaprMachine *m, SpaprCpu *cpu,
                           const SpaprHcallInfo *info, uint64_t opcode,
                           uint64_t *args, SpaprRecordedFn fn, void *opaque)
{
    SpaprRecorder *r = m->recorder;
    uint64_t in[SPAPR_HCALL_NR_ARGS];
    int64_t ret;

    memcpy(in, args, sizeof(in));
    g_mutex_lock(&r->lock);
    if (!r->f) {
        /* Stopped since the caller looked */
        g_mutex_unlock(&r->lock);
        return fn(m, cpu, info, opcode, args, opaque);
    }
    g_string_truncate(r->mem, 0);
    __atomic_store_n(&r->owner, g_thread_self(), __ATOMIC_RELEASE);
    ret = fn(m, cpu, info, opcode, args, opaque);
    __atomic_store_n(&r->owner, NULL, __ATOMIC_RELEASE);
    if (cpu) {
        fprintf(r->f, "C %" PRIx64 " %x %" PRIx64 " %s", r->seq++,
                cpu->index, opcode, info->name);
    } else {
        fprintf(r->f, "C %" PRIx64 " - %" PRIx64 " %s", r->seq++, opcode,
                info->name);
    }
    put_regs(r->f, in);
    fputs(r->mem->str, r->f);
    fprintf(r->f, "S %" PRId64, ret);
    put_regs(r->f, args);
    g_mutex_unlock(&r->lock);
    return ret;
}

void spapr_record_mem_(SpaprMachine *m, bool write, uint64_t gpa,
                      const void *buf, uint64_t len)
{
    SpaprRecorder *r = m->recorder;
    const uint8_t *p = buf;
    uint64_t i;

    if (!r || __atomic_load_n(&r->owner, __ATOMIC_ACQUIRE) !=
        g_thread_self()) {
        return;
    }
    g_string_append_printf(r->mem, "%c %" PRIx64 " ", write ? 'W' : 'R',
                           gpa);
    for (i = 0; i < len; i++) {
        g_string_append_printf(r->mem, "%02x", p[i]);
    }
    g_string_append_c(r->mem, '\n');
}

void spapr_record_reset_(SpaprMachine *m)
{
    SpaprRecorder *r = m->recorder;

    if (r && spapr_machine_recording(m)) {
        g_mutex_lock(&r->lock);
        if (r->f) {
            fputs("Z\n", r->f);
        }
        g_mutex_unlock(&r->lock);
    }
}

void spapr_record_knob_(SpaprMachine *m, uint32_t drc, const char *knob,
                       const char *value)
{
    SpaprRecorder *r = m->recorder;

    if (r && spapr_machine_recording(m)) {
        g_mutex_lock(&r->lock);
        if (r->f) {
            fprintf(r->f, "K %x %s %s\n", drc, knob, value);
        }
        g_mutex_unlock(&r->lock);
    }
}
