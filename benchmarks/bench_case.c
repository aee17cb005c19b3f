/* Case registration and the one runner every case goes through. */
#include "bench_case.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "bench_shim.h"

_Static_assert((int)AFB_SLOPES >= (int)AFB_CHANNELS, "PReLU needs a slope per channel");

typedef enum { OUT, IN, OUT_MISALIGNED, IN_MISALIGNED, OUT_SKEWED } mode;

static const char *const mode_names[] = {"out", "in", "out_misaligned", "in_misaligned", "out_skewed"};

static const size_t sweep_sizes[] = {1u << 10, 1u << 12, 1u << 14, 1u << 18,
                                     1u << 22, 1u << 24, 1u << 25, 1u << 26};
static const size_t per_call_sizes[] = {1, 16, 64};

/* Misaligned: one float past a 64-byte boundary, for input and output alike. */
static size_t mode_offset(mode m)
{
    return m == OUT_MISALIGNED || m == IN_MISALIGNED;
}

static bool mode_in_place(mode m)
{
    return m == IN || m == IN_MISALIGNED;
}

/*
 * Skewed: the output's page offset SKEW_BYTES above the first input's, where
 * a kernel that runs up meets its own stores (kernels/row_store.h): the
 * output moved up to SKEW_ROOM floats from where the pool put it.
 */
enum { SKEW_BYTES = 48, SKEW_ROOM = 4096 / sizeof(float) };

static float *skewed(float *out, const float *in)
{
    const uintptr_t want = ((uintptr_t)in + SKEW_BYTES) & 4095, have = (uintptr_t)out & 4095;
    return out + ((want - have) & 4095) / sizeof(float);
}

typedef struct {
    const afb_op *op;
    const afb_contender *who;
    mode m;
    size_t n;
} afb_case;

/*
 * In place, a run's output is the next run's input (x forward, dy backward),
 * so the buffer is restored from the pristine array with the clock stopped. A
 * stop costs ~0.4 us of measured CPU time here (a clock_gettime system call
 * each way), far more than a run at small n, so the buffer is restored once
 * per RESTORE_ELEMENTS elements processed rather than per run: every run from
 * 1 Mi floats up, and at 1 Ki after 1024 runs. In between, ReLU's output is a
 * fixed point, Leaky ReLU's and PReLU's negatives shrink through subnormals to
 * -0, and ELU's move towards 0-; backward, dy shrinks the same way where
 * x <= 0 (times alpha, the slope, alpha * exp(x) or y + alpha each run), and
 * add2's b grows by a; the smooth ops' outputs drift too (sigmoid's to its
 * fixed point 0.659, tanh's, SiLU's and GELU's towards 0, and their gradients'
 * dy shrink by f' < 1 each run; clip's output is a fixed point, hardsigmoid's
 * moves to its fixed point 0.6, softplus's grows, mish's negatives shrink by
 * ~0.6 a run through subnormals to -0, and hardsigmoid's gradient divides dy
 * by 6 a run): a kernel whose cost depends on the values
 * shows it as a gap between small-n in place and out of place (tanh: ~5x at
 * 1 Ki on Zen 4). One such cost is the hardware's:
 * a multiply whose result is subnormal runs ~3x slower on Zen 5 (AVX2 a*x
 * into 4 Ki floats: 32 el/ns, 11 when every product is subnormal; subnormal
 * inputs cost nothing), which PReLU's slopes (0.05-0.5) meet for many of the
 * runs between restores. XNNPACK does not pay it: xnn_run_operator sets
 * flush-to-zero and denormals-are-zero around its kernels, so its results
 * there are not IEEE ones (prelu(-2e-38, 0.5) comes back -0, not -1e-38).
 * Restoring more often instead costs more in clock stops than it shows.
 */
enum { RESTORE_ELEMENTS = 1 << 20 };

static int run_in_place(afb_state *st, const afb_call *c, const float *pristine)
{
    const uint64_t every = c->n >= RESTORE_ELEMENTS ? 1 : RESTORE_ELEMENTS / c->n;
    uint64_t since = 0; /* runs since the last restore */
    int bad = 0;
    for (uint64_t k; (k = afb_next_batch(st)) != 0;) {
        while (k > 0) {
            if (since == every) {
                afb_pause(st);
                memcpy(c->y, pristine, c->n * sizeof(float));
                afb_resume(st);
                since = 0;
            }
            const uint64_t step = k < every - since ? k : every - since;
            bad |= c->run(c, step);
            k -= step;
            since += step;
        }
    }
    return bad;
}

static int run_out_of_place(afb_state *st, const afb_call *c)
{
    int bad = 0;
    for (uint64_t k; (k = afb_next_batch(st)) != 0;)
        bad |= c->run(c, k);
    return bad;
}

/*
 * One untimed run: it warms the caches, and its output is checked against the
 * pristine inputs (a: x or the forward output; dy: NULL forward). In place,
 * the overwritten array is then restored from its pristine copy.
 */
