/*
 * spapr-hv under hostile conditions: a backing file truncated under us,
 * a full file system, clients that close early or never read, leaky or
 * oversized QMP input, bad trace patterns.  The program must answer with
 * a documented error and neither die nor grow without bound.
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The full-file-system cases mount a 2 MiB tmpfs in a private mount
 * namespace (set up first thing in main(), before GLib starts threads);
 * where that is not allowed they are skipped with a message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libqtest.h"
#include "spapr-hcall/hcall-defs.h"

#define DRC0        0x90000000ULL
#define BLOCK       (256ULL << 20)
#define LABEL_SIZE  (128ULL << 10)
#define NV_SIZE     (BLOCK + LABEL_SIZE)
#define UUID        "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
#define FAULT_REPLY "FAIL memory fault (backing file truncated or file " \
                    "system full)"

/* A 2 MiB tmpfs, or NULL (with the reason) if it cannot be mounted. */
static char *small_fs;
static char *small_fs_why;

static void setup_small_fs(void)
{
    char tmpl[] = "/tmp/hvrel-fs-XXXXXX";

    if (unshare(CLONE_NEWNS) < 0) {
        small_fs_why = g_strdup_printf("unshare(CLONE_NEWNS): %s",
                                       g_strerror(errno));
        return;
    }
    if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        small_fs_why = g_strdup_printf("making / private: %s",
                                       g_strerror(errno));
        return;
    }
    if (!mkdtemp(tmpl)) {
        small_fs_why = g_strdup_printf("mkdtemp: %s", g_strerror(errno));
        return;
    }
    if (mount("tmpfs", tmpl, "tmpfs", 0, "size=2m,mode=0700") < 0) {
        small_fs_why = g_strdup_printf("mount -t tmpfs: %s",
                                       g_strerror(errno));
        rmdir(tmpl);
        return;
    }
    small_fs = g_strdup(tmpl);
}

static bool need_small_fs(void)
{
    if (!small_fs) {
        g_autofree char *msg = g_strdup_printf(
            "cannot mount a small tmpfs (%s): full-file-system cases not "
            "run", small_fs_why);

        g_test_skip(msg);
        return false;
    }
    return true;
}

static void remove_dir(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, name, NULL);

        unlink(p);
    }
    if (dir != small_fs) {
        rmdir(dir);
    }
}

static QTestState *start_nvdimm(const char *img, const char *backend_extra)
{
    g_autofree char *args = g_strdup_printf(
        "-M pseries -m 512M "
        "-object memory-backend-file,id=mem0,mem-path=%s,size=%llu,"
        "share=on%s "
        "-device spapr-nvdimm,id=nv0,memdev=mem0,label-size=128K,"
        "uuid=" UUID, img, NV_SIZE, backend_extra);

    return qtest_init(args);
}

/* Bind block 0; returns its guest address. */
static uint64_t bind_block0(QTestState *s)
{
    uint64_t a[5] = { DRC0, 0, 1, UINT64_MAX, 0 }, r[9];

    g_assert_cmpint(qtest_hcall(s, PAPR_H_SCM_BIND_MEM, 5, a, r), ==,
                    PAPR_H_SUCCESS);
    return r[1];                /* r5: the address */
}

static int64_t read_meta(QTestState *s, uint64_t off, uint64_t *val)
{
    uint64_t a[3] = { DRC0, off, 8 }, r[9];
    int64_t ret = qtest_hcall(s, PAPR_H_SCM_READ_METADATA, 3, a, r);

    *val = r[0];
    return ret;
}

static int64_t write_meta(QTestState *s, uint64_t off, uint64_t val)
{
    uint64_t a[4] = { DRC0, off, val, 8 };

    return qtest_hcall(s, PAPR_H_SCM_WRITE_METADATA, 4, a, NULL);
}

static void check_alive(QTestState *s)
{
    g_autofree char *r = qtest_cmd(s, "endianness");

    g_assert_cmpstr(r, ==, "OK big");
}

/* ---- 1. SIGBUS: a backing file truncated by someone else ---- */

