// The codec's public API: an image in, .qc bytes out, and back.
// (Contract; implemented in codec/encoder.cc and codec/decoder.cc.)
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "codec/image.h"

namespace qc {

struct QcmModel;

struct EncodeOptions {
  // Exactly one target is used: bpp > 0, else quality (MS-SSIM) > 0, else iterations.
  double bpp = 0;
  double quality = 0;
  int iterations = 0;
  int threads = 0;  // 0 = all cores
};

std::vector<uint8_t> encode(const Image& image, const QcmModel& model,
                            const EncodeOptions& options);
Image decode(const uint8_t* data, size_t size, const QcmModel& model, int threads);

}  // namespace qc
