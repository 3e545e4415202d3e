// Integrity checks (checksums, size fields) stop almost every mutation at the
// door; these rebuild them so the fuzzers reach the parsing behind them.
#include <zstd.h>

#include <cstdlib>

#include "codec/bitstream.h"
#include "codec/qc_format.h"
#include "fuzz/fuzz_targets.h"
#include "nn/model_file.h"

namespace qc::fuzz {
namespace {

// The .qcm header (nn/model_file.cc): magic, u32 version, u64 body size,
// u64 compressed size; an u64 checksum follows the zstd frame.
constexpr uint8_t kQcmMagic[4] = {'Q', 'C', 'M', '1'};
constexpr uint32_t kQcmVersion = 1;

void put_le(uint8_t* at, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) at[i] = static_cast<uint8_t>(value >> (8 * i));
}
uint64_t get_le(const uint8_t* at) {
  uint64_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | at[i];
  return v;
}
void append_le(std::vector<uint8_t>& out, uint64_t value, int bytes) {
  out.resize(out.size() + bytes);
  put_le(out.data() + out.size() - bytes, value, bytes);
}

}  // namespace

std::vector<uint8_t> seal_qc(const uint8_t* data, size_t size, uint64_t fingerprint) {
  std::vector<uint8_t> out(data, data + size);
  if (size < container::kFixedHeaderBytes + container::kChecksumBytes) return out;
  put_le(out.data() + container::kFingerprintAt, fingerprint, 8);
  put_le(out.data() + container::kSizeAt, size, 4);
  // Format 2 checks its head on its own: reseal it where the fields say it
  // ends (after the iteration table, the map and the alpha plane).
  if (out[container::kVersionAt] >= 2) {
    size_t at = container::kFixedHeaderBytes;
    for (int i = 0; i < out[container::kIterationsAt] && at < size; ++i) {
      while (at < size && (out[at] & 0x80)) ++at;
      ++at;
    }
    const uint64_t head = at + get_le(out.data() + container::kMapBytesAt) +
                          get_le(out.data() + container::kAlphaBytesAt) + container::kChecksumBytes;
    if (head <= size - container::kChecksumBytes) {
      put_le(out.data() + head - container::kChecksumBytes,
             crc32(out.data(), head - container::kChecksumBytes), 4);
    }
  }
  put_le(out.data() + size - container::kChecksumBytes, crc32(out.data(), size - container::kChecksumBytes),
         4);
  return out;
}

std::vector<uint8_t> wrap_qcm_body(const uint8_t* body, size_t size) {
  std::vector<uint8_t> frame(ZSTD_compressBound(size));
  const size_t packed = ZSTD_compress(frame.data(), frame.size(), body, size, 1);
  if (ZSTD_isError(packed)) std::abort();  // cannot happen with a bound-sized buffer
  frame.resize(packed);
  std::vector<uint8_t> out(kQcmMagic, kQcmMagic + 4);
  append_le(out, kQcmVersion, 4);
  append_le(out, size, 8);
  append_le(out, packed, 8);
  out.insert(out.end(), frame.begin(), frame.end());
  // The trailer is FNV-1a of everything before it, which is what
  // qcm_fingerprint computes (tests/reliability checks that a wrapped seed
  // body parses, so a change there cannot go unnoticed).
  append_le(out, qcm_fingerprint(out), 8);
  return out;
}

}  // namespace qc::fuzz
