/*
 * spapr-hv: the qtest protocol, free of I/O
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Reply formats follow QEMU's qtest server (readX: "OK 0x%016x", read:
 * "OK 0x<hex>", clocks: "OK <ns>").  Where QEMU asserts on bad input we
 * answer FAIL; where it silently ignores an access outside guest memory
 * we answer "FAIL address out of range".  Words are separated by one or
 * more spaces (QEMU: exactly one).
 */
#include <errno.h>
#include <string.h>
#include <libfdt.h>
#include "qtest-server.h"
#include "hv-devices.h"
#include "options.h"
#include "spapr-hcall/nvdimm.h"
#include "abi-cmd.h"

struct QtestServer {
    HvMachine *hv;
    GString *line;
    bool discarding;            /* inside an overlong line */
    QtestLogFn log_fn;
    void *log_opaque;
};

typedef struct QtestCmd {
    const char *name;
    unsigned int min_words;     /* including the command */
    unsigned int max_words;
    char *(*fn)(QtestServer *s, char **w, unsigned int n);
} QtestCmd;

QtestServer *qtest_server_new(HvMachine *hv)
{
    QtestServer *s = g_new0(QtestServer, 1);

    s->hv = hv;
    s->line = g_string_new(NULL);
    return s;
}

void qtest_server_free(QtestServer *s)
{
    if (!s) {
        return;
    }
    g_string_free(s->line, TRUE);
    g_free(s);
}

void qtest_server_set_log(QtestServer *s, QtestLogFn fn, void *opaque)
{
    s->log_fn = fn;
    s->log_opaque = opaque;
}

size_t qtest_server_pending(QtestServer *s)
{
    return s->line->len;
}

/* ---- argument parsing ---- */

/*
 * Base 0 like QEMU (0x hex, leading-0 octal, decimal), but checked: no
 * sign other than one leading '-' (two's complement), no trailing junk,
 * no overflow.
 */
static bool parse_u64(const char *s, uint64_t *out)
{
    bool neg = *s == '-';
    uint64_t v;

    if (!hv_parse_u64(neg ? s + 1 : s, &v)) {
        return false;
    }
    *out = neg ? -v : v;
    return true;
}

static bool parse_i64(const char *s, int64_t *out)
{
    const char *digits = *s == '-' ? s + 1 : s;
    char *end = NULL;
    int64_t v;

    if (!g_ascii_isdigit(*digits)) {
        return false;
    }
    errno = 0;
    v = g_ascii_strtoll(s, &end, 0);
    if (errno || *end) {
        return false;
    }
    *out = v;
    return true;
}

static char *fail_number(const char *w)
{
    /* keep replies short even for a huge bogus word */
    return g_strdup_printf("FAIL invalid number '%.64s%s'", w,
                           strlen(w) > 64 ? "..." : "");
}

#define GET_U64(word, var) \
    do { \
        if (!parse_u64((word), &(var))) { \
            return fail_number(word); \
        } \
    } while (0)

/* A value fits @size bytes either as unsigned or sign-extended. */
static bool fits(uint64_t v, unsigned int size)
{
    uint64_t top;

    if (size == 8) {
        return true;
    }
    top = v >> (8 * size - 1);
    return (v >> (8 * size)) == 0 ||
           top == (UINT64_MAX >> (8 * size - 1));
}

static char *out_of_range(void)
{
    return g_strdup("FAIL address out of range");
}

/*
 * A guest access at @addr failed: outside guest memory, or a host page
 * faulted (a file-backed NVDIMM whose file was truncated or whose file
 * system is full); the latter is logged too.
 */
static char *access_failed(QtestServer *s, uint64_t addr)
{
    if (!spapr_guarded_take_fault()) {
        return out_of_range();
    }
    spapr_machine_log(s->hv->m, SPAPR_LOG_ERROR,
                      "qtest: guest memory at 0x%" PRIx64 ": host page "
                      "fault (backing file truncated or its file system "
                      "full)", addr);
    return g_strdup("FAIL memory fault (backing file truncated or file "
                    "system full)");
}

