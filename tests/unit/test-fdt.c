/*
 * Unit tests: the device tree (DRC properties, /rtas hcall sets,
 * /hypervisor, /ibm,persistent-memory), merging into a caller's tree,
 * the DTS renderer, and dtc round trips
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <libfdt.h>
#include <string.h>
#include <glib/gstdio.h>
#include "spapr-hcall/spapr-hcall.h"
#include "fdt-test-util.h"

/* ---- DRC decoding, as a guest does it ---- */

typedef struct Drc {
    uint32_t index;
    uint32_t pd;
    char *name;
    char *type;
} Drc;

static void drc_clear(void *p)
{
    Drc *d = p;

    g_free(d->name);
    g_free(d->type);
}

static GArray *drc_array(void)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(Drc));

    g_array_set_clear_func(a, drc_clear);
    return a;
}

/* Read the four classic arrays; asserts they are well formed. */
static GArray *read_drc_arrays(const void *fdt, int off)
{
    const fdt32_t *idx, *pd;
    const char *names, *types;
    int li, lp, ln, lt;
    uint32_t n, i;
    GArray *a = drc_array();

    idx = fdt_getprop(fdt, off, "ibm,drc-indexes", &li);
    pd = fdt_getprop(fdt, off, "ibm,drc-power-domains", &lp);
    names = fdt_getprop(fdt, off, "ibm,drc-names", &ln);
    types = fdt_getprop(fdt, off, "ibm,drc-types", &lt);
    g_assert_nonnull(idx);
    g_assert_nonnull(pd);
    g_assert_nonnull(names);
    g_assert_nonnull(types);
    n = fdt32_ld(idx);
    g_assert_cmpint(li, ==, 4 + 4 * n);
    g_assert_cmpint(lp, ==, 4 + 4 * n);
    g_assert_cmpuint(fdt32_ld((const fdt32_t *)names), ==, n);
    g_assert_cmpuint(fdt32_ld((const fdt32_t *)types), ==, n);
    names += 4;
    types += 4;
    for (i = 0; i < n; i++) {
        Drc d = {
            .index = fdt32_ld(&idx[1 + i]),
            .pd = fdt32_ld(&pd[1 + i]),
            .name = g_strdup(names),
            .type = g_strdup(types),
        };

        names += strlen(names) + 1;
        types += strlen(types) + 1;
        g_array_append_val(a, d);
    }
    g_assert_true(names == (const char *)fdt_getprop(fdt, off,
                                                     "ibm,drc-names", NULL)
                  + ln);
    g_assert_true(types == (const char *)fdt_getprop(fdt, off,
                                                     "ibm,drc-types", NULL)
                  + lt);
    return a;
}

/* Expand ibm,drc-info the way Linux's rpaphp/of_helpers read it. */
static GArray *read_drc_info(const void *fdt, int off, unsigned *nruns)
{
    const uint8_t *p, *end;
    uint32_t runs, r, j;
    int len;
    GArray *a = drc_array();

    p = fdt_getprop(fdt, off, "ibm,drc-info", &len);
    g_assert_nonnull(p);
    end = p + len;
    runs = fdt32_ld((const fdt32_t *)p);
    p += 4;
    for (r = 0; r < runs; r++) {
        const char *type = (const char *)p, *prefix;
        uint32_t start, suffix, count, inc, pd;

        p += strlen(type) + 1;
        prefix = (const char *)p;
        p += strlen(prefix) + 1;
        g_assert_true(p + 20 <= end);
        start = fdt32_ld((const fdt32_t *)p);
        suffix = fdt32_ld((const fdt32_t *)(p + 4));
        count = fdt32_ld((const fdt32_t *)(p + 8));
        inc = fdt32_ld((const fdt32_t *)(p + 12));
        pd = fdt32_ld((const fdt32_t *)(p + 16));
        p += 20;
        g_assert_cmpuint(count, >=, 1);
        g_assert_cmpuint(inc, ==, 1);
        for (j = 0; j < count; j++) {
            Drc d = {
                .index = start + j * inc,
                .pd = pd,
                .name = g_strdup_printf("%s%u", prefix, suffix + j),
                .type = g_strdup(type),
            };

            g_array_append_val(a, d);
        }
    }
    g_assert_true(p == end);
    *nruns = runs;
    return a;
}

