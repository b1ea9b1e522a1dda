# Peer kernels: other libraries' GELU, built when the library is installed.
# Included right after cmake/Kernels.cmake.
#
# In:  GELUBENCH_KERNEL_SOURCES      (list; globbed by Kernels.cmake, includes kernels/peers/**)
#      GELUBENCH_KERNEL_DEFINITIONS  (list)
#      GELUBENCH_KERNEL_LIBRARIES    (list)
# Out: GELUBENCH_KERNEL_SOURCES      minus kernels/peers/<lib>/ of every library not found
#      GELUBENCH_KERNEL_DEFINITIONS  plus GELUBENCH_HAVE_<LIB>=1 for every library found
#                                    (ONEDNN, SLEEF, EIGEN, LIBMVEC); registry.inc tests them
#      GELUBENCH_KERNEL_LIBRARIES    plus what to link for every library found
#                                    (DNNL::dnnl + the OpenMP runtime, the SLEEF library,
#                                    Eigen3::Eigen, the libmvec library)
#      GELUBENCH_KERNEL_INCLUDES     (list, created here if unset) plus include directories
#                                    of libraries found without a cmake target (SLEEF)
#      GELUBENCH_PEER_VERSIONS       "oneDNN 2.6.3; SLEEF 3.5.1; Eigen 3.4.0; libmvec glibc 2.36"
#                                    (found libraries only, in that order; "" if none)
#
# Every library is optional: a missing one prints a STATUS line and its peers
# are not built and not registered.

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

# --- oneDNN ------------------------------------------------------------------
# Debian's dnnl config REQUIREs OpenCL (its GPU runtime is OCL); look for
# OpenCL first so a machine without the OpenCL headers skips the peer instead
# of failing the configure.
find_package(OpenCL QUIET)
if(OpenCL_FOUND)
  find_package(dnnl CONFIG QUIET)
endif()
if(NOT dnnl_FOUND)
  _gelubench_peer_skip(onednn "no dnnl cmake config, or no OpenCL for it")
elseif(NOT DNNL_CPU_THREADING_RUNTIME MATCHES "^(OMP|SEQ)$")
  _gelubench_peer_skip(onednn "CPU runtime ${DNNL_CPU_THREADING_RUNTIME}; only OMP and SEQ are supported")
else()
  set(_onednn_libs DNNL::dnnl)
  if(DNNL_CPU_THREADING_RUNTIME STREQUAL "OMP")
    # The peer calls omp_set_num_threads(1) in each calling thread, so it links
    # the OpenMP runtime library itself (not OpenMP::OpenMP_CXX, whose
    # -fopenmp would spread to every source of the target).
    find_package(OpenMP QUIET COMPONENTS CXX)
    if(OpenMP_CXX_FOUND)
      list(APPEND _onednn_libs ${OpenMP_CXX_LIBRARIES})
    endif()
  endif()
  if(DNNL_CPU_THREADING_RUNTIME STREQUAL "OMP" AND NOT OpenMP_CXX_FOUND)
    _gelubench_peer_skip(onednn "oneDNN uses OpenMP but no OpenMP runtime to link")
  else()
    list(APPEND GELUBENCH_KERNEL_LIBRARIES ${_onednn_libs})
    list(APPEND GELUBENCH_KERNEL_DEFINITIONS GELUBENCH_HAVE_ONEDNN=1)
    list(APPEND _gelubench_peer_versions "oneDNN ${dnnl_VERSION}")
    message(STATUS "gelubench: peer onednn: oneDNN ${dnnl_VERSION} (CPU runtime ${DNNL_CPU_THREADING_RUNTIME})")
  endif()
endif()

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
