// Gate nonlinearities of the recurrent cells, in plain IEEE float arithmetic
// (no libm, no FMA contraction: this library builds with -ffp-contract=off),
// so that every machine, ISA path and thread count gives the same bits.
// Branch-free, so the update loops vectorize.
#pragma once
#include <cstdint>
#include <cstring>

namespace qc {

// Relative error < 5e-7 on [-87, 88]; the input is clamped to that range.
inline float exp_approx(float x) {
  x = x < 88.0f ? x : 88.0f;
  x = x > -87.0f ? x : -87.0f;
  // x = n ln2 + r, |r| <= ln2 / 2, ln2 split so that n * ln2_hi is exact.
  const float t = x * 1.44269504f;
  const int n = static_cast<int>(t + (t >= 0.0f ? 0.5f : -0.5f));
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

inline float sigmoid(float x) { return 1.0f / (1.0f + exp_approx(-x)); }
inline float tanh_approx(float x) { return 1.0f - 2.0f / (exp_approx(2.0f * x) + 1.0f); }

// ConvGRU over `pixels` pixels: gi, gh hold [r, z, n] x hidden per pixel;
// updates h (hidden per pixel) in place.
void gru_update(const float* gi, const float* gh, float* h, int hidden, int pixels);
// ConvLSTM: gi, gh hold [i, f, g, o] x hidden per pixel; updates h and c.
void lstm_update(const float* gi, const float* gh, float* h, float* c, int hidden, int pixels);

}  // namespace qc
