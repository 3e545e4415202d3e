#include "nn/activation_tensor.h"

#include "nn/cpu_dispatch.h"
#include "nn/vector_clones.h"

namespace qc {

void quantize_values(const float* src, int n, float scale, int8_t* dst) {
  kernels().quantize(src, n, scale, dst);
}

QC_VECTOR_CLONES void quantize_values_portable(const float* src, int n, float scale, int8_t* dst) {
  for (int i = 0; i < n; ++i) dst[i] = quantize_activation(src[i], scale);
}

QC_VECTOR_CLONES void sum_pixels(const int8_t* q, int pixels, int channels, int32_t* sums) {
  for (int p = 0; p < pixels; ++p, q += channels) {
    int32_t sum = 0;
    for (int c = 0; c < channels; ++c) sum += q[c];
    sums[p] = sum;
  }
}

}  // namespace qc
