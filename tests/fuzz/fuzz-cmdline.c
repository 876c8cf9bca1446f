/*
 * Fuzz target: the spapr-hv command line (options, key=value lists,
 * sizes, numbers, trace patterns), then the machine it describes and
 * its device tree.
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The input picks words from a dictionary of real options and values or
 * takes raw bytes (bad UTF-8 included).  Its trace patterns match no
 * event, so that the run is not drowned in trace lines.  Invariants:
 * parsing never crashes and a refusal always has a message; a machine is
 * built when every backend is RAM (files would land in the working
 * directory), and its device tree passes fdt_check_full().
 */
#include <stdio.h>
#include <stdlib.h>
#include <libfdt.h>
#include "fuzz-input.h"
#include "hv-devices.h"
#include "hv-machine.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const words[] = {
    "-M", "-machine", "-m", "-smp", "-object", "-device", "-chardev",
    "-mon", "-qmp", "-qtest", "-qtest-log", "-accel", "-trace", "-display",
    "-nodefaults", "--dump-dtb", "-dump-dtb=/nonexistent/d.dtb",
    "--list-hcalls", "--replay-probe", "-S", "-name", "-cpu", "-serial",
    "-bogus", "--m=1G", "--smp=2", "-trace=nomatch*", "pseries",
    "pseries,accel=qtest", "pseries,cap-cfpc=broken,x-vof=on", "q35", "",
    "1G", "256M", "0", "512M,slots=4,maxmem=2G", "2", "1025",
    "memory-backend-ram,id=m0,size=268566528",
    "memory-backend-ram,id=m1,size=536961024,share=on,prealloc=on",
    "memory-backend-ram,id=m2,size=1T",
    "memory-backend-file,id=m0,mem-path=/nonexistent/x,size=1G",
    "spapr-nvdimm,id=n0,memdev=m0,label-size=128K",
    "spapr-nvdimm,memdev=m1,label-size=256K,unarmed=on,"
    "health=0x4800000000000000,node=3,slot=7",
    "spapr-nvdimm,id=n2,memdev=m2,label-size=128K,"
    "uuid=11111111-2222-4333-8444-555555555555",
    "nvdimm,id=n1,memdev=m1,pmem-override=on",
    "socket,id=c,path=/nonexistent/s,server=on,wait=off",
    "chardev=c,mode=control", "nomatch_*", "-spapr_*", "enable=zz*",
    "none", "qtest", ",,", "=", ",=,", "a*b\xe9", "id=", "size=-1",
    "size=18446744073709551615", "0x10000000", "1e3", "-1",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzIn in = { data, size };
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(HvOptions) o = hv_options_new();
    g_autoptr(GError) err = NULL;
    unsigned int n = fuzz_pick(&in, 16), i;
    bool all_ram = true;

    g_ptr_array_add(argv, g_strdup("spapr-hv"));
    for (i = 0; i < n; i++) {
        uint8_t sel = fuzz_u8(&in);

        if (sel < 0xE0) {
            g_ptr_array_add(argv, g_strdup(words[sel % G_N_ELEMENTS(words)]));
        } else {
            g_ptr_array_add(argv, fuzz_str(&in, 64));
        }
    }
    g_ptr_array_add(argv, NULL);
    if (!hv_options_parse(o, argv->len - 1, (char **)argv->pdata, &err)) {
        if (!err || !err->message || !*err->message) {
            fprintf(stderr, "refused without a message\n");
            abort();
        }
        g_ptr_array_free(argv, TRUE);
        return 0;
    }
    for (i = 0; i < o->backends->len; i++) {
        const HvBackendOpt *b = g_ptr_array_index(o->backends, i);

        all_ram &= !b->mem_path;
    }
    if (all_ram && !o->dump_dtb_file) {
        HvMachine *hv = hv_machine_new(o, &err);

        if (hv) {
            g_autofree void *fdt = hv_devices_fdt(hv, NULL);

            if (fdt && fdt_check_full(fdt, fdt_totalsize(fdt))) {
                fprintf(stderr, "device tree fails fdt_check_full\n");
                abort();
            }
            hv_machine_free(hv);
        } else if (!err->message || !*err->message) {
            abort();
        }
    }
    g_ptr_array_free(argv, TRUE);
    return 0;
}
