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

/* The socket/server/wait keys shared by -chardev, -qtest and -qmp. */
static bool chardev_key(HvChardevOpt *c, const KvPair *kv, const char *opt,
                        bool *handled, GError **errp)
{
    *handled = true;
    if (!strcmp(kv->key, "path")) {
        g_free(c->path);
        c->path = g_strdup(kv->value ? kv->value : "");
    } else if (!strcmp(kv->key, "server")) {
        if (!hv_parse_bool(kv->value, &c->server)) {
            return bad_value(opt, kv, errp);
        }
    } else if (!strcmp(kv->key, "wait")) {
        if (!hv_parse_bool(kv->value, &c->wait)) {
            return bad_value(opt, kv, errp);
        }
    } else {
        *handled = false;
    }
    return true;
}

/* -qtest / -qmp value: "unix:PATH[,server=on,wait=off]" or "stdio". */
static bool opt_chardev_spec(HvOptions *o, const char *opt, const char *arg,
                             const char *id, char **slot, GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "spec");
    HvChardevOpt *c = g_new0(HvChardevOpt, 1);
    KvPair *spec = kvs->len ? g_ptr_array_index(kvs, 0) : NULL;
    guint i;

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
    for (i = 1; i < kvs->len; i++) {
        KvPair *kv = g_ptr_array_index(kvs, i);
        bool handled;

        if (!chardev_key(c, kv, opt, &handled, errp) || !handled ||
            !strcmp(kv->key, "path")) {
            chardev_free(c);
            return handled ? false : unknown_key(opt, kv, errp);
        }
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

static bool opt_chardev(HvOptions *o, const char *opt, const char *arg,
                        GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "backend");
    HvChardevOpt *c = g_new0(HvChardevOpt, 1);
    const char *backend = NULL;
    guint i;

    c->wait = true;
    for (i = 0; i < kvs->len; i++) {
        KvPair *kv = g_ptr_array_index(kvs, i);
        bool handled;

        if (!strcmp(kv->key, "backend")) {
            backend = kv->value;
        } else if (!strcmp(kv->key, "id")) {
            g_free(c->id);
            c->id = g_strdup(kv->value);
        } else if (!strcmp(kv->key, "signal") ||
                   !strcmp(kv->key, "logfile")) {
            /* accepted for compatibility; meaningless here */
        } else if (!chardev_key(c, kv, opt, &handled, errp)) {
            chardev_free(c);
            return false;
        } else if (!handled) {
            chardev_free(c);
            return unknown_key(opt, kv, errp);
        }
    }
    if (!backend || (strcmp(backend, "socket") && strcmp(backend, "stdio"))) {
        chardev_free(c);
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: unsupported backend '%s' (socket or stdio)", opt,
                    backend ? backend : "");
        return false;
    }
    if (!strcmp(backend, "socket") && (!c->path || !*c->path)) {
        chardev_free(c);
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: a socket chardev needs path=", opt);
        return false;
    }
    if (!strcmp(backend, "stdio")) {
        g_free(c->path);
        c->path = NULL;
    }
    if (!add_chardev(o, c, opt, errp)) {
        chardev_free(c);
        return false;
    }
    return true;
}

static bool opt_mon(HvOptions *o, const char *opt, const char *arg,
                    GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "chardev");
    const char *chardev = NULL;
    bool control = false;
    guint i;

    for (i = 0; i < kvs->len; i++) {
        KvPair *kv = g_ptr_array_index(kvs, i);

        if (!strcmp(kv->key, "chardev")) {
            chardev = kv->value;
        } else if (!strcmp(kv->key, "mode")) {
            if (!kv->value || (strcmp(kv->value, "control") &&
                               strcmp(kv->value, "readline"))) {
                return bad_value(opt, kv, errp);
            }
            control = !strcmp(kv->value, "control");
        } else if (!strcmp(kv->key, "pretty")) {
            /* accepted; replies are always compact */
        } else {
            return unknown_key(opt, kv, errp);
        }
    }
    if (!chardev || !control) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: only chardev=ID,mode=control is supported", opt);
        return false;
    }
    g_free(o->qmp_chardev);
    o->qmp_chardev = g_strdup(chardev);
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

