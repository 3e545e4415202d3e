// Binary range decoder matching RangeEncoder. Reads zeros past the end of its
// input, so any byte string decodes (to garbage if it was not made by the
// encoder). A valid stream is never read more than its lookahead plus the
// trimmed flush bytes past its end: overran() flags input that is too short
// for what is being decoded, so a tiny hostile payload cannot make the
// decoder produce millions of near-free bits.
#pragma once
#include <cstddef>
#include <cstdint>

#include "entropy/range_coder_format.h"

namespace qc::entropy {

class RangeDecoder {
 public:
  RangeDecoder(const uint8_t* data, size_t size) : next_(data), end_(data + size) {
    for (int i = 0; i < 4; ++i) code_ = (code_ << 8) | next_byte();
  }

  // p1 = P(bit == 1) in 1/65536, 1..65535.
  int decode(uint32_t p1) {
    const uint32_t bound = static_cast<uint32_t>((static_cast<uint64_t>(range_) * p1) >> 16);
    int bit;
    if (code_ < bound) {
      range_ = bound;
      bit = 1;
    } else {
      code_ -= bound;
      range_ -= bound;
      bit = 0;
    }
    while (range_ < (1u << 24)) {
      range_ <<= 8;
      code_ = (code_ << 8) | next_byte();
    }
    return bit;
  }

 private:
  // Lookahead (4) + trimmed flush bytes (kFlushBytes) + margin.
  static constexpr size_t kMaxBytesPastEnd = 4 + kFlushBytes + 4;

 public:
  bool overran() const { return past_end_ > kMaxBytesPastEnd; }

 private:
  uint32_t next_byte() {
    if (next_ < end_) return *next_++;
    ++past_end_;
    return 0;
  }

  const uint8_t* next_;
  const uint8_t* end_;
  uint32_t range_ = 0xFFFFFFFFu;
  uint32_t code_ = 0;
  size_t past_end_ = 0;
};

}  // namespace qc::entropy
