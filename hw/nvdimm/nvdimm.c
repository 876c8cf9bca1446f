/*
 * spapr-hcall: the spapr-nvdimm device and its backends
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The backend is one shared mapping: a file (created if missing, sized
 * sparse, mmap'ed MAP_SHARED) or anonymous RAM.  Its last label_size
 * bytes are the label area; the rest is the data area the guest binds.
 * A file backend keeps a small key file next to it (<file>.state) with
 * the UUID, the label size and the dirty-shutdown count, so they survive
 * restarts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "nvdimm-internal.h"
#include "trace-events.h"

#define STATE_GROUP     "spapr-nvdimm"

static const SpaprDeviceClass spapr_nvdimm_class;

SpaprNvdimm *spapr_nvdimm_from_device(SpaprDevice *dev)
{
    if (!dev || dev->cls != &spapr_nvdimm_class) {
        return NULL;
    }
    return (SpaprNvdimm *)dev;
}

SpaprNvdimm *spapr_nvdimm_find(SpaprMachine *m, const char *id)
{
    return spapr_nvdimm_from_device(spapr_machine_find_device(m, id));
}

SpaprNvdimm *spapr_nvdimm_by_drc_(SpaprMachine *m, uint32_t index,
                                 PaprDrcLookup *res)
{
    PaprDrc *drc;
    SpaprNvdimm *nv;
    PaprDrcLookup r;

    r = papr_drc_lookup(spapr_machine_drcs(m), index, PAPR_DRC_TYPE_PMEM,
                         &drc);
    if (r != PAPR_DRC_FOUND) {
        *res = r;
        return NULL;
    }
    nv = spapr_nvdimm_from_device(drc->dev);
    /* A PMEM connector holding another kind of device counts as empty */
    *res = nv ? PAPR_DRC_FOUND : PAPR_DRC_EMPTY;
    return nv;
}

/* ---- Configuration ---- */

static bool check_geometry(uint64_t size, uint64_t label_size, GError **errp)
{
    if (label_size < SPAPR_NVDIMM_MIN_LABEL_SIZE) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "label size %" PRIu64 " is below the minimum of %llu "
                    "bytes", label_size, SPAPR_NVDIMM_MIN_LABEL_SIZE);
        return false;
    }
    /* ibm,metadata-size is a 32-bit cell */
    if (label_size > UINT32_MAX) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "label size %" PRIu64 " does not fit in 32 bits",
                    label_size);
        return false;
    }
    if (size <= label_size ||
        (size - label_size) % SPAPR_SCM_BLOCK_SIZE) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "size %" PRIu64 " minus label size %" PRIu64
                    " must be a non-zero multiple of the SCM block size "
                    "(%llu bytes, 256 MiB)", size, label_size,
                    SPAPR_SCM_BLOCK_SIZE);
        return false;
    }
    return true;
}

static bool pick_slot(SpaprMachine *m, uint32_t want, PaprDrc **drc,
                      bool *created, GError **errp)
{
    PaprDrcRegistry *reg = spapr_machine_drcs(m);
    PaprDrc *d;
    uint32_t id;

    *created = false;
    if (want != SPAPR_NVDIMM_SLOT_AUTO) {
        switch (papr_drc_lookup(reg, papr_drc_index_make(
                                     PAPR_DRC_TYPE_PMEM, want),
                                 PAPR_DRC_TYPE_PMEM, &d)) {
        case PAPR_DRC_EMPTY:
            *drc = d;
            return true;
        case PAPR_DRC_FOUND:
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_EXISTS,
                        "PMEM slot %u is already occupied", want);
            return false;
        default:
            *drc = papr_drc_new(reg, PAPR_DRC_TYPE_PMEM, want, errp);
            *created = *drc != NULL;
            return *drc != NULL;
        }
    }
    for (id = 0; id <= PAPR_DRC_INDEX_ID_MASK; id++) {
        PaprDrcLookup r = papr_drc_lookup(
            reg, papr_drc_index_make(PAPR_DRC_TYPE_PMEM, id),
            PAPR_DRC_TYPE_PMEM, &d);

        if (r == PAPR_DRC_EMPTY) {
            *drc = d;
            return true;
        }
        if (r != PAPR_DRC_FOUND) {
            *drc = papr_drc_new(reg, PAPR_DRC_TYPE_PMEM, id, errp);
            *created = *drc != NULL;
            return *drc != NULL;
        }
    }
    g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_FULL, "no free PMEM slot");
    return false;
}