static void assert_same_drcs(GArray *a, GArray *b)
{
    guint i;

    g_assert_cmpuint(a->len, ==, b->len);
    for (i = 0; i < a->len; i++) {
        Drc *x = &g_array_index(a, Drc, i), *y = &g_array_index(b, Drc, i);

        g_assert_cmphex(x->index, ==, y->index);
        g_assert_cmphex(x->pd, ==, y->pd);
        g_assert_cmpstr(x->name, ==, y->name);
        g_assert_cmpstr(x->type, ==, y->type);
    }
}

/* Check arrays vs drc-info; returns the arrays and the number of runs. */
static GArray *check_drcs(const void *fdt, const char *path, unsigned *runs)
{
    int off = fdt_path_offset(fdt, path);
    g_autoptr(GArray) info = NULL;
    GArray *arr;
    guint i;

    g_assert_cmpint(off, >=, 0);
    arr = read_drc_arrays(fdt, off);
    info = read_drc_info(fdt, off, runs);
    assert_same_drcs(arr, info);
    for (i = 1; i < arr->len; i++) {
        g_assert_cmphex(g_array_index(arr, Drc, i - 1).index, <,
                        g_array_index(arr, Drc, i).index);
    }
    return arr;
}

static char **strv_prop(const void *fdt, const char *path, const char *name)
{
    int off = fdt_path_offset(fdt, path), len;
    const char *p;
    GPtrArray *v = g_ptr_array_new();
    const char *end;

    g_assert_cmpint(off, >=, 0);
    p = fdt_getprop(fdt, off, name, &len);
    if (!p) {
        g_ptr_array_free(v, TRUE);
        return NULL;
    }
    for (end = p + len; p < end; p += strlen(p) + 1) {
        g_ptr_array_add(v, g_strdup(p));
    }
    g_ptr_array_add(v, NULL);
    return (char **)g_ptr_array_free(v, FALSE);
}

static void assert_strv(char **got, const char *const *want)
{
    g_assert_nonnull(got);
    g_assert_cmpuint(g_strv_length(got), ==,
                     g_strv_length((char **)want));
    for (; *want; want++, got++) {
        g_assert_cmpstr(*got, ==, *want);
    }
}

/* ---- Tests ---- */

static void test_empty_machine(void)
{
    SpaprMachineConfig cfg = { .ram_size = 512ULL << 20 };
    g_autoptr(GError) err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);
    g_autofree void *fdt = spapr_fdt_build(m, &err);
    g_autoptr(GArray) drcs = NULL;
    const fdt64_t *reg;
    unsigned runs;
    int off, len;

    g_assert_no_error(err);
    g_assert_cmpint(fdt_check_full(fdt, fdt_totalsize(fdt)), ==, 0);
    g_assert_cmpuint(fdt_getprop_u32(fdt, 0, "#address-cells"), ==, 2);
    g_assert_cmpuint(fdt_getprop_u32(fdt, 0, "#size-cells"), ==, 2);
    off = fdt_path_offset(fdt, "/memory@0");
    reg = fdt_getprop(fdt, off, "reg", &len);
    g_assert_cmpint(len, ==, 16);
    g_assert_cmphex(fdt64_ld(&reg[1]), ==, 512ULL << 20);
    g_assert_cmpint(fdt_path_offset(fdt, "/chosen"), >=, 0);

    drcs = check_drcs(fdt, "/", &runs);
    g_assert_cmpuint(drcs->len, ==, 0);
    g_assert_cmpuint(runs, ==, 0);
    g_assert_cmpint(fdt_path_offset(fdt, "/cpus"), ==, -FDT_ERR_NOTFOUND);

    /* /rtas: the list exists (it marks an LPAR) even when empty */
    off = fdt_path_offset(fdt, "/rtas");
    g_assert_nonnull(fdt_getprop(fdt, off, "ibm,hypertas-functions", &len));
    g_assert_cmpint(len, ==, 0);
    g_assert_null(fdt_getprop(fdt, off, "qemu,hypertas-functions", NULL));
    g_assert_cmpint(fdt_path_offset(fdt, "/hypervisor"), ==,
                    -FDT_ERR_NOTFOUND);

    off = fdt_path_offset(fdt, "/ibm,persistent-memory");
    g_assert_cmpint(off, >=, 0);
    g_assert_cmpstr(fdt_getprop(fdt, off, "device_type", NULL), ==,
                    "ibm,persistent-memory");
    g_assert_cmpuint(fdt_getprop_u32(fdt, off, "#address-cells"), ==, 1);
    g_assert_cmpuint(fdt_getprop_u32(fdt, off, "#size-cells"), ==, 0);
    g_assert_cmpint(fdt_first_subnode(fdt, off), ==, -FDT_ERR_NOTFOUND);
    g_assert_cmpint(fdt_node_offset_by_prop_value(fdt, -1, "device_type",
                        "ibm,persistent-memory",
                        sizeof("ibm,persistent-memory")), ==, off);

    fdt_test_dtc(fdt);
    spapr_machine_free(m);
}

