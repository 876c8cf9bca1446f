/*
 * spapr-hcall: the machine's run-time state, for migration and snapshots
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What a guest can observe of the library beyond guest memory: SCM
 * bindings and their addresses, continue tokens, pending flush tokens,
 * health bits, statistics.  A host saves it on the source and loads it
 * into a machine built with the same configuration on the destination
 * (QEMU: a VMState subsection in the glue).  The data of an NVDIMM is not
 * part of it; it lives in the host's memory backend.
 *
 * Format: big-endian, versioned (SPAPR_STATE_VERSION).  A loader accepts
 * every version up to its own; fields a later version adds go at the end
 * of their record and get defaults when absent.  Devices are matched by
 * identity (an NVDIMM by its DRC index), never by creation order.
 *
 * Threading: call both with every vCPU stopped (no spapr_hcall() in
 * flight) and no device being added; device worker threads (flushes) may
 * run.  Loading changes the configuration (machine.h).
 */
#ifndef SPAPR_HCALL_VMSTATE_H
#define SPAPR_HCALL_VMSTATE_H

#include "spapr-hcall/types.h"

#define SPAPR_STATE_MAGIC       "SPHCSTAT"
#define SPAPR_STATE_VERSION     1

/* Serialise @m's state; never fails.  Free with g_byte_array_unref(). */
GByteArray *spapr_machine_save_state(SpaprMachine *m);

/*
 * Replace @m's state by @len bytes at @buf.  Everything is checked
 * before anything changes: a bad stream, a newer version, a device set
 * or geometry that differs from @m's, or an hcall the source served that
 * @m does not register fails with SPAPR_ERROR_INVALID and leaves @m as
 * it was.  Pending flushes are submitted again here, so the tokens the
 * guest holds still complete.  Fails with the host's error if a binding
 * cannot be mapped again (the state is then partly applied).
 */
bool spapr_machine_load_state(SpaprMachine *m, const void *buf, size_t len,
                              GError **errp);

/*
 * Building blocks for a device's record (SpaprDeviceClass.save_state and
 * .load_state): big-endian integers and length-prefixed byte strings.
 * A reader never reads past its end: a short or malformed record sets
 * @bad and makes every later get return 0.
 */
struct SpaprStateReader {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    bool bad;
};

void spapr_state_put_u8(GByteArray *w, uint8_t v);
void spapr_state_put_u32(GByteArray *w, uint32_t v);
void spapr_state_put_u64(GByteArray *w, uint64_t v);
/* A u32 length, then the bytes. */
void spapr_state_put_str(GByteArray *w, const char *s);

uint8_t spapr_state_get_u8(SpaprStateReader *r);
uint32_t spapr_state_get_u32(SpaprStateReader *r);
uint64_t spapr_state_get_u64(SpaprStateReader *r);
/*
 * A u32 count then that many u64s: the first @max go to @out, the rest
 * (a newer source's extra entries) are read and dropped.  Returns the
 * count.
 */
uint32_t spapr_state_get_u64_array(SpaprStateReader *r, uint64_t *out,
                                   size_t max);
/* Copies a string of at most @size - 1 bytes into @buf (NUL-terminated). */
bool spapr_state_get_str(SpaprStateReader *r, char *buf, size_t size);
/* Bytes not read yet (0 once @bad). */
size_t spapr_state_left(const SpaprStateReader *r);

#endif
