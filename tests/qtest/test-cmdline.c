/*
 * spapr-hv command line: errors name the option, jobs run to completion
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libqtest.h"

typedef struct BadOpt {
    const char *args;
    const char *msg;            /* must appear on stderr */
} BadOpt;

static const BadOpt bad_opts[] = {
    { "-bogus", "'-bogus': unknown option" },
    { "--frob=1", "'--frob=1': unknown option" },
    { "stray", "'stray': unexpected argument" },
    { "-m", "'-m': option requires an argument" },
    { "-m 100M", "multiple of 256 MiB" },
    { "-m lots", "-m: invalid value 'lots'" },
    { "-m 1G,slotz=2", "-m: unknown parameter 'slotz'" },
    { "-M q35", "unsupported machine type 'q35'" },
    { "-M pseries,frob=on", "unknown parameter 'frob'" },
    { "-machine pseries,accel=kvm", "invalid value 'kvm' for 'accel'" },
    { "-accel kvm", "unsupported accelerator 'kvm'" },
    { "-object iothread,id=x", "unsupported object type 'iothread'" },
    { "-object memory-backend-ram,id=m0", "size= is required" },
    { "-object memory-backend-ram,size=1G", "id= is required" },
    { "-object memory-backend-file,id=m,size=1G", "mem-path= is required" },
    { "-object memory-backend-ram,id=m,size=1Q",
      "invalid value '1Q' for 'size'" },
    { "-object memory-backend-ram,id=m,size=1G,share=maybe",
      "invalid value 'maybe' for 'share'" },
    { "-object memory-backend-ram,id=m,size=1G "
      "-object memory-backend-ram,id=m,size=1G", "duplicate object id" },
    { "-device e1000", "unsupported device 'e1000'" },
    { "-device spapr-nvdimm,id=n", "memdev= is required" },
    { "-device spapr-nvdimm,memdev=nope", "memdev 'nope' not found" },
    { "-object memory-backend-ram,id=m,size=1G "
      "-device spapr-nvdimm,memdev=m,label-size=x",
      "invalid value 'x' for 'label-size'" },
    { "-object memory-backend-ram,id=m,size=1G "
      "-device spapr-nvdimm,memdev=m,colour=red",
      "unknown parameter 'colour'" },
    { "-qtest tcp:localhost:1", "unsupported chardev 'tcp:localhost:1'" },
    { "-qtest unix:/tmp/x,speed=9", "unknown parameter 'speed'" },
    /* the path is the spec's: path= crashed before the key tables */
    { "-qtest unix:/tmp/x,path=y", "-qtest: unknown parameter 'path'" },
    { "-chardev pty,id=c", "unsupported backend 'pty'" },
    { "-chardev socket,id=c", "needs path=" },
    { "-chardev socket,path=/tmp/x", "needs an id" },
    { "-mon chardev=nope,mode=control", "chardev 'nope' not found" },
    { "-chardev socket,id=c,path=/x -mon chardev=c,mode=readline",
      "only chardev=ID,mode=control" },
    { "-display gtk", "only 'none' is supported" },
    { "-serial pty", "only 'none' is supported" },
    { "-trace file=x", "only PATTERN or enable=PATTERN" },
    { "-nodefaults=1", "'-nodefaults=1': option takes no value" },
    { "-nodefaultz=1", "'-nodefaultz=1': unknown option" },
    { "-m ''", "-m: empty value" },
    { "-M ''", "-M: empty value" },
    { "-machine ''", "-machine: empty value" },
    { "-object memory-backend-ram,id=m,size=1G "
      "-device spapr-nvdimm,id=a,memdev=m,label-size=128K "
      "-device spapr-nvdimm,id=b,memdev=m,label-size=128K",
      "-device b: can't use already busy memdev: m (used by 'a')" },
    { "--nodefaults=1", "option takes no value" },
    { "-smp 0", "-smp: invalid value '0'" },
    { "-qtest unix:/nonexistent/dir/sock", "cannot connect" },
};

