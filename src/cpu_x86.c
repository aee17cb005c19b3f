/* x86 feature detection: cpuid for what the CPU has, xgetbv for what the OS saves. */
#include "cpu.h"

#define ECX1_FMA (1u << 12)
#define ECX1_OSXSAVE (1u << 27)
#define ECX1_AVX (1u << 28)
#define EBX7_AVX2 (1u << 5)
#define EBX7_AVX512F (1u << 16)
#define EBX7_AVX512DQ (1u << 17)
#define EBX7_AVX512BW (1u << 30)
#define EBX7_AVX512VL (1u << 31)
#define XCR0_SSE (1u << 1)
#define XCR0_YMM (1u << 2)
#define XCR0_OPMASK (1u << 5)
#define XCR0_ZMM_HI256 (1u << 6)
#define XCR0_HI16_ZMM (1u << 7)

af_cpu af_cpu_from_x86_regs(const af_x86_regs *r)
{
    af_cpu c = {0};
    if (r->max_leaf < 1)
        return c;
    const uint32_t ecx1 = r->leaf1_ecx;
    const uint32_t ebx7 = r->max_leaf >= 7 ? r->leaf7_ebx : 0;
    c.osxsave = (ecx1 & ECX1_OSXSAVE) != 0;
    if (c.osxsave) {
        const uint64_t ymm = XCR0_SSE | XCR0_YMM;
        const uint64_t zmm = ymm | XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM;
        c.os_ymm = (r->xcr0 & ymm) == ymm;
        c.os_zmm = (r->xcr0 & zmm) == zmm;
    }
    /* VEX-encoded FMA needs AVX too: report it only where AVX is there. */
    c.fma = (ecx1 & ECX1_FMA) && (ecx1 & ECX1_AVX);
    c.avx2 = (ebx7 & EBX7_AVX2) && (ecx1 & ECX1_AVX);
    c.avx512f = (ebx7 & EBX7_AVX512F) != 0;
    c.avx512dq = (ebx7 & EBX7_AVX512DQ) != 0;
    c.avx512bw = (ebx7 & EBX7_AVX512BW) != 0;
    c.avx512vl = (ebx7 & EBX7_AVX512VL) != 0;
    return c;
}

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static af_x86_regs read_x86_regs(void)
{
    af_x86_regs r = {0};
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d))
        return r;
    r.max_leaf = a;
    if (r.max_leaf >= 1 && __get_cpuid(1, &a, &b, &c, &d))
        r.leaf1_ecx = c;
    if (r.max_leaf >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        r.leaf7_ebx = b;
    }
    if (r.leaf1_ecx & ECX1_OSXSAVE) {
        uint32_t lo, hi;
        /* xgetbv by opcode, so this file needs no -mxsave. */
        __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
        r.xcr0 = ((uint64_t)hi << 32) | lo;
    }
    return r;
}

af_cpu af_cpu_detect(void)
{
    const af_x86_regs r = read_x86_regs();
    return af_cpu_from_x86_regs(&r);
}
#endif
