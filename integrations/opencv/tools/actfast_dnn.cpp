/*
 * actfast-dnn: run an ONNX model with OpenCV's activation layers and with
 * libactfast's, and compare outputs and time.
 *
 *   actfast-dnn MODEL.onnx [--input N,C,H,W] [--runs K] [--compare] [--layers]
 *               [--mode opencv|actfast|auto] [--threads T] [--check TOL] [--seed S]
 *               [--skip-missing]
 *
 * --mode      which layers one run uses (default auto): opencv = none replaced,
 *             actfast = every type libactfast has, auto = the default policy.
 * --compare   run all three modes, interleaved run by run, and print the table
 *             (differences against the opencv mode).
 * --threads   cv::setNumThreads(T) (default 1; 0 = OpenCV's default).
 * --check TOL exit 1 if a mode's max relative difference exceeds TOL.
 * --layers    also time each activation type as a layer of its own: the same
 *             modes on nets read again with fusion off (Net::enableFusion(false)),
 *             microseconds per layer from the per-layer profile, one table row
 *             per type. (With fusion on, a fused activation has no time of its
 *             own: its cost is inside the convolution's.)
 * --skip-missing  a missing MODEL exits 77 (ctest's "skipped") instead of 1.
 *
 * Times are wall-clock medians of K forwards after one warm-up forward. The
 * activation columns come from Net::getPerfProfile (per-layer medians): an
 * activation fused into the layer before it (convolution, eltwise, ...) is
 * skipped there and its cost is inside that layer's time; "fused" counts them.
 */
#include <actfast.h>
#include <actfast_opencv.hpp>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/dnn.hpp>

