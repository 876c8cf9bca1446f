/*
 * spapr-hv QMP: greeting, negotiation, commands, errors, quit
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <sys/wait.h>
#include "libqtest.h"

static void test_handshake(void)
{
    /* qtest_init did the greeting and qmp_capabilities already */
    QTestState *s = qtest_init("-M pseries");
    g_autofree char *r = NULL;

    g_assert_nonnull(strstr(qtest_greeting(s), "\"version\": {\"qemu\": "));
    g_assert_nonnull(strstr(qtest_greeting(s), "\"capabilities\": []"));
    r = qtest_qmp(s, "{\"execute\": \"qmp_capabilities\"}");
    g_assert_cmpstr(r, ==, "{\"error\": {\"class\": \"CommandNotFound\", "
                    "\"desc\": \"Capabilities negotiation is already "
                    "complete, command ignored\"}}");
    qtest_quit(s);
}

static void test_status_version(void)
{
    QTestState *s = qtest_init("-M pseries");
    g_autofree char *r = qtest_qmp(s, "{'execute': 'query-status'}");

    g_assert_cmpstr(r, ==, "{\"return\": {\"status\": \"running\", "
                    "\"singlestep\": false, \"running\": true}}");
    g_free(r);
    r = qtest_qmp(s, "{'execute': 'stop', 'id': 7}");
    g_assert_cmpstr(r, ==, "{\"return\": {}, \"id\": 7}");
    g_free(r);
    r = qtest_qmp(s, "{'execute': 'query-status'}");
    g_assert_nonnull(strstr(r, "\"status\": \"paused\""));
    g_free(r);
    r = qtest_qmp(s, "{'execute': 'cont'}");
    g_free(r);
    r = qtest_qmp(s, "{'execute': 'query-version'}");
    g_assert_true(g_str_has_prefix(r, "{\"return\": {\"qemu\": "
                                   "{\"major\": "));
    g_assert_nonnull(strstr(r, "\"package\": \"spapr-hv\""));
    g_free(r);
    r = qtest_qmp(s, "{'execute': 'query-commands'}");
    g_assert_nonnull(strstr(r, "{\"name\": \"qom-list\"}"));
    qtest_quit(s);
}

static void test_qom(void)
{
    QTestState *s = qtest_init("-M pseries -m 1G");
    g_autofree char *r = qtest_qmp(s, "{'execute': 'qom-list', "
                                   "'arguments': {'path': '/'}}");

    g_assert_nonnull(strstr(r, "{\"name\": \"machine\", \"type\": "
                            "\"child<pseries-machine>\"}"));
    g_free(r);
    r = qtest_qmp(s, "{'execute': 'qom-get', 'arguments': "
                  "{'path': '/machine', 'property': 'ram-size'}}");
    g_assert_cmpstr(r, ==, "{\"return\": 1073741824}");
    g_free(r);
    r = qtest_qmp(s, "{'execute': 'qom-get', 'arguments': "
                  "{'path': '/machine', 'property': 'nope'}}");
    g_assert_true(g_str_has_prefix(r, "{\"error\": {\"class\": "
                                   "\"GenericError\""));
    g_free(r);
    r = qtest_qmp(s, "{'execute': 'qom-list', "
                  "'arguments': {'path': '/nowhere'}}");
    g_assert_cmpstr(r, ==, "{\"error\": {\"class\": \"DeviceNotFound\", "
                    "\"desc\": \"Device '/nowhere' not found\"}}");
    g_free(r);
    r = qtest_qmp(s, "{'execute': 'query-hcalls'}");
    g_assert_nonnull(strstr(r, "\"name\": \"H_LOGICAL_CI_LOAD\""));
    qtest_quit(s);
}

