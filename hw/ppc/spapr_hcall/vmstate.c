/*
 * spapr-hcall: saving and loading a machine's run-time state
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Stream (version 1), big-endian:
 *   "SPHCSTAT" u32 version
 *   hcall statistics (hcall-dispatch.c)
 *   u32 count, then per device: str type, u32 key, u32 length, record
 * A record is the device's own (SpaprDeviceClass.save_state).  Loading
 * runs twice over the stream: first every part is checked against this
 * machine, then, only if all of it fits, applied.
 */
#include <string.h>
#include "internal.h"
#include "trace-events.h"

/* ---- Readers and writers ---- */

void spapr_state_put_u8(GByteArray *w, uint8_t v)
{
    g_byte_array_append(w, &v, 1);
}

void spapr_state_put_u32(GByteArray *w, uint32_t v)
{
    uint8_t b[4];

    spapr_st32_be(b, v);
    g_byte_array_append(w, b, sizeof(b));
}

void spapr_state_put_u64(GByteArray *w, uint64_t v)
{
    uint8_t b[8];

    spapr_st64_be(b, v);
    g_byte_array_append(w, b, sizeof(b));
}

void spapr_state_put_str(GByteArray *w, const char *s)
{
    size_t n = strlen(s);

    spapr_state_put_u32(w, n);
    g_byte_array_append(w, (const guint8 *)s, n);
}

size_t spapr_state_left(const SpaprStateReader *r)
{
    return r->bad ? 0 : r->len - r->pos;
}

/* The next @n bytes, or NULL (and @bad) if there are fewer. */
static const uint8_t *take(SpaprStateReader *r, size_t n)
{
    const uint8_t *p;

    if (r->bad || n > r->len - r->pos) {
        r->bad = true;
        return NULL;
    }
    p = r->buf + r->pos;
    r->pos += n;
    return p;
}

/* The next @n (1, 4 or 8) bytes as a big-endian number; 0 if short. */
static uint64_t get_be(SpaprStateReader *r, unsigned int n)
{
    const uint8_t *p = take(r, n);

    return p ? spapr_ldn_be(p, n) : 0;
}

uint8_t spapr_state_get_u8(SpaprStateReader *r)
{
    return get_be(r, 1);
}

uint32_t spapr_state_get_u32(SpaprStateReader *r)
{
    return get_be(r, 4);
}

uint64_t spapr_state_get_u64(SpaprStateReader *r)
{
    return get_be(r, 8);
}

uint32_t spapr_state_get_u64_array(SpaprStateReader *r, uint64_t *out,
                                   size_t max)
{
    uint32_t n = spapr_state_get_u32(r), i;

    for (i = 0; i < n && !r->bad; i++) {
        uint64_t v = spapr_state_get_u64(r);

        if (i < max) {
            out[i] = v;
        }
    }
    return n;
}

bool spapr_state_get_str(SpaprStateReader *r, char *buf, size_t size)
{
    uint32_t n = spapr_state_get_u32(r);
    const uint8_t *p;

    if (r->bad || n >= size || memchr(r->buf + r->pos, 0,
                                      MIN(n, spapr_state_left(r)))) {
        r->bad = true;
        return false;
    }
    p = take(r, n);
    if (!p) {
        return false;
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
    return true;
}

/* ---- The machine's stream ---- */

static bool has_state(SpaprDevice *dev)
{
    return dev->cls->state_key && dev->cls->save_state &&
           dev->cls->load_state;
}

GByteArray *spapr_machine_save_state(SpaprMachine *m)
{
    GByteArray *w = g_byte_array_new();
    g_autoptr(GPtrArray) devs = g_ptr_array_new();
    guint i;

    g_byte_array_append(w, (const guint8 *)SPAPR_STATE_MAGIC, 8);
    spapr_state_put_u32(w, SPAPR_STATE_VERSION);
    spapr_hcall_state_save_(m, w);

    g_mutex_lock(&m->lock);
    for (i = 0; i < m->devices->len; i++) {
        SpaprDevice *dev = g_ptr_array_index(m->devices, i);

        if (has_state(dev)) {
            g_ptr_array_add(devs, dev);
        }
    }
    g_mutex_unlock(&m->lock);

    spapr_state_put_u32(w, devs->len);
    for (i = 0; i < devs->len; i++) {
        SpaprDevice *dev = g_ptr_array_index(devs, i);
        guint len_at;
        uint32_t len;

        spapr_state_put_str(w, dev->cls->type);
        spapr_state_put_u32(w, dev->cls->state_key(dev));
        len_at = w->len;
        spapr_state_put_u32(w, 0);
        dev->cls->save_state(dev, w);
        len = w->len - len_at - 4;
        spapr_st32_be(w->data + len_at, len);
    }
    trace_spapr_machine_save_state(m, devs->len, w->len);
    return w;
}

static SpaprDevice *find_by_key(SpaprMachine *m, const char *type,
                                uint32_t key)
{
    guint i;

    for (i = 0; i < m->devices->len; i++) {
        SpaprDevice *dev = g_ptr_array_index(m->devices, i);

        if (has_state(dev) && !strcmp(dev->cls->type, type) &&
            dev->cls->state_key(dev) == key) {
            return dev;
        }
    }
    return NULL;
}

static bool load_header(SpaprStateReader *r, GError **errp)
{
    const uint8_t *magic = take(r, 8);
    uint32_t version = spapr_state_get_u32(r);

    if (!magic || memcmp(magic, SPAPR_STATE_MAGIC, 8) || r->bad) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "not a spapr-hcall state stream");
        return false;
    }
    if (version == 0 || version > SPAPR_STATE_VERSION) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "state version %u is newer than this library's (%u)",
                    version, SPAPR_STATE_VERSION);
        return false;
    }
    return true;
}

