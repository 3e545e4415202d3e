#include "image/image_io.h"

#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
// jpeglib.h needs FILE and size_t declared first, jerror.h needs jpeglib.h.
// clang-format off
#include <jpeglib.h>
#include <jerror.h>
// clang-format on

#include "base/error.h"
#include "base/file_io.h"

// libpng and libjpeg report errors by longjmp. Every function below that sets
// a jump point calls the library directly and holds only trivially
// destructible locals, so the jump skips no C++ destructor; it returns false
// and the C++ caller throws qc::Error with the library's message.

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

// ---------------------------------------------------------------- PNG

// Owns the libpng read state and the in-memory source it reads from.
struct PngReader {
  png_structp png = nullptr;
  png_infop info = nullptr;
  const uint8_t* data = nullptr;
  size_t size = 0;
  size_t pos = 0;
  char message[256] = "";

  ~PngReader() { png_destroy_read_struct(&png, &info, nullptr); }
};

void on_png_error(png_structp png, png_const_charp message) {
  auto* reader = static_cast<PngReader*>(png_get_error_ptr(png));
  std::snprintf(reader->message, sizeof(reader->message), "%s", message);
  png_longjmp(png, 1);
}

// Warnings (bad ancillary chunks, which libpng skips) would only clutter stderr.
void on_png_warning(png_structp, png_const_charp) {}

void read_png_bytes(png_structp png, png_bytep out, size_t count) {
  auto* reader = static_cast<PngReader*>(png_get_io_ptr(png));
  if (count > reader->size - reader->pos) png_error(png, "file is truncated");
  std::memcpy(out, reader->data + reader->pos, count);
  reader->pos += count;
}

// Reads the chunks before the image data (IHDR first); allocates nothing sized
// by the image.
bool read_png_header(PngReader& r) {
  if (setjmp(png_jmpbuf(r.png))) return false;
  // Our own limit below gives the message; libpng's smaller default would not.
  png_set_user_limits(r.png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  png_read_info(r.png, r.info);
  return true;
}

// Decodes every pass into rows already sized for 8-bit gray/GA/RGB/RGBA.
bool read_png_pixels(PngReader& r, png_bytepp rows, size_t row_bytes) {
  if (setjmp(png_jmpbuf(r.png))) return false;
  png_set_expand(r.png);    // palette -> RGB, gray 1/2/4 bit -> 8 bit, tRNS -> alpha
  png_set_scale_16(r.png);  // 16 -> 8 bit, rounded
  png_set_interlace_handling(r.png);
  png_read_update_info(r.png, r.info);
  if (png_get_rowbytes(r.png, r.info) != row_bytes) png_error(r.png, "unexpected row size");
  png_read_image(r.png, rows);
  png_read_end(r.png, nullptr);  // a file cut after the pixel data still lacks IEND
  return true;
}

// Samples are returned as stored: gAMA, cHRM, iCCP and sBIT are ignored, as by
// most image tools, so every codec and metric sees the same numbers.
DecodedImage decode_png(const uint8_t* data, size_t size, const std::string& name) {
  PngReader r;
  r.data = data;
  r.size = size;
  r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, on_png_error, on_png_warning);
  if (r.png) r.info = png_create_info_struct(r.png);
  if (!r.png || !r.info) throw Error(name + ": out of memory starting the PNG reader");
  png_set_read_fn(r.png, &r, read_png_bytes);

  if (!read_png_header(r)) throw Error(name + ": invalid PNG: " + r.message);
  png_uint_32 width = png_get_image_width(r.png, r.info);
  png_uint_32 height = png_get_image_height(r.png, r.info);
  check_dimensions(width, height, name);

  int color_type = png_get_color_type(r.png, r.info);
  bool color = (color_type & PNG_COLOR_MASK_COLOR) != 0;  // palette images are color too
  bool alpha = (color_type & PNG_COLOR_MASK_ALPHA) != 0 || png_get_valid(r.png, r.info, PNG_INFO_tRNS) != 0;
  DecodedImage out;
  out.was_16bit = png_get_bit_depth(r.png, r.info) == 16;
  out.image = Image(static_cast<int>(width), static_cast<int>(height), (color ? 3 : 1) + alpha);

  size_t row_bytes = static_cast<size_t>(width) * out.image.channels;
  std::vector<png_bytep> rows(height);
  for (png_uint_32 y = 0; y < height; ++y) rows[y] = out.image.pixels.data() + y * row_bytes;
  if (!read_png_pixels(r, rows.data(), row_bytes)) {
    throw Error(name + ": invalid PNG: " + r.message);
  }
  return out;
}

