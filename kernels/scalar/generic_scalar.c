/* The generic kernels, scalar (one lane): see kernels/generic.h. */
#include "simd/vec_scalar.h"

#include "generic.h"
