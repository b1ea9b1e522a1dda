# Peer kernels: other libraries' GELU, built when the library is installed.
# Included right after cmake/Kernels.cmake.
#
# In:  GELUBENCH_KERNEL_SOURCES      (list; globbed by Kernels.cmake, includes kernels/peers/**)
#      GELUBENCH_KERNEL_DEFINITIONS  (list)
#      GELUBENCH_KERNEL_LIBRARIES    (list)
# Out: GELUBENCH_KERNEL_SOURCES      minus kernels/peers/<lib>/ of every library not found
#      GELUBENCH_KERNEL_DEFINITIONS  plus GELUBENCH_HAVE_<LIB>=1 for every library found
#                                    (SLEEF, EIGEN, LIBMVEC); registry.inc tests them
#      GELUBENCH_KERNEL_LIBRARIES    plus what to link for every library found
#                                    (the SLEEF library, Eigen3::Eigen, the libmvec library)
#      GELUBENCH_KERNEL_INCLUDES     (list, created here if unset) plus include directories
#                                    of libraries found without a cmake target (SLEEF)
#      GELUBENCH_PEER_VERSIONS       "SLEEF 3.5.1; Eigen 3.4.0; libmvec glibc 2.36"
#                                    (found libraries only, in that order; "" if none)
#
# Every library is optional: a missing one prints a STATUS line. Linked peers
# (SLEEF, Eigen, libmvec) are then not built and not registered; shim peers
# stay registered and say why they cannot run.

if(NOT DEFINED GELUBENCH_KERNEL_INCLUDES)
  set(GELUBENCH_KERNEL_INCLUDES "")
endif()
set(_gelubench_peer_versions "")

macro(_gelubench_peer_skip lib why)
  message(STATUS "gelubench: peer ${lib} not found, its kernels are skipped (${why})")
  list(FILTER GELUBENCH_KERNEL_SOURCES EXCLUDE REGEX "/kernels/peers/${lib}/")
endmacro()

# Reads "#define NAME <int>" from a header into out.
function(_gelubench_header_int header name out)
  file(STRINGS "${header}" _line REGEX "^#[ \t]*define[ \t]+${name}[ \t]+[0-9]+")
  string(REGEX REPLACE ".*${name}[ \t]+([0-9]+).*" "\\1" _v "${_line}")
  set(${out} "${_v}" PARENT_SCOPE)
endfunction()

# --- Peer shims (loaded at run time) ------------------------------------------
# oneDNN (Debian's 2.x and PyPI's 3.x), Intel MKL and OpenVINO are reached
# through shims: small shared objects in ${CMAKE_BINARY_DIR}/peers, built here
# against each library and dlopen'ed by the harness (kernels/peers/peer_shim.h
# says why). Their registry lines (GELU_PEER_DL) exist whether or not a shim
# is built; `gelubench list` says why one cannot run.
#
# Out: GELUBENCH_PEER_SHIM_TARGETS    the shim targets built (gelubench depends on them)
#      GELUBENCH_PEER_SHIMS_NOT_BUILT  "lib=why|lib=why" for build_info.h
#      GELUBENCH_PEER_DIR              where the shims are written
#
# The PyPI libraries come from the project's .venv (scripts/setup installs
# kernels/peers/requirements.txt there); GELUBENCH_PEER_PREFIX points elsewhere.
set(GELUBENCH_PEER_PREFIX "${CMAKE_SOURCE_DIR}/.venv" CACHE PATH "prefix of the PyPI peer libraries")
set(GELUBENCH_PEER_DIR "${CMAKE_BINARY_DIR}/peers")
set(GELUBENCH_PEER_SHIM_TARGETS "")
set(_gelubench_not_built "")
list(FILTER GELUBENCH_KERNEL_SOURCES EXCLUDE REGEX "/kernels/peers/[^/]+/shim\\.cc$")

# _gelubench_peer_shim(<lib> <source> INCLUDES <dir>... LIBRARIES <lib>... [RPATH <dir>...])
function(_gelubench_peer_shim lib source)
  cmake_parse_arguments(S "" "" "INCLUDES;LIBRARIES;RPATH" ${ARGN})
  set(t gelubench_peer_${lib})
  add_library(${t} MODULE ${source})
  target_include_directories(${t} PRIVATE ${CMAKE_SOURCE_DIR} ${S_INCLUDES})
  target_link_libraries(${t} PRIVATE ${S_LIBRARIES})
  set_target_properties(${t} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${GELUBENCH_PEER_DIR}" PREFIX "lib"
                        CXX_VISIBILITY_PRESET hidden BUILD_RPATH "${S_RPATH}")
  set(GELUBENCH_PEER_SHIM_TARGETS ${GELUBENCH_PEER_SHIM_TARGETS} ${t} PARENT_SCOPE)
  message(STATUS "gelubench: peer shim ${lib}: lib${t}.so")
endfunction()

macro(_gelubench_shim_skip lib why)
  message(STATUS "gelubench: peer shim ${lib} not built (${why})")
  list(APPEND _gelubench_not_built "${lib}=${why}")