// ---------------------------------------------------------------- JPEG

// A progressive JPEG can hold thousands of tiny scans that each cost a pass
// over the whole image; real files have at most a few dozen.
constexpr int kMaxJpegScans = 500;

struct JpegErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = "";
  char damage[JMSG_LENGTH_MAX] = "";  // first warning that means missing pixels
};

// Owns the libjpeg decompressor; zero-initialised so that destroying one that
// was never created is a no-op.
struct JpegReader {
  jpeg_decompress_struct cinfo;
  JpegErrorManager err;
  jpeg_progress_mgr progress;

  JpegReader() {
    std::memset(&cinfo, 0, sizeof(cinfo));
    std::memset(&progress, 0, sizeof(progress));
  }
  ~JpegReader() { jpeg_destroy_decompress(&cinfo); }
};

void on_jpeg_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// libjpeg carries on over damaged or missing data (it fills gray) and only
// warns; we keep the first such warning and refuse the image. Other warnings
// (e.g. stray bytes between markers) leave the pixels intact.
void on_jpeg_warning(j_common_ptr cinfo, int level) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  if (level >= 0 || err->damage[0] != '\0') return;
  switch (err->base.msg_code) {
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
      (*cinfo->err->format_message)(cinfo, err->damage);
      break;
    default:
      break;
  }
}

// Takes a C string: nothing with a destructor may be alive across the jump.
[[noreturn]] void fail_jpeg(JpegErrorManager& err, const char* message) {
  std::snprintf(err.message, sizeof(err.message), "%s", message);
  std::longjmp(err.jump, 1);
}

void limit_jpeg_scans(j_common_ptr cinfo) {
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxJpegScans) {
    char message[64];
    std::snprintf(message, sizeof(message), "more than %d progressive scans", kMaxJpegScans);
    fail_jpeg(*reinterpret_cast<JpegErrorManager*>(cinfo->err), message);
  }
}

bool read_jpeg_header(JpegReader& r, const uint8_t* data, size_t size) {
  if (setjmp(r.err.jump)) return false;
  jpeg_create_decompress(&r.cinfo);
  r.cinfo.progress = &r.progress;
  jpeg_mem_src(&r.cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&r.cinfo, TRUE);
  return true;
}

bool read_jpeg_pixels(JpegReader& r, uint8_t* pixels, size_t row_bytes) {
  if (setjmp(r.err.jump)) return false;
  jpeg_start_decompress(&r.cinfo);
  if (r.cinfo.output_width * static_cast<size_t>(r.cinfo.output_components) != row_bytes) {
    fail_jpeg(r.err, "unexpected row size");
  }
  while (r.cinfo.output_scanline < r.cinfo.output_height) {
    JSAMPROW row = pixels + r.cinfo.output_scanline * row_bytes;
    jpeg_read_scanlines(&r.cinfo, &row, 1);
  }
  jpeg_finish_decompress(&r.cinfo);
  return true;
}

