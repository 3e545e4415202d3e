// An 8-bit interleaved image: the unit every part of qcodec exchanges.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace qc {

struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;             // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
  std::vector<uint8_t> pixels;  // row-major, height x width x channels

  Image() = default;
  Image(int w, int h, int c) : width(w), height(h), channels(c), pixels(static_cast<size_t>(w) * h * c) {}

  size_t index(int x, int y, int c) const { return (static_cast<size_t>(y) * width + x) * channels + c; }
  uint8_t at(int x, int y, int c) const { return pixels[index(x, y, c)]; }
  uint8_t& at(int x, int y, int c) { return pixels[index(x, y, c)]; }
  bool has_alpha() const { return channels == 2 || channels == 4; }
};

}  // namespace qc
