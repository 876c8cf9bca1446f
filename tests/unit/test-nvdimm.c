/*
 * spapr-hcall: tests of the spapr-nvdimm device (backends, properties)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "nvdimm-internal.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define TIB (1ULL << 40)
#define LABEL (128 * 1024ULL)

static SpaprMachine *new_machine(void)
{
    SpaprMachineConfig cfg = { .ram_size = 256 * MIB };
    GError *err = NULL;
    SpaprMachine *m = spapr_machine_new(&cfg, &err);

    g_assert_no_error(err);
    return m;
}

static SpaprNvdimm *create(SpaprMachine *m, const char *id,
                           const char *path, uint64_t size,
                           uint64_t label, GError **errp)
{
    SpaprNvdimmConfig cfg = {
        .id = id, .mem_path = path, .size = size, .label_size = label,
        .slot = SPAPR_NVDIMM_SLOT_AUTO, .hcall_flush = path != NULL,
    };

    return spapr_nvdimm_create(m, &cfg, errp);
}

static char *tmp_path(const char *name)
{
    static char *dir;

    if (!dir) {
        dir = g_dir_make_tmp("test-nvdimm-XXXXXX", NULL);
        g_assert_nonnull(dir);
    }
    return g_build_filename(dir, name, NULL);
}

static void remove_backend(const char *path)
{
    g_autofree char *state = g_strdup_printf("%s.state", path);

    unlink(path);
    unlink(state);
}

static void test_ram_backend(void)
{
    SpaprMachine *m = new_machine();
    GError *err = NULL;
    SpaprNvdimm *nv = create(m, "nv0", NULL, GIB + LABEL, LABEL, &err);
    PaprDrc *drc;

    g_assert_no_error(err);
    g_assert_nonnull(nv);
    g_assert_cmpstr(spapr_nvdimm_id(nv), ==, "nv0");
    g_assert_cmphex(spapr_nvdimm_drc_index(nv), ==, 0x90000000);
    g_assert_cmpuint(spapr_nvdimm_block_size(nv), ==, 256 * MIB);
    g_assert_cmpuint(spapr_nvdimm_nr_blocks(nv), ==, 4);
    g_assert_cmpuint(spapr_nvdimm_label_size(nv), ==, LABEL);
    g_assert_true(g_uuid_string_is_valid(spapr_nvdimm_uuid(nv)));
    g_assert_false(spapr_nvdimm_hcall_flush_required(nv));
    g_assert_false(spapr_nvdimm_is_file_backed(nv));
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 0);
    g_assert_true(spapr_nvdimm_find(m, "nv0") == nv);
    drc = papr_drc_by_index(spapr_machine_drcs(m), 0x90000000);
    g_assert_nonnull(drc);
    g_assert_true(drc->dev == (SpaprDevice *)nv);
    g_assert_cmpstr(drc->name, ==, "PMEM 0");

    /* A second device takes the next slot */
    nv = create(m, "nv1", NULL, 256 * MIB + LABEL, LABEL, &err);
    g_assert_no_error(err);
    g_assert_cmphex(spapr_nvdimm_drc_index(nv), ==, 0x90000001);
    spapr_machine_free(m);
}

static void test_health(void)
{
    SpaprMachine *m = new_machine();
    SpaprNvdimmConfig cfg = {
        .id = "nv0", .size = 256 * MIB + LABEL, .label_size = LABEL,
        .slot = 7, .unarmed = true,
        .uuid = "01234567-89ab-cdef-0123-456789abcdef",
    };
    GError *err = NULL;
    SpaprNvdimm *nv = spapr_nvdimm_create(m, &cfg, &err);

    g_assert_no_error(err);
    g_assert_cmphex(spapr_nvdimm_drc_index(nv), ==, 0x90000007);
    g_assert_cmpstr(spapr_nvdimm_uuid(nv), ==, cfg.uuid);
    g_assert_cmphex(spapr_nvdimm_health(nv), ==, PAPR_PPC_BIT(0));
    spapr_nvdimm_set_health(nv, PAPR_PPC_BIT(8) | PAPR_PPC_BIT(4),
                            PAPR_PPC_BIT(8));
    g_assert_cmphex(spapr_nvdimm_health(nv), ==, PAPR_PPC_BIT(0)
                    | PAPR_PPC_BIT(8));
    spapr_nvdimm_set_health(nv, 0, PAPR_PPC_BIT(0));
    g_assert_cmphex(spapr_nvdimm_health(nv), ==, PAPR_PPC_BIT(8));
    spapr_nvdimm_set_health(nv, ~0ULL, SPAPR_NVDIMM_HEALTH_VALID_DEFAULT);
    g_assert_cmphex(spapr_nvdimm_health(nv), ==, 0xffc0000000000000ULL);
    spapr_machine_free(m);
}

