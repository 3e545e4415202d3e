// The constants of the .qc layout (docs/FORMAT.md): the reader, the writer,
// the fuzzers and the tests all take them from here.
#pragma once
#include <cstddef>
#include <cstdint>

namespace qc {

constexpr int kQcFormatVersion = 2;  // the version written; 1 is still read
constexpr int kCodeBlock = 16;       // pixels per code position along each side
// Largest .qc file a reader loads into memory.
constexpr size_t kMaxQcFileBytes = size_t{256} << 20;

namespace container {
inline constexpr uint8_t kMagic[4] = {'Q', 'C', 0x89, 0x1A};
// Byte offsets of the fixed header's fields.
inline constexpr size_t kVersionAt = 4;
inline constexpr size_t kFingerprintAt = 5;  // 8 bytes
inline constexpr size_t kSizeAt = 13;        // 4 bytes: the whole file
inline constexpr size_t kWidthAt = 17;       // 2 bytes: width - 1
inline constexpr size_t kHeightAt = 19;      // 2 bytes: height - 1
inline constexpr size_t kChannelsAt = 21;
inline constexpr size_t kTileAt = 22;
inline constexpr size_t kIterationsAt = 23;
inline constexpr size_t kCodeChannelsAt = 24;
inline constexpr size_t kMapBytesAt = 25;        // 4 bytes
inline constexpr size_t kAlphaBytesAt = 29;      // 4 bytes
inline constexpr size_t kFixedHeaderBytes = 33;  // format 2's iteration table starts here
inline constexpr size_t kChecksumBytes = 4;      // each CRC-32
}  // namespace container

}  // namespace qc