/* ---- Backends ---- */

static bool open_ram(SpaprNvdimm *nv, GError **errp)
{
    void *p = mmap(NULL, nv->size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    if (p == MAP_FAILED) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                    "cannot allocate %" PRIu64 " bytes for nvdimm '%s': %s",
                    nv->size, nv->parent.id, g_strerror(errno));
        return false;
    }
    nv->fd = -1;
    nv->host = p;
    return true;
}

typedef struct BusyCheck {
    const SpaprNvdimm *self;
    const struct stat *st;
    const SpaprNvdimm *user;
} BusyCheck;

static void busy_check_one(SpaprDevice *dev, void *opaque)
{
    BusyCheck *b = opaque;
    SpaprNvdimm *other = spapr_nvdimm_from_device(dev);

    if (other && other != b->self && other->mem_path &&
        other->file_dev == b->st->st_dev &&
        other->file_ino == b->st->st_ino) {
        b->user = other;
    }
}

/*
 * Two devices on one file would share the label area and the UUID (and
 * the data): refused, as QEMU refuses a busy memdev.
 */
static bool check_not_busy(SpaprNvdimm *nv, const struct stat *st,
                           GError **errp)
{
    BusyCheck b = { .self = nv, .st = st };

    spapr_machine_foreach_device(nv->m, busy_check_one, &b);
    if (b.user) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_EXISTS,
                    "nvdimm backend '%s' is already used by nvdimm '%s'",
                    nv->mem_path, b.user->parent.id);
        return false;
    }
    return true;
}

/* Open the backend file; *created if this call made it. */
static int open_backend_fd(SpaprNvdimm *nv, bool *created, GError **errp)
{
    int fd = -1;

    *created = false;
    if (!nv->readonly) {
        /* Know whether the file is ours, to remove it if sizing fails */
        fd = open(nv->mem_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        *created = fd >= 0;
    }
    if (fd < 0) {
        fd = open(nv->mem_path,
                  (nv->readonly ? O_RDONLY : O_RDWR | O_CREAT) | O_CLOEXEC,
                  0600);
    }
    if (fd < 0) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                    "cannot open nvdimm backend '%s': %s", nv->mem_path,
                    g_strerror(errno));
    }
    return fd;
}

/*
 * The open file must be a regular file no other nvdimm uses, of the
 * configured size (*size 0: the file's), or empty (*file_size 0).
 */
static bool check_file(SpaprNvdimm *nv, int fd, uint64_t *size,
                       uint64_t *file_size, GError **errp)
{
    struct stat st;

    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                    "nvdimm backend '%s' is not a regular file",
                    nv->mem_path);
        return false;
    }
    if (!check_not_busy(nv, &st, errp)) {
        return false;
    }
    nv->file_dev = st.st_dev;
    nv->file_ino = st.st_ino;
    *file_size = st.st_size;
    if (*size == 0) {
        *size = st.st_size;
    }
    if (!check_geometry(*size, nv->label_size, errp)) {
        g_prefix_error(errp, "nvdimm backend '%s': ", nv->mem_path);
        return false;
    }
    if (*file_size != 0 && *file_size != *size) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "nvdimm backend '%s' holds %" PRIu64 " bytes but the "
                    "device is configured with %" PRIu64, nv->mem_path,
                    *file_size, *size);
        return false;
    }
    return true;
}

