/*
 * spapr-hcall: what the library needs from the program that hosts it
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The library never touches guest memory, clocks or log files directly.
 * The standalone host (host-standalone.h) implements these ops over a
 * SpaprMemMap; the QEMU glue (contrib/qemu/) implements them over QEMU's
 * address space.
 */
#ifndef SPAPR_HCALL_HOST_OPS_H
#define SPAPR_HCALL_HOST_OPS_H

#include "spapr-hcall/types.h"

struct SpaprHostOps {
    /*
     * Copy @len bytes between guest physical memory at @gpa and @buf.
     * Return false, touching nothing, if any byte of the range is not
     * backed by guest memory.  Called from vCPU threads.
     */
    bool (*mem_read)(void *opaque, uint64_t gpa, void *buf, uint64_t len);
    bool (*mem_write)(void *opaque, uint64_t gpa, const void *buf,
                      uint64_t len);

    /*
     * Make @size bytes of host memory at @host visible to the guest at
     * [@gpa, @gpa + @size).  Fails with SPAPR_ERROR_OVERLAP when the range
     * collides with RAM or another mapping.
     */
    bool (*map)(void *opaque, const char *name, uint64_t gpa, uint64_t size,
                void *host, GError **errp);
    /* Undo a map() of exactly [@gpa, @gpa + @size). */
    void (*unmap)(void *opaque, uint64_t gpa, uint64_t size);

    /* Monotonic time in nanoseconds. */
    int64_t (*clock_ns)(void *opaque);

    /* One log line, without a trailing newline. */
    void (*log)(void *opaque, SpaprLogLevel level, const char *msg);

    /*
     * Optional.  The library stored @len bytes into host-supplied backend
     * memory at @host itself (label writes), not through mem_write() or a
     * map()ped range: a host that tracks dirty memory for migration must
     * count them.  Called from vCPU threads.
     */
    void (*mark_dirty)(void *opaque, void *host, uint64_t len);

    /*
     * Optional.  True if no byte of [@gpa, @gpa + @size) is in use in
     * guest physical space (RAM, device memory, MMIO, map()ped ranges),
     * so a map() there would not collide.  The machine asks before it
     * places device memory (SCM binds); without it only the machine's RAM
     * and the library's own records count, and a collision shows up as a
     * map() failure instead.  Called from vCPU threads.
     */
    bool (*range_free)(void *opaque, uint64_t gpa, uint64_t size);
};

#endif