/*
 * One device record: 1 loaded, 0 the stream ran out (the caller reports
 * it as truncated), -1 refused with @errp set.
 */
static int load_record(SpaprMachine *m, SpaprStateReader *r,
                        GHashTable *seen, bool apply, GError **errp)
{
    SpaprStateReader rec = { 0 };
    SpaprDevice *dev;
    uint32_t key, rlen;
    char type[64];

    if (!spapr_state_get_str(r, type, sizeof(type))) {
        return 0;
    }
    key = spapr_state_get_u32(r);
    rlen = spapr_state_get_u32(r);
    rec.buf = take(r, rlen);
    rec.len = rlen;
    if (!rec.buf) {
        return 0;
    }
    dev = find_by_key(m, type, key);
    if (!dev) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "the source has a %s with key 0x%" PRIx32
                    ", this machine does not", type, key);
        return -1;
    }
    if (!g_hash_table_add(seen, dev)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s 0x%" PRIx32 " appears twice in the stream",
                    type, key);
        return -1;
    }
    if (!dev->cls->load_state(dev, &rec, apply, errp)) {
        g_prefix_error(errp, "%s '%s': ", type, dev->id);
        return -1;
    }
    if (rec.bad || spapr_state_left(&rec)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "%s '%s': malformed record (%zu of %u bytes "
                    "read)", type, dev->id, rec.pos, rlen);
        return -1;
    }
    return 1;
}

/* Every device with state must have had a record */
static bool check_all_loaded(SpaprMachine *m, GHashTable *seen,
                             GError **errp)
{
    guint i;

    for (i = 0; i < m->devices->len; i++) {
        SpaprDevice *dev = g_ptr_array_index(m->devices, i);

        if (has_state(dev) && !g_hash_table_contains(seen, dev)) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "%s '%s' (key 0x%" PRIx32 ") is not on the source",
                        dev->cls->type, dev->id, dev->cls->state_key(dev));
            return false;
        }
    }
    return true;
}

/* One pass over the stream: check only, or apply. */
static bool load_pass(SpaprMachine *m, const void *buf, size_t len,
                      bool apply, GError **errp)
{
    SpaprStateReader r = { buf, len, 0, false };
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
    uint32_t n, i;

    if (!load_header(&r, errp) ||
        !spapr_hcall_state_load_(m, &r, apply, errp)) {
        return false;
    }
    n = spapr_state_get_u32(&r);
    for (i = 0; i < n && !r.bad; i++) {
        int ret = load_record(m, &r, seen, apply, errp);

        if (ret < 0) {
            return false;
        }
        if (ret == 0) {
            break;
        }
    }
    if (r.bad || spapr_state_left(&r)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "truncated or malformed state stream");
        return false;
    }
    return check_all_loaded(m, seen, errp);
}

bool spapr_machine_load_state(SpaprMachine *m, const void *buf, size_t len,
                              GError **errp)
{
    bool ok;

    /*
     * Devices cannot come or go meanwhile (see the header): the device
     * list is read without the machine lock, which the devices' own
     * load_state may need.
     */
    ok = load_pass(m, buf, len, false, errp) &&
         load_pass(m, buf, len, true, errp);
    trace_spapr_machine_load_state(m, len, ok);
    return ok;
}
