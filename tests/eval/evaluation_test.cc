#include "eval/evaluation.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/error.h"
#include "eval/dataset.h"
#include "metrics/metrics.h"

namespace qc {
namespace {

TEST(Dataset, LoadsEveryImageAsRgbSortedByName) {
  std::vector<DatasetImage> images = load_dataset(QC_TEST_DATA);
  ASSERT_EQ(images.size(), 4u);  // SOURCE.md is skipped
  EXPECT_EQ(images[0].name, "gray_40x40.png");
  EXPECT_EQ(images[3].name, "rgba_32x32.png");
  for (const DatasetImage& image : images) EXPECT_EQ(image.rgb.channels, 3) << image.name;
  const Image& gray = images[0].rgb;
  EXPECT_EQ(gray.at(5, 7, 0), gray.at(5, 7, 2));
}

TEST(Dataset, ToRgbReplicatesGrayAndDropsAlpha) {
  Image ga(2, 1, 2);
  ga.pixels = {10, 255, 20, 0};
  Image rgb = to_rgb(ga);
  EXPECT_EQ(rgb.pixels, (std::vector<uint8_t>{10, 10, 10, 20, 20, 20}));
  Image rgba(1, 1, 4);
  rgba.pixels = {1, 2, 3, 4};
  EXPECT_EQ(to_rgb(rgba).pixels, (std::vector<uint8_t>{1, 2, 3}));
}

TEST(Dataset, MissingOrEmptyFolderIsAnError) {
  EXPECT_THROW(load_dataset("/nonexistent/folder"), Error);
  std::filesystem::path empty = std::filesystem::temp_directory_path() / "qc_eval_empty_dataset";
  std::filesystem::create_directories(empty);
  std::ofstream(empty / "notes.txt") << "not an image";
  EXPECT_THROW(load_dataset(empty.string()), Error);
  std::filesystem::remove_all(empty);
}

class Failing : public CodecAdapter {
 public:
  std::string name() const override { return "failing"; }
  std::string label() const override { return "failing"; }
  std::string setting_name() const override { return "q"; }
  std::vector<double> settings() const override { return {1, 2}; }
  std::vector<uint8_t> encode(const Image&, double) const override { throw Error("boom"); }
  Image decode(const std::vector<uint8_t>&) const override { return {}; }
};

TEST(Evaluation, MeasuresEveryImageAtEverySettingInOrder) {
  std::vector<DatasetImage> images = load_dataset(QC_TEST_DATA);
  auto jpeg = make_baseline("jpeg"), webp = make_baseline("webp");
  std::vector<Measurement> rows = evaluate(images, {jpeg.get(), webp.get()}, {2, false});
  size_t expected = images.size() * (jpeg->settings().size() + webp->settings().size());
  ASSERT_EQ(rows.size(), expected);
  EXPECT_EQ(rows[0].codec, "jpeg");
  EXPECT_EQ(rows[0].setting, jpeg->settings()[0]);
  EXPECT_EQ(rows[0].image, images[0].name);
  EXPECT_EQ(rows[1].image, images[1].name);
  EXPECT_EQ(rows.back().codec, "webp");
  EXPECT_EQ(rows.back().setting, webp->settings().back());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Measurement& m = rows[i];
    const Image& rgb = images[i % images.size()].rgb;
    EXPECT_DOUBLE_EQ(m.bpp, 8.0 * m.bytes / (rgb.width * rgb.height));
    EXPECT_GT(m.msssim, 0.3);
    EXPECT_LE(m.msssim, 1.0);
    EXPECT_DOUBLE_EQ(m.msssim_db, msssim_db(m.msssim));
    EXPECT_GT(m.psnr, 10);
    EXPECT_GE(m.encode_ms, 0);
  }
  // Same numbers as measuring the job alone (threads do not interfere).
  Measurement alone = measure(*webp, webp->settings()[3], images[2]);
  const Measurement& pooled = rows[images.size() * (jpeg->settings().size() + 3) + 2];
  EXPECT_EQ(pooled.bytes, alone.bytes);
  EXPECT_EQ(pooled.msssim, alone.msssim);
}

TEST(Evaluation, ACodecFailureNamesTheJob) {
  std::vector<DatasetImage> images = load_dataset(QC_TEST_DATA);
  Failing failing;
  try {
    evaluate(images, {&failing}, {2, false});
    FAIL() << "no exception";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("failing q"), std::string::npos) << what;
    EXPECT_NE(what.find("boom"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace qc
