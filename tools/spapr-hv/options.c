/*
 * spapr-hv: the QEMU-style command line
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Option values use QEMU's "key=value,key=value" syntax with ",," for a
 * literal comma and an implied first key (the driver or type).  Options
 * QEMU has but that mean nothing without a CPU (-S, -nographic, ...) are
 * accepted and ignored so that a libqtest-style harness can start us.
 */
#include <errno.h>
#include <string.h>
#include "options.h"
#include "spapr-hcall/types.h"
#include "spapr-hcall/trace.h"

typedef struct KvPair {
    char *key;
    char *value;
} KvPair;

static void kv_pair_free(gpointer p)
{
    KvPair *kv = p;

    g_free(kv->key);
    g_free(kv->value);
    g_free(kv);
}

/*
 * Split "first,k=v,k2=v2" into pairs; the first item, when it has no '=',
 * gets @implied as its key.  ",," is a literal comma.
 */
static GPtrArray *kv_split(const char *s, const char *implied)
{
    GPtrArray *arr = g_ptr_array_new_with_free_func(kv_pair_free);
    GString *item = g_string_new(NULL);
    const char *p = s;
    bool first = true;

    for (;;) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(item, ',');
            p += 2;
            continue;
        }
        if (*p && *p != ',') {
            g_string_append_c(item, *p++);
            continue;
        }
        if (item->len || *p == ',') {
            KvPair *kv = g_new0(KvPair, 1);
            char *eq = strchr(item->str, '=');

            if (eq) {
                kv->key = g_strndup(item->str, eq - item->str);
                kv->value = g_strdup(eq + 1);
            } else if (first && implied) {
                kv->key = g_strdup(implied);
                kv->value = g_strdup(item->str);
            } else {
                /* "flag" alone means flag=on, as QEMU's -machine does */
                kv->key = g_strdup(item->str);
                kv->value = NULL;
            }
            g_ptr_array_add(arr, kv);
        }
        first = false;
        g_string_truncate(item, 0);
        if (!*p) {
            break;
        }
        p++;
    }
    g_string_free(item, TRUE);
    return arr;
}

bool hv_parse_bool(const char *s, bool *out)
{
    if (!s || !strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true")) {
        *out = true;
        return true;
    }
    if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false")) {
        *out = false;
        return true;
    }
    return false;
}

bool hv_parse_size(const char *s, uint64_t def_unit, uint64_t *out)
{
    static const char suffixes[] = "BKMGTPE";
    const char *sfx;
    char *end = NULL;
    uint64_t whole, unit = def_unit;
    double frac = 0;
    int shift;

    if (!s || !g_ascii_isdigit(*s)) {
        return false;
    }
    errno = 0;
    whole = g_ascii_strtoull(s, &end, 10);
    if (errno) {
        return false;
    }
    if (*end == '.') {
        const char *f = end + 1;
        double scale = 0.1;

        if (!g_ascii_isdigit(*f)) {
            return false;
        }
        for (; g_ascii_isdigit(*f); f++) {
            frac += (*f - '0') * scale;
            scale /= 10;
        }
        end = (char *)f;
    }
    if (*end) {
        sfx = strchr(suffixes, g_ascii_toupper(*end));
        if (!sfx || end[1]) {
            return false;
        }
        shift = 10 * (sfx - suffixes);
        unit = 1ULL << shift;
    }
    if (whole > UINT64_MAX / unit) {
        return false;
    }
    *out = whole * unit + (uint64_t)(frac * (double)unit);
    if (*out < whole * unit) {
        return false;
    }
    return true;
}

bool hv_parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    uint64_t v;

    if (!s || !g_ascii_isdigit(*s)) {
        return false;
    }
    errno = 0;
    v = g_ascii_strtoull(s, &end, 0);
    if (errno || *end) {
        return false;
    }
    *out = v;
    return true;
}

static bool parse_u32(const char *s, uint32_t *out)
{
    uint64_t v;

    if (!hv_parse_u64(s, &v) || v > UINT32_MAX) {
        return false;
    }
    *out = v;
    return true;
}

HvOptions *hv_options_new(void)
{
    HvOptions *o = g_new0(HvOptions, 1);

    o->ram_size = HV_DEFAULT_RAM_SIZE;
    o->smp = 1;
    o->backends = g_ptr_array_new();
    o->nvdimms = g_ptr_array_new();
    o->chardevs = g_ptr_array_new();
    return o;
}

