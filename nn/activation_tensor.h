// Activations as the conv kernels read them: NHWC, channels padded with zeros
// to a multiple of 4, and a zero border of `border` pixels on every side
// (the convs' "same" zero padding). Border and padding channels are written
// once, at reset(), and never again.
// T = int8_t: quantized activations q = clamp(round(x / scale), -127, 127);
// T = float: the float reference mode, values stored as they are.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "nn/cache_line_vector.h"

namespace qc {

// Round half away from zero after clamping to [-127, 127] (NaN -> -127).
// Exact without libm: v - trunc(v) is exact for |v| <= 127. Branch-free so
// that loops over it vectorize.
inline int8_t quantize_activation(float x, float scale) {
  float v = x / scale;
  v = v > -127.0f ? v : -127.0f;
  v = v < 127.0f ? v : 127.0f;
  const int i = static_cast<int>(v);
  const float frac = v - static_cast<float>(i);
  return static_cast<int8_t>(i + (frac >= 0.5f) - (frac <= -0.5f));
}

// dst[i] = quantize_activation(src[i], scale) for i < n, on the kernel path
// in use (cpu_dispatch.h): the portable loop (vector clones) or AVX-512's,
// which gives the same bytes in a third of the time.
void quantize_values(const float* src, int n, float scale, int8_t* dst);
using QuantizeKernel = void (*)(const float* src, int n, float scale, int8_t* dst);
void quantize_values_portable(const float* src, int n, float scale, int8_t* dst);
void quantize_values_avx512(const float* src, int n, float scale, int8_t* dst);
// sums[p] = sum of q[p * channels + c] over c < channels.
void sum_pixels(const int8_t* q, int pixels, int channels, int32_t* sums);

template <class T>
struct PaddedTensor {
  int height = 0, width = 0, channels = 0, padded_channels = 0, border = 0;
  CacheLineVector<T> data;
  // Only int8: per stored pixel, the sum of its channels (0 on the border).
  std::vector<int32_t> pixel_sums;

  // Sets the shape without allocating.
  void shape(int h, int w, int c, int b) {
    height = h;
    width = w;
    channels = c;
    padded_channels = (c + 3) / 4 * 4;
    border = b;
  }
  // Zero bytes after the last pixel of an int8 tensor: the AMX kernel reads
  // up to 63 bytes past a kernel row (into bytes its weights ignore).
  static constexpr size_t kReadSlack = sizeof(T) == 1 ? 64 : 0;

  // (Re)allocates, all zeros. The runtime allocates a tensor just before it
  // is filled and releases it once consumed, so that only a few are alive at
  // once on large images.
  void allocate() {
    const size_t pixels = static_cast<size_t>(height + 2 * border) * (width + 2 * border);
    data.assign(pixels * padded_channels + kReadSlack, T{});
    pixel_sums.assign(sizeof(T) == 1 ? pixels : 0, 0);
  }
  void release() {
    CacheLineVector<T>().swap(data);
    std::vector<int32_t>().swap(pixel_sums);
  }
  void reset(int h, int w, int c, int b) {
    shape(h, w, c, b);
    allocate();
  }
  size_t bytes() const { return data.size() * sizeof(T) + pixel_sums.size() * sizeof(int32_t); }
  size_t pixel_index(int y, int x) const {
    return static_cast<size_t>(y + border) * (width + 2 * border) + (x + border);
  }
  size_t row_stride() const { return static_cast<size_t>(width + 2 * border) * padded_channels; }
  T* at(int y, int x) { return data.data() + pixel_index(y, x) * padded_channels; }
  const T* at(int y, int x) const { return data.data() + pixel_index(y, x) * padded_channels; }

  // int8 only: stores pixel (y, x) from quantized values q[0], q[step], ...
  void store_quantized(int y, int x, const int8_t* q, int step) {
    T* dst = at(y, x);
    int32_t sum = 0;
    for (int c = 0; c < channels; ++c) {
      dst[c] = q[c * step];
      sum += dst[c];
    }
    pixel_sums[pixel_index(y, x)] = sum;
  }

  // Stores row y from width x channels contiguous floats.
  void store_row(int y, const float* src, float scale) { store_span(y, 0, width, src, scale); }

  // Stores pixels [begin, end) of row y from (end - begin) x channels
  // contiguous floats.
  void store_span(int y, int begin, int end, const float* src, float scale) {
    if constexpr (sizeof(T) == 1) {
      if (channels == padded_channels) {  // one long vectorized run
        quantize_values(src, (end - begin) * channels, scale, at(y, begin));
        sum_pixels(at(y, begin), end - begin, channels, &pixel_sums[pixel_index(y, begin)]);
        return;
      }
    }
    for (int x = begin; x < end; ++x) store(y, x, src + static_cast<size_t>(x - begin) * channels, 1, scale);
  }

  // Stores pixel (y, x) from channels src[0], src[step], ... (step > 1 reads
  // through a depth-to-space view).
  void store(int y, int x, const float* src, int step, float scale) {
    T* dst = at(y, x);
    if constexpr (sizeof(T) == 1) {
      int32_t sum = 0;
      for (int c = 0; c < channels; ++c) {
        dst[c] = quantize_activation(src[c * step], scale);
        sum += dst[c];
      }
      pixel_sums[pixel_index(y, x)] = sum;
    } else {
      (void)scale;
      for (int c = 0; c < channels; ++c) dst[c] = src[c * step];
    }
  }
};

using QuantizedTensor = PaddedTensor<int8_t>;
using FloatTensor = PaddedTensor<float>;

}  // namespace qc
