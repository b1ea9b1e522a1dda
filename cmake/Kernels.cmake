# Kernel sources and their ISA flags. ISA flags go on kernel files only,
# never globally: the gelubench binary must run on any x86-64 CPU and picks
# what to run at run time (harness/cpu_features.cc).
#
# Naming convention: a file whose name ends in __avx2.cc gets the AVX2 flags,
# __avx512.cc the AVX-512 (F/BW/VL/DQ) flags, __avx512vbmi.cc, __avx512bf16.cc
# and __avx512fp16.cc those plus the named extension, __scalar.cc none (and
# no auto-vectorization).

set(GELUBENCH_ISA_FLAGS_avx2 -mavx2 -mfma -mf16c)
set(GELUBENCH_ISA_FLAGS_avx512 -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx2 -mfma -mf16c)
set(GELUBENCH_ISA_FLAGS_avx512vbmi ${GELUBENCH_ISA_FLAGS_avx512} -mavx512vbmi)
set(GELUBENCH_ISA_FLAGS_avx512bf16 ${GELUBENCH_ISA_FLAGS_avx512} -mavx512bf16)
set(GELUBENCH_ISA_FLAGS_avx512fp16 ${GELUBENCH_ISA_FLAGS_avx512} -mavx512fp16)

file(GLOB_RECURSE GELUBENCH_KERNEL_SOURCES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/kernels/*.cc)
set(GELUBENCH_KERNEL_DEFINITIONS "")
set(GELUBENCH_KERNEL_LIBRARIES "")

# Scalar kernels stay scalar: without the vectorizers, also in the FMA clone
# of their loop (kernels/simd_loop.h), where AVX would otherwise be allowed.
set(GELUBENCH_SCALAR_FLAGS -fno-tree-vectorize -fno-tree-slp-vectorize)

foreach(src IN LISTS GELUBENCH_KERNEL_SOURCES)
  get_filename_component(stem ${src} NAME_WE)
  if(stem MATCHES "__scalar$")
    set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS "${GELUBENCH_SCALAR_FLAGS}")
  endif()
  foreach(isa avx2 avx512 avx512vbmi avx512bf16 avx512fp16)
    if(stem MATCHES "__${isa}$")
      set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS "${GELUBENCH_ISA_FLAGS_${isa}}")
    endif()
  endforeach()
endforeach()
