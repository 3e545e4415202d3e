// Reading PNG and JPEG (chosen by magic bytes, not by extension) and writing PNG.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "image/image.h"

namespace qc {

// Decompression-bomb guard: images are refused before any pixel buffer is
// allocated when width x height exceeds this, or either side exceeds kMaxSide.
constexpr uint64_t kMaxImagePixels = 64ull << 20;  // 67,108,864 pixels
constexpr int kMaxImageSide = 32768;
// Largest input file read into memory.
constexpr size_t kMaxImageFileBytes = 512u << 20;

struct DecodedImage {
  Image image;
  bool was_16bit = false;  // 16-bit samples were reduced to 8 bits
};

// `name` only labels error messages ("NAME: cause").
DecodedImage decode_image(const uint8_t* data, size_t size, const std::string& name);
DecodedImage read_image(const std::string& path);

std::vector<uint8_t> encode_png(const Image& image);

}  // namespace qc
