#include "eval/pchip.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "base/error.h"

namespace qc {
namespace {

bool same_sign(double a, double b) { return (a > 0 && b > 0) || (a < 0 && b < 0); }

// One-sided three-point slope at an end, limited to keep the curve monotone
// (scipy's _edge_case).
double end_slope(double h0, double h1, double d0, double d1) {
  double m = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1);
  if (!same_sign(m, d0)) return 0;
  if (!same_sign(d0, d1) && std::fabs(m) > 3 * std::fabs(d0)) return 3 * d0;
  return m;
}

}  // namespace

Pchip::Pchip(std::vector<double> x, std::vector<double> y) : x_(std::move(x)), y_(std::move(y)) {
  const size_t n = x_.size();
  if (n < 2 || y_.size() != n) throw Error("pchip: need at least 2 points with matching x and y");
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x_[i]) || !std::isfinite(y_[i])) throw Error("pchip: non-finite point");
    if (i > 0 && !(x_[i] > x_[i - 1])) throw Error("pchip: x must be strictly increasing");
  }
  std::vector<double> h(n - 1), d(n - 1);
  for (size_t i = 0; i + 1 < n; ++i) {
    h[i] = x_[i + 1] - x_[i];
    d[i] = (y_[i + 1] - y_[i]) / h[i];
  }
  slope_.assign(n, 0);
  if (n == 2) {
    slope_[0] = slope_[1] = d[0];
    return;
  }
  for (size_t k = 1; k + 1 < n; ++k) {
    if (!same_sign(d[k - 1], d[k])) continue;  // local extremum or flat: slope 0
    // Weighted harmonic mean of the neighbouring secants.
    double w1 = 2 * h[k] + h[k - 1], w2 = h[k] + 2 * h[k - 1];
    slope_[k] = (w1 + w2) / (w1 / d[k - 1] + w2 / d[k]);
  }
  slope_[0] = end_slope(h[0], h[1], d[0], d[1]);
  slope_[n - 1] = end_slope(h[n - 2], h[n - 3], d[n - 2], d[n - 3]);
}

size_t Pchip::piece(double x) const {
  if (!(x >= x_.front() && x <= x_.back())) {
    throw Error("pchip: " + std::to_string(x) + " is outside [" + std::to_string(x_.front()) + ", " +
                std::to_string(x_.back()) + "]");
  }
  size_t k = static_cast<size_t>(std::upper_bound(x_.begin(), x_.end(), x) - x_.begin());
  return std::min(k == 0 ? 0 : k - 1, x_.size() - 2);
}

double Pchip::operator()(double x) const {
  size_t k = piece(x);
  double h = x_[k + 1] - x_[k], t = (x - x_[k]) / h;
  double t2 = t * t, t3 = t2 * t;
  return (2 * t3 - 3 * t2 + 1) * y_[k] + (t3 - 2 * t2 + t) * h * slope_[k] + (-2 * t3 + 3 * t2) * y_[k + 1] +
         (t3 - t2) * h * slope_[k + 1];
}

double Pchip::piece_integral(size_t k, double x) const {
  double h = x_[k + 1] - x_[k], t = (x - x_[k]) / h;
  double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
  // Antiderivatives of the four Hermite basis functions, in t.
  return h * ((t - t3 + t4 / 2) * y_[k] + (t2 / 2 - 2 * t3 / 3 + t4 / 4) * h * slope_[k] +
              (t3 - t4 / 2) * y_[k + 1] + (t4 / 4 - t3 / 3) * h * slope_[k + 1]);
}

double Pchip::integral(double a, double b) const {
  if (a > b) throw Error("pchip: integral bounds out of order");
  size_t ka = piece(a), kb = piece(b);
  double total = -piece_integral(ka, a);
  for (size_t k = ka; k < kb; ++k) total += piece_integral(k, x_[k + 1]);
  return total + piece_integral(kb, b);
}

}  // namespace qc
