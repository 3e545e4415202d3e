// The .qc container: everything a decoder needs besides the model.
//
// Layout (integers little-endian):
//   0  4  magic "QC\x89\x1a"
//   4  1  format version (kQcFormatVersion)
//   5  8  model fingerprint (qc::qcm_fingerprint of the model that made it)
//  13  4  total file size in bytes
//  17  2  width - 1
//  19  2  height - 1
//  21  1  image channels (1..4; 2 and 4 carry an alpha plane)
//  22  1  tile size in code positions
//  23  1  iterations (the largest tile count)
//  24  1  code channels
//  25  4  allocation-map bytes (M)
//  29  4  alpha bytes (A; 0 unless channels is 2 or 4)
//  33  M  allocation map (entropy/map_coder.h)
//      A  alpha plane, zstd-compressed width x height bytes
//      .. entropy-coded code bits (entropy/code_coder.h), up to the checksum
// end-4 4  CRC-32 (IEEE) of every byte before it
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "entropy/code_stack.h"

namespace qc {

constexpr int kQcFormatVersion = 1;
constexpr int kCodeBlock = 16;  // pixels per code position along each side
// Largest .qc file a reader loads into memory.
constexpr size_t kMaxQcFileBytes = size_t{256} << 20;

struct QcFile {
  uint32_t width = 0, height = 0, channels = 0;
  uint64_t model_fingerprint = 0;
  int code_channels = 0;
  TileMap map;
  // rows = ceil(height / 16), cols = ceil(width / 16); read_qc returns
  // iterations = map.max_count().
  CodeStack codes;
  std::vector<uint8_t> alpha;  // width x height when channels is 2 or 4, else empty
};

// Validates `file` (throws qc::Error naming what is wrong) and serializes it.
// Code bits beyond a tile's count are not stored.
std::vector<uint8_t> write_qc(const QcFile& file);

// The header fields of a .qc file, after the checksum and every field have
// been checked (no payload decoded): what `qcodec info` shows.
struct QcHeader {
  int version = 0;
  uint64_t model_fingerprint = 0;
  uint32_t width = 0, height = 0, channels = 0;
  int tile = 0, iterations = 0, code_channels = 0;
  size_t map_bytes = 0, alpha_bytes = 0, payload_bytes = 0, total_bytes = 0;
};
QcHeader read_qc_header(const uint8_t* data, size_t size, const std::string& name);

// Parses and decodes a whole file; refuses one made by a model whose
// fingerprint is not `expected_fingerprint`. Errors are "<name>: <cause>".
QcFile read_qc(const uint8_t* data, size_t size, uint64_t expected_fingerprint,
               const std::string& name);

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of a byte range.
uint32_t crc32(const uint8_t* data, size_t size);

}  // namespace qc
