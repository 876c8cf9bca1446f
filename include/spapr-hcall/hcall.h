/*
 * spapr-hcall: the hcall table and the dispatcher
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Register conventions (PAPR "sc 1"): opcode in r3, arguments in r4..r12,
 * status back in r3, outputs in r4..r12.  A handler receives @args, nine
 * doublewords that are r4..r12 on entry and become r4..r12 on return.
 *
 * Output registers a handler does not write keep the value the caller put
 * there (QEMU behaves the same under TCG and KVM).  Guests must treat r4..r12
 * as volatile anyway; this rule only makes results reproducible.
 *
 * Threading (machine.h has the rules for the rest of the machine):
 * - spapr_hcall() may run on any number of threads at once, each SpaprCpu
 *   on one thread at a time (its counters have a single writer); calls
 *   with cpu == NULL may run on any thread.
 * - Concurrently with it: registration (the row is published with a
 *   release store: a vCPU sees an opcode unregistered or with its whole
 *   row), lookup, foreach, sets, and every statistics call; a call
 *   counted during spapr_hcall_stats_reset() counts before or after the
 *   reset, exactly once.
 * - Not concurrently with it, nor with lookup/foreach: unregistration (a
 *   vCPU may still run the old row, and the row may be reused).  Call it
 *   with the vCPUs stopped or hcalls held off by the host's lock.
 */
#ifndef SPAPR_HCALL_HCALL_H
#define SPAPR_HCALL_HCALL_H

#include "spapr-hcall/types.h"
#include "spapr-hcall/hcall-defs.h"

#define SPAPR_HCALL_NR_ARGS     9       /* r4..r12 */

typedef int64_t (*SpaprHcallFn)(SpaprMachine *m, SpaprCpu *cpu,
                                uint64_t opcode, uint64_t *args);

/*
 * What an hcall's registers mean, for tools and logs: cold data that
 * dispatch never reads.  An output register carries a value only after
 * some statuses (SPAPR_HCALL_WHEN_*), and sometimes only when an argument
 * was zero (H_SCM_PERFORMANCE_STATS returns the size for a NULL buffer).
 */
#define SPAPR_HCALL_WHEN_SUCCESS    0x1     /* H_SUCCESS */
#define SPAPR_HCALL_WHEN_LONG_BUSY  0x2     /* H_LONG_BUSY_* */
#define SPAPR_HCALL_WHEN_PARTIAL    0x4     /* H_PARTIAL */
/* Any status after which a handler writes its outputs */
#define SPAPR_HCALL_WHEN_DONE \
    (SPAPR_HCALL_WHEN_SUCCESS | SPAPR_HCALL_WHEN_LONG_BUSY | \
     SPAPR_HCALL_WHEN_PARTIAL)

typedef struct SpaprHcallOut {
    const char *name;           /* "token" */
    uint8_t reg;                /* 0 = r4 */
    uint8_t when;               /* SPAPR_HCALL_WHEN_* */
    uint8_t if_arg_zero;        /* 1 + argument that must be 0; 0: none */
} SpaprHcallOut;

typedef struct SpaprHcallRegs {
    const char *args[SPAPR_HCALL_NR_ARGS];  /* r4..; NULL: no name */
    /*
     * Output rules, up to the first with a NULL name; the first rule
     * that matches a register names it.  A register without a rule
     * carries nothing a caller should read.
     */
    SpaprHcallOut outs[SPAPR_HCALL_NR_ARGS];
} SpaprHcallRegs;

/* Row initialisers: .regs = SPAPR_HCALL_REGS(SPAPR_HCALL_ARGS(...), ...) */
#define SPAPR_HCALL_REGS(...)   (&(const SpaprHcallRegs){ __VA_ARGS__ })
#define SPAPR_HCALL_ARGS(...)   .args = { __VA_ARGS__ }
#define SPAPR_HCALL_OUTS(...)   .outs = { __VA_ARGS__ }
#define SPAPR_HCALL_OUT(reg, name, when) { (name), (reg), (when), 0 }
#define SPAPR_HCALL_OUT_IF_ZERO(reg, name, when, arg) \
    { (name), (reg), (when), (arg) + 1 }

/* One row of the hcall table.  Tables are static const data. */
struct SpaprHcallInfo {
    uint64_t opcode;
    const char *name;           /* "H_SCM_BIND_MEM" */
    SpaprHcallFn fn;
    const char *hcall_set;      /* ibm,hypertas-functions word: "hcall-scm" */
    unsigned int nargs;         /* argument registers read, from r4 */
    unsigned int nrets;         /* output registers written, from r4 */
    const SpaprHcallRegs *regs; /* register names, or NULL */
};