static void test_bad_options(void)
{
    unsigned int i;

    for (i = 0; i < G_N_ELEMENTS(bad_opts); i++) {
        g_autofree char *out = NULL, *err = NULL;
        int st = qtest_run(bad_opts[i].args, &out, &err);

        if (!WIFEXITED(st) || WEXITSTATUS(st) == 0 ||
            !strstr(err, bad_opts[i].msg)) {
            g_error("'%s': status %d, stderr '%s', want '%s'",
                    bad_opts[i].args, st, err, bad_opts[i].msg);
        }
    }
}

static void test_help_version_list(void)
{
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint(qtest_run("-h", &out, &err), ==, 0);
    g_assert_nonnull(strstr(out, "usage: spapr-hv"));
    g_assert_nonnull(strstr(out, "-qtest"));
    g_free(out);
    g_free(err);
    g_assert_cmpint(qtest_run("--version", &out, &err), ==, 0);
    g_assert_true(g_str_has_prefix(out, "spapr-hv version "));
    g_free(out);
    g_free(err);
    g_assert_cmpint(qtest_run("--list-hcalls", &out, &err), ==, 0);
    g_assert_nonnull(strstr(out, "0x003c  H_LOGICAL_CI_LOAD"));
    g_assert_nonnull(strstr(out, "hcall-debug"));
}

static void test_dump_dtb(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvdtb-XXXXXX", NULL);
    g_autofree char *dtb = g_build_filename(dir, "m.dtb", NULL);
    g_autofree char *args = g_strdup_printf("-M pseries,dumpdtb=%s", dtb);
    g_autofree char *out = NULL, *err = NULL, *data = NULL;
    gsize len;

    g_assert_cmpint(qtest_run("-M pseries -m 1G --dump-dtb", &out, &err),
                    ==, 0);
    g_assert_true(g_str_has_prefix(out, "/dts-v1/;"));
    g_assert_nonnull(strstr(out, "reg = <0x0 0x0 0x0 0x40000000>;"));
    g_assert_nonnull(strstr(out, "ibm,hypertas-functions"));
    g_free(out);
    g_free(err);
    /* QEMU's spelling writes the binary blob */
    g_assert_cmpint(qtest_run(args, &out, &err), ==, 0);
    g_assert_true(g_file_get_contents(dtb, &data, &len, NULL));
    g_assert_cmpuint(len, >, 40);
    g_assert_cmphex((guint8)data[0], ==, 0xd0);
    unlink(dtb);
    g_free(out);
    g_free(err);
    g_free(args);
    /* the single-dash spelling with '=' works too, as the docs say */
    args = g_strdup_printf("-M pseries -dump-dtb=%s", dtb);
    g_assert_cmpint(qtest_run(args, &out, &err), ==, 0);
    g_assert_true(g_file_test(dtb, G_FILE_TEST_EXISTS));
    unlink(dtb);
    rmdir(dir);
}

static void test_qemu_compat_args(void)
{
    /* what QEMU's pseries qtests pass on top of libqtest's arguments */
    QTestState *s = qtest_init("-machine pseries,cap-cfpc=broken,"
                               "cap-sbbc=broken,cap-ibs=broken,"
                               "cap-ccf-assist=off -m 256M,slots=1,"
                               "maxmem=768M -nodefaults -S -nographic "
                               "-serial none -smp 2 -trace 'spapr_*'");
    g_autofree char *r = qtest_cmd(s, "readq 0x0");

    g_assert_cmpstr(r, ==, "OK 0x0000000000000000");
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-hv/cmdline/bad", test_bad_options);
    g_test_add_func("/spapr-hv/cmdline/help-list", test_help_version_list);
    g_test_add_func("/spapr-hv/cmdline/dump-dtb", test_dump_dtb);
    g_test_add_func("/spapr-hv/cmdline/qemu-args", test_qemu_compat_args);
    return g_test_run();
}
