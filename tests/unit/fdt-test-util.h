/*
 * Unit tests: running Debian's dtc on the trees we produce
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The tests skip (g_test_skip) only when dtc is not installed; the CI
 * installs device-tree-compiler through scripts/install-deps.sh.
 */
#ifndef FDT_TEST_UTIL_H
#define FDT_TEST_UTIL_H

#include <libfdt.h>
#include <string.h>
#include <glib/gstdio.h>

/* A one-cell property (asserts it exists and is one cell). */
static inline uint32_t fdt_getprop_u32(const void *fdt, int off,
                                       const char *name)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, off, name, &len);

    g_assert_nonnull(p);
    g_assert_cmpint(len, ==, 4);
    return fdt32_ld(p);
}

/* Run dtc; returns its stdout (or NULL if dtc is missing). */
static inline char *fdt_test_run_dtc(const char *in_fmt, const char *out_fmt,
                                     const char *in_path,
                                     const char *out_path)
{
    g_autofree char *dtc = g_find_program_in_path("dtc");
    g_autofree char *err_text = NULL;
    g_autoptr(GError) err = NULL;
    char *out_text = NULL;
    int status;
    const char *argv[] = {
        dtc, "-q", "-I", in_fmt, "-O", out_fmt, "-o", out_path, in_path,
        NULL,
    };

    if (!dtc) {
        return NULL;
    }
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL,
                               G_SPAWN_DEFAULT, NULL, NULL, &out_text,
                               &err_text, &status, &err));
    g_assert_no_error(err);
    if (!g_spawn_check_wait_status(status, &err)) {
        g_test_message("dtc: %s", err_text);
    }
    g_assert_no_error(err);
    return out_text;
}

static inline char *fdt_test_tmpdir(void)
{
    g_autoptr(GError) err = NULL;
    char *dir = g_dir_make_tmp("spapr-fdt-XXXXXX", &err);

    g_assert_no_error(err);
    return dir;
}

static inline void fdt_test_rmdir(const char *dir, const char *const *files)
{
    for (; *files; files++) {
        g_autofree char *p = g_build_filename(dir, *files, NULL);

        g_unlink(p);
    }
    g_rmdir(dir);
}

/* Decompile a blob with dtc; returns the DTS text, NULL if no dtc. */
static inline char *fdt_test_decompile(const void *fdt)
{
    static const char *const files[] = { "t.dtb", "t.dts", NULL };
    g_autofree char *dir = fdt_test_tmpdir();
    g_autofree char *in = g_build_filename(dir, "t.dtb", NULL);
    g_autofree char *out = g_build_filename(dir, "t.dts", NULL);
    g_autoptr(GError) err = NULL;
    char *text = NULL, *o;

    g_assert_true(g_file_set_contents(in, fdt, fdt_totalsize(fdt), &err));
    o = fdt_test_run_dtc("dtb", "dts", in, out);
    if (o) {
        g_free(o);
        g_assert_true(g_file_get_contents(out, &text, NULL, &err));
    }
    fdt_test_rmdir(dir, files);
    return text;
}

/* dtc -I dtb -O dts must accept the tree. */
static inline void fdt_test_dtc(const void *fdt)
{
    g_autofree char *text = fdt_test_decompile(fdt);

    if (!text) {
        g_test_skip("dtc (device-tree-compiler) is not installed");
        return;
    }
    g_assert_true(g_str_has_prefix(text, "/dts-v1/;"));
}

/* Our DTS text compiles with dtc back to a tree equal to @fdt. */
static inline void fdt_test_dts_roundtrip(const void *fdt, const char *dts)
{
    static const char *const files[] = { "r.dts", "r.dtb", NULL };
    g_autofree char *dir = fdt_test_tmpdir();
    g_autofree char *src = g_build_filename(dir, "r.dts", NULL);
    g_autofree char *blob = g_build_filename(dir, "r.dtb", NULL);
    g_autofree char *o = NULL, *mine = NULL, *theirs = NULL;
    g_autofree char *data = NULL;
    g_autoptr(GError) err = NULL;
    gsize len;

    g_assert_true(g_file_set_contents(src, dts, -1, &err));
    o = fdt_test_run_dtc("dts", "dtb", src, blob);
    if (!o) {
        fdt_test_rmdir(dir, files);
        g_test_skip("dtc (device-tree-compiler) is not installed");
        return;
    }
    g_assert_true(g_file_get_contents(blob, &data, &len, &err));
    fdt_test_rmdir(dir, files);
    g_assert_cmpint(fdt_check_full(data, len), ==, 0);
    /* Same tree: dtc renders both identically */
    mine = fdt_test_decompile(fdt);
    theirs = fdt_test_decompile(data);
    g_assert_cmpstr(mine, ==, theirs);
}

#endif