void hv_options_free(HvOptions *o)
{
    guint i;

    if (!o) {
        return;
    }
    for (i = 0; i < o->backends->len; i++) {
        HvBackendOpt *b = g_ptr_array_index(o->backends, i);

        g_free(b->id);
        g_free(b->mem_path);
        g_free(b);
    }
    for (i = 0; i < o->nvdimms->len; i++) {
        HvNvdimmOpt *n = g_ptr_array_index(o->nvdimms, i);

        g_free(n->id);
        g_free(n->memdev);
        g_free(n->uuid);
        g_free(n);
    }
    for (i = 0; i < o->chardevs->len; i++) {
        HvChardevOpt *c = g_ptr_array_index(o->chardevs, i);

        g_free(c->id);
        g_free(c->path);
        g_free(c);
    }
    g_ptr_array_free(o->backends, TRUE);
    g_ptr_array_free(o->nvdimms, TRUE);
    g_ptr_array_free(o->chardevs, TRUE);
    g_free(o->qtest_chardev);
    g_free(o->qmp_chardev);
    g_free(o->qtest_log);
    g_free(o->trace);
    g_free(o->dump_dtb_file);
    g_free(o->record);
    g_free(o->replay);
    g_free(o);
}

const HvChardevOpt *hv_options_chardev(const HvOptions *o, const char *id)
{
    guint i;

    for (i = 0; i < o->chardevs->len; i++) {
        HvChardevOpt *c = g_ptr_array_index(o->chardevs, i);

        if (!strcmp(c->id, id)) {
            return c;
        }
    }
    return NULL;
}

const HvBackendOpt *hv_options_backend(const HvOptions *o, const char *id)
{
    guint i;

    for (i = 0; i < o->backends->len; i++) {
        HvBackendOpt *b = g_ptr_array_index(o->backends, i);

        if (!strcmp(b->id, id)) {
            return b;
        }
    }
    return NULL;
}

static bool bad_value(const char *opt, const KvPair *kv, GError **errp)
{
    g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                "%s: invalid value '%s' for '%s'", opt,
                kv->value ? kv->value : "", kv->key);
    return false;
}

static bool unknown_key(const char *opt, const KvPair *kv, GError **errp)
{
    g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                "%s: unknown parameter '%s'", opt, kv->key);
    return false;
}

/* ---- Per-option key tables and their one walker ---- */

typedef struct OptKey OptKey;

/*
 * Parse @kv's value into @dst.  False: the value is invalid, and the
 * walker says so ("invalid value"), unless the parser set @errp itself.
 */
typedef bool (*KeyParseFn)(const OptKey *k, const KvPair *kv, void *dst,
                           const char *opt, GError **errp);

/*
 * One key of an option: its parser and where the value goes (an offset
 * into the option's parse struct).  Tables end with a NULL name.
 */
struct OptKey {
    const char *name;           /* "cap-*": a prefix; "*": see below */
    KeyParseFn parse;           /* NULL: any value, ignored */
    size_t offset;              /* KEY_NO_DEST: checked, not kept */
    uint64_t arg;               /* the parser's: size unit, maximum */
};

/*
 * A last entry "*" matches every other key: its value is checked first,
 * then the key is refused (-smp reports a bad value before a bad key).
 */
#define KEY_NO_DEST     SIZE_MAX
#define KEY(name, fn, type, field, arg) \
    { name, fn, offsetof(type, field), arg }
#define KEY_CHECK(name, fn, arg)        { name, fn, KEY_NO_DEST, arg }
#define KEY_IGNORED(name)               { name, NULL, KEY_NO_DEST, 0 }

G_STATIC_ASSERT(sizeof(unsigned int) == sizeof(uint32_t));

static bool key_str(const OptKey *k, const KvPair *kv, void *dst,
                    const char *opt, GError **errp)
{
    char **p = dst;

    g_free(*p);
    *p = g_strdup(kv->value);
    return true;
}

/* A path: "" when the key comes without a value. */
static bool key_path(const OptKey *k, const KvPair *kv, void *dst,
                     const char *opt, GError **errp)
{
    char **p = dst;

    g_free(*p);
    *p = g_strdup(kv->value ? kv->value : "");
    return true;
}

static bool key_str_nonempty(const OptKey *k, const KvPair *kv, void *dst,
                             const char *opt, GError **errp)
{
    key_path(k, kv, dst, opt, errp);
    return **(char **)dst != '\0';
}

/* The value itself, valid as long as the option's pairs are. */
static bool key_borrow(const OptKey *k, const KvPair *kv, void *dst,
                       const char *opt, GError **errp)
{
    *(const char **)dst = kv->value;
    return true;
}

static bool key_bool(const OptKey *k, const KvPair *kv, void *dst,
                     const char *opt, GError **errp)
{
    return hv_parse_bool(kv->value, dst);
}

/* A size; a plain number is in units of @k->arg bytes. */
static bool key_size(const OptKey *k, const KvPair *kv, void *dst,
                     const char *opt, GError **errp)
{
    uint64_t v;

    if (!hv_parse_size(kv->value, k->arg, &v)) {
        return false;
    }
    *(uint64_t *)dst = v;
    return true;
}

