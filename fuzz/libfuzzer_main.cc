// One libFuzzer binary per target: QC_FUZZ_TARGET names the function from
// fuzz/fuzz_targets.h (set by fuzz/CMakeLists.txt).
#include "fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  qc::fuzz::QC_FUZZ_TARGET(data, size);
  return 0;
}
