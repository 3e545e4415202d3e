// Bjøntegaard-delta rate, and reading a rate-distortion curve at given rates.
#pragma once
#include <optional>
#include <vector>

namespace qc {

struct RdPoint {
  double bpp;
  double quality;  // any "higher is better" measure: PSNR, MS-SSIM dB, ...
};

// Average rate difference of `test` against `anchor` at equal quality, in
// percent (negative: `test` needs fewer bits). Log-rate is interpolated as a
// function of quality with PCHIP on each curve and integrated exactly over the
// quality range both curves cover. Points with a non-finite quality or a
// non-positive rate are dropped; points of equal quality are merged (their
// log-rates averaged). nullopt when either curve keeps fewer than 2 points or
// the quality ranges do not overlap.
std::optional<double> bd_rate(const std::vector<RdPoint>& anchor, const std::vector<RdPoint>& test);

// The curve's quality at `bpp`, by PCHIP over log(bpp); nullopt when `bpp`
// lies outside the curve's rates (no extrapolation) or the curve keeps fewer
// than 2 usable points (same rules as above, merging equal rates).
std::optional<double> quality_at_bpp(const std::vector<RdPoint>& curve, double bpp);

}  // namespace qc
