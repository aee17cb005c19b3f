/*
 * The OpenCV integration's API and layer mechanics, without models:
 * registration and unregistration (LayerFactory's stack), what each type's
 * parameters give (libactfast's op, or OpenCV's own layer handed back),
 * forward() on 1-D to 4-D blobs and batch > 1 against OpenCV's own layer,
 * in place, striped over threads, forwardSlice() with channel rows apart
 * (as a fused convolution calls it), non-float32 blobs handed back, and
 * libactfast's errors as cv::Exception with its status text.
 */
#include <actfast.h>
#include <actfast_opencv.hpp>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/dnn/all_layers.hpp>
#include <opencv2/dnn/layer.details.hpp>

using cv::Mat;
using cv::Ptr;
using cv::dnn::Layer;
using cv::dnn::LayerFactory;
using cv::dnn::LayerParams;

namespace {

int g_checks = 0, g_failures = 0;

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        g_checks++;                                                                                                    \
        if (!(cond)) {                                                                                                 \
            g_failures++;                                                                                              \
            std::printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                                \
            std::printf(__VA_ARGS__);                                                                                  \
            std::printf("\n");                                                                                         \
        }                                                                                                              \
    } while (0)

LayerParams params(const std::string &type)
{
    LayerParams p;
    p.type = type;
    p.name = "test_" + type;
    return p;
}

std::string op_of(const Ptr<Layer> &l)
{
    std::string op;
    return actfast_opencv_is_actfast_layer(l, &op) ? op : std::string("opencv");
}

Ptr<Layer> create(const std::string &type, LayerParams p)
{
    return LayerFactory::createLayerInstance(type, p);
}

Mat blob(const std::vector<int> &shape, uint64 seed, double scale = 4.0)
{
    Mat m((int)shape.size(), shape.data(), CV_32F);
    cv::RNG rng(seed);
    rng.fill(m, cv::RNG::NORMAL, 0.0, scale);
    return m;
}

/* forward() of one layer on one blob (out of place unless `in_place`). */
Mat forward(const Ptr<Layer> &l, const Mat &x, bool in_place = false)
{
    std::vector<Mat> in{in_place ? x.clone() : x}, out, internals;
    out.push_back(in_place ? in[0] : Mat(x.dims, x.size.p, x.type()));
    l->finalize((cv::InputArrayOfArrays)in, (cv::OutputArrayOfArrays)out);
    l->forward(in, out, internals);
    return out[0];
}

/* Max |a - b| / max(|b|, 1e-30) elementwise, zeros of either sign equal. */
double max_rel(const Mat &a, const Mat &b)
{
    const float *pa = a.ptr<float>(), *pb = b.ptr<float>();
    double m = 0;
    for (size_t i = 0; i < a.total(); i++) {
        const double d = std::fabs((double)pa[i] - pb[i]);
        if (d != 0)
            m = std::max(m, d / std::max(std::fabs((double)pb[i]), 1e-30));
    }
    return m;
}

bool same_values(const Mat &a, const Mat &b)
{
    const float *pa = a.ptr<float>(), *pb = b.ptr<float>();
    for (size_t i = 0; i < a.total(); i++)
        if (!(pa[i] == pb[i]))
            return false;
    return a.total() == b.total();
}

bool bit_equal(const Mat &a, const Mat &b)
{
    return a.total() == b.total() && std::memcmp(a.ptr(), b.ptr(), a.total() * a.elemSize()) == 0;
}

Ptr<Layer> dummy_swish(LayerParams &p)
{
    Ptr<Layer> l = cv::dnn::SwishLayer::create(p);
    l->name = "dummy";
    return l;
}

