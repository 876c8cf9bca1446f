/*
 * spapr-hv: character devices (UNIX socket client/server, stdio)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>
#include "chardev.h"
#include "spapr-hcall/types.h"

#define READ_CHUNK  65536

struct HvChardev {
    char *id;
    char *listen_path;             /* unlinked on free */
    bool server;
    bool is_stdio;
    int listen_fd;
    int in_fd;
    int out_fd;
    guint listen_src;
    guint in_src;
    guint out_src;
    GString *out;
    size_t out_off;
    GString *in;                    /* input not consumed yet */
    guint pump_src;                 /* idle: offer @in again */
    HvChardevHandlers h;
    void *opaque;
};

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl >= 0) {
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    }
}

static bool fill_addr(struct sockaddr_un *sa, const char *path,
                      GError **errp)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa->sun_path)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "socket path '%s' is too long", path);
        return false;
    }
    strcpy(sa->sun_path, path);
    return true;
}

/*
 * g_unix_fd_add(), but with a source that may recurse: GLib "blocks" a
 * non-recursive source while it dispatches, which removes and re-adds its
 * poll fd and signals the loop's wakeup eventfd twice per dispatch.  That
 * doubled the system calls of every qtest round trip.  Our callbacks never
 * iterate the main loop, so recursion cannot happen.
 */
static guint add_fd_watch(int fd, GIOCondition cond, GUnixFDSourceFunc fn,
                          gpointer data)
{
    GSource *src = g_unix_fd_source_new(fd, cond);
    guint id;

    g_source_set_callback(src, (GSourceFunc)(void (*)(void))fn, data, NULL);
    g_source_set_can_recurse(src, TRUE);
    id = g_source_attach(src, NULL);
    g_source_unref(src);
    return id;
}

static void drop_connection(HvChardev *c);
static gboolean on_accept(gint fd, GIOCondition cond, gpointer opaque);
static gboolean on_readable(gint fd, GIOCondition cond, gpointer opaque);

static size_t out_pending(HvChardev *c)
{
    return c->out->len - c->out_off;
}

/*
 * Offer the backlog to the handler within the output budget.  Returns
 * false if the connection was dropped meanwhile.
 */
static bool feed_backlog(HvChardev *c)
{
    int fd = c->in_fd;

    while (c->in->len) {
        size_t pending = out_pending(c), n;

        if (pending >= HV_CHARDEV_OUT_LIMIT) {
            break;
        }
        n = c->h.data(c, c->in->str, c->in->len,
                      HV_CHARDEV_OUT_LIMIT - pending, c->opaque);
        if (c->in_fd != fd) {
            return false;
        }
        g_string_erase(c->in, 0, n);
        if (!n) {
            break;
        }
    }
    return true;
}

/* Reading stays stopped while a backlog remains; then it resumes. */
static gboolean pump_idle(gpointer opaque)
{
    HvChardev *c = opaque;

    c->pump_src = 0;
    if (feed_backlog(c) && !c->in->len && !c->in_src && c->in_fd >= 0) {
        c->in_src = add_fd_watch(c->in_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                 on_readable, c);
    }
    return G_SOURCE_REMOVE;
}

/* Output drained below the limit: the backlog may move again. */
static void output_drained(HvChardev *c)
{
    if (c->in->len && !c->pump_src &&
        out_pending(c) < HV_CHARDEV_OUT_LIMIT) {
        c->pump_src = g_idle_add(pump_idle, c);
    }
}

static gboolean on_writable(gint fd, GIOCondition cond, gpointer opaque)
{
    HvChardev *c = opaque;

    while (c->out_off < c->out->len) {
        const char *p = c->out->str + c->out_off;
        size_t len = c->out->len - c->out_off;
        /* MSG_NOSIGNAL: a peer that closed gets EPIPE, never SIGPIPE */
        ssize_t n = c->is_stdio ? write(c->out_fd, p, len)
                                : send(c->out_fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            if (c->out_off >= HV_CHARDEV_OUT_LIMIT) {
                /* do not let written bytes pile up in front */
                g_string_erase(c->out, 0, c->out_off);
                c->out_off = 0;
            }
            output_drained(c);
            return G_SOURCE_CONTINUE;
        }
        if (n <= 0) {
            /* the peer is gone: its input side will see EOF */
            g_string_truncate(c->out, 0);
            c->out_off = 0;
            c->out_src = 0;
            output_drained(c);
            return G_SOURCE_REMOVE;
        }
        c->out_off += n;
    }
    g_string_truncate(c->out, 0);
    c->out_off = 0;
    c->out_src = 0;
    output_drained(c);
    return G_SOURCE_REMOVE;
}

void hv_chardev_write(HvChardev *c, const char *buf, size_t len)
{
    if (c->out_fd < 0 || !len) {
        return;
    }
    g_string_append_len(c->out, buf, len);
    if (!c->out_src) {
        if (on_writable(c->out_fd, G_IO_OUT, c) == G_SOURCE_CONTINUE) {
            c->out_src = add_fd_watch(c->out_fd, G_IO_OUT, on_writable, c);
        }
    }
}

void hv_chardev_flush(HvChardev *c)
{
    while (c->out_fd >= 0 && c->out_off < c->out->len) {
        struct pollfd pfd = { .fd = c->out_fd, .events = POLLOUT };

        if (poll(&pfd, 1, 5000) <= 0) {
            break;
        }
        if (c->out_src) {
            g_source_remove(c->out_src);
            c->out_src = 0;
        }
        if (on_writable(c->out_fd, G_IO_OUT, c) == G_SOURCE_REMOVE) {
            break;
        }
    }
}