/* ---- memory commands ---- */

static unsigned int access_size(const char *cmd)
{
    switch (cmd[strlen(cmd) - 1]) {
    case 'b':
        return 1;
    case 'w':
        return 2;
    case 'l':
        return 4;
    default:
        return 8;
    }
}

static char *cmd_readx(QtestServer *s, char **w, unsigned int n)
{
    uint64_t addr, val;

    GET_U64(w[1], addr);
    if (!spapr_guest_ldn_be(s->hv->m, addr, access_size(w[0]), &val)) {
        return access_failed(s, addr);
    }
    return g_strdup_printf("OK 0x%016" PRIx64, val);
}

static char *cmd_writex(QtestServer *s, char **w, unsigned int n)
{
    unsigned int size = access_size(w[0]);
    uint64_t addr, val;

    GET_U64(w[1], addr);
    GET_U64(w[2], val);
    if (!fits(val, size)) {
        return g_strdup_printf("FAIL value '%s' does not fit in %u bytes",
                               w[2], size);
    }
    if (!spapr_guest_stn_be(s->hv->m, addr, size, val)) {
        return access_failed(s, addr);
    }
    return g_strdup("OK");
}

static char *check_size(uint64_t size, uint64_t max, bool allow_zero)
{
    if (!size && !allow_zero) {
        return g_strdup("FAIL size must not be zero");
    }
    if (size > max) {
        return g_strdup_printf("FAIL size %" PRIu64 " too large (max %"
                               PRIu64 ")", size, max);
    }
    return NULL;
}

/* "ADDR SIZE": read that much guest memory.  NULL, or the reply to send. */
static char *read_guest(QtestServer *s, char **w, uint8_t **buf,
                        uint64_t *size)
{
    uint64_t addr;
    char *err;

    GET_U64(w[1], addr);
    GET_U64(w[2], *size);
    if ((err = check_size(*size, QTEST_MAX_DATA, false))) {
        return err;
    }
    *buf = g_malloc(*size);
    if (!spapr_guest_read(s->hv->m, addr, *buf, *size)) {
        return access_failed(s, addr);
    }
    return NULL;
}

static char *cmd_read(QtestServer *s, char **w, unsigned int n)
{
    g_autofree uint8_t *buf = NULL;
    uint64_t size, i;
    GString *r;
    char *err;

    if ((err = read_guest(s, w, &buf, &size))) {
        return err;
    }
    r = g_string_sized_new(5 + 2 * size);
    g_string_append(r, "OK 0x");
    /* a table, not printf: a 16 MiB read is 32 MiB of hex */
    g_string_set_size(r, 5 + 2 * size);
    for (i = 0; i < size; i++) {
        r->str[5 + 2 * i] = "0123456789abcdef"[buf[i] >> 4];
        r->str[6 + 2 * i] = "0123456789abcdef"[buf[i] & 15];
    }
    return g_string_free(r, FALSE);
}

static char *cmd_b64read(QtestServer *s, char **w, unsigned int n)
{
    g_autofree uint8_t *buf = NULL;
    g_autofree char *b64 = NULL;
    uint64_t size;
    char *err;

    if ((err = read_guest(s, w, &buf, &size))) {
        return err;
    }
    b64 = g_base64_encode(buf, size);
    return g_strconcat("OK ", b64, NULL);
}