/* Size an empty file, and with prealloc=on allocate its blocks. */
static bool size_file(SpaprNvdimm *nv, int fd, uint64_t size,
                      uint64_t file_size, GError **errp)
{
    int ret;

    if (file_size == 0) {
        if (nv->readonly) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                        "read-only nvdimm backend '%s' is empty",
                        nv->mem_path);
            return false;
        }
        if (ftruncate(fd, size) < 0) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                        "cannot size nvdimm backend '%s' to %" PRIu64
                        ": %s", nv->mem_path, size, g_strerror(errno));
            return false;
        }
    }
    if (!nv->prealloc || nv->readonly) {
        return true;
    }
    /*
     * prealloc=on: reserve every block now, so a full file system is an
     * error here and not a failed store later (holes are filled, data
     * already in the file is kept).
     */
    ret = posix_fallocate(fd, 0, size);
    if (ret) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                    "cannot preallocate %" PRIu64 " bytes for nvdimm "
                    "backend '%s': %s", size, nv->mem_path, g_strerror(ret));
        return false;
    }
    return true;
}

/*
 * A new or empty file is sized to @size (sparse: costs nothing until
 * touched).  An existing non-empty file must have exactly the configured
 * size, else the label area would silently move; size 0 in the
 * configuration means "the file's size".
 */
static bool open_file(SpaprNvdimm *nv, uint64_t *size, GError **errp)
{
    uint64_t file_size;
    bool created;
    void *p;
    int fd = open_backend_fd(nv, &created, errp);

    if (fd < 0) {
        return false;
    }
    if (!check_file(nv, fd, size, &file_size, errp) ||
        !size_file(nv, fd, *size, file_size, errp)) {
        goto fail;
    }
    /*
     * Read-only: a private mapping, so a guest store to the bound region
     * lands in a private copy instead of faulting the host process.
     */
    p = mmap(NULL, *size, PROT_READ | PROT_WRITE,
             nv->readonly ? MAP_PRIVATE | MAP_NORESERVE : MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                    "cannot map nvdimm backend '%s': %s", nv->mem_path,
                    g_strerror(errno));
        goto fail;
    }
    nv->fd = fd;
    nv->host = p;
    return true;
fail:
    close(fd);
    if (created) {
        /* Never leave an empty (or half-sized) file we created behind */
        unlink(nv->mem_path);
    }
    return false;
}

/* ---- The state file: UUID, label size, dirty-shutdown count ---- */

/*
 * Written to <state>.tmp, synced and renamed: never torn.  A fixed
 * temporary name (not g_file_set_contents()'s random one), so that the
 * leftover of a process killed in between is found in O(1) at the next
 * open: scanning the directory per device made 4096 devices in one
 * directory start 4x slower.
 */
static bool state_write(const char *path, const char *data, size_t len,
                        GError **errp)
{
    g_autofree char *tmp = g_strconcat(path, ".tmp", NULL);
    size_t done = 0;
    int fd, err = 0;

    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        err = errno;
        goto fail;
    }
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            err = n < 0 ? errno : EIO;
            break;
        }
        done += n;
    }
    /*
     * As g_file_set_contents(): sync before replacing an existing file;
     * a new one has nothing to protect (a crash leaves no state, as if
     * the device had never been opened).
     */
    if (!err && g_file_test(path, G_FILE_TEST_EXISTS) && fsync(fd) < 0) {
        err = errno;
    }
    if (close(fd) < 0 && !err) {
        err = errno;
    }
    if (!err && rename(tmp, path) < 0) {
        err = errno;
    }
    if (!err) {
        return true;
    }
    unlink(tmp);
fail:
    g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                "cannot write nvdimm state file '%s': %s", path,
                g_strerror(err));
    return false;
}