static void add_drcs(SpaprMachine *m, PaprDrcType type, uint32_t first,
                     uint32_t n)
{
    PaprDrcRegistry *reg = spapr_machine_drcs(m);
    uint32_t i;

    for (i = 0; i < n; i++) {
        g_assert_nonnull(papr_drc_new(reg, type, first + i, NULL));
    }
}

static void test_drc_properties(void)
{
    SpaprMachineConfig cfg = { .pmem_slots = 8 };
    g_autoptr(GError) err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);
    g_autofree void *fdt = NULL;
    g_autoptr(GArray) root = NULL, cpus = NULL;
    unsigned runs, i;

    g_assert_no_error(err);
    add_drcs(m, PAPR_DRC_TYPE_LMB, 0, 4);
    add_drcs(m, PAPR_DRC_TYPE_LMB, 10, 2);         /* a gap: 2 runs */
    add_drcs(m, PAPR_DRC_TYPE_PHB, 0, 2);
    add_drcs(m, PAPR_DRC_TYPE_CPU, 0, 4);
    add_drcs(m, PAPR_DRC_TYPE_PMEM, 100, 1);
    fdt = spapr_fdt_build(m, &err);
    g_assert_no_error(err);
    g_assert_cmpint(fdt_check_full(fdt, fdt_totalsize(fdt)), ==, 0);

    root = check_drcs(fdt, "/", &runs);
    g_assert_cmpuint(root->len, ==, 2 + 6 + 9);
    g_assert_cmpuint(runs, ==, 1 + 2 + 2);          /* PHB, LMB x2, PMEM x2 */
    for (i = 0; i < root->len; i++) {
        Drc *d = &g_array_index(root, Drc, i);
        PaprDrcType t;
        uint32_t id = d->index & PAPR_DRC_INDEX_ID_MASK;
        g_autofree char *name = NULL;

        g_assert_true(papr_drc_index_type(d->index, &t));
        g_assert_cmpint(t, !=, PAPR_DRC_TYPE_CPU);
        g_assert_cmpstr(d->type, ==, papr_drc_type_name(t));
        name = g_strdup_printf("%s%u", papr_drc_name_prefix(t), id);
        g_assert_cmpstr(d->name, ==, name);
        g_assert_cmphex(d->pd, ==, 0xffffffff);
    }
    /* The exact encodings of the first PMEM entry */
    g_assert_cmphex(g_array_index(root, Drc, 8).index, ==, 0x90000000);
    g_assert_cmpstr(g_array_index(root, Drc, 8).name, ==, "PMEM 0");
    g_assert_cmpstr(g_array_index(root, Drc, 8).type, ==, "PMEM");
    g_assert_cmpstr(g_array_index(root, Drc, 2).name, ==, "LMB 0");
    g_assert_cmpstr(g_array_index(root, Drc, 2).type, ==, "MEM");

    cpus = check_drcs(fdt, "/cpus", &runs);
    g_assert_cmpuint(cpus->len, ==, 4);
    g_assert_cmpuint(runs, ==, 1);
    g_assert_cmpstr(g_array_index(cpus, Drc, 3).name, ==, "CPU 3");
    g_assert_cmphex(g_array_index(cpus, Drc, 3).index, ==, 0x10000003);

    fdt_test_dtc(fdt);
    spapr_machine_free(m);
}

