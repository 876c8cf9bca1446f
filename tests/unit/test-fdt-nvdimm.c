/*
 * Unit tests: /ibm,persistent-memory for machines with 0, 1 and 1024
 * NVDIMMs, parsed with libfdt property by property, and decompiled by dtc
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "spapr-hcall/spapr-hcall.h"
#include "spapr-hcall/nvdimm.h"
#include "fdt-test-util.h"

#define LABEL       (128ULL << 10)
#define BLOCK       (256ULL << 20)
#define MANY        1024

static SpaprMachine *new_machine(unsigned int slots)
{
    SpaprMachineConfig cfg = { .ram_size = BLOCK, .pmem_slots = slots };
    g_autoptr(GError) err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);

    g_assert_no_error(err);
    return m;
}

static char *uuid_of(unsigned int i)
{
    return g_strdup_printf("%08x-1234-4abc-8def-%012x", i, i * 7);
}

static SpaprNvdimm *add_ram_nvdimm(SpaprMachine *m, unsigned int i,
                                   uint64_t blocks, uint32_t node)
{
    g_autofree char *id = g_strdup_printf("nv%u", i);
    g_autofree char *uuid = uuid_of(i);
    SpaprNvdimmConfig cfg = {
        .id = id, .size = blocks * BLOCK + LABEL, .label_size = LABEL,
        .uuid = uuid, .slot = SPAPR_NVDIMM_SLOT_AUTO, .numa_node = node,
    };
    g_autoptr(GError) err = NULL;
    SpaprNvdimm *nv = spapr_nvdimm_create(m, &cfg, &err);

    g_assert_no_error(err);
    return nv;
}

static uint64_t prop_u64(const void *fdt, int off, const char *name)
{
    int len;
    const fdt64_t *p = fdt_getprop(fdt, off, name, &len);

    g_assert_nonnull(p);
    g_assert_cmpint(len, ==, 8);
    return fdt64_ld(p);
}

static void assert_empty_prop(const void *fdt, int off, const char *name,
                              bool present)
{
    int len;
    const void *p = fdt_getprop(fdt, off, name, &len);

    if (present) {
        g_assert_nonnull(p);
        g_assert_cmpint(len, ==, 0);
    } else {
        g_assert_null(p);
    }
}

/* Every property papr_scm (and QEMU) has on one ibm,pmemory node. */
static void check_pmem_node(const void *fdt, int off, SpaprNvdimm *nv)
{
    uint32_t drc = spapr_nvdimm_drc_index(nv);
    g_autofree char *name = g_strdup_printf("ibm,pmemory@%x", drc);
    const fdt32_t *assoc;
    int len;

    g_assert_cmpstr(fdt_get_name(fdt, off, NULL), ==, name);
    g_assert_cmpuint(fdt_getprop_u32(fdt, off, "reg"), ==, drc);
    g_assert_cmpuint(fdt_getprop_u32(fdt, off, "ibm,my-drc-index"), ==, drc);
    g_assert_cmpstr(fdt_getprop(fdt, off, "compatible", &len), ==,
                    "ibm,pmemory");
    g_assert_cmpint(len, ==, sizeof("ibm,pmemory"));
    g_assert_cmpstr(fdt_getprop(fdt, off, "device_type", NULL), ==,
                    "ibm,pmemory");
    g_assert_cmpstr(fdt_getprop(fdt, off, "ibm,unit-guid", NULL), ==,
                    spapr_nvdimm_uuid(nv));
    g_assert_cmphex(prop_u64(fdt, off, "ibm,block-size"), ==, BLOCK);
    g_assert_cmphex(prop_u64(fdt, off, "ibm,number-of-blocks"), ==,
                    spapr_nvdimm_nr_blocks(nv));
    g_assert_cmpuint(fdt_getprop_u32(fdt, off, "ibm,metadata-size"), ==,
                     spapr_nvdimm_label_size(nv));
    g_assert_cmpstr(fdt_getprop(fdt, off, "ibm,pmem-application", NULL),
                    ==, "operating-system");
    assert_empty_prop(fdt, off, "ibm,cache-flush-required", true);
    assert_empty_prop(fdt, off, "ibm,hcall-flush-required",
                      spapr_nvdimm_hcall_flush_required(nv));
    g_assert_cmpuint(prop_u64(fdt, off, "ibm,persistence-failed-count"), ==,
                     spapr_nvdimm_persistence_failed_count(nv));
    assoc = fdt_getprop(fdt, off, "ibm,associativity", &len);
    g_assert_nonnull(assoc);
    g_assert_cmpint(len, ==, 20);
    g_assert_cmpuint(fdt32_ld(&assoc[0]), ==, 4);
    g_assert_cmpuint(fdt32_ld(&assoc[1]), ==, 0);
    g_assert_cmpuint(fdt32_ld(&assoc[2]), ==, 0);
    g_assert_cmpuint(fdt32_ld(&assoc[3]), ==, 0);
    g_assert_cmpuint(fdt32_ld(&assoc[4]), ==, spapr_nvdimm_numa_node(nv));
}

