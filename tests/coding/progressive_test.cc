// Prefix decoding: the first N iterations of a file, a rate limit, and a
// truncated file all decode to exactly what a fresh encode with every tile's
// count capped gives; format-1 files still decode.
#include <gtest/gtest.h>

#include <string>

#include "base/error.h"
#include "base/file_io.h"
#include "codec/bitstream.h"
#include "codec/codec.h"
#include "image/image_io.h"
#include "tests/coding/codec_fixtures.h"

namespace qc {
namespace {

// A map whose counts vary from tile to tile (0 included), up to `most`.
TileMap varied_map(const Image& image, int tile, int most, uint64_t seed) {
  const int rows = (image.height + 15) / 16, cols = (image.width + 15) / 16;
  TileMap map(tile, rows, cols, 0);
  for (size_t t = 0; t < map.counts.size(); ++t)
    map.counts[t] = static_cast<uint8_t>((t * 7 + seed) % (most + 1));
  map.counts[0] = static_cast<uint8_t>(most);
  return map;
}

EncodeOptions with_allocation(const TileMap& map) {
  EncodeOptions o;
  o.allocation = map;
  o.threads = 1;
  return o;
}

DecodeOptions prefix_of(int n) {
  DecodeOptions o;
  o.threads = 1;
  o.max_iterations = n;
  return o;
}

TEST(Progressive, EveryPrefixIsTheFreshEncodeWithCappedCounts) {
  const Model models[] = {small_model(7), small_model(11, CellType::kLstm, 1, 5)};
  const std::pair<int, int> sizes[] = {{67, 45}, {33, 70}, {16, 16}, {1, 1}};
  for (const Model& model : models) {
    const int most = model.qcm.config.iterations;
    for (auto [w, h] : sizes) {
      for (int channels : {3, 4}) {
        const Image image = noise_image(w, h, channels, w * 31 + h);
        const TileMap map = varied_map(image, 1 + w % 2, most, w + h);
        const EncodeResult whole = encode(image, model, with_allocation(map));
        for (int n = 1; n <= most; ++n) {
          const DecodeResult prefix =
              decode(whole.bytes.data(), whole.bytes.size(), model, prefix_of(n), "p.qc");
          const EncodeResult fresh = encode(image, model, with_allocation(map.capped(n)));
          const Image expected = decode(fresh.bytes.data(), fresh.bytes.size(), model, 1, "f.qc");
          ASSERT_EQ(prefix.iterations, std::min(n, map.max_count()));
          ASSERT_EQ(prefix.image.pixels, expected.pixels) << w << "x" << h << " n=" << n;
        }
      }
    }
  }
}

TEST(Progressive, ARateLimitPicksTheLongestPrefixThatFits) {
  const Model model = small_model();
  const Image image = noise_image(96, 64, 3);
  const EncodeResult whole = encode(image, model, iterations(6));
  const QcHeader h = read_qc_header(whole.bytes.data(), whole.bytes.size(), "w.qc");
  const double pixels = 96.0 * 64;
  for (int n = 1; n <= 6; ++n) {
    DecodeOptions o;
    o.threads = 1;
    o.max_bpp = h.bytes_through(n) * 8 / pixels;  // exactly n iterations' bytes
    const DecodeResult r = decode(whole.bytes.data(), whole.bytes.size(), model, o, "w.qc");
    EXPECT_EQ(r.iterations, n);
    EXPECT_EQ(r.bytes_used, h.bytes_through(n));
    EXPECT_EQ(r.image.pixels,
              decode(whole.bytes.data(), whole.bytes.size(), model, prefix_of(n), "w.qc").image.pixels);
    o.max_bpp *= 0.999;  // a hair less: one iteration fewer
    if (n > 1) {
      EXPECT_EQ(decode(whole.bytes.data(), whole.bytes.size(), model, o, "w.qc").iterations, n - 1);
    }
  }
  DecodeOptions tiny;
  tiny.max_bpp = 0.001;
  EXPECT_THROW(decode(whole.bytes.data(), whole.bytes.size(), model, tiny, "w.qc"), Error);
}

TEST(Progressive, ATruncatedFileDecodesItsCompleteIterations) {
  const Model model = small_model();
  const Image image = noise_image(80, 48, 4);
  const EncodeResult whole = encode(image, model, with_allocation(varied_map(image, 2, 6, 3)));
  const QcHeader h = read_qc_header(whole.bytes.data(), whole.bytes.size(), "w.qc");
  DecodeOptions partial;
  partial.threads = 1;
  partial.accept_prefix = true;
  for (int n = 1; n < h.iterations; ++n) {
    // The bytes of n iterations and part of the next.
    const size_t cut = h.bytes_through(n) + h.iteration_bytes[n] / 2;
    const DecodeResult r = decode(whole.bytes.data(), cut, model, partial, "cut.qc");
    EXPECT_TRUE(r.truncated);
    EXPECT_EQ(r.iterations, n);
    EXPECT_EQ(r.image.pixels,
              decode(whole.bytes.data(), whole.bytes.size(), model, prefix_of(n), "w.qc").image.pixels);
    // Without the option the same bytes are refused.
    EXPECT_THROW(decode(whole.bytes.data(), cut, model, prefix_of(0), "cut.qc"), Error);
  }
}

// Files written by format 1 (before per-iteration streams), with the random
// model they were made with, decode to the pixels decoded then.
TEST(Progressive, Format1FilesStillDecode) {
  const Model model = small_model();
  for (const char* name : {"rgb_67x45", "rgba_32x32", "gray_40x40"}) {
    const std::string base = std::string(QC_TEST_DATA) + "/format_v1/" + name;
    const std::vector<uint8_t> bytes = read_file(base + ".qc", 1 << 20);
    ASSERT_EQ(bytes[container::kVersionAt], 1);
    const Image expected = read_image(base + ".decoded.png").image;
    EXPECT_EQ(decode(bytes.data(), bytes.size(), model, 1, name).pixels, expected.pixels) << name;
    // Prefixes by iteration count work on them too; a rate limit needs format 2.
    EXPECT_NO_THROW(decode(bytes.data(), bytes.size(), model, prefix_of(1), name));
    DecodeOptions rate;
    rate.max_bpp = 1;
    EXPECT_THROW(decode(bytes.data(), bytes.size(), model, rate, name), Error);
  }
}

}  // namespace
}  // namespace qc
