/*
 * spapr-hcall: names of hcall opcodes and return codes
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include "spapr-hcall/hcall-defs.h"

typedef struct NamedValue {
    int64_t value;
    const char *name;
} NamedValue;

#define N(x) { (PAPR_##x), #x }

/* In ascending order of value, for bsearch(). */
static const NamedValue status_names[] = {
    N(H_OUTSTANDING_COP_OPS),
    N(H_MULTI_THREADS_ACTIVE),
    N(H_UNSUPPORTED_FLAG_START),
    N(H_GUEST_VCPU_STATE_NOT_HV_OWNED),
    N(H_PARTITION_PAGE_TABLE_NOT_DEFINED),
    N(H_OUTPUT_BUFFER_TOO_SMALL),
    N(H_OUTPUT_BUFFER_NOT_DEFINED),
    N(H_INPUT_BUFFER_TOO_SMALL),
    N(H_INPUT_BUFFER_NOT_DEFINED),
    N(H_INVALID_ELEMENT_VALUE),
    N(H_INVALID_ELEMENT_SIZE),
    N(H_INVALID_ELEMENT_ID),
    N(H_IN_USE),
    N(H_STATE),
    N(H_COP_HW),
    N(H_OP_MODE),
    N(H_SG_LIST),
    N(H_NOT_ACTIVE),
    N(H_BAD_DATA),
    N(H_INTERRUPT),
    N(H_OVERLAP),
    N(H_UNSUPPORTED),
    N(H_TOO_BIG),
    N(H_NOOP),
    N(H_P9),
    N(H_P8),
    N(H_P7),
    N(H_P6),
    N(H_P5),
    N(H_P4),
    N(H_P3),
    N(H_P2),
    N(H_ABORTED),
    N(H_RESCINDED),
    N(H_R_STATE),
    N(H_NOT_ENOUGH_RESOURCES),
    N(H_MR_CONDITION),
    N(H_ALT_TABLE),
    N(H_TABLE_FULL),
    N(H_P_COUNTER),
    N(H_ALIAS_EXIST),
    N(H_MCG_FULL),
    N(H_MASK_PARM),
    N(H_TRACE_PARM),
    N(H_TSIZE_PARM),
    N(H_VL_PARM),
    N(H_MCG_PARM),
    N(H_PORT_PARM),
    N(H_ATTR_PARM),
    N(H_MEM_ACCESS_PARM),
    N(H_MEM_PARM),
    N(H_MLENGTH_PARM),
    N(H_TOKEN_PARM),
    N(H_SIGT_PARM),
    N(H_ST_PARM),
    N(H_RT_PARM),
    N(H_EQ_PARM),
    N(H_SCQ_PARM),
    N(H_RCQ_PARM),
    N(H_RH_PARM),
    N(H_ADAPTER_PARM),
    N(H_RESOURCE),
    N(H_REMOTE_PARM),
    N(H_DEST_PARM),
    N(H_SOURCE_PARM),
    N(H_DROPPED),
    N(H_PERMISSION),
    N(H_AUTHORITY),
    N(H_NO_MEM),
    N(H_RESERVED_DABR),
    N(H_NOT_FOUND),
    N(H_PTEG_FULL),
    N(H_BAD_MODE),
    N(H_PARAMETER),
    N(H_PRIVILEGE),
    N(H_FUNCTION),
    N(H_HARDWARE),
    N(H_SUCCESS),
    N(H_BUSY),
    N(H_CLOSED),
    N(H_NOT_AVAILABLE),
    N(H_CONSTRAINED),
    N(H_PARTIAL),
    N(H_IN_PROGRESS),
    N(H_PAGE_REGISTERED),
    N(H_PARTIAL_STORE),
    N(H_PENDING),
    N(H_CONTINUE),
    N(H_LONG_BUSY_ORDER_1_MSEC),
    N(H_LONG_BUSY_ORDER_10_MSEC),
    N(H_LONG_BUSY_ORDER_100_MSEC),
    N(H_LONG_BUSY_ORDER_1_SEC),
    N(H_LONG_BUSY_ORDER_10_SEC),
    N(H_LONG_BUSY_ORDER_100_SEC),
    N(H_TOO_HARD),
};

