#include "entropy/code_stack.h"

#include <algorithm>

#include "base/error.h"

namespace qc {

int TileMap::max_count() const {
  return counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
}

TileMap TileMap::capped(int iterations) const {
  TileMap out = *this;
  for (uint8_t& c : out.counts) c = static_cast<uint8_t>(std::min<int>(c, iterations));
  return out;
}

void check_code_shape(int iterations, int channels, int rows, int cols, const std::string& name) {
  auto fail = [&](const std::string& cause) { throw Error(name + ": " + cause); };
  if (iterations < 0 || iterations > kMaxIterations)
    fail("iteration count " + std::to_string(iterations) + " outside 0.." + std::to_string(kMaxIterations));
  if (channels < 1 || channels > kMaxCodeChannels)
    fail("code channel count " + std::to_string(channels) + " outside 1.." +
         std::to_string(kMaxCodeChannels));
  if (rows < 1 || cols < 1 || rows > kMaxCodeSide || cols > kMaxCodeSide)
    fail("code grid " + std::to_string(cols) + "x" + std::to_string(rows) + " outside 1.." +
         std::to_string(kMaxCodeSide));
  const uint64_t total = static_cast<uint64_t>(iterations) * channels * rows * cols;
  if (total > kMaxCodeBits) fail("code stack of " + std::to_string(total) + " bits is too large");
}

void check_code_stack(const CodeStack& stack, const TileMap& map, const std::string& name) {
  auto fail = [&](const std::string& cause) { throw Error(name + ": " + cause); };
  check_code_shape(stack.iterations, stack.channels, stack.rows, stack.cols, name);
  const uint64_t total = static_cast<uint64_t>(stack.iterations) * stack.channels * stack.rows * stack.cols;
  if (stack.bits.size() != total) fail("code stack holds the wrong number of bits");
  if (std::any_of(stack.bits.begin(), stack.bits.end(), [](uint8_t b) { return b > 1; }))
    fail("code bits must be 0 or 1");
  if (map.tile < 1 || map.tile > kMaxTile)
    fail("tile size " + std::to_string(map.tile) + " outside 1.." + std::to_string(kMaxTile));
  if (map.tiles_x != (stack.cols + map.tile - 1) / map.tile ||
      map.tiles_y != (stack.rows + map.tile - 1) / map.tile ||
      map.counts.size() != static_cast<size_t>(map.tiles_x) * map.tiles_y)
    fail("allocation map does not cover the code grid");
  if (map.max_count() > stack.iterations)
    fail("allocation map asks for more iterations than the code stack has");
}

std::vector<uint8_t> position_counts(const TileMap& map, int rows, int cols) {
  std::vector<uint8_t> out(static_cast<size_t>(rows) * cols);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) out[static_cast<size_t>(y) * cols + x] = map.count_at(y, x);
  return out;
}

}  // namespace qc
