/*
 * spapr-hv: serve qtest and QMP until quit, a signal or qtest EOF
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Exit rules: QMP "quit" and SIGTERM/SIGINT/SIGHUP exit 0 (as QEMU does
 * on SIGTERM, which is how libqtest stops it).  Unlike QEMU, the end of
 * a qtest connection we opened ourselves (client socket or stdio) also
 * ends the program, so an abandoned machine never lingers.
 */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <glib-unix.h>
#include "serve.h"
#include "chardev.h"
#include "qmp-server.h"
#include "qtest-server.h"

typedef struct HvServe {
    HvMachine *hv;
    GMainLoop *loop;
    QtestServer *qtest;
    QmpServer *qmp;
    HvChardev *qtest_chr;
    HvChardev *qmp_chr;
    FILE *log;
    bool log_owned;
    int64_t log_start;
    GString *scratch;
} HvServe;

static bool is_dev_null(FILE *f)
{
    struct stat a, b;

    return fstat(fileno(f), &a) == 0 && stat("/dev/null", &b) == 0 &&
           S_ISCHR(a.st_mode) && a.st_rdev == b.st_rdev;
}

static double log_secs(HvServe *s)
{
    return (g_get_monotonic_time() - s->log_start) / 1e6;
}

static void qtest_log(void *opaque, const char *req, const char *rep)
{
    HvServe *s = opaque;
    double t;

    if (!s->log) {
        return;
    }
    t = log_secs(s);
    fprintf(s->log, "[R +%f] %s\n[S +%f] %s\n", t, req, t, rep);
    /* A file log is block-buffered (flushed on close and exit): one
     * write() per request would cost as much as the request itself */
}

static void qtest_opened(HvChardev *c, void *opaque)
{
    HvServe *s = opaque;

    if (s->log) {
        fprintf(s->log, "[I +%f] OPENED\n", log_secs(s));
        fflush(s->log);
    }
}

static size_t qtest_data(HvChardev *c, const char *buf, size_t len,
                         size_t room, void *opaque)
{
    HvServe *s = opaque;
    size_t n;

    g_string_truncate(s->scratch, 0);
    n = qtest_server_feed_some(s->qtest, buf, len, s->scratch, room);
    hv_chardev_write(c, s->scratch->str, s->scratch->len);
    return n;
}

static void qtest_closed(HvChardev *c, void *opaque)
{
    HvServe *s = opaque;

    if (s->log) {
        fprintf(s->log, "[I +%f] CLOSED\n", log_secs(s));
        fflush(s->log);
    }
    if (!hv_chardev_is_server(c)) {
        g_main_loop_quit(s->loop);
    }
}

static void qmp_opened(HvChardev *c, void *opaque)
{
    HvServe *s = opaque;

    g_string_truncate(s->scratch, 0);
    qmp_server_connect(s->qmp, s->scratch);
    hv_chardev_write(c, s->scratch->str, s->scratch->len);
}

static size_t qmp_data(HvChardev *c, const char *buf, size_t len,
                       size_t room, void *opaque)
{
    HvServe *s = opaque;
    size_t n;

    g_string_truncate(s->scratch, 0);
    n = qmp_server_feed_some(s->qmp, buf, len, s->scratch, room);
    hv_chardev_write(c, s->scratch->str, s->scratch->len);
    if (qmp_server_quit_requested(s->qmp)) {
        hv_chardev_flush(c);
        g_main_loop_quit(s->loop);
        return len;                 /* nothing after quit is answered */
    }
    return n;
}

static gboolean on_signal(gpointer opaque)
{
    HvServe *s = opaque;

    g_main_loop_quit(s->loop);
    return G_SOURCE_CONTINUE;
}

static const HvChardevHandlers qtest_handlers = {
    .opened = qtest_opened,
    .data = qtest_data,
    .closed = qtest_closed,
};

static const HvChardevHandlers qmp_handlers = {
    .opened = qmp_opened,
    .data = qmp_data,
};

int hv_serve(HvMachine *hv, const HvOptions *o)
{
    HvServe s = { .hv = hv };
    g_autoptr(GError) err = NULL;
    guint sig[3];
    int status = 0;

    s.log_start = g_get_monotonic_time();
    s.scratch = g_string_new(NULL);
    s.loop = g_main_loop_new(NULL, FALSE);
    if (!o->qtest_log) {
        s.log = stderr;
    } else if (strcmp(o->qtest_log, "none")) {
        s.log = fopen(o->qtest_log, "a");
        if (!s.log) {
            fprintf(stderr, "spapr-hv: -qtest-log: cannot open '%s': %s\n",
                    o->qtest_log, g_strerror(errno));
            status = 1;
            goto out;
        }
        s.log_owned = true;
        if (is_dev_null(s.log)) {
            /* libqtest's default: skip the formatting altogether */
            fclose(s.log);
            s.log = NULL;
            s.log_owned = false;
        }
    }
    s.qtest = qtest_server_new(hv);
    qtest_server_set_log(s.qtest, qtest_log, &s);
    s.qmp = qmp_server_new(hv, o);

    sig[0] = g_unix_signal_add(SIGTERM, on_signal, &s);
    sig[1] = g_unix_signal_add(SIGINT, on_signal, &s);
    sig[2] = g_unix_signal_add(SIGHUP, on_signal, &s);

    /* libqtest listens on both before we start: connect order is free */
    if (o->qtest_chardev) {
        s.qtest_chr = hv_chardev_open(hv_options_chardev(o, o->qtest_chardev),
                                      &qtest_handlers, &s, &err);
        if (!s.qtest_chr) {
            goto fail;
        }
    }
    if (o->qmp_chardev) {
        s.qmp_chr = hv_chardev_open(hv_options_chardev(o, o->qmp_chardev),
                                    &qmp_handlers, &s, &err);
        if (!s.qmp_chr) {
            goto fail;
        }
    }
    g_main_loop_run(s.loop);
    goto done;
fail:
    fprintf(stderr, "spapr-hv: %s\n", err->message);
    status = 1;
done:
    g_source_remove(sig[0]);
    g_source_remove(sig[1]);
    g_source_remove(sig[2]);
    if (s.qtest_chr) {
        hv_chardev_flush(s.qtest_chr);
    }
    hv_chardev_free(s.qtest_chr);
    hv_chardev_free(s.qmp_chr);
    qtest_server_free(s.qtest);
    qmp_server_free(s.qmp);
out:
    if (s.log_owned) {
        fclose(s.log);
    }
    g_main_loop_unref(s.loop);
    g_string_free(s.scratch, TRUE);
    return status;
}
