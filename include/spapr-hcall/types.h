/*
 * spapr-hcall: forward declarations shared by the public headers
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SPAPR_HCALL_TYPES_H
#define SPAPR_HCALL_TYPES_H

#include <stdbool.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

typedef struct SpaprMachine SpaprMachine;
typedef struct SpaprCpu SpaprCpu;
typedef struct SpaprDevice SpaprDevice;
typedef struct SpaprDeviceClass SpaprDeviceClass;
typedef struct PaprDrc PaprDrc;
typedef struct PaprDrcRegistry PaprDrcRegistry;
typedef struct SpaprMemMap SpaprMemMap;
typedef struct SpaprHostOps SpaprHostOps;
typedef struct SpaprHcallInfo SpaprHcallInfo;
typedef struct SpaprTrace SpaprTrace;
typedef struct SpaprStateReader SpaprStateReader;

/* GError domain of every error this library reports. */
#define SPAPR_ERROR spapr_error_quark()
GQuark spapr_error_quark(void);

typedef enum SpaprErrorCode {
    SPAPR_ERROR_INVALID,        /* a bad argument or configuration */
    SPAPR_ERROR_EXISTS,         /* a duplicate registration or id */
    SPAPR_ERROR_OVERLAP,        /* a memory range collides with another */
    SPAPR_ERROR_NOT_FOUND,      /* no such object */
    SPAPR_ERROR_IO,             /* host I/O failed (errno in the message) */
    SPAPR_ERROR_FULL,           /* a fixed-size table is full */
} SpaprErrorCode;

typedef enum SpaprLogLevel {
    SPAPR_LOG_TRACE,            /* an enabled trace event */
    SPAPR_LOG_GUEST_ERROR,      /* the guest did something invalid */
    SPAPR_LOG_UNIMP,            /* the guest asked for something missing */
    SPAPR_LOG_WARNING,
    SPAPR_LOG_ERROR,
} SpaprLogLevel;

/* "trace: ", "guest error: ", ... for a host's log lines. */
const char *spapr_log_level_prefix(SpaprLogLevel level);

#endif