static bool warm_up(const afb_case *k, const afb_call *c, const float *a, const float *dy,
                    const float *pristine, char *why, size_t why_size)
{
    if (c->run(c, 1) != 0) {
        snprintf(why, why_size, "%s/%s reported an error", k->op->name, k->who->name);
        return false;
    }
    if (!afb_check_output(k->op, a, dy, c->y, c->dslopes, c->n, c->slopes, why, why_size))
        return false;
    if (mode_in_place(k->m))
        memcpy(c->y, pristine, c->n * sizeof(float));
    return true;
}

/* afb_derived_input's function for a from_y op: the forward op's output. */
static float forward_output(const void *op, float x)
{
    return afb_forward_output(op, x);
}

/* Bytes the op must move per call: read x (and dy), write y, read the slopes and write dslopes once. */
static int64_t bytes_per_call(const afb_op *op, const afb_call *c)
{
    const size_t arrays = afb_form_reads_dy(op->form) ? 3 : 2;
    const size_t per_channel = afb_form_prelu(op->form) ? 1 + op->dslopes : 0;
    return (int64_t)((arrays * c->n + per_channel * c->shape.channels) * sizeof(float));
}

static void run_case(afb_state *st, void *arg)
{
    const afb_case *k = arg;
    afb_buffers b;
    const size_t room = k->m == OUT_SKEWED ? SKEW_ROOM : 0;
    if (!afb_buffers_get(k->n + room, mode_offset(k->m), &b)) {
        afb_skip(st, "out of memory for the buffers");
        return;
    }
    const bool in_place = mode_in_place(k->m);
    const bool two = afb_form_reads_dy(k->op->form);
    /* What the op reads first (x, or the forward output) and second (dy), pristine. */
    const float *a = b.input, *dy = two ? b.grad : NULL;
    if (k->op->from_y && !(a = afb_derived_input(forward_output, k->op, k->n, mode_offset(k->m)))) {
        afb_skip(st, "out of memory for the buffers");
        return;
    }
    if (k->m == OUT_SKEWED)
        b.output = skewed(b.output, a);
    /* In place, the op overwrites its last input: x forward, dy backward. */
    const float *pristine = two ? dy : a;
    float dslopes[AFB_SLOPES];
    afb_call c = {
        .op = k->op,
        .x = in_place && !two ? b.work : a,
        .dy = in_place && two ? b.work : dy,
        .y = in_place ? b.work : b.output,
        .n = k->n,
        .shape = afb_shape_of(k->op, k->n),
        .slopes = afb_slopes(),
        .dslopes = k->op->dslopes ? dslopes : NULL,
    };
    /*
     * Out of place, the output buffer (shared by all cases) still holds the last
     * case's output, often this op's from another contender: the elements the
     * check reads are NaN'd, so that a contender that writes nothing fails it.
     */
    if (in_place)
        memcpy(b.work, pristine, k->n * sizeof(float));
    afb_poison_checked(in_place ? NULL : b.output, c.dslopes, in_place ? 0 : k->n);

    const char *skip = k->who->prepare(k->who, &c);
    if (skip) {
        afb_skip(st, skip);
        return;
    }
    char why[256];
    if (!warm_up(k, &c, a, dy, pristine, why, sizeof why)) {
        afb_skip(st, why);
    } else if ((in_place ? run_in_place(st, &c, pristine) : run_out_of_place(st, &c)) != 0) {
        afb_skip(st, "a timed run reported an error");
    } else {
        const int64_t iters = (int64_t)afb_iterations(st);
        afb_set_items(st, iters * (int64_t)k->n);
        afb_set_bytes(st, iters * bytes_per_call(k->op, &c));
        if (c.label[0])
            afb_set_label(st, c.label);
    }
    if (k->who->release)
        k->who->release(&c);
}

static void register_one(const afb_op *op, const afb_contender *who, mode m, size_t n)
{
    afb_case *k = malloc(sizeof *k);
    if (!k) {
        fprintf(stderr, "actfast-bench: out of memory registering cases\n");
        exit(1);
    }
    *k = (afb_case){op, who, m, n};
    char name[128];
    snprintf(name, sizeof name, "%s/%s/%s/%zu", op->name, who->name, mode_names[m], n);
    afb_register(name, run_case, k);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void afb_register_cases(const afb_contender *const *who, size_t count)
{
    for (size_t o = 0; o < afb_op_count; o++) {
        const afb_op *op = &afb_ops[o];
        for (mode m = OUT; m <= OUT_SKEWED; m++) {
            for (size_t s = 0; s < COUNT(sweep_sizes); s++) {
                for (size_t w = 0; w < count; w++) {
                    if ((who[w]->sizes & AFB_SWEEP) && who[w]->has(op, mode_in_place(m)))
                        register_one(op, who[w], m, sweep_sizes[s]);
                }
            }
        }
        for (size_t s = 0; s < COUNT(per_call_sizes); s++) {
            for (size_t w = 0; w < count; w++) {
                if ((who[w]->sizes & AFB_PER_CALL) && who[w]->has(op, false))
                    register_one(op, who[w], OUT, per_call_sizes[s]);
            }
        }
    }
}