DecodedImage decode_jpeg(const uint8_t* data, size_t size, const std::string& name) {
  JpegReader r;
  r.cinfo.err = jpeg_std_error(&r.err.base);
  r.err.base.error_exit = on_jpeg_error;
  r.err.base.emit_message = on_jpeg_warning;
  r.progress.progress_monitor = limit_jpeg_scans;
  if (!read_jpeg_header(r, data, size)) throw Error(name + ": invalid JPEG: " + r.err.message);

  switch (r.cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
      r.cinfo.out_color_space = JCS_GRAYSCALE;
      break;
    case JCS_YCbCr:
    case JCS_RGB:
      r.cinfo.out_color_space = JCS_RGB;
      break;
    case JCS_CMYK:
    case JCS_YCCK:
      throw Error(name + ": CMYK JPEG is not supported (convert it to RGB first)");
    default:
      throw Error(name + ": JPEG with " + std::to_string(r.cinfo.num_components) +
                  " components of unknown colour space is not supported");
  }
  check_dimensions(r.cinfo.image_width, r.cinfo.image_height, name);

  DecodedImage out;
  out.image = Image(static_cast<int>(r.cinfo.image_width), static_cast<int>(r.cinfo.image_height),
                    r.cinfo.out_color_space == JCS_GRAYSCALE ? 1 : 3);
  size_t row_bytes = static_cast<size_t>(out.image.width) * out.image.channels;
  if (!read_jpeg_pixels(r, out.image.pixels.data(), row_bytes)) {
    throw Error(name + ": invalid JPEG: " + r.err.message);
  }
  if (r.err.damage[0] != '\0') throw Error(name + ": damaged JPEG: " + r.err.damage);
  return out;
}

}  // namespace

DecodedImage decode_image(const uint8_t* data, size_t size, const std::string& name) {
  if (is_png(data, size)) return decode_png(data, size, name);
  if (is_jpeg(data, size)) return decode_jpeg(data, size, name);
  if (size == 0) throw Error(name + ": file is empty");
  throw Error(name + ": not a PNG or JPEG file");
}

DecodedImage read_image(const std::string& path) {
  std::vector<uint8_t> bytes = read_file(path, kMaxImageFileBytes);
  return decode_image(bytes.data(), bytes.size(), path);
}

namespace {

// libpng's simplified writer compresses every image twice (once to learn the
// size); this one compresses once, with zlib's run-length strategy: on Kodak
// about 10x faster than the default level 6, for files 0.5-1.5% larger.
constexpr int kPngStrategy = 3;  // Z_RLE
constexpr int kPngLevel = 1;

struct PngSink {
  std::vector<uint8_t>* out;
  char message[200];
};

void append_png_bytes(png_structp png, png_bytep data, size_t n) {
  auto* sink = static_cast<PngSink*>(png_get_io_ptr(png));
  // Room was reserved for the worst case: growing here could throw through libpng.
  if (sink->out->capacity() - sink->out->size() < n) png_error(png, "output over its bound");
  sink->out->insert(sink->out->end(), data, data + n);
}

void png_write_error(png_structp png, png_const_charp message) {
  auto* sink = static_cast<PngSink*>(png_get_error_ptr(png));
  std::snprintf(sink->message, sizeof(sink->message), "%s", message);
  png_longjmp(png, 1);
}

void png_write_warning(png_structp, png_const_charp) {}

bool write_png(const Image& image, PngSink* sink) {
  static const int kColourTypes[5] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                      PNG_COLOR_TYPE_RGB_ALPHA};
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, sink, png_write_error, png_write_warning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    std::snprintf(sink->message, sizeof(sink->message), "out of memory");
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, sink, append_png_bytes, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8,
               kColourTypes[image.channels], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_strategy(png, kPngStrategy);
  png_set_compression_level(png, kPngLevel);
  png_write_info(png, info);
  const size_t row = static_cast<size_t>(image.width) * image.channels;
  for (int y = 0; y < image.height; ++y) {
    png_write_row(png, const_cast<png_bytep>(image.pixels.data() + y * row));
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

std::vector<uint8_t> encode_png(const Image& image) {
  if (image.channels < 1 || image.channels > 4 || image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * image.channels) {
    throw Error("cannot write PNG: bad image shape");
  }
  // A bound on the output: the raw rows with their filter bytes, what
  // deflate adds to incompressible data (zlib's deflateBound: under 1/3000),
  // 12 bytes per 8 KB IDAT chunk (under 1/600), and the other chunks.
  const size_t raw = (static_cast<size_t>(image.width) * image.channels + 1) * image.height;
  std::vector<uint8_t> out;
  out.reserve(raw + raw / 256 + 4096);
  PngSink sink{&out, {}};
  if (!write_png(image, &sink)) throw Error(std::string("cannot write PNG: ") + sink.message);
  return out;
}

}  // namespace qc
