/*
 * A model of the Linux papr_scm driver's hcall loops
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "papr-scm-guest.h"
#include "spapr-hcall/hcall-defs.h"

typedef struct ScmLoop {
    uint64_t opcode;
    uint64_t in[PAPR_SCM_GUEST_NR_ARGS];    /* the arguments but the token */
    unsigned int token_reg;                 /* index in @in: r4 + this */
    bool long_busy;                         /* retried too, with waits */
} ScmLoop;

/*
 * Issue @l until the status is no longer busy, passing back the token
 * each call returned in r4.  *@r5 (if not NULL) keeps the first non-zero
 * r5 any call returned.
 */
static int64_t scm_loop(PaprScmGuest *g, const ScmLoop *l, uint64_t *r5)
{
    uint64_t a[PAPR_SCM_GUEST_NR_ARGS], token = 0;
    bool again;
    int64_t rc;

    g->calls = 0;
    do {
        memcpy(a, l->in, sizeof(a));
        a[l->token_reg] = token;
        rc = g->hcall(g->opaque, l->opcode, a);
        g->calls++;
        token = a[0];
        if (r5 && !*r5) {
            *r5 = a[1];
        }
        again = rc == PAPR_H_BUSY ||
                (l->long_busy && PAPR_H_IS_LONG_BUSY(rc));
        if (again && l->long_busy && g->wait) {
            g->wait(g->opaque, rc);
        }
    } while (again && (!g->max_calls || g->calls < g->max_calls));
    return rc;
}

int64_t papr_scm_guest_bind(PaprScmGuest *g, uint32_t drc, uint64_t start,
                            uint64_t blocks, uint64_t target,
                            uint64_t *gpa)
{
    /* Linux only reschedules between binds: no wait */
    ScmLoop l = {
        PAPR_H_SCM_BIND_MEM, { drc, start, blocks, target }, 4, false,
    };

    *gpa = 0;
    return scm_loop(g, &l, gpa);
}

int64_t papr_scm_guest_unbind(PaprScmGuest *g, uint32_t drc, uint64_t gpa,
                              uint64_t blocks)
{
    ScmLoop l = { PAPR_H_SCM_UNBIND_MEM, { drc, gpa, blocks }, 3, true };

    return scm_loop(g, &l, NULL);
}

int64_t papr_scm_guest_unbind_all(PaprScmGuest *g, uint64_t scope,
                                  uint32_t drc)
{
    ScmLoop l = { PAPR_H_SCM_UNBIND_ALL, { scope, drc }, 2, true };

    return scm_loop(g, &l, NULL);
}

int64_t papr_scm_guest_flush(PaprScmGuest *g, uint32_t drc)
{
    ScmLoop l = { PAPR_H_SCM_FLUSH, { drc }, 1, true };

    return scm_loop(g, &l, NULL);
}