static bool state_save(SpaprNvdimm *nv, bool open, GError **errp)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *data = NULL;
    gsize len;

    g_key_file_set_string(kf, STATE_GROUP, "uuid", nv->uuid);
    g_key_file_set_uint64(kf, STATE_GROUP, "label-size", nv->label_size);
    g_key_file_set_uint64(kf, STATE_GROUP, "dirty-shutdown-count",
                          spapr_nvdimm_persistence_failed_count(nv));
    g_key_file_set_boolean(kf, STATE_GROUP, "open", open);
    data = g_key_file_to_data(kf, &len, NULL);
    return state_write(nv->state_path, data, len, errp);
}

/*
 * A process killed while saving leaves <state>.tmp behind.  We own the
 * backend once it is open (a busy one is refused), so it is ours to
 * remove.
 */
static void state_remove_stale_temp(SpaprNvdimm *nv)
{
    g_autofree char *tmp = g_strconcat(nv->state_path, ".tmp", NULL);

    unlink(tmp);
}

static void set_uuid(SpaprNvdimm *nv, const char *given)
{
    g_autofree char *gen = given ? NULL : g_uuid_string_random();

    g_strlcpy(nv->uuid, given ? given : gen, sizeof(nv->uuid));
}

static bool state_load(SpaprNvdimm *nv, const char *cfg_uuid, GError **errp)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) err = NULL;
    g_autofree char *uuid = NULL;
    uint64_t label_size;

    if (!g_key_file_load_from_file(kf, nv->state_path, G_KEY_FILE_NONE,
                                   &err)) {
        if (!g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
            g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_IO,
                        "nvdimm state file '%s': %s", nv->state_path,
                        err->message);
            return false;
        }
        /* First use of this backend */
        set_uuid(nv, cfg_uuid);
        return true;
    }
    uuid = g_key_file_get_string(kf, STATE_GROUP, "uuid", NULL);
    label_size = g_key_file_get_uint64(kf, STATE_GROUP, "label-size", NULL);
    if (!uuid || !g_uuid_string_is_valid(uuid)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "nvdimm state file '%s' has no valid uuid",
                    nv->state_path);
        return false;
    }
    if (label_size && label_size != nv->label_size) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "nvdimm backend '%s' was created with a %" PRIu64
                    "-byte label area, not %" PRIu64,
                    nv->mem_path ? nv->mem_path : nv->state_path,
                    label_size, nv->label_size);
        return false;
    }
    /* A UUID given on the command line wins and is persisted */
    g_strlcpy(nv->uuid, cfg_uuid ? cfg_uuid : uuid, sizeof(nv->uuid));
    nv->persistence_failed_count =
        g_key_file_get_uint64(kf, STATE_GROUP, "dirty-shutdown-count", NULL);
    if (g_key_file_get_boolean(kf, STATE_GROUP, "open", NULL)) {
        /* The previous user never closed it: count a dirty shutdown */
        nv->persistence_failed_count++;
    }
    return true;
}

/* ---- Device lifecycle ---- */

static void nvdimm_release(SpaprNvdimm *nv)
{
    if (nv->flush) {
        spapr_nvdimm_flush_free_(nv->flush);
    }
    spapr_nvdimm_bind_cleanup_(nv);
    if (nv->host && !nv->host_owned) {
        munmap(nv->host, nv->size);
    }
    if (nv->fd >= 0 && !nv->host_owned) {
        close(nv->fd);
    }
    g_free(nv->mem_path);
    g_free(nv->state_path);
    g_mutex_clear(&nv->label_lock);
    g_mutex_clear(&nv->bindings_lock);
    spapr_device_cleanup(&nv->parent);
    g_free(nv->cpu_stats);
    g_free(nv);
}

static void spapr_nvdimm_reset(SpaprDevice *dev)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    SpaprMachine *m = nv->m;
    int64_t t0 = spapr_machine_clock_ns(m);

    /* A flush the guest asked for still completes; its token dies */
    spapr_nvdimm_flush_drain_(nv->flush, true);
    /* A reset guest starts unbound and binds again (PAPR: after IPL) */
    spapr_nvdimm_bind_reset_(nv);
    nvdimm_stat_add(nv, NVDIMM_STAT_RESET_COUNT, 1);
    nvdimm_stat_add(nv, NVDIMM_STAT_RESET_TIME,
                    spapr_machine_clock_ns(m) - t0);
}

