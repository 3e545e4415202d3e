// Integer core of a binary-weight conv on int8 activations, one output row at
// a time. Weights are bit masks in the kernel layout of PackedConv:
// masks[block][tap][group] is a 64-bit mask whose bit 4*r + j is the sign of
// weight row 16*block + r at input channel 4*group + j (bit set = +1).
// The kernel returns, for every output pixel and weight row, S = sum of the
// activations whose weight bit is set; the caller turns that into
// sum(w * q) = 2 * S - sum(q). Every implementation is bit-exact.
//
// The AMX path reads the weights in a second layout, expanded once at load
// (expand_amx_weights): for each block, kernel row ky and 64-byte chunk c of
// that row's kernel * groups * 4 contiguous input bytes, one 16 x 64 byte
// tile whose row i, byte 4 * r + j, is 1 where weight row 16 * block + r is
// +1 at input byte 64 * c + 4 * i + j of the kernel row (tap ky * kernel + kx
// with kx = that byte / (groups * 4)); bytes past the kernel row are 0.
#pragma once
#include <cstddef>
#include <cstdint>

namespace qc {

struct BinaryRowArgs {
  const int8_t* in;       // activation under the top-left tap of output pixel 0
  size_t row_stride;      // bytes between input rows
  int pixel_step;         // bytes between the inputs of consecutive output pixels
  int kernel;             // 1 or 3 (taps = kernel * kernel)
  int groups;             // input channels / 4 (channels padded with zeros)
  int pixels;             // output pixels in the row
  int blocks;             // 16-row weight blocks
  const uint64_t* masks;  // [blocks][taps][groups]
  int32_t* out;           // [pixels][blocks * 16]
  // The AMX layout of the same weights; read by binary_row_amx only, which
  // also reads up to 63 bytes past each kernel row of the input (they meet
  // zero weights): the tensor must have that much slack after its last byte.
  const uint8_t* amx_weights = nullptr;
};

using BinaryRowKernel = void (*)(const BinaryRowArgs& args);

void binary_row_scalar(const BinaryRowArgs& args);
void binary_row_avx2(const BinaryRowArgs& args);
void binary_row_avx512(const BinaryRowArgs& args);
void binary_row_amx(const BinaryRowArgs& args);

// The AMX weight layout (see above): its size in bytes, and the expansion
// of masks[blocks][kernel * kernel][groups] into it.
size_t amx_weight_bytes(int blocks, int kernel, int groups);
void expand_amx_weights(const uint64_t* masks, int blocks, int kernel, int groups, uint8_t* out);

// The 4 bytes at p as one 32-bit lane (channels 4g..4g+3 of one pixel).
inline int32_t load_group(const int8_t* p) {
  int32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

}  // namespace qc
