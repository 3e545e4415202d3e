// Synthetic code stacks with known statistics, for the entropy tests and the
// entropy benchmark. Portable: the same seed gives the same bits everywhere.
#pragma once
#include <cmath>
#include <cstdint>

#include "entropy/code_stack.h"

namespace qc::test {

class SplitMix {
 public:
  explicit SplitMix(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t state_;
};

// A stack and the ideal code length (bits) of its bits under the source that
// made them: the sum of -log2 P(bit) over every bit the map keeps.
struct SyntheticCodes {
  CodeStack stack;
  double ideal_bits = 0;
};

// Independent bits with P(1) = p.
inline SyntheticCodes iid_codes(int iterations, int channels, int rows, int cols, double p, uint64_t seed) {
  SyntheticCodes out{CodeStack(iterations, channels, rows, cols), 0};
  SplitMix rng(seed);
  for (uint8_t& bit : out.stack.bits) {
    bit = rng.uniform() < p;
    out.ideal_bits -= std::log2(bit ? p : 1 - p);
  }
  return out;
}

// A Markov random field-like source: P(1) is a logistic function of the
// west and north neighbours (same channel), the same position one iteration
// earlier, and the previous channel at the same position (each +-1, 0 when
// absent), so every context the coder uses carries information.
inline SyntheticCodes markov_codes(int iterations, int channels, int rows, int cols, uint64_t seed) {
  SyntheticCodes out{CodeStack(iterations, channels, rows, cols), 0};
  CodeStack& s = out.stack;
  SplitMix rng(seed);
  auto sign = [](int bit) { return bit ? 1.0 : -1.0; };
  for (int t = 0; t < iterations; ++t)
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < cols; ++x)
        for (int c = 0; c < channels; ++c) {
          double logit = -0.4 - 0.05 * t + 0.03 * (c % 7);
          if (x > 0) logit += 1.1 * sign(s.at(t, c, y, x - 1));
          if (y > 0) logit += 0.8 * sign(s.at(t, c, y - 1, x));
          if (t > 0) logit += 0.6 * sign(s.at(t - 1, c, y, x));
          if (c > 0) logit += 0.5 * sign(s.at(t, c - 1, y, x));
          const double p = 1 / (1 + std::exp(-logit));
          const int bit = rng.uniform() < p;
          s.at(t, c, y, x) = static_cast<uint8_t>(bit);
          out.ideal_bits -= std::log2(bit ? p : 1 - p);
        }
  return out;
}

// A map whose counts wander smoothly around `mean` (as rate control makes).
inline TileMap smooth_map(int rows, int cols, int tile, int iterations, int mean, uint64_t seed) {
  TileMap map(tile, rows, cols, 0);
  SplitMix rng(seed);
  for (int y = 0; y < map.tiles_y; ++y)
    for (int x = 0; x < map.tiles_x; ++x) {
      const int base =
          x > 0 ? map.counts[y * map.tiles_x + x - 1] : (y > 0 ? map.counts[(y - 1) * map.tiles_x] : mean);
      int v = base + rng.below(3) - 1 + (base < mean ? rng.below(2) : -rng.below(2));
      v = v < 0 ? 0 : (v > iterations ? iterations : v);
      map.counts[y * map.tiles_x + x] = static_cast<uint8_t>(v);
    }
  return map;
}

// Independent uniformly random counts in 0..iterations.
inline TileMap random_map(int rows, int cols, int tile, int iterations, uint64_t seed) {
  TileMap map(tile, rows, cols, 0);
  SplitMix rng(seed);
  for (uint8_t& count : map.counts) count = static_cast<uint8_t>(rng.below(iterations + 1));
  return map;
}

}  // namespace qc::test
