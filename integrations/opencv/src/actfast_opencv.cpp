/*
 * libactfast layers for OpenCV DNN: see include/actfast_opencv.hpp and README.md.
 *
 * Each layer is a cv::dnn::ActivationLayer, so OpenCV's fusion treats it as it
 * treats its own activations: after a Convolution, Eltwise or InnerProduct
 * with a single consumer the layer is fused and OpenCV calls forwardSlice()
 * on the producer's freshly written output (channel rows [cn0, cn1) of
 * `len` floats, `planeSize` apart); otherwise forward() runs it as a layer,
 * split over cv::getNumThreads() stripes as OpenCV's layers are.
 * (OpenCV's Convolution computes a fused ReLULayer/ChannelsPReLULayer itself,
 * inline; ours are not those classes, so libactfast computes them.)
 */
#include "actfast_opencv.hpp"

#include <actfast.h>

#include <algorithm>
#include <atomic>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/dnn/all_layers.hpp>
#include <opencv2/dnn/layer.hpp>
#include <opencv2/dnn/shape_utils.hpp>

using cv::Mat;
using cv::Ptr;
using cv::dnn::Layer;
using cv::dnn::LayerParams;

namespace {

enum class Op {
    relu, leaky_relu, prelu, elu, sigmoid, tanh, silu, mish, softplus, hardswish, hardsigmoid,
    clip, selu, gelu, gelu_tanh
};

const char *op_name(Op op)
{
    switch (op) {
    case Op::relu: return "relu";
    case Op::leaky_relu: return "leaky_relu";
    case Op::prelu: return "prelu";
    case Op::elu: return "elu";
    case Op::sigmoid: return "sigmoid";
    case Op::tanh: return "tanh";
    case Op::silu: return "silu";
    case Op::mish: return "mish";
    case Op::softplus: return "softplus";
    case Op::hardswish: return "hardswish";
    case Op::hardsigmoid: return "hardsigmoid";
    case Op::clip: return "clip";
    case Op::selu: return "selu";
    case Op::gelu: return "gelu";
    case Op::gelu_tanh: return "gelu_tanh";
    }
    return "?";
}

std::atomic<unsigned long> g_created{0}, g_handed_back{0}, g_forwards{0}, g_forwards_handed_back{0};

[[noreturn]] void raise(const char *what, actfast_status s)
{
    CV_Error(cv::Error::StsError, cv::format("libactfast: actfast_%s_f32: %s", what, actfast_status_str(s)));
}

/* Below this many floats a forward() runs in one piece (a stripe costs a task). */
constexpr size_t kMinStripe = 16384;

class ActfastLayer CV_FINAL : public cv::dnn::ActivationLayer
{
public:
    ActfastLayer(const LayerParams &params, Op op, float a, float b, Mat slopes, Ptr<Layer> builtin)
        : op_(op), a_(a), b_(b), slopes_(std::move(slopes)), builtin_(std::move(builtin))
    {
        setParamsFrom(params);
        ++g_created;
    }

    Op op() const { return op_; }

    bool supportBackend(int backendId) CV_OVERRIDE
    {
        return backendId == cv::dnn::DNN_BACKEND_OPENCV;
    }

    bool getMemoryShapes(const std::vector<cv::dnn::MatShape> &inputs, const int requiredOutputs,
                         std::vector<cv::dnn::MatShape> &outputs,
                         std::vector<cv::dnn::MatShape> &internals) const CV_OVERRIDE
    {
        Layer::getMemoryShapes(inputs, requiredOutputs, outputs, internals);
        return true; /* in place allowed: libactfast takes x == y */
    }

    void finalize(cv::InputArrayOfArrays inputs, cv::OutputArrayOfArrays outputs) CV_OVERRIDE
    {
        if (builtin_)
            builtin_->finalize(inputs, outputs);
    }

