/* Which ISAs a CPU can run, and which is best: pure functions of the detected features. */
#include "cpu.h"

bool af_isa_runnable(const af_cpu *cpu, actfast_isa isa)
{
    (void)cpu; /* unused when no SIMD ISA is compiled in */
    switch (isa) {
    case ACTFAST_ISA_SCALAR:
        return true;
#if defined(ACTFAST_WITH_AVX2)
    case ACTFAST_ISA_AVX2:
        return cpu->avx2 && cpu->fma && cpu->osxsave && cpu->os_ymm;
#endif
#if defined(ACTFAST_WITH_AVX512)
    case ACTFAST_ISA_AVX512:
        /* The AVX-512 kernels also use AVX2/FMA encodings and need the whole ZMM/opmask state. */
        return cpu->avx512f && cpu->avx512bw && cpu->avx512dq && cpu->avx512vl && cpu->avx2 &&
               cpu->fma && cpu->osxsave && cpu->os_ymm && cpu->os_zmm;
#endif
#if defined(ACTFAST_WITH_NEON)
    case ACTFAST_ISA_NEON:
        return cpu->asimd;
#endif
    default:
        return false;
    }
}

actfast_isa af_isa_best(const af_cpu *cpu)
{
    static const actfast_isa preference[] = {ACTFAST_ISA_AVX512, ACTFAST_ISA_AVX2, ACTFAST_ISA_NEON};
    for (size_t i = 0; i < sizeof preference / sizeof preference[0]; i++) {
        if (af_isa_runnable(cpu, preference[i]))
            return preference[i];
    }
    return ACTFAST_ISA_SCALAR;
}

bool af_cpu_scalar_fma(const af_cpu *cpu)
{
#if defined(ACTFAST_WITH_SCALAR_FMA)
    return cpu->fma && cpu->osxsave && cpu->os_ymm;
#else
    (void)cpu;
    return false;
#endif
}