void test_registration()
{
    actfast_opencv_unregister();
    CHECK(actfast_opencv_registered().empty(), "nothing registered at start");
    const auto all = actfast_opencv_types(), dflt = actfast_opencv_default_types();
    CHECK(all.size() >= 15, "%zu types", all.size());
    CHECK(!dflt.empty() && dflt.size() < all.size(), "default %zu of %zu", dflt.size(), all.size());

    CHECK(actfast_opencv_register(ACTFAST_OPENCV_ALL) == all, "ALL registers every type");
    CHECK(actfast_opencv_registered() == all, "registered() lists them");
    /* A second call switches policy instead of stacking (LayerFactory would throw on a duplicate). */
    CHECK(actfast_opencv_register(ACTFAST_OPENCV_AUTO) == dflt, "AUTO after ALL");
    CHECK(actfast_opencv_register(ACTFAST_OPENCV_NONE).empty(), "NONE registers nothing");
    CHECK(actfast_opencv_register(std::vector<std::string>{"Sigmoid", "TanH"}).size() == 2, "explicit list");
    CHECK(op_of(create("Sigmoid", params("Sigmoid"))) == "sigmoid", "Sigmoid is ours");
    CHECK(op_of(create("ReLU", params("ReLU"))) == "opencv", "ReLU is OpenCV's when not in the list");
    bool threw = false;
    try {
        actfast_opencv_register(std::vector<std::string>{"Softmax"});
    } catch (const cv::Exception &) {
        threw = true;
    }
    CHECK(threw, "an unknown type is an error");
    actfast_opencv_unregister();
    CHECK(op_of(create("Sigmoid", params("Sigmoid"))) == "opencv", "unregistered: OpenCV's Sigmoid");
    CHECK(!LayerFactory::isLayerRegistered("Gelu"), "Gelu (no OpenCV layer) is gone after unregister");

    /* Another plugin's registration below ours comes back on unregister. */
    LayerFactory::registerLayer("Swish", dummy_swish);
    actfast_opencv_register(ACTFAST_OPENCV_ALL);
    CHECK(op_of(create("Swish", params("Swish"))) == "silu", "ours on top of the plugin");
    actfast_opencv_unregister();
    CHECK(create("Swish", params("Swish"))->name == "dummy", "the plugin's constructor is back");
    LayerFactory::unregisterLayer("Swish");
    CHECK(op_of(create("Swish", params("Swish"))) == "opencv" && create("Swish", params("Swish"))->name != "dummy",
          "and OpenCV's under it");

    /* The environment switch overrides AUTO only. */
    setenv("ACTFAST_OPENCV", "all", 1);
    CHECK(actfast_opencv_register(ACTFAST_OPENCV_AUTO) == all, "ACTFAST_OPENCV=all");
    setenv("ACTFAST_OPENCV", "none", 1);
    CHECK(actfast_opencv_register(ACTFAST_OPENCV_AUTO).empty(), "ACTFAST_OPENCV=none");
    CHECK(actfast_opencv_register(ACTFAST_OPENCV_ALL) == all, "explicit ALL wins over the environment");
    unsetenv("ACTFAST_OPENCV");
    actfast_opencv_unregister();
}