static char *cmd_write(QtestServer *s, char **w, unsigned int n)
{
    g_autofree uint8_t *buf = NULL;
    uint64_t addr, size, i, ndigits;
    const char *hex = w[3];
    char *err;

    GET_U64(w[1], addr);
    GET_U64(w[2], size);
    if (strlen(hex) < 3) {
        /* QEMU's reply for a data word shorter than "0x" plus a digit */
        return g_strdup("ERR invalid argument size");
    }
    if ((err = check_size(size, QTEST_MAX_DATA, true))) {
        return err;
    }
    if (hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X')) {
        return g_strdup("FAIL data must start with 0x");
    }
    hex += 2;
    ndigits = strlen(hex);
    if (ndigits % 2) {
        return g_strdup("FAIL odd number of hex digits");
    }
    if (ndigits / 2 > size) {
        return g_strdup_printf("FAIL %" PRIu64 " bytes of data for size %"
                               PRIu64, ndigits / 2, size);
    }
    /* as QEMU: data shorter than SIZE is zero-filled */
    buf = g_malloc0(size ? size : 1);
    for (i = 0; i < ndigits / 2; i++) {
        int hi = g_ascii_xdigit_value(hex[2 * i]);
        int lo = g_ascii_xdigit_value(hex[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            return g_strdup("FAIL invalid hex data");
        }
        buf[i] = hi << 4 | lo;
    }
    if (size && !spapr_guest_write(s->hv->m, addr, buf, size)) {
        return access_failed(s, addr);
    }
    return g_strdup("OK");
}

static bool valid_base64(const char *p)
{
    size_t len = strlen(p), i, pad = 0;

    if (len % 4) {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (p[i] == '=') {
            pad++;
        } else if (pad || !(g_ascii_isalnum(p[i]) || p[i] == '+' ||
                             p[i] == '/')) {
            return false;
        }
    }
    return pad <= 2;
}

static char *cmd_b64write(QtestServer *s, char **w, unsigned int n)
{
    g_autofree guchar *data = NULL;
    uint64_t addr, size;
    gsize out_len = 0;
    char *err;

    GET_U64(w[1], addr);
    GET_U64(w[2], size);
    if (strlen(w[3]) < 3) {
        return g_strdup("ERR invalid argument size");
    }
    if ((err = check_size(size, QTEST_MAX_DATA, true))) {
        return err;
    }
    if (!valid_base64(w[3])) {
        return g_strdup("FAIL invalid base64 data");
    }
    data = g_base64_decode(w[3], &out_len);
    /* as QEMU: a length mismatch writes the shorter of the two */
    if (out_len > size) {
        out_len = size;
    }
    if (out_len && !spapr_guest_write(s->hv->m, addr, data, out_len)) {
        return access_failed(s, addr);
    }
    return g_strdup("OK");
}

static char *cmd_memset(QtestServer *s, char **w, unsigned int n)
{
    uint8_t chunk[65536];
    uint64_t addr, size, val, done;
    char *err;

    GET_U64(w[1], addr);
    GET_U64(w[2], size);
    GET_U64(w[3], val);
    if (val > 0xff) {
        return g_strdup_printf("FAIL value '%s' does not fit in a byte",
                               w[3]);
    }
    if ((err = check_size(size, QTEST_MAX_MEMSET, true))) {
        return err;
    }
    if (size && addr + size - 1 < addr) {
        return out_of_range();
    }
    memset(chunk, val, sizeof(chunk));
    /* chunked: a range that runs into a hole fails part-way */
    for (done = 0; done < size; done += sizeof(chunk)) {
        uint64_t len = MIN(sizeof(chunk), size - done);

        if (!spapr_guest_write(s->hv->m, addr + done, chunk, len)) {
            return access_failed(s, addr + done);
        }
    }
    return g_strdup("OK");
}

/* ---- machine commands ---- */

static char *cmd_endianness(QtestServer *s, char **w, unsigned int n)
{
    /* ppc64 is a big-endian target in QEMU, whatever the guest's MSR[LE] */
    return g_strdup("OK big");
}

static char *cmd_clock_step(QtestServer *s, char **w, unsigned int n)
{
    int64_t old = hv_machine_clock(s->hv), step, now;

    if (!s->hv->virtual_clock) {
        return g_strdup("FAIL clock_step needs -accel qtest");
    }
    if (n < 2) {
        return g_strdup("FAIL cannot advance clock to the next deadline "
                        "because there is no pending deadline");
    }
    if (!parse_i64(w[1], &step)) {
        return fail_number(w[1]);
    }
    if (step > 0 && old > INT64_MAX - step) {
        return g_strdup_printf("FAIL %" PRIi64, old);
    }
    now = hv_machine_clock_advance(s->hv, old + step);
    return g_strdup_printf("%s %" PRIi64, now > old ? "OK" : "FAIL", now);
}

static char *cmd_clock_set(QtestServer *s, char **w, unsigned int n)
{
    int64_t ns, now;

    if (!s->hv->virtual_clock) {
        return g_strdup("FAIL clock_set needs -accel qtest");
    }
    if (!parse_i64(w[1], &ns)) {
        return fail_number(w[1]);
    }
    now = hv_machine_clock_advance(s->hv, ns);
    return g_strdup_printf("%s %" PRIi64, now == ns ? "OK" : "FAIL", now);
}

static char *cmd_hcall(QtestServer *s, char **w, unsigned int n)
{
    uint64_t opcode, args[SPAPR_HCALL_NR_ARGS] = { 0 };
    SpaprCpu *cpu = spapr_machine_cpu(s->hv->m, 0);
    unsigned int i;
    int64_t ret;
    GString *r;

    if (!parse_u64(w[1], &opcode) &&
        !spapr_hcall_opcode_from_name(w[1], &opcode)) {
        return g_strdup_printf("FAIL invalid opcode '%.64s'", w[1]);
    }
    for (i = 2; i < n; i++) {
        GET_U64(w[i], args[i - 2]);
    }
    ret = spapr_hcall(s->hv->m, cpu, opcode, args);
    r = g_string_new(NULL);
    g_string_append_printf(r, "OK 0x%016" PRIx64, (uint64_t)ret);
    for (i = 0; i < SPAPR_HCALL_NR_ARGS; i++) {
        g_string_append_printf(r, " 0x%016" PRIx64, args[i]);
    }
    return g_string_free(r, FALSE);
}

static void append_reg(const char *name, uint64_t value, void *opaque)
{
    g_string_append_printf(opaque, " %s=0x%016" PRIx64, name, value);
}

/* hypercall CONVENTION[,FLAGS] NR [ARG ...] (docs/abis.md) */
static char *cmd_hypercall(QtestServer *s, char **w, unsigned int n)
{
    uint64_t args[SPAPR_ABI_MAX_REGS];
    g_autofree char *err = NULL;
    HvAbiCall c;
    GString *r;
    unsigned int i;

    for (i = 3; i < n; i++) {
        GET_U64(w[i], args[i - 3]);
    }
    if (!hv_abi_call(s->hv, w[1], w[2], args, n - 3, &c, &err)) {
        return g_strdup_printf("FAIL %s", err);
    }
    if (hv_abi_exception_name(c.end)) {
        return g_strdup_printf("OK EXCEPTION %s",
                               hv_abi_exception_name(c.end));
    }
    r = g_string_new("OK");
    hv_abi_foreach_reg(&c, append_reg, r);
    return g_string_free(r, FALSE);
}

/* xen-hypercall-page MSR-VALUE MODE: the guest's write of the MSR */
static char *cmd_xen_page(QtestServer *s, char **w, unsigned int n)
{
    SpaprXenPageMode mode;
    uint64_t value;

    GET_U64(w[1], value);
    if (!spapr_xen_page_mode_from_name(w[2], &mode)) {
        return g_strdup_printf("FAIL unknown mode '%.64s'", w[2]);
    }
    return g_strdup(spapr_xen_write_hypercall_msr(s->hv->m, value, mode)
                    ? "OK" : "FAIL #GP");
}

static char *cmd_rtas(QtestServer *s, char **w, unsigned int n)
{
    uint64_t v;
    unsigned int i;

    for (i = 2; i < n; i++) {
        GET_U64(w[i], v);
    }
    /*
     * No RTAS calls are implemented; QEMU answers an unknown name with
     * H_PARAMETER printed unsigned, and so do we.
     */
    return g_strdup_printf("OK %" PRIu64, (uint64_t)(int64_t)PAPR_H_PARAMETER);
}

static char *cmd_fdt(QtestServer *s, char **w, unsigned int n)
{
    g_autoptr(GError) err = NULL;
    g_autofree void *fdt = hv_devices_fdt(s->hv, &err);
    g_autofree char *b64 = NULL;

    if (!fdt) {
        return g_strdup_printf("FAIL %s", err->message);
    }
    b64 = g_base64_encode(fdt, fdt_totalsize(fdt));
    return g_strconcat("OK ", b64, NULL);
}

static char *cmd_stats(QtestServer *s, char **w, unsigned int n)
{
    g_autoptr(GArray) st = NULL;
    GString *r;
    guint i;

    if (n == 2) {
        if (strcmp(w[1], "reset")) {
            return g_strdup_printf("FAIL unknown stats argument '%.64s'",
                                   w[1]);
        }
        spapr_hcall_stats_reset(s->hv->m);
        return g_strdup("OK");
    }
    st = spapr_hcall_stats(s->hv->m);
    r = g_string_new("OK");
    for (i = 0; i < st->len; i++) {
        SpaprHcallStats *row = &g_array_index(st, SpaprHcallStats, i);

        /* other conventions' rows are named "kvm-x86/NAME" */
        bool other = strcmp(row->abi, "papr");

        if (row->name) {
            g_string_append_printf(r, " %s%s%s:0x%" PRIx64 ":%" PRIu64 ":%"
                                   PRIu64, other ? row->abi : "",
                                   other ? "/" : "", row->name, row->opcode,
                                   row->calls, row->errors);
        } else {
            g_string_append_printf(r, " unregistered:-:%" PRIu64 ":%"
                                   PRIu64, row->calls, row->errors);
        }
    }
    for (i = SPAPR_ABI_PAPR + 1; i < SPAPR_ABI_COUNT; i++) {
        SpaprHcallStats ref;

        spapr_abi_stats_refused(s->hv->m, i, &ref);
        if (ref.calls) {
            g_string_append_printf(r, " unregistered/%s:-:%" PRIu64 ":%"
                                   PRIu64, ref.abi, ref.calls, ref.errors);
        }
    }
    return g_string_free(r, FALSE);
}

static char *cmd_reset(QtestServer *s, char **w, unsigned int n)
{
    spapr_machine_reset(s->hv->m);
    return g_strdup("OK");
}

static char *cmd_no_ports(QtestServer *s, char **w, unsigned int n)
{
    return g_strdup("FAIL pseries has no I/O port space");
}

static char *cmd_no_irq(QtestServer *s, char **w, unsigned int n)
{
    /* QEMU's answer for a QOM path it cannot resolve */
    return g_strdup("FAIL Unknown device");
}

static char *cmd_module_load(QtestServer *s, char **w, unsigned int n)
{
    return g_strdup("FAIL modules are not supported");
}

/* ---- nvdimm fault injection ---- */

static SpaprNvdimm *nvdimm_arg(QtestServer *s, const char *id)
{
    return spapr_nvdimm_find(s->hv->m, id);
}

static char *no_nvdimm(const char *id)
{
    return g_strdup_printf("FAIL no nvdimm '%.64s'", id);
}

static char *cmd_nvdimm_health(QtestServer *s, char **w, unsigned int n)
{
    SpaprNvdimm *nv = nvdimm_arg(s, w[1]);
    uint64_t bits, mask = UINT64_MAX;

    if (!nv) {
        return no_nvdimm(w[1]);
    }
    if (n >= 3) {
        GET_U64(w[2], bits);
        if (n == 4) {
            GET_U64(w[3], mask);
        }
        spapr_nvdimm_set_health(nv, bits, mask);
    }
    return g_strdup_printf("OK 0x%016" PRIx64, spapr_nvdimm_health(nv));
}

/* nvdimm-set ID KNOB VALUE / nvdimm-get ID KNOB: "OK <value>" */
static char *cmd_nvdimm_knob(QtestServer *s, char **w, unsigned int n)
{
    SpaprNvdimm *nv = nvdimm_arg(s, w[1]);
    g_autoptr(GError) err = NULL;
    char *v, *r;

    if (!nv) {
        return no_nvdimm(w[1]);
    }
    if (n == 4 && !spapr_nvdimm_knob_set(nv, w[2], w[3], &err)) {
        return g_strdup_printf("FAIL %s", err->message);
    }
    v = spapr_nvdimm_knob_get(nv, w[2], &err);
    if (!v) {
        return g_strdup_printf("FAIL %s", err->message);
    }
    r = g_strdup_printf("OK %s", v);
    g_free(v);
    return r;
}

static void stat_one(const char *name, uint64_t value, void *opaque)
{
    g_string_append_printf(opaque, " %s=%" PRIu64, name, value);
}

/* nvdimm-stats ID: "OK CtlResCt=0 ... blocks-unbound=0" */
static char *cmd_nvdimm_stats(QtestServer *s, char **w, unsigned int n)
{
    SpaprNvdimm *nv = nvdimm_arg(s, w[1]);
    GString *r;

    if (!nv) {
        return no_nvdimm(w[1]);
    }
    r = g_string_new("OK");
    spapr_nvdimm_foreach_stat(nv, stat_one, r);
    return g_string_free(r, FALSE);
}

static void list_one(SpaprDevice *dev, void *opaque)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);

    if (nv) {
        g_string_append_printf(opaque, " %s:0x%08x", spapr_nvdimm_id(nv),
                               spapr_nvdimm_drc_index(nv));
    }
}

