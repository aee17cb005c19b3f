/* The generic kernels, avx512: see kernels/generic.h. */
#include "simd/vec_avx512.h"

#include "generic.h"
