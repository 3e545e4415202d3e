#include "nn/gates.h"

#include "nn/vector_clones.h"

namespace qc {

QC_VECTOR_CLONES void gru_update(const float* gi, const float* gh, float* h, int hidden, int pixels) {
  for (int p = 0; p < pixels; ++p, gi += 3 * hidden, gh += 3 * hidden, h += hidden)
    for (int c = 0; c < hidden; ++c) {
      const float r = sigmoid(gi[c] + gh[c]);
      const float z = sigmoid(gi[hidden + c] + gh[hidden + c]);
      const float n = tanh_approx(gi[2 * hidden + c] + r * gh[2 * hidden + c]);
      h[c] = (1.0f - z) * n + z * h[c];
    }
}

QC_VECTOR_CLONES void lstm_update(const float* gi, const float* gh, float* h, float* c, int hidden,
                                  int pixels) {
  for (int p = 0; p < pixels; ++p, gi += 4 * hidden, gh += 4 * hidden, h += hidden, c += hidden)
    for (int k = 0; k < hidden; ++k) {
      const float i = sigmoid(gi[k] + gh[k]);
      const float f = sigmoid(gi[hidden + k] + gh[hidden + k]);
      const float g = tanh_approx(gi[2 * hidden + k] + gh[2 * hidden + k]);
      const float o = sigmoid(gi[3 * hidden + k] + gh[3 * hidden + k]);
      c[k] = f * c[k] + i * g;
      h[k] = o * tanh_approx(c[k]);
    }
}

}  // namespace qc
