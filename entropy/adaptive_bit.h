// Adaptive probability estimators and a logistic mixer, integer only.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "entropy/logistic.h"

namespace qc::entropy {

namespace detail {
// Adaptation rate after n observations: 1 / (n + 1.5) in Q15, so a fresh
// counter learns like a frequency count and settles at 1 / (limit + 1.5).
constexpr std::array<uint16_t, 256> make_rates() {
  std::array<uint16_t, 256> r{};
  for (int n = 0; n < 256; ++n) r[n] = static_cast<uint16_t>((2u << 15) / (2 * n + 3));
  return r;
}
inline constexpr std::array<uint16_t, 256> kRates = make_rates();
}  // namespace detail

// P(1) of one context in 1/65536, with a count-driven learning rate that
// stops speeding down at `Limit` observations.
template <int Limit>
struct BitCounter {
  static_assert(Limit > 0 && Limit < 256, "limit indexes the rate table");
  uint16_t p = 32768;
  uint8_t n = 0;

  void update(int bit) {
    const int32_t target = bit ? 65535 : 0;
    p = static_cast<uint16_t>(p + floor_shift((target - p) * detail::kRates[n], 15));
    if (n < Limit) ++n;
  }
};

// Mixes N predictions in the stretch domain with one of several weight sets
// (chosen per bit by the caller) trained online to minimise coding cost.
template <int N>
class Mixer {
 public:
  explicit Mixer(int sets) : weights_(static_cast<size_t>(sets) * N, kInitialWeight) {}

  // Stretched inputs for the next bit.
  void set_input(int i, int stretched) { inputs_[i] = stretched; }

  uint32_t mix(int set) {
    weights_at_ = &weights_[static_cast<size_t>(set) * N];
    int64_t dot = 0;
    for (int i = 0; i < N; ++i) dot += static_cast<int64_t>(inputs_[i]) * weights_at_[i];
    p_ = squash(static_cast<int>(floor_shift(dot, 16)));
    return p_;
  }

  void update(int bit) {
    const int64_t err = (bit ? 65536 : 0) - static_cast<int64_t>(p_);
    for (int i = 0; i < N; ++i) {
      const int64_t w = weights_at_[i] + floor_shift(inputs_[i] * err * kRate, 17);
      weights_at_[i] =
          static_cast<int32_t>(w < -kWeightLimit ? -kWeightLimit : (w > kWeightLimit ? kWeightLimit : w));
    }
  }

 private:
  static constexpr int32_t kInitialWeight = 65536 * 3 / (N * 5);  // ~0.6 / N
  static constexpr int64_t kRate = 1;
  static constexpr int64_t kWeightLimit = 1 << 22;  // |weight| <= 64
  std::vector<int32_t> weights_;
  std::array<int, N> inputs_{};
  int32_t* weights_at_ = nullptr;
  uint32_t p_ = 32768;
};

// Clamps a probability to what the range coder accepts.
inline uint32_t coder_probability(uint32_t p16) { return p16 < 1 ? 1 : (p16 > 65535 ? 65535 : p16); }

}  // namespace qc::entropy
