/*
 * actfast-info: what the library sees on this machine and which kernels it
 * runs, plus a self-check of every op on every ISA this CPU supports.
 * Exit status 0 when every self-check passes, 1 otherwise.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "actfast.h"
#include "dispatch.h"
#include "op_table.h"
#include "ulp.h"

static const char *yes_no(bool b)
{
    return b ? "yes" : "no";
}

static void print_features(const af_cpu *c)
{
#if defined(__x86_64__) || defined(__i386__)
    printf("CPU (cpuid):       fma %s, avx2 %s, avx512f %s, avx512bw %s, avx512dq %s, avx512vl %s\n",
           yes_no(c->fma), yes_no(c->avx2), yes_no(c->avx512f), yes_no(c->avx512bw),
           yes_no(c->avx512dq), yes_no(c->avx512vl));
    printf("OS state (xgetbv): osxsave %s, YMM saved %s, ZMM+opmask saved %s\n", yes_no(c->osxsave),
           yes_no(c->os_ymm), yes_no(c->os_zmm));
    printf("Scalar ELU:        SLEEF %s expf\n",
           af_cpu_scalar_fma(c) ? "FMA (purecfma, same bits as AVX2/AVX-512)" : "no-FMA (purec)");
#elif defined(__aarch64__)
    printf("CPU (HWCAP):       asimd %s\n", yes_no(c->asimd));
#else
    (void)c;
    printf("CPU:               no SIMD detection on this architecture\n");
#endif
}

static void print_isas(void)
{
    printf("ISAs compiled in: ");
#define ACTFAST_ISA(ENUM, suffix) printf(" %s", #suffix);
#include "isas.inc"
#undef ACTFAST_ISA
    printf("\nISAs runnable:    ");
    for (int i = ACTFAST_ISA_SCALAR; i < ACTFAST_ISA_COUNT; i++) {
        if (actfast_isa_supported((actfast_isa)i))
            printf(" %s", actfast_isa_name((actfast_isa)i));
    }
    printf("\n");
}

static void print_choice(void)
{
    static const char *const why[] = {
        [AF_CHOSEN_BEST] = "the best this CPU and OS support",
        [AF_CHOSEN_ENV] = "ACTFAST_ISA in the environment",
        [AF_CHOSEN_ENV_IGNORED] = "the best supported; ACTFAST_ISA was unknown or unsupported here",
        [AF_CHOSEN_SET_ISA] = "actfast_set_isa()",
    };
    const actfast_isa isa = actfast_get_isa();
    printf("ISA in use:        %s (%s)\n", actfast_isa_name(isa), why[af_dispatch_choice()]);
}

enum { N = 257, CHANNELS = 5 }; /* odd sizes exercise every tail path */

/* Inputs from -100 to 28 plus the special values the contract names. */
static void make_input(float *x)
{
    for (int i = 0; i < N; i++)
        x[i] = -100.0f + 0.5f * (float)i;
    const float special[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, FLT_MIN, -FLT_MIN, FLT_MAX, -FLT_MAX,
                             1e-45f, -1e-45f, -88.0f, -16.635532f, -1e-3f};
    memcpy(x, special, sizeof special);
}

/* The parameter each op is checked with: its first default (1 for Leaky ReLU would be ReLU's x). */
static float check_alpha(aft_op op)
{
    return op == AFT_OP_leaky_relu ? 0.01f : aft_ops[op].alphas[0];
}

/*
 * Flat ops see the N floats (backward ops with dy = the inputs reversed);
 * the PReLU ops 1 x CHANNELS x 51 of them, and ReLU the last 2. PReLU
 * backward's slope gradients go after its dx, in y[N..N+CHANNELS).
 */
static int run_op(aft_op op, const float *x, float *y)
{
    static const float slopes[CHANNELS] = {0.25f, -0.5f, 0.0f, 3.0f, 1.0f};
    float dy[N];
    for (int i = 0; i < N; i++)
        dy[i] = x[N - 1 - i];
    const aft_par par = aft_default_par(op, 0);
    const aft_args a = {.x = x, .dy = dy, .y = y, .dslopes = y + N, .n = N, .alpha = check_alpha(op),
                        .lo = par.lo, .hi = par.hi, .outer = 1, .channels = CHANNELS,
                        .inner = (N - 2) / CHANNELS, .slopes = slopes};
    if (aft_kind_is_prelu(aft_ops[op].kind))
        return aft_ops[op].call(&a) || actfast_relu_f32(x + N - 2, y + N - 2, 2);
    return aft_ops[op].call(&a);
}

/* Every op on every runnable ISA: same bits as scalar, and right against a double reference. */
static int self_check(void)
{
    float x[N], ref[AFT_OP_COUNT][N + CHANNELS], y[N + CHANNELS];
    int failures = 0;
    const actfast_isa saved = actfast_get_isa();
    make_input(x);
    actfast_set_isa(ACTFAST_ISA_SCALAR);
    for (int op = 0; op < AFT_OP_COUNT; op++) {
        memset(ref[op], 0, sizeof ref[op]);
        failures += run_op((aft_op)op, x, ref[op]) != ACTFAST_OK;
    }
    /* ELU against alpha * expm1 in double: within the contract's 1.5 ULP (alpha 1). */
    double worst = 0.0;
    for (int i = 0; i < N; i++) {
        const double want = aft_ops[AFT_OP_elu].ref(x[i], 0.0f, aft_par_alpha(check_alpha(AFT_OP_elu)));
        const double e = af_ulp_error(ref[AFT_OP_elu][i], want);
        worst = e > worst ? e : worst;
    }
    printf("Self-check (ELU max error on the check inputs: %.3f ULP):\n", worst);
    failures += worst > aft_ops[AFT_OP_elu].max_ulp(aft_par_alpha(check_alpha(AFT_OP_elu)));
    for (int isa = ACTFAST_ISA_SCALAR; isa < ACTFAST_ISA_COUNT; isa++) {
        if (!actfast_isa_supported((actfast_isa)isa))
            continue;
        actfast_set_isa((actfast_isa)isa);
        printf("  %-7s", actfast_isa_name((actfast_isa)isa));
        int bad = 0;
        for (int op = 0; op < AFT_OP_COUNT; op++) {
            memset(y, 0, sizeof y);
            const int ok = run_op((aft_op)op, x, y) == ACTFAST_OK && memcmp(y, ref[op], sizeof y) == 0;
            if (!ok) {
                printf(" %s FAILED", aft_ops[op].name);
                bad++;
            }
        }
        if (!bad)
            printf(" all %d ops ok", AFT_OP_COUNT);
        printf("\n");
        failures += bad;
    }
    actfast_set_isa(saved);
    return failures;
}

int main(void)
{
    printf("libactfast %s (header %s)\n", actfast_version(), ACTFAST_VERSION_STRING);
    print_features(af_detected_cpu());
    print_isas();
    print_choice();
    const int failures = self_check();
    printf("%s\n", failures ? "SELF-CHECK FAILED" : "self-check passed");
    return failures ? 1 : 0;
}
