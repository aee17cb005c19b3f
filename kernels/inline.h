/*
 * Inlining the kernels rely on: AF_ALWAYS_INLINE where a function is
 * instantiated per compile-time variant (ELU's kind of alpha, Leaky ReLU's
 * form, a row's store mode) and must fold to one loop per variant;
 * AF_NOINLINE where a rarely taken path must not take the hot loop's registers.
 */
#ifndef ACTFAST_INLINE_H
#define ACTFAST_INLINE_H

#if defined(__GNUC__)
#define AF_NOINLINE __attribute__((noinline))
#define AF_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define AF_NOINLINE
#define AF_ALWAYS_INLINE inline
#endif

#endif