static char *cmd_nvdimm_list(QtestServer *s, char **w, unsigned int n)
{
    GString *r = g_string_new("OK");

    spapr_machine_foreach_device(s->hv->m, list_one, r);
    return g_string_free(r, FALSE);
}

static char *cmd_nvdimm_info(QtestServer *s, char **w, unsigned int n)
{
    SpaprNvdimm *nv = nvdimm_arg(s, w[1]);

    if (!nv) {
        return no_nvdimm(w[1]);
    }
    return g_strdup_printf("OK drc=0x%08x block-size=%" PRIu64
                           " blocks=%" PRIu64 " label-size=%" PRIu64
                           " uuid=%s health=0x%016" PRIx64
                           " flush-required=%s node=%u",
                           spapr_nvdimm_drc_index(nv),
                           spapr_nvdimm_block_size(nv),
                           spapr_nvdimm_nr_blocks(nv),
                           spapr_nvdimm_label_size(nv),
                           spapr_nvdimm_uuid(nv), spapr_nvdimm_health(nv),
                           spapr_nvdimm_hcall_flush_required(nv) ?
                           "on" : "off", spapr_nvdimm_numa_node(nv));
}

static const QtestCmd qtest_cmds[] = {
    { "readb", 2, 2, cmd_readx },
    { "readw", 2, 2, cmd_readx },
    { "readl", 2, 2, cmd_readx },
    { "readq", 2, 2, cmd_readx },
    { "writeb", 3, 3, cmd_writex },
    { "writew", 3, 3, cmd_writex },
    { "writel", 3, 3, cmd_writex },
    { "writeq", 3, 3, cmd_writex },
    { "read", 3, 3, cmd_read },
    { "write", 4, 4, cmd_write },
    { "b64read", 3, 3, cmd_b64read },
    { "b64write", 4, 4, cmd_b64write },
    { "memset", 4, 4, cmd_memset },
    { "endianness", 1, 1, cmd_endianness },
    { "clock_step", 1, 2, cmd_clock_step },
    { "clock_set", 2, 2, cmd_clock_set },
    { "hcall", 2, 2 + SPAPR_HCALL_NR_ARGS, cmd_hcall },
    { "hypercall", 3, 3 + SPAPR_ABI_MAX_REGS, cmd_hypercall },
    { "xen-hypercall-page", 3, 3, cmd_xen_page },
    { "rtas", 6, 6, cmd_rtas },
    { "fdt", 1, 1, cmd_fdt },
    { "stats", 1, 2, cmd_stats },
    { "reset", 1, 1, cmd_reset },
    { "nvdimm-health", 2, 4, cmd_nvdimm_health },
    { "nvdimm-list", 1, 1, cmd_nvdimm_list },
    { "nvdimm-info", 2, 2, cmd_nvdimm_info },
    { "nvdimm-set", 4, 4, cmd_nvdimm_knob },
    { "nvdimm-get", 3, 3, cmd_nvdimm_knob },
    { "nvdimm-stats", 2, 2, cmd_nvdimm_stats },
    { "outb", 3, 3, cmd_no_ports },
    { "outw", 3, 3, cmd_no_ports },
    { "outl", 3, 3, cmd_no_ports },
    { "inb", 2, 2, cmd_no_ports },
    { "inw", 2, 2, cmd_no_ports },
    { "inl", 2, 2, cmd_no_ports },
    { "irq_intercept_in", 2, 2, cmd_no_irq },
    { "irq_intercept_out", 2, 3, cmd_no_irq },
    { "set_irq_in", 5, 5, cmd_no_irq },
    { "module_load", 3, 3, cmd_module_load },
};

