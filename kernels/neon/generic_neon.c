/* The generic kernels, neon: see kernels/generic.h. */
#include "simd/vec_neon.h"

#include "generic.h"