    bool tryQuantize(const std::vector<std::vector<float>> &scales,
                     const std::vector<std::vector<int>> &zeropoints, LayerParams &params) CV_OVERRIDE
    {
        /* int8 nets run OpenCV's int8 layers, with OpenCV's lookup table. */
        return builtin_ && builtin_->tryQuantize(scales, zeropoints, params);
    }

    int64 getFLOPS(const std::vector<cv::dnn::MatShape> &inputs,
                   const std::vector<cv::dnn::MatShape> &outputs) const CV_OVERRIDE
    {
        if (builtin_)
            return builtin_->getFLOPS(inputs, outputs);
        int64 n = 0;
        for (const auto &s : outputs)
            n += cv::dnn::total(s);
        return n;
    }

    void forward(cv::InputArrayOfArrays inputs_arr, cv::OutputArrayOfArrays outputs_arr,
                 cv::OutputArrayOfArrays internals_arr) CV_OVERRIDE
    {
        std::vector<Mat> inputs, outputs;
        bool ours = inputs_arr.kind() == cv::_InputArray::STD_VECTOR_MAT &&
                    outputs_arr.kind() == cv::_InputArray::STD_VECTOR_MAT;
        if (ours) {
            inputs_arr.getMatVector(inputs);
            outputs_arr.getMatVector(outputs);
            ours = inputs.size() == outputs.size();
            for (size_t i = 0; ours && i < inputs.size(); i++)
                ours = takes(inputs[i], outputs[i]);
        }
        if (!ours) {
            hand_back(inputs_arr, outputs_arr, internals_arr);
            return;
        }
        ++g_forwards;
        for (size_t i = 0; i < inputs.size(); i++)
            run_blob(inputs[i], outputs[i]);
    }

    void forwardSlice(const float *src, float *dst, int len, size_t planeSize, int cn0, int cn1) const CV_OVERRIDE
    {
        if (len <= 0 || cn1 <= cn0)
            return;
        const size_t rows = (size_t)(cn1 - cn0);
        if (op_ == Op::prelu) {
            CV_Assert(cn0 >= 0 && (size_t)cn1 <= slopes_.total());
            const float *s = slopes_.ptr<float>() + cn0;
            if ((size_t)len == planeSize) {
                check("prelu", actfast_prelu_f32(src, dst, 1, rows, (size_t)len, s));
            } else {
                for (size_t c = 0; c < rows; c++)
                    check("prelu", actfast_prelu_f32(src + c * planeSize, dst + c * planeSize, 1, 1,
                                                     (size_t)len, s + c));
            }
            return;
        }
        if ((size_t)len == planeSize) {
            unary(src, dst, rows * (size_t)len);
        } else {
            for (size_t c = 0; c < rows; c++)
                unary(src + c * planeSize, dst + c * planeSize, (size_t)len);
        }
    }

private:
    /* What libactfast can take: continuous float32 host blobs of the same shape. */
    bool takes(const Mat &x, const Mat &y) const
    {
        if (x.type() != CV_32F || y.type() != CV_32F || !x.isContinuous() || !y.isContinuous() ||
            x.size != y.size)
            return false;
        if (op_ == Op::prelu) {
            /* OpenCV's ChannelsPReLU: slope per size[1] (size[0] for 1-D); it
             * asserts that there are enough slopes. Let it say so. */
            const size_t channels = x.dims > 1 ? (size_t)x.size[1] : (size_t)x.size[0];
            if (slopes_.total() < channels)
                return false;
        }
        return true;
    }

    void hand_back(cv::InputArrayOfArrays inputs_arr, cv::OutputArrayOfArrays outputs_arr,
                   cv::OutputArrayOfArrays internals_arr)
    {
        if (!builtin_)
            CV_Error(cv::Error::StsNotImplemented,
                     cv::format("libactfast layer '%s' (%s): only continuous float32 host blobs are supported, "
                                "and OpenCV has no layer of this type to hand them to",
                                name.c_str(), type.c_str()));
        ++g_forwards_handed_back;
        builtin_->preferableTarget = preferableTarget;
        builtin_->forward(inputs_arr, outputs_arr, internals_arr);
    }

