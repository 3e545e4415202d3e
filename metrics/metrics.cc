#include "metrics/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "base/error.h"
#include "metrics/ssim_window.h"

namespace qc {
namespace {

constexpr double kDataRange = 255.0;
constexpr int kWindowSize = 2 * ssim::kRadius + 1;
using ssim::kScaleWeights;

// One channel as doubles, so every later sum is exact enough for 1 - msssim.
struct Plane {
  int width = 0;
  int height = 0;
  std::vector<double> v;
  Plane(int w, int h) : width(w), height(h), v(static_cast<size_t>(w) * h) {}
  double& at(int x, int y) { return v[static_cast<size_t>(y) * width + x]; }
  double at(int x, int y) const { return v[static_cast<size_t>(y) * width + x]; }
};

int colour_channels(const Image& image) { return image.channels >= 3 ? 3 : 1; }

void check_comparable(const Image& a, const Image& b, const char* metric) {
  std::string name = metric;
  if (a.width <= 0 || a.height <= 0 || a.channels <= 0 || b.width <= 0 || b.height <= 0 || b.channels <= 0) {
    throw Error(name + ": empty image");
  }
  if (a.width != b.width || a.height != b.height || a.channels != b.channels) {
    throw Error(name + ": images differ in shape (" + std::to_string(a.width) + "x" +
                std::to_string(a.height) + "x" + std::to_string(a.channels) + " vs " +
                std::to_string(b.width) + "x" + std::to_string(b.height) + "x" + std::to_string(b.channels) +
                ")");
  }
  size_t expected = static_cast<size_t>(a.width) * a.height * a.channels;
  if (a.pixels.size() != expected || b.pixels.size() != expected) {
    throw Error(name + ": pixel buffer does not match the image size");
  }
}

Plane extract_plane(const Image& image, int channel) {
  Plane p(image.width, image.height);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) p.at(x, y) = image.at(x, y, channel);
  }
  return p;
}

// Separable 'valid' filtering: the output shrinks by window size - 1 per axis.
Plane filter_valid(const Plane& in, const std::vector<double>& window) {
  int n = static_cast<int>(window.size());
  Plane rows(in.width - n + 1, in.height);
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < rows.width; ++x) {
      double s = 0;
      for (int k = 0; k < n; ++k) s += window[k] * in.at(x + k, y);
      rows.at(x, y) = s;
    }
  }
  Plane out(rows.width, in.height - n + 1);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      double s = 0;
      for (int k = 0; k < n; ++k) s += window[k] * rows.at(x, y + k);
      out.at(x, y) = s;
    }
  }
  return out;
}

Plane multiply(const Plane& a, const Plane& b) {
  Plane out(a.width, a.height);
  for (size_t i = 0; i < out.v.size(); ++i) out.v[i] = a.v[i] * b.v[i];
  return out;
}

struct SsimTerms {
  double ssim;  // mean of luminance x contrast-structure
  double cs;    // mean of contrast-structure alone
};

SsimTerms ssim_terms(const Plane& x, const Plane& y, const std::vector<double>& window) {
  const double c1 = (ssim::kK1 * kDataRange) * (ssim::kK1 * kDataRange);
  const double c2 = (ssim::kK2 * kDataRange) * (ssim::kK2 * kDataRange);
  Plane mu_x = filter_valid(x, window), mu_y = filter_valid(y, window);
  Plane xx = filter_valid(multiply(x, x), window);
  Plane yy = filter_valid(multiply(y, y), window);
  Plane xy = filter_valid(multiply(x, y), window);
  double ssim_sum = 0, cs_sum = 0;
  for (size_t i = 0; i < mu_x.v.size(); ++i) {
    double mx = mu_x.v[i], my = mu_y.v[i];
    double var_x = xx.v[i] - mx * mx, var_y = yy.v[i] - my * my, cov = xy.v[i] - mx * my;
    double cs = (2 * cov + c2) / (var_x + var_y + c2);
    double luminance = (2 * mx * my + c1) / (mx * mx + my * my + c1);
    cs_sum += cs;
    ssim_sum += luminance * cs;
  }
  double n = static_cast<double>(mu_x.v.size());
  return {ssim_sum / n, cs_sum / n};
}