static bool key_size_nonzero(const OptKey *k, const KvPair *kv, void *dst,
                             const char *opt, GError **errp)
{
    return key_size(k, kv, dst, opt, errp) && *(uint64_t *)dst;
}

static bool key_u64(const OptKey *k, const KvPair *kv, void *dst,
                    const char *opt, GError **errp)
{
    return hv_parse_u64(kv->value, dst);
}

/* A uint32_t, at most @k->arg unless that is 0. */
static bool key_u32(const OptKey *k, const KvPair *kv, void *dst,
                    const char *opt, GError **errp)
{
    uint32_t v;

    if (!parse_u32(kv->value, &v) || (k->arg && v > k->arg)) {
        return false;
    }
    *(uint32_t *)dst = v;
    return true;
}

static const OptKey *find_key(const OptKey *keys, const char *key)
{
    const OptKey *k;

    for (k = keys; k->name; k++) {
        size_t n = strlen(k->name);

        if (!strcmp(k->name, key) || !strcmp(k->name, "*") ||
            (n > 1 && k->name[n - 1] == '*' &&
             !strncmp(k->name, key, n - 1))) {
            return k;
        }
    }
    return NULL;
}

/*
 * The walker: every pair of @kvs from @first on must name a key of @keys
 * ("unknown parameter") whose parser takes its value ("invalid value"),
 * in the order given.  A key given twice: the last value wins.
 */
static bool parse_keys(const OptKey *keys, void *dst, GPtrArray *kvs,
                       guint first, const char *opt, GError **errp)
{
    guint i;

    for (i = first; i < kvs->len; i++) {
        const KvPair *kv = g_ptr_array_index(kvs, i);
        const OptKey *k = find_key(keys, kv->key);
        uint64_t scratch[2];
        void *d;

        if (!k) {
            return unknown_key(opt, kv, errp);
        }
        if (!k->parse) {
            continue;
        }
        d = k->offset == KEY_NO_DEST ? (void *)scratch
                                     : (char *)dst + k->offset;
        if (!k->parse(k, kv, d, opt, errp)) {
            return errp && *errp ? false : bad_value(opt, kv, errp);
        }
        if (!strcmp(k->name, "*")) {
            return unknown_key(opt, kv, errp);
        }
    }
    return true;
}

/* ---- Character devices: -chardev, -qtest, -qmp ---- */

static bool add_chardev(HvOptions *o, HvChardevOpt *c, const char *opt,
                        GError **errp)
{
    if (!c->id || !*c->id) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: a chardev needs an id", opt);
        return false;
    }
    if (hv_options_chardev(o, c->id)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: duplicate chardev id '%s'", opt, c->id);
        return false;
    }
    g_ptr_array_add(o->chardevs, c);
    return true;
}

static void chardev_free(HvChardevOpt *c)
{
    g_free(c->id);
    g_free(c->path);
    g_free(c);
}

/* After "unix:PATH" or "stdio" (the path is the spec's). */
static const OptKey chardev_spec_keys[] = {
    KEY("server", key_bool, HvChardevOpt, server, 0),
    KEY("wait", key_bool, HvChardevOpt, wait, 0),
    { 0 },
};

/* -qtest / -qmp value: "unix:PATH[,server=on,wait=off]" or "stdio". */
static bool opt_chardev_spec(HvOptions *o, const char *opt, const char *arg,
                             const char *id, char **slot, GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "spec");
    HvChardevOpt *c = g_new0(HvChardevOpt, 1);
    KvPair *spec = kvs->len ? g_ptr_array_index(kvs, 0) : NULL;

    c->wait = true;
    if (!spec || strcmp(spec->key, "spec") || !spec->value) {
        chardev_free(c);
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: expected unix:PATH or stdio, got '%s'", opt, arg);
        return false;
    }
    if (g_str_has_prefix(spec->value, "unix:") && spec->value[5]) {
        c->path = g_strdup(spec->value + 5);
    } else if (strcmp(spec->value, "stdio")) {
        chardev_free(c);
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: unsupported chardev '%s' (use unix:PATH or stdio)",
                    opt, spec->value);
        return false;
    }
    if (!parse_keys(chardev_spec_keys, c, kvs, 1, opt, errp)) {
        chardev_free(c);
        return false;
    }
    c->id = g_strdup(id);
    if (!add_chardev(o, c, opt, errp)) {
        chardev_free(c);
        return false;
    }
    g_free(*slot);
    *slot = g_strdup(id);
    return true;
}

typedef struct ChardevArgs {
    HvChardevOpt c;
    const char *backend;
} ChardevArgs;

