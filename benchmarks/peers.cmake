# The peer libraries, each a target actfast_bench_<peer> when found and usable.
# XNNPACK and oneDNN are found by header and library rather than by CMake
# package: Debian's XNNPACK ships no package file (and no .pc), and oneDNN's
# package file requires the OpenCL headers, which the C API used here does not
# need. PyTorch's ATen comes from its Torch package when that loads, else by
# header and library.
include(CheckCSourceCompiles)

# af_bench_peer(<peer> <api-check-source> <include-dir-var> <library-vars>...)
function(af_bench_peer peer source incdir)
  set(CMAKE_REQUIRED_INCLUDES ${${incdir}})
  set(CMAKE_REQUIRED_LIBRARIES)
  foreach(lib ${ARGN})
    list(APPEND CMAKE_REQUIRED_LIBRARIES ${${lib}})
  endforeach()
  set(CMAKE_REQUIRED_QUIET ON)
  # Both peers' APIs change between versions: check that this one is the one the peer code uses.
  check_c_source_compiles("${source}" AFB_${peer}_API_OK)
  if(NOT AFB_${peer}_API_OK)
    message(STATUS "Benchmarks: ${peer} found, but not the API version peer_${peer}.c is written for; no ${peer} peer")
    return()
  endif()
  add_library(actfast_bench_${peer} INTERFACE)
  target_include_directories(actfast_bench_${peer} INTERFACE ${${incdir}})
  target_link_libraries(actfast_bench_${peer} INTERFACE ${CMAKE_REQUIRED_LIBRARIES})
endfunction()

if(ACTFAST_BENCH_XNNPACK)
  find_path(AFB_XNNPACK_INCLUDE_DIR xnnpack.h)
  find_library(AFB_XNNPACK_LIBRARY XNNPACK)
  find_library(AFB_PTHREADPOOL_LIBRARY pthreadpool)
  if(AFB_XNNPACK_INCLUDE_DIR AND AFB_XNNPACK_LIBRARY AND AFB_PTHREADPOOL_LIBRARY)
    af_bench_peer(xnnpack [[
#include <math.h>
#include <xnnpack.h>
int main(void) {
  float x[1] = {1}, y[1];
  xnn_operator_t op = NULL;
  if (xnn_initialize(NULL) != xnn_status_success ||
      xnn_create_clamp_nc_f32(1, 1, 1, 0.0f, INFINITY, 0, &op) != xnn_status_success)
    return 1;
  xnn_setup_clamp_nc_f32(op, 1, x, y, NULL);
  xnn_create_prelu_nc_f32(1, 1, 1, x, 0, &op);
  xnn_setup_prelu_nc_f32(op, 1, x, y, NULL);
  xnn_create_hardswish_nc_f32(1, 1, 1, 0, &op);
  xnn_setup_hardswish_nc_f32(op, 1, x, y, NULL);
  return xnn_run_operator(op, NULL) != xnn_status_success;
}]] AFB_XNNPACK_INCLUDE_DIR AFB_XNNPACK_LIBRARY AFB_PTHREADPOOL_LIBRARY)
  else()
    message(STATUS "Benchmarks: XNNPACK not found (Debian: libxnnpack-dev libpthreadpool-dev); no XNNPACK peer")
  endif()
endif()

if(ACTFAST_BENCH_ONEDNN)
  find_path(AFB_ONEDNN_INCLUDE_DIR oneapi/dnnl/dnnl.h)
  find_library(AFB_ONEDNN_LIBRARY dnnl)
  if(AFB_ONEDNN_INCLUDE_DIR AND AFB_ONEDNN_LIBRARY)
    af_bench_peer(onednn [[
#include <oneapi/dnnl/dnnl.h>
int main(void) {
  dnnl_memory_desc_t md;
  dnnl_eltwise_desc_t e;
  dnnl_prelu_desc_t p;
  const dnnl_dims_t dims = {1};
  dnnl_memory_desc_init_by_tag(&md, 1, dims, dnnl_f32, dnnl_a);
  dnnl_eltwise_forward_desc_init(&e, dnnl_forward_inference, dnnl_eltwise_elu, &md, 1.0f, 0.0f);
  dnnl_eltwise_forward_desc_init(&e, dnnl_forward_inference, dnnl_eltwise_clip_v2, &md, 0.0f, 6.0f);
  dnnl_eltwise_forward_desc_init(&e, dnnl_forward_inference, dnnl_eltwise_mish, &md, 0.0f, 0.0f);
  return dnnl_prelu_forward_desc_init(&p, dnnl_forward_inference, &md, &md) != dnnl_success;
}]] AFB_ONEDNN_INCLUDE_DIR AFB_ONEDNN_LIBRARY)
  else()
    message(STATUS "Benchmarks: oneDNN not found (Debian: libdnnl-dev); no oneDNN peer")
  endif()
