/*
 * spapr-hv: the QMP monitor, free of I/O
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The QOM tree is a small read-only view: /machine (the pseries
 * machine), /machine/peripheral/ID (devices given an id) and
 * /objects/ID (memory backends).
 */
#include <string.h>
#include "qmp-server.h"
#include "json.h"
#include "spapr-hcall/nvdimm.h"
#include "abi-cmd.h"

#ifndef SPAPR_HV_VERSION
#define SPAPR_HV_VERSION "0.0.0"
#endif

struct QmpServer {
    HvMachine *hv;
    const HvOptions *opts;
    JsonStreamer *js;
    GString *out;               /* during feed */
    size_t out_max;             /* pause the feed once @out is this long */
    bool negotiated;
    bool running;
    bool quit;
};

typedef struct QmpError {
    const char *cls;
    char *desc;
} QmpError;

typedef JsonValue *(*QmpFn)(QmpServer *s, JsonValue *args, QmpError *err);

typedef struct QmpCmd {
    const char *name;
    const char *const *params;          /* NULL-terminated; NULL: none */
    const char *const *required;
    QmpFn fn;
} QmpCmd;

static void set_err(QmpError *err, const char *cls, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void set_err(QmpError *err, const char *cls, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    err->cls = cls;
    err->desc = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

static void emit_line(QmpServer *s, JsonValue *v)
{
    json_append(s->out, v);
    g_string_append(s->out, "\r\n");
}

static void emit_event(QmpServer *s, const char *name, JsonValue *data)
{
    g_autoptr(JsonValue) ev = json_object();
    JsonValue *ts = json_object();
    gint64 now = g_get_real_time();

    json_object_set(ts, "seconds", json_int(now / G_USEC_PER_SEC));
    json_object_set(ts, "microseconds", json_int(now % G_USEC_PER_SEC));
    json_object_set(ev, "timestamp", ts);
    json_object_set(ev, "event", json_string(name));
    if (data) {
        json_object_set(ev, "data", data);
    }
    emit_line(s, ev);
}

/* ---- commands ---- */

static JsonValue *qmp_capabilities(QmpServer *s, JsonValue *args,
                                   QmpError *err)
{
    JsonValue *enable = json_object_get(args, "enable");

    if (enable) {
        if (enable->type != JSON_ARRAY) {
            set_err(err, "GenericError", "Invalid parameter type for "
                    "'enable', expected: array");
            return NULL;
        }
        if (enable->u.items->len) {
            JsonValue *cap = g_ptr_array_index(enable->u.items, 0);

            set_err(err, "GenericError", "Capability '%s' not available",
                    cap->type == JSON_STRING ? cap->u.s : "?");
            return NULL;
        }
    }
    s->negotiated = true;
    return json_object();
}

static JsonValue *qmp_query_status(QmpServer *s, JsonValue *args,
                                   QmpError *err)
{
    JsonValue *r = json_object();

    json_object_set(r, "status",
                    json_string(s->running ? "running" : "paused"));
    json_object_set(r, "singlestep", json_bool(false));
    json_object_set(r, "running", json_bool(s->running));
    return r;
}

static JsonValue *qmp_stop(QmpServer *s, JsonValue *args, QmpError *err)
{
    if (s->running) {
        s->running = false;
        emit_event(s, "STOP", NULL);
    }
    return json_object();
}

static JsonValue *qmp_cont(QmpServer *s, JsonValue *args, QmpError *err)
{
    if (!s->running) {
        s->running = true;
        emit_event(s, "RESUME", NULL);
    }
    return json_object();
}

static JsonValue *qmp_query_version(QmpServer *s, JsonValue *args,
                                    QmpError *err)
{
    g_auto(GStrv) parts = g_strsplit(SPAPR_HV_VERSION, ".", 3);
    JsonValue *r = json_object(), *q = json_object();
    const char *names[] = { "major", "minor", "micro" };
    unsigned int i;

    for (i = 0; i < 3; i++) {
        int64_t v = 0;

        if (parts[0] && i < g_strv_length(parts)) {
            v = g_ascii_strtoll(parts[i], NULL, 10);
        }
        json_object_set(q, names[i], json_int(v));
    }
    json_object_set(r, "qemu", q);
    json_object_set(r, "package", json_string("spapr-hv"));
    return r;
}

static JsonValue *qmp_query_name(QmpServer *s, JsonValue *args,
                                 QmpError *err)
{
    return json_object();
}

static JsonValue *qmp_quit(QmpServer *s, JsonValue *args, QmpError *err)
{
    s->quit = true;
    return json_object();
}

static JsonValue *qmp_system_reset(QmpServer *s, JsonValue *args,
                                   QmpError *err)
{
    spapr_machine_reset(s->hv->m);
    return json_object();
}

static void add_hcall_row(const SpaprHcallInfo *info, void *opaque)
{
    QmpServer *s = ((void **)opaque)[0];
    JsonValue *list = ((void **)opaque)[1];
    JsonValue *row = json_object();
    SpaprHcallStats st = { 0 };

    spapr_hcall_stats_get(s->hv->m, info->opcode, &st);
    json_object_set(row, "name", json_string(info->name));
    json_object_set(row, "opcode", json_int(info->opcode));
    json_object_set(row, "hcall-set", json_string(info->hcall_set));
    json_object_set(row, "calls", json_int(st.calls));
    json_object_set(row, "errors", json_int(st.errors));
    json_array_add(list, row);
}

static JsonValue *qmp_query_hcalls(QmpServer *s, JsonValue *args,
                                   QmpError *err)
{
    JsonValue *list = json_array();
    void *ctx[2] = { s, list };

    g_autoptr(GArray) st = spapr_hcall_stats(s->hv->m);
    guint i;

    spapr_hcall_foreach(s->hv->m, add_hcall_row, ctx);
    /* then the calls of the other conventions (docs/abis.md) */
    for (i = 0; i < st->len; i++) {
        const SpaprHcallStats *r = &g_array_index(st, SpaprHcallStats, i);
        JsonValue *row;

        if (!r->name || !strcmp(r->abi, "papr")) {
            continue;
        }
        row = json_object();
        json_object_set(row, "name", json_string(r->name));
        json_object_set(row, "convention", json_string(r->abi));
        json_object_set(row, "number", json_int((int64_t)r->opcode));
        json_object_set(row, "calls", json_int(r->calls));
        json_object_set(row, "errors", json_int(r->errors));
        json_array_add(list, row);
    }
    return list;
}

static void add_reg(const char *name, uint64_t value, void *opaque)
{
    json_object_set(opaque, name, json_int((int64_t)value));
}

/*
 * hypercall {convention, nr[, args]}: one call in any convention, as the
 * qtest "hypercall" command; registers are signed 64-bit JSON numbers.
 */
static JsonValue *qmp_hypercall(QmpServer *s, JsonValue *args,
                                QmpError *err)
{
    const char *words = json_object_get_string(args, "args");
    g_auto(GStrv) v = g_strsplit(words ? words : "", " ", -1);
    uint64_t regs[SPAPR_ABI_MAX_REGS];
    g_autofree char *msg = NULL;
    unsigned int n = 0;
    JsonValue *ret, *r;
    HvAbiCall c;
    char **w;

    for (w = v; *w; w++) {
        if (!**w) {
            continue;
        }
        if (n == SPAPR_ABI_MAX_REGS || !hv_abi_parse_number(*w, &regs[n])) {
            set_err(err, "GenericError", "Invalid argument '%.64s'", *w);
            return NULL;
        }
        n++;
    }
    if (!hv_abi_call(s->hv, json_object_get_string(args, "convention"),
                     json_object_get_string(args, "nr"), regs, n, &c,
                     &msg)) {
        set_err(err, "GenericError", "%s", msg);
        return NULL;
    }
    ret = json_object();
    json_object_set(ret, "convention", json_string(c.abi->name));
    if (hv_abi_exception_name(c.end)) {
        json_object_set(ret, "exception",
                        json_string(hv_abi_exception_name(c.end)));
        return ret;
    }
    r = json_object();
    hv_abi_foreach_reg(&c, add_reg, r);
    json_object_set(ret, "registers", r);
    return ret;
}

/* -- QOM view -- */

static const char *device_type(SpaprDevice *dev)
{
    if (spapr_nvdimm_from_device(dev)) {
        return "spapr-nvdimm";
    }
    return dev->cls->type;
}

static void add_child(JsonValue *list, const char *name, const char *type)
{
    JsonValue *e = json_object();
    g_autofree char *t = g_strdup_printf("child<%s>", type);

    json_object_set(e, "name", json_string(name));
    json_object_set(e, "type", json_string(t));
    json_array_add(list, e);
}

static void add_prop(JsonValue *list, const char *name, const char *type)
{
    JsonValue *e = json_object();

    json_object_set(e, "name", json_string(name));
    json_object_set(e, "type", json_string(type));
    json_array_add(list, e);
}

static void list_device(SpaprDevice *dev, void *opaque)
{
    add_child(opaque, dev->id, device_type(dev));
}

/*
 * The injection knobs (nvdimm.h) as QOM properties: numbers as ints,
 * next-start-dirty as a bool, the others as strings.
 */
static void add_knobs(JsonValue *o, SpaprNvdimm *nv)
{
    const char *const *k;

    for (k = spapr_nvdimm_knob_names(); *k; k++) {
        g_autofree char *v = spapr_nvdimm_knob_get(nv, *k, NULL);

        if (!strcmp(*k, "health")) {
            continue;               /* already there, as before */
        }
        if (!strcmp(*k, "next-start-dirty")) {
            json_object_set(o, *k, json_bool(!strcmp(v, "on")));
        } else if (g_ascii_isdigit(v[0])) {
            /* as "health": the 64 bits, as a signed JSON number */
            json_object_set(o, *k,
                            json_int((int64_t)g_ascii_strtoull(v, NULL, 0)));
        } else {
            json_object_set(o, *k, json_string(v));
        }
    }
}

/* Properties of a device, as name -> JSON value. */
static JsonValue *device_props(QmpServer *s, SpaprDevice *dev)
{
    JsonValue *o = json_object();

    json_object_set(o, "type", json_string(device_type(dev)));
    json_object_set(o, "id", json_string(dev->id));
    {
        SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);

        if (nv) {
            json_object_set(o, "drc-index",
                            json_int(spapr_nvdimm_drc_index(nv)));
            json_object_set(o, "size",
                            json_int(spapr_nvdimm_nr_blocks(nv) *
                                     spapr_nvdimm_block_size(nv)));
            json_object_set(o, "label-size",
                            json_int(spapr_nvdimm_label_size(nv)));
            json_object_set(o, "uuid", json_string(spapr_nvdimm_uuid(nv)));
            json_object_set(o, "unarmed",
                            json_bool(spapr_nvdimm_health(nv) &
                                      (1ULL << 63)));
            json_object_set(o, "node",
                            json_int(spapr_nvdimm_numa_node(nv)));
            json_object_set(o, "health",
                            json_int((int64_t)spapr_nvdimm_health(nv)));
            add_knobs(o, nv);
        }
    }
    return o;
}

static JsonValue *backend_props(const HvBackendOpt *b)
{
    JsonValue *o = json_object();

    json_object_set(o, "type", json_string(b->mem_path ?
                                           "memory-backend-file" :
                                           "memory-backend-ram"));
    json_object_set(o, "size", json_int(b->size));
    json_object_set(o, "share", json_bool(b->share));
    if (b->mem_path) {
        json_object_set(o, "mem-path", json_string(b->mem_path));
        json_object_set(o, "pmem", json_bool(b->pmem));
        json_object_set(o, "readonly", json_bool(b->readonly));
    }
    return o;
}

static JsonValue *machine_props(QmpServer *s)
{
    JsonValue *o = json_object();

    json_object_set(o, "type", json_string("pseries-machine"));
    json_object_set(o, "ram-size",
                    json_int(spapr_machine_ram_size(s->hv->m)));
    json_object_set(o, "smp",
                    json_int(spapr_machine_nr_cpus(s->hv->m)));
    return o;
}

static JsonValue *props_to_list(JsonValue *props)
{
    JsonValue *list = json_array();
    guint i;

    for (i = 0; i < props->u.items->len; i++) {
        JsonMember *m = g_ptr_array_index(props->u.items, i);
        const char *t = "str";

        if (!strcmp(m->key, "type")) {
            t = "string";
        } else if (m->value->type == JSON_INT) {
            t = "uint64";
        } else if (m->value->type == JSON_BOOL) {
            t = "bool";
        }
        add_prop(list, m->key, t);
    }
    return list;
}

/*
 * Resolve @path: returns its property object (caller frees) and, in
 * @children, its children (may stay NULL).  NULL if the path is unknown.
 */
static JsonValue *qom_resolve(QmpServer *s, const char *path,
                              JsonValue **children)
{
    const char *id;
    guint i;

    *children = json_array();
    if (!strcmp(path, "/")) {
        add_child(*children, "machine", "pseries-machine");
        add_child(*children, "objects", "container");
        return json_object();
    }
    if (!strcmp(path, "/machine")) {
        add_child(*children, "peripheral", "container");
        return machine_props(s);
    }
    if (!strcmp(path, "/machine/peripheral")) {
        spapr_machine_foreach_device(s->hv->m, list_device, *children);
        return json_object();
    }
    if (!strcmp(path, "/objects")) {
        for (i = 0; i < s->opts->backends->len; i++) {
            const HvBackendOpt *b = g_ptr_array_index(s->opts->backends, i);

            add_child(*children, b->id, b->mem_path ? "memory-backend-file"
                                                    : "memory-backend-ram");
        }
        return json_object();
    }
    if (g_str_has_prefix(path, "/machine/peripheral/")) {
        SpaprDevice *dev;

        id = path + strlen("/machine/peripheral/");
        dev = spapr_machine_find_device(s->hv->m, id);
        if (dev) {
            return device_props(s, dev);
        }
    }
    if (g_str_has_prefix(path, "/objects/")) {
        const HvBackendOpt *b;

        id = path + strlen("/objects/");
        b = hv_options_backend(s->opts, id);
        if (b) {
            return backend_props(b);
        }
    }
    json_free(*children);
    *children = NULL;
    return NULL;
}

static JsonValue *qmp_qom_list(QmpServer *s, JsonValue *args, QmpError *err)
{
    const char *path = json_object_get_string(args, "path");
    g_autoptr(JsonValue) props = NULL;
    JsonValue *children = NULL, *list;
    guint i;

    props = qom_resolve(s, path, &children);
    if (!props) {
        set_err(err, "DeviceNotFound", "Device '%s' not found", path);
        return NULL;
    }
    list = props_to_list(props);
    for (i = 0; i < children->u.items->len; i++) {
        JsonValue *c = g_ptr_array_index(children->u.items, i);

        g_ptr_array_index(children->u.items, i) = NULL;
        json_array_add(list, c);
    }
    json_free(children);
    return list;
}

static JsonValue *qmp_qom_get(QmpServer *s, JsonValue *args, QmpError *err)
{
    const char *path = json_object_get_string(args, "path");
    const char *prop = json_object_get_string(args, "property");
    g_autoptr(JsonValue) props = NULL;
    JsonValue *children = NULL;
    guint i;

    props = qom_resolve(s, path, &children);
    json_free(children);
    if (!props) {
        set_err(err, "DeviceNotFound", "Device '%s' not found", path);
        return NULL;
    }
    for (i = 0; i < props->u.items->len; i++) {
        JsonMember *m = g_ptr_array_index(props->u.items, i);

        if (!strcmp(m->key, prop)) {
            JsonValue *v = m->value;

            m->value = json_null();
            return v;
        }
    }
    set_err(err, "GenericError", "Property '%s.%s' not found",
            path, prop);
    return NULL;
}

/* qom-set: the nvdimm knobs; everything else is read-only. */
static JsonValue *qmp_qom_set(QmpServer *s, JsonValue *args, QmpError *err)
{
    const char *path = json_object_get_string(args, "path");
    const char *prop = json_object_get_string(args, "property");
    JsonValue *value = json_object_get(args, "value");
    g_autoptr(GError) gerr = NULL;
    g_autofree char *text = NULL;
    SpaprDevice *dev = NULL;
    SpaprNvdimm *nv = NULL;
    const char *const *k;

    if (g_str_has_prefix(path, "/machine/peripheral/")) {
        dev = spapr_machine_find_device(s->hv->m, path +
                                        strlen("/machine/peripheral/"));
        nv = spapr_nvdimm_from_device(dev);
    }
    if (!nv) {
        set_err(err, "DeviceNotFound", "Device '%s' not found", path);
        return NULL;
    }
    for (k = spapr_nvdimm_knob_names(); *k && strcmp(*k, prop); k++) {
    }
    if (!*k) {
        g_autoptr(JsonValue) props = device_props(s, dev);

        set_err(err, "GenericError", "Property '%s.%s' %s", path, prop,
                json_object_get(props, prop) ? "is read-only" :
                "not found");
        return NULL;
    }
    switch (value->type) {
    case JSON_INT:
        text = g_strdup_printf("%" PRIu64, (uint64_t)value->u.i);
        break;
    case JSON_BOOL:
        text = g_strdup(value->u.b ? "on" : "off");
        break;
    case JSON_STRING:
        text = g_strdup(value->u.s);
        break;
    case JSON_DOUBLE:
        /* above INT64_MAX (health bit 0): the parser made it a double */
        if (value->u.d >= 0 && value->u.d < 18446744073709551616.0 &&
            value->u.d == (double)(uint64_t)value->u.d) {
            text = g_strdup_printf("%" PRIu64, (uint64_t)value->u.d);
            break;
        }
        G_GNUC_FALLTHROUGH;
    default:
        set_err(err, "GenericError", "Invalid parameter type for 'value'");
        return NULL;
    }
    if (!spapr_nvdimm_knob_set(nv, prop, text, &gerr)) {
        set_err(err, "GenericError", "%s", gerr->message);
        return NULL;
    }
    return json_object();
}

static void add_stat(const char *name, uint64_t value, void *opaque)
{
    json_object_set(opaque, name, json_int((int64_t)value));
}

/* query-nvdimm-stats {id}: every statistic, the PAPR ids and ours */
static JsonValue *qmp_query_nvdimm_stats(QmpServer *s, JsonValue *args,
                                         QmpError *err)
{
    const char *id = json_object_get_string(args, "id");
    SpaprNvdimm *nv = spapr_nvdimm_find(s->hv->m, id);
    JsonValue *o;

    if (!nv) {
        set_err(err, "DeviceNotFound", "Device '%s' not found", id);
        return NULL;
    }
    o = json_object();
    spapr_nvdimm_foreach_stat(nv, add_stat, o);
    return o;
}

static JsonValue *qmp_device_del(QmpServer *s, JsonValue *args,
                                 QmpError *err)
{
    const char *id = json_object_get_string(args, "id");

    if (spapr_machine_find_device(s->hv->m, id)) {
        /* the same refusal as QEMU's for NVDIMMs */
        set_err(err, "GenericError",
                "nvdimm device hot unplug is not supported yet.");
    } else {
        set_err(err, "DeviceNotFound", "Device '%s' not found", id);
    }
    return NULL;
}

static JsonValue *qmp_query_commands(QmpServer *s, JsonValue *args,
                                     QmpError *err);

static const char *const p_path[] = { "path", NULL };
static const char *const p_path_prop[] = { "path", "property", NULL };
static const char *const p_id[] = { "id", NULL };
static const char *const p_qom_set[] = { "path", "property", "value",
                                         NULL };
static const char *const p_enable[] = { "enable", NULL };
static const char *const p_hypercall[] = { "convention", "nr", "args",
                                           NULL };
static const char *const p_hypercall_req[] = { "convention", "nr", NULL };

static const QmpCmd qmp_cmds[] = {
    { "qmp_capabilities", p_enable, NULL, qmp_capabilities },
    { "query-status", NULL, NULL, qmp_query_status },
    { "query-version", NULL, NULL, qmp_query_version },
    { "query-name", NULL, NULL, qmp_query_name },
    { "query-commands", NULL, NULL, qmp_query_commands },
    { "query-hcalls", NULL, NULL, qmp_query_hcalls },
    { "hypercall", p_hypercall, p_hypercall_req, qmp_hypercall },
    { "stop", NULL, NULL, qmp_stop },
    { "cont", NULL, NULL, qmp_cont },
    { "system_reset", NULL, NULL, qmp_system_reset },
    { "quit", NULL, NULL, qmp_quit },
    { "qom-list", p_path, p_path, qmp_qom_list },
    { "qom-get", p_path_prop, p_path_prop, qmp_qom_get },
    { "qom-set", p_qom_set, p_qom_set, qmp_qom_set },
    { "query-nvdimm-stats", p_id, p_id, qmp_query_nvdimm_stats },
    { "device_del", p_id, p_id, qmp_device_del },
};

static JsonValue *qmp_query_commands(QmpServer *s, JsonValue *args,
                                     QmpError *err)
{
    JsonValue *list = json_array();
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(qmp_cmds); i++) {
        JsonValue *e = json_object();

        json_object_set(e, "name", json_string(qmp_cmds[i].name));
        json_array_add(list, e);
    }
    return list;
}

