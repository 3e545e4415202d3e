// The C API through the shared library, as an application sees it: round
// trips in every layout with a stride, prefixes, and a status code (and a
// message) for each kind of failure.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "codec/qc_format.h"
#include "nn/architecture.h"
#include "nn/model_file.h"
#include "nn/random_model.h"
#include "qcodec/qcodec.h"
#include "tests/nn/small_network.h"

namespace {

struct ModelHandle {
  qc_model* model = nullptr;
  ~ModelHandle() { qc_model_free(model); }
};

std::vector<uint8_t> small_model_bytes(uint64_t seed) {
  qc::ArchConfig config = qc::small_config(qc::CellType::kGru, 0);
  config.iterations = 4;
  return qc::serialize_qcm(qc::random_qcm_model(config, 1, seed));
}

// Pixels with a border of junk past each row's end, `stride` bytes apart.
std::vector<uint8_t> strided_pixels(int width, int height, int channels, int stride) {
  std::vector<uint8_t> p(static_cast<size_t>(stride) * height, 0xEE);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width * channels; ++x)
      p[static_cast<size_t>(y) * stride + x] = static_cast<uint8_t>(x * 7 + y * 3);
  return p;
}

std::vector<uint8_t> encode_iterations(const qc_model* model, int width, int height, qc_layout layout,
                                       int n) {
  const int stride = width * layout + 5;
  const std::vector<uint8_t> pixels = strided_pixels(width, height, layout, stride);
  qc_encode_options o;
  qc_encode_options_init(&o);
  o.iterations = n;
  o.threads = 1;
  uint8_t* out = nullptr;
  size_t size = 0;
  EXPECT_EQ(qc_encode(model, pixels.data(), width, height, stride, layout, &o, &out, &size), QC_OK)
      << qc_last_error();
  std::vector<uint8_t> bytes(out, out + size);
  qc_free(out);
  return bytes;
}

TEST(CApi, VersionMatchesTheHeader) {
  EXPECT_EQ(qc_version(), (QC_VERSION_MAJOR << 16) | (QC_VERSION_MINOR << 8) | QC_VERSION_PATCH);
}

TEST(CApi, RoundTripsEveryLayoutWithAStride) {
  const std::vector<uint8_t> m = small_model_bytes(3);
  ModelHandle h;
  ASSERT_EQ(qc_model_from_memory(m.data(), m.size(), &h.model), QC_OK) << qc_last_error();
  for (qc_layout layout : {QC_GRAY, QC_GRAY_ALPHA, QC_RGB, QC_RGBA}) {
    const std::vector<uint8_t> file = encode_iterations(h.model, 37, 21, layout, 2);
    qc_info info;
    ASSERT_EQ(qc_get_info(file.data(), file.size(), 0, &info), QC_OK);
    EXPECT_EQ(info.format_version, 2);
    EXPECT_EQ(info.width, 37);
    EXPECT_EQ(info.layout, layout);
    EXPECT_EQ(info.iterations, 2);
    qc_image image;
    ASSERT_EQ(qc_decode(h.model, file.data(), file.size(), nullptr, &image), QC_OK) << qc_last_error();
    EXPECT_EQ(image.width, 37);
    EXPECT_EQ(image.height, 21);
    EXPECT_EQ(image.layout, layout);
    EXPECT_EQ(image.iterations, 2);
    // The same pixels into a caller's buffer with a wider stride.
    const int stride = 37 * layout + 3;
    std::vector<uint8_t> buffer(static_cast<size_t>(stride) * 21, 0xAB);
    ASSERT_EQ(
        qc_decode_into(h.model, file.data(), file.size(), nullptr, buffer.data(), buffer.size(), stride),
        QC_OK);
    for (int y = 0; y < 21; ++y) {
      ASSERT_EQ(0, std::memcmp(buffer.data() + y * stride, image.pixels + y * 37 * layout, 37 * layout));
      EXPECT_EQ(buffer[y * stride + 37 * layout], 0xAB) << "nothing past the row";
    }
    qc_free(image.pixels);
  }
}

TEST(CApi, DecodesAPrefixOfIterations) {
  const std::vector<uint8_t> m = small_model_bytes(3);
  ModelHandle h;
  ASSERT_EQ(qc_model_from_memory(m.data(), m.size(), &h.model), QC_OK);
  const std::vector<uint8_t> file = encode_iterations(h.model, 48, 32, QC_RGB, 4);
  qc_decode_options o;
  qc_decode_options_init(&o);
  o.max_iterations = 2;
  qc_image image;
  ASSERT_EQ(qc_decode(h.model, file.data(), file.size(), &o, &image), QC_OK);
  EXPECT_EQ(image.iterations, 2);
  EXPECT_EQ(image.file_iterations, 4);
  qc_free(image.pixels);
  // A truncated file: refused, unless a prefix is accepted.
  const size_t cut = file.size() - 3;
  EXPECT_EQ(qc_decode(h.model, file.data(), cut, nullptr, &image), QC_TRUNCATED);
  EXPECT_NE(std::string(qc_last_error()).find("truncated"), std::string::npos);
  qc_decode_options_init(&o);
  o.accept_prefix = 1;
  ASSERT_EQ(qc_decode(h.model, file.data(), cut, &o, &image), QC_OK) << qc_last_error();
  EXPECT_GE(image.iterations, 3);
  qc_free(image.pixels);
}

