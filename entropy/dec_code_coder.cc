#include "entropy/code_coder.h"

#include "base/error.h"
#include "entropy/code_model.h"
#include "entropy/dec_range_coder.h"

namespace qc {

namespace {

struct DecodeIO {
  entropy::RangeDecoder coder;
  const std::string& name;
  // Once per code position: a payload too short for its codes is corrupt.
  void at(int, int) {
    if (coder.overran()) throw Error(name + ": code payload ends early (corrupt or truncated file)");
  }
  int code(uint8_t& bit, uint32_t p1) {
    bit = static_cast<uint8_t>(coder.decode(p1));
    return bit;
  }
};

}  // namespace

CodeStack decode_codes(const uint8_t* data, size_t size, int iterations, int channels, int rows,
                       int cols, const TileMap& map, const std::string& name) {
  check_code_shape(iterations, channels, rows, cols, name);
  CodeStack stack(iterations, channels, rows, cols);
  check_code_stack(stack, map, name);
  DecodeIO io{entropy::RangeDecoder(data, size), name};
  entropy::traverse_codes(stack, map, io);
  return stack;
}

}  // namespace qc
