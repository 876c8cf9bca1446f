/*
 * spapr-hv: the QEMU-style command line
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Parsing only: nothing here opens files or sockets.  Options QEMU has
 * keep QEMU's spelling ("-object memory-backend-file,id=m0,size=1G").
 */
#ifndef SPAPR_HV_OPTIONS_H
#define SPAPR_HV_OPTIONS_H

#include <glib.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>

#define HV_DEFAULT_RAM_SIZE     (512ULL << 20)

typedef struct HvBackendOpt {
    char *id;
    char *mem_path;             /* NULL: memory-backend-ram */
    uint64_t size;
    bool share;
    bool pmem;
    bool readonly;
    bool prealloc;              /* file: allocate every block at start */
} HvBackendOpt;

typedef struct HvNvdimmOpt {
    char *id;
    char *memdev;
    uint64_t label_size;
    char *uuid;                 /* NULL: generated */
    bool unarmed;
    uint64_t health;            /* PAPR health bits injected at creation */
    bool spapr_type;            /* "spapr-nvdimm" (vs plain "nvdimm") */
    bool pmem_override;
    uint32_t slot;              /* UINT32_MAX: automatic */
    uint32_t node;
} HvNvdimmOpt;

/* A character device: a UNIX socket (client or listening) or stdio. */
typedef struct HvChardevOpt {
    char *id;
    char *path;                 /* NULL: stdio */
    bool server;
    bool wait;
} HvChardevOpt;

typedef struct HvOptions {
    uint64_t ram_size;
    unsigned int ram_slots;     /* -m slots=N: PMEM DRCs made up front */
    unsigned int smp;
    GPtrArray *backends;        /* HvBackendOpt */
    GPtrArray *nvdimms;         /* HvNvdimmOpt */
    GPtrArray *chardevs;        /* HvChardevOpt, with the implicit ones */
    char *qtest_chardev;        /* id of the qtest chardev, or NULL */
    char *qmp_chardev;          /* id of the QMP monitor chardev, or NULL */
    char *qtest_log;            /* NULL: stderr; "none": no log */
    char *trace;                /* comma-separated patterns */
    bool accel_qtest;
    bool nodefaults;
    bool display_none;
    bool dump_dtb;              /* print the tree and exit */
    char *dump_dtb_file;        /* NULL: DTS on stdout; else binary DTB */
    bool list_hcalls;
    bool replay_probe;
    char *record;               /* --record FILE: record every hcall */
    char *replay;               /* --replay FILE: replay a recording, exit */
    bool help;
    bool version;
    bool any_machine_option;    /* something beyond the bare program */
} HvOptions;

HvOptions *hv_options_new(void);
void hv_options_free(HvOptions *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HvOptions, hv_options_free)

/* Parse argv[1..]; on error the message names the offending option. */
bool hv_options_parse(HvOptions *o, int argc, char **argv, GError **errp);

/* QEMU size syntax: 1G, 512M, 128K, 4096, 1.5G; @def_unit for plain. */
bool hv_parse_size(const char *s, uint64_t def_unit, uint64_t *out);
/* on/off/yes/no/true/false. */
bool hv_parse_bool(const char *s, bool *out);
/* Base 0 (0x hex, leading-0 octal, decimal), no sign, no junk, no overflow */
bool hv_parse_u64(const char *s, uint64_t *out);

const HvChardevOpt *hv_options_chardev(const HvOptions *o, const char *id);
const HvBackendOpt *hv_options_backend(const HvOptions *o, const char *id);

void hv_options_print_help(FILE *out);

#endif