/*
 * Decoding a call of @info (NULL: an unknown hcall).  The name of
 * argument @i (0 = r4), or NULL if it has none.
 */
const char *spapr_hcall_arg_name(const SpaprHcallInfo *info, unsigned int i);
/*
 * The name of output @i (0 = r4) after a call that returned @status with
 * arguments @args (as on entry), or NULL if the register carries nothing
 * then.  A row without names gives "r4".."r12" for its nrets outputs
 * after SPAPR_HCALL_WHEN_DONE statuses (@info NULL: for any output).
 */
const char *spapr_hcall_out_name(const SpaprHcallInfo *info, unsigned int i,
                                 int64_t status, const uint64_t *args);
/*
 * The row of @opcode in this library's own hcall sets (hcall-sets.h),
 * registered or not; NULL if no set implements it.
 */
const SpaprHcallInfo *spapr_hcall_builtin(uint64_t opcode);

/* Most hcalls a machine may register at once. */
#define SPAPR_HCALL_MAX_REGISTERED  256

/*
 * Register one hcall.  Fails (no abort) on an opcode outside the three
 * ranges, a PAPR/SVM opcode not a multiple of 4, an opcode already
 * registered, a NULL handler or name, or nargs/nrets > 9.
 */
bool spapr_hcall_register(SpaprMachine *m, const SpaprHcallInfo *info,
                          GError **errp);
/* Register @n rows; all or nothing. */
bool spapr_hcall_register_table(SpaprMachine *m, const SpaprHcallInfo *table,
                                size_t n, GError **errp);
bool spapr_hcall_unregister(SpaprMachine *m, uint64_t opcode);

/* The registered row for @opcode, or NULL. */
const SpaprHcallInfo *spapr_hcall_lookup(SpaprMachine *m, uint64_t opcode);
/* True if @opcode is in a range and aligned as that range requires. */
bool spapr_hcall_opcode_valid(uint64_t opcode);

typedef void (*SpaprHcallInfoFunc)(const SpaprHcallInfo *info, void *opaque);
/*
 * Every registered PAPR row, in ascending opcode order (rows of the other
 * conventions, abi.h, are not listed; nor are they in spapr_hcall_sets()).
 */
void spapr_hcall_foreach(SpaprMachine *m, SpaprHcallInfoFunc fn,
                         void *opaque);
/*
 * The distinct hcall-set strings of the registered rows, in ascending
 * order of their lowest opcode.  NULL-terminated; free with g_strfreev().
 */
char **spapr_hcall_sets(SpaprMachine *m);

/*
 * Dispatch one PAPR hcall.  @args is r4..r12 (in/out).  Returns the status
 * for r3: H_PRIVILEGE if the vCPU is in problem state (MSR[PR]=1),
 * H_FUNCTION for a misaligned, out-of-range or unregistered opcode.
 * @cpu may be NULL only for callers without a vCPU (then PR is not checked).
 */
int64_t spapr_hcall(SpaprMachine *m, SpaprCpu *cpu, uint64_t opcode,
                    uint64_t *args);

/*
 * Per-machine statistics.  Counting is per vCPU and cheap; time is only
 * accumulated after spapr_hcall_stats_set_timing(m, true).
 */
typedef struct SpaprHcallStats {
    uint64_t opcode;
    const char *name;           /* NULL for the unregistered bucket */
    uint64_t calls;
    uint64_t errors;            /* calls that returned a negative status */
    uint64_t total_ns;
    const char *abi;            /* the convention's name: "papr", ... */
} SpaprHcallStats;

void spapr_hcall_stats_set_timing(SpaprMachine *m, bool on);
/*
 * Snapshot: one row per registered opcode (PAPR first, then each other
 * convention's rows, ascending), then one row with name NULL counting
 * PAPR calls to unregistered or invalid opcodes (other conventions:
 * spapr_abi_stats_refused()).
 * Returns a GArray of SpaprHcallStats; free with g_array_unref().
 */
GArray *spapr_hcall_stats(SpaprMachine *m);
/* Stats of one opcode; false if it is not registered. */
bool spapr_hcall_stats_get(SpaprMachine *m, uint64_t opcode,
                           SpaprHcallStats *out);
void spapr_hcall_stats_reset(SpaprMachine *m);

#endif
