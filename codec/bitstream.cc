#include "codec/bitstream.h"

#include <zstd.h>

#include <array>
#include <cstdio>

#include "base/error.h"
#include "entropy/code_coder.h"
#include "entropy/map_coder.h"
#include "image/image_io.h"

namespace qc {

namespace {

using namespace container;
constexpr int kAlphaZstdLevel = 19;

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

void put_le(std::vector<uint8_t>& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}
uint64_t get_le(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// LEB128: 7 bits a byte, low first, the top bit set on all but the last.
void put_varint(std::vector<uint8_t>& out, size_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}
// Reads one varint of at most 32 bits from data[at, end); false if it runs
// past end or is longer than 5 bytes.
bool get_varint(const uint8_t* data, size_t end, size_t& at, size_t& value) {
  uint64_t v = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (at >= end) return false;
    const uint8_t byte = data[at++];
    v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) {
      if (v > 0xFFFFFFFFu) return false;
      value = static_cast<size_t>(v);
      return true;
    }
  }
  return false;
}

int code_side(uint32_t pixels) { return static_cast<int>((pixels + kCodeBlock - 1) / kCodeBlock); }

std::string hex64(uint64_t v) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

bool has_alpha(uint32_t channels) { return channels == 2 || channels == 4; }

// The image-level limits both sides enforce.
void check_image_fields(uint32_t width, uint32_t height, uint32_t channels, const std::string& name) {
  if (width < 1 || height < 1 || width > static_cast<uint32_t>(kMaxImageSide) ||
      height > static_cast<uint32_t>(kMaxImageSide) ||
      static_cast<uint64_t>(width) * height > kMaxImagePixels)
    throw Error(
        name + ": image size " + std::to_string(width) + "x" + std::to_string(height) + " outside the limits",
        ErrorKind::kOverLimit);
  if (channels < 1 || channels > 4)
    throw Error(name + ": channel count " + std::to_string(channels) + " outside 1..4");
}

}  // namespace

