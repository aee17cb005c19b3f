/*
 * Thread safety. First: threads released together make the process's very
 * first library calls at once (in forked children, so each race is a first
 * call, and once more in this process): they must all see the same ISA and
 * compute correct results. Then: threads run kernels while another thread keeps
 * switching the ISA; since every ISA gives the same bits, every result must
 * still be exact.
 */
#define _DEFAULT_SOURCE /* nanosleep, kill */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define RACERS 8
#define RACE_N 301
#define CHILD_RACES 12

static actfast_isa best_supported(void)
{
    static const actfast_isa order[] = {ACTFAST_ISA_AVX512, ACTFAST_ISA_AVX2, ACTFAST_ISA_NEON};
    for (size_t i = 0; i < COUNT(order); i++) {
        if (actfast_isa_supported(order[i]))
            return order[i];
    }
    return ACTFAST_ISA_SCALAR;
}

/* ---- the first call, raced ------------------------------------------------ */

typedef struct {
    int id;
    pthread_barrier_t *barrier;
    actfast_status status;
    actfast_isa isa;
    float x[RACE_N], y[RACE_N];
} racer;

static const float race_slope = -0.75f;

static actfast_status race_call(int id, const float *x, float *y)
{
    switch (id % 4) {
    case 0:
        return actfast_relu_f32(x, y, RACE_N);
    case 1:
        return actfast_elu_f32(x, y, RACE_N, 1.0f);
    case 2:
        return actfast_leaky_relu_f32(x, y, RACE_N, race_slope);
    default:
        return actfast_prelu_f32(x, y, 1, 1, RACE_N, &race_slope);
    }
}

/* Each kind of entry point, actfast_get_isa() included, can be the one that initialises the library. */
static void *race(void *arg)
{
    racer *r = arg;
    pthread_barrier_wait(r->barrier);
    const actfast_isa first = r->id % 4 == 2 ? actfast_get_isa() : ACTFAST_ISA_AUTO;
    r->status = race_call(r->id, r->x, r->y);
    r->isa = actfast_get_isa();
    if (first != ACTFAST_ISA_AUTO && first != r->isa)
        r->status = ACTFAST_ERR_UNSUPPORTED; /* the ISA changed under this thread */
    return NULL;
}

static bool racer_output_ok(const racer *r)
{
    for (size_t i = 0; i < RACE_N; i++) {
        const float x = r->x[i], y = r->y[i];
        bool ok;
        switch (r->id % 4) {
        case 0:
            ok = ts_exact_ok(x, y, ts_ref_relu(x));
            break;
        case 1:
            ok = ts_elu_ok(x, y, ts_ref_elu(x, 1.0f), 1.5);
            break;
        default:
            ok = ts_exact_ok(x, y, ts_ref_leaky(x, race_slope));
            break;
        }
        if (!ok)
            return false;
    }
    return true;
}

/* Returns a description of the first problem, or NULL. Uses no cmocka, so children can run it. */
static const char *first_call_race(void)
{
    static racer racers[RACERS];
    pthread_t threads[RACERS];
    pthread_barrier_t barrier;
    if (pthread_barrier_init(&barrier, NULL, RACERS) != 0)
        return "pthread_barrier_init failed";
    for (int i = 0; i < RACERS; i++) {
        racers[i].id = i;
        racers[i].barrier = &barrier;
        ts_fill_inputs(racers[i].x, RACE_N, 1234u + (unsigned)i);
        if (pthread_create(&threads[i], NULL, race, &racers[i]) != 0)
            return "pthread_create failed";
    }
    for (int i = 0; i < RACERS; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&barrier);

    /* From here on the library is initialised; more calls are fine. */
    const actfast_isa best = best_supported();
    for (int i = 0; i < RACERS; i++) {
        if (racers[i].status != ACTFAST_OK)
            return "a racing call failed, or saw the ISA change";
        if (racers[i].isa != best)
            return "a racing thread saw an ISA other than the best";
        if (!racer_output_ok(&racers[i]))
            return "a racing call computed a wrong result";
    }
    /* And the same bits as the scalar kernel. */
    if (actfast_set_isa(ACTFAST_ISA_SCALAR) != ACTFAST_OK)
        return "cannot force scalar";
    for (int i = 0; i < RACERS; i++) {
        float again[RACE_N];
        if (race_call(racers[i].id, racers[i].x, again) != ACTFAST_OK ||
            memcmp(again, racers[i].y, sizeof again) != 0)
            return "a racing call's bits differ from the scalar kernel's";
    }
    return NULL;
}

static bool library_used;

/* Must run first: until it does, this process has made no library call. */
static void test_first_call_race(void **state)
{
    (void)state;
    assert_false(library_used);
    library_used = true;
    /* Children start from this untouched state, so each makes its own first call. */
    for (int k = 0; k < CHILD_RACES; k++) {
        fflush(NULL);
        const pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            const char *problem = first_call_race();
            if (problem)
                fprintf(stderr, "child race %d: %s\n", k, problem);
            _exit(problem ? 1 : 0);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fail_msg("first-call race in child %d failed (status 0x%x)", k, status);
    }
    const char *problem = first_call_race();
    if (problem)
        fail_msg("first-call race: %s", problem);
}

/* ---- kernels while the ISA changes ---------------------------------------- */

#define WORKERS 3
#define ITERATIONS 1500
#define MIN_SWITCHES 200
#define WORK_N 203