    static void check(const char *what, actfast_status s)
    {
        if (s != ACTFAST_OK)
            raise(what, s);
    }

    void unary(const float *x, float *y, size_t n) const
    {
        switch (op_) {
        case Op::relu: check("relu", actfast_relu_f32(x, y, n)); break;
        case Op::leaky_relu: check("leaky_relu", actfast_leaky_relu_f32(x, y, n, a_)); break;
        case Op::elu: check("elu", actfast_elu_f32(x, y, n, a_)); break;
        case Op::sigmoid: check("sigmoid", actfast_sigmoid_f32(x, y, n)); break;
        case Op::tanh: check("tanh", actfast_tanh_f32(x, y, n)); break;
        case Op::silu: check("silu", actfast_silu_f32(x, y, n)); break;
        case Op::mish: check("mish", actfast_mish_f32(x, y, n)); break;
        case Op::softplus: check("softplus", actfast_softplus_f32(x, y, n)); break;
        case Op::hardswish: check("hardswish", actfast_hardswish_f32(x, y, n)); break;
        case Op::hardsigmoid: check("hardsigmoid", actfast_hardsigmoid_f32(x, y, n)); break;
        case Op::clip: check("clip", actfast_clip_f32(x, y, n, a_, b_)); break;
        case Op::selu: check("selu", actfast_selu_f32(x, y, n)); break;
        case Op::gelu: check("gelu", actfast_gelu_f32(x, y, n)); break;
        case Op::gelu_tanh: check("gelu_tanh", actfast_gelu_tanh_f32(x, y, n)); break;
        case Op::prelu: CV_Error(cv::Error::StsInternal, "prelu is not unary");
        }
    }

    void run_blob(const Mat &src, Mat &dst) const
    {
        const float *x = src.ptr<float>();
        float *y = dst.ptr<float>();
        const size_t total = src.total();
        if (total == 0)
            return;
        const int threads = std::max(cv::getNumThreads(), 1);

        if (op_ == Op::prelu) {
            /* OpenCV's layout: [N][C][rest] (1-D: [C]). */
            size_t outer = 1, channels, inner = 1;
            if (src.dims > 1) {
                outer = (size_t)src.size[0];
                channels = (size_t)src.size[1];
                for (int d = 2; d < src.dims; d++)
                    inner *= (size_t)src.size[d];
            } else {
                channels = (size_t)src.size[0];
            }
            const float *s = slopes_.ptr<float>();
            const size_t rows = outer * channels;
            if (threads == 1 || total < 2 * kMinStripe || rows < 2) {
                check("prelu", actfast_prelu_f32(x, y, outer, channels, inner, s));
                return;
            }
            /* Whole rows (one sample's channel) per stripe. */
            const int nstripes = (int)std::min<size_t>((size_t)threads, rows);
            cv::parallel_for_(cv::Range(0, nstripes), [&](const cv::Range &r) {
                const size_t r0 = rows * (size_t)r.start / (size_t)nstripes;
                const size_t r1 = rows * (size_t)r.end / (size_t)nstripes;
                size_t row = r0;
                while (row < r1) {
                    /* Run to the end of this sample (or r1) in one call. */
                    const size_t c = row % channels;
                    const size_t n = std::min(channels - c, r1 - row);
                    check("prelu", actfast_prelu_f32(x + row * inner, y + row * inner, 1, n, inner, s + c));
                    row += n;
                }
            }, nstripes);
            return;
        }

        if (threads == 1 || total < 2 * kMinStripe) {
            unary(x, y, total);
            return;
        }
        const int nstripes = (int)std::min<size_t>((size_t)threads, total / kMinStripe);
        cv::parallel_for_(cv::Range(0, nstripes), [&](const cv::Range &r) {
            /* Stripe edges on 64-byte multiples of the blob. */
            size_t i0 = (total * (size_t)r.start / (size_t)nstripes) & ~(size_t)15;
            size_t i1 = r.end == nstripes ? total : (total * (size_t)r.end / (size_t)nstripes) & ~(size_t)15;
            if (i1 > i0)
                unary(x + i0, y + i0, i1 - i0);
        }, nstripes);
    }