static void spapr_nvdimm_finalize(SpaprDevice *dev)
{
    SpaprNvdimm *nv = spapr_nvdimm_from_device(dev);
    g_autoptr(GError) err = NULL;

    spapr_nvdimm_flush_drain_(nv->flush, true);
    g_mutex_lock(&nv->bindings_lock);
    spapr_nvdimm_unbind_all_(nv, UINT_MAX, NULL);
    g_mutex_unlock(&nv->bindings_lock);
    if (!nv->readonly) {
        /* Clean only once everything reached the file */
        if (nv->fd >= 0 && fdatasync(nv->fd) < 0) {
            spapr_machine_log(nv->m, SPAPR_LOG_ERROR,
                              "nvdimm '%s': final sync failed: %s",
                              dev->id, g_strerror(errno));
        } else if (nv->state_path &&
                   /* next-start-dirty: stays "open", counted next time */
                   !state_save(nv, spapr_nvdimm_next_start_dirty(nv),
                               &err)) {
            spapr_machine_log(nv->m, SPAPR_LOG_ERROR, "nvdimm '%s': %s",
                              dev->id, err->message);
        }
    }
    if (nv->drc && nv->drc->dev == dev) {
        papr_drc_detach(nv->drc);
    }
    nvdimm_release(nv);
}

static const SpaprDeviceClass spapr_nvdimm_class = {
    .type = SPAPR_NVDIMM_TYPE,
    .reset = spapr_nvdimm_reset,
    .finalize = spapr_nvdimm_finalize,
    .state_key = spapr_nvdimm_state_key_,
    .save_state = spapr_nvdimm_save_state_,
    .load_state = spapr_nvdimm_load_state_,
};

/* The configuration on its own, before anything is opened. */
static bool check_config(SpaprMachine *m, const SpaprNvdimmConfig *cfg,
                         GError **errp)
{
    if (!cfg->id || !*cfg->id) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "an nvdimm needs an id");
        return false;
    }
    if (cfg->uuid && !g_uuid_string_is_valid(cfg->uuid)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "nvdimm '%s': '%s' is not a UUID", cfg->id, cfg->uuid);
        return false;
    }
    if (spapr_machine_find_device(m, cfg->id)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_EXISTS,
                    "duplicate device id '%s'", cfg->id);
        return false;
    }
    if (cfg->state_path && !cfg->host) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "nvdimm '%s': a state path is for a host-supplied "
                    "backend (a file backend keeps <file>.state)", cfg->id);
        return false;
    }
    if (cfg->host && (cfg->mem_path || cfg->readonly)) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "nvdimm '%s': a host-supplied backend excludes a "
                    "mem_path and read-only", cfg->id);
        return false;
    }
    if ((!cfg->mem_path || cfg->size) &&
        !check_geometry(cfg->size, cfg->label_size, errp)) {
        g_prefix_error(errp, "nvdimm '%s': ", cfg->id);
        return false;
    }
    return true;
}

/* A device with no backend yet. */
static SpaprNvdimm *nvdimm_new(SpaprMachine *m, const SpaprNvdimmConfig *cfg)
{
    SpaprNvdimm *nv = g_new0(SpaprNvdimm, 1);

    spapr_device_init(&nv->parent, &spapr_nvdimm_class, cfg->id);
    nv->m = m;
    nv->fd = -1;
    g_mutex_init(&nv->label_lock);
    g_mutex_init(&nv->bindings_lock);
    nv->label_size = cfg->label_size;
    nv->unarmed = cfg->unarmed;
    nv->readonly = cfg->readonly;
    nv->prealloc = cfg->prealloc;
    nv->numa_node = cfg->numa_node;
    nv->created_ns = spapr_machine_clock_ns(m);
    nv->nr_cpu_stats = spapr_machine_nr_cpus(m);
    nv->cpu_stats = g_new0(NvdimmCpuStats, nv->nr_cpu_stats);
    nv->bind_chunk_blocks = SPAPR_NVDIMM_BIND_CHUNK_BLOCKS;
    nv->health = cfg->unarmed ? SPAPR_NVDIMM_HEALTH_UNARMED : 0;
    spapr_nvdimm_fault_init_(nv);
    return nv;
}

