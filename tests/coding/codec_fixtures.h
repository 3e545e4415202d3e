// Small random models and synthetic images for the codec suites: quality
// needs the trained model, but structure, exactness and refusals do not.
#pragma once
#include <cstdint>
#include <random>
#include <utility>

#include "codec/codec.h"
#include "nn/random_model.h"
#include "tests/nn/small_network.h"

namespace qc {

inline Model small_model(uint64_t seed = 7, CellType cell = CellType::kGru, int priming = 0,
                         int max_iterations = 6) {
  ArchConfig config = small_config(cell, priming);
  config.iterations = max_iterations;
  std::vector<uint8_t> bytes = serialize_qcm(random_qcm_model(config, 1, seed));
  return model_from_bytes(bytes.data(), bytes.size(), "random model");
}

inline Image noise_image(int width, int height, int channels, uint32_t seed = 1) {
  Image image(width, height, channels);
  std::mt19937 rng(seed);
  // Smooth-ish content: a gradient plus noise, so tiles differ.
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        image.at(x, y, c) = static_cast<uint8_t>((x * 3 + y * 2 + c * 40 + rng() % 60) % 256);
      }
    }
  }
  return image;
}

inline EncodeOptions iterations(int n) {
  EncodeOptions o;
  o.iterations = n;
  o.threads = 1;
  return o;
}

}  // namespace qc
