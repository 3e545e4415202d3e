// Binary range encoder (LZMA style: 32-bit range, carry propagated through a
// cached byte), coding each bit with a 16-bit probability of a 1.
#pragma once
#include <cstdint>
#include <vector>

#include "entropy/range_coder_format.h"

namespace qc::entropy {

class RangeEncoder {
 public:
  // p1 = P(bit == 1) in 1/65536, 1..65535.
  void encode(int bit, uint32_t p1) {
    const uint32_t bound = static_cast<uint32_t>((static_cast<uint64_t>(range_) * p1) >> 16);
    if (bit) {
      range_ = bound;
    } else {
      low_ += bound;
      range_ -= bound;
    }
    while (range_ < (1u << 24)) {
      range_ <<= 8;
      shift_low();
    }
  }

  // Ends the stream and returns its bytes. The decoder reads zeros past the
  // end, so the final value is chosen with as many trailing zero bits as the
  // interval allows and trailing zero bytes are dropped.
  std::vector<uint8_t> finish();

 private:
  void shift_low();

  uint64_t low_ = 0;
  uint32_t range_ = 0xFFFFFFFFu;
  uint8_t cache_ = 0;
  uint64_t pending_ = 1;  // bytes waiting for a possible carry: cache_ + 0xFF...
  std::vector<uint8_t> out_;
};

}  // namespace qc::entropy
