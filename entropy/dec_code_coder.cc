#include "entropy/code_coder.h"
#include "entropy/code_model.h"
#include "entropy/dec_range_coder.h"

namespace qc {

namespace {

struct DecodeIO {
  entropy::RangeDecoder coder;
  void at(int, int) {}
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
  DecodeIO io{entropy::RangeDecoder(data, size)};
  entropy::traverse_codes(stack, map, io);
  return stack;
}

}  // namespace qc
