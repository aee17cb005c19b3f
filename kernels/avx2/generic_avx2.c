/* The generic kernels, avx2: see kernels/generic.h. */
#include "simd/vec_avx2.h"

#include "generic.h"