static bool in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++) {
        if (!strcmp(*list, s)) {
            return true;
        }
    }
    return false;
}

/* All parameters of our commands are strings except qmp_capabilities'. */
static bool check_args(const QmpCmd *c, JsonValue *args, QmpError *err)
{
    const char *const *r;
    guint i;

    for (i = 0; args && i < args->u.items->len; i++) {
        JsonMember *m = g_ptr_array_index(args->u.items, i);

        if (!in_list(c->params, m->key)) {
            set_err(err, "GenericError", "Parameter '%s' is unexpected",
                    m->key);
            return false;
        }
        /* qom-set's value is any scalar (qmp_qom_set checks it) */
        if (c->fn != qmp_capabilities && m->value->type != JSON_STRING &&
            !(c->fn == qmp_qom_set && !strcmp(m->key, "value"))) {
            set_err(err, "GenericError", "Invalid parameter type for '%s',"
                    " expected: string", m->key);
            return false;
        }
    }
    for (r = c->required; r && *r; r++) {
        if (!json_object_get(args, *r)) {
            set_err(err, "GenericError", "Parameter '%s' is missing", *r);
            return false;
        }
    }
    return true;
}

static void reply(QmpServer *s, JsonValue *ret, QmpError *err,
                  JsonValue *id)
{
    g_autoptr(JsonValue) r = json_object();

    if (ret) {
        json_object_set(r, "return", ret);
    } else {
        JsonValue *e = json_object();

        json_object_set(e, "class", json_string(err->cls));
        json_object_set(e, "desc", json_string(err->desc));
        json_object_set(r, "error", e);
        g_free(err->desc);
    }
    if (id) {
        json_object_set(r, "id", id);
    }
    emit_line(s, r);
}

