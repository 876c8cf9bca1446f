/*
 * A libqtest-style client for spapr-hv (and QEMU)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Start-up follows QEMU's tests/qtest/libqtest.c conventions: two
 * listening sockets, "exec $QTEST_QEMU_BINARY -qtest unix:SOCK
 * -qtest-log /dev/null -chardev socket,path=QMP,id=char0 -mon
 * chardev=char0,mode=control -display none EXTRA -accel qtest" through
 * /bin/sh, accept both, ask "endianness", then the QMP handshake.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libqtest.h"

#define TIMEOUT_MS  50000

struct QTestState {
    pid_t pid;
    int fd;
    int qmp_fd;
    GString *rbuf;
    GString *qbuf;
    char *greeting;
    bool exited;
    int status;
};

const char *qtest_binary(void)
{
    const char *b = g_getenv("QTEST_QEMU_BINARY");

    if (!b) {
        g_printerr("QTEST_QEMU_BINARY is not set\n");
        exit(1);
    }
    return b;
}

static int listen_at(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    unlink(path);
    g_assert_cmpuint(strlen(path), <, sizeof(sa.sun_path));
    strcpy(sa.sun_path, path);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    return fd;
}

static int accept_timeout(int lfd)
{
    struct pollfd p = { .fd = lfd, .events = POLLIN };
    int r;

    do {
        r = poll(&p, 1, TIMEOUT_MS);
    } while (r < 0 && errno == EINTR);
    g_assert_cmpint(r, ==, 1);
    r = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    g_assert_cmpint(r, >=, 0);
    return r;
}

/* One line from @fd via @buf; NULL on EOF or timeout. */
static char *read_line(int fd, GString *buf)
{
    for (;;) {
        char *nl = memchr(buf->str, '\n', buf->len);
        struct pollfd p = { .fd = fd, .events = POLLIN };
        char tmp[65536];
        ssize_t n;

        if (nl) {
            char *line = g_strndup(buf->str, nl - buf->str);

            g_string_erase(buf, 0, nl - buf->str + 1);
            if (*line && line[strlen(line) - 1] == '\r') {
                line[strlen(line) - 1] = '\0';
            }
            return line;
        }
        if (poll(&p, 1, TIMEOUT_MS) <= 0) {
            return NULL;
        }
        n = read(fd, tmp, sizeof(tmp));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return NULL;
        }
        g_string_append_len(buf, tmp, n);
    }
}

static void write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

