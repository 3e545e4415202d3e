// AVX2 path: each 32-bit half of a weight mask expands to 32 bytes of 0/1;
// VPMADDUBSW + VPMADDWD against the broadcast activations give the same
// 4-channel sums as VPDPBUSD (pair sums are at most 2 * 127, no saturation).
#include "nn/binary_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define QC_TARGET_AVX2 __attribute__((target("avx2")))

namespace qc {
namespace {

QC_TARGET_AVX2 inline __m256i expand_bits(uint32_t m) {
  const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,  //
                                          2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
  const __m256i bit = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ULL));
  __m256i v = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(m)), spread);
  return _mm256_min_epu8(_mm256_and_si256(v, bit), _mm256_set1_epi8(1));
}

template <int NT>
QC_TARGET_AVX2 void tile(const BinaryRowArgs& a, int p0, int b0) {
  const int taps = a.kernel * a.kernel;
  const __m256i ones16 = _mm256_set1_epi16(1);
  __m256i acc[2][NT];
#pragma GCC unroll 16
  for (int p = 0; p < NT; ++p) acc[0][p] = acc[1][p] = _mm256_setzero_si256();
  const int8_t* base = a.in + static_cast<size_t>(p0) * a.pixel_step;
  const uint64_t* masks = a.masks + static_cast<size_t>(b0) * taps * a.groups;
  for (int t = 0; t < taps; ++t) {
    const int8_t* x = base + (t / a.kernel) * a.row_stride + (t % a.kernel) * a.groups * 4;
    const uint64_t* m = masks + t * a.groups;
    for (int g = 0; g < a.groups; ++g, x += 4) {
      const __m256i w[2] = {expand_bits(static_cast<uint32_t>(m[g])),
                            expand_bits(static_cast<uint32_t>(m[g] >> 32))};
#pragma GCC unroll 16
      for (int p = 0; p < NT; ++p) {
        const __m256i v = _mm256_set1_epi32(load_group(x + static_cast<size_t>(p) * a.pixel_step));
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h)
          acc[h][p] = _mm256_add_epi32(acc[h][p], _mm256_madd_epi16(_mm256_maddubs_epi16(w[h], v), ones16));
      }
    }
  }
  const size_t out_stride = static_cast<size_t>(a.blocks) * 16;
#pragma GCC unroll 16
  for (int p = 0; p < NT; ++p)
#pragma GCC unroll 2
    for (int h = 0; h < 2; ++h)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a.out + (p0 + p) * out_stride + b0 * 16 + h * 8),
                          acc[h][p]);
}

}  // namespace

QC_TARGET_AVX2 void binary_row_avx2(const BinaryRowArgs& a) {
  for (int b = 0; b < a.blocks; ++b) {
    int p = 0;
    for (; p + 5 <= a.pixels; p += 5) tile<5>(a, p, b);
    for (; p < a.pixels; ++p) tile<1>(a, p, b);
  }
}

}  // namespace qc
#endif  // __x86_64__