static void test_truncated_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvrel-XXXXXX", NULL);
    g_autofree char *img = g_build_filename(dir, "nv.img", NULL);
    QTestState *s = start_nvdimm(img, "");
    uint64_t gpa = bind_block0(s), v, a[3], r[9];
    g_autofree char *rep = NULL;

    qtest_writeq(s, gpa, 0x1122334455667788ULL);
    g_assert_cmpint(write_meta(s, 0, 0xabcdef0123456789ULL), ==,
                    PAPR_H_SUCCESS);
    g_assert_cmpint(truncate(img, 0), ==, 0);

    rep = qtest_cmd(s, "readq 0x%" PRIx64, gpa);
    g_assert_cmpstr(rep, ==, FAULT_REPLY);
    g_clear_pointer(&rep, g_free);
    rep = qtest_cmd(s, "read 0x%" PRIx64 " 4096", gpa);
    g_assert_cmpstr(rep, ==, FAULT_REPLY);
    g_clear_pointer(&rep, g_free);
    rep = qtest_cmd(s, "writeq 0x%" PRIx64 " 1", gpa);
    g_assert_cmpstr(rep, ==, FAULT_REPLY);
    g_clear_pointer(&rep, g_free);
    rep = qtest_cmd(s, "memset 0x%" PRIx64 " 8192 0x5a", gpa);
    g_assert_cmpstr(rep, ==, FAULT_REPLY);
    g_clear_pointer(&rep, g_free);
    g_assert_cmpint(read_meta(s, 0, &v), ==, PAPR_H_HARDWARE);
    g_assert_cmpint(write_meta(s, 8, 1), ==, PAPR_H_HARDWARE);
    a[0] = 8;
    a[1] = gpa;
    g_assert_cmpint(qtest_hcall(s, PAPR_H_LOGICAL_CI_LOAD, 2, a, r), ==,
                    PAPR_H_HARDWARE);
    a[2] = 7;
    g_assert_cmpint(qtest_hcall(s, PAPR_H_LOGICAL_CI_STORE, 3, a, r), ==,
                    PAPR_H_HARDWARE);
    /* unmapped addresses keep their own answers */
    rep = qtest_cmd(s, "readq 0x7fff00000000");
    g_assert_cmpstr(rep, ==, "FAIL address out of range");
    g_clear_pointer(&rep, g_free);
    a[1] = 0x7fff00000000ULL;
    g_assert_cmpint(qtest_hcall(s, PAPR_H_LOGICAL_CI_LOAD, 2, a, r), ==,
                    PAPR_H_P2);

    /* the file back at its size (holes read as zeros): all is well */
    g_assert_cmpint(truncate(img, NV_SIZE), ==, 0);
    g_assert_cmphex(qtest_readq(s, gpa), ==, 0);
    g_assert_cmpint(read_meta(s, 0, &v), ==, PAPR_H_SUCCESS);
    g_assert_cmphex(v, ==, 0);
    g_assert_cmpint(write_meta(s, 0, 42), ==, PAPR_H_SUCCESS);
    qtest_quit(s);
    remove_dir(dir);
}

/* ---- 1. SIGBUS: the file system fills up ---- */

static void test_full_fs_store(void)
{
    g_autofree char *img = NULL;
    g_autofree char *rep = NULL;
    QTestState *s;
    uint64_t gpa, v;
    int64_t st;

    if (!need_small_fs()) {
        return;
    }
    img = g_build_filename(small_fs, "nv.img", NULL);
    s = start_nvdimm(img, "");
    gpa = bind_block0(s);
    /* 4 MiB into a 2 MiB file system: fails part-way, we live on */
    rep = qtest_cmd(s, "memset 0x%" PRIx64 " 4194304 0x5a", gpa);
    g_assert_cmpstr(rep, ==, FAULT_REPLY);
    g_clear_pointer(&rep, g_free);
    /* what did get stored reads back */
    g_assert_cmphex(qtest_readb(s, gpa), ==, 0x5a);
    /* a label write into a hole of the full file system */
    g_assert_cmpint(write_meta(s, 64 << 10, 0x0102030405060708ULL), ==,
                    PAPR_H_HARDWARE);
    /*
     * Reading a hole: on tmpfs the page cache is the storage, so even a
     * read of a hole needs a page and fails; on disk file systems it
     * reads zeros.  Either way an answer, not a signal.
     */
    st = read_meta(s, 64 << 10, &v);
    g_assert_true(st == PAPR_H_HARDWARE || (st == PAPR_H_SUCCESS && v == 0));
    check_alive(s);
    qtest_quit(s);
    remove_dir(small_fs);
}

