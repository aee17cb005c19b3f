/*
 * actfast-verify: runs kernels over every float bit pattern (or every K-th),
 * compares each ISA with the scalar kernel bit for bit, and measures the error
 * against a double-precision reference.
 *
 *   actfast-verify [--op NAME|all] [--isa NAME|all] [--alpha A] [--stride K]
 *                  [--threads T] [--from BITS] [--to BITS] [--dy PASS|all]
 *
 * Backward ops pair every input with a gradient dy: a fixed hash of the
 * input's bits (the same on every ISA), or 1, -0, +inf or a NaN (the passes).
 * PReLU backward also computes dslopes in half the blocks, and each ISA's
 * must equal scalar's bit for bit; the other half asks for dx alone, which
 * the kernels compute on a path of its own.
 *
 * One line per (op, alpha, dy pass, ISA): inputs checked, mismatches against
 * scalar, contract violations, max ULP and the worst input; then a summary
 * line.
 * tools/accuracy_table.py turns these lines into the README's table.
 * Progress (a bar with ETA on a terminal, a line per 10% otherwise) goes to
 * stderr, results to stdout.
 *
 * Exit status 1 on any mismatch, violation or bound exceeded; 2 on bad usage;
 * 3 when the ISA asked for cannot run here (nothing about it was proven).
 */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dispatch.h"
#include "op_table.h"
#include "ulp.h"

enum { BLOCK = 1 << 14, PRELU_CHANNELS = 16, MAX_ALPHAS = AFT_MAX_ALPHAS };

/* The gradients backward ops are run with; forward ops run the first pass only. */
typedef enum { DY_HASHED, DY_ONE, DY_MINUS_ZERO, DY_INF, DY_NAN, DY_PASSES } dy_pass;
static const char *const dy_pass_names[DY_PASSES] = {"hashed", "1", "-0", "inf", "nan"};

/*
 * The error bound is checked where dy is finite. With dy = inf the exact
 * gradient can be inf where the float one is inf * 0 = NaN (an exponential
 * that underflows in float, not in double), so those passes check the bits
 * the contract fixes and the identity with scalar only.
 */
static bool pass_bounded(dy_pass p)
{
    return p == DY_HASHED || p == DY_ONE || p == DY_MINUS_ZERO;
}

static float dy_for(dy_pass p, uint32_t xbits)
{
    switch (p) {
    case DY_HASHED:
        return aft_hashed_dy(xbits, 0);
    case DY_ONE:
        return 1.0f;
    case DY_MINUS_ZERO:
        return -0.0f;
    case DY_INF:
        return INFINITY;
    case DY_NAN:
    case DY_PASSES:
        break;
    }
    return NAN;
}

typedef struct {
    uint64_t checked, mismatches, violations;
    double max_ulp;     /* counted at the larger term where the op's gradient crosses zero */
    double max_ulp_raw; /* counted at the result, everywhere */
    uint32_t worst_bits, first_mismatch_bits;
    float worst_got;
    double worst_want;
} isa_result;

typedef struct {
    aft_op op;
    float alpha; /* the ALPHA ops' alpha, PReLU's slopes; 0 otherwise */
    aft_par par; /* alpha, or CLIP's lo and hi */
    dy_pass dy;
    uint64_t from, count, stride; /* inputs are bits from + k*stride, k < count */
    int isas[ACTFAST_ISA_COUNT], n_isas;
    atomic_uint_fast64_t next_block, done;
    pthread_mutex_t lock;
    isa_result result[ACTFAST_ISA_COUNT];
} job;

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint32_t to_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/*
 * The contract beyond the error bound: the bits it fixes (a NaN input's own,
 * x or dy passed through); exact ops are the correctly rounded result (a float
 * product is exact in double), zeros' signs included; a result whose exact
 * value is a zero is that zero, sign included; a NaN where the exact result is
 * NaN (which NaN is the identity check's business).
 */
