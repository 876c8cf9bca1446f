/*
 * spapr-hcall glue: what differs between the supported QEMU versions
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The glue (spapr_hcall_glue.c) is one source for every QEMU version in
 * contrib/qemu/versions/ (7.2, 10.0, 10.2).  Everything it uses that is
 * spelt differently in one of them is here, keyed on QEMU's own version
 * (QEMU_VERSION_MAJOR/MINOR from config-host.h, which qemu/osdep.h
 * includes first).  Include this after qemu/osdep.h.
 */
#ifndef HW_PPC_SPAPR_HCALL_COMPAT_H
#define HW_PPC_SPAPR_HCALL_COMPAT_H

#define GLUE_QEMU_AT_LEAST(maj, min) \
    (QEMU_VERSION_MAJOR > (maj) || \
     (QEMU_VERSION_MAJOR == (maj) && QEMU_VERSION_MINOR >= (min)))

#if !GLUE_QEMU_AT_LEAST(7, 2)
#error "spapr-hcall glue: QEMU 7.2 or later"
#endif

/* 10.0: include/sysemu/ became include/system/ */
#if GLUE_QEMU_AT_LEAST(10, 0)
#include "system/hostmem.h"
#include "system/system.h"
#else
#include "sysemu/hostmem.h"
#include "sysemu/sysemu.h"
#endif

/* 10.2: the memory API headers moved from include/exec/ to include/system/ */
#if GLUE_QEMU_AT_LEAST(10, 2)
#include "system/address-spaces.h"
#include "system/memory.h"
#else
#include "exec/address-spaces.h"
#include "exec/memory.h"
#endif

#include "hw/ppc/spapr.h"

/*
 * Take hcall table slot @opcode for @fn.  QEMU fills its table from
 * type_init constructors and spapr_register_hypercall() asserts that the
 * slot is free.  QEMU 10.x can empty a slot
 * (spapr_unregister_hypercall()), so the glue simply replaces QEMU's SCM
 * handlers; 7.2 cannot, and versions/7.2/patches/0001 removes QEMU's SCM
 * registration instead.
 */
static inline void glue_compat_take_hcall(target_ulong opcode,
                                          spapr_hcall_fn fn)
{
#if GLUE_QEMU_AT_LEAST(10, 0)
    spapr_unregister_hypercall(opcode);
#endif
    spapr_register_hypercall(opcode, fn);
}

#endif