/* prealloc=on: the full file system is reported at start, not later */
static void test_full_fs_prealloc(void)
{
    g_autofree char *img = NULL;
    g_autofree char *args = NULL, *out = NULL, *err = NULL;
    int st;

    if (!need_small_fs()) {
        return;
    }
    img = g_build_filename(small_fs, "nv.img", NULL);
    args = g_strdup_printf("-M pseries -m 512M "
                           "-object memory-backend-file,id=mem0,"
                           "mem-path=%s,size=%llu,share=on,prealloc=on "
                           "-device spapr-nvdimm,id=nv0,memdev=mem0,"
                           "label-size=128K --list-hcalls", img, NV_SIZE);
    st = qtest_run(args, &out, &err);
    g_assert_true(WIFEXITED(st));
    g_assert_cmpint(WEXITSTATUS(st), ==, 1);
    g_assert_nonnull(strstr(err, "cannot preallocate"));
    g_assert_nonnull(strstr(err, "No space left on device"));
    /* and the file it created is gone again */
    g_assert_false(g_file_test(img, G_FILE_TEST_EXISTS));
    remove_dir(small_fs);
}

/* A resize that fails leaves no empty backing file behind. */
static void test_failed_resize(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvrel-XXXXXX", NULL);
    g_autofree char *img = g_build_filename(dir, "huge.img", NULL);
    g_autofree char *args = NULL, *out = NULL, *err = NULL;
    int st;

    /* ~8 EiB: too big to size (EFBIG on ext4) or at least to map */
    args = g_strdup_printf("-M pseries "
                           "-object memory-backend-file,id=mem0,"
                           "mem-path=%s,size=%llu "
                           "-device spapr-nvdimm,id=nv0,memdev=mem0,"
                           "label-size=128K --list-hcalls", img,
                           (0x7fffffffffffffffULL / BLOCK - 1) * BLOCK +
                           LABEL_SIZE);
    st = qtest_run(args, &out, &err);
    g_assert_true(WIFEXITED(st));
    g_assert_cmpint(WEXITSTATUS(st), ==, 1);
    g_assert_true(strstr(err, "cannot size nvdimm backend") ||
                  strstr(err, "cannot map nvdimm backend"));
    g_assert_false(g_file_test(img, G_FILE_TEST_EXISTS));
    remove_dir(dir);
}

/* A temporary state file left by a SIGKILL is cleaned up at open. */
static void test_stale_state_temp(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvrel-XXXXXX", NULL);
    g_autofree char *img = g_build_filename(dir, "nv.img", NULL);
    g_autofree char *tmp = g_strconcat(img, ".state.tmp", NULL);
    g_autofree char *other = g_strconcat(img, ".state.keep-me", NULL);
    QTestState *s;

    g_assert_true(g_file_set_contents(tmp, "half", -1, NULL));
    g_assert_true(g_file_set_contents(other, "x", -1, NULL));
    s = start_nvdimm(img, "");
    g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(other, G_FILE_TEST_EXISTS));
    qtest_quit(s);
    remove_dir(dir);
}

/* ---- 2. SIGPIPE: clients that close without reading ---- */

static int connect_to(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int i;

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    for (i = 0; i < 500; i++) {
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            return fd;
        }
        g_usleep(10000);
    }
    g_error("cannot connect to %s: %s", path, g_strerror(errno));
    return -1;
}

static void send_str(int fd, const char *s)
{
    g_assert_cmpint(send(fd, s, strlen(s), MSG_NOSIGNAL), ==, strlen(s));
}

