/*
 * ISA selection. The decoding of CPUID/XCR0 and HWCAP is pure, so fake CPUs
 * check the cases this machine cannot show: missing OS state, missing FMA,
 * partial AVX-512, old CPUID. Then the real machine: the ISA in use is the best
 * supported one, and every supported ISA can be forced and read back.
 */
#include <stdlib.h>

#include "cpu.h"
#include "dispatch.h"
#include "test_support.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The bits from the Intel SDM / AMD APM, written here independently of src/cpu_x86.c. */
#define ECX1_FMA (1u << 12)
#define ECX1_OSXSAVE (1u << 27)
#define ECX1_AVX (1u << 28)
/* SSE3, PCLMUL, SSSE3, CX16, SSE4.1/4.2, MOVBE, POPCNT, AES, XSAVE, F16C, RDRAND: irrelevant */
#define ECX1_OTHER 0x66d82203u
#define ECX1_QEMU64 0x00982201u /* SSE3, SSSE3, CX16, SSE4.1/4.2, POPCNT */
#define EBX7_AVX2 (1u << 5)
#define EBX7_AVX512F (1u << 16)
#define EBX7_AVX512DQ (1u << 17)
#define EBX7_AVX512BW (1u << 30)
#define EBX7_AVX512VL (1u << 31)
#define EBX7_OTHER 0x30b80308u /* BMI1/2, ERMS, ADX, SMAP, IFMA, CLFLUSHOPT, CD, SHA: irrelevant */
#define XCR0_X87 (1u << 0)
#define XCR0_SSE (1u << 1)
#define XCR0_YMM (1u << 2)
#define XCR0_OPMASK (1u << 5)
#define XCR0_ZMM_HI256 (1u << 6)
#define XCR0_HI16_ZMM (1u << 7)

#define ECX1_ALL (ECX1_OTHER | ECX1_FMA | ECX1_OSXSAVE | ECX1_AVX)
#define EBX7_AVX512 (EBX7_AVX512F | EBX7_AVX512DQ | EBX7_AVX512BW | EBX7_AVX512VL)
#define EBX7_ALL (EBX7_OTHER | EBX7_AVX2 | EBX7_AVX512)
#define XCR0_AVX (XCR0_X87 | XCR0_SSE | XCR0_YMM)
#define XCR0_ALL (XCR0_AVX | XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM)

#if defined(ACTFAST_WITH_AVX2)
static const bool with_avx2 = true;
#else
static const bool with_avx2 = false;
#endif
#if defined(ACTFAST_WITH_AVX512)
static const bool with_avx512 = true;
#else
static const bool with_avx512 = false;
#endif
#if defined(ACTFAST_WITH_NEON)
static const bool with_neon = true;
#else
static const bool with_neon = false;
#endif
#if defined(ACTFAST_WITH_SCALAR_FMA)
static const bool with_scalar_fma = true;
#else
static const bool with_scalar_fma = false;
#endif

/* What the CPU can run, limited to what this build compiled in. */
static actfast_isa expected_best(bool avx512_ok, bool avx2_ok)
{
    if (avx512_ok && with_avx512)
        return ACTFAST_ISA_AVX512;
    if (avx2_ok && with_avx2)
        return ACTFAST_ISA_AVX2;
    return ACTFAST_ISA_SCALAR;
}

typedef struct {
    const char *name;
    af_x86_regs regs;
    bool avx512_ok, avx2_ok, scalar_fma;
} fake_x86;

static const fake_x86 fakes[] = {
    {"Zen-like, everything", {0x10, ECX1_ALL, EBX7_ALL, XCR0_ALL}, true, true, true},
    {"AVX-512 CPU, OS saves YMM only", {0x10, ECX1_ALL, EBX7_ALL, XCR0_AVX}, false, true, true},
    {"AVX-512 CPU, OS lacks Hi16_ZMM", {0x10, ECX1_ALL, EBX7_ALL, XCR0_ALL & ~XCR0_HI16_ZMM}, false, true, true},
    {"AVX-512 CPU, OS lacks opmask", {0x10, ECX1_ALL, EBX7_ALL, XCR0_ALL & ~XCR0_OPMASK}, false, true, true},
    {"AVX-512 CPU, OS lacks ZMM_Hi256", {0x10, ECX1_ALL, EBX7_ALL, XCR0_ALL & ~XCR0_ZMM_HI256}, false, true, true},
    {"AVX2 without FMA", {0x10, ECX1_ALL & ~ECX1_FMA, EBX7_AVX2, XCR0_AVX}, false, false, false},
    {"AVX2+FMA, OSXSAVE clear (xcr0 ignored)", {0x10, ECX1_ALL & ~ECX1_OSXSAVE, EBX7_ALL, XCR0_ALL}, false, false, false},
    {"max_leaf 6: leaf 7 ignored", {6, ECX1_ALL, EBX7_ALL, XCR0_ALL}, false, false, true},
    {"max_leaf 0: nothing", {0, ECX1_ALL, EBX7_ALL, XCR0_ALL}, false, false, false},
    {"AVX-512F without BW/DQ/VL", {0x10, ECX1_ALL, EBX7_AVX2 | EBX7_AVX512F, XCR0_ALL}, false, true, true},
    {"AVX-512 without BW", {0x10, ECX1_ALL, EBX7_ALL & ~EBX7_AVX512BW, XCR0_ALL}, false, true, true},
    {"AVX-512 without DQ", {0x10, ECX1_ALL, EBX7_ALL & ~EBX7_AVX512DQ, XCR0_ALL}, false, true, true},
    {"AVX-512 without VL", {0x10, ECX1_ALL, EBX7_ALL & ~EBX7_AVX512VL, XCR0_ALL}, false, true, true},
    {"AVX-512 without AVX2", {0x10, ECX1_ALL, EBX7_ALL & ~EBX7_AVX2, XCR0_ALL}, false, false, true},
    {"AVX2 and FMA bits but no AVX", {0x10, ECX1_ALL & ~ECX1_AVX, EBX7_ALL, XCR0_ALL}, false, false, false},
    {"OS saves YMM but not SSE state", {0x10, ECX1_ALL, EBX7_ALL, XCR0_ALL & ~XCR0_SSE}, false, false, false},
    {"qemu64-like: no AVX at all", {0xd, ECX1_QEMU64, 0, 0}, false, false, false},
};

