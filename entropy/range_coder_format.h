// What the range encoder and decoder agree on beyond the arithmetic.
#pragma once
#include <cstddef>

namespace qc::entropy {

// Bytes the encoder shifts out when it finishes; the zero ones among them
// are trimmed from the stream (the decoder reads zeros past the end).
inline constexpr size_t kFlushBytes = 5;

}  // namespace qc::entropy
