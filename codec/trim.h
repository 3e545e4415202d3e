// Re-rating: lowers a .qc file's rate without the encoder network. Tiles
// lose their last iterations, the cheapest loss of quality per bit first,
// judged by what the decoder alone can compute (how much each iteration
// changes each tile); the map and the payload are then coded again. The kept bits are the file's own, so this
// is only as good as a fresh encode where dropping a tile's iteration leaves its neighbours' later bits still
// apt (docs/PROGRESSIVE.md measures how close it comes).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codec/codec.h"

namespace qc {

struct TrimOptions {
  double bpp = 0;   // the target rate, whole file included; below the file's own
  int threads = 0;  // 0 = all cores
  AllocationRule rule = AllocationRule::kTopUp;
};

struct TrimResult {
  std::vector<uint8_t> bytes;  // the new .qc file, at most the target's size
  TileMap map;
};

// Errors are "<name>: <cause>": a target at or above the file's rate, one
// below its smallest possible size, or a file the model cannot decode.
TrimResult trim(const uint8_t* data, size_t size, const Model& model, const TrimOptions& options,
                const std::string& name, const Progress& progress = nullptr);

}  // namespace qc
