/*
 * spapr-hv: a small JSON parser and printer, enough for QMP
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include "json.h"
#include "spapr-hcall/types.h"

/* ---- values ---- */

static JsonValue *json_new(JsonType t)
{
    JsonValue *v = g_new0(JsonValue, 1);

    v->type = t;
    return v;
}

static void member_free(gpointer p)
{
    JsonMember *m = p;

    g_free(m->key);
    json_free(m->value);
    g_free(m);
}

void json_free(JsonValue *v)
{
    if (!v) {
        return;
    }
    if (v->type == JSON_STRING) {
        g_free(v->u.s);
    } else if (v->type == JSON_ARRAY || v->type == JSON_OBJECT) {
        g_ptr_array_free(v->u.items, TRUE);
    }
    g_free(v);
}

JsonValue *json_null(void)
{
    return json_new(JSON_NULL);
}

JsonValue *json_bool(bool b)
{
    JsonValue *v = json_new(JSON_BOOL);

    v->u.b = b;
    return v;
}

JsonValue *json_int(int64_t i)
{
    JsonValue *v = json_new(JSON_INT);

    v->u.i = i;
    return v;
}

JsonValue *json_string(const char *s)
{
    JsonValue *v = json_new(JSON_STRING);

    v->u.s = g_strdup(s);
    return v;
}

JsonValue *json_array(void)
{
    JsonValue *v = json_new(JSON_ARRAY);

    v->u.items = g_ptr_array_new_with_free_func((GDestroyNotify)json_free);
    return v;
}

JsonValue *json_object(void)
{
    JsonValue *v = json_new(JSON_OBJECT);

    v->u.items = g_ptr_array_new_with_free_func(member_free);
    return v;
}

void json_array_add(JsonValue *arr, JsonValue *v)
{
    g_ptr_array_add(arr->u.items, v);
}

void json_object_set(JsonValue *obj, const char *key, JsonValue *v)
{
    JsonMember *m = g_new0(JsonMember, 1);

    m->key = g_strdup(key);
    m->value = v;
    g_ptr_array_add(obj->u.items, m);
}

JsonValue *json_object_get(const JsonValue *obj, const char *key)
{
    guint i;

    if (!obj || obj->type != JSON_OBJECT) {
        return NULL;
    }
    for (i = 0; i < obj->u.items->len; i++) {
        JsonMember *m = g_ptr_array_index(obj->u.items, i);

        if (!strcmp(m->key, key)) {
            return m->value;
        }
    }
    return NULL;
}

const char *json_object_get_string(const JsonValue *obj, const char *key)
{
    JsonValue *v = json_object_get(obj, key);

    return v && v->type == JSON_STRING ? v->u.s : NULL;
}

/* ---- printer ---- */

static void append_string(GString *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    g_string_append_c(out, '"');
    for (; *p; p++) {
        switch (*p) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                g_string_append_printf(out, "\\u%04x", *p);
            } else {
                g_string_append_c(out, *p);
            }
        }
    }
    g_string_append_c(out, '"');
}

void json_append(GString *out, const JsonValue *v)
{
    guint i;

    switch (v->type) {
    case JSON_NULL:
        g_string_append(out, "null");
        break;
    case JSON_BOOL:
        g_string_append(out, v->u.b ? "true" : "false");
        break;
    case JSON_INT:
        g_string_append_printf(out, "%" PRId64, v->u.i);
        break;
    case JSON_DOUBLE: {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append(out, g_ascii_dtostr(buf, sizeof(buf), v->u.d));
        break;
    }
    case JSON_STRING:
        append_string(out, v->u.s);
        break;
    case JSON_ARRAY:
        g_string_append_c(out, '[');
        for (i = 0; i < v->u.items->len; i++) {
            if (i) {
                g_string_append(out, ", ");
            }
            json_append(out, g_ptr_array_index(v->u.items, i));
        }
        g_string_append_c(out, ']');
        break;
    case JSON_OBJECT:
        g_string_append_c(out, '{');
        for (i = 0; i < v->u.items->len; i++) {
            JsonMember *m = g_ptr_array_index(v->u.items, i);

            if (i) {
                g_string_append(out, ", ");
            }
            append_string(out, m->key);
            g_string_append(out, ": ");
            json_append(out, m->value);
        }
        g_string_append_c(out, '}');
        break;
    }
}

