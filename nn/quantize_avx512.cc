// Activation quantization with AVX-512: quantize_activation()'s operations
// on 16 values at once, in the same order, so the same bytes. GCC vectorizes
// the portable loop only 8 wide, through a long int8 packing sequence.
#include "nn/activation_tensor.h"

#if defined(__x86_64__)
// GCC 12's AVX-512 conversion intrinsics trip -Wmaybe-uninitialized on
// their own _mm512_undefined_* pass-through operands (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

namespace qc {

__attribute__((target("avx512f,avx512bw"))) void quantize_values_avx512(const float* src, int n, float scale,
                                                                        int8_t* dst) {
  const __m512 step = _mm512_set1_ps(scale), low = _mm512_set1_ps(-127.0f), high = _mm512_set1_ps(127.0f);
  const __m512 half = _mm512_set1_ps(0.5f), minus_half = _mm512_set1_ps(-0.5f);
  const __m512i one = _mm512_set1_epi32(1);
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 v = _mm512_div_ps(_mm512_loadu_ps(src + i), step);
    v = _mm512_max_ps(v, low);  // the second operand when v is NaN: -127, as in the scalar clamp
    v = _mm512_min_ps(v, high);
    __m512i q = _mm512_cvttps_epi32(v);
    const __m512 frac = _mm512_sub_ps(v, _mm512_cvtepi32_ps(q));
    q = _mm512_mask_add_epi32(q, _mm512_cmp_ps_mask(frac, half, _CMP_GE_OQ), q, one);
    q = _mm512_mask_sub_epi32(q, _mm512_cmp_ps_mask(frac, minus_half, _CMP_LE_OQ), q, one);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), _mm512_cvtepi32_epi8(q));
  }
  for (; i < n; ++i) dst[i] = quantize_activation(src[i], scale);
}

}  // namespace qc
#endif  // __x86_64__
