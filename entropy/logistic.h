// Integer logistic functions for probability modelling, built at compile time
// with integer arithmetic only, so every machine and compiler gets the same
// tables (and hence the same coded bits).
//   squash(s)  = 65536 / (1 + e^(-s/256)),  s in [-2047, 2047]  (16-bit P(1))
//   stretch(p) = inverse of squash, p a 16-bit probability (looked up at 12 bits)
#pragma once
#include <array>
#include <cstdint>

namespace qc::entropy {

constexpr int kStretchLimit = 2047;  // stretch domain: +-8 in units of 1/256

namespace detail {

struct LogisticTables {
  std::array<uint16_t, 2 * kStretchLimit + 1> squash{};  // index s + kStretchLimit
  std::array<int16_t, 4096> stretch{};                   // index p >> 4
  std::array<uint32_t, 4096> cost{};                     // -log2(i / 4096) in 1/65536 bit, i >= 1
};

// floor(log2(x) * 65536) for x >= 1, by repeated squaring of the mantissa.
constexpr uint32_t log2_q16(uint32_t x) {
  int whole = 31;
  while (!(x >> whole)) --whole;
  uint64_t m = static_cast<uint64_t>(x) << (31 - whole);  // [2^31, 2^32) is [1, 2)
  uint32_t frac = 0;
  for (int bit = 15; bit >= 0; --bit) {
    m = (m * m) >> 31;
    if (m >= (1ull << 32)) {
      m >>= 1;
      frac |= 1u << bit;
    }
  }
  return (static_cast<uint32_t>(whole) << 16) | frac;
}

constexpr LogisticTables make_logistic_tables() {
  LogisticTables t;
  // e^(-k/256) in Q32 by repeated multiplication with round(e^(-1/256) * 2^32).
  constexpr uint64_t kStep = 4278222805u;
  uint64_t e = 1ull << 32;
  for (int k = 0; k <= kStretchLimit; ++k) {
    const uint64_t p = ((1ull << 48) + ((1ull << 32) + e) / 2) / ((1ull << 32) + e);
    const uint64_t hi = p > 65535 ? 65535 : p;
    t.squash[kStretchLimit + k] = static_cast<uint16_t>(hi);
    t.squash[kStretchLimit - k] = static_cast<uint16_t>(65536 - hi);
    e = (e * kStep + (1ull << 31)) >> 32;
  }
  // stretch(i) = the smallest s whose squash reaches the middle of bucket i.
  int s = -kStretchLimit;
  for (int i = 0; i < 4096; ++i) {
    const uint32_t mid = static_cast<uint32_t>(i) * 16 + 8;
    while (s < kStretchLimit && t.squash[s + kStretchLimit] < mid) ++s;
    t.stretch[i] = static_cast<int16_t>(s);
  }
  for (int i = 1; i < 4096; ++i) t.cost[i] = (12u << 16) - log2_q16(static_cast<uint32_t>(i));
  t.cost[0] = t.cost[1];
  return t;
}

inline constexpr LogisticTables kTables = make_logistic_tables();

}  // namespace detail

inline int clamp_stretch(int s) {
  return s < -kStretchLimit ? -kStretchLimit : (s > kStretchLimit ? kStretchLimit : s);
}
// 16-bit probability of a 1 for a stretch value (clamped to the domain).
inline uint32_t squash(int s) { return detail::kTables.squash[clamp_stretch(s) + kStretchLimit]; }
inline int stretch(uint32_t p16) { return detail::kTables.stretch[p16 >> 4]; }

// Ideal cost in 1/65536 bit of coding `bit` when P(1) = p16.
inline uint32_t bit_cost(int bit, uint32_t p16) {
  const uint32_t q = bit ? p16 : 65536 - p16;
  const uint32_t i = (q + 8) >> 4;
  return detail::kTables.cost[i > 4095 ? 4095 : i];
}

// Floor division by 2^shift, defined for negative values (>> of a negative
// number is implementation-defined before C++20).
inline int64_t floor_shift(int64_t v, int shift) { return v >= 0 ? v >> shift : -((-v - 1) >> shift) - 1; }

}  // namespace qc::entropy
