#include "metrics/tile_ssim.h"

#include <algorithm>

#include "metrics/ssim_window.h"

namespace qc {
namespace {

constexpr int kRadius = ssim::kRadius;
constexpr int kTaps = 2 * kRadius + 1;

const std::vector<float>& taps() {
  static const std::vector<float> t = ssim::gaussian_taps<float>();
  return t;
}

// Padded rows [first, last) of planar x, in [0, 1]: luma (plane -1) or one
// colour plane.
void plane_rows(const std::vector<float>& x, const TileGrid& g, int plane, int first, int last, float* out) {
  const size_t size = static_cast<size_t>(g.padded_width) * g.padded_height;
  const size_t begin = static_cast<size_t>(first) * g.padded_width;
  const size_t end = static_cast<size_t>(last) * g.padded_width;
  if (plane < 0) {
    for (size_t p = begin; p < end; ++p) out[p - begin] = (x[p] + x[p + size] + x[p + 2 * size]) / 3.0f + 0.5f;
  } else {
    const float* src = x.data() + plane * size;
    for (size_t p = begin; p < end; ++p) out[p - begin] = src[p] + 0.5f;
  }
}

// Blurs `rows` rows of `width` along x in place, edges replicated. The taps
// are summed in the same order at every pixel, and the loops over a row
// vectorise (no clamping inside them).
void blur_rows(float* plane, int rows, int width, std::vector<float>& padded) {
  const std::vector<float>& t = taps();
  padded.resize(static_cast<size_t>(width) + 2 * kRadius);
  for (int y = 0; y < rows; ++y) {
    float* row = plane + static_cast<size_t>(y) * width;
    std::fill_n(padded.begin(), kRadius, row[0]);
    std::copy_n(row, width, padded.begin() + kRadius);
    std::fill_n(padded.begin() + kRadius + width, kRadius, row[width - 1]);
    std::fill_n(row, width, 0.0f);
    for (int k = 0; k < kTaps; ++k) {
      const float tap = t[k];
      const float* in = padded.data() + k;
      for (int i = 0; i < width; ++i) row[i] += tap * in[i];
    }
  }
}

// Blurs along y: output rows [from, to) of `rows` input rows, the input's
// first and last rows replicated beyond them.
void blur_columns(const float* in, int rows, int width, int from, int to, float* out) {
  const std::vector<float>& t = taps();
  for (int y = from; y < to; ++y) {
    float* o = out + static_cast<size_t>(y - from) * width;
    std::fill_n(o, width, 0.0f);
    for (int k = 0; k < kTaps; ++k) {
      const float tap = t[k];
      const float* r = in + static_cast<size_t>(std::clamp(y + k - kRadius, 0, rows - 1)) * width;
      for (int i = 0; i < width; ++i) o[i] += tap * r[i];
    }
  }
}

// The Gaussian blur of a whole plane.
std::vector<float> blurred(std::vector<float> plane, int rows, int width) {
  std::vector<float> padded, out(plane.size());
  blur_rows(plane.data(), rows, width, padded);
  blur_columns(plane.data(), rows, width, 0, rows, out.data());
  return out;
}

// out[i] = the mean of a[2i], a[2i + 1], b[2i], b[2i + 1], i < half_width.
void halve_rows(const float* a, const float* b, int half_width, float* out) {
  for (int i = 0; i < half_width; ++i) out[i] = (a[2 * i] + a[2 * i + 1] + b[2 * i] + b[2 * i + 1]) / 4.0f;
}

// One plane of planar x at the second scale (2x2 means), made straight from
// the planar rows so that no full-size plane is made.
std::vector<float> halved_plane(const std::vector<float>& x, const TileGrid& g, int plane) {
  const int w = g.padded_width / 2, h = g.padded_height / 2;
  std::vector<float> out(static_cast<size_t>(w) * h), pair(2 * static_cast<size_t>(g.padded_width));
  for (int y = 0; y < h; ++y) {
    plane_rows(x, g, plane, 2 * y, 2 * y + 2, pair.data());
    halve_rows(pair.data(), pair.data() + g.padded_width, w, out.data() + static_cast<size_t>(y) * w);
  }
  return out;
}

// The 2x2 means of a width x height plane (even sides).
std::vector<float> halved(const std::vector<float>& plane, int width, int height) {
  std::vector<float> out(static_cast<size_t>(width / 2) * (height / 2));
  for (int y = 0; y < height / 2; ++y) {
    const float* top = plane.data() + static_cast<size_t>(2 * y) * width;
    halve_rows(top, top + width, width / 2, out.data() + static_cast<size_t>(y) * (width / 2));
  }
  return out;
}

// SSIM of one pixel from the blurred statistics of a (reference) and b.
inline float ssim_value(float ma, float maa, float mb, float mbb, float mab) {
  const float k1 = static_cast<float>(ssim::kK1), k2 = static_cast<float>(ssim::kK2);
  const float c1 = k1 * k1, c2 = k2 * k2;
  const float va = maa - ma * ma, vb = mbb - mb * mb, cov = mab - ma * mb;
  return ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
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

TileSsim::Reference TileSsim::make_reference(int plane, int scale, int width, int height,
                                             std::vector<float> values) {
  Reference r{plane, scale, width, height, std::move(values), {}, {}};
  std::vector<float> square(r.values.size());
  for (size_t p = 0; p < r.values.size(); ++p) square[p] = r.values[p] * r.values[p];
  r.mean = blurred(r.values, height, width);
  r.square_mean = blurred(std::move(square), height, width);
  return r;
}

TileSsim::TileSsim(const TileGrid& grid, const std::vector<float>& x, TilePlanes planes, int scales)
    : grid_(grid), scales_(std::clamp(scales, 1, ssim::kScales)) {
  const int w = grid.padded_width, h = grid.padded_height;
  for (int plane : planes == TilePlanes::kLuma ? std::vector<int>{-1} : std::vector<int>{0, 1, 2}) {
    std::vector<float> values(static_cast<size_t>(w) * h);
    plane_rows(x, grid, plane, 0, h, values.data());
    references_.push_back(make_reference(plane, 0, w, h, std::move(values)));
    for (int scale = 1; scale < scales_; ++scale) {
      const Reference& finer = scale == 1 ? references_.back() : coarse_.back();
      coarse_.push_back(make_reference(plane, scale, w >> scale, h >> scale,
                                       halved(finer.values, finer.width, finer.height)));
    }
  }
}

std::vector<float> TileSsim::measure(const std::vector<float>& x_hat) const {
  const TileGrid& g = grid_;
  const int w = g.padded_width, h = g.padded_height;
  const int tx = g.tiles_x(), ty = g.tiles_y();
  std::vector<float> out(static_cast<size_t>(tx) * ty, 1.0f);
  // One band of tiles at a time, with kRadius rows of halo each side, so
  // memory stays a few rows of the image however large it is.
  std::vector<float> b, bb, ab, mean_b, mean_bb, mean_ab, padded, value(g.width);
  std::vector<double> sum(tx);
  std::vector<int> pixels(tx);
  for (int band = 0; band < ty; ++band) {
    const int y0 = band * g.tile_pixels, y1 = std::min(g.height, y0 + g.tile_pixels);
    if (y0 >= y1) break;  // the rest is padding
    const int first = std::max(0, y0 - kRadius), last = std::min(h, y1 + kRadius);
    const int rows = last - first;
    const size_t count = static_cast<size_t>(rows) * w, out_count = static_cast<size_t>(y1 - y0) * w;
    b.resize(count);
    bb.resize(count);
    ab.resize(count);
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(pixels.begin(), pixels.end(), 0);
    for (const Reference& r : references_) {
      plane_rows(x_hat, g, r.plane, first, last, b.data());
      const float* a = r.values.data() + static_cast<size_t>(first) * w;
      for (size_t p = 0; p < count; ++p) {
        bb[p] = b[p] * b[p];
        ab[p] = a[p] * b[p];
      }
      for (auto [in, blur] : {std::pair{&b, &mean_b}, {&bb, &mean_bb}, {&ab, &mean_ab}}) {
        blur_rows(in->data(), rows, w, padded);
        blur->resize(out_count);
        // Rows clamp at the band's ends, which are the image's where the halo is cut.
        blur_columns(in->data(), rows, w, y0 - first, y1 - first, blur->data());
      }
      for (int y = y0; y < y1; ++y) {
        const size_t row = static_cast<size_t>(y) * w, band_row = static_cast<size_t>(y - y0) * w;
        for (int i = 0; i < g.width; ++i)
          value[i] = ssim_value(r.mean[row + i], r.square_mean[row + i], mean_b[band_row + i],
                                mean_bb[band_row + i], mean_ab[band_row + i]);
        for (int i = 0; i < g.width; ++i) {
          sum[i / g.tile_pixels] += value[i];
          ++pixels[i / g.tile_pixels];
        }
      }
    }
    for (int t = 0; t < tx; ++t) {
      if (pixels[t]) out[static_cast<size_t>(band) * tx + t] = static_cast<float>(sum[t] / pixels[t]);
    }
  }
  if (!coarse_.empty()) add_coarse_scales(x_hat, out);
  return out;
}

void TileSsim::add_coarse_scales(const std::vector<float>& x_hat, std::vector<float>& quality) const {
  const TileGrid& g = grid_;
  const int tx = g.tiles_x();
  const size_t tiles = quality.size();
  // Per coarse scale and tile: the sum of its pixels' SSIM over the
  // planes, and how many there were.
  std::vector<double> sum((scales_ - 1) * tiles, 0.0);
  std::vector<int> pixels((scales_ - 1) * tiles, 0);
  std::vector<float> b, bb, ab;
  int b_width = 0, b_height = 0;
  for (const Reference& c : coarse_) {
    // coarse_ holds each plane's scales in ascending order, so past scale 1
    // b is the same plane one scale finer.
    b = c.scale == 1 ? halved_plane(x_hat, g, c.plane) : halved(b, b_width, b_height);
    b_width = c.width;
    b_height = c.height;
    bb.resize(b.size());
    ab.resize(b.size());
    for (size_t p = 0; p < b.size(); ++p) {
      bb[p] = b[p] * b[p];
      ab[p] = c.values[p] * b[p];
    }
    const std::vector<float> mean_b = blurred(b, c.height, c.width), mean_bb = blurred(bb, c.height, c.width),
                             mean_ab = blurred(ab, c.height, c.width);
    // The real image's pixels at this scale (a partly real 2x2 mean counts),
    // and the tile side there.
    const int real_w = ((g.width - 1) >> c.scale) + 1, real_h = ((g.height - 1) >> c.scale) + 1;
    const int tile = std::max(1, g.tile_pixels >> c.scale);
    double* scale_sum = sum.data() + (c.scale - 1) * tiles;
    int* scale_pixels = pixels.data() + (c.scale - 1) * tiles;
    for (int y = 0; y < real_h; ++y)
      for (int i = 0; i < real_w; ++i) {
        const size_t p = static_cast<size_t>(y) * c.width + i;
        const size_t t = static_cast<size_t>(y / tile) * tx + i / tile;
        scale_sum[t] += ssim_value(c.mean[p], c.square_mean[p], mean_b[p], mean_bb[p], mean_ab[p]);
        ++scale_pixels[t];
      }
  }
  double total_weight = 0;
  for (int s = 0; s < scales_; ++s) total_weight += ssim::kScaleWeights[s];
  for (size_t t = 0; t < tiles; ++t) {
    double q = ssim::kScaleWeights[0] * quality[t];
    for (int s = 1; s < scales_; ++s) {
      const int n = pixels[(s - 1) * tiles + t];
      q += ssim::kScaleWeights[s] * (n ? sum[(s - 1) * tiles + t] / n : 1.0);
    }
    quality[t] = static_cast<float>(q / total_weight);
  }
}

std::vector<float> tile_ssim(const TileGrid& grid, const std::vector<float>& x,
                             const std::vector<float>& x_hat) {
  return TileSsim(grid, x).measure(x_hat);
}

}  // namespace qc