    Op op_;
    float a_, b_;
    Mat slopes_;          /* PReLU: one float per channel, continuous */
    Ptr<Layer> builtin_;  /* OpenCV's layer for the same parameters (none for Gelu) */
};

/* --- the factory: one constructor per OpenCV type name ---------------------------------- */

Ptr<Layer> handed_back(Ptr<Layer> l)
{
    ++g_handed_back;
    return l;
}

Ptr<Layer> ours(const LayerParams &p, Op op, Ptr<Layer> builtin, float a = 0.f, float b = 0.f, Mat slopes = Mat())
{
    return Ptr<Layer>(new ActfastLayer(p, op, a, b, std::move(slopes), std::move(builtin)));
}

bool finite(float v) { return std::isfinite(v); }

/* ReLU: negative_slope (default 0), as cv::dnn::ReLULayer::create reads it. OpenCV
 * maps ONNX Relu to it, and LeakyRelu with negative_slope = alpha. */
Ptr<Layer> make_relu(LayerParams &p)
{
    Ptr<Layer> builtin = cv::dnn::ReLULayer::create(p);
    const float slope = p.get<float>("negative_slope", 0.f);
    if (!p.blobs.empty() || !finite(slope))
        return handed_back(builtin);
    return slope == 0.f ? ours(p, Op::relu, builtin) : ours(p, Op::leaky_relu, builtin, slope);
}

/* PReLU / ChannelsPReLU: blobs[0] = the slopes; one slope is a ReLU with that
 * negative_slope (as ChannelsPReLULayer::create does). */
Ptr<Layer> make_prelu(LayerParams &p)
{
    Ptr<Layer> builtin = cv::dnn::ChannelsPReLULayer::create(p); /* asserts one blob */
    const Mat &m = p.blobs[0];
    if (m.type() != CV_32F || m.total() == 0)
        return handed_back(builtin);
    if (m.total() == 1) {
        LayerParams rp = p;
        rp.set("negative_slope", m.isContinuous() ? *m.ptr<float>() : m.clone().at<float>(0));
        rp.blobs.clear();
        return make_relu(rp);
    }
    Mat slopes = m.isContinuous() ? m : m.clone();
    return ours(p, Op::prelu, builtin, 0.f, 0.f, slopes.reshape(1, 1));
}

/* ELU: alpha (default 1). OpenCV: x >= 0 ? x : alpha * (exp(x) - 1). */
Ptr<Layer> make_elu(LayerParams &p)
{
    Ptr<Layer> builtin = cv::dnn::ELULayer::create(p);
    const float alpha = p.get<float>("alpha", 1.f);
    if (!p.blobs.empty() || !finite(alpha))
        return handed_back(builtin);
    return ours(p, Op::elu, builtin, alpha);
}

/* CELU: alpha (default 1); only alpha = 1, where it is ELU(1). */
Ptr<Layer> make_celu(LayerParams &p)
{
    Ptr<Layer> builtin = cv::dnn::CeluLayer::create(p);
    if (!p.blobs.empty() || p.get<float>("alpha", 1.f) != 1.f)
        return handed_back(builtin);
    return ours(p, Op::elu, builtin, 1.f);
}

/* ReLU6 (ONNX Clip): min_value (default 0), max_value (default 6); OpenCV
 * asserts min <= max (its create throws, and so do we, through it). */
Ptr<Layer> make_relu6(LayerParams &p)
{
    Ptr<Layer> builtin = cv::dnn::ReLU6Layer::create(p);
    const float lo = p.get<float>("min_value", 0.f), hi = p.get<float>("max_value", 6.f);
    if (!p.blobs.empty() || !finite(lo) || !finite(hi) || !(lo <= hi))
        return handed_back(builtin);
    return ours(p, Op::clip, builtin, lo, hi);
}

/* HardSigmoid: alpha (default 0.2), beta (default 0.5): max(0, min(1, alpha x + beta)).
 * libactfast has PyTorch's, alpha = 1/6 and beta = 1/2: exactly those floats
 * (what torch exports, and what OpenCV's HardSwish fusion matches). */
Ptr<Layer> make_hardsigmoid(LayerParams &p)
{
    Ptr<Layer> builtin = cv::dnn::HardSigmoidLayer::create(p);
    if (!p.blobs.empty() || p.get<float>("alpha", 0.2f) != 1.f / 6.f || p.get<float>("beta", 0.5f) != 0.5f)
        return handed_back(builtin);
    return ours(p, Op::hardsigmoid, builtin);
}

/* SELU: alpha, gamma (defaults: PyTorch's constants rounded to float); only those. */
Ptr<Layer> make_selu(LayerParams &p)
{
    Ptr<Layer> builtin = cv::dnn::SeluLayer::create(p);
    if (!p.blobs.empty() || p.get<float>("alpha", 1.67326319217681884765625f) != 1.67326319217681884765625f ||
        p.get<float>("gamma", 1.05070102214813232421875f) != 1.05070102214813232421875f)
        return handed_back(builtin);
    return ours(p, Op::selu, builtin);
}

template <Op op, Ptr<Layer> (*create)(const LayerParams &)>
Ptr<Layer> make_plain(LayerParams &p)
{
    Ptr<Layer> builtin = create(p);
    if (!p.blobs.empty())
        return handed_back(builtin);
    return ours(p, op, builtin);
}

template <class L>
Ptr<Layer> create_as_layer(const LayerParams &p)
{
    return L::create(p);
}

/* Gelu: no OpenCV 4.6 layer (its importer turns torch's GELU into Div, Erf,
 * Add, Mul, Mul); a graph with an ONNX Gelu node (opset 20, attribute
 * approximate = "none" | "tanh") or com.microsoft.Gelu reaches the factory
 * under these names. Nothing to hand back to: other values are an error. */
Ptr<Layer> make_gelu(LayerParams &p)
{
    const std::string approx = p.get<std::string>("approximate", "none");
    if (!p.blobs.empty())
        CV_Error(cv::Error::StsNotImplemented, "libactfast Gelu: constant inputs (bias) are not supported");
    if (approx == "none")
        return ours(p, Op::gelu, Ptr<Layer>());
    if (approx == "tanh")
        return ours(p, Op::gelu_tanh, Ptr<Layer>());
    CV_Error(cv::Error::StsNotImplemented, "libactfast Gelu: approximate='" + approx + "' is not 'none' or 'tanh'");
}

struct TypeEntry {
    const char *type;
    cv::dnn::LayerFactory::Constructor ctor;
    bool in_auto; /* the AUTO policy (README.md, "Default policy") */
};

/*
 * The AUTO column, from the measurements in README.md ("The default policy").
 * ReLU (and leaky), PReLU and ReLU6 give the same bits in both libraries, and
 * OpenCV applies them inside the convolution's tiles, where ours tie or lose
 * (up to 5 % on ResNet-18): OpenCV keeps them. The others are 1.1-46x faster
 * here, and closer to the exact result (CELU: as close).
 */
const TypeEntry kTypes[] = {
    {"ReLU", make_relu, false},
    {"PReLU", make_prelu, false},
    {"ChannelsPReLU", make_prelu, false},
    {"ReLU6", make_relu6, false},
    {"ELU", make_elu, true},
    {"Celu", make_celu, true},
    {"Sigmoid", make_plain<Op::sigmoid, create_as_layer<cv::dnn::SigmoidLayer>>, true},
    {"TanH", make_plain<Op::tanh, create_as_layer<cv::dnn::TanHLayer>>, true},
    {"Swish", make_plain<Op::silu, create_as_layer<cv::dnn::SwishLayer>>, true},
    {"Mish", make_plain<Op::mish, create_as_layer<cv::dnn::MishLayer>>, true},
    {"Softplus", make_plain<Op::softplus, create_as_layer<cv::dnn::SoftplusLayer>>, true},
    {"HardSwish", make_plain<Op::hardswish, create_as_layer<cv::dnn::HardSwishLayer>>, true},
    {"HardSigmoid", make_hardsigmoid, true},
    {"Selu", make_selu, true},
    {"Gelu", make_gelu, true},
    {"com.microsoft.Gelu", make_gelu, true},
};

std::mutex g_mutex;
std::vector<std::string> g_registered;

const TypeEntry *find_type(const std::string &t)
{
    for (const auto &e : kTypes)
        if (t == e.type)
            return &e;
    return nullptr;
}

void unregister_locked()
{
    for (auto it = g_registered.rbegin(); it != g_registered.rend(); ++it)
        cv::dnn::LayerFactory::unregisterLayer(*it);
    g_registered.clear();
}

std::vector<std::string> register_locked(const std::vector<std::string> &types)
{
    unregister_locked();
    for (const auto &t : types) {
        const TypeEntry *e = find_type(t);
        if (!e)
            CV_Error(cv::Error::StsBadArg, "actfast_opencv_register: libactfast has no layer for OpenCV type '" + t + "'");
        if (std::find(g_registered.begin(), g_registered.end(), t) != g_registered.end())
            continue;
        cv::dnn::LayerFactory::registerLayer(e->type, e->ctor);
        g_registered.push_back(t);
    }
    return g_registered;
}

} // namespace