char *json_to_string(const JsonValue *v)
{
    GString *s = g_string_new(NULL);

    json_append(s, v);
    return g_string_free(s, FALSE);
}

/* ---- parser ---- */

typedef struct JsonParser {
    const char *p;
    const char *end;
    const char *start;
    GError **errp;
} JsonParser;

static JsonValue *parse_value(JsonParser *ps, int depth);

static bool perr(JsonParser *ps, const char *what)
{
    if (ps->errp && !*ps->errp) {
        g_set_error(ps->errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "JSON parse error, %s at offset %td", what,
                    ps->p - ps->start);
    }
    return false;
}

static void skip_ws(JsonParser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
                               *ps->p == '\n' || *ps->p == '\r')) {
        ps->p++;
    }
}

static int hex4(const char *p)
{
    int v = 0, i, d;

    for (i = 0; i < 4; i++) {
        d = g_ascii_xdigit_value(p[i]);
        if (d < 0) {
            return -1;
        }
        v = v << 4 | d;
    }
    return v;
}

static char *parse_string(JsonParser *ps)
{
    char quote = *ps->p++;
    GString *s = g_string_new(NULL);

    while (ps->p < ps->end && *ps->p != quote) {
        unsigned char c = *ps->p++;

        if (c < 0x20) {
            perr(ps, "control character in string");
            goto fail;
        }
        if (c != '\\') {
            g_string_append_c(s, c);
            continue;
        }
        if (ps->p >= ps->end) {
            break;
        }
        c = *ps->p++;
        switch (c) {
        case '"': case '\'': case '\\': case '/':
            g_string_append_c(s, c);
            break;
        case 'b':
            g_string_append_c(s, '\b');
            break;
        case 'f':
            g_string_append_c(s, '\f');
            break;
        case 'n':
            g_string_append_c(s, '\n');
            break;
        case 'r':
            g_string_append_c(s, '\r');
            break;
        case 't':
            g_string_append_c(s, '\t');
            break;
        case 'u': {
            int cp;

            if (ps->end - ps->p < 4 || (cp = hex4(ps->p)) < 0) {
                perr(ps, "bad \\u escape");
                goto fail;
            }
            ps->p += 4;
            if (cp >= 0xd800 && cp < 0xdc00) {
                int lo;

                if (ps->end - ps->p < 6 || ps->p[0] != '\\' ||
                    ps->p[1] != 'u' || (lo = hex4(ps->p + 2)) < 0xdc00 ||
                    lo > 0xdfff) {
                    perr(ps, "unpaired surrogate");
                    goto fail;
                }
                ps->p += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                perr(ps, "unpaired surrogate");
                goto fail;
            }
            if (cp == 0) {
                /* QEMU rejects \u0000 too: it would truncate C strings */
                perr(ps, "\\u0000 is not allowed");
                goto fail;
            }
            g_string_append_unichar(s, cp);
            break;
        }
        default:
            perr(ps, "bad escape");
            goto fail;
        }
    }
    if (ps->p >= ps->end) {
        perr(ps, "unterminated string");
        goto fail;
    }
    ps->p++;
    if (!g_utf8_validate(s->str, s->len, NULL)) {
        perr(ps, "invalid UTF-8 in string");
        goto fail;
    }
    return g_string_free(s, FALSE);
fail:
    g_string_free(s, TRUE);
    return NULL;
}

