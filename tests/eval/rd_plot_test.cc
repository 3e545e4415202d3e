#include "eval/rd_plot.h"

#include <gtest/gtest.h>

#include <cmath>

namespace qc {
namespace {

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(RdPlot, DrawsEverySeriesInEveryPanelWithOneLegend) {
  std::vector<RdPoint> a = {{0.1, 8}, {0.5, 14}, {1.0, 18}}, b = {{0.2, 9}, {0.9, 15}};
  PlotPanel msssim{"MS-SSIM (dB)",
                   {{"ours", SeriesKind::kOurs, a},
                    {"JPEG <4:2:0> & co", SeriesKind::kBaseline, b},
                    {"Toderici", SeriesKind::kPublished, a}}};
  PlotPanel psnr{"PSNR (dB)",
                 {{"ours", SeriesKind::kOurs, b},
                  {"JPEG <4:2:0> & co", SeriesKind::kBaseline, a},
                  {"Toderici", SeriesKind::kPublished, b}}};
  std::string svg = rd_plot_svg("kodak", {msssim, psnr}, 1.25);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(count(svg, "<polyline"), 6u);
  EXPECT_EQ(count(svg, "<clipPath"), 2u);
  EXPECT_EQ(count(svg, "stroke-dasharray"), 3u);                    // 2 published lines + 1 legend entry
  EXPECT_EQ(count(svg, "JPEG &lt;4:2:0&gt; &amp; co</text>"), 1u);  // escaped, one legend entry
  EXPECT_EQ(svg.find("<4:2:0>"), std::string::npos);
  EXPECT_NE(svg.find("MS-SSIM (dB)"), std::string::npos);
  EXPECT_NE(svg.find("PSNR (dB)"), std::string::npos);
}

TEST(RdPlot, SurvivesEmptyAndInfinitePoints) {
  PlotPanel p{
      "y",
      {{"empty", SeriesKind::kBaseline, {}}, {"lossless", SeriesKind::kOurs, {{0.5, INFINITY}, {0.7, 20}}}}};
  std::string svg = rd_plot_svg("t", {p}, 1.0);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace qc
