// Feeds arbitrary bytes to read_qc, and -- since the checksum stops almost
// every mutation there -- also straight to the map and code decoders with a
// small shape taken from the first bytes. Any qc::Error is fine; a crash,
// a sanitizer report or a hang is a bug.
#include <cstddef>
#include <cstdint>

#include "base/error.h"
#include "codec/bitstream.h"
#include "entropy/code_coder.h"
#include "entropy/map_coder.h"

namespace {
constexpr uint64_t kFingerprint = 0x0123456789ABCDEFull;  // the seed corpus's
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    qc::read_qc(data, size, kFingerprint, "fuzz");
  } catch (const qc::Error&) {
  }
  if (size < 5) return 0;
  const int iterations = data[0] % 10, channels = 1 + data[1] % 40, rows = 1 + data[2] % 9,
            cols = 1 + data[3] % 9, tile = 1 + data[4] % 4;
  try {
    const qc::TileMap map = qc::decode_tile_map(data + 5, size - 5, tile, (cols + tile - 1) / tile,
                                                (rows + tile - 1) / tile, iterations, "fuzz");
    qc::decode_codes(data + 5, size - 5, iterations, channels, rows, cols, map, "fuzz");
  } catch (const qc::Error&) {
  }
  return 0;
}
