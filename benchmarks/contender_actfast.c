/*
 * libactfast through its public API only: one contender per ISA compiled in,
 * forced with actfast_set_isa, and "auto", the ISA the library picks itself.
 */
#include <stdio.h>

#include "actfast.h"
#include "bench_contenders.h"

/* A call's status: nonzero on error. */
#define ACTFAST_CALL(name, args) actfast_##name##_f32(args)
AFB_DEFINE_RUNNERS(ACTFAST_CALL)

/* Every op of ops.h, in place and out; not the reference streams. */
static bool has(const afb_op *op, bool in_place)
{
    (void)in_place;
    return afb_runner_for(op->kind) != NULL;
}

static const char *prepare(const afb_contender *who, afb_call *c)
{
    if (actfast_set_isa((actfast_isa)who->arg) != ACTFAST_OK)
        return "skipped: this CPU (or its OS) cannot run this ISA";
    c->run = afb_runner_for(c->op->kind);
    if (who->arg == ACTFAST_ISA_AUTO)
        snprintf(c->label, sizeof c->label, "%s", actfast_isa_name(actfast_get_isa()));
    return NULL;
}

#define ACTFAST_ISA(ENUM, suffix) {#suffix, ACTFAST_ISA_##ENUM, AFB_SWEEP, has, prepare, NULL},
const afb_contender afb_actfast_isas[] = {
#include "isas.inc"
};
#undef ACTFAST_ISA
const size_t afb_actfast_isa_count = sizeof afb_actfast_isas / sizeof afb_actfast_isas[0];

const afb_contender afb_actfast_auto = {"auto", ACTFAST_ISA_AUTO, AFB_PER_CALL, has, prepare, NULL};