endmacro()

find_package(OpenMP QUIET COMPONENTS CXX)

# oneDNN 2.x, Debian's. Its dnnl config REQUIREs OpenCL (its GPU runtime is
# OCL); look for OpenCL first so a machine without the OpenCL headers skips
# the shim instead of failing the configure.
find_package(OpenCL QUIET)
if(OpenCL_FOUND)
  find_package(dnnl CONFIG QUIET)
endif()
if(NOT dnnl_FOUND)
  _gelubench_shim_skip(onednn2 "no Debian oneDNN: apt-get install libdnnl-dev (scripts/setup)")
elseif(NOT DNNL_CPU_THREADING_RUNTIME MATCHES "^(OMP|SEQ)$")
  _gelubench_shim_skip(onednn2 "oneDNN CPU runtime ${DNNL_CPU_THREADING_RUNTIME}; only OMP and SEQ are supported")
elseif(DNNL_CPU_THREADING_RUNTIME STREQUAL "OMP" AND NOT OpenMP_CXX_FOUND)
  _gelubench_shim_skip(onednn2 "oneDNN uses OpenMP but there is no OpenMP runtime to link")
else()
  # The shim calls omp_set_num_threads itself, so it links the runtime library.
  _gelubench_peer_shim(onednn2 ${CMAKE_SOURCE_DIR}/kernels/peers/onednn/shim.cc
                       LIBRARIES DNNL::dnnl ${OpenMP_CXX_LIBRARIES})
endif()

# oneDNN 3.x, the PyPI wheel onednn-cpu-gomp (+ -devel for the headers).
find_path(GELUBENCH_ONEDNN3_INCLUDE_DIR oneapi/dnnl/dnnl.h PATHS "${GELUBENCH_PEER_PREFIX}/include" NO_DEFAULT_PATH)
find_library(GELUBENCH_ONEDNN3_LIBRARY NAMES libdnnl.so.3 PATHS "${GELUBENCH_PEER_PREFIX}/lib" NO_DEFAULT_PATH)
if(NOT GELUBENCH_ONEDNN3_INCLUDE_DIR OR NOT GELUBENCH_ONEDNN3_LIBRARY)
  _gelubench_shim_skip(onednn3 "no oneDNN 3 under ${GELUBENCH_PEER_PREFIX}: run scripts/setup")
elseif(NOT OpenMP_CXX_FOUND)
  _gelubench_shim_skip(onednn3 "the oneDNN 3 wheel uses OpenMP but there is no OpenMP runtime to link")
else()
  get_filename_component(_dir "${GELUBENCH_ONEDNN3_LIBRARY}" DIRECTORY)
  _gelubench_peer_shim(onednn3 ${CMAKE_SOURCE_DIR}/kernels/peers/onednn/shim.cc
                       INCLUDES ${GELUBENCH_ONEDNN3_INCLUDE_DIR}
                       LIBRARIES ${GELUBENCH_ONEDNN3_LIBRARY} ${OpenMP_CXX_LIBRARIES} RPATH ${_dir})
endif()

# Intel oneMKL, the PyPI wheels mkl + mkl-include.
find_path(GELUBENCH_MKL_INCLUDE_DIR mkl_vml.h PATHS "${GELUBENCH_PEER_PREFIX}/include" NO_DEFAULT_PATH)
find_library(GELUBENCH_MKL_LIBRARY NAMES libmkl_rt.so.3 libmkl_rt.so.2 PATHS "${GELUBENCH_PEER_PREFIX}/lib" NO_DEFAULT_PATH)
if(NOT GELUBENCH_MKL_INCLUDE_DIR OR NOT GELUBENCH_MKL_LIBRARY)
  _gelubench_shim_skip(mkl "no MKL headers or libmkl_rt under ${GELUBENCH_PEER_PREFIX}: run scripts/setup")
else()
  get_filename_component(_dir "${GELUBENCH_MKL_LIBRARY}" DIRECTORY)
  _gelubench_peer_shim(mkl ${CMAKE_SOURCE_DIR}/kernels/peers/mkl/shim.cc
                       INCLUDES ${GELUBENCH_MKL_INCLUDE_DIR} LIBRARIES ${GELUBENCH_MKL_LIBRARY} RPATH ${_dir})
endif()

# OpenVINO, the PyPI wheel openvino (its C API, headers and libraries in the package folder).
file(GLOB _ov_pkg "${GELUBENCH_PEER_PREFIX}/lib/python3*/site-packages/openvino")
find_path(GELUBENCH_OPENVINO_INCLUDE_DIR openvino/c/openvino.h PATHS ${_ov_pkg} PATH_SUFFIXES include NO_DEFAULT_PATH)
file(GLOB _ov_c LIST_DIRECTORIES false "${_ov_pkg}/libs/libopenvino_c.so*")
if(NOT GELUBENCH_OPENVINO_INCLUDE_DIR OR NOT _ov_c)
  _gelubench_shim_skip(openvino "no OpenVINO C API under ${GELUBENCH_PEER_PREFIX}: run scripts/setup")
