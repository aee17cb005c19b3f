/* Float64 references for the OpenCV integration's tests, and ULP errors. */
#ifndef ACTFAST_OPENCV_REFERENCE_HPP
#define ACTFAST_OPENCV_REFERENCE_HPP

#include <string>

#include <opencv2/core.hpp>

/*
 * The exact function in double for one of libactfast's op names (relu,
 * leaky_relu, prelu, elu, sigmoid, tanh, silu, mish, softplus, hardswish,
 * hardsigmoid, clip, selu, gelu, gelu_tanh); a and b are the parameters
 * (alpha or the slope; clip's lo and hi). PyTorch's definitions (hardsigmoid
 * x/6 + 1/2, SELU's constants in double).
 */
double ref_eval(const std::string &op, double x, double a = 0, double b = 0);

/* The libactfast contract's bound for the op, in ULP (tools/op_table.h). */
double ref_bound_ulp(const std::string &op);

/* |y - ref| in units of the float spacing at ref (2^-149 at and below FLT_MIN);
 * NaN and infinities: 0 if they agree, else +inf. */
double ulp_error(float y, double ref);

/* Errors of y (float32 blob) against ref(x) for the op, elementwise; PReLU takes
 * slopes[c] for element (n, c, ...) in NCHW. */
struct ErrorStats {
    double max_ulp = 0, max_abs = 0, mean_ulp = 0;
    double worst_x = 0;
    long count = 0;
    long worse_than_half = 0; /* elements not correctly rounded */
    long flushed = 0;         /* results below FLT_MIN that came out 0 (OpenCV's FTZ) */
};
ErrorStats measure(const std::string &op, const cv::Mat &x, const cv::Mat &y, double a = 0, double b = 0,
                   const float *slopes = nullptr);

#endif