// 2x2 average pooling to ceil(n/2) per side. An odd side: TF extends it by
// its last row/column; pytorch_msssim's avg_pool2d(padding=1) puts a zero
// row/column on each side (counted in the mean), so its pairs start one
// earlier, with the first against the zero.
Plane downsample(const Plane& in, MsssimConvention convention) {
  Plane out((in.width + 1) / 2, (in.height + 1) / 2);
  const bool pytorch = convention == MsssimConvention::kPytorch;
  const int shift_y = pytorch && in.height % 2 ? 1 : 0, shift_x = pytorch && in.width % 2 ? 1 : 0;
  auto sample = [&](int x, int y) {
    if (pytorch) return x < 0 || y < 0 ? 0.0 : in.at(x, y);
    return in.at(std::min(x, in.width - 1), std::min(y, in.height - 1));
  };
  for (int y = 0; y < out.height; ++y) {
    const int y0 = 2 * y - shift_y;
    for (int x = 0; x < out.width; ++x) {
      const int x0 = 2 * x - shift_x;
      out.at(x, y) =
          0.25 * (sample(x0, y0) + sample(x0 + 1, y0) + sample(x0, y0 + 1) + sample(x0 + 1, y0 + 1));
    }
  }
  return out;
}

double ms_ssim_plane(Plane x, Plane y, int scales, MsssimConvention convention) {
  int shorter = std::min(x.width, x.height);
  int window_size = std::min(kWindowSize, shorter % 2 == 1 ? shorter : shorter - 1);
  std::vector<double> window = ssim::gaussian_taps<double>(window_size);
  double weight_sum = 0;
  for (int s = 0; s < scales; ++s) weight_sum += kScaleWeights[s];
  double result = 1;
  for (int s = 0; s < scales; ++s) {
    SsimTerms t = ssim_terms(x, y, window);
    bool last = s == scales - 1;
    double term = std::max(0.0, last ? t.ssim : t.cs);
    result *= std::pow(term, kScaleWeights[s] / weight_sum);
    if (!last) {
      x = downsample(x, convention);
      y = downsample(y, convention);
    }
  }
  return result;
}

}  // namespace

int ms_ssim_scales(int width, int height) {
  int shorter = std::min(width, height);
  int scales = 1;
  while (scales < ssim::kScales) {
    shorter = (shorter + 1) / 2;
    if (shorter < kWindowSize) break;
    ++scales;
  }
  return scales;
}

double ms_ssim(const Image& reference, const Image& test, MsssimConvention convention) {
  check_comparable(reference, test, "ms-ssim");
  int scales = ms_ssim_scales(reference.width, reference.height);
  int channels = colour_channels(reference);
  double sum = 0;
  for (int c = 0; c < channels; ++c) {
    sum += ms_ssim_plane(extract_plane(reference, c), extract_plane(test, c), scales, convention);
  }
  return sum / channels;
}

const char* convention_name(MsssimConvention convention) {
  return convention == MsssimConvention::kPytorch ? "pytorch" : "tf";
}

double msssim_db(double msssim) {
  if (msssim >= 1) return std::numeric_limits<double>::infinity();
  return -10 * std::log10(1 - msssim);
}

double psnr(const Image& reference, const Image& test) {
  check_comparable(reference, test, "psnr");
  int channels = colour_channels(reference);
  double squared_error = 0;
  for (int y = 0; y < reference.height; ++y) {
    for (int x = 0; x < reference.width; ++x) {
      for (int c = 0; c < channels; ++c) {
        double d = double(reference.at(x, y, c)) - double(test.at(x, y, c));
        squared_error += d * d;
      }
    }
  }
  if (squared_error == 0) return std::numeric_limits<double>::infinity();
  double mse = squared_error / (static_cast<double>(reference.width) * reference.height * channels);
  return 10 * std::log10(kDataRange * kDataRange / mse);
}

}  // namespace qc
