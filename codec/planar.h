// Between 8-bit images and the network's planar float input: RGB planes of
// pixel/255 - 0.5, padded by edge replication to whole 16x16 code blocks.
#pragma once
#include <vector>

#include "image/image.h"

namespace qc {

struct PlanarImage {
  int width = 0, height = 0;  // padded, multiples of ArchConfig::kStride
  std::vector<float> data;    // 3 x height x width
  const float* plane(int c) const { return data.data() + static_cast<size_t>(c) * width * height; }
};

int padded_side(int side);

// Gray is repeated into R, G, B; alpha is not part of the planes.
PlanarImage to_planar(const Image& image);

// Crops a padded planar reconstruction back to width x height and rounds it
// to 8 bits with `channels` colour channels (1: the mean of R, G, B; 3: RGB).
Image from_planar(const float* planes, int padded_width, int padded_height, int width, int height,
                  int channels);

}  // namespace qc
