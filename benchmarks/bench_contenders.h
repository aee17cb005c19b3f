/* Every contender the benchmark knows; main.c lists the ones this build has. */
#ifndef AFB_CONTENDERS_H
#define AFB_CONTENDERS_H

#include "bench_case.h"

/* libactfast forced to each ISA compiled in (kernels/isas.inc), in that file's order. */
extern const afb_contender afb_actfast_isas[];
extern const size_t afb_actfast_isa_count;

/* libactfast's public entry points with the ISA it picks itself, at small n. */
extern const afb_contender afb_actfast_auto;

/* What a user writes by hand: a plain C loop, -O3, no -march. */
extern const afb_contender afb_plain_c;

/* memcpy of the same bytes: the bandwidth ceiling. */
extern const afb_contender afb_memcpy;

#if defined(AFB_WITH_XNNPACK)
extern const afb_contender afb_xnnpack;
#endif
#if defined(AFB_WITH_ONEDNN)
extern const afb_contender afb_onednn;
/* oneDNN's version, "major.minor.patch". */
const char *afb_onednn_version(void);
#endif

#endif /* AFB_CONTENDERS_H */