static void test_errors(void)
{
    static const char *const bad[][2] = {
        { "{'execute': 'no-such-command'}", "\"CommandNotFound\"" },
        { "{'exec': 'quit'}", "QMP input member 'exec' is unexpected" },
        { "{'arguments': {}}", "QMP input lacks member 'execute'" },
        { "{'execute': 42}", "'execute' must be a string" },
        { "{'execute': 'qom-list', 'arguments': []}",
          "'arguments' must be an object" },
        { "{'execute': 'qom-list'}", "Parameter 'path' is missing" },
        { "{'execute': 'qom-list', 'arguments': {'path': 1}}",
          "Invalid parameter type for 'path'" },
        { "{'execute': 'query-status', 'arguments': {'x': 1}}",
          "Parameter 'x' is unexpected" },
        { "[1, 2]", "QMP input must be a JSON object" },
        { "\"just a string\"", "QMP input must be a JSON object" },
        { "{'execute': 'quit'", NULL },     /* completed below */
        { "{\"execute\": \"x\\u0000\"}", "JSON parse error" },
        { "{\"a\": tru}", "JSON parse error" },
        { "{\"a\" 1}", "JSON parse error" },
        { "{'execute': 'device_del', 'arguments': {'id': 'nv9'}}",
          "Device 'nv9' not found" },
        { "{'execute': 'exec-oob'}", "\"CommandNotFound\"" },
        { "{'exec-oob': 'query-status'}", "out-of-band" },
        { "}", "JSON parse error" },
    };
    QTestState *s = qtest_init("-M pseries");
    unsigned int i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *r = NULL;

        if (!bad[i][1]) {
            /* an unfinished object: finish it as a different command */
            qtest_qmp_send_raw(s, bad[i][0]);
            r = qtest_qmp(s, "[]}");
            g_assert_nonnull(strstr(r, "JSON parse error"));
            continue;
        }
        r = qtest_qmp(s, "%s", bad[i][0]);
        if (!strstr(r, bad[i][1]) || !g_str_has_prefix(r, "{\"error\"")) {
            g_error("'%s': got '%s'", bad[i][0], r);
        }
    }
    /* still serving */
    {
        g_autofree char *r = qtest_qmp(s, "{'execute': 'query-name'}");

        g_assert_cmpstr(r, ==, "{\"return\": {}}");
    }
    qtest_quit(s);
}

static void test_deep_and_big(void)
{
    QTestState *s = qtest_init("-M pseries");
    GString *deep = g_string_new(NULL);
    g_autofree char *big = g_malloc((2u << 20) + 1);
    g_autofree char *r = NULL;
    unsigned int i;

    for (i = 0; i < 200; i++) {
        g_string_append_c(deep, '[');
    }
    for (i = 0; i < 200; i++) {
        g_string_append_c(deep, ']');
    }
    r = qtest_qmp(s, "%s", deep->str);
    g_assert_nonnull(strstr(r, "nesting too deep"));
    g_string_free(deep, TRUE);
    g_free(r);
    /* a 2 MiB string: over the input limit */
    memset(big, 'x', 2u << 20);
    big[0] = '"';
    big[(2u << 20) - 1] = '"';
    big[2u << 20] = '\0';
    r = qtest_qmp(s, "%s", big);
    g_assert_nonnull(strstr(r, "input longer than"));
    g_free(r);
    r = qtest_qmp(s, "{'execute': 'query-name', 'id': {'a': [1, 2.5]}}");
    g_assert_cmpstr(r, ==, "{\"return\": {}, \"id\": {\"a\": [1, 2.5]}}");
    qtest_quit(s);
}

static void test_reset_and_quit(void)
{
    QTestState *s = qtest_init("-M pseries");
    g_autofree char *r = NULL, *ev = NULL;
    int st;

    qtest_qmp_send_raw(s, "{'execute': 'system_reset'}");
    r = qtest_qmp_recv(s);
    g_assert_cmpstr(r, ==, "{\"return\": {}}");
    ev = qtest_qmp_recv(s);
    g_assert_nonnull(strstr(ev, "\"event\": \"RESET\""));
    g_free(r);
    g_free(ev);
    qtest_qmp_send_raw(s, "{'execute': 'quit'}");
    r = qtest_qmp_recv(s);
    g_assert_cmpstr(r, ==, "{\"return\": {}}");
    ev = qtest_qmp_recv(s);
    g_assert_nonnull(strstr(ev, "\"event\": \"SHUTDOWN\", \"data\": "
                            "{\"guest\": false, \"reason\": "
                            "\"host-qmp-quit\"}"));
    st = qtest_wait_exit(s);
    g_assert_true(WIFEXITED(st));
    g_assert_cmpint(WEXITSTATUS(st), ==, 0);
    qtest_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-hv/qmp/handshake", test_handshake);
    g_test_add_func("/spapr-hv/qmp/status-version", test_status_version);
    g_test_add_func("/spapr-hv/qmp/qom", test_qom);
    g_test_add_func("/spapr-hv/qmp/errors", test_errors);
    g_test_add_func("/spapr-hv/qmp/deep-and-big", test_deep_and_big);
    g_test_add_func("/spapr-hv/qmp/reset-quit", test_reset_and_quit);
    return g_test_run();
}