static const OptKey chardev_keys[] = {
    KEY("backend", key_borrow, ChardevArgs, backend, 0),
    KEY("id", key_str, ChardevArgs, c.id, 0),
    /* accepted for compatibility; meaningless here */
    KEY_IGNORED("signal"),
    KEY_IGNORED("logfile"),
    KEY("path", key_path, ChardevArgs, c.path, 0),
    KEY("server", key_bool, ChardevArgs, c.server, 0),
    KEY("wait", key_bool, ChardevArgs, c.wait, 0),
    { 0 },
};

/* A parsed -chardev names a backend we have, and a socket its path. */
static bool check_chardev(const ChardevArgs *a, const char *opt,
                          GError **errp)
{
    const char *backend = a->backend;

    if (!backend || (strcmp(backend, "socket") && strcmp(backend, "stdio"))) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: unsupported backend '%s' (socket or stdio)", opt,
                    backend ? backend : "");
        return false;
    }
    if (!strcmp(backend, "socket") && (!a->c.path || !*a->c.path)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: a socket chardev needs path=", opt);
        return false;
    }
    return true;
}

static bool opt_chardev(HvOptions *o, const char *opt, const char *arg,
                        GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "backend");
    ChardevArgs a = { .c.wait = true };
    HvChardevOpt *c;

    if (!parse_keys(chardev_keys, &a, kvs, 0, opt, errp) ||
        !check_chardev(&a, opt, errp)) {
        g_free(a.c.id);
        g_free(a.c.path);
        return false;
    }
    if (!strcmp(a.backend, "stdio")) {
        g_free(a.c.path);
        a.c.path = NULL;
    }
    c = g_memdup2(&a.c, sizeof(a.c));
    if (!add_chardev(o, c, opt, errp)) {
        chardev_free(c);
        return false;
    }
    return true;
}

/* ---- -mon, -machine, -m ---- */

typedef struct MonArgs {
    const char *chardev;
    bool control;
} MonArgs;

static bool key_mon_mode(const OptKey *k, const KvPair *kv, void *dst,
                         const char *opt, GError **errp)
{
    if (!kv->value || (strcmp(kv->value, "control") &&
                       strcmp(kv->value, "readline"))) {
        return false;
    }
    *(bool *)dst = !strcmp(kv->value, "control");
    return true;
}

static const OptKey mon_keys[] = {
    KEY("chardev", key_borrow, MonArgs, chardev, 0),
    KEY("mode", key_mon_mode, MonArgs, control, 0),
    KEY_IGNORED("pretty"),      /* replies are always compact */
    { 0 },
};

static bool opt_mon(HvOptions *o, const char *opt, const char *arg,
                    GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "chardev");
    MonArgs a = { NULL, false };

    if (!parse_keys(mon_keys, &a, kvs, 0, opt, errp)) {
        return false;
    }
    if (!a.chardev || !a.control) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: only chardev=ID,mode=control is supported", opt);
        return false;
    }
    g_free(o->qmp_chardev);
    o->qmp_chardev = g_strdup(a.chardev);
    return true;
}

/* QEMU refuses an empty -M / -m value too ("" is no machine, no size). */
static bool check_not_empty(const char *opt, const char *arg, GError **errp)
{
    if (!*arg) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: empty value", opt);
        return false;
    }
    return true;
}

static bool key_machine_type(const OptKey *k, const KvPair *kv, void *dst,
                             const char *opt, GError **errp)
{
    if (!kv->value || (strcmp(kv->value, "pseries") &&
                       !g_str_has_prefix(kv->value, "pseries-"))) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: unsupported machine type '%s' (pseries)",
                    opt, kv->value ? kv->value : "");
        return false;
    }
    return true;
}

static bool key_accel_qtest(const OptKey *k, const KvPair *kv, void *dst,
                            const char *opt, GError **errp)
{
    if (!kv->value || strcmp(kv->value, "qtest")) {
        return false;
    }
    *(bool *)dst = true;
    return true;
}

static bool key_dumpdtb(const OptKey *k, const KvPair *kv, void *dst,
                        const char *opt, GError **errp)
{
    HvOptions *o = dst;

    if (!kv->value || !*kv->value) {
        return false;
    }
    o->dump_dtb = true;
    g_free(o->dump_dtb_file);
    o->dump_dtb_file = g_strdup(kv->value);
    return true;
}

static const OptKey machine_keys[] = {
    KEY_CHECK("type", key_machine_type, 0),
    KEY("accel", key_accel_qtest, HvOptions, accel_qtest, 0),
    { "dumpdtb", key_dumpdtb, 0, 0 },           /* the whole HvOptions */
    /* pseries properties without effect here: checked, ignored */
    KEY_IGNORED("cap-*"),
    KEY_CHECK("x-vof", key_bool, 0),
    KEY_CHECK("nvdimm", key_bool, 0),
    KEY_CHECK("usb", key_bool, 0),
    KEY_IGNORED("vsmt"),
    KEY_IGNORED("ic-mode"),
    { 0 },
};