static const NamedValue opcode_names[] = {
    N(H_REMOVE),
    N(H_ENTER),
    N(H_READ),
    N(H_CLEAR_MOD),
    N(H_CLEAR_REF),
    N(H_PROTECT),
    N(H_GET_TCE),
    N(H_PUT_TCE),
    N(H_SET_SPRG0),
    N(H_SET_DABR),
    N(H_PAGE_INIT),
    N(H_SET_ASR),
    N(H_ASR_ON),
    N(H_ASR_OFF),
    N(H_LOGICAL_CI_LOAD),
    N(H_LOGICAL_CI_STORE),
    N(H_LOGICAL_CACHE_LOAD),
    N(H_LOGICAL_CACHE_STORE),
    N(H_LOGICAL_ICBI),
    N(H_LOGICAL_DCBF),
    N(H_GET_TERM_CHAR),
    N(H_PUT_TERM_CHAR),
    N(H_REAL_TO_LOGICAL),
    N(H_HYPERVISOR_DATA),
    N(H_EOI),
    N(H_CPPR),
    N(H_IPI),
    N(H_IPOLL),
    N(H_XIRR),
    N(H_MIGRATE_DMA),
    N(H_PERFMON),
    N(H_REGISTER_VPA),
    N(H_CEDE),
    N(H_CONFER),
    N(H_PROD),
    N(H_GET_PPP),
    N(H_SET_PPP),
    N(H_PURR),
    N(H_PIC),
    N(H_REG_CRQ),
    N(H_FREE_CRQ),
    N(H_VIO_SIGNAL),
    N(H_SEND_CRQ),
    N(H_COPY_RDMA),
    N(H_REGISTER_LOGICAL_LAN),
    N(H_FREE_LOGICAL_LAN),
    N(H_ADD_LOGICAL_LAN_BUFFER),
    N(H_SEND_LOGICAL_LAN),
    N(H_BULK_REMOVE),
    N(H_MULTICAST_CTRL),
    N(H_SET_XDABR),
    N(H_STUFF_TCE),
    N(H_PUT_TCE_INDIRECT),
    N(H_CHANGE_LOGICAL_LAN_MAC),
    N(H_VTERM_PARTNER_INFO),
    N(H_REGISTER_VTERM),
    N(H_FREE_VTERM),
    N(H_GET_CPU_CHARACTERISTICS),
    N(H_POLL_PENDING),
    N(H_QUERY_INT_STATE),
    N(H_JOIN),
    N(H_VASI_SIGNAL),
    N(H_VASI_STATE),
    N(H_VIOCTL),
    N(H_ENABLE_CRQ),
    N(H_GET_EM_PARMS),
    N(H_SET_MPP),
    N(H_GET_MPP),
    N(H_REG_SUB_CRQ),
    N(H_FREE_SUB_CRQ),
    N(H_SEND_SUB_CRQ),
    N(H_SEND_SUB_CRQ_INDIRECT),
    N(H_HOME_NODE_ASSOCIATIVITY),
    N(H_BEST_ENERGY),
    N(H_XIRR_X),
    N(H_RANDOM),
    N(H_COP),
    N(H_GET_MPP_X),
    N(H_SET_MODE),
    N(H_BLOCK_REMOVE),
    N(H_CLEAR_HPT),
    N(H_REQUEST_VMC),
    N(H_RESIZE_HPT_PREPARE),
    N(H_RESIZE_HPT_COMMIT),
    N(H_CLEAN_SLB),
    N(H_INVALIDATE_PID),
    N(H_REGISTER_PROC_TBL),
    N(H_SIGNAL_SYS_RESET),
    N(H_ALLOCATE_VAS_WINDOW),
    N(H_MODIFY_VAS_WINDOW),
    N(H_DEALLOCATE_VAS_WINDOW),
    N(H_QUERY_VAS_WINDOW),
    N(H_QUERY_VAS_CAPABILITIES),
    N(H_QUERY_NX_CAPABILITIES),
    N(H_GET_NX_FAULT),
    N(H_INT_GET_SOURCE_INFO),
    N(H_INT_SET_SOURCE_CONFIG),
    N(H_INT_GET_SOURCE_CONFIG),
    N(H_INT_GET_QUEUE_INFO),
    N(H_INT_SET_QUEUE_CONFIG),
    N(H_INT_GET_QUEUE_CONFIG),
    N(H_INT_SET_OS_REPORTING_LINE),
    N(H_INT_GET_OS_REPORTING_LINE),
    N(H_INT_ESB),
    N(H_INT_SYNC),
    N(H_INT_RESET),
    N(H_SCM_READ_METADATA),
    N(H_SCM_WRITE_METADATA),
    N(H_SCM_BIND_MEM),
    N(H_SCM_UNBIND_MEM),
    N(H_SCM_QUERY_BLOCK_MEM_BINDING),
    N(H_SCM_QUERY_LOGICAL_MEM_BINDING),
    N(H_SCM_UNBIND_ALL),
    N(H_SCM_HEALTH),
    N(H_SCM_PERFORMANCE_STATS),
    N(H_PKS_GET_CONFIG),
    N(H_PKS_SET_PASSWORD),
    N(H_PKS_GEN_PASSWORD),
    N(H_PKS_WRITE_OBJECT),
    N(H_PKS_GEN_KEY),
    N(H_PKS_READ_OBJECT),
    N(H_PKS_REMOVE_OBJECT),
    N(H_PKS_CONFIRM_OBJECT_FLUSHED),
    N(H_RPT_INVALIDATE),
    N(H_SCM_FLUSH),
    N(H_GET_ENERGY_SCALE_INFO),
    N(H_PKS_SIGNED_UPDATE),
    N(H_HTM),
    N(H_WATCHDOG),
    N(H_GUEST_GET_CAPABILITIES),
    N(H_GUEST_SET_CAPABILITIES),
    N(H_GUEST_CREATE),
    N(H_GUEST_CREATE_VCPU),
    N(H_GUEST_GET_STATE),
    N(H_GUEST_SET_STATE),
    N(H_GUEST_RUN_VCPU),
    N(H_GUEST_COPY_MEMORY),
    N(H_GUEST_DELETE),
    N(H_PKS_WRAP_OBJECT),
    N(H_PKS_UNWRAP_OBJECT),
    N(H_SVM_PAGE_IN),
    N(H_SVM_PAGE_OUT),
    N(H_SVM_INIT_START),
    N(H_SVM_INIT_DONE),
    N(SVM_H_TPM_COMM),
    N(H_SVM_INIT_ABORT),
    N(KVMPPC_H_RTAS),
    N(KVMPPC_H_LOGICAL_MEMOP),
    N(KVMPPC_H_CAS),
    N(KVMPPC_H_UPDATE_DT),
    N(KVMPPC_H_UPDATE_PHANDLE),
    N(KVMPPC_H_VOF_CLIENT),
    N(H_GET_24X7_CATALOG_PAGE),
    N(H_GET_24X7_DATA),
    N(H_GET_PERF_COUNTER_INFO),
    N(KVMPPC_H_SET_PARTITION_TABLE),
    N(KVMPPC_H_ENTER_NESTED),
    N(KVMPPC_H_TLB_INVALIDATE),
    N(KVMPPC_H_COPY_TOFROM_GUEST),
};
static int cmp_value(const void *key, const void *elem)
{
    int64_t k = *(const int64_t *)key;
    const NamedValue *nv = elem;

    return k < nv->value ? -1 : k > nv->value;
}

