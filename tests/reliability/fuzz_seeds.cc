#include "tests/reliability/fuzz_seeds.h"

#include <zstd.h>

#include "codec/bitstream.h"
#include "codec/codec.h"
#include "fuzz/fuzz_targets.h"
#include "tests/image/image_fixtures.h"

namespace qc::testing {
namespace {

std::vector<uint16_t> ramp(size_t count, int modulo) {
  std::vector<uint16_t> v(count);
  for (size_t i = 0; i < count; ++i) v[i] = static_cast<uint16_t>((i * 37 + 11) % modulo);
  return v;
}

PngSpec png_spec(int width, int height, int color_type, int bit_depth) {
  PngSpec spec;
  spec.width = width;
  spec.height = height;
  spec.color_type = color_type;
  spec.bit_depth = bit_depth;
  const int limit = color_type == PNG_COLOR_TYPE_PALETTE ? 4 : (1 << bit_depth);
  spec.samples = ramp(static_cast<size_t>(width) * height * png_file_channels(color_type), limit);
  return spec;
}

std::map<std::string, std::vector<uint8_t>> png_seeds() {
  PngSpec palette = png_spec(5, 3, PNG_COLOR_TYPE_PALETTE, 2);
  palette.palette = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {9, 9, 9}};
  palette.palette_alpha = {0, 128};
  PngSpec keyed = png_spec(4, 4, PNG_COLOR_TYPE_GRAY, 8);
  keyed.color_key = png_color_16{0, 0, 0, 0, 11};
  PngSpec interlaced = png_spec(9, 7, PNG_COLOR_TYPE_RGB_ALPHA, 8);
  interlaced.interlaced = true;
  return {{"gray1_3x2.png", make_png(png_spec(3, 2, PNG_COLOR_TYPE_GRAY, 1))},
          {"palette_trns_5x3.png", make_png(palette)},
          {"gray_key_4x4.png", make_png(keyed)},
          {"ga16_3x3.png", make_png(png_spec(3, 3, PNG_COLOR_TYPE_GRAY_ALPHA, 16))},
          {"rgb16_4x2.png", make_png(png_spec(4, 2, PNG_COLOR_TYPE_RGB, 16))},
          {"rgba_adam7_9x7.png", make_png(interlaced)}};
}

std::map<std::string, std::vector<uint8_t>> jpeg_seeds() {
  JpegSpec gray{JCS_GRAYSCALE, 50, false}, rgb{JCS_RGB, 75, false}, progressive{JCS_RGB, 75, true};
  return {{"gray_8x8.jpg", make_jpeg(gradient_image(8, 8, 1), gray)},
          {"rgb_17x9.jpg", make_jpeg(gradient_image(17, 9, 3), rgb)},
          {"rgb_progressive_16x16.jpg", make_jpeg(gradient_image(16, 16, 3), progressive)}};
}

std::vector<uint8_t> with_mode(uint8_t mode, const std::vector<uint8_t>& bytes) {
  std::vector<uint8_t> out(bytes.size() + 1);
  out[0] = mode;
  std::copy(bytes.begin(), bytes.end(), out.begin() + 1);
  return out;
}

std::map<std::string, std::vector<uint8_t>> qcm_seeds() {
  const std::vector<uint8_t> file = serialize_qcm(fuzz::fuzz_model().qcm);
  // The body is the zstd frame between the 24-byte header and the 8-byte trailer.
  const size_t header = 24, trailer = 8;
  std::vector<uint8_t> body(ZSTD_getFrameContentSize(file.data() + header, file.size() - header - trailer));
  ZSTD_decompress(body.data(), body.size(), file.data() + header, file.size() - header - trailer);
  return {{"file.qcm", with_mode(fuzz::kQcmFile, file)}, {"body.qcmb", with_mode(fuzz::kQcmBody, body)}};
}

std::vector<uint8_t> encoded(const Image& image, int iterations, double bpp) {
  EncodeOptions options;
  options.iterations = iterations;
  options.bpp = bpp;
  options.threads = 1;
  options.tile = 1;
  return encode(image, fuzz::fuzz_model(), options).bytes;
}

std::map<std::string, std::vector<uint8_t>> decode_seeds() {
  return {{"rgb_1x1.qc", encoded(random_image(1, 1, 3, 1), 1, 0)},
          {"rgb_48x32_bpp.qc", encoded(gradient_image(48, 32, 3), 0, 2.0)},
          {"gray_20x20.qc", encoded(random_image(20, 20, 1, 2), 3, 0)},
          {"ga_17x33.qc", encoded(random_image(17, 33, 2, 3), 2, 0)},
          {"rgba_33x17.qc", encoded(random_image(33, 17, 4, 4), 4, 0)}};
}

// Containers written without a model: pseudo-random code bits under a map
// whose counts vary by tile.
std::vector<uint8_t> container(uint32_t width, uint32_t height, uint32_t channels, int tile, int iterations) {
  QcFile f;
  f.width = width;
  f.height = height;
  f.channels = channels;
  f.model_fingerprint = fuzz::kQcSeedFingerprint;
  f.code_channels = 8;
  const int rows = static_cast<int>((height + 15) / 16), cols = static_cast<int>((width + 15) / 16);
  f.map = TileMap(tile, rows, cols, 0);
  for (size_t t = 0; t < f.map.counts.size(); ++t)
    f.map.counts[t] = static_cast<uint8_t>((t * 5 + 1) % (iterations + 1));
  if (!f.map.counts.empty()) f.map.counts[0] = static_cast<uint8_t>(iterations);
  f.codes = CodeStack(iterations, 8, rows, cols);
  for (size_t i = 0; i < f.codes.bits.size(); ++i) f.codes.bits[i] = (i * 2654435761u >> 7) & 1;
  if (channels == 2 || channels == 4) {
    f.alpha.resize(static_cast<size_t>(width) * height);
    for (size_t i = 0; i < f.alpha.size(); ++i) f.alpha[i] = static_cast<uint8_t>(i * 3);
  }
  return write_qc(f);
}

std::map<std::string, std::vector<uint8_t>> qc_seeds() {
  return {{"gray_zero_iterations.qc", container(8, 8, 1, 2, 0)},
          {"graya_20x20.qc", container(20, 20, 2, 1, 3)},
          {"rgb_1x1.qc", container(1, 1, 3, 1, 1)},
          {"rgb_40x24.qc", container(40, 24, 3, 1, 5)},
          {"rgba_33x17.qc", container(33, 17, 4, 2, 4)}};
}

}  // namespace

SeedSet make_fuzz_seeds() {
  return {{"png", png_seeds()},
          {"jpeg", jpeg_seeds()},
          {"qcm", qcm_seeds()},
          {"qc", qc_seeds()},
          {"decode", decode_seeds()}};
}

}  // namespace qc::testing