static int contract_ok(const job *j, float x, float dy, float got, double want)
{
    uint32_t bits;
    if (aft_ops[j->op].fixed(x, dy, j->par, &bits))
        return to_bits(got) == bits;
    if (isnan(want))
        return isnan(got);
    if (!pass_bounded(j->dy))
        return 1;
    if (aft_ops[j->op].exact)
        return to_bits(got) == to_bits((float)want);
    if (want == 0.0)
        return got == 0.0f && !signbit(got) == !signbit(want);
    return 1;
}

/* Whether PReLU backward asks for dslopes in this block. */
static bool block_wants_dslopes(uint64_t block) { return block / 2 % 2 == 0; }

/*
 * Runs op on one ISA's table (the kernel itself, past the API's checks); the
 * PReLU ops alternate their two layouts between blocks, and PReLU backward
 * with and without dslopes between pairs of blocks.
 */
static void run_kernel(const af_table *t, const job *j, const float *x, const float *dy, float *y,
                       float *dslopes, size_t n, const float *slopes, uint64_t block)
{
    const af_params p = {j->par.alpha, j->par.lo, j->par.hi};
    const int nchw = block % 2 == 0 || n % PRELU_CHANNELS != 0;
    const size_t outer = nchw ? 1 : n / PRELU_CHANNELS, channels = nchw ? 1 : PRELU_CHANNELS;
    const size_t inner = nchw ? n : 1;
    (void)p, (void)dy, (void)dslopes, (void)outer, (void)channels, (void)inner, (void)slopes;
#define RUN_UNARY(name) t->name(x, y, n, &p);
#define RUN_BINARY(name) t->name(x, dy, y, n, &p);
#define RUN_PRELU(name) t->name(x, y, outer, channels, inner, slopes);
#define RUN_PRELU_BWD(name)                                                                  \
    t->name(x, dy, y, block_wants_dslopes(block) ? dslopes : NULL, outer, channels, inner, slopes);
#define RUN_OP(name, kind, params, impl, bound, unused)                                     \
    case AFT_OP_##name:                                                                      \
        RUN_##kind(name) break;
    switch (j->op) {
        AF_FOR_EACH_OP(RUN_OP, ~)
    case AFT_OP_COUNT:
        break;
    }
#undef RUN_OP
#undef RUN_PRELU_BWD
#undef RUN_PRELU
#undef RUN_BINARY
#undef RUN_UNARY
}