QTestState *qtest_init(const char *extra_args)
{
    QTestState *s = g_new0(QTestState, 1);
    g_autofree char *sock = g_strdup_printf("%s/qtest-%d.sock",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *qmp = g_strdup_printf("%s/qtest-%d.qmp",
                                           g_get_tmp_dir(), getpid());
    g_autofree char *cmd = NULL;
    g_autofree char *ans = NULL;
    g_autofree char *ret = NULL;
    int lsock = listen_at(sock), lqmp = listen_at(qmp);

    cmd = g_strdup_printf("exec %s -qtest unix:%s -qtest-log %s "
                          "-chardev socket,path=%s,id=char0 "
                          "-mon chardev=char0,mode=control -display none "
                          "%s -accel qtest", qtest_binary(), sock,
                          g_getenv("QTEST_LOG") ? "/dev/fd/2" : "/dev/null",
                          qmp, extra_args);
    s->pid = fork();
    g_assert_cmpint(s->pid, >=, 0);
    if (s->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execlp("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    s->fd = accept_timeout(lsock);
    s->qmp_fd = accept_timeout(lqmp);
    close(lsock);
    close(lqmp);
    unlink(sock);
    unlink(qmp);
    s->rbuf = g_string_new(NULL);
    s->qbuf = g_string_new(NULL);

    ans = qtest_cmd(s, "endianness");
    g_assert_cmpstr(ans, ==, "OK big");
    s->greeting = read_line(s->qmp_fd, s->qbuf);
    g_assert_nonnull(s->greeting);
    g_assert_true(g_str_has_prefix(s->greeting, "{\"QMP\": {"));
    /* libqtest's own spelling, single quotes and all */
    ret = qtest_qmp(s, "{ 'execute': 'qmp_capabilities' }");
    g_assert_cmpstr(ret, ==, "{\"return\": {}}");
    return s;
}

int qtest_pid(QTestState *s)
{
    return s->pid;
}

const char *qtest_greeting(QTestState *s)
{
    return s->greeting;
}

int qtest_wait_exit(QTestState *s)
{
    int i;

    if (s->exited) {
        return s->status;
    }
    for (i = 0; i < 3000; i++) {
        pid_t r = waitpid(s->pid, &s->status, WNOHANG);

        if (r == s->pid) {
            s->exited = true;
            return s->status;
        }
        g_usleep(10000);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &s->status, 0);
    s->exited = true;
    g_assert_not_reached();
    return s->status;
}

void qtest_free(QTestState *s)
{
    if (!s->exited) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &s->status, 0);
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    close(s->qmp_fd);
    g_string_free(s->rbuf, TRUE);
    g_string_free(s->qbuf, TRUE);
    g_free(s->greeting);
    g_free(s);
}

int qtest_close_and_wait(QTestState *s)
{
    int st;

    close(s->fd);
    s->fd = -1;
    st = qtest_wait_exit(s);
    qtest_free(s);
    return st;
}

void qtest_quit(QTestState *s)
{
    int st;

    kill(s->pid, SIGTERM);
    st = qtest_wait_exit(s);
    g_assert_true(WIFEXITED(st));
    g_assert_cmpint(WEXITSTATUS(st), ==, 0);
    qtest_free(s);
}

void qtest_send_raw(QTestState *s, const void *buf, size_t len)
{
    write_all(s->fd, buf, len);
}

char *qtest_recv_line(QTestState *s)
{
    char *l = read_line(s->fd, s->rbuf);

    g_assert_nonnull(l);
    return l;
}

char *qtest_cmd(QTestState *s, const char *fmt, ...)
{
    g_autofree char *line = NULL;
    va_list ap;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    write_all(s->fd, line, strlen(line));
    write_all(s->fd, "\n", 1);
    return qtest_recv_line(s);
}

char **qtest_ok_words(const char *reply)
{
    if (!g_str_has_prefix(reply, "OK")) {
        g_error("expected OK, got '%s'", reply);
    }
    return g_strsplit(reply, " ", -1);
}

static uint64_t read_n(QTestState *s, const char *cmd, uint64_t addr)
{
    g_autofree char *r = qtest_cmd(s, "%s 0x%" PRIx64, cmd, addr);
    g_auto(GStrv) w = qtest_ok_words(r);

    g_assert_nonnull(w[1]);
    g_assert_cmpuint(strlen(w[1]), ==, 18);
    return g_ascii_strtoull(w[1], NULL, 16);
}

uint64_t qtest_readq(QTestState *s, uint64_t addr)
{
    return read_n(s, "readq", addr);
}

uint32_t qtest_readl(QTestState *s, uint64_t addr)
{
    return read_n(s, "readl", addr);
}

uint16_t qtest_readw(QTestState *s, uint64_t addr)
{
    return read_n(s, "readw", addr);
}

uint8_t qtest_readb(QTestState *s, uint64_t addr)
{
    return read_n(s, "readb", addr);
}

static void write_n(QTestState *s, const char *cmd, uint64_t addr,
                    uint64_t v)
{
    g_autofree char *r = qtest_cmd(s, "%s 0x%" PRIx64 " 0x%" PRIx64, cmd,
                                   addr, v);

    g_assert_cmpstr(r, ==, "OK");
}

void qtest_writeq(QTestState *s, uint64_t addr, uint64_t v)
{
    write_n(s, "writeq", addr, v);
}

void qtest_writel(QTestState *s, uint64_t addr, uint32_t v)
{
    write_n(s, "writel", addr, v);
}

void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t n)
{
    g_autofree char *r = qtest_cmd(s, "read 0x%" PRIx64 " 0x%zx", addr, n);
    uint8_t *p = buf;
    size_t i;

    g_assert_true(g_str_has_prefix(r, "OK 0x"));
    g_assert_cmpuint(strlen(r), ==, 5 + 2 * n);
    for (i = 0; i < n; i++) {
        p[i] = g_ascii_xdigit_value(r[5 + 2 * i]) << 4 |
               g_ascii_xdigit_value(r[6 + 2 * i]);
    }
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t n)
{
    GString *hex = g_string_new(NULL);
    const uint8_t *p = buf;
    g_autofree char *r = NULL;
    size_t i;

    for (i = 0; i < n; i++) {
        g_string_append_printf(hex, "%02x", p[i]);
    }
    r = qtest_cmd(s, "write 0x%" PRIx64 " 0x%zx 0x%s", addr, n, hex->str);
    g_string_free(hex, TRUE);
    g_assert_cmpstr(r, ==, "OK");
}

void qtest_bufread(QTestState *s, uint64_t addr, void *buf, size_t n)
{
    g_autofree char *r = qtest_cmd(s, "b64read 0x%" PRIx64 " 0x%zx", addr,
                                   n);
    g_autofree guchar *d = NULL;
    gsize len;

    g_assert_true(g_str_has_prefix(r, "OK "));
    d = g_base64_decode(r + 3, &len);
    g_assert_cmpuint(len, ==, n);
    memcpy(buf, d, n);
}

void qtest_bufwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t n)
{
    g_autofree char *b64 = g_base64_encode(buf, n);
    g_autofree char *r = qtest_cmd(s, "b64write 0x%" PRIx64 " 0x%zx %s",
                                   addr, n, b64);

    g_assert_cmpstr(r, ==, "OK");
}

