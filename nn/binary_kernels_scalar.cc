// Portable reference path of the binary row kernel.
#include "nn/binary_kernels.h"

namespace qc {

void binary_row_scalar(const BinaryRowArgs& a) {
  const int taps = a.kernel * a.kernel;
  for (int p = 0; p < a.pixels; ++p) {
    const int8_t* pixel = a.in + static_cast<size_t>(p) * a.pixel_step;
    for (int b = 0; b < a.blocks; ++b) {
      int32_t acc[16] = {};
      const uint64_t* masks = a.masks + static_cast<size_t>(b) * taps * a.groups;
      for (int t = 0; t < taps; ++t) {
        const int8_t* x = pixel + (t / a.kernel) * a.row_stride + (t % a.kernel) * a.groups * 4;
        for (int g = 0; g < a.groups; ++g) {
          uint64_t m = masks[t * a.groups + g];
          for (; m != 0; m &= m - 1) {
            int bit = __builtin_ctzll(m);
            acc[bit / 4] += x[g * 4 + bit % 4];
          }
        }
      }
      int32_t* out = a.out + static_cast<size_t>(p) * a.blocks * 16 + b * 16;
      for (int r = 0; r < 16; ++r) out[r] = acc[r];
    }
  }
}

}  // namespace qc
