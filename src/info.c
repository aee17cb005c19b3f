/* Names and version strings. */
#include "actfast.h"

#ifndef ACTFAST_BUILD_VERSION
#error "the build defines ACTFAST_BUILD_VERSION from the project version"
#endif

const char *actfast_isa_name(actfast_isa isa)
{
    switch (isa) {
    case ACTFAST_ISA_AUTO:
        return "auto";
    case ACTFAST_ISA_SCALAR:
        return "scalar";
    case ACTFAST_ISA_AVX2:
        return "avx2";
    case ACTFAST_ISA_AVX512:
        return "avx512";
    case ACTFAST_ISA_NEON:
        return "neon";
    }
    return "unknown";
}

const char *actfast_status_str(actfast_status s)
{
    switch (s) {
    case ACTFAST_OK:
        return "success";
    case ACTFAST_ERR_NULL:
        return "NULL array with a non-zero size";
    case ACTFAST_ERR_OVERLAP:
        return "input and output overlap partially";
    case ACTFAST_ERR_ARG:
        return "invalid argument (non-finite parameter or size overflow)";
    case ACTFAST_ERR_UNSUPPORTED:
        return "ISA not supported by this CPU, OS or build";
    }
    return "unknown status";
}

const char *actfast_version(void)
{
    return ACTFAST_BUILD_VERSION;
}
