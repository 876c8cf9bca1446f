/*
 * spapr-hcall: big-endian guest memory accessors
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * PAPR memory buffers are big-endian whatever mode the guest runs in.
 * Every access is bounds-checked by the host's mem_read/mem_write.
 */
#include "internal.h"

bool spapr_guest_read(SpaprMachine *m, uint64_t gpa, void *buf, uint64_t len)
{
    bool ok;

    /* A stale fault of this thread must not be blamed on this access */
    spapr_guarded_take_fault();
    ok = m->ops->mem_read(m->opaque, gpa, buf, len);
    if (G_UNLIKELY(__atomic_load_n(&m->recording, __ATOMIC_RELAXED)) && ok) {
        spapr_record_mem_(m, false, gpa, buf, len);
    }
    return ok;
}

bool spapr_guest_write(SpaprMachine *m, uint64_t gpa, const void *buf,
                       uint64_t len)
{
    bool ok;

    spapr_guarded_take_fault();
    ok = m->ops->mem_write(m->opaque, gpa, buf, len);
    if (G_UNLIKELY(__atomic_load_n(&m->recording, __ATOMIC_RELAXED)) && ok) {
        spapr_record_mem_(m, true, gpa, buf, len);
    }
    return ok;
}

int64_t spapr_guest_access_status_(SpaprMachine *m, uint64_t gpa,
                                  int64_t unmapped)
{
    if (!spapr_guarded_take_fault()) {
        return unmapped;
    }
    spapr_machine_log(m, SPAPR_LOG_ERROR, "guest memory at 0x%" PRIx64
                      ": host page fault (backing file truncated or its "
                      "file system full)", gpa);
    return PAPR_H_HARDWARE;
}

bool spapr_guest_ldn_be(SpaprMachine *m, uint64_t gpa, unsigned int size,
                        uint64_t *val)
{
    uint8_t b[8];

    if (size != 1 && size != 2 && size != 4 && size != 8) {
        return false;
    }
    if (!spapr_guest_read(m, gpa, b, size)) {
        return false;
    }
    *val = spapr_ldn_be(b, size);
    return true;
}

bool spapr_guest_stn_be(SpaprMachine *m, uint64_t gpa, unsigned int size,
                        uint64_t val)
{
    uint8_t b[8];

    if (size != 1 && size != 2 && size != 4 && size != 8) {
        return false;
    }
    spapr_stn_be(b, size, val);
    return spapr_guest_write(m, gpa, b, size);
}

#define DEFINE_LD(fn, type, size)                                       \
bool fn(SpaprMachine *m, uint64_t gpa, type *val)                       \
{                                                                       \
    uint64_t v;                                                         \
                                                                        \
    if (!spapr_guest_ldn_be(m, gpa, size, &v)) {                        \
        return false;                                                   \
    }                                                                   \
    *val = (type)v;                                                     \
    return true;                                                        \
}

#define DEFINE_ST(fn, type, size)                                       \
bool fn(SpaprMachine *m, uint64_t gpa, type val)                        \
{                                                                       \
    return spapr_guest_stn_be(m, gpa, size, val);                       \
}

DEFINE_LD(spapr_guest_ldub, uint8_t, 1)
DEFINE_LD(spapr_guest_lduw_be, uint16_t, 2)
DEFINE_LD(spapr_guest_ldl_be, uint32_t, 4)
DEFINE_LD(spapr_guest_ldq_be, uint64_t, 8)
DEFINE_ST(spapr_guest_stb, uint8_t, 1)
DEFINE_ST(spapr_guest_stw_be, uint16_t, 2)
DEFINE_ST(spapr_guest_stl_be, uint32_t, 4)
DEFINE_ST(spapr_guest_stq_be, uint64_t, 8)
