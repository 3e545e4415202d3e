// The allocation-map model and traversal shared by its encoder and decoder.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>

#include "entropy/adaptive_bit.h"
#include "entropy/code_stack.h"

namespace qc::entropy {

struct MapModel {
  using Counter = BitCounter<30>;
  static constexpr int kDistanceContexts = 16;
  std::array<Counter, 8> equal;                         // by neighbour agreement
  std::array<Counter, 2> up;                            // by whether the prediction is below the west count
  std::array<Counter, 2 * kDistanceContexts> distance;  // (direction, unary step)
};

// Median edge predictor from the west, north and north-west counts.
inline int predict_count(int west, int north, int north_west) {
  if (north_west >= std::max(west, north)) return std::min(west, north);
  if (north_west <= std::min(west, north)) return std::max(west, north);
  return west + north - north_west;
}

// Codes map.counts in raster order through io.code(int bit, uint32_t p1)
// (encode: codes `bit`; decode: ignores it and returns the decoded bit).
// `decoding` says whether counts are to be filled in rather than read.
// Returns false if a decoded count would exceed `iterations`.
template <class BitIO>
bool traverse_map(TileMap& map, int iterations, bool decoding, BitIO& io) {
  MapModel model;
  for (int y = 0; y < map.tiles_y; ++y) {
    for (int x = 0; x < map.tiles_x; ++x) {
      uint8_t* count = &map.counts[static_cast<size_t>(y) * map.tiles_x + x];
      const int w = x > 0 ? count[-1] : -1;
      const int n = y > 0 ? count[-map.tiles_x] : -1;
      const int nw = x > 0 && y > 0 ? count[-map.tiles_x - 1] : -1;
      int pred;
      int agreement;
      if (w >= 0 && n >= 0) {
        pred = predict_count(w, n, nw);
        agreement = (w == n ? 1 : 0) + (n == nw ? 2 : 0) + 4;
      } else {
        pred = w >= 0 ? w : (n >= 0 ? n : iterations);
        agreement = w >= 0 ? 1 : (n >= 0 ? 2 : 0);
      }
      const int value = decoding ? 0 : *count;
      auto code_bit = [&](int bit, MapModel::Counter& counter) {
        const int coded = io.code(bit, coder_probability(counter.p));
        counter.update(coded);
        return coded;
      };
      if (code_bit(value == pred, model.equal[agreement])) {
        *count = static_cast<uint8_t>(pred);
        continue;
      }
      const int up = pred == 0            ? 1
                     : pred == iterations ? 0
                                          : code_bit(value > pred, model.up[w >= 0 && pred < w ? 1 : 0]);
      const int limit = up ? iterations - pred : pred;  // distance is 1..limit
      const int distance_wanted = up ? value - pred : pred - value;
      int distance = 1;
      while (distance < limit) {
        const int step = std::min(distance - 1, MapModel::kDistanceContexts - 1);
        if (!code_bit(distance_wanted > distance, model.distance[up * MapModel::kDistanceContexts + step]))
          break;
        ++distance;
      }
      if (limit < 1) return false;  // only a decoder can get here, on bad input
      *count = static_cast<uint8_t>(up ? pred + distance : pred - distance);
    }
  }
  return true;
}

}  // namespace qc::entropy