static char *recv_line(int fd)
{
    GString *l = g_string_new(NULL);
    char c;

    for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLIN };

        g_assert_cmpint(poll(&p, 1, 30000), ==, 1);
        if (read(fd, &c, 1) != 1 || c == '\n') {
            break;
        }
        g_string_append_c(l, c);
    }
    return g_string_free(l, FALSE);
}

/* A failed assertion must not leave the machine running. */
static void die_with_parent(gpointer unused)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* spapr-hv listening for qtest on @dir/qt.sock and QMP on qmp.sock. */
static GPid spawn_servers(const char *dir, char **qt, char **qmp)
{
    g_autofree char *qtarg = NULL, *qmparg = NULL;
    const char *argv[10];
    GPid pid;

    *qt = g_build_filename(dir, "qt.sock", NULL);
    *qmp = g_build_filename(dir, "qmp.sock", NULL);
    qtarg = g_strdup_printf("unix:%s,server=on,wait=off", *qt);
    qmparg = g_strdup_printf("unix:%s,server=on,wait=off", *qmp);
    argv[0] = qtest_binary();
    argv[1] = "-M";
    argv[2] = "pseries";
    argv[3] = "-qtest";
    argv[4] = qtarg;
    argv[5] = "-qtest-log";
    argv[6] = "none";
    argv[7] = "-qmp";
    argv[8] = qmparg;
    argv[9] = NULL;
    g_assert_true(g_spawn_async(NULL, (char **)argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent,
                                NULL, &pid, NULL));
    return pid;
}

static void stop_servers(GPid pid)
{
    int st;

    g_assert_cmpint(waitpid(pid, &st, WNOHANG), ==, 0);
    kill(pid, SIGTERM);
    g_assert_cmpint(waitpid(pid, &st, 0), ==, pid);
    g_assert_true(WIFEXITED(st));
    g_assert_cmpint(WEXITSTATUS(st), ==, 0);
}

/* A fresh qtest client on @qt gets an answer. */
static void check_qtest_alive(const char *qt)
{
    int fd = connect_to(qt);
    g_autofree char *r = NULL;

    send_str(fd, "readq 0\n");
    r = recv_line(fd);
    g_assert_cmpstr(r, ==, "OK 0x0000000000000000");
    close(fd);
}

static void test_sigpipe(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvrel-XXXXXX", NULL);
    g_autofree char *qt = NULL, *qmp = NULL;
    GPid pid = spawn_servers(dir, &qt, &qmp);
    int i, fd;

    for (i = 0; i < 20; i++) {
        /* a 32 MiB reply to nobody */
        fd = connect_to(qt);
        send_str(fd, "readq 0\nread 0 16777216\n");
        close(fd);
        /* QMP: gone before the greeting */
        fd = connect_to(qmp);
        close(fd);
    }
    check_qtest_alive(qt);
    stop_servers(pid);
    remove_dir(dir);
}

/* ---- 3, 4. Memory: leaks and clients that never read ---- */

static long rss_of(int pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", pid);
    g_autofree char *text = NULL;
    const char *p;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    p = strstr(text, "VmRSS:");
    g_assert_nonnull(p);
    return strtol(p + 6, NULL, 10);
}

/*
 * Under AddressSanitizer freed memory sits in a quarantine (256 MiB) and
 * RSS says nothing about leaks: LeakSanitizer checks those at exit (the
 * machine must then exit 0), and RSS limits are checked in plain builds.
 */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_MEANINGFUL  false
#define NR_BIG_READS    32      /* still 8 times the limit */
#else
#define RSS_MEANINGFUL  true
#define NR_BIG_READS    300     /* 600 MiB without backpressure */
#endif

static void assert_rss_growth_below(long before, long after, long kib)
{
    if (RSS_MEANINGFUL) {
        g_assert_cmpint(after - before, <, kib);
    }
}

static long rss_kib(QTestState *s)
{
    return rss_of(qtest_pid(s));
}

