#include "entropy/enc_range_coder.h"

#include <algorithm>

namespace qc::entropy {

void RangeEncoder::shift_low() {
  if (static_cast<uint32_t>(low_) < 0xFF000000u || (low_ >> 32) != 0) {
    const uint8_t carry = static_cast<uint8_t>(low_ >> 32);
    uint8_t byte = cache_;
    do {
      out_.push_back(static_cast<uint8_t>(byte + carry));
      byte = 0xFF;
    } while (--pending_ != 0);
    cache_ = static_cast<uint8_t>(low_ >> 24);
  }
  ++pending_;
  low_ = (low_ & 0x00FFFFFFu) << 8;
}

std::vector<uint8_t> RangeEncoder::finish() {
  for (int shift = 32; shift >= 0; --shift) {
    const uint64_t mask = (1ull << shift) - 1;
    const uint64_t value = (low_ + mask) & ~mask;
    if (value < low_ + range_) {
      low_ = value;
      break;
    }
  }
  for (size_t i = 0; i < kFlushBytes; ++i) shift_low();
  // The first byte is always 0 (the interval starts inside [0, 1)); the
  // decoder assumes it.
  std::vector<uint8_t> bytes(out_.begin() + 1, out_.end());
  // Zero bytes of the flush may go (the decoder reads zeros past the end),
  // but no more: the decoder treats reading far past the end as corruption.
  const size_t keep = bytes.size() - std::min<size_t>(bytes.size(), kFlushBytes);
  while (bytes.size() > keep && bytes.back() == 0) bytes.pop_back();
  return bytes;
}

}  // namespace qc::entropy