static bool opt_machine(HvOptions *o, const char *opt, const char *arg,
                        GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "type");
    guint i;

    if (!check_not_empty(opt, arg, errp)) {
        return false;
    }

    for (i = 0; i < kvs->len; i++) {
        KvPair *kv = g_ptr_array_index(kvs, i);
        bool b;

        if (!strcmp(kv->key, "type")) {
            if (!kv->value || (strcmp(kv->value, "pseries") &&
                               !g_str_has_prefix(kv->value, "pseries-"))) {
                g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                            "%s: unsupported machine type '%s' (pseries)",
                            opt, kv->value ? kv->value : "");
                return false;
            }
        } else if (!strcmp(kv->key, "accel")) {
            if (!kv->value || strcmp(kv->value, "qtest")) {
                return bad_value(opt, kv, errp);
            }
            o->accel_qtest = true;
        } else if (!strcmp(kv->key, "dumpdtb")) {
            if (!kv->value || !*kv->value) {
                return bad_value(opt, kv, errp);
            }
            o->dump_dtb = true;
            g_free(o->dump_dtb_file);
            o->dump_dtb_file = g_strdup(kv->value);
        } else if (g_str_has_prefix(kv->key, "cap-") ||
                   !strcmp(kv->key, "x-vof") || !strcmp(kv->key, "nvdimm") ||
                   !strcmp(kv->key, "usb") || !strcmp(kv->key, "vsmt") ||
                   !strcmp(kv->key, "ic-mode")) {
            /* pseries properties without effect here: checked, ignored */
            if (kv->value && !hv_parse_bool(kv->value, &b) &&
                !g_str_has_prefix(kv->key, "cap-") &&
                strcmp(kv->key, "vsmt") && strcmp(kv->key, "ic-mode")) {
                return bad_value(opt, kv, errp);
            }
        } else {
            return unknown_key(opt, kv, errp);
        }
    }
    return true;
}

static bool opt_memory(HvOptions *o, const char *opt, const char *arg,
                       GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "size");
    guint i;

    if (!check_not_empty(opt, arg, errp)) {
        return false;
    }
    for (i = 0; i < kvs->len; i++) {
        KvPair *kv = g_ptr_array_index(kvs, i);
        uint64_t v;

        if (!strcmp(kv->key, "size")) {
            /* a plain number is MiB, as in QEMU */
            if (!hv_parse_size(kv->value, 1ULL << 20, &v)) {
                return bad_value(opt, kv, errp);
            }
            o->ram_size = v;
        } else if (!strcmp(kv->key, "slots")) {
            uint32_t slots;

            if (!parse_u32(kv->value, &slots) || slots > 65536) {
                return bad_value(opt, kv, errp);
            }
            o->ram_slots = slots;
        } else if (!strcmp(kv->key, "maxmem")) {
            /* hotplug memory limits: accepted, nothing to reserve */
            if (!hv_parse_size(kv->value, 1ULL << 20, &v)) {
                return bad_value(opt, kv, errp);
            }
        } else {
            return unknown_key(opt, kv, errp);
        }
    }
    return true;
}

static bool opt_object(HvOptions *o, const char *opt, const char *arg,
                       GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "qom-type");
    HvBackendOpt *b = g_new0(HvBackendOpt, 1);
    const char *type = NULL;
    bool is_file, have_size = false;
    guint i;

    for (i = 0; i < kvs->len; i++) {
        KvPair *kv = g_ptr_array_index(kvs, i);

        if (!strcmp(kv->key, "qom-type")) {
            type = kv->value;
        }
    }
    if (!type || (strcmp(type, "memory-backend-file") &&
                  strcmp(type, "memory-backend-ram"))) {
        g_free(b);
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: unsupported object type '%s' (memory-backend-file"
                    " or memory-backend-ram)", opt, type ? type : "");
        return false;
    }
    is_file = !strcmp(type, "memory-backend-file");
    for (i = 0; i < kvs->len; i++) {
        KvPair *kv = g_ptr_array_index(kvs, i);
        const char *k = kv->key;
        bool ok = true, dummy;

        if (!strcmp(k, "qom-type")) {
            continue;
        } else if (!strcmp(k, "id")) {
            g_free(b->id);
            b->id = g_strdup(kv->value);
        } else if (!strcmp(k, "size")) {
            ok = hv_parse_size(kv->value, 1, &b->size) && b->size;
            have_size = true;
        } else if (!strcmp(k, "share")) {
            ok = hv_parse_bool(kv->value, &b->share);
        } else if (is_file && !strcmp(k, "mem-path")) {
            g_free(b->mem_path);
            b->mem_path = g_strdup(kv->value ? kv->value : "");
            ok = kv->value && *kv->value;
        } else if (is_file && !strcmp(k, "pmem")) {
            ok = hv_parse_bool(kv->value, &b->pmem);
        } else if (is_file && !strcmp(k, "readonly")) {
            ok = hv_parse_bool(kv->value, &b->readonly);
        } else if (!strcmp(k, "prealloc")) {
            ok = hv_parse_bool(kv->value, &b->prealloc);
        } else if (!strcmp(k, "dump") ||
                   !strcmp(k, "merge") ||
                   (is_file && !strcmp(k, "discard-data"))) {
            ok = hv_parse_bool(kv->value, &dummy);
        } else {
            g_free(b->id);
            g_free(b->mem_path);
            g_free(b);
            return unknown_key(opt, kv, errp);
        }
        if (!ok) {
            g_free(b->id);
            g_free(b->mem_path);
            g_free(b);
            return bad_value(opt, kv, errp);
        }
    }
    if (!b->id || !*b->id || !have_size || (is_file && !b->mem_path) ||
        hv_options_backend(o, b->id)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: %s", opt,
                    !b->id || !*b->id ? "id= is required" :
                    !have_size ? "size= is required" :
                    is_file && !b->mem_path ? "mem-path= is required" :
                    "duplicate object id");
        g_free(b->id);
        g_free(b->mem_path);
        g_free(b);
        return false;
    }
    g_ptr_array_add(o->backends, b);
    return true;
}

