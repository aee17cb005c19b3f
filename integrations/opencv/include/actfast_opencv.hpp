/*
 * libactfast as OpenCV DNN layers (OpenCV 4.x, tested with Debian 12's 4.6).
 *
 *   #include <actfast_opencv.hpp>
 *   actfast_opencv_register();              // before cv::dnn::readNet*()
 *   cv::dnn::Net net = cv::dnn::readNetFromONNX("model.onnx");
 *   ...
 *   actfast_opencv_unregister();            // later nets get OpenCV's layers again
 *
 * Registration replaces OpenCV's layer types (cv::dnn::LayerFactory) for the
 * activations libactfast has. A net takes its layers when it is read (the
 * ONNX importer creates each layer to infer its shapes), so registration
 * must be in effect while the net is read; unregistering does not change a
 * net already read.
 *
 * A replaced layer reads its parameters as OpenCV's own layer does. Where it
 * cannot compute what OpenCV's layer computes (an unsupported parameter
 * value), the factory returns OpenCV's own layer instead; at run time, a
 * blob that is not a continuous float32 host Mat (FP16, OpenCL UMat) is
 * handed to an OpenCV layer built from the same parameters. Errors from
 * libactfast surface as cv::Exception with libactfast's status text.
 *
 * Thread-safety: register/unregister take a process-wide lock; the layers
 * themselves are as thread-safe as OpenCV's.
 */
#ifndef ACTFAST_OPENCV_HPP
#define ACTFAST_OPENCV_HPP

#include <string>
#include <vector>

#include <opencv2/dnn.hpp>

#if defined(__GNUC__)
#  define ACTFAST_OPENCV_API __attribute__((visibility("default")))
#else
#  define ACTFAST_OPENCV_API
#endif

/*
 * Which OpenCV layer types to replace.
 *   AUTO  the measured default: only the types where libactfast's layer is
 *         faster end to end or more accurate than OpenCV's (README.md of this
 *         integration has the table); the environment variable
 *         ACTFAST_OPENCV=all|none|auto overrides AUTO (and only AUTO).
 *   ALL   every type libactfast can compute.
 *   NONE  nothing (OpenCV's layers everywhere).
 */
enum actfast_opencv_policy {
    ACTFAST_OPENCV_AUTO = 0,
    ACTFAST_OPENCV_ALL = 1,
    ACTFAST_OPENCV_NONE = 2
};

/*
 * Registers libactfast's layers for the policy's types; returns the types now
 * replaced by libactfast. Calling it again first undoes the previous
 * registration (so a second call switches policy, it does not stack).
 */
ACTFAST_OPENCV_API std::vector<std::string> actfast_opencv_register(
    actfast_opencv_policy policy = ACTFAST_OPENCV_AUTO);

/* The same, for an explicit list of OpenCV type names (from actfast_opencv_types()). */
ACTFAST_OPENCV_API std::vector<std::string> actfast_opencv_register(const std::vector<std::string> &types);

/*
 * Undoes actfast_opencv_register(): each type we registered gets back the
 * constructor it had before (OpenCV's, or whatever another plugin registered
 * before us). LayerFactory keeps a stack per type, so a layer someone else
 * registered for the same type *after* us would be the one removed: unregister
 * in the reverse order of registration.
 */
ACTFAST_OPENCV_API void actfast_opencv_unregister();

/* Every OpenCV type name libactfast can replace, and those the AUTO policy picks. */
ACTFAST_OPENCV_API std::vector<std::string> actfast_opencv_types();
ACTFAST_OPENCV_API std::vector<std::string> actfast_opencv_default_types();

/* The types registered now (empty when unregistered). */
ACTFAST_OPENCV_API std::vector<std::string> actfast_opencv_registered();

/*
 * Whether `layer` is a libactfast layer; if so and `op` is not NULL, *op is
 * the libactfast function it calls ("relu", "leaky_relu", "prelu", "clip",
 * ...). An OpenCV layer handed back at creation is not ours: false.
 */
ACTFAST_OPENCV_API bool actfast_opencv_is_actfast_layer(const cv::Ptr<cv::dnn::Layer> &layer,
                                                        std::string *op = nullptr);

/*
 * Counters since the process started (or the last reset): layers created as
 * libactfast layers, and layers handed back to OpenCV at creation because a
 * parameter was unsupported; forwards (whole blobs) run by libactfast and
 * handed to OpenCV at run time (a blob libactfast cannot take).
 */
struct actfast_opencv_stats {
    unsigned long created;
    unsigned long handed_back;
    unsigned long forwards;
    unsigned long forwards_handed_back;
};
ACTFAST_OPENCV_API actfast_opencv_stats actfast_opencv_get_stats();
ACTFAST_OPENCV_API void actfast_opencv_reset_stats();

#endif /* ACTFAST_OPENCV_HPP */