static JsonValue *parse_number(JsonParser *ps)
{
    const char *q = ps->p;
    bool is_float = false;
    g_autofree char *tok = NULL;
    char *end;
    JsonValue *v;

    if (q < ps->end && *q == '-') {
        q++;
    }
    if (q >= ps->end || !g_ascii_isdigit(*q)) {
        perr(ps, "invalid token");
        return NULL;
    }
    while (q < ps->end && (g_ascii_isdigit(*q) || *q == '.' || *q == 'e' ||
                           *q == 'E' || *q == '+' || *q == '-')) {
        if (*q == '.' || *q == 'e' || *q == 'E') {
            is_float = true;
        }
        q++;
    }
    tok = g_strndup(ps->p, q - ps->p);
    errno = 0;
    if (!is_float) {
        int64_t i = g_ascii_strtoll(tok, &end, 10);

        if (!errno && !*end) {
            ps->p = q;
            return json_int(i);
        }
        /* out of int64 range: QEMU turns it into a double */
    }
    errno = 0;
    v = json_new(JSON_DOUBLE);
    v->u.d = g_ascii_strtod(tok, &end);
    if (*end || !isfinite(v->u.d)) {
        json_free(v);
        perr(ps, "invalid number");
        return NULL;
    }
    ps->p = q;
    return v;
}

static bool match_word(JsonParser *ps, const char *w)
{
    size_t n = strlen(w);

    if ((size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, w, n) &&
        (ps->p + n == ps->end || !g_ascii_isalnum(ps->p[n]))) {
        ps->p += n;
        return true;
    }
    return false;
}

/*
 * Has @obj a member @key already?  A linear scan for small objects; past
 * a few members a hash set (kept in *@seen for the rest of the object),
 * so that a 1 MiB object of tiny members is not quadratic.
 */
static bool has_key(JsonValue *obj, GHashTable **seen, const char *key)
{
    GPtrArray *items = obj->u.items;
    guint i;

    if (items->len < 16) {
        return json_object_get(obj, key) != NULL;
    }
    if (!*seen) {
        *seen = g_hash_table_new(g_str_hash, g_str_equal);
        for (i = 0; i < items->len; i++) {
            JsonMember *m = g_ptr_array_index(items, i);

            g_hash_table_add(*seen, m->key);
        }
    }
    return g_hash_table_contains(*seen, key);
}

static JsonValue *parse_container(JsonParser *ps, int depth, bool is_obj)
{
    JsonValue *v = is_obj ? json_object() : json_array();
    char close = is_obj ? '}' : ']';
    GHashTable *seen = NULL;     /* keys, once the object grows */

    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return v;
    }
    for (;;) {
        JsonValue *item;
        char *key = NULL;

        skip_ws(ps);
        if (is_obj) {
            if (ps->p >= ps->end || (*ps->p != '"' && *ps->p != '\'')) {
                perr(ps, "expected a string key");
                goto fail;
            }
            key = parse_string(ps);
            if (!key) {
                goto fail;
            }
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                g_free(key);
                perr(ps, "expected ':'");
                goto fail;
            }
            ps->p++;
        }
        item = parse_value(ps, depth + 1);
        if (!item) {
            g_free(key);
            goto fail;
        }
        if (is_obj) {
            /* As QEMU: a repeated member is an error, not an override */
            if (has_key(v, &seen, key)) {
                g_autofree char *safe = g_utf8_make_valid(key, MIN(
                                                  strlen(key), 64));
                g_autofree char *msg = g_strdup_printf(
                    "Duplicate key \"%s\"", safe);

                perr(ps, msg);
                g_free(key);
                json_free(item);
                goto fail;
            }
            json_object_set(v, key, item);
            if (seen) {
                JsonMember *m = g_ptr_array_index(v->u.items,
                                                  v->u.items->len - 1);

                g_hash_table_add(seen, m->key);
            }
            g_free(key);
        } else {
            json_array_add(v, item);
        }
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            if (seen) {
                g_hash_table_destroy(seen);
            }
            return v;
        }
        perr(ps, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
        goto fail;
    }
fail:
    if (seen) {
        g_hash_table_destroy(seen);
    }
    json_free(v);
    return NULL;
}

