/*
 * spapr-hv: the standalone pSeries hypercall machine
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Jobs, in order of precedence: -h / -version; --list-hcalls;
 * --dump-dtb; --replay-probe; serving -qtest / QMP.  With no arguments at
 * all it runs the built-in demonstration: a machine with RAM and a
 * file-backed 1 GiB NVDIMM in a scratch directory, the hcall table, the
 * papr_scm probe replay, and the device tree as DTS.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "options.h"
#include "hv-machine.h"
#include "hv-devices.h"
#include "hcall-table.h"
#include "replay.h"
#include "record-replay.h"
#include "serve.h"
#include "dts.h"

#ifndef SPAPR_HV_VERSION
#define SPAPR_HV_VERSION "0.0.0"
#endif

static int fail(GError *err)
{
    fprintf(stderr, "spapr-hv: %s\n", err->message);
    return EXIT_FAILURE;
}

static int dump_dtb(HvMachine *hv, const HvOptions *o)
{
    g_autoptr(GError) err = NULL;
    g_autofree void *fdt = hv_devices_fdt(hv, &err);

    if (!fdt) {
        return fail(err);
    }
    if (o->dump_dtb_file) {
        if (!hv_dtb_write(fdt, o->dump_dtb_file, &err)) {
            return fail(err);
        }
        return EXIT_SUCCESS;
    }
    if (!hv_dts_print(stdout, fdt, &err)) {
        return fail(err);
    }
    return EXIT_SUCCESS;
}

/* The default job's configuration, as a command line. */
static char **default_argv(const char *dir)
{
    GPtrArray *a = g_ptr_array_new();

    g_ptr_array_add(a, g_strdup("spapr-hv"));
    g_ptr_array_add(a, g_strdup("-M"));
    g_ptr_array_add(a, g_strdup("pseries"));
    g_ptr_array_add(a, g_strdup("-m"));
    g_ptr_array_add(a, g_strdup("1G"));
    g_ptr_array_add(a, g_strdup("-object"));
    /* 1 GiB of data plus the 128 KiB label area, as QEMU sizes it */
    g_ptr_array_add(a, g_strdup_printf("memory-backend-file,id=nvmem0,"
                                       "mem-path=%s/nvdimm0.img,"
                                       "size=1073872896,share=on", dir));
    g_ptr_array_add(a, g_strdup("-device"));
    g_ptr_array_add(a, g_strdup("spapr-nvdimm,id=nvdimm0,memdev=nvmem0,"
                                "label-size=128K,"
                                "uuid=8a8a6d1e-5c2b-4f7e-9d3a-2b1c0e9f4a71"));
    g_ptr_array_add(a, g_strdup("-accel"));
    g_ptr_array_add(a, g_strdup("qtest"));
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(a, FALSE);
}

static void remove_scratch(const char *dir)
{
    g_autofree char *img = g_build_filename(dir, "nvdimm0.img", NULL);

    unlink(img);
    rmdir(dir);
}

static int default_job(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(HvOptions) o = hv_options_new();
    g_autofree char *dir = g_dir_make_tmp("spapr-hv-XXXXXX", &err);
    g_auto(GStrv) argv = NULL;
    g_autofree char *cmdline = NULL;
    HvMachine *hv;
    int status = EXIT_SUCCESS;

    if (!dir) {
        return fail(err);
    }
    argv = default_argv(dir);
    cmdline = g_strjoinv(" ", argv);
    if (!hv_options_parse(o, g_strv_length(argv), argv, &err) ||
        !(hv = hv_machine_new(o, &err))) {
        remove_scratch(dir);
        return fail(err);
    }
    printf("== spapr-hv default job (the same as: %s --replay-probe)\n\n",
           cmdline);
    printf("== Registered hcalls\n");
    hv_print_hcall_list(stdout, hv->m);
    printf("\n== Linux papr_scm probe, replayed\n");
    if (!hv_replay_probe(hv, stdout)) {
        status = EXIT_FAILURE;
    }
    printf("\n== Device tree\n");
    fflush(stdout);
    if (dump_dtb(hv, o) != EXIT_SUCCESS) {
        status = EXIT_FAILURE;
    }
    hv_machine_free(hv);
    remove_scratch(dir);
    return status;
}

int main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(HvOptions) o = hv_options_new();
    HvMachine *hv;
    int status;

    /*
     * A client that closes its socket (or a closed stdout pipe) must not
     * kill us: writes then fail with EPIPE, which the chardev handles.
     */
    signal(SIGPIPE, SIG_IGN);
    if (argc == 1) {
        return default_job();
    }
    if (!hv_options_parse(o, argc, argv, &err)) {
        return fail(err);
    }
    if (o->help) {
        hv_options_print_help(stdout);
        return EXIT_SUCCESS;
    }
    if (o->version) {
        printf("spapr-hv version %s (spapr-hcall)\n", SPAPR_HV_VERSION);
        return EXIT_SUCCESS;
    }
    hv = hv_machine_new(o, &err);
    if (!hv) {
        return fail(err);
    }
    if (o->record && !spapr_machine_record_start(hv->m, o->record, &err)) {
        hv_machine_free(hv);
        return fail(err);
    }
    if (o->replay) {
        status = hv_replay_recording(hv, o->replay, stdout) ?
                 EXIT_SUCCESS : EXIT_FAILURE;
    } else if (o->list_hcalls) {
        hv_print_hcall_list(stdout, hv->m);
        status = EXIT_SUCCESS;
    } else if (o->dump_dtb) {
        status = dump_dtb(hv, o);
    } else if (o->replay_probe) {
        status = hv_replay_probe(hv, stdout) ? EXIT_SUCCESS : EXIT_FAILURE;
    } else {
        status = hv_serve(hv, o);
    }
    hv_machine_free(hv);
    return status;
}
