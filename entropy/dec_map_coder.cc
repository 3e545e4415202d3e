#include "base/error.h"
#include "entropy/dec_range_coder.h"
#include "entropy/map_coder.h"
#include "entropy/map_model.h"

namespace qc {

namespace {
struct DecodeIO {
  entropy::RangeDecoder coder;
  int code(int, uint32_t p1) { return coder.decode(p1); }
};
}  // namespace

TileMap decode_tile_map(const uint8_t* data, size_t size, int tile, int tiles_x, int tiles_y, int iterations,
                        const std::string& name) {
  if (iterations < 0 || iterations > kMaxIterations || tile < 1 || tile > kMaxTile || tiles_x < 1 ||
      tiles_y < 1 || tiles_x > kMaxCodeSide || tiles_y > kMaxCodeSide)
    throw Error(name + ": allocation map shape out of range");
  TileMap map;
  map.tile = tile;
  map.tiles_x = tiles_x;
  map.tiles_y = tiles_y;
  map.counts.assign(static_cast<size_t>(tiles_x) * tiles_y, 0);
  DecodeIO io{entropy::RangeDecoder(data, size)};
  if (!entropy::traverse_map(map, iterations, /*decoding=*/true, io))
    throw Error(name + ": corrupt allocation map");
  return map;
}

}  // namespace qc
