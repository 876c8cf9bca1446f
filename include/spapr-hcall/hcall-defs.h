/*
 * spapr-hcall: PAPR hypercall opcode numbers and H_* return codes
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Numbers come from the PAPR/LoPAPR text as implemented by Linux and QEMU.
 * Return codes are signed; r3 carries them as a 64-bit two's complement.
 *
 * This header is the only list: scripts/hcall-names.py builds the name
 * tables of spapr_hcall_status_name() and friends from the sections below
 * (a new section must be listed there).  The printed name drops the PAPR_
 * prefix; a line that says "no name" (a range bound) gets none.
 */
#ifndef SPAPR_HCALL_HCALL_DEFS_H
#define SPAPR_HCALL_HCALL_DEFS_H

#include <stdbool.h>
#include <stdint.h>

/* ---- Return codes: success and "try again" (positive) ---- */
#define PAPR_H_SUCCESS                    0
#define PAPR_H_BUSY                       1
#define PAPR_H_CLOSED                     2
#define PAPR_H_NOT_AVAILABLE              3
#define PAPR_H_CONSTRAINED                4
#define PAPR_H_PARTIAL                    5
#define PAPR_H_IN_PROGRESS                14
#define PAPR_H_PAGE_REGISTERED            15
#define PAPR_H_PARTIAL_STORE              16
#define PAPR_H_PENDING                    17
#define PAPR_H_CONTINUE                   18
#define PAPR_H_LONG_BUSY_START_RANGE      9900    /* bound: no name */
#define PAPR_H_LONG_BUSY_ORDER_1_MSEC     9900
#define PAPR_H_LONG_BUSY_ORDER_10_MSEC    9901
#define PAPR_H_LONG_BUSY_ORDER_100_MSEC   9902
#define PAPR_H_LONG_BUSY_ORDER_1_SEC      9903
#define PAPR_H_LONG_BUSY_ORDER_10_SEC     9904
#define PAPR_H_LONG_BUSY_ORDER_100_SEC    9905
#define PAPR_H_LONG_BUSY_END_RANGE        9905    /* bound: no name */
#define PAPR_H_TOO_HARD                   9999

#define PAPR_H_IS_LONG_BUSY(x) \
    ((x) >= PAPR_H_LONG_BUSY_START_RANGE && (x) <= PAPR_H_LONG_BUSY_END_RANGE)