static int pmem_container(const void *fdt)
{
    int off = fdt_node_offset_by_prop_value(fdt, -1, "device_type",
                                            "ibm,persistent-memory",
                                            sizeof("ibm,persistent-memory"));

    g_assert_cmpint(off, >=, 0);
    g_assert_cmpint(off, ==, fdt_path_offset(fdt, "/ibm,persistent-memory"));
    return off;
}

static unsigned int count_children(const void *fdt, int off)
{
    unsigned int n = 0;
    int child;

    fdt_for_each_subnode(child, fdt, off) {
        n++;
    }
    return n;
}

/* PMEM DRCs on the root: count and that @index is among them. */
static unsigned int root_pmem_drcs(const void *fdt, uint32_t index,
                                   bool *found)
{
    const fdt32_t *idx = fdt_getprop(fdt, 0, "ibm,drc-indexes", NULL);
    uint32_t n, i, pmem = 0;

    g_assert_nonnull(idx);
    n = fdt32_ld(idx);
    *found = false;
    for (i = 0; i < n; i++) {
        uint32_t v = fdt32_ld(&idx[1 + i]);

        pmem += (v >> 28) == PAPR_DRC_TYPE_PMEM;
        *found |= v == index;
    }
    return pmem;
}

static void test_zero(void)
{
    SpaprMachine *m = new_machine(16);
    g_autoptr(GError) err = NULL;
    g_autofree void *fdt = spapr_fdt_build(m, &err);
    bool found;

    g_assert_no_error(err);
    g_assert_cmpint(fdt_check_full(fdt, fdt_totalsize(fdt)), ==, 0);
    g_assert_cmpuint(count_children(fdt, pmem_container(fdt)), ==, 0);
    /* Empty slots are listed, so they can be hot-plugged later */
    g_assert_cmpuint(root_pmem_drcs(fdt, 0x9000000f, &found), ==, 16);
    g_assert_true(found);
    fdt_test_dtc(fdt);
    spapr_machine_free(m);
}

static void test_one(void)
{
    SpaprMachine *m = new_machine(4);
    g_autoptr(GError) err = NULL;
    g_autofree void *fdt = NULL;
    g_autofree char *dts = NULL;
    SpaprNvdimm *nv = add_ram_nvdimm(m, 0, 4, 3);
    int off, child;
    bool found;

    fdt = spapr_fdt_build(m, &err);
    g_assert_no_error(err);
    g_assert_cmpint(fdt_check_full(fdt, fdt_totalsize(fdt)), ==, 0);
    off = pmem_container(fdt);
    g_assert_cmpuint(count_children(fdt, off), ==, 1);
    child = fdt_path_offset(fdt,
                            "/ibm,persistent-memory/ibm,pmemory@90000000");
    g_assert_cmpint(child, ==, fdt_first_subnode(fdt, off));
    check_pmem_node(fdt, child, nv);
    g_assert_cmphex(prop_u64(fdt, child, "ibm,number-of-blocks"), ==, 4);
    g_assert_cmpuint(fdt_getprop_u32(fdt, child, "ibm,metadata-size"), ==,
                     LABEL);
    g_assert_cmpstr(fdt_getprop(fdt, child, "ibm,unit-guid", NULL), ==,
                    "00000000-1234-4abc-8def-000000000000");
    assert_empty_prop(fdt, child, "ibm,hcall-flush-required", false);
    g_assert_cmpuint(root_pmem_drcs(fdt, 0x90000000, &found), ==, 4);
    g_assert_true(found);

    fdt_test_dtc(fdt);
    dts = spapr_fdt_to_dts(fdt, &err);
    g_assert_no_error(err);
    g_assert_nonnull(strstr(dts, "\t\tibm,pmemory@90000000 {\n"));
    fdt_test_dts_roundtrip(fdt, dts);
    spapr_machine_free(m);
}

