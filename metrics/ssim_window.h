// SSIM's constants and window (Wang et al. 2004), shared by every SSIM in the
// project: MS-SSIM (metrics.cc), the per-tile quality the encoder allocates
// with (tile_ssim.cc) and the weights of the training loss (train/loss.cc,
// LibTorch). They differ only in what they measure (RGB planes at 5 scales
// with 'valid' windows, as TF does; luma with edge-replicated windows, so
// every pixel of every tile has a value) -- tests/train checks that the
// LibTorch map and tile_ssim agree.
#pragma once
#include <cmath>
#include <vector>

namespace qc::ssim {

constexpr double kK1 = 0.01;
constexpr double kK2 = 0.03;
constexpr int kRadius = 5;  // an 11x11 window
constexpr double kSigma = 1.5;
// MS-SSIM's weights of its five scales, finest first (Wang et al. 2003).
constexpr int kScales = 5;
constexpr double kScaleWeights[kScales] = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};

// The normalised 1-D Gaussian taps of a window `size` wide (11, or less
// where MS-SSIM's TF convention shrinks it for a small image); the window is
// their outer product.
template <class T>
std::vector<T> gaussian_taps(int size = 2 * kRadius + 1) {
  std::vector<T> taps(size);
  const T centre = static_cast<T>(size - 1) / 2, sigma = static_cast<T>(kSigma);
  T sum = 0;
  for (int i = 0; i < size; ++i) {
    const T d = i - centre;
    taps[i] = std::exp(-d * d / (2 * sigma * sigma));
    sum += taps[i];
  }
  for (T& t : taps) t /= sum;
  return taps;
}

}  // namespace qc::ssim
