#include "quant/activation_tensor.h"

#include "quant/vector_clones.h"

namespace qc {

QC_VECTOR_CLONES int32_t quantize_channels(const float* src, int step, int n, float scale, int8_t* dst) {
  int32_t sum = 0;
  if (step == 1) {  // the common, contiguous case: let it vectorize
    for (int c = 0; c < n; ++c) {
      dst[c] = quantize_activation(src[c], scale);
      sum += dst[c];
    }
  } else {
    for (int c = 0; c < n; ++c) {
      dst[c] = quantize_activation(src[c * step], scale);
      sum += dst[c];
    }
  }
  return sum;
}

}  // namespace qc