/* A file backend asks for H_SCM_FLUSH: ibm,hcall-flush-required. */
static void test_file_backend_flush(void)
{
    SpaprMachine *m = new_machine(0);
    g_autofree char *dir = fdt_test_tmpdir();
    g_autofree char *path = g_build_filename(dir, "pmem.img", NULL);
    g_autofree char *state = g_strconcat(path, ".state", NULL);
    SpaprNvdimmConfig cfg = {
        .id = "f0", .mem_path = path, .size = BLOCK + LABEL,
        .label_size = LABEL, .hcall_flush = true, .slot = 7,
        .uuid = "0f0f0f0f-0000-4000-8000-000000000001",
    };
    g_autoptr(GError) err = NULL;
    g_autofree void *fdt = NULL;
    SpaprNvdimm *nv = spapr_nvdimm_create(m, &cfg, &err);
    int off;

    g_assert_no_error(err);
    g_assert_true(spapr_nvdimm_hcall_flush_required(nv));
    fdt = spapr_fdt_build(m, &err);
    g_assert_no_error(err);
    off = fdt_path_offset(fdt, "/ibm,persistent-memory/ibm,pmemory@90000007");
    g_assert_cmpint(off, >=, 0);
    check_pmem_node(fdt, off, nv);
    assert_empty_prop(fdt, off, "ibm,hcall-flush-required", true);
    fdt_test_dtc(fdt);
    spapr_machine_free(m);
    g_unlink(path);
    g_unlink(state);
    g_rmdir(dir);
}

static void check_many(const void *fdt, SpaprNvdimm **nvs)
{
    int off = pmem_container(fdt), child;
    unsigned int i = 0;
    bool found;

    g_assert_cmpint(fdt_check_full(fdt, fdt_totalsize(fdt)), ==, 0);
    fdt_for_each_subnode(child, fdt, off) {
        g_assert_cmpuint(i, <, MANY);
        check_pmem_node(fdt, child, nvs[i]);
        g_assert_cmphex(spapr_nvdimm_drc_index(nvs[i]), ==, 0x90000000 + i);
        i++;
    }
    g_assert_cmpuint(i, ==, MANY);
    g_assert_cmpuint(root_pmem_drcs(fdt, 0x90000000 + MANY - 1, &found),
                     ==, MANY);
    g_assert_true(found);
}

static void test_many(void)
{
    SpaprMachine *m = new_machine(MANY);
    g_autofree SpaprNvdimm **nvs = g_new(SpaprNvdimm *, MANY);
    g_autoptr(GError) err = NULL;
    g_autofree void *fdt = NULL, *merged = NULL;
    g_autofree char *dts = NULL;
    size_t room;
    unsigned int i;

    for (i = 0; i < MANY; i++) {
        nvs[i] = add_ram_nvdimm(m, i, 1, i % 4);
    }
    fdt = spapr_fdt_build(m, &err);
    g_assert_no_error(err);
    check_many(fdt, nvs);
    fdt_test_dtc(fdt);
    dts = spapr_fdt_to_dts(fdt, &err);
    g_assert_no_error(err);
    fdt_test_dts_roundtrip(fdt, dts);

    /* The same nodes merged into a caller's (empty) tree */
    room = 256 + spapr_fdt_add_nodes_size(m);
    merged = g_malloc0(room);
    g_assert_cmpint(fdt_create_empty_tree(merged, room), ==, 0);
    g_assert_true(spapr_fdt_add_nodes(m, merged, &err));
    g_assert_no_error(err);
    check_many(merged, nvs);
    spapr_machine_free(m);
}

