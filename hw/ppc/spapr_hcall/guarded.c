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

/*
 * The body runs between GUARD_BEGIN and GUARD_END; on a fault control
 * returns from GUARD_BEGIN a second time and the function returns false.
 * Locals set before GUARD_BEGIN and not changed after are safe to read.
 */
#define GUARD_BEGIN(jb, prev)                                           \
    do {                                                                \
        spapr_guarded_init();                                           \
        (prev) = guard_jmp;                                             \
        if (sigsetjmp(jb, 0)) {                                         \
            guard_jmp = (prev);                                         \
            guard_faulted = true;                                       \
            unblock_sigbus();                                           \
            return false;                                               \
        }                                                               \
        guard_jmp = &(jb);                                              \
        __atomic_signal_fence(__ATOMIC_SEQ_CST);                        \
    } while (0)

#define GUARD_END(prev)                                                 \
    do {                                                                \
        __atomic_signal_fence(__ATOMIC_SEQ_CST);                        \
        guard_jmp = (prev);                                             \
    } while (0)


bool spapr_guarded_copy(void *dst, const void *src, size_t len)
{
    sigjmp_buf jb;
    sigjmp_buf *prev;

    GUARD_BEGIN(jb, prev);
    memcpy(dst, src, len);
    GUARD_END(prev);
    return true;
}

bool spapr_guarded_fill(void *dst, int c, size_t len)
{
    sigjmp_buf jb;
    sigjmp_buf *prev;

    GUARD_BEGIN(jb, prev);
    memset(dst, c, len);
    GUARD_END(prev);
    return true;
}

/* Out of line, so that nothing the guarded callers own changes after
 * sigsetjmp (no -Wclobbered, no stale register after the jump). */
static __attribute__((noinline)) void load_be(const uint8_t *p,
                                              unsigned int len,
                                              uint64_t *val)
{
    uint64_t v = 0;
    unsigned int i;

    for (i = 0; i < len; i++) {
        v = (v << 8) | __atomic_load_n(&p[i], __ATOMIC_ACQUIRE);
    }
    *val = v;
}

static __attribute__((noinline)) void store_be(uint8_t *p, unsigned int len,
                                               uint64_t val)
{
    unsigned int i;

    for (i = len; i-- > 0;) {
        __atomic_store_n(&p[i], (uint8_t)val, __ATOMIC_RELEASE);
        val >>= 8;
    }
}

bool spapr_guarded_load_be(const uint8_t *p, unsigned int len,
                           uint64_t *val)
{
    sigjmp_buf jb;
    sigjmp_buf *prev;

    GUARD_BEGIN(jb, prev);
    load_be(p, len, val);
    GUARD_END(prev);
    return true;
}

bool spapr_guarded_store_be(uint8_t *p, unsigned int len, uint64_t val)
{
    sigjmp_buf jb;
    sigjmp_buf *prev;

    GUARD_BEGIN(jb, prev);
    store_be(p, len, val);
    GUARD_END(prev);
    return true;
}