/* ---- Return codes: errors (negative) ---- */
#define PAPR_H_HARDWARE                   (-1)
#define PAPR_H_FUNCTION                   (-2)
#define PAPR_H_PRIVILEGE                  (-3)
#define PAPR_H_PARAMETER                  (-4)
#define PAPR_H_BAD_MODE                   (-5)
#define PAPR_H_PTEG_FULL                  (-6)
#define PAPR_H_NOT_FOUND                  (-7)
#define PAPR_H_RESERVED_DABR              (-8)
#define PAPR_H_NO_MEM                     (-9)
#define PAPR_H_AUTHORITY                  (-10)
#define PAPR_H_PERMISSION                 (-11)
#define PAPR_H_DROPPED                    (-12)
#define PAPR_H_SOURCE_PARM                (-13)
#define PAPR_H_DEST_PARM                  (-14)
#define PAPR_H_REMOTE_PARM                (-15)
#define PAPR_H_RESOURCE                   (-16)
#define PAPR_H_ADAPTER_PARM               (-17)
#define PAPR_H_RH_PARM                    (-18)
#define PAPR_H_RCQ_PARM                   (-19)
#define PAPR_H_SCQ_PARM                   (-20)
#define PAPR_H_EQ_PARM                    (-21)
#define PAPR_H_RT_PARM                    (-22)
#define PAPR_H_ST_PARM                    (-23)
#define PAPR_H_SIGT_PARM                  (-24)
#define PAPR_H_TOKEN_PARM                 (-25)
#define PAPR_H_MLENGTH_PARM               (-27)
#define PAPR_H_MEM_PARM                   (-28)
#define PAPR_H_MEM_ACCESS_PARM            (-29)
#define PAPR_H_ATTR_PARM                  (-30)
#define PAPR_H_PORT_PARM                  (-31)
#define PAPR_H_MCG_PARM                   (-32)
#define PAPR_H_VL_PARM                    (-33)
#define PAPR_H_TSIZE_PARM                 (-34)
#define PAPR_H_TRACE_PARM                 (-35)
#define PAPR_H_MASK_PARM                  (-37)
#define PAPR_H_MCG_FULL                   (-38)
#define PAPR_H_ALIAS_EXIST                (-39)
#define PAPR_H_P_COUNTER                  (-40)
#define PAPR_H_TABLE_FULL                 (-41)
#define PAPR_H_ALT_TABLE                  (-42)
#define PAPR_H_MR_CONDITION               (-43)
#define PAPR_H_NOT_ENOUGH_RESOURCES       (-44)
#define PAPR_H_R_STATE                    (-45)
#define PAPR_H_RESCINDED                  (-46)
#define PAPR_H_ABORTED                    (-54)
#define PAPR_H_P2                         (-55)
#define PAPR_H_P3                         (-56)
#define PAPR_H_P4                         (-57)
#define PAPR_H_P5                         (-58)
#define PAPR_H_P6                         (-59)
#define PAPR_H_P7                         (-60)
#define PAPR_H_P8                         (-61)
#define PAPR_H_P9                         (-62)
#define PAPR_H_NOOP                       (-63)
#define PAPR_H_TOO_BIG                    (-64)
#define PAPR_H_UNSUPPORTED                (-67)
#define PAPR_H_OVERLAP                    (-68)
#define PAPR_H_INTERRUPT                  (-69)
#define PAPR_H_BAD_DATA                   (-70)
#define PAPR_H_NOT_ACTIVE                 (-71)
#define PAPR_H_SG_LIST                    (-72)
#define PAPR_H_OP_MODE                    (-73)
#define PAPR_H_COP_HW                     (-74)
#define PAPR_H_STATE                      (-75)
#define PAPR_H_IN_USE                     (-77)
#define PAPR_H_INVALID_ELEMENT_ID         (-79)
#define PAPR_H_INVALID_ELEMENT_SIZE       (-80)
#define PAPR_H_INVALID_ELEMENT_VALUE      (-81)
#define PAPR_H_INPUT_BUFFER_NOT_DEFINED   (-82)
#define PAPR_H_INPUT_BUFFER_TOO_SMALL     (-83)
#define PAPR_H_OUTPUT_BUFFER_NOT_DEFINED  (-84)
#define PAPR_H_OUTPUT_BUFFER_TOO_SMALL    (-85)
#define PAPR_H_PARTITION_PAGE_TABLE_NOT_DEFINED (-86)
#define PAPR_H_GUEST_VCPU_STATE_NOT_HV_OWNED    (-87)
#define PAPR_H_UNSUPPORTED_FLAG_START     (-256)
#define PAPR_H_UNSUPPORTED_FLAG_END       (-511)  /* bound: no name */
#define PAPR_H_MULTI_THREADS_ACTIVE       (-9005)
#define PAPR_H_OUTSTANDING_COP_OPS        (-9006)

/* ---- Opcode ranges ---- */
#define SPAPR_HCALL_PAPR_MIN         0x4
#define SPAPR_HCALL_PAPR_MAX         0x494      /* H_PKS_UNWRAP_OBJECT */
#define SPAPR_HCALL_SVM_BASE         0xEF00
#define SPAPR_HCALL_SVM_MAX          0xEF80
#define SPAPR_HCALL_PLATFORM_BASE    0xF000
#define SPAPR_HCALL_PLATFORM_MAX     0xFFFC

