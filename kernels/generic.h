/*
 * The generic kernels of one ISA: included by kernels/<isa>/generic_<isa>.c
 * right after that ISA's vector helpers, it defines af_<op>_f32_<isa> for
 * every GENERIC, PACKED and STAGED op of ops.h from the op's math
 * (kernels/math/<op>.h, listed for it by CMake in generic_math.h) and the
 * loop of rows.h, packed.h or staged.h.
 */
#ifndef ACTFAST_GENERIC_H
#define ACTFAST_GENERIC_H

#include "kernels.h"
#include "rows.h"
#include "packed.h"
#include "staged.h"

#include "generic_math.h" /* generated: #include "math/<op>.h" for each GENERIC op */

#define AF_GENERIC_KERNEL_PRELU_BWD(name)                                                    \
    void AF_KERNEL_NAME(name) AF_PARAMS_PRELU_BWD                                           \
    {                                                                                        \
        name##_kernel(x, dy, dx, dslopes, outer, channels, inner, slopes);                  \
    }

#define AF_INSTANTIATE(name, kind, params, impl, bound, unused) AF_INSTANTIATE_##impl(name, kind)
#define AF_INSTANTIATE_KERNEL(name, kind)
#define AF_INSTANTIATE_GENERIC(name, kind) AF_GENERIC_KERNEL_##kind(name)
#define AF_INSTANTIATE_PACKED(name, kind) AF_GENERIC_KERNEL_##kind##_PACKED(name)
#define AF_INSTANTIATE_STAGED(name, kind) AF_GENERIC_KERNEL_##kind##_STAGED(name)
AF_FOR_EACH_OP(AF_INSTANTIATE, ~)

#endif