static JsonValue *parse_value(JsonParser *ps, int depth)
{
    char *s;

    if (depth > JSON_MAX_DEPTH) {
        perr(ps, "nesting too deep");
        return NULL;
    }
    skip_ws(ps);
    if (ps->p >= ps->end) {
        perr(ps, "unexpected end of input");
        return NULL;
    }
    switch (*ps->p) {
    case '{':
        return parse_container(ps, depth, true);
    case '[':
        return parse_container(ps, depth, false);
    case '"':
    case '\'':
        s = parse_string(ps);
        if (!s) {
            return NULL;
        }
        {
            JsonValue *v = json_new(JSON_STRING);

            v->u.s = s;
            return v;
        }
    default:
        if (match_word(ps, "true")) {
            return json_bool(true);
        }
        if (match_word(ps, "false")) {
            return json_bool(false);
        }
        if (match_word(ps, "null")) {
            return json_null();
        }
        return parse_number(ps);
    }
}

JsonValue *json_parse(const char *text, size_t len, GError **errp)
{
    JsonParser ps = { text, text + len, text, errp };
    JsonValue *v;

    if (memchr(text, '\0', len)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "JSON parse error, NUL byte in input");
        return NULL;
    }
    v = parse_value(&ps, 0);
    if (!v) {
        return NULL;
    }
    skip_ws(&ps);
    if (ps.p != ps.end) {
        perr(&ps, "trailing characters");
        json_free(v);
        return NULL;
    }
    return v;
}

/* ---- streamer ---- */

struct JsonStreamer {
    GString *buf;
    size_t max;
    int depth;
    char quote;                 /* inside a string: its quote, else 0 */
    bool escape;
    bool scalar;                /* a top-level scalar is being collected */
    bool overflow;              /* skipping the rest of a too-long text */
    bool paused;                /* stop feeding after the current text */
    JsonTextFn fn;
    void *opaque;
};

JsonStreamer *json_streamer_new(size_t max, JsonTextFn fn, void *opaque)
{
    JsonStreamer *js = g_new0(JsonStreamer, 1);

    js->buf = g_string_new(NULL);
    js->max = max;
    js->fn = fn;
    js->opaque = opaque;
    return js;
}

void json_streamer_free(JsonStreamer *js)
{
    if (js) {
        g_string_free(js->buf, TRUE);
        g_free(js);
    }
}

static void emit(JsonStreamer *js)
{
    if (js->overflow) {
        js->fn(js->opaque, NULL, 0);
    } else if (js->buf->len) {
        js->fn(js->opaque, js->buf->str, js->buf->len);
    }
    g_string_truncate(js->buf, 0);
    js->depth = 0;
    js->quote = 0;
    js->escape = false;
    js->scalar = false;
    js->overflow = false;
}

void json_streamer_pause(JsonStreamer *js)
{
    js->paused = true;
}

size_t json_streamer_feed(JsonStreamer *js, const char *buf, size_t len)
{
    size_t i;

    js->paused = false;
    for (i = 0; i < len; i++) {
        char c = buf[i];

        if (js->paused) {
            /* the text callback asked us to stop after its text */
            js->paused = false;
            return i;
        }
        bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r';

        if (js->depth == 0 && !js->scalar && !js->quote) {
            if (ws) {
                continue;
            }
            if (c == '}' || c == ']') {
                /* a stray closer: report it at once */
                g_string_append_c(js->buf, c);
                emit(js);
                continue;
            }
            if (c != '{' && c != '[' && c != '"' && c != '\'') {
                js->scalar = true;
            }
        }
        if (js->scalar && ws && !js->quote) {
            emit(js);
            continue;
        }
        if (!js->overflow) {
            if (js->buf->len >= js->max) {
                js->overflow = true;
                g_string_truncate(js->buf, 0);
            } else {
                g_string_append_c(js->buf, c);
            }
        }
        if (js->quote) {
            if (js->escape) {
                js->escape = false;
            } else if (c == '\\') {
                js->escape = true;
            } else if (c == js->quote) {
                js->quote = 0;
                if (js->depth == 0 && !js->scalar) {
                    emit(js);
                }
            }
            continue;
        }
        if (c == '"' || c == '\'') {
            js->quote = c;
        } else if (c == '{' || c == '[') {
            if (js->scalar) {
                continue;
            }
            js->depth++;
        } else if (c == '}' || c == ']') {
            if (js->scalar) {
                continue;
            }
            if (--js->depth <= 0) {
                emit(js);
            }
        }
    }
    js->paused = false;
    return len;
}