uint32_t crc32(const uint8_t* data, size_t size) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) c = kCrcTable[(c ^ data[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::vector<uint8_t> write_qc(const QcFile& file) {
  const std::string name = "write_qc";
  check_image_fields(file.width, file.height, file.channels, name);
  const CodeStack& codes = file.codes;
  if (codes.rows != code_side(file.height) || codes.cols != code_side(file.width))
    throw Error(name + ": code grid does not match the image size");
  if (codes.channels != file.code_channels)
    throw Error(name + ": code stack channels differ from code_channels");
  check_code_stack(codes, file.map, name);
  const size_t pixels = static_cast<size_t>(file.width) * file.height;
  if (has_alpha(file.channels) ? file.alpha.size() != pixels : !file.alpha.empty())
    throw Error(name + ": alpha plane must hold width x height bytes exactly when channels is 2 or 4");

  const int iterations = file.map.max_count();
  const std::vector<uint8_t> map_bytes = encode_tile_map(file.map, iterations);
  std::vector<uint8_t> alpha_bytes;
  if (!file.alpha.empty()) {
    alpha_bytes.resize(ZSTD_compressBound(pixels));
    const size_t n =
        ZSTD_compress(alpha_bytes.data(), alpha_bytes.size(), file.alpha.data(), pixels, kAlphaZstdLevel);
    if (ZSTD_isError(n)) throw Error(name + ": zstd: " + ZSTD_getErrorName(n));
    alpha_bytes.resize(n);
  }
  // Only the iterations some tile uses are stored.
  CodeStack used(iterations, codes.channels, codes.rows, codes.cols);
  std::copy(codes.bits.begin(), codes.bits.begin() + used.bits.size(), used.bits.begin());
  const CodedCodes payload = encode_codes(used, file.map);
  std::vector<uint8_t> table;
  for (size_t n : payload.iteration_bytes) put_varint(table, n);

  const uint64_t total = kFixedHeaderBytes + table.size() + map_bytes.size() + alpha_bytes.size() +
                         kChecksumBytes + payload.bytes.size() + kChecksumBytes;
  if (total > 0xFFFFFFFFu) throw Error(name + ": file would exceed 4 GiB");
  std::vector<uint8_t> out;
  out.reserve(total);
  for (uint8_t b : kMagic) out.push_back(b);
  put_le(out, kQcFormatVersion, 1);
  put_le(out, file.model_fingerprint, 8);
  put_le(out, total, 4);
  put_le(out, file.width - 1, 2);
  put_le(out, file.height - 1, 2);
  put_le(out, file.channels, 1);
  put_le(out, file.map.tile, 1);
  put_le(out, iterations, 1);
  put_le(out, file.code_channels, 1);
  put_le(out, map_bytes.size(), 4);
  put_le(out, alpha_bytes.size(), 4);
  out.insert(out.end(), table.begin(), table.end());
  out.insert(out.end(), map_bytes.begin(), map_bytes.end());
  out.insert(out.end(), alpha_bytes.begin(), alpha_bytes.end());
  put_le(out, crc32(out.data(), out.size()), 4);
  out.insert(out.end(), payload.bytes.begin(), payload.bytes.end());
  put_le(out, crc32(out.data(), out.size()), 4);
  return out;
}

size_t QcHeader::bytes_through(int n) const {
  if (n >= iterations) return total_bytes;
  size_t bytes = head_bytes;
  for (int i = 0; i < n && i < static_cast<int>(iteration_bytes.size()); ++i) bytes += iteration_bytes[i];
  return bytes;
}

QcHeader read_qc_header(const uint8_t* data, size_t size, const std::string& name, bool accept_prefix) {
  auto fail = [&](const std::string& cause, ErrorKind kind = ErrorKind::kCorrupt) {
    throw Error(name + ": " + cause, kind);
  };
  const size_t magic_seen = size < 4 ? size : 4;
  for (size_t i = 0; i < magic_seen; ++i)
    if (data[i] != kMagic[i]) fail("not a .qc file");
  if (size < 5) fail("truncated .qc file (" + std::to_string(size) + " bytes)", ErrorKind::kTruncated);
  QcHeader h;
  h.version = data[kVersionAt];
  if (h.version > kQcFormatVersion)
    fail("made by a newer qcodec (format version " + std::to_string(h.version) + "; this one reads up to " +
             std::to_string(kQcFormatVersion) + ")",
         ErrorKind::kUnsupportedVersion);
  if (h.version < 1) fail("unknown format version 0");
  const bool v2 = h.version >= 2;
  const size_t minimum = kFixedHeaderBytes + (v2 ? 2 * kChecksumBytes : kChecksumBytes);
  if (size < minimum) fail("truncated .qc file (" + std::to_string(size) + " bytes)", ErrorKind::kTruncated);
  h.total_bytes = get_le(data + kSizeAt, 4);
  h.available_bytes = size;
  if (size > h.total_bytes || h.total_bytes < minimum)
    fail("corrupt .qc file (size field " + std::to_string(h.total_bytes) + ", file " + std::to_string(size) +
         " bytes)");
  const std::string truncation =
      "truncated .qc file (" + std::to_string(size) + " of " + std::to_string(h.total_bytes) + " bytes)";
  if (h.truncated() && !(accept_prefix && v2)) {
    fail(truncation + (accept_prefix ? "; format 1 files decode only whole" : ""), ErrorKind::kTruncated);
  }
  // A whole file is checked whole first, so any damage is named as such.
  if (!h.truncated() && crc32(data, size - kChecksumBytes) != get_le(data + size - kChecksumBytes, 4))
    fail("checksum mismatch: the file is corrupt");
  h.model_fingerprint = get_le(data + kFingerprintAt, 8);
  h.width = static_cast<uint32_t>(get_le(data + kWidthAt, 2)) + 1;
  h.height = static_cast<uint32_t>(get_le(data + kHeightAt, 2)) + 1;
  h.channels = data[kChannelsAt];
  h.tile = data[kTileAt];
  h.iterations = data[kIterationsAt];
  h.code_channels = data[kCodeChannelsAt];
  h.map_bytes = get_le(data + kMapBytesAt, 4);
  h.alpha_bytes = get_le(data + kAlphaBytesAt, 4);
  // Every length is held against the size field (a prefix has fewer bytes);
  // each check keeps what is left non-negative.
  size_t left = h.total_bytes - minimum;
  size_t at = kFixedHeaderBytes;
  if (v2) {
    h.iteration_bytes.resize(std::min<int>(h.iterations, kMaxIterations));
    for (size_t& n : h.iteration_bytes) {
      const size_t before = at;
      if (!get_varint(data, std::min(size, h.total_bytes - 2 * kChecksumBytes), at, n))
        fail(h.truncated() ? truncation + " before the end of its head" : "corrupt iteration table",
             h.truncated() ? ErrorKind::kTruncated : ErrorKind::kCorrupt);
      if (at - before > left) fail("corrupt iteration table");
      left -= at - before;
    }
  }
  if (h.map_bytes > left || h.alpha_bytes > left - h.map_bytes) fail("section lengths exceed the file");
  left -= h.map_bytes + h.alpha_bytes;
  h.table_bytes = at - kFixedHeaderBytes;
  h.head_bytes = at + h.map_bytes + h.alpha_bytes + (v2 ? kChecksumBytes : 0);
  h.payload_bytes = left;
  if (v2) {
    if (size < h.head_bytes) fail(truncation + " before the end of its head", ErrorKind::kTruncated);
    if (crc32(data, h.head_bytes - kChecksumBytes) != get_le(data + h.head_bytes - kChecksumBytes, 4))
      fail("head checksum mismatch: the file is corrupt");
  }
  // From here on the head is what the writer wrote; the checks below guard
  // against a writer that broke the rules.
  check_image_fields(h.width, h.height, h.channels, name);
  if (h.tile < 1 || h.tile > kMaxTile) fail("tile size " + std::to_string(h.tile) + " out of range");
  check_code_shape(h.iterations, h.code_channels, code_side(h.height), code_side(h.width), name);
  if (has_alpha(h.channels) != (h.alpha_bytes > 0))
    fail("alpha plane present/absent contrary to the channel count");
  if (!v2) {
    h.complete_iterations = h.iterations;
    return h;
  }
  uint64_t sum = 0;
  for (size_t n : h.iteration_bytes) sum += n;
  if (sum != h.payload_bytes) fail("iteration table disagrees with the payload size");
  // Iterations whose streams lie wholly inside the bytes given.
  size_t end = h.head_bytes;
  while (h.complete_iterations < h.iterations && end + h.iteration_bytes[h.complete_iterations] <= size) {
    end += h.iteration_bytes[h.complete_iterations++];
  }
  if (h.truncated() && h.complete_iterations == 0)
    fail(truncation + ": it holds no complete iteration", ErrorKind::kTruncated);
  return h;
}

QcFile read_qc(const uint8_t* data, size_t size, uint64_t expected_fingerprint, const std::string& name,
               const QcReadOptions& options) {
  const QcHeader h = read_qc_header(data, size, name, options.accept_prefix);
  if (h.model_fingerprint != expected_fingerprint)
    throw Error(name + ": made by a different model (fingerprint " + hex64(h.model_fingerprint) +
                    "; this decoder's model is " + hex64(expected_fingerprint) + ")",
                ErrorKind::kWrongModel);
  QcFile file;
  file.width = h.width;
  file.height = h.height;
  file.channels = h.channels;
  file.model_fingerprint = h.model_fingerprint;
  file.code_channels = h.code_channels;
  const int rows = code_side(h.height), cols = code_side(h.width);
  const uint8_t* section = data + kFixedHeaderBytes + h.table_bytes;
  const TileMap map = decode_tile_map(section, h.map_bytes, h.tile, (cols + h.tile - 1) / h.tile,
                                      (rows + h.tile - 1) / h.tile, h.iterations, name);
  if (map.max_count() != h.iterations)
    throw Error(name + ": allocation map disagrees with the iteration count", ErrorKind::kCorrupt);
  section += h.map_bytes;
  if (h.alpha_bytes > 0) {
    const size_t pixels = static_cast<size_t>(h.width) * h.height;
    if (ZSTD_getFrameContentSize(section, h.alpha_bytes) != pixels)
      throw Error(name + ": corrupt alpha plane", ErrorKind::kCorrupt);
    file.alpha.resize(pixels);
    const size_t n = ZSTD_decompress(file.alpha.data(), pixels, section, h.alpha_bytes);
    if (ZSTD_isError(n) || n != pixels) throw Error(name + ": corrupt alpha plane", ErrorKind::kCorrupt);
  }
  int iterations = h.complete_iterations;
  if (options.max_iterations > 0) iterations = std::min(iterations, options.max_iterations);
  file.map = map.capped(iterations);
  const uint8_t* payload = data + h.head_bytes;
  const size_t payload_given = std::min(h.payload_bytes, size - h.head_bytes);
  file.codes = decode_codes(payload, payload_given, h.iteration_bytes, iterations, h.code_channels, rows,
                            cols, file.map, name);
  return file;
}

}  // namespace qc