static bool opt_machine(HvOptions *o, const char *opt, const char *arg,
                        GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "type");

    return check_not_empty(opt, arg, errp) &&
           parse_keys(machine_keys, o, kvs, 0, opt, errp);
}

static const OptKey memory_keys[] = {
    /* a plain number is MiB, as in QEMU */
    KEY("size", key_size, HvOptions, ram_size, 1ULL << 20),
    KEY("slots", key_u32, HvOptions, ram_slots, 65536),
    /* hotplug memory limits: accepted, nothing to reserve */
    KEY_CHECK("maxmem", key_size, 1ULL << 20),
    { 0 },
};

static bool opt_memory(HvOptions *o, const char *opt, const char *arg,
                       GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "size");

    return check_not_empty(opt, arg, errp) &&
           parse_keys(memory_keys, o, kvs, 0, opt, errp);
}

/* ---- -object memory-backend-{file,ram} ---- */

#define BACKEND_COMMON_KEYS \
    KEY_IGNORED("qom-type"), \
    KEY("id", key_str, HvBackendOpt, id, 0), \
    KEY("size", key_size_nonzero, HvBackendOpt, size, 1), \
    KEY("share", key_bool, HvBackendOpt, share, 0), \
    KEY("prealloc", key_bool, HvBackendOpt, prealloc, 0), \
    KEY_CHECK("dump", key_bool, 0), \
    KEY_CHECK("merge", key_bool, 0)

static const OptKey backend_file_keys[] = {
    BACKEND_COMMON_KEYS,
    KEY("mem-path", key_str_nonempty, HvBackendOpt, mem_path, 0),
    KEY("pmem", key_bool, HvBackendOpt, pmem, 0),
    KEY("readonly", key_bool, HvBackendOpt, readonly, 0),
    KEY_CHECK("discard-data", key_bool, 0),
    { 0 },
};

static const OptKey backend_ram_keys[] = {
    BACKEND_COMMON_KEYS,
    { 0 },
};

static void backend_free(HvBackendOpt *b)
{
    g_free(b->id);
    g_free(b->mem_path);
    g_free(b);
}

/* The qom-type (the last one given), if it is a backend we have. */
static const OptKey *backend_keys(GPtrArray *kvs, const char *opt,
                                  GError **errp)
{
    const char *type = NULL;
    guint i;

    for (i = 0; i < kvs->len; i++) {
        KvPair *kv = g_ptr_array_index(kvs, i);

        if (!strcmp(kv->key, "qom-type")) {
            type = kv->value;
        }
    }
    if (type && !strcmp(type, "memory-backend-file")) {
        return backend_file_keys;
    }
    if (type && !strcmp(type, "memory-backend-ram")) {
        return backend_ram_keys;
    }
    g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                "%s: unsupported object type '%s' (memory-backend-file"
                " or memory-backend-ram)", opt, type ? type : "");
    return NULL;
}

static bool opt_object(HvOptions *o, const char *opt, const char *arg,
                       GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "qom-type");
    const OptKey *keys = backend_keys(kvs, opt, errp);
    bool is_file = keys == backend_file_keys;
    HvBackendOpt *b;

    if (!keys) {
        return false;
    }
    b = g_new0(HvBackendOpt, 1);
    if (!parse_keys(keys, b, kvs, 0, opt, errp)) {
        backend_free(b);
        return false;
    }
    /* a size of 0 is refused as a value: none means none was given */
    if (!b->id || !*b->id || !b->size || (is_file && !b->mem_path) ||
        hv_options_backend(o, b->id)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: %s", opt,
                    !b->id || !*b->id ? "id= is required" :
                    !b->size ? "size= is required" :
                    is_file && !b->mem_path ? "mem-path= is required" :
                    "duplicate object id");
        backend_free(b);
        return false;
    }
    g_ptr_array_add(o->backends, b);
    return true;
}

/* ---- -device spapr-nvdimm / nvdimm ---- */

static void nvdimm_opt_clear(HvNvdimmOpt *n)
{
    g_free(n->id);
    g_free(n->memdev);
    g_free(n->uuid);
}

typedef struct DeviceArgs {
    HvNvdimmOpt n;
    const char *driver;
} DeviceArgs;