char *qtest_server_handle_line(QtestServer *s, const char *line)
{
    g_auto(GStrv) raw = g_strsplit(line, " ", -1);
    g_autofree char **w = g_new0(char *, g_strv_length(raw) + 1);
    unsigned int n = 0, i;

    for (i = 0; raw[i]; i++) {
        if (*raw[i]) {
            w[n++] = raw[i];
        }
    }
    if (!n) {
        return g_strdup("FAIL empty command");
    }
    for (i = 0; i < G_N_ELEMENTS(qtest_cmds); i++) {
        const QtestCmd *c = &qtest_cmds[i];

        if (strcmp(c->name, w[0])) {
            continue;
        }
        if (n < c->min_words) {
            return g_strdup_printf("FAIL %s: missing argument", c->name);
        }
        if (n > c->max_words) {
            return g_strdup_printf("FAIL %s: too many arguments", c->name);
        }
        return c->fn(s, w, n);
    }
    return g_strdup_printf("FAIL Unknown command '%.64s%s'", w[0],
                           strlen(w[0]) > 64 ? "..." : "");
}

static void answer(QtestServer *s, const char *line, GString *out)
{
    g_autofree char *reply = NULL;

    if (memchr(s->line->str, '\0', s->line->len)) {
        reply = g_strdup("FAIL NUL byte in request");
    } else {
        reply = qtest_server_handle_line(s, line);
    }
    if (s->log_fn) {
        s->log_fn(s->log_opaque, line, reply);
    }
    g_string_append(out, reply);
    g_string_append_c(out, '\n');
}