static void test_qmp_duplicate_key(void)
{
    QTestState *s = qtest_init("");
    GString *big = g_string_new(NULL);
    g_autofree char *r = NULL, *id = NULL;
    long before, after;
    int i;

    r = qtest_qmp(s, "{\"execute\":\"query-status\",\"id\":1,\"id\":2}");
    g_assert_nonnull(strstr(r, "\"class\": \"GenericError\""));
    g_assert_nonnull(strstr(r, "Duplicate key \\\"id\\\""));
    g_clear_pointer(&r, g_free);
    /* many members, one repeated at the end: refused, not slow */
    g_string_append_c(big, '{');
    for (i = 0; i < 40000; i++) {
        g_string_append_printf(big, "\"k%d\":0,", i);
    }
    g_string_append(big, "\"k7\":1}");
    r = qtest_qmp(s, "%s", big->str);
    g_assert_nonnull(strstr(r, "Duplicate key \\\"k7\\\""));
    g_clear_pointer(&r, g_free);

    /* duplicated 400 KiB ids: no leak */
    g_string_truncate(big, 0);
    for (i = 0; i < 400 << 10; i++) {
        g_string_append_c(big, 'a' + i % 26);
    }
    id = g_string_free(big, FALSE);
    big = g_string_new(NULL);
    g_string_append_printf(big, "{\"execute\":\"query-status\","
                           "\"id\":\"%s\",\"id\":\"%s\"}", id, id);
    r = qtest_qmp(s, "%s", big->str);
    g_assert_nonnull(strstr(r, "Duplicate key"));
    g_clear_pointer(&r, g_free);
    before = rss_kib(s);
    for (i = 0; i < 100; i++) {
        r = qtest_qmp(s, "%s", big->str);
        g_assert_nonnull(strstr(r, "Duplicate key"));
        g_clear_pointer(&r, g_free);
    }
    after = rss_kib(s);
    g_test_message("RSS over 100 duplicate-id requests: %ld -> %ld KiB",
                   before, after);
    /* a leak would be 40 MiB */
    assert_rss_growth_below(before, after, 8 << 10);
    r = qtest_qmp(s, "{\"execute\":\"query-status\",\"id\":7}");
    g_assert_nonnull(strstr(r, "\"id\": 7"));
    g_string_free(big, TRUE);
    qtest_quit(s);
}

/* Write what the peer takes within @ms; returns the bytes written. */
static size_t push_for(int fd, const char *buf, size_t len, int ms)
{
    gint64 end = g_get_monotonic_time() + ms * 1000;
    size_t done = 0;

    while (done < len && g_get_monotonic_time() < end) {
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        ssize_t n;

        if (poll(&p, 1, 50) != 1) {
            continue;
        }
        n = send(fd, buf + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            done += n;
        }
    }
    return done;
}

/* RSS after it stopped moving (or 2 s), in KiB. */
static long settled_rss_of(int pid)
{
    long prev = -1, cur = rss_of(pid);
    int i;

    for (i = 0; i < 20 && cur != prev; i++) {
        g_usleep(100000);
        prev = cur;
        cur = rss_of(pid);
    }
    return cur;
}

static long settled_rss(QTestState *s)
{
    return settled_rss_of(qtest_pid(s));
}

static void test_qtest_backpressure(void)
{
    QTestState *s = qtest_init("");
    GString *req = g_string_new(NULL);
    long before, after;
    g_autofree char *r = NULL;
    int i, n = 0;

    /* reads of 1 MiB: 2 MiB of hex each if nobody held them back */
    for (i = 0; i < NR_BIG_READS; i++) {
        g_string_append(req, "read 0 1048576\n");
    }
    before = rss_kib(s);
    qtest_send_raw(s, req->str, req->len);
    after = settled_rss(s);
    g_test_message("RSS with %d unread 2 MiB replies: %ld -> %ld KiB",
                   NR_BIG_READS, before, after);
    /* limit (4 MiB) + one reply + buffers; without it, about 1 GiB */
    assert_rss_growth_below(before, after, 48 << 10);
    /* nothing was lost: every request is answered, in order */
    for (i = 0; i < NR_BIG_READS; i++) {
        g_autofree char *l = qtest_recv_line(s);

        g_assert_nonnull(l);
        g_assert_true(g_str_has_prefix(l, "OK 0x0000"));
        n++;
    }
    g_assert_cmpint(n, ==, NR_BIG_READS);
    r = qtest_cmd(s, "readq 0");
    g_assert_cmpstr(r, ==, "OK 0x0000000000000000");
    g_string_free(req, TRUE);
    qtest_quit(s);
}