static const OptKey device_keys[] = {
    KEY("driver", key_borrow, DeviceArgs, driver, 0),
    KEY("id", key_str, DeviceArgs, n.id, 0),
    KEY("memdev", key_str, DeviceArgs, n.memdev, 0),
    KEY("label-size", key_size, DeviceArgs, n.label_size, 1),
    KEY("uuid", key_str_nonempty, DeviceArgs, n.uuid, 0),
    KEY("unarmed", key_bool, DeviceArgs, n.unarmed, 0),
    /* spapr-hcall extension: PAPR health bits set at creation */
    KEY("health", key_u64, DeviceArgs, n.health, 0),
    KEY("pmem-override", key_bool, DeviceArgs, n.pmem_override, 0),
    KEY("slot", key_u32, DeviceArgs, n.slot, 0),
    KEY("node", key_u32, DeviceArgs, n.node, 0),
    { 0 },
};

/* The driver is one we have, and the device names its memory. */
static bool check_device(const DeviceArgs *a, const char *opt,
                         GError **errp)
{
    if (!a->driver || (strcmp(a->driver, "spapr-nvdimm") &&
                       strcmp(a->driver, "nvdimm"))) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: unsupported device '%s' (spapr-nvdimm or nvdimm)",
                    opt, a->driver ? a->driver : "");
        return false;
    }
    if (!a->n.memdev || !*a->n.memdev) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: memdev= is required", opt);
        return false;
    }
    return true;
}

static bool opt_device(HvOptions *o, const char *opt, const char *arg,
                       GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "driver");
    DeviceArgs a = { .n.slot = UINT32_MAX };
    HvNvdimmOpt *n;

    if (!parse_keys(device_keys, &a, kvs, 0, opt, errp) ||
        !check_device(&a, opt, errp)) {
        nvdimm_opt_clear(&a.n);
        return false;
    }
    n = g_memdup2(&a.n, sizeof(a.n));
    n->spapr_type = !strcmp(a.driver, "spapr-nvdimm");
    if (!n->id) {
        /* QEMU allows anonymous devices; we need an id for the DRC */
        n->id = g_strdup_printf("nvdimm%u", o->nvdimms->len);
    }
    g_ptr_array_add(o->nvdimms, n);
    return true;
}

static bool opt_trace(HvOptions *o, const char *opt, const char *arg,
                      GError **errp)
{
    const char *pat = arg;
    char *joined;

    if (g_str_has_prefix(arg, "enable=")) {
        pat = arg + 7;
    } else if (strchr(arg, '=')) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: only PATTERN or enable=PATTERN is supported", opt);
        return false;
    }
    if (!*pat) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: empty trace pattern", opt);
        return false;
    }
    if (!spapr_trace_check_patterns(pat, errp)) {
        g_prefix_error(errp, "%s: ", opt);
        return false;
    }
    joined = o->trace ? g_strconcat(o->trace, ",", pat, NULL) : g_strdup(pat);
    g_free(o->trace);
    o->trace = joined;
    return true;
}

static bool opt_accel(HvOptions *o, const char *opt, const char *arg,
                      GError **errp)
{
    if (strcmp(arg, "qtest") && !g_str_has_prefix(arg, "qtest,") &&
        strcmp(arg, "accel=qtest")) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: unsupported accelerator '%s' (only qtest)", opt,
                    arg);
        return false;
    }
    o->accel_qtest = true;
    return true;
}

/* Every count must be 1..1024; only cpus= is used. */
static bool key_cpus(const OptKey *k, const KvPair *kv, void *dst,
                     const char *opt, GError **errp)
{
    uint32_t v;

    if (!key_u32(k, kv, &v, opt, errp) || !v) {
        return false;
    }
    *(uint32_t *)dst = v;
    return true;
}

static const OptKey smp_keys[] = {
    KEY("cpus", key_cpus, HvOptions, smp, 1024),
    KEY_CHECK("maxcpus", key_cpus, 1024),
    KEY_CHECK("cores", key_cpus, 1024),
    KEY_CHECK("threads", key_cpus, 1024),
    KEY_CHECK("sockets", key_cpus, 1024),
    KEY_CHECK("*", key_cpus, 1024),
    { 0 },
};

static bool opt_smp(HvOptions *o, const char *opt, const char *arg,
                    GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "cpus");

    return parse_keys(smp_keys, o, kvs, 0, opt, errp);
}

enum {
    ARG_NONE,
    ARG_REQUIRED,
    ARG_OPTIONAL_EQ,            /* --opt or --opt=VALUE */
};

typedef bool (*OptFn)(HvOptions *o, const char *opt, const char *arg,
                      GError **errp);

typedef struct OptDesc {
    const char *name;
    int has_arg;
    int id;
    OptFn fn;
    const char *help;
} OptDesc;

enum {
    O_FN, O_HELP, O_VERSION, O_LIST, O_REPLAY, O_RECORD_FILE, O_REPLAY_FILE,
    O_DUMP, O_QTEST, O_QTEST_LOG,
    O_QMP, O_NODEFAULTS, O_DISPLAY, O_IGNORED, O_IGNORED_ARG, O_NONE_ONLY,
};