static void nvdimm_opt_free(HvNvdimmOpt *n)
{
    g_free(n->id);
    g_free(n->memdev);
    g_free(n->uuid);
    g_free(n);
}

static bool opt_device(HvOptions *o, const char *opt, const char *arg,
                       GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "driver");
    HvNvdimmOpt *n = g_new0(HvNvdimmOpt, 1);
    const char *driver = NULL;
    guint i;

    n->slot = UINT32_MAX;
    for (i = 0; i < kvs->len; i++) {
        KvPair *kv = g_ptr_array_index(kvs, i);
        const char *k = kv->key;
        bool ok = true;

        if (!strcmp(k, "driver")) {
            driver = kv->value;
        } else if (!strcmp(k, "id")) {
            g_free(n->id);
            n->id = g_strdup(kv->value);
        } else if (!strcmp(k, "memdev")) {
            g_free(n->memdev);
            n->memdev = g_strdup(kv->value);
        } else if (!strcmp(k, "label-size")) {
            ok = hv_parse_size(kv->value, 1, &n->label_size);
        } else if (!strcmp(k, "uuid")) {
            g_free(n->uuid);
            n->uuid = g_strdup(kv->value);
            ok = kv->value && *kv->value;
        } else if (!strcmp(k, "unarmed")) {
            ok = hv_parse_bool(kv->value, &n->unarmed);
        } else if (!strcmp(k, "health")) {
            /* spapr-hcall extension: PAPR health bits set at creation */
            ok = hv_parse_u64(kv->value, &n->health);
        } else if (!strcmp(k, "pmem-override")) {
            ok = hv_parse_bool(kv->value, &n->pmem_override);
        } else if (!strcmp(k, "slot")) {
            ok = parse_u32(kv->value, &n->slot);
        } else if (!strcmp(k, "node")) {
            ok = parse_u32(kv->value, &n->node);
        } else {
            nvdimm_opt_free(n);
            return unknown_key(opt, kv, errp);
        }
        if (!ok) {
            nvdimm_opt_free(n);
            return bad_value(opt, kv, errp);
        }
    }
    if (!driver || (strcmp(driver, "spapr-nvdimm") &&
                    strcmp(driver, "nvdimm"))) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: unsupported device '%s' (spapr-nvdimm or nvdimm)",
                    opt, driver ? driver : "");
        nvdimm_opt_free(n);
        return false;
    }
    n->spapr_type = !strcmp(driver, "spapr-nvdimm");
    if (!n->memdev || !*n->memdev) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s: memdev= is required", opt);
        nvdimm_opt_free(n);
        return false;
    }
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

static bool opt_smp(HvOptions *o, const char *opt, const char *arg,
                    GError **errp)
{
    g_autoptr(GPtrArray) kvs = kv_split(arg, "cpus");
    guint i;

    for (i = 0; i < kvs->len; i++) {
        KvPair *kv = g_ptr_array_index(kvs, i);
        uint32_t v;

        if (!parse_u32(kv->value, &v) || v == 0 || v > 1024) {
            return bad_value(opt, kv, errp);
        }
        if (!strcmp(kv->key, "cpus")) {
            o->smp = v;
        } else if (strcmp(kv->key, "maxcpus") && strcmp(kv->key, "cores") &&
                   strcmp(kv->key, "threads") &&
                   strcmp(kv->key, "sockets")) {
            return unknown_key(opt, kv, errp);
        }
    }
    return true;
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
