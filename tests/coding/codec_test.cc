// encode -> decode on a small random model: shapes, channels, alpha, rate
// control, determinism and refusals. (Quality needs the trained model; the
// CLI tests and the evaluation cover it.)
#include "codec/codec.h"

#include <gtest/gtest.h>

#include "base/error.h"
#include "codec/bitstream.h"
#include "image/image_io.h"
#include "metrics/metrics.h"
#include "tests/coding/codec_fixtures.h"

namespace qc {
namespace {

Image round_trip(const Image& image, const Model& model, const EncodeOptions& options) {
  EncodeResult result = encode(image, model, options);
  return decode(result.bytes.data(), result.bytes.size(), model, 1, "test.qc");
}

TEST(Codec, KeepsSizeAndChannelsForEveryLayout) {
  Model model = small_model();
  for (int channels : {1, 2, 3, 4}) {
    for (auto [w, h] : {std::pair{1, 1}, std::pair{67, 45}, std::pair{16, 16}}) {
      Image image = noise_image(w, h, channels);
      Image out = round_trip(image, model, iterations(2));
      EXPECT_EQ(out.width, w);
      EXPECT_EQ(out.height, h);
      EXPECT_EQ(out.channels, channels) << "gray stays gray, alpha stays";
    }
  }
}

TEST(Codec, AlphaIsLossless) {
  Model model = small_model();
  Image image = noise_image(37, 29, 4, 9);
  Image out = round_trip(image, model, iterations(1));
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) ASSERT_EQ(out.at(x, y, 3), image.at(x, y, 3));
  }
}

TEST(Codec, EncodingIsDeterministicAndThreadCountFree) {
  Model model = small_model();
  Image image = noise_image(80, 48, 3);
  EncodeOptions one = iterations(3), two = iterations(3);
  two.threads = 2;
  EncodeResult a = encode(image, model, one), b = encode(image, model, two);
  EXPECT_EQ(a.bytes, b.bytes);
  Image da = decode(a.bytes.data(), a.bytes.size(), model, 1, "a");
  Image db = decode(a.bytes.data(), a.bytes.size(), model, 2, "a");
  EXPECT_EQ(da.pixels, db.pixels);
}

// Rate control needs a model whose quality rises with bits (a random one
// gets worse, and the encoder rightly refuses to spend on that): the shipped one.
TEST(Codec, RateControlLandsInTheWindow) {
  Model model = model_from_file(QC_SHIPPED_MODEL);
  Image image = read_image(std::string(QC_TEST_DATA) + "/rgb_64x64.png").image;
  // 4 x 3 copies of the fixture, mirrored so the seams are smooth.
  Image big(256, 192, 3);
  for (int y = 0; y < 192; ++y) {
    for (int x = 0; x < 256; ++x) {
      const int sx = (x / 64) % 2 ? 63 - x % 64 : x % 64, sy = (y / 64) % 2 ? 63 - y % 64 : y % 64;
      for (int c = 0; c < 3; ++c) big.at(x, y, c) = image.at(sx, sy, c);
    }
  }
  const double pixels = 256.0 * 192;
  // Targets spread over the rates where this model still gains quality,
  // and one below a single iteration everywhere (some tiles get no bits).
  const double top = encode(big, model, iterations(3)).bytes.size() * 8 / pixels;
  const double one = encode(big, model, iterations(1)).bytes.size() * 8 / pixels;
  for (double bpp : {0.5 * one, 0.45 * top, 0.7 * top, top}) {
    EncodeOptions o;
    o.bpp = bpp;
    o.threads = 1;
    o.compare_uniform = false;
    for (AllocationRule rule :
         {AllocationRule::kThreshold, AllocationRule::kLagrangian, AllocationRule::kTopUp}) {
      o.rule = rule;
      EncodeResult result = encode(big, model, o);
      const double real = result.bytes.size() * 8 / pixels;
      EXPECT_TRUE(result.target_met) << result.note;
      EXPECT_LE(real, bpp * 1.01) << "bpp " << bpp;
      EXPECT_GE(real, bpp * 0.95) << "bpp " << bpp;
    }
  }
}

// --alloc best: codes topup and uniform, keeps the one that decodes better.
TEST(Codec, CompareUniformKeepsTheBetterOfTopUpAndUniform) {
  Model model = small_model();
  Image image = noise_image(128, 96, 3);
  EncodeOptions o;
  o.threads = 1;
  o.bpp = 0.5 * encode(image, model, iterations(3)).bytes.size() * 8 / (128.0 * 96);
  const std::vector<uint8_t> topup = encode(image, model, o).bytes;
  o.rule = AllocationRule::kUniform;
  const std::vector<uint8_t> uniform = encode(image, model, o).bytes;
  o.rule = AllocationRule::kTopUp;
  o.compare_uniform = true;
  const EncodeResult best = encode(image, model, o);
  ASSERT_NE(topup, uniform) << "the comparison needs two different files";
  ASSERT_TRUE(best.bytes == topup || best.bytes == uniform);
  const std::vector<uint8_t>& other = best.bytes == topup ? uniform : topup;
  auto quality = [&](const std::vector<uint8_t>& bytes) {
    return ms_ssim(image, decode(bytes.data(), bytes.size(), model, 1, "x.qc"));
  };
  EXPECT_GE(quality(best.bytes), quality(other));
}

TEST(Codec, UnreachableRateIsReported) {
  Model model = small_model();
  Image image = noise_image(64, 64, 3);
  EncodeOptions o;
  o.bpp = 50;  // far above what 6 iterations of 8 bits per 16x16 block can spend
  o.threads = 1;
  EncodeResult result = encode(image, model, o);
  EXPECT_FALSE(result.target_met);
  EXPECT_NE(result.note.find("below the target rate"), std::string::npos) << result.note;
  EXPECT_LE(result.bytes.size() * 8 / (64.0 * 64), 50.0);
}

TEST(Codec, UniformIterationsGiveEveryTileTheCount) {
  Model model = small_model();
  EncodeResult result = encode(noise_image(70, 40, 3), model, iterations(4));
  for (uint8_t c : result.map.counts) EXPECT_EQ(c, 4);
}

TEST(Codec, RefusesFilesFromAnotherModel) {
  Model model = small_model(1), other = small_model(2);
  EncodeResult result = encode(noise_image(20, 20, 3), model, iterations(1));
  try {
    decode(result.bytes.data(), result.bytes.size(), other, 1, "x.qc");
    FAIL() << "decoded with the wrong model";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("different model"), std::string::npos) << e.what();
  }
}

TEST(Codec, RefusesBadOptions) {
  Model model = small_model();
  Image image = noise_image(8, 8, 3);
  EXPECT_THROW(encode(image, model, EncodeOptions{}), Error);  // no target
  EXPECT_THROW(encode(image, model, iterations(7)), Error);    // beyond the model
  EncodeOptions two;
  two.bpp = 1;
  two.iterations = 2;
  EXPECT_THROW(encode(image, model, two), Error);
}

}  // namespace
}  // namespace qc