static const OptDesc opt_table[] = {
    { "M", ARG_REQUIRED, O_FN, opt_machine, "pseries[,PROP=VALUE]" },
    { "machine", ARG_REQUIRED, O_FN, opt_machine, NULL },
    { "m", ARG_REQUIRED, O_FN, opt_memory, "SIZE (RAM; plain = MiB)" },
    { "smp", ARG_REQUIRED, O_FN, opt_smp, "N (vCPUs)" },
    { "object", ARG_REQUIRED, O_FN, opt_object,
      "memory-backend-file,id=ID,mem-path=FILE,size=SIZE[,share=on,"
      "prealloc=on]\n"
      "                 memory-backend-ram,id=ID,size=SIZE" },
    { "device", ARG_REQUIRED, O_FN, opt_device,
      "spapr-nvdimm,id=ID,memdev=ID[,label-size=SIZE,uuid=U,unarmed=on,"
      "health=BITS]" },
    { "chardev", ARG_REQUIRED, O_FN, opt_chardev,
      "socket,id=ID,path=PATH[,server=on,wait=off] | stdio,id=ID" },
    { "mon", ARG_REQUIRED, O_FN, opt_mon, "chardev=ID,mode=control (QMP)" },
    { "qmp", ARG_REQUIRED, O_QMP, NULL, "unix:PATH[,server=on] | stdio" },
    { "qtest", ARG_REQUIRED, O_QTEST, NULL,
      "unix:PATH[,server=on] | stdio" },
    { "qtest-log", ARG_REQUIRED, O_QTEST_LOG, NULL, "FILE | none" },
    { "accel", ARG_REQUIRED, O_FN, opt_accel, "qtest" },
    { "trace", ARG_REQUIRED, O_FN, opt_trace, "PATTERN | enable=PATTERN" },
    { "display", ARG_REQUIRED, O_DISPLAY, NULL, "none" },
    { "nodefaults", ARG_NONE, O_NODEFAULTS, NULL, "" },
    { "dump-dtb", ARG_OPTIONAL_EQ, O_DUMP, NULL,
      "[=FILE] print the tree as DTS (or write the DTB to FILE), exit" },
    { "list-hcalls", ARG_NONE, O_LIST, NULL, "print the hcall table, exit" },
    { "replay-probe", ARG_NONE, O_REPLAY, NULL,
      "replay the Linux papr_scm probe on every nvdimm, exit" },
    { "record", ARG_REQUIRED, O_RECORD_FILE, NULL,
      "FILE (record every hcall served, docs/record-replay.md)" },
    { "replay", ARG_REQUIRED, O_REPLAY_FILE, NULL,
      "FILE (replay a recording, report the first divergence, exit)" },
    { "h", ARG_NONE, O_HELP, NULL, "" },
    { "help", ARG_NONE, O_HELP, NULL, "this text" },
    { "version", ARG_NONE, O_VERSION, NULL, "" },
    /* QEMU options without meaning here, accepted for harnesses */
    { "S", ARG_NONE, O_IGNORED, NULL, NULL },
    { "nographic", ARG_NONE, O_IGNORED, NULL, NULL },
    { "no-reboot", ARG_NONE, O_IGNORED, NULL, NULL },
    { "no-shutdown", ARG_NONE, O_IGNORED, NULL, NULL },
    { "enable-fips", ARG_NONE, O_IGNORED, NULL, NULL },
    { "serial", ARG_REQUIRED, O_NONE_ONLY, NULL, NULL },
    { "monitor", ARG_REQUIRED, O_NONE_ONLY, NULL, NULL },
    { "parallel", ARG_REQUIRED, O_NONE_ONLY, NULL, NULL },
    { "vga", ARG_REQUIRED, O_NONE_ONLY, NULL, NULL },
    { "net", ARG_REQUIRED, O_NONE_ONLY, NULL, NULL },
    { "name", ARG_REQUIRED, O_IGNORED_ARG, NULL, NULL },
    { "cpu", ARG_REQUIRED, O_IGNORED_ARG, NULL, NULL },
};

static const OptDesc *find_opt(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(opt_table); i++) {
        if (!strcmp(opt_table[i].name, name)) {
            return &opt_table[i];
        }
    }
    return NULL;
}