/* Read until the socket is empty: pipelined commands cost one wake-up */
static gboolean on_readable(gint fd, GIOCondition cond, gpointer opaque)
{
    HvChardev *c = opaque;
    char buf[READ_CHUNK];

    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return G_SOURCE_CONTINUE;
        }
        if (n <= 0) {
            c->in_src = 0;
            drop_connection(c);
            return G_SOURCE_REMOVE;
        }
        g_string_append_len(c->in, buf, n);
        if (!feed_backlog(c)) {
            return G_SOURCE_REMOVE;     /* dropped */
        }
        if (c->in->len) {
            /* paused: replies pile up; output_drained() resumes us */
            c->in_src = 0;
            return G_SOURCE_REMOVE;
        }
        if (c->out_src) {
            /* the peer is not reading its answers: poll */
            return G_SOURCE_CONTINUE;
        }
    }
}

static void start_connection(HvChardev *c, int in_fd, int out_fd)
{
    c->in_fd = in_fd;
    c->out_fd = out_fd;
    set_nonblock(in_fd);
    set_nonblock(out_fd);
    c->in_src = add_fd_watch(in_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                              on_readable, c);
    if (c->h.opened) {
        c->h.opened(c, c->opaque);
    }
}

static void drop_connection(HvChardev *c)
{
    if (c->in_src) {
        g_source_remove(c->in_src);
        c->in_src = 0;
    }
    if (c->out_src) {
        g_source_remove(c->out_src);
        c->out_src = 0;
    }
    if (!c->is_stdio && c->in_fd >= 0) {
        close(c->in_fd);
    }
    c->in_fd = c->out_fd = -1;
    g_string_truncate(c->out, 0);
    c->out_off = 0;
    g_string_truncate(c->in, 0);
    if (c->pump_src) {
        g_source_remove(c->pump_src);
        c->pump_src = 0;
    }
    if (c->server && c->listen_fd >= 0 && !c->listen_src) {
        c->listen_src = add_fd_watch(c->listen_fd, G_IO_IN, on_accept, c);
    }
    if (c->h.closed) {
        c->h.closed(c, c->opaque);
    }
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer opaque)
{
    HvChardev *c = opaque;
    int cfd = accept(fd, NULL, NULL);

    if (cfd < 0) {
        return G_SOURCE_CONTINUE;
    }
    c->listen_src = 0;
    start_connection(c, cfd, cfd);
    /* one client at a time, as QEMU's socket chardev */
    return G_SOURCE_REMOVE;
}

HvChardev *hv_chardev_open(const HvChardevOpt *opt,
                           const HvChardevHandlers *h, void *opaque,
                           GError **errp)
{
    HvChardev *c = g_new0(HvChardev, 1);
    struct sockaddr_un sa;
    int fd;

    c->id = g_strdup(opt->id);
    c->h = *h;
    c->opaque = opaque;
    c->listen_fd = c->in_fd = c->out_fd = -1;
    c->out = g_string_new(NULL);
    c->in = g_string_new(NULL);
    if (!opt->path) {
        c->is_stdio = true;
        start_connection(c, STDIN_FILENO, STDOUT_FILENO);
        return c;
    }
    if (!fill_addr(&sa, opt->path, errp)) {
        hv_chardev_free(c);
        return NULL;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO, "socket: %s",
                    g_strerror(errno));
        hv_chardev_free(c);
        return NULL;
    }
    if (!opt->server) {
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                        "chardev %s: cannot connect to '%s': %s", opt->id,
                        opt->path, g_strerror(errno));
            close(fd);
            hv_chardev_free(c);
            return NULL;
        }
        start_connection(c, fd, fd);
        return c;
    }
    c->server = true;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(fd, 1) < 0) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                    "chardev %s: cannot listen on '%s': %s", opt->id,
                    opt->path, g_strerror(errno));
        close(fd);
        hv_chardev_free(c);
        return NULL;
    }
    c->listen_fd = fd;
    c->listen_path = g_strdup(opt->path);
    if (opt->wait) {
        int cfd;

        fprintf(stderr, "spapr-hv: waiting for a connection on %s\n",
                opt->path);
        do {
            cfd = accept(fd, NULL, NULL);
        } while (cfd < 0 && errno == EINTR);
        if (cfd >= 0) {
            start_connection(c, cfd, cfd);
            return c;
        }
    }
    c->listen_src = add_fd_watch(fd, G_IO_IN, on_accept, c);
    return c;
}

void hv_chardev_free(HvChardev *c)
{
    if (!c) {
        return;
    }
    if (c->in_src) {
        g_source_remove(c->in_src);
    }
    if (c->out_src) {
        g_source_remove(c->out_src);
    }
    if (c->listen_src) {
        g_source_remove(c->listen_src);
    }
    if (c->pump_src) {
        g_source_remove(c->pump_src);
    }
    if (!c->is_stdio && c->in_fd >= 0) {
        close(c->in_fd);
    }
    if (c->listen_fd >= 0) {
        close(c->listen_fd);
    }
    if (c->listen_path) {
        unlink(c->listen_path);
        g_free(c->listen_path);
    }
    g_string_free(c->out, TRUE);
    g_string_free(c->in, TRUE);
    g_free(c->id);
    g_free(c);
}

bool hv_chardev_is_server(HvChardev *c)
{
    return c->server;
}

const char *hv_chardev_id(HvChardev *c)
{
    return c->id;
}
