/*
 * Unit tests: DRC index encoding, names, registry and typed lookup
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "spapr-hcall/spapr-hcall.h"

static void test_encoding(void)
{
    PaprDrcType t;

    g_assert_cmphex(papr_drc_index_make(PAPR_DRC_TYPE_PMEM, 0), ==,
                    0x90000000);
    g_assert_cmphex(papr_drc_index_make(PAPR_DRC_TYPE_PMEM, 7), ==,
                    0x90000007);
    g_assert_cmphex(papr_drc_index_make(PAPR_DRC_TYPE_CPU, 8), ==,
                    0x10000008);
    g_assert_cmphex(papr_drc_index_make(PAPR_DRC_TYPE_PHB, 1), ==,
                    0x20000001);
    g_assert_cmphex(papr_drc_index_make(PAPR_DRC_TYPE_PCI, 0x10), ==,
                    0x40000010);
    g_assert_cmphex(papr_drc_index_make(PAPR_DRC_TYPE_LMB, 16), ==,
                    0x80000010);
    /* The id is masked to 28 bits */
    g_assert_cmphex(papr_drc_index_make(PAPR_DRC_TYPE_LMB, 0x1FFFFFFF),
                    ==, 0x8FFFFFFF);
    g_assert_true(papr_drc_index_type(0x90000003, &t));
    g_assert_cmpint(t, ==, PAPR_DRC_TYPE_PMEM);
    g_assert_true(papr_drc_index_type(0x80000000, &t));
    g_assert_cmpint(t, ==, PAPR_DRC_TYPE_LMB);
    g_assert_false(papr_drc_index_type(0x00000001, &t));
    g_assert_false(papr_drc_index_type(0x50000000, &t));
    g_assert_false(papr_drc_index_type(0xF0000000, &t));
    g_assert_cmpstr(papr_drc_type_name(PAPR_DRC_TYPE_PMEM), ==, "PMEM");
    g_assert_cmpstr(papr_drc_type_name(PAPR_DRC_TYPE_LMB), ==, "MEM");
    g_assert_cmpstr(papr_drc_type_name(PAPR_DRC_TYPE_CPU), ==, "CPU");
    g_assert_cmpstr(papr_drc_type_name(PAPR_DRC_TYPE_PHB), ==, "PHB");
    g_assert_cmpstr(papr_drc_type_name(PAPR_DRC_TYPE_PCI), ==, "28");
    g_assert_null(papr_drc_type_name(5));
    g_assert_null(papr_drc_type_name(42));
    g_assert_cmpstr(papr_drc_name_prefix(PAPR_DRC_TYPE_PMEM), ==, "PMEM ");
    g_assert_cmpstr(papr_drc_name_prefix(PAPR_DRC_TYPE_LMB), ==, "LMB ");
    g_assert_cmpstr(papr_drc_name_prefix(PAPR_DRC_TYPE_PCI), ==, "C");
    g_assert_true(papr_drc_is_logical(PAPR_DRC_TYPE_PMEM));
    g_assert_false(papr_drc_is_logical(PAPR_DRC_TYPE_PCI));
}

static void dev_finalize(SpaprDevice *dev)
{
}

static const SpaprDeviceClass test_class = {
    .type = "test-dev", .finalize = dev_finalize,
};

static void collect(PaprDrc *drc, void *opaque)
{
    g_array_append_val((GArray *)opaque, drc->index);
}

