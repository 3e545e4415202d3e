// The .qc container and the entropy decoders: the bytes as they are (which
// exercises the checksum and the header checks), the same bytes sealed with a
// valid checksum (so mutations reach the map, the alpha plane and the
// payload), a prefix of those (as --partial reads it), and the map and code decoders fed directly with a
// small shape taken from the first bytes.
#include <algorithm>
#include <cstdlib>

#include "base/error.h"
#include "codec/bitstream.h"
#include "entropy/code_coder.h"
#include "entropy/map_coder.h"
#include "fuzz/fuzz_targets.h"

namespace qc::fuzz {

void fuzz_qc(const uint8_t* data, size_t size) {
  try {
    read_qc(data, size, kQcSeedFingerprint, "fuzz");
  } catch (const Error&) {
  }
  const std::vector<uint8_t> sealed = seal_qc(data, size, kQcSeedFingerprint);
  try {
    const QcFile file = read_qc(sealed.data(), sealed.size(), kQcSeedFingerprint, "fuzz");
    // What read_qc accepts, write_qc must write back so that it reads the
    // same (small images only: the alpha plane is recompressed at zstd 19).
    if (uint64_t{file.width} * file.height <= kMaxRoundTripPixels) {
      const std::vector<uint8_t> again = write_qc(file);
      const QcFile back = read_qc(again.data(), again.size(), kQcSeedFingerprint, "fuzz");
      if (back.codes.bits != file.codes.bits || back.map.counts != file.map.counts ||
          back.alpha != file.alpha)
        std::abort();
    }
  } catch (const Error&) {
  }
  // A prefix of the sealed file, as a truncated download holds it, read
  // with a limit on the iterations taken from the last byte.
  if (sealed.size() > 1) {
    QcReadOptions prefix;
    prefix.accept_prefix = true;
    prefix.max_iterations = sealed.back() % 8;
    const size_t cut = sealed.size() - 1 - sealed.back() % std::min<size_t>(sealed.size() - 1, 64);
    try {
      const QcFile part = read_qc(sealed.data(), cut, kQcSeedFingerprint, "fuzz", prefix);
      if (part.map.max_count() > part.codes.iterations) std::abort();
    } catch (const Error&) {
    }
  }
  if (size < 5) return;
  const int iterations = data[0] % 10, channels = 1 + data[1] % 40, rows = 1 + data[2] % 9,
            cols = 1 + data[3] % 9, tile = 1 + data[4] % 4;
  try {
    const TileMap map = decode_tile_map(data + 5, size - 5, tile, (cols + tile - 1) / tile,
                                        (rows + tile - 1) / tile, iterations, "fuzz");
    decode_codes(data + 5, size - 5, {}, iterations, channels, rows, cols, map, "fuzz");
  } catch (const Error&) {
  }
}

}  // namespace qc::fuzz
