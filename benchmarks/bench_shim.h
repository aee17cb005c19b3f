/*
 * A C interface to Google Benchmark, so that every benchmark is written in C:
 * register a case with a C callback, drive its timing loop from C, and run
 * with Google Benchmark's own command-line flags (--benchmark_filter, ...).
 *
 * A callback looks like:
 *
 *     static void bench_x(afb_state *st, void *arg)
 *     {
 *         ...untimed setup; afb_skip(st, "why") and return to skip...
 *         for (uint64_t k; (k = afb_next_batch(st)) != 0;)
 *             while (k--)
 *                 work();
 *         afb_set_items(st, (int64_t)afb_iterations(st) * n);
 *     }
 */
#ifndef AFB_SHIM_H
#define AFB_SHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct afb_state afb_state; /* a benchmark::State */
typedef void (*afb_fn)(afb_state *st, void *arg);

/* Registers fn(st, arg) under `name` (copied); arg must outlive the run. */
void afb_register(const char *name, afb_fn fn, void *arg);

/*
 * The timing loop: how many iterations to run now, or 0 when done. The clock
 * starts at the first call and stops at the call that returns 0, so the loop
 * body calls nothing from this header except afb_pause/afb_resume.
 */
uint64_t afb_next_batch(afb_state *st);

/* Stop and restart the clock inside the loop (each pair costs some time itself). */
void afb_pause(afb_state *st);
void afb_resume(afb_state *st);

/*
 * Report the case as skipped, with `why`, instead of a result. Before the loop
 * the loop then runs zero times; after it the measurement is discarded.
 */
void afb_skip(afb_state *st, const char *why);

/* Iterations run so far (after the loop: all of them). */
uint64_t afb_iterations(const afb_state *st);

/* Totals over all iterations; reported per second of CPU time. */
void afb_set_items(afb_state *st, int64_t items);
void afb_set_bytes(afb_state *st, int64_t bytes);

enum {
    AFB_COUNTER_RATE = 1u << 0,     /* divide by the measured seconds */
    AFB_COUNTER_PER_ITER = 1u << 1, /* divide by the iteration count */
    AFB_COUNTER_INVERT = 1u << 2    /* report 1/value (after the divisions) */
};

/* A named result column; flags are AFB_COUNTER_*. */
void afb_set_counter(afb_state *st, const char *name, double value, unsigned flags);

/* Free text shown next to the result (and "label" in JSON). */
void afb_set_label(afb_state *st, const char *label);

/* A key/value pair in the report's context (the "context" object in JSON). */
void afb_add_context(const char *key, const char *value);

/*
 * Parse Google Benchmark's flags, run the cases the filter selects (or list
 * them), and return the exit status: 2 on an unknown flag, 1 if the filter
 * matched nothing, else 0.
 */
int afb_run(int *argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* AFB_SHIM_H */