/* Each type and parameter set: libactfast's op, or OpenCV's layer ("opencv"). */
void test_parameters()
{
    actfast_opencv_register(ACTFAST_OPENCV_ALL);
    struct P {
        const char *type;
        std::vector<std::pair<const char *, double>> nums;
        const char *want;
    };
    const P cases[] = {
        {"ReLU", {}, "relu"},
        {"ReLU", {{"negative_slope", 0.1}}, "leaky_relu"},
        {"ReLU", {{"negative_slope", -3.0}}, "leaky_relu"},
        {"ReLU", {{"negative_slope", INFINITY}}, "opencv"},
        {"ReLU", {{"negative_slope", NAN}}, "opencv"},
        {"ELU", {}, "elu"},
        {"ELU", {{"alpha", 0.5}}, "elu"},
        {"ELU", {{"alpha", NAN}}, "opencv"},
        {"Celu", {}, "elu"},
        {"Celu", {{"alpha", 1.0}}, "elu"},
        {"Celu", {{"alpha", 2.0}}, "opencv"},
        {"ReLU6", {}, "clip"},
        {"ReLU6", {{"min_value", -FLT_MAX}, {"max_value", FLT_MAX}}, "clip"},
        {"ReLU6", {{"min_value", -INFINITY}}, "opencv"},
        {"HardSigmoid", {}, "opencv"}, /* ONNX's default alpha 0.2 */
        {"HardSigmoid", {{"alpha", 1.0 / 6.0}, {"beta", 0.5}}, "hardsigmoid"},
        {"HardSigmoid", {{"alpha", 1.0 / 6.0}, {"beta", 0.4}}, "opencv"},
        {"Selu", {}, "selu"},
        {"Selu", {{"alpha", 1.5}}, "opencv"},
        {"Selu", {{"gamma", 1.0}}, "opencv"},
        {"Sigmoid", {}, "sigmoid"},
        {"TanH", {}, "tanh"},
        {"Swish", {}, "silu"},
        {"Mish", {}, "mish"},
        {"Softplus", {}, "softplus"},
        {"HardSwish", {}, "hardswish"},
        {"Gelu", {}, "gelu"},
        {"com.microsoft.Gelu", {}, "gelu"},
    };
    for (const P &c : cases) {
        LayerParams p = params(c.type);
        for (const auto &kv : c.nums)
            p.set(kv.first, kv.second);
        std::string got;
        try {
            got = op_of(create(c.type, p));
        } catch (const cv::Exception &e) {
            got = std::string("exception: ") + e.what();
        }
        CHECK(got == c.want, "%s with %zu params: %s, want %s", c.type, c.nums.size(), got.c_str(), c.want);
    }
    {
        LayerParams p = params("Gelu");
        p.set("approximate", "tanh");
        CHECK(op_of(create("Gelu", p)) == "gelu_tanh", "Gelu approximate=tanh");
        p.set("approximate", "erf");
        bool threw = false;
        try {
            create("Gelu", p);
        } catch (const cv::Exception &e) {
            threw = std::string(e.what()).find("approximate") != std::string::npos;
        }
        CHECK(threw, "Gelu approximate=erf is an error (no OpenCV layer to hand it to)");
    }
    {
        /* OpenCV's ReLU6 asserts min <= max: so does the replacement (through OpenCV's create). */
        LayerParams p = params("ReLU6");
        p.set("min_value", 2.0);
        p.set("max_value", 1.0);
        bool threw = false;
        try {
            create("ReLU6", p);
        } catch (const cv::Exception &) {
            threw = true;
        }
        CHECK(threw, "ReLU6 with min > max throws as OpenCV's does");
    }
    {
        /* PReLU: one slope is a Leaky ReLU (as OpenCV makes a ReLU of it); many: prelu; a
         * float64 blob: OpenCV's layer. */
        LayerParams p = params("PReLU");
        p.blobs.push_back(Mat(1, 1, CV_32F, cv::Scalar(0.3)));
        CHECK(op_of(create("PReLU", p)) == "leaky_relu", "PReLU, one slope");
        p.blobs[0] = Mat(4, 1, CV_32F, cv::Scalar(0.3));
        CHECK(op_of(create("PReLU", p)) == "prelu", "PReLU, four slopes");
        CHECK(op_of(create("ChannelsPReLU", p)) == "prelu", "ChannelsPReLU, four slopes");
        p.blobs[0] = Mat(4, 1, CV_64F, cv::Scalar(0.3));
        CHECK(op_of(create("PReLU", p)) == "opencv", "PReLU, float64 slopes");
    }
    {
        const actfast_opencv_stats before = actfast_opencv_get_stats();
        create("Sigmoid", params("Sigmoid"));
        LayerParams p = params("Celu");
        p.set("alpha", 3.0);
        create("Celu", p);
        const actfast_opencv_stats after = actfast_opencv_get_stats();
        CHECK(after.created == before.created + 1 && after.handed_back == before.handed_back + 1, "stats");
    }
    actfast_opencv_unregister();
}

