// The binary codes the network emits and the per-tile iteration counts that
// say which of them are present: the data the entropy coder and the .qc
// container exchange with the rest of the codec.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace qc {

// One bit per (iteration, code channel, code row, code column); a code
// position covers 16x16 pixels. Bits of a tile at iterations >= its count are
// absent: the coder skips them and the decoder returns them as 0.
struct CodeStack {
  int iterations = 0;
  int channels = 0;
  int rows = 0;
  int cols = 0;
  std::vector<uint8_t> bits;  // [iteration][channel][row][col], each 0 or 1

  CodeStack() = default;
  CodeStack(int iterations_, int channels_, int rows_, int cols_)
      : iterations(iterations_),
        channels(channels_),
        rows(rows_),
        cols(cols_),
        bits(static_cast<size_t>(iterations_) * channels_ * rows_ * cols_) {}

  size_t index(int iteration, int channel, int row, int col) const {
    return ((static_cast<size_t>(iteration) * channels + channel) * rows + row) * cols + col;
  }
  uint8_t at(int iteration, int channel, int row, int col) const {
    return bits[index(iteration, channel, row, col)];
  }
  uint8_t& at(int iteration, int channel, int row, int col) {
    return bits[index(iteration, channel, row, col)];
  }
};

// Iterations per tile; a tile is `tile` x `tile` code positions (the last
// row/column of tiles may be cut by the grid's edge).
struct TileMap {
  int tile = 2;
  int tiles_x = 0;
  int tiles_y = 0;
  std::vector<uint8_t> counts;  // tiles_y x tiles_x, row-major

  TileMap() = default;
  // A map covering a rows x cols grid with every tile at `count`.
  TileMap(int tile_, int rows, int cols, int count)
      : tile(tile_),
        tiles_x((cols + tile_ - 1) / tile_),
        tiles_y((rows + tile_ - 1) / tile_),
        counts(static_cast<size_t>(tiles_x) * tiles_y, static_cast<uint8_t>(count)) {}

  int count_at(int row, int col) const { return counts[(row / tile) * tiles_x + col / tile]; }
  int max_count() const;
  // The same map with every count limited to `iterations`: a prefix of it.
  TileMap capped(int iterations) const;
};

// Hard limits shared by the coder and the container: anything larger is refused.
constexpr int kMaxIterations = 64;
constexpr int kMaxCodeChannels = 64;
constexpr int kMaxTile = 64;
constexpr int kMaxCodeSide = 2048;  // 32768 pixels / 16
constexpr uint64_t kMaxCodeBits = 1ull << 29;

// Throws qc::Error ("<name>: <cause>") unless the shape is within the limits.
void check_code_shape(int iterations, int channels, int rows, int cols, const std::string& name);

// Throws qc::Error ("<name>: <cause>") unless the stack's shape is within the
// limits above, its bits are 0/1, and the map covers exactly its grid with
// counts <= stack.iterations.
void check_code_stack(const CodeStack& stack, const TileMap& map, const std::string& name);

// Iteration count of every code position (rows x cols), expanded from the map.
std::vector<uint8_t> position_counts(const TileMap& map, int rows, int cols);

}  // namespace qc
