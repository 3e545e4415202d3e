#include "eval/anchors.h"

#include <gtest/gtest.h>

#include <cmath>

#include "base/error.h"
#include "metrics/metrics.h"

namespace qc {
namespace {

TEST(Anchors, ParsesTensorflowCompressionTables) {
  TfcTable t = parse_tfc_table(
      "# Aggregate rate-distortion data for \"Toderici 2017 (CVPR)\" on kodak.\n"
      "# The first column contains bits per pixel (bpp) values.\n"
      "#  2. ms_ssim_db = -10 * log10(1 - ms_ssim).\n"
      "\n"
      "0.125000, 0.897640\n"
      "0.250000, 0.949060\n",
      "t.txt");
  EXPECT_EQ(t.label, "Toderici 2017 (CVPR)");
  ASSERT_EQ(t.points.size(), 2u);
  EXPECT_DOUBLE_EQ(t.points[1].bpp, 0.25);
  EXPECT_DOUBLE_EQ(t.points[1].quality, 0.94906);
}

TEST(Anchors, RejectsMalformedTables) {
  EXPECT_THROW(parse_tfc_table("# only comments\n", "t.txt"), Error);
  EXPECT_THROW(parse_tfc_table("0.1 0.9\n", "t.txt"), Error);
  EXPECT_THROW(parse_tfc_table("0.1,\n", "t.txt"), Error);
}

TEST(Anchors, ParsesCompressAiJsonInBothMsSsimForms) {
  PublishedCurve linear = parse_compressai_json(
      R"({"name": "JPEG", "results": {"psnr-rgb": [24, 27], "ms-ssim-rgb": [0.9, 0.99],
          "bpp": [0.2, 0.4]}})",
      "a.json");
  EXPECT_EQ(linear.label, "JPEG");
  ASSERT_EQ(linear.msssim_db.size(), 2u);
  EXPECT_NEAR(linear.msssim_db[0].quality, 10, 1e-9);
  EXPECT_NEAR(linear.msssim_db[1].quality, 20, 1e-9);
  EXPECT_DOUBLE_EQ(linear.psnr[1].quality, 27);

  PublishedCurve db = parse_compressai_json(
      R"({"name": "m", "results": {"bpp": [0.1], "ms-ssim-db-rgb": [12.5]}})", "b.json");
  ASSERT_EQ(db.msssim_db.size(), 1u);
  EXPECT_DOUBLE_EQ(db.msssim_db[0].quality, 12.5);
  EXPECT_TRUE(db.psnr.empty());
}

TEST(Anchors, RejectsMalformedJson) {
  EXPECT_THROW(parse_compressai_json("{", "x.json"), Error);
  EXPECT_THROW(parse_compressai_json(R"({"results": {}})", "x.json"), Error);
  EXPECT_THROW(parse_compressai_json(R"({"results": {"bpp": [1, 2], "psnr-rgb": [3]}})", "x.json"), Error);
  EXPECT_THROW(parse_compressai_json(R"({"results": {"bpp": ["a"]}})", "x.json"), Error);
}

TEST(Anchors, MissingFolderGivesNoCurves) {
  EXPECT_TRUE(load_published_curves("/nonexistent/anchors", "kodak").empty());
}

}  // namespace
}  // namespace qc