/* ---- PAPR opcodes ---- */
#define PAPR_H_REMOVE                     0x04
#define PAPR_H_ENTER                      0x08
#define PAPR_H_READ                       0x0C
#define PAPR_H_CLEAR_MOD                  0x10
#define PAPR_H_CLEAR_REF                  0x14
#define PAPR_H_PROTECT                    0x18
#define PAPR_H_GET_TCE                    0x1C
#define PAPR_H_PUT_TCE                    0x20
#define PAPR_H_SET_SPRG0                  0x24
#define PAPR_H_SET_DABR                   0x28
#define PAPR_H_PAGE_INIT                  0x2C
#define PAPR_H_SET_ASR                    0x30
#define PAPR_H_ASR_ON                     0x34
#define PAPR_H_ASR_OFF                    0x38
#define PAPR_H_LOGICAL_CI_LOAD            0x3C
#define PAPR_H_LOGICAL_CI_STORE           0x40
#define PAPR_H_LOGICAL_CACHE_LOAD         0x44
#define PAPR_H_LOGICAL_CACHE_STORE        0x48
#define PAPR_H_LOGICAL_ICBI               0x4C
#define PAPR_H_LOGICAL_DCBF               0x50
#define PAPR_H_GET_TERM_CHAR              0x54
#define PAPR_H_PUT_TERM_CHAR              0x58
#define PAPR_H_REAL_TO_LOGICAL            0x5C
#define PAPR_H_HYPERVISOR_DATA            0x60
#define PAPR_H_EOI                        0x64
#define PAPR_H_CPPR                       0x68
#define PAPR_H_IPI                        0x6C
#define PAPR_H_IPOLL                      0x70
#define PAPR_H_XIRR                       0x74
#define PAPR_H_MIGRATE_DMA                0x78
#define PAPR_H_PERFMON                    0x7C
#define PAPR_H_REGISTER_VPA               0xDC
#define PAPR_H_CEDE                       0xE0
#define PAPR_H_CONFER                     0xE4
#define PAPR_H_PROD                       0xE8
#define PAPR_H_GET_PPP                    0xEC
#define PAPR_H_SET_PPP                    0xF0
#define PAPR_H_PURR                       0xF4
#define PAPR_H_PIC                        0xF8
#define PAPR_H_REG_CRQ                    0xFC
#define PAPR_H_FREE_CRQ                   0x100
#define PAPR_H_VIO_SIGNAL                 0x104
#define PAPR_H_SEND_CRQ                   0x108
#define PAPR_H_COPY_RDMA                  0x110
#define PAPR_H_REGISTER_LOGICAL_LAN       0x114
#define PAPR_H_FREE_LOGICAL_LAN           0x118
#define PAPR_H_ADD_LOGICAL_LAN_BUFFER     0x11C
#define PAPR_H_SEND_LOGICAL_LAN           0x120
#define PAPR_H_BULK_REMOVE                0x124
#define PAPR_H_MULTICAST_CTRL             0x130
#define PAPR_H_SET_XDABR                  0x134
#define PAPR_H_STUFF_TCE                  0x138
#define PAPR_H_PUT_TCE_INDIRECT           0x13C
#define PAPR_H_CHANGE_LOGICAL_LAN_MAC     0x14C
#define PAPR_H_VTERM_PARTNER_INFO         0x150
#define PAPR_H_REGISTER_VTERM             0x154
#define PAPR_H_FREE_VTERM                 0x158
#define PAPR_H_GET_CPU_CHARACTERISTICS    0x1C8
#define PAPR_H_POLL_PENDING               0x1D8
#define PAPR_H_QUERY_INT_STATE            0x1E4
#define PAPR_H_JOIN                       0x298
#define PAPR_H_VASI_SIGNAL                0x2A0
#define PAPR_H_VASI_STATE                 0x2A4
#define PAPR_H_VIOCTL                     0x2A8
#define PAPR_H_ENABLE_CRQ                 0x2B0
#define PAPR_H_GET_EM_PARMS               0x2B8
#define PAPR_H_SET_MPP                    0x2D0
#define PAPR_H_GET_MPP                    0x2D4
#define PAPR_H_REG_SUB_CRQ                0x2DC
#define PAPR_H_FREE_SUB_CRQ               0x2E0
#define PAPR_H_SEND_SUB_CRQ               0x2E4
#define PAPR_H_SEND_SUB_CRQ_INDIRECT      0x2E8
#define PAPR_H_HOME_NODE_ASSOCIATIVITY    0x2EC
#define PAPR_H_BEST_ENERGY                0x2F4
#define PAPR_H_XIRR_X                     0x2FC
#define PAPR_H_RANDOM                     0x300
#define PAPR_H_COP                        0x304
#define PAPR_H_GET_MPP_X                  0x314
#define PAPR_H_SET_MODE                   0x31C
#define PAPR_H_BLOCK_REMOVE               0x328
#define PAPR_H_CLEAR_HPT                  0x358
#define PAPR_H_REQUEST_VMC                0x360
#define PAPR_H_RESIZE_HPT_PREPARE         0x36C
#define PAPR_H_RESIZE_HPT_COMMIT          0x370
#define PAPR_H_CLEAN_SLB                  0x374
#define PAPR_H_INVALIDATE_PID             0x378
#define PAPR_H_REGISTER_PROC_TBL          0x37C
#define PAPR_H_SIGNAL_SYS_RESET           0x380
#define PAPR_H_ALLOCATE_VAS_WINDOW        0x388
#define PAPR_H_MODIFY_VAS_WINDOW          0x38C
#define PAPR_H_DEALLOCATE_VAS_WINDOW      0x390
#define PAPR_H_QUERY_VAS_WINDOW           0x394
#define PAPR_H_QUERY_VAS_CAPABILITIES     0x398
#define PAPR_H_QUERY_NX_CAPABILITIES      0x39C
#define PAPR_H_GET_NX_FAULT               0x3A0
#define PAPR_H_INT_GET_SOURCE_INFO        0x3A8
#define PAPR_H_INT_SET_SOURCE_CONFIG      0x3AC
#define PAPR_H_INT_GET_SOURCE_CONFIG      0x3B0
#define PAPR_H_INT_GET_QUEUE_INFO         0x3B4
#define PAPR_H_INT_SET_QUEUE_CONFIG       0x3B8
#define PAPR_H_INT_GET_QUEUE_CONFIG       0x3BC
#define PAPR_H_INT_SET_OS_REPORTING_LINE  0x3C0
#define PAPR_H_INT_GET_OS_REPORTING_LINE  0x3C4
#define PAPR_H_INT_ESB                    0x3C8
#define PAPR_H_INT_SYNC                   0x3CC
#define PAPR_H_INT_RESET                  0x3D0
#define PAPR_H_SCM_READ_METADATA          0x3E4
#define PAPR_H_SCM_WRITE_METADATA         0x3E8
#define PAPR_H_SCM_BIND_MEM               0x3EC
#define PAPR_H_SCM_UNBIND_MEM             0x3F0
#define PAPR_H_SCM_QUERY_BLOCK_MEM_BINDING    0x3F4
#define PAPR_H_SCM_QUERY_LOGICAL_MEM_BINDING  0x3F8
#define PAPR_H_SCM_UNBIND_ALL             0x3FC
#define PAPR_H_SCM_HEALTH                 0x400
#define PAPR_H_SCM_PERFORMANCE_STATS      0x418
#define PAPR_H_PKS_GET_CONFIG             0x41C
#define PAPR_H_PKS_SET_PASSWORD           0x420
#define PAPR_H_PKS_GEN_PASSWORD           0x424
#define PAPR_H_PKS_WRITE_OBJECT           0x42C
#define PAPR_H_PKS_GEN_KEY                0x430
#define PAPR_H_PKS_READ_OBJECT            0x434
#define PAPR_H_PKS_REMOVE_OBJECT          0x438
#define PAPR_H_PKS_CONFIRM_OBJECT_FLUSHED 0x43C
#define PAPR_H_RPT_INVALIDATE             0x448
#define PAPR_H_SCM_FLUSH                  0x44C
#define PAPR_H_GET_ENERGY_SCALE_INFO      0x450
#define PAPR_H_PKS_SIGNED_UPDATE          0x454
#define PAPR_H_HTM                        0x458
#define PAPR_H_WATCHDOG                   0x45C
#define PAPR_H_GUEST_GET_CAPABILITIES     0x460
#define PAPR_H_GUEST_SET_CAPABILITIES     0x464
#define PAPR_H_GUEST_CREATE               0x470
#define PAPR_H_GUEST_CREATE_VCPU          0x474
#define PAPR_H_GUEST_GET_STATE            0x478
#define PAPR_H_GUEST_SET_STATE            0x47C
#define PAPR_H_GUEST_RUN_VCPU             0x480
#define PAPR_H_GUEST_COPY_MEMORY          0x484
#define PAPR_H_GUEST_DELETE               0x488
#define PAPR_H_PKS_WRAP_OBJECT            0x490
#define PAPR_H_PKS_UNWRAP_OBJECT          0x494