static void *worker(void *arg)
{
    job *j = arg;
    float *x = malloc(BLOCK * sizeof *x), *ref = malloc(BLOCK * sizeof *ref);
    float *y = malloc(BLOCK * sizeof *y), *dy = malloc(BLOCK * sizeof *dy);
    struct {
        double want, e, e_raw;
        uint32_t bits;
        bool ok;
    } *cache = malloc(BLOCK * sizeof *cache);
    float slopes[PRELU_CHANNELS], ref_dslopes[PRELU_CHANNELS], dslopes[PRELU_CHANNELS];
    const bool prelu_bwd = aft_ops[j->op].kind == AFT_PRELU_BWD;
    isa_result local[ACTFAST_ISA_COUNT];
    memset(local, 0, sizeof local);
    if (!x || !ref || !y || !dy || !cache) {
        fprintf(stderr, "actfast-verify: out of memory\n");
        exit(2);
    }
    for (int c = 0; c < PRELU_CHANNELS; c++)
        slopes[c] = j->alpha;
    const af_table *scalar = af_table_for(ACTFAST_ISA_SCALAR);
    const uint64_t blocks = (j->count + BLOCK - 1) / BLOCK;
    for (;;) {
        const uint64_t b = atomic_fetch_add(&j->next_block, 1);
        if (b >= blocks)
            break;
        const uint64_t k0 = b * BLOCK;
        const size_t n = (size_t)(j->count - k0 < BLOCK ? j->count - k0 : BLOCK);
        for (size_t i = 0; i < n; i++) {
            const uint32_t xb = (uint32_t)(j->from + (k0 + i) * j->stride);
            x[i] = from_bits(xb);
            dy[i] = dy_for(j->dy, xb);
        }
        run_kernel(scalar, j, x, dy, ref, ref_dslopes, n, slopes, b);
        for (int s = 0; s < j->n_isas; s++) {
            const int isa = j->isas[s];
            isa_result *r = &local[isa];
            const float *out = ref;
            if (isa != ACTFAST_ISA_SCALAR) {
                run_kernel(af_table_for((actfast_isa)isa), j, x, dy, y, dslopes, n, slopes, b);
                out = y;
                /* dslopes: every channel the block's layout has, bit for bit. */
                const size_t channels = b % 2 == 0 || n % PRELU_CHANNELS != 0 ? 1 : PRELU_CHANNELS;
                if (prelu_bwd && block_wants_dslopes(b) &&
                    memcmp(dslopes, ref_dslopes, channels * sizeof(float)) != 0 &&
                    r->mismatches++ == 0)
                    r->first_mismatch_bits = to_bits(x[0]);
            }
            for (size_t i = 0; i < n; i++) {
                const uint32_t xb = to_bits(x[i]), gb = to_bits(out[i]);
                /* The reference and the errors are computed once per input, for the
                 * first ISA: an ISA with the same bits has the same errors (two thirds
                 * of an exhaustive run's time went to computing them again). */
                if (s == 0) {
                    cache[i].want = aft_ops[j->op].ref(x[i], dy[i], j->par);
                    cache[i].bits = gb;
                    cache[i].ok = contract_ok(j, x[i], dy[i], out[i], cache[i].want);
                    if (pass_bounded(j->dy)) {
                        cache[i].e = af_ulp_error_at(out[i], cache[i].want, aft_ops[j->op].ulp_at(x[i], dy[i]));
                        cache[i].e_raw = af_ulp_error(out[i], cache[i].want);
                    }
                }
                if (gb != to_bits(ref[i]) && r->mismatches++ == 0)
                    r->first_mismatch_bits = xb;
                const bool same = gb == cache[i].bits;
                const double want = cache[i].want;
                if (!(same ? cache[i].ok : contract_ok(j, x[i], dy[i], out[i], want)))
                    r->violations++;
                if (!pass_bounded(j->dy))
                    continue;
                const double e =
                    same ? cache[i].e : af_ulp_error_at(out[i], want, aft_ops[j->op].ulp_at(x[i], dy[i]));
                const double e_raw = same ? cache[i].e_raw : af_ulp_error(out[i], want);
                if (e_raw > r->max_ulp_raw)
                    r->max_ulp_raw = e_raw;
                if (e > r->max_ulp || (r->checked == 0 && i == 0)) {
                    r->max_ulp = e > r->max_ulp ? e : r->max_ulp;
                    r->worst_bits = xb;
                    r->worst_got = out[i];
                    r->worst_want = want;
                }
            }
            r->checked += n;
        }
        atomic_fetch_add(&j->done, n);
    }
    pthread_mutex_lock(&j->lock);
    for (int s = 0; s < j->n_isas; s++) {
        const int isa = j->isas[s];
        isa_result *g = &j->result[isa], *l = &local[isa];
        if (l->checked == 0)
            continue;
        if (l->mismatches && !g->mismatches)
            g->first_mismatch_bits = l->first_mismatch_bits;
        if (l->max_ulp_raw > g->max_ulp_raw)
            g->max_ulp_raw = l->max_ulp_raw;
        if (g->checked == 0 || l->max_ulp > g->max_ulp) {
            g->max_ulp = l->max_ulp;
            g->worst_bits = l->worst_bits;
            g->worst_got = l->worst_got;
            g->worst_want = l->worst_want;
        }
        g->checked += l->checked;
        g->mismatches += l->mismatches;
        g->violations += l->violations;
    }
    pthread_mutex_unlock(&j->lock);
    free(x);
    free(ref);
    free(cache);
    free(y);
    free(dy);
    return NULL;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A bar with ETA on a terminal; otherwise a line every 10%. */
static void show_progress(const char *what, uint64_t done, uint64_t total, double start, int tty,
                          int *last_decile)
{
    const double frac = total ? (double)done / (double)total : 1.0;
    const double elapsed = now_seconds() - start;
    const double eta = frac > 0 ? elapsed / frac - elapsed : 0;
    if (tty) {
        char bar[31];
        const int filled = (int)(frac * 30);
        for (int i = 0; i < 30; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[30] = 0;
        fprintf(stderr, "\r%s [%s] %5.1f%%  %6.0fs elapsed, ETA %6.0fs\033[K", what, bar, frac * 100,
                elapsed, eta);
    } else if ((int)(frac * 10) > *last_decile) {
        *last_decile = (int)(frac * 10);
        fprintf(stderr, "%s: %d%% (%.0fs elapsed, ETA %.0fs)\n", what, *last_decile * 10, elapsed, eta);
    }
}

/* The job's parameters as the result lines show them: alpha, or CLIP's lo:hi. */
static void par_text(const job *j, char *out, size_t size)
{
    if (aft_ops[j->op].params == AFT_P_CLIP)
        snprintf(out, size, "%g:%g", (double)j->par.lo, (double)j->par.hi);
    else
        snprintf(out, size, "%g", (double)j->alpha);
}

static int run_job(job *j, int threads, int tty, int job_no, int jobs)
{
    char what[80];
    char param[40];
    par_text(j, param, sizeof param);
    snprintf(what, sizeof what, "[%d/%d] %s alpha=%s dy=%s", job_no, jobs, aft_ops[j->op].name, param,
             dy_pass_names[j->dy]);
    pthread_t tid[64];
    const double start = now_seconds();
    for (int t = 0; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, worker, j) != 0) {
            /* Waiting for inputs no thread will check would hang. */
            fprintf(stderr, "actfast-verify: cannot start thread %d of %d\n", t + 1, threads);
            exit(2);
        }
    }
    int last_decile = 0;
    /* Short naps, so a small job ends promptly; the display refreshes every 10th. */
    for (int tick = 0; atomic_load(&j->done) < j->count; tick++) {
        if (tick % 10 == 0)
            show_progress(what, atomic_load(&j->done), j->count, start, tty, &last_decile);
        nanosleep(&(struct timespec){.tv_nsec = 20000000}, NULL);
    }
    for (int t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);
    if (tty)
        fprintf(stderr, "\r\033[K");
    const double secs = now_seconds() - start;
    int failed = 0;
    for (int s = 0; s < j->n_isas; s++) {
        const int isa = j->isas[s];
        const isa_result *r = &j->result[isa];
        const double bound = aft_ops[j->op].max_ulp(j->par);
        const int bad = r->mismatches || r->violations || r->max_ulp > bound;
        failed |= bad;
        printf("%-4s %-10s alpha=%-10s dy=%-6s isa=%-7s inputs=%-10" PRIu64 " mismatches=%-6" PRIu64
               " violations=%-4" PRIu64 " max_ulp=%.4f (bound %.1f) worst x=%a (0x%08" PRIx32
               ") got %a want %a  %.1fs\n",
               bad ? "FAIL" : "ok", aft_ops[j->op].name, param, dy_pass_names[j->dy],
               actfast_isa_name((actfast_isa)isa), r->checked, r->mismatches, r->violations, r->max_ulp, bound,
               (double)from_bits(r->worst_bits), r->worst_bits, (double)r->worst_got, r->worst_want,
               secs);
        if (r->max_ulp_raw > r->max_ulp)
            printf("     counted at the result rather than at the larger term: max %.4g ULP\n",
                   r->max_ulp_raw);
        if (r->mismatches)
            printf("     first mismatch against scalar at x bits 0x%08" PRIx32 "\n", r->first_mismatch_bits);
    }
    fflush(stdout);
    return failed;
}

