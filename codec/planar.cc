#include "codec/planar.h"

#include <algorithm>
#include <cmath>

#include "nn/architecture.h"

namespace qc {

int padded_side(int side) {
  return (side + ArchConfig::kStride - 1) / ArchConfig::kStride * ArchConfig::kStride;
}

PlanarImage to_planar(const Image& image) {
  PlanarImage out;
  out.width = padded_side(image.width);
  out.height = padded_side(image.height);
  out.data.resize(3 * static_cast<size_t>(out.width) * out.height);
  const bool gray = image.channels < 3;
  for (int c = 0; c < 3; ++c) {
    float* plane = out.data.data() + static_cast<size_t>(c) * out.width * out.height;
    for (int y = 0; y < out.height; ++y) {
      const int sy = std::min(y, image.height - 1);
      for (int x = 0; x < out.width; ++x) {
        const int sx = std::min(x, image.width - 1);
        plane[static_cast<size_t>(y) * out.width + x] = image.at(sx, sy, gray ? 0 : c) / 255.0f - 0.5f;
      }
    }
  }
  return out;
}

namespace {
uint8_t to_u8(float v) {
  return static_cast<uint8_t>(std::clamp(std::lround((v + 0.5f) * 255.0f), 0L, 255L));
}
}  // namespace

Image from_planar(const float* planes, int padded_width, int padded_height, int width, int height,
                  int channels) {
  Image out(width, height, channels);
  const size_t plane = static_cast<size_t>(padded_width) * padded_height;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const size_t i = static_cast<size_t>(y) * padded_width + x;
      if (channels == 1) {
        out.at(x, y, 0) = to_u8((planes[i] + planes[i + plane] + planes[i + 2 * plane]) / 3.0f);
      } else {
        for (int c = 0; c < 3; ++c) out.at(x, y, c) = to_u8(planes[i + c * plane]);
      }
    }
  }
  return out;
}

}  // namespace qc
