/*
 * The one dispatch table: a set of kernels per ISA, and the set in use now.
 *
 * The first call detects the CPU (once, under pthread_once), builds a table for
 * every ISA it can run, and picks one (ACTFAST_ISA in the environment, else the
 * best). After that a call costs one atomic load.
 */
#ifndef ACTFAST_DISPATCH_H
#define ACTFAST_DISPATCH_H

#include <stdatomic.h>
#include <stdbool.h>

#include "actfast.h"
#include "cpu.h"
#include "kernels.h"

typedef struct {
    actfast_isa isa;
#define AF_TABLE_FIELD(name, kind, params, impl, bound, unused) AF_KERNEL_TYPE_##kind name;
    AF_FOR_EACH_OP(AF_TABLE_FIELD, ~)
#undef AF_TABLE_FIELD
} af_table;

/* How the ISA in use was chosen, for actfast-info. */
typedef enum {
    AF_CHOSEN_BEST = 0,     /* best the CPU supports */
    AF_CHOSEN_ENV,          /* ACTFAST_ISA in the environment */
    AF_CHOSEN_ENV_IGNORED,  /* ACTFAST_ISA was set but unknown or unsupported: best instead */
    AF_CHOSEN_SET_ISA       /* actfast_set_isa() */
} af_choice;

extern AF_HIDDEN _Atomic(const af_table *) af_active;

AF_HIDDEN const af_table *af_dispatch_init(void);

/* The table in use; the slow path runs once per process. */
static inline const af_table *af_table_now(void)
{
    const af_table *t = atomic_load_explicit(&af_active, memory_order_acquire);
    return t ? t : af_dispatch_init();
}

/* The table for `isa`, or NULL if it cannot run here. */
AF_HIDDEN const af_table *af_table_for(actfast_isa isa);

/* The features detection found, and how the ISA in use was chosen. */
AF_HIDDEN const af_cpu *af_detected_cpu(void);
AF_HIDDEN af_choice af_dispatch_choice(void);

/* Pure: parse an ACTFAST_ISA value ("scalar", "AVX2", ...). False if unknown. */
AF_HIDDEN bool af_isa_from_name(const char *name, actfast_isa *isa);

#endif