static void test_qmp_backpressure(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvrel-XXXXXX", NULL);
    g_autofree char *qt = NULL, *qmp = NULL;
    GPid pid = spawn_servers(dir, &qt, &qmp);
    GString *req = g_string_new(NULL);
    g_autofree char *greeting = NULL;
    long before, after;
    size_t sent;
    int fd, i;

    fd = connect_to(qmp);
    greeting = recv_line(fd);
    g_assert_true(g_str_has_prefix(greeting, "{\"QMP\""));
    send_str(fd, "{\"execute\":\"qmp_capabilities\"}");
    for (i = 0; i < 200000; i++) {
        g_string_append(req, "{\"execute\":\"query-commands\"}");
    }
    before = rss_of(pid);
    sent = push_for(fd, req->str, req->len, 3000);
    after = settled_rss_of(pid);
    g_test_message("RSS with %zu bytes of unread query-commands: "
                   "%ld -> %ld KiB", sent, before, after);
    assert_rss_growth_below(before, after, 48 << 10);
    /* the server stopped reading: the client could not send it all */
    g_assert_cmpuint(sent, <, req->len);
    close(fd);
    check_qtest_alive(qt);
    g_string_free(req, TRUE);
    stop_servers(pid);
    remove_dir(dir);
}

/* ---- 6. Trace patterns ---- */

static void test_bad_trace_pattern(void)
{
    const char *argv[] = {
        qtest_binary(), "-trace", "a*bbbbbb\xe9", "--list-hcalls", NULL
    };
    const char *argv_ok[] = { qtest_binary(), "--list-hcalls", NULL };
    g_autofree char *out = NULL, *err = NULL;
    g_auto(GStrv) env = g_get_environ();
    int st;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT,
                               NULL, NULL, &out, &err, &st, NULL));
    g_assert_true(WIFEXITED(st));
    g_assert_cmpint(WEXITSTATUS(st), ==, 1);
    g_assert_nonnull(strstr(err, "-trace: trace pattern is not valid "
                            "UTF-8"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    /* the environment variable is ignored with a warning */
    env = g_environ_setenv(env, "SPAPR_HCALL_TRACE", "a*bbbbbb\xe9", TRUE);
    g_assert_true(g_spawn_sync(NULL, (char **)argv_ok, env,
                               G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &st,
                               NULL));
    g_assert_true(WIFEXITED(st));
    g_assert_cmpint(WEXITSTATUS(st), ==, 0);
    g_assert_nonnull(strstr(err, "SPAPR_HCALL_TRACE ignored"));
    g_assert_nonnull(strstr(out, "H_LOGICAL_CI_LOAD"));
}

int main(int argc, char **argv)
{
    int ret;

    /* before anything may start a thread (unshare needs one) */
    setup_small_fs();
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-hv/reliability/truncated-file",
                    test_truncated_file);
    g_test_add_func("/spapr-hv/reliability/full-fs-store",
                    test_full_fs_store);
    g_test_add_func("/spapr-hv/reliability/full-fs-prealloc",
                    test_full_fs_prealloc);
    g_test_add_func("/spapr-hv/reliability/failed-resize",
                    test_failed_resize);
    g_test_add_func("/spapr-hv/reliability/stale-state-temp",
                    test_stale_state_temp);
    g_test_add_func("/spapr-hv/reliability/sigpipe", test_sigpipe);
    g_test_add_func("/spapr-hv/reliability/qmp-duplicate-key",
                    test_qmp_duplicate_key);
    g_test_add_func("/spapr-hv/reliability/qtest-backpressure",
                    test_qtest_backpressure);
    g_test_add_func("/spapr-hv/reliability/qmp-backpressure",
                    test_qmp_backpressure);
    g_test_add_func("/spapr-hv/reliability/bad-trace-pattern",
                    test_bad_trace_pattern);
    ret = g_test_run();
    if (small_fs) {
        umount2(small_fs, MNT_DETACH);
        rmdir(small_fs);
    }
    return ret;
}
