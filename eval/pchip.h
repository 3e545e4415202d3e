// Piecewise cubic Hermite interpolation with monotonicity-preserving slopes
// (Fritsch & Carlson 1980; the same slopes as scipy's PchipInterpolator), and
// its exact integral. Used for BD-rates and for reading curves at given rates.
#pragma once
#include <cstddef>
#include <vector>

namespace qc {

class Pchip {
 public:
  // x strictly increasing, at least 2 points, all finite; else qc::Error.
  Pchip(std::vector<double> x, std::vector<double> y);

  double x_min() const { return x_.front(); }
  double x_max() const { return x_.back(); }
  // x in [x_min, x_max]; else qc::Error (no extrapolation).
  double operator()(double x) const;
  // Integral over [a, b], both in [x_min, x_max], a <= b.
  double integral(double a, double b) const;

 private:
  size_t piece(double x) const;
  // Integral from x_[k] to x over piece k.
  double piece_integral(size_t k, double x) const;

  std::vector<double> x_, y_, slope_;
};

}  // namespace qc
