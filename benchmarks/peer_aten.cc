// PyTorch's ATen as a peer, from C++, as Debian 12 ships it (libtorch-dev 1.13):
// the out= form of each op's CPU kernel on tensors that wrap the case's own
// buffers (at::from_blob: no copy), one intra-op thread (at::set_num_threads(1)),
// no autograd (c10::InferenceMode). Tensors are made outside the clock; only the
// call is timed, with its dispatch and TensorIterator set-up, as a user pays them.
//
// Where ATen has no out= kernel, the call is the one that runs the same kernel:
//   relu      at::clamp_min_out(y, x, 0): at::relu is at::clamp_min(x, 0), and
//             relu_out is generated (at::relu into a new tensor, then a copy)
//   selu      at::elu_out(y, x, SELU_ALPHA, SELU_SCALE, 1): at::selu is that
//             at::elu into a new tensor; its gradient is at::elu_backward_out
//   prelu     at::prelu(x, w), and backward at::prelu_backward(dy, x, w), which
//             always computes the weights' gradient: both return new tensors
//             (prelu_out is generated: at::prelu, then a copy), so their rows
//             include allocating the output, and there are no in-place rows and
//             no prelu_bwd_dx rows (as for oneDNN)
//   clip      at::hardtanh_out(y, x, lo, hi), which is at::clamp_out (ReLU6 is
//             hardtanh(0, 6)); backward at::hardtanh_backward_out
//   softplus  at::softplus_out(y, x, 1, 20), PyTorch's defaults (beta 1,
//             threshold 20: x itself above 20), and softplus_backward_out
//   hardswish_backward, mish_backward
//             return new tensors (their out= forms are generated: the call,
//             then a copy): no in-place rows, as for PReLU. An allocating row
//             from 256 Ki up depends on glibc's state: a fresh mmap and its
//             page faults per call, or heap memory once an earlier case has
//             raised malloc's mmap threshold (hardswish_bwd at 256 Ki: 0.8 el/ns
//             alone, 6.1 in the quick run, Zen 4)
// Backward from y: sigmoid_backward and tanh_backward take the forward output,
// elu_backward takes x or y (is_result), as autograd calls them.
//
// ATen picks its kernels' ISA once, at the first call: 1.13 took AVX2 on the
// AVX-512 Zen 4 here, and takes its AVX-512 kernels (Debian's build has both)
// when ATEN_CPU_CAPABILITY=avx512 is in the environment. The one used is in the JSON's context (aten_cpu_capability)
// and in each case's label. GELU (erf form) and its gradient are the exception:
// for n > 1 ATen 1.13 hands them to oneDNN (ideep; jit:avx512_core here, the
// same libdnnl as the onednn peer) at ~5 us per call, whatever the capability.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <c10/core/InferenceMode.h>

#include <cstdio>
#include <exception>
#include <string>
#include <tuple>
#include <vector>

#include "bench_contenders.h"