int64_t qtest_hcall(QTestState *s, uint64_t opcode, unsigned int nargs,
                    const uint64_t *args, uint64_t *rets)
{
    GString *cmd = g_string_new(NULL);
    g_autofree char *r = NULL;
    g_auto(GStrv) w = NULL;
    unsigned int i;

    g_string_append_printf(cmd, "hcall 0x%" PRIx64, opcode);
    for (i = 0; i < nargs; i++) {
        g_string_append_printf(cmd, " 0x%" PRIx64, args[i]);
    }
    r = qtest_cmd(s, "%s", cmd->str);
    g_string_free(cmd, TRUE);
    w = qtest_ok_words(r);
    g_assert_cmpuint(g_strv_length(w), ==, 11);
    for (i = 0; rets && i < 9; i++) {
        rets[i] = g_ascii_strtoull(w[2 + i], NULL, 16);
    }
    return (int64_t)g_ascii_strtoull(w[1], NULL, 16);
}

void qtest_qmp_send_raw(QTestState *s, const char *text)
{
    write_all(s->qmp_fd, text, strlen(text));
}

char *qtest_qmp_recv(QTestState *s)
{
    return read_line(s->qmp_fd, s->qbuf);
}

char *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_qmp_send_raw(s, text);
    for (;;) {
        char *l = qtest_qmp_recv(s);

        g_assert_nonnull(l);
        if (!g_str_has_prefix(l, "{\"timestamp\"")) {
            return l;
        }
        g_free(l);          /* an event: libqtest would stash it */
    }
}

int qtest_run(const char *args, char **out, char **err)
{
    g_autofree char *cmd = g_strdup_printf("%s %s", qtest_binary(), args);
    g_autoptr(GError) gerr = NULL;
    g_auto(GStrv) argv = NULL;
    int status = -1;

    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, &gerr));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL,
                               NULL, out, err, &status, &gerr));
    return status;
}
