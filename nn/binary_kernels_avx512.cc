// AVX-512 VNNI path. The weight mask of 16 rows x 4 channels selects 0/1
// bytes (one masked move), and VPDPBUSD multiplies them with the 4 int8
// activations of one pixel broadcast to every lane: 64 MACs per instruction,
// each activation load shared by MB weight blocks, each weight vector by NT
// pixels.
#include "nn/binary_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define QC_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512vnni")))

namespace qc {
namespace {

template <int NT, int MB>
QC_TARGET_AVX512 void tile(const BinaryRowArgs& a, int p0, int b0) {
  const int taps = a.kernel * a.kernel;
  const size_t block_masks = static_cast<size_t>(taps) * a.groups;
  const __m512i ones = _mm512_set1_epi8(1);
  __m512i acc[MB][NT];
#pragma GCC unroll 16
  for (int b = 0; b < MB; ++b)
#pragma GCC unroll 16
    for (int p = 0; p < NT; ++p) acc[b][p] = _mm512_setzero_si512();
  const int8_t* base = a.in + static_cast<size_t>(p0) * a.pixel_step;
  const uint64_t* masks = a.masks + b0 * block_masks;
  for (int t = 0; t < taps; ++t) {
    const int8_t* x = base + (t / a.kernel) * a.row_stride + (t % a.kernel) * a.groups * 4;
    const uint64_t* m = masks + t * a.groups;
    for (int g = 0; g < a.groups; ++g, x += 4) {
      __m512i w[MB];
#pragma GCC unroll 16
      for (int b = 0; b < MB; ++b) w[b] = _mm512_maskz_mov_epi8(m[b * block_masks + g], ones);
#pragma GCC unroll 16
      for (int p = 0; p < NT; ++p) {
        const __m512i v = _mm512_set1_epi32(load_group(x + static_cast<size_t>(p) * a.pixel_step));
#pragma GCC unroll 16
        for (int b = 0; b < MB; ++b) acc[b][p] = _mm512_dpbusd_epi32(acc[b][p], w[b], v);
      }
    }
  }
  const size_t out_stride = static_cast<size_t>(a.blocks) * 16;
#pragma GCC unroll 16
  for (int p = 0; p < NT; ++p)
#pragma GCC unroll 16
    for (int b = 0; b < MB; ++b)
      _mm512_storeu_si512(a.out + (p0 + p) * out_stride + (b0 + b) * 16, acc[b][p]);
}

template <int NT>
QC_TARGET_AVX512 void pixel_tile(const BinaryRowArgs& a, int p0) {
  int b = 0;
  for (; b + 2 <= a.blocks; b += 2) tile<NT, 2>(a, p0, b);
  if (b < a.blocks) tile<NT, 1>(a, p0, b);
}

}  // namespace

QC_TARGET_AVX512 void binary_row_avx512(const BinaryRowArgs& a) {
  int p = 0;
  for (; p + 12 <= a.pixels; p += 12) pixel_tile<12>(a, p);
  for (; p + 4 <= a.pixels; p += 4) pixel_tile<4>(a, p);
  for (; p < a.pixels; ++p) pixel_tile<1>(a, p);
}

}  // namespace qc
#endif  // __x86_64__
