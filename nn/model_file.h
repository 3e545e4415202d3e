// The .qcm runtime model: architecture config plus, per layer, bit-packed
// weight bases, scales, biases and activation scales. Written by
// `qcodec-train export`, read by `qcodec` (no LibTorch on either side of this
// header).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nn/architecture.h"

namespace qc {

// One conv layer, W ~= sum_k alpha[k][o] * B_k with B_k in {-1, +1}.
struct QuantLayer {
  std::string name;  // LayerSpec::name
  int bases = 1;
  // bases x out_channels rows; each row holds in_channels * kernel * kernel
  // signs in torch OIHW order ([in][ky][kx]), bit set = +1, LSB first, padded
  // to whole 64-bit words (row_words() words per row).
  std::vector<uint64_t> bits;
  std::vector<float> alpha;  // bases x out_channels
  std::vector<float> bias;   // out_channels, or empty when the layer has none
  // Step of the 8-bit activation quantizer for this layer's input:
  // q = clamp(round(x / input_scale), -127, 127).
  float input_scale = 1.0f / 127.0f;
};

struct QcmModel {
  ArchConfig config;
  std::vector<QuantLayer> layers;  // in the order of layers(config)
};

// Limits enforced by parse_qcm before any length read from a file is used.
constexpr size_t kMaxQcmFileBytes = size_t{64} << 20;   // whole .qcm file
constexpr size_t kMaxQcmBodyBytes = size_t{256} << 20;  // decompressed body
constexpr int kMaxQcmLayers = 64;
constexpr int kMaxQcmNameLength = 64;
constexpr int kMaxQcmBases = 8;

// Words per packed row for a layer of the given shape.
inline size_t row_words(int in_channels, int kernel) {
  return (static_cast<size_t>(in_channels) * kernel * kernel + 63) / 64;
}

// Packs `rows` rows of `row_len` signs (value > 0 -> bit set) into words.
std::vector<uint64_t> pack_sign_rows(const float* values, size_t rows, size_t row_len);

std::vector<uint8_t> serialize_qcm(const QcmModel& model);
// Validates everything (magic, version, checksum, every length, agreement of
// each layer with layers(config)); throws qc::Error naming `source` on failure.
QcmModel parse_qcm(const uint8_t* data, size_t size, const std::string& source);

// read_file(path, kMaxQcmFileBytes) + parse_qcm.
QcmModel load_qcm_file(const std::string& path);

// A stable 64-bit fingerprint of the serialized model, carried by .qc files.
uint64_t qcm_fingerprint(const std::vector<uint8_t>& serialized);

}  // namespace qc