static const char *find_name(const NamedValue *tab, size_t n, int64_t v)
{
    const NamedValue *nv = bsearch(&v, tab, n, sizeof(*tab), cmp_value);

    return nv ? nv->name : NULL;
}

static bool find_value(const NamedValue *tab, size_t n, const char *name,
                       int64_t *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!strcmp(tab[i].name, name)) {
            *out = tab[i].value;
            return true;
        }
    }
    return false;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const char *spapr_hcall_status_name(int64_t status)
{
    return find_name(status_names, ARRAY_LEN(status_names), status);
}

const char *spapr_hcall_opcode_name(uint64_t opcode)
{
    if (opcode > INT64_MAX) {
        return NULL;
    }
    return find_name(opcode_names, ARRAY_LEN(opcode_names),
                     (int64_t)opcode);
}

bool spapr_hcall_status_from_name(const char *name, int64_t *out)
{
    return find_value(status_names, ARRAY_LEN(status_names), name, out);
}

bool spapr_hcall_opcode_from_name(const char *name, uint64_t *out)
{
    int64_t v;

    if (!find_value(opcode_names, ARRAY_LEN(opcode_names), name, &v)) {
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

unsigned int spapr_hcall_long_busy_msecs(int64_t status)
{
    static const unsigned int ms[] = { 1, 10, 100, 1000, 10000, 100000 };

    if (!PAPR_H_IS_LONG_BUSY(status)) {
        return 1;
    }
    return ms[status - PAPR_H_LONG_BUSY_START_RANGE];
}