typedef struct BadConfig {
    const char *what;
    uint64_t size;
    uint64_t label;
    const char *uuid;
    uint32_t slot;
} BadConfig;

static void test_bad_configs(void)
{
    static const BadConfig bad[] = {
        { "label too small", 256 * MIB + 4096, 4096, NULL, 0 },
        { "label below 128K", 256 * MIB + LABEL - 1, LABEL - 1, NULL, 0 },
        { "data not a block multiple", 300 * MIB + LABEL, LABEL, NULL, 0 },
        { "data empty", LABEL, LABEL, NULL, 0 },
        { "size below label", LABEL - 1, LABEL, NULL, 0 },
        { "size zero", 0, LABEL, NULL, 0 },
        { "label over 4 GiB", 256 * MIB + 8 * GIB, 8 * GIB, NULL, 0 },
        { "bad uuid", 256 * MIB + LABEL, LABEL, "not-a-uuid", 0 },
        { "slot too big", 256 * MIB + LABEL, LABEL, NULL, 1u << 28 },
    };
    SpaprMachine *m = new_machine();
    GError *err = NULL;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        SpaprNvdimmConfig cfg = {
            .id = "bad", .size = bad[i].size, .label_size = bad[i].label,
            .uuid = bad[i].uuid, .slot = bad[i].slot,
        };

        g_test_message("%s", bad[i].what);
        g_assert_null(spapr_nvdimm_create(m, &cfg, &err));
        g_assert_nonnull(err);
        g_clear_error(&err);
    }
    g_assert_null(spapr_nvdimm_find(m, "bad"));
    /* Nothing was left behind: slot 0 is free and usable */
    g_assert_nonnull(create(m, "ok", NULL, 256 * MIB + LABEL, LABEL, &err));
    g_assert_no_error(err);
    /* Duplicate id, occupied slot */
    g_assert_null(create(m, "ok", NULL, 256 * MIB + LABEL, LABEL, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_EXISTS);
    g_clear_error(&err);
    {
        SpaprNvdimmConfig cfg = {
            .id = "other", .size = 256 * MIB + LABEL, .label_size = LABEL,
            .slot = 0,
        };

        g_assert_null(spapr_nvdimm_create(m, &cfg, &err));
        g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_EXISTS);
        g_clear_error(&err);
    }
    spapr_machine_free(m);
}