static void dispatch(QmpServer *s, JsonValue *req)
{
    QmpError err = { 0 };
    JsonValue *exec, *args, *id = NULL, *ret = NULL;
    const QmpCmd *cmd = NULL;
    guint i;

    if (req->type != JSON_OBJECT) {
        set_err(&err, "GenericError", "QMP input must be a JSON object");
        reply(s, NULL, &err, NULL);
        return;
    }
    /* take "id" out so that the reply can own it */
    for (i = 0; i < req->u.items->len; i++) {
        JsonMember *m = g_ptr_array_index(req->u.items, i);

        if (!strcmp(m->key, "id")) {
            /* the parser refuses duplicates; never leak one anyway */
            json_free(id);
            id = m->value;
            m->value = json_null();
        } else if (strcmp(m->key, "execute") && strcmp(m->key, "arguments")
                   && strcmp(m->key, "exec-oob")) {
            set_err(&err, "GenericError",
                    "QMP input member '%s' is unexpected", m->key);
            reply(s, NULL, &err, id);
            return;
        }
    }
    exec = json_object_get(req, "execute");
    args = json_object_get(req, "arguments");
    if (json_object_get(req, "exec-oob")) {
        set_err(&err, "GenericError", "QMP input member 'exec-oob' is "
                "unexpected (out-of-band is not enabled)");
    } else if (!exec) {
        set_err(&err, "GenericError",
                "QMP input lacks member 'execute'");
    } else if (exec->type != JSON_STRING) {
        set_err(&err, "GenericError",
                "QMP input member 'execute' must be a string");
    } else if (args && args->type != JSON_OBJECT) {
        set_err(&err, "GenericError",
                "QMP input member 'arguments' must be an object");
    }
    if (err.cls) {
        reply(s, NULL, &err, id);
        return;
    }
    for (i = 0; i < G_N_ELEMENTS(qmp_cmds); i++) {
        if (!strcmp(qmp_cmds[i].name, exec->u.s)) {
            cmd = &qmp_cmds[i];
        }
    }
    if (!s->negotiated && (!cmd || cmd->fn != qmp_capabilities)) {
        set_err(&err, "CommandNotFound", "Expecting capabilities "
                "negotiation with 'qmp_capabilities'");
    } else if (s->negotiated && cmd && cmd->fn == qmp_capabilities) {
        set_err(&err, "CommandNotFound", "Capabilities negotiation is "
                "already complete, command ignored");
    } else if (!cmd) {
        set_err(&err, "CommandNotFound", "The command %.64s has not been "
                "found", exec->u.s);
    } else if (check_args(cmd, args, &err)) {
        ret = cmd->fn(s, args, &err);
    }
    reply(s, ret, &err, id);
    if (ret && cmd->fn == qmp_quit) {
        JsonValue *data = json_object();

        json_object_set(data, "guest", json_bool(false));
        json_object_set(data, "reason", json_string("host-qmp-quit"));
        emit_event(s, "SHUTDOWN", data);
    } else if (ret && cmd->fn == qmp_system_reset) {
        JsonValue *data = json_object();

        json_object_set(data, "guest", json_bool(false));
        json_object_set(data, "reason",
                        json_string("host-qmp-system-reset"));
        emit_event(s, "RESET", data);
    }
}