/* A caller's container: its own children stay, ours replace theirs. */
static void test_merge_container(void)
{
    SpaprMachine *m = new_machine(2);
    SpaprNvdimm *nv = add_ram_nvdimm(m, 1, 2, 0);
    g_autoptr(GError) err = NULL;
    size_t room = 4096 + spapr_fdt_add_nodes_size(m);
    g_autofree void *fdt = g_malloc0(room);
    int pm, off;

    g_assert_cmpint(fdt_create_empty_tree(fdt, room), ==, 0);
    /* QEMU 5.0-6.0 named it persistent-memory: found by device_type */
    pm = fdt_add_subnode(fdt, 0, "persistent-memory");
    g_assert_cmpint(fdt_setprop_string(fdt, pm, "device_type",
                                       "ibm,persistent-memory"), ==, 0);
    off = fdt_add_subnode(fdt, pm, "ibm,pmemory@90000000");
    g_assert_cmpint(fdt_setprop_string(fdt, off, "stale", "yes"), ==, 0);
    off = fdt_add_subnode(fdt, pm, "ibm,pmemory@90000010");
    g_assert_cmpint(fdt_setprop_string(fdt, off, "foreign", "yes"), ==, 0);

    g_assert_true(spapr_fdt_add_nodes(m, fdt, &err));
    g_assert_no_error(err);
    g_assert_cmpint(fdt_path_offset(fdt, "/ibm,persistent-memory"), ==,
                    -FDT_ERR_NOTFOUND);
    pm = fdt_path_offset(fdt, "/persistent-memory");
    g_assert_cmpuint(fdt_getprop_u32(fdt, pm, "#address-cells"), ==, 1);
    g_assert_cmpuint(count_children(fdt, pm), ==, 2);
    off = fdt_subnode_offset(fdt, pm, "ibm,pmemory@90000000");
    check_pmem_node(fdt, off, nv);
    g_assert_null(fdt_getprop(fdt, off, "stale", NULL));
    off = fdt_subnode_offset(fdt, pm, "ibm,pmemory@90000010");
    g_assert_nonnull(fdt_getprop(fdt, off, "foreign", NULL));
    spapr_machine_free(m);
}

/*
 * ibm,configure-connector for a hot-plugged NVDIMM: the same node, added
 * to a caller's small read-write tree; refused for an empty connector or
 * a tree without room, which then stays valid.
 */
static void test_hotplug_node(void)
{
    SpaprMachine *m = new_machine(4);
    g_autoptr(GError) err = NULL;
    g_autofree void *full = NULL;
    uint8_t small[256];
    uint8_t tree[4096];
    SpaprNvdimm *nv = add_ram_nvdimm(m, 2, 8, 1);
    uint32_t drc = spapr_nvdimm_drc_index(nv);
    int off, ref, p1, p2, l1, l2;

    g_assert_cmpint(fdt_create_empty_tree(tree, sizeof(tree)), ==, 0);
    off = spapr_fdt_add_pmem_node(m, drc, tree, 0, &err);
    g_assert_no_error(err);
    g_assert_cmpint(off, >, 0);
    g_assert_cmpint(fdt_check_full(tree, fdt_totalsize(tree)), ==, 0);
    check_pmem_node(tree, off, nv);

    /* Property for property what the boot-time tree has */
    full = spapr_fdt_build(m, &err);
    g_assert_no_error(err);
    ref = fdt_subnode_offset(full, pmem_container(full),
                             fdt_get_name(tree, off, NULL));
    g_assert_cmpint(ref, >=, 0);
    p1 = fdt_first_property_offset(tree, off);
    p2 = fdt_first_property_offset(full, ref);
    while (p1 >= 0 && p2 >= 0) {
        const char *n1, *n2;
        const void *v1 = fdt_getprop_by_offset(tree, p1, &n1, &l1);
        const void *v2 = fdt_getprop_by_offset(full, p2, &n2, &l2);

        g_assert_cmpstr(n1, ==, n2);
        g_assert_cmpint(l1, ==, l2);
        g_assert_cmpmem(v1, l1, v2, l2);
        p1 = fdt_next_property_offset(tree, p1);
        p2 = fdt_next_property_offset(full, p2);
    }
    g_assert_cmpint(p1, ==, p2);

    g_assert_cmpint(spapr_fdt_add_pmem_node(m, drc + 1, tree, 0, &err), ==,
                    -1);
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_NOT_FOUND);
    g_clear_error(&err);

    g_assert_cmpint(fdt_create_empty_tree(small, sizeof(small)), ==, 0);
    g_assert_cmpint(spapr_fdt_add_pmem_node(m, drc, small, 0, &err), ==, -1);
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_FULL);
    g_assert_cmpint(fdt_check_full(small, fdt_totalsize(small)), ==, 0);
    spapr_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fdt-nvdimm/zero", test_zero);
    g_test_add_func("/fdt-nvdimm/one", test_one);
    g_test_add_func("/fdt-nvdimm/file-backend-flush",
                    test_file_backend_flush);
    g_test_add_func("/fdt-nvdimm/many", test_many);
    g_test_add_func("/fdt-nvdimm/merge-container", test_merge_container);
    g_test_add_func("/fdt-nvdimm/hotplug-node", test_hotplug_node);
    return g_test_run();
}
