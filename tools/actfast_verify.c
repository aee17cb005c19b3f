/*
 * actfast-verify: runs kernels over every float bit pattern (or every K-th),
 * compares each ISA with the scalar kernel bit for bit, and measures the error
 * against a double-precision reference.
 *
 *   actfast-verify [--op NAME|all] [--isa NAME|all] [--alpha A] [--stride K]
 *                  [--threads T] [--from BITS] [--to BITS]
 *
 * One line per (op, alpha, ISA): inputs checked, mismatches against scalar,
 * contract violations, max ULP and the worst input; then a summary line.
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

enum { BLOCK = 1 << 14, PRELU_CHANNELS = 16, MAX_ALPHAS = 8 };

/* Whether op is run once per alpha (its alpha, or PReLU's slopes), or once. */
static int has_parameter(aft_op op)
{
    return aft_ops[op].alpha || aft_ops[op].kind == AFT_PRELU;
}

typedef struct {
    uint64_t checked, mismatches, violations;
    double max_ulp;
    uint32_t worst_bits, first_mismatch_bits;
    float worst_got;
    double worst_want;
} isa_result;

typedef struct {
    aft_op op;
    float alpha;
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
 * The contract beyond the error bound: NaN and positive inputs come back with
 * their bits; ReLU, Leaky ReLU and PReLU are exactly the correctly rounded
 * result (a float product is exact in double), zeros' signs included; an ELU
 * result whose exact value is a zero is that zero, sign included.
 */
static int contract_ok(aft_op op, float x, float got, double want)
{
    if (!(x <= 0.0f))
        return to_bits(got) == to_bits(x);
    if (isnan(want))
        return isnan(got); /* 0 * -inf: any NaN */
    if (aft_ops[op].exact)
        return to_bits(got) == to_bits((float)want);
    if (want == 0.0)
        return got == 0.0f && !signbit(got) == !signbit(want);
    return 1;
}

/* Runs op on one ISA's table; PReLU alternates its two layouts between blocks. */
static void run_kernel(const af_table *t, const job *j, const float *x, float *y, size_t n,
                       const float *slopes, uint64_t block)
{
#define RUN_UNARY(name) t->name(x, y, n, j->alpha); /* 0 for an op without alpha */
#define RUN_PRELU(name)                                                                      \
    if (block % 2 == 0 || n % PRELU_CHANNELS != 0)                                           \
        t->name(x, y, 1, 1, n, slopes); /* NCHW, one channel: the row path */                \
    else                                                                                     \
        t->name(x, y, n / PRELU_CHANNELS, PRELU_CHANNELS, 1, slopes); /* NHWC */
#define RUN_OP(name, kind, unused)                                                           \
    case AFT_OP_##name:                                                                      \
        RUN_##kind(name) break;
    switch (j->op) {
        AF_FOR_EACH_OP(RUN_OP, ~)
    case AFT_OP_COUNT:
        break;
    }
#undef RUN_OP
#undef RUN_PRELU
#undef RUN_UNARY
}

static void *worker(void *arg)
{
    job *j = arg;
    float *x = malloc(BLOCK * sizeof *x), *ref = malloc(BLOCK * sizeof *ref);
    float *y = malloc(BLOCK * sizeof *y);
    float slopes[PRELU_CHANNELS];
    isa_result local[ACTFAST_ISA_COUNT];
    memset(local, 0, sizeof local);
    if (!x || !ref || !y) {
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
        for (size_t i = 0; i < n; i++)
            x[i] = from_bits((uint32_t)(j->from + (k0 + i) * j->stride));
        run_kernel(scalar, j, x, ref, n, slopes, b);
        for (int s = 0; s < j->n_isas; s++) {
            const int isa = j->isas[s];
            isa_result *r = &local[isa];
            const float *out = ref;
            if (isa != ACTFAST_ISA_SCALAR) {
                run_kernel(af_table_for((actfast_isa)isa), j, x, y, n, slopes, b);
                out = y;
            }
            for (size_t i = 0; i < n; i++) {
                const uint32_t xb = to_bits(x[i]), gb = to_bits(out[i]);
                if (gb != to_bits(ref[i]) && r->mismatches++ == 0)
                    r->first_mismatch_bits = xb;
                const double want = aft_reference(j->op, x[i], j->alpha);
                if (!contract_ok(j->op, x[i], out[i], want))
                    r->violations++;
                const double e = af_ulp_error(out[i], want);
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
    free(y);
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

static int run_job(job *j, int threads, int tty, int job_no, int jobs)
{
    char what[80];
    snprintf(what, sizeof what, "[%d/%d] %s alpha=%g", job_no, jobs, aft_ops[j->op].name, (double)j->alpha);
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
        const double bound = aft_ops[j->op].max_ulp(j->alpha);
        const int bad = r->mismatches || r->violations || r->max_ulp > bound;
        failed |= bad;
        printf("%-4s %-10s alpha=%-10g isa=%-7s inputs=%-10" PRIu64 " mismatches=%-6" PRIu64
               " violations=%-4" PRIu64 " max_ulp=%.4f (bound %.1f) worst x=%a (0x%08" PRIx32
               ") got %a want %a  %.1fs\n",
               bad ? "FAIL" : "ok", aft_ops[j->op].name, (double)j->alpha, actfast_isa_name((actfast_isa)isa),
               r->checked, r->mismatches, r->violations, r->max_ulp, bound,
               (double)from_bits(r->worst_bits), r->worst_bits, (double)r->worst_got, r->worst_want,
               secs);
        if (r->mismatches)
            printf("     first mismatch against scalar at x bits 0x%08" PRIx32 "\n", r->first_mismatch_bits);
    }
    fflush(stdout);
    return failed;
}

static void usage(FILE *f)
{
#define OP_CHOICE(name, kind, unused) #name "|"
    fprintf(f, "usage: actfast-verify [--op " AF_FOR_EACH_OP(OP_CHOICE, ~) "all] [--isa NAME|all]\n"
               "                      [--alpha A] [--stride K] [--threads T] [--from BITS] [--to BITS]\n"
               "  --isa    one ISA (compared with scalar, which is always run) or all runnable ones\n"
               "  --alpha  one alpha/slope instead of the default set 1 0.5 0.01 -0.3 3\n"
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
    int op_mask = (1 << AFT_OP_COUNT) - 1, isa_choice = -1, threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    float alphas[MAX_ALPHAS] = {1.0f, 0.5f, 0.01f, -0.3f, 3.0f};
    int n_alphas = 5;
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
                    op_mask |= 1 << o;
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
            alphas[0] = strtof(v, &end);
            n_alphas = 1;
            if (end == v || *end || !isfinite(alphas[0])) {
                fprintf(stderr, "actfast-verify: alpha must be a finite number\n");
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
    for (int o = 0; o < AFT_OP_COUNT; o++)
        jobs += (op_mask & (1 << o)) ? (has_parameter((aft_op)o) ? n_alphas : 1) : 0;
    const double start = now_seconds();
    for (int o = 0; o < AFT_OP_COUNT; o++) {
        if (!(op_mask & (1 << o)))
            continue;
        const int parameter = has_parameter((aft_op)o);
        for (int a = 0; a < (parameter ? n_alphas : 1); a++) {
            job *j = calloc(1, sizeof *j);
            if (!j) {
                fprintf(stderr, "actfast-verify: out of memory\n");
                return 2;
            }
            j->op = (aft_op)o;
            j->alpha = parameter ? alphas[a] : 0.0f;
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
    printf("%s: %d results, %" PRIu64 " inputs each (bits 0x%08" PRIx64 "..0x%08" PRIx64 " stride %" PRIu64
           "), %.1fs\n",
           failed ? "FAILED" : "PASSED", lines, count, from, to, stride, now_seconds() - start);
    return failed;
}