/* ---- Secure VM / Ultravisor range ---- */
#define PAPR_H_SVM_PAGE_IN                0xEF00
#define PAPR_H_SVM_PAGE_OUT               0xEF04
#define PAPR_H_SVM_INIT_START             0xEF08
#define PAPR_H_SVM_INIT_DONE              0xEF0C
#define PAPR_SVM_H_TPM_COMM               0xEF10
#define PAPR_H_SVM_INIT_ABORT             0xEF14

/* ---- Platform-specific range (QEMU/KVM private, PHYP perf) ---- */
#define PAPR_KVMPPC_H_RTAS                0xF000
#define PAPR_KVMPPC_H_LOGICAL_MEMOP       0xF001
#define PAPR_KVMPPC_H_CAS                 0xF002
#define PAPR_KVMPPC_H_UPDATE_DT           0xF003
#define PAPR_KVMPPC_H_UPDATE_PHANDLE      0xF004
#define PAPR_KVMPPC_H_VOF_CLIENT          0xF005
#define PAPR_H_GET_24X7_CATALOG_PAGE      0xF078
#define PAPR_H_GET_24X7_DATA              0xF07C
#define PAPR_H_GET_PERF_COUNTER_INFO      0xF080
#define PAPR_KVMPPC_H_SET_PARTITION_TABLE 0xF800
#define PAPR_KVMPPC_H_ENTER_NESTED        0xF804
#define PAPR_KVMPPC_H_TLB_INVALIDATE      0xF808
#define PAPR_KVMPPC_H_COPY_TOFROM_GUEST   0xF80C