TEST(CApi, EachFailureHasItsStatusAndAMessage) {
  const std::vector<uint8_t> m = small_model_bytes(3), other_bytes = small_model_bytes(4);
  ModelHandle h, other;
  ASSERT_EQ(qc_model_from_memory(m.data(), m.size(), &h.model), QC_OK);
  ASSERT_EQ(qc_model_from_memory(other_bytes.data(), other_bytes.size(), &other.model), QC_OK);
  std::vector<uint8_t> file = encode_iterations(h.model, 40, 24, QC_RGB, 1);
  qc_image image;
  EXPECT_EQ(qc_decode(nullptr, file.data(), file.size(), nullptr, &image), QC_INVALID_ARGUMENT);
  EXPECT_STRNE(qc_last_error(), "");
  EXPECT_EQ(qc_decode(other.model, file.data(), file.size(), nullptr, &image), QC_WRONG_MODEL);
  std::vector<uint8_t> newer = file;
  newer[qc::container::kVersionAt] = 9;
  EXPECT_EQ(qc_decode(h.model, newer.data(), newer.size(), nullptr, &image), QC_UNSUPPORTED_VERSION);
  std::vector<uint8_t> flipped = file;
  flipped[flipped.size() / 2] ^= 1;
  EXPECT_EQ(qc_decode(h.model, flipped.data(), flipped.size(), nullptr, &image), QC_CORRUPT);
  uint8_t small[16];
  EXPECT_EQ(qc_decode_into(h.model, file.data(), file.size(), nullptr, small, sizeof small, 120),
            QC_BUFFER_TOO_SMALL);
  qc_model* model = nullptr;
  EXPECT_EQ(qc_model_from_memory(file.data(), file.size(), &model), QC_CORRUPT);
  EXPECT_EQ(model, nullptr);
  EXPECT_EQ(qc_model_from_file("/nonexistent/model.qcm", &model), QC_IO_ERROR);
  const uint8_t pixel[3] = {1, 2, 3};
  qc_encode_options o;
  qc_encode_options_init(&o);  // no target
  uint8_t* out;
  size_t size;
  EXPECT_EQ(qc_encode(h.model, pixel, 1, 1, 3, QC_RGB, &o, &out, &size), QC_INVALID_ARGUMENT);
  o.iterations = 1;
  EXPECT_EQ(qc_encode(h.model, pixel, 1, 1, 2, QC_RGB, &o, &out, &size), QC_INVALID_ARGUMENT)
      << "stride < row";
  EXPECT_EQ(qc_encode(h.model, pixel, 1, 1, 3, static_cast<qc_layout>(5), &o, &out, &size),
            QC_INVALID_ARGUMENT);
  const std::vector<uint8_t> wide(40000 * 3);
  EXPECT_EQ(qc_encode(h.model, wide.data(), 40000, 1, 40000 * 3, QC_RGB, &o, &out, &size), QC_OVER_LIMIT);
  o.effort = 99;
  EXPECT_EQ(qc_encode(h.model, pixel, 1, 1, 3, QC_RGB, &o, &out, &size), QC_INVALID_ARGUMENT) << "effort";
}

TEST(CApi, TheBuiltInModelReachesARate) {
  ModelHandle h;
  ASSERT_EQ(qc_model_builtin(&h.model), QC_OK) << qc_last_error();
  const std::vector<uint8_t> pixels = strided_pixels(64, 64, 3, 64 * 3);
  qc_encode_options o;
  qc_encode_options_init(&o);
  o.bpp = 1.0;
  o.threads = 1;
  int calls = 0;
  o.progress = [](double, void* user) { ++*static_cast<int*>(user); };
  o.progress_user = &calls;
  uint8_t* out;
  size_t size;
  ASSERT_EQ(qc_encode(h.model, pixels.data(), 64, 64, 64 * 3, QC_RGB, &o, &out, &size), QC_OK)
      << qc_last_error();
  EXPECT_LE(size * 8 / (64.0 * 64), 1.01);
  EXPECT_GT(calls, 0);
  const std::vector<uint8_t> fast(out, out + size);
  qc_free(out);
  // A higher effort: another file at the rate, read by the same decoder.
  o.effort = 2;
  ASSERT_EQ(qc_encode(h.model, pixels.data(), 64, 64, 64 * 3, QC_RGB, &o, &out, &size), QC_OK)
      << qc_last_error();
  EXPECT_LE(size * 8 / (64.0 * 64), 1.01);
  EXPECT_NE(std::vector<uint8_t>(out, out + size), fast);
  qc_image image;
  EXPECT_EQ(qc_decode(h.model, out, size, nullptr, &image), QC_OK) << qc_last_error();
  qc_free(image.pixels);
  qc_free(out);
}

}  // namespace