/* The host mapped it; flushes sync its file when there is one. */
static bool open_host_backend(SpaprNvdimm *nv, const SpaprNvdimmConfig *cfg,
                              GError **errp)
{
    nv->host = cfg->host;
    nv->fd = cfg->host_fd >= 0 ? cfg->host_fd : -1;
    nv->host_owned = true;
    nv->size = cfg->size;
    nv->hcall_flush = cfg->hcall_flush;
    if (!cfg->state_path) {
        set_uuid(nv, cfg->uuid);
        return true;
    }
    /* The host's backend, our persistence record */
    nv->state_path = g_strdup(cfg->state_path);
    state_remove_stale_temp(nv);
    return state_load(nv, cfg->uuid, errp) && state_save(nv, true, errp);
}

static bool open_file_backend(SpaprNvdimm *nv, const SpaprNvdimmConfig *cfg,
                              GError **errp)
{
    uint64_t size = cfg->size;

    nv->mem_path = g_strdup(cfg->mem_path);
    nv->state_path = g_strdup_printf("%s.state", cfg->mem_path);
    nv->hcall_flush = cfg->hcall_flush;
    if (!open_file(nv, &size, errp)) {
        return false;
    }
    nv->size = size;
    if (!nv->readonly) {
        state_remove_stale_temp(nv);
    }
    if (!state_load(nv, cfg->uuid, errp)) {
        return false;
    }
    return nv->readonly || state_save(nv, true, errp);
}

static bool open_ram_backend(SpaprNvdimm *nv, const SpaprNvdimmConfig *cfg,
                             GError **errp)
{
    nv->size = cfg->size;
    /* Nothing to flush to: never ask the guest for H_SCM_FLUSH */
    nv->hcall_flush = false;
    if (!open_ram(nv, errp)) {
        return false;
    }
    set_uuid(nv, cfg->uuid);
    return true;
}

/* Into a PMEM DRC (created if needed), and into the machine. */
static bool plug(SpaprNvdimm *nv, uint32_t slot, GError **errp)
{
    SpaprMachine *m = nv->m;

    if (!pick_slot(m, slot, &nv->drc, &nv->drc_created, errp)) {
        return false;
    }
    if (papr_drc_attach(nv->drc, &nv->parent, errp)) {
        if (spapr_machine_add_device(m, &nv->parent, errp)) {
            return true;
        }
        papr_drc_detach(nv->drc);
    }
    if (nv->drc_created) {
        papr_drc_delete(spapr_machine_drcs(m), nv->drc->index, NULL);
    }
    return false;
}

SpaprNvdimm *spapr_nvdimm_create(SpaprMachine *m,
                                 const SpaprNvdimmConfig *cfg,
                                 GError **errp)
{
    SpaprNvdimm *nv;
    bool ok;

    if (!check_config(m, cfg, errp)) {
        return NULL;
    }
    nv = nvdimm_new(m, cfg);
    if (cfg->host) {
        ok = open_host_backend(nv, cfg, errp);
    } else if (cfg->mem_path) {
        ok = open_file_backend(nv, cfg, errp);
    } else {
        ok = open_ram_backend(nv, cfg, errp);
    }
    if (!ok) {
        nvdimm_release(nv);
        return NULL;
    }
    nv->data_size = nv->size - nv->label_size;
    nv->nr_blocks = nv->data_size / SPAPR_SCM_BLOCK_SIZE;
    spapr_nvdimm_bind_init_(nv);
    nv->flush = spapr_nvdimm_flush_new_(nv);
    if (!plug(nv, cfg->slot, errp)) {
        nvdimm_release(nv);
        return NULL;
    }
    trace_spapr_nvdimm_create(m, cfg->id, nv->drc->index, nv->nr_blocks,
                              nv->label_size, nv->fd >= 0);
    return nv;
}

