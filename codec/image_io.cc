#include "codec/image_io.h"

#include <png.h>
#include <csetjmp>
#include <cstdio>
#include <cstring>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include "base/error.h"
#include "base/file_io.h"

namespace qc {
namespace {

void check_dimensions(uint64_t width, uint64_t height, const std::string& name) {
  if (width == 0 || height == 0) throw Error(name + ": image has zero width or height");
  if (width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImagePixels) {
    throw Error(name + ": image " + std::to_string(width) + "x" + std::to_string(height) +
                " is over the limit (" + std::to_string(kMaxImageSide) + " px a side, " +
                std::to_string(kMaxImagePixels) + " pixels)");
  }
}

bool is_png(const uint8_t* data, size_t size) {
  static const uint8_t kMagic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  return size >= 8 && std::memcmp(data, kMagic, 8) == 0;
}

bool is_jpeg(const uint8_t* data, size_t size) {
  return size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff;
}

// libpng's simplified API handles every bit depth, palette, tRNS and interlacing.
DecodedImage decode_png(const uint8_t* data, size_t size, const std::string& name) {
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, data, size)) {
    throw Error(name + ": invalid PNG: " + png.message);
  }
  struct Guard {
    png_image* p;
    ~Guard() { png_image_free(p); }
  } guard{&png};
  check_dimensions(png.width, png.height, name);

  DecodedImage out;
  out.was_16bit = (png.format & PNG_FORMAT_FLAG_LINEAR) != 0;
  bool color = (png.format & PNG_FORMAT_FLAG_COLOR) != 0;
  bool alpha = (png.format & PNG_FORMAT_FLAG_ALPHA) != 0;
  // 8-bit sRGB output; 16-bit linear input is converted by libpng.
  png.format = (color ? PNG_FORMAT_FLAG_COLOR : 0) | (alpha ? PNG_FORMAT_FLAG_ALPHA : 0);
  int channels = (color ? 3 : 1) + (alpha ? 1 : 0);
  out.image = Image(static_cast<int>(png.width), static_cast<int>(png.height), channels);
  if (!png_image_finish_read(&png, nullptr, out.image.pixels.data(), 0, nullptr)) {
    throw Error(name + ": invalid PNG: " + png.message);
  }
  return out;
}

struct JpegErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_error_exit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void jpeg_silence(j_common_ptr, int) {}

DecodedImage decode_jpeg(const uint8_t* data, size_t size, const std::string& name) {
  jpeg_decompress_struct cinfo;
  JpegErrorManager err;
  cinfo.err = jpeg_std_error(&err.base);
  err.base.error_exit = jpeg_error_exit;
  err.base.emit_message = jpeg_silence;
  // Everything that must survive the longjmp lives outside this frame's locals
  // that change after setjmp.
  DecodedImage out;
  std::string failure;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    throw Error(name + ": invalid JPEG: " + err.message);
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
    jpeg_destroy_decompress(&cinfo);
    throw Error(name + ": CMYK JPEG is not supported (convert it to RGB first)");
  }
  bool gray = cinfo.jpeg_color_space == JCS_GRAYSCALE;
  cinfo.out_color_space = gray ? JCS_GRAYSCALE : JCS_RGB;
  uint64_t w = cinfo.image_width, h = cinfo.image_height;
  if (w == 0 || h == 0 || w > kMaxImageSide || h > kMaxImageSide || w * h > kMaxImagePixels) {
    jpeg_destroy_decompress(&cinfo);
    check_dimensions(w, h, name);  // throws with the message
  }
  jpeg_start_decompress(&cinfo);
  out.image = Image(static_cast<int>(cinfo.output_width), static_cast<int>(cinfo.output_height),
                    cinfo.output_components);
  size_t stride = static_cast<size_t>(out.image.width) * out.image.channels;
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = out.image.pixels.data() + cinfo.output_scanline * stride;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return out;
}

}  // namespace

DecodedImage decode_image(const uint8_t* data, size_t size, const std::string& name) {
  if (is_png(data, size)) return decode_png(data, size, name);
  if (is_jpeg(data, size)) return decode_jpeg(data, size, name);
  throw Error(name + ": not a PNG or JPEG file");
}

DecodedImage read_image(const std::string& path) {
  std::vector<uint8_t> bytes = read_file(path, kMaxImageFileBytes);
  return decode_image(bytes.data(), bytes.size(), path);
}

std::vector<uint8_t> encode_png(const Image& image) {
  if (image.channels < 1 || image.channels > 4 || image.width <= 0 || image.height <= 0) {
    throw Error("cannot write PNG: bad image shape");
  }
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  static const png_uint_32 kFormats[5] = {0, PNG_FORMAT_GRAY, PNG_FORMAT_GA, PNG_FORMAT_RGB,
                                          PNG_FORMAT_RGBA};
  png.format = kFormats[image.channels];
  png_alloc_size_t size = 0;
  if (!png_image_write_get_memory_size(png, size, 0, image.pixels.data(), 0, nullptr)) {
    throw Error(std::string("cannot write PNG: ") + png.message);
  }
  std::vector<uint8_t> out(size);
  if (!png_image_write_to_memory(&png, out.data(), &size, 0, image.pixels.data(), 0, nullptr)) {
    throw Error(std::string("cannot write PNG: ") + png.message);
  }
  out.resize(size);
  return out;
}

}  // namespace qc