namespace {

// at::selu's constants (ATen/native/Activation.cpp).
constexpr double SELU_ALPHA = 1.6732632423543772848170429916717;
constexpr double SELU_SCALE = 1.0507009873554804934193349852946;

// A call's tensors: a (x, or the forward output), dy, y (or dx), PReLU's weights w
// and their gradient dw; result and result_dw hold what an allocating op returned.
struct Tensors {
    at::Tensor a, dy, y, w, dw;
    at::Tensor result, result_dw;
    bool copy_out; // copy result (and result_dw) into y (and dw) after the next call
};

using Fn = void (*)(Tensors &t, const float *p);

struct Entry {
    Fn fn;          // nullptr: ATen has no such op
    bool allocates; // returns a new tensor instead of writing y
};

#define ATEN(...) {[](Tensors &t, const float *p) { (void)t, (void)p; __VA_ARGS__; }, false}
#define ATEN_NEW(...) {[](Tensors &t, const float *p) { (void)t, (void)p; __VA_ARGS__; }, true}
#define ATEN_NONE {nullptr, false}

// Each op of ops.h as ATen computes it, on t (above) with the op's parameters p
// (afb_op.param): ATEN(a call writing t.y), ATEN_NEW(assigning what the call
// returns to t.result, t.result_dw), ATEN_NONE. An op added to ops.h needs a line here.
#define ATEN_relu ATEN(at::clamp_min_out(t.y, t.a, 0))
#define ATEN_leaky_relu ATEN(at::leaky_relu_out(t.y, t.a, p[0]))
#define ATEN_prelu ATEN_NEW(t.result = at::prelu(t.a, t.w))
#define ATEN_elu ATEN(at::elu_out(t.y, t.a, p[0]))
#define ATEN_relu_backward ATEN(at::threshold_backward_out(t.y, t.dy, t.a, 0))
#define ATEN_leaky_relu_backward ATEN(at::leaky_relu_backward_out(t.y, t.dy, t.a, p[0], false))
#define ATEN_prelu_backward ATEN_NEW(std::tie(t.result, t.result_dw) = at::prelu_backward(t.dy, t.a, t.w))
#define ATEN_elu_backward ATEN(at::elu_backward_out(t.y, t.dy, p[0], 1, 1, false, t.a))
#define ATEN_elu_backward_from_y ATEN(at::elu_backward_out(t.y, t.dy, p[0], 1, 1, true, t.a))
#define ATEN_sigmoid ATEN(at::sigmoid_out(t.y, t.a))
#define ATEN_tanh ATEN(at::tanh_out(t.y, t.a))
#define ATEN_silu ATEN(at::silu_out(t.y, t.a))
#define ATEN_gelu ATEN(at::gelu_out(t.y, t.a, "none"))
#define ATEN_gelu_tanh ATEN(at::gelu_out(t.y, t.a, "tanh"))
#define ATEN_selu ATEN(at::elu_out(t.y, t.a, SELU_ALPHA, SELU_SCALE, 1))
#define ATEN_sigmoid_backward ATEN(at::sigmoid_backward_out(t.y, t.dy, t.a))
#define ATEN_tanh_backward ATEN(at::tanh_backward_out(t.y, t.dy, t.a))
#define ATEN_silu_backward ATEN(at::silu_backward_out(t.y, t.dy, t.a))
#define ATEN_gelu_backward ATEN(at::gelu_backward_out(t.y, t.dy, t.a, "none"))
#define ATEN_gelu_tanh_backward ATEN(at::gelu_backward_out(t.y, t.dy, t.a, "tanh"))
#define ATEN_selu_backward ATEN(at::elu_backward_out(t.y, t.dy, SELU_ALPHA, SELU_SCALE, 1, false, t.a))
#define ATEN_clip ATEN(at::hardtanh_out(t.y, t.a, p[0], p[1]))
#define ATEN_hardsigmoid ATEN(at::hardsigmoid_out(t.y, t.a))
#define ATEN_hardswish ATEN(at::hardswish_out(t.y, t.a))
#define ATEN_softplus ATEN(at::softplus_out(t.y, t.a, 1, 20))
#define ATEN_mish ATEN(at::mish_out(t.y, t.a))
#define ATEN_clip_backward ATEN(at::hardtanh_backward_out(t.y, t.dy, t.a, p[0], p[1]))
#define ATEN_hardsigmoid_backward ATEN(at::hardsigmoid_backward_out(t.y, t.dy, t.a))
#define ATEN_hardswish_backward ATEN_NEW(t.result = at::hardswish_backward(t.dy, t.a))
#define ATEN_softplus_backward ATEN(at::softplus_backward_out(t.y, t.dy, t.a, 1, 20))
#define ATEN_mish_backward ATEN_NEW(t.result = at::mish_backward(t.dy, t.a))

const Entry table[] = {
#define ATEN_ENTRY(name, kind, params, impl, bound, unused) ATEN_##name,
    AF_FOR_EACH_OP(ATEN_ENTRY, ~)
#undef ATEN_ENTRY
};

const Entry *entry_of(const afb_op *op)
{
    return op->kind < sizeof table / sizeof table[0] && table[op->kind].fn ? &table[op->kind] : nullptr;
}

// One line of at::show_config(), from `key` to the end of the line or `stop`.
std::string config_value(const char *key, char stop)
{
    const std::string config = at::show_config();
    const size_t at = config.find(key);
    if (at == std::string::npos)
        return "unknown";
    const size_t from = at + std::char_traits<char>::length(key);
    size_t to = config.find_first_of(std::string("\n") + stop, from);
    return config.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

bool has(const afb_op *op, bool in_place)
{
    const Entry *e = entry_of(op);
    if (!e || (in_place && e->allocates))
        return false;
    // ATen's PReLU backward always computes the weights' gradient.
    return op->form != AFB_PRELU_BWD || op->dslopes;
}

int run(const afb_call *c, uint64_t k)
{
    Tensors &t = *static_cast<Tensors *>(c->impl);
    const Fn fn = entry_of(c->op)->fn;
    try {
        c10::InferenceMode guard;
        while (k--)
            fn(t, c->op->param);
        // The harness's first run is its untimed warm-up, whose output it checks
        // (bench_case.c): an allocating op's result is copied out then, and only then.
        if (t.copy_out) {
            if (t.result.defined())
                t.y.copy_(t.result);
            if (t.result_dw.defined())
                t.dw.copy_(t.result_dw);
            t.copy_out = false;
        }
    } catch (const std::exception &) {
        return 1;
    }
    return 0;
}

void release(afb_call *c)
{
    delete static_cast<Tensors *>(c->impl);
}

at::Tensor wrap(const float *p, at::IntArrayRef sizes)
{
    return at::from_blob(const_cast<float *>(p), sizes, at::TensorOptions().dtype(at::kFloat));
}

const char *prepare(const afb_contender *who, afb_call *c)
{
    (void)who;
    static bool ready;
    if (!ready) {
        at::set_num_threads(1);
        ready = true;
    }
    const Entry *e = entry_of(c->op);
    Tensors *t = nullptr;
    try {
        c10::InferenceMode guard;
        t = new Tensors();
        // Flat ops: a vector of n. PReLU: [outer, channels, inner], channels at dimension 1
        // as ATen wants them; the layout is in the shape (NCHW: outer 1, NHWC: inner 1).
        std::vector<int64_t> shape{static_cast<int64_t>(c->n)};
        if (afb_form_prelu(c->op->form)) {
            shape = {static_cast<int64_t>(c->shape.outer), static_cast<int64_t>(c->shape.channels),
                     static_cast<int64_t>(c->shape.inner)};
            const int64_t ch = static_cast<int64_t>(c->shape.channels);
            t->w = wrap(c->slopes, {ch});
            if (c->dslopes)
                t->dw = wrap(c->dslopes, {ch});
        }
        t->a = wrap(c->x, shape);
        if (c->dy)
            t->dy = wrap(c->dy, shape);
        // In place, y is the very tensor it overwrites: the op sees out and input alias.
        t->y = c->y == c->x ? t->a : c->dy && c->y == c->dy ? t->dy : wrap(c->y, shape);
        t->copy_out = e->allocates;
    } catch (const std::exception &) {
        delete t;
        return "skipped: ATen refused the tensors";
    }
    c->impl = t;
    c->run = run;
    std::snprintf(c->label, sizeof c->label, "%s%s", afb_aten_capability(),
                  e->allocates ? ", allocates its output" : "");
    return nullptr;
}

} // namespace

extern "C" {

const afb_contender afb_aten = {"aten", 0, AFB_SWEEP | AFB_PER_CALL, has, prepare, release};

const char *afb_aten_version(void)
{
    static const std::string v = config_value("TORCH_VERSION=", ',');
    return v.c_str();
}

const char *afb_aten_capability(void)
{
    static const std::string v = config_value("CPU capability usage: ", '\n');
    return v.c_str();
}

} // extern "C"