std::vector<std::string> actfast_opencv_types()
{
    std::vector<std::string> v;
    for (const auto &e : kTypes)
        v.push_back(e.type);
    return v;
}

std::vector<std::string> actfast_opencv_default_types()
{
    std::vector<std::string> v;
    for (const auto &e : kTypes)
        if (e.in_auto)
            v.push_back(e.type);
    return v;
}

std::vector<std::string> actfast_opencv_register(actfast_opencv_policy policy)
{
    if (policy == ACTFAST_OPENCV_AUTO) {
        if (const char *env = std::getenv("ACTFAST_OPENCV")) {
            std::string v(env);
            std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return (char)std::tolower(c); });
            if (v == "all")
                policy = ACTFAST_OPENCV_ALL;
            else if (v == "none" || v == "off" || v == "opencv")
                policy = ACTFAST_OPENCV_NONE;
        }
    }
    std::vector<std::string> types;
    if (policy == ACTFAST_OPENCV_ALL)
        types = actfast_opencv_types();
    else if (policy == ACTFAST_OPENCV_AUTO)
        types = actfast_opencv_default_types();
    std::lock_guard<std::mutex> lock(g_mutex);
    return register_locked(types);
}

std::vector<std::string> actfast_opencv_register(const std::vector<std::string> &types)
{
    std::lock_guard<std::mutex> lock(g_mutex);
    return register_locked(types);
}

void actfast_opencv_unregister()
{
    std::lock_guard<std::mutex> lock(g_mutex);
    unregister_locked();
}

std::vector<std::string> actfast_opencv_registered()
{
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_registered;
}

bool actfast_opencv_is_actfast_layer(const cv::Ptr<cv::dnn::Layer> &layer, std::string *op)
{
    const ActfastLayer *l = dynamic_cast<const ActfastLayer *>(layer.get());
    if (l && op)
        *op = op_name(l->op());
    return l != nullptr;
}

actfast_opencv_stats actfast_opencv_get_stats()
{
    return {g_created.load(), g_handed_back.load(), g_forwards.load(), g_forwards_handed_back.load()};
}

void actfast_opencv_reset_stats()
{
    g_created = 0;
    g_handed_back = 0;
    g_forwards = 0;
    g_forwards_handed_back = 0;
}