typedef struct {
    int id;
    float x[4][WORK_N + 16];
    float want[4][WORK_N];
    float y[WORK_N + 16];
    long mismatches, failures;
} worker;

static const float work_slopes[7] = {0.5f, -1.0f, 0.0f, 3.0f, 1e-3f, -0.0f, 2.0f};
static atomic_long switches;
static atomic_bool workers_done;

static actfast_status work_op(int op, const float *x, float *y)
{
    switch (op) {
    case 0:
        return actfast_relu_f32(x, y, WORK_N);
    case 1:
        return actfast_leaky_relu_f32(x, y, WORK_N, 0.01f);
    case 2:
        return actfast_prelu_f32(x, y, WORK_N / 7, 7, 1, work_slopes);
    default:
        return actfast_elu_f32(x, y, WORK_N, 1.6732632f);
    }
}

static void *work(void *arg)
{
    worker *w = arg;
    /* Wait for the switcher to be running, so the calls below really overlap switches. */
    while (atomic_load(&switches) == 0)
        sched_yield();
    for (long i = 0; i < ITERATIONS || atomic_load(&switches) < MIN_SWITCHES; i++) {
        const int op = (int)(i % 4);
        const size_t off = (size_t)(i + w->id) % 16; /* vary the output's alignment too */
        if (work_op(op, w->x[op] + w->id, w->y + off) != ACTFAST_OK) {
            w->failures++;
            continue;
        }
        const size_t n = op == 2 ? (WORK_N / 7) * 7 : WORK_N;
        if (memcmp(w->y + off, w->want[op], n * sizeof(float)) != 0)
            w->mismatches++;
    }
    return NULL;
}

typedef struct {
    actfast_isa isas[ACTFAST_ISA_COUNT];
    size_t count;
    long refused, strange;
} switcher;

static void *switch_isas(void *arg)
{
    switcher *s = arg;
    for (size_t k = 0; !atomic_load(&workers_done); k++) {
        if (actfast_set_isa(s->isas[k % s->count]) != ACTFAST_OK)
            s->refused++;
        const actfast_isa now = actfast_get_isa();
        if (now == ACTFAST_ISA_AUTO || !actfast_isa_supported(now))
            s->strange++;
        atomic_fetch_add(&switches, 1);
    }
    return NULL;
}

static void test_kernels_while_switching(void **state)
{
    (void)state;
    library_used = true;
    static worker workers[WORKERS];
    static switcher sw;
    sw.count = 0;
    for (int i = ACTFAST_ISA_SCALAR; i < ACTFAST_ISA_COUNT; i++) {
        if (actfast_isa_supported((actfast_isa)i))
            sw.isas[sw.count++] = (actfast_isa)i;
    }
    sw.isas[sw.count++] = ACTFAST_ISA_AUTO;
    if (sw.count < 3)
        print_message("only one ISA runs here: the switching is between scalar and auto\n");

    /* Expected bits from the scalar kernel, before any thread starts. */
    ts_force_isa(ACTFAST_ISA_SCALAR);
    for (int w = 0; w < WORKERS; w++) {
        workers[w].id = w;
        for (int op = 0; op < 4; op++) {
            ts_fill_inputs(workers[w].x[op], WORK_N + 16, 777u * (unsigned)w + (unsigned)op);
            assert_int_equal(work_op(op, workers[w].x[op] + w, workers[w].want[op]), ACTFAST_OK);
        }
    }

    atomic_store(&switches, 0);
    atomic_store(&workers_done, false);
    pthread_t sthread, wthreads[WORKERS];
    assert_int_equal(pthread_create(&sthread, NULL, switch_isas, &sw), 0);
    for (int w = 0; w < WORKERS; w++)
        assert_int_equal(pthread_create(&wthreads[w], NULL, work, &workers[w]), 0);
    for (int w = 0; w < WORKERS; w++)
        pthread_join(wthreads[w], NULL);
    atomic_store(&workers_done, true);
    pthread_join(sthread, NULL);

    print_message("%ld ISA switches during the run\n", atomic_load(&switches));
    assert_int_equal(sw.refused, 0);
    assert_int_equal(sw.strange, 0);
    for (int w = 0; w < WORKERS; w++) {
        assert_int_equal(workers[w].failures, 0);
        assert_int_equal(workers[w].mismatches, 0);
    }
}

/*
 * Whether this process can start a thread at all: qemu-user 7.2 (Debian 12)
 * hangs in pthread_create on some hosts, which would hang the whole test. The
 * probe runs in a child, without touching the library, and gives up after a
 * generous while; then the test reports itself skipped (exit code 77).
 */
static void *probe_thread(void *arg)
{
    return arg;
}

static bool threads_work(void)
{
    fflush(NULL);
    const pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        pthread_t t;
        _exit(pthread_create(&t, NULL, probe_thread, NULL) == 0 && pthread_join(t, NULL) == 0 ? 0 : 1);
    }
    for (int tenths = 0; tenths < 100; tenths++) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) && WEXITSTATUS(status) == 0;
        const struct timespec tenth = {0, 100000000};
        nanosleep(&tenth, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return false;
}

int main(void)
{
    unsetenv("ACTFAST_ISA"); /* the race expects the best ISA */
    if (!threads_work()) {
        fprintf(stderr, "threads cannot be started here (qemu-user?): test_threads skipped\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_call_race), /* first: no library call may precede it */
        cmocka_unit_test(test_kernels_while_switching),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
