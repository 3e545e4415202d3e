#include "metrics/tile_ssim.h"

#include <algorithm>
#include <cmath>

#include "metrics/ssim_window.h"

namespace qc {
namespace {

constexpr int kRadius = ssim::kRadius;

// The five local statistics SSIM needs, for the rows of one band of tiles
// plus a halo of kRadius rows each side (clamped at the image's edges), so
// memory stays a few rows of the image however large it is.
struct BandStats {
  int first_row = 0, rows = 0, width = 0;
  std::vector<float> a, b, aa, bb, ab;  // rows x width, blurred
  float at(const std::vector<float>& plane, int y, int x) const {
    return plane[static_cast<size_t>(y - first_row) * width + x];
  }
};

void blur_band(std::vector<float>& plane, int rows, int width, int valid_from, int valid_to,
               std::vector<float>& tmp) {
  static const std::vector<float> taps = ssim::gaussian_taps<float>();
  tmp.assign(plane.size(), 0.0f);
  for (int y = 0; y < rows; ++y) {
    const float* row = plane.data() + static_cast<size_t>(y) * width;
    for (int x = 0; x < width; ++x) {
      float s = 0;
      for (int k = -kRadius; k <= kRadius; ++k) s += taps[k + kRadius] * row[std::clamp(x + k, 0, width - 1)];
      tmp[static_cast<size_t>(y) * width + x] = s;
    }
  }
  // Vertical pass only where the band's output rows need it.
  for (int y = valid_from; y < valid_to; ++y) {
    for (int x = 0; x < width; ++x) {
      float s = 0;
      for (int k = -kRadius; k <= kRadius; ++k) {
        s += taps[k + kRadius] * tmp[static_cast<size_t>(std::clamp(y + k, 0, rows - 1)) * width + x];
      }
      plane[static_cast<size_t>(y) * width + x] = s;
    }
  }
}

}  // namespace

std::vector<float> tile_pixel_counts(const TileGrid& grid) {
  std::vector<float> weight(static_cast<size_t>(grid.tiles_x()) * grid.tiles_y());
  for (size_t t = 0; t < weight.size(); ++t) {
    const int tx = static_cast<int>(t % grid.tiles_x()), ty = static_cast<int>(t / grid.tiles_x());
    const int w = std::clamp(grid.width - tx * grid.tile_pixels, 0, grid.tile_pixels);
    const int h = std::clamp(grid.height - ty * grid.tile_pixels, 0, grid.tile_pixels);
    weight[t] = static_cast<float>(w) * h;
  }
  return weight;
}

std::vector<float> tile_ssim(const TileGrid& g, const std::vector<float>& x,
                             const std::vector<float>& x_hat) {
  const int w = g.padded_width, h = g.padded_height;
  const size_t n = static_cast<size_t>(w) * h;
  const int tx = g.tiles_x(), ty = g.tiles_y();
  const float k1 = static_cast<float>(ssim::kK1), k2 = static_cast<float>(ssim::kK2);
  const float c1 = k1 * k1, c2 = k2 * k2;
  std::vector<float> out(static_cast<size_t>(tx) * ty, 1.0f);
  BandStats s;
  std::vector<float> tmp;
  for (int band = 0; band < ty; ++band) {
    const int y0 = band * g.tile_pixels, y1 = std::min(g.height, y0 + g.tile_pixels);
    if (y0 >= y1) break;  // the rest is padding
    s.first_row = std::max(0, y0 - kRadius);
    const int last = std::min(h, y1 + kRadius);
    s.rows = last - s.first_row;
    s.width = w;
    const size_t count = static_cast<size_t>(s.rows) * w;
    for (auto* p : {&s.a, &s.b, &s.aa, &s.bb, &s.ab}) p->resize(count);
    for (int y = s.first_row; y < last; ++y) {
      for (int i = 0; i < w; ++i) {
        const size_t p = static_cast<size_t>(y) * w + i, q = static_cast<size_t>(y - s.first_row) * w + i;
        const float a = (x[p] + x[p + n] + x[p + 2 * n]) / 3.0f + 0.5f;
        const float b = (x_hat[p] + x_hat[p + n] + x_hat[p + 2 * n]) / 3.0f + 0.5f;
        s.a[q] = a;
        s.b[q] = b;
        s.aa[q] = a * a;
        s.bb[q] = b * b;
        s.ab[q] = a * b;
      }
    }
    // Rows clamp at the image's edges, as a whole-image blur would.
    for (auto* p : {&s.a, &s.b, &s.aa, &s.bb, &s.ab}) {
      blur_band(*p, s.rows, w, y0 - s.first_row, y1 - s.first_row, tmp);
    }
    std::vector<double> sum(tx, 0.0);
    std::vector<int> pixels(tx, 0);
    for (int y = y0; y < y1; ++y) {
      for (int i = 0; i < g.width; ++i) {
        const float a = s.at(s.a, y, i), b = s.at(s.b, y, i);
        const float va = s.at(s.aa, y, i) - a * a, vb = s.at(s.bb, y, i) - b * b;
        const float cov = s.at(s.ab, y, i) - a * b;
        sum[i / g.tile_pixels] +=
            ((2 * a * b + c1) * (2 * cov + c2)) / ((a * a + b * b + c1) * (va + vb + c2));
        ++pixels[i / g.tile_pixels];
      }
    }
    for (int t = 0; t < tx; ++t) {
      if (pixels[t]) out[static_cast<size_t>(band) * tx + t] = static_cast<float>(sum[t] / pixels[t]);
    }
  }
  return out;
}

}  // namespace qc
