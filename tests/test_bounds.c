/*
 * A kernel never reads or writes outside [p, p + n): arrays are placed flush
 * against inaccessible pages, ending exactly at one or starting exactly after
 * one, so a full-width load or store past either end faults. The canary guards
 * elsewhere only see writes; this sees reads too.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS: the build asks for plain POSIX 2008 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_support.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One accessible page between two inaccessible ones. */
typedef struct {
    unsigned char *map;
    float *lo, *hi; /* first float of the page, one past its last */
} fenced_page;

static size_t page_size;
static fenced_page px, py, ps;

static void fence(fenced_page *f)
{
    f->map = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(f->map != MAP_FAILED);
    assert_int_equal(mprotect(f->map, page_size, PROT_NONE), 0);
    assert_int_equal(mprotect(f->map + 2 * page_size, page_size, PROT_NONE), 0);
    f->lo = (float *)(f->map + page_size);
    f->hi = (float *)(f->map + 2 * page_size);
}

static int setup(void **state)
{
    (void)state;
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    fence(&px);
    fence(&py);
    fence(&ps);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    munmap(px.map, 3 * page_size);
    munmap(py.map, 3 * page_size);
    munmap(ps.map, 3 * page_size);
    return 0;
}

static sigjmp_buf fault_jump;
static volatile sig_atomic_t faulted;

static void on_fault(int sig)
{
    (void)sig;
    faulted = 1;
    siglongjmp(fault_jump, 1);
}

/*
 * PReLU has two paths (inner == 1: rows of `channels` floats with vector
 * slopes; else rows of `inner` floats with one slope each): each shape below
 * puts a different row length, and the slopes array, against the fences.
 */
typedef enum { K_RELU, K_LEAKY, K_PRELU_SHARED, K_PRELU_CHANNELS, K_PRELU_ROWS, K_ELU } kind;
static const char *const kind_names[] = {"relu",         "leaky_relu",   "prelu(1,1,n)",
                                         "prelu(1,n,1)", "prelu(n,1,1)", "elu"};

static actfast_status run(kind k, const float *x, float *y, size_t n, const float *slopes)
{
    switch (k) {
    case K_RELU:
        return actfast_relu_f32(x, y, n);
    case K_LEAKY:
        return actfast_leaky_relu_f32(x, y, n, 0.1f);
    case K_PRELU_SHARED:
        return actfast_prelu_f32(x, y, 1, 1, n, slopes);
    case K_PRELU_CHANNELS:
        return actfast_prelu_f32(x, y, 1, n, 1, slopes);
    case K_PRELU_ROWS:
        return actfast_prelu_f32(x, y, n, 1, 1, slopes);
    case K_ELU:
        return actfast_elu_f32(x, y, n, 1.0f);
    }
    return ACTFAST_ERR_ARG;
}

/* A start for n floats: right after the page below (low) or ending at the page above (high). */
static float *at(const fenced_page *f, size_t n, bool high)
{
    return high ? f->hi - n : f->lo;
}

static void one_call(kind k, actfast_isa isa, size_t n, bool x_high, bool y_high, bool s_high, bool inplace)
{
    float *x = at(&px, n, x_high);
    float *y = inplace ? x : at(&py, n, y_high);
    const size_t ns = k == K_PRELU_CHANNELS ? n : 1;
    float *slopes = at(&ps, ns, s_high);
    ts_fill_inputs(x, n, n * 31 + (size_t)k);
    for (size_t i = 0; i < ns; i++)
        slopes[i] = 0.25f;

    struct sigaction sa = {0}, old_segv, old_bus;
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
    faulted = 0;
    actfast_status st = ACTFAST_ERR_ARG;
    if (sigsetjmp(fault_jump, 1) == 0)
        st = run(k, x, y, n, slopes);
    sigaction(SIGSEGV, &old_segv, NULL);
    sigaction(SIGBUS, &old_bus, NULL);
    if (faulted)
        fail_msg("%s on %s, n=%zu: touched memory outside the arrays (x %s, y %s, slopes %s%s)",
                 kind_names[k], actfast_isa_name(isa), n, x_high ? "at a page end" : "at a page start",
                 y_high ? "at a page end" : "at a page start", s_high ? "at a page end" : "at a page start",
                 inplace ? ", in place" : "");
    assert_int_equal(st, ACTFAST_OK);
}

/*
 * Every length up to two full unrolled blocks of the widest vector, plus one
 * (AVX-512: 16 floats x 4), so every kernel runs each of its loops zero, one
 * and two times ending at every possible tail; then a few longer ones.
 */
#define WIDEST_FLOATS 16
#define UNROLL 4
#define DENSE_MAX (2 * WIDEST_FLOATS * UNROLL + 1)

static void test_no_access_outside(void **state)
{
    const actfast_isa isa = ts_enter_isa(state);
    const size_t max = page_size / sizeof(float);
    static const size_t big[] = {191, 192, 193, 255, 256, 257, 1000};
    for (kind k = K_RELU; k <= K_ELU; k++) {
        for (size_t i = 0; i <= DENSE_MAX + COUNT(big); i++) {
            const size_t n = i <= DENSE_MAX ? i : big[i - DENSE_MAX - 1];
            assert_true(n <= max);
            for (int m = 0; m < 8; m++)
                one_call(k, isa, n, m & 1, m & 2, m & 4, false);
            one_call(k, isa, n, true, true, false, true);
            one_call(k, isa, n, false, false, true, true);
        }
        one_call(k, isa, max, true, false, true, false); /* a whole page */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TS_ISA_CASES(test_no_access_outside),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
