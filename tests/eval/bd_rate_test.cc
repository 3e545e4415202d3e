#include "eval/bd_rate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "base/error.h"
#include "eval/pchip.h"

namespace qc {
namespace {

TEST(Pchip, HandComputedValues) {
  // x = 0,1,2; y = 0,1,4. Secants 1 and 3; interior slope = harmonic mean with
  // weights 3,3 -> 1.5; left end slope ((2+1)*1 - 3)/2 = 0; right end
  // ((2+1)*3 - 1)/2 = 4.
  Pchip p({0, 1, 2}, {0, 1, 4});
  EXPECT_DOUBLE_EQ(p(0.5), 0.5 * 1 - 0.125 * 1.5);                        // 0.3125
  EXPECT_DOUBLE_EQ(p(1.5), 0.5 * 1 + 0.125 * 1.5 + 0.5 * 4 - 0.125 * 4);  // 2.1875
  EXPECT_DOUBLE_EQ(p(0), 0);
  EXPECT_DOUBLE_EQ(p(1), 1);
  EXPECT_DOUBLE_EQ(p(2), 4);
}

TEST(Pchip, ReproducesLinesAndIntegratesThemExactly) {
  Pchip p({-1, 0.5, 2, 7}, {-3, 1.5, 6, 21});  // y = 3x
  for (double x : {-1.0, -0.3, 0.9, 4.2, 7.0}) EXPECT_NEAR(p(x), 3 * x, 1e-12);
  EXPECT_NEAR(p.integral(-1, 7), 1.5 * (49 - 1), 1e-10);
  EXPECT_NEAR(p.integral(0.1, 5), 1.5 * (25 - 0.01), 1e-10);
  EXPECT_NEAR(p.integral(3, 3), 0, 1e-15);
}

TEST(Pchip, StaysMonotoneWithoutOvershoot) {
  Pchip p({0, 1, 2, 3, 4, 5}, {0, 0.1, 0.2, 5, 5.1, 5.2});
  double previous = -1;
  for (int i = 0; i <= 500; ++i) {
    double v = p(i / 100.0);
    EXPECT_GE(v, previous);
    EXPECT_GE(v, 0);
    EXPECT_LE(v, 5.2);
    previous = v;
  }
  // At a local maximum the slope is 0, so the curve never rises above it.
  Pchip peak({0, 1, 2}, {0, 1, 0});
  for (int i = 0; i <= 200; ++i) EXPECT_LE(peak(i / 100.0), 1.0);
}

TEST(Pchip, IntegralMatchesSimpsonOnACurvedFunction) {
  std::vector<double> x, y;
  for (double v = 0; v <= 3.0001; v += 0.37) {
    x.push_back(v);
    y.push_back(std::sin(v) + v * v);
  }
  Pchip p(x, y);
  double a = 0.2, b = 2.9;
  const int n = 20000;
  double h = (b - a) / n, simpson = p(a) + p(b);
  for (int i = 1; i < n; ++i) simpson += (i % 2 ? 4 : 2) * p(a + i * h);
  simpson *= h / 3;
  EXPECT_NEAR(p.integral(a, b), simpson, 1e-9);
}

TEST(Pchip, RejectsBadInput) {
  EXPECT_THROW(Pchip({1}, {1}), Error);
  EXPECT_THROW(Pchip({0, 0}, {1, 2}), Error);
  EXPECT_THROW(Pchip({1, 0}, {1, 2}), Error);
  EXPECT_THROW(Pchip({0, 1}, {1, NAN}), Error);
  Pchip p({0, 1}, {0, 1});
  EXPECT_THROW(p(1.5), Error);
  EXPECT_THROW(p.integral(0.5, 0.2), Error);
}

std::vector<RdPoint> curve(double rate_factor, double q_from = 30, double q_to = 40) {
  std::vector<RdPoint> out;
  for (double q = q_from; q <= q_to + 1e-9; q += 2) {
    // A realistic shape: quality grows with the log of the rate, unevenly.
    out.push_back({rate_factor * std::exp((q - 30) / 4 + 0.02 * (q - 30) * (q - 30)), q});
  }
  return out;
}

TEST(BdRate, IdenticalCurvesGiveZero) { EXPECT_NEAR(*bd_rate(curve(1), curve(1)), 0, 1e-12); }

TEST(BdRate, HalfTheRateAtEqualQualityIsMinusFiftyPercent) {
  EXPECT_NEAR(*bd_rate(curve(1), curve(0.5)), -50, 1e-9);
  EXPECT_NEAR(*bd_rate(curve(0.5), curve(1)), 100, 1e-9);
}

TEST(BdRate, UsesOnlyTheOverlappingQualityRange) {
  // Log-rate linear in quality, so both interpolants are exact wherever their
  // nodes fall.
  auto line = [](double factor, double from, double to) {
    std::vector<RdPoint> out;
    for (double q = from; q <= to + 1e-9; q += 1.5) out.push_back({factor * std::exp(q / 5), q});
    return out;
  };
  EXPECT_NEAR(*bd_rate(line(1, 26, 40), line(0.8, 32, 46)), -20, 1e-9);
  EXPECT_NEAR(*bd_rate(line(1, 26, 34), line(0.8, 30, 46)), -20, 1e-9);
}

TEST(BdRate, VaryingGapAveragesLogRate) {
  // log-rates linear in quality (PCHIP is exact); the gap 0.01 (q - 30)
  // averages 0.05 over [30, 40], so BD-rate = exp(0.05) - 1.
  std::vector<RdPoint> anchor, test;
  for (double q = 30; q <= 40; q += 2.5) {
    anchor.push_back({std::exp(q / 10), q});
    test.push_back({std::exp(q / 10 + 0.01 * (q - 30)), q});
  }
  EXPECT_NEAR(*bd_rate(anchor, test), (std::exp(0.05) - 1) * 100, 1e-9);
}

TEST(BdRate, UndefinedWithoutOverlapOrPoints) {
  EXPECT_FALSE(bd_rate(curve(1, 20, 28), curve(1, 30, 40)).has_value());
  EXPECT_FALSE(bd_rate(curve(1), {{0.5, 35}}).has_value());
  EXPECT_FALSE(bd_rate({}, curve(1)).has_value());
}

TEST(BdRate, DropsInfiniteQualityAndZeroRate) {
  std::vector<RdPoint> test = curve(0.5);
  test.push_back({8.0, std::numeric_limits<double>::infinity()});  // a lossless point
  test.push_back({0.0, 10});
  EXPECT_NEAR(*bd_rate(curve(1), test), -50, 1e-9);
}

TEST(QualityAtBpp, InterpolatesInLogRateWithoutExtrapolating) {
  std::vector<RdPoint> c;
  for (double bpp : {0.1, 0.2, 0.4, 0.8, 1.6}) c.push_back({bpp, 30 + 3 * std::log2(bpp / 0.1)});
  EXPECT_NEAR(*quality_at_bpp(c, 0.25), 30 + 3 * std::log2(2.5), 1e-9);
  EXPECT_NEAR(*quality_at_bpp(c, 0.1), 30, 1e-12);
  EXPECT_NEAR(*quality_at_bpp(c, 1.6), 42, 1e-12);
  EXPECT_FALSE(quality_at_bpp(c, 0.05).has_value());
  EXPECT_FALSE(quality_at_bpp(c, 2.0).has_value());
  EXPECT_FALSE(quality_at_bpp({{0.5, 30}}, 0.5).has_value());
}

}  // namespace
}  // namespace qc
