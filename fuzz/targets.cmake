# The fuzz target bodies (fuzz/fuzz_targets.h) as a library: linked by the
# libFuzzer binaries (fuzz/CMakeLists.txt) and by the regression tests
# (tests/reliability), which replay the corpora in the ordinary build.
include_guard(GLOBAL)
add_library(qc_fuzz_targets
  ${CMAKE_CURRENT_LIST_DIR}/qc_target.cc
  ${CMAKE_CURRENT_LIST_DIR}/qcm_target.cc
  ${CMAKE_CURRENT_LIST_DIR}/image_target.cc
  ${CMAKE_CURRENT_LIST_DIR}/decode_target.cc
  ${CMAKE_CURRENT_LIST_DIR}/sealed_inputs.cc)
target_link_libraries(qc_fuzz_targets PUBLIC qc_codec PRIVATE PkgConfig::ZSTD)
