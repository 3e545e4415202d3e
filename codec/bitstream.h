// The .qc container: everything a decoder needs besides the model. The full
// specification, with both versions, is docs/FORMAT.md.
//
// Format 2 (written; integers little-endian):
//   0  4  magic "QC\x89\x1a"
//   4  1  format version (2)
//   5  8  model fingerprint (qc::qcm_fingerprint of the model that made it)
//  13  4  total file size in bytes
//  17  2  width - 1
//  19  2  height - 1
//  21  1  image channels (1..4; 2 and 4 carry an alpha plane)
//  22  1  tile size in code positions
//  23  1  iterations N (the largest tile count)
//  24  1  code channels
//  25  4  allocation-map bytes (M)
//  29  4  alpha bytes (A; 0 unless channels is 2 or 4)
//  33  .  N LEB128 varints: the payload bytes of each iteration's stream
//      M  allocation map (entropy/map_coder.h)
//      A  alpha plane, zstd-compressed width x height bytes
//      4  head CRC-32 (IEEE) of every byte before it
//      .. N entropy-coded streams (entropy/code_coder.h), iteration 1 first
// end-4 4  CRC-32 of every byte before it
// The head (everything before the payload) checks on its own, so a prefix
// of the file that holds the head decodes the complete iterations it holds.
//
// Format 1 (read only) is the same without the varint table and the head
// CRC, with the payload one stream for every iteration.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codec/qc_format.h"
#include "entropy/code_stack.h"

namespace qc {

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

// What a reader accepts.
struct QcReadOptions {
  // Decode only the first N iterations of every tile (0: all).
  int max_iterations = 0;
  // The bytes may be the start of a longer format-2 file (a truncated
  // download, a range request): read the complete iterations they hold.
  // Otherwise a short file is refused.
  bool accept_prefix = false;
};

// The header fields of a .qc file, after the checksums and every field have
// been checked (no payload decoded): what `qcodec info` shows.
struct QcHeader {
  int version = 0;
  uint64_t model_fingerprint = 0;
  uint32_t width = 0, height = 0, channels = 0;
  int tile = 0, iterations = 0, code_channels = 0;
  size_t map_bytes = 0, alpha_bytes = 0, payload_bytes = 0, total_bytes = 0;
  size_t table_bytes = 0;               // format 2: the varint table's length
  size_t head_bytes = 0;                // where the payload starts
  std::vector<size_t> iteration_bytes;  // format 2: each iteration's stream; format 1: empty
  size_t available_bytes = 0;           // the bytes given (< total_bytes for a prefix)
  int complete_iterations = 0;          // iterations whose streams are all in those bytes

  bool truncated() const { return available_bytes < total_bytes; }
  // Bytes a reader needs to decode the first n iterations: the head and
  // their streams, or the whole file for all of them. Format 2 only.
  size_t bytes_through(int n) const;
};
QcHeader read_qc_header(const uint8_t* data, size_t size, const std::string& name,
                        bool accept_prefix = false);

// Parses and decodes a file (or the prefix `options` allow); refuses one made
// by a model whose fingerprint is not `expected_fingerprint`. The result has
// the iterations read: codes.iterations and map counts are capped to them.
// Errors are "<name>: <cause>".
QcFile read_qc(const uint8_t* data, size_t size, uint64_t expected_fingerprint, const std::string& name,
               const QcReadOptions& options = {});

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of a byte range.
uint32_t crc32(const uint8_t* data, size_t size);

}  // namespace qc