/* forward() against OpenCV's own layer with the same parameters. */
void test_forward()
{
    struct F {
        const char *type;
        std::vector<std::pair<const char *, double>> nums;
        double tol; /* relative; 0: the same values (the exact ops) */
    };
    const F cases[] = {
        {"ReLU", {}, 0},
        {"ReLU", {{"negative_slope", 0.1}}, 0},
        {"ReLU6", {}, 0},
        {"ReLU6", {{"min_value", -1.0}, {"max_value", 1.0}}, 0},
        {"ELU", {{"alpha", 0.7}}, 1e-5},      /* OpenCV's exp(x) - 1 near 0 */
        {"Sigmoid", {}, 1e-6},
        {"TanH", {}, 1e-6},
        {"Swish", {}, 1e-5},
        {"Mish", {}, 1e-5},
        {"Softplus", {}, 1e-6},
        {"HardSwish", {}, 1e-5},
        {"HardSigmoid", {{"alpha", 1.0 / 6.0}, {"beta", 0.5}}, 1e-5},
        {"Selu", {}, 1e-5},
    };
    const std::vector<std::vector<int>> shapes = {{3, 5, 7, 9}, {2, 4, 3, 5, 2}, {2, 5, 11}, {4, 6}, {37}};
    for (const F &c : cases) {
        LayerParams p = params(c.type);
        for (const auto &kv : c.nums)
            p.set(kv.first, kv.second);
        actfast_opencv_register(ACTFAST_OPENCV_ALL);
        Ptr<Layer> ours = create(c.type, p);
        actfast_opencv_unregister();
        Ptr<Layer> theirs = create(c.type, p);
        CHECK(op_of(ours) != "opencv" && op_of(theirs) == "opencv", "%s: ours and theirs", c.type);
        for (const auto &shape : shapes) {
            const Mat x = blob(shape, 11);
            const Mat yo = forward(ours, x), yt = forward(theirs, x), yi = forward(ours, x, true);
            const bool ok = c.tol == 0 ? same_values(yo, yt) : max_rel(yo, yt) <= c.tol;
            CHECK(ok, "%s on %d-D: %.3g relative from OpenCV's", c.type, (int)shape.size(), max_rel(yo, yt));
            CHECK(bit_equal(yi, yo), "%s on %d-D: in place differs", c.type, (int)shape.size());
        }
    }

    /* PReLU: NCHW channel slopes, batch 3; 2-D [N, C]; 3-D [N, C, L]. (A "1-D"
     * cv::Mat is 2-D, [C][1]: channel 0 for all, in OpenCV's layer and ours.) */
    const float s[6] = {0.25f, -0.5f, 0.0f, 1.5f, NAN, 3.0f};
    for (const auto &shape : std::vector<std::vector<int>>{{3, 6, 5, 7}, {4, 6}, {6}, {2, 6, 9}}) {
        LayerParams p = params("PReLU");
        p.blobs.push_back(Mat(6, 1, CV_32F, (void *)s).clone());
        actfast_opencv_register(ACTFAST_OPENCV_ALL);
        Ptr<Layer> ours = create("PReLU", p);
        actfast_opencv_unregister();
        const Mat x = blob(shape, 12);
        const Mat y = forward(ours, x), yi = forward(ours, x, true);
        const size_t channels = x.dims > 1 ? (size_t)x.size[1] : (size_t)x.size[0];
        size_t inner = 1;
        for (int d = 2; d < x.dims; d++)
            inner *= (size_t)x.size[d];
        bool ok = true;
        for (size_t i = 0; i < x.total(); i++) {
            const float xv = x.ptr<float>()[i], sl = s[(i / inner) % channels];
            const float want = xv > 0 ? xv : sl * xv;
            const float got = y.ptr<float>()[i];
            ok &= (got == want) || (std::isnan(got) && std::isnan(want));
        }
        CHECK(ok, "PReLU on %zu-D: slope per channel", shape.size());
        CHECK(bit_equal(yi, y), "PReLU on %zu-D: in place", shape.size());
        /* Too few slopes for the blob: handed to OpenCV, which asserts. */
        if (shape.size() == 4) {
            std::vector<int> big = shape;
            big[1] = 7;
            bool threw = false;
            try {
                forward(ours, blob(big, 1));
            } catch (const cv::Exception &) {
                threw = true;
            }
            CHECK(threw, "PReLU with 6 slopes on 7 channels: OpenCV's assertion");
        }
    }
}