namespace {

struct Mode {
    std::string name;
    actfast_opencv_policy policy;
    cv::dnn::Net net;
    std::vector<std::string> registered;
    std::map<std::string, std::pair<int, int>> counts; /* type -> (ours, all) */
    std::vector<double> times;                         /* ms per run */
    std::vector<std::vector<double>> layer_ms;         /* per run, per layer */
    cv::Mat out;
    cv::dnn::Net unfused;                              /* --layers */
    std::vector<std::vector<double>> unfused_ms;
};

/* Per activation type: layers, how many fused (no time of their own), their summed median ms. */
struct TypeTime {
    int layers = 0, fused = 0;
    double ms = 0;
};

void usage(FILE *f)
{
    std::fprintf(f,
                 "usage: actfast-dnn MODEL.onnx [--input N,C,H,W] [--runs K] [--compare] [--layers]\n"
                 "                   [--mode opencv|actfast|auto] [--threads T] [--check TOL] [--seed S]\n"
                 "                   [--skip-missing]\n");
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

bool parse_shape(const char *s, std::vector<int> &shape)
{
    shape.clear();
    const char *p = s;
    while (*p) {
        char *end;
        long v = std::strtol(p, &end, 10);
        if (end == p || v <= 0 || v > (1 << 20))
            return false;
        shape.push_back((int)v);
        p = end;
        if (*p == ',' || *p == 'x')
            p++;
        else if (*p)
            return false;
    }
    return shape.size() == 4;
}

/* A whole decimal integer in [lo, hi], or a finite number: else a message and exit 2. */
int parse_int(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    const long v = std::strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi) {
        std::fprintf(stderr, "actfast-dnn: %s wants an integer from %ld to %ld, not '%s'\n", opt, lo, hi, s);
        std::exit(2);
    }
    return (int)v;
}

double parse_double(const char *opt, const char *s)
{
    char *end;
    const double v = std::strtod(s, &end);
    if (end == s || *end || !std::isfinite(v) || v < 0) {
        std::fprintf(stderr, "actfast-dnn: %s wants a number >= 0, not '%s'\n", opt, s);
        std::exit(2);
    }
    return v;
}

const std::set<std::string> &activation_types()
{
    static const std::set<std::string> t = [] {
        std::set<std::string> s;
        for (const auto &x : actfast_opencv_types())
            s.insert(x);
        return s;
    }();
    return t;
}

cv::dnn::Net load(Mode &m, const std::string &path, bool fusion)
{
    actfast_opencv_unregister();
    if (m.policy != ACTFAST_OPENCV_NONE)
        m.registered = actfast_opencv_register(m.policy);
    cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
    actfast_opencv_unregister(); /* the net keeps the layers it was read with */
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    net.enableFusion(fusion);
    return net;
}

void count_layers(Mode &m)
{
    for (const auto &name : m.net.getLayerNames()) {
        cv::Ptr<cv::dnn::Layer> l = m.net.getLayer(m.net.getLayerId(name));
        if (!activation_types().count(l->type))
            continue;
        auto &c = m.counts[l->type];
        c.second++;
        if (actfast_opencv_is_actfast_layer(l))
            c.first++;
    }
}

double forward_ms(cv::dnn::Net &net, const cv::Mat &input, cv::Mat *keep)
{
    net.setInput(input);
    auto t0 = std::chrono::steady_clock::now();
    cv::Mat out = net.forward();
    auto t1 = std::chrono::steady_clock::now();
    if (keep)
        *keep = out.clone();
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

void record_profile(cv::dnn::Net &net, std::vector<std::vector<double>> &layer_ms)
{
    std::vector<double> t;
    net.getPerfProfile(t);
    const double ms_per_tick = 1000.0 / cv::getTickFrequency();
    for (auto &v : t)
        v *= ms_per_tick;
    layer_ms.push_back(t);
}

/*
 * From per-run profiles: the whole profile's time (per-layer medians, summed)
 * and, per activation type, its layers, how many are fused (time 0: OpenCV
 * skips a layer fused into the one before) and their summed median time.
 */
double per_type(cv::dnn::Net &net, const std::vector<std::vector<double>> &layer_ms,
                std::map<std::string, TypeTime> &types)
{
    types.clear();
    double all_ms = 0;
    if (layer_ms.empty())
        return 0;
    const size_t nl = layer_ms[0].size();
    for (size_t i = 0; i < nl; i++) {
        std::vector<double> v;
        for (const auto &run : layer_ms)
            if (i < run.size())
                v.push_back(run[i]);
        const double med = median(v);
        all_ms += med;
        /* timings[i] is layer id i + 1 (id 0 is the input) */
        cv::Ptr<cv::dnn::Layer> l = net.getLayer((int)i + 1);
        if (!activation_types().count(l->type))
            continue;
        TypeTime &t = types[l->type];
        t.layers++;
        t.fused += med == 0;
        t.ms += med;
    }
    return all_ms;
}

std::string counts_str(const Mode &m)
{
    std::string s;
    for (const auto &kv : m.counts) {
        if (!s.empty())
            s += ", ";
        s += cv::format("%s %d/%d", kv.first.c_str(), kv.second.first, kv.second.second);
    }
    return s.empty() ? "no activation layers" : s;
}

void diff(const cv::Mat &a, const cv::Mat &ref, double &max_abs, double &max_rel)
{
    cv::Mat d;
    cv::absdiff(a.reshape(1, 1), ref.reshape(1, 1), d);
    double ref_max = 0;
    cv::minMaxLoc(d, nullptr, &max_abs);
    cv::minMaxLoc(cv::abs(ref.reshape(1, 1)), nullptr, &ref_max);
    max_rel = ref_max > 0 ? max_abs / ref_max : max_abs;
}

} // namespace

int main(int argc, char **argv)
{
    std::string model;
    std::vector<int> shape = {1, 3, 224, 224};
    int runs = 5, threads = 1, seed = 1;
    bool compare = false, layers = false, skip_missing = false;
    double check = -1;
    std::string mode_name = "auto";
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto next = [&](const char *what) -> const char * {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "actfast-dnn: %s needs a value\n", what);
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--input") {
            if (!parse_shape(next("--input"), shape)) {
                std::fprintf(stderr, "actfast-dnn: --input wants N,C,H,W (four positive integers), not '%s'\n",
                             argv[i]);
                return 2;
            }
        } else if (a == "--runs") {
            runs = parse_int("--runs", next("--runs"), 1, 1000000);
        } else if (a == "--threads") {
            threads = parse_int("--threads", next("--threads"), 0, 1024);
        } else if (a == "--seed") {
            seed = parse_int("--seed", next("--seed"), 0, 2147483647);
        } else if (a == "--compare") {
            compare = true;
        } else if (a == "--layers") {
            layers = true;
        } else if (a == "--skip-missing") {
            skip_missing = true;
        } else if (a == "--check") {
            check = parse_double("--check", next("--check"));
        } else if (a == "--mode") {
            mode_name = next("--mode");
        } else if (a == "-h" || a == "--help") {
            usage(stdout);
            return 0;
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "actfast-dnn: unknown option %s\n", a.c_str());
            usage(stderr);
            return 2;
        } else if (model.empty()) {
            model = a;
        } else {
            std::fprintf(stderr, "actfast-dnn: one model only (got %s and %s)\n", model.c_str(), a.c_str());
            usage(stderr);
            return 2;
        }
    }
    if (model.empty()) {
        std::fprintf(stderr, "actfast-dnn: no model given\n");
        usage(stderr);
        return 2;
    }
    if (FILE *f = std::fopen(model.c_str(), "rb")) {
        std::fclose(f);
    } else {
        std::fprintf(stderr, "actfast-dnn: cannot open %s: %s%s\n", model.c_str(), std::strerror(errno),
                     skip_missing ? " (skipped: models/export_models.py makes the models)" : "");
        return skip_missing ? 77 : 1;
    }

    std::vector<Mode> modes;
    auto add = [&](const std::string &n) {
        Mode m;
        m.name = n;
        if (n == "opencv")
            m.policy = ACTFAST_OPENCV_NONE;
        else if (n == "actfast")
            m.policy = ACTFAST_OPENCV_ALL;
        else if (n == "auto")
            m.policy = ACTFAST_OPENCV_AUTO;
        else {
            std::fprintf(stderr, "actfast-dnn: --mode is opencv, actfast or auto, not '%s'\n", n.c_str());
            std::exit(2);
        }
        modes.push_back(m);
    };
    if (compare) {
        add("opencv");
        add("actfast");
        add("auto");
    } else {
        add(mode_name);
    }

    if (threads > 0)
        cv::setNumThreads(threads);
    cv::Mat input(4, shape.data(), CV_32F);
    cv::RNG rng((uint64)seed);
    rng.fill(input, cv::RNG::NORMAL, 0.0, 1.0);

    try {
        for (auto &m : modes) {
            m.net = load(m, model, true);
            count_layers(m);
            forward_ms(m.net, input, &m.out); /* warm-up: allocation, fusion */
            if (layers) {
                m.unfused = load(m, model, false);
                forward_ms(m.unfused, input, nullptr);
            }
        }
        /* The modes interleaved run by run: a slow spell of the machine hits all alike. */
        for (int r = 0; r < runs; r++) {
            for (auto &m : modes) {
                m.times.push_back(forward_ms(m.net, input, nullptr));
                record_profile(m.net, m.layer_ms);
            }
            if (layers) {
                for (auto &m : modes) {
                    forward_ms(m.unfused, input, nullptr);
                    record_profile(m.unfused, m.unfused_ms);
                }
            }
        }
    } catch (const cv::Exception &e) {
        std::fprintf(stderr, "actfast-dnn: %s: %s\n", model.c_str(), e.what());
        return 1;
    }

    std::printf("model %s, input %dx%dx%dx%d, %d run%s, threads %d, OpenCV %s, libactfast %s (%s)\n",
                model.c_str(), shape[0], shape[1], shape[2], shape[3], runs, runs == 1 ? "" : "s",
                cv::getNumThreads(), CV_VERSION, actfast_version(), actfast_isa_name(actfast_get_isa()));
    for (const auto &m : modes) {
        std::string reg;
        for (const auto &t : m.registered)
            reg += (reg.empty() ? "" : " ") + t;
        std::printf("  %-8s layers replaced: %s%s%s\n", m.name.c_str(), counts_str(m).c_str(),
                    m.policy == ACTFAST_OPENCV_NONE ? "" : "; types registered: ",
                    m.policy == ACTFAST_OPENCV_NONE ? "" : (reg.empty() ? "none" : reg.c_str()));
    }
    std::printf("\n| mode | replaced | median ms | vs opencv | activation ms | activation share | fused activations | max abs diff | max rel diff |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    const Mode *base = nullptr;
    for (const auto &m : modes)
        if (m.name == "opencv")
            base = &m;
    int status = 0;
    for (auto &m : modes) {
        int ours = 0, all = 0;
        for (const auto &kv : m.counts) {
            ours += kv.second.first;
            all += kv.second.second;
        }
        std::map<std::string, TypeTime> types;
        const double all_ms = per_type(m.net, m.layer_ms, types);
        double act_ms = 0;
        int n_act = 0, n_fused = 0;
        for (const auto &kv : types) {
            act_ms += kv.second.ms;
            n_act += kv.second.layers;
            n_fused += kv.second.fused;
        }
        const double med = median(m.times);
        std::string vs = base ? cv::format("%.3fx", median(base->times) / med) : "-";
        std::string dabs = "-", drel = "-";
        if (base && &m != base) {
            double a, r;
            diff(m.out, base->out, a, r);
            dabs = cv::format("%.3g", a);
            drel = cv::format("%.3g", r);
            if (check >= 0 && !(r <= check)) {
                std::fprintf(stderr, "actfast-dnn: %s differs from opencv by %.3g relative (> %.3g)\n",
                             m.name.c_str(), r, check);
                status = 1;
            }
        }
        std::printf("| %s | %d/%d | %.3f | %s | %.3f | %.1f%% | %d/%d | %s | %s |\n", m.name.c_str(), ours, all,
                    med, vs.c_str(), act_ms, all_ms > 0 ? 100.0 * act_ms / all_ms : 0.0, n_fused, n_act,
                    dabs.c_str(), drel.c_str());
    }

    if (layers) {
        /* Per type, fusion off: each activation a layer of its own, microseconds per layer. */
        std::vector<std::map<std::string, TypeTime>> t(modes.size()), fused(modes.size());
        std::set<std::string> names;
        for (size_t i = 0; i < modes.size(); i++) {
            per_type(modes[i].unfused, modes[i].unfused_ms, t[i]);
            per_type(modes[i].net, modes[i].layer_ms, fused[i]);
            for (const auto &kv : t[i])
                names.insert(kv.first);
        }
        std::printf("\nPer activation layer, fusion off (Net::enableFusion(false)), median us per layer:\n\n"
                    "| type | layers | fused when fusion is on |");
        for (const auto &m : modes)
            std::printf(" %s us/layer |", m.name.c_str());
        if (base)
            std::printf(" opencv / actfast |");
        std::printf("\n|---|---:|---:|");
        for (size_t i = 0; i < modes.size() + (base ? 1 : 0); i++)
            std::printf("---:|");
        std::printf("\n");
        for (const auto &n : names) {
            const TypeTime &t0 = t[0][n];
            std::printf("| %s | %d | %d |", n.c_str(), t0.layers, fused[0][n].fused);
            double us_base = 0, us_af = 0;
            for (size_t i = 0; i < modes.size(); i++) {
                const TypeTime &ti = t[i][n];
                const double us = ti.layers ? 1000.0 * ti.ms / ti.layers : 0;
                std::printf(" %.2f |", us);
                if (modes[i].name == "opencv")
                    us_base = us;
                if (modes[i].name == "actfast")
                    us_af = us;
            }
            if (base)
                std::printf(" %s |", us_af > 0 ? cv::format("%.2fx", us_base / us_af).c_str() : "-");
            std::printf("\n");
        }
    }
    return status;
}