static void test_registry(void)
{
    PaprDrcRegistry *reg = papr_drc_registry_new();
    SpaprDevice dev;
    PaprDrc *pmem, *lmb, *out;
    GError *err = NULL;
    GArray *order = g_array_new(FALSE, FALSE, sizeof(uint32_t));

    spapr_device_init(&dev, &test_class, "nv0");
    pmem = papr_drc_new(reg, PAPR_DRC_TYPE_PMEM, 3, &err);
    g_assert_no_error(err);
    g_assert_cmphex(pmem->index, ==, 0x90000003);
    g_assert_cmpstr(pmem->name, ==, "PMEM 3");
    g_assert_cmpint(pmem->state, ==, PAPR_DRC_STATE_LOGICAL_UNUSABLE);
    lmb = papr_drc_new(reg, PAPR_DRC_TYPE_LMB, 1, NULL);
    g_assert_nonnull(papr_drc_new(reg, PAPR_DRC_TYPE_PMEM, 0, NULL));
    g_assert_nonnull(papr_drc_new(reg, PAPR_DRC_TYPE_CPU, 0, NULL));
    g_assert_nonnull(papr_drc_new(reg, PAPR_DRC_TYPE_PCI, 2, NULL));
    g_assert_cmpstr(lmb->name, ==, "LMB 1");

    /* Duplicates and invalid ids/types are errors, not aborts */
    g_assert_null(papr_drc_new(reg, PAPR_DRC_TYPE_PMEM, 3, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_EXISTS);
    g_clear_error(&err);
    g_assert_null(papr_drc_new(reg, PAPR_DRC_TYPE_PMEM, 1u << 28, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    g_assert_null(papr_drc_new(reg, 6, 0, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);

    /* The four lookup outcomes */
    g_assert_cmpint(papr_drc_lookup(reg, 0x90000003, PAPR_DRC_TYPE_PMEM,
                                     &out), ==, PAPR_DRC_EMPTY);
    g_assert_true(out == pmem);
    g_assert_true(papr_drc_attach(pmem, &dev, NULL));
    g_assert_cmpint(papr_drc_lookup(reg, 0x90000003, PAPR_DRC_TYPE_PMEM,
                                     &out), ==, PAPR_DRC_FOUND);
    g_assert_true(out == pmem && out->dev == &dev);
    g_assert_cmpint(papr_drc_lookup(reg, 0x80000001, PAPR_DRC_TYPE_PMEM,
                                     &out), ==, PAPR_DRC_WRONG_TYPE);
    g_assert_null(out);
    g_assert_cmpint(papr_drc_lookup(reg, 0x90000004, PAPR_DRC_TYPE_PMEM,
                                     &out), ==, PAPR_DRC_NO_SUCH_INDEX);
    g_assert_null(out);
    g_assert_cmpint(papr_drc_lookup(reg, 0, PAPR_DRC_TYPE_PMEM, &out), ==,
                    PAPR_DRC_NO_SUCH_INDEX);
    g_assert_cmpint(papr_drc_lookup(reg, UINT32_MAX, PAPR_DRC_TYPE_PMEM,
                                     &out), ==, PAPR_DRC_NO_SUCH_INDEX);

    /* Attach twice, reset states, delete rules */
    g_assert_false(papr_drc_attach(pmem, &dev, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_EXISTS);
    g_clear_error(&err);
    papr_drc_reset(pmem);
    g_assert_cmpint(pmem->state, ==, PAPR_DRC_STATE_LOGICAL_CONFIGURED);
    g_assert_false(papr_drc_delete(reg, 0x90000003, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    papr_drc_detach(pmem);
    g_assert_null(pmem->dev);
    g_assert_cmpint(pmem->state, ==, PAPR_DRC_STATE_LOGICAL_UNUSABLE);

    /* Iteration is in ascending index order, filtered by type mask */
    papr_drc_foreach(reg, PAPR_DRC_MASK_ANY, collect, order);
    g_assert_cmpuint(order->len, ==, 5);
    g_assert_cmphex(g_array_index(order, uint32_t, 0), ==, 0x10000000);
    g_assert_cmphex(g_array_index(order, uint32_t, 1), ==, 0x40000002);
    g_assert_cmphex(g_array_index(order, uint32_t, 2), ==, 0x80000001);
    g_assert_cmphex(g_array_index(order, uint32_t, 3), ==, 0x90000000);
    g_assert_cmphex(g_array_index(order, uint32_t, 4), ==, 0x90000003);
    g_assert_cmpuint(papr_drc_count(reg,
                     PAPR_DRC_MASK(PAPR_DRC_TYPE_PMEM)), ==, 2);
    g_assert_cmpuint(papr_drc_count(reg,
                     PAPR_DRC_MASK(PAPR_DRC_TYPE_PMEM) |
                     PAPR_DRC_MASK(PAPR_DRC_TYPE_LMB)), ==, 3);
    g_assert_true(papr_drc_delete(reg, 0x90000003, NULL));
    g_assert_null(papr_drc_by_index(reg, 0x90000003));
    g_assert_false(papr_drc_delete(reg, 0x90000003, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_NOT_FOUND);
    g_clear_error(&err);
    g_assert_cmpuint(papr_drc_count(reg, PAPR_DRC_MASK_ANY), ==, 4);

    spapr_device_cleanup(&dev);
    g_array_unref(order);
    papr_drc_registry_free(reg);
}

/* O(1) lookup: many connectors, each found by index */
static void test_many(void)
{
    PaprDrcRegistry *reg = papr_drc_registry_new();
    PaprDrc *out;
    uint32_t i;

    for (i = 0; i < 20000; i++) {
        g_assert_nonnull(papr_drc_new(reg, PAPR_DRC_TYPE_LMB,
                                       19999 - i, NULL));
    }
    for (i = 0; i < 20000; i++) {
        g_assert_cmpint(papr_drc_lookup(reg, 0x80000000 + i,
                                         PAPR_DRC_TYPE_LMB, &out), ==,
                        PAPR_DRC_EMPTY);
        g_assert_cmpuint(out->id, ==, i);
    }
    papr_drc_registry_free(reg);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/drc/encoding", test_encoding);
    g_test_add_func("/drc/registry", test_registry);
    g_test_add_func("/drc/many", test_many);
    return g_test_run();
}
