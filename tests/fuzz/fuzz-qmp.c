/*
 * Fuzz target: the QMP server of spapr-hv and its JSON parser.
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The input is fed, split where its first bytes say, to a server that
 * has greeted a new connection; half the time a capabilities handshake
 * comes first so that commands run.  Invariants: every output line is a
 * JSON object with one of return, error, event or QMP; and any input the
 * parser accepts prints to text that parses back to the same text.
 */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz-input.h"
#include "fuzz-hv.h"
#include "hv-machine.h"
#include "json.h"
#include "options.h"
#include "qmp-server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_lines(const GString *out)
{
    const char *p = out->str;

    while (*p) {
        const char *nl = strstr(p, "\r\n");
        g_autoptr(JsonValue) v = NULL;
        g_autoptr(GError) err = NULL;

        if (!nl) {
            fprintf(stderr, "output line without CRLF: %.60s\n", p);
            abort();
        }
        v = json_parse(p, nl - p, &err);
        if (!v || v->type != JSON_OBJECT ||
            !(json_object_get(v, "return") || json_object_get(v, "error") ||
              json_object_get(v, "event") || json_object_get(v, "QMP"))) {
            fprintf(stderr, "bad QMP output line: %.*s\n", (int)(nl - p),
                    p);
            abort();
        }
        p = nl + 2;
    }
}

static void check_round_trip(const uint8_t *data, size_t size)
{
    g_autoptr(JsonValue) v = json_parse((const char *)data, size, NULL);
    g_autoptr(JsonValue) v2 = NULL;
    g_autofree char *s1 = NULL, *s2 = NULL;

    if (!v) {
        return;
    }
    s1 = json_to_string(v);
    v2 = json_parse(s1, strlen(s1), NULL);
    if (!v2) {
        fprintf(stderr, "printed JSON does not parse: %.80s\n", s1);
        abort();
    }
    s2 = json_to_string(v2);
    if (strcmp(s1, s2)) {
        fprintf(stderr, "JSON round trip differs: %.80s / %.80s\n", s1, s2);
        abort();
    }
}

static const char *const cmds[] = {
    "qmp_capabilities", "query-status", "stop", "cont", "query-version",
    "query-name", "query-commands", "query-hcalls", "system_reset",
    "qom-list", "qom-get", "device_del", "quit", "bogus",
};
static const char *const keys[] = {
    "path", "property", "id", "arguments", "execute", "exec-oob", "x",
};
static const char *const vals[] = {
    "\"/\"", "\"/machine\"", "\"/machine/peripheral\"",
    "\"/machine/peripheral/nv0\"", "\"/objects/m0\"", "\"uuid\"",
    "\"type\"", "\"health\"", "\"ram-size\"", "\"nv0\"", "1", "-1",
    "1e400", "true", "null", "[]", "{}", "\"\\u0000\"", "\"\\ud800\"",
    "'single'", "[[[[[[[[[[]]]]]]]]]]", "12345678901234567890",
};

/*
 * Grammar mode: most bytes pick QMP commands with real argument names
 * and values (a random byte stream is rarely JSON); some are raw.
 */
static GString *grammar(FuzzIn *in)
{
    GString *t = g_string_new(NULL);

    while (in->left) {
        uint8_t sel = fuzz_u8(in);
        unsigned int i, nargs;

        if (sel < 0xC0) {
            g_string_append_printf(t, "{\"execute\": \"%s\"",
                                   cmds[sel % G_N_ELEMENTS(cmds)]);
            nargs = fuzz_pick(in, 4);
            if (nargs) {
                g_string_append(t, ", \"arguments\": {");
                for (i = 0; i < nargs; i++) {
                    g_string_append_printf(t, "%s\"%s\": %s", i ? ", " : "",
                        keys[fuzz_pick(in, G_N_ELEMENTS(keys))],
                        vals[fuzz_pick(in, G_N_ELEMENTS(vals))]);
                }
                g_string_append_c(t, '}');
            }
            if (sel & 1) {
                g_string_append_printf(t, ", \"id\": %s",
                    vals[fuzz_pick(in, G_N_ELEMENTS(vals))]);
            }
            g_string_append(t, sel & 2 ? "}\r\n" : "}");
        } else {
            g_autofree char *raw = fuzz_str(in, 16);

            g_string_append(t, raw);
        }
    }
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static HvMachine *hv;
    static HvOptions *o;
    FuzzIn in = { data, size };
    QmpServer *s;
    GString *out = g_string_new(NULL);
    bool handshake = fuzz_u8(&in) & 1;
    size_t chunk = 1 + fuzz_u8(&in) * 16;

    if (!hv) {
        hv = fuzz_hv_machine(&o);   /* kept: a machine per input is slow */
    }
    g_autoptr(GString) text = NULL;

    if (handshake && (size & 1)) {
        text = grammar(&in);
        in.p = (const uint8_t *)text->str;
        in.left = text->len;
    }
    check_round_trip(in.p, in.left);
    s = qmp_server_new(hv, o);
    qmp_server_connect(s, out);
    if (handshake) {
        qmp_server_feed(s, "{'execute':'qmp_capabilities'}", 31, out);
    }
    while (in.left) {
        size_t n = MIN(chunk, in.left);
        size_t done = 0;

        /* the program's path: a budget, and the rest offered again */
        while (done < n) {
            size_t k = qmp_server_feed_some(s, (const char *)in.p + done,
                                            n - done, out, out->len + 4096);

            if (!k) {
                fprintf(stderr, "feed made no progress\n");
                abort();
            }
            done += k;
        }
        in.p += n;
        in.left -= n;
        if (qmp_server_quit_requested(s)) {
            break;
        }
    }
    check_lines(out);
    qmp_server_free(s);
    g_string_free(out, TRUE);
    return 0;
}
