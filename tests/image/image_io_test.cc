#include "image/image_io.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "base/error.h"
#include "tests/base/temp_dir.h"
#include "tests/image/image_fixtures.h"

namespace qc {
namespace {

using testing::gradient_image;
using testing::JpegSpec;
using testing::make_jpeg;
using testing::make_png;
using testing::make_png_header;
using testing::PngSpec;
using testing::random_image;
using testing::TempDir;
using Bytes = std::vector<uint8_t>;

DecodedImage decode(const Bytes& bytes) { return decode_image(bytes.data(), bytes.size(), "img"); }

// The qc::Error message decoding bytes gives, or "" if it decodes.
std::string decode_error(const Bytes& bytes, const std::string& name = "img") {
  try {
    decode_image(bytes.data(), bytes.size(), name);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Every error is one line that starts with the file's name.
void expect_one_line_error(const std::string& message, const std::string& name) {
  EXPECT_EQ(message.rfind(name + ": ", 0), 0u) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_GT(message.size(), name.size() + 2) << message;
}

void write_bytes(const std::string& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint16_t> random_samples(size_t count, int bit_depth, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint16_t> samples(count);
  for (uint16_t& v : samples) v = static_cast<uint16_t>(rng() % (1u << bit_depth));
  return samples;
}

// The 8-bit value a stored sample should read as: low depths are scaled to
// the full range, 16 bits are rounded down to 8.
uint8_t to_8bit(uint16_t sample, int bit_depth) {
  if (bit_depth == 16) return static_cast<uint8_t>(std::lround(sample * 255.0 / 65535.0));
  return static_cast<uint8_t>(sample * 255 / ((1 << bit_depth) - 1));
}

// ---------------------------------------------------------------- PNG formats

// (color type, bit depth, interlaced)
class DirectColorPng : public ::testing::TestWithParam<std::tuple<int, int, bool>> {};

TEST_P(DirectColorPng, ReadsEverySampleAs8Bit) {
  auto [color_type, bit_depth, interlaced] = GetParam();
  PngSpec spec;
  spec.width = 13;  // odd sizes leave partial Adam7 blocks
  spec.height = 7;
  spec.color_type = color_type;
  spec.bit_depth = bit_depth;
  spec.interlaced = interlaced;
  int channels = testing::png_file_channels(color_type);
  spec.samples = random_samples(13 * 7 * channels, bit_depth, 1234);

  DecodedImage decoded = decode(make_png(spec));
  ASSERT_EQ(decoded.image.width, 13);
  ASSERT_EQ(decoded.image.height, 7);
  ASSERT_EQ(decoded.image.channels, channels);
  EXPECT_EQ(decoded.was_16bit, bit_depth == 16);
  for (size_t i = 0; i < spec.samples.size(); ++i) {
    ASSERT_EQ(decoded.image.pixels[i], to_8bit(spec.samples[i], bit_depth)) << "sample " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllDepths, DirectColorPng,
    ::testing::Values(
        std::make_tuple(PNG_COLOR_TYPE_GRAY, 1, false), std::make_tuple(PNG_COLOR_TYPE_GRAY, 2, false),
        std::make_tuple(PNG_COLOR_TYPE_GRAY, 4, true), std::make_tuple(PNG_COLOR_TYPE_GRAY, 8, false),
        std::make_tuple(PNG_COLOR_TYPE_GRAY, 8, true), std::make_tuple(PNG_COLOR_TYPE_GRAY, 16, false),
        std::make_tuple(PNG_COLOR_TYPE_GRAY_ALPHA, 8, false),
        std::make_tuple(PNG_COLOR_TYPE_GRAY_ALPHA, 16, true), std::make_tuple(PNG_COLOR_TYPE_RGB, 8, false),
        std::make_tuple(PNG_COLOR_TYPE_RGB, 8, true), std::make_tuple(PNG_COLOR_TYPE_RGB, 16, false),
        std::make_tuple(PNG_COLOR_TYPE_RGB, 16, true), std::make_tuple(PNG_COLOR_TYPE_RGB_ALPHA, 8, false),
        std::make_tuple(PNG_COLOR_TYPE_RGB_ALPHA, 8, true),
        std::make_tuple(PNG_COLOR_TYPE_RGB_ALPHA, 16, false)));

// (bit depth, with tRNS)
class PalettePng : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(PalettePng, ExpandsToRgbOrRgba) {
  auto [bit_depth, with_alpha] = GetParam();
  PngSpec spec;
  spec.width = 9;
  spec.height = 5;
  spec.color_type = PNG_COLOR_TYPE_PALETTE;
  spec.bit_depth = bit_depth;
  std::mt19937 rng(7);
  for (int i = 0; i < (1 << bit_depth); ++i) {
    spec.palette.push_back(
        {static_cast<uint8_t>(rng()), static_cast<uint8_t>(rng()), static_cast<uint8_t>(rng())});
  }
  // tRNS may be shorter than the palette: the other entries are opaque.
  if (with_alpha) spec.palette_alpha = {0, 128};
  spec.samples = random_samples(9 * 5, bit_depth, 99);

  DecodedImage decoded = decode(make_png(spec));
  const Image& image = decoded.image;
  ASSERT_EQ(image.channels, with_alpha ? 4 : 3);
  EXPECT_FALSE(decoded.was_16bit);
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 9; ++x) {
      uint16_t index = spec.samples[y * 9 + x];
      const png_color& entry = spec.palette[index];
      ASSERT_EQ(image.at(x, y, 0), entry.red);
      ASSERT_EQ(image.at(x, y, 1), entry.green);
      ASSERT_EQ(image.at(x, y, 2), entry.blue);
      if (with_alpha) {
        uint8_t alpha = index < spec.palette_alpha.size() ? spec.palette_alpha[index] : 255;
        ASSERT_EQ(image.at(x, y, 3), alpha);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllDepths, PalettePng,
                         ::testing::Combine(::testing::Values(1, 2, 4, 8), ::testing::Bool()));

TEST(ColorKeyPng, GrayKeyBecomesAlpha) {
  PngSpec spec;
  spec.width = 4;
  spec.height = 1;
  spec.color_type = PNG_COLOR_TYPE_GRAY;
  spec.samples = {17, 16, 17, 200};
  spec.color_key = png_color_16{0, 0, 0, 0, 17};
  Image image = decode(make_png(spec)).image;
  ASSERT_EQ(image.channels, 2);
  EXPECT_EQ(image.pixels, (Bytes{17, 0, 16, 255, 17, 0, 200, 255}));
}

TEST(ColorKeyPng, Rgb16KeyMatchesExactSamplesBeforeScaling) {
  PngSpec spec;
  spec.width = 2;
  spec.height = 1;
  spec.color_type = PNG_COLOR_TYPE_RGB;
  spec.bit_depth = 16;
  // Both pixels read as the same 8-bit color; only the first is the key.
  spec.samples = {0x1234, 0x5678, 0x9abc, 0x1235, 0x5678, 0x9abc};
  spec.color_key = png_color_16{0, 0x1234, 0x5678, 0x9abc, 0};
  DecodedImage decoded = decode(make_png(spec));
  ASSERT_EQ(decoded.image.channels, 4);
  EXPECT_TRUE(decoded.was_16bit);
  EXPECT_EQ(decoded.image.at(0, 0, 3), 0);
  EXPECT_EQ(decoded.image.at(1, 0, 3), 255);
  EXPECT_EQ(decoded.image.at(0, 0, 0), decoded.image.at(1, 0, 0));
}

TEST(InterlacedPng, TinyImagesWithEmptyPasses) {
  for (auto [w, h] : {std::pair{1, 1}, std::pair{2, 1}, std::pair{1, 3}, std::pair{3, 2}}) {
    PngSpec spec;
    spec.width = w;
    spec.height = h;
    spec.interlaced = true;
    spec.samples = random_samples(w * h * 3, 8, 5);
    Image image = decode(make_png(spec)).image;
    EXPECT_EQ(image.pixels, Bytes(spec.samples.begin(), spec.samples.end())) << w << "x" << h;
  }
}

TEST(CommittedFixtures, ReadWithExpectedShapes) {
  std::string dir = QC_TEST_DATA;
  Image gray = read_image(dir + "/gray_40x40.png").image;
  EXPECT_EQ(std::tie(gray.width, gray.height, gray.channels), std::make_tuple(40, 40, 1));
  Image rgb = read_image(dir + "/rgb_67x45.png").image;
  EXPECT_EQ(std::tie(rgb.width, rgb.height, rgb.channels), std::make_tuple(67, 45, 3));
  Image rgba = read_image(dir + "/rgba_32x32.png").image;
  ASSERT_EQ(std::tie(rgba.width, rgba.height, rgba.channels), std::make_tuple(32, 32, 4));
  for (int x = 0; x < 32; ++x) EXPECT_EQ(rgba.at(x, 0, 3), 0);  // row 0 is transparent
  EXPECT_EQ(rgba.at(16, 16, 3), 255);
}

// ---------------------------------------------------------------- JPEG

int max_difference(const Image& a, const Image& b) {
  int worst = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) worst = std::max(worst, std::abs(a.pixels[i] - b.pixels[i]));
  return worst;
}

TEST(Jpeg, ReadsRgb) {
  Image original = gradient_image(37, 21, 3);
  Bytes jpeg = make_jpeg(original, JpegSpec{JCS_RGB, 95, false});
  DecodedImage decoded = decode(jpeg);
  ASSERT_EQ(std::tie(decoded.image.width, decoded.image.height, decoded.image.channels),
            std::make_tuple(37, 21, 3));
  EXPECT_FALSE(decoded.was_16bit);
  EXPECT_LE(max_difference(decoded.image, original), 6);
}

TEST(Jpeg, ReadsGrayscale) {
  Image original = gradient_image(30, 17, 1);
  Bytes jpeg = make_jpeg(original, JpegSpec{JCS_GRAYSCALE, 95, false});
  Image image = decode(jpeg).image;
  ASSERT_EQ(std::tie(image.width, image.height, image.channels), std::make_tuple(30, 17, 1));
  EXPECT_LE(max_difference(image, original), 4);
}

TEST(Jpeg, ProgressiveReadsLikeBaseline) {
  Image original = random_image(40, 24, 3, 3);
  Bytes baseline = make_jpeg(original, JpegSpec{JCS_RGB, 80, false});
  Bytes progressive = make_jpeg(original, JpegSpec{JCS_RGB, 80, true});
  ASSERT_NE(baseline, progressive);
  EXPECT_EQ(decode(progressive).image.pixels, decode(baseline).image.pixels);
}

TEST(Jpeg, RefusesCmykClearly) {
  Bytes jpeg = make_jpeg(random_image(16, 16, 4, 1), JpegSpec{JCS_CMYK, 90, false});
  EXPECT_EQ(decode_error(jpeg, "photo.jpg"),
            "photo.jpg: CMYK JPEG is not supported (convert it to RGB first)");
}

// The last scan of a progressive JPEG repeated until the file has more scans
// than any real one: the reader stops instead of decoding them all.
TEST(Jpeg, RefusesTooManyScans) {
  Bytes jpeg = make_jpeg(random_image(16, 16, 3, 2), JpegSpec{JCS_RGB, 90, true});
  const uint8_t kSos[2] = {0xff, 0xda};
  auto last_scan = std::find_end(jpeg.begin(), jpeg.end(), kSos, kSos + 2);
  ASSERT_NE(last_scan, jpeg.end());
  Bytes scan(last_scan, jpeg.end() - 2);  // up to the EOI marker
  Bytes bomb(jpeg.begin(), jpeg.end() - 2);
  for (int i = 0; i < 600; ++i) bomb.insert(bomb.end(), scan.begin(), scan.end());
  bomb.insert(bomb.end(), {0xff, 0xd9});
  EXPECT_EQ(decode_error(bomb), "img: invalid JPEG: more than 500 progressive scans");
}

// ---------------------------------------------------------------- format detection

TEST(FormatDetection, PngNamedJpgReadsAsPng) {
  TempDir dir;
  PngSpec spec;
  spec.width = 3;
  spec.samples = random_samples(9, 8, 4);
  write_bytes(dir.file("really_png.jpg"), make_png(spec));
  Image image = read_image(dir.file("really_png.jpg")).image;
  EXPECT_EQ(image.pixels, Bytes(spec.samples.begin(), spec.samples.end()));
}

TEST(FormatDetection, JpegNamedPngReadsAsJpeg) {
  TempDir dir;
  write_bytes(dir.file("really_jpeg.png"), make_jpeg(gradient_image(8, 8, 3), JpegSpec{}));
  EXPECT_EQ(read_image(dir.file("really_jpeg.png")).image.channels, 3);
}

TEST(FormatDetection, TextFileFailsClearly) {
  TempDir dir;
  std::string path = dir.file("notes.png");
  std::ofstream(path) << "just some text\n";
  try {
    read_image(path);
    FAIL() << "a text file was read as an image";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": not a PNG or JPEG file");
  }
}

TEST(FormatDetection, EmptyAndMissingFilesFailClearly) {
  TempDir dir;
  std::ofstream(dir.file("empty.png")).flush();
  EXPECT_EQ(decode_error({}, "empty.png"), "empty.png: file is empty");
  try {
    read_image(dir.file("missing.png"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), dir.file("missing.png") + ": cannot open: No such file or directory");
  }
}

// ---------------------------------------------------------------- limits

TEST(Limits, HugePngRefusedFromItsHeader) {
  Bytes header = make_png_header(100000, 100000);
  ASSERT_FALSE(header.empty());
  // The pixel data is cut short, so reaching it would fail differently.
  EXPECT_EQ(decode_error(header, "bomb.png"),
            "bomb.png: image 100000x100000 is over the limit (32768 px a side, 67108864 pixels)");
}

TEST(Limits, PixelCountAndSideAreBothLimited) {
  EXPECT_NE(decode_error(make_png_header(8193, 8192)).find("is over the limit"), std::string::npos);
  EXPECT_NE(decode_error(make_png_header(32769, 1)).find("is over the limit"), std::string::npos);
  // Within the limits the header passes and the missing pixel data is what fails.
  EXPECT_EQ(decode_error(make_png_header(32768, 1)).rfind("img: invalid PNG: ", 0), 0u);
}

TEST(Limits, HugeJpegRefusedFromItsHeader) {
  Bytes jpeg = make_jpeg(gradient_image(8, 8, 3), JpegSpec{});
  const uint8_t kSof0[2] = {0xff, 0xc0};
  auto sof = std::search(jpeg.begin(), jpeg.end(), kSof0, kSof0 + 2);
  ASSERT_NE(sof, jpeg.end());
  // SOF0: marker, length (2), precision (1), height (2), width (2).
  size_t at = static_cast<size_t>(sof - jpeg.begin()) + 5;
  jpeg[at] = jpeg[at + 2] = 60000 >> 8;
  jpeg[at + 1] = jpeg[at + 3] = 60000 & 0xff;
  EXPECT_EQ(decode_error(jpeg, "bomb.jpg"),
            "bomb.jpg: image 60000x60000 is over the limit (32768 px a side, 67108864 pixels)");
}

// ---------------------------------------------------------------- damaged files

Bytes small_png() {
  PngSpec spec;
  spec.width = 6;
  spec.height = 5;
  spec.samples = random_samples(6 * 5 * 3, 8, 11);
  return make_png(spec);
}

Bytes small_jpeg() { return make_jpeg(random_image(16, 16, 3, 12), JpegSpec{JCS_RGB, 90, false}); }

TEST(DamagedFiles, EveryTruncatedPngFails) {
  Bytes png = small_png();
  for (size_t n = 0; n < png.size(); ++n) {
    std::string message = decode_error(Bytes(png.begin(), png.begin() + n), "cut.png");
    expect_one_line_error(message, "cut.png");
  }
  EXPECT_EQ(decode_error(Bytes(png.begin(), png.begin() + 40), "cut.png"),
            "cut.png: invalid PNG: file is truncated");
}

TEST(DamagedFiles, EveryTruncatedJpegFails) {
  Bytes jpeg = small_jpeg();
  for (size_t n = 0; n < jpeg.size(); ++n) {
    std::string message = decode_error(Bytes(jpeg.begin(), jpeg.begin() + n), "cut.jpg");
    expect_one_line_error(message, "cut.jpg");
  }
  EXPECT_EQ(decode_error(Bytes(jpeg.begin(), jpeg.end() - 40), "cut.jpg"),
            "cut.jpg: damaged JPEG: Premature end of JPEG file");
}

// Flipping any single byte either still decodes or fails with one clear line.
void expect_corruption_handled(const Bytes& original, const std::string& name, int* failures) {
  for (size_t i = 0; i < original.size(); ++i) {
    Bytes bytes = original;
    bytes[i] ^= 0x5a;
    std::string message = decode_error(bytes, name);
    if (message.empty()) continue;
    ++*failures;
    expect_one_line_error(message, name);
  }
}

TEST(DamagedFiles, CorruptPngFailsClearly) {
  Bytes png = small_png();
  int failures = 0;
  expect_corruption_handled(png, "bad.png", &failures);
  // Every chunk is CRC-checked, so (almost) every flip is caught.
  EXPECT_GT(failures, static_cast<int>(png.size()) * 9 / 10);
}

TEST(DamagedFiles, CorruptJpegFailsClearly) {
  Bytes jpeg = small_jpeg();
  int failures = 0;
  expect_corruption_handled(jpeg, "bad.jpg", &failures);
  EXPECT_GT(failures, 0);
}

// ---------------------------------------------------------------- writing

class PngRoundTrip : public ::testing::TestWithParam<int> {};

TEST_P(PngRoundTrip, DecodesToTheSamePixels) {
  int channels = GetParam();
  Image original = random_image(19, 11, channels, 40 + channels);
  Bytes png = encode_png(original);
  DecodedImage decoded = decode(png);
  EXPECT_EQ(decoded.image.width, 19);
  EXPECT_EQ(decoded.image.height, 11);
  EXPECT_EQ(decoded.image.channels, channels);
  EXPECT_FALSE(decoded.was_16bit);
  EXPECT_EQ(decoded.image.pixels, original.pixels);
}

INSTANTIATE_TEST_SUITE_P(OneToFourChannels, PngRoundTrip, ::testing::Values(1, 2, 3, 4));

// The writer reserves a bound up front and fails rather than grow inside
// libpng: incompressible pixels, many IDAT chunks, must still fit it.
TEST(EncodePng, NoiseLargerThanManyChunksRoundTrips) {
  Image original = random_image(601, 257, 4, 5);
  Bytes png = encode_png(original);
  EXPECT_GT(png.size(), original.pixels.size()) << "noise should not compress";
  EXPECT_EQ(decode(png).image.pixels, original.pixels);
}

TEST(EncodePng, RefusesBadShapes) {
  Image five_channels(2, 2, 5);
  Image short_buffer(4, 4, 3);
  short_buffer.pixels.resize(10);
  Image empty;
  for (const Image* image : {&five_channels, &short_buffer, &empty}) {
    try {
      encode_png(*image);
      ADD_FAILURE() << "bad shape accepted";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), "cannot write PNG: bad image shape");
    }
  }
}

}  // namespace
}  // namespace qc
