/*
 * spapr-hv: hypercalls in every convention over the qtest socket and QMP
 *
 * Copyright (c) 2026 spapr-hcall developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "libqtest.h"

typedef struct Case {
    const char *req;
    const char *reply;
} Case;

#define Z   "=0x0000000000000000"

static const Case cases[] = {
    { "hypercall kvm-x86 KVM_HC_VAPIC_POLL_IRQ",
      "OK rax" Z " rbx" Z " rcx" Z " rdx" Z " rsi" Z },
    { "hypercall kvm-x86 12 0x1001 1 0",
      "OK rax=0xffffffffffffffea rbx=0x0000000000001001 "
      "rcx=0x0000000000000001 rdx" Z " rsi" Z },
    { "hypercall kvm-x86,32 0xffffffff00000002",
      "OK rax=0x00000000fffffc18 rbx" Z " rcx" Z " rdx" Z " rsi" Z },
    { "hypercall kvm-x86,user 1",
      "OK rax=0xffffffffffffffff rbx" Z " rcx" Z " rdx" Z " rsi" Z },
    { "hypercall kvm-s390 DIAG500_STORAGE_LIMIT",
      "OK r2=0x000000003fffffff r3" Z " r4" Z " r5" Z " r6" Z " r7" Z },
    { "hypercall kvm-s390 3 0x10002 1 0x77",
      "OK r2=0x0000000000000077 r3=0x0000000000000001 "
      "r4=0x0000000000000077 r5" Z " r6" Z " r7" Z },
    { "hypercall kvm-s390 5", "OK EXCEPTION specification" },
    { "hypercall kvm-s390,operand=0x501 4", "OK EXCEPTION specification" },
    { "hypercall kvm-s390,user 4", "OK EXCEPTION privileged-operation" },
    { "hypercall epapr KVM_HC_FEATURES",
      "OK r3" Z " r4" Z " r5" Z " r6" Z " r7" Z " r8" Z " r9" Z " r10" Z
      " r11=0x00000000002a0003" },
    { "hypercall ps3 lv1_get_logical_partition_id",
      "OK r3" Z " r4=0x0000000000000001 r5" Z " r6" Z " r7" Z " r8" Z
      " r9" Z " r10" Z },
    { "hypercall ps3 300",
      "OK r3=0xfffffffffffffffa r4" Z " r5" Z " r6" Z " r7" Z " r8" Z
      " r9" Z " r10" Z },
    { "hypercall beat 0x1000000000000190",
      "OK r3" Z " r4" Z " r5" Z " r6" Z " r7" Z " r8" Z " r9" Z " r10" Z },
    { "hypercall xen,poison xen_version 0 0",
      "OK rax=0x0000000000040011 rdi=0xdeadbeefdeadf00d "
      "rsi=0xdeadbeefdeadf00d rdx" Z " r10" Z " r8" Z },
    { "hypercall xen,32 23",
      "OK rax=0x00000000ffffffda rbx" Z " rcx" Z " rdx" Z " rsi" Z
      " rdi" Z },
    { "hypercall papr H_LOGICAL_CI_LOAD 8 0x4000",
      "OK r3" Z " r4=0x1122334455667788 r5=0x0000000000004000 r6" Z
      " r7" Z " r8" Z " r9" Z " r10" Z " r11" Z " r12" Z },
    { "hypercall vmware 1", "FAIL unknown convention 'vmware'" },
    { "hypercall xen,64 1", "FAIL unknown flag '64'" },
    { "hypercall xen nope", "FAIL invalid number 'nope'" },
    { "hypercall xen 1 x", "FAIL invalid number 'x'" },
    { "hypercall kvm-x86 1 1 2 3 4 5",
      "FAIL kvm-x86 takes at most 4 arguments" },
    { "hypercall xen", "FAIL hypercall: missing argument" },
    { "xen-hypercall-page 0x8000 vmx", "OK" },
    { "read 0x8220 10", "OK 0xb8110000000f01c1c3cc" },
    { "read 0x82e0 3", "OK 0x0f0bcc" },
    { "xen-hypercall-page 0x9000 pv32", "OK" },
    { "read 0x9220 8", "OK 0xb811000000cd82c3" },
    { "xen-hypercall-page 0x8001 vmx", "FAIL #GP" },
    { "xen-hypercall-page 0x40000000 vmx", "FAIL #GP" },
    { "xen-hypercall-page 0x8000 arm", "FAIL unknown mode 'arm'" },
};

static void test_qtest(void)
{
    QTestState *s = qtest_init("-M pseries -m 1G");
    g_autofree char *stats = NULL;
    size_t i;

    qtest_writeq(s, 0x4000, 0x1122334455667788ULL);
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *r = qtest_cmd(s, "%s", cases[i].req);

        g_test_message("%s", cases[i].req);
        g_assert_cmpstr(r, ==, cases[i].reply);
    }
    stats = qtest_cmd(s, "stats");
    g_assert_nonnull(strstr(stats, " kvm-x86/KVM_HC_MAP_GPA_RANGE:0xc:1:1"));
    g_assert_nonnull(strstr(stats, " xen/xen_version:0x11:1:0"));
    g_assert_nonnull(strstr(stats, " H_LOGICAL_CI_LOAD:0x3c:1:0"));
    g_assert_nonnull(strstr(stats, " unregistered:-:0:0"));
    g_assert_nonnull(strstr(stats, " unregistered/kvm-x86:-:2:2"));
    g_assert_nonnull(strstr(stats, " unregistered/kvm-s390:-:3:3"));
    g_assert_null(strstr(stats, "unregistered/beat"));
    qtest_quit(s);
}

/* QMP hypercall: arguments -> the reply (a prefix when it ends in '*') */
static const Case qmp_cases[] = {
    { "{'convention': 'kvm-x86', 'nr': 'KVM_HC_MAP_GPA_RANGE', "
      "'args': '0x1000 0'}",
      "{\"return\": {\"convention\": \"kvm-x86\", \"registers\": "
      "{\"rax\": -22, \"rbx\": 4096, \"rcx\": 0, \"rdx\": 0, "
      "\"rsi\": 0}}}" },
    { "{'convention': 'kvm-s390', 'nr': '7'}",
      "{\"return\": {\"convention\": \"kvm-s390\", \"exception\": "
      "\"specification\"}}" },
    { "{'convention': 'xen,32', 'nr': '17', 'args': ' 0  '}",
      "{\"return\": {\"convention\": \"xen\", \"registers\": "
      "{\"rax\": 262161, \"rbx\": 0, \"rcx\": 0, \"rdx\": 0, "
      "\"rsi\": 0, \"rdi\": 0}}}" },
    { "{'convention': 'xen', 'nr': '17', 'args': '1 2 q'}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": "
      "\"Invalid argument 'q'\"}}" },
    { "{'convention': 'nope', 'nr': '1'}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": "
      "\"unknown convention 'nope'\"}}" },
    { "{'convention': 'xen'}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": "
      "\"Parameter 'nr' is missing\"}}" },
    { "{'convention': 'xen', 'nr': 17}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": "
      "\"Invalid parameter type*" },
};

static void test_qmp(void)
{
    QTestState *s = qtest_init("-M pseries -m 1G");
    g_autofree char *list = NULL;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(qmp_cases); i++) {
        const Case *c = &qmp_cases[i];
        g_autofree char *r = qtest_qmp(s, "{'execute': 'hypercall', "
                                       "'arguments': %s}", c->req);
        size_t n = strlen(c->reply);

        g_test_message("%s", c->req);
        if (c->reply[n - 1] == '*') {
            g_assert_cmpint(strncmp(r, c->reply, n - 1), ==, 0);
        } else {
            g_assert_cmpstr(r, ==, c->reply);
        }
    }
    list = qtest_qmp(s, "{'execute': 'query-hcalls'}");
    g_assert_nonnull(strstr(list, "{\"name\": \"H_LOGICAL_CI_LOAD\", "));
    g_assert_nonnull(strstr(list, "{\"name\": \"KVM_HC_MAP_GPA_RANGE\", "
                            "\"convention\": \"kvm-x86\", \"number\": 12, "
                            "\"calls\": 1, \"errors\": 1}"));
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/abi-socket/qtest", test_qtest);
    g_test_add_func("/abi-socket/qmp", test_qmp);
    return g_test_run();
}