static void on_text(void *opaque, const char *text, size_t len)
{
    QmpServer *s = opaque;
    g_autoptr(GError) perr = NULL;
    g_autoptr(JsonValue) req = NULL;
    QmpError err = { 0 };

    if (!text) {
        set_err(&err, "GenericError", "JSON parse error, input longer "
                "than %u bytes", QMP_MAX_INPUT);
        reply(s, NULL, &err, NULL);
        return;
    }
    req = json_parse(text, len, &perr);
    if (!req) {
        set_err(&err, "GenericError", "%s", perr->message);
        reply(s, NULL, &err, NULL);
        return;
    }
    dispatch(s, req);
}

static void on_text_limited(void *opaque, const char *text, size_t len)
{
    QmpServer *s = opaque;

    on_text(s, text, len);
    if (s->out && s->out->len >= s->out_max) {
        json_streamer_pause(s->js);
    }
}

QmpServer *qmp_server_new(HvMachine *hv, const HvOptions *o)
{
    QmpServer *s = g_new0(QmpServer, 1);

    s->hv = hv;
    s->opts = o;
    s->running = true;
    s->js = json_streamer_new(QMP_MAX_INPUT, on_text_limited, s);
    return s;
}

void qmp_server_free(QmpServer *s)
{
    if (s) {
        json_streamer_free(s->js);
        g_free(s);
    }
}