static int64_t h_dummy(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                       uint64_t *args)
{
    return PAPR_H_SUCCESS;
}

static const SpaprHcallInfo fake_sets[] = {
    { PAPR_H_SCM_READ_METADATA, "H_SCM_READ_METADATA", h_dummy, "hcall-scm",
      0, 0, NULL },
    { PAPR_H_SCM_BIND_MEM, "H_SCM_BIND_MEM", h_dummy, "hcall-scm", 0, 0,
      NULL },
    { PAPR_KVMPPC_H_LOGICAL_MEMOP, "KVMPPC_H_LOGICAL_MEMOP", h_dummy,
      "hcall-memop1", 0, 0, NULL },
};

static void test_hypertas(void)
{
    static const char *const ibm1[] = { "hcall-debug", NULL };
    static const char *const ibm2[] = { "hcall-debug", "hcall-scm", NULL };
    static const char *const priv1[] = { "hcall-epapr", NULL };
    static const char *const priv2[] = { "hcall-memop1", "hcall-epapr",
                                         NULL };
    g_autoptr(GError) err = NULL;
    SpaprMachine *m = spapr_machine_new(NULL, &err);
    void *fdt;
    g_auto(GStrv) a = NULL, b = NULL;

    g_assert_true(spapr_hcall_register_debug(m, &err));
    g_assert_true(spapr_hcall_register_epapr(m, &err));
    fdt = spapr_fdt_build(m, &err);
    g_assert_no_error(err);
    a = strv_prop(fdt, "/rtas", "ibm,hypertas-functions");
    b = strv_prop(fdt, "/rtas", "qemu,hypertas-functions");
    assert_strv(a, ibm1);
    assert_strv(b, priv1);
    g_free(fdt);
    g_clear_pointer(&a, g_strfreev);
    g_clear_pointer(&b, g_strfreev);

    /* hcall-scm appears exactly when the SCM calls are registered */
    g_assert_true(spapr_hcall_register_table(m, fake_sets,
                                             G_N_ELEMENTS(fake_sets), &err));
    fdt = spapr_fdt_build(m, &err);
    a = strv_prop(fdt, "/rtas", "ibm,hypertas-functions");
    b = strv_prop(fdt, "/rtas", "qemu,hypertas-functions");
    assert_strv(a, ibm2);
    assert_strv(b, priv2);
    fdt_test_dtc(fdt);
    g_free(fdt);
    g_clear_pointer(&a, g_strfreev);
    g_clear_pointer(&b, g_strfreev);

    g_assert_true(spapr_hcall_unregister(m, PAPR_H_SCM_READ_METADATA));
    fdt = spapr_fdt_build(m, &err);
    a = strv_prop(fdt, "/rtas", "ibm,hypertas-functions");
    assert_strv(a, ibm2);           /* H_SCM_BIND_MEM is still there */
    g_free(fdt);
    g_clear_pointer(&a, g_strfreev);
    g_assert_true(spapr_hcall_unregister(m, PAPR_H_SCM_BIND_MEM));
    g_assert_true(spapr_hcall_unregister(m, PAPR_KVMPPC_H_LOGICAL_MEMOP));
    g_assert_true(spapr_hcall_unregister(m, SPAPR_H_EPAPR));
    fdt = spapr_fdt_build(m, &err);
    a = strv_prop(fdt, "/rtas", "ibm,hypertas-functions");
    assert_strv(a, ibm1);
    g_assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/rtas"),
                              "qemu,hypertas-functions", NULL));
    g_free(fdt);
    spapr_machine_free(m);
}

