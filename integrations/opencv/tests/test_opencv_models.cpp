/*
 * Whole-model test: one torchvision model (models/export_models.py) read by
 * OpenCV 4.6 with its own activation layers and with libactfast's.
 *
 *   test_opencv_models MODEL_DIR NAME
 *
 * Checks, one thread, the saved 64x64 input:
 *   1. OpenCV alone reads the model as PyTorch computes it (the saved PyTorch
 *      output, relative difference <= 1e-3: the export itself is sound);
 *   2. every type registered (ACTFAST_OPENCV_ALL): every activation layer of
 *      the model is libactfast's (the expected count per type), and the output
 *      is OpenCV's within kTolerance (relative to the largest |output|);
 *   3. batch 2 (the input and its negation): each sample's output equals the
 *      batch-1 output of that sample within 1e-6 relative, for both;
 *   4. the default policy (ACTFAST_OPENCV_AUTO) replaces exactly the layers of
 *      the default types;
 *   5. unregistered again, a newly read net gives OpenCV's output bit for bit;
 *   6. on a few activation layers (first, middle, last of each op), each side's output
 *      against a float64 reference of the op on that layer's own input:
 *      max ULP, max abs, and on how many elements each side is closer.
 * Exit 77 (skipped) when the model is missing (no torch to export it).
 */
#include "reference.hpp"

#include <actfast_opencv.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/dnn/all_layers.hpp>