/* Striped over threads: the same bits as one thread. */
void test_threads()
{
    const int saved = cv::getNumThreads();
    actfast_opencv_register(ACTFAST_OPENCV_ALL);
    LayerParams pp = params("PReLU");
    Mat sl = blob({64}, 9, 1.0);
    pp.blobs.push_back(sl);
    Ptr<Layer> layers[] = {create("Sigmoid", params("Sigmoid")), create("ReLU", params("ReLU")),
                           create("PReLU", pp)};
    actfast_opencv_unregister();
    for (const auto &l : layers) {
        for (const auto &shape : std::vector<std::vector<int>>{{1, 64, 61, 67}, {3, 64, 33, 17}}) {
            const Mat x = blob(shape, 21);
            cv::setNumThreads(1);
            const Mat y1 = forward(l, x);
            cv::setNumThreads(4);
            const Mat y4 = forward(l, x), y4i = forward(l, x, true);
            CHECK(bit_equal(y1, y4) && bit_equal(y1, y4i), "%s: 4 threads differ from 1", l->type.c_str());
        }
    }
    cv::setNumThreads(saved);
}

/* forwardSlice as a fused convolution calls it: channels [cn0, cn1), rows `len`
 * long and `planeSize` apart, the pointers at channel cn0's row. */
void test_forward_slice()
{
    const int planes = 6, plane = 9, len = 5, cn0 = 2, cn1 = 5;
    const float s[planes] = {0.5f, 0.25f, -1.0f, 2.0f, 0.125f, 4.0f};
    LayerParams p = params("PReLU");
    p.blobs.push_back(Mat(planes, 1, CV_32F, (void *)s).clone());
    actfast_opencv_register(ACTFAST_OPENCV_ALL);
    Ptr<cv::dnn::ActivationLayer> prelu = create("PReLU", p).dynamicCast<cv::dnn::ActivationLayer>();
    Ptr<cv::dnn::ActivationLayer> sig = create("Sigmoid", params("Sigmoid")).dynamicCast<cv::dnn::ActivationLayer>();
    actfast_opencv_unregister();
    Ptr<cv::dnn::ActivationLayer> sig_cv = create("Sigmoid", params("Sigmoid")).dynamicCast<cv::dnn::ActivationLayer>();
    CHECK(prelu && sig && sig_cv, "activation layers");
    std::vector<float> x(planes * plane), y(planes * plane, 7.0f), z(planes * plane, 7.0f);
    for (size_t i = 0; i < x.size(); i++)
        x[i] = (float)((int)(i * 7 % 13) - 6) * 0.5f;
    prelu->forwardSlice(&x[cn0 * plane], &y[cn0 * plane], len, plane, cn0, cn1);
    bool ok = true;
    for (int c = 0; c < planes; c++)
        for (int i = 0; i < plane; i++) {
            const float xv = x[c * plane + i], got = y[c * plane + i];
            const bool inside = c >= cn0 && c < cn1 && i < len;
            ok &= inside ? got == (xv > 0 ? xv : s[c] * xv) : got == 7.0f;
        }
    CHECK(ok, "PReLU forwardSlice: slopes[cn] inside the slice, nothing written outside");
    /* Contiguous rows (len == planeSize, as InnerProduct calls it), in place. */
    std::vector<float> w = x;
    prelu->forwardSlice(&w[0], &w[0], plane, plane, 0, planes);
    ok = true;
    for (int i = 0; i < planes * plane; i++)
        ok &= w[i] == (x[i] > 0 ? x[i] : s[i / plane] * x[i]);
    CHECK(ok, "PReLU forwardSlice, contiguous, in place");
    sig->forwardSlice(&x[cn0 * plane], &y[cn0 * plane], len, plane, cn0, cn1);
    sig_cv->forwardSlice(&x[cn0 * plane], &z[cn0 * plane], len, plane, cn0, cn1);
    double m = 0;
    for (size_t i = 0; i < y.size(); i++)
        m = std::max(m, (double)std::fabs(y[i] - z[i]));
    CHECK(m < 1e-6, "Sigmoid forwardSlice matches OpenCV's on the same slice (%.3g)", m);
}

