#include "codec/tile_quality.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace qc {
namespace {

constexpr int kRadius = 5;

std::array<float, 2 * kRadius + 1> gaussian_taps() {
  std::array<float, 2 * kRadius + 1> taps;
  float sum = 0;
  for (int i = -kRadius; i <= kRadius; ++i) {
    taps[i + kRadius] = std::exp(-(i * i) / (2 * 1.5f * 1.5f));
    sum += taps[i + kRadius];
  }
  for (float& t : taps) t /= sum;
  return taps;
}

// Separable Gaussian blur with clamped borders, in place.
void blur(std::vector<float>& plane, int width, int height, std::vector<float>& tmp) {
  static const auto taps = gaussian_taps();
  tmp.resize(plane.size());
  for (int y = 0; y < height; ++y) {
    const float* row = plane.data() + static_cast<size_t>(y) * width;
    for (int x = 0; x < width; ++x) {
      float s = 0;
      for (int k = -kRadius; k <= kRadius; ++k) s += taps[k + kRadius] * row[std::clamp(x + k, 0, width - 1)];
      tmp[static_cast<size_t>(y) * width + x] = s;
    }
  }
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      float s = 0;
      for (int k = -kRadius; k <= kRadius; ++k) {
        s += taps[k + kRadius] * tmp[static_cast<size_t>(std::clamp(y + k, 0, height - 1)) * width + x];
      }
      plane[static_cast<size_t>(y) * width + x] = s;
    }
  }
}

}  // namespace

std::vector<float> tile_ssim(const TileGrid& g, const std::vector<float>& x,
                             const std::vector<float>& x_hat) {
  const int w = g.padded_width, h = g.padded_height;
  const size_t n = static_cast<size_t>(w) * h;
  std::vector<float> a(n), b(n);
  for (size_t i = 0; i < n; ++i) {
    a[i] = (x[i] + x[i + n] + x[i + 2 * n]) / 3.0f + 0.5f;
    b[i] = (x_hat[i] + x_hat[i + n] + x_hat[i + 2 * n]) / 3.0f + 0.5f;
  }
  std::vector<float> aa(n), bb(n), ab(n), tmp;
  for (size_t i = 0; i < n; ++i) {
    aa[i] = a[i] * a[i];
    bb[i] = b[i] * b[i];
    ab[i] = a[i] * b[i];
  }
  for (auto* p : {&a, &b, &aa, &bb, &ab}) blur(*p, w, h, tmp);

  const float c1 = 0.01f * 0.01f, c2 = 0.03f * 0.03f;
  const int tx = g.tiles_x(), ty = g.tiles_y();
  std::vector<double> sum(static_cast<size_t>(tx) * ty, 0.0);
  std::vector<int> count(sum.size(), 0);
  for (int y = 0; y < g.height; ++y) {
    for (int x = 0; x < g.width; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      const float va = aa[i] - a[i] * a[i], vb = bb[i] - b[i] * b[i], cov = ab[i] - a[i] * b[i];
      const float ssim = ((2 * a[i] * b[i] + c1) * (2 * cov + c2)) /
                         ((a[i] * a[i] + b[i] * b[i] + c1) * (va + vb + c2));
      const size_t t = static_cast<size_t>(y / g.tile_pixels) * tx + x / g.tile_pixels;
      sum[t] += ssim;
      ++count[t];
    }
  }
  std::vector<float> out(sum.size());
  for (size_t t = 0; t < out.size(); ++t) out[t] = count[t] ? static_cast<float>(sum[t] / count[t]) : 1.0f;
  return out;
}

}  // namespace qc
