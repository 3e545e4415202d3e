#include "base/error.h"
#include "entropy/code_coder.h"
#include "entropy/code_model.h"
#include "entropy/dec_range_coder.h"

namespace qc {

namespace {

struct DecodeIO {
  const uint8_t* data;
  size_t size;
  const std::vector<size_t>& iteration_bytes;  // empty: one stream (format 1)
  const std::string& name;
  entropy::RangeDecoder coder{nullptr, 0};
  size_t offset = 0;

  void begin_iteration(int t) {
    if (iteration_bytes.empty()) {
      if (t == 0) coder = entropy::RangeDecoder(data, size);
      return;
    }
    coder = entropy::RangeDecoder(data + offset, iteration_bytes[t]);
    offset += iteration_bytes[t];
  }
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

CodeStack decode_codes(const uint8_t* data, size_t size, const std::vector<size_t>& iteration_bytes,
                       int iterations, int channels, int rows, int cols, const TileMap& map,
                       const std::string& name) {
  check_code_shape(iterations, channels, rows, cols, name);
  if (!iteration_bytes.empty()) {
    if (iteration_bytes.size() < static_cast<size_t>(iterations))
      throw Error(name + ": fewer iteration streams than iterations");
    size_t left = size;
    for (int t = 0; t < iterations; ++t) {
      if (iteration_bytes[t] > left) throw Error(name + ": iteration streams exceed the payload");
      left -= iteration_bytes[t];
    }
  }
  CodeStack stack(iterations, channels, rows, cols);
  check_code_stack(stack, map, name);
  DecodeIO io{data, size, iteration_bytes, name};
  entropy::traverse_codes(stack, map, io);
  return stack;
}

}  // namespace qc
