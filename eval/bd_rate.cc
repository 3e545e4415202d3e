#include "eval/bd_rate.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "eval/pchip.h"

namespace qc {
namespace {

bool usable(const RdPoint& p) { return p.bpp > 0 && std::isfinite(p.bpp) && std::isfinite(p.quality); }

// PCHIP through (x, y) pairs sorted by x, equal x merged by averaging y;
// nullopt for fewer than 2 distinct x.
std::optional<Pchip> interpolate(std::vector<std::pair<double, double>> xy) {
  std::sort(xy.begin(), xy.end());
  std::vector<double> x, y;
  size_t i = 0;
  while (i < xy.size()) {
    size_t j = i;
    double sum = 0;
    for (; j < xy.size() && xy[j].first == xy[i].first; ++j) sum += xy[j].second;
    x.push_back(xy[i].first);
    y.push_back(sum / static_cast<double>(j - i));
    i = j;
  }
  if (x.size() < 2) return std::nullopt;
  return Pchip(std::move(x), std::move(y));
}

// log(bpp) as a function of quality.
std::optional<Pchip> log_rate_by_quality(const std::vector<RdPoint>& curve) {
  std::vector<std::pair<double, double>> xy;
  for (const RdPoint& p : curve) {
    if (usable(p)) xy.push_back({p.quality, std::log(p.bpp)});
  }
  return interpolate(std::move(xy));
}

}  // namespace

std::optional<double> bd_rate(const std::vector<RdPoint>& anchor, const std::vector<RdPoint>& test) {
  std::optional<Pchip> a = log_rate_by_quality(anchor), t = log_rate_by_quality(test);
  if (!a || !t) return std::nullopt;
  double lo = std::max(a->x_min(), t->x_min()), hi = std::min(a->x_max(), t->x_max());
  if (!(hi > lo)) return std::nullopt;
  double mean_log_ratio = (t->integral(lo, hi) - a->integral(lo, hi)) / (hi - lo);
  return (std::exp(mean_log_ratio) - 1) * 100;
}

std::optional<double> quality_at_bpp(const std::vector<RdPoint>& curve, double bpp) {
  if (!(bpp > 0)) return std::nullopt;
  std::vector<std::pair<double, double>> xy;
  for (const RdPoint& p : curve) {
    if (usable(p)) xy.push_back({std::log(p.bpp), p.quality});
  }
  std::optional<Pchip> quality = interpolate(std::move(xy));
  double x = std::log(bpp);
  if (!quality || x < quality->x_min() || x > quality->x_max()) return std::nullopt;
  return (*quality)(x);
}

}  // namespace qc
