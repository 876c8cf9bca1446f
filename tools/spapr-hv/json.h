/*
 * spapr-hv: a small JSON parser and printer, enough for QMP
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Accepts what QEMU's parser accepts for QMP: double- or single-quoted
 * strings, \uXXXX escapes (with surrogate pairs), integers and floats,
 * true/false/null, nesting up to JSON_MAX_DEPTH.  Objects keep member
 * order.  Output is compact with ", " and ": " separators, like QEMU.
 */
#ifndef SPAPR_HV_JSON_H
#define SPAPR_HV_JSON_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define JSON_MAX_DEPTH  64

typedef enum JsonType {
    JSON_NULL,
    JSON_BOOL,
    JSON_INT,
    JSON_DOUBLE,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} JsonType;

typedef struct JsonValue JsonValue;

struct JsonValue {
    JsonType type;
    union {
        bool b;
        int64_t i;
        double d;
        char *s;
        GPtrArray *items;       /* array: JsonValue; object: JsonMember */
    } u;
};

typedef struct JsonMember {
    char *key;
    JsonValue *value;
} JsonMember;

JsonValue *json_parse(const char *text, size_t len, GError **errp);
void json_free(JsonValue *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(JsonValue, json_free)

JsonValue *json_null(void);
JsonValue *json_bool(bool b);
JsonValue *json_int(int64_t i);
JsonValue *json_string(const char *s);
JsonValue *json_array(void);
JsonValue *json_object(void);
/* Append; takes ownership of @v. */
void json_array_add(JsonValue *arr, JsonValue *v);
void json_object_set(JsonValue *obj, const char *key, JsonValue *v);

/* Member @key of an object, or NULL. */
JsonValue *json_object_get(const JsonValue *obj, const char *key);
const char *json_object_get_string(const JsonValue *obj, const char *key);

void json_append(GString *out, const JsonValue *v);
char *json_to_string(const JsonValue *v);

/*
 * Splits a byte stream into top-level JSON texts, as QEMU's streamer
 * does: a text ends when its braces and brackets balance; a scalar at
 * top level ends at whitespace.  Texts over @max bytes are reported as
 * errors (NULL text) and skipped.
 */
typedef struct JsonStreamer JsonStreamer;
/* @text is NULL when the text was too long; it is not NUL-checked. */
typedef void (*JsonTextFn)(void *opaque, const char *text, size_t len);

JsonStreamer *json_streamer_new(size_t max, JsonTextFn fn, void *opaque);
void json_streamer_free(JsonStreamer *js);
/*
 * Returns the bytes consumed: all of @len, unless the text callback
 * called json_streamer_pause(), which stops the feed right after the
 * text it was given (the caller feeds the rest later).
 */
size_t json_streamer_feed(JsonStreamer *js, const char *buf, size_t len);
void json_streamer_pause(JsonStreamer *js);

#endif
