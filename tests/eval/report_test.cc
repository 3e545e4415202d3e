#include "eval/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "base/error.h"
#include "eval/curve.h"
#include "metrics/metrics.h"

namespace qc {
namespace {

// A codec with a fixed sweep; never asked to code anything here.
class FakeSweep : public CodecAdapter {
 public:
  FakeSweep(std::string name, std::vector<double> settings)
      : name_(std::move(name)), settings_(std::move(settings)) {}
  std::string name() const override { return name_; }
  std::string label() const override { return name_ + " label"; }
  std::string setting_name() const override { return "q"; }
  std::vector<double> settings() const override { return settings_; }
  std::vector<uint8_t> encode(const Image&, double) const override { return {}; }
  Image decode(const std::vector<uint8_t>&) const override { return {}; }

 private:
  std::string name_;
  std::vector<double> settings_;
};

Measurement row(const std::string& codec, double setting, const std::string& image, double bpp, double msssim,
                double psnr_db) {
  Measurement m;
  m.codec = codec;
  m.setting = setting;
  m.image = image;
  m.bytes = static_cast<size_t>(bpp * 1000);
  m.bpp = bpp;
  m.msssim = msssim;
  m.msssim_db = msssim_db(msssim);
  m.psnr = psnr_db;
  m.encode_ms = 2;
  m.decode_ms = 1;
  return m;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream s(line);
  std::string field;
  while (std::getline(s, field, ',')) out.push_back(field);
  return out;
}

TEST(Curve, AveragesPerSettingThenTakesDbOfTheMean) {
  FakeSweep codec("c", {10, 20, 30});
  std::vector<Measurement> rows = {
      row("c", 10, "a", 0.2, 0.90, 30), row("c", 10, "b", 0.4, 0.98, 34),   row("c", 20, "a", 0.6, 0.95, 36),
      row("c", 20, "b", 1.0, 0.97, 38), row("other", 10, "a", 9.0, 0.1, 5),  // another codec's row is ignored
  };
  Curve curve = average_curve(codec, rows);
  ASSERT_EQ(curve.points.size(), 2u);  // setting 30 has no rows
  EXPECT_EQ(curve.label, "c label");
  EXPECT_DOUBLE_EQ(curve.points[0].bpp, 0.3);
  EXPECT_DOUBLE_EQ(curve.points[0].msssim, 0.94);
  EXPECT_NEAR(curve.points[0].msssim_db, msssim_db(0.94), 1e-12);  // not the mean of the dBs
  EXPECT_DOUBLE_EQ(curve.points[0].psnr, 32);
  EXPECT_EQ(curve.points[1].images, 2);
  EXPECT_DOUBLE_EQ(curve.points[1].encode_ms, 2);
}

TEST(Report, CsvHasTheDocumentedColumnsAndWritesInf) {
  std::vector<Measurement> rows = {row("jpeg", 75, "kodim01.png", 0.5, 0.95, 31.5),
                                   row("webp", 0, "a,b.png", 0.25, 1.0, INFINITY)};
  rows[1].psnr = std::numeric_limits<double>::infinity();
  std::string csv = measurements_csv(rows);
  std::stringstream lines(csv);
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(header, "codec,setting,image,bytes,bpp,msssim,msssim_db,psnr,encode_ms,decode_ms");
  std::vector<std::string> f = split(first);
  ASSERT_EQ(f.size(), 10u);
  EXPECT_EQ(f[0], "jpeg");
  EXPECT_EQ(f[1], "75");
  EXPECT_EQ(f[2], "kodim01.png");
  EXPECT_EQ(f[3], "500");
  EXPECT_DOUBLE_EQ(std::stod(f[4]), 0.5);
  EXPECT_DOUBLE_EQ(std::stod(f[5]), 0.95);
  EXPECT_NEAR(std::stod(f[6]), 13.0103, 1e-4);
  EXPECT_DOUBLE_EQ(std::stod(f[7]), 31.5);
  EXPECT_NE(second.find("\"a,b.png\""), std::string::npos);  // quoted
  EXPECT_NE(second.find(",inf,inf,"), std::string::npos) << second;
}

TEST(Report, CurveJsonSchema) {
  FakeSweep codec("c", {1, 2, 3, 4});
  std::vector<Measurement> rows = {row("c", 1, "a", 0.1, 0.90, 28), row("c", 2, "a", 0.3, 0.95, 31),
                                   row("c", 3, "a", 0.6, 0.97, 34), row("c", 4, "a", 1.2, 1.0, 38)};
  rows[3].psnr = std::numeric_limits<double>::infinity();
  nlohmann::json j = curve_json(average_curve(codec, rows), "kodak");
  EXPECT_EQ(j["codec"], "c");
  EXPECT_EQ(j["dataset"], "kodak");
  EXPECT_EQ(j["setting_name"], "q");
  ASSERT_EQ(j["curve"].size(), 4u);
  for (const char* key :
       {"setting", "images", "bpp", "msssim", "msssim_db", "psnr", "encode_ms", "decode_ms"}) {
    EXPECT_TRUE(j["curve"][0].contains(key)) << key;
  }
  EXPECT_EQ(j["curve"][3]["msssim_db"], "inf");
  EXPECT_EQ(j["curve"][3]["psnr"], "inf");
  EXPECT_TRUE(j["msssim_at_bpp"]["0.25"].is_number());
  EXPECT_GT(j["msssim_at_bpp"]["0.25"].get<double>(), 0.90);
  EXPECT_LT(j["msssim_at_bpp"]["0.25"].get<double>(), 0.95);
  EXPECT_GT(j["msssim_at_bpp"]["1"].get<double>(), 0.97);
  EXPECT_LT(j["msssim_at_bpp"]["1"].get<double>(), 1.0);
  EXPECT_TRUE(j["msssim_at_bpp"]["0.125"].is_number());
  EXPECT_TRUE(j["psnr_at_bpp"]["1"].is_null());  // the top point's PSNR is infinite: dropped
  // Round-trips through text.
  EXPECT_EQ(nlohmann::json::parse(j.dump()), j);
}

TEST(Report, BdRateJsonAgainstEveryOtherCodec) {
  FakeSweep a("qcodec", {1, 2, 3}), b("jpeg", {1, 2, 3}), far("far", {1, 2});
  std::vector<Measurement> rows;
  for (int s = 1; s <= 3; ++s) {
    double bpp = 0.1 * (1 << s);
    rows.push_back(row("qcodec", s, "x", bpp / 2, 1 - 0.1 / s, 25 + 3 * s));
    rows.push_back(row("jpeg", s, "x", bpp, 1 - 0.1 / s, 25 + 3 * s));
    rows.push_back(row("far", s, "x", bpp, 0.5 - 0.1 / s, 5 + s));
  }
  nlohmann::json j = bd_rate_json(average_curve(a, rows), {average_curve(b, rows), average_curve(far, rows)});
  EXPECT_EQ(j["reference"], "qcodec");
  ASSERT_EQ(j["rows"].size(), 2u);
  EXPECT_EQ(j["rows"][0]["codec"], "jpeg");
  EXPECT_NEAR(j["rows"][0]["bd_rate_msssim_db"].get<double>(), -50, 1e-9);
  EXPECT_NEAR(j["rows"][0]["bd_rate_psnr"].get<double>(), -50, 1e-9);
  EXPECT_TRUE(j["rows"][1]["bd_rate_msssim_db"].is_null());  // no overlap
}

TEST(Report, SummaryTextListsEveryCodec) {
  FakeSweep a("alpha", {1, 2}), b("beta", {1});
  std::vector<Measurement> rows = {row("alpha", 1, "x", 0.1, 0.9, 30), row("alpha", 2, "x", 0.6, 0.97, 35),
                                   row("beta", 1, "x", 0.3, 0.9, 30)};
  std::string text = summary_text({average_curve(a, rows), average_curve(b, rows)});
  EXPECT_NE(text.find("alpha"), std::string::npos);
  EXPECT_NE(text.find("beta"), std::string::npos);
  EXPECT_NE(text.find("0.9"), std::string::npos);
}

}  // namespace
}  // namespace qc

namespace qc {
namespace {

TEST(ReportCsv, ReadsBackWhatItWrites) {
  Measurement a{"jpeg", 75, "kodim01.png", 5151, 0.104797, 0.70009285, 5.2301, 19.9464, 5.63, 0.58};
  Measurement b{"webp", 12.5, "a,\"b\".png", 10, 0.5, 0.9, 10.0, 30.0, 1.0, 2.0};
  std::vector<Measurement> rows = measurements_from_csv(measurements_csv({a, b}), "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].codec, "jpeg");
  EXPECT_EQ(rows[0].setting, 75);
  EXPECT_EQ(rows[0].bytes, 5151u);
  EXPECT_DOUBLE_EQ(rows[0].msssim, 0.70009285);
  EXPECT_EQ(rows[1].image, "a,\"b\".png");
  EXPECT_EQ(rows[1].setting, 12.5);
  EXPECT_THROW(measurements_from_csv("header\njpeg,1,x\n", "t.csv"), Error);
  EXPECT_THROW(measurements_from_csv("header\njpeg,x,a,1,1,1,1,1,1,1\n", "t.csv"), Error);
}

}  // namespace
}  // namespace qc
