/* Registers libactfast's layers, creates a Sigmoid layer through OpenCV's
 * factory, runs it on a blob, and unregisters: exit 0 when all went as expected. */
#include <actfast_opencv.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

int main()
{
    const std::vector<std::string> types = actfast_opencv_register(ACTFAST_OPENCV_ALL);
    cv::dnn::LayerParams p;
    p.type = p.name = "Sigmoid";
    cv::Ptr<cv::dnn::Layer> l = cv::dnn::LayerFactory::createLayerInstance("Sigmoid", p);
    std::string op;
    const bool ours = actfast_opencv_is_actfast_layer(l, &op);
    cv::Mat x(1, 4, CV_32F), y(1, 4, CV_32F);
    x.at<float>(0) = -2, x.at<float>(1) = 0, x.at<float>(2) = 1, x.at<float>(3) = 30;
    std::vector<cv::Mat> in{x}, out{y}, internals;
    l->forward(in, out, internals);
    actfast_opencv_unregister();
    double err = 0;
    for (int i = 0; i < 4; i++)
        err = std::fmax(err, std::fabs(y.at<float>(i) - 1.0 / (1.0 + std::exp(-(double)x.at<float>(i)))));
    std::printf("consumer: %zu types registered, Sigmoid -> %s, max error %.3g\n", types.size(),
                ours ? op.c_str() : "OpenCV's layer", err);
    return ours && op == "sigmoid" && err < 1e-6 && actfast_opencv_registered().empty() ? 0 : 1;
}