/* A caller's tree: QEMU-like root, /rtas, /cpus, /hypervisor, pmem. */
static void *caller_tree(size_t room)
{
    void *fdt = g_malloc0(room);
    fdt32_t cells[3];
    static const char names[] = "\0\0\0\2LMB 0\0PMEM 5";
    static const char types[] = "\0\0\0\2MEM\0PMEM";

    g_assert_cmpint(fdt_create_empty_tree(fdt, room), ==, 0);
    g_assert_cmpint(fdt_add_mem_rsv(fdt, 0x1000, 0x2000), ==, 0);
    fdt_set_boot_cpuid_phys(fdt, 7);
    g_assert_cmpint(fdt_setprop_string(fdt, 0, "model", "qemu"), ==, 0);
    cells[0] = cpu_to_fdt32(2);
    cells[1] = cpu_to_fdt32(0x80000000);
    cells[2] = cpu_to_fdt32(0x90000005);
    g_assert_cmpint(fdt_setprop(fdt, 0, "ibm,drc-indexes", cells,
                                sizeof(cells)), ==, 0);
    cells[1] = cpu_to_fdt32(0x12);
    cells[2] = cpu_to_fdt32(0x34);
    g_assert_cmpint(fdt_setprop(fdt, 0, "ibm,drc-power-domains", cells,
                                sizeof(cells)), ==, 0);
    g_assert_cmpint(fdt_setprop(fdt, 0, "ibm,drc-names", names,
                                sizeof(names)), ==, 0);
    g_assert_cmpint(fdt_setprop(fdt, 0, "ibm,drc-types", types,
                                sizeof(types)), ==, 0);
    g_assert_cmpint(fdt_add_subnode(fdt, 0, "rtas"), >=, 0);
    g_assert_cmpint(fdt_setprop(fdt, fdt_path_offset(fdt, "/rtas"),
                                "ibm,hypertas-functions",
                                "hcall-pft\0hcall-debug",
                                sizeof("hcall-pft\0hcall-debug")), ==, 0);
    g_assert_cmpint(fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/rtas"),
                                    "rtas-size", 0x2000), ==, 0);
    g_assert_cmpint(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/rtas"),
                                       "qemu,hypertas-functions",
                                       "hcall-memop1"), ==, 0);
    g_assert_cmpint(fdt_add_subnode(fdt, 0, "hypervisor"), >=, 0);
    g_assert_cmpint(fdt_setprop_string(fdt,
                                       fdt_path_offset(fdt, "/hypervisor"),
                                       "compatible", "old"), ==, 0);
    g_assert_cmpint(fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/hypervisor"),
                                    "other", 1), ==, 0);
    g_assert_cmpint(fdt_add_subnode(fdt, 0, "cpus"), >=, 0);
    g_assert_cmpint(fdt_add_subnode(fdt, fdt_path_offset(fdt, "/cpus"),
                                    "PowerPC,POWER9@0"), >=, 0);
    g_assert_cmpint(fdt_setprop_u32(fdt,
                        fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@0"),
                        "phandle", 0x42), ==, 0);
    return fdt;
}