static void test_fake_x86_cpus(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(fakes); i++) {
        const fake_x86 *f = &fakes[i];
        const af_cpu cpu = af_cpu_from_x86_regs(&f->regs);
        const actfast_isa best = af_isa_best(&cpu);
        const actfast_isa want = expected_best(f->avx512_ok, f->avx2_ok);
        if (best != want)
            fail_msg("%s: best ISA %s, want %s", f->name, actfast_isa_name(best), actfast_isa_name(want));
        if (af_isa_runnable(&cpu, ACTFAST_ISA_AVX512) != (f->avx512_ok && with_avx512))
            fail_msg("%s: AVX-512 runnable is wrong", f->name);
        if (af_isa_runnable(&cpu, ACTFAST_ISA_AVX2) != (f->avx2_ok && with_avx2))
            fail_msg("%s: AVX2 runnable is wrong", f->name);
        if (!af_isa_runnable(&cpu, ACTFAST_ISA_SCALAR))
            fail_msg("%s: scalar must always run", f->name);
        if (af_isa_runnable(&cpu, ACTFAST_ISA_NEON))
            fail_msg("%s: an x86 CPU cannot run NEON", f->name);
        if (af_isa_runnable(&cpu, ACTFAST_ISA_AUTO) || af_isa_runnable(&cpu, (actfast_isa)99))
            fail_msg("%s: AUTO and out-of-range values are never runnable", f->name);
        if (af_cpu_scalar_fma(&cpu) != (f->scalar_fma && with_scalar_fma))
            fail_msg("%s: scalar FMA ELU should be %s", f->name,
                     f->scalar_fma && with_scalar_fma ? "on" : "off");
        assert_false(cpu.asimd);
    }
}

/* The feature flags themselves, for the two ends of the range. */
static void test_fake_x86_fields(void **state)
{
    (void)state;
    const af_x86_regs zen = {0x10, ECX1_ALL, EBX7_ALL, XCR0_ALL};
    const af_cpu c = af_cpu_from_x86_regs(&zen);
    assert_true(c.fma && c.avx2 && c.avx512f && c.avx512bw && c.avx512dq && c.avx512vl);
    assert_true(c.osxsave && c.os_ymm && c.os_zmm);

    const af_x86_regs no_osxsave = {0x10, ECX1_ALL & ~ECX1_OSXSAVE, EBX7_ALL, XCR0_ALL};
    const af_cpu d = af_cpu_from_x86_regs(&no_osxsave);
    assert_false(d.osxsave);
    assert_false(d.os_ymm); /* xgetbv would fault: XCR0 means nothing */
    assert_false(d.os_zmm);

    const af_x86_regs old = {6, ECX1_ALL, EBX7_ALL, XCR0_ALL};
    const af_cpu e = af_cpu_from_x86_regs(&old);
    assert_true(e.fma && e.os_ymm);
    assert_false(e.avx2 || e.avx512f || e.avx512bw || e.avx512dq || e.avx512vl);

    const af_x86_regs qemu = {0xd, ECX1_QEMU64, 0, 0};
    const af_cpu q = af_cpu_from_x86_regs(&qemu);
    assert_false(q.fma || q.avx2 || q.avx512f || q.osxsave || q.os_ymm || q.os_zmm);
}

