/*
 * A model of the Linux papr_scm driver's hcall loops
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The way Linux (drivers/nvdimm/papr_scm.c) re-issues the SCM hcalls
 * with their continue token, kept in one place as QEMU keeps its guest
 * drivers in libqos: the spapr-hv replay, the tests and the benchmarks
 * all drive the device like this guest does.
 *
 * Free of transport: every hcall goes through the caller's @hcall (a
 * direct spapr_hcall(), a qtest socket, a logging wrapper), which also
 * sees every call's outputs.  Uses only the public hcall-defs.h.
 */
#ifndef PAPR_SCM_GUEST_H
#define PAPR_SCM_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define PAPR_SCM_GUEST_NR_ARGS  9       /* r4..r12 */

typedef struct PaprScmGuest {
    /* Issue @opcode with @args (r4..r12, in and out); return r3 */
    int64_t (*hcall)(void *opaque, uint64_t opcode, uint64_t *args);
    /*
     * Before a retry after @rc (H_BUSY or an H_LONG_BUSY_*) in the loops
     * where Linux may sleep (unbind, flush); NULL: retry at once.
     */
    void (*wait)(void *opaque, int64_t rc);
    void *opaque;
    unsigned int max_calls;     /* hcalls per loop; 0: no limit */
    unsigned int calls;         /* out: the hcalls the last loop issued */
} PaprScmGuest;

/*
 * drc_pmem_bind(): H_SCM_BIND_MEM of @blocks blocks from @start at
 * @target, again with the token while H_BUSY.  *@gpa is the first
 * non-zero address returned in r5 (0 if none).  Returns the last status.
 */
int64_t papr_scm_guest_bind(PaprScmGuest *g, uint32_t drc, uint64_t start,
                            uint64_t blocks, uint64_t target,
                            uint64_t *gpa);
/*
 * H_SCM_UNBIND_MEM of @blocks blocks bound at @gpa, token in r7, again
 * while busy (H_BUSY or long busy; @wait before each retry).
 */
int64_t papr_scm_guest_unbind(PaprScmGuest *g, uint32_t drc, uint64_t gpa,
                              uint64_t blocks);
/* drc_pmem_unbind(): H_SCM_UNBIND_ALL of @scope (and @drc) while busy. */
int64_t papr_scm_guest_unbind_all(PaprScmGuest *g, uint64_t scope,
                                  uint32_t drc);
/* papr_scm_pmem_flush(): H_SCM_FLUSH with its token while busy. */
int64_t papr_scm_guest_flush(PaprScmGuest *g, uint32_t drc);

#endif