static void test_add_nodes(void)
{
    static const char *const ibm[] = { "hcall-pft", "hcall-debug", NULL };
    static const char *const priv[] = { "hcall-memop1", "hcall-epapr",
                                        NULL };
    SpaprMachineConfig cfg = { .pmem_slots = 2 };
    g_autoptr(GError) err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);
    g_autofree void *fdt = NULL, *small = NULL, *copy = NULL;
    g_autoptr(GArray) root = NULL, cpus = NULL;
    g_auto(GStrv) a = NULL, b = NULL;
    size_t room;
    unsigned runs;
    int off;

    g_assert_true(spapr_hcall_register_debug(m, &err));
    g_assert_true(spapr_hcall_register_epapr(m, &err));
    add_drcs(m, PAPR_DRC_TYPE_PMEM, 5, 1);         /* also in caller's */
    add_drcs(m, PAPR_DRC_TYPE_CPU, 0, 2);

    /* Too small: refused, tree untouched */
    small = caller_tree(1024);
    copy = g_memdup2(small, 1024);
    g_assert_false(spapr_fdt_add_nodes(m, small, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_FULL);
    g_clear_error(&err);
    g_assert_cmpmem(small, 1024, copy, 1024);

    room = 1024 + spapr_fdt_add_nodes_size(m);
    fdt = caller_tree(room);
    g_assert_true(spapr_fdt_add_nodes(m, fdt, &err));
    g_assert_no_error(err);
    g_assert_cmpint(fdt_check_full(fdt, room), ==, 0);
    g_assert_cmpuint(fdt_totalsize(fdt), ==, room);
    g_assert_cmpint(fdt_num_mem_rsv(fdt), ==, 1);
    g_assert_cmpuint(fdt_boot_cpuid_phys(fdt), ==, 7);
    g_assert_cmpstr(fdt_getprop(fdt, 0, "model", NULL), ==, "qemu");
    off = fdt_node_offset_by_phandle(fdt, 0x42);
    g_assert_cmpint(off, ==, fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@0"));

    /* DRCs: the caller's LMB kept, PMEM 5 is ours (power domain -1) */
    root = check_drcs(fdt, "/", &runs);
    g_assert_cmpuint(root->len, ==, 4);
    g_assert_cmphex(g_array_index(root, Drc, 0).index, ==, 0x80000000);
    g_assert_cmphex(g_array_index(root, Drc, 0).pd, ==, 0x12);
    g_assert_cmphex(g_array_index(root, Drc, 3).index, ==, 0x90000005);
    g_assert_cmphex(g_array_index(root, Drc, 3).pd, ==, 0xffffffff);
    g_assert_cmpuint(runs, ==, 3);
    cpus = check_drcs(fdt, "/cpus", &runs);
    g_assert_cmpuint(cpus->len, ==, 2);

    /* Hcall sets: union, the caller's first */
    a = strv_prop(fdt, "/rtas", "ibm,hypertas-functions");
    b = strv_prop(fdt, "/rtas", "qemu,hypertas-functions");
    assert_strv(a, ibm);
    assert_strv(b, priv);
    g_assert_cmpuint(fdt_getprop_u32(fdt, fdt_path_offset(fdt, "/rtas"),
                                     "rtas-size"), ==, 0x2000);

    /* /hypervisor reused: ours replace, the rest stays */
    off = fdt_path_offset(fdt, "/hypervisor");
    g_assert_cmpstr(fdt_getprop(fdt, off, "compatible", NULL), ==,
                    "linux,kvm");
    g_assert_cmpuint(fdt_getprop_u32(fdt, off, "other"), ==, 1);
    g_assert_nonnull(fdt_getprop(fdt, off, "hcall-instructions", NULL));
    g_assert_cmpint(fdt_path_offset(fdt, "/ibm,persistent-memory"), >=, 0);

    /* Idempotent: adding again changes nothing */
    g_free(copy);
    copy = g_memdup2(fdt, room);
    g_assert_true(spapr_fdt_add_nodes(m, fdt, &err));
    g_assert_cmpmem(fdt, room, copy, room);
    fdt_test_dtc(fdt);
    spapr_machine_free(m);
}

static void test_rebuild_follows_state(void)
{
    g_autoptr(GError) err = NULL;
    SpaprMachine *m = spapr_machine_new(NULL, &err);
    g_autofree void *before = spapr_fdt_build(m, &err);
    g_autofree void *after = NULL;
    g_autoptr(GArray) root = NULL;
    unsigned runs;

    add_drcs(m, PAPR_DRC_TYPE_PMEM, 3, 1);
    after = spapr_fdt_build(m, &err);
    g_assert_no_error(err);
    root = check_drcs(after, "/", &runs);
    g_assert_cmpuint(root->len, ==, 1);
    g_assert_cmpstr(g_array_index(root, Drc, 0).name, ==, "PMEM 3");
    g_assert_cmpuint(fdt_totalsize(after), >, fdt_totalsize(before));
    g_assert_true(papr_drc_delete(spapr_machine_drcs(m), 0x90000003,
                                   &err));
    g_free(after);
    after = spapr_fdt_build(m, &err);
    g_assert_cmpmem(before, fdt_totalsize(before), after,
                    fdt_totalsize(after));
    spapr_machine_free(m);
}

static void test_dts_renderer(void)
{
    g_autoptr(GError) err = NULL;
    char buf[4096];
    g_autofree char *dts = NULL;
    static const uint8_t bytes[] = { 1, 2, 3 };
    int off;

    g_assert_cmpint(fdt_create_empty_tree(buf, sizeof(buf)), ==, 0);
    g_assert_cmpint(fdt_add_mem_rsv(buf, 0x10000000, 0x1000), ==, 0);
    off = fdt_add_subnode(buf, 0, "node@1");
    g_assert_cmpint(fdt_setprop_string(buf, off, "s", "a \"q\" \\"), ==, 0);
    g_assert_cmpint(fdt_setprop(buf, off, "list", "x\0yz", 5), ==, 0);
    g_assert_cmpint(fdt_setprop_u64(buf, off, "u64", 0x100000002ULL), ==, 0);
    g_assert_cmpint(fdt_setprop(buf, off, "bytes", bytes, 3), ==, 0);
    g_assert_cmpint(fdt_setprop(buf, off, "empty", NULL, 0), ==, 0);
    g_assert_cmpint(fdt_setprop(buf, off, "nul", "\0\0\0", 4), ==, 0);
    g_assert_cmpint(fdt_setprop(buf, off, "mix", "\0\0\0\2ab\0\0\0\0\5",
                                11), ==, 0);
    g_assert_cmpint(fdt_add_subnode(buf, off, "child"), >=, 0);
    dts = spapr_fdt_to_dts(buf, &err);
    g_assert_no_error(err);
    g_assert_nonnull(strstr(dts, "/dts-v1/;\n"));
    g_assert_nonnull(strstr(dts, "/memreserve/ 0x10000000 0x1000;\n"));
    g_assert_nonnull(strstr(dts, "\t\ts = \"a \\\"q\\\" \\\\\";\n"));
    g_assert_nonnull(strstr(dts, "\t\tlist = \"x\", \"yz\";\n"));
    g_assert_nonnull(strstr(dts, "\t\tu64 = <0x1 0x2>;\n"));
    g_assert_nonnull(strstr(dts, "\t\tbytes = [01 02 03];\n"));
    g_assert_nonnull(strstr(dts, "\t\tempty;\n"));
    g_assert_nonnull(strstr(dts, "\t\tnul = <0x0>;\n"));
    g_assert_nonnull(strstr(dts, "\t\tmix = <0x2>, \"ab\", <0x5>;\n"));
    g_assert_nonnull(strstr(dts, "\t\tchild {\n\t\t};\n"));
    fdt_test_dts_roundtrip(buf, dts);

    /* A corrupt blob is refused, not walked */
    fdt_set_size_dt_struct(buf, 3);
    g_assert_null(spapr_fdt_to_dts(buf, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
}

static void test_dts_of_machine(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256ULL << 20, .pmem_slots = 4 };
    g_autoptr(GError) err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);
    g_autofree void *fdt = NULL;
    g_autofree char *dts = NULL;

    g_assert_true(spapr_hcall_register_debug(m, &err));
    g_assert_true(spapr_hcall_register_epapr(m, &err));
    add_drcs(m, PAPR_DRC_TYPE_CPU, 0, 2);
    fdt = spapr_fdt_build(m, &err);
    dts = spapr_fdt_to_dts(fdt, &err);
    g_assert_no_error(err);
    g_assert_nonnull(strstr(dts, "hcall-instructions = <0x7c6c1b78 "
                            "0x38600000 0x6063f0e0 0x44000022>;"));
    g_assert_nonnull(strstr(dts, "ibm,hypertas-functions = "
                            "\"hcall-debug\";"));
    g_assert_nonnull(strstr(dts, "ibm,drc-names = <0x4>, \"PMEM 0\", "
                            "\"PMEM 1\", \"PMEM 2\", \"PMEM 3\";"));
    g_assert_nonnull(strstr(dts, "ibm,drc-info = <0x1>, \"PMEM\", "
                            "\"PMEM \", <0x90000000 0x0 0x4 0x1 "
                            "0xffffffff>;"));
    fdt_test_dts_roundtrip(fdt, dts);
    spapr_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fdt/empty-machine", test_empty_machine);
    g_test_add_func("/fdt/drc-properties", test_drc_properties);
    g_test_add_func("/fdt/hypertas", test_hypertas);
    g_test_add_func("/fdt/add-nodes", test_add_nodes);
    g_test_add_func("/fdt/rebuild", test_rebuild_follows_state);
    g_test_add_func("/fdt/dts-renderer", test_dts_renderer);
    g_test_add_func("/fdt/dts-machine", test_dts_of_machine);
    return g_test_run();
}