static void test_fake_arm_cpus(void **state)
{
    (void)state;
    const af_cpu asimd = af_cpu_from_arm_hwcap(1ul << 1);
    assert_true(asimd.asimd);
    assert_false(asimd.avx2 || asimd.fma || asimd.avx512f || asimd.osxsave);
    assert_int_equal(af_isa_best(&asimd), with_neon ? ACTFAST_ISA_NEON : ACTFAST_ISA_SCALAR);
    assert_int_equal(af_isa_runnable(&asimd, ACTFAST_ISA_NEON), with_neon);
    assert_false(af_isa_runnable(&asimd, ACTFAST_ISA_AVX2));
    assert_false(af_cpu_scalar_fma(&asimd));

    const unsigned long others[] = {0, 1ul, ~(1ul << 1)}; /* FP alone, everything but ASIMD */
    for (size_t i = 0; i < COUNT(others); i++) {
        const af_cpu c = af_cpu_from_arm_hwcap(others[i]);
        assert_false(c.asimd);
        assert_int_equal(af_isa_best(&c), ACTFAST_ISA_SCALAR);
    }
}

static void test_isa_from_name(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        actfast_isa isa;
    } good[] = {
        {"scalar", ACTFAST_ISA_SCALAR}, {"SCALAR", ACTFAST_ISA_SCALAR}, {"Scalar", ACTFAST_ISA_SCALAR},
        {"avx2", ACTFAST_ISA_AVX2},     {"AVX2", ACTFAST_ISA_AVX2},     {"aVx2", ACTFAST_ISA_AVX2},
        {"avx512", ACTFAST_ISA_AVX512}, {"AVX512", ACTFAST_ISA_AVX512}, {"neon", ACTFAST_ISA_NEON},
        {"NEON", ACTFAST_ISA_NEON},     {"auto", ACTFAST_ISA_AUTO},     {"AUTO", ACTFAST_ISA_AUTO},
    };
    for (size_t i = 0; i < COUNT(good); i++) {
        actfast_isa isa = (actfast_isa)-1;
        if (!af_isa_from_name(good[i].name, &isa) || isa != good[i].isa)
            fail_msg("af_isa_from_name(\"%s\") should give %s", good[i].name, actfast_isa_name(good[i].isa));
    }
    static const char *const bad[] = {"", "sse", "avx", "avx-512", "avx512f", "avx2 ", " avx2",
                                      "scalar1", "neo", "autox", "none", "unknown"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        actfast_isa isa = ACTFAST_ISA_SCALAR;
        if (af_isa_from_name(bad[i], &isa))
            fail_msg("af_isa_from_name(\"%s\") should be rejected", bad[i]);
    }
    actfast_isa isa = ACTFAST_ISA_SCALAR;
    assert_false(af_isa_from_name(NULL, &isa));
}

/* The best ISA by the public API alone: the order of preference the header documents. */
static actfast_isa best_supported(void)
{
    static const actfast_isa order[] = {ACTFAST_ISA_AVX512, ACTFAST_ISA_AVX2, ACTFAST_ISA_NEON};
    for (size_t i = 0; i < COUNT(order); i++) {
        if (actfast_isa_supported(order[i]))
            return order[i];
    }
    return ACTFAST_ISA_SCALAR;
}

/* Runs first, before anything forces an ISA: ACTFAST_ISA is unset in main(). */
static void test_real_machine_default(void **state)
{
    (void)state;
    const actfast_isa now = actfast_get_isa();
    assert_int_equal(now, best_supported());
    assert_int_equal(now, af_isa_best(af_detected_cpu()));
    assert_int_equal(af_dispatch_choice(), AF_CHOSEN_BEST);
    assert_true(actfast_isa_supported(ACTFAST_ISA_AUTO));
    assert_true(actfast_isa_supported(ACTFAST_ISA_SCALAR));
#if defined(__x86_64__) || defined(__i386__)
    /* The compiler's own detection (which also checks XCR0) must agree. */
    __builtin_cpu_init();
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    assert_int_equal(actfast_isa_supported(ACTFAST_ISA_AVX2), avx2 && with_avx2);
    assert_int_equal(actfast_isa_supported(ACTFAST_ISA_AVX512), avx512 && with_avx512);
    assert_false(actfast_isa_supported(ACTFAST_ISA_NEON));
#endif
}

static void test_real_machine_set_and_read_back(void **state)
{
    (void)state;
    for (int i = ACTFAST_ISA_SCALAR; i < ACTFAST_ISA_COUNT; i++) {
        const actfast_isa isa = (actfast_isa)i;
        if (!actfast_isa_supported(isa))
            continue;
        assert_int_equal(actfast_set_isa(isa), ACTFAST_OK);
        assert_int_equal(actfast_get_isa(), isa);
        assert_int_equal(af_dispatch_choice(), AF_CHOSEN_SET_ISA);
    }
    assert_int_equal(actfast_set_isa(ACTFAST_ISA_AUTO), ACTFAST_OK);
    assert_int_equal(actfast_get_isa(), best_supported());
    assert_true(actfast_get_isa() != ACTFAST_ISA_AUTO);
}

int main(void)
{
    /* The default choice must not depend on the caller's environment. */
    unsetenv("ACTFAST_ISA");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_machine_default),
        cmocka_unit_test(test_real_machine_set_and_read_back),
        cmocka_unit_test(test_fake_x86_cpus),
        cmocka_unit_test(test_fake_x86_fields),
        cmocka_unit_test(test_fake_arm_cpus),
        cmocka_unit_test(test_isa_from_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