void qtest_server_feed(QtestServer *s, const char *buf, size_t len,
                       GString *out)
{
    qtest_server_feed_some(s, buf, len, out, SIZE_MAX);
}

size_t qtest_server_feed_some(QtestServer *s, const char *buf, size_t len,
                              GString *out, size_t max_out)
{
    size_t done = 0;

    while (len) {
        const char *nl;
        size_t take;

        if (out->len >= max_out) {
            /* backpressure: the rest waits until the replies drain */
            return done;
        }
        nl = memchr(buf, '\n', len);
        take = nl ? (size_t)(nl - buf) : len;

        if (!s->discarding) {
            if (s->line->len + take > QTEST_MAX_LINE) {
                s->discarding = true;
                g_string_truncate(s->line, 0);
            } else {
                g_string_append_len(s->line, buf, take);
            }
        }
        if (!nl) {
            return done + len;
        }
        if (s->discarding) {
            if (s->log_fn) {
                s->log_fn(s->log_opaque, "(overlong line)",
                          "FAIL line too long");
            }
            g_string_append(out, "FAIL line too long\n");
            s->discarding = false;
        } else {
            /* tolerate CRLF clients */
            if (s->line->len && s->line->str[s->line->len - 1] == '\r') {
                g_string_truncate(s->line, s->line->len - 1);
            }
            answer(s, s->line->str, out);
        }
        g_string_truncate(s->line, 0);
        buf += take + 1;
        len -= take + 1;
        done += take + 1;
    }
    return done;
}