static bool apply_opt(HvOptions *o, const OptDesc *d, const char *opt,
                      const char *arg, GError **errp)
{
    switch (d->id) {
    case O_FN:
        return d->fn(o, opt, arg, errp);
    case O_HELP:
        o->help = true;
        return true;
    case O_VERSION:
        o->version = true;
        return true;
    case O_LIST:
        o->list_hcalls = true;
        return true;
    case O_REPLAY:
        o->replay_probe = true;
        return true;
    case O_RECORD_FILE:
        g_free(o->record);
        o->record = g_strdup(arg);
        return true;
    case O_REPLAY_FILE:
        g_free(o->replay);
        o->replay = g_strdup(arg);
        return true;
    case O_DUMP:
        o->dump_dtb = true;
        g_free(o->dump_dtb_file);
        o->dump_dtb_file = arg ? g_strdup(arg) : NULL;
        if (arg && !*arg) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "%s: empty file name", opt);
            return false;
        }
        return true;
    case O_QTEST:
        return opt_chardev_spec(o, opt, arg, "qtest", &o->qtest_chardev,
                                errp);
    case O_QMP:
        return opt_chardev_spec(o, opt, arg, "qmp", &o->qmp_chardev, errp);
    case O_QTEST_LOG:
        g_free(o->qtest_log);
        o->qtest_log = g_strdup(arg);
        return true;
    case O_NODEFAULTS:
        o->nodefaults = true;
        return true;
    case O_DISPLAY:
        if (strcmp(arg, "none")) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "%s: only 'none' is supported, got '%s'", opt, arg);
            return false;
        }
        o->display_none = true;
        return true;
    case O_NONE_ONLY:
        if (strcmp(arg, "none")) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "%s: only 'none' is supported, got '%s'", opt, arg);
            return false;
        }
        return true;
    default:
        return true;
    }
}

bool hv_options_parse(HvOptions *o, int argc, char **argv, GError **errp)
{
    int i;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        g_autofree char *name = NULL;
        const char *eqval = NULL;
        const OptDesc *d;

        if (a[0] != '-' || !a[1]) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "'%s': unexpected argument (options start with -)",
                        a);
            return false;
        }
        /* QEMU accepts both -opt and --opt, and -opt=value too */
        name = g_strdup(a[1] == '-' ? a + 2 : a + 1);
        if (!find_opt(name) && strchr(name, '=')) {
            char *eq = strchr(name, '=');

            *eq = '\0';
            eqval = eq + 1;
        }
        d = find_opt(name);
        if (!d) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "'%s': unknown option (see -h)", a);
            return false;
        }
        if (d->id != O_HELP && d->id != O_VERSION) {
            o->any_machine_option = true;
        }
        if (d->has_arg == ARG_OPTIONAL_EQ) {
            if (!apply_opt(o, d, a, eqval, errp)) {
                return false;
            }
            continue;
        }
        if (eqval && d->has_arg == ARG_NONE) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "'%s': option takes no value", a);
            return false;
        }
        if (d->has_arg == ARG_REQUIRED && !eqval) {
            if (i + 1 >= argc) {
                g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                            "'%s': option requires an argument", a);
                return false;
            }
            eqval = argv[++i];
        }
        if (!apply_opt(o, d, a, eqval, errp)) {
            return false;
        }
    }
    if (o->ram_size % (256ULL << 20)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "-m: RAM size must be a multiple of 256 MiB");
        return false;
    }
    if (o->qmp_chardev && !hv_options_chardev(o, o->qmp_chardev)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "-mon: chardev '%s' not found", o->qmp_chardev);
        return false;
    }
    for (i = 0; i < (int)o->nvdimms->len; i++) {
        HvNvdimmOpt *n = g_ptr_array_index(o->nvdimms, i);

        guint j;

        if (!hv_options_backend(o, n->memdev)) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "-device %s: memdev '%s' not found", n->id,
                        n->memdev);
            return false;
        }
        /* As QEMU: a backend belongs to one device */
        for (j = 0; j < (guint)i; j++) {
            HvNvdimmOpt *prev = g_ptr_array_index(o->nvdimms, j);

            if (!strcmp(prev->memdev, n->memdev)) {
                g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                            "-device %s: can't use already busy memdev: "
                            "%s (used by '%s')", n->id, n->memdev,
                            prev->id);
                return false;
            }
        }
    }
    return true;
}

void hv_options_print_help(FILE *out)
{
    size_t i;

    fprintf(out,
            "usage: spapr-hv [options]\n"
            "A pSeries machine without a CPU: guest memory, hcalls and\n"
            "NVDIMMs driven through a qtest socket and QMP.\n"
            "With no options it runs the built-in default job (make run):\n"
            "1 GiB of RAM and a file-backed 1 GiB NVDIMM in a scratch\n"
            "directory, the papr_scm probe replayed, the tree as DTS.\n\n");
    for (i = 0; i < G_N_ELEMENTS(opt_table); i++) {
        const OptDesc *d = &opt_table[i];

        if (!d->help) {
            continue;
        }
        fprintf(out, "  -%-14s %s\n", d->name, d->help);
    }
    fprintf(out, "\nAlso accepted and ignored (QEMU compatibility): -S, "
            "-nographic, -no-reboot,\n-no-shutdown, -serial/-monitor/"
            "-parallel/-vga/-net none, -name, -cpu.\n");
}
