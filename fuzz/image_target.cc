// The PNG and JPEG readers, through decode_image as qcodec calls it. An image
// that decodes must survive a PNG round trip unchanged (small images only:
// the round trip costs a zlib pass).
#include <cstdlib>
#include <cstring>

#include "base/error.h"
#include "fuzz/fuzz_targets.h"
#include "image/image_io.h"

namespace qc::fuzz {
namespace {

void decode_and_round_trip(const uint8_t* data, size_t size) {
  DecodedImage decoded;
  try {
    decoded = decode_image(data, size, "fuzz");
  } catch (const Error&) {
    return;
  }
  const Image& image = decoded.image;
  if (image.width < 1 || image.height < 1 || image.channels < 1 || image.channels > 4 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * image.channels)
    std::abort();
  if (static_cast<uint64_t>(image.width) * image.height > kMaxRoundTripPixels) return;
  const std::vector<uint8_t> png = encode_png(image);
  const Image back = decode_image(png.data(), png.size(), "round trip").image;
  if (back.channels != image.channels || back.pixels != image.pixels) std::abort();
}

}  // namespace

// Each target keeps to its own format, so that its corpus stays about it.
void fuzz_png(const uint8_t* data, size_t size) {
  static const uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (size < 8 || std::memcmp(data, kSignature, 8) != 0) return;
  decode_and_round_trip(data, size);
}

void fuzz_jpeg(const uint8_t* data, size_t size) {
  if (size < 3 || data[0] != 0xff || data[1] != 0xd8 || data[2] != 0xff) return;
  decode_and_round_trip(data, size);
}

}  // namespace qc::fuzz
