#include "reference.hpp"

#include <cfloat>
#include <cmath>
#include <stdexcept>

namespace {

double softplus_d(double x)
{
    return (x > 0 ? x : 0.0) + std::log1p(std::exp(-std::fabs(x)));
}

double sigmoid_d(double x)
{
    return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
}

const double kSeluAlpha = 1.6732632423543772848170429916717;
const double kSeluScale = 1.0507009873554804934193349852946;

} // namespace

double ref_eval(const std::string &op, double x, double a, double b)
{
    if (std::isnan(x))
        return x;
    if (op == "relu")
        return x > 0 ? x : 0.0;
    if (op == "leaky_relu" || op == "prelu")
        return x > 0 ? x : a * x;
    if (op == "elu")
        return x > 0 ? x : a * std::expm1(x);
    if (op == "sigmoid")
        return sigmoid_d(x);
    if (op == "tanh")
        return std::tanh(x);
    if (op == "silu")
        return x * sigmoid_d(x);
    if (op == "mish")
        return std::isinf(x) ? (x > 0 ? x : -0.0) : x * std::tanh(softplus_d(x));
    if (op == "softplus")
        return softplus_d(x);
    if (op == "hardswish")
        return x <= -3 ? -0.0 : x >= 3 ? x : x * (x + 3.0) / 6.0;
    if (op == "hardsigmoid")
        return x <= -3 ? 0.0 : x >= 3 ? 1.0 : (x + 3.0) / 6.0;
    if (op == "clip")
        return x < a ? a : x > b ? b : x;
    if (op == "selu")
        return x > 0 ? kSeluScale * x : kSeluScale * kSeluAlpha * std::expm1(x);
    if (op == "gelu")
        return 0.5 * x * std::erfc(-x / std::sqrt(2.0));
    if (op == "gelu_tanh") {
        /* (1 + tanh(u)) / 2 = sigmoid(2u), without the cancellation near u = -inf */
        const double k = std::sqrt(2.0 / M_PI);
        return x * sigmoid_d(2.0 * k * (x + 0.044715 * x * x * x));
    }
    throw std::invalid_argument("ref_eval: unknown op " + op);
}

double ref_bound_ulp(const std::string &op)
{
    if (op == "relu" || op == "leaky_relu" || op == "prelu" || op == "clip")
        return 0.5;
    if (op == "hardswish" || op == "hardsigmoid")
        return 1.0;
    if (op == "mish")
        return 3.0;
    return 2.0; /* elu (1.58 measured), sigmoid, tanh, silu, softplus, selu, gelu, gelu_tanh */
}

double ulp_error(float y, double ref)
{
    if (std::isnan(ref) || std::isnan(y))
        return std::isnan(ref) && std::isnan(y) ? 0.0 : INFINITY;
    if (std::isinf(ref) || std::isinf(y))
        return (double)y == ref ? 0.0 : INFINITY;
    const double m = std::fabs(ref);
    double ulp = std::ldexp(1.0, -149);
    if (m >= FLT_MIN) {
        int e;
        std::frexp(m, &e); /* m = f * 2^e, f in [0.5, 1) */
        ulp = std::ldexp(1.0, e - 24);
    }
    return std::fabs((double)y - ref) / ulp;
}

ErrorStats measure(const std::string &op, const cv::Mat &x, const cv::Mat &y, double a, double b,
                   const float *slopes)
{
    CV_Assert(x.type() == CV_32F && y.type() == CV_32F && x.total() == y.total() && x.isContinuous() &&
              y.isContinuous());
    ErrorStats s;
    const float *px = x.ptr<float>(), *py = y.ptr<float>();
    const size_t n = x.total();
    size_t channels = 1, inner = n;
    if (slopes) {
        channels = x.dims > 1 ? (size_t)x.size[1] : (size_t)x.size[0];
        inner = 1;
        for (int d = 2; d < x.dims; d++)
            inner *= (size_t)x.size[d];
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        const double ai = slopes ? (double)slopes[(i / inner) % channels] : a;
        const double r = ref_eval(op, px[i], ai, b);
        double u = ulp_error(py[i], r);
        /* OpenCV runs Net::forward with FTZ/DAZ on (FPDenormalsIgnoreHintScope):
         * a result below FLT_MIN comes out as a zero, whoever computes it. */
        if (std::fabs(r) < FLT_MIN && py[i] == 0.0f && r != 0) {
            u = 0;
            s.flushed++;
        }
        const double d = std::fabs((double)py[i] - r);
        if (u > s.max_ulp) {
            s.max_ulp = u;
            s.worst_x = px[i];
        }
        if (d > s.max_abs && !std::isinf(d))
            s.max_abs = d;
        if (u > 0.5)
            s.worse_than_half++;
        sum += std::isinf(u) ? 0 : u;
    }
    s.count = (long)n;
    s.mean_ulp = n ? sum / (double)n : 0;
    return s;
}
