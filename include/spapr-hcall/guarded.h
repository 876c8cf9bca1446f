/*
 * spapr-hcall: host memory accesses that survive a bad page (SIGBUS)
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A file-backed NVDIMM is a shared mapping of a sparse file.  Touching a
 * page of it raises SIGBUS when the file was truncated under us, or when
 * a hole is first written and the file system is full.  The library's
 * own accesses to such memory (label area, guest memory of the
 * standalone machine, so H_LOGICAL_CI_*, statistics buffers and qtest
 * reads and writes) go through these helpers, which turn the fault into
 * a false return instead of killing the process.
 *
 * Signal handling is process-wide, so this is the one place with global
 * state: the first guarded access (or spapr_guarded_init()) installs a
 * SIGBUS handler once (pthread_once) and saves the previous one.  A
 * fault outside a guarded access is passed to that previous handler, or,
 * if there was none, the default action is restored and the process dies
 * of SIGBUS exactly as it would without us.  Everything else is
 * per-thread: every function here may run concurrently in any number of
 * threads.  A host that installs its own SIGBUS handler after the first
 * guarded access replaces ours; it should call spapr_guarded_init() first
 * and chain to the library's handler for faults it does not own.
 */
#ifndef SPAPR_HCALL_GUARDED_H
#define SPAPR_HCALL_GUARDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Install the SIGBUS handler now (idempotent, thread-safe). */
void spapr_guarded_init(void);

/*
 * memcpy/memset that return false if a page faulted.  Bytes before the
 * faulting page may have been written; nothing after it was.
 */
bool spapr_guarded_copy(void *dst, const void *src, size_t len);
bool spapr_guarded_fill(void *dst, int c, size_t len);

/*
 * @len (1..8) bytes at @p as a big-endian number, and the reverse.  Each
 * byte is read with an acquire load and written with a release store
 * (plain moves on x86), so a concurrent reader and writer are not a data
 * race, and a sequence lock around them needs no separate fence (which
 * ThreadSanitizer does not support).
 */
bool spapr_guarded_load_be(const uint8_t *p, unsigned int len,
                           uint64_t *val);
bool spapr_guarded_store_be(uint8_t *p, unsigned int len, uint64_t val);

/*
 * True if a guarded access of the calling thread faulted since the last
 * call; clears the flag.  Lets a caller behind a bool interface (the
 * host's mem_read/mem_write) tell a bad page from an unmapped address.
 */
bool spapr_guarded_take_fault(void);

#endif
