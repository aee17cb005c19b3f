/*
 * Layer-level test: each one-layer ONNX graph (tests/make_layer_graphs.py) run
 * by OpenCV's own layer and by libactfast's, both against a float64 reference.
 *
 *   test_opencv_layers LAYER_DIR
 *
 * For every case, plain (the graph input feeds the activation: a standalone
 * layer, forward()) and conv_ (a 3x3 convolution first: OpenCV fuses the
 * activation into it and calls forwardSlice()), batch 2:
 *   - with every type registered, the activation layer is libactfast's (or,
 *     for the parameters libactfast does not take, OpenCV's: then the output
 *     is OpenCV's bit for bit);
 *   - libactfast's output is within its contract's ULP bound of the reference;
 *   - unregistered again, a new net gives OpenCV's output bit for bit;
 *   - the table shows both sides' errors (max ULP, max abs) and which side is
 *     closer to the reference on how many elements.
 * Exit 77 (skipped) when the graphs are missing.
 */
#include "reference.hpp"

#include <actfast_opencv.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

namespace {

struct Case {
    const char *name;      /* <name>.onnx, run with libactfast */
    const char *cv_name;   /* what OpenCV runs for the comparison (Gelu: the decomposed form) */
    const char *op;        /* libactfast op for the reference; nullptr: handed back */
    double a, b;
    bool slopes;
    const char *type;      /* the OpenCV layer type the importer makes */
};

const float kSlopes[8] = {0.25f, -0.5f, 0.0f, 1.5f, 0.01f, 3.0f, -2.0f, 0.75f};

const Case kCases[] = {
    {"relu", "relu", "relu", 0, 0, false, "ReLU"},
    {"leaky_relu", "leaky_relu", "leaky_relu", 0.1f, 0, false, "ReLU"},
    {"prelu", "prelu", "prelu", 0, 0, true, "PReLU"},
    {"prelu_shared", "prelu_shared", "leaky_relu", 0.2f, 0, false, "PReLU"},
    {"elu", "elu", "elu", 1.0, 0, false, "ELU"},
    {"elu_alpha", "elu_alpha", "elu", 0.5, 0, false, "ELU"},
    {"celu", "celu", "elu", 1.0, 0, false, "Celu"},
    {"celu_alpha2", "celu_alpha2", nullptr, 0, 0, false, "Celu"},
    {"sigmoid", "sigmoid", "sigmoid", 0, 0, false, "Sigmoid"},
    {"tanh", "tanh", "tanh", 0, 0, false, "TanH"},
    {"swish", "swish", "silu", 0, 0, false, "Swish"},
    {"mish", "mish", "mish", 0, 0, false, "Mish"},
    {"softplus", "softplus", "softplus", 0, 0, false, "Softplus"},
    {"hardswish", "hardswish", "hardswish", 0, 0, false, "HardSwish"},
    {"hardsigmoid", "hardsigmoid", "hardsigmoid", 0, 0, false, "HardSigmoid"},
    {"hardsigmoid_onnx_default", "hardsigmoid_onnx_default", nullptr, 0, 0, false, "HardSigmoid"},
    {"relu6", "relu6", "clip", 0.0, 6.0, false, "ReLU6"},
    {"hardtanh", "hardtanh", "clip", -1.0, 1.0, false, "ReLU6"},
    {"selu", "selu", "selu", 0, 0, false, "Selu"},
    {"gelu", "gelu_decomposed", "gelu", 0, 0, false, "Gelu"},
    {"gelu_tanh", "gelu_tanh_decomposed", "gelu_tanh", 0, 0, false, "Gelu"},
    {"gelu_ms", "gelu_decomposed", "gelu", 0, 0, false, "com.microsoft.Gelu"},
};

int g_failures = 0;

void fail(const std::string &what)
{
    std::printf("FAIL: %s\n", what.c_str());
    g_failures++;
}

bool exists(const std::string &p)
{
    struct stat st;
    return stat(p.c_str(), &st) == 0;
}

/* Inputs for the plain graphs: a sweep of [-20, 20], the kinks and the ends. */
cv::Mat plain_input()
{
    int sz[] = {2, 8, 16, 17};
    cv::Mat x(4, sz, CV_32F);
    float *p = x.ptr<float>();
    const size_t n = x.total();
    const float special[] = {0.0f, -0.0f, 1e-7f, -1e-7f, 1e-4f, -1e-4f, 0.3f, -0.3f, -0.69f, -0.7f, 3.0f, -3.0f,
                             2.9999998f, -2.9999998f, 6.0f, -6.0f, 8.0f, -8.0f, 15.0f, -15.0f, 30.0f, -30.0f,
                             50.0f, -50.0f, 87.0f, -87.0f, 89.0f, -89.0f, 90.0f, -90.0f, 100.0f, -100.0f,
                             1e4f, -1e4f, 1e-30f, -1e-30f};
    const size_t ns = sizeof special / sizeof special[0];
    const size_t sweep = n - ns;
    for (size_t i = 0; i < sweep; i++)
        p[i] = -20.0f + 40.0f * (float)i / (float)(sweep - 1);
    for (size_t i = 0; i < ns; i++)
        p[sweep + i] = special[i];
    /* Mix them over the channels (PReLU sees every slope on every range). */
    cv::RNG rng(3);
    for (size_t i = n - 1; i > 0; i--)
        std::swap(p[i], p[(size_t)rng.uniform(0, (int)i + 1)]);
    return x;
}

cv::Mat conv_input()
{
    int sz[] = {2, 8, 16, 17};
    cv::Mat x(4, sz, CV_32F);
    cv::RNG rng(4);
    rng.fill(x, cv::RNG::NORMAL, 0.0, 4.0);
    return x;
}

struct Run {
    cv::Mat out;
    int ours = 0, layers = 0; /* activation layers of the case's type: ours / all */
};

Run run(const std::string &path, const cv::Mat &x, const char *type)
{
    cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    net.setInput(x);
    Run r;
    r.out = net.forward().clone();
    for (const auto &name : net.getLayerNames()) {
        cv::Ptr<cv::dnn::Layer> l = net.getLayer(net.getLayerId(name));
        if (l->type == type) {
            r.layers++;
            if (actfast_opencv_is_actfast_layer(l))
                r.ours++;
        }
    }
    return r;
}

/* The convolution's own output (the activation's input), from the OpenCV-only
 * net with that output requested (which keeps it out of the fusion). */
cv::Mat conv_output(const std::string &path, const cv::Mat &x)
{
    cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
    net.setInput(x);
    for (const auto &name : net.getLayerNames())
        if (net.getLayer(net.getLayerId(name))->type == "Convolution")
            return net.forward(name).clone();
    CV_Error(cv::Error::StsError, "no Convolution in " + path);
}

bool bit_equal(const cv::Mat &a, const cv::Mat &b)
{
    return a.total() == b.total() && a.type() == b.type() &&
           std::memcmp(a.ptr(), b.ptr(), a.total() * a.elemSize()) == 0;
}

/* How many elements each side is strictly closer to the reference on. */
void closer(const std::string &op, const cv::Mat &x, const cv::Mat &ours, const cv::Mat &theirs, double a, double b,
            const float *slopes, long &n_ours, long &n_theirs)
{
    n_ours = n_theirs = 0;
    const float *px = x.ptr<float>(), *po = ours.ptr<float>(), *pt = theirs.ptr<float>();
    const size_t n = x.total(), channels = (size_t)x.size[1];
    size_t inner = 1;
    for (int d = 2; d < x.dims; d++)
        inner *= (size_t)x.size[d];
    for (size_t i = 0; i < n; i++) {
        const double r = ref_eval(op, px[i], slopes ? slopes[(i / inner) % channels] : a, b);
        const double eo = std::fabs((double)po[i] - r), et = std::fabs((double)pt[i] - r);
        if (eo < et)
            n_ours++;
        else if (et < eo)
            n_theirs++;
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: test_opencv_layers LAYER_DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    if (!exists(dir + "/relu.onnx")) {
        std::printf("SKIP: %s/relu.onnx missing (tests/make_layer_graphs.py needs python3-onnx)\n", dir.c_str());
        return 77;
    }
    cv::setNumThreads(1);
    std::printf("| graph | layer | libactfast max ULP | OpenCV max ULP | libactfast max abs | OpenCV max abs | "
                "closer: libactfast / OpenCV (elements) |\n|---|---|---:|---:|---:|---:|---:|\n");
    for (const Case &c : kCases) {
        for (const char *prefix : {"", "conv_"}) {
            const std::string name = std::string(prefix) + c.name;
            const std::string path = dir + "/" + name + ".onnx";
            const std::string cv_path = dir + "/" + prefix + c.cv_name + ".onnx";
            const bool conv = *prefix != 0;
            const cv::Mat x = conv ? conv_input() : plain_input();
            try {
                actfast_opencv_unregister();
                Run theirs = run(cv_path, x, c.type);
                actfast_opencv_register(ACTFAST_OPENCV_ALL);
                Run ours = run(path, x, c.type);
                actfast_opencv_unregister();
                /* Layer counts: one activation layer, ours unless handed back. */
                const int want = c.op ? 1 : 0;
                if (ours.layers != 1 || ours.ours != want)
                    fail(cv::format("%s: %d of %d %s layers are libactfast's, want %d of 1", name.c_str(),
                                    ours.ours, ours.layers, c.type, want));
                /* Unregistered again: OpenCV's own output, bit for bit. */
                if (std::string(c.cv_name) == c.name) {
                    Run again = run(path, x, c.type);
                    if (again.ours != 0 || !bit_equal(again.out, theirs.out))
                        fail(name + ": unregistered, the output is not OpenCV's");
                }
                if (!c.op) {
                    if (!bit_equal(ours.out, theirs.out))
                        fail(name + ": handed back to OpenCV, but the output differs from OpenCV's");
                    std::printf("| %s | %s (handed back) | - | - | - | - | identical to OpenCV |\n", name.c_str(),
                                c.type);
                    continue;
                }
                const cv::Mat act_in = conv ? conv_output(cv_path, x) : x;
                const float *slopes = c.slopes ? kSlopes : nullptr;
                ErrorStats eo = measure(c.op, act_in, ours.out, c.a, c.b, slopes);
                ErrorStats et = measure(c.op, act_in, theirs.out, c.a, c.b, slopes);
                long no, nt;
                closer(c.op, act_in, ours.out, theirs.out, c.a, c.b, slopes, no, nt);
                std::printf("| %s | %s -> %s | %.3g | %.3g | %.3g | %.3g | %ld / %ld |\n", name.c_str(), c.type, c.op,
                            eo.max_ulp, et.max_ulp, eo.max_abs, et.max_abs, no, nt);
                if (!(eo.max_ulp <= ref_bound_ulp(c.op)))
                    fail(cv::format("%s: libactfast %.3g ULP from the reference at x = %.9g (bound %.3g)",
                                    name.c_str(), eo.max_ulp, eo.worst_x, ref_bound_ulp(c.op)));
            } catch (const cv::Exception &e) {
                actfast_opencv_unregister();
                fail(name + ": " + e.what());
            }
        }
    }
    std::printf("%s\n", g_failures ? "FAILED" : "all layer checks passed");
    return g_failures ? 1 : 0;
}
