# The peer libraries, each an INTERFACE target actfast_bench_<peer> when found and
# usable. Found by header and library rather than by CMake package: Debian's
# XNNPACK ships no package file (and no .pc), and oneDNN's package file
# requires the OpenCL headers, which the C API used here does not need.
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
  return dnnl_prelu_forward_desc_init(&p, dnnl_forward_inference, &md, &md) != dnnl_success;
}]] AFB_ONEDNN_INCLUDE_DIR AFB_ONEDNN_LIBRARY)
  else()
    message(STATUS "Benchmarks: oneDNN not found (Debian: libdnnl-dev); no oneDNN peer")
  endif()
endif()