/* Errors and hand-backs at run time. */
void test_errors()
{
    actfast_opencv_register(ACTFAST_OPENCV_ALL);
    Ptr<Layer> sig = create("Sigmoid", params("Sigmoid"));
    Ptr<Layer> gelu = create("Gelu", params("Gelu"));
    actfast_opencv_unregister();

    /* Partially overlapping input and output: libactfast refuses, as a cv::Exception. */
    Mat buf(1, 1025, CV_32F, cv::Scalar(0.5));
    Mat in = buf.colRange(0, 1024), out = buf.colRange(1, 1025);
    std::vector<Mat> ins{in}, outs{out}, internals;
    std::string msg;
    try {
        sig->forward(ins, outs, internals);
    } catch (const cv::Exception &e) {
        msg = e.what();
    }
    CHECK(msg.find(actfast_status_str(ACTFAST_ERR_OVERLAP)) != std::string::npos,
          "overlap: cv::Exception with libactfast's status text, got '%s'", msg.c_str());

    /* A float64 blob goes to OpenCV's layer (which asserts float32, as without libactfast). */
    const actfast_opencv_stats before = actfast_opencv_get_stats();
    Mat x64(2, 3, CV_64F, cv::Scalar(1.0)), y64(2, 3, CV_64F);
    std::vector<Mat> i64{x64}, o64{y64};
    bool theirs = false;
    try {
        sig->forward(i64, o64, internals);
    } catch (const cv::Exception &e) {
        theirs = true;
    }
    CHECK(theirs && actfast_opencv_get_stats().forwards_handed_back == before.forwards_handed_back + 1,
          "float64 blob handed back to OpenCV");
    msg.clear();
    try {
        gelu->forward(i64, o64, internals);
    } catch (const cv::Exception &e) {
        msg = e.what();
    }
    CHECK(msg.find("float32") != std::string::npos, "Gelu on float64: a clear error, got '%s'", msg.c_str());
}

/* A Net built with addLayer: its layers are created at the first forward (not
 * at addLayer, unlike the ONNX importer's), so that is when registration counts. */
void test_net()
{
    const Mat x = blob({2, 3, 8, 8}, 5);
    Mat want(x.dims, x.size.p, CV_32F);
    actfast_sigmoid_f32(x.ptr<float>(), want.ptr<float>(), x.total());
    actfast_tanh_f32(want.ptr<float>(), want.ptr<float>(), want.total());
    for (bool registered_at_forward : {true, false}) {
        cv::dnn::Net net;
        LayerParams sp = params("Sigmoid"), tp = params("TanH");
        actfast_opencv_register(ACTFAST_OPENCV_ALL);
        const int a = net.addLayerToPrev("sig", "Sigmoid", sp);
        const int b = net.addLayerToPrev("tanh", "TanH", tp);
        if (!registered_at_forward)
            actfast_opencv_unregister();
        net.setInput(x);
        const Mat y = net.forward().clone();
        actfast_opencv_unregister();
        const bool ours = op_of(net.getLayer(a)) == "sigmoid" && op_of(net.getLayer(b)) == "tanh";
        CHECK(ours == registered_at_forward, "addLayer nets take the layers registered at their first forward");
        /* The Sigmoid's output feeds TanH in place or not: the same bits either way. */
        if (ours)
            CHECK(bit_equal(y, want), "net output is libactfast's sigmoid then tanh");
    }
}

} // namespace

int main()
{
    cv::setNumThreads(1);
    try {
        test_registration();
        test_parameters();
        test_forward();
        test_threads();
        test_forward_slice();
        test_errors();
        test_net();
    } catch (const cv::Exception &e) {
        std::printf("FAIL: unexpected exception: %s\n", e.what());
        g_failures++;
    }
    std::printf("%d checks, %d failed\n", g_checks, g_failures);
    return g_failures ? 1 : 0;
}
