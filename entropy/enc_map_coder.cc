#include "base/error.h"
#include "entropy/enc_range_coder.h"
#include "entropy/map_coder.h"
#include "entropy/map_model.h"

namespace qc {

namespace {
struct EncodeIO {
  entropy::RangeEncoder coder;
  int code(int bit, uint32_t p1) {
    coder.encode(bit, p1);
    return bit;
  }
};
}  // namespace

std::vector<uint8_t> encode_tile_map(const TileMap& map, int iterations) {
  if (iterations < 0 || iterations > kMaxIterations || map.tiles_x < 1 || map.tiles_y < 1 ||
      map.counts.size() != static_cast<size_t>(map.tiles_x) * map.tiles_y || map.max_count() > iterations)
    throw Error("encode_tile_map: allocation map does not fit its shape and iteration count");
  TileMap work = map;
  EncodeIO io;
  entropy::traverse_map(work, iterations, /*decoding=*/false, io);
  return io.coder.finish();
}

}  // namespace qc
