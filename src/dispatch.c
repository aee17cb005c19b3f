/* Builds the per-ISA kernel tables once and publishes the one in use. */
#include "dispatch.h"

#include <pthread.h>
#include <stdlib.h>
#include <strings.h>

_Atomic(const af_table *) af_active;

static af_cpu detected;
static af_table tables[ACTFAST_ISA_COUNT];
static bool runnable[ACTFAST_ISA_COUNT];
static _Atomic af_choice choice;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

bool af_isa_from_name(const char *name, actfast_isa *isa)
{
    static const struct {
        const char *name;
        actfast_isa isa;
    } names[] = {{"auto", ACTFAST_ISA_AUTO},
                 {"scalar", ACTFAST_ISA_SCALAR},
                 {"avx2", ACTFAST_ISA_AVX2},
                 {"avx512", ACTFAST_ISA_AVX512},
                 {"neon", ACTFAST_ISA_NEON}};
    if (!name)
        return false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(name, names[i].name) == 0) {
            *isa = names[i].isa;
            return true;
        }
    }
    return false;
}

static void fill_tables(void)
{
#define AF_FILL_OP(name, kind, params, impl, bound, suffix) t->name = af_##name##_f32_##suffix;
#define ACTFAST_ISA(ENUM, suffix)                                                            \
    if (af_isa_runnable(&detected, ACTFAST_ISA_##ENUM)) {                                    \
        af_table *t = &tables[ACTFAST_ISA_##ENUM];                                           \
        t->isa = ACTFAST_ISA_##ENUM;                                                         \
        AF_FOR_EACH_OP(AF_FILL_OP, suffix)                                                   \
        runnable[ACTFAST_ISA_##ENUM] = true;                                                 \
    }
#include "isas.inc"
#undef ACTFAST_ISA
#undef AF_FILL_OP
#if defined(ACTFAST_WITH_SCALAR_FMA)
    /* The scalar kernels built against SLEEF's FMA variants, where the CPU has FMA (kernels.h). */
    if (af_cpu_scalar_fma(&detected)) {
        af_table *t = &tables[ACTFAST_ISA_SCALAR];
#define AF_FILL_FMA(name, kind, params, impl, bound, unused) AF_FILL_FMA_##impl(name)
#define AF_FILL_FMA_KERNEL(name)
#define AF_FILL_FMA_GENERIC(name) t->name = af_##name##_f32_scalar_fma;
#define AF_FILL_FMA_PACKED AF_FILL_FMA_GENERIC
#define AF_FILL_FMA_STAGED AF_FILL_FMA_GENERIC
        AF_FOR_EACH_OP(AF_FILL_FMA, ~)
#undef AF_FILL_FMA
#undef AF_FILL_FMA_KERNEL
#undef AF_FILL_FMA_GENERIC
#undef AF_FILL_FMA_PACKED
#undef AF_FILL_FMA_STAGED
        t->elu = af_elu_f32_scalar_fma;
    }
#endif
}

static void init(void)
{
    detected = af_cpu_detect();
    fill_tables();
    actfast_isa isa = af_isa_best(&detected);
    af_choice why = AF_CHOSEN_BEST;
    const char *env = getenv("ACTFAST_ISA");
    actfast_isa wanted;
    if (env && *env) {
        if (af_isa_from_name(env, &wanted) && (wanted == ACTFAST_ISA_AUTO || runnable[wanted])) {
            if (wanted != ACTFAST_ISA_AUTO)
                isa = wanted;
            why = AF_CHOSEN_ENV;
        } else {
            why = AF_CHOSEN_ENV_IGNORED;
        }
    }
    atomic_store_explicit(&choice, why, memory_order_relaxed);
    const af_table *expected = NULL;
    /* actfast_set_isa() may have won the race; its choice stands. */
    atomic_compare_exchange_strong_explicit(&af_active, &expected, &tables[isa],
                                            memory_order_acq_rel, memory_order_acquire);
}

const af_table *af_dispatch_init(void)
{
    pthread_once(&init_once, init);
    return atomic_load_explicit(&af_active, memory_order_acquire);
}

const af_table *af_table_for(actfast_isa isa)
{
    af_dispatch_init();
    if ((unsigned)isa >= ACTFAST_ISA_COUNT || !runnable[isa])
        return NULL;
    return &tables[isa];
}

const af_cpu *af_detected_cpu(void)
{
    af_dispatch_init();
    return &detected;
}

af_choice af_dispatch_choice(void)
{
    af_dispatch_init();
    return atomic_load_explicit(&choice, memory_order_relaxed);
}

actfast_status actfast_set_isa(actfast_isa isa)
{
    if (isa == ACTFAST_ISA_AUTO)
        isa = af_isa_best(af_detected_cpu());
    const af_table *t = af_table_for(isa);
    if (!t)
        return ACTFAST_ERR_UNSUPPORTED;
    atomic_store_explicit(&choice, AF_CHOSEN_SET_ISA, memory_order_relaxed);
    atomic_store_explicit(&af_active, t, memory_order_release);
    return ACTFAST_OK;
}

actfast_isa actfast_get_isa(void)
{
    return af_table_now()->isa;
}

int actfast_isa_supported(actfast_isa isa)
{
    return isa == ACTFAST_ISA_AUTO || af_table_for(isa) != NULL;
}