namespace {

/* Relative to the largest |output|: the measured differences are ~1e-6 (README). */
const double kTolerance = 1e-4;

int g_failures = 0;

void fail(const std::string &what)
{
    std::printf("FAIL: %s\n", what.c_str());
    g_failures++;
}

/* A little-endian float32 .npy file (numpy.save of a C-contiguous array). */
bool load_npy(const std::string &path, cv::Mat &m)
{
    std::ifstream f(path, std::ios::binary);
    if (!f)
        return false;
    char magic[8];
    f.read(magic, 8);
    if (std::memcmp(magic, "\x93NUMPY", 6) != 0)
        return false;
    size_t hlen;
    if (magic[6] == 1) {
        unsigned char b[2];
        f.read((char *)b, 2);
        hlen = b[0] | (b[1] << 8);
    } else {
        unsigned char b[4];
        f.read((char *)b, 4);
        hlen = b[0] | (b[1] << 8) | (b[2] << 16) | ((size_t)b[3] << 24);
    }
    std::string h(hlen, ' ');
    f.read(&h[0], (std::streamsize)hlen);
    if (h.find("'<f4'") == std::string::npos || h.find("'fortran_order': False") == std::string::npos)
        return false;
    const size_t l = h.find('('), r = h.find(')');
    std::vector<int> shape;
    std::stringstream ss(h.substr(l + 1, r - l - 1));
    std::string tok;
    while (std::getline(ss, tok, ','))
        if (tok.find_first_not_of(' ') != std::string::npos)
            shape.push_back(std::stoi(tok));
    m.create((int)shape.size(), shape.data(), CV_32F);
    f.read((char *)m.ptr(), (std::streamsize)(m.total() * sizeof(float)));
    return (bool)f;
}

double rel_diff(const cv::Mat &a, const cv::Mat &b)
{
    double d, m;
    cv::Mat fa = a.reshape(1, 1), fb = b.reshape(1, 1);
    cv::minMaxLoc(cv::abs(fa - fb), nullptr, &d);
    cv::minMaxLoc(cv::abs(fb), nullptr, &m);
    return m > 0 ? d / m : d;
}

bool bit_equal(const cv::Mat &a, const cv::Mat &b)
{
    return a.total() == b.total() && std::memcmp(a.ptr(), b.ptr(), a.total() * a.elemSize()) == 0;
}

const std::set<std::string> &act_types()
{
    static const std::set<std::string> s = [] {
        std::set<std::string> t;
        for (const auto &x : actfast_opencv_types())
            t.insert(x);
        return t;
    }();
    return s;
}

cv::dnn::Net read(const std::string &path, actfast_opencv_policy policy)
{
    actfast_opencv_unregister();
    if (policy != ACTFAST_OPENCV_NONE)
        actfast_opencv_register(policy);
    cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
    actfast_opencv_unregister();
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    return net;
}

cv::Mat run(cv::dnn::Net &net, const cv::Mat &x)
{
    net.setInput(x);
    return net.forward().clone();
}

/* type -> (libactfast layers, all layers), over the activation types. */
std::map<std::string, std::pair<int, int>> count(cv::dnn::Net &net)
{
    std::map<std::string, std::pair<int, int>> c;
    for (const auto &name : net.getLayerNames()) {
        cv::Ptr<cv::dnn::Layer> l = net.getLayer(net.getLayerId(name));
        if (!act_types().count(l->type))
            continue;
        c[l->type].second++;
        if (actfast_opencv_is_actfast_layer(l))
            c[l->type].first++;
    }
    return c;
}

std::string str(const std::map<std::string, std::pair<int, int>> &c)
{
    std::string s;
    for (const auto &kv : c)
        s += cv::format("%s%s %d/%d", s.empty() ? "" : ", ", kv.first.c_str(), kv.second.first, kv.second.second);
    return s;
}

/* Each side's accuracy on a few activation layers (check 6). */
void layer_accuracy(const std::string &path, const cv::Mat &x)
{
    cv::dnn::Net cvnet = read(path, ACTFAST_OPENCV_NONE), afnet = read(path, ACTFAST_OPENCV_ALL);
    /* The first, middle and last layer of each op. */
    std::map<std::string, std::vector<int>> acts;
    for (const auto &name : afnet.getLayerNames()) {
        const int id = afnet.getLayerId(name);
        std::string op;
        if (actfast_opencv_is_actfast_layer(afnet.getLayer(id), &op))
            acts[op].push_back(id);
    }
    if (acts.empty())
        return;
    std::vector<int> pick;
    for (const auto &kv : acts)
        for (int id : {kv.second.front(), kv.second[kv.second.size() / 2], kv.second.back()})
            pick.push_back(id);
    std::printf("\n| layer | op | libactfast max ULP | OpenCV max ULP | libactfast max abs | OpenCV max abs | "
                "closer: libactfast / OpenCV (elements) |\n|---|---|---:|---:|---:|---:|---:|\n");
    std::set<int> seen;
    for (int id : pick) {
        if (!seen.insert(id).second)
            continue;
        cv::Ptr<cv::dnn::Layer> af = afnet.getLayer(id), cvl = cvnet.getLayer(id);
        std::string op;
        actfast_opencv_is_actfast_layer(af, &op);
        double a = 0, b = 0;
        if (op == "clip") {
            cv::Ptr<cv::dnn::ReLU6Layer> r6 = cvl.dynamicCast<cv::dnn::ReLU6Layer>();
            CV_Assert(r6);
            a = r6->minValue;
            b = r6->maxValue;
        } else if (op != "relu" && op != "sigmoid" && op != "hardswish" && op != "hardsigmoid") {
            continue; /* these models have no other activations */
        }
        std::vector<cv::Ptr<cv::dnn::Layer>> producers = afnet.getLayerInputs(id);
        CV_Assert(producers.size() == 1);
        const std::string prod = producers[0]->name, self = af->name;
        std::vector<cv::Mat> cv_out, af_out;
        cvnet.setInput(x);
        cvnet.forward(cv_out, std::vector<cv::String>{prod, self});
        afnet.setInput(x);
        afnet.forward(af_out, std::vector<cv::String>{prod, self});
        ErrorStats ea = measure(op, af_out[0], af_out[1], a, b), ec = measure(op, cv_out[0], cv_out[1], a, b);
        long no = 0, nt = 0;
        const float *xa = af_out[0].ptr<float>(), *ya = af_out[1].ptr<float>();
        const float *xc = cv_out[0].ptr<float>(), *yc = cv_out[1].ptr<float>();
        for (size_t i = 0; i < af_out[0].total(); i++) {
            const double eo = std::fabs(ya[i] - ref_eval(op, xa[i], a, b));
            const double et = std::fabs(yc[i] - ref_eval(op, xc[i], a, b));
            no += eo < et;
            nt += et < eo;
        }
        std::printf("| %s (%s) | %s | %.3g | %.3g | %.3g | %.3g | %ld / %ld |\n", self.c_str(), af->type.c_str(),
                    op.c_str(), ea.max_ulp, ec.max_ulp, ea.max_abs, ec.max_abs, no, nt);
        if (!(ea.max_ulp <= ref_bound_ulp(op)))
            fail(cv::format("%s: libactfast %.3g ULP from the reference (bound %.3g)", self.c_str(), ea.max_ulp,
                            ref_bound_ulp(op)));
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: test_opencv_models MODEL_DIR NAME\n");
        return 2;
    }
    const std::string dir = argv[1], name = argv[2], path = dir + "/" + name + ".onnx";
    cv::Mat x, torch_ref;
    if (!std::ifstream(path) || !load_npy(dir + "/" + name + ".input.npy", x) ||
        !load_npy(dir + "/" + name + ".torch.npy", torch_ref)) {
        std::printf("SKIP: %s (or its .npy files) missing: models/export_models.py needs "
                    "python3-torch, python3-torchvision, python3-onnx\n", path.c_str());
        return 77;
    }
    const std::map<std::string, std::map<std::string, int>> expected = {
        {"resnet18", {{"ReLU", 17}}},
        {"mobilenet_v2", {{"ReLU6", 35}}},
        {"mobilenet_v3_small", {{"ReLU", 14}, {"HardSwish", 19}, {"HardSigmoid", 9}}},
        {"efficientnet_b0", {{"Sigmoid", 65}}},
    };
    cv::setNumThreads(1);
    try {
        /* 1. OpenCV alone against PyTorch. */
        cv::dnn::Net base = read(path, ACTFAST_OPENCV_NONE);
        const cv::Mat y_cv = run(base, x);
        const double d_torch = rel_diff(y_cv, torch_ref);
        std::printf("%s: OpenCV vs PyTorch: %.3g relative\n", name.c_str(), d_torch);
        if (!(d_torch <= 1e-3))
            fail("OpenCV's output is not PyTorch's: the export or the import is wrong");

        /* 2. Every type registered. */
        cv::dnn::Net all = read(path, ACTFAST_OPENCV_ALL);
        const cv::Mat y_af = run(all, x);
        const auto c_all = count(all);
        std::printf("%s: libactfast layers (all types): %s\n", name.c_str(), str(c_all).c_str());
        auto it = expected.find(name);
        if (it != expected.end()) {
            std::map<std::string, int> got;
            for (const auto &kv : c_all) {
                if (kv.second.first != kv.second.second)
                    fail(cv::format("%s: %d of %d layers replaced", kv.first.c_str(), kv.second.first,
                                    kv.second.second));
                got[kv.first] = kv.second.first;
            }
            if (got != it->second)
                fail("the activation layers are not the expected ones");
        }
        const double d_af = rel_diff(y_af, y_cv);
        std::printf("%s: libactfast vs OpenCV: %.3g relative (tolerance %.0e); libactfast vs PyTorch: %.3g\n",
                    name.c_str(), d_af, kTolerance, rel_diff(y_af, torch_ref));
        if (!(d_af <= kTolerance))
            fail("libactfast's output is too far from OpenCV's");

        /* 3. Batch 2: the input and its negation. */
        cv::Mat x2 = -x;
        std::vector<int> bs = {2, x.size[1], x.size[2], x.size[3]};
        cv::Mat xb(4, bs.data(), CV_32F);
        std::memcpy(xb.ptr<float>(0), x.ptr<float>(), x.total() * sizeof(float));
        std::memcpy(xb.ptr<float>(1), x2.ptr<float>(), x.total() * sizeof(float));
        for (auto *net : {&base, &all}) {
            const cv::Mat yb = run(*net, xb);
            const cv::Mat y1 = run(*net, x), y2 = run(*net, x2);
            const cv::Mat r0 = yb.row(0).clone(), r1 = yb.row(1).clone();
            const double d = std::max(rel_diff(r0, y1.reshape(1, 1)), rel_diff(r1, y2.reshape(1, 1)));
            std::printf("%s: batch 2 vs batch 1 (%s): %.3g relative\n", name.c_str(),
                        net == &base ? "OpenCV" : "libactfast", d);
            if (!(d <= 1e-6))
                fail("batch 2 differs from batch 1");
        }

        /* 4. The default policy. */
        cv::dnn::Net dflt = read(path, ACTFAST_OPENCV_AUTO);
        const auto c_auto = count(dflt);
        std::set<std::string> dtypes;
        for (const auto &t : actfast_opencv_default_types())
            dtypes.insert(t);
        for (const auto &kv : c_auto) {
            const int want = dtypes.count(kv.first) ? kv.second.second : 0;
            if (kv.second.first != want)
                fail(cv::format("default policy: %s %d/%d replaced, want %d", kv.first.c_str(), kv.second.first,
                                kv.second.second, want));
        }
        const cv::Mat y_auto = run(dflt, x);
        std::printf("%s: libactfast layers (default policy): %s; vs OpenCV %.3g relative\n", name.c_str(),
                    str(c_auto).c_str(), rel_diff(y_auto, y_cv));
        if (!(rel_diff(y_auto, y_cv) <= kTolerance))
            fail("default policy: output too far from OpenCV's");

        /* 5. Unregistered again. */
        cv::dnn::Net again = read(path, ACTFAST_OPENCV_NONE);
        for (const auto &kv : count(again))
            if (kv.second.first)
                fail("unregistered, but " + kv.first + " layers are libactfast's");
        if (!bit_equal(run(again, x), y_cv))
            fail("unregistered, the output is not OpenCV's bit for bit");

        /* 6. Accuracy on a few layers. */
        layer_accuracy(path, x);
    } catch (const cv::Exception &e) {
        fail(e.what());
    }
    std::printf("%s: %s\n", name.c_str(), g_failures ? "FAILED" : "passed");
    return g_failures ? 1 : 0;
}
