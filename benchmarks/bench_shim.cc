// The only C++ in the benchmarks: bench_shim.h on top of Google Benchmark.
#include "bench_shim.h"

#include <benchmark/benchmark.h>

namespace {

benchmark::State &state(afb_state *st)
{
    return *reinterpret_cast<benchmark::State *>(st);
}

afb_state *handle(benchmark::State &s)
{
    return reinterpret_cast<afb_state *>(&s);
}

} // namespace

extern "C" {

void afb_register(const char *name, afb_fn fn, void *arg)
{
    benchmark::RegisterBenchmark(name, [fn, arg](benchmark::State &s) { fn(handle(s), arg); });
}

// One batch of all the iterations Google Benchmark asked for: the C loop then
// pays no call into this file per iteration.
uint64_t afb_next_batch(afb_state *st)
{
    benchmark::State &s = state(st);
    const benchmark::IterationCount n = s.max_iterations;
    return s.KeepRunningBatch(n) ? static_cast<uint64_t>(n) : 0;
}

void afb_pause(afb_state *st)
{
    state(st).PauseTiming();
}

void afb_resume(afb_state *st)
{
    state(st).ResumeTiming();
}

void afb_skip(afb_state *st, const char *why)
{
    state(st).SkipWithError(why);
}

uint64_t afb_iterations(const afb_state *st)
{
    return static_cast<uint64_t>(reinterpret_cast<const benchmark::State *>(st)->iterations());
}

void afb_set_items(afb_state *st, int64_t items)
{
    state(st).SetItemsProcessed(items);
}

void afb_set_bytes(afb_state *st, int64_t bytes)
{
    state(st).SetBytesProcessed(bytes);
}

void afb_set_counter(afb_state *st, const char *name, double value, unsigned flags)
{
    int f = benchmark::Counter::kDefaults;
    if (flags & AFB_COUNTER_RATE)
        f |= benchmark::Counter::kIsRate;
    if (flags & AFB_COUNTER_PER_ITER)
        f |= benchmark::Counter::kAvgIterations;
    if (flags & AFB_COUNTER_INVERT)
        f |= benchmark::Counter::kInvert;
    state(st).counters[name] = benchmark::Counter(value, static_cast<benchmark::Counter::Flags>(f));
}

void afb_set_label(afb_state *st, const char *label)
{
    state(st).SetLabel(label);
}

void afb_add_context(const char *key, const char *value)
{
    benchmark::AddCustomContext(key, value);
}

int afb_run(int *argc, char **argv)
{
    benchmark::Initialize(argc, argv);
    if (benchmark::ReportUnrecognizedArguments(*argc, argv))
        return 2;
    const size_t ran = benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return ran == 0 ? 1 : 0;
}

} // extern "C"
