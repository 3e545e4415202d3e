// Hostile files against the resource bounds of docs/LIMITS.md: what a file
// claims is checked before memory is committed to it, and what is committed
// is a bounded multiple of the image the file claims.
#include <gtest/gtest.h>
#include <zstd.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "codec/bitstream.h"
#include "codec/codec.h"
#include "entropy/map_coder.h"
#include "fuzz/fuzz_targets.h"
#include "image/image_io.h"
#include "nn/model_file.h"
#include "nn/random_model.h"
#include "tests/base/error_of.h"
#include "tests/image/image_fixtures.h"
#include "tests/reliability/allocation_meter.h"

namespace qc {
namespace {

using testing::AllocationMeter;

// Bytes held per output pixel while decoding with the default architecture
// (measured: 90; docs/LIMITS.md).
constexpr size_t kDecodeBytesPerPixelBound = 128;
// The same while encoding at a target rate (measured: 144).
constexpr size_t kEncodeBytesPerPixelBound = 256;

using testing::error_of;

void put_le(std::vector<uint8_t>& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

// A format-2 .qc file written field by field (layout: codec/bitstream.h),
// whatever the fields say, with a payload of pseudo-random bytes (empty by
// default) split evenly between the iterations and valid checksums: what an
// attacker can make without write_qc's checks.
std::vector<uint8_t> crafted_qc(uint64_t fingerprint, int width, int height, int tile, int iterations,
                                int code_channels, size_t payload_bytes = 0) {
  const int rows = (height + kCodeBlock - 1) / kCodeBlock, cols = (width + kCodeBlock - 1) / kCodeBlock;
  const TileMap map(tile, rows, cols, iterations);
  const std::vector<uint8_t> map_bytes = encode_tile_map(map, iterations);
  std::vector<uint8_t> out(container::kMagic, container::kMagic + 4);
  out.push_back(kQcFormatVersion);
  put_le(out, fingerprint, 8);
  put_le(out, 0, 4);  // size, set by seal_qc
  put_le(out, width - 1, 2);
  put_le(out, height - 1, 2);
  put_le(out, 1, 1);  // gray
  put_le(out, tile, 1);
  put_le(out, iterations, 1);
  put_le(out, code_channels, 1);
  put_le(out, map_bytes.size(), 4);
  put_le(out, 0, 4);
  for (int i = 0; i < iterations; ++i) {  // LEB128 stream sizes
    size_t n = payload_bytes / iterations + (i == iterations - 1 ? payload_bytes % iterations : 0);
    for (; n >= 0x80; n >>= 7) out.push_back(static_cast<uint8_t>(n | 0x80));
    out.push_back(static_cast<uint8_t>(n));
  }
  out.insert(out.end(), map_bytes.begin(), map_bytes.end());
  put_le(out, 0, 4);  // head checksum, set by seal_qc
  uint32_t state = 12345;
  for (size_t i = 0; i < payload_bytes; ++i) {
    state = state * 1664525u + 1013904223u;
    out.push_back(static_cast<uint8_t>(state >> 24));
  }
  put_le(out, 0, 4);  // checksum, set by seal_qc
  return fuzz::seal_qc(out.data(), out.size(), fingerprint);
}

// Before the fix, decode() read the whole code stack (up to kMaxCodeBits, 512
// MB and seconds of work) and only then compared it with the model.
TEST(HostileQc, MoreIterationsThanTheModelIsRefusedBeforeThePayload) {
  const Model& model = fuzz::fuzz_model();
  const std::vector<uint8_t> file =
      crafted_qc(model.fingerprint, 1024, 1024, 1, kMaxIterations, model.qcm.config.code_channels);
  AllocationMeter meter;
  EXPECT_EQ(error_of([&] { decode(file.data(), file.size(), model, 1, "evil.qc"); }),
            "evil.qc: more iterations than the model has");
  EXPECT_LT(meter.peak(), size_t{64} << 10);
}

TEST(HostileQc, OtherCodeChannelsAreRefusedBeforeThePayload) {
  const Model& model = fuzz::fuzz_model();
  const std::vector<uint8_t> file =
      crafted_qc(model.fingerprint, 1024, 1024, 1, model.qcm.config.iterations, kMaxCodeChannels);
  AllocationMeter meter;
  EXPECT_EQ(error_of([&] { decode(file.data(), file.size(), model, 1, "evil.qc"); }),
            "evil.qc: code channels do not match the model");
  EXPECT_LT(meter.peak(), size_t{64} << 10);
}

// Without a model (qcodec info) the code stack is bounded by the container:
// iterations x code channels / 256 <= 16 bytes per pixel.
TEST(HostileQc, ContainerAloneHoldsAtMostSixteenBytesPerPixel) {
  const size_t code_bits = size_t{512 / 16} * (512 / 16) * kMaxIterations * kMaxCodeChannels;
  const std::vector<uint8_t> file =
      crafted_qc(fuzz::kQcSeedFingerprint, 512, 512, 1, kMaxIterations, kMaxCodeChannels, code_bits / 4);
  AllocationMeter meter;
  const QcFile read = read_qc(file.data(), file.size(), fuzz::kQcSeedFingerprint, "big.qc");
  EXPECT_EQ(read.codes.bits.size(), size_t{512} * 512 * 16);
  EXPECT_LT(meter.peak(), size_t{512} * 512 * 16 + (size_t{1} << 20));  // + coder state
}

// Found by fuzzing: a few payload bytes claiming millions of codes made the
// range decoder produce near-free bits for tens of seconds. Reading far past
// the payload's end is now corruption.
TEST(HostileQc, PayloadTooShortForItsCodesIsRefusedEarly) {
  const std::vector<uint8_t> file =
      crafted_qc(fuzz::kQcSeedFingerprint, 4096, 4096, 1, kMaxIterations, kMaxCodeChannels, 64);
  EXPECT_EQ(error_of([&] { read_qc(file.data(), file.size(), fuzz::kQcSeedFingerprint, "short.qc"); }),
            "short.qc: code payload ends early (corrupt or truncated file)");
}

// Decoding memory grows with the pixels the file claims, by a fixed factor
// for a given architecture (the network's states), plus the model.
TEST(HostileQc, DecodeMemoryGrowsByAFixedAmountPerPixel) {
  const std::vector<uint8_t> model_file = serialize_qcm(random_qcm_model(ArchConfig{}, 1, 3));
  const Model model = model_from_bytes(model_file.data(), model_file.size(), "model");
  size_t peak[2], pixels[2];
  for (int i = 0; i < 2; ++i) {
    const int side = 64 << i;
    const ArchConfig& c = model.qcm.config;
    const size_t code_bits = size_t(side / 16) * (side / 16) * c.iterations * c.code_channels;
    const std::vector<uint8_t> file =
        crafted_qc(model.fingerprint, side, side, 2, c.iterations, c.code_channels, code_bits / 4);
    AllocationMeter meter;
    decode(file.data(), file.size(), model, 1, "big.qc");
    peak[i] = meter.peak();
    pixels[i] = static_cast<size_t>(side) * side;
  }
  const size_t per_pixel = (peak[1] - peak[0]) / (pixels[1] - pixels[0]);
  std::printf("decode, default architecture: %zu bytes per pixel + %zu bytes\n", per_pixel,
              peak[0] - per_pixel * pixels[0]);
  EXPECT_LE(per_pixel, kDecodeBytesPerPixelBound);
}

// Encoding memory likewise: the encoder's and the decoder's states (closed
// loop) and the planar image, per pixel of the input.
TEST(HostileImage, EncodeMemoryGrowsByAFixedAmountPerPixel) {
  const std::vector<uint8_t> model_file = serialize_qcm(random_qcm_model(ArchConfig{}, 1, 3));
  const Model model = model_from_bytes(model_file.data(), model_file.size(), "model");
  EncodeOptions options;
  options.bpp = 0.5;  // rate control: the costliest path
  options.threads = 1;
  size_t peak[2], pixels[2];
  for (int i = 0; i < 2; ++i) {
    const int side = 64 << i;
    const Image image = testing::random_image(side, side, 3, 9);
    AllocationMeter meter;
    encode(image, model, options);
    peak[i] = meter.peak();
    pixels[i] = static_cast<size_t>(side) * side;
  }
  const size_t per_pixel = (peak[1] - peak[0]) / (pixels[1] - pixels[0]);
  std::printf("encode, default architecture: %zu bytes per pixel + %zu bytes\n", per_pixel,
              peak[0] - per_pixel * pixels[0]);
  EXPECT_LE(per_pixel, kEncodeBytesPerPixelBound);
}

// A PNG is refused on its header when it claims too many pixels, and
// otherwise costs its pixel buffer and one pointer per row.
TEST(HostilePng, OversizedHeaderIsRefusedBeforeAllocating) {
  const std::vector<uint8_t> png = testing::make_png_header(40000, 40000);
  AllocationMeter meter;
  EXPECT_NE(error_of([&] { decode_image(png.data(), png.size(), "bomb.png"); }), "");
  EXPECT_LT(meter.peak(), size_t{64} << 10);
}

TEST(HostilePng, TruncatedLargeImageCostsAtMostItsPixels) {
  const int side = 2048;
  const std::vector<uint8_t> png = testing::make_png_header(side, side);
  AllocationMeter meter;
  EXPECT_NE(error_of([&] { decode_image(png.data(), png.size(), "cut.png"); }), "");
  EXPECT_LE(meter.peak(), size_t{side} * side * 3 + side * sizeof(void*) + (size_t{64} << 10));
}

// A .qcm header can claim a body of up to kMaxQcmBodyBytes; the zstd frame
// must say the same before that much is allocated.
TEST(HostileQcm, ClaimedBodySizeIsCheckedBeforeAllocating) {
  const uint8_t body[16] = {};
  std::vector<uint8_t> frame(ZSTD_compressBound(sizeof body));
  frame.resize(ZSTD_compress(frame.data(), frame.size(), body, sizeof body, 1));
  std::vector<uint8_t> file = {'Q', 'C', 'M', '1'};
  put_le(file, 1, 4);
  put_le(file, kMaxQcmBodyBytes, 8);
  put_le(file, frame.size(), 8);
  file.insert(file.end(), frame.begin(), frame.end());
  put_le(file, qcm_fingerprint(file), 8);  // the trailer: FNV-1a of the bytes before it
  AllocationMeter meter;
  EXPECT_EQ(error_of([&] { parse_qcm(file.data(), file.size(), "evil.qcm"); }),
            "evil.qcm: model body does not decompress");
  EXPECT_LT(meter.peak(), size_t{64} << 10);
}

}  // namespace
}  // namespace qc