static void usage(FILE *f)
{
#define OP_CHOICE(name, kind, params, impl, bound, unused) #name "|"
    fprintf(f, "usage: actfast-verify [--op " AF_FOR_EACH_OP(OP_CHOICE, ~) "all] [--isa NAME|all]\n"
               "                      [--alpha A] [--stride K] [--threads T] [--from BITS] [--to BITS]\n"
               "                      [--dy hashed|1|-0|inf|nan|all]\n"
               "  --isa    one ISA (compared with scalar, which is always run) or all runnable ones\n"
               "  --alpha  one alpha/slope instead of each op's default set (1 0.5 0.01 -0.3 3;\n"
               "           1 0.5 0.01 3 where alpha must be >= 0)\n"
               "  --dy     the backward ops' gradient passes (default all: a hash of the input, 1,\n"
               "           -0, inf, nan)\n"
               "  --stride check every K-th bit pattern (default 1: all 2^32)\n"
               "  --threads  worker threads (default: one per online CPU, at most 64)\n"
               "  --from/--to  inclusive range of input bit patterns, e.g. 0x80000000 0xc2b00000\n"
               "exit status: 0 all good, 1 a mismatch, violation or bound exceeded, 2 bad usage,\n"
               "3 the ISA asked for cannot run here\n");
#undef OP_CHOICE
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    const unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || !*s)
        return 0;
    *out = v;
    return 1;
}

