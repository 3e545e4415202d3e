#include <gtest/gtest.h>

#include <string>

#include "base/error.h"
#include "eval/codec_adapter.h"
#include "image/image_io.h"
#include "metrics/metrics.h"

namespace qc {
namespace {

Image fixture(const char* name) { return read_image(std::string(QC_TEST_DATA) + "/" + name).image; }

class Baseline : public ::testing::TestWithParam<std::string> {};

TEST_P(Baseline, RoundTripsAndQualityGrowsWithRate) {
  auto codec = make_baseline(GetParam());
  EXPECT_EQ(codec->name(), GetParam());
  Image image = fixture("rgb_67x45.png");  // odd size: no codec may assume blocks
  std::vector<double> settings = codec->settings();
  ASSERT_GE(settings.size(), 8u);
  size_t low_bytes = 0, high_bytes = 0;
  double low_quality = 0, high_quality = 0;
  for (double setting : {settings[1], settings[settings.size() - 2]}) {
    std::vector<uint8_t> bytes = codec->encode(image, setting);
    ASSERT_FALSE(bytes.empty());
    Image decoded = codec->decode(bytes);
    ASSERT_EQ(decoded.width, image.width);
    ASSERT_EQ(decoded.height, image.height);
    ASSERT_EQ(decoded.channels, 3);
    double quality = ms_ssim(image, decoded);
    if (low_bytes == 0) {
      low_bytes = bytes.size();
      low_quality = quality;
    } else {
      high_bytes = bytes.size();
      high_quality = quality;
    }
  }
  EXPECT_LT(low_bytes, high_bytes);
  EXPECT_LT(low_quality, high_quality);
  EXPECT_GT(high_quality, 0.95);
}

TEST_P(Baseline, CorruptStreamIsAnError) {
  auto codec = make_baseline(GetParam());
  std::vector<uint8_t> junk(100, 0x5a);
  EXPECT_THROW(codec->decode(junk), Error);
  std::vector<uint8_t> good = codec->encode(fixture("rgb_64x64.png"), codec->settings()[4]);
  good.resize(good.size() / 3);
  // A truncated file either fails cleanly or decodes to something of the right size.
  try {
    Image decoded = codec->decode(good);
    EXPECT_EQ(decoded.width, 64);
  } catch (const Error&) {
  }
}

INSTANTIATE_TEST_SUITE_P(All, Baseline, ::testing::ValuesIn(baseline_names()),
                         [](const auto& info) { return info.param; });

TEST(Baselines, UnknownNameListsTheChoices) {
  try {
    make_baseline("bpg");
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("jpeg, webp"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace qc
