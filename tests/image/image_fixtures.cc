#include "tests/image/image_fixtures.h"

#include <gtest/gtest.h>

#include <csetjmp>
#include <cstdlib>
#include <random>

namespace qc::testing {
namespace {

void append_to_vector(png_structp png, png_bytep data, size_t size) {
  auto* out = static_cast<std::vector<uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + size);
}

void flush_nothing(png_structp) {}

// Packs samples into PNG rows: big-endian for 16 bits, most significant bits
// first below 8 bits.
std::vector<std::vector<uint8_t>> pack_rows(const PngSpec& spec) {
  int per_row = spec.width * png_file_channels(spec.color_type);
  std::vector<std::vector<uint8_t>> rows(spec.height);
  for (int y = 0; y < spec.height; ++y) {
    std::vector<uint8_t>& row = rows[y];
    row.assign((static_cast<size_t>(per_row) * spec.bit_depth + 7) / 8, 0);
    for (int i = 0; i < per_row; ++i) {
      uint16_t v = spec.samples.at(static_cast<size_t>(y) * per_row + i);
      if (spec.bit_depth == 16) {
        row[2 * i] = static_cast<uint8_t>(v >> 8);
        row[2 * i + 1] = static_cast<uint8_t>(v);
      } else {
        int bit = i * spec.bit_depth;
        int shift = 8 - spec.bit_depth - bit % 8;
        row[bit / 8] |= static_cast<uint8_t>(v << shift);
      }
    }
  }
  return rows;
}

// Only trivially destructible locals: libpng leaves by longjmp on error.
bool write_png(png_structp png, png_infop info, const PngSpec& spec, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_IHDR(png, info, spec.width, spec.height, spec.bit_depth, spec.color_type,
               spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!spec.palette.empty()) {
    png_set_PLTE(png, info, spec.palette.data(), static_cast<int>(spec.palette.size()));
  }
  if (!spec.palette_alpha.empty()) {
    png_set_tRNS(png, info, spec.palette_alpha.data(), static_cast<int>(spec.palette_alpha.size()), nullptr);
  }
  if (spec.color_key) png_set_tRNS(png, info, nullptr, 0, &*spec.color_key);
  png_write_info(png, info);
  if (rows) {
    png_write_image(png, rows);
    png_write_end(png, nullptr);
  } else {
    // Readers parse every chunk up to the first IDAT before the pixels.
    static const png_byte kIdat[5] = {'I', 'D', 'A', 'T', 0};
    static const png_byte kStartOfZlibStream[2] = {0x78, 0x9c};
    png_write_chunk(png, kIdat, kStartOfZlibStream, sizeof(kStartOfZlibStream));
  }
  return true;
}

std::vector<uint8_t> write_png_or_fail(const PngSpec& spec, bool header_only) {
  std::vector<std::vector<uint8_t>> packed;
  std::vector<png_bytep> rows;
  if (!header_only) {
    packed = pack_rows(spec);
    for (auto& row : packed) rows.push_back(row.data());
  }
  std::vector<uint8_t> out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(png, &out, append_to_vector, flush_nothing);
  bool ok = write_png(png, info, spec, header_only ? nullptr : rows.data());
  png_destroy_write_struct(&png, &info);
  if (!ok) {
    ADD_FAILURE() << "libpng refused the fixture";
    return {};
  }
  return out;
}

struct JpegFixtureError {
  jpeg_error_mgr base;
  std::jmp_buf jump;
};

void on_jpeg_error(j_common_ptr cinfo) {
  std::longjmp(reinterpret_cast<JpegFixtureError*>(cinfo->err)->jump, 1);
}

bool write_jpeg(jpeg_compress_struct& cinfo, JpegFixtureError& err, const Image& image, const JpegSpec& spec,
                unsigned char** buffer, unsigned long* size) {
  if (setjmp(err.jump)) return false;
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, buffer, size);
  cinfo.image_width = image.width;
  cinfo.image_height = image.height;
  cinfo.input_components = image.channels;
  cinfo.in_color_space = spec.input;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, spec.quality, TRUE);
  if (spec.progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  size_t stride = static_cast<size_t>(image.width) * image.channels;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(image.pixels.data()) + cinfo.next_scanline * stride;
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  return true;
}

}  // namespace

int png_file_channels(int color_type) {
  switch (color_type) {
    case PNG_COLOR_TYPE_GRAY_ALPHA:
      return 2;
    case PNG_COLOR_TYPE_RGB:
      return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA:
      return 4;
    default:  // gray, palette
      return 1;
  }
}

std::vector<uint8_t> make_png(const PngSpec& spec) { return write_png_or_fail(spec, false); }

std::vector<uint8_t> make_png_header(uint32_t width, uint32_t height) {
  PngSpec spec;
  spec.width = static_cast<int>(width);
  spec.height = static_cast<int>(height);
  return write_png_or_fail(spec, true);
}

std::vector<uint8_t> make_jpeg(const Image& image, const JpegSpec& spec) {
  jpeg_compress_struct cinfo{};
  JpegFixtureError err;
  cinfo.err = jpeg_std_error(&err.base);
  err.base.error_exit = on_jpeg_error;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  bool ok = write_jpeg(cinfo, err, image, spec, &buffer, &size);
  std::vector<uint8_t> out;
  if (ok) out.assign(buffer, buffer + size);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  if (!ok) ADD_FAILURE() << "libjpeg refused the fixture";
  return out;
}

Image random_image(int width, int height, int channels, uint32_t seed) {
  Image image(width, height, channels);
  std::mt19937 rng(seed);
  for (uint8_t& v : image.pixels) v = static_cast<uint8_t>(rng() >> 24);
  return image;
}

Image gradient_image(int width, int height, int channels) {
  Image image(width, height, channels);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        image.at(x, y, c) = static_cast<uint8_t>(x * 150 / width + y * 60 / height + c * 15);
      }
    }
  }
  return image;
}

}  // namespace qc::testing