/* ---- SCM argument values ---- */
#define PAPR_H_UNBIND_SCOPE_ALL           0x1
#define PAPR_H_UNBIND_SCOPE_DRC           0x2
#define SPAPR_SCM_BIND_ANY_ADDR      UINT64_MAX

/* IBM bit numbering: bit 0 is the most significant bit of a doubleword. */
#define PAPR_PPC_BIT(n)                   (1ULL << (63 - (n)))

/*
 * Name of a return code ("H_PARAMETER"), or NULL if the value has no name.
 * H_LONG_BUSY_ORDER_1_MSEC is reported for 9900 (not the range alias).
 */
const char *spapr_hcall_status_name(int64_t status);

/*
 * Name of a known opcode ("H_SCM_BIND_MEM"), or NULL.  Knows every opcode
 * in this header whether or not a machine registers it.
 */
const char *spapr_hcall_opcode_name(uint64_t opcode);

/* Reverse lookups for tools: true and *out set when the name is known. */
bool spapr_hcall_status_from_name(const char *name, int64_t *out);
bool spapr_hcall_opcode_from_name(const char *name, uint64_t *out);

/*
 * Milliseconds a guest waits for a long-busy code, as Linux's
 * get_longbusy_msecs() does (1 for anything that is not long-busy).
 */
unsigned int spapr_hcall_long_busy_msecs(int64_t status);

#endif