endif()

if(ACTFAST_BENCH_ATEN)
  # Debian's libtorch-dev: /usr/lib/<triplet>/cmake/Torch (it needs Caffe2's package and
  # gflags, glog and protobuf's). Its imported target only goes to peer_aten.cc's library.
  find_package(Torch CONFIG QUIET)
  if(Torch_FOUND AND TORCH_LIBRARIES)
    set(AFB_ATEN_INCLUDE_DIRS ${TORCH_INCLUDE_DIRS})
    set(AFB_ATEN_LIBRARIES ${TORCH_LIBRARIES})
    set(AFB_ATEN_FROM "the Torch package")
  else()
    find_path(AFB_ATEN_INCLUDE_DIR ATen/ATen.h)
    find_library(AFB_TORCH_CPU_LIBRARY torch_cpu)
    find_library(AFB_C10_LIBRARY c10)
    if(AFB_ATEN_INCLUDE_DIR AND AFB_TORCH_CPU_LIBRARY AND AFB_C10_LIBRARY)
      set(AFB_ATEN_INCLUDE_DIRS ${AFB_ATEN_INCLUDE_DIR})
      set(AFB_ATEN_LIBRARIES ${AFB_TORCH_CPU_LIBRARY} ${AFB_C10_LIBRARY})
      set(AFB_ATEN_FROM "${AFB_ATEN_INCLUDE_DIR}/ATen and ${AFB_TORCH_CPU_LIBRARY}")
    endif()
  endif()
  if(AFB_ATEN_LIBRARIES)
    # The calls peer_aten.cc makes, as ATen 1.13 spells them (each release renames some).
    set(CMAKE_REQUIRED_INCLUDES ${AFB_ATEN_INCLUDE_DIRS})
    set(CMAKE_REQUIRED_LIBRARIES ${AFB_ATEN_LIBRARIES})
    set(CMAKE_REQUIRED_QUIET ON)
    set(CMAKE_CXX_STANDARD 17)
    include(CheckCXXSourceCompiles)
    check_cxx_source_compiles([[
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <c10/core/InferenceMode.h>
int main() {
  at::set_num_threads(1);
  c10::InferenceMode guard;
  float x[1] = {1}, y[1];
  at::Tensor a = at::from_blob(x, {1}, at::TensorOptions().dtype(at::kFloat));
  at::Tensor b = at::from_blob(y, {1}, at::TensorOptions().dtype(at::kFloat));
  at::gelu_out(b, a, "tanh");
  at::gelu_backward_out(b, a, a, "none");
  at::elu_backward_out(b, a, 1.0, 1.0, 1.0, false, a);
  at::silu_backward_out(b, a, a);
  at::softplus_backward_out(b, a, a, 1, 20);
  at::hardtanh_backward_out(b, a, a, 0, 6);
  at::mish_backward(a, a);
  auto r = at::prelu_backward(a, a, a);
  return at::show_config().empty() + (int)std::get<0>(r).dim();
}]] AFB_aten_API_OK)
    unset(CMAKE_REQUIRED_INCLUDES)
    unset(CMAKE_REQUIRED_LIBRARIES)
    unset(CMAKE_CXX_STANDARD)
    if(AFB_aten_API_OK)
      add_library(actfast_bench_aten STATIC peer_aten.cc)
      set_target_properties(actfast_bench_aten PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON)
      target_include_directories(actfast_bench_aten PRIVATE
        ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/kernels ${AFB_ATEN_INCLUDE_DIRS})
      target_link_libraries(actfast_bench_aten PRIVATE ${AFB_ATEN_LIBRARIES})
      target_compile_definitions(actfast_bench_aten PRIVATE AFB_WITH_ATEN)
      message(STATUS "Benchmarks: ATen from ${AFB_ATEN_FROM}")
    else()
      message(STATUS "Benchmarks: ATen found, but not the API (1.13) peer_aten.cc is written for; no aten peer")
    endif()
  else()
    message(STATUS "Benchmarks: PyTorch's ATen not found (Debian: libtorch-dev); no aten peer")
  endif()
endif()
