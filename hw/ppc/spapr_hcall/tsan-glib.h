/*
 * spapr-hcall: GLib locks made visible to ThreadSanitizer
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Debian's GLib is not built with -fsanitize=thread, and on Linux its
 * GMutex and GCond are futexes, not pthread calls TSan intercepts: every
 * access the library makes under a GMutex would be reported as a race.
 * Rather than suppress reports about our own code, a TSan build of the
 * library annotates each lock operation with the happens-before edge it
 * implies (__tsan_acquire/__tsan_release on the mutex).  GRWLock and
 * GThread are pthread-based and need nothing.  Other builds compile the
 * plain GLib calls: this header is then empty.
 */
#ifndef SPAPR_HCALL_TSAN_GLIB_H
#define SPAPR_HCALL_TSAN_GLIB_H

#if defined(__SANITIZE_THREAD__)
#define SPAPR_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SPAPR_TSAN 1
#endif
#endif

#ifdef SPAPR_TSAN
#include <glib.h>
#include <sanitizer/tsan_interface.h>

static inline void spapr_tsan_mutex_lock(GMutex *m)
{
    g_mutex_lock(m);
    __tsan_acquire(m);
}

static inline void spapr_tsan_mutex_unlock(GMutex *m)
{
    __tsan_release(m);
    g_mutex_unlock(m);
}

static inline gboolean spapr_tsan_mutex_trylock(GMutex *m)
{
    if (!g_mutex_trylock(m)) {
        return FALSE;
    }
    __tsan_acquire(m);
    return TRUE;
}

static inline void spapr_tsan_cond_wait(GCond *c, GMutex *m)
{
    __tsan_release(m);
    g_cond_wait(c, m);
    __tsan_acquire(m);
}

static inline gboolean spapr_tsan_cond_wait_until(GCond *c, GMutex *m,
                                                  gint64 end)
{
    gboolean r;

    __tsan_release(m);
    r = g_cond_wait_until(c, m, end);
    __tsan_acquire(m);
    return r;
}

#define g_mutex_lock            spapr_tsan_mutex_lock
#define g_mutex_unlock          spapr_tsan_mutex_unlock
#define g_mutex_trylock         spapr_tsan_mutex_trylock
#define g_cond_wait             spapr_tsan_cond_wait
#define g_cond_wait_until       spapr_tsan_cond_wait_until
#endif

#endif
