/*
 * spapr-hcall: host memory accesses that survive a bad page (SIGBUS)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each guarded access sets a per-thread jump buffer; the SIGBUS handler
 * jumps back to it.  sigsetjmp(.., 0) saves no signal mask (no system
 * call: a label read stays in the tens of ns); the handler runs with
 * SA_NODEFER, and the fault path unblocks SIGBUS in case a wrapper ran
 * the handler with it blocked.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include "spapr-hcall/guarded.h"

/*
 * initial-exec: the handler must not call __tls_get_addr (not
 * async-signal-safe).  Per-thread, so no locking.
 */
#define GUARD_TLS __thread __attribute__((tls_model("initial-exec")))

static GUARD_TLS sigjmp_buf *guard_jmp;
static GUARD_TLS bool guard_faulted;

/* Written once under guard_once, before the handler can run. */
static struct sigaction guard_old;
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;

static void guard_handler(int sig, siginfo_t *si, void *uc)
{
    sigjmp_buf *jb = guard_jmp;

    if (jb) {
        guard_jmp = NULL;
        siglongjmp(*jb, 1);
    }
    /* Not a guarded access: whatever would have happened without us */
    if (guard_old.sa_flags & SA_SIGINFO) {
        if (guard_old.sa_sigaction) {
            guard_old.sa_sigaction(sig, si, uc);
            return;
        }
    } else if (guard_old.sa_handler != SIG_DFL &&
               guard_old.sa_handler != SIG_IGN) {
        guard_old.sa_handler(sig);
        return;
    }
    /* The faulting access runs again and the default action kills us */
    signal(SIGBUS, SIG_DFL);
}

static void guard_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = guard_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &guard_old);
}

void spapr_guarded_init(void)
{
    pthread_once(&guard_once, guard_install);
}

/*
 * After the jump: SA_NODEFER keeps SIGBUS unblocked in our handler, but a
 * host (or a sanitizer) that wraps signal handlers may run ours with it
 * blocked, and a second fault while it is blocked kills the process.
 * Only on the fault path: the fast path makes no system call.
 */
static void unblock_sigbus(void)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGBUS);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

bool spapr_guarded_take_fault(void)
{
    bool f = guard_faulted;

    guard_faulted = false;
    return f;
}

/* One guarded operation, described so that a single function runs all. */
typedef enum GuardKind {
    GUARD_COPY,
    GUARD_FILL,
    GUARD_LOAD_BE,
    GUARD_STORE_BE,
} GuardKind;

typedef struct GuardOp {
    GuardKind kind;
    void *dst;
    const void *src;
    size_t len;
    uint64_t val;               /* fill byte, value to store, value loaded */
} GuardOp;

/*
 * Out of line, so that nothing the guarded caller owns changes after
 * sigsetjmp (no -Wclobbered, no stale register after the jump).  Label
 * bytes use acquire loads and release stores (see guarded.h).
 */
static __attribute__((noinline)) void guard_run(GuardOp *op)
{
    uint8_t *d = op->dst;
    const uint8_t *p = op->src;
    uint64_t v = 0;
    size_t i;

    switch (op->kind) {
    case GUARD_COPY:
        memcpy(op->dst, op->src, op->len);
        break;
    case GUARD_FILL:
        memset(op->dst, (int)op->val, op->len);
        break;
    case GUARD_LOAD_BE:
        for (i = 0; i < op->len; i++) {
            v = (v << 8) | __atomic_load_n(&p[i], __ATOMIC_ACQUIRE);
        }
        op->val = v;
        break;
    case GUARD_STORE_BE:
        v = op->val;
        for (i = op->len; i-- > 0;) {
            __atomic_store_n(&d[i], (uint8_t)v, __ATOMIC_RELEASE);
            v >>= 8;
        }
        break;
    }
}

/*
 * Run @op; on a fault control returns from sigsetjmp a second time and
 * we answer false.  Only @jb, @prev and @op are live across the jump,
 * and none changes after sigsetjmp.
 */
static bool guarded(GuardOp *op)
{
    sigjmp_buf jb;
    sigjmp_buf *prev;

    spapr_guarded_init();
    prev = guard_jmp;
    if (sigsetjmp(jb, 0)) {
        guard_jmp = prev;
        guard_faulted = true;
        unblock_sigbus();
        return false;
    }
    guard_jmp = &jb;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    guard_run(op);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    guard_jmp = prev;
    return true;
}

bool spapr_guarded_copy(void *dst, const void *src, size_t len)
{
    GuardOp op = { GUARD_COPY, dst, src, len, 0 };

    return guarded(&op);
}

bool spapr_guarded_fill(void *dst, int c, size_t len)
{
    GuardOp op = { GUARD_FILL, dst, NULL, len, (uint8_t)c };

    return guarded(&op);
}

bool spapr_guarded_load_be(const uint8_t *p, unsigned int len,
                           uint64_t *val)
{
    GuardOp op = { GUARD_LOAD_BE, NULL, p, len, 0 };

    if (!guarded(&op)) {
        return false;
    }
    *val = op.val;
    return true;
}

bool spapr_guarded_store_be(uint8_t *p, unsigned int len, uint64_t val)
{
    GuardOp op = { GUARD_STORE_BE, p, NULL, len, val };

    return guarded(&op);
}
