/*
 * CPU and OS feature detection. Reading the hardware (cpuid, xgetbv, auxv) is
 * kept apart from decoding it, so tests can decode the registers of CPUs this
 * machine is not.
 */
#ifndef ACTFAST_CPU_H
#define ACTFAST_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "actfast.h"
#include "kernels.h"

typedef struct {
    /* x86: instruction sets the CPU reports */
    bool fma, avx2, avx512f, avx512bw, avx512dq, avx512vl;
    /* x86: state the OS saves (CPUID.1:ECX.OSXSAVE, then XCR0) */
    bool osxsave, os_ymm, os_zmm;
    /* AArch64 */
    bool asimd;
} af_cpu;

/* The x86 registers detection reads: CPUID leaves 0, 1 and 7.0, and XCR0. */
typedef struct {
    uint32_t max_leaf;  /* CPUID.0:EAX */
    uint32_t leaf1_ecx; /* CPUID.1:ECX */
    uint32_t leaf7_ebx; /* CPUID.(7,0):EBX, 0 when max_leaf < 7 */
    uint64_t xcr0;      /* XGETBV(0), 0 when OSXSAVE is clear (xgetbv would fault) */
} af_x86_regs;

/* Pure: what the registers say. */
AF_HIDDEN af_cpu af_cpu_from_x86_regs(const af_x86_regs *regs);

/* Pure: AArch64 HWCAP bits (getauxval(AT_HWCAP)). */
AF_HIDDEN af_cpu af_cpu_from_arm_hwcap(unsigned long hwcap);

/* This machine's features (reads the hardware each call; dispatch caches the result). */
AF_HIDDEN af_cpu af_cpu_detect(void);

/* Pure: whether `isa` is compiled in and `cpu` can run it. AUTO and out-of-range: false. */
AF_HIDDEN bool af_isa_runnable(const af_cpu *cpu, actfast_isa isa);

/* Pure: the best runnable ISA for `cpu` (SCALAR at worst). */
AF_HIDDEN actfast_isa af_isa_best(const af_cpu *cpu);

/* Pure: the scalar ELU may use SLEEF's FMA variant (x86 with FMA and OS AVX state). */
AF_HIDDEN bool af_cpu_scalar_fma(const af_cpu *cpu);

#endif