/* ---- Properties ---- */

const char *spapr_nvdimm_id(const SpaprNvdimm *nv)
{
    return nv->parent.id;
}

uint32_t spapr_nvdimm_drc_index(const SpaprNvdimm *nv)
{
    return nv->drc->index;
}

uint64_t spapr_nvdimm_block_size(const SpaprNvdimm *nv)
{
    return SPAPR_SCM_BLOCK_SIZE;
}

uint64_t spapr_nvdimm_nr_blocks(const SpaprNvdimm *nv)
{
    return nv->nr_blocks;
}

uint64_t spapr_nvdimm_label_size(const SpaprNvdimm *nv)
{
    return nv->label_size;
}

const char *spapr_nvdimm_uuid(const SpaprNvdimm *nv)
{
    return nv->uuid;
}

bool spapr_nvdimm_hcall_flush_required(const SpaprNvdimm *nv)
{
    return nv->hcall_flush;
}

uint32_t spapr_nvdimm_numa_node(const SpaprNvdimm *nv)
{
    return nv->numa_node;
}

uint64_t spapr_nvdimm_persistence_failed_count(const SpaprNvdimm *nv)
{
    return __atomic_load_n(&nv->persistence_failed_count, __ATOMIC_RELAXED);
}

bool spapr_nvdimm_set_persistence_failed_count(SpaprNvdimm *nv,
                                               uint64_t count,
                                               GError **errp)
{
    __atomic_store_n(&nv->persistence_failed_count, count,
                     __ATOMIC_RELAXED);
    trace_spapr_nvdimm_inject(nv->m, nv->parent.id, "dirty-shutdown-count",
                              count);
    if (nv->state_path && !nv->readonly) {
        return state_save(nv, true, errp);
    }
    return true;
}

bool spapr_nvdimm_set_next_start_dirty(SpaprNvdimm *nv, bool dirty,
                                       GError **errp)
{
    if (!nv->state_path || nv->readonly) {
        g_set_error(errp, SPAPR_ERROR, SPAPR_ERROR_INVALID,
                    "nvdimm '%s' keeps no persistence record (%s)",
                    nv->parent.id, nv->readonly ? "read-only" :
                    nv->host_owned ? "host-supplied backend" : "RAM");
        return false;
    }
    __atomic_store_n(&nv->next_start_dirty, dirty, __ATOMIC_RELAXED);
    trace_spapr_nvdimm_inject(nv->m, nv->parent.id, "next-start-dirty",
                              dirty);
    return true;
}

bool spapr_nvdimm_is_file_backed(const SpaprNvdimm *nv)
{
    return nv->fd >= 0;
}

bool spapr_nvdimm_is_readonly(const SpaprNvdimm *nv)
{
    return nv->readonly;
}

uint64_t spapr_nvdimm_health(const SpaprNvdimm *nv)
{
    return __atomic_load_n(&nv->health, __ATOMIC_RELAXED);
}

void spapr_nvdimm_set_health(SpaprNvdimm *nv, uint64_t bits, uint64_t mask)
{
    uint64_t old = __atomic_load_n(&nv->health, __ATOMIC_RELAXED), new;

    mask &= SPAPR_NVDIMM_HEALTH_BITS;
    do {
        new = (old & ~mask) | (bits & mask);
    } while (!__atomic_compare_exchange_n(&nv->health, &old, new, false,
                                          __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
    trace_spapr_nvdimm_health(nv->m, nv->parent.id, old, new);
}