static void test_file_sparse_1t(void)
{
    g_autofree char *path = NULL;
    SpaprMachine *m;
    GError *err = NULL;
    SpaprNvdimm *nv;
    struct stat st;

#if defined(__SANITIZE_THREAD__)
    /* TSan's fixed address-space layout often has no 1 TiB hole left */
    g_test_skip("a 1 TiB mapping does not fit ThreadSanitizer's layout");
    return;
#endif
    path = tmp_path("big.img");
    m = new_machine();
    remove_backend(path);
    nv = create(m, "big", path, TIB + LABEL, LABEL, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(spapr_nvdimm_nr_blocks(nv), ==, 4096);
    g_assert_true(spapr_nvdimm_hcall_flush_required(nv));
    g_assert_true(spapr_nvdimm_is_file_backed(nv));
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpuint(st.st_size, ==, TIB + LABEL);
    /* Sparse: (almost) nothing allocated */
    g_assert_cmpuint((uint64_t)st.st_blocks * 512, <, 1 * MIB);
    spapr_machine_free(m);
    remove_backend(path);
}

static void test_file_persistence(void)
{
    g_autofree char *path = tmp_path("p.img");
    g_autofree char *uuid = NULL;
    SpaprMachine *m = new_machine();
    GError *err = NULL;
    SpaprNvdimm *nv;
    uint64_t v;

    remove_backend(path);
    nv = create(m, "p", path, 256 * MIB + LABEL, LABEL, &err);
    g_assert_no_error(err);
    uuid = g_strdup(spapr_nvdimm_uuid(nv));
    g_assert_cmpint(spapr_nvdimm_label_write_(nv, NULL, LABEL - 8, 8,
                                             0x0102030405060708ULL), ==,
                    NVDIMM_OK);
    nv->host[12345] = 0xab;
    spapr_machine_free(m);

    /* Reopen with size 0: the file's size is used */
    m = new_machine();
    nv = create(m, "p", path, 0, LABEL, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(spapr_nvdimm_uuid(nv), ==, uuid);
    g_assert_cmpint(spapr_nvdimm_label_read_(nv, NULL, LABEL - 8, 8, &v), ==,
                    NVDIMM_OK);
    g_assert_cmphex(v, ==, 0x0102030405060708ULL);
    g_assert_cmphex(nv->host[12345], ==, 0xab);
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 0);
    spapr_machine_free(m);

    /* Wrong size, wrong label size: refused */
    m = new_machine();
    g_assert_null(create(m, "p", path, 512 * MIB + LABEL, LABEL, &err));
    g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
    g_clear_error(&err);
    g_assert_null(create(m, "p", path, 256 * MIB + LABEL, 2 * LABEL,
                         &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    spapr_machine_free(m);

    /* A process that dies without closing counts as a dirty shutdown */
    if (fork() == 0) {
        m = new_machine();
        create(m, "p", path, 0, LABEL, NULL);
        _exit(0);
    }
    wait(NULL);
    m = new_machine();
    nv = create(m, "p", path, 0, LABEL, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 1);
    spapr_machine_free(m);
    remove_backend(path);
}

static void test_readonly(void)
{
    g_autofree char *path = tmp_path("ro.img");
    SpaprMachine *m = new_machine();
    SpaprNvdimmConfig cfg = {
        .id = "ro", .mem_path = path, .size = 256 * MIB + LABEL,
        .label_size = LABEL, .readonly = true, .slot = 0,
    };
    GError *err = NULL;
    SpaprNvdimm *nv;
    uint64_t v;

    remove_backend(path);
    /* A read-only device needs an existing backend */
    g_assert_null(spapr_nvdimm_create(m, &cfg, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    nv = create(m, "rw", path, 256 * MIB + LABEL, LABEL, &err);
    g_assert_no_error(err);
    spapr_nvdimm_label_write_(nv, NULL, 0, 4, 0xdeadbeef);
    spapr_machine_free(m);

    m = new_machine();
    nv = spapr_nvdimm_create(m, &cfg, &err);
    g_assert_no_error(err);
    g_assert_true(spapr_nvdimm_is_readonly(nv));
    g_assert_cmpint(spapr_nvdimm_label_read_(nv, NULL, 0, 4, &v), ==,
                    NVDIMM_OK);
    g_assert_cmphex(v, ==, 0xdeadbeef);
    g_assert_cmpint(spapr_nvdimm_label_write_(nv, NULL, 0, 4, 1), ==,
                    NVDIMM_READONLY);
    /* A store to the private mapping never reaches the file */
    nv->host[0] = 0x55;
    spapr_machine_free(m);
    m = new_machine();
    nv = create(m, "rw", path, 0, LABEL, &err);
    g_assert_no_error(err);
    g_assert_cmphex(nv->host[0], ==, 0);
    spapr_machine_free(m);
    remove_backend(path);
}

/*
 * A backend the host mapped (QEMU's memory-backend-file): the device uses
 * that memory, syncs the host's descriptor, keeps no state file, and
 * never unmaps or closes what it was given.
 */
static SpaprNvdimm *create_host(SpaprMachine *m, const char *id, void *host,
                                int fd, uint64_t size, GError **errp)
{
    SpaprNvdimmConfig cfg = {
        .id = id, .size = size, .label_size = LABEL, .host = host,
        .host_fd = fd, .hcall_flush = fd >= 0,
        .uuid = "5b2a47b4-9d3c-4c7e-8a3f-2e1d0c9b8a71",
        .slot = SPAPR_NVDIMM_SLOT_AUTO,
    };

    return spapr_nvdimm_create(m, &cfg, errp);
}

static void test_host_backend(void)
{
    g_autofree char *path = tmp_path("host.img");
    g_autofree char *state = g_strdup_printf("%s.state", path);
    uint64_t size = 256 * MIB + LABEL, v;
    SpaprMachine *m = new_machine();
    GError *err = NULL;
    SpaprNvdimm *nv;
    uint8_t *host;
    int fd;

    remove_backend(path);
    fd = open(path, O_RDWR | O_CREAT, 0600);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, size), ==, 0);
    host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    g_assert_true(host != MAP_FAILED);
    host[size - LABEL] = 0x5a;

    nv = create_host(m, "h", host, fd, size, &err);
    g_assert_no_error(err);
    g_assert_true(nv->host == host);
    g_assert_true(spapr_nvdimm_is_file_backed(nv));
    g_assert_true(spapr_nvdimm_hcall_flush_required(nv));
    g_assert_cmpuint(spapr_nvdimm_nr_blocks(nv), ==, 1);
    g_assert_cmpstr(spapr_nvdimm_uuid(nv), ==,
                    "5b2a47b4-9d3c-4c7e-8a3f-2e1d0c9b8a71");
    /* Labels live in the host's memory, at the end of the backend */
    g_assert_cmpint(spapr_nvdimm_label_read_(nv, NULL, 0, 1, &v), ==,
                    NVDIMM_OK);
    g_assert_cmphex(v, ==, 0x5a);
    g_assert_cmpint(spapr_nvdimm_label_write_(nv, NULL, 8, 8,
                                             0x1122334455667788ULL), ==,
                    NVDIMM_OK);
    g_assert_cmphex(host[size - LABEL + 8], ==, 0x11);
    spapr_machine_free(m);

    /* Still mapped and open; no state file next to the host's file */
    host[0] = 0x77;
    g_assert_cmphex(host[size - LABEL + 15], ==, 0x88);
    g_assert_cmpint(fcntl(fd, F_GETFD), !=, -1);
    g_assert_false(g_file_test(state, G_FILE_TEST_EXISTS));

    /* No descriptor: nothing to sync, so no H_SCM_FLUSH is asked for */
    m = new_machine();
    nv = create_host(m, "h", host, -1, size, &err);
    g_assert_no_error(err);
    g_assert_false(spapr_nvdimm_is_file_backed(nv));
    g_assert_false(spapr_nvdimm_hcall_flush_required(nv));
    spapr_machine_free(m);

    /* Refused: with a mem_path, read-only, bad geometry; host kept */
    m = new_machine();
    {
        SpaprNvdimmConfig cfg = {
            .id = "x", .size = size, .label_size = LABEL, .host = host,
            .host_fd = fd, .mem_path = path,
            .slot = SPAPR_NVDIMM_SLOT_AUTO,
        };

        g_assert_null(spapr_nvdimm_create(m, &cfg, &err));
        g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
        g_clear_error(&err);
        cfg.mem_path = NULL;
        cfg.readonly = true;
        g_assert_null(spapr_nvdimm_create(m, &cfg, &err));
        g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
        g_clear_error(&err);
        cfg.readonly = false;
        cfg.size = size + 4096;
        g_assert_null(spapr_nvdimm_create(m, &cfg, &err));
        g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
        g_clear_error(&err);
    }
    spapr_machine_free(m);
    g_assert_cmphex(host[0], ==, 0x77);
    g_assert_cmpint(fcntl(fd, F_GETFD), !=, -1);

    munmap(host, size);
    close(fd);
    remove_backend(path);
}

/* A host-supplied backend with a persistence record at @state. */
static SpaprNvdimm *create_host_record(SpaprMachine *m, void *host, int fd,
                                       uint64_t size, const char *state,
                                       const char *uuid)
{
    SpaprNvdimmConfig cfg = {
        .id = "hr", .size = size, .label_size = LABEL, .host = host,
        .host_fd = fd, .hcall_flush = true, .uuid = uuid,
        .slot = SPAPR_NVDIMM_SLOT_AUTO, .state_path = state,
    };
    GError *err = NULL;
    SpaprNvdimm *nv = spapr_nvdimm_create(m, &cfg, &err);

    g_assert_no_error(err);
    return nv;
}

static void map_host(const char *path, uint64_t size, int *fd,
                     uint8_t **host)
{
    *fd = open(path, O_RDWR | O_CREAT, 0600);
    g_assert_cmpint(*fd, >=, 0);
    g_assert_cmpint(ftruncate(*fd, size), ==, 0);
    *host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
    g_assert_true(*host != MAP_FAILED);
}

/* The child of test_host_record: opens the record, then is killed. */
static int host_record_child(const char *path)
{
    g_autofree char *state = g_strdup_printf("%s.state", path);
    uint64_t size = 256 * MIB + LABEL;
    SpaprMachine *m = new_machine();
    uint8_t *host;
    int fd;

    map_host(path, size, &fd, &host);
    create_host_record(m, host, fd, size, state, NULL);
    kill(getpid(), SIGKILL);
    return 3;
}

/*
 * The QEMU host's persistence record: the same key file, kept by the
 * library for memory the host mapped.  Killed -> the next start counts
 * a dirty shutdown; a clean close does not; next-start-dirty does.
 */
static void test_host_record(void)
{
    g_autofree char *path = tmp_path("hrec.img");
    g_autofree char *state = g_strdup_printf("%s.state", path);
    uint64_t size = 256 * MIB + LABEL;
    SpaprMachine *m;
    SpaprNvdimm *nv;
    uint8_t *host;
    GError *err = NULL;
    int fd, status;
    pid_t pid;

    remove_backend(path);
    map_host(path, size, &fd, &host);
    m = new_machine();
    nv = create_host_record(m, host, fd, size, state,
                            "5b2a47b4-9d3c-4c7e-8a3f-2e1d0c9b8a71");
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 0);
    g_assert_true(g_file_test(state, G_FILE_TEST_EXISTS));
    spapr_machine_free(m);

    /* Clean close: still 0; the UUID is the recorded one */
    m = new_machine();
    nv = create_host_record(m, host, fd, size, state, NULL);
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 0);
    g_assert_cmpstr(spapr_nvdimm_uuid(nv), ==,
                    "5b2a47b4-9d3c-4c7e-8a3f-2e1d0c9b8a71");
    g_assert_true(spapr_nvdimm_set_next_start_dirty(nv, true, NULL));
    spapr_machine_free(m);

    /* Marked dirty by the host: 1 */
    m = new_machine();
    nv = create_host_record(m, host, fd, size, state, NULL);
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 1);
    spapr_machine_free(m);

    /* A process killed with the record open: 2 */
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        execl("/proc/self/exe", "test-nvdimm", "--host-record-child", path,
              NULL);
        _exit(4);
    }
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFSIGNALED(status));
    m = new_machine();
    nv = create_host_record(m, host, fd, size, state, NULL);
    g_assert_cmpuint(spapr_nvdimm_persistence_failed_count(nv), ==, 2);
    spapr_machine_free(m);

    /* A record is only for host-supplied memory */
    m = new_machine();
    {
        SpaprNvdimmConfig cfg = {
            .id = "x", .size = size, .label_size = LABEL,
            .slot = SPAPR_NVDIMM_SLOT_AUTO, .state_path = state,
        };

        g_assert_null(spapr_nvdimm_create(m, &cfg, &err));
        g_assert_error(err, SPAPR_ERROR, SPAPR_ERROR_INVALID);
        g_clear_error(&err);
    }
    spapr_machine_free(m);
    munmap(host, size);
    close(fd);
    remove_backend(path);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--host-record-child")) {
        return host_record_child(argv[2]);
    }
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/nvdimm/ram-backend", test_ram_backend);
    g_test_add_func("/nvdimm/health", test_health);
    g_test_add_func("/nvdimm/bad-configs", test_bad_configs);
    g_test_add_func("/nvdimm/file-sparse-1t", test_file_sparse_1t);
    g_test_add_func("/nvdimm/file-persistence", test_file_persistence);
    g_test_add_func("/nvdimm/readonly", test_readonly);
    g_test_add_func("/nvdimm/host-backend", test_host_backend);
    g_test_add_func("/nvdimm/host-record", test_host_record);
    return g_test_run();
}
