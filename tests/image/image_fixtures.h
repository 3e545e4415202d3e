// Builds PNG and JPEG files in memory with libpng's and libjpeg's low-level
// write APIs, so the reader tests can cover every format variant without
// committing binary fixtures.
#pragma once
#include <png.h>

#include <cstdint>
#include <cstdio>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include <optional>
#include <vector>

#include "image/image.h"

namespace qc::testing {

struct PngSpec {
  int width = 1;
  int height = 1;
  int color_type = PNG_COLOR_TYPE_RGB;
  int bit_depth = 8;
  bool interlaced = false;  // Adam7
  // One value per sample as stored: palette indices for palette images,
  // otherwise every channel of the color type; width x height x channels.
  std::vector<uint16_t> samples;
  std::vector<png_color> palette;
  std::vector<uint8_t> palette_alpha;     // tRNS of a palette image
  std::optional<png_color_16> color_key;  // tRNS of a gray or RGB image
};

// The samples per pixel that a PNG color type stores.
int png_file_channels(int color_type);

// A complete PNG file. Fails the current test and returns {} if libpng
// refuses the spec.
std::vector<uint8_t> make_png(const PngSpec& spec);

// The start of a width x height 8-bit RGB PNG: signature, IHDR and the first
// two bytes of image data. What a reader sees first of a decompression bomb.
std::vector<uint8_t> make_png_header(uint32_t width, uint32_t height);

struct JpegSpec {
  J_COLOR_SPACE input = JCS_RGB;  // JCS_GRAYSCALE, JCS_RGB or JCS_CMYK
  int quality = 95;
  bool progressive = false;
};

// A JPEG of image (1 channel for gray, 3 for RGB, 4 for CMYK). Fails the
// current test and returns {} on a libjpeg error.
std::vector<uint8_t> make_jpeg(const Image& image, const JpegSpec& spec);

// An image of random bytes, the same for the same seed.
Image random_image(int width, int height, int channels, uint32_t seed);

// A smooth image (gradients), which JPEG reproduces closely.
Image gradient_image(int width, int height, int channels);

}  // namespace qc::testing
