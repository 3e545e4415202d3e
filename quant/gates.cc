#include "quant/gates.h"

#include <cstdint>
#include <cstring>

namespace qc {

float exp_approx(float x) {
  x = x < 88.0f ? x : 88.0f;
  x = x > -87.0f ? x : -87.0f;
  // x = n ln2 + r, |r| <= ln2 / 2, ln2 split so that n * ln2_hi is exact.
  const float t = x * 1.44269504f;
  const int n = static_cast<int>(t + (t >= 0 ? 0.5f : -0.5f));
  const float r = (x - static_cast<float>(n) * 0.693145752f) - static_cast<float>(n) * 1.42860677e-6f;
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const uint32_t bits = static_cast<uint32_t>(n + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, 4);
  return p * scale;
}

float sigmoid(float x) { return 1.0f / (1.0f + exp_approx(-x)); }

float tanh_approx(float x) { return 1.0f - 2.0f / (exp_approx(2.0f * x) + 1.0f); }

void gru_update(const float* gi, const float* gh, float* h, int hidden) {
  for (int c = 0; c < hidden; ++c) {
    const float r = sigmoid(gi[c] + gh[c]);
    const float z = sigmoid(gi[hidden + c] + gh[hidden + c]);
    const float n = tanh_approx(gi[2 * hidden + c] + r * gh[2 * hidden + c]);
    h[c] = (1.0f - z) * n + z * h[c];
  }
}

void lstm_update(const float* gi, const float* gh, float* h, float* c, int hidden) {
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
