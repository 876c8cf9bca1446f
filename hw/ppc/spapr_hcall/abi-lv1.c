/*
 * spapr-hcall: the PS3 LV1 and Beat (Celleb) hypervisor calls, as rows
 * of the hcall table
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Both are "sc 1" with the number in r11, arguments in r3..r10 and the
 * status in r3; PS3 outputs are r4..r10, Beat's r4..r9.  Beat numbers
 * carry a vendor in bits 60-63, and its vendor-0 numbers are LV1's
 * (pause 9, get_logical_partition_id 74).  Beat's status codes are not
 * public; we answer with LV1's, which it descends from (docs/abis.md).
 */
#include "internal.h"
#include "abi-rows.h"
#include "trace-events.h"

#define NS_PER_SEC  1000000000ULL

/* The machine clock as a real-time clock, in seconds */
static uint64_t rtc_seconds(SpaprMachine *m)
{
    int64_t ns = spapr_machine_clock_ns(m);

    return ns > 0 ? (uint64_t)ns / NS_PER_SEC : 0;
}

static int64_t h_lv1_pause(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                           uint64_t *args)
{
    return SPAPR_LV1_SUCCESS;             /* a wake-up at once, like EV_IDLE */
}

static int64_t h_lv1_get_lpar_id(SpaprMachine *m, SpaprCpu *cpu,
                                 uint64_t nr, uint64_t *args)
{
    args[0] = SPAPR_PS3_LPAR_ID;
    return SPAPR_LV1_SUCCESS;
}

/* r4 = firmware version, r5 = vendor id */
static int64_t h_lv1_get_version_info(SpaprMachine *m, SpaprCpu *cpu,
                                      uint64_t nr, uint64_t *args)
{
    args[0] = SPAPR_PS3_VERSION;
    args[1] = 0;
    return SPAPR_LV1_SUCCESS;
}

/* r4 = seconds, r5 = the time base at that moment */
static int64_t h_lv1_get_rtc(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                             uint64_t *args)
{
    int64_t ns = spapr_machine_clock_ns(m);
    uint64_t t = ns > 0 ? (uint64_t)ns : 0;

    args[0] = t / NS_PER_SEC;
    args[1] = t / NS_PER_SEC * SPAPR_PS3_TIMEBASE_HZ +
              t % NS_PER_SEC * SPAPR_PS3_TIMEBASE_HZ / NS_PER_SEC;
    return SPAPR_LV1_SUCCESS;
}

const SpaprHcallInfo spapr_abi_rows_ps3_[] = {
    { SPAPR_LV1_PAUSE, "lv1_pause", h_lv1_pause, "ps3", 1, 0, NULL },
    { SPAPR_LV1_GET_LOGICAL_PARTITION_ID, "lv1_get_logical_partition_id",
      h_lv1_get_lpar_id, "ps3", 0, 1, NULL },
    { SPAPR_LV1_GET_VERSION_INFO, "lv1_get_version_info",
      h_lv1_get_version_info, "ps3", 0, 2, NULL },
    { SPAPR_LV1_GET_RTC, "lv1_get_rtc", h_lv1_get_rtc, "ps3", 0, 2, NULL },
};
const size_t spapr_abi_rows_ps3_len_ = G_N_ELEMENTS(spapr_abi_rows_ps3_);

/* ---- Beat ---- */

static int64_t h_beat_rtc_read(SpaprMachine *m, SpaprCpu *cpu, uint64_t nr,
                               uint64_t *args)
{
    args[0] = rtc_seconds(m);
    return SPAPR_LV1_SUCCESS;
}

/*
 * r3 = terminal, r4 = length (at most 16), r5..r6 = the characters,
 * big-endian, first character in the most significant byte of r5.
 */
static int64_t h_beat_put_console(SpaprMachine *m, SpaprCpu *cpu,
                                  uint64_t nr, uint64_t *args)
{
    char text[SPAPR_BEAT_CONSOLE_MAX + 1];
    uint64_t len = args[1], i;

    if (len > SPAPR_BEAT_CONSOLE_MAX) {
        return SPAPR_LV1_ILLEGAL_PARAMETER_VALUE;
    }
    for (i = 0; i < len; i++) {
        char c = args[2 + i / 8] >> (56 - 8 * (i % 8));

        text[i] = g_ascii_isprint(c) ? c : '.';
    }
    text[len] = 0;
    trace_spapr_abi_console(m, "beat", text);
    return SPAPR_LV1_SUCCESS;
}

const SpaprHcallInfo spapr_abi_rows_beat_[] = {
    { SPAPR_BEAT_PAUSE, "beat_pause", h_lv1_pause, "beat", 1, 0, NULL },
    { SPAPR_BEAT_GET_LOGICAL_PARTITION_ID, "beat_get_logical_partition_id",
      h_lv1_get_lpar_id, "beat", 0, 1, NULL },
    { SPAPR_BEAT_PUT_CHARACTERS_TO_CONSOLE, "beat_put_characters_to_console",
      h_beat_put_console, "beat", 4, 0, NULL },
    { SPAPR_BEAT_RTC_READ, "beat_rtc_read", h_beat_rtc_read, "beat", 0, 1,
      NULL },
};
const size_t spapr_abi_rows_beat_len_ = G_N_ELEMENTS(spapr_abi_rows_beat_);