void qmp_server_connect(QmpServer *s, GString *out)
{
    g_autoptr(JsonValue) g = json_object();
    JsonValue *qmp = json_object();
    g_autoptr(JsonValue) v = NULL;
    QmpError err = { 0 };

    json_streamer_free(s->js);
    s->js = json_streamer_new(QMP_MAX_INPUT, on_text_limited, s);
    s->negotiated = false;
    v = qmp_query_version(s, NULL, &err);
    json_object_set(qmp, "version", v);
    v = NULL;
    json_object_set(qmp, "capabilities", json_array());
    json_object_set(g, "QMP", qmp);
    s->out = out;
    emit_line(s, g);
    s->out = NULL;
}

size_t qmp_server_feed_some(QmpServer *s, const char *buf, size_t len,
                            GString *out, size_t max_out)
{
    size_t n;

    if (out->len >= max_out) {
        return 0;
    }
    s->out = out;
    s->out_max = max_out;
    n = json_streamer_feed(s->js, buf, len);
    s->out = NULL;
    return n;
}

void qmp_server_feed(QmpServer *s, const char *buf, size_t len,
                     GString *out)
{
    qmp_server_feed_some(s, buf, len, out, SIZE_MAX);
}

bool qmp_server_quit_requested(QmpServer *s)
{
    return s->quit;
}

char *qmp_server_handle_text(QmpServer *s, const char *text)
{
    GString *out = g_string_new(NULL);

    s->out = out;
    on_text(s, text, strlen(text));
    s->out = NULL;
    return g_string_free(out, FALSE);
}