else()
  list(GET _ov_c 0 _ov_c)
  get_filename_component(_dir "${_ov_c}" DIRECTORY)
  _gelubench_peer_shim(openvino ${CMAKE_SOURCE_DIR}/kernels/peers/openvino/shim.cc
                       INCLUDES ${GELUBENCH_OPENVINO_INCLUDE_DIR} LIBRARIES ${_ov_c} RPATH ${_dir})
endif()

list(JOIN _gelubench_not_built "|" GELUBENCH_PEER_SHIMS_NOT_BUILT)
unset(_gelubench_not_built)

# --- SLEEF -------------------------------------------------------------------
# Debian's libsleef-dev ships no cmake config: header and library by hand.
find_path(GELUBENCH_SLEEF_INCLUDE_DIR sleef.h)
find_library(GELUBENCH_SLEEF_LIBRARY sleef)
if(NOT GELUBENCH_SLEEF_INCLUDE_DIR OR NOT GELUBENCH_SLEEF_LIBRARY)
  _gelubench_peer_skip(sleef "sleef.h or libsleef missing")
else()
  _gelubench_header_int("${GELUBENCH_SLEEF_INCLUDE_DIR}/sleef.h" SLEEF_VERSION_MAJOR _maj)
  _gelubench_header_int("${GELUBENCH_SLEEF_INCLUDE_DIR}/sleef.h" SLEEF_VERSION_MINOR _min)
  _gelubench_header_int("${GELUBENCH_SLEEF_INCLUDE_DIR}/sleef.h" SLEEF_VERSION_PATCHLEVEL _pat)
  list(APPEND GELUBENCH_KERNEL_LIBRARIES ${GELUBENCH_SLEEF_LIBRARY})
  list(APPEND GELUBENCH_KERNEL_INCLUDES ${GELUBENCH_SLEEF_INCLUDE_DIR})
  list(APPEND GELUBENCH_KERNEL_DEFINITIONS GELUBENCH_HAVE_SLEEF=1)
  list(APPEND _gelubench_peer_versions "SLEEF ${_maj}.${_min}.${_pat}")
  message(STATUS "gelubench: peer sleef: SLEEF ${_maj}.${_min}.${_pat} (${GELUBENCH_SLEEF_LIBRARY})")
endif()

# --- Eigen -------------------------------------------------------------------
# 3.4 is the first release whose float erf/tanh are vectorized for AVX-512.
find_package(Eigen3 3.4 CONFIG QUIET)
if(NOT Eigen3_FOUND)
  _gelubench_peer_skip(eigen "no Eigen3 >= 3.4 cmake config")
else()
  list(APPEND GELUBENCH_KERNEL_LIBRARIES Eigen3::Eigen)
  list(APPEND GELUBENCH_KERNEL_DEFINITIONS GELUBENCH_HAVE_EIGEN=1)
  list(APPEND _gelubench_peer_versions "Eigen ${Eigen3_VERSION}")
  message(STATUS "gelubench: peer eigen: Eigen ${Eigen3_VERSION}")
endif()

# --- glibc libmvec -----------------------------------------------------------
# The vector erff/tanhf variants appeared in glibc 2.35.
find_library(GELUBENCH_LIBMVEC_LIBRARY mvec)
find_path(GELUBENCH_GLIBC_INCLUDE_DIR features.h)
set(_glibc "")
if(GELUBENCH_GLIBC_INCLUDE_DIR)
  _gelubench_header_int("${GELUBENCH_GLIBC_INCLUDE_DIR}/features.h" __GLIBC__ _maj)
  _gelubench_header_int("${GELUBENCH_GLIBC_INCLUDE_DIR}/features.h" __GLIBC_MINOR__ _min)
  if(_maj AND _min)
    set(_glibc "${_maj}.${_min}")
  endif()
endif()
if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  _gelubench_peer_skip(libmvec "not x86-64")
elseif(NOT GELUBENCH_LIBMVEC_LIBRARY)
  _gelubench_peer_skip(libmvec "no libmvec")
elseif(NOT _glibc OR _glibc VERSION_LESS 2.35)
  _gelubench_peer_skip(libmvec "glibc '${_glibc}' older than 2.35 has no vector erff/tanhf")
else()
  list(APPEND GELUBENCH_KERNEL_LIBRARIES ${GELUBENCH_LIBMVEC_LIBRARY})
  list(APPEND GELUBENCH_KERNEL_DEFINITIONS GELUBENCH_HAVE_LIBMVEC=1)
  list(APPEND _gelubench_peer_versions "libmvec glibc ${_glibc}")
  message(STATUS "gelubench: peer libmvec: glibc ${_glibc} (${GELUBENCH_LIBMVEC_LIBRARY})")
endif()

list(JOIN _gelubench_peer_versions "; " GELUBENCH_PEER_VERSIONS)
unset(_gelubench_peer_versions)