int main(int argc, char **argv)
{
    _Static_assert(AFT_OP_COUNT <= 64, "the op mask is 64 bits");
    uint64_t op_mask = ~0ull >> (64 - AFT_OP_COUNT);
    int isa_choice = -1, threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    float given_alpha = 0.0f;
    int alpha_given = 0, dy_mask = (1 << DY_PASSES) - 1;
    uint64_t stride = 1, from = 0, to = UINT32_MAX;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        }
        if (!v) {
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--op")) {
            op_mask = 0;
            for (int o = 0; o < AFT_OP_COUNT; o++)
                if (!strcmp(v, "all") || !strcmp(v, aft_ops[o].name))
                    op_mask |= 1ull << o;
            if (!op_mask) {
                fprintf(stderr, "actfast-verify: unknown op '%s'\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--isa")) {
            actfast_isa isa;
            if (strcmp(v, "all") != 0) {
                if (!af_isa_from_name(v, &isa) || isa == ACTFAST_ISA_AUTO) {
                    fprintf(stderr, "actfast-verify: unknown ISA '%s'\n", v);
                    return 2;
                }
                isa_choice = isa;
            }
        } else if (!strcmp(a, "--alpha")) {
            char *end;
            given_alpha = strtof(v, &end);
            alpha_given = 1;
            if (end == v || *end || !isfinite(given_alpha)) {
                fprintf(stderr, "actfast-verify: alpha must be a finite number\n");
                return 2;
            }
        } else if (!strcmp(a, "--dy")) {
            dy_mask = 0;
            for (int p = 0; p < DY_PASSES; p++)
                if (!strcmp(v, "all") || !strcmp(v, dy_pass_names[p]))
                    dy_mask |= 1 << p;
            if (!dy_mask) {
                fprintf(stderr, "actfast-verify: unknown dy pass '%s'\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--stride")) {
            if (!parse_u64(v, &stride) || stride == 0) {
                fprintf(stderr, "actfast-verify: stride must be a positive integer\n");
                return 2;
            }
        } else if (!strcmp(a, "--threads")) {
            uint64_t t;
            if (!parse_u64(v, &t) || t < 1 || t > 64) {
                fprintf(stderr, "actfast-verify: threads must be 1..64\n");
                return 2;
            }
            threads = (int)t;
        } else if (!strcmp(a, "--from")) {
            if (!parse_u64(v, &from) || from > UINT32_MAX)
                return usage(stderr), 2;
        } else if (!strcmp(a, "--to")) {
            if (!parse_u64(v, &to) || to > UINT32_MAX)
                return usage(stderr), 2;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (threads < 1)
        threads = 1; /* sysconf could not tell */
    if (threads > 64)
        threads = 64; /* the default on a machine with more CPUs */
    if (from > to) {
        usage(stderr);
        return 2;
    }
    int isas[ACTFAST_ISA_COUNT], n_isas = 0;
    for (int isa = ACTFAST_ISA_SCALAR; isa < ACTFAST_ISA_COUNT; isa++) {
        if (isa_choice >= 0 && isa != isa_choice && isa != ACTFAST_ISA_SCALAR)
            continue;
        if (af_table_for((actfast_isa)isa))
            isas[n_isas++] = isa;
        else if (isa_choice == isa) {
            printf("skip %s: not supported by this CPU, OS or build\n", actfast_isa_name((actfast_isa)isa));
            return 3;
        }
    }
    const int tty = isatty(STDERR_FILENO);
    const uint64_t count = (to - from) / stride + 1;
    int failed = 0, lines = 0, jobs = 0, job_no = 0;
    const double start = now_seconds();
    /* Each op's jobs: its alphas (or the one given) x its dy passes (forward ops: one). */
    for (int pass = 0; pass < 2; pass++) {
        for (int o = 0; o < AFT_OP_COUNT; o++) {
            if (!(op_mask & (1ull << o)))
                continue;
            const aft_op op = (aft_op)o;
            const aft_op_info *info = &aft_ops[op];
            const int n_alphas = !aft_has_parameter(op)                        ? 1
                                 : alpha_given && info->params != AFT_P_CLIP ? 1
                                                                              : info->n_alphas;
            for (int a = 0; a < n_alphas; a++) {
                const float alpha = !aft_has_parameter(op) ? 0.0f : alpha_given ? given_alpha : info->alphas[a];
                /* CLIP ops run their default (lo, hi) pairs whatever --alpha says. */
                const aft_par par = info->params == AFT_P_CLIP ? aft_default_par(op, a) : aft_par_alpha(alpha);
                if (info->params != AFT_P_CLIP && !aft_alpha_valid(op, alpha)) {
                    if (pass == 1)
                        printf("skip %s alpha=%g: not a valid alpha for this op\n", info->name, (double)alpha);
                    continue;
                }
                for (int d = 0; d < DY_PASSES; d++) {
                    if (aft_kind_has_dy(info->kind) ? !(dy_mask & (1 << d)) : d != 0)
                        continue;
                    if (pass == 0) {
                        jobs++;
                        continue;
                    }
                    job *j = calloc(1, sizeof *j);
                    if (!j) {
                        fprintf(stderr, "actfast-verify: out of memory\n");
                        return 2;
                    }
                    j->op = op;
                    j->alpha = info->params == AFT_P_CLIP ? 0.0f : alpha;
                    j->par = par;
                    j->dy = (dy_pass)d;
                    j->from = from;
                    j->count = count;
                    j->stride = stride;
                    memcpy(j->isas, isas, sizeof isas);
                    j->n_isas = n_isas;
                    pthread_mutex_init(&j->lock, NULL);
                    failed |= run_job(j, threads, tty, ++job_no, jobs);
                    lines += n_isas;
                    pthread_mutex_destroy(&j->lock);
                    free(j);
                }
            }
        }
    }
    printf("%s: %d results, %" PRIu64 " inputs each (bits 0x%08" PRIx64 "..0x%08" PRIx64 " stride %" PRIu64
           "), %.1fs\n",
           failed ? "FAILED" : "PASSED", lines, count, from, to, stride, now_seconds() - start);
    return failed;
}
